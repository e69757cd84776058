//! Spanned YAML: bytes of a file → one tree per document.
//!
//! Built on saphyr-parser's pull API with an explicit stack, so no input depth can overflow our
//! stack. Every node carries its byte range. A syntax error ends the document it occurs in; we
//! then resynchronise at the next `---` line so the file's other documents are still linted.

mod lenient;
pub mod placeholder;
mod tree;

use std::borrow::Cow;
use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScanError, Span};

use crate::text::{self, CharToByte, TextRange};
pub(crate) use tree::KeyTag;
pub use tree::{
    resolve_plain, Document, Entry, Node, NodeId, NodeKind, NodeRef, Scalar, ScalarStyle,
    ScalarType,
};

/// Deeper nesting than this is not a Kubernetes manifest; we stop before it costs anything.
pub const MAX_DEPTH: usize = 256;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub range: TextRange,
    pub message: String,
}

#[derive(Debug, Default)]
pub struct ParsedFile<'src> {
    pub documents: Vec<Document<'src>>,
    pub errors: Vec<SyntaxError>,
    /// Lines only a lenient YAML reader accepts (kubectl's go-yaml does): read as kubectl
    /// reads them, with a note each (see `lenient`).
    pub lenient: Vec<SyntaxError>,
}

/// Whether `text` is a JSON document (a manifest saved as JSON): its fixes must stay JSON.
pub fn is_json(text: &str) -> bool {
    let body = text.trim_start_matches('\u{feff}').trim_start();
    (body.starts_with('{') || body.starts_with('['))
        && serde_json::from_str::<serde::de::IgnoredAny>(body).is_ok()
}

/// Parses every document of `text` (a leading byte-order mark is skipped; ranges still count it)
/// the way kubectl reads it: lines inside flow collections and quoted scalars that go-yaml
/// accepts at any indentation are accepted, with a note in `lenient`.
pub fn parse(text: &str) -> ParsedFile<'_> {
    let strict = parse_strict(text);
    if strict.errors.iter().any(lenient::is_indentation_error) {
        if let Some(reread) = lenient::reparse(text, strict.errors.len()) {
            return reread;
        }
    }
    strict
}

/// Parses by the YAML spec.
fn parse_strict(text: &str) -> ParsedFile<'_> {
    let mut out = ParsedFile::default();
    let mut start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut document_index = 0;
    loop {
        let chunk = &text[start..];
        match parse_chunk(chunk, start, &mut document_index, &mut out.documents) {
            Ok(()) => break,
            Err((error, document_start)) => {
                out.errors.push(error);
                document_index += 1;
                // An unclosed bracket can swallow the `---` after it, so resume at the first
                // document marker after the start of the broken document.
                match next_document_start(text, document_start) {
                    Some(next) if next > start => start = next,
                    _ => break,
                }
            }
        }
    }
    out
}

/// The byte offset of the first `---` line that starts after `offset`.
fn next_document_start(text: &str, offset: usize) -> Option<usize> {
    let mut line_start = text[offset.min(text.len())..].find('\n')? + offset + 1;
    loop {
        let rest = &text[line_start..];
        if let Some(after) = rest.strip_prefix("---") {
            if after.is_empty() || after.starts_with([' ', '\t', '\r', '\n']) {
                return Some(line_start);
            }
        }
        line_start += rest.find('\n')? + 1;
    }
}

/// An open collection. Its children wait on the builder's shared stacks from `start` on, so
/// each collection allocates once, at its exact size, when it closes.
enum Frame {
    Mapping {
        id: NodeId,
        start: usize,
        key: Option<NodeId>,
        flow: bool,
    },
    Sequence {
        id: NodeId,
        start: usize,
        flow: bool,
    },
}

struct Builder<'src> {
    nodes: Vec<Node<'src>>,
    /// The arena size to start the next document with.
    expected_nodes: usize,
    stack: Vec<Frame>,
    /// The entries and items of the open collections, innermost last.
    entries: Vec<Entry>,
    items: Vec<NodeId>,
    root: Option<NodeId>,
    anchors: HashMap<usize, NodeId>,
    /// Set once the document nests too deep: the rest of it is read but not built.
    too_deep: Option<SyntaxError>,
    skipped_depth: usize,
}

