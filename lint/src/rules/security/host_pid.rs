use crate::k8s::Pod;
use crate::rule::{Context, PodRule};

declare_rule! {
    /// ## What it does
    /// Reports `hostPID: true` in a PodSpec.
    ///
    /// ## Why it matters in a Pod
    /// With `hostPID: true` the containers see every process on the node, as with
    /// `docker run --pid=host`: other Pods' processes, the kubelet, the container runtime.
    /// They can read their command lines and (as root) their environment and memory, where
    /// secrets live, and kill them. Sharing processes between the Pod's own containers is
    /// `shareProcessNamespace: true` instead, which stays inside the Pod.
    ///
    /// On by default.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   hostPID: true
    ///   containers:
    ///   - name: app
    ///     image: my-app:1.0
    /// ```
    ///
    /// ## How to fix
    /// Remove `hostPID: true`. To let a sidecar see the app's processes, use
    /// `shareProcessNamespace: true`, which shares only within the Pod.
    pub struct HostPid {
        name: "host-pid",
        category: Security,
        hook: Pod,
        fix: Never,
        summary: "The pod shares the node's process namespace",
        enabled: false,
    }
}

impl PodRule for HostPid {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        let Some((key, value)) = pod.spec.entry("hostPID") else {
            return;
        };
        if value.as_bool() == Some(true) {
            cx.report(
                key.range().cover(value.range()),
                "the Pod shares the node's process namespace (like `docker run --pid=host`): its containers see every process on the node, their command lines and environment, and can signal them",
            )
            .help("remove `hostPID: true`; `shareProcessNamespace: true` shares processes between the Pod's own containers only");
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn only_true_is_flagged() {
        RuleTest::new(&super::HostPid::META)
            .pass(pod(
                "  hostPID: false\n  containers:\n  - name: app\n    image: a\n",
            ))
            .fail(
                pod("  hostPID: true\n  containers:\n  - name: app\n    image: a\n"),
                &["hostPID: true"],
            )
            .run();
    }
}
