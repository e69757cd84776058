//! `--statistics`: how often each rule fired and how many of those findings have a fix.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::Located;

/// A table, most frequent rule first; empty when there is nothing to count.
pub fn render<'a>(findings: impl IntoIterator<Item = &'a Located>) -> String {
    let mut by_rule: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for d in findings {
        let entry = by_rule.entry(d.rule).or_default();
        entry.0 += 1;
        entry.1 += usize::from(d.fix.is_some());
    }
    if by_rule.is_empty() {
        return String::new();
    }
    let mut rows: Vec<_> = by_rule.into_iter().collect();
    rows.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(b.0)));
    let mut out = String::from("  count  fixable  rule\n");
    for (rule, (count, fixable)) in rows {
        let _ = writeln!(out, "{count:>7}  {fixable:>7}  {rule}");
    }
    out
}
