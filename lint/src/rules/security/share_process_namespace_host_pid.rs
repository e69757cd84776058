use crate::k8s::Pod;
use crate::rule::{Context, PodRule};
use crate::rules::edits::entry_range;

declare_rule! {
    /// ## What it does
    /// Reports `shareProcessNamespace: true` together with `hostPID: true`.
    ///
    /// ## Why it matters in a Pod
    /// `shareProcessNamespace: true` puts the Pod's containers in one process namespace of
    /// their own, so they see and can signal each other's processes (a sidecar can reload
    /// the app). `hostPID: true` puts them in the node's process namespace instead (like
    /// `docker run --pid=host`). A Pod can only be in one, so the API server rejects both.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   hostPID: true
    ///   shareProcessNamespace: true
    /// ```
    ///
    /// ## How to fix
    /// Keep `shareProcessNamespace: true` when the containers only need to see each other,
    /// which is almost always what is meant; `hostPID` exposes every process on the node.
    pub struct ShareProcessNamespaceHostPid {
        name: "share-process-namespace-host-pid",
        category: ApiRejects,
        hook: Pod,
        fix: Never,
        summary: "shareProcessNamespace and hostPID are both enabled",
    }
}

impl PodRule for ShareProcessNamespaceHostPid {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        let enabled = |key: &str| {
            pod.spec
                .entry(key)
                .filter(|(_, v)| v.as_bool() == Some(true))
        };
        let (Some((share_key, share)), Some((pid_key, pid))) =
            (enabled("shareProcessNamespace"), enabled("hostPID"))
        else {
            return;
        };
        let host_pid = entry_range(cx.source, pid_key, pid);
        cx.report(
            entry_range(cx.source, share_key, share),
            "`shareProcessNamespace: true` gives the Pod's containers one process namespace of their own, but `hostPID: true` puts them in the node's; a Pod cannot have both",
        )
        .label(host_pid, "the node's process namespace is requested here")
        .help("remove `hostPID: true` if the containers only need to see each other's processes");
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn one_process_namespace() {
        let shared = pod("  shareProcessNamespace: true\n  hostPID: false\n  containers:\n  - name: app\n    image: a\n");
        let both = pod("  shareProcessNamespace: true\n  hostPID: true\n  containers:\n  - name: app\n    image: a\n");
        RuleTest::new(&super::ShareProcessNamespaceHostPid::META)
            .pass(&shared)
            .fail(&both, &["shareProcessNamespace: true"])
            .run();
    }
}
