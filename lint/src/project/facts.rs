//! The compact facts a file leaves behind for cross-object rules: which objects it declares,
//! what their pods are labelled, what they select and what they name. No text is kept.
//!
//! A pod's facts come in two parts: [`PodFacts`], which rules about other objects look up
//! (labels, ports, replicas), and [`PodOwnFacts`], which only findings at the pod itself read
//! (what it names, what the Pod Security Standards forbid in it). A streaming front end parks a
//! file's facts whole ([`FileFacts::to_bytes`]) once the [`Directory`](super::Directory) has
//! taken what other files look up, and the cross-object stage reads them back.

use crate::k8s::pod_security::{self, Level, Policy, Span, Version, Violation, LATEST_MINOR};
use crate::k8s::{Object, WorkloadKind};
use crate::project::intern::{intern, Shared};
use crate::project::selector::{shared_map, LabelSelector};
use crate::syntax::{placeholder, NodeRef};
use crate::text::TextRange;

/// What one file declares.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct FileFacts {
    pub objects: Vec<ObjectFacts>,
    /// The own facts of its pods ([`PodFacts::own`] says which is whose).
    pub(crate) own: Vec<PodOwnFacts>,
    /// What the Pod Security Standards forbid in each pod, at every level and version, in the
    /// order of `own`. Last: the bulk of the bytes, which parked facts read only when asked.
    pub(crate) violations: Vec<Box<[Violation]>>,
}

impl FileFacts {
    /// Adds the facts of `object`, read from `source`.
    pub(crate) fn add(&mut self, object: &Object<'_, '_>, source: &str) {
        let object = ObjectFacts::extract(object, source, &mut self.own, &mut self.violations);
        self.objects.push(object);
    }

    /// Gives back the spare room of `objects`: a file's facts live until the whole set is done.
    pub fn shrink(&mut self) {
        self.objects.shrink_to_fit();
        self.own.shrink_to_fit();
        self.violations.shrink_to_fit();
    }

    /// The facts as bytes, for a front end to keep wherever it likes until the cross-object
    /// stage reads them back ([`FileFacts::from_bytes`]).
    pub fn to_bytes(&self) -> Vec<u8> {
        super::park::encode(self)
    }

    /// Facts that [`FileFacts::to_bytes`] made; `None` if `bytes` are not such a record.
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        super::park::decode(bytes)
    }

    /// The objects of facts that [`FileFacts::to_bytes`] made, without their pods' own facts
    /// (what a look at other files needs, for a fraction of the reading).
    pub fn objects_from_bytes(bytes: &[u8]) -> Option<Self> {
        super::park::decode_objects(bytes)
    }

    /// The own facts of the file's pods.
    pub(crate) fn own(&self) -> &[PodOwnFacts] {
        &self.own
    }

    /// The objects and own facts of facts that [`FileFacts::to_bytes`] made, without what the
    /// Pod Security Standards forbid in the pods.
    pub fn own_from_bytes(bytes: &[u8]) -> Option<Self> {
        super::park::decode_own(bytes)
    }
}

/// One Kubernetes object. Strings are shared ([`intern`]); what only some kinds have sits in
/// [`Details`], allocated for those kinds alone.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct ObjectFacts {
    pub kind: Shared,
    pub name: Option<Shared>,
    /// `metadata.namespace`; `None` is the namespace the objects are applied to.
    pub namespace: Option<Shared>,
    /// Where a finding about the whole object points: `name: …` in its metadata, else `kind: …`.
    pub anchor: TextRange,
    /// `spec.replicas: N` as written.
    pub replicas: Option<TextRange>,
    /// An object of an API group Kubernetes does not serve itself (a custom resource, a
    /// Kustomization): its controller may create Pods, ConfigMaps, Secrets and
    /// ServiceAccounts podlint cannot see.
    pub custom: bool,
    /// The pods the object runs: a workload's one, a custom resource's several (a Volcano
    /// Job's tasks…).
    pods: Box<[PodFacts]>,
    details: Option<Box<Details>>,
}