impl<'src> Builder<'src> {
    /// A builder whose first document is expected to have about `nodes` nodes.
    fn new(nodes: usize) -> Self {
        Self {
            nodes: Vec::with_capacity(nodes),
            expected_nodes: nodes,
            stack: Vec::new(),
            entries: Vec::new(),
            items: Vec::new(),
            root: None,
            anchors: HashMap::new(),
            too_deep: None,
            skipped_depth: 0,
        }
    }

    fn alloc(&mut self, range: TextRange, kind: NodeKind<'src>, anchor: usize) -> NodeId {
        let id = NodeId(self.nodes.len() as u32);
        self.nodes.push(Node { range, kind });
        if anchor != 0 {
            self.anchors.insert(anchor, id);
        }
        id
    }

    /// Hands a finished node to the collection that contains it.
    fn attach(&mut self, id: NodeId) {
        match self.stack.last_mut() {
            Some(Frame::Mapping { key, .. }) => match key.take() {
                Some(k) => self.entries.push(Entry::new(&self.nodes, k, id)),
                None => *key = Some(id),
            },
            Some(Frame::Sequence { .. }) => self.items.push(id),
            None => self.root = Some(id),
        }
    }

    fn open(&mut self, range: TextRange, anchor: usize, mapping: bool, flow: bool) {
        if self.too_deep.is_some() {
            self.skipped_depth += 1;
            return;
        }
        if self.stack.len() >= MAX_DEPTH {
            self.too_deep = Some(SyntaxError {
                range,
                message: format!(
                    "the document nests deeper than {MAX_DEPTH} levels; no Kubernetes object \
                     does, so podlint does not read this document further"
                ),
            });
            self.skipped_depth = 1;
            return;
        }
        let placeholder = if mapping {
            NodeKind::Mapping(Vec::new())
        } else {
            NodeKind::Sequence(Vec::new())
        };
        let id = self.alloc(range, placeholder, anchor);
        self.stack.push(if mapping {
            Frame::Mapping {
                id,
                start: self.entries.len(),
                key: None,
                flow,
            }
        } else {
            Frame::Sequence {
                id,
                start: self.items.len(),
                flow,
            }
        });
    }

    fn close(&mut self, end_event: TextRange) {
        if self.too_deep.is_some() {
            self.skipped_depth = self.skipped_depth.saturating_sub(1);
            return;
        }
        let Some(frame) = self.stack.pop() else {
            return;
        };
        let (id, kind, flow, last_child) = match frame {
            Frame::Mapping {
                id,
                start,
                key,
                flow,
            } => {
                // A trailing key without value (`{a}`) maps to null.
                if let Some(k) = key {
                    let at = TextRange::empty(self.nodes[k.0 as usize].range.end());
                    let value = self.alloc(at, NodeKind::Scalar(empty_scalar()), 0);
                    self.entries.push(Entry::new(&self.nodes, k, value));
                }
                let entries: Vec<Entry> = self.entries.drain(start..).collect();
                let last = entries.last().map(|e| e.value);
                (id, NodeKind::Mapping(entries), flow, last)
            }
            Frame::Sequence { id, start, flow } => {
                let items: Vec<NodeId> = self.items.drain(start..).collect();
                let last = items.last().copied();
                (id, NodeKind::Sequence(items), flow, last)
            }
        };
        let start = self.nodes[id.0 as usize].range.start();
        let end = if flow {
            end_event.end()
        } else {
            last_child.map_or(start, |c| self.nodes[c.0 as usize].range.end())
        };
        let node = &mut self.nodes[id.0 as usize];
        node.kind = kind;
        node.range = TextRange::new(start, end.max(start));
        self.attach(id);
    }

    fn leaf(&mut self, range: TextRange, kind: NodeKind<'src>, anchor: usize) {
        if self.too_deep.is_some() {
            return;
        }
        let id = self.alloc(range, kind, anchor);
        self.attach(id);
    }

    /// Starts the next document, keeping the scratch stacks' memory; its node arena is sized
    /// like the last document's (a file's documents tend to be alike).
    fn restart(&mut self) {
        if !self.nodes.is_empty() || self.nodes.capacity() == 0 {
            self.nodes = Vec::with_capacity(self.expected_nodes);
        }
        self.stack.clear();
        self.entries.clear();
        self.items.clear();
        self.root = None;
        self.anchors.clear();
        self.too_deep = None;
        self.skipped_depth = 0;
    }

