//! Custom resources that carry pods: where their pod templates sit, found by API group and kind.
//!
//! A built-in table covers the common operators; `.podlint.yaml` `pod-templates:` adds more
//! (decoded into the same [`CustomKind`]). A kind is matched by its group (the `apiVersion`
//! before `/`) and its `kind`, never by `kind` alone: a Volcano `Job` is not a `batch/v1` Job.

use std::sync::LazyLock;

use crate::syntax::NodeRef;

/// The group of an `apiVersion`: `apps` for `apps/v1`, `""` for `v1`.
pub fn group_of(api_version: &str) -> &str {
    match api_version.rsplit_once('/') {
        Some((group, _)) => group,
        None => "",
    }
}

/// Whether a group is served by Kubernetes itself. A custom resource's group must contain a dot
/// (the API server refuses a CRD whose group has none), so a dotless group is built in, or a typo
/// of one, which `api-version-kind-mismatch` should report.
pub fn is_builtin_group(group: &str) -> bool {
    !group.contains('.') || group.ends_with(".k8s.io")
}

/// What sits at the end of a template path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TemplateForm {
    /// A PodTemplateSpec: `metadata` + `spec`.
    Template,
    /// A bare PodSpec (`containers`, `volumes`…), with no metadata of its own.
    Spec,
    /// An Argo Workflows template: `container`/`script`/`containerSet`, `initContainers`,
    /// `sidecars`, `volumes`, with the workflow's `volumes` and `volumeClaimTemplates` shared.
    ArgoTemplate,
}

/// One step of a path to a pod template.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Step {
    Key(String),
    /// Every item of a list: `[*]`.
    Items,
    /// Every value of a mapping: `*`.
    Values,
}

/// A custom resource kind that holds pods.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CustomKind {
    /// The API group (`argoproj.io`); matched exactly.
    pub group: String,
    pub kind: String,
    /// Paths from the object's root to each pod template.
    pub paths: Vec<Vec<Step>>,
    pub form: TemplateForm,
    /// The Pods run to completion (the template is a Job's): `restartPolicy` must be
    /// `OnFailure` or `Never`.
    pub runs_to_completion: bool,
    /// `spec.replicas` sets how many identical Pods run.
    pub replicas: bool,
    /// Containers may leave out `name` (Knative names them itself).
    pub container_name_optional: bool,
    /// Fields the resource adds to the PodSpec, which are not unknown there.
    pub extra_spec_fields: Vec<String>,
    /// Probes may leave out `port` (Knative fills in the container's port).
    pub probe_port_optional: bool,
}

impl CustomKind {
    /// A kind with its template paths in podlint's path syntax.
    pub fn new(group: &str, kind: &str, paths: &[&str]) -> Result<Self, String> {
        Ok(Self {
            group: group.to_string(),
            kind: kind.to_string(),
            paths: paths
                .iter()
                .map(|p| parse_path(p))
                .collect::<Result<_, _>>()?,
            form: TemplateForm::Template,
            runs_to_completion: false,
            replicas: false,
            container_name_optional: false,
            extra_spec_fields: Vec::new(),
            probe_port_optional: false,
        })
    }

    /// Each pod template of `root` (an object of this kind), in source order.
    pub fn templates<'d, 'src>(&self, root: NodeRef<'d, 'src>) -> Vec<NodeRef<'d, 'src>> {
        let mut out = Vec::new();
        for path in &self.paths {
            let mut here = vec![root];
            for step in path {
                let mut next = Vec::new();
                for node in here {
                    match step {
                        Step::Key(key) => next.extend(node.get(key)),
                        Step::Items => next.extend(node.items()),
                        Step::Values => next.extend(node.entries().map(|(_, v)| v)),
                    }
                }
                here = next;
            }
            out.extend(here.into_iter().filter(|n| n.is_mapping()));
        }
        out
    }
}