/// What Services, NetworkPolicies, PodDisruptionBudgets, HorizontalPodAutoscalers,
/// StatefulSets, ServiceAccounts, Namespaces and Ingresses declare besides the rest: one
/// variant a kind, so an object pays for its own kind's fields only (the cross-object
/// directory holds every Service of a corpus).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
enum Details {
    Service {
        /// `spec.selector`, with the range of its key.
        selector: Option<(LabelSelector, TextRange)>,
        /// `clusterIP: None`.
        headless: bool,
        ports: Box<[ServicePort]>,
    },
    NetworkPolicy {
        /// `spec.podSelector`, with the range of its key.
        selector: Option<(LabelSelector, TextRange)>,
        /// The directions it isolates: (ingress, egress).
        policy_types: (bool, bool),
    },
    PodDisruptionBudget {
        /// `spec.selector`, with the range of its key.
        selector: Option<(LabelSelector, TextRange)>,
        /// `minAvailable` or `maxUnavailable`.
        budget: Option<Budget>,
    },
    HorizontalPodAutoscaler {
        /// `scaleTargetRef`: kind and name.
        target: Option<(Shared, Shared)>,
        /// Where `scaleTargetRef` is written.
        range: Option<TextRange>,
    },
    StatefulSet {
        /// `serviceName` and its range.
        service_name: Option<(Shared, TextRange)>,
    },
    ServiceAccount {
        /// `automountServiceAccountToken`.
        automount: Option<bool>,
    },
    Namespace {
        /// Its Pod Security Admission labels.
        pod_security: Box<[PsaLabel]>,
    },
    Ingress {
        /// The Services it sends traffic to.
        backends: Box<[Backend]>,
    },
}

/// A port a Service exposes.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct ServicePort {
    pub name: Option<Shared>,
    pub port: Option<i64>,
    /// `targetPort`, when written; else the Service sends to `port` on the pod.
    pub target: Option<PortRef>,
    /// Where `targetPort` (else `port`, else the list item) is written.
    pub range: TextRange,
    pub protocol: Shared,
}

/// A port named by number or by name.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum PortRef {
    Number(i64),
    Name(Shared),
}

/// A container port of a pod.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct ContainerPort {
    pub name: Option<Shared>,
    pub number: Option<i64>,
    pub protocol: Shared,
}

/// An Ingress backend: a Service and one of its ports.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Backend {
    pub service: Shared,
    /// Where the Service's name is written.
    pub range: TextRange,
    pub port: Option<(PortRef, TextRange)>,
}

/// A PodDisruptionBudget's limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Budget {
    /// `true` for `minAvailable`, `false` for `maxUnavailable`.
    pub min_available: bool,
    pub value: i64,
    pub percent: bool,
    /// `key: value`.
    pub range: TextRange,
}

/// How a namespace applies a Pod Security Standards level (`pod-security.kubernetes.io/<mode>`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum PsaMode {
    /// The API server rejects a Pod that violates the level.
    Enforce,
    /// The API server accepts the object and answers with a warning.
    Warn,
    /// The API server records the violation in its audit log.
    Audit,
}

impl PsaMode {
    pub const ALL: [PsaMode; 3] = [PsaMode::Enforce, PsaMode::Warn, PsaMode::Audit];

    pub fn as_str(self) -> &'static str {
        match self {
            PsaMode::Enforce => "enforce",
            PsaMode::Warn => "warn",
            PsaMode::Audit => "audit",
        }
    }
}

/// One mode of a Namespace's Pod Security Admission labels, read as the API server reads it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct PsaLabel {
    pub mode: PsaMode,
    /// What the labels say; an invalid value counts as `restricted`/`latest`, as in PSA.
    pub policy: Policy,
    /// The `pod-security.kubernetes.io/<mode>: <level>` label.
    pub range: TextRange,
    /// Label values the API server rejects, with where and why.
    pub errors: Box<[(TextRange, Box<str>)]>,
}

