//! The fix loop: lint, apply the fixes, repeat until nothing changes. Every front end that
//! fixes (`podlint fix`, the editor's fix-all and quick fixes, the tests) comes here, so all
//! share one round limit and one guard: a fix that would make the YAML invalid is refused.

use super::{pass, suppress};
use crate::diagnostic::{Diagnostic, Fix};
use crate::rule::Settings;

/// Fixes can enable or reveal other fixes; this bounds the lint → fix loop.
pub const MAX_ROUNDS: usize = 10;

/// What fixing one text came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fixed {
    /// The text after every round (the input when the fixes were refused).
    pub text: String,
    /// Fixes applied over all rounds.
    pub applied: usize,
    /// The fixes would have made the YAML invalid, so none was kept.
    pub refused: bool,
    /// A last round found nothing more to fix (else [`MAX_ROUNDS`] ran out).
    pub converged: bool,
}

impl Fixed {
    pub(super) fn unchanged(text: String) -> Self {
        Self {
            text,
            applied: 0,
            refused: false,
            converged: true,
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
    let mut current = text.to_string();
    let mut applied = 0;
    let mut converged = false;
    for _ in 0..MAX_ROUNDS {
        let findings = lint(&current);
        let (next, n) = crate::fix::apply(&current, &findings, unsafe_fixes);
        if n == 0 || next == current {
            converged = true;
            break;
        }
        current = next;
        applied += n;
    }
    if current != text && parse_errors(&current) > parse_errors(text) {
        return Fixed {
            text: text.to_string(),
            applied: 0,
            refused: true,
            converged,
        };
    }
    Fixed {
        text: current,
        applied,
        refused: false,
        converged,
    }
}

/// `text` with one fix applied, unless that makes the YAML invalid (an editor's quick fix).
pub fn apply_checked(text: &str, fix: &Fix) -> Option<String> {
    let next = crate::fix::apply_one(text, fix)?;
    (parse_errors(&next) <= parse_errors(text)).then_some(next)
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

fn parse_errors(text: &str) -> usize {
    crate::syntax::parse(text).errors.len()
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

    #[test]
    fn a_quick_fix_that_breaks_the_yaml_is_not_applied() {
        let range = text::range(3, 4);
        let breaking = Fix::safe("break", vec![Edit::replace(range, "[unclosed")]);
        assert_eq!(apply_checked("a: x\n", &breaking), None);
        let fine = Fix::safe("fine", vec![Edit::replace(range, "y")]);
        assert_eq!(apply_checked("a: x\n", &fine).as_deref(), Some("a: y\n"));
    }
}
