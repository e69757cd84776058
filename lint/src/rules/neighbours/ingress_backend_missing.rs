use crate::project::{PortRef, Project};
use crate::rule::{ProjectContext, ProjectRule};

declare_rule! {
    /// ## What it does
    /// Reports an Ingress (`networking.k8s.io/v1`) backend that names a Service the linted
    /// manifests do not declare in the Ingress's namespace, or a Service port
    /// (`port.number` / `port.name`) that Service does not expose. It says nothing when the
    /// namespace has no Service in the set: those may live elsewhere.
    ///
    /// ## Why it matters in a Pod
    /// An Ingress routes outside HTTP traffic to a Service, and the Service to its Pods. When
    /// the backend names a Service that does not exist or a port it does not have, the
    /// ingress controller answers those paths with 503 errors, although the Pods behind the
    /// real Service are healthy. A Service renamed in one file and not in the Ingress is the
    /// usual cause.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Ingress
    /// spec:
    ///   rules:
    ///   - http:
    ///       paths:
    ///       - backend:
    ///           service:
    ///             name: web-svc      # the Service is called `web`
    ///             port: {number: 80}
    /// ```
    ///
    /// ## How to fix
    /// Name the Service and one of its `ports[].port` numbers (or `ports[].name`) exactly.
    pub struct IngressBackendMissing {
        name: "ingress-backend-missing",
        category: Correctness,
        hook: Project,
        fix: Never,
        summary: "An Ingress backend names a Service or Service port the linted set does not declare",
    }
}

impl ProjectRule for IngressBackendMissing {
    fn check(&self, project: &Project<'_>, cx: &mut ProjectContext<'_>) {
        for (file, ingress) in project.objects().filter(|(_, o)| o.is("Ingress")) {
            let namespace = ingress.namespace();
            if !project.has_kind("Service", namespace) {
                continue;
            }
            let ingress_name = ingress.name.as_deref().unwrap_or("?");
            for backend in ingress.backends() {
                let name = &backend.service;
                let Some(service) = project.named("Service", namespace, name) else {
                    let known: Vec<&str> = project
                        .of_kind("Service", namespace)
                        .filter_map(|s| s.name.as_deref())
                        .collect();
                    cx.report(
                        file,
                        backend.range,
                        format!("Ingress `{ingress_name}` routes to Service `{name}`, which is not among the linted Services of namespace `{namespace}`; the ingress controller answers these requests with 503"),
                    )
                    .help(format!("name one of the Services: {}", known.join(", ")));
                    continue;
                };
                let Some((port, range)) = &backend.port else {
                    continue;
                };
                let exposed = service.service_ports().iter().any(|p| match port {
                    PortRef::Number(n) => p.port == Some(*n),
                    PortRef::Name(n) => p.name.as_deref() == Some(&**n),
                });
                if exposed || service.service_ports().is_empty() {
                    continue;
                }
                let ports: Vec<String> = service
                    .service_ports()
                    .iter()
                    .map(|p| match (&p.name, p.port) {
                        (Some(name), Some(n)) => format!("{n} (`{name}`)"),
                        (None, Some(n)) => n.to_string(),
                        (Some(name), None) => format!("`{name}`"),
                        (None, None) => "?".into(),
                    })
                    .collect();
                let shown = match port {
                    PortRef::Number(n) => format!("port {n}"),
                    PortRef::Name(n) => format!("the port named `{n}`"),
                };
                cx.report(
                    file,
                    *range,
                    format!("Ingress `{ingress_name}` routes to {shown} of Service `{name}`, which exposes only {}; the ingress controller answers these requests with 503", ports.join(", ")),
                )
                .help("use one of the Service's `ports[].port` numbers (not the container's `targetPort`) or its port name");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::RuleTest;

    const SERVICE: &str = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: web}\n  ports:\n  - name: http\n    port: 80\n    targetPort: 8080\n";

    fn ingress(backend: &str) -> String {
        format!("{SERVICE}---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\nspec:\n  rules:\n  - host: shop.example.com\n    http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend:\n          service:\n{backend}")
    }

    #[test]
    fn backends_name_services_and_ports_of_the_set() {
        let alone = "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\nspec:\n  defaultBackend:\n    service: {name: elsewhere, port: {number: 80}}\n";
        RuleTest::new(&super::IngressBackendMissing::META)
            .pass(ingress(
                "            name: web\n            port: {number: 80}\n",
            ))
            .pass(ingress(
                "            name: web\n            port: {name: http}\n",
            ))
            .pass(alone)
            .fail(
                ingress("            name: web-svc\n            port: {number: 80}\n"),
                &["web-svc"],
            )
            .fail(
                ingress("            name: web\n            port: {number: 8080}\n"),
                &["number: 8080"],
            )
            .fail(
                ingress("            name: web\n            port:\n              name: https\n"),
                &["name: https"],
            )
            .run();
    }
}
