//! A span-carrying view of one pod: its containers, volumes and settings, read the way the
//! tutorial reads a Pod.

use super::{Object, TemplateForm, WorkloadKind};
use crate::syntax::NodeRef;

/// One PodSpec and where it sits.
#[derive(Clone, Copy, Debug)]
pub struct Pod<'d, 'src> {
    /// The object that holds the pod (the Pod itself, or its workload).
    pub object: Object<'d, 'src>,
    pub workload: WorkloadKind,
    /// The pod template (`metadata` + `spec`); for a bare Pod, the Pod object.
    pub template: NodeRef<'d, 'src>,
    /// The PodSpec mapping.
    pub spec: NodeRef<'d, 'src>,
    /// The PodSpec's `initContainers`, `containers` and `ephemeralContainers` values, looked
    /// up once: every pod rule walks the containers.
    lists: [Option<NodeRef<'d, 'src>>; 3],
}

const KINDS: [ContainerKind; 3] = [
    ContainerKind::Init,
    ContainerKind::Regular,
    ContainerKind::Ephemeral,
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContainerKind {
    Init,
    Regular,
    Ephemeral,
}

impl ContainerKind {
    /// The PodSpec field that lists containers of this kind.
    pub fn field(self) -> &'static str {
        match self {
            ContainerKind::Init => "initContainers",
            ContainerKind::Regular => "containers",
            ContainerKind::Ephemeral => "ephemeralContainers",
        }
    }

    /// How messages name it: "init container", "container", "ephemeral container".
    pub fn noun(self) -> &'static str {
        match self {
            ContainerKind::Init => "init container",
            ContainerKind::Regular => "container",
            ContainerKind::Ephemeral => "ephemeral container",
        }
    }
}

/// One container of a pod, of any kind.
#[derive(Clone, Copy, Debug)]
pub struct Container<'d, 'src> {
    pub node: NodeRef<'d, 'src>,
    pub kind: ContainerKind,
    /// Position in its list.
    pub index: usize,
}

/// How messages name a container ([`Container::who`]).
#[derive(Clone, Copy)]
pub struct Who<'d, 'src>(Container<'d, 'src>);

impl std::fmt::Display for Who<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let noun = self.0.kind.noun();
        match self.0.name() {
            Some(name) if !name.is_empty() => {
                f.write_str(noun)?;
                f.write_str(" `")?;
                f.write_str(name)?;
                f.write_str("`")
            }
            _ => write!(f, "{noun} #{}", self.0.index + 1),
        }
    }
}

impl<'d, 'src> Container<'d, 'src> {
    pub fn get(&self, key: &str) -> Option<NodeRef<'d, 'src>> {
        self.node.get(key)
    }

    pub fn name(&self) -> Option<&'d str> {
        self.node.get("name")?.as_str()
    }

    /// "container `web`", or "container #2" when it has no name.
    pub fn describe(&self) -> String {
        // Built by hand: `format!` costs several times more here.
        let noun = self.kind.noun();
        match self.name() {
            Some(name) if !name.is_empty() => {
                let mut out = String::with_capacity(noun.len() + name.len() + 3);
                out.push_str(noun);
                out.push_str(" `");
                out.push_str(name);
                out.push('`');
                out
            }
            _ => format!("{noun} #{}", self.index + 1),
        }
    }

    /// [`Self::describe`] written only when a message is: many rules name the container
    /// before they know whether they report anything.
    pub fn who(&self) -> Who<'d, 'src> {
        Who(*self)
    }

    /// An init container with `restartPolicy: Always` runs beside the app for the pod's
    /// whole life: a native sidecar.
    pub fn is_sidecar(&self) -> bool {
        self.kind == ContainerKind::Init
            && self.node.get("restartPolicy").and_then(|p| p.as_str()) == Some("Always")
    }

    /// Each item of `ports`.
    pub fn ports(&self) -> impl Iterator<Item = NodeRef<'d, 'src>> + 'd {
        self.list("ports")
    }

    /// Each item of `volumeMounts`.
    pub fn volume_mounts(&self) -> impl Iterator<Item = NodeRef<'d, 'src>> + 'd {
        self.list("volumeMounts")
    }

    /// The items of a list field; nothing when the field is absent or not a list.
    pub fn list(&self, key: &str) -> impl Iterator<Item = NodeRef<'d, 'src>> + 'd {
        self.node.get(key).into_iter().flat_map(|l| l.items())
    }

    /// The range a finding about the whole container points at: its `name` value, else the
    /// container's first line.
    pub fn anchor(&self) -> crate::text::TextRange {
        match self.node.entry("name") {
            Some((key, _)) => key.range().cover(self.node.get("name").unwrap().range()),
            None => self.node.range(),
        }
    }
}

impl<'d, 'src> Pod<'d, 'src> {
    pub(super) fn new(
        object: Object<'d, 'src>,
        workload: WorkloadKind,
        template: NodeRef<'d, 'src>,
        spec: NodeRef<'d, 'src>,
    ) -> Self {
        Self {
            object,
            workload,
            template,
            spec,
            lists: KINDS.map(|kind| spec.get(kind.field())),
        }
    }

