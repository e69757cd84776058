use crate::diagnostic::Fix;
use crate::k8s::Pod;
use crate::rule::{Context, PodRule};
use crate::rules::edits::{delete_entry_lines, entry_range};

declare_rule! {
    /// ## What it does
    /// Reports `activeDeadlineSeconds` in the pod template of a Deployment, ReplicaSet,
    /// StatefulSet, DaemonSet or ReplicationController, and, anywhere else (a Pod, a Job's or
    /// CronJob's template), a value outside 1 – 2147483647.
    ///
    /// ## Why it matters in a Pod
    /// `activeDeadlineSeconds` is a stopwatch: once the Pod has run that long, the kubelet
    /// kills all its containers and the Pod ends as `Failed` (`DeadlineExceeded`). That suits
    /// a batch Pod that must not run forever. A controller that keeps Pods running would
    /// replace each one the moment its deadline hit, so the API server rejects the field in
    /// their templates ("activeDeadlineSeconds in ReplicaSet is not Supported"). Where it is
    /// allowed, zero or a negative number is rejected too.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Deployment
    /// spec:
    ///   template:
    ///     spec:
    ///       activeDeadlineSeconds: 3600
    /// ```
    ///
    /// ## How to fix
    /// Remove it from long-running workloads. To bound a batch task, run it as a Job and set
    /// `activeDeadlineSeconds` on the Job's `spec` (the whole Job's deadline) or its template.
    pub struct TemplateActiveDeadlineForbidden {
        name: "template-active-deadline-forbidden",
        category: ApiRejects,
        hook: Pod,
        fix: Sometimes,
        summary: "activeDeadlineSeconds in a long-running workload's template, or out of range",
    }
}

impl PodRule for TemplateActiveDeadlineForbidden {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        let Some((key, value)) = pod.spec.entry("activeDeadlineSeconds") else {
            return;
        };
        if value.is_null() {
            return;
        }
        let range = entry_range(cx.source, key, value);
        if pod.workload.keeps_pods_running() {
            let kind = pod.kind_name();
            let removal = delete_entry_lines(cx.source, key, value);
            let d = cx.report(
                range,
                format!("a {kind} keeps its Pods running, so its template may not set `activeDeadlineSeconds`: the API server rejects it, since every Pod would be killed and replaced when the deadline hits"),
            );
            d.help(
                "remove it; to bound a batch task, run it as a Job with `activeDeadlineSeconds`",
            );
            if let Some(edit) = removal {
                d.fix(Fix::unsafe_("Remove `activeDeadlineSeconds`", vec![edit]));
            }
            return;
        }
        // A non-number is schema-type-mismatch's.
        let Some(seconds) = value.as_i64() else {
            return;
        };
        if !(1..=i64::from(i32::MAX)).contains(&seconds) {
            cx.report(
                range,
                format!("`activeDeadlineSeconds: {seconds}` is out of range: the deadline is counted in seconds from the Pod's start and must be between 1 and 2147483647"),
            )
            .help("set how many seconds the Pod may run before it is stopped, e.g. `activeDeadlineSeconds: 600`, or remove the field for no deadline");
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    fn workload(kind: &str, api: &str) -> String {
        format!("apiVersion: {api}\nkind: {kind}\nmetadata:\n  name: w\nspec:\n  template:\n    spec:\n      activeDeadlineSeconds: 60\n      containers:\n      - name: app\n        image: a\n")
    }

    #[test]
    fn forbidden_in_long_running_templates_and_ranged_elsewhere() {
        let job = workload("Job", "batch/v1");
        let bare =
            pod("  activeDeadlineSeconds: 600\n  containers:\n  - name: app\n    image: a\n");
        let zero = pod("  activeDeadlineSeconds: 0\n  containers:\n  - name: app\n    image: a\n");
        let deployment = workload("Deployment", "apps/v1");
        let statefulset = workload("StatefulSet", "apps/v1");
        RuleTest::new(&super::TemplateActiveDeadlineForbidden::META)
            .pass(&job)
            .pass(&bare)
            .fail(&zero, &["activeDeadlineSeconds: 0"])
            .fail(&deployment, &["activeDeadlineSeconds: 60"])
            .fail(&statefulset, &["activeDeadlineSeconds: 60"])
            .run();
    }
}
