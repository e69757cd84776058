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
/// report can still show where the problem is) instead of a lint.
pub fn decode(bytes: &[u8]) -> Result<Cow<'_, str>, Box<(String, DecodeError)>> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        let lossy = String::from_utf8_lossy(bytes).into_owned();
        // Point at the byte-order mark as the lossy text shows it (two replacement characters).
        let mark = lossy.char_indices().nth(2).map_or(lossy.len(), |(i, _)| i);
        let d = DecodeError::new(
            text::range(0, mark),
            "this file is UTF-16; Kubernetes reads manifests as UTF-8",
            "re-save the file as UTF-8 (for example `iconv -f UTF-16 -t UTF-8`)",
        );
        return Err(Box::new((lossy, d)));
    }
    let sniff = &bytes[..bytes.len().min(8192)];
    if let Some(nul) = sniff.iter().position(|&b| b == 0) {
        let lossy = String::from_utf8_lossy(&bytes[..nul]).into_owned();
        let at = lossy.len();
        let d = DecodeError::new(
            text::range(at, at),
            "this is a binary file, not a YAML manifest (it contains NUL bytes)",
            "exclude it from the paths podlint checks",
        );
        return Err(Box::new((lossy, d)));
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(Cow::Borrowed(text)),
        Err(error) => {
            let at = error.valid_up_to();
            let lossy = String::from_utf8_lossy(bytes).into_owned();
            let len = lossy[at..].chars().next().map_or(0, char::len_utf8);
            let d = DecodeError::new(
                text::range(at, at + len),
                format!(
                    "this file is not valid UTF-8 (byte {at}); Kubernetes reads manifests as UTF-8"
                ),
                "re-save the file as UTF-8; a Latin-1 editor setting is the usual cause",
            );
            Err(Box::new((lossy, d)))
        }
    }
}
