//! Cross-object checks over the set of manifests linted together.
//!
//! While a file is linted, [`facts`] keeps what other files may need to know about it: its
//! objects, their pods' labels, what Services, NetworkPolicies and PodDisruptionBudgets
//! select, which ConfigMaps, Secrets and ServiceAccounts pods name. Once every file is done,
//! the cross-object rules (`ProjectRule`) run over all of them. Facts are
//! small and hold no text, so a run over thousands of files keeps little in memory.
//!
//! The engine (`engine::finish`) runs them over the facts of every file linted together; a
//! file linted alone is the whole set.

mod facts;
mod selector;

pub use facts::{
    Backend, Budget, ContainerPort, FileFacts, ObjectFacts, PodFacts, PortRef, PsaLabel, PsaMode,
    RefKind, Reference, ServicePort,
};
pub use selector::{LabelSelector, Operator, Requirement};

use std::collections::HashMap;

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
