//! The compact facts a file leaves behind for cross-object rules: which objects it declares,
//! what their pods are labelled, what they select and what they name. No text is kept.

use crate::k8s::pod_security::{self, Level, Policy, Version, Violation};
use crate::k8s::{Object, WorkloadKind};
use crate::project::selector::{string_map, LabelSelector};
use crate::syntax::NodeRef;
use crate::text::TextRange;

/// What one file declares.
#[derive(Debug, Clone, Default)]
pub struct FileFacts {
    pub objects: Vec<ObjectFacts>,
}

/// One Kubernetes object.
#[derive(Debug, Clone)]
pub struct ObjectFacts {
    pub kind: String,
    pub name: Option<String>,
    /// `metadata.namespace`; `None` is the namespace the objects are applied to.
    pub namespace: Option<String>,
    /// Where a finding about the whole object points: `name: …` in its metadata, else `kind: …`.
    pub anchor: TextRange,
    /// The pod a workload runs.
    pub pod: Option<PodFacts>,
    /// What a Service, NetworkPolicy or PodDisruptionBudget selects, with the range of its
    /// selector's key.
    pub selector: Option<(LabelSelector, TextRange)>,
    /// A HorizontalPodAutoscaler's `scaleTargetRef`: kind and name.
    pub scale_target: Option<(String, String)>,
    /// `spec.replicas: N` as written.
    pub replicas: Option<TextRange>,
    /// A StatefulSet's `serviceName` and its range.
    pub service_name: Option<(String, TextRange)>,
    /// A Service with `clusterIP: None`.
    pub headless: bool,
    /// A Namespace's Pod Security Admission labels.
    pub pod_security: Vec<PsaLabel>,
    /// `spec.replicas` as a number, when written as one.
    pub replica_count: Option<i64>,
    /// A Service's `spec.ports`.
    pub service_ports: Vec<ServicePort>,
    /// The Services an Ingress sends traffic to.
    pub backends: Vec<Backend>,
    /// A PodDisruptionBudget's `minAvailable` or `maxUnavailable`.
    pub budget: Option<Budget>,
    /// Where a HorizontalPodAutoscaler's `scaleTargetRef` is written.
    pub scale_target_range: Option<TextRange>,
}

/// A port a Service exposes.
#[derive(Debug, Clone)]
pub struct ServicePort {
    pub name: Option<String>,
    pub port: Option<i64>,
    /// `targetPort`, when written; else the Service sends to `port` on the pod.
    pub target: Option<PortRef>,
    /// Where `targetPort` (else `port`, else the list item) is written.
    pub range: TextRange,
    pub protocol: String,
}

/// A port named by number or by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PortRef {
    Number(i64),
    Name(String),
}

/// A container port of a pod.
#[derive(Debug, Clone)]
pub struct ContainerPort {
    pub container: String,
    pub name: Option<String>,
    pub number: Option<i64>,
    pub protocol: String,
}

/// An Ingress backend: a Service and one of its ports.
#[derive(Debug, Clone)]
pub struct Backend {
    pub service: String,
    /// Where the Service's name is written.
    pub range: TextRange,
    pub port: Option<(PortRef, TextRange)>,
}

/// A PodDisruptionBudget's limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// `true` for `minAvailable`, `false` for `maxUnavailable`.
    pub min_available: bool,
    pub value: i64,
    pub percent: bool,
    /// `key: value`.
    pub range: TextRange,
}

/// How a namespace applies a Pod Security Standards level (`pod-security.kubernetes.io/<mode>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
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
#[derive(Debug, Clone)]
pub struct PsaLabel {
    pub mode: PsaMode,
    /// What the labels say; an invalid value counts as `restricted`/`latest`, as in PSA.
    pub policy: Policy,
    /// The `pod-security.kubernetes.io/<mode>: <level>` label.
    pub range: TextRange,
    /// Label values the API server rejects, with where and why.
    pub errors: Vec<(TextRange, String)>,
}