    /// Every container: init containers first (they start first), then the app containers,
    /// then ephemeral ones.
    pub fn containers(&self) -> impl Iterator<Item = Container<'d, 'src>> + 'd {
        let spec = self.spec;
        let argo = self.form() == TemplateForm::ArgoTemplate;
        let lists = self.lists;
        KINDS
            .into_iter()
            .zip(lists)
            .flat_map(move |(kind, written)| {
                // A PodSpec's lists are read in place; an Argo template's are gathered.
                let (written, gathered) = if argo {
                    (None, argo_containers(spec, kind))
                } else {
                    (written, Vec::new())
                };
                written
                    .into_iter()
                    .flat_map(|list| list.items())
                    .chain(gathered)
                    .enumerate()
                    .filter(|(_, node)| node.is_mapping())
                    .map(move |(index, node)| Container { node, kind, index })
            })
    }

    /// How the pod is written: a PodSpec, or an Argo Workflows template.
    pub fn form(&self) -> TemplateForm {
        self.object
            .custom
            .map_or(TemplateForm::Template, |c| c.form)
    }

    /// The kind of the object that holds the pod, as written (`Deployment`, `Rollout`).
    pub fn kind_name(&self) -> &'d str {
        self.object.kind_name()
    }

    /// Whether the resource lets containers leave out `name` (Knative, Argo Workflows).
    pub fn container_name_optional(&self) -> bool {
        self.object
            .custom
            .is_some_and(|c| c.container_name_optional)
    }

    pub fn containers_of(
        &self,
        kind: ContainerKind,
    ) -> impl Iterator<Item = Container<'d, 'src>> + 'd {
        self.containers().filter(move |c| c.kind == kind)
    }

    /// Each item of `volumes`; for an Argo Workflows template, the workflow's own `volumes`
    /// too, which every step may mount.
    pub fn volumes(&self) -> impl Iterator<Item = NodeRef<'d, 'src>> + 'd {
        let shared = (self.form() == TemplateForm::ArgoTemplate)
            .then(|| self.workflow_spec())
            .flatten()
            .and_then(|s| s.get("volumes"));
        self.spec
            .get("volumes")
            .into_iter()
            .chain(shared)
            .flat_map(|l| l.items())
    }

    /// Volumes the pod's controller makes for it: a StatefulSet's (or an Argo Workflow's)
    /// `volumeClaimTemplates`, one PersistentVolumeClaim per Pod, mounted by name.
    pub fn claim_templates(&self) -> impl Iterator<Item = NodeRef<'d, 'src>> + 'd {
        let holder = if self.form() == TemplateForm::ArgoTemplate {
            self.workflow_spec()
        } else {
            self.object.root.get("spec")
        };
        holder
            .and_then(|s| s.get("volumeClaimTemplates"))
            .into_iter()
            .flat_map(|l| l.items())
    }

    /// The `spec` of an Argo Workflow (a CronWorkflow's `spec.workflowSpec`).
    fn workflow_spec(&self) -> Option<NodeRef<'d, 'src>> {
        let spec = self.object.root.get("spec")?;
        Some(spec.get("workflowSpec").unwrap_or(spec))
    }

    /// The pod's own metadata: the Pod's, or the template's.
    pub fn metadata(&self) -> Option<NodeRef<'d, 'src>> {
        self.template.get("metadata").filter(|m| m.is_mapping())
    }

    pub fn restart_policy(&self) -> Option<NodeRef<'d, 'src>> {
        self.spec.get("restartPolicy")
    }

    /// The written `spec.replicas` entry (key, value) of a workload that has replicas; `None`
    /// for other kinds and when the count is left out (one Pod, or an autoscaler's choice).
    pub fn replicas(&self) -> Option<(NodeRef<'d, 'src>, NodeRef<'d, 'src>)> {
        if !self.workload.has_replicas() {
            return None;
        }
        self.object.root.get("spec")?.entry("replicas")
    }

    /// Whether this spec belongs to a bare Pod rather than a template.
    pub fn is_bare_pod(&self) -> bool {
        self.workload == WorkloadKind::Pod
    }
}

/// The containers of an Argo Workflows template: `initContainers`; then `container` or
/// `script`, `containerSet.containers` and `sidecars`, which all run as app containers.
fn argo_containers<'d, 'src>(
    template: NodeRef<'d, 'src>,
    kind: ContainerKind,
) -> Vec<NodeRef<'d, 'src>> {
    let list = |key: &str| -> Vec<NodeRef<'d, 'src>> {
        template
            .get(key)
            .into_iter()
            .flat_map(|l| l.items())
            .collect()
    };
    match kind {
        ContainerKind::Init => list("initContainers"),
        ContainerKind::Regular => template
            .get("container")
            .into_iter()
            .chain(template.get("script"))
            .chain(
                template
                    .at(&["containerSet", "containers"])
                    .into_iter()
                    .flat_map(|l| l.items()),
            )
            .chain(list("sidecars"))
            .collect(),
        ContainerKind::Ephemeral => Vec::new(),
    }
}
