use crate::k8s::Pod;
use crate::rule::{Context, PodRule};

declare_rule! {
    /// ## What it does
    /// Reports `hostIPC: true` in a PodSpec.
    ///
    /// ## Why it matters in a Pod
    /// With `hostIPC: true` the containers join the node's IPC namespace, as with
    /// `docker run --ipc=host`: they can attach to the shared memory segments, semaphores
    /// and message queues of any process on the node, including other Pods', and read or
    /// corrupt the data there. The containers of one Pod already share an IPC namespace with
    /// each other without it.
    ///
    /// On by default.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   hostIPC: true
    ///   containers:
    ///   - name: app
    ///     image: my-app:1.0
    /// ```
    ///
    /// ## How to fix
    /// Remove `hostIPC: true`. Containers of the same Pod already share IPC with each
    /// other; to share files, use an `emptyDir` volume (`medium: Memory` for speed).
    pub struct HostIpc {
        name: "host-ipc",
        category: Security,
        hook: Pod,
        fix: Never,
        summary: "The pod shares the node's IPC namespace",
        enabled: false,
    }
}

impl PodRule for HostIpc {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        let Some((key, value)) = pod.spec.entry("hostIPC") else {
            return;
        };
        if value.as_bool() == Some(true) {
            cx.report(
                key.range().cover(value.range()),
                "the Pod shares the node's IPC namespace (like `docker run --ipc=host`): its containers can read and write the shared memory and message queues of every process on the node",
            )
            .help("remove `hostIPC: true`; containers of one Pod already share IPC, and an `emptyDir` volume shares files");
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn only_true_is_flagged() {
        RuleTest::new(&super::HostIpc::META)
            .pass(pod(
                "  hostIPC: false\n  containers:\n  - name: app\n    image: a\n",
            ))
            .fail(
                pod("  hostIPC: true\n  containers:\n  - name: app\n    image: a\n"),
                &["hostIPC: true"],
            )
            .run();
    }
}
