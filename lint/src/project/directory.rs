//! What the files of a set look up in each other, kept in memory while their facts are parked.
//!
//! A cross-object rule reports at an object of the file in focus and looks things up in the
//! others: is there a ConfigMap called `x` here, which Services live in this namespace, what
//! does this Service select. The [`Directory`] answers those questions without the other
//! files' facts: it keeps the objects that are looked up whole (Services, NetworkPolicies,
//! PodDisruptionBudgets, HorizontalPodAutoscalers, ServiceAccounts, Namespaces: a corpus has
//! few of them), the hash of every other object's kind, namespace and name, and per namespace
//! which kinds and how many pods it has. Which pods a selector selects is found by a sweep
//! over every file's facts ([`Directory::select`]), so no pod stays in memory either.
//!
//! Memory is then a few bytes per object plus the looked-up objects, whatever the corpus.

use std::collections::HashMap;

use crate::project::facts::{FileFacts, ObjectFacts, PodFacts};
use crate::project::index::{hash_of, HashIndex};
use crate::project::intern::Shared;
use crate::project::selection::Selection;
use crate::project::selector::LabelSelector;
use crate::syntax::placeholder;

/// The kinds other files look up whole; of the rest, only the name is kept.
pub(crate) const HELD_KINDS: &[&str] = &[
    "HorizontalPodAutoscaler",
    "Namespace",
    "NetworkPolicy",
    "PodDisruptionBudget",
    "Service",
    "ServiceAccount",
];

/// An object of a [`HELD_KINDS`] kind, with its file.
struct Held {
    file: usize,
    facts: ObjectFacts,
}

/// What the directory knows of one namespace.
#[derive(Default)]
struct Namespace {
    /// The kinds declared there, each with the held objects of that kind in file order (none
    /// for a kind that is not held).
    kinds: HashMap<Shared, Vec<u32>>,
    pods: usize,
    /// A custom resource, Job or CronJob is there: something that may create objects.
    creator: bool,
    /// A custom resource whose pods (if any) podlint cannot see is there.
    unmodelled: bool,
    /// Held objects with a selector, by what a pod must carry to be a candidate.
    selectors: Candidates,
}

/// Selectors by the label a pod must carry to be a candidate for them.
#[derive(Default)]
struct Candidates {
    /// By the hash of the first label of `matchLabels`.
    by_label: Vec<(u64, u32)>,
    by_label_index: Option<HashIndex<u32>>,
    /// Selectors every pod is a candidate for: no `matchLabels`, or a placeholder in its first.
    every: Vec<u32>,
    /// Every selector: the candidates of a pod whose labels hold a placeholder (`${APP}`).
    all: Vec<u32>,
}

/// See the module's documentation. Built by [`add`](Self::add)ing every file's facts, then
/// [`seal`](Self::seal)ed; selections come from sweeps over the facts again.
#[derive(Default)]
pub struct Directory {
    held: Vec<Held>,
    /// The selection of each held object (by its index in `held`) that has a selector.
    /// (Boxed: most held objects have none, and a `Selection` is a hundred bytes.)
    selections: Vec<Option<Box<Selection>>>,
    /// The hash of every named object's kind, namespace and name (sorted once sealed): eight
    /// bytes an object, the bulk of the directory in a big corpus.
    names: Vec<u64>,
    /// The held objects by the same hash.
    held_names: Option<HashIndex<u32>>,
    held_names_added: Vec<(u64, u32)>,
    sealed: bool,
    /// HorizontalPodAutoscalers by the hash of the kind, namespace and name they scale.
    scalers: Option<HashIndex<u32>>,
    namespaces: HashMap<Shared, Namespace>,
    /// Namespaces with Pod Security Admission labels, by name: the first declared.
    psa_namespaces: HashMap<Shared, u32>,
    /// The set holds a Kustomization: its generators create, its transformers relabel.
    kustomization: bool,
    /// Selectors that select nothing in their namespace: the candidates of the second sweep
    /// for other namespaces.
    lonely: Option<Candidates>,
    /// Whether the second sweep gathers the port numbers some Services' messages list.
    second_sweep_declared: bool,
}

