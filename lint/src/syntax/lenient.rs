//! YAML as kubectl reads it. kubectl decodes manifests with go-yaml (through sigs.k8s.io/yaml),
//! a port of libyaml, which does not check the indentation of lines inside a flow collection
//! (`[ … ]`, `{ … }`) or of a quoted scalar's continuation lines; the YAML spec and our parser
//! do. So a file kubectl applies can fail here with "invalid indentation":
//!
//! ```yaml
//! spec:
//!   args: [
//!     "--port=8080"
//!   ]                      # `]` at the key's column
//!   description: "a long
//!   text"                  # continuation line at the key's column
//! ```
//!
//! Indentation inside those constructs carries no meaning (a quoted scalar's line breaks fold
//! and leading spaces are dropped), so we re-read a copy of the text with the offending lines
//! indented further, map every position back to the original text, and keep a note of each
//! line we accepted this way. Block indentation is never touched: a misindented mapping key is
//! an error for kubectl as well.

use super::{parse_strict, Document, ParsedFile, SyntaxError};
use crate::text::{self, TextRange};

/// How many times a file may be re-read with one more line re-indented: at most 256, and
/// fewer for a large file, so that hostile input costs a bounded number of parses.
fn max_repairs(len: usize) -> usize {
    (8_000_000 / len.max(1)).clamp(16, 256)
}

/// The parse errors this module can resolve.
pub(super) fn is_indentation_error(error: &SyntaxError) -> bool {
    error
        .message
        .starts_with("invalid YAML: invalid indentation")
}

/// A copy of `text` with some lines indented further, and how to map its offsets back.
struct Padded {
    text: String,
    /// Byte offset of each line's start in the original text.
    line_starts: Vec<usize>,
    /// Spaces added at the start of each line.
    pad: Vec<usize>,
}

impl Padded {
    fn new(original: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(original.match_indices('\n').map(|(i, _)| i + 1));
        let lines = line_starts.len();
        Self {
            text: original.to_string(),
            line_starts,
            pad: vec![0; lines],
        }
    }

    /// The line of a byte offset in the padded text, and that line's start there.
    fn line_of(&self, offset: usize) -> (usize, usize) {
        let before = &self.text[..offset.min(self.text.len())];
        let line = before.matches('\n').count();
        let start = before.rfind('\n').map_or(0, |i| i + 1);
        (line, start)
    }

    /// The number of leading spaces of the line starting at `start` (padded text).
    fn indentation(&self, start: usize) -> usize {
        self.text[start..]
            .bytes()
            .take_while(|&b| b == b' ')
            .count()
    }

    /// Adds `spaces` at each `(line, start)`, in one copy of the text (padding line by line
    /// would cost a copy per line). `pads` may come in any order.
    fn pad_lines(&mut self, mut pads: Vec<(usize, usize, usize)>) {
        pads.sort_unstable_by_key(|&(_, start, _)| start);
        let added: usize = pads.iter().map(|&(_, _, n)| n).sum();
        let mut text = String::with_capacity(self.text.len() + added);
        let mut copied = 0;
        for (line, start, spaces) in pads {
            text.push_str(&self.text[copied..start]);
            text.extend(std::iter::repeat_n(' ', spaces));
            copied = start;
            self.pad[line] += spaces;
        }
        text.push_str(&self.text[copied..]);
        self.text = text;
    }
}

/// Maps offsets of the padded text back to the original, in O(log lines) each.
struct Unpad<'p> {
    padded: &'p Padded,
    /// Byte offset of each line's start in the padded text.
    padded_starts: Vec<usize>,
}

impl<'p> Unpad<'p> {
    fn new(padded: &'p Padded) -> Self {
        let mut padded_starts = vec![0];
        padded_starts.extend(padded.text.match_indices('\n').map(|(i, _)| i + 1));
        Self {
            padded,
            padded_starts,
        }
    }

