//! `--format json`: one object, stable for tools (the contract in docs/architecture.md).

use std::io::{self, Write};

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

    /// `item` pretty-printed in its place in the array: every line indented one level deeper
    /// than the array's key, byte for byte as in the whole document.
    pub fn item(&self, item: &impl Serialize) -> Vec<u8> {
        let level = self.indent.len() / 2 + 1;
        let mut out = Vec::with_capacity(1024);
        out.extend(std::iter::repeat_n(b' ', 2 * level));
        let nested = Nested {
            level,
            has_value: false,
        };
        item.serialize(&mut serde_json::Serializer::with_formatter(
            &mut out, nested,
        ))
        .expect("plain data serialises");
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

/// serde_json's pretty layout (two spaces a level) begun `level` levels deep, so an item is
/// written straight into its place in a document instead of re-indented line by line.
struct Nested {
    level: usize,
    /// Whether the innermost open array or object has a value yet.
    has_value: bool,
}

impl Nested {
    fn open<W: ?Sized + Write>(&mut self, out: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.level += 1;
        self.has_value = false;
        out.write_all(bracket)
    }

    fn close<W: ?Sized + Write>(&mut self, out: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.level -= 1;
        if self.has_value {
            out.write_all(b"\n")?;
            self.indent(out)?;
        }
        out.write_all(bracket)
    }

    fn next<W: ?Sized + Write>(&mut self, out: &mut W, first: bool) -> io::Result<()> {
        out.write_all(if first { b"\n" } else { b",\n" })?;
        self.indent(out)
    }

    fn indent<W: ?Sized + Write>(&self, out: &mut W) -> io::Result<()> {
        const SPACES: &[u8] = &[b' '; 64];
        let mut left = 2 * self.level;
        while left > 0 {
            let n = left.min(SPACES.len());
            out.write_all(&SPACES[..n])?;
            left -= n;
        }
        Ok(())
    }
}

impl serde_json::ser::Formatter for Nested {
    fn begin_array<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.open(out, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.close(out, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, out: &mut W, first: bool) -> io::Result<()> {
        self.next(out, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _out: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.open(out, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.close(out, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, out: &mut W, first: bool) -> io::Result<()> {
        self.next(out, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        out.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _out: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
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
            serde_json::json!({"empty": {}, "nested": [[], [{}], {"deep": [[1, 2]]}], "n": null}),
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
                written.push_str(std::str::from_utf8(&envelope.item(item)).unwrap());
            }
            written.push_str(&envelope.end(n));
            assert_eq!(written, expected);
        }
    }
}
