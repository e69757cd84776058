use crate::k8s::{names, Pod};
use crate::rule::{Context, PodRule};

declare_rule! {
    /// ## What it does
    /// Reports a container port `name` that is not a valid IANA service name: at most 15
    /// characters of lowercase letters, digits and `-`, with at least one letter, no `--`,
    /// and no `-` at either end.
    ///
    /// ## Why it matters in a Pod
    /// A port name lets the rest of the cluster refer to a port without repeating its number:
    /// a Service's `targetPort: http` and a probe's `port: http` both look the name up in the
    /// container's `ports`. Because a name stands in for a number, it must never look like
    /// one, and it follows the service-name format of `/etc/services`. The API server rejects
    /// the Pod otherwise.
    ///
    /// ## Example
    /// ```yaml
    /// ports:
    /// - name: HTTP_Metrics
    ///   containerPort: 9090
    /// ```
    ///
    /// ## How to fix
    /// Use a short lowercase name such as `metrics`, and rename the Services and probes that
    /// refer to the old name.
    pub struct ContainerPortNameInvalid {
        name: "container-port-name-invalid",
        category: ApiRejects,
        hook: Pod,
        fix: Never,
        summary: "A container port name is not a valid IANA service name",
    }
}

impl PodRule for ContainerPortNameInvalid {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        for container in pod.containers() {
            for port in container.ports() {
                let Some(node) = port.get("name") else {
                    continue;
                };
                // An empty name means "unnamed"; a non-string is a type error of its own.
                let Some(name) = node.as_string().filter(|n| !n.is_empty()) else {
                    continue;
                };
                if let Err(why) = names::port_name(name) {
                    cx.report(
                        node.range(),
                        format!(
                            "port name `{name}` of {} is not a valid port name: {why}",
                            container.describe()
                        ),
                    )
                    .help("Services (`targetPort`) and probes (`port`) refer to a container port by this name; use up to 15 lowercase letters, digits and `-`, e.g. `http` or `metrics`");
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn port_names_are_iana_service_names() {
        let ok = pod("  containers:\n  - name: app\n    image: a\n    ports:\n    - name: http\n      containerPort: 8080\n    - name: \"\"\n      containerPort: 9090\n    - name: 8443\n      containerPort: 8443\n");
        let bad = pod("  containers:\n  - name: app\n    image: a\n    ports:\n    - name: HTTP_Metrics\n      containerPort: 9090\n    - name: \"8080\"\n      containerPort: 8080\n    - name: prometheus-metrics\n      containerPort: 9100\n");
        RuleTest::new(&super::ContainerPortNameInvalid::META)
            .pass(&ok)
            .fail(&bad, &["HTTP_Metrics", "\"8080\"", "prometheus-metrics"])
            .run();
    }
}
