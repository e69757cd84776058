use crate::k8s::{Pod, WorkloadKind};
use crate::rule::{Context, PodRule};

declare_rule! {
    /// ## What it does
    /// Reports a CronJob without `spec.startingDeadlineSeconds`.
    ///
    /// ## Why it matters in a Pod
    /// When the CronJob controller misses a scheduled time (it was down, the cluster was
    /// upgrading, `concurrencyPolicy: Forbid` held a run back), it looks back at every missed
    /// schedule. Without a deadline there is no limit to how late a run may start, and after
    /// more than 100 missed schedules the controller stops scheduling the CronJob altogether
    /// ("too many missed start times"). `startingDeadlineSeconds` says how late a run may
    /// still start; older misses are skipped.
    ///
    /// ## Example
    /// ```yaml
    /// kind: CronJob
    /// spec:
    ///   schedule: "*/5 * * * *"      # no startingDeadlineSeconds
    /// ```
    ///
    /// ## How to fix
    /// Add `startingDeadlineSeconds`, e.g. `200` for a job that runs every five minutes.
    pub struct CronjobNoStartingDeadline {
        name: "cronjob-no-starting-deadline",
        category: Reliability,
        hook: Pod,
        fix: Never,
        summary: "A CronJob has no startingDeadlineSeconds",
        severity: Info,
    }
}

impl PodRule for CronjobNoStartingDeadline {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        if pod.workload != WorkloadKind::CronJob {
            return;
        }
        let Some(spec) = pod.object.root.get("spec").filter(|s| s.is_mapping()) else {
            return;
        };
        if spec.get("startingDeadlineSeconds").is_some() {
            return;
        }
        let range = spec.entry_range("schedule").unwrap_or_else(|| spec.range());
        cx.report(
            range,
            format!(
                "CronJob `{}` has no `startingDeadlineSeconds`: missed runs may start arbitrarily late, and after 100 missed schedules the controller stops scheduling it",
                pod.object.name().unwrap_or("?")
            ),
        )
        .help("add `startingDeadlineSeconds` (how late a run may still start), e.g. `200` for a five-minute schedule");
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::RuleTest;

    fn cron(deadline: &str) -> String {
        format!("apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: report\nspec:\n  schedule: '*/5 * * * *'\n{deadline}  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers: [{{name: r, image: my-app:1.0}}]\n")
    }

    #[test]
    fn cronjobs_bound_how_late_a_run_starts() {
        RuleTest::new(&super::CronjobNoStartingDeadline::META)
            .pass(cron("  startingDeadlineSeconds: 200\n"))
            .fail(cron(""), &["schedule: '*/5 * * * *'"])
            .run();
    }
}