/// A pod template (or a bare Pod).
#[derive(Debug, Clone)]
pub struct PodFacts {
    pub workload: WorkloadKind,
    pub labels: Vec<(String, String)>,
    pub references: Vec<Reference>,
    /// What the Pod Security Standards forbid in the pod, at every level and version.
    pub pod_security: Vec<Violation>,
    /// The ports its containers (and sidecar init containers) declare.
    pub ports: Vec<ContainerPort>,
    /// The workload's kind and name, for messages.
    pub owner: Option<String>,
    /// How many copies of this pod run, when the manifest says: `spec.replicas` of a
    /// Deployment, StatefulSet, ReplicaSet or ReplicationController written as a number.
    /// `None` for other kinds and when left out (an autoscaler may own it).
    pub replicas: Option<i64>,
}

/// An object a pod names and needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub kind: RefKind,
    pub name: String,
    /// The name's value.
    pub range: TextRange,
    /// Where it is named: "`envFrom`", "volume `config`", …
    pub via: String,
    /// `optional: true`: the pod starts without it.
    pub optional: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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

    pub fn is(&self, kind: &str) -> bool {
        self.kind == kind
    }

    pub(crate) fn extract(object: &Object<'_, '_>, source: &str) -> Self {
        let root = object.root;
        let metadata = object.metadata();
        let text = |n: Option<NodeRef<'_, '_>>| n.and_then(|n| n.as_string()).map(str::to_string);
        let anchor = metadata
            .and_then(|m| m.entry_range("name"))
            .unwrap_or_else(|| object.kind.range());
        let spec = root.get("spec").filter(|s| s.is_mapping());
        let at = |key: &str| spec.and_then(|s| s.get(key));
        let kind = object.kind_name();
        let selector = match kind {
            "Service" => spec
                .and_then(|s| s.entry("selector"))
                .and_then(|(k, v)| Some((LabelSelector::from_map(v)?, k.range()))),
            "NetworkPolicy" | "PodDisruptionBudget" => {
                let key = if kind == "NetworkPolicy" {
                    "podSelector"
                } else {
                    "selector"
                };
                spec.and_then(|s| s.entry(key))
                    .and_then(|(k, v)| Some((LabelSelector::from_label_selector(v)?, k.range())))
            }
            _ => None,
        };
        let scale_target = (kind == "HorizontalPodAutoscaler")
            .then(|| at("scaleTargetRef"))
            .flatten()
            .and_then(|t| Some((text(t.get("kind"))?, text(t.get("name"))?)));
        let service_name = (kind == "StatefulSet")
            .then(|| spec.and_then(|s| s.entry("serviceName")))
            .flatten()
            .and_then(|(k, v)| Some((v.as_string()?.to_string(), k.range().cover(v.range()))));
        Self {
            kind: kind.to_string(),
            name: text(metadata.and_then(|m| m.get("name"))),
            namespace: text(metadata.and_then(|m| m.get("namespace"))).filter(|n| !n.is_empty()),
            anchor,
            pod: object.pod().map(|pod| PodFacts {
                workload: pod.workload,
                labels: pod
                    .metadata()
                    .and_then(|m| m.get("labels"))
                    .and_then(string_map)
                    .unwrap_or_default(),
                references: references(pod.spec),
                pod_security: pod_security::evaluate(&pod, source),
                ports: container_ports(pod.spec),
                owner: text(metadata.and_then(|m| m.get("name")))
                    .map(|name| format!("{} `{name}`", object.kind_name())),
                replicas: pod
                    .workload
                    .has_replicas()
                    .then(|| at("replicas").and_then(|r| r.as_i64()))
                    .flatten(),
            }),
            selector,
            scale_target,
            replicas: spec.and_then(|s| s.entry_range("replicas")),
            service_name,
            headless: kind == "Service" && at("clusterIP").and_then(|c| c.as_str()) == Some("None"),
            pod_security: if kind == "Namespace" {
                psa_labels(metadata)
            } else {
                Vec::new()
            },
            replica_count: at("replicas").and_then(|r| r.as_i64()),
            service_ports: if kind == "Service" {
                service_ports(spec)
            } else {
                Vec::new()
            },
            backends: if kind == "Ingress" {
                backends(spec)
            } else {
                Vec::new()
            },
            budget: (kind == "PodDisruptionBudget")
                .then(|| budget(spec))
                .flatten(),
            scale_target_range: (kind == "HorizontalPodAutoscaler")
                .then(|| spec.and_then(|s| s.entry_range("scaleTargetRef")))
                .flatten(),
        }
    }
}

