use crate::diagnostic::Fix;
use crate::k8s::Pod;
use crate::rule::{Context, PodRule};
use crate::rules::edits::{entry_range, replace_scalar};

declare_rule! {
    /// ## What it does
    /// Reports a negative `terminationGracePeriodSeconds` on the Pod.
    ///
    /// ## Why it matters in a Pod
    /// When a Pod is deleted (a rollout, a scale-down, a drained node), each container gets
    /// `SIGTERM` and this many seconds to finish its requests and exit before `SIGKILL`, like
    /// `docker stop --time`. A negative value makes no sense; the API server accepts it with
    /// a warning and treats it as 1 second, so the app is killed almost at once.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   terminationGracePeriodSeconds: -1
    /// ```
    ///
    /// ## How to fix
    /// Give the app the time it needs to shut down cleanly, or leave the field out for the
    /// default of 30 seconds. The fix writes `1`, what the API server uses anyway.
    pub struct NegativeTerminationGracePeriod {
        name: "negative-termination-grace-period",
        category: ApiWarns,
        hook: Pod,
        fix: Always,
        summary: "terminationGracePeriodSeconds is negative and is treated as 1",
    }
}

impl PodRule for NegativeTerminationGracePeriod {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        let Some((key, value)) = pod.spec.entry("terminationGracePeriodSeconds") else {
            return;
        };
        let Some(seconds) = value.as_i64().filter(|s| *s < 0) else {
            return;
        };
        let edit = replace_scalar(cx.source, value, "1");
        cx.report(
            entry_range(cx.source, key, value),
            format!("`terminationGracePeriodSeconds: {seconds}` is negative; the API server treats it as 1, so on every shutdown the containers get SIGKILL one second after SIGTERM"),
        )
        .help("give the app the seconds it needs to finish in-flight work (e.g. `30`, the default), or remove the field")
        .fix(Fix::safe("Replace with `1`, the value used", vec![edit]));
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn negative_grace_periods() {
        let zero =
            pod("  terminationGracePeriodSeconds: 0\n  containers:\n  - name: app\n    image: a\n");
        let negative = pod(
            "  terminationGracePeriodSeconds: -5\n  containers:\n  - name: app\n    image: a\n",
        );
        RuleTest::new(&super::NegativeTerminationGracePeriod::META)
            .pass(&zero)
            .fail(&negative, &["terminationGracePeriodSeconds: -5"])
            .run();
    }
}
