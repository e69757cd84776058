//! Byte ranges and the conversions at the edges.
//!
//! Everything inside `lint` speaks byte offsets (`TextRange`). Lines and columns exist only
//! for display, computed from one `LineStarts` per file.

pub use line_index::{TextRange, TextSize};

/// Builds a range from `usize` byte offsets.
pub fn range(start: usize, end: usize) -> TextRange {
    TextRange::new(size(start), size(end.max(start)))
}

pub fn size(offset: usize) -> TextSize {
    TextSize::new(u32::try_from(offset).unwrap_or(u32::MAX))
}

/// Where each line of a text starts, for turning byte offsets into lines and columns. A line
/// ends at `\n`, `\r\n` or, as in YAML, a lone `\r` (old Mac files). Built with `memchr`: every
/// file with a finding is indexed, so this runs at memory speed.
#[derive(Debug, Clone)]
pub struct LineStarts {
    /// Byte offset of each line's first byte; the first line starts at 0.
    starts: Vec<u32>,
}

impl LineStarts {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let after = |i: usize| u32::try_from(i + 1).unwrap_or(u32::MAX);
        if memchr::memchr(b'\r', bytes).is_none() {
            starts.extend(memchr::memchr_iter(b'\n', bytes).map(after));
        } else {
            // A `\r` right before `\n` is part of that line break, not one of its own.
            let crlf = |i: usize| bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n');
            starts.extend(
                memchr::memchr2_iter(b'\n', b'\r', bytes)
                    .filter(|&i| !crlf(i))
                    .map(after),
            );
        }
        Self { starts }
    }

    /// The 0-based line holding `offset`, and where that line starts.
    fn line_of(&self, offset: u32) -> (usize, u32) {
        // `starts[0]` is 0, so at least one start is at or before any offset.
        let line = self.starts.partition_point(|&start| start <= offset) - 1;
        (line, self.starts[line])
    }
}

/// `text` with its control characters written as escapes (`\x1b`, `\u{9b}`), except those in
/// `keep`: text from a manifest or a config cannot then move a terminal's cursor, clear its
/// screen, set its clipboard or start a CI command.
pub fn escape_controls<'a>(text: &'a str, keep: &[char]) -> std::borrow::Cow<'a, str> {
    let is_escaped = |c: char| c.is_control() && !keep.contains(&c);
    if !text.chars().any(is_escaped) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            _ if !is_escaped(c) => out.push(c),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x80 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// `text` with each control character other than line breaks and tabs replaced by as many
/// `?` as it has bytes: safe for a terminal, and every byte offset still points where it did
/// (for a report that draws the source under its findings).
pub fn mask_controls(text: &str) -> std::borrow::Cow<'_, str> {
    let bytes = text.as_bytes();
    let is_masked = |i: usize, c: char| {
        c.is_control() && c != '\n' && c != '\t' && !(c == '\r' && bytes.get(i + 1) == Some(&b'\n'))
    };
    if !text.char_indices().any(|(i, c)| is_masked(i, c)) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        if is_masked(i, c) {
            out.extend(std::iter::repeat_n('?', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// The line ending a fix should write: the file's own (`\r\n` when its first line ends so).
pub fn line_ending(source: &str) -> &'static str {
    match source.find('\n') {
        Some(i) if source[..i].ends_with('\r') => "\r\n",
        _ => "\n",
    }
}

/// 1-based line and column (in Unicode scalar values) of a byte offset, as people count them.
pub fn line_col(text: &str, lines: &LineStarts, offset: TextSize) -> (u32, u32) {
    let offset = offset.min(size(text.len()));
    let (line, start) = lines.line_of(offset.into());
    let (start, offset) = (start as usize, usize::from(offset));
    let col_chars = text
        .get(start..offset)
        .map_or(offset - start, |s| s.chars().count());
    (line as u32 + 1, col_chars as u32 + 1)
}

/// Whether `needle` occurs in `haystack`, found with vector compares (memchr's `memmem`):
/// for a test over a whole file, several times cheaper than `str::contains`.
pub fn contains(haystack: &str, needle: &str) -> bool {
    memchr::memmem::find(haystack.as_bytes(), needle.as_bytes()).is_some()
}

/// Lines and columns of a few offsets of one text, asked for in about ascending order (a
/// file's findings): each answer counts the line breaks between the previous offset and this
/// one, so a text is scanned once at most, up to its last finding, and never indexed line by
/// line. A text with a `\r` anywhere (a lone `\r` ends a line too) is indexed whole instead.
pub struct LineCursor<'a> {
    text: &'a str,
    /// The offset asked for last, and its 0-based line.
    at: std::cell::Cell<(usize, usize)>,
    indexed: Option<LineStarts>,
}

impl<'a> LineCursor<'a> {
    pub fn new(text: &'a str) -> Self {
        let indexed = memchr::memchr(b'\r', text.as_bytes()).map(|_| LineStarts::new(text));
        Self {
            text,
            at: std::cell::Cell::new((0, 0)),
            indexed,
        }
    }

    /// As [`line_col`]: 1-based line and column (in Unicode scalar values) of `offset`.
    pub fn line_col(&self, offset: TextSize) -> (u32, u32) {
        if let Some(lines) = &self.indexed {
            return line_col(self.text, lines, offset);
        }
        let bytes = self.text.as_bytes();
        let offset = usize::from(offset).min(bytes.len());
        let (from, line) = self.at.get();
        let line = if offset >= from {
            line + line_breaks(&bytes[from..offset])
        } else {
            line - line_breaks(&bytes[offset..from])
        };
        self.at.set((offset, line));
        let start = memchr::memrchr(b'\n', &bytes[..offset]).map_or(0, |i| i + 1);
        let column = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        (line as u32 + 1, column as u32 + 1)
    }
}

/// How many `\n` `bytes` holds (memchr counts them with vector compares).
fn line_breaks(bytes: &[u8]) -> usize {
    memchr::memchr_iter(b'\n', bytes).count()
}

/// Converts the YAML parser's character indices into byte offsets.
///
/// The parser reports positions in characters. Its events arrive almost in order, so a cursor
/// that walks from the previous position costs next to nothing; ASCII text needs no walk at all.
pub struct CharToByte<'a> {
    text: &'a str,
    ascii: bool,
    char_pos: usize,
    byte_pos: usize,
}