impl Directory {
    /// The directory of `files`, whose facts are all at hand.
    pub fn of(files: &[&FileFacts]) -> Self {
        let mut directory = Self::default();
        for (file, facts) in files.iter().enumerate() {
            directory.add(file, facts);
        }
        directory.seal();
        directory
    }

    /// Takes what other files look up from `facts`, the facts of file `file`. Files are added
    /// in ascending order.
    pub fn add(&mut self, file: usize, facts: &FileFacts) {
        debug_assert!(!self.sealed, "added after sealing");
        for object in &facts.objects {
            self.add_object(file, object);
        }
    }

    fn add_object(&mut self, file: usize, object: &ObjectFacts) {
        let kind = &object.kind;
        self.kustomization |= **kind == *"Kustomization";
        let held = HELD_KINDS.contains(&&**kind).then(|| {
            self.held.push(Held {
                file,
                facts: object.clone(),
            });
            self.selections.push(None);
            to_u32(self.held.len() - 1)
        });
        let namespace = self.namespace_entry(object);
        let ids = namespace.kinds.entry(kind.clone()).or_default();
        ids.extend(held);
        if object.custom || **kind == *"Job" || **kind == *"CronJob" {
            namespace.creator = true;
        }
        if object.custom && object.pods().next().is_none() {
            namespace.unmodelled = true;
        }
        namespace.pods += object.pods().count();
        if let Some(name) = &object.name {
            let hash = hash_of(&[kind, object.namespace(), name]);
            self.names.push(hash);
            if let Some(id) = held {
                self.held_names_added.push((hash, id));
            }
        }
        if let (Some(id), Some(name)) = (held, &object.name) {
            if object.is("Namespace") && !object.pod_security().is_empty() {
                self.psa_namespaces.entry(name.clone()).or_insert(id);
            }
        }
    }

    fn namespace_entry(&mut self, object: &ObjectFacts) -> &mut Namespace {
        let name = object.namespace();
        // Looked up by `&str` first: most objects land in a namespace already seen.
        if !self.namespaces.contains_key(name) {
            let key = object.namespace.clone().unwrap_or_else(|| "default".into());
            self.namespaces.insert(key, Namespace::default());
        }
        self.namespaces.get_mut(name).expect("inserted above")
    }

    /// Ends the adding: builds the indexes.
    pub fn seal(&mut self) {
        self.sealed = true;
        self.names.sort_unstable();
        self.names.shrink_to_fit();
        self.held_names = Some(HashIndex::new(std::mem::take(&mut self.held_names_added)));
        let mut scalers = Vec::new();
        for (id, held) in self.held.iter().enumerate() {
            let object = &held.facts;
            if let Some((kind, name)) = object.scale_target() {
                scalers.push((hash_of(&[kind, object.namespace(), name]), to_u32(id)));
            }
            if let Some((selector, _)) = object.selector() {
                self.selections[id] = Some(Box::new(Selection::for_object(object)));
                let namespace = self
                    .namespaces
                    .get_mut(object.namespace())
                    .expect("every held object's namespace is known");
                namespace.selectors.push(selector, to_u32(id));
            }
        }
        self.scalers = Some(HashIndex::new(scalers));
        for namespace in self.namespaces.values_mut() {
            namespace.selectors.seal();
        }
    }

    /// Whether any object has a selector: else [`select`](Self::select) finds nothing.
    pub fn has_selectors(&self) -> bool {
        self.selections.iter().any(Option::is_some)
    }

