use crate::project::Project;
use crate::rule::{ProjectContext, ProjectRule};

/// Kinds an autoscaler cannot scale: they have no `replicas` (scale subresource).
const UNSCALABLE: [&str; 5] = ["DaemonSet", "Job", "CronJob", "Pod", "Service"];

declare_rule! {
    /// ## What it does
    /// Reports a HorizontalPodAutoscaler whose `scaleTargetRef` names a kind that has no
    /// replica count to scale (DaemonSet, Job, CronJob, Pod), or a workload the linted
    /// manifests do not declare in its namespace. It says nothing of a missing workload when
    /// the namespace has no workload in the set: the target may live elsewhere.
    ///
    /// ## Why it matters in a Pod
    /// The autoscaler adds and removes Pods by changing its target's `replicas`. When the
    /// target does not exist (a renamed Deployment, a typo, `kind: Deployment` for a
    /// StatefulSet), the autoscaler reports `FailedGetScale` and scales nothing: the workload
    /// keeps its fixed Pod count under any load. A DaemonSet runs one Pod per node and a Job
    /// runs to completion: neither has a `replicas` to change.
    ///
    /// ## Example
    /// ```yaml
    /// kind: HorizontalPodAutoscaler
    /// spec:
    ///   scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web-app}   # it is `web`
    /// ```
    ///
    /// ## How to fix
    /// Name the workload's exact kind and `metadata.name`.
    pub struct HpaTargetMissing {
        name: "hpa-target-missing",
        category: Correctness,
        hook: Project,
        fix: Never,
        summary: "A HorizontalPodAutoscaler targets a workload that is not in the set or cannot scale",
    }
}

impl ProjectRule for HpaTargetMissing {
    fn check(&self, project: &Project<'_>, cx: &mut ProjectContext<'_>) {
        for (file, hpa) in project.objects() {
            let (Some((kind, name)), Some(range)) = (hpa.scale_target(), hpa.scale_target_range())
            else {
                continue;
            };
            let hpa_name = hpa.name.as_deref().unwrap_or("?");
            if UNSCALABLE.contains(&kind) {
                cx.report(
                    file,
                    range,
                    format!("HorizontalPodAutoscaler `{hpa_name}` targets {kind} `{name}`, which has no replica count to scale: the autoscaler will only report `FailedGetScale`"),
                )
                .help("target a Deployment, StatefulSet or ReplicaSet");
                continue;
            }
            let namespace = hpa.namespace();
            if project.declares(kind, namespace, name) {
                continue;
            }
            if !project.has_kind(kind, namespace) && !project.has_pods(namespace) {
                continue;
            }
            // Same name under another kind: the usual mistake.
            let other = [
                "Deployment",
                "StatefulSet",
                "ReplicaSet",
                "ReplicationController",
            ]
            .into_iter()
            .find(|k| *k != kind && project.declares(k, namespace, name));
            let d = cx.report(
                file,
                range,
                format!("HorizontalPodAutoscaler `{hpa_name}` scales {kind} `{name}`, which is not among the linted workloads of namespace `{namespace}`; it will scale nothing"),
            );
            match other {
                Some(other) => d.help(format!("`{name}` is a {other}: write `kind: {other}`")),
                None => {
                    d.help("name the workload's exact kind and `metadata.name` in `scaleTargetRef`")
                }
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::RuleTest;

    fn set(target: &str) -> String {
        format!("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {{app: web}}\n  template:\n    metadata:\n      labels: {{app: web}}\n    spec:\n      containers: [{{name: web, image: my-web:1.0}}]\n---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\nspec:\n  scaleTargetRef: {target}\n  minReplicas: 2\n  maxReplicas: 10\n")
    }

    #[test]
    fn targets_must_be_in_the_set() {
        let alone = "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: elsewhere}\n  maxReplicas: 3\n";
        RuleTest::new(&super::HpaTargetMissing::META)
            .pass(set("{apiVersion: apps/v1, kind: Deployment, name: web}"))
            .pass(alone)
            .fail(
                set("{apiVersion: apps/v1, kind: DaemonSet, name: web}"),
                &["scaleTargetRef: {apiVersion: apps/v1, kind: DaemonSet, name: web}"],
            )
            .fail(
                set("{apiVersion: apps/v1, kind: Deployment, name: web-app}"),
                &["scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web-app}"],
            )
            .fail(
                set("{apiVersion: apps/v1, kind: StatefulSet, name: web}"),
                &["scaleTargetRef: {apiVersion: apps/v1, kind: StatefulSet, name: web}"],
            )
            .run();
    }
}