impl<'a> CharToByte<'a> {
    pub fn new(text: &'a str) -> Self {
        Self {
            text,
            ascii: text.is_ascii(),
            char_pos: 0,
            byte_pos: 0,
        }
    }

    /// The byte offset of the character at `char_index`.
    #[inline]
    pub fn byte(&mut self, char_index: usize) -> usize {
        // Manifests are nearly always ASCII: the walk below stays out of the parse loop.
        if self.ascii {
            return char_index.min(self.text.len());
        }
        self.walk_to(char_index)
    }

    #[inline(never)]
    fn walk_to(&mut self, char_index: usize) -> usize {
        if char_index >= self.char_pos {
            let delta = char_index - self.char_pos;
            let rest = &self.text[self.byte_pos..];
            let advance = rest
                .char_indices()
                .nth(delta)
                .map_or(rest.len(), |(b, _)| b);
            self.byte_pos += advance;
            self.char_pos = if advance == rest.len() {
                self.char_pos + rest.chars().count()
            } else {
                char_index
            };
        } else {
            let delta = self.char_pos - char_index;
            let before = &self.text[..self.byte_pos];
            let back = before
                .char_indices()
                .rev()
                .nth(delta - 1)
                .map_or(0, |(b, _)| b);
            self.byte_pos = back;
            self.char_pos = char_index;
        }
        self.byte_pos
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_indices_become_byte_offsets_in_both_directions() {
        let text = "café: ü🎉x";
        let mut conv = CharToByte::new(text);
        let pairs: Vec<(usize, usize)> = text
            .char_indices()
            .enumerate()
            .map(|(c, (b, _))| (c, b))
            .collect();
        for &(char_index, byte) in pairs.iter().rev() {
            assert_eq!(conv.byte(char_index), byte);
        }
        for (char_index, (byte, _)) in text.char_indices().enumerate() {
            assert_eq!(conv.byte(char_index), byte);
        }
        assert_eq!(conv.byte(text.chars().count()), text.len());
        assert_eq!(conv.byte(1000), text.len());
    }

    #[test]
    fn line_breaks_are_counted_past_what_a_byte_tally_holds() {
        // Every byte a line break, then every third: each tally would overflow unemptied.
        for text in ["\n".repeat(20_000), "ab\n".repeat(7_000)] {
            for end in [0, 1, 31, 32, 33, 8_159, 8_160, 8_161, text.len()] {
                let expected = text.as_bytes()[..end]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count();
                assert_eq!(line_breaks(&text.as_bytes()[..end]), expected, "{end}");
            }
        }
    }

    #[test]
    fn the_cursor_agrees_with_the_index_in_any_order() {
        for text in [
            "",
            "a",
            "a: 1\n\nb: é🎉\n  c: x\n",
            "x: 1\r\ny: ü\rz: 2\n",
            "\n\n\n",
        ] {
            let index = LineStarts::new(text);
            let cursor = LineCursor::new(text);
            let offsets: Vec<usize> = (0..=text.len() + 2).collect();
            let shuffled = offsets.iter().rev().chain(offsets.iter().step_by(3));
            for &offset in offsets.iter().chain(shuffled) {
                assert_eq!(
                    cursor.line_col(size(offset)),
                    line_col(text, &index, size(offset)),
                    "{text:?} at {offset}"
                );
            }
        }
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line() {
        let text = "a: 1\rb: é\r\nc: 3";
        let index = LineStarts::new(text);
        let c = text.find('c').unwrap();
        let b = text.find('b').unwrap();
        assert_eq!(line_col(text, &index, size(b)), (2, 1));
        assert_eq!(line_col(text, &index, size(c)), (3, 1));
    }

    #[test]
    fn columns_count_characters() {
        let text = "a: é\nname: ü🎉x\n";
        let index = LineStarts::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(line_col(text, &index, size(x)), (2, 9));
    }

    #[test]
    fn offsets_at_and_past_line_breaks() {
        let text = "a\r\nb\n\nc\rd";
        let index = LineStarts::new(text);
        let at = |offset: usize| line_col(text, &index, size(offset));
        // The `\r` and `\n` of a break belong to the line they end.
        assert_eq!([at(1), at(2), at(3)], [(1, 2), (1, 3), (2, 1)]);
        assert_eq!(
            [at(5), at(6), at(7), at(8)],
            [(3, 1), (4, 1), (4, 2), (5, 1)]
        );
        // Past the end: the end.
        assert_eq!(at(100), at(text.len()));
        assert_eq!(line_col("", &LineStarts::new(""), size(0)), (1, 1));
    }
}
