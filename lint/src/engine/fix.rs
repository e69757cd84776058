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
/// round changes nothing or [`MAX_ROUNDS`] have run. The file is linted alone; findings of
/// suppressed rules are not fixed, and a suppression that names a cross-object rule counts as
/// used (its findings need the other files).
pub fn fix_text(text: &str, settings: &Settings, unsafe_fixes: bool) -> Fixed {
    let mut current = text.to_string();
    let mut applied = 0;
    let mut converged = false;
    for _ in 0..MAX_ROUNDS {
        let findings = lint_for_fixes(&current, settings);
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

/// Every finding of the file alone except the cross-object ones, after suppressions.
fn lint_for_fixes(text: &str, settings: &Settings) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let mut facts = crate::project::FileFacts::default();
    let mut suppressions = pass::lint(text, settings, None, &mut diagnostics, &mut facts);
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
