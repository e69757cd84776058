//! The kinds that hold a pod, where their template sits, and which API group serves them.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum WorkloadKind {
    Pod,
    Deployment,
    ReplicaSet,
    StatefulSet,
    DaemonSet,
    Job,
    CronJob,
    ReplicationController,
    PodTemplate,
    /// A custom resource's pod (an Argo Rollout, a Volcano Job…): `replicas` when its
    /// `spec.replicas` counts identical Pods, `batch` when its Pods run to completion.
    Custom {
        replicas: bool,
        batch: bool,
    },
}

impl WorkloadKind {
    pub const ALL: [WorkloadKind; 9] = [
        WorkloadKind::Pod,
        WorkloadKind::Deployment,
        WorkloadKind::ReplicaSet,
        WorkloadKind::StatefulSet,
        WorkloadKind::DaemonSet,
        WorkloadKind::Job,
        WorkloadKind::CronJob,
        WorkloadKind::ReplicationController,
        WorkloadKind::PodTemplate,
    ];

    /// The built-in kind an object is, decided by its API group and kind together: a
    /// `Job` of `batch.volcano.sh` is not a Kubernetes Job.
    pub fn from_type(api_version: &str, kind: &str) -> Option<Self> {
        if !super::custom::is_builtin_group(super::custom::group_of(api_version)) {
            return None;
        }
        Self::ALL.into_iter().find(|k| k.name() == kind)
    }

    pub fn is_custom(self) -> bool {
        matches!(self, WorkloadKind::Custom { .. })
    }

    pub fn name(self) -> &'static str {
        match self {
            WorkloadKind::Pod => "Pod",
            WorkloadKind::Deployment => "Deployment",
            WorkloadKind::ReplicaSet => "ReplicaSet",
            WorkloadKind::StatefulSet => "StatefulSet",
            WorkloadKind::DaemonSet => "DaemonSet",
            WorkloadKind::Job => "Job",
            WorkloadKind::CronJob => "CronJob",
            WorkloadKind::ReplicationController => "ReplicationController",
            WorkloadKind::PodTemplate => "PodTemplate",
            WorkloadKind::Custom { .. } => "custom resource",
        }
    }

    /// The `apiVersion` that serves this kind today.
    pub fn api_version(self) -> &'static str {
        match self {
            WorkloadKind::Pod | WorkloadKind::ReplicationController | WorkloadKind::PodTemplate => {
                "v1"
            }
            WorkloadKind::Deployment
            | WorkloadKind::ReplicaSet
            | WorkloadKind::StatefulSet
            | WorkloadKind::DaemonSet => "apps/v1",
            WorkloadKind::Job | WorkloadKind::CronJob => "batch/v1",
            // Never used to rewrite a custom resource: its own group serves it.
            WorkloadKind::Custom { .. } => "",
        }
    }

    /// API versions that once served this kind and are no longer served, with the release that
    /// removed them.
    pub fn removed_api_versions(self) -> &'static [(&'static str, &'static str)] {
        match self {
            WorkloadKind::Deployment | WorkloadKind::DaemonSet | WorkloadKind::ReplicaSet => &[
                ("extensions/v1beta1", "1.16"),
                ("apps/v1beta1", "1.16"),
                ("apps/v1beta2", "1.16"),
            ],
            WorkloadKind::StatefulSet => &[("apps/v1beta1", "1.16"), ("apps/v1beta2", "1.16")],
            WorkloadKind::CronJob => &[("batch/v1beta1", "1.25"), ("batch/v2alpha1", "1.21")],
            _ => &[],
        }
    }

    /// Keys from the object's root to its pod template (`metadata` + `spec`).
    /// For a Pod the object itself plays the template's part.
    pub fn template_path(self) -> &'static [&'static str] {
        match self {
            WorkloadKind::Pod => &[],
            WorkloadKind::PodTemplate => &["template"],
            WorkloadKind::CronJob => &["spec", "jobTemplate", "spec", "template"],
            // Found through its `CustomKind`'s paths instead.
            WorkloadKind::Custom { .. } => &[],
            _ => &["spec", "template"],
        }
    }

    /// Jobs run to completion: their pods must not restart forever.
    pub fn runs_to_completion(self) -> bool {
        matches!(
            self,
            WorkloadKind::Job | WorkloadKind::CronJob | WorkloadKind::Custom { batch: true, .. }
        )
    }

    /// Controllers that keep a set of pods running.
    pub fn keeps_pods_running(self) -> bool {
        matches!(
            self,
            WorkloadKind::Deployment
                | WorkloadKind::ReplicaSet
                | WorkloadKind::StatefulSet
                | WorkloadKind::DaemonSet
                | WorkloadKind::ReplicationController
        )
    }

    /// Kinds that run a number of identical Pods, set by `spec.replicas` (DaemonSets run one
    /// per node, Jobs a number of completions).
    pub fn has_replicas(self) -> bool {
        matches!(
            self,
            WorkloadKind::Deployment
                | WorkloadKind::StatefulSet
                | WorkloadKind::ReplicaSet
                | WorkloadKind::ReplicationController
                | WorkloadKind::Custom { replicas: true, .. }
        )
    }

    /// Kinds whose `spec.selector` must match the template's labels.
    pub fn has_selector(self) -> bool {
        self.keeps_pods_running()
    }
}

#[cfg(test)]
mod tests {
    use super::WorkloadKind;

    #[test]
    fn core_kinds_are_decided_by_group_and_kind() {
        assert_eq!(
            WorkloadKind::from_type("batch/v1", "Job"),
            Some(WorkloadKind::Job)
        );
        assert_eq!(
            WorkloadKind::from_type("extensions/v1beta1", "Deployment"),
            Some(WorkloadKind::Deployment)
        );
        assert_eq!(
            WorkloadKind::from_type("batch.volcano.sh/v1alpha1", "Job"),
            None
        );
        assert_eq!(
            WorkloadKind::from_type("apps.kruise.io/v1beta1", "StatefulSet"),
            None
        );
    }
}
