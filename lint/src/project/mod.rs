//! Cross-object checks over the set of manifests linted together.
//!
//! While a file is linted, [`facts`] keeps what other files may need to know about it: its
//! objects, their pods' labels, what Services, NetworkPolicies and PodDisruptionBudgets
//! select, which ConfigMaps, Secrets and ServiceAccounts pods name. Once every file is done,
//! the cross-object rules (`ProjectRule`) run over all of them. Facts are small and hold no
//! text: names, namespaces and labels repeat across a corpus, so they are shared
//! ([`intern()`]); what only some kinds have is allocated for those alone.
//! `lint/examples/facts_heap.rs` measures their bytes per document.
//!
//! The engine (`engine::finish_set`) runs them over the facts of every file linted together.
//! Whether those files are the whole project ([`FileSet`]) decides what a rule may conclude
//! from absence: "no ConfigMap called `x`" means something after a directory walk, nothing
//! when pre-commit passed the two files that changed.

mod facts;
mod index;
mod intern;
mod park;
mod selector;

pub use facts::{
    Backend, Breaches, Budget, ContainerPort, FileFacts, ObjectFacts, PodFacts, PodOwnFacts,
    PortRef, PsaLabel, PsaMode, RefKind, RefSource, Reference, ServicePort,
};
pub use intern::{intern, Shared};
pub use selector::{string_map, LabelSelector, Operator, Requirement};

use std::cell::{OnceCell, RefCell};
use std::collections::{HashMap, HashSet};
use std::io;

/// Whether the files linted together are the whole project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileSet {
    /// Every manifest there is: a directory walk, a stream such as `helm template` output.
    Whole,
    /// Some of them: files named one by one (as pre-commit passes the changed ones), an
    /// editor's buffer. What is not here may still exist.
    Partial,
}

use crate::syntax::placeholder;
use index::HashIndex;

/// Every linted file's facts, by file index, indexed so that a rule's lookups cost what they
/// find rather than a pass over every object (cross-object rules must stay linear in the size
/// of the set).
pub struct Project<'a> {
    pub files: &'a [&'a FileFacts],
    /// Whether `files` is every manifest there is.
    pub set: FileSet,
    /// Objects by kind and namespace, in file order.
    by_kind: HashMap<(&'a str, &'a str), Vec<&'a ObjectFacts>>,
    /// Objects by the hash of their kind, namespace and name, in file order.
    by_name: HashIndex<&'a ObjectFacts>,
    /// Pods by namespace, in file order.
    pods: HashMap<&'a str, Vec<&'a PodFacts>>,
    /// Pods by namespace, then by the hash of one of their labels (key and value): the
    /// candidates of a selector.
    by_label: HashMap<&'a str, HashIndex<&'a PodFacts>>,
    /// Pods by namespace whose labels hold a placeholder (`${APP}`): any selector may match
    /// them, so they are candidates of every selector.
    templated: HashMap<&'a str, Vec<&'a PodFacts>>,
    /// Namespaces with a custom resource, Job or CronJob: something that may create objects.
    creators: HashSet<&'a str>,
    /// Namespaces with a custom resource whose pods (if any) podlint cannot see.
    unmodelled: HashSet<&'a str>,
    /// The set holds a Kustomization: its generators create, its transformers relabel.
    kustomization: bool,
    /// HorizontalPodAutoscalers by the kind, namespace and name they scale, in file order.
    scalers: HashMap<(&'a str, &'a str, &'a str), Vec<&'a ObjectFacts>>,
    /// Namespaces with Pod Security Admission labels, by name: the first declared.
    psa_namespaces: HashMap<&'a str, (usize, &'a [PsaLabel])>,
    /// The file whose findings are being made, when the engine goes file by file.
    focus: Option<usize>,
    /// Where parked own facts come back from ([`FileFacts::park`]).
    parking: Option<Parking<'a>>,
}

/// Gives back the parked own facts of a file (by its index in the set), as
/// [`FileFacts::park`] made them.
pub type Unpark<'a> = dyn FnMut(usize) -> io::Result<Vec<u8>> + 'a;

/// Parked own facts, read back for the file in focus when a rule first asks.
struct Parking<'a> {
    unpark: RefCell<&'a mut Unpark<'a>>,
    focused: OnceCell<Vec<PodOwnFacts>>,
    /// The first failure to read them back: the run cannot be trusted after it.
    error: RefCell<Option<io::Error>>,
}

