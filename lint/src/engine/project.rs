//! The project stage: cross-object rules over the facts of every file linted together, each
//! file with its own settings (which rules run there).

use super::FilePass;
use crate::diagnostic::Diagnostic;
use crate::project::{FileFacts, Project};
use crate::rule::{Hook, ProjectContext, Settings};

/// Each file's cross-object findings, in the order of `passes`.
pub(super) fn check(passes: &[FilePass]) -> Vec<Vec<Diagnostic>> {
    let facts: Vec<&FileFacts> = passes.iter().map(|p| &p.facts).collect();
    let settings: Vec<&Settings> = passes.iter().map(|p| &*p.settings).collect();
    check_facts(&facts, &settings)
}

/// Each file's cross-object findings, from its facts and settings (parallel slices).
pub(super) fn check_facts(facts: &[&FileFacts], settings: &[&Settings]) -> Vec<Vec<Diagnostic>> {
    let mut by_file: Vec<Vec<Diagnostic>> = facts.iter().map(|_| Vec::new()).collect();
    let Some(first) = settings.first() else {
        return by_file;
    };
    // Every file's settings come from the same registry.
    let registry = first.registry();
    let wanted: Vec<usize> = (0..registry.len())
        .filter(|&i| matches!(registry[i].hook, Hook::Project(_)))
        .filter(|&i| settings.iter().any(|s| s.is_enabled_at(i)))
        .collect();
    if wanted.is_empty() {
        return by_file;
    }
    let project = Project::new(facts);
    let mut findings = Vec::new();
    for index in wanted {
        let meta = registry[index];
        if let Hook::Project(check) = meta.hook {
            check(
                &project,
                &mut ProjectContext::new(meta, &mut findings).with_settings(settings),
            );
        }
    }
    for (file, d) in findings {
        let settings = settings[file];
        if settings
            .rule_index(d.rule)
            .is_some_and(|i| settings.is_enabled_at(i))
        {
            by_file[file].push(d);
        }
    }
    by_file
}
