//! The engine: the one place where files become findings. `podlint check`, `podlint fix`, the
//! language server and the tests all go through it.
//!
//! ```text
//! check_file(bytes, settings) ─┐                        (each file alone, in parallel)
//! fix_file(bytes, settings)  ──┴─► FilePass ─┐
//!                                  FilePass ─┼─► finish(passes) ─► Vec<FileReport>
//!                                  FilePass ─┘   (cross-object rules over every file's facts,
//!                                                 suppressions, severities, order)
//!
//! check_rendered(build, settings) ─► FilePass ─► finish ─► relocate ─► a report per source
//!                                  (a kustomize build or helm stream, mapped back to the
//!                                   bases, patches and templates it came from)
//! ```
//!
//! A [`FilePass`] keeps its findings to itself: the only way to them is [`finish`], so no
//! front end can skip the cross-object rules or the suppressions.

mod fix;
mod guard;
mod later;
mod pass;
mod project;
mod read_ahead;
mod rendered;
mod suppress;

use std::sync::Arc;

pub use crate::project::FileSet;
pub use fix::{apply_checked, fix_text, Fixed, MAX_ROUNDS};
pub use later::{cross_object, finish_alone, position_key, ParkedSet, Pending};
pub use rendered::check_rendered;
pub use suppress::IGNORE_ANNOTATION;

use crate::diagnostic::Diagnostic;
use crate::project::FileFacts;
use crate::rule::{Context, Settings, Stage, Suppression};
use crate::source;

/// One file after the stages that need only the file itself.
pub struct FilePass {
    text: String,
    settings: Arc<Settings>,
    diagnostics: Vec<Diagnostic>,
    facts: FileFacts,
    suppressions: Vec<Suppression>,
    fixed: Option<Fixed>,
}

impl FilePass {
    /// The text linted (a lossy copy when the bytes were not UTF-8).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// What [`fix_file`] did; `None` after [`check_file`].
    pub fn fixed(&self) -> Option<&Fixed> {
        self.fixed.as_ref()
    }
}

/// One file's findings after every stage: sorted by position, then rule name.
#[derive(Debug)]
pub struct FileReport {
    /// The text the findings' ranges point into (after fixes, for `fix_file`).
    pub text: String,
    pub diagnostics: Vec<Diagnostic>,
    /// What `fix_file` did; `None` for `check_file`.
    pub fixed: Option<Fixed>,
}

/// Lints one file of a set. Cross-object rules and suppressions wait for [`finish`].
pub fn check_file(bytes: &[u8], settings: Arc<Settings>) -> FilePass {
    match source::decode(bytes) {
        Ok(text) => pass::run(text.into_owned(), settings, None),
        Err(undecodable) => {
            let (lossy, error) = *undecodable;
            pass::run(lossy, settings, Some(&error))
        }
    }
}

/// Lints a kustomize patch file: its strategic-merge directives (`$patch: delete`…) are read
/// as comments, since they are instructions to kustomize and not fields, and the report shows
/// the file as written. The settings should be a patch's (`config::partial::for_patch`).
pub fn check_patch(bytes: &[u8], settings: Arc<Settings>) -> FilePass {
    let Ok(text) = source::decode(bytes) else {
        return check_file(bytes, settings);
    };
    match crate::sourcemap::kustomization::mask_directives(&text) {
        None => pass::run(text.into_owned(), settings, None),
        Some(masked) => {
            // Same length, `$` for `#`: every range found in the masked text fits the file.
            let mut pass = pass::run(masked, settings, None);
            pass.text = text.into_owned();
            pass
        }
    }
}

/// Applies the fixes the file's rules offer (unsafe ones too when asked) until a round changes
/// nothing or [`MAX_ROUNDS`] have run, then lints the result as [`check_file`] does. Fixes
/// that would make the YAML invalid are all refused. A file that cannot be decoded is left as
/// it is.
pub fn fix_file(bytes: &[u8], settings: Arc<Settings>, unsafe_fixes: bool) -> FilePass {
    let Ok(text) = source::decode(bytes) else {
        let mut pass = check_file(bytes, settings);
        pass.fixed = Some(Fixed::unchanged(pass.text.clone()));
        return pass;
    };
    let fixed = fix::fix_text(&text, &settings, unsafe_fixes);
    let mut pass = pass::run(fixed.text.clone(), settings, None);
    pass.fixed = Some(fixed);
    pass
}