/// A pod template (or a bare Pod): what rules about other objects look up.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct PodFacts {
    pub workload: WorkloadKind,
    /// Whether a label value holds a placeholder (`${APP}`): any selector may match it.
    pub templated: bool,
    pub labels: Box<[(Shared, Shared)]>,
    /// The policies its Pod Security Standards violations break, for a test that needs no
    /// [`PodOwnFacts`].
    pub breaches: Breaches,
    /// The ports its containers (and sidecar init containers) declare.
    pub ports: Box<[ContainerPort]>,
    /// The workload's kind and name, for messages.
    pub(crate) owner: Option<(Shared, Shared)>,
    /// How many copies of this pod run, when the manifest says: `spec.replicas` of a
    /// Deployment, StatefulSet, ReplicaSet or ReplicationController written as a number.
    /// `None` for other kinds and when left out (an autoscaler may own it).
    pub replicas: Option<i64>,
    /// Its entry among its file's own facts.
    pub(crate) own: u32,
}

/// What only findings at a pod itself read: what it names. (What the Pod Security Standards
/// forbid in it is read only for a pod that breaks a policy in force:
/// `Project::violations`.)
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct PodOwnFacts {
    pub references: Box<[Reference]>,
    /// Where a finding about the whole pod points: the template's `spec:` key.
    pub anchor: TextRange,
    /// `automountServiceAccountToken` as written in the PodSpec, with its entry's range.
    pub automount: Option<(bool, TextRange)>,
}

impl PodOwnFacts {
    /// The ServiceAccount the pod runs as: `serviceAccountName`, else `default`.
    pub fn service_account(&self) -> &str {
        self.references
            .iter()
            .find(|r| r.kind == RefKind::ServiceAccount)
            .map_or("default", |r| &r.name)
    }
}

/// The policy versions at which something in a pod is forbidden, one bit per Kubernetes minor
/// and level: whether a policy forbids anything there, without its [`PodOwnFacts`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Breaches {
    baseline: u64,
    restricted: u64,
}

// Every minor a policy can name has its bit.
const _: () = assert!(LATEST_MINOR < 64);

impl Breaches {
    fn add(&mut self, violation: &Violation) {
        self.baseline |= minors(violation.baseline);
        self.restricted |= minors(violation.restricted);
    }

    /// Whether `policy` forbids anything in the pod.
    pub fn any(self, policy: Policy) -> bool {
        let bit = 1u64 << policy.version.minor();
        match policy.level {
            Level::Privileged => false,
            Level::Baseline => self.baseline & bit != 0,
            Level::Restricted => self.restricted & bit != 0,
        }
    }

    /// Whether no policy forbids anything in the pod.
    pub fn is_empty(self) -> bool {
        self.baseline == 0 && self.restricted == 0
    }
}

/// The minors of `span`, as bits (those past [`LATEST_MINOR`] are read as it).
fn minors(span: Span) -> u64 {
    let to = span.to.min(LATEST_MINOR);
    if span.from > to {
        return 0;
    }
    (u64::MAX >> (63 - to)) & (u64::MAX << span.from)
}

impl PodFacts {
    /// The workload, for messages: ``Deployment `web` ``.
    pub fn owner(&self) -> Option<String> {
        self.owner
            .as_ref()
            .map(|(kind, name)| format!("{kind} `{name}`"))
    }
}

/// An object a pod names and needs.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Reference {
    pub kind: RefKind,
    /// `optional: true`: the pod starts without it.
    pub optional: bool,
    /// What names it.
    pub source: RefSource,
    pub name: Box<str>,
    /// The name's value.
    pub range: TextRange,
    /// Where it is named: "`envFrom` of container `app`", "volume `config`", …
    pub via: Box<str>,
}

/// Which field of a pod names a ConfigMap, Secret or ServiceAccount.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum RefSource {
    /// `env[].valueFrom` or `envFrom` of a container.
    Environment,
    /// A volume, or a projected volume's source.
    Volume,
    ImagePullSecrets,
    ServiceAccountName,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum RefKind {
    ConfigMap,
    Secret,
    ServiceAccount,
}

impl RefKind {
    pub fn name(self) -> &'static str {
        match self {
            RefKind::ConfigMap => "ConfigMap",
            RefKind::Secret => "Secret",
            RefKind::ServiceAccount => "ServiceAccount",
        }
    }
}

impl ObjectFacts {
    /// The namespace the object lives in; without `metadata.namespace`, the one it is applied
    /// to, taken to be `default`.
    pub fn namespace(&self) -> &str {
        self.namespace.as_deref().unwrap_or("default")
    }