    /// Records which selectors select the pods of `facts` (every file is swept once, in
    /// ascending order, after [`seal`](Self::seal)).
    pub fn select(&mut self, facts: &FileFacts) {
        for object in &facts.objects {
            let Some(namespace) = self.namespaces.get(object.namespace()) else {
                continue;
            };
            for pod in object.pods() {
                for id in namespace.selectors.of(pod) {
                    let held = &self.held[id as usize].facts;
                    let selected = held.selector().is_some_and(|(s, _)| s.matches(&pod.labels));
                    if let (true, Some(selection)) = (selected, &mut self.selections[id as usize]) {
                        selection.add(held, pod);
                    }
                }
            }
        }
    }

    /// After the sweep of [`select`](Self::select): whether a second sweep
    /// ([`select_again`](Self::select_again)) must gather what some messages need: for a
    /// selector that selects nothing in its namespace, when `whole`, the other namespaces it
    /// would select pods of; for a Service some of whose pods lack a numbered port, the port
    /// numbers they declare.
    pub fn needs_second_sweep(&mut self, whole: bool) -> bool {
        let mut lonely = Candidates::default();
        let mut declared = false;
        for (id, selection) in self.selections.iter_mut().enumerate() {
            let Some(selection) = selection else { continue };
            let held = &self.held[id].facts;
            declared |= selection.ask_declared(held);
            match held.selector() {
                Some((selector, _)) if whole && selection.count == 0 && !selector.is_empty() => {
                    lonely.push(selector, to_u32(id));
                }
                _ => {}
            }
        }
        let found = !lonely.all.is_empty();
        lonely.seal();
        self.lonely = found.then_some(lonely);
        self.second_sweep_declared = declared;
        found || declared
    }

    /// The second sweep over `facts` (every file once, after
    /// [`needs_second_sweep`](Self::needs_second_sweep) said so).
    pub fn select_again(&mut self, facts: &FileFacts) {
        for object in &facts.objects {
            let here = object.namespace();
            for pod in object.pods() {
                if self.second_sweep_declared {
                    if let Some(namespace) = self.namespaces.get(here) {
                        for id in namespace.selectors.of(pod) {
                            let (held, selection) = (
                                &self.held[id as usize].facts,
                                &mut self.selections[id as usize],
                            );
                            if let Some(selection) =
                                selection.as_mut().filter(|s| s.wants_declared())
                            {
                                if held.selector().is_some_and(|(s, _)| s.matches(&pod.labels)) {
                                    selection.add_declared(pod);
                                }
                            }
                        }
                    }
                }
                if let Some(lonely) = &self.lonely {
                    self.add_elsewhere(lonely.of(pod), object, pod);
                }
            }
        }
    }

    /// Records `object`'s namespace for each of `candidates` (lonely selectors) of another
    /// namespace that selects `pod`.
    fn add_elsewhere(&mut self, candidates: Vec<u32>, object: &ObjectFacts, pod: &PodFacts) {
        let here = object.namespace();
        for id in candidates {
            let held = &self.held[id as usize].facts;
            if held.namespace() == here
                || !held.selector().is_some_and(|(s, _)| s.matches(&pod.labels))
            {
                continue;
            }
            let Some(selection) = &mut self.selections[id as usize] else {
                continue;
            };
            selection.add_elsewhere(here, || {
                object.namespace.clone().unwrap_or_else(|| "default".into())
            });
        }
    }

    /// Ends the sweeps.
    pub fn finish_selections(&mut self) {
        for selection in self.selections.iter_mut().flatten() {
            selection.finish();
        }
        self.lonely = None;
    }

    /// The held object of `kind` called `name` in `namespace` (the first, if declared twice).
    pub fn named(&self, kind: &str, namespace: &str, name: &str) -> Option<&ObjectFacts> {
        debug_assert!(HELD_KINDS.contains(&kind), "{kind} objects are not held");
        self.held_names
            .as_ref()?
            .get(hash_of(&[kind, namespace, name]))
            .map(|id| &self.held[id as usize].facts)
            .find(|o| o.is(kind) && o.namespace() == namespace && o.name.as_deref() == Some(name))
    }

