//! The open documents: their text, version and line map, changed in the order edits arrive.

use std::collections::HashMap;
use std::sync::Arc;

use tower_lsp_server::ls_types::{TextDocumentContentChangeEvent, Uri};

use crate::convert::{Encoding, LineMap};

/// One open document at one version. Shared with lint jobs by `Arc`, so a snapshot costs
/// nothing and an edit never waits for a lint.
#[derive(Debug, Clone)]
pub struct Document {
    pub text: Arc<str>,
    pub version: i32,
    pub lines: Arc<LineMap>,
}

impl Document {
    pub fn new(text: String, version: i32) -> Self {
        let lines = Arc::new(LineMap::new(&text));
        Self {
            text: text.into(),
            version,
            lines,
        }
    }

    /// Applies one `didChange`'s edits, in order: each range refers to the text left by the
    /// ones before it. A change without a range replaces the whole text.
    pub fn apply(
        &mut self,
        changes: Vec<TextDocumentContentChangeEvent>,
        version: i32,
        encoding: Encoding,
    ) {
        let mut text = String::from(&*self.text);
        let mut lines = Arc::clone(&self.lines);
        let count = changes.len();
        for (i, change) in changes.into_iter().enumerate() {
            match change.range {
                Some(range) => {
                    let range = lines.text_range(&text, range, encoding);
                    text.replace_range(std::ops::Range::<usize>::from(range), &change.text);
                }
                None => text = change.text,
            }
            // The last line map is built below, once.
            if i + 1 < count {
                lines = Arc::new(LineMap::new(&text));
            }
        }
        *self = Document::new(text, version);
    }
}

/// Every open document by URI.
#[derive(Debug, Default)]
pub struct Documents {
    open: HashMap<Uri, Document>,
}

impl Documents {
    pub fn open(&mut self, uri: Uri, text: String, version: i32) {
        self.open.insert(uri, Document::new(text, version));
    }

    pub fn close(&mut self, uri: &Uri) -> Option<Document> {
        self.open.remove(uri)
    }

    /// Applies a change; `None` when the document is not open.
    pub fn change(
        &mut self,
        uri: &Uri,
        changes: Vec<TextDocumentContentChangeEvent>,
        version: i32,
        encoding: Encoding,
    ) -> Option<&Document> {
        let document = self.open.get_mut(uri)?;
        document.apply(changes, version, encoding);
        Some(document)
    }

    pub fn get(&self, uri: &Uri) -> Option<&Document> {
        self.open.get(uri)
    }

    pub fn uris(&self) -> impl Iterator<Item = &Uri> {
        self.open.keys()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower_lsp_server::ls_types::{Position, Range};

    fn edit(range: ((u32, u32), (u32, u32)), text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: Some(Range::new(
                Position::new(range.0 .0, range.0 .1),
                Position::new(range.1 .0, range.1 .1),
            )),
            range_length: None,
            text: text.to_owned(),
        }
    }

    #[test]
    fn edits_apply_in_order_against_the_text_before_each() {
        let mut doc = Document::new("name: café\nimage: x\n".to_owned(), 1);
        doc.apply(
            vec![
                edit(((0, 10), (0, 10)), "s"),    // after é (UTF-16 col 10)
                edit(((1, 0), (1, 0)), "# 🎉\n"), // a new line 1
                edit(((2, 7), (2, 8)), "nginx"),  // `x` is now on line 2
            ],
            2,
            Encoding::Utf16,
        );
        assert_eq!(&*doc.text, "name: cafés\n# 🎉\nimage: nginx\n");
        assert_eq!(doc.version, 2);
    }

    #[test]
    fn a_change_without_range_replaces_everything() {
        let mut doc = Document::new("a: 1\n".to_owned(), 1);
        let full = TextDocumentContentChangeEvent {
            range: None,
            range_length: None,
            text: "b: 2\n".to_owned(),
        };
        doc.apply(vec![full], 5, Encoding::Utf8);
        assert_eq!((&*doc.text, doc.version), ("b: 2\n", 5));
    }
}