    /// Every pod of the object.
    pub fn pods(&self) -> impl Iterator<Item = &PodFacts> {
        self.pods.iter()
    }

    /// The pod a workload runs (its first, for a custom resource with several).
    pub fn pod(&self) -> Option<&PodFacts> {
        self.pods.first()
    }

    pub fn is(&self, kind: &str) -> bool {
        *self.kind == *kind
    }

    /// What a Service, NetworkPolicy or PodDisruptionBudget selects, with the range of its
    /// selector's key.
    pub fn selector(&self) -> Option<(&LabelSelector, TextRange)> {
        let (selector, range) = match self.details.as_deref()? {
            Details::Service { selector, .. }
            | Details::NetworkPolicy { selector, .. }
            | Details::PodDisruptionBudget { selector, .. } => selector.as_ref()?,
            _ => return None,
        };
        Some((selector, *range))
    }

    /// A HorizontalPodAutoscaler's `scaleTargetRef`: kind and name.
    pub fn scale_target(&self) -> Option<(&str, &str)> {
        match self.details.as_deref()? {
            Details::HorizontalPodAutoscaler {
                target: Some((kind, name)),
                ..
            } => Some((kind, name)),
            _ => None,
        }
    }

    /// Where a HorizontalPodAutoscaler's `scaleTargetRef` is written.
    pub fn scale_target_range(&self) -> Option<TextRange> {
        match self.details.as_deref()? {
            Details::HorizontalPodAutoscaler { range, .. } => *range,
            _ => None,
        }
    }

    /// A StatefulSet's `serviceName` and its range.
    pub fn service_name(&self) -> Option<(&str, TextRange)> {
        match self.details.as_deref()? {
            Details::StatefulSet {
                service_name: Some((name, range)),
            } => Some((name, *range)),
            _ => None,
        }
    }

    /// A Service with `clusterIP: None`.
    pub fn headless(&self) -> bool {
        matches!(
            self.details.as_deref(),
            Some(Details::Service { headless: true, .. })
        )
    }

    /// A NetworkPolicy's directions: (isolates ingress, isolates egress).
    pub fn policy_types(&self) -> (bool, bool) {
        match self.details.as_deref() {
            Some(Details::NetworkPolicy { policy_types, .. }) => *policy_types,
            _ => (false, false),
        }
    }

    /// A ServiceAccount's `automountServiceAccountToken`.
    pub fn automount(&self) -> Option<bool> {
        match self.details.as_deref()? {
            Details::ServiceAccount { automount } => *automount,
            _ => None,
        }
    }

    /// A Namespace's Pod Security Admission labels.
    pub fn pod_security(&self) -> &[PsaLabel] {
        match self.details.as_deref() {
            Some(Details::Namespace { pod_security }) => pod_security,
            _ => &[],
        }
    }

    /// A Service's `spec.ports`.
    pub fn service_ports(&self) -> &[ServicePort] {
        match self.details.as_deref() {
            Some(Details::Service { ports, .. }) => ports,
            _ => &[],
        }
    }

    /// The Services an Ingress sends traffic to.
    pub fn backends(&self) -> &[Backend] {
        match self.details.as_deref() {
            Some(Details::Ingress { backends }) => backends,
            _ => &[],
        }
    }

    /// A PodDisruptionBudget's `minAvailable` or `maxUnavailable`.
    pub fn budget(&self) -> Option<Budget> {
        match self.details.as_deref()? {
            Details::PodDisruptionBudget { budget, .. } => *budget,
            _ => None,
        }
    }

