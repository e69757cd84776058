use crate::k8s::Pod;
use crate::rule::{Context, PodRule};

declare_rule! {
    /// ## What it does
    /// Reports a container that declares `containerPort: 22` (TCP), the SSH port.
    ///
    /// ## Why it matters in a Pod
    /// An SSH server in a container is a second way in, with its own keys and passwords to
    /// leak, and it makes containers into little servers that people change by hand. Pods are
    /// meant to be replaced, not logged into.
    ///
    /// Off by default (opinionated).
    ///
    /// ## Example
    /// ```yaml
    /// ports:
    /// - containerPort: 22
    /// ```
    ///
    /// ## How to fix
    /// Remove the SSH server; use `kubectl exec -it POD -- sh` (like `docker exec`) or
    /// `kubectl debug` to get a shell.
    pub struct SshPort {
        name: "ssh-port",
        category: Security,
        hook: Pod,
        fix: Never,
        summary: "A container exposes the SSH port 22",
        severity: Info,
        enabled: false,
    }
}

impl PodRule for SshPort {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        for container in pod.containers() {
            for port in container.ports() {
                let Some((key, value)) = port.entry("containerPort") else {
                    continue;
                };
                let protocol = port
                    .get("protocol")
                    .and_then(|p| p.as_str())
                    .unwrap_or("TCP");
                if value.as_i64() != Some(22) || protocol != "TCP" {
                    continue;
                }
                cx.report(
                    key.range().cover(value.range()),
                    format!("{} exposes port 22, the SSH port: an SSH server is a second way into the container", container.describe()),
                )
                .help("remove the SSH server and use `kubectl exec -it <pod> -- sh` or `kubectl debug` for a shell");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn port_22_is_reported() {
        let web = pod(
            "  containers:\n  - name: app\n    image: a\n    ports:\n    - containerPort: 8080\n",
        );
        let ssh = pod(
            "  containers:\n  - name: app\n    image: a\n    ports:\n    - containerPort: 22\n",
        );
        RuleTest::new(&super::SshPort::META)
            .pass(&web)
            .fail(&ssh, &["containerPort: 22"])
            .run();
    }
}
