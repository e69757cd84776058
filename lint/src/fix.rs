//! Applying fixes to text: only inside their edits, never two that overlap.

pub mod edits;

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};

/// The text after applying the fixes of `diagnostics` that `unsafe_fixes` allows, and how
/// many fixes were applied. A fix whose edits overlap one already taken is left for the next
/// round (the caller re-lints and tries again); a fix that is not well formed (see
/// [`well_formed`]) is never applied.
pub fn apply(text: &str, diagnostics: &[Diagnostic], unsafe_fixes: bool) -> (String, usize) {
    let fixes: Vec<&Fix> = diagnostics
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .filter(|f| unsafe_fixes || f.applicability != Applicability::Unsafe)
        .collect();
    let (text, applied) = apply_fixes(text, &fixes);
    (text, applied.len())
}

/// Applies as many of `fixes` as fit together, in order, and says which were applied (their
/// indices in `fixes`).
pub fn apply_fixes(text: &str, fixes: &[&Fix]) -> (String, Vec<usize>) {
    let mut taken: Vec<&Edit> = Vec::new();
    let mut applied = Vec::new();
    for (index, fix) in fixes.iter().enumerate() {
        if !well_formed(text, fix) {
            continue;
        }
        let clashes = fix
            .edits
            .iter()
            .any(|e| taken.iter().any(|t| overlaps(e, t)));
        if clashes {
            continue;
        }
        taken.extend(&fix.edits);
        applied.push(index);
    }
    taken.sort_by_key(|e| (e.range.start(), e.range.end()));
    (splice(text, &taken), applied)
}

/// The text after applying one fix, or `None` when it is not well formed.
pub fn apply_one(text: &str, fix: &Fix) -> Option<String> {
    if !well_formed(text, fix) {
        return None;
    }
    let mut edits: Vec<&Edit> = fix.edits.iter().collect();
    edits.sort_by_key(|e| (e.range.start(), e.range.end()));
    Some(splice(text, &edits))
}

/// Whether a fix can be applied to `text` as it stands: every edit inside the text on
/// character boundaries, and no two edits overlapping or inserting at the same point (the
/// same edit twice, say, when a rule reached one node through two aliases). A fix that fails
/// this is a bug in its rule; it is dropped rather than applied half or twice.
pub fn well_formed(text: &str, fix: &Fix) -> bool {
    let inside = |e: &Edit| {
        let (start, end) = (usize::from(e.range.start()), usize::from(e.range.end()));
        end <= text.len() && text.is_char_boundary(start) && text.is_char_boundary(end)
    };
    let mut edits: Vec<&Edit> = fix.edits.iter().collect();
    edits.sort_by_key(|e| (e.range.start(), e.range.end()));
    edits.iter().all(|e| inside(e)) && edits.windows(2).all(|pair| !overlaps(pair[0], pair[1]))
}

/// `text` with `edits` (sorted, not overlapping) applied.
fn splice(text: &str, edits: &[&Edit]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut cursor = 0;
    for edit in edits {
        let start = usize::from(edit.range.start());
        out.push_str(&text[cursor..start]);
        out.push_str(&edit.replacement);
        cursor = usize::from(edit.range.end());
    }
    out.push_str(&text[cursor..]);
    out
}

/// Two edits clash when their ranges intersect, or both insert at the same point.
fn overlaps(a: &Edit, b: &Edit) -> bool {
    let (a, b) = (a.range, b.range);
    (a.start() < b.end() && b.start() < a.end()) || a.start() == b.start()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{lint, Settings};

    #[test]
    fn applies_non_overlapping_fixes_and_keeps_the_rest() {
        let text = "apiVersion: apps/v1 # keep me\nkind: Pod\n";
        let diagnostics = lint(text, &Settings::only(&["api-version-kind-mismatch"]));
        let (fixed, n) = apply(text, &diagnostics, false);
        assert_eq!(n, 1);
        assert_eq!(fixed, "apiVersion: v1 # keep me\nkind: Pod\n");
    }

    #[test]
    fn a_fix_with_the_same_edit_twice_is_dropped_not_applied() {
        // Two containers sharing one list through an alias once gave one fix the same edit
        // twice, and the applier sliced backwards.
        let edit = Edit::replace(crate::text::range(3, 4), "y");
        let twice = Fix::safe("twice", vec![edit.clone(), edit]);
        assert!(!well_formed("a: x\n", &twice));
        assert_eq!(apply_one("a: x\n", &twice), None);
        let (text, applied) = apply_fixes("a: x\n", &[&twice]);
        assert_eq!((text.as_str(), applied.len()), ("a: x\n", 0));
        let nested = Fix::safe(
            "nested",
            vec![
                Edit::replace(crate::text::range(0, 4), "b: y"),
                Edit::replace(crate::text::range(2, 3), "z"),
            ],
        );
        assert_eq!(apply_one("a: x\n", &nested), None);
        let outside = Fix::safe("outside", vec![Edit::insert(crate::text::size(99), "z")]);
        assert_eq!(apply_one("a: x\n", &outside), None);
    }
}
