//! `--format json`: one object, stable for tools (the contract in docs/architecture.md).

use serde::Serialize;

use super::Located;

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    files: usize,
    diagnostics: &'a [Located],
}

pub fn render(files: usize, diagnostics: &[Located]) -> String {
    let report = Report {
        version: 1,
        files,
        diagnostics,
    };
    let mut text = serde_json::to_string_pretty(&report).expect("plain data serialises");
    text.push('\n');
    text
}
