use crate::project::Project;
use crate::rule::ProjectContext;
use crate::rule::ProjectRule;

declare_rule! {
    /// ## What it does
    /// Reports a StatefulSet without `serviceName`, and, when the linted manifests declare
    /// Services in its namespace, a `serviceName` that names no Service there (unless only
    /// some files are linted), one that is not headless (`clusterIP: None`), or one whose
    /// selector does not match the StatefulSet's pods.
    ///
    /// ## Why it matters in a Pod
    /// A StatefulSet gives each Pod a stable name (`db-0`, `db-1`) and, through its governing
    /// headless Service, a stable DNS name: `db-0.db.my-namespace.svc.cluster.local`. Replicas
    /// of databases and queues find each other by those names. Without the Service, or with
    /// an ordinary one (which load-balances behind a single virtual IP), the per-Pod DNS
    /// records do not exist and peers cannot address one another.
    ///
    /// ## Example
    /// ```yaml
    /// kind: StatefulSet
    /// spec:
    ///   serviceName: db    # the Service `db` has a cluster IP
    /// ```
    ///
    /// ## How to fix
    /// Add a Service with `clusterIP: None` that selects the StatefulSet's pods, and name it
    /// in `serviceName`.
    pub struct StatefulsetServiceName {
        name: "statefulset-service-name",
        category: Correctness,
        hook: Project,
        fix: Never,
        summary: "A StatefulSet has no headless governing Service",
    }
}

impl ProjectRule for StatefulsetServiceName {
    fn check(&self, project: &Project<'_>, cx: &mut ProjectContext<'_>) {
        for (file, set) in project.objects().filter(|(_, o)| o.is("StatefulSet")) {
            let name = set.name.as_deref().unwrap_or("?");
            let namespace = set.namespace();
            let Some((service, range)) = set.service_name() else {
                cx.report(
                    file,
                    set.anchor,
                    format!("StatefulSet `{name}` has no `serviceName`; without a governing headless Service its Pods get no stable DNS names (`{name}-0.<service>`) to find each other by"),
                )
                .help("add a Service with `clusterIP: None` selecting these pods and set `serviceName` to its name");
                continue;
            };
            if !project.has_kind("Service", namespace) {
                continue;
            }
            match project.named("Service", namespace, service) {
                None if !project.is_whole() => {}
                None => {
                    cx.report(
                        file,
                        range,
                        format!("`serviceName` names Service `{service}`, which is not among the linted Services of namespace `{namespace}`; the Pods of StatefulSet `{name}` get no stable DNS names until it exists"),
                    )
                    .help("correct the name, or add a Service with `clusterIP: None` by that name");
                }
                Some(s) if !s.headless() => {
                    cx.report(
                        file,
                        range,
                        format!("Service `{service}` is not headless (no `clusterIP: None`); it load-balances behind one virtual IP, so the Pods of StatefulSet `{name}` get no per-Pod DNS names"),
                    )
                    .help(format!("set `clusterIP: None` on Service `{service}` (a cluster IP cannot be removed in place: recreate it), or point `serviceName` at a headless one"));
                }
                Some(s) => {
                    let Some(pod) = set.pod() else { continue };
                    let Some((selector, _)) = s.selector() else {
                        continue;
                    };
                    if selector.is_empty() || selector.matches(&pod.labels) {
                        continue;
                    }
                    cx.report(
                        file,
                        range,
                        format!("headless Service `{service}` selects `{}`, which the Pods of StatefulSet `{name}` do not carry; it publishes no DNS records for them, so `{name}-0.{service}` does not resolve", selector.describe()),
                    )
                    .help(format!("make the selector of Service `{service}` match the labels under `spec.template.metadata.labels` of StatefulSet `{name}`"));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::RuleTest;

    fn set(service_name: &str, service: &str) -> String {
        format!("apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n{service_name}  selector:\n    matchLabels: {{app: db}}\n  template:\n    metadata:\n      labels: {{app: db}}\n    spec:\n      containers: [{{name: db, image: postgres:16}}]\n{service}")
    }

    #[test]
    fn a_statefulset_needs_its_headless_service() {
        let headless = "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  clusterIP: None\n  selector: {app: db}\n";
        let ordinary = "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  selector: {app: db}\n";
        let name = "  serviceName: db\n";
        RuleTest::new(&super::StatefulsetServiceName::META)
            .pass(set(name, headless))
            .pass(set(name, ""))
            .fail(set("", headless), &["name: db"])
            .fail(set(name, ordinary), &["serviceName: db"])
            .fail(set("  serviceName: dbs\n", headless), &["serviceName: dbs"])
            .fail(
                set(name, &headless.replace("{app: db}", "{app: postgres}")),
                &["serviceName: db"],
            )
            .run();
    }
}