    /// The facts of `object`; its pods' own facts go to `own`, their violations of the Pod
    /// Security Standards to `violations`.
    fn extract(
        object: &Object<'_, '_>,
        source: &str,
        own: &mut Vec<PodOwnFacts>,
        all_violations: &mut Vec<Box<[Violation]>>,
    ) -> Self {
        let root = object.root;
        let metadata = object.metadata();
        let text = |n: Option<NodeRef<'_, '_>>| n.and_then(|n| n.as_string()).map(intern);
        let anchor = metadata
            .and_then(|m| m.entry_range("name"))
            .unwrap_or_else(|| object.kind.range());
        let spec = root.get("spec").filter(|s| s.is_mapping());
        let at = |key: &str| spec.and_then(|s| s.get(key));
        let kind = intern(object.kind_name());
        let name = text(metadata.and_then(|m| m.get("name")));
        let owner = name.clone().map(|name| (kind.clone(), name));
        let pods = object.pods().into_iter().map(|pod| {
            let violations: Box<[Violation]> = pod_security::evaluate(&pod, source).into();
            let mut breaches = Breaches::default();
            violations.iter().for_each(|v| breaches.add(v));
            let index = u32::try_from(own.len()).unwrap_or(u32::MAX);
            all_violations.push(violations);
            own.push(PodOwnFacts {
                references: references(pod.spec),
                anchor: crate::k8s::security::pod_anchor(&pod),
                automount: pod
                    .spec
                    .entry("automountServiceAccountToken")
                    .and_then(|(k, v)| Some((v.as_bool()?, k.range().cover(v.range())))),
            });
            let labels: Box<[(Shared, Shared)]> = pod
                .metadata()
                .and_then(|m| m.get("labels"))
                .and_then(shared_map)
                .unwrap_or_default();
            PodFacts {
                workload: pod.workload,
                templated: labels.iter().any(|(_, v)| placeholder::contains(v)),
                labels,
                breaches,
                ports: container_ports(pod.spec),
                owner: owner.clone(),
                replicas: pod
                    .workload
                    .has_replicas()
                    .then(|| at("replicas").and_then(|r| r.as_i64()))
                    .flatten(),
                own: index,
            }
        });
        let pods = pods.collect();
        let details = Details::extract(object, &kind, spec).map(Box::new);
        Self {
            name,
            namespace: text(metadata.and_then(|m| m.get("namespace"))).filter(|n| !n.is_empty()),
            anchor,
            replicas: spec.and_then(|s| s.entry_range("replicas")),
            custom: is_custom(object.api_version_name()),
            pods,
            details,
            kind,
        }
    }
}

impl Details {
    /// The details of `object`, of kind `kind`; `None` for a kind without any.
    fn extract(object: &Object<'_, '_>, kind: &str, spec: Option<NodeRef<'_, '_>>) -> Option<Self> {
        let text = |n: Option<NodeRef<'_, '_>>| n.and_then(|n| n.as_string()).map(intern);
        let at = |key: &str| spec.and_then(|s| s.get(key));
        let label_selector = |key: &str| {
            spec.and_then(|s| s.entry(key))
                .and_then(|(k, v)| Some((LabelSelector::from_label_selector(v)?, k.range())))
        };
        Some(match kind {
            "Service" => Details::Service {
                selector: spec
                    .and_then(|s| s.entry("selector"))
                    .and_then(|(k, v)| Some((LabelSelector::from_map(v)?, k.range()))),
                headless: at("clusterIP").and_then(|c| c.as_str()) == Some("None"),
                ports: service_ports(spec),
            },
            "NetworkPolicy" => Details::NetworkPolicy {
                selector: label_selector("podSelector"),
                policy_types: policy_types(spec),
            },
            "PodDisruptionBudget" => Details::PodDisruptionBudget {
                selector: label_selector("selector"),
                budget: budget(spec),
            },
            "HorizontalPodAutoscaler" => Details::HorizontalPodAutoscaler {
                target: at("scaleTargetRef")
                    .and_then(|t| Some((text(t.get("kind"))?, text(t.get("name"))?))),
                range: spec.and_then(|s| s.entry_range("scaleTargetRef")),
            },
            "StatefulSet" => Details::StatefulSet {
                service_name: (object.workload == Some(WorkloadKind::StatefulSet))
                    .then(|| spec.and_then(|s| s.entry("serviceName")))
                    .flatten()
                    .and_then(|(k, v)| Some((intern(v.as_string()?), k.range().cover(v.range())))),
            },
            "ServiceAccount" => Details::ServiceAccount {
                automount: object
                    .root
                    .get("automountServiceAccountToken")
                    .and_then(|v| v.as_bool()),
            },
            "Namespace" => Details::Namespace {
                pod_security: psa_labels(object.metadata()),
            },
            "Ingress" => Details::Ingress {
                backends: backends(spec),
            },
            _ => return None,
        })
    }
}