/// Reads `spec.tasks[*].template` or `spec.replicaSpecs.*.template` (`*` for every value of a
/// mapping, `[*]` for every item of a list); an empty path is the object itself.
pub fn parse_path(text: &str) -> Result<Vec<Step>, String> {
    let mut steps = Vec::new();
    let text = text.trim();
    if text.is_empty() || text == "." {
        return Ok(steps);
    }
    for part in text.split('.') {
        let (name, lists) = part.split_at(part.find('[').unwrap_or(part.len()));
        if lists.len() % 3 != 0 || lists.as_bytes().chunks(3).any(|c| c != b"[*]") {
            return Err(format!(
                "`{text}`: only `[*]` (every item of a list) may follow a key"
            ));
        }
        match name {
            "" if lists.is_empty() => return Err(format!("`{text}` has an empty step")),
            "" => {}
            "*" => steps.push(Step::Values),
            name if name.contains([']', '*']) => {
                return Err(format!(
                    "`{text}`: `{name}` is not a key; write `*` for every value of a mapping and `[*]` for every item of a list"
                ))
            }
            name => steps.push(Step::Key(name.to_string())),
        }
        steps.extend(std::iter::repeat_n(Step::Items, lists.len() / 3));
    }
    Ok(steps)
}

/// The built-in kind for `api_version`/`kind`, or one of `extra` (config), which wins.
pub fn find<'c>(api_version: &str, kind: &str, extra: &'c [CustomKind]) -> Option<&'c CustomKind>
where
    'static: 'c,
{
    let group = group_of(api_version);
    let matches = |k: &&CustomKind| k.kind == kind && k.group == group;
    extra
        .iter()
        .find(matches)
        .or_else(|| BUILTIN.iter().find(matches))
}

/// The built-in table, for documentation and tests.
pub fn builtin() -> &'static [CustomKind] {
    &BUILTIN
}

