//! Invariants every fuzz target checks after linting, and the "fix, then re-parse" oracle.

use podlint_lint::{Diagnostic, Settings};

pub fn check_invariants(text: &str, diagnostics: &[Diagnostic], settings: &Settings) {
    let len = text.len();
    for d in diagnostics {
        assert!(
            usize::from(d.range.end()) <= len,
            "range out of text: {d:?}"
        );
        assert!(text.is_char_boundary(d.range.start().into()));
        assert!(text.is_char_boundary(d.range.end().into()));
        for l in &d.labels {
            assert!(usize::from(l.range.end()) <= len);
        }
        if let Some(fix) = &d.fix {
            // Inside the text, on character boundaries, no two edits overlapping.
            assert!(
                podlint_lint::fix::well_formed(text, fix),
                "malformed fix: {d:?}"
            );
        }
    }
    check_fix(text, settings);
}

/// After every fix, unsafe ones included: the file parses as well as before, has no new
/// duplicate key, is still JSON if it was, and linting the result never panics.
pub fn check_fix(text: &str, settings: &Settings) {
    let fixed = podlint_lint::engine::fix_text(text, settings, true);
    let parse = |t: &str| podlint_lint::syntax::parse(t).errors.len();
    let duplicates = |t: &str| podlint_lint::lint(t, &Settings::only(&["duplicate-key"])).len();
    assert!(
        parse(&fixed.text) <= parse(text),
        "a fix broke the YAML:\n--- before\n{text}\n--- after\n{}",
        fixed.text
    );
    assert!(
        duplicates(&fixed.text) <= duplicates(text),
        "a fix wrote a duplicate key:\n--- before\n{text}\n--- after\n{}",
        fixed.text
    );
    if podlint_lint::syntax::is_json(text) {
        assert!(
            podlint_lint::syntax::is_json(&fixed.text),
            "no longer JSON:\n{}",
            fixed.text
        );
    }
    let _ = podlint_lint::lint(&fixed.text, settings);
}
