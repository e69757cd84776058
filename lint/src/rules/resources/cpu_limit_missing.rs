use super::helpers::{report_missing, Missing};
use crate::k8s::Pod;
use crate::rule::{Context, PodRule};

declare_rule! {
    /// ## What it does
    /// Reports an app container (a regular container or a native sidecar) with no
    /// `resources.limits.cpu`. It is only informational.
    ///
    /// ## Why it matters in a Pod
    /// A CPU limit caps how much CPU time the container gets, even when the node has idle
    /// cores: above it the container is throttled, not killed. That protects neighbours from
    /// a runaway loop, but it also slows down latency-sensitive apps during bursts. Many
    /// teams deliberately set a CPU request and no CPU limit, so the container can use spare
    /// CPU; that is a sound choice, which is why this rule only informs. Turn it off if it is
    /// yours.
    ///
    /// A pod-level `spec.resources.limits.cpu` (beta since Kubernetes 1.34) counts. Plain init
    /// containers are not checked.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    /// - name: app
    ///   image: nginx:1.25
    ///   resources:
    ///     requests:
    ///       cpu: "100m"
    /// ```
    ///
    /// ## How to fix
    /// If you want a cap, add `resources.limits.cpu`, e.g. `"500m"` (half a core); otherwise
    /// keep the request and turn this rule off.
    pub struct CpuLimitMissing {
        name: "cpu-limit-missing",
        category: Resources,
        hook: Pod,
        fix: Never,
        summary: "A container has no CPU limit (often deliberate)",
        severity: Info,
        enabled: false,
    }
}

impl PodRule for CpuLimitMissing {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        report_missing(
            pod,
            cx,
            &Missing {
                resource: "cpu",
                field: "limits",
                message: |who| format!("{who} has no CPU limit; it may use any idle CPU on the node, and nothing caps a runaway loop"),
                help: "add `resources.limits.cpu` (e.g. `\"500m\"`) for a cap that throttles it, or keep it unlimited on purpose and turn this rule off",
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn a_request_is_not_a_limit() {
        let limited = pod("  containers:\n  - name: app\n    image: a\n    resources:\n      limits:\n        cpu: 500m\n");
        let requested = pod("  containers:\n  - name: app\n    image: a\n    resources:\n      requests:\n        cpu: 100m\n");
        RuleTest::new(&super::CpuLimitMissing::META)
            .pass(&limited)
            .fail(&requested, &["resources"])
            .run();
    }
}