static BUILTIN: LazyLock<Vec<CustomKind>> = LazyLock::new(|| {
    let kind = |group: &str, kind: &str, paths: &[&str]| {
        CustomKind::new(group, kind, paths).expect("built-in paths are well formed")
    };
    let replicated = |mut k: CustomKind| {
        k.replicas = true;
        k
    };
    let batch = |mut k: CustomKind| {
        k.runs_to_completion = true;
        k
    };
    let argo = |k: &str, workflow_spec: &str| {
        let mut k = kind("argoproj.io", k, &[&format!("{workflow_spec}templates[*]")]);
        k.form = TemplateForm::ArgoTemplate;
        k.container_name_optional = true;
        k
    };
    let knative = |k: &str, path: &str| {
        let mut k = kind("serving.knative.dev", k, &[path]);
        k.container_name_optional = true;
        k.probe_port_optional = true;
        k.extra_spec_fields = [
            "containerConcurrency",
            "timeoutSeconds",
            "responseStartTimeoutSeconds",
            "idleTimeoutSeconds",
        ]
        .map(String::from)
        .to_vec();
        k
    };
    let kubeflow =
        |k: &str, specs: &str| kind("kubeflow.org", k, &[&format!("spec.{specs}.*.template")]);
    let ray = |k: &str, prefix: &str| {
        kind(
            "ray.io",
            k,
            &[
                &format!("{prefix}headGroupSpec.template"),
                &format!("{prefix}workerGroupSpecs[*].template"),
            ],
        )
    };
    let mut table = vec![
        replicated(kind("argoproj.io", "Rollout", &["spec.template"])),
        argo("Workflow", "spec."),
        argo("WorkflowTemplate", "spec."),
        argo("ClusterWorkflowTemplate", "spec."),
        argo("CronWorkflow", "spec.workflowSpec."),
        knative("Service", "spec.template"),
        knative("Configuration", "spec.template"),
        knative("Revision", ""),
        batch(kind(
            "keda.sh",
            "ScaledJob",
            &["spec.jobTargetRef.template"],
        )),
        replicated(kind("apps.kruise.io", "CloneSet", &["spec.template"])),
        replicated(kind("apps.kruise.io", "StatefulSet", &["spec.template"])),
        kind("apps.kruise.io", "DaemonSet", &["spec.template"]),
        batch(kind("apps.kruise.io", "BroadcastJob", &["spec.template"])),
        kind("batch.volcano.sh", "Job", &["spec.tasks[*].template"]),
        replicated(kind(
            "apps.openshift.io",
            "DeploymentConfig",
            &["spec.template"],
        )),
        kubeflow("PyTorchJob", "pytorchReplicaSpecs"),
        kubeflow("TFJob", "tfReplicaSpecs"),
        kubeflow("MPIJob", "mpiReplicaSpecs"),
        kubeflow("XGBoostJob", "xgbReplicaSpecs"),
        kubeflow("PaddleJob", "paddleReplicaSpecs"),
        kubeflow("MXJob", "mxReplicaSpecs"),
        kubeflow("JAXJob", "jaxReplicaSpecs"),
        ray("RayCluster", "spec."),
        ray("RayJob", "spec.rayClusterSpec."),
        ray("RayService", "spec.rayClusterConfig."),
        // Job templates, but JobSet's webhook fills in `restartPolicy: OnFailure` when it is
        // left out, so the Job rule about a missing one does not apply.
        kind(
            "jobset.x-k8s.io",
            "JobSet",
            &["spec.replicatedJobs[*].template.spec.template"],
        ),
        kind(
            "leaderworkerset.x-k8s.io",
            "LeaderWorkerSet",
            &[
                "spec.leaderWorkerTemplate.leaderTemplate",
                "spec.leaderWorkerTemplate.workerTemplate",
            ],
        ),
        kind(
            "actions.github.com",
            "AutoscalingRunnerSet",
            &["spec.template"],
        ),
    ];
    // A RayJob may name the submitter's pod too.
    if let Some(ray_job) = table.iter_mut().find(|k| k.kind == "RayJob") {
        ray_job
            .paths
            .push(parse_path("spec.submitterPodTemplate").expect("well formed"));
    }
    table
});

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    #[test]
    fn groups_decide_what_is_built_in() {
        assert!(is_builtin_group(group_of("v1")));
        assert!(is_builtin_group(group_of("apps/v1")));
        assert!(is_builtin_group(group_of("extensions/v1beta1")));
        assert!(is_builtin_group(group_of("networking.k8s.io/v1")));
        assert!(!is_builtin_group(group_of("batch.volcano.sh/v1alpha1")));
        assert!(!is_builtin_group(group_of("apps.kruise.io/v1beta1")));
        assert!(!is_builtin_group(group_of("jobset.x-k8s.io/v1alpha2")));
    }

    #[test]
    fn paths_read_lists_and_map_values() {
        assert_eq!(
            parse_path("spec.tasks[*].template").unwrap(),
            [
                Step::Key("spec".into()),
                Step::Key("tasks".into()),
                Step::Items,
                Step::Key("template".into())
            ]
        );
        assert_eq!(parse_path("spec.x.*.template").unwrap()[2], Step::Values);
        assert!(parse_path("").unwrap().is_empty());
        assert!(parse_path("spec..template").is_err());
        assert!(parse_path("spec.tasks[0]").is_err());
        assert!(parse_path("spec.tasks[*]x").is_err());
    }

    #[test]
    fn templates_are_found_under_wildcards() {
        let text = "apiVersion: kubeflow.org/v1\nkind: PyTorchJob\nspec:\n  pytorchReplicaSpecs:\n    Master:\n      template: {spec: {containers: []}}\n    Worker:\n      template: {spec: {containers: []}}\n";
        let parsed = parse(text);
        let root = parsed.documents[0].root().unwrap();
        let kind = find("kubeflow.org/v1", "PyTorchJob", &[]).unwrap();
        assert_eq!(kind.templates(root).len(), 2);
        assert!(find("batch/v1", "Job", &[]).is_none());
        assert!(find("batch.volcano.sh/v1alpha1", "Job", &[]).is_some());
    }
}
