use crate::k8s::{ContainerKind, Pod};
use crate::rule::{Context, PodRule};
use crate::{Edit, Fix};

declare_rule! {
    /// ## What it does
    /// In a Pod with `hostNetwork: true`, reports a container port whose `hostPort` is set to
    /// something other than its `containerPort`.
    ///
    /// ## Why it matters in a Pod
    /// `hostNetwork: true` is Docker's `--network host`: the Pod's containers share the node's
    /// network namespace, so a process listening on 8080 listens on the node's port 8080.
    /// There is no port mapping as with `-p 80:8080`, so a `hostPort` different from
    /// `containerPort` cannot be honoured and the API server rejects it. (Leaving `hostPort`
    /// out, or 0, is fine: it is filled in from `containerPort`.)
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   hostNetwork: true
    ///   containers:
    ///   - name: agent
    ///     ports:
    ///     - containerPort: 9100
    ///       hostPort: 80
    /// ```
    ///
    /// ## How to fix
    /// Remove `hostPort`, or set it equal to `containerPort` and make the process listen on
    /// that port.
    pub struct HostNetworkHostPortMismatch {
        name: "host-network-host-port-mismatch",
        category: ApiRejects,
        hook: Pod,
        fix: Always,
        summary: "With hostNetwork, a hostPort differs from its containerPort",
    }
}

impl PodRule for HostNetworkHostPortMismatch {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        let host_network = pod.spec.get("hostNetwork").and_then(|h| h.as_bool()) == Some(true);
        if !host_network {
            return;
        }
        // The API server checks regular containers only.
        for container in pod.containers_of(ContainerKind::Regular) {
            for port in container.ports() {
                let Some(container_port) = port.get("containerPort") else {
                    continue;
                };
                let Some((key, host_port)) = port.entry("hostPort") else {
                    continue;
                };
                let (Some(number), Some(host)) = (container_port.as_i64(), host_port.as_i64())
                else {
                    continue;
                };
                // 0 means unset: the Pod's defaulting copies containerPort into it.
                if host == 0 || host == number {
                    continue;
                }
                cx.report(
                    key.range().cover(host_port.range()),
                    format!("{} asks for `hostPort: {host}` for `containerPort: {number}`, but with `hostNetwork: true` there is no port mapping: the process listening on {number} is already on the node's port {number}", container.describe()),
                )
                .label(container_port.range(), "the port the process listens on")
                .help(format!("remove `hostPort` or set it to {number}; to be reached on {host}, make the process listen on {host} and set `containerPort: {host}`"))
                .fix(Fix::unsafe_(
                    format!("Set `hostPort` to {number}"),
                    vec![Edit::replace(host_port.range(), number.to_string())],
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    fn ports(host_network: &str, port: &str) -> String {
        pod(&format!("  hostNetwork: {host_network}\n  containers:\n  - name: agent\n    image: a\n    ports:\n    - containerPort: 9100\n{port}"))
    }

    #[test]
    fn host_ports_must_equal_container_ports() {
        RuleTest::new(&super::HostNetworkHostPortMismatch::META)
            .pass(ports("true", ""))
            .pass(ports("true", "      hostPort: 0\n"))
            .pass(ports("true", "      hostPort: 9100\n"))
            .pass(ports("false", "      hostPort: 80\n"))
            .fail(ports("true", "      hostPort: 80\n"), &["hostPort: 80"])
            .run();
    }
}