/// Finishes a set of files linted together as the whole project ([`FileSet::Whole`]); see
/// [`finish_set`].
pub fn finish(passes: Vec<FilePass>) -> Vec<FileReport> {
    finish_set(passes, FileSet::Whole)
}

/// Finishes a set of files linted together: runs the cross-object rules over all of them,
/// applies each file's suppressions (reporting those that suppressed nothing) and configured
/// severities, and sorts each file's findings. Reports come back in the order of `passes`.
///
/// `set` says whether the files are every manifest there is (a directory walk) or a part
/// (files named one by one, as pre-commit passes them; an editor's buffer): over a part,
/// the cross-object rules that report something *missing* say nothing, since what is
/// missing here may be in a file not given.
pub fn finish_set(passes: Vec<FilePass>, set: FileSet) -> Vec<FileReport> {
    let by_file = project::check(&passes, set);
    passes
        .into_iter()
        .zip(by_file)
        .map(|(pass, found)| {
            let (mut report, mut pending) = later::finish_alone(pass);
            if !found.is_empty() {
                let found = later::finish_cross_object(&mut pending, found);
                report.diagnostics = later::merge(std::mem::take(&mut report.diagnostics), found);
            }
            report
        })
        .collect()
}

/// Lints one text alone, as part of a project whose other files are not at hand (an editor's
/// buffer): cross-object rules report what they see, never what is missing.
pub fn lint(text: &str, settings: &Settings) -> Vec<Diagnostic> {
    lint_set(text, settings, FileSet::Partial)
}

/// Lints one text that is a whole project by itself (rule tests, a rendered chart).
pub fn lint_whole(text: &str, settings: &Settings) -> Vec<Diagnostic> {
    lint_set(text, settings, FileSet::Whole)
}

fn lint_set(text: &str, settings: &Settings, set: FileSet) -> Vec<Diagnostic> {
    let pass = pass::run(text.to_string(), Arc::new(settings.clone()), None);
    finish_set(vec![pass], set)
        .pop()
        .map(|r| r.diagnostics)
        .unwrap_or_default()
}

/// Lints one file's bytes as a whole project: the encoding is checked first.
pub fn lint_bytes(bytes: &[u8], settings: &Settings) -> FileReport {
    let pass = check_file(bytes, Arc::new(settings.clone()));
    finish(vec![pass]).pop().expect("one report per pass")
}

/// The suppression stage: rules that look at which suppressions were used.
fn run_suppression_rules(
    text: &str,
    settings: &Settings,
    suppressions: &[Suppression],
    diagnostics: &mut Vec<Diagnostic>,
) {
    for (index, meta) in settings.registry().iter().enumerate() {
        if let crate::rule::Hook::Suppression(check) = meta.hook {
            if settings.is_enabled_at(index) {
                check(
                    suppressions,
                    &mut Context::new(text, settings, meta, diagnostics),
                );
            }
        }
    }
}

/// Applies configured severities, sorts by position then rule, and drops duplicates.
fn order(mut diagnostics: Vec<Diagnostic>, settings: &Settings) -> Vec<Diagnostic> {
    let registry = settings.registry();
    for d in &mut diagnostics {
        // A configured severity wins; otherwise a rule may have softened one finding below
        // its default (a likely problem rather than a certain one).
        if let Some(index) = settings.rule_index(d.rule) {
            let configured = settings.severity_at(index);
            if configured != registry[index].severity {
                d.severity = configured;
            }
        }
    }
    diagnostics.sort_by(|a, b| {
        (a.range.start(), a.range.end(), a.rule).cmp(&(b.range.start(), b.range.end(), b.rule))
    });
    diagnostics.dedup();
    diagnostics
}

/// Whether any enabled rule runs at `stage`.
fn any_enabled(settings: &Settings, stage: Stage) -> bool {
    settings
        .registry()
        .iter()
        .enumerate()
        .any(|(i, r)| r.stage() == stage && settings.is_enabled_at(i))
}
