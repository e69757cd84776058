use crate::k8s::Pod;
use crate::rule::{Context, PodRule};

declare_rule! {
    /// ## What it does
    /// Reports `hostNetwork: true` in a PodSpec.
    ///
    /// ## Why it matters in a Pod
    /// All containers of a Pod share one network namespace. With `hostNetwork: true` that
    /// namespace is the node's own, as with `docker run --net=host`: every container binds
    /// its ports on the node's IP, so they clash with ports the node and other host-network
    /// Pods already use (two replicas cannot share a node), and the containers can see the
    /// node's traffic and reach services bound to the node's `localhost`, such as the
    /// kubelet's or a database's admin port.
    ///
    /// On by default.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   hostNetwork: true
    ///   containers:
    ///   - name: app
    ///     image: my-app:1.0
    /// ```
    ///
    /// ## How to fix
    /// Remove `hostNetwork: true` and expose the app through its `containerPort` and a
    /// Service. Only node agents (CNI plugins, node exporters) need the host's network.
    pub struct HostNetwork {
        name: "host-network",
        category: Security,
        hook: Pod,
        fix: Never,
        summary: "The pod uses the node's network namespace",
        enabled: false,
    }
}

impl PodRule for HostNetwork {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        let Some((key, value)) = pod.spec.entry("hostNetwork") else {
            return;
        };
        if value.as_bool() == Some(true) {
            cx.report(
                key.range().cover(value.range()),
                "the Pod uses the node's network namespace (like `docker run --net=host`): every container listens on the node's own IP, its ports clash with the node's and other host-network Pods', and it can reach services bound to the node's localhost",
            )
            .help("remove `hostNetwork: true`; expose the app with a `containerPort` and a Service");
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn only_true_is_flagged() {
        RuleTest::new(&super::HostNetwork::META)
            .pass(pod(
                "  hostNetwork: false\n  containers:\n  - name: app\n    image: a\n",
            ))
            .fail(
                pod("  hostNetwork: true\n  containers:\n  - name: app\n    image: a\n"),
                &["hostNetwork: true"],
            )
            .run();
    }
}
