//! Invariants every fuzz target checks after linting.

use podlint_lint::{Diagnostic, Settings};

pub fn check_invariants(text: &str, diagnostics: &[Diagnostic], settings: &Settings) {
    let len = text.len();
    for d in diagnostics {
        assert!(usize::from(d.range.end()) <= len, "range out of text: {d:?}");
        assert!(text.is_char_boundary(d.range.start().into()));
        assert!(text.is_char_boundary(d.range.end().into()));
        for l in &d.labels {
            assert!(usize::from(l.range.end()) <= len);
        }
        if let Some(fix) = &d.fix {
            for e in &fix.edits {
                assert!(usize::from(e.range.end()) <= len, "edit out of text: {d:?}");
                assert!(text.is_char_boundary(e.range.start().into()));
                assert!(text.is_char_boundary(e.range.end().into()));
            }
        }
    }
    // Fixes keep a parseable file parseable, and a second lint of the result never panics.
    let was_valid = !diagnostics.iter().any(|d| d.rule == "invalid-yaml");
    let (fixed, _) = podlint_lint::fix::apply(text, diagnostics, true);
    let after = podlint_lint::lint(&fixed, settings);
    if was_valid && !text.contains("{{") {
        assert!(
            !after.iter().any(|d| d.rule == "invalid-yaml"),
            "a fix broke the YAML:\n--- before\n{text}\n--- after\n{fixed}\n{after:?}"
        );
    }
}
