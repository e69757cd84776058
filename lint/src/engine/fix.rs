//! The fix loop: lint, apply the fixes, repeat until nothing changes. Every front end that
//! fixes (`podlint fix`, the editor's fix-all and quick fixes, the tests) comes here, so all
//! share one round limit and the same guards: a fix that would make the file worse (a YAML
//! error, a duplicate key, JSON that is no longer JSON) is dropped and the others are kept,
//! and fixes that undo each other are stopped.

use std::collections::HashSet;

use super::{pass, suppress};
use crate::diagnostic::{Applicability, Diagnostic, Fix};
use crate::rule::Settings;

/// Fixes can enable or reveal other fixes; this bounds the lint → fix loop.
pub const MAX_ROUNDS: usize = 10;

/// What fixing one text came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fixed {
    /// The text after every round.
    pub text: String,
    /// Fixes applied over all rounds (and kept: none from an oscillation).
    pub applied: usize,
    /// Some fixes would have made the file worse (invalid YAML, a duplicate key, broken
    /// JSON), so they were dropped; the others are applied.
    pub refused: bool,
    /// A last round found nothing more to fix (else [`MAX_ROUNDS`] ran out, or the fixes
    /// oscillated).
    pub converged: bool,
    /// A round brought back a text an earlier round had: some fixes undo others. The text is
    /// the one from before they started, and their fixes are not counted.
    pub oscillated: bool,
}

impl Fixed {
    pub(super) fn unchanged(text: String) -> Self {
        Self {
            text,
            applied: 0,
            refused: false,
            converged: true,
            oscillated: false,
        }
    }
}

/// Applies the fixes `settings`' rules offer for `text` (unsafe ones too when asked) until a
/// round changes nothing or [`MAX_ROUNDS`] have run. The file is linted alone, without the
/// cross-object rules (none of them offers a fix); findings of suppressed rules are not fixed.
pub fn fix_text(text: &str, settings: &Settings, unsafe_fixes: bool) -> Fixed {
    fix_with(text, unsafe_fixes, |current| {
        lint_for_fixes(current, settings)
    })
}

fn fix_with(text: &str, unsafe_fixes: bool, lint: impl Fn(&str) -> Vec<Diagnostic>) -> Fixed {
    let mut fixed = Fixed::unchanged(text.to_string());
    fixed.converged = false;
    // Every text a round started from, and the fixes applied before it.
    let mut history: Vec<(String, usize)> = Vec::new();
    let mut seen: HashSet<u64> = HashSet::new();
    seen.insert(hash(text));
    for _ in 0..MAX_ROUNDS {
        let findings = lint(&fixed.text);
        let fixes: Vec<&Fix> = findings
            .iter()
            .filter_map(|d| d.fix.as_ref())
            .filter(|f| unsafe_fixes || f.applicability != Applicability::Unsafe)
            .collect();
        let (next, applied, refused) = apply_round(&fixed.text, &fixes);
        fixed.refused |= refused;
        if applied == 0 || next == fixed.text {
            fixed.converged = true;
            break;
        }
        if !seen.insert(hash(&next)) {
            // Back to a text seen before: go back to where the cycle began.
            if let Some((before, applied)) = history.into_iter().find(|(t, _)| *t == next) {
                fixed.text = before;
                fixed.applied = applied;
            }
            fixed.oscillated = true;
            return fixed;
        }
        let previous = std::mem::replace(&mut fixed.text, next);
        history.push((previous, fixed.applied));
        fixed.applied += applied;
    }
    fixed
}

/// One round: the text with as many of `fixes` applied as fit together without making the
/// file worse, how many were applied, and whether any was dropped for making it worse.
fn apply_round(text: &str, fixes: &[&Fix]) -> (String, usize, bool) {
    let before = Health::of(text);
    let (next, applied) = crate::fix::apply_fixes(text, fixes);
    if applied.is_empty() || Health::of(&next).no_worse_than(&before) {
        return (next, applied.len(), false);
    }
    // Some fix (or some pair) does harm: find it by halves, so one bad fix costs only itself
    // and a few parses, however many fixes the file has.
    let together: Vec<&Fix> = applied.iter().map(|&i| fixes[i]).collect();
    let kept = harmless(text, &before, &together);
    let (result, _) = crate::fix::apply_fixes(text, &kept);
    (result, kept.len(), true)
}

