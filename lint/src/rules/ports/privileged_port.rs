use crate::k8s::Pod;
use crate::rule::{Context, PodRule};

declare_rule! {
    /// ## What it does
    /// Reports a `containerPort` below 1024.
    ///
    /// ## Why it matters in a Pod
    /// Ports below 1024 are "privileged" in Linux: binding them traditionally needs root or
    /// the `NET_BIND_SERVICE` capability, which is why images like the stock `nginx` listen
    /// on 80 and run as root. Recent runtimes lower that limit inside the Pod's network
    /// namespace, but an app that listens on a high port runs as non-root anywhere. The port
    /// number inside the Pod does not matter to clients: a Service maps `port: 80` to any
    /// `targetPort`.
    ///
    /// Off by default (opinionated).
    ///
    /// ## Example
    /// ```yaml
    /// ports:
    /// - containerPort: 80
    /// ```
    ///
    /// ## How to fix
    /// Make the app listen on a port of 1024 or more (`containerPort: 8080`) and let the
    /// Service expose it as `port: 80`.
    pub struct PrivilegedPort {
        name: "privileged-port",
        category: Security,
        hook: Pod,
        fix: Never,
        summary: "A container listens on a port below 1024",
        severity: Info,
        enabled: false,
    }
}

impl PodRule for PrivilegedPort {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        for container in pod.containers() {
            for port in container.ports() {
                let Some((key, value)) = port.entry("containerPort") else {
                    continue;
                };
                let Some(number) = value.as_i64().filter(|n| (1..1024).contains(n)) else {
                    continue;
                };
                cx.report(
                    key.range().cover(value.range()),
                    format!("{} listens on port {number}, below 1024: binding it traditionally needs root or `NET_BIND_SERVICE`", container.describe()),
                )
                .help("listen on a port of 1024 or more (e.g. 8080) and let the Service expose it as `port: 80`");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn low_ports_are_reported() {
        let high = pod(
            "  containers:\n  - name: app\n    image: a\n    ports:\n    - containerPort: 8080\n",
        );
        let low = pod(
            "  containers:\n  - name: app\n    image: a\n    ports:\n    - containerPort: 80\n",
        );
        RuleTest::new(&super::PrivilegedPort::META)
            .pass(&high)
            .fail(&low, &["containerPort: 80"])
            .run();
    }
}