    /// Whether the set declares an object of `kind` called `name` in `namespace`. Only the
    /// hash of the three is kept: two keys that hash alike (odds of about one in 10¹³ for a
    /// million objects) would be taken for one another.
    pub fn declares(&self, kind: &str, namespace: &str, name: &str) -> bool {
        if HELD_KINDS.contains(&kind) {
            return self.named(kind, namespace, name).is_some();
        }
        self.names
            .binary_search(&hash_of(&[kind, namespace, name]))
            .is_ok()
    }

    /// The held objects of `kind` in `namespace`, in file order.
    pub fn of_kind<'s>(
        &'s self,
        kind: &str,
        namespace: &str,
    ) -> impl Iterator<Item = &'s ObjectFacts> + 's {
        debug_assert!(HELD_KINDS.contains(&kind), "{kind} objects are not held");
        self.namespaces
            .get(namespace)
            .and_then(|n| n.kinds.get(kind))
            .into_iter()
            .flatten()
            .map(|&id| &self.held[id as usize].facts)
    }

    pub fn has_kind(&self, kind: &str, namespace: &str) -> bool {
        self.namespaces
            .get(namespace)
            .is_some_and(|n| n.kinds.contains_key(kind))
    }

    pub fn has_pods(&self, namespace: &str) -> bool {
        self.namespaces.get(namespace).is_some_and(|n| n.pods > 0)
    }

    pub fn may_create_in(&self, namespace: &str) -> bool {
        self.kustomization || self.namespaces.get(namespace).is_some_and(|n| n.creator)
    }

    pub fn pods_all_known(&self, namespace: &str) -> bool {
        !self.kustomization && !self.namespaces.get(namespace).is_some_and(|n| n.unmodelled)
    }

    /// The HorizontalPodAutoscalers of `namespace` that scale the `kind` called `name`.
    pub fn scalers_of(&self, kind: &str, namespace: &str, name: &str) -> Vec<&ObjectFacts> {
        self.scalers
            .iter()
            .flat_map(|index| index.get(hash_of(&[kind, namespace, name])))
            .map(|id| &self.held[id as usize].facts)
            .filter(|o| o.namespace() == namespace && o.scale_target() == Some((kind, name)))
            .collect()
    }

    /// The Namespace called `name` with Pod Security Admission labels (the first, if declared
    /// twice), with its file.
    pub fn psa_namespace(&self, name: &str) -> Option<(usize, &ObjectFacts)> {
        let held = &self.held[*self.psa_namespaces.get(name)? as usize];
        Some((held.file, &held.facts))
    }

    /// The selection of the held object of file `file` at `anchor` (objects are told apart
    /// by where they are written), if it has a selector.
    pub fn selection(&self, file: usize, object: &ObjectFacts) -> Option<&Selection> {
        let start = self.held.partition_point(|h| h.file < file);
        let id = self.held[start..]
            .iter()
            .take_while(|h| h.file == file)
            .position(|h| h.facts.anchor == object.anchor && h.facts.kind == object.kind)?;
        self.selections[start + id].as_deref()
    }
}

impl Candidates {
    fn push(&mut self, selector: &LabelSelector, id: u32) {
        self.all.push(id);
        match selector.match_labels.first() {
            Some((key, value)) if !placeholder::contains(value) => {
                self.by_label.push((hash_of(&[key, value]), id));
            }
            _ => self.every.push(id),
        }
    }

    fn seal(&mut self) {
        self.by_label_index = Some(HashIndex::new(std::mem::take(&mut self.by_label)));
    }

    /// The selectors `pod` may match, each once, in the order they were pushed within each
    /// of the candidate lists.
    fn of(&self, pod: &PodFacts) -> Vec<u32> {
        let Some(index) = &self.by_label_index else {
            return Vec::new();
        };
        if pod.templated {
            // A placeholder may be any value: every selector is a candidate.
            return self.all.clone();
        }
        let mut found = self.every.clone();
        for (key, value) in pod.labels.iter() {
            found.extend(index.get(hash_of(&[key, value])));
        }
        // Two labels that hash alike must not count a pod twice.
        found.sort_unstable();
        found.dedup();
        found
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX - 1)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::engine::{check_file, finish_alone};
    use crate::rule::Settings;

