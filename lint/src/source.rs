//! From bytes to text: encoding checks before anything parses.

use std::borrow::Cow;

use crate::text::{self, TextRange};

/// Why a file's bytes are not text to lint, and where (in the lossy copy). `invalid-yaml`
/// reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    pub range: TextRange,
    pub message: String,
    pub help: Option<String>,
}

impl DecodeError {
    fn new(range: TextRange, message: impl Into<String>, help: &str) -> Self {
        Self {
            range,
            message: message.into(),
            help: Some(help.into()),
        }
    }
}

/// Decodes a file's bytes. Text that is not UTF-8 yields the problem and a lossy copy (so a
/// report can still show where the problem is) instead of a lint. The copy has exactly the
/// file's bytes wherever they are UTF-8 and one `?` for each byte that is not, so every offset,
/// line and column of a finding is the file's own.
pub fn decode(bytes: &[u8]) -> Result<Cow<'_, str>, Box<(String, DecodeError)>> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        let d = DecodeError::new(
            text::range(0, 2),
            "this file is UTF-16; Kubernetes reads manifests as UTF-8",
            "re-save the file as UTF-8 (for example `iconv -f UTF-16 -t UTF-8`)",
        );
        return Err(Box::new((lossy(bytes), d)));
    }
    if let Some(nul) = memchr::memchr(0, bytes) {
        let d = if nul < BINARY_SNIFF {
            DecodeError::new(
                text::range(nul, nul + 1),
                "this is a binary file, not a YAML manifest (it contains NUL bytes)",
                "exclude it from the paths podlint checks",
            )
        } else {
            DecodeError::new(
                text::range(nul, nul + 1),
                format!("this file has a NUL byte (byte {nul}), which YAML does not allow"),
                "remove the NUL byte; a file joined with a binary one, or a broken download, is the usual cause",
            )
        };
        return Err(Box::new((lossy(bytes), d)));
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(Cow::Borrowed(text)),
        Err(error) => {
            let at = error.valid_up_to();
            let len = error.error_len().unwrap_or(bytes.len() - at);
            let d = DecodeError::new(
                text::range(at, at + len),
                format!(
                    "this file is not valid UTF-8 (byte {at}); Kubernetes reads manifests as UTF-8"
                ),
                "re-save the file as UTF-8; a Latin-1 editor setting is the usual cause",
            );
            Err(Box::new((lossy(bytes), d)))
        }
    }
}

/// How far a NUL byte marks a file as binary rather than a manifest with a stray NUL.
const BINARY_SNIFF: usize = 8192;

/// The bytes as text, each byte that is not UTF-8 shown as `?`: the same length, so offsets
/// into it are offsets into the file.
fn lossy(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        out.extend(std::iter::repeat_n('?', chunk.invalid().len()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The problem's range, which must lie inside the file's bytes, and the lossy text.
    fn problem(bytes: &[u8]) -> (std::ops::Range<usize>, String) {
        let (text, error) = *decode(bytes).unwrap_err();
        assert_eq!(text.len(), bytes.len(), "offsets are the file's own");
        let range = usize::from(error.range.start())..usize::from(error.range.end());
        assert!(range.end <= bytes.len());
        (range, text)
    }

    #[test]
    fn latin1_is_pointed_at_its_byte_inside_the_file() {
        let (range, text) = problem(b"name: caf\xe9\n");
        assert_eq!(range, 9..10);
        assert_eq!(text, "name: caf?\n");
        let (range, _) = problem(b"name: caf\xe9");
        assert_eq!(range, 9..10);
    }

    #[test]
    fn utf16_is_pointed_at_its_byte_order_mark() {
        let bytes = b"\xff\xfea\x00:\x00";
        let (text, error) = *decode(bytes).unwrap_err();
        assert_eq!(text.len(), bytes.len());
        assert_eq!(error.range, text::range(0, 2));
        // Line and column agree with the offset: the mark is two columns of line 1.
        let index = text::LineStarts::new(&text);
        assert_eq!(text::line_col(&text, &index, error.range.end()), (1, 3));
    }

    #[test]
    fn a_late_nul_is_pointed_at_itself() {
        let mut bytes = b"kind: Pod\n".repeat(1000);
        bytes.extend_from_slice(b"\tname: a\x00b\n");
        let at = bytes.iter().position(|&b| b == 0).unwrap();
        let (text, error) = *decode(&bytes).unwrap_err();
        assert_eq!(usize::from(error.range.start()), at);
        assert!(error.message.contains("NUL byte"), "{}", error.message);
        assert!(!error.help.unwrap().contains("tab"));
        assert_eq!(text.len(), bytes.len());
        let (range, _) = problem(b"\x00\x01binary");
        assert_eq!(range, 0..1);
    }
}
