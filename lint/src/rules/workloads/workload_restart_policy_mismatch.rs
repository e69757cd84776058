use crate::diagnostic::Fix;
use crate::k8s::{Pod, WorkloadKind};
use crate::rule::{Context, PodRule};
use crate::rules::edits::{entry_range, insert_first_entry, replace_scalar};
use crate::syntax::NodeRef;
use crate::text::TextRange;

declare_rule! {
    /// ## What it does
    /// Reports a pod template whose `restartPolicy` does not fit its controller:
    /// Deployment, ReplicaSet, StatefulSet, DaemonSet and ReplicationController templates
    /// must use `Always`; Job and CronJob templates must use `OnFailure` or `Never` — and
    /// `Never` when the Job has a `podFailurePolicy`. A Job or CronJob template that leaves
    /// `restartPolicy` out is reported too: it defaults to `Always`, which a Job rejects.
    ///
    /// ## Why it matters in a Pod
    /// The restart policy says what the kubelet does when a container exits. Controllers
    /// such as a Deployment keep a number of Pods *running*: a container that exits must come
    /// back, so anything but `Always` is rejected. A Job runs Pods to *completion*: with
    /// `Always` its Pods could never finish, so the API server rejects that — including the
    /// `Always` it fills in when the field is omitted, the usual surprise when turning a Pod
    /// into a Job. With a `podFailurePolicy`, the Job controller must see each failed Pod,
    /// so containers must not be restarted in place: only `Never` is allowed.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: batch/v1
    /// kind: Job
    /// metadata:
    ///   name: db-migrate
    /// spec:
    ///   template:
    ///     spec:
    ///       containers:
    ///       - name: migrate
    ///         image: my-app:1.0
    /// ```
    ///
    /// ## How to fix
    /// Jobs: add `restartPolicy: OnFailure` (retry the container in the same Pod) or `Never`
    /// (a failed Pod is replaced by a new one) to the template's `spec`; the fix inserts
    /// `OnFailure` (`Never` with a `podFailurePolicy`). Long-running controllers: use
    /// `Always` or leave the field out. Fixes that change a written value are unsafe.
    pub struct WorkloadRestartPolicyMismatch {
        name: "workload-restart-policy-mismatch",
        category: ApiRejects,
        hook: Pod,
        fix: Sometimes,
        summary: "A pod template's restartPolicy does not fit its controller (Deployment vs Job)",
    }
}

impl PodRule for WorkloadRestartPolicyMismatch {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        let source = cx.source;
        let kind = pod.workload;
        let policy = pod.restart_policy().filter(|p| !p.is_null());
        let text = policy.and_then(|p| p.as_string());
        if kind.keeps_pods_running() {
            let (Some(node), Some(text @ ("OnFailure" | "Never"))) = (policy, text) else {
                return;
            };
            cx.report(
                policy_range(source, pod, node),
                format!("a {} keeps its Pods running, so its template's restartPolicy must be `Always`, not `{text}`", kind.name()),
            )
            .help("write `Always` or remove the field (it defaults to `Always`); for work that should finish, use a Job")
            .fix(Fix::unsafe_("Write `Always`", vec![replace_scalar(source, node, "Always")]));
        } else if kind.runs_to_completion() {
            check_job(pod, policy, text, cx);
        }
    }
}

