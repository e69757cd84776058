//! Cross-object checks over the set of manifests linted together.
//!
//! While a file is linted, [`facts`] keeps what other files may need to know about it: its
//! objects, their pods' labels, what Services, NetworkPolicies and PodDisruptionBudgets
//! select, which ConfigMaps, Secrets and ServiceAccounts pods name. Once every file is done,
//! the cross-object rules (`ProjectRule`) run over all of them, one file in focus at a time;
//! what they look up in the other files comes from the [`Directory`], which keeps only what is
//! looked up, so a front end may park each file's facts (on disk) in the meantime.
//! `lint/examples/facts_heap.rs` measures their bytes per document.
//!
//! The engine (`engine::finish_set`) runs them over the facts of every file linted together.
//! Whether those files are the whole project ([`FileSet`]) decides what a rule may conclude
//! from absence: "no ConfigMap called `x`" means something after a directory walk, nothing
//! when pre-commit passed the two files that changed.

mod directory;
mod facts;
mod index;
mod intern;
mod park;
mod selection;
mod selector;

pub use directory::Directory;
pub use facts::{
    Backend, Breaches, Budget, ContainerPort, FileFacts, ObjectFacts, PodFacts, PodOwnFacts,
    PortRef, PsaLabel, PsaMode, RefKind, RefSource, Reference, ServicePort,
};
pub use intern::{intern, Shared};
pub use selection::{target, PortCheck, Replicas, Selection};
pub use selector::{string_map, LabelSelector, Operator, Requirement};

use std::borrow::Cow;
use std::cell::{OnceCell, RefCell};
use std::io;

use crate::k8s::pod_security::Violation;

/// Gives back the parked facts of a file (by its index in the set), as
/// [`FileFacts::to_bytes`] made them.
pub type Unpark<'a> = dyn FnMut(usize) -> io::Result<Vec<u8>> + 'a;

/// Whether the files linted together are the whole project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileSet {
    /// Every manifest there is: a directory walk, a stream such as `helm template` output.
    Whole,
    /// Some of them: files named one by one (as pre-commit passes the changed ones), an
    /// editor's buffer. What is not here may still exist.
    Partial,
}

/// How much of a file's facts the cross-object stage needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// Its objects, to see what they select.
    Objects,
    /// Its objects and its pods' own facts, to make its findings.
    Own,
    /// Everything, with what the Pod Security Standards forbid in its pods.
    Whole,
}

/// Gives a file's facts (by its index in the set), at least `Part` of them: from memory, or
/// read back from where a streaming front end parked them.
pub type ReadFacts<'a> = dyn FnMut(usize, Part) -> io::Result<Cow<'a, FileFacts>> + 'a;

/// The facts of every file linted together, for the cross-object rules: the
/// [`Directory`] of what files look up in each other, and the facts of the file whose
/// findings are being made ([`focus`](Project::focus)). Lookups cost what they find rather
/// than a pass over every object (cross-object rules must stay linear in the size of the set).
pub struct Project<'a> {
    directory: &'a Directory,
    /// Whether the files are every manifest there is.
    pub set: FileSet,
    read: RefCell<Box<ReadFacts<'a>>>,
    /// The file whose findings are being made.
    focus: Option<Focus<'a>>,
    /// The first failure to read facts back: the run cannot be trusted after it.
    error: RefCell<Option<io::Error>>,
}

/// The file in focus: its objects and own facts, and everything once a rule asks for its
/// pods' violations.
struct Focus<'a> {
    file: usize,
    facts: Cow<'a, FileFacts>,
    whole: OnceCell<Option<Cow<'a, FileFacts>>>,
}

impl<'a> Project<'a> {
    pub fn new(directory: &'a Directory, set: FileSet, read: Box<ReadFacts<'a>>) -> Self {
        Self {
            directory,
            set,
            read: RefCell::new(read),
            focus: None,
            error: RefCell::new(None),
        }
    }

    /// Makes the findings of file `file`: [`objects`](Self::objects) and what is built on it
    /// go over that file, while every lookup sees the whole set. The engine goes file by file
    /// so that each file's findings can be handed on before the next are made.
    pub fn focus(&mut self, file: usize) -> io::Result<()> {
        let facts = (self.read.get_mut())(file, Part::Own)?;
        self.focus = Some(Focus {
            file,
            facts,
            whole: OnceCell::new(),
        });
        Ok(())
    }

    /// What only findings at `pod` itself read; `pod` is of file `file`, the file in focus.
    pub fn own(&self, file: usize, pod: &PodFacts) -> Option<&PodOwnFacts> {
        let focus = self.focused(file)?;
        focus.facts.own().get(pod.own as usize)
    }

    /// What the Pod Security Standards forbid in `pod`, of file `file` (the file in focus), at
    /// every level and version. Parked facts read them back when first asked: most pods break
    /// no policy in force. `None` only when they could not be read back (the run then fails:
    /// [`take_error`](Self::take_error)).
    pub fn violations(&self, file: usize, pod: &PodFacts) -> Option<&[Violation]> {
        let focus = self.focused(file)?;
        let facts = if focus.facts.violations.len() == focus.facts.own.len() {
            &focus.facts
        } else {
            let whole = focus.whole.get_or_init(|| {
                let read = (self.read.borrow_mut())(file, Part::Whole);
                read.map_err(|error| self.error.borrow_mut().get_or_insert(error).kind())
                    .ok()
            });
            whole.as_ref()?
        };
        facts.violations.get(pod.own as usize).map(|v| &v[..])
    }

