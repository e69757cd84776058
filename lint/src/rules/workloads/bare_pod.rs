use crate::k8s::{Object, WorkloadKind};
use crate::rule::{Context, ObjectRule};

declare_rule! {
    /// ## What it does
    /// Notes a Pod created directly, outside any workload, and suggests the workload that
    /// fits: a Job when the Pod runs to completion, a Deployment otherwise.
    ///
    /// ## Why it matters in a Pod
    /// Nothing watches a bare Pod. It is not recreated when it is deleted or evicted, not
    /// rescheduled when its node fails, cannot be scaled, and an update means deleting and
    /// recreating it by hand. A Deployment (or a StatefulSet or DaemonSet) does all of that
    /// from the same pod template. Bare Pods are fine for debugging and one-off experiments.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: my-app
    /// ```
    ///
    /// ## How to fix
    /// Wrap the Pod's `metadata.labels` and `spec` in a Deployment's `spec.template`, with a
    /// `selector` matching those labels. The editor offers this as "Convert to Deployment".
    pub struct BarePod {
        name: "bare-pod",
        category: Reliability,
        hook: Object,
        fix: Never,
        summary: "A Pod created directly is not recovered, rolled out or scaled",
        severity: Info,
    }
}

impl ObjectRule for BarePod {
    fn check(&self, object: &Object<'_, '_>, cx: &mut Context<'_>) {
        if object.workload != Some(WorkloadKind::Pod) {
            return;
        }
        let restart = object
            .root
            .at(&["spec", "restartPolicy"])
            .and_then(|p| p.as_str());
        let suggestion = match restart {
            Some("Never" | "OnFailure") => "a Job, which retries the Pod until it succeeds",
            _ => "a Deployment, which recreates, reschedules, scales and rolls out its Pods",
        };
        cx.report(
            object.kind.range(),
            "this Pod is created directly: nothing recreates it if it is deleted, evicted or its node fails",
        )
        .help(format!("for anything beyond debugging, run it from {suggestion}"));
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{findings, RuleTest};

    #[test]
    fn flags_bare_pods_only() {
        RuleTest::new(&super::BarePod::META)
            .pass("apiVersion: apps/v1\nkind: Deployment\n")
            .fail("apiVersion: v1\nkind: Pod\n", &["Pod"])
            .run();
        let job_like = findings(
            "bare-pod",
            "apiVersion: v1\nkind: Pod\nspec:\n  restartPolicy: Never\n",
        );
        assert!(job_like.len() == 1);
    }
}
