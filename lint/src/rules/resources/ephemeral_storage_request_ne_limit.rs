use super::helpers::report_unequal;
use crate::k8s::Pod;
use crate::rule::{Context, PodRule};

declare_rule! {
    /// ## What it does
    /// Reports a container whose `ephemeral-storage` request differs from its limit, when
    /// both are set. Off by default.
    ///
    /// ## Why it matters in a Pod
    /// Ephemeral storage is the node's disk that a container uses for its writable layer,
    /// its logs and its `emptyDir` volumes. The scheduler reserves the request; the kubelet
    /// evicts the Pod when the container goes over its limit. With a request below the limit,
    /// several Pods can be placed on a node whose disk cannot hold what they are all allowed
    /// to write, and when the disk fills the kubelet evicts Pods to free it.
    ///
    /// ## Example
    /// ```yaml
    /// resources:
    ///   requests:
    ///     ephemeral-storage: 1Gi
    ///   limits:
    ///     ephemeral-storage: 4Gi
    /// ```
    ///
    /// ## How to fix
    /// Request what the container may write: set the request to the limit, or remove the
    /// request so Kubernetes copies the limit into it.
    pub struct EphemeralStorageRequestNeLimit {
        name: "ephemeral-storage-request-ne-limit",
        category: Resources,
        hook: Pod,
        fix: Never,
        summary: "A container's ephemeral-storage request differs from its limit",
        severity: Info,
        enabled: false,
    }
}

impl PodRule for EphemeralStorageRequestNeLimit {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        report_unequal(pod, cx, "ephemeral-storage", |who, request, limit| {
            format!("{who} reserves `{request}` of node disk but may write up to `{limit}`; the scheduler counts only the request, so the node's disk can fill and the kubelet then evicts Pods")
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn disk_requests_match_limits() {
        let ok = pod("  containers:\n  - name: app\n    image: a\n    resources:\n      requests: {ephemeral-storage: 1Gi}\n      limits: {ephemeral-storage: 1024Mi}\n");
        let bad = pod("  containers:\n  - name: app\n    image: a\n    resources:\n      requests:\n        ephemeral-storage: 1Gi\n      limits:\n        ephemeral-storage: 4Gi\n");
        RuleTest::new(&super::EphemeralStorageRequestNeLimit::META)
            .pass(&ok)
            .fail(&bad, &["ephemeral-storage: 1Gi"])
            .run();
    }
}
