use crate::k8s::{names, Pod};
use crate::rule::{Context, PodRule};
use crate::rules::seen::Seen;
use crate::text::TextRange;

declare_rule! {
    /// ## What it does
    /// Reports a port `name` used twice in one container's `ports`.
    ///
    /// ## Why it matters in a Pod
    /// Probes (`port: http`) and Services (`targetPort: http`) address a container port by
    /// its name. Two ports with the same name would make that lookup ambiguous, so the API
    /// server rejects the Pod. Different containers may reuse a name: a name is looked up in
    /// one container only.
    ///
    /// ## Example
    /// ```yaml
    /// ports:
    /// - name: http
    ///   containerPort: 8080
    /// - name: http
    ///   containerPort: 8443
    /// ```
    ///
    /// ## How to fix
    /// Give each port its own name (`http` and `https`), and check which one the Services
    /// and probes that use the name meant.
    pub struct ContainerPortNameDuplicate {
        name: "container-port-name-duplicate",
        category: ApiRejects,
        hook: Pod,
        fix: Never,
        summary: "Two ports of one container have the same name",
    }
}

impl PodRule for ContainerPortNameDuplicate {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        for container in pod.containers() {
            let mut seen: Seen<&str, TextRange> = Seen::new();
            for port in container.ports() {
                let Some(node) = port.get("name") else {
                    continue;
                };
                // Invalid names are container-port-name-invalid's; the API never compares them.
                let Some(name) = node.as_string().filter(|n| names::port_name(n).is_ok()) else {
                    continue;
                };
                match seen.get(name) {
                    Some(first) => {
                        cx.report(
                            node.range(),
                            format!(
                                "{} has two ports named `{name}`; probes and Services address a port by its name, so the name must be unique within the container",
                                container.describe()
                            ),
                        )
                        .label(*first, "first named here")
                        .help("give this port its own name (e.g. `https` beside `http`) and check which port the probes and Services using the name should reach");
                    }
                    None => {
                        seen.insert(name, node.range());
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn port_names_are_unique_per_container() {
        let two_containers = pod("  containers:\n  - name: a\n    image: a\n    ports:\n    - name: http\n      containerPort: 8080\n  - name: b\n    image: b\n    ports:\n    - name: http\n      containerPort: 8081\n");
        let twice = pod("  containers:\n  - name: a\n    image: a\n    ports:\n    - name: http\n      containerPort: 8080\n    - name: metrics\n      containerPort: 9090\n    - name: http\n      containerPort: 8443\n");
        RuleTest::new(&super::ContainerPortNameDuplicate::META)
            .pass(&two_containers)
            .fail(&twice, &["http"])
            .run();
    }
}
