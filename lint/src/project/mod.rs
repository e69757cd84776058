//! Cross-object checks over the set of manifests linted together.
//!
//! While a file is linted, [`facts`] keeps what other files may need to know about it: its
//! objects, their pods' labels, what Services, NetworkPolicies and PodDisruptionBudgets
//! select, which ConfigMaps, Secrets and ServiceAccounts pods name. Once every file is done,
//! [`check`] runs the cross-object rules (`Rule::check_project`) over all of them. Facts are
//! small and hold no text, so a run over thousands of files keeps little in memory.
//!
//! `lint()` alone treats its one file as the whole set (the language server does this);
//! `podlint check` passes the facts of every file it linted.

mod facts;
mod selector;

pub use facts::{FileFacts, ObjectFacts, PodFacts, RefKind, Reference};
pub use selector::{LabelSelector, Operator, Requirement};

use crate::diagnostic::Diagnostic;
use crate::rules::{RuleMeta, RULES};
use crate::settings::Settings;
use crate::text::TextRange;

/// Every linted file's facts, by file index.
pub struct Project<'a> {
    pub files: &'a [&'a FileFacts],
}

impl<'a> Project<'a> {
    /// Every object with its file index.
    pub fn objects(&self) -> impl Iterator<Item = (usize, &'a ObjectFacts)> + '_ {
        self.files
            .iter()
            .enumerate()
            .flat_map(|(i, f)| f.objects.iter().map(move |o| (i, o)))
    }

    /// Objects of `kind` in `namespace`.
    pub fn of_kind<'k>(
        &self,
        kind: &'k str,
        namespace: &'k str,
    ) -> impl Iterator<Item = &'a ObjectFacts> + 'k
    where
        'a: 'k,
    {
        self.files
            .iter()
            .flat_map(|f| &f.objects)
            .filter(move |o| o.is(kind) && o.namespace() == namespace)
    }

    /// Whether the set declares any object of `kind` in `namespace`. Rules that look for a
    /// named object only speak when it does: a repository that keeps its Secrets elsewhere
    /// is not told they are missing.
    pub fn has_kind(&self, kind: &str, namespace: &str) -> bool {
        self.of_kind(kind, namespace).next().is_some()
    }

    /// The pods (pod templates and bare Pods) of `namespace`.
    pub fn pods<'k>(&self, namespace: &'k str) -> impl Iterator<Item = &'a PodFacts> + 'k
    where
        'a: 'k,
    {
        self.files
            .iter()
            .flat_map(|f| &f.objects)
            .filter(move |o| o.namespace() == namespace)
            .filter_map(|o| o.pod.as_ref())
    }
}

/// Where a cross-object rule's findings go, each with the index of its file.
pub struct ProjectContext<'a> {
    pub(crate) meta: &'static RuleMeta,
    pub(crate) findings: &'a mut Vec<(usize, Diagnostic)>,
}

impl ProjectContext<'_> {
    /// Records a finding of the current rule in file `file` and returns it for labels (in the
    /// same file) and help.
    pub fn report(
        &mut self,
        file: usize,
        range: TextRange,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        self.findings
            .push((file, Diagnostic::new(self.meta, range, message)));
        &mut self.findings.last_mut().expect("just pushed").1
    }
}

/// Runs the cross-object rules over every file's facts, each file with its own settings
/// (which rules run, at what severity, what its suppressions hide). Returns each finding with
/// its file's index, sorted by file and position.
pub fn check(files: &[(&FileFacts, &Settings)]) -> Vec<(usize, Diagnostic)> {
    let facts: Vec<&FileFacts> = files.iter().map(|(f, _)| *f).collect();
    let project = Project { files: &facts };
    let mut findings = Vec::new();
    for (index, rule) in RULES.iter().enumerate() {
        let meta = rule.meta();
        if !meta.cross_object || !files.iter().any(|(_, s)| s.is_enabled_at(index)) {
            continue;
        }
        let mut cx = ProjectContext {
            meta,
            findings: &mut findings,
        };
        rule.check_project(&project, &mut cx);
    }
    findings.retain_mut(|(file, d)| {
        let (facts, settings) = files[*file];
        let index = crate::settings::rule_index(d.rule).expect("a registered rule");
        if !settings.is_enabled_at(index) || is_suppressed(facts, index, d.range) {
            return false;
        }
        // As in `lint`: a configured severity wins over the rule's default.
        match settings.severity(d.rule) {
            Some(configured) if configured != RULES[index].meta().severity => {
                d.severity = configured
            }
            _ => {}
        }
        true
    });
    findings.sort_by(|(fa, a), (fb, b)| {
        (fa, a.range.start(), a.range.end(), a.rule).cmp(&(
            fb,
            b.range.start(),
            b.range.end(),
            b.rule,
        ))
    });
    findings.dedup();
    findings
}

fn is_suppressed(facts: &FileFacts, rule_index: usize, range: TextRange) -> bool {
    facts.suppressions.iter().any(|(scope, selector)| {
        scope.contains_inclusive(range.start()) && selector.matches(rule_index)
    })
}

/// Whether any enabled rule looks across objects: facts are worth gathering.
pub(crate) fn wanted(settings: &Settings) -> bool {
    RULES
        .iter()
        .enumerate()
        .any(|(i, r)| r.meta().cross_object && settings.is_enabled_at(i))
}