    /// An offset of the padded text in the original one; inside added spaces, the line start.
    fn original(&self, offset: usize) -> usize {
        let line = self.padded_starts.partition_point(|&s| s <= offset) - 1;
        let column = (offset - self.padded_starts[line]).saturating_sub(self.padded.pad[line]);
        self.padded.line_starts[line] + column
    }

    fn range(&self, range: TextRange) -> TextRange {
        text::range(
            self.original(usize::from(range.start())),
            self.original(usize::from(range.end())),
        )
    }
}

/// Re-reads `original` with the lines go-yaml would accept re-indented. `None` when that
/// leaves as many errors as the strict reading found (`strict_errors`).
pub(super) fn reparse(original: &str, strict_errors: usize) -> Option<ParsedFile<'_>> {
    let mut padded = Padded::new(original);
    let mut repaired_lines = Vec::new();
    for _ in 0..max_repairs(original.len()) {
        let parsed = parse_strict(&padded.text);
        let Some(error) = parsed.errors.iter().find(|e| is_indentation_error(e)) else {
            // Only a re-read that resolves something is kept: an unclosed bracket stays the
            // error it is, not a different one with every later line noted.
            if repaired_lines.is_empty() || parsed.errors.len() >= strict_errors {
                return None;
            }
            return Some(map_back(&padded, parsed, &repaired_lines));
        };
        let at = usize::from(error.range.start());
        let lines = if error.message.contains("quoted scalar") {
            pad_quoted_scalar(&mut padded, at)
        } else if let Some((opener, depth)) = flow_opener(&padded.text, at) {
            pad_flow_collection(&mut padded, at, opener, depth)
        } else {
            Vec::new()
        };
        if lines.is_empty() {
            return None;
        }
        repaired_lines.extend(lines);
    }
    None
}

/// Indents the continuation lines of the quoted scalar that opens at `quote` past the
/// indentation of its first line. Returns the lines changed.
fn pad_quoted_scalar(padded: &mut Padded, quote: usize) -> Vec<usize> {
    let bytes = padded.text.as_bytes();
    let Some(&open) = bytes.get(quote).filter(|b| matches!(b, b'"' | b'\'')) else {
        return Vec::new();
    };
    let (first_line, first_start) = padded.line_of(quote);
    let target = padded.indentation(first_start) + 1;
    // Where the scalar ends: the closing quote (`\"` and `''` are escapes).
    let mut i = quote + 1;
    let mut breaks = Vec::new();
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if open == b'"' => i += 1,
            b'\'' if open == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 1,
            b if b == open => break,
            b'\n' => breaks.push(i + 1),
            _ => {}
        }
        i += 1;
    }
    let mut pads = Vec::new();
    for (n, start) in breaks.into_iter().enumerate() {
        let indentation = padded.indentation(start);
        let rest = &padded.text[start + indentation..];
        if indentation < target && !rest.starts_with(['\n', '\r']) {
            pads.push((first_line + n + 1, start, target - indentation));
        }
    }
    let changed = pads.iter().map(|&(line, _, _)| line).collect();
    padded.pad_lines(pads);
    changed
}

/// Indents every line of the flow collection around `at`, from `at`'s line to the
/// collection's end, that is not deeper than the line that opens it. Returns the lines changed.
fn pad_flow_collection(padded: &mut Padded, at: usize, opener: usize, depth: usize) -> Vec<usize> {
    let (_, opener_start) = padded.line_of(opener);
    let target = padded.indentation(opener_start) + 1;
    let (first_line, first_start) = padded.line_of(at);
    // Where the collection closes: scan on from `at` with the same rules.
    let end = scan(&padded.text, first_start, depth)
        .1
        .unwrap_or(padded.text.len());
    let mut starts = vec![(first_line, first_start)];
    let mut line = first_line;
    for (i, b) in padded.text[first_start..end].bytes().enumerate() {
        if b == b'\n' {
            line += 1;
            starts.push((line, first_start + i + 1));
        }
    }
    let mut pads = Vec::new();
    for (line, start) in starts {
        let indentation = padded.indentation(start);
        let rest = &padded.text[start + indentation..];
        if indentation < target && !rest.starts_with(['\n', '\r']) && !rest.is_empty() {
            pads.push((line, start, target - indentation));
        }
    }
    let changed = pads.iter().map(|&(line, _, _)| line).collect();
    padded.pad_lines(pads);
    changed
}

