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

use std::collections::HashMap;

use crate::diagnostic::Diagnostic;
use crate::rules::{RuleMeta, RULES};
use crate::settings::Settings;
use crate::text::TextRange;

/// An object with the index of its file.
type Located<'a> = (usize, &'a ObjectFacts);

/// Every linted file's facts, by file index, indexed so that a rule's lookups cost what they
/// find rather than a pass over every object (cross-object rules must stay linear in the size
/// of the set).
pub struct Project<'a> {
    pub files: &'a [&'a FileFacts],
    /// Objects by kind and namespace, in file order.
    by_kind: HashMap<(&'a str, &'a str), Vec<&'a ObjectFacts>>,
    /// Objects by kind, namespace and name, with their file index, in file order.
    by_name: HashMap<(&'a str, &'a str, &'a str), Vec<Located<'a>>>,
    /// Pods by namespace, in file order.
    pods: HashMap<&'a str, Vec<&'a PodFacts>>,
    /// Pods by namespace and one of their labels: the candidates of a selector.
    by_label: HashMap<(&'a str, &'a str, &'a str), Vec<&'a PodFacts>>,
}

impl<'a> Project<'a> {
    pub fn new(files: &'a [&'a FileFacts]) -> Self {
        let mut project = Self {
            files,
            by_kind: HashMap::new(),
            by_name: HashMap::new(),
            pods: HashMap::new(),
            by_label: HashMap::new(),
        };
        let objects = files
            .iter()
            .enumerate()
            .flat_map(|(i, f)| f.objects.iter().map(move |o| (i, o)));
        for (file, object) in objects {
            let namespace = object.namespace();
            let kind = object.kind.as_str();
            project
                .by_kind
                .entry((kind, namespace))
                .or_default()
                .push(object);
            if let Some(name) = &object.name {
                project
                    .by_name
                    .entry((kind, namespace, name))
                    .or_default()
                    .push((file, object));
            }
            if let Some(pod) = &object.pod {
                project.pods.entry(namespace).or_default().push(pod);
                for (key, value) in &pod.labels {
                    project
                        .by_label
                        .entry((namespace, key, value))
                        .or_default()
                        .push(pod);
                }
            }
        }
        project
    }

    /// Every object with its file index.
    pub fn objects(&self) -> impl Iterator<Item = (usize, &'a ObjectFacts)> + '_ {
        self.files
            .iter()
            .enumerate()
            .flat_map(|(i, f)| f.objects.iter().map(move |o| (i, o)))
    }

    /// Objects of `kind` in `namespace`.
    pub fn of_kind<'s>(
        &'s self,
        kind: &'s str,
        namespace: &'s str,
    ) -> impl Iterator<Item = &'a ObjectFacts> + 's {
        self.by_kind
            .get(&(kind, namespace))
            .into_iter()
            .flatten()
            .copied()
    }

    /// The object of `kind` called `name` in `namespace` (the first, if declared twice).
    pub fn named(&self, kind: &str, namespace: &str, name: &str) -> Option<&'a ObjectFacts> {
        self.every_named(kind, namespace, name)
            .next()
            .map(|(_, o)| o)
    }

    /// Every object of `kind` called `name` in `namespace`, with its file index.
    pub fn every_named<'s>(
        &'s self,
        kind: &'s str,
        namespace: &'s str,
        name: &'s str,
    ) -> impl Iterator<Item = (usize, &'a ObjectFacts)> + 's {
        self.by_name
            .get(&(kind, namespace, name))
            .into_iter()
            .flatten()
            .copied()
    }

    /// Whether the set declares any object of `kind` in `namespace`. Rules that look for a
    /// named object only speak when it does: a repository that keeps its Secrets elsewhere
    /// is not told they are missing.
    pub fn has_kind(&self, kind: &str, namespace: &str) -> bool {
        self.by_kind.contains_key(&(kind, namespace))
    }

    /// The pods (pod templates and bare Pods) of `namespace`.
    pub fn pods(&self, namespace: &str) -> impl Iterator<Item = &'a PodFacts> + '_ {
        self.pods.get(namespace).into_iter().flatten().copied()
    }

    /// The pods of `namespace` that `selector` selects.
    pub fn selected<'s>(
        &'s self,
        namespace: &'s str,
        selector: &'s LabelSelector,
    ) -> impl Iterator<Item = &'a PodFacts> + 's {
        // Any label the selector requires narrows the search to the pods carrying it.
        let candidates = match selector.match_labels.first() {
            Some((key, value)) => self
                .by_label
                .get(&(namespace, key.as_str(), value.as_str())),
            None => self.pods.get(namespace),
        };
        candidates
            .into_iter()
            .flatten()
            .copied()
            .filter(move |pod| selector.matches(&pod.labels))
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
    let project = Project::new(&facts);
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