    /// The finished document; `restart` prepares the builder for the next one.
    fn finish(&mut self, index: usize) -> Result<Option<Document<'src>>, SyntaxError> {
        let nodes = std::mem::take(&mut self.nodes);
        self.expected_nodes = nodes.len();
        if let Some(error) = self.too_deep.take() {
            return Err(error);
        }
        let root = self.root;
        let Some(root) = root else {
            return Ok(None);
        };
        let range = nodes[root.0 as usize].range;
        Ok(Some(Document {
            nodes,
            root: Some(root),
            range,
            index,
        }))
    }
}

fn empty_scalar<'src>() -> Scalar<'src> {
    Scalar::new("".into(), ScalarStyle::Plain, None)
}

/// Parses `chunk` (which starts at byte `base` of the file) until its end or its first error.
fn parse_chunk<'src>(
    chunk: &'src str,
    base: usize,
    document_index: &mut usize,
    documents: &mut Vec<Document<'src>>,
) -> Result<(), (SyntaxError, usize)> {
    let mut offsets = CharToByte::new(chunk);
    let mut to_range = |span: Span| {
        let start = offsets.byte(span.start.index());
        let end = offsets.byte(span.end.index());
        text::range(base + start, base + end)
    };
    // About one node per 12 bytes of YAML in manifests; the guess only saves regrowing.
    let mut builder = Builder::new((chunk.len() / 12).min(1 << 14));
    let mut in_document = false;
    let mut document_start = base;
    for event in Parser::new_from_str(chunk) {
        let (event, span) = match event {
            Ok(pair) => pair,
            Err(error) => return Err((scan_error(chunk, base, &error), document_start)),
        };
        let range = to_range(span);
        match event {
            Event::DocumentStart(_) => {
                builder.restart();
                in_document = true;
                document_start = range.start().into();
            }
            Event::DocumentEnd => {
                if !in_document {
                    builder.restart();
                } else {
                    let finished = builder
                        .finish(*document_index)
                        .map_err(|e| (e, document_start))?;
                    if let Some(doc) = finished {
                        documents.push(doc);
                    }
                    *document_index += 1;
                }
                in_document = false;
            }
            Event::MappingStart(anchor, _) => {
                builder.open(range, anchor, true, is_flow(chunk, base, range))
            }
            Event::SequenceStart(anchor, _) => {
                builder.open(range, anchor, false, is_flow(chunk, base, range))
            }
            Event::MappingEnd | Event::SequenceEnd => builder.close(range),
            Event::Scalar(value, style, anchor, tag) => {
                // A fix replaces the value, never the `&anchor` or `!tag` before it.
                let range = skip_properties(chunk, base, range);
                let value = match (value, style) {
                    (Cow::Owned(value), saphyr_parser::ScalarStyle::Plain) => {
                        as_written(chunk, base, range, value)
                    }
                    (value, _) => value,
                };
                let scalar = Scalar::new(
                    value,
                    match style {
                        saphyr_parser::ScalarStyle::Plain => ScalarStyle::Plain,
                        saphyr_parser::ScalarStyle::SingleQuoted => ScalarStyle::SingleQuoted,
                        saphyr_parser::ScalarStyle::DoubleQuoted => ScalarStyle::DoubleQuoted,
                        saphyr_parser::ScalarStyle::Literal => ScalarStyle::Literal,
                        saphyr_parser::ScalarStyle::Folded => ScalarStyle::Folded,
                    },
                    tag.map(|t| {
                        let handle = if t.handle == "tag:yaml.org,2002:" {
                            "!!"
                        } else {
                            &t.handle
                        };
                        Box::new(format!("{handle}{}", t.suffix))
                    }),
                );
                let range = match scalar.style() {
                    ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => {
                        trim_quoted(chunk, base, range)
                    }
                    _ => range,
                };
                builder.leaf(range, NodeKind::Scalar(scalar), anchor);
            }
            Event::Alias(anchor) => {
                if let Some(&target) = builder.anchors.get(&anchor) {
                    builder.leaf(range, NodeKind::Alias(target), 0);
                } else if builder.too_deep.is_none() {
                    let error = SyntaxError {
                        range,
                        message: "this alias names no anchor defined before it".into(),
                    };
                    return Err((error, document_start));
                }
            }
            Event::StreamEnd => break,
            Event::StreamStart | Event::Nothing => {}
        }
    }
    Ok(())
}

