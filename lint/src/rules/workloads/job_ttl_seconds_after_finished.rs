use crate::k8s::{Pod, WorkloadKind};
use crate::rule::{Context, PodRule};

declare_rule! {
    /// ## What it does
    /// Reports a Job (not one made by a CronJob) without `spec.ttlSecondsAfterFinished`.
    ///
    /// ## Why it matters in a Pod
    /// A finished Job and its Pods stay in the cluster until someone deletes them: completed
    /// Pods keep their logs and their place in `kubectl get pods`, and each one still counts
    /// against the namespace's quota of objects. With `ttlSecondsAfterFinished`, the TTL
    /// controller deletes the Job and its Pods that many seconds after it succeeds or fails.
    /// (A CronJob cleans up its own Jobs through `successfulJobsHistoryLimit` and
    /// `failedJobsHistoryLimit`.)
    ///
    /// ## Example
    /// ```yaml
    /// kind: Job
    /// spec:
    ///   template: …      # no ttlSecondsAfterFinished
    /// ```
    ///
    /// ## How to fix
    /// Add `ttlSecondsAfterFinished: 86400` (a day to read the logs), or `0` to delete at once.
    pub struct JobTtlSecondsAfterFinished {
        name: "job-ttl-seconds-after-finished",
        category: Reliability,
        hook: Pod,
        fix: Sometimes,
        summary: "A Job is never cleaned up after it finishes",
        severity: Info,
    }
}

impl PodRule for JobTtlSecondsAfterFinished {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        if pod.workload != WorkloadKind::Job {
            return;
        }
        let Some(spec) = pod.object.root.get("spec").filter(|s| s.is_mapping()) else {
            return;
        };
        if spec.get("ttlSecondsAfterFinished").is_some() {
            return;
        }
        let Some((key, _)) = pod.object.root.entry("spec") else {
            return;
        };
        let name = pod.object.name().unwrap_or("?");
        let edit = crate::rules::edits::insert_first_entry(
            cx.source,
            spec,
            "ttlSecondsAfterFinished: 86400",
        );
        let d = cx.report(
            key.range(),
            format!("Job `{name}` has no `ttlSecondsAfterFinished`: once it finishes, the Job and its Pods stay in the cluster until someone deletes them"),
        );
        d.help("add `ttlSecondsAfterFinished: 86400` to delete it a day after it finishes (time to read its logs)");
        if let Some(edit) = edit {
            d.fix(crate::diagnostic::Fix::unsafe_(
                "Delete the Job a day after it finishes",
                vec![edit],
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::RuleTest;

    fn job(ttl: &str) -> String {
        format!("apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\nspec:\n{ttl}  template:\n    spec:\n      restartPolicy: Never\n      containers: [{{name: m, image: my-app:1.0}}]\n")
    }

    #[test]
    fn standalone_jobs_clean_up_after_themselves() {
        let cron = "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly\nspec:\n  schedule: '0 3 * * *'\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Never\n          containers: [{name: m, image: my-app:1.0}]\n";
        RuleTest::new(&super::JobTtlSecondsAfterFinished::META)
            .pass(job("  ttlSecondsAfterFinished: 600\n"))
            .pass(cron)
            .fail(job(""), &["spec"])
            .run();
    }
}
