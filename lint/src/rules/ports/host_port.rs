use crate::k8s::Pod;
use crate::rule::{Context, PodRule};

declare_rule! {
    /// ## What it does
    /// Reports a container port with a `hostPort`. Pods with `hostNetwork: true` are left to
    /// `host-network`: there every port is already the node's.
    ///
    /// ## Why it matters in a Pod
    /// `hostPort` is `docker run -p 8080:80`: it opens the port on the node's own IP and
    /// forwards it into the Pod, past the Services and NetworkPolicies you would otherwise
    /// put in front of the app. Each node has the port once, so only one such Pod fits per
    /// node: a second replica stays Pending ("didn't have free ports"), and a rolling update
    /// can stall.
    ///
    /// On by default.
    ///
    /// ## Example
    /// ```yaml
    /// ports:
    /// - containerPort: 80
    ///   hostPort: 8080
    /// ```
    ///
    /// ## How to fix
    /// Remove `hostPort` and reach the Pod through a Service (`type: NodePort` or
    /// `LoadBalancer` to reach it from outside the cluster, or an Ingress).
    pub struct HostPort {
        name: "host-port",
        category: Security,
        hook: Pod,
        fix: Never,
        summary: "A container port is opened on the node's IP with hostPort",
        enabled: false,
    }
}

impl PodRule for HostPort {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        if pod.spec.get("hostNetwork").and_then(|h| h.as_bool()) == Some(true) {
            return;
        }
        for container in pod.containers() {
            for port in container.ports() {
                let Some((key, value)) = port.entry("hostPort") else {
                    continue;
                };
                let Some(number) = value.as_i64().filter(|n| *n != 0) else {
                    continue;
                };
                cx.report(
                    key.range().cover(value.range()),
                    format!("{} opens port {number} on the node's own IP (like `docker run -p {number}:…`): it bypasses Services and NetworkPolicies, and only one such Pod fits on each node", container.describe()),
                )
                .help("remove `hostPort` and expose the Pod with a Service (NodePort or LoadBalancer for outside traffic)");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn host_ports_are_flagged() {
        let plain = pod(
            "  containers:\n  - name: app\n    image: a\n    ports:\n    - containerPort: 80\n",
        );
        let host_net = pod("  hostNetwork: true\n  containers:\n  - name: app\n    image: a\n    ports:\n    - containerPort: 80\n      hostPort: 80\n");
        let host = pod("  containers:\n  - name: app\n    image: a\n    ports:\n    - containerPort: 80\n      hostPort: 8080\n");
        RuleTest::new(&super::HostPort::META)
            .pass(&plain)
            .pass(&host_net)
            .fail(&host, &["hostPort: 8080"])
            .run();
    }
}