/// A plain scalar's value borrowed from the file when it is written as it reads (on one line,
/// as nearly all are): the parser's copy is freed at once, and rules read the file's bytes,
/// which lie together, rather than a copy per scalar scattered over the heap.
fn as_written(chunk: &str, base: usize, range: TextRange, value: String) -> Cow<'_, str> {
    let start = usize::from(range.start()) - base;
    let end = usize::from(range.end()) - base;
    match chunk.get(start..end) {
        Some(written) if written == value => Cow::Borrowed(written),
        _ => Cow::Owned(value),
    }
}

/// A scalar's span without the `&anchor` and `!tag` written before its value.
fn skip_properties(chunk: &str, base: usize, range: TextRange) -> TextRange {
    let start = usize::from(range.start()) - base;
    let end = (usize::from(range.end()) - base).min(chunk.len());
    let Some(written) = chunk.get(start..end) else {
        return range;
    };
    let mut offset = 0;
    while written[offset..].starts_with(['&', '!']) {
        let rest = &written[offset..];
        let token = rest.find([' ', '\t', '\n', '\r']).unwrap_or(rest.len());
        let after = &rest[token..];
        let spaces = after.len() - after.trim_start().len();
        if token + spaces == rest.len() {
            // Nothing after the properties: an empty value, where they end.
            offset += token;
            break;
        }
        offset += token + spaces;
    }
    if offset == 0 {
        return range;
    }
    text::range(
        base + start + offset,
        usize::from(range.end()).max(base + start + offset),
    )
}

/// The parser's span of a quoted scalar can run on over a trailing comment; end it at the
/// closing quote, so a fix that replaces the value keeps the comment.
fn trim_quoted(chunk: &str, base: usize, range: TextRange) -> TextRange {
    let start = usize::from(range.start()) - base;
    let end = usize::from(range.end()) - base;
    let bytes = chunk.as_bytes();
    // The span may start at an anchor or tag; the value starts at its quote.
    let Some(open) = chunk[start..end].find(['"', '\'']).map(|i| start + i) else {
        return range;
    };
    let quote = bytes[open];
    let mut i = open + 1;
    while i < end {
        match bytes[i] {
            b'\\' if quote == b'"' => i += 2,
            b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
            b if b == quote => return text::range(usize::from(range.start()), base + i + 1),
            _ => i += 1,
        }
    }
    range
}

/// A flow collection's start event spans its opening bracket (after any `&anchor` or `!tag`);
/// a block collection's spans nothing, or only its anchor or tag. (The first *item* of a block
/// sequence may itself be a flow mapping, so looking at the text after the span would mislead.)
fn is_flow(chunk: &str, base: usize, range: TextRange) -> bool {
    let start = usize::from(range.start()) - base;
    let end = usize::from(range.end()) - base;
    chunk[start..end].trim_end().ends_with(['[', '{'])
}