    fn focused(&self, file: usize) -> Option<&Focus<'a>> {
        let focus = self.focus.as_ref().filter(|f| f.file == file);
        debug_assert!(focus.is_some(), "facts of a file out of focus");
        focus
    }

    /// The first failure to read facts back, if any.
    pub fn take_error(&mut self) -> Option<io::Error> {
        self.error.get_mut().take()
    }

    /// Whether the set is the whole project, so that something absent from it is absent.
    /// Rules that report what is missing say nothing otherwise.
    pub fn is_whole(&self) -> bool {
        self.set == FileSet::Whole
    }

    /// The objects whose findings are being made (those of the file in
    /// [`focus`](Self::focus)), with its index. A rule reports only at these objects' files.
    pub fn objects(&self) -> impl Iterator<Item = (usize, &ObjectFacts)> + use<'_, 'a> {
        self.focus
            .iter()
            .flat_map(|f| f.facts.objects.iter().map(move |o| (f.file, o)))
    }

    /// The HorizontalPodAutoscalers of `namespace` that scale the `kind` called `name`.
    pub fn scalers_of(&self, kind: &str, namespace: &str, name: &str) -> Vec<&'a ObjectFacts> {
        self.directory.scalers_of(kind, namespace, name)
    }

    /// The Namespace called `name` that has Pod Security Admission labels (the first, if
    /// declared twice), with its file index and labels.
    pub fn psa_namespace(&self, name: &str) -> Option<(&'a str, usize, &'a [PsaLabel])> {
        let (file, namespace) = self.directory.psa_namespace(name)?;
        Some((namespace.name.as_deref()?, file, namespace.pod_security()))
    }

    /// Every pod (a custom resource may have several) with its object and file index.
    pub fn pods_with_objects(
        &self,
    ) -> impl Iterator<Item = (usize, &ObjectFacts, &PodFacts)> + use<'_, 'a> {
        self.objects()
            .flat_map(|(f, o)| o.pods().map(move |p| (f, o, p)))
    }

    /// The pods of which podlint can say that an object they name is missing: none when the set
    /// is partial (absent from a part is not absent), and none in a namespace where a
    /// generator, a Job or an operator may create objects at deploy time.
    pub fn pods_where_absence_is_known(
        &self,
    ) -> impl Iterator<Item = (usize, &ObjectFacts, &PodFacts)> + use<'_, 'a> {
        let whole = self.is_whole();
        self.pods_with_objects()
            .filter(move |(_, o, _)| whole && !self.may_create_in(o.namespace()))
    }

    /// Objects of `kind` in `namespace`, in file order: only of the kinds the directory holds
    /// whole (`Service`, `NetworkPolicy`, `PodDisruptionBudget`, …).
    pub fn of_kind<'s>(
        &'s self,
        kind: &'s str,
        namespace: &'s str,
    ) -> impl Iterator<Item = &'a ObjectFacts> + 's {
        self.directory.of_kind(kind, namespace)
    }

    /// The object of `kind` called `name` in `namespace` (the first, if declared twice): only
    /// of the kinds the directory holds whole. [`declares`](Self::declares) says whether one of
    /// any kind exists.
    pub fn named(&self, kind: &str, namespace: &str, name: &str) -> Option<&'a ObjectFacts> {
        self.directory.named(kind, namespace, name)
    }

    /// Whether the set declares an object of `kind` called `name` in `namespace`.
    pub fn declares(&self, kind: &str, namespace: &str, name: &str) -> bool {
        self.directory.declares(kind, namespace, name)
    }

    /// Whether the set declares any object of `kind` in `namespace`. Rules that look for a
    /// named object only speak when it does: a repository that keeps its Secrets elsewhere
    /// is not told they are missing.
    pub fn has_kind(&self, kind: &str, namespace: &str) -> bool {
        self.directory.has_kind(kind, namespace)
    }

    /// Whether something in the set besides a declaration may create objects in `namespace`:
    /// a custom resource there (its operator), a Job or CronJob there (its pod may run
    /// `kubectl create`), or a Kustomization anywhere (its generators). Rules that report a
    /// ConfigMap, Secret or ServiceAccount as missing say nothing then.
    pub fn may_create_in(&self, namespace: &str) -> bool {
        self.directory.may_create_in(namespace)
    }

    /// Whether every object of `namespace` that may run pods is modelled: no custom resource
    /// there (nor a Kustomization, which may relabel them) whose pods podlint cannot see.
    pub fn pods_all_known(&self, namespace: &str) -> bool {
        self.directory.pods_all_known(namespace)
    }

    /// Whether `namespace` has any pod (pod template or bare Pod).
    pub fn has_pods(&self, namespace: &str) -> bool {
        self.directory.has_pods(namespace)
    }

    /// The pods `object` (a Service, NetworkPolicy or PodDisruptionBudget of file `file`, the
    /// file in focus) selects in its namespace, and where it would select some otherwise.
    pub fn selection(&self, file: usize, object: &ObjectFacts) -> Option<&'a Selection> {
        self.directory.selection(file, object)
    }
}
