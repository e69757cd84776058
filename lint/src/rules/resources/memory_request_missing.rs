use super::helpers::{report_missing, Missing};
use crate::k8s::Pod;
use crate::rule::{Context, PodRule};

declare_rule! {
    /// ## What it does
    /// Reports an app container (a regular container or a native sidecar) with no
    /// `resources.requests.memory`.
    ///
    /// ## Why it matters in a Pod
    /// Requests are what the scheduler reserves for a Pod on a node: it adds up the memory
    /// requests of the Pod's containers and only places the Pod where that much memory is
    /// still unreserved. A container without a memory request reserves nothing, so nodes get
    /// overcommitted, and when a node runs short the kubelet evicts Pods that use more than
    /// they requested first — this one included.
    ///
    /// A memory limit counts: when a container's `requests` leaves out a resource its
    /// `limits` sets, the API server copies the limit into the request as it creates each
    /// Pod (templates keep what you wrote), so `limits.memory` alone requests the same. So
    /// does a pod-level `spec.resources` (beta since Kubernetes 1.34). Plain init containers
    /// are not checked: they run one at a time before the app starts. A namespace
    /// `LimitRange` can also fill in defaults; if yours does, you may turn this rule off.
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
    /// Set what the container uses in normal operation: `resources.requests.memory: "128Mi"`.
    pub struct MemoryRequestMissing {
        name: "memory-request-missing",
        category: Resources,
        hook: Pod,
        fix: Never,
        summary: "A container does not request memory, so the scheduler reserves none for it",
        enabled: false,
    }
}

impl PodRule for MemoryRequestMissing {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        report_missing(
            pod,
            cx,
            &Missing {
                resource: "memory",
                field: "requests",
                message: |who| format!("{who} has no memory request; the scheduler reserves no memory for it, and it is among the first Pods evicted when the node runs short"),
                help: "add `resources.requests.memory` with what it uses in normal operation, e.g. `memory: \"128Mi\"`",
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn a_memory_limit_also_sets_the_request() {
        let requested = pod("  containers:\n  - name: app\n    image: a\n    resources:\n      requests:\n        memory: 128Mi\n");
        let limited = pod("  containers:\n  - name: app\n    image: a\n    resources:\n      limits:\n        memory: 256Mi\n");
        let cpu_only = pod("  containers:\n  - name: app\n    image: a\n    resources:\n      requests:\n        cpu: 100m\n      limits:\n        cpu: 200m\n");
        let empty = pod("  containers:\n  - name: app\n    image: a\n    resources: {}\n");
        RuleTest::new(&super::MemoryRequestMissing::META)
            .pass(&requested)
            .pass(&limited)
            .fail(&cpu_only, &["requests"])
            .fail(&empty, &["resources"])
            .run();
    }
}