/// The API groups Kubernetes serves itself (`""` is the core group, `v1`).
const BUILT_IN_GROUPS: &[&str] = &[
    "",
    "admissionregistration.k8s.io",
    "apiextensions.k8s.io",
    "apiregistration.k8s.io",
    "apps",
    "authentication.k8s.io",
    "authorization.k8s.io",
    "autoscaling",
    "batch",
    "certificates.k8s.io",
    "coordination.k8s.io",
    "discovery.k8s.io",
    "events.k8s.io",
    "extensions",
    "flowcontrol.apiserver.k8s.io",
    "internal.apiserver.k8s.io",
    "networking.k8s.io",
    "node.k8s.io",
    "policy",
    "rbac.authorization.k8s.io",
    "resource.k8s.io",
    "scheduling.k8s.io",
    "storage.k8s.io",
    "storagemigration.k8s.io",
];

/// Whether `api_version`'s group is none that Kubernetes serves itself.
fn is_custom(api_version: &str) -> bool {
    let group = api_version.rsplit_once('/').map_or("", |(g, _)| g);
    BUILT_IN_GROUPS.binary_search(&group).is_err()
}

/// Which directions a NetworkPolicy isolates: those in `policyTypes`, or without it ingress
/// always and egress when the policy has `egress` rules (as the API server defaults them).
fn policy_types(spec: Option<NodeRef<'_, '_>>) -> (bool, bool) {
    let Some(spec) = spec else {
        return (true, false);
    };
    match spec.get("policyTypes").filter(|t| t.is_sequence()) {
        Some(types) => {
            let has = |name: &str| types.items().any(|t| t.as_str() == Some(name));
            (has("Ingress"), has("Egress"))
        }
        None => (true, spec.get("egress").is_some()),
    }
}

const PSA_LABEL_PREFIX: &str = "pod-security.kubernetes.io/";

/// A Namespace's Pod Security Admission labels, one per mode that sets a level.
fn psa_labels(metadata: Option<NodeRef<'_, '_>>) -> Box<[PsaLabel]> {
    let Some(labels) = metadata.and_then(|m| m.get("labels")) else {
        return Box::default();
    };
    let mut out = Vec::new();
    for mode in PsaMode::ALL {
        let level_key = format!("{PSA_LABEL_PREFIX}{}", mode.as_str());
        let Some((key, value)) = labels.entry(&level_key) else {
            continue;
        };
        let mut errors = Vec::new();
        let written = value.as_string().unwrap_or("");
        let level = Level::parse(written).unwrap_or_else(|| {
            errors.push((
                value.range(),
                format!("`{written}` is not a Pod Security level; write `privileged`, `baseline` or `restricted` (the API server rejects the Namespace, and reads the label as `restricted`)"),
            ));
            Level::Restricted
        });
        let version = match labels.entry(&format!("{level_key}-version")) {
            Some((_, v)) => {
                let written = v.as_string().unwrap_or("");
                Version::parse_label(written).unwrap_or_else(|message| {
                    errors.push((
                        v.range(),
                        format!("{message} (the API server rejects the Namespace, and reads the label as `latest`)"),
                    ));
                    Version::Latest
                })
            }
            None => Version::Latest,
        };
        out.push(PsaLabel {
            mode,
            policy: Policy { level, version },
            range: key.range().cover(value.range()),
            errors: errors
                .into_iter()
                .map(|(range, message)| (range, message.into_boxed_str()))
                .collect(),
        });
    }
    out.into_boxed_slice()
}

/// A port number or name as written (`8080`, `"8080"` is a name Kubernetes refuses, `http`).
/// A port written as a number or a name; `None` for a placeholder (`${PORT}`), whose value
/// podlint cannot know.
fn port_ref(node: NodeRef<'_, '_>) -> Option<PortRef> {
    match node.as_i64() {
        Some(n) => Some(PortRef::Number(n)),
        None => node
            .as_string()
            .filter(|s| !crate::syntax::placeholder::contains(s))
            .map(|s| PortRef::Name(intern(s))),
    }
}

fn protocol(node: NodeRef<'_, '_>) -> Shared {
    intern(
        node.get("protocol")
            .and_then(|p| p.as_str())
            .unwrap_or("TCP"),
    )
}

