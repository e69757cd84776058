//! What the rules about a selector (a Service's, a NetworkPolicy's, a PodDisruptionBudget's)
//! read of the pods it selects, gathered while the directory sweeps every file's pods: a
//! count, and for a Service or a budget the little their messages need. No pod is kept, so a
//! selector that selects a million pods costs what one that selects ten does, unless a
//! message will name them.

use crate::project::facts::{ObjectFacts, PodFacts, PortRef, ServicePort};
use crate::project::intern::Shared;

/// See the module's documentation.
#[derive(Debug, Default)]
pub struct Selection {
    /// How many pods of its namespace it selects.
    pub count: usize,
    /// A Service: for each of its ports, in order, the selected pods that do not declare it.
    pub ports: Box<[PortCheck]>,
    /// What only some selections gather. Boxed apart: the directory holds a selection for
    /// every Service of a corpus, and nearly all of them need none of it.
    more: Option<Box<More>>,
}

#[derive(Debug, Default)]
struct More {
    /// When it selects none in its namespace: the other namespaces with pods it would select.
    elsewhere: Vec<Shared>,
    /// A Service: the port numbers the selected pods declare, in order, for the message about
    /// a numbered port some do not declare; gathered by a second sweep, only then.
    declared: Vec<i64>,
    /// Whether the second sweep gathers `declared`.
    wants_declared: bool,
    /// A PodDisruptionBudget: the replicas of what it selects.
    replicas: Replicas,
}

/// The replicas of a selection that counted none.
static NO_REPLICAS: Replicas = Replicas {
    total: 0,
    known: true,
    owners: Vec::new(),
};

/// The selected pods that do not declare a Service's port.
#[derive(Debug, Default)]
pub struct PortCheck {
    /// The workload of each (`None` for a pod without a name).
    pub missing: Vec<Option<String>>,
}

/// The replicas of the workloads a PodDisruptionBudget selects.
#[derive(Debug)]
pub struct Replicas {
    pub total: i64,
    /// Whether every selected workload writes its replicas as a number.
    pub known: bool,
    /// The selected workloads, while `known` (a message names them only then).
    pub owners: Vec<Option<String>>,
}

impl Default for Replicas {
    fn default() -> Self {
        Self {
            total: 0,
            known: true,
            owners: Vec::new(),
        }
    }
}

impl Selection {
    pub(crate) fn for_object(object: &ObjectFacts) -> Self {
        Self {
            ports: object
                .service_ports()
                .iter()
                .map(|_| PortCheck::default())
                .collect(),
            ..Self::default()
        }
    }

    /// When it selects none in its namespace: the other namespaces with pods it would
    /// select, sorted (gathered only for a whole project).
    pub fn elsewhere(&self) -> &[Shared] {
        self.more.as_ref().map_or(&[], |m| &m.elsewhere)
    }

    /// A Service: the port numbers the selected pods declare (see [`Self::ask_declared`]).
    pub fn declared(&self) -> &[i64] {
        self.more.as_ref().map_or(&[], |m| &m.declared)
    }

    /// A PodDisruptionBudget: the replicas of the workloads it selects.
    pub fn replicas(&self) -> &Replicas {
        self.more.as_ref().map_or(&NO_REPLICAS, |m| &m.replicas)
    }

    pub(crate) fn wants_declared(&self) -> bool {
        self.more.as_ref().is_some_and(|m| m.wants_declared)
    }

    /// Records another namespace with pods it would select.
    pub(crate) fn add_elsewhere(&mut self, namespace: &str, name: impl FnOnce() -> Shared) {
        let elsewhere = &mut self.more().elsewhere;
        if !elsewhere.iter().any(|n| **n == *namespace) {
            elsewhere.push(name());
        }
    }

    /// Ends the sweeps.
    pub(crate) fn finish(&mut self) {
        if let Some(more) = &mut self.more {
            more.elsewhere.sort_unstable();
        }
    }

    fn more(&mut self) -> &mut More {
        self.more.get_or_insert_with(Box::default)
    }

    /// Counts `pod`, which `object` (whose selection this is) selects.
    pub(crate) fn add(&mut self, object: &ObjectFacts, pod: &PodFacts) {
        self.count += 1;
        if object.is("Service") {
            for (port, check) in object.service_ports().iter().zip(&mut self.ports) {
                if target(port).is_some_and(|t| !declares(pod, &t, &port.protocol)) {
                    check.missing.push(pod.owner());
                }
            }
        }
        if object.is("PodDisruptionBudget") && self.replicas().known {
            let replicas = &mut self.more().replicas;
            match pod.replicas {
                Some(n) => {
                    replicas.total = n.saturating_add(replicas.total);
                    replicas.owners.push(pod.owner());
                }
                None => {
                    replicas.known = false;
                    replicas.owners = Vec::new();
                }
            }
        }
    }
}

impl Selection {
    /// After the first sweep: whether a message will list the ports the selected pods
    /// declare (a numbered port that some of them do not), so the second gathers them.
    pub(crate) fn ask_declared(&mut self, object: &ObjectFacts) -> bool {
        let mut ports = object.service_ports().iter().zip(&self.ports);
        let wanted = ports.any(|(port, check)| {
            !check.missing.is_empty() && matches!(target(port), Some(PortRef::Number(_)))
        });
        if wanted {
            self.more().wants_declared = true;
        }
        wanted
    }

    /// Second sweep: `pod` is selected; its port numbers go to `declared` if asked for.
    pub(crate) fn add_declared(&mut self, pod: &PodFacts) {
        if self.wants_declared() {
            self.more()
                .declared
                .extend(pod.ports.iter().filter_map(|p| p.number));
        }
    }
}

/// The port a Service port sends traffic to on its pods: `targetPort`, else `port`.
pub fn target(port: &ServicePort) -> Option<PortRef> {
    match (&port.target, port.port) {
        (Some(target), _) => Some(target.clone()),
        (None, Some(number)) => Some(PortRef::Number(number)),
        (None, None) => None,
    }
}

/// Whether `pod` declares the target port. A number is only compared when the pod declares
/// some ports: many images listen without declaring anything.
fn declares(pod: &PodFacts, target: &PortRef, protocol: &str) -> bool {
    match target {
        PortRef::Name(name) => pod.ports.iter().any(|p| p.name.as_deref() == Some(&**name)),
        PortRef::Number(n) => {
            pod.ports.iter().all(|p| p.number.is_none())
                || pod
                    .ports
                    .iter()
                    .any(|p| p.number == Some(*n) && *p.protocol == *protocol)
        }
    }
}
