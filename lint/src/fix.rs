//! Applying fixes to text: only inside their edits, never two that overlap.

pub mod edits;

use crate::diagnostic::{Applicability, Diagnostic, Edit};

/// The text after applying the fixes of `diagnostics` that `unsafe_fixes` allows, and how
/// many fixes were applied. A fix whose edits overlap one already taken is left for the next
/// round (the caller re-lints and tries again).
pub fn apply(text: &str, diagnostics: &[Diagnostic], unsafe_fixes: bool) -> (String, usize) {
    let mut taken: Vec<&Edit> = Vec::new();
    let mut applied = 0;
    for fix in diagnostics.iter().filter_map(|d| d.fix.as_ref()) {
        if fix.applicability == Applicability::Unsafe && !unsafe_fixes {
            continue;
        }
        let clashes = fix
            .edits
            .iter()
            .any(|e| taken.iter().any(|t| overlaps(e, t)));
        if clashes
            || fix
                .edits
                .iter()
                .any(|e| usize::from(e.range.end()) > text.len())
        {
            continue;
        }
        taken.extend(&fix.edits);
        applied += 1;
    }
    taken.sort_by_key(|e| (e.range.start(), e.range.end()));
    let mut out = String::with_capacity(text.len());
    let mut cursor = 0;
    for edit in taken {
        let start = usize::from(edit.range.start());
        out.push_str(&text[cursor..start]);
        out.push_str(&edit.replacement);
        cursor = usize::from(edit.range.end());
    }
    out.push_str(&text[cursor..]);
    (out, applied)
}

/// The text after applying one fix, or `None` when its edits overlap or fall outside it.
pub fn apply_one(text: &str, fix: &crate::diagnostic::Fix) -> Option<String> {
    let mut edits: Vec<&Edit> = fix.edits.iter().collect();
    edits.sort_by_key(|e| (e.range.start(), e.range.end()));
    let mut out = String::with_capacity(text.len());
    let mut cursor = 0;
    for edit in edits {
        let (start, end) = (
            usize::from(edit.range.start()),
            usize::from(edit.range.end()),
        );
        if start < cursor
            || end > text.len()
            || !text.is_char_boundary(start)
            || !text.is_char_boundary(end)
        {
            return None;
        }
        out.push_str(&text[cursor..start]);
        out.push_str(&edit.replacement);
        cursor = end;
    }
    out.push_str(&text[cursor..]);
    Some(out)
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
}