/// The fixes of `fixes` (which do not overlap) that can be applied together without making
/// `text` worse than `before`.
fn harmless<'f>(text: &str, before: &Health, fixes: &[&'f Fix]) -> Vec<&'f Fix> {
    let sound = |set: &[&Fix]| {
        let (fixed, kept) = crate::fix::apply_fixes(text, set);
        kept.len() == set.len() && Health::of(&fixed).no_worse_than(before)
    };
    if fixes.is_empty() || sound(fixes) {
        return fixes.to_vec();
    }
    if fixes.len() == 1 {
        return Vec::new();
    }
    let (left, right) = fixes.split_at(fixes.len() / 2);
    let kept = harmless(text, before, left);
    let right = harmless(text, before, right);
    let mut both = kept.clone();
    both.extend(&right);
    if sound(&both) {
        return both;
    }
    // Harmless apart, harmful together: the right half waits for the next round.
    kept
}

/// `text` with one fix applied, unless that makes the file worse (an editor's quick fix).
pub fn apply_checked(text: &str, fix: &Fix) -> Option<String> {
    let next = crate::fix::apply_one(text, fix)?;
    Health::of(&next)
        .no_worse_than(&Health::of(text))
        .then_some(next)
}

/// What a fix must not make worse.
struct Health {
    parse_errors: usize,
    duplicate_keys: usize,
    json: bool,
}

impl Health {
    fn of(text: &str) -> Self {
        let parsed = crate::syntax::parse(text);
        Self {
            parse_errors: parsed.errors.len(),
            duplicate_keys: parsed.documents.iter().map(duplicate_keys).sum(),
            json: crate::syntax::is_json(text),
        }
    }

    fn no_worse_than(&self, before: &Self) -> bool {
        self.parse_errors <= before.parse_errors
            && self.duplicate_keys <= before.duplicate_keys
            && (self.json || !before.json)
    }
}

/// Keys written more than once in one mapping, over the whole document.
fn duplicate_keys(doc: &crate::syntax::Document<'_>) -> usize {
    let mut count = 0;
    let mut keys: HashSet<&str> = HashSet::new();
    for node in doc.nodes() {
        if node.is_alias() || !node.is_mapping() {
            continue;
        }
        keys.clear();
        for (key, _) in node.entries() {
            if let Some(name) = key.as_str() {
                count += usize::from(!keys.insert(name));
            }
        }
    }
    count
}

fn hash(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut hasher);
    hasher.finish()
}

