//! A source for miette that knows where its lines start. miette finds a span's lines by
//! scanning the text from its first byte, for every label of every finding: a report of one
//! long file grew with the square of its findings. Here each scan starts a few lines before
//! the span instead, and the positions miette gets back are shifted to the whole text's.

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

/// A text with the offset of each of its lines' starts, counted as miette counts lines
/// (`\n`, `\r\n` and a lone `\r` each end one).
pub(crate) struct LineIndexed {
    text: String,
    line_starts: Vec<usize>,
}

impl LineIndexed {
    pub(crate) fn new(text: String) -> Self {
        let bytes = text.as_bytes();
        let mut line_starts = vec![0];
        for (i, &b) in bytes.iter().enumerate() {
            let ends_line = b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
            if ends_line {
                line_starts.push(i + 1);
            }
        }
        Self { text, line_starts }
    }

    /// The index of the line that holds byte `offset`.
    fn line_of(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&start| start <= offset) - 1
    }
}

impl SourceCode for LineIndexed {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        if span.offset() > self.text.len() {
            return self
                .text
                .read_span(span, context_lines_before, context_lines_after);
        }
        // One line more than the context: miette's scan decides some things on the line
        // break just before the span, so that break must be part of what it scans.
        let first = self
            .line_of(span.offset())
            .saturating_sub(context_lines_before + 1);
        let base = self.line_starts[first];
        let shifted = SourceSpan::new((span.offset() - base).into(), span.len());
        let inner = self.text.as_bytes()[base..].read_span(
            &shifted,
            context_lines_before,
            context_lines_after,
        )?;
        Ok(Box::new(MietteSpanContents::new(
            inner.data(),
            SourceSpan::new((inner.span().offset() + base).into(), inner.span().len()),
            inner.line() + first,
            inner.column(),
            inner.line_count() + first,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every span of `text` (findings' spans lie in their text) reads as the plain text
    /// reads it.
    fn same_as_plain(text: &str) {
        let indexed = LineIndexed::new(text.to_string());
        for offset in 0..=text.len() {
            for len in [0, 1, 2, 5, 40]
                .into_iter()
                .filter(|l| offset + l <= text.len())
            {
                for (before, after) in [(0, 0), (1, 1), (2, 0), (0, 2), (3, 3)] {
                    let span = SourceSpan::new(offset.into(), len);
                    let plain = text.read_span(&span, before, after);
                    let ours = indexed.read_span(&span, before, after);
                    match (plain, ours) {
                        (Ok(p), Ok(o)) => {
                            let at = format!("{text:?} {offset}+{len} ({before}, {after})");
                            assert_eq!(p.data(), o.data(), "{at}");
                            assert_eq!(p.span(), o.span(), "{at}");
                            assert_eq!(p.line(), o.line(), "{at}");
                            assert_eq!(p.column(), o.column(), "{at}");
                            assert_eq!(p.line_count(), o.line_count(), "{at}");
                        }
                        (Err(_), Err(_)) => {}
                        (p, o) => panic!(
                            "{text:?} {offset}+{len}: plain {:?}, indexed {:?}",
                            p.is_ok(),
                            o.is_ok()
                        ),
                    }
                }
            }
        }
    }

    #[test]
    fn reads_every_span_as_a_scan_from_the_start_does() {
        same_as_plain("");
        same_as_plain("a: 1\n");
        same_as_plain("a: 1\nb: 2\n\nc:\n  - d\n  - e\nf: 3");
        same_as_plain("a: 1\r\nb: 2\r\n\r\nc: x\r\n");
        same_as_plain("a\rb\r\rc\n\r\nd");
        same_as_plain("\n\n\nx\n\n");
    }
}
