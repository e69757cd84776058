//! Finishing a file in two steps, for a front end that cannot hold every file until the
//! cross-object rules have run (`podlint check` over a big tree): first everything the file
//! decides alone ([`finish_alone`]), then, once every file's facts are in, its cross-object
//! findings ([`cross_object`]), which slot into the first step's order ([`position_key`]).
//! [`super::finish_set`] is the two steps back to back, so both give the same report.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use super::read_ahead::ReadAhead;
use super::{order, project, run_suppression_rules, suppress, FilePass, FileReport};
use crate::diagnostic::Diagnostic;
use crate::project::{Directory, FileFacts, FileSet, Part, Unpark};
use crate::rule::{Settings, Suppression};
use crate::text::TextSize;

/// What the cross-object stage still needs of a file finished alone: its facts, its settings
/// and the suppressions that may drop a cross-object finding. No text, no findings.
pub struct Pending {
    settings: Arc<Settings>,
    facts: FileFacts,
    suppressions: Vec<Suppression>,
}

impl Pending {
    pub fn facts(&self) -> &FileFacts {
        &self.facts
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Whether the file declares any object (with every cross-object rule off, none is
    /// recorded): a cross-object rule reports only at objects.
    pub fn has_objects(&self) -> bool {
        !self.facts.objects.is_empty()
    }
}

/// Finishes one file as far as it goes alone: its own findings after suppressions,
/// `unused-suppression`, severities and order, final; what the cross-object stage needs is
/// kept aside. A cross-object finding of this file, later, is placed by [`position_key`],
/// after the file's own findings at the same key.
pub fn finish_alone(pass: FilePass) -> (FileReport, Pending) {
    let FilePass {
        text,
        settings,
        mut diagnostics,
        mut suppressions,
        fixed,
        facts,
    } = pass;
    // Whether a cross-object finding exists depends on which files are linted together, so a
    // suppression of one is never called unused: linting one file alone would say so wrongly.
    // That also makes the cross-object findings irrelevant to `unused-suppression`.
    suppress::defer_cross_object(&mut suppressions, &settings);
    suppress::apply(&mut suppressions, &settings, &mut diagnostics);
    if !suppressions.is_empty() {
        run_suppression_rules(&text, &settings, &suppressions, &mut diagnostics);
    }
    suppressions.retain(|s| may_suppress_cross_object(s, &settings));
    let report = FileReport {
        diagnostics: order(diagnostics, &settings),
        text,
        fixed,
    };
    let pending = Pending {
        settings,
        facts,
        suppressions,
    };
    (report, pending)
}

/// Each file's cross-object findings, in the order of `pending`: suppressed as the file's
/// comments say, with configured severities, sorted by [`position_key`], duplicates dropped.
pub fn cross_object(pending: &mut [Pending], set: FileSet) -> Vec<Vec<Diagnostic>> {
    let facts: Vec<&FileFacts> = pending.iter().map(|p| &p.facts).collect();
    let settings: Vec<&Settings> = pending.iter().map(|p| &*p.settings).collect();
    let by_file = project::check_facts(&facts, &settings, set);
    pending
        .iter_mut()
        .zip(by_file)
        .map(|(p, found)| finish_found(&mut p.suppressions, &p.settings, found))
        .collect()
}

/// The cross-object stage of a big run, whose files' facts cannot all stay in memory: each
/// file is [`push`](Self::push)ed as it is finished alone; the [`Directory`] keeps what other
/// files look up, the caller keeps the rest as bytes (on disk, say) until
/// [`run_each`](Self::run_each) asks for it back. Per file, four bytes stay.
#[derive(Default)]
pub struct ParkedSet {
    directory: Directory,
    /// Each file's settings, as an index into `distinct` (a tree has few configurations).
    settings: Vec<u32>,
    distinct: Vec<Arc<Settings>>,
    /// The suppressions that may drop a cross-object finding, of the files that have any.
    suppressions: HashMap<usize, Vec<Suppression>>,
}

impl ParkedSet {
    pub fn new() -> Self {
        Self::default()
    }

    /// Takes a file's facts (the caller keeps them as bytes, [`FileFacts::to_bytes`], to hand
    /// to `run_each`'s `unpark` when it asks for this file by the order of pushing, from 0).
    pub fn push(&mut self, pending: Pending) {
        let Pending {
            settings,
            facts,
            suppressions,
        } = pending;
        let file = self.settings.len();
        self.directory.add(file, &facts);
        // Files of one directory share one `Arc`; comparing with the last seen finds most.
        let index = match self
            .distinct
            .iter()
            .rposition(|s| Arc::ptr_eq(s, &settings))
        {
            Some(index) => index,
            None => {
                self.distinct.push(settings);
                self.distinct.len() - 1
            }
        };
        self.settings.push(u32::try_from(index).unwrap_or(u32::MAX));
        if !suppressions.is_empty() {
            self.suppressions.insert(file, suppressions);
        }
    }

    /// How many files were pushed.
    pub fn len(&self) -> usize {
        self.settings.len()
    }

    pub fn is_empty(&self) -> bool {
        self.settings.is_empty()
    }

    /// Each file's cross-object findings, as [`cross_object`] makes them, handed to `each`
    /// (index of pushing, findings) as soon as they are made, in order; files without any
    /// are skipped. A caller can write them out before the next are made, so they never pile
    /// up. `unpark` gives back what `push` gave for a file, as often as asked; the error is
    /// the first failure to do so (or bytes that are not facts), which ends the stage.
    pub fn run_each(
        self,
        set: FileSet,
        unpark: &mut Unpark<'_>,
        mut each: impl FnMut(usize, Vec<Diagnostic>),
    ) -> std::io::Result<()> {
        let Self {
            mut directory,
            settings,
            distinct,
            mut suppressions,
        } = self;
        directory.seal();
        let settings: Vec<&Settings> = settings.iter().map(|&i| &*distinct[i as usize]).collect();
        let mut ahead = ReadAhead::new(unpark, settings.len());
        let mut read = |file: usize, part: Part| ahead.read(file, part).map(Cow::Owned);
        project::check_each(&mut directory, &mut read, &settings, set, |file, found| {
            if !found.is_empty() {
                let suppressions = suppressions.get_mut(&file).map_or(&mut [][..], |s| s);
                each(file, finish_found(suppressions, settings[file], found));
            }
        })
    }
}

/// The key a file's findings are sorted by; on a tie, the file's own findings come before
/// its cross-object ones. A rule is either cross-object or not, so a finding of one kind
/// never duplicates one of the other.
pub fn position_key(d: &Diagnostic) -> (TextSize, TextSize, &'static str) {
    (d.range.start(), d.range.end(), d.rule)
}

/// `local` (a file's findings from [`finish_alone`]) with its cross-object findings merged in.
pub(super) fn merge(local: Vec<Diagnostic>, cross: Vec<Diagnostic>) -> Vec<Diagnostic> {
    if cross.is_empty() {
        return local;
    }
    let mut merged = Vec::with_capacity(local.len() + cross.len());
    let mut cross = cross.into_iter().peekable();
    for d in local {
        while let Some(c) = cross.next_if(|c| position_key(c) < position_key(&d)) {
            merged.push(c);
        }
        merged.push(d);
    }
    merged.extend(cross);
    merged
}

/// One file's cross-object findings suppressed, given their severities and sorted.
pub(super) fn finish_cross_object(
    pending: &mut Pending,
    found: Vec<Diagnostic>,
) -> Vec<Diagnostic> {
    finish_found(&mut pending.suppressions, &pending.settings, found)
}

fn finish_found(
    suppressions: &mut [Suppression],
    settings: &Settings,
    mut found: Vec<Diagnostic>,
) -> Vec<Diagnostic> {
    suppress::apply(suppressions, settings, &mut found);
    order(found, settings)
}

/// Whether a suppression names a rule that is cross-object (enabled or not: a finding of a
/// disabled rule never reaches it anyway).
fn may_suppress_cross_object(suppression: &Suppression, settings: &Settings) -> bool {
    let registry = settings.registry();
    suppression.entries.iter().any(|entry| {
        entry.selector.is_some_and(|selector| {
            (0..registry.len())
                .any(|i| registry[i].is_cross_object() && settings.selects(selector, i))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{check_file, finish};

    const FILES: [&str; 3] = [
        // Its own findings around a cross-object one, which a comment suppresses in part.
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  serviceAccountName: ghost\n  hostPID: true\n  containers:\n    - name: app\n      image: nginx\n",
        "# podlint-disable service-account-not-found\napiVersion: v1\nkind: Pod\nmetadata:\n  name: b\nspec:\n  serviceAccountName: ghost\n  hostPID: true\n  containers:\n    - name: app\n      image: nginx:1\n",
        "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: other\n",
    ];

    fn passes() -> Vec<FilePass> {
        let settings = Arc::new(Settings::default());
        FILES
            .iter()
            .map(|f| check_file(f.as_bytes(), settings.clone()))
            .collect()
    }

    #[test]
    fn parked_facts_give_the_findings_held_facts_give() {
        let held = {
            let (_, mut pending): (Vec<FileReport>, Vec<Pending>) =
                passes().into_iter().map(finish_alone).unzip();
            cross_object(&mut pending, FileSet::Whole)
        };
        let (records, parked) = parked(|set, records| {
            let mut found = vec![Vec::new(); records.len()];
            let mut unpark = |file: usize| Ok(records[file].clone());
            set.run_each(FileSet::Whole, &mut unpark, |file, f| found[file] = f)
                .map(|()| found)
        });
        assert_eq!(parked.unwrap(), held);
        assert_eq!(records, 3);
        assert!(held[0].iter().any(|d| d.rule == "pod-security"));
    }

    /// The files of `passes` pushed into a [`ParkedSet`], and what `run` makes of it with
    /// their records.
    fn parked<T>(run: impl FnOnce(ParkedSet, &[Vec<u8>]) -> T) -> (usize, T) {
        let mut set = ParkedSet::new();
        let records: Vec<Vec<u8>> = passes()
            .into_iter()
            .map(|pass| {
                let pending = finish_alone(pass).1;
                let record = pending.facts().to_bytes();
                set.push(pending);
                record
            })
            .collect();
        (records.len(), run(set, &records))
    }

    #[test]
    fn parked_facts_that_cannot_be_read_back_fail_the_stage() {
        let (_, error) = parked(|set, _| {
            let mut gone = |_: usize| Err(std::io::Error::other("gone"));
            set.run_each(FileSet::Whole, &mut gone, |_, _| {})
        });
        assert_eq!(error.unwrap_err().to_string(), "gone");
        let (_, error) = parked(|set, _| {
            let mut damaged = |_: usize| Ok(vec![1, 2, 3]);
            set.run_each(FileSet::Whole, &mut damaged, |_, _| {})
        });
        assert_eq!(error.unwrap_err().kind(), std::io::ErrorKind::InvalidData);
    }

    #[test]
    fn two_steps_give_what_finish_gives() {
        let whole: Vec<Vec<Diagnostic>> = finish(passes())
            .into_iter()
            .map(|r| r.diagnostics)
            .collect();
        let (reports, mut pending): (Vec<FileReport>, Vec<Pending>) =
            passes().into_iter().map(finish_alone).unzip();
        let cross = cross_object(&mut pending, FileSet::Whole);
        assert!(cross[0]
            .iter()
            .any(|d| d.rule == "service-account-not-found"));
        assert!(cross[1]
            .iter()
            .all(|d| d.rule != "service-account-not-found"));
        for ((report, cross), whole) in reports.into_iter().zip(cross).zip(whole) {
            let mut merged: Vec<Diagnostic> = report.diagnostics;
            for d in cross {
                // After every finding of the file at or before its key.
                let at = merged.partition_point(|m| position_key(m) <= position_key(&d));
                merged.insert(at, d);
            }
            assert_eq!(merged, whole);
        }
    }
}
