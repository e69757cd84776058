//! Byte offsets ↔ LSP positions.
//!
//! podlint's ranges are byte offsets; LSP positions are (line, character) where a character
//! counts UTF-8 bytes or UTF-16 code units, as negotiated at `initialize`. Lines end at `\n`,
//! `\r\n` or a lone `\r`, as the LSP specification says.

use line_index::{LineCol, LineIndex, TextRange, TextSize, WideEncoding, WideLineCol};
use tower_lsp_server::ls_types::{Position, PositionEncodingKind, Range};

/// The unit of `Position::character`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    Utf8,
    /// What every client understands, and all VS Code speaks.
    #[default]
    Utf16,
}

impl Encoding {
    /// UTF-8 when the client offers it (our ranges are bytes already), else UTF-16.
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Self {
        match offered {
            Some(kinds) if kinds.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
            _ => Encoding::Utf16,
        }
    }

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }
    }
}

/// Line starts of one text, for converting in both directions.
#[derive(Debug, Clone)]
pub struct LineMap {
    index: LineIndex,
}

impl LineMap {
    pub fn new(text: &str) -> Self {
        // `line-index` splits on `\n` only. A lone `\r` is one byte, like `\n`, so indexing a
        // copy where it is replaced keeps every offset and adds the missing line breaks.
        let index = if has_lone_cr(text) {
            let bytes: Vec<u8> = text
                .bytes()
                .enumerate()
                .map(|(i, b)| {
                    if b == b'\r' && text.as_bytes().get(i + 1) != Some(&b'\n') {
                        b'\n'
                    } else {
                        b
                    }
                })
                .collect();
            LineIndex::new(std::str::from_utf8(&bytes).expect("only ASCII bytes were replaced"))
        } else {
            LineIndex::new(text)
        };
        Self { index }
    }

    /// The position of a byte offset. Offsets past the end or inside a character are moved
    /// back to the nearest character boundary.
    pub fn position(&self, text: &str, offset: TextSize, encoding: Encoding) -> Position {
        let mut offset = usize::from(offset).min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let lc = self.index.line_col(TextSize::new(offset as u32));
        let character = match encoding {
            Encoding::Utf8 => lc.col,
            Encoding::Utf16 => self
                .index
                .to_wide(WideEncoding::Utf16, lc)
                .map_or(lc.col, |w| w.col),
        };
        Position::new(lc.line, character)
    }

    pub fn range(&self, text: &str, range: TextRange, encoding: Encoding) -> Range {
        Range::new(
            self.position(text, range.start(), encoding),
            self.position(text, range.end(), encoding),
        )
    }

    /// The byte offset of a position. As the specification asks, a character past the end of
    /// its line means the end of the line, and a line past the end means the end of the text.
    pub fn offset(&self, text: &str, position: Position, encoding: Encoding) -> TextSize {
        let Some(line) = self.index.line(position.line) else {
            return TextSize::of(text);
        };
        let content_end = usize::from(line.start()) + line_content_len(&text[line]);
        let col = match encoding {
            Encoding::Utf8 => position.character,
            Encoding::Utf16 => self
                .index
                .to_utf8(
                    WideEncoding::Utf16,
                    WideLineCol {
                        line: position.line,
                        col: position.character,
                    },
                )
                .map_or(u32::MAX, |lc: LineCol| lc.col),
        };
        let mut offset = (usize::from(line.start()) + col as usize).min(content_end);
        // A UTF-16 position between the halves of a surrogate pair, or a UTF-8 one inside a
        // character: take the start of that character.
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        TextSize::new(offset as u32)
    }

    pub fn text_range(&self, text: &str, range: Range, encoding: Encoding) -> TextRange {
        let start = self.offset(text, range.start, encoding);
        let end = self.offset(text, range.end, encoding);
        TextRange::new(start, end.max(start))
    }
}

fn has_lone_cr(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes
        .iter()
        .enumerate()
        .any(|(i, &b)| b == b'\r' && bytes.get(i + 1) != Some(&b'\n'))
}

/// Length of a line without its line break.
fn line_content_len(line: &str) -> usize {
    let line = line.strip_suffix('\n').unwrap_or(line);
    line.strip_suffix('\r').unwrap_or(line).len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(text: &str, encoding: Encoding) {
        let map = LineMap::new(text);
        for (offset, _) in text.char_indices().chain([(text.len(), ' ')]) {
            let offset = TextSize::new(offset as u32);
            let position = map.position(text, offset, encoding);
            let back = map.offset(text, position, encoding);
            // A line break's bytes all map to the end of their line.
            let at_break = text[usize::from(back)..usize::from(offset)]
                .bytes()
                .all(|b| b == b'\r');
            assert!(
                back == offset || at_break,
                "{offset:?} → {position:?} → {back:?}"
            );
        }
    }

    #[test]
    fn utf16_counts_code_units() {
        let text = "name: café\nimage: 🎉x\n";
        let map = LineMap::new(text);
        let x = TextSize::new(text.find('x').unwrap() as u32);
        assert_eq!(map.position(text, x, Encoding::Utf16), Position::new(1, 9));
        assert_eq!(map.position(text, x, Encoding::Utf8), Position::new(1, 11));
        assert_eq!(map.offset(text, Position::new(1, 9), Encoding::Utf16), x);
        // Between the halves of 🎉: the emoji's start.
        let emoji = TextSize::new(text.find('🎉').unwrap() as u32);
        assert_eq!(
            map.offset(text, Position::new(1, 8), Encoding::Utf16),
            emoji
        );
        round_trip(text, Encoding::Utf16);
        round_trip(text, Encoding::Utf8);
    }

    #[test]
    fn every_line_break_counts() {
        let text = "a: 1\r\nb: é\rc: 3\nd";
        let map = LineMap::new(text);
        let c = TextSize::new(text.find('c').unwrap() as u32);
        let d = TextSize::new(text.find('d').unwrap() as u32);
        assert_eq!(map.position(text, c, Encoding::Utf16), Position::new(2, 0));
        assert_eq!(map.position(text, d, Encoding::Utf16), Position::new(3, 0));
        round_trip(text, Encoding::Utf16);
    }

    #[test]
    fn positions_past_the_end_are_clamped() {
        let text = "a: 1\r\nb: 2\n";
        let map = LineMap::new(text);
        assert_eq!(
            map.offset(text, Position::new(0, 99), Encoding::Utf16),
            TextSize::new(4)
        );
        assert_eq!(
            map.offset(text, Position::new(9, 0), Encoding::Utf8),
            TextSize::of(text)
        );
        assert_eq!(
            map.position(text, TextSize::new(999), Encoding::Utf8),
            Position::new(2, 0)
        );
    }

    #[test]
    fn utf8_is_chosen_when_offered() {
        let both = [PositionEncodingKind::UTF16, PositionEncodingKind::UTF8];
        assert_eq!(Encoding::negotiate(Some(&both)), Encoding::Utf8);
        assert_eq!(
            Encoding::negotiate(Some(&[PositionEncodingKind::UTF32])),
            Encoding::Utf16
        );
        assert_eq!(Encoding::negotiate(None), Encoding::Utf16);
    }
}
