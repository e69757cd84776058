use crate::project::{self, PortRef, Project};
use crate::rule::{ProjectContext, ProjectRule};

declare_rule! {
    /// ## What it does
    /// Reports a Service port whose `targetPort` names a port (`targetPort: http`) that a pod
    /// it selects does not declare, and a `targetPort` number (or a `port` without
    /// `targetPort`) that matches none of the ports a selected pod's containers declare when
    /// they declare some. Only pods among the manifests linted together are compared; a
    /// Service that selects none is `dangling-service-selector`'s.
    ///
    /// ## Why it matters in a Pod
    /// A Service forwards each connection to a selected Pod's IP at the `targetPort`. A port
    /// name is looked up in the Pod's `containers[].ports[].name`: a Pod without that name is
    /// left out of the Service's endpoints, so traffic reaches only the Pods that have it, or
    /// none. A number is used as is: if no container listens there, connections are refused
    /// although every Pod is healthy. Left out, `targetPort` is the same as `port`, a common
    /// surprise when the Service listens on 80 and the app on 8080.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Service
    /// spec:
    ///   ports:
    ///   - port: 80
    ///     targetPort: http      # the container's port is named `web`
    /// ```
    ///
    /// ## How to fix
    /// Name the container port (`ports: [{name: http, containerPort: 8080}]`) and point
    /// `targetPort` at that name, or write the number the container listens on.
    pub struct ServiceTargetPortUnknown {
        name: "service-target-port-unknown",
        category: Correctness,
        hook: Project,
        fix: Never,
        summary: "A Service's targetPort matches no port of the pods it selects",
    }
}

impl ProjectRule for ServiceTargetPortUnknown {
    fn check(&self, project: &Project<'_>, cx: &mut ProjectContext<'_>) {
        for (file, service) in project.objects().filter(|(_, o)| o.is("Service")) {
            let Some((selector, _)) = service.selector() else {
                continue;
            };
            if selector.is_empty() {
                continue;
            }
            let Some(selection) = project.selection(file, service) else {
                continue;
            };
            if selection.count == 0 {
                continue;
            }
            let name = service.name.as_deref().unwrap_or("?");
            for (port, check) in service.service_ports().iter().zip(&selection.ports) {
                let Some(target) = project::target(port) else {
                    continue;
                };
                let implicit = port.target.is_none();
                let missing: Vec<String> = check
                    .missing
                    .iter()
                    .map(|owner| owner.clone().unwrap_or_else(|| "a pod".into()))
                    .collect();
                if missing.is_empty() {
                    continue;
                }
                let who = missing.join(", ");
                let (message, help) = match &target {
                    PortRef::Name(port_name) => (
                        format!("Service `{name}` sends traffic to the port named `{port_name}`, which {who} does not declare; its Pods are left out of the Service's endpoints, so connections reach none of them"),
                        format!("name the container port `{port_name}` (`ports: [{{name: {port_name}, containerPort: …}}]`), or point `targetPort` at the name or number it has"),
                    ),
                    PortRef::Number(n) => {
                        let declared: Vec<String> =
                            selection.declared().iter().map(i64::to_string).collect();
                        let how = if implicit {
                            format!("with no `targetPort`, Service `{name}` sends traffic to port {n} of its Pods")
                        } else {
                            format!("Service `{name}` sends traffic to port {n}")
                        };
                        (
                            format!("{how}, but the containers of {who} declare only {}; connections are refused if nothing listens on {n}", declared.join(", ")),
                            "set `targetPort` to the port the container listens on, or declare it under the container's `ports`".to_string(),
                        )
                    }
                };
                cx.report(file, port.range, message).help(help);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::RuleTest;

    const DEPLOYMENT: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: web\n        image: my-web:1.0\n        ports: [{name: http, containerPort: 8080}]\n";

    fn with(ports: &str) -> String {
        format!("{DEPLOYMENT}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {{app: web}}\n  ports:\n{ports}")
    }

    #[test]
    fn target_ports_must_exist_on_the_selected_pods() {
        RuleTest::new(&super::ServiceTargetPortUnknown::META)
            .pass(with("  - port: 80\n    targetPort: http\n"))
            .pass(with("  - port: 80\n    targetPort: 8080\n"))
            .pass(with("  - port: 8080\n"))
            .pass("apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: web}\n  ports:\n  - port: 80\n    targetPort: http\n")
            .fail(with("  - port: 80\n    targetPort: web\n"), &["targetPort: web"])
            .fail(with("  - port: 80\n    targetPort: 9090\n"), &["targetPort: 9090"])
            .fail(with("  - port: 80\n"), &["port: 80"])
            .fail(with("  - port: 8080\n    protocol: UDP\n"), &["port: 8080"])
            .run();
    }
}
