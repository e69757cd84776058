//! `--format json`: one object, stable for tools (the contract in docs/architecture.md).

use serde::Serialize;

use super::Located;

#[derive(Serialize)]
struct Report<T> {
    version: u32,
    files: usize,
    diagnostics: T,
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

/// The report around its findings, for a report written finding by finding.
pub fn envelope(files: usize) -> Envelope {
    const HOLE: &str = "\u{0}diagnostics\u{0}";
    let report = Report {
        version: 1,
        files,
        diagnostics: HOLE,
    };
    let text = serde_json::to_string_pretty(&report).expect("plain data serialises");
    let hole = serde_json::to_string(HOLE).expect("a string serialises");
    Envelope::around(&text, &hole)
}

/// One finding, pretty-printed as it is inside the report.
pub fn render_item(d: &Located) -> String {
    serde_json::to_string_pretty(d).expect("plain data serialises")
}

/// A pretty-printed JSON document with one array written item by item, byte for byte as
/// `serde_json::to_string_pretty` writes the whole: `[]` when empty, else each item on its
/// own lines, indented one level deeper than the array's key.
#[derive(Debug, Clone)]
pub struct Envelope {
    /// Up to the array's `[`.
    before: String,
    /// The array's key's indentation.
    indent: String,
    /// After the array's `]`, with the final line break.
    after: String,
}

impl Envelope {
    /// Splits `text`, a document with the string `hole` where the array goes.
    pub(crate) fn around(text: &str, hole: &str) -> Self {
        let at = text.find(hole).expect("the hole is in the document");
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let indent = text[line_start..]
            .chars()
            .take_while(|&c| c == ' ')
            .collect();
        Self {
            before: format!("{}[", &text[..at]),
            indent,
            after: format!("]{}\n", &text[at + hole.len()..]),
        }
    }

    pub fn start(&self) -> &str {
        &self.before
    }

    /// What goes before an item: the separator from the previous one.
    pub fn separator(&self, first: bool) -> &'static str {
        if first {
            "\n"
        } else {
            ",\n"
        }
    }

    /// `item` (pretty-printed on its own) with every line indented to its place in the array.
    pub fn indent_item(&self, item: &str) -> String {
        let mut out = String::with_capacity(item.len() + 64);
        for (i, line) in item.split('\n').enumerate() {
            if i > 0 {
                out.push('\n');
            }
            out.push_str(&self.indent);
            out.push_str("  ");
            out.push_str(line);
        }
        out
    }

    /// The end of the document, after `items` items.
    pub fn end(&self, items: usize) -> String {
        if items == 0 {
            self.after.clone()
        } else {
            format!("\n{}{}", self.indent, self.after)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_envelope_written_item_by_item_is_the_pretty_document() {
        let items = [
            serde_json::json!({"a": [1, {"b": "x\ny"}]}),
            serde_json::json!([]),
        ];
        for n in 0..=items.len() {
            let whole = Report {
                version: 1,
                files: 3,
                diagnostics: &items[..n],
            };
            let mut expected = serde_json::to_string_pretty(&whole).unwrap();
            expected.push('\n');
            let envelope = envelope(3);
            let mut written = envelope.start().to_string();
            for (i, item) in items[..n].iter().enumerate() {
                written.push_str(envelope.separator(i == 0));
                written
                    .push_str(&envelope.indent_item(&serde_json::to_string_pretty(item).unwrap()));
            }
            written.push_str(&envelope.end(n));
            assert_eq!(written, expected);
        }
    }
}