fn container_ports(spec: NodeRef<'_, '_>) -> Box<[ContainerPort]> {
    let sidecars = spec
        .get("initContainers")
        .into_iter()
        .flat_map(|l| l.items())
        .filter(|c| c.get("restartPolicy").and_then(|r| r.as_str()) == Some("Always"));
    let containers = spec.get("containers").into_iter().flat_map(|l| l.items());
    let mut out = Vec::new();
    for container in containers.chain(sidecars) {
        for port in container.get("ports").into_iter().flat_map(|l| l.items()) {
            out.push(ContainerPort {
                name: port.get("name").and_then(|n| n.as_string()).map(intern),
                number: port.get("containerPort").and_then(|n| n.as_i64()),
                protocol: protocol(port),
            });
        }
    }
    out.into_boxed_slice()
}

fn service_ports(spec: Option<NodeRef<'_, '_>>) -> Box<[ServicePort]> {
    let ports = spec.and_then(|s| s.get("ports"));
    ports
        .into_iter()
        .flat_map(|l| l.items())
        .filter(|p| p.is_mapping())
        // A `targetPort` that is a placeholder says nothing podlint can check.
        .filter(|p| p.get("targetPort").is_none_or(|t| port_ref(t).is_some()))
        .map(|p| ServicePort {
            name: p.get("name").and_then(|n| n.as_string()).map(intern),
            port: p.get("port").and_then(|n| n.as_i64()),
            target: p.get("targetPort").and_then(port_ref),
            range: p
                .entry_range("targetPort")
                .or_else(|| p.entry_range("port"))
                .unwrap_or_else(|| p.head()),
            protocol: protocol(p),
        })
        .collect()
}

/// Every `service` backend of an Ingress (networking.k8s.io/v1): the default backend and each
/// rule's paths.
fn backends(spec: Option<NodeRef<'_, '_>>) -> Box<[Backend]> {
    let Some(spec) = spec else {
        return Box::default();
    };
    let rules = spec.get("rules").into_iter().flat_map(|l| l.items());
    let paths = rules
        .filter_map(|r| r.at(&["http", "paths"]))
        .flat_map(|l| l.items())
        .filter_map(|p| p.get("backend"));
    spec.get("defaultBackend")
        .into_iter()
        .chain(paths)
        .filter_map(|backend| {
            let service = backend.get("service")?;
            let name = service.get("name")?;
            let port = service.get("port").and_then(|port| {
                let (key, value) = port.entry("number").or_else(|| port.entry("name"))?;
                Some((port_ref(value)?, key.range().cover(value.range())))
            });
            Some(Backend {
                service: intern(name.as_string()?),
                range: name.range(),
                port,
            })
        })
        .collect()
}

fn budget(spec: Option<NodeRef<'_, '_>>) -> Option<Budget> {
    let spec = spec?;
    let (min_available, (key, value)) = spec
        .entry("maxUnavailable")
        .map(|e| (false, e))
        .or_else(|| spec.entry("minAvailable").map(|e| (true, e)))?;
    let (number, percent) = match value.as_i64() {
        Some(n) => (n, false),
        None => {
            let digits = value.as_string()?.strip_suffix('%')?;
            (digits.parse().ok()?, true)
        }
    };
    Some(Budget {
        min_available,
        value: number,
        percent,
        range: key.range().cover(value.range()),
    })
}

