//! The project stage: cross-object rules over the facts of every file linted together, each
//! file with its own settings (which rules run there).

use super::FilePass;
use crate::diagnostic::Diagnostic;
use crate::project::{FileFacts, FileSet, Project};
use crate::rule::{Hook, ProjectContext, Settings};

/// Each file's cross-object findings, in the order of `passes`.
pub(super) fn check(passes: &[FilePass], set: FileSet) -> Vec<Vec<Diagnostic>> {
    let facts: Vec<&FileFacts> = passes.iter().map(|p| &p.facts).collect();
    let settings: Vec<&Settings> = passes.iter().map(|p| &*p.settings).collect();
    check_facts(&facts, &settings, set)
}

/// Each file's cross-object findings, from its facts and settings (parallel slices); `set`
/// says whether they are the whole project.
pub(crate) fn check_facts(
    facts: &[&FileFacts],
    settings: &[&Settings],
    set: FileSet,
) -> Vec<Vec<Diagnostic>> {
    let mut by_file = Vec::with_capacity(facts.len());
    check_facts_each(facts, settings, set, |_, found| by_file.push(found));
    by_file
}

/// Hands each file's cross-object findings to `each` (file index, findings), in ascending file
/// order, as soon as they are made: a caller can render and drop them before the next file's,
/// so only the facts stay in memory. Every file is handed over, with no findings too.
pub(crate) fn check_facts_each(
    facts: &[&FileFacts],
    settings: &[&Settings],
    set: FileSet,
    mut each: impl FnMut(usize, Vec<Diagnostic>),
) {
    let wanted: Vec<usize> = match settings.first() {
        // Every file's settings come from the same registry.
        Some(first) => (0..first.registry().len())
            .filter(|&i| matches!(first.registry()[i].hook, Hook::Project(_)))
            .filter(|&i| settings.iter().any(|s| s.is_enabled_at(i)))
            .collect(),
        None => Vec::new(),
    };
    if wanted.is_empty() {
        (0..facts.len()).for_each(|file| each(file, Vec::new()));
        return;
    }
    debug_assert_eq!(facts.len(), settings.len(), "parallel slices");
    let registry = settings[0].registry();
    let mut project = Project::new(facts, set);
    let mut findings = Vec::new();
    for (file, file_settings) in settings.iter().enumerate().take(facts.len()) {
        project.focus(file);
        for &index in &wanted {
            let meta = registry[index];
            // A finding goes to its file only if that file's settings enable the rule.
            if let (Hook::Project(check), true) = (meta.hook, file_settings.is_enabled_at(index))
            {
                check(
                    &project,
                    &mut ProjectContext::new(meta, &mut findings).with_settings(settings),
                );
            }
        }
        debug_assert!(findings.iter().all(|(at, _)| *at == file));
        each(file, findings.drain(..).map(|(_, d)| d).collect());
    }
}
