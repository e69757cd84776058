use crate::k8s::WorkloadKind;
use crate::project::Project;
use crate::rule::ProjectContext;
use crate::rule::ProjectRule;

declare_rule! {
    /// ## What it does
    /// Reports a Deployment or StatefulSet whose pods no PodDisruptionBudget among the linted
    /// manifests selects (in the same namespace). Off by default: enable it when the
    /// manifests you lint hold your budgets too. It says nothing when only some files are
    /// linted.
    ///
    /// ## Why it matters in a Pod
    /// Nodes are drained for upgrades, scale-downs and maintenance; a drain evicts every Pod
    /// on the node. Without a PodDisruptionBudget nothing stops the eviction API from taking
    /// all replicas at once when they share a node (or when several nodes drain together), and
    /// the service is down until they are rescheduled and ready. A budget such as
    /// `minAvailable: 1` makes the drain wait for a replacement first.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Deployment
    /// metadata: {name: my-app}      # no PodDisruptionBudget selects app=my-app
    /// ```
    ///
    /// ## How to fix
    /// Add a `policy/v1` PodDisruptionBudget whose `selector` matches the pod template's labels,
    /// with `minAvailable` or `maxUnavailable` set.
    pub struct MissingPdb {
        name: "missing-pdb",
        category: Reliability,
        hook: Project,
        fix: Never,
        summary: "A Deployment or StatefulSet is covered by no PodDisruptionBudget",
        severity: Info,
        enabled: false,
    }
}

impl ProjectRule for MissingPdb {
    fn check(&self, project: &Project<'_>, cx: &mut ProjectContext<'_>) {
        // The budget may be in a file not given.
        if !project.is_whole() {
            return;
        }
        for (file, object, pod) in project.pods_with_objects() {
            if !matches!(
                pod.workload,
                WorkloadKind::Deployment | WorkloadKind::StatefulSet
            ) {
                continue;
            }
            let covered = project
                .of_kind("PodDisruptionBudget", object.namespace())
                .filter_map(|b| b.selector())
                .any(|(selector, _)| selector.matches(&pod.labels));
            if covered {
                continue;
            }
            cx.report(
                file,
                object.anchor,
                format!(
                    "no PodDisruptionBudget selects the pods of {} `{}`; a node drain may evict all its replicas at once",
                    object.kind,
                    object.name.as_deref().unwrap_or("?")
                ),
            )
            .help("add a policy/v1 PodDisruptionBudget with `minAvailable` (or `maxUnavailable`) whose selector matches the pod template's labels");
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::RuleTest;

    const DEPLOYMENT: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: my-app\nspec:\n  selector:\n    matchLabels: {app: my-app}\n  template:\n    metadata:\n      labels: {app: my-app}\n    spec:\n      containers: [{name: app, image: nginx:1.27}]\n";

    #[test]
    fn replicated_workloads_want_a_budget() {
        let pdb = |app: &str| {
            format!("{DEPLOYMENT}---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: my-app\nspec:\n  minAvailable: 1\n  selector:\n    matchLabels: {{app: {app}}}\n")
        };
        let job = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: once\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: a, image: busybox:1.36}]\n";
        RuleTest::new(&super::MissingPdb::META)
            .pass(pdb("my-app"))
            .pass(job)
            .fail(DEPLOYMENT, &["name: my-app"])
            .fail(pdb("other"), &["name: my-app"])
            .run();
    }
}
