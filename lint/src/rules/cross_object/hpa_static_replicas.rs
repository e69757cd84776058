use crate::project::Project;
use crate::rule::ProjectContext;
use crate::rule::ProjectRule;

declare_rule! {
    /// ## What it does
    /// Reports `spec.replicas` on a Deployment, StatefulSet or ReplicaSet that a
    /// HorizontalPodAutoscaler among the linted manifests scales.
    ///
    /// ## Why it matters in a Pod
    /// Once an autoscaler owns a workload, it sets `replicas` itself. A count written in the
    /// manifest is applied again on every `kubectl apply` or GitOps sync: the autoscaler had
    /// scaled to 8 Pods under load, the deploy resets it to 2, six Pods are terminated at
    /// once, and the rest take the traffic until the autoscaler scales back up.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Deployment
    /// metadata: {name: my-app}
    /// spec:
    ///   replicas: 2          # and an HPA with scaleTargetRef {kind: Deployment, name: my-app}
    /// ```
    ///
    /// ## How to fix
    /// Delete `replicas` from the workload and let the autoscaler's `minReplicas` set the
    /// floor.
    pub struct HpaStaticReplicas {
        name: "hpa-static-replicas",
        category: Correctness,
        hook: Project,
        fix: Never,
        summary: "A workload scaled by a HorizontalPodAutoscaler also sets replicas",
    }
}

impl ProjectRule for HpaStaticReplicas {
    fn check(&self, project: &Project<'_>, cx: &mut ProjectContext<'_>) {
        // Each workload that sets replicas, with the autoscalers that scale it: a finding
        // belongs to the workload's file.
        for (file, target) in project.objects() {
            let (Some(replicas), Some(name)) = (target.replicas, &target.name) else {
                continue;
            };
            let kind = &*target.kind;
            for hpa in project.scalers_of(kind, target.namespace(), name) {
                let hpa_name = hpa.name.as_deref().unwrap_or("?");
                cx.report(
                    file,
                    replicas,
                    format!(
                        "{kind} `{name}` is scaled by HorizontalPodAutoscaler `{hpa_name}`, yet sets `replicas`; every apply resets the Pod count to this number and undoes the autoscaler's scaling"
                    ),
                )
                .help("delete `replicas` and let the autoscaler's `minReplicas` set the floor");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::RuleTest;

    fn set(replicas: &str, target: &str) -> String {
        format!("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: my-app\nspec:\n{replicas}  selector:\n    matchLabels: {{app: my-app}}\n  template:\n    metadata:\n      labels: {{app: my-app}}\n    spec:\n      containers: [{{name: app, image: nginx:1.27}}]\n---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: my-app\nspec:\n  scaleTargetRef: {{apiVersion: apps/v1, kind: Deployment, name: {target}}}\n  minReplicas: 2\n  maxReplicas: 10\n")
    }

    #[test]
    fn a_scaled_workload_leaves_replicas_to_the_autoscaler() {
        RuleTest::new(&super::HpaStaticReplicas::META)
            .pass(set("", "my-app"))
            .pass(set("  replicas: 3\n", "other"))
            .fail(set("  replicas: 3\n", "my-app"), &["replicas: 3"])
            .run();
    }
}
