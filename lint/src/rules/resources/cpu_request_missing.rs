use super::helpers::{report_missing, Missing};
use crate::k8s::Pod;
use crate::rule::{Context, PodRule};

declare_rule! {
    /// ## What it does
    /// Reports an app container (a regular container or a native sidecar) with no
    /// `resources.requests.cpu`.
    ///
    /// ## Why it matters in a Pod
    /// Requests are what the scheduler reserves for a Pod on a node: it adds up the requests
    /// of the Pod's containers and only places the Pod where that much CPU is still free.
    /// A container without a CPU request reserves nothing, so the Pod can land on a node that
    /// is already busy, and under contention it gets the smallest share of CPU time.
    ///
    /// A CPU limit counts: when a container's `requests` leaves out a resource its `limits`
    /// sets, the API server copies the limit into the request as it creates each Pod. So
    /// does a pod-level `spec.resources` (beta since Kubernetes 1.34), which covers every
    /// container. Plain init containers are not checked: they run one at a time before the
    /// app starts. A namespace `LimitRange` can also fill in defaults; if yours does, you may
    /// turn this rule off.
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
    /// Set what the container needs in normal operation, measured or estimated:
    /// `resources.requests.cpu: "100m"` is a tenth of a core.
    pub struct CpuRequestMissing {
        name: "cpu-request-missing",
        category: Resources,
        hook: Pod,
        fix: Never,
        summary: "A container does not request CPU, so the scheduler reserves none for it",
        enabled: false,
    }
}

impl PodRule for CpuRequestMissing {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        report_missing(
            pod,
            cx,
            &Missing {
                resource: "cpu",
                field: "requests",
                message: |who| format!("{who} has no CPU request; the scheduler reserves no CPU for it and may place the Pod on a node that is already busy"),
                help: "add `resources.requests.cpu` with what it needs in normal operation, e.g. `cpu: \"100m\"` (a tenth of a core)",
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn a_request_or_a_limit_reserves_cpu() {
        let requested = pod("  containers:\n  - name: app\n    image: a\n    resources:\n      requests:\n        cpu: 100m\n");
        let limited = pod("  containers:\n  - name: app\n    image: a\n    resources:\n      limits:\n        cpu: 1\n");
        let pod_level = pod("  resources:\n    requests:\n      cpu: 1\n  containers:\n  - name: app\n    image: a\n");
        let init_only = pod("  initContainers:\n  - name: wait\n    image: b\n  containers:\n  - name: app\n    image: a\n    resources:\n      requests:\n        cpu: 100m\n");
        let no_cpu = pod("  containers:\n  - name: app\n    image: a\n    resources:\n      requests:\n        memory: 128Mi\n");
        let nothing = pod("  containers:\n  - name: app\n    image: a\n");
        let sidecar = pod("  initContainers:\n  - name: proxy\n    image: b\n    restartPolicy: Always\n  containers:\n  - name: app\n    image: a\n    resources:\n      limits:\n        cpu: 1\n");
        RuleTest::new(&super::CpuRequestMissing::META)
            .pass(&requested)
            .pass(&limited)
            .pass(&pod_level)
            .pass(&init_only)
            .fail(&no_cpu, &["requests"])
            .fail(&nothing, &["name: app"])
            .fail(&sidecar, &["name: proxy"])
            .run();
    }
}