impl<'a> Project<'a> {
    pub fn new(files: &'a [&'a FileFacts], set: FileSet) -> Self {
        let mut project = Self {
            files,
            set,
            by_kind: HashMap::new(),
            by_name: HashIndex::new(Vec::new()),
            pods: HashMap::new(),
            by_label: HashMap::new(),
            templated: HashMap::new(),
            creators: HashSet::new(),
            unmodelled: HashSet::new(),
            kustomization: false,
            scalers: HashMap::new(),
            psa_namespaces: HashMap::new(),
            focus: None,
            parking: None,
        };
        let objects = files
            .iter()
            .enumerate()
            .flat_map(|(i, f)| f.objects.iter().map(move |o| (i, o)));
        let mut by_name = Vec::new();
        let mut by_label: HashMap<&str, Vec<(u64, &PodFacts)>> = HashMap::new();
        for (file, object) in objects {
            let namespace = object.namespace();
            let kind = &*object.kind;
            project.kustomization |= kind == "Kustomization";
            if object.custom || kind == "Job" || kind == "CronJob" {
                project.creators.insert(namespace);
            }
            if object.custom && object.pods().next().is_none() {
                project.unmodelled.insert(namespace);
            }
            project
                .by_kind
                .entry((kind, namespace))
                .or_default()
                .push(object);
            if let Some((target_kind, target)) = object.scale_target() {
                project
                    .scalers
                    .entry((target_kind, namespace, target))
                    .or_default()
                    .push(object);
            }
            if let (true, false, Some(name)) = (
                object.is("Namespace"),
                object.pod_security().is_empty(),
                &object.name,
            ) {
                project
                    .psa_namespaces
                    .entry(name)
                    .or_insert((file, object.pod_security()));
            }
            if let Some(name) = &object.name {
                by_name.push((index::hash_of(&[kind, namespace, name]), object));
            }
            for pod in object.pods() {
                project.pods.entry(namespace).or_default().push(pod);
                if pod.templated {
                    project.templated.entry(namespace).or_default().push(pod);
                }
                let labels = by_label.entry(namespace).or_default();
                for (key, value) in pod.labels.iter() {
                    labels.push((index::hash_of(&[key, value]), pod));
                }
            }
        }
        project.by_name = HashIndex::new(by_name);
        project.by_label = by_label
            .into_iter()
            .map(|(namespace, pods)| (namespace, HashIndex::new(pods)))
            .collect();
        project
    }

    /// Whether the set is the whole project, so that something absent from it is absent.
    /// Rules that report what is missing say nothing otherwise.
    pub fn is_whole(&self) -> bool {
        self.set == FileSet::Whole
    }

    /// Reads parked own facts back through `unpark` (files whose facts are held in memory do
    /// not need it).
    pub fn with_parking(mut self, unpark: &'a mut Unpark<'a>) -> Self {
        self.parking = Some(Parking {
            unpark: RefCell::new(unpark),
            focused: OnceCell::new(),
            error: RefCell::new(None),
        });
        self
    }

    /// Makes the findings of file `file` only: [`objects`](Self::objects) and what is built
    /// on it go over that file, while every lookup still sees the whole set. The engine goes
    /// file by file so that each file's findings can be handed on before the next are made.
    pub fn focus(&mut self, file: usize) {
        self.focus = Some(file);
        if let Some(parking) = &mut self.parking {
            parking.focused = OnceCell::new();
        }
    }

    /// What only findings at `pod` itself read; `pod` is of file `file`, whose findings are
    /// being made. `None` only when they were parked and could not be read back (the run then
    /// fails: [`take_error`](Self::take_error)).
    pub fn own(&self, file: usize, pod: &PodFacts) -> Option<&PodOwnFacts> {
        let own = match (self.files[file].own(), &self.parking) {
            (Some(own), _) => own,
            (None, Some(parking)) if self.focus == Some(file) => {
                parking.focused.get_or_init(|| parking.read_back(file))
            }
            (None, _) => {
                debug_assert!(
                    false,
                    "own facts of a file out of focus, or parked for none"
                );
                return None;
            }
        };
        own.get(pod.own as usize)
    }

    /// The first failure to read parked own facts back, if any.
    pub fn take_error(&mut self) -> Option<io::Error> {
        self.parking.as_mut()?.error.get_mut().take()
    }

    /// Every object with its file index: the objects whose findings are being made (those of
    /// the file in [`focus`](Self::focus), if any). A rule reports only at these objects'
    /// files.
    pub fn objects(&self) -> impl Iterator<Item = (usize, &'a ObjectFacts)> + '_ {
        let files = match self.focus {
            Some(file) => file..file + 1,
            None => 0..self.files.len(),
        };
        let all = self.files;
        files.flat_map(move |i| all[i].objects.iter().map(move |o| (i, o)))
    }

    /// The HorizontalPodAutoscalers of `namespace` that scale the `kind` called `name`.
    pub fn scalers_of<'s>(
        &'s self,
        kind: &'s str,
        namespace: &'s str,
        name: &'s str,
    ) -> impl Iterator<Item = &'a ObjectFacts> + 's {
        self.scalers
            .get(&(kind, namespace, name))
            .into_iter()
            .flatten()
            .copied()
    }

    /// The Namespace called `name` that has Pod Security Admission labels (the first, if
    /// declared twice), with its file index and labels.
    pub fn psa_namespace(&self, name: &str) -> Option<(&'a str, usize, &'a [PsaLabel])> {
        self.psa_namespaces
            .get_key_value(name)
            .map(|(name, (file, labels))| (*name, *file, *labels))
    }

    /// Every pod (a custom resource may have several) with its object and file index.
    pub fn pods_with_objects(
        &self,
    ) -> impl Iterator<Item = (usize, &'a ObjectFacts, &'a PodFacts)> + '_ {
        self.objects()
            .flat_map(|(f, o)| o.pods().map(move |p| (f, o, p)))
    }

    /// The pods of which podlint can say that an object they name is missing: none when the set
    /// is partial (absent from a part is not absent), and none in a namespace where a
    /// generator, a Job or an operator may create objects at deploy time.
    pub fn pods_where_absence_is_known(
        &self,
    ) -> impl Iterator<Item = (usize, &'a ObjectFacts, &'a PodFacts)> + '_ {
        let whole = self.is_whole();
        self.pods_with_objects()
            .filter(move |(_, o, _)| whole && !self.may_create_in(o.namespace()))
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
        self.by_name
            .get(index::hash_of(&[kind, namespace, name]))
            .find(|o| o.is(kind) && o.namespace() == namespace && o.name.as_deref() == Some(name))
    }

    /// Whether the set declares any object of `kind` in `namespace`. Rules that look for a
    /// named object only speak when it does: a repository that keeps its Secrets elsewhere
    /// is not told they are missing.
    pub fn has_kind(&self, kind: &str, namespace: &str) -> bool {
        self.by_kind.contains_key(&(kind, namespace))
    }

    /// Whether something in the set besides a declaration may create objects in `namespace`:
    /// a custom resource there (its operator), a Job or CronJob there (its pod may run
    /// `kubectl create`), or a Kustomization anywhere (its generators). Rules that report a
    /// ConfigMap, Secret or ServiceAccount as missing say nothing then.
    pub fn may_create_in(&self, namespace: &str) -> bool {
        self.kustomization || self.creators.contains(namespace)
    }

    /// Whether every object of `namespace` that may run pods is modelled: no custom resource
    /// there (nor a Kustomization, which may relabel them) whose pods podlint cannot see.
    pub fn pods_all_known(&self, namespace: &str) -> bool {
        !self.kustomization && !self.unmodelled.contains(namespace)
    }

    /// The namespaces other than `namespace` with pods `selector` selects, sorted.
    pub fn other_namespaces_selected(
        &self,
        namespace: &str,
        selector: &LabelSelector,
    ) -> Vec<&'a str> {
        // Through the label index, as `selected` does: scanning every pod of every other
        // namespace for each dangling selector made this quadratic in the corpus.
        let mut found: Vec<&'a str> = self
            .pods
            .keys()
            .filter(|ns| **ns != namespace && self.selected(ns, selector).next().is_some())
            .copied()
            .collect();
        found.sort_unstable();
        found
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
        // A placeholder value (`app: ${APP}`) may be any label: every pod is a candidate.
        let (every, labelled, templated) = match selector.match_labels.first() {
            Some((_, value)) if placeholder::contains(value) => {
                (self.pods.get(namespace), None, None)
            }
            // Pods whose label only hashes alike are left out by `matches` below.
            Some((key, value)) => (
                None,
                self.by_label
                    .get(namespace)
                    .map(|pods| pods.get(index::hash_of(&[key, value]))),
                self.templated.get(namespace),
            ),
            None => (self.pods.get(namespace), None, None),
        };
        every
            .into_iter()
            .flatten()
            .copied()
            .chain(labelled.into_iter().flatten())
            .chain(templated.into_iter().flatten().copied())
            .filter(move |pod| selector.matches(&pod.labels))
    }
}

impl Parking<'_> {
    /// File `file`'s own facts, parked; none (and the error kept) if they cannot be read.
    fn read_back(&self, file: usize) -> Vec<PodOwnFacts> {
        let bytes = (self.unpark.borrow_mut())(file);
        let own = bytes.and_then(|bytes| {
            park::decode(&bytes).ok_or_else(|| {
                io::Error::new(io::ErrorKind::InvalidData, "parked facts read back damaged")
            })
        });
        own.unwrap_or_else(|error| {
            self.error.borrow_mut().get_or_insert(error);
            Vec::new()
        })
    }
}