/// The outermost `[` or `{` still open at `at` in its document, and how many are open.
/// Brackets count only where a flow collection can start (after `: `, `- `, `,`, another
/// bracket or at a line's start), never inside quotes or comments.
fn flow_opener(text: &str, at: usize) -> Option<(usize, usize)> {
    let document_start = text[..at]
        .match_indices("\n---")
        .last()
        .map_or(0, |(i, _)| i + 1);
    let (openers, _) = scan(&text[..at], document_start, 0);
    Some((*openers.first()?, openers.len()))
}

/// Scans `text` from `from` with `depth` collections already open: the offsets of the
/// brackets still open at the end, and where the depth first returns to zero (when it
/// started above zero).
fn scan(text: &str, from: usize, depth: usize) -> (Vec<usize>, Option<usize>) {
    let mut open: Vec<usize> = vec![from; depth];
    let mut quote: Option<u8> = None;
    let mut previous = b'\n';
    let bytes = text.as_bytes();
    let mut i = from;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(q) => {
                if b == b'\\' && q == b'"' {
                    i += 1;
                } else if b == q {
                    quote = None;
                }
            }
            None => match b {
                b'"' | b'\'' if starts_token(previous) || !open.is_empty() => quote = Some(b),
                b'#' if matches!(previous, b' ' | b'\n' | b'\t') => {
                    while i < bytes.len() && bytes[i] != b'\n' {
                        i += 1;
                    }
                    continue;
                }
                b'[' | b'{' if starts_token(previous) || !open.is_empty() => open.push(i),
                b']' | b'}' if !open.is_empty() => {
                    open.pop();
                    if open.is_empty() && depth > 0 {
                        return (open, Some(i + 1));
                    }
                }
                _ => {}
            },
        }
        if !matches!(b, b' ' | b'\t') || previous == b'\n' {
            previous = b;
        }
        i += 1;
    }
    (open, None)
}

/// Whether a flow indicator may follow `byte` (the last non-blank byte before it).
fn starts_token(byte: u8) -> bool {
    matches!(byte, b'\n' | b':' | b'-' | b',' | b'[' | b'{')
}

/// The documents and errors of the padded text, with positions in the original text, and a
/// note for each line that only go-yaml's leniency accepts.
fn map_back<'a>(
    padded: &Padded,
    parsed: ParsedFile<'_>,
    repaired_lines: &[usize],
) -> ParsedFile<'a> {
    let unpad = Unpad::new(padded);
    let documents: Vec<Document<'a>> = parsed
        .documents
        .into_iter()
        .map(|doc| doc.into_owned(|r| unpad.range(r)))
        .collect();
    let errors = parsed
        .errors
        .into_iter()
        .map(|e| SyntaxError {
            range: unpad.range(e.range),
            message: e.message,
        })
        .collect();
    let original_len = unpad.original(padded.text.len());
    let mut lines: Vec<usize> = repaired_lines.to_vec();
    lines.sort_unstable();
    lines.dedup();
    let lenient = lines
        .into_iter()
        .map(|line| {
            let start = padded.line_starts[line];
            // Up to the line break, or the end of the text.
            let original_line = padded
                .line_starts
                .get(line + 1)
                .map_or(original_len, |next| next - 1);
            let end = original_line.max(start);
            SyntaxError {
                range: text::range(start, end),
                message: "this line is indented no deeper than the key it belongs to, inside a flow collection or a quoted string; kubectl (go-yaml) and PyYAML accept that, but the YAML spec does not, and stricter parsers reject the file".into(),
            }
        })
        .collect();
    ParsedFile {
        documents,
        errors,
        lenient,
    }
}

#[cfg(test)]
mod tests {
    use super::super::{parse, NodeRef};

