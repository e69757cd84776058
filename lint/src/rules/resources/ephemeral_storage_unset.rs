use crate::k8s::{ContainerKind, Pod};
use crate::rule::{Context, PodRule};

declare_rule! {
    /// ## What it does
    /// Reports an app container (regular or native sidecar) that sets no `ephemeral-storage`
    /// request or no `ephemeral-storage` limit. Off by default.
    ///
    /// ## Why it matters in a Pod
    /// Everything a container writes outside its volumes — its writable layer, its logs —
    /// and every `emptyDir` without a `medium` live on the node's disk. Without a request the
    /// scheduler does not count that disk when it places the Pod; without a limit one Pod
    /// writing a runaway log or cache can fill the disk. The node then reports disk pressure
    /// and the kubelet evicts Pods — not necessarily the one to blame. With a limit, only
    /// the Pod that exceeds it is evicted.
    ///
    /// ## Example
    /// ```yaml
    /// resources:
    ///   requests:
    ///     memory: 128Mi
    ///   limits:
    ///     memory: 256Mi
    /// ```
    ///
    /// ## How to fix
    /// Add both, sized to what the container writes:
    /// ```yaml
    /// resources:
    ///   requests:
    ///     ephemeral-storage: 1Gi
    ///   limits:
    ///     ephemeral-storage: 2Gi
    /// ```
    pub struct EphemeralStorageUnset {
        name: "ephemeral-storage-unset",
        category: Resources,
        hook: Pod,
        fix: Never,
        summary: "A container sets no ephemeral-storage request or limit",
        severity: Info,
        enabled: false,
    }
}

const RESOURCE: &str = "ephemeral-storage";

impl PodRule for EphemeralStorageUnset {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        let running = pod
            .containers()
            .filter(|c| c.kind == ContainerKind::Regular || c.is_sidecar());
        for container in running {
            let resources = container.get("resources");
            let sets = |field: &str| {
                resources
                    .and_then(|r| r.get(field))
                    .and_then(|m| m.get(RESOURCE))
                    .is_some_and(|v| !v.is_null())
            };
            // A limit alone counts as a request too: Kubernetes copies it over.
            let missing = match (sets("requests") || sets("limits"), sets("limits")) {
                (true, true) => continue,
                (true, false) => "no ephemeral-storage limit",
                (false, _) => "no ephemeral-storage request or limit",
            };
            let range = container
                .node
                .entry("resources")
                .map_or(container.anchor(), |(key, _)| key.range());
            cx.report(
                range,
                format!("{} sets {missing}: its logs, writable layer and emptyDir volumes use the node's disk unaccounted, and filling it makes the kubelet evict Pods", container.describe()),
            )
            .help("add `requests.ephemeral-storage` and `limits.ephemeral-storage` (e.g. `1Gi` and `2Gi`) sized to what the container writes");
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn disk_is_sized() {
        let ok = pod("  containers:\n  - name: app\n    image: a\n    resources:\n      limits: {ephemeral-storage: 2Gi}\n  initContainers:\n  - name: setup\n    image: a\n");
        let bad = pod("  containers:\n  - name: app\n    image: a\n    resources:\n      requests: {ephemeral-storage: 1Gi}\n  - name: sidecar\n    image: b\n");
        RuleTest::new(&super::EphemeralStorageUnset::META)
            .pass(&ok)
            .fail(&bad, &["resources", "name: sidecar"])
            .run();
    }
}