fn scan_error(chunk: &str, base: usize, error: &ScanError) -> SyntaxError {
    let mut offsets = CharToByte::new(chunk);
    let mut at = base + offsets.byte(error.marker().index());
    let info = error.info();
    if info.contains("tab") {
        // The parser reports where the construct began; the tab itself is what to fix.
        if let Some(tab) = chunk[at - base..].find('\t') {
            at += tab;
        }
    }
    // Point at the character where the parser stopped (an empty range at the end of the file).
    let len = chunk[at - base..].chars().next().map_or(0, char::len_utf8);
    let mut message = format!("invalid YAML: {info}");
    if info.contains("tab") {
        message.push_str(" (YAML indentation must use spaces, never tabs)");
    }
    SyntaxError {
        range: text::range(at, at + len),
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_scalars_written_as_they_read_borrow_the_file() {
        let text = "a: one word\nb: two\n  lines\nc: &x !!str tagged\n";
        let parsed = parse(text);
        let root = parsed.documents[0].root().unwrap();
        let value = |key: &str| match root.get(key).unwrap().kind() {
            NodeKind::Scalar(s) => (s.value().to_string(), matches!(s.value, Cow::Borrowed(_))),
            _ => unreachable!(),
        };
        assert_eq!(value("a"), ("one word".to_string(), true));
        // Folded over two lines: the value is not the text as written.
        assert_eq!(value("b"), ("two lines".to_string(), false));
        assert_eq!(value("c"), ("tagged".to_string(), true));
    }

    fn slice(text: &str, r: TextRange) -> &str {
        &text[r]
    }

    #[test]
    fn every_node_knows_its_bytes() {
        let text = "# é\r\nkind: Pod\r\nmetadata: {name: café, labels: {app: x}}\r\nspec:\r\n  containers:\r\n  - name: ü\r\n    image: \"nginx:1.2\"\r\n";
        let parsed = parse(text);
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        let root = parsed.documents[0].root().unwrap();
        assert_eq!(slice(text, root.get("kind").unwrap().range()), "Pod");
        let meta = root.get("metadata").unwrap();
        assert_eq!(slice(text, meta.range()), "{name: café, labels: {app: x}}");
        assert_eq!(slice(text, meta.get("name").unwrap().range()), "café");
        let c = root
            .at(&["spec", "containers"])
            .unwrap()
            .items()
            .next()
            .unwrap();
        assert_eq!(
            slice(text, c.get("image").unwrap().range()),
            "\"nginx:1.2\""
        );
        let (key, _) = c.entry("name").unwrap();
        assert_eq!(slice(text, key.range()), "name");
    }

    #[test]
    fn several_documents_and_resync_after_an_error() {
        let text = "a: 1\n---\nb: [1, 2\n---\nc: 3\n";
        let parsed = parse(text);
        assert_eq!(parsed.errors.len(), 1);
        let keys: Vec<_> = parsed
            .documents
            .iter()
            .map(|d| {
                d.root()
                    .unwrap()
                    .entries()
                    .next()
                    .unwrap()
                    .0
                    .as_str()
                    .unwrap()
            })
            .collect();
        assert_eq!(keys, ["a", "c"]);
        assert_eq!(parsed.documents[1].index, 2);
    }

    #[test]
    fn aliases_point_at_anchors_and_merges_are_followed() {
        let text = "base: &b {image: x, name: y}\nuse: *b\nmerged:\n  <<: *b\n  name: z\n";
        let parsed = parse(text);
        let root = parsed.documents[0].root().unwrap();
        assert_eq!(root.at(&["use", "image"]).unwrap().as_str(), Some("x"));
        assert_eq!(root.at(&["merged", "image"]).unwrap().as_str(), Some("x"));
        assert_eq!(root.at(&["merged", "name"]).unwrap().as_str(), Some("z"));
    }

    #[test]
    fn lookups_tell_apart_keys_of_one_length_and_start() {
        // `ab1`/`ab2` share a length and first bytes; an alias key is found by its text.
        let text = "k: &k ab2\nm:\n  ab1: one\n  *k : two\n  ab3: three\n";
        let parsed = parse(text);
        let m = parsed.documents[0].root().unwrap().get("m").unwrap();
        assert_eq!(m.get("ab1").unwrap().as_str(), Some("one"));
        assert_eq!(m.get("ab2").unwrap().as_str(), Some("two"));
        assert_eq!(m.get("ab3").unwrap().as_str(), Some("three"));
        assert!(m.get("ab4").is_none());
        assert!(m.get("").is_none());
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = "- ".repeat(100_000) + "x\n";
        let parsed = parse(&text);
        assert_eq!(parsed.documents.len(), 0);
        assert!(parsed.errors[0].message.contains("deeper than"));
    }

    #[test]
    fn quoted_scalars_end_at_their_closing_quote() {
        let text = "- name: \"84\\\"43\" # c\n  x: 'it''s'   # d\n";
        let parsed = parse(text);
        let item = parsed.documents[0].root().unwrap().items().next().unwrap();
        assert_eq!(
            slice(text, item.get("name").unwrap().range()),
            "\"84\\\"43\""
        );
        assert_eq!(slice(text, item.get("x").unwrap().range()), "'it''s'");
    }

    #[test]
    fn a_block_sequence_of_flow_mappings_ends_at_its_last_item() {
        let text = "m:\n- {name: a}\n- &x {name: b}\nnext: 1\nf: &y [1]\n";
        let parsed = parse(text);
        let root = parsed.documents[0].root().unwrap();
        assert_eq!(
            slice(text, root.get("m").unwrap().range()),
            "{name: a}\n- &x {name: b}"
        );
        assert_eq!(slice(text, root.get("f").unwrap().range()), "&y [1]");
    }

    #[test]
    fn block_collections_span_their_children() {
        let text = "spec:\n  containers:\n  - name: a\n    image: b\n\n# trailing\n";
        let parsed = parse(text);
        let spec = parsed.documents[0].root().unwrap().get("spec").unwrap();
        assert_eq!(
            slice(text, spec.range()),
            "containers:\n  - name: a\n    image: b"
        );
    }
}