    /// The document as plain data, for comparison with what PyYAML 6.0.3 (`yaml.safe_load`,
    /// libyaml's rules, as go-yaml's) reads from the same text.
    fn show(node: NodeRef<'_, '_>) -> String {
        if node.is_mapping() {
            let entries: Vec<String> = node
                .entries()
                .map(|(k, v)| format!("{}: {}", show(k), show(v)))
                .collect();
            format!("{{{}}}", entries.join(", "))
        } else if node.is_sequence() {
            let items: Vec<String> = node.items().map(show).collect();
            format!("[{}]", items.join(", "))
        } else {
            format!("'{}'", node.as_str().unwrap_or(""))
        }
    }

    fn read(text: &str) -> (String, usize, usize) {
        let parsed = parse(text);
        let shown = parsed
            .documents
            .iter()
            .map(|d| d.root().map_or(String::new(), show))
            .collect::<Vec<_>>()
            .join(" --- ");
        (shown, parsed.errors.len(), parsed.lenient.len())
    }

    #[test]
    fn reads_what_kubectl_reads() {
        // (text, what PyYAML reads, lines noted)
        let cases = [
            (
                "spec:\n  args: [\n    \"a\",\n    \"b\"\n  ]\n",
                "{'spec': {'args': ['a', 'b']}}",
                1,
            ),
            (
                "spec:\n  args: [\n    \"a\",\n    \"b\"\n]\n",
                "{'spec': {'args': ['a', 'b']}}",
                1,
            ),
            ("args: [\"--a\",\n\"--b\"]\n", "{'args': ['--a', '--b']}", 1),
            (
                "spec:\n  args: [\"--a\",\n \"--b\"]\n",
                "{'spec': {'args': ['--a', '--b']}}",
                1,
            ),
            (
                "spec:\n  containers:\n  - name: a\n    args: [\n    \"x\"\n    ]\n",
                "{'spec': {'containers': [{'name': 'a', 'args': ['x']}]}}",
                2,
            ),
            (
                "m:\n  a:\n    d: \"a long\n  text\"\n",
                "{'m': {'a': {'d': 'a long text'}}}",
                1,
            ),
            (
                "m:\n  a:\n    d: \"a long\ntext with \\\"q\\\"\n  more\"\n",
                "{'m': {'a': {'d': 'a long text with \"q\" more'}}}",
                2,
            ),
            ("m:\n  d: 'it''s\n  here'\n", "{'m': {'d': 'it's here'}}", 1),
        ];
        for (text, expected, notes) in cases {
            let (shown, errors, lenient) = read(text);
            // Quotes aside (PyYAML prints `it's` as "it's"), the same data.
            assert_eq!(
                shown.replace('\'', ""),
                expected.replace('\'', ""),
                "{text}"
            );
            assert_eq!((errors, lenient), (0, notes), "{text}");
        }
    }

    #[test]
    fn positions_are_those_of_the_original_text() {
        let text = "spec:\n  args: [\n    \"a\",\n  \"b\"\n  ]\n  after: x\n";
        let parsed = parse(text);
        assert!(parsed.errors.is_empty());
        let root = parsed.documents[0].root().unwrap();
        let args = root.at(&["spec", "args"]).unwrap();
        let items: Vec<&str> = args.items().map(|i| &text[i.range()]).collect();
        assert_eq!(items, ["\"a\"", "\"b\""]);
        assert_eq!(&text[args.range()], "[\n    \"a\",\n  \"b\"\n  ]");
        let after = root.at(&["spec", "after"]).unwrap();
        assert_eq!(&text[after.range()], "x");
    }

    #[test]
    fn block_indentation_stays_an_error() {
        // PyYAML and kubectl reject these too.
        for text in [
            "a: [\nb\nc: d\n",
            "a: \"unclosed\nb: c\n",
            "spec:\n  a:\n    b: 1\n   c: 2\n",
            "a: plain\n  b: 1\n",
            "spec:\n  a: plain\n  continued here\n",
        ] {
            let (_, errors, lenient) = read(text);
            assert!(errors > 0, "{text}");
            assert_eq!(lenient, 0, "{text}");
        }
    }
}