/// Every finding of the file alone, after suppressions. The cross-object rules see the file
/// as a part of the project: only what it shows (`pod-security` at the configured level, a
/// Namespace's labels) finds something to fix, never what other files might hold.
fn lint_for_fixes(text: &str, settings: &Settings) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let mut facts = crate::project::FileFacts::default();
    let mut suppressions = pass::lint(text, settings, None, &mut diagnostics, &mut facts);
    let cross_object = super::project::check_facts(&[&facts], &[settings], super::FileSet::Partial);
    diagnostics.extend(cross_object.into_iter().flatten());
    suppress::defer_cross_object(&mut suppressions, settings);
    suppress::apply(&mut suppressions, settings, &mut diagnostics);
    if !suppressions.is_empty() {
        super::run_suppression_rules(text, settings, &suppressions, &mut diagnostics);
    }
    diagnostics
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Category, Edit, Severity};
    use crate::text;

    /// A lint that offers one fix: replace the first `x` with `replacement`.
    fn offer(replacement: &'static str) -> impl Fn(&str) -> Vec<Diagnostic> {
        move |current: &str| {
            let Some(at) = current.find('x') else {
                return Vec::new();
            };
            let range = text::range(at, at + 1);
            let mut d = Diagnostic::new("demo", Category::Style, Severity::Info, range, "an x");
            d.fix(Fix::safe(
                "replace x",
                vec![Edit::replace(range, replacement)],
            ));
            vec![d]
        }
    }

    #[test]
    fn repeats_until_nothing_changes() {
        let fixed = fix_with("a: x\nb: x\n", false, offer("y"));
        assert_eq!(fixed.text, "a: y\nb: y\n");
        assert_eq!(fixed.applied, 2);
        assert!(!fixed.refused && fixed.converged);
    }

    #[test]
    fn stops_after_the_round_limit() {
        // Each round's fix brings the next `x` back: a fix that never converges.
        let fixed = fix_with("a: x\n", false, offer("yx"));
        assert_eq!(fixed.applied, MAX_ROUNDS);
        assert!(!fixed.converged);
    }

    #[test]
    fn a_fix_that_breaks_the_yaml_is_refused_and_the_text_kept() {
        let fixed = fix_with("a: x\n", false, offer("[unclosed"));
        assert_eq!(fixed.text, "a: x\n");
        assert_eq!((fixed.applied, fixed.refused), (0, true));
    }

    /// A lint that offers one fix per `x`: `bad` for the first, `y` for the others.
    fn one_bad_among_good(bad: &'static str) -> impl Fn(&str) -> Vec<Diagnostic> {
        move |current: &str| {
            current
                .match_indices('x')
                .enumerate()
                .map(|(n, (at, _))| {
                    let range = text::range(at, at + 1);
                    let mut d =
                        Diagnostic::new("demo", Category::Style, Severity::Info, range, "an x");
                    let replacement = if n == 0 { bad } else { "y" };
                    d.fix(Fix::safe(
                        "replace x",
                        vec![Edit::replace(range, replacement)],
                    ));
                    d
                })
                .collect()
        }
    }

    #[test]
    fn a_refused_fix_drops_only_itself() {
        let fixed = fix_with("a: x\nb: x\nc: x\n", false, one_bad_among_good("[unclosed"));
        assert_eq!(fixed.text, "a: x\nb: y\nc: y\n");
        assert_eq!((fixed.applied, fixed.refused), (2, true));
    }

    #[test]
    fn a_fix_that_writes_a_duplicate_key_is_refused() {
        let fixed = fix_with("a: x\nb: x\n", false, one_bad_among_good("1\nb: 2"));
        assert_eq!(fixed.text, "a: x\nb: y\n");
        assert!(fixed.refused);
    }

    #[test]
    fn json_stays_json() {
        let fixed = fix_with(
            "{\"a\": \"x\", \"b\": \"x\"}",
            false,
            one_bad_among_good("y\""),
        );
        assert_eq!(fixed.text, "{\"a\": \"x\", \"b\": \"y\"}");
        assert!(fixed.refused);
    }

    #[test]
    fn fixes_that_undo_each_other_stop_at_the_first_repeat() {
        // x → y, y → x: the text flips back and forth.
        let flip = |current: &str| {
            let Some(at) = current.find(['x', 'y']) else {
                return Vec::new();
            };
            let range = text::range(at, at + 1);
            let to = if &current[at..=at] == "x" { "y" } else { "x" };
            let mut d = Diagnostic::new("demo", Category::Style, Severity::Info, range, "flip");
            d.fix(Fix::safe("flip", vec![Edit::replace(range, to)]));
            vec![d]
        };
        let fixed = fix_with("a: x\n", false, flip);
        assert!(fixed.oscillated && !fixed.converged);
        assert_eq!((fixed.text.as_str(), fixed.applied), ("a: x\n", 0));
    }

    #[test]
    fn a_quick_fix_that_breaks_the_yaml_is_not_applied() {
        let twice = Fix::safe(
            "twice",
            vec![
                Edit::replace(text::range(3, 4), "y"),
                Edit::replace(text::range(3, 4), "y"),
            ],
        );
        assert_eq!(apply_checked("a: x\n", &twice), None);
        let range = text::range(3, 4);
        let breaking = Fix::safe("break", vec![Edit::replace(range, "[unclosed")]);
        assert_eq!(apply_checked("a: x\n", &breaking), None);
        let fine = Fix::safe("fine", vec![Edit::replace(range, "y")]);
        assert_eq!(apply_checked("a: x\n", &fine).as_deref(), Some("a: y\n"));
    }
}
