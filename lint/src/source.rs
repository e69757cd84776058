//! From bytes to text: encoding checks before anything parses.

use std::borrow::Cow;

use crate::diagnostic::Diagnostic;
use crate::rules::{InvalidYaml, RuleMeta};
use crate::text;

/// Decodes a file's bytes. Text that is not UTF-8 yields a diagnostic and a lossy copy (so a
/// report can still show where the problem is) instead of a lint.
pub fn decode(bytes: &[u8]) -> Result<Cow<'_, str>, Box<(String, Diagnostic)>> {
    let meta: &RuleMeta = &InvalidYaml::META;
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        let lossy = String::from_utf8_lossy(bytes).into_owned();
        // Point at the byte-order mark as the lossy text shows it (two replacement characters).
        let mark = lossy.char_indices().nth(2).map_or(lossy.len(), |(i, _)| i);
        let d = Diagnostic::new(
            meta,
            text::range(0, mark),
            "this file is UTF-16; Kubernetes reads manifests as UTF-8",
        )
        .with_help("re-save the file as UTF-8 (for example `iconv -f UTF-16 -t UTF-8`)");
        return Err(Box::new((lossy, d)));
    }
    let sniff = &bytes[..bytes.len().min(8192)];
    if let Some(nul) = sniff.iter().position(|&b| b == 0) {
        let lossy = String::from_utf8_lossy(&bytes[..nul]).into_owned();
        let at = lossy.len();
        let d = Diagnostic::new(
            meta,
            text::range(at, at),
            "this is a binary file, not a YAML manifest (it contains NUL bytes)",
        )
        .with_help("exclude it from the paths podlint checks");
        return Err(Box::new((lossy, d)));
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(Cow::Borrowed(text)),
        Err(error) => {
            let at = error.valid_up_to();
            let lossy = String::from_utf8_lossy(bytes).into_owned();
            let len = lossy[at..].chars().next().map_or(0, char::len_utf8);
            let d = Diagnostic::new(
                meta,
                text::range(at, at + len),
                format!(
                    "this file is not valid UTF-8 (byte {at}); Kubernetes reads manifests as UTF-8"
                ),
            )
            .with_help("re-save the file as UTF-8; a Latin-1 editor setting is the usual cause");
            Err(Box::new((lossy, d)))
        }
    }
}
