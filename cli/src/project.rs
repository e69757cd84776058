//! Cross-object findings of `podlint check`: after every file is linted, the cross-object
//! rules run over all their facts; a file with such a finding is read again (stdin's text is
//! kept) to locate it and render it with the file's other findings.

use std::collections::BTreeMap;
use std::sync::Arc;

use podlint_lint::{Diagnostic, Settings};

use crate::args::Format;
use crate::check::{report_file, FileResult};
use crate::walk::Input;

/// Runs the cross-object rules over `results`' facts (`jobs` in the same order) and adds
/// their findings to the files they belong to.
pub(crate) fn add_cross_object_findings(
    results: &mut [FileResult],
    jobs: &[(Input, Arc<Settings>)],
    stdin: Option<&[u8]>,
    format: Format,
    color: bool,
) {
    let files: Vec<_> = results
        .iter()
        .zip(jobs)
        .map(|(r, (_, settings))| (&r.facts, &**settings))
        .collect();
    let mut by_file: BTreeMap<usize, Vec<Diagnostic>> = BTreeMap::new();
    for (file, d) in podlint_lint::project::check(&files) {
        by_file.entry(file).or_default().push(d);
    }
    for (file, found) in by_file {
        let bytes = match &jobs[file].0 {
            Input::Stdin => stdin.map(<[u8]>::to_vec),
            Input::File(path) => std::fs::read(path).ok(),
        };
        // A file that changed or vanished since it was linted has nothing reliable to show.
        let Some(bytes) = bytes else { continue };
        let text = match podlint_lint::source::decode(&bytes) {
            Ok(text) => text.into_owned(),
            Err(undecodable) => undecodable.0,
        };
        if found
            .iter()
            .any(|d| usize::from(d.range.end()) > text.len())
        {
            continue;
        }
        let result = &mut results[file];
        let mut diagnostics = std::mem::take(&mut result.diagnostics);
        let mut located = std::mem::take(&mut result.located);
        let fresh = report_file(&result.name, &text, found, format, color);
        located.extend(fresh.located);
        located.sort_by_key(|d| (d.range.start.offset, d.range.end.offset));
        if format == Format::Human {
            diagnostics.extend(fresh.diagnostics);
            diagnostics.sort_by_key(|d| (d.range.start(), d.range.end()));
            result.human = report_file(&result.name, &text, diagnostics, format, color).human;
        }
        result.located = located;
    }
}
