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
    /// When it selects none there: the other namespaces with pods it would select, sorted.
    pub elsewhere: Vec<Shared>,
    /// A Service: for each of its ports, in order, the selected pods that do not declare it.
    pub ports: Vec<PortCheck>,
    /// A Service: the port numbers the selected pods declare, in order, for the message about
    /// a numbered port some do not declare; gathered by a second sweep, only then.
    pub declared: Vec<i64>,
    /// Whether the second sweep gathers `declared`.
    pub(crate) wants_declared: bool,
    /// A PodDisruptionBudget: the replicas of what it selects.
    pub replicas: Replicas,
}

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
        if object.is("PodDisruptionBudget") && self.replicas.known {
            let replicas = &mut self.replicas;
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
        let ports = object.service_ports().iter().zip(&self.ports);
        self.wants_declared = ports
            .filter(|(_, check)| !check.missing.is_empty())
            .any(|(port, _)| matches!(target(port), Some(PortRef::Number(_))));
        self.wants_declared
    }

    /// Second sweep: `pod` is selected; its port numbers go to `declared` if asked for.
    pub(crate) fn add_declared(&mut self, pod: &PodFacts) {
        if self.wants_declared {
            self.declared
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