fn check_job(
    pod: &Pod<'_, '_>,
    policy: Option<NodeRef<'_, '_>>,
    text: Option<&str>,
    cx: &mut Context<'_>,
) {
    let source = cx.source;
    let kind = pod.kind_name();
    let job_spec = match pod.workload {
        WorkloadKind::CronJob => pod.object.root.at(&["spec", "jobTemplate", "spec"]),
        // Where a custom resource keeps its Job spec varies; `podFailurePolicy` is not read.
        WorkloadKind::Custom { .. } => None,
        _ => pod.object.root.get("spec"),
    };
    let failure_policy = job_spec
        .and_then(|s| s.entry("podFailurePolicy"))
        .filter(|(_, v)| !v.is_null());
    let wanted = if failure_policy.is_some() {
        "Never"
    } else {
        "OnFailure"
    };
    match (policy, text) {
        (None, _) => {
            let Some((spec_key, _)) = pod.template.entry("spec") else {
                return;
            };
            let d = cx.report(
                spec_key.range(),
                format!("this {kind}'s pod template has no restartPolicy, so it defaults to `Always`, which a {kind} rejects: its Pods must be able to finish"),
            );
            if pod.spec.get("restartPolicy").is_some() {
                // Written but empty: the value to fill in is clear, the place less so.
                d.help(format!("write `restartPolicy: {wanted}`"));
                return;
            }
            d.help(format!(
                "add `restartPolicy: {wanted}` to the template's spec ({})",
                explain(wanted)
            ));
            if let Some(edit) =
                insert_first_entry(source, pod.spec, &format!("restartPolicy: {wanted}"))
            {
                d.fix(Fix::safe(
                    format!("Add `restartPolicy: {wanted}`"),
                    vec![edit],
                ));
            }
        }
        (Some(node), Some("Always")) => {
            cx.report(
                policy_range(source, pod, node),
                format!("a {kind} runs its Pods to completion, so its template's restartPolicy must be `OnFailure` or `Never`, not `Always`"),
            )
            .help(format!("write `{wanted}` ({})", explain(wanted)))
            .fix(Fix::unsafe_(format!("Write `{wanted}`"), vec![replace_scalar(source, node, wanted)]));
        }
        (Some(node), Some("OnFailure")) => {
            let Some((pff_key, _)) = failure_policy else {
                return;
            };
            cx.report(
                policy_range(source, pod, node),
                format!("this {kind} has a podFailurePolicy, so its template's restartPolicy must be `Never`: the policy acts on failed Pods, and `OnFailure` restarts containers in place instead"),
            )
            .label(pff_key.range(), "podFailurePolicy set here")
            .help("write `Never`: each failure then ends the Pod and the podFailurePolicy decides what happens next")
            .fix(Fix::unsafe_("Write `Never`", vec![replace_scalar(source, node, "Never")]));
        }
        _ => {}
    }
}

fn explain(policy: &str) -> &'static str {
    match policy {
        "Never" => "a failed Pod is replaced by a new one",
        _ => "a failed container is retried in the same Pod",
    }
}

/// `restartPolicy: X` as written.
fn policy_range(source: &str, pod: &Pod<'_, '_>, value: NodeRef<'_, '_>) -> TextRange {
    pod.spec
        .entry("restartPolicy")
        .map_or(value.range(), |(key, value)| {
            entry_range(source, key, value)
        })
}

#[cfg(test)]
mod tests {
    use crate::rules::test::RuleTest;

    fn job(policy: &str, extra: &str) -> String {
        format!("apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\nspec:\n{extra}  template:\n    spec:\n{policy}      containers:\n      - name: migrate\n        image: a\n")
    }

    fn deployment(policy: &str) -> String {
        format!("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {{app: web}}\n  template:\n    metadata:\n      labels: {{app: web}}\n    spec:\n{policy}      containers:\n      - name: web\n        image: a\n")
    }

    const PFF: &str = "  podFailurePolicy:\n    rules:\n    - action: FailJob\n      onExitCodes: {operator: In, values: [42]}\n";

    #[test]
    fn controllers_and_jobs_want_different_policies() {
        RuleTest::new(&super::WorkloadRestartPolicyMismatch::META)
            .pass(job("      restartPolicy: OnFailure\n", ""))
            .pass(job("      restartPolicy: Never\n", PFF))
            .pass(deployment(""))
            .pass(deployment("      restartPolicy: Always\n"))
            .pass("apiVersion: v1\nkind: Pod\nmetadata:\n  name: once\nspec:\n  restartPolicy: Never\n  containers:\n  - name: a\n    image: a\n")
            .fail(job("", ""), &["spec"])
            .fail(job("      restartPolicy: Always\n", ""), &["restartPolicy: Always"])
            .fail(job("      restartPolicy: OnFailure\n", PFF), &["restartPolicy: OnFailure"])
            .fail(deployment("      restartPolicy: Never\n"), &["restartPolicy: Never"])
            .run();
    }

    #[test]
    fn the_fix_inserts_the_policy_at_the_spec_indentation() {
        let yaml = job("", "");
        let found = crate::lint(
            &yaml,
            &crate::Settings::only(&["workload-restart-policy-mismatch"]),
        );
        let (fixed, _) = crate::fix::apply(&yaml, &found, false);
        assert_eq!(fixed, job("      restartPolicy: OnFailure\n", ""));
        let cron = "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly\nspec:\n  schedule: '0 3 * * *'\n  jobTemplate:\n    spec:\n      template:\n        spec: {containers: [{name: a, image: a}]}\n";
        let found = crate::lint(
            cron,
            &crate::Settings::only(&["workload-restart-policy-mismatch"]),
        );
        let (fixed, _) = crate::fix::apply(cron, &found, false);
        assert!(
            fixed.contains("spec: {restartPolicy: OnFailure, containers:"),
            "{fixed}"
        );
    }
}
