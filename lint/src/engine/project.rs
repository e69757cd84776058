//! The project stage: cross-object rules over the facts of every file linted together, each
//! file with its own settings (which rules run there).

use std::borrow::Cow;
use std::io;

use super::FilePass;
use crate::diagnostic::Diagnostic;
use crate::project::{Directory, FileFacts, FileSet, Part, Project, ReadFacts};
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
    let mut directory = Directory::of(facts);
    let mut read = |file: usize, _: Part| Ok(Cow::Borrowed(facts[file]));
    check_each(&mut directory, &mut read, settings, set, |_, found| {
        by_file.push(found)
    })
    .expect("facts held in memory are read without I/O");
    by_file
}

/// Hands each file's cross-object findings to `each` (file index, findings), in ascending file
/// order, as soon as they are made: a caller can render and drop them before the next file's,
/// so only the `directory` (every file added, sealed) stays in memory. Every file is handed
/// over, with no findings too. `read` gives a file's facts: once or twice to find which pods
/// the selectors select, once to make its findings; the error is the first failure to read
/// them, which ends the stage.
pub(crate) fn check_each<'a>(
    directory: &'a mut Directory,
    read: &'a mut ReadFacts<'a>,
    settings: &[&Settings],
    set: FileSet,
    mut each: impl FnMut(usize, Vec<Diagnostic>),
) -> io::Result<()> {
    let wanted: Vec<usize> = match settings.first() {
        // Every file's settings come from the same registry.
        Some(first) => (0..first.registry().len())
            .filter(|&i| matches!(first.registry()[i].hook, Hook::Project(_)))
            .filter(|&i| settings.iter().any(|s| s.is_enabled_at(i)))
            .collect(),
        None => Vec::new(),
    };
    if wanted.is_empty() {
        (0..settings.len()).for_each(|file| each(file, Vec::new()));
        return Ok(());
    }
    let files = settings.len();
    // Which pods each selector selects: a sweep over every file's facts, and a second for
    // what a few messages list (other namespaces, declared ports) when there are such.
    if directory.has_selectors() {
        for file in 0..files {
            let facts = read(file, Part::Objects)?;
            directory.select(&facts);
        }
        if directory.needs_second_sweep(set == FileSet::Whole) {
            for file in 0..files {
                let facts = read(file, Part::Objects)?;
                directory.select_again(&facts);
            }
        }
        directory.finish_selections();
    }
    let registry = settings[0].registry();
    let reader = Box::new(read);
    let mut project = Project::new(directory, set, reader);
    let mut findings = Vec::new();
    for (file, file_settings) in settings.iter().enumerate() {
        project.focus(file)?;
        for &index in &wanted {
            let meta = registry[index];
            // A finding goes to its file only if that file's settings enable the rule.
            if let (Hook::Project(check), true) = (meta.hook, file_settings.is_enabled_at(index)) {
                check(
                    &project,
                    &mut ProjectContext::new(meta, &mut findings).with_settings(settings),
                );
            }
        }
        if let Some(error) = project.take_error() {
            return Err(error);
        }
        debug_assert!(findings.iter().all(|(at, _)| *at == file));
        each(file, findings.drain(..).map(|(_, d)| d).collect());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::engine::check_file;

    const DEPLOYMENT: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers: [{name: app, image: nginx:1.27}]\n";
    const HPA: &str = "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  minReplicas: 2\n  maxReplicas: 5\n";

    /// Findings of every file, as `check_each` hands them over: (file, rule of each).
    fn handed(files: &[(&str, &[&str])]) -> Vec<(usize, Vec<&'static str>)> {
        let passes: Vec<FilePass> = files
            .iter()
            .map(|(text, rules)| check_file(text.as_bytes(), Arc::new(Settings::only(rules))))
            .collect();
        let facts: Vec<&FileFacts> = passes.iter().map(|p| &p.facts).collect();
        let settings: Vec<&Settings> = passes.iter().map(|p| &*p.settings).collect();
        let mut seen: Vec<(usize, Vec<&'static str>)> = Vec::new();
        let mut directory = Directory::of(&facts);
        let mut read = |file: usize, _: Part| Ok(Cow::Borrowed(facts[file]));
        check_each(
            &mut directory,
            &mut read,
            &settings,
            FileSet::Whole,
            |file, found| {
                seen.push((file, found.iter().map(|d| d.rule).collect()));
            },
        )
        .unwrap();
        let at_once: Vec<Vec<&str>> = check_facts(&facts, &settings, FileSet::Whole)
            .iter()
            .map(|found| found.iter().map(|d| d.rule).collect())
            .collect();
        assert_eq!(
            at_once,
            seen.iter().map(|(_, r)| r.clone()).collect::<Vec<_>>()
        );
        seen
    }

    #[test]
    fn each_file_gets_its_findings_in_file_order() {
        let rule: &[&str] = &["hpa-static-replicas"];
        // Two autoscalers in other files scale the Deployment: both findings are its file's.
        assert_eq!(
            handed(&[(HPA, rule), (DEPLOYMENT, rule), (HPA, rule)]),
            [
                (0, vec![]),
                (1, vec!["hpa-static-replicas", "hpa-static-replicas"]),
                (2, vec![])
            ]
        );
    }

    #[test]
    fn a_file_whose_settings_disable_a_rule_gets_none_of_its_findings() {
        let rule: &[&str] = &["hpa-static-replicas"];
        assert_eq!(
            handed(&[(HPA, rule), (DEPLOYMENT, &[]), (DEPLOYMENT, rule)]),
            [(0, vec![]), (1, vec![]), (2, vec!["hpa-static-replicas"])]
        );
    }
}
