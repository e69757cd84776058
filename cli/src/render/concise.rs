//! One line per finding, the way compilers print them.

use super::Located;
use podlint_lint::text::escape_controls;

pub fn render(out: &mut String, d: &Located) {
    use std::fmt::Write;
    let _ = writeln!(
        out,
        "{}:{}:{}: {}[{}] {}",
        escape_controls(&d.path, &[]),
        d.range.start.line,
        d.range.start.column,
        d.severity.as_str(),
        d.rule,
        // One line per finding, and no terminal control from a manifest's text.
        escape_controls(&d.message, &[])
    );
}