const PSA_LABEL_PREFIX: &str = "pod-security.kubernetes.io/";

/// A Namespace's Pod Security Admission labels, one per mode that sets a level.
fn psa_labels(metadata: Option<NodeRef<'_, '_>>) -> Vec<PsaLabel> {
    let Some(labels) = metadata.and_then(|m| m.get("labels")) else {
        return Vec::new();
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
            errors,
        });
    }
    out
}

/// A port number or name as written (`8080`, `"8080"` is a name Kubernetes refuses, `http`).
fn port_ref(node: NodeRef<'_, '_>) -> Option<PortRef> {
    match node.as_i64() {
        Some(n) => Some(PortRef::Number(n)),
        None => node.as_string().map(|s| PortRef::Name(s.to_string())),
    }
}

fn protocol(node: NodeRef<'_, '_>) -> String {
    node.get("protocol")
        .and_then(|p| p.as_str())
        .unwrap_or("TCP")
        .to_string()
}

fn container_ports(spec: NodeRef<'_, '_>) -> Vec<ContainerPort> {
    let sidecars = spec
        .get("initContainers")
        .into_iter()
        .flat_map(|l| l.items())
        .filter(|c| c.get("restartPolicy").and_then(|r| r.as_str()) == Some("Always"));
    let containers = spec.get("containers").into_iter().flat_map(|l| l.items());
    let mut out = Vec::new();
    for container in containers.chain(sidecars) {
        let name = container
            .get("name")
            .and_then(|n| n.as_str())
            .unwrap_or("?");
        for port in container.get("ports").into_iter().flat_map(|l| l.items()) {
            out.push(ContainerPort {
                container: name.to_string(),
                name: port
                    .get("name")
                    .and_then(|n| n.as_string())
                    .map(str::to_string),
                number: port.get("containerPort").and_then(|n| n.as_i64()),
                protocol: protocol(port),
            });
        }
    }
    out
}

fn service_ports(spec: Option<NodeRef<'_, '_>>) -> Vec<ServicePort> {
    let ports = spec.and_then(|s| s.get("ports"));
    ports
        .into_iter()
        .flat_map(|l| l.items())
        .filter(|p| p.is_mapping())
        .map(|p| ServicePort {
            name: p
                .get("name")
                .and_then(|n| n.as_string())
                .map(str::to_string),
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
fn backends(spec: Option<NodeRef<'_, '_>>) -> Vec<Backend> {
    let Some(spec) = spec else {
        return Vec::new();
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
                service: name.as_string()?.to_string(),
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
fn references(spec: NodeRef<'_, '_>) -> Vec<Reference> {
    let mut out = Vec::new();
    let mut push = |kind, name: Option<NodeRef<'_, '_>>, via: String, optional: bool| {
        if let Some(node) = name {
            if let Some(name) = node.as_string().filter(|n| !n.is_empty()) {
                out.push(Reference {
                    kind,
                    name: name.to_string(),
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
                for (key, kind) in [
                    ("configMapKeyRef", RefKind::ConfigMap),
                    ("secretKeyRef", RefKind::Secret),
                ] {
                    if let Some(r) = from.get(key) {
                        let via = format!("variable `{var}` of container `{who}`");
                        push(kind, r.get("name"), via, optional(r));
                    }
                }
            }
            for source in container.get("envFrom").into_iter().flat_map(|l| l.items()) {
                for (key, kind) in [
                    ("configMapRef", RefKind::ConfigMap),
                    ("secretRef", RefKind::Secret),
                ] {
                    if let Some(r) = source.get(key) {
                        let via = format!("`envFrom` of container `{who}`");
                        push(kind, r.get("name"), via, optional(r));
                    }
                }
            }
        }
    }
    for volume in spec.get("volumes").into_iter().flat_map(|l| l.items()) {
        let name = volume.get("name").and_then(|n| n.as_str()).unwrap_or("?");
        let via = || format!("volume `{name}`");
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
            "`imagePullSecrets`".into(),
            false,
        );
    }
    let account = spec
        .get("serviceAccountName")
        .or_else(|| spec.get("serviceAccount"));
    push(
        RefKind::ServiceAccount,
        account,
        "`serviceAccountName`".into(),
        false,
    );
    out
}