    fn facts(text: &str) -> FileFacts {
        let pass = check_file(text.as_bytes(), Arc::new(Settings::default()));
        finish_alone(pass).1.facts().clone()
    }

    const SERVICE: &str = "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 80, targetPort: 8080}]\n";

    fn deployment(name: &str, namespace: &str, labels: &str) -> String {
        format!("apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: {name}, namespace: {namespace}}}\nspec:\n  replicas: 2\n  selector: {{matchLabels: {{app: web}}}}\n  template:\n    metadata: {{labels: {labels}}}\n    spec:\n      containers: [{{name: app, image: nginx:1.27, ports: [{{containerPort: 9090}}]}}]\n")
    }

    /// The selection of the Service that `files` start with, after every sweep the engine
    /// makes, handed to `check`.
    fn with_service_selection(files: &[String], check: impl FnOnce(&Selection)) {
        let (directory, all) = swept(files);
        check(directory.selection(0, &all[0].objects[0]).unwrap());
    }

    /// The directory of `files` after every sweep the engine makes, with their facts.
    fn swept(files: &[String]) -> (Directory, Vec<FileFacts>) {
        let all: Vec<FileFacts> = files.iter().map(|f| facts(f)).collect();
        let refs: Vec<&FileFacts> = all.iter().collect();
        let mut directory = Directory::of(&refs);
        all.iter().for_each(|f| directory.select(f));
        if directory.needs_second_sweep(true) {
            all.iter().for_each(|f| directory.select_again(f));
        }
        directory.finish_selections();
        (directory, all)
    }

    #[test]
    fn a_selection_counts_the_pods_of_every_file_once() {
        let files = [
            SERVICE.to_string(),
            deployment("a", "default", "{app: web}"),
            // Its placeholder may be any value: a candidate, and counted once.
            deployment("b", "default", "{app: web, tier: '${TIER}'}"),
            deployment("c", "default", "{app: api}"),
        ];
        with_service_selection(&files, |selection| {
            assert_eq!(selection.count, 2);
            assert_eq!(selection.declared(), [9090, 9090]);
            let missing = &selection.ports[0].missing;
            let owners = [Some("Deployment `a`".into()), Some("Deployment `b`".into())];
            assert_eq!(missing, &owners);
        });
    }

    #[test]
    fn a_selector_that_selects_nothing_learns_where_its_pods_are() {
        let namespaces = ["shop", "admin", "shop"];
        let mut files = vec![SERVICE.to_string()];
        files.extend(namespaces.iter().map(|ns| deployment(ns, ns, "{app: web}")));
        with_service_selection(&files, |selection| {
            assert_eq!(selection.count, 0);
            let elsewhere: Vec<&str> = selection.elsewhere().iter().map(|n| &**n).collect();
            assert_eq!(elsewhere, ["admin", "shop"]);
        });
    }

    #[test]
    fn every_named_object_is_known_and_the_looked_up_kinds_are_held() {
        let config =
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: shop}\n";
        let (directory, _) = swept(&[config.to_string(), SERVICE.to_string()]);
        assert!(directory.declares("ConfigMap", "shop", "settings"));
        assert!(!directory.declares("ConfigMap", "default", "settings"));
        assert!(!directory.declares("Secret", "shop", "settings"));
        assert!(directory.has_kind("ConfigMap", "shop"));
        assert!(directory.declares("Service", "default", "web"));
        let service = directory.named("Service", "default", "web").unwrap();
        assert_eq!(service.service_ports().len(), 1);
        assert_eq!(directory.of_kind("Service", "default").count(), 1);
        assert!(directory.named("Service", "shop", "web").is_none());
    }
}
