//! Rendered inputs: a `kustomize build` or a `helm template` stream is linted as one file
//! (every stage, and the cross-object rules over the whole build), finished like any set,
//! and then each finding is moved to the source a person edits
//! ([`sourcemap::relocate`](crate::sourcemap::relocate)).

use std::sync::Arc;

use super::{finish, order, pass, suppress, FileReport};
use crate::rule::Settings;
use crate::sourcemap::{self, Rendered};
use crate::syntax;

/// Lints `rendered` with `settings` and returns one report per source, in the order of
/// `rendered.sources`; each source's own settings decide its severities and suppressions
/// (kustomize drops comments, so `# podlint-disable` lines are read from the source).
pub fn check_rendered(
    rendered: &Rendered,
    settings: Arc<Settings>,
    source_settings: &[Arc<Settings>],
) -> Vec<FileReport> {
    let pass = pass::run(rendered.text.clone(), settings.clone(), None);
    let report = finish(vec![pass]).pop().expect("one report per pass");
    let mut by_source: Vec<Vec<_>> = rendered.sources.iter().map(|_| Vec::new()).collect();
    for moved in sourcemap::relocate(rendered, report.diagnostics) {
        if let Some(list) = by_source.get_mut(moved.source) {
            list.push(moved.diagnostic);
        }
    }
    rendered
        .sources
        .iter()
        .zip(by_source)
        .enumerate()
        .map(|(i, (source, mut diagnostics))| {
            let settings = source_settings.get(i).unwrap_or(&settings);
            if !diagnostics.is_empty() {
                let parsed = syntax::parse(&source.text);
                let mut suppressions = suppress::collect(&source.text, &parsed.documents, settings);
                suppress::apply(&mut suppressions, settings, &mut diagnostics);
            }
            FileReport {
                text: source.text.clone(),
                diagnostics: order(diagnostics, settings),
                fixed: None,
            }
        })
        .collect()
}
