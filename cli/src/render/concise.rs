//! One line per finding, the way compilers print them.

use super::Located;

pub fn render(out: &mut String, d: &Located) {
    use std::fmt::Write;
    let _ = writeln!(
        out,
        "{}:{}:{}: {}[{}] {}",
        d.path,
        d.range.start.line,
        d.range.start.column,
        d.severity.as_str(),
        d.rule,
        d.message
    );
}