/// Every ConfigMap, Secret and ServiceAccount a PodSpec names.
fn references(spec: NodeRef<'_, '_>) -> Box<[Reference]> {
    let mut out = Vec::new();
    let mut push = |kind, name: Option<NodeRef<'_, '_>>, named_by, optional: bool| {
        let (source, via): (RefSource, Box<str>) = named_by;
        if let Some(node) = name {
            // A name filled in later (`${CONFIG}`) cannot be looked up.
            let known = |n: &&str| !n.is_empty() && !placeholder::contains(n);
            if let Some(name) = node.as_string().filter(known) {
                out.push(Reference {
                    kind,
                    source,
                    name: name.into(),
                    range: node.range(),
                    via,
                    optional,
                });
            }
        }
    };
    let optional = |n: NodeRef<'_, '_>| n.get("optional").and_then(|o| o.as_bool()) == Some(true);
    for field in ["initContainers", "containers", "ephemeralContainers"] {
        for container in spec.get(field).into_iter().flat_map(|l| l.items()) {
            let who = container
                .get("name")
                .and_then(|n| n.as_str())
                .unwrap_or("?");
            for env in container.get("env").into_iter().flat_map(|l| l.items()) {
                let Some(from) = env.get("valueFrom") else {
                    continue;
                };
                let var = env.get("name").and_then(|n| n.as_str()).unwrap_or("?");
                let via = || {
                    let text = format!("variable `{var}` of container `{who}`");
                    (RefSource::Environment, text.into_boxed_str())
                };
                for (key, kind) in [
                    ("configMapKeyRef", RefKind::ConfigMap),
                    ("secretKeyRef", RefKind::Secret),
                ] {
                    if let Some(r) = from.get(key) {
                        push(kind, r.get("name"), via(), optional(r));
                    }
                }
            }
            for source in container.get("envFrom").into_iter().flat_map(|l| l.items()) {
                for (key, kind) in [
                    ("configMapRef", RefKind::ConfigMap),
                    ("secretRef", RefKind::Secret),
                ] {
                    if let Some(r) = source.get(key) {
                        let via = format!("`envFrom` of container `{who}`").into_boxed_str();
                        push(
                            kind,
                            r.get("name"),
                            (RefSource::Environment, via),
                            optional(r),
                        );
                    }
                }
            }
        }
    }
    for volume in spec.get("volumes").into_iter().flat_map(|l| l.items()) {
        let name = volume.get("name").and_then(|n| n.as_str()).unwrap_or("?");
        let via = || {
            (
                RefSource::Volume,
                format!("volume `{name}`").into_boxed_str(),
            )
        };
        if let Some(c) = volume.get("configMap") {
            push(RefKind::ConfigMap, c.get("name"), via(), optional(c));
        }
        if let Some(s) = volume.get("secret") {
            push(RefKind::Secret, s.get("secretName"), via(), optional(s));
        }
        let sources = volume.at(&["projected", "sources"]);
        for source in sources.into_iter().flat_map(|l| l.items()) {
            if let Some(c) = source.get("configMap") {
                push(RefKind::ConfigMap, c.get("name"), via(), optional(c));
            }
            if let Some(s) = source.get("secret") {
                push(RefKind::Secret, s.get("name"), via(), optional(s));
            }
        }
    }
    for secret in spec
        .get("imagePullSecrets")
        .into_iter()
        .flat_map(|l| l.items())
    {
        push(
            RefKind::Secret,
            secret.get("name"),
            (RefSource::ImagePullSecrets, "`imagePullSecrets`".into()),
            false,
        );
    }
    let account = spec
        .get("serviceAccountName")
        .or_else(|| spec.get("serviceAccount"));
    push(
        RefKind::ServiceAccount,
        account,
        (RefSource::ServiceAccountName, "`serviceAccountName`".into()),
        false,
    );
    out.into_boxed_slice()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::range;

    /// `Breaches` answers as the violations it sums up would, for every policy.
    #[test]
    fn breaches_answer_as_their_violations() {
        let spans = [
            Span::ALL,
            Span::NEVER,
            Span::since(0),
            Span::since(25),
            Span::until(24),
            Span::since(22).ending(30),
            Span::since(LATEST_MINOR),
            Span::since(LATEST_MINOR + 1),
        ];
        for &baseline in &spans {
            for &restricted in &spans {
                let violation = Violation {
                    control: pod_security::Control::Seccomp,
                    range: range(0, 1),
                    message: String::new(),
                    help: String::new(),
                    fix: None,
                    baseline,
                    restricted,
                };
                let mut breaches = Breaches::default();
                breaches.add(&violation);
                for level in Level::ALL {
                    for minor in (0..=LATEST_MINOR + 2).map(u16::from) {
                        for version in [Version::Minor(minor), Version::Latest] {
                            let policy = Policy { level, version };
                            assert_eq!(
                                breaches.any(policy),
                                violation.applies(policy),
                                "{baseline:?} {restricted:?} {policy:?}"
                            );
                        }
                    }
                }
            }
        }
    }
}
