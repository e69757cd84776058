use super::helpers::report_negative;
use crate::k8s::{Object, WorkloadKind};
use crate::rule::{Context, ObjectRule};

/// A Deployment's `progressDeadlineSeconds` when it is left out.
const DEFAULT_PROGRESS_DEADLINE: i64 = 600;

declare_rule! {
    /// ## What it does
    /// Reports numbers in a Deployment, ReplicaSet, StatefulSet, DaemonSet or
    /// ReplicationController spec that the API server refuses: a negative `replicas`,
    /// `minReadySeconds`, `revisionHistoryLimit`, `progressDeadlineSeconds` or StatefulSet
    /// `ordinals.start`, and a Deployment whose `progressDeadlineSeconds` (600 when left out)
    /// is not greater than its `minReadySeconds`.
    ///
    /// ## Why it matters in a Pod
    /// These numbers steer the Pods the controller makes: `replicas` how many run,
    /// `minReadySeconds` how long a new Pod must stay ready before it counts as available,
    /// `progressDeadlineSeconds` how long a rollout may go without progress before the
    /// Deployment reports it failed, `revisionHistoryLimit` how many old ReplicaSets are kept
    /// to roll back to, `ordinals.start` the number of a StatefulSet's first Pod (`db-0`). A
    /// rollout can only make progress if a Pod can become available before the deadline, so
    /// the deadline must be longer than `minReadySeconds`.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Deployment
    /// spec:
    ///   minReadySeconds: 900       # the default progressDeadlineSeconds is 600
    /// ```
    ///
    /// ## How to fix
    /// Write 0 or more; raise `progressDeadlineSeconds` above `minReadySeconds` (or lower
    /// `minReadySeconds`).
    pub struct WorkloadSpecInvalid {
        name: "workload-spec-invalid",
        category: ApiRejects,
        hook: Object,
        fix: Never,
        summary: "A workload's replicas, minReadySeconds, revisionHistoryLimit or deadline is out of range",
    }
}

impl ObjectRule for WorkloadSpecInvalid {
    fn check(&self, object: &Object<'_, '_>, cx: &mut Context<'_>) {
        let Some(workload) = object.workload else {
            return;
        };
        if !workload.keeps_pods_running() {
            return;
        }
        let Some(spec) = object.root.get("spec").filter(|s| s.is_mapping()) else {
            return;
        };
        let kind = workload.name();
        if workload.has_replicas() {
            report_negative(cx, spec, "replicas", "the number of Pods to run");
        }
        report_negative(
            cx,
            spec,
            "minReadySeconds",
            "how long a new Pod must stay ready before it counts as available",
        );
        if kind != "ReplicaSet" && kind != "ReplicationController" {
            report_negative(
                cx,
                spec,
                "revisionHistoryLimit",
                "how many old revisions are kept to roll back to",
            );
        }
        if workload == WorkloadKind::StatefulSet {
            if let Some(ordinals) = spec.get("ordinals").filter(|o| o.is_mapping()) {
                report_negative(
                    cx,
                    ordinals,
                    "start",
                    "the number of the first Pod, as in `db-0`",
                );
            }
        }
        if workload == WorkloadKind::Deployment {
            progress_deadline(spec, cx);
        }
    }
}

fn progress_deadline(spec: crate::syntax::NodeRef<'_, '_>, cx: &mut Context<'_>) {
    if report_negative(
        cx,
        spec,
        "progressDeadlineSeconds",
        "how long a rollout may stall before it is reported failed",
    ) {
        return;
    }
    let min_ready = spec
        .entry("minReadySeconds")
        .and_then(|(k, v)| Some((k, v, v.as_i64()?)));
    let Some((min_key, min_value, min_ready)) = min_ready else {
        return;
    };
    if min_ready < 0 {
        return;
    }
    match spec.entry("progressDeadlineSeconds") {
        Some((key, value)) => {
            let Some(deadline) = value.as_i64() else {
                return;
            };
            if deadline <= min_ready {
                cx.report(
                    key.range().cover(value.range()),
                    format!("`progressDeadlineSeconds: {deadline}` must be greater than `minReadySeconds: {min_ready}`; the API server refuses it: a new Pod only counts as available after {min_ready} s, so no rollout could progress before the deadline"),
                )
                .help(format!("raise `progressDeadlineSeconds` above {min_ready} (for example {})", min_ready.saturating_add(300)));
            }
        }
        None if min_ready >= DEFAULT_PROGRESS_DEADLINE => {
            cx.report(
                min_key.range().cover(min_value.range()),
                format!("`minReadySeconds: {min_ready}` is not less than the default `progressDeadlineSeconds` (600); the API server refuses it: no rollout could progress before the deadline"),
            )
            .help(format!("add `progressDeadlineSeconds: {}` or lower `minReadySeconds`", min_ready.saturating_add(300)));
        }
        None => {}
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::RuleTest;

    fn workload(kind: &str, fields: &str) -> String {
        format!("apiVersion: apps/v1\nkind: {kind}\nmetadata:\n  name: web\nspec:\n{fields}  selector:\n    matchLabels: {{app: web}}\n  template:\n    metadata:\n      labels: {{app: web}}\n    spec:\n      containers: [{{name: web, image: nginx:1.27}}]\n")
    }

    #[test]
    fn ranges_of_the_apps_specs() {
        RuleTest::new(&super::WorkloadSpecInvalid::META)
            .pass(workload(
                "Deployment",
                "  replicas: 0\n  minReadySeconds: 10\n  revisionHistoryLimit: 0\n",
            ))
            .pass(workload(
                "Deployment",
                "  minReadySeconds: 900\n  progressDeadlineSeconds: 1200\n",
            ))
            .pass(workload("StatefulSet", "  ordinals: {start: 1}\n"))
            .pass(workload("DaemonSet", "  minReadySeconds: 5\n"))
            .fail(
                workload("Deployment", "  replicas: -1\n"),
                &["replicas: -1"],
            )
            .fail(
                workload("ReplicaSet", "  minReadySeconds: -5\n"),
                &["minReadySeconds: -5"],
            )
            .fail(
                workload("DaemonSet", "  revisionHistoryLimit: -1\n"),
                &["revisionHistoryLimit: -1"],
            )
            .fail(
                workload("StatefulSet", "  ordinals:\n    start: -1\n"),
                &["start: -1"],
            )
            .fail(
                workload("Deployment", "  minReadySeconds: 900\n"),
                &["minReadySeconds: 900"],
            )
            .fail(
                workload(
                    "Deployment",
                    "  minReadySeconds: 60\n  progressDeadlineSeconds: 60\n",
                ),
                &["progressDeadlineSeconds: 60"],
            )
            .fail(
                workload("Deployment", "  progressDeadlineSeconds: -1\n"),
                &["progressDeadlineSeconds: -1"],
            )
            .run();
    }
}
