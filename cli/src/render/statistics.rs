//! `--statistics`: how often each rule fired and how many of those findings have a fix.

use std::fmt::Write;

use super::Tally;

/// A table, most frequent rule first; empty when there is nothing to count.
pub fn render(tally: &Tally) -> String {
    let rows = tally.ranked_rules();
    if rows.is_empty() {
        return String::new();
    }
    let mut out = String::from("  count  fixable  rule\n");
    for (rule, (count, fixable)) in rows {
        let _ = writeln!(out, "{count:>7}  {fixable:>7}  {rule}");
    }
    out
}
