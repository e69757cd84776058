use super::helpers::{report_missing, Missing};
use crate::k8s::Pod;
use crate::rule::{Context, PodRule};

declare_rule! {
    /// ## What it does
    /// Reports an app container (a regular container or a native sidecar) with no
    /// `resources.limits.memory`.
    ///
    /// ## Why it matters in a Pod
    /// The memory limit is what the kernel enforces: a container that goes over it is
    /// OOM-killed and restarted, and the rest of the node carries on. Without a limit, a leak
    /// grows until the node itself runs out of memory; then the kubelet evicts Pods and the
    /// kernel kills processes, possibly in other Pods. Requests only reserve room at
    /// scheduling time; the limit is the cap.
    ///
    /// A pod-level `spec.resources.limits.memory` (beta since Kubernetes 1.34) counts.
    /// Plain init containers are not checked. A namespace `LimitRange` can fill in a default
    /// limit; if yours does, you may turn this rule off.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    /// - name: app
    ///   image: nginx:1.25
    ///   resources:
    ///     requests:
    ///       memory: "128Mi"
    /// ```
    ///
    /// ## How to fix
    /// Add a limit above what the container normally uses, with room for peaks:
    /// `resources.limits.memory: "256Mi"`.
    pub struct MemoryLimitMissing {
        name: "memory-limit-missing",
        category: Resources,
        hook: Pod,
        fix: Never,
        summary: "A container has no memory limit, so a leak can exhaust the node",
        enabled: false,
    }
}

impl PodRule for MemoryLimitMissing {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        report_missing(
            pod,
            cx,
            &Missing {
                resource: "memory",
                field: "limits",
                message: |who| format!("{who} has no memory limit; if it leaks, it takes memory from the whole node instead of being OOM-killed on its own"),
                help: "add `resources.limits.memory` above its normal use, with room for peaks, e.g. `memory: \"256Mi\"`",
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn only_a_limit_caps_memory() {
        let limited = pod("  containers:\n  - name: app\n    image: a\n    resources:\n      limits:\n        memory: 256Mi\n");
        let pod_level = pod("  resources:\n    limits:\n      memory: 1Gi\n  containers:\n  - name: app\n    image: a\n");
        let requested = pod("  containers:\n  - name: app\n    image: a\n    resources:\n      requests:\n        memory: 128Mi\n");
        let cpu_limit = pod("  containers:\n  - name: app\n    image: a\n    resources:\n      limits:\n        cpu: 1\n");
        RuleTest::new(&super::MemoryLimitMissing::META)
            .pass(&limited)
            .pass(&pod_level)
            .fail(&requested, &["resources"])
            .fail(&cpu_limit, &["limits"])
            .run();
    }
}
