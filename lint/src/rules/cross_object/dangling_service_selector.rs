use crate::project::Project;
use crate::rule::ProjectContext;
use crate::rule::ProjectRule;

declare_rule! {
    /// ## What it does
    /// Reports a Service, NetworkPolicy or PodDisruptionBudget whose selector matches the
    /// labels of no pod template (and no Pod) among the manifests linted together, in the same
    /// namespace, or only pods of another namespace (a selector never reaches across
    /// namespaces). It speaks only when it can know: never when only some files are linted
    /// (files named one by one, an editor's buffer), nor when the namespace holds a custom
    /// resource whose operator may run pods podlint cannot see (or the set a Kustomization,
    /// which may relabel them), nor when the namespace has no pods in the set at all.
    ///
    /// ## Why it matters in a Pod
    /// A Service finds its Pods by their labels, not by name. If the selector matches no Pod,
    /// the Service has no endpoints: its cluster IP answers every connection with "connection
    /// refused" (or a timeout), although every Pod is healthy. A NetworkPolicy that selects
    /// nothing protects nothing, and a PodDisruptionBudget that selects nothing does not stop
    /// a node drain from evicting every replica at once. A typo (`app: web` vs `app: wep`) or
    /// a label added to the Deployment's own `metadata` instead of its pod template is enough.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Service
    /// spec:
    ///   selector:
    ///     app: my-ap        # the pod template says `app: my-app`
    /// ```
    ///
    /// ## How to fix
    /// Make the selector match the labels under the workload's `spec.template.metadata.labels`
    /// (check with `kubectl get pods -l app=my-app`). Linting one file at a time (the editor)
    /// only sees that file's pods.
    pub struct DanglingServiceSelector {
        name: "dangling-service-selector",
        category: Correctness,
        hook: Project,
        fix: Never,
        summary: "A Service, NetworkPolicy or PodDisruptionBudget selects no pod in the linted set",
    }
}

impl ProjectRule for DanglingServiceSelector {
    fn check(&self, project: &Project<'_>, cx: &mut ProjectContext<'_>) {
        for (file, object) in project.objects() {
            let Some((selector, range)) = object.selector() else {
                continue;
            };
            // An empty Service selector means endpoints are managed by hand; an empty
            // NetworkPolicy or PodDisruptionBudget selector selects every pod.
            if selector.is_empty() {
                continue;
            }
            let namespace = object.namespace();
            let Some(selection) = project.selection(file, object) else {
                continue;
            };
            // Only when every pod of the namespace is in view: a file alone, or pods made by
            // an operator from a custom resource, would make any selector look dangling.
            if !project.is_whole() || !project.pods_all_known(namespace) || selection.count > 0 {
                continue;
            }
            let name = object.name.as_deref().unwrap_or("?");
            let consequence = match &*object.kind {
                "Service" => "it has no endpoints, so connections to it are refused",
                "NetworkPolicy" => "its rules isolate nothing",
                _ => "it protects nothing: a node drain can evict every replica at once",
            };
            if let Some(other) = selection.elsewhere().first() {
                cx.report(
                    file,
                    range,
                    format!(
                        "{} `{name}` in namespace `{namespace}` selects `{}`, which only pods of namespace `{other}` carry; a selector only ever sees pods of its own namespace, so {consequence}",
                        object.kind,
                        selector.describe(),
                    ),
                )
                .help(format!("put {} `{name}` in namespace `{other}` (`metadata.namespace`), or move the workload into `{namespace}`", object.kind));
                continue;
            }
            // Nothing to select at all: the namespace's workloads live elsewhere.
            if !project.has_pods(namespace) {
                continue;
            }
            cx.report(
                file,
                range,
                format!(
                    "{} `{name}` selects `{}`, which no pod in namespace `{namespace}` carries; {consequence}",
                    object.kind,
                    selector.describe(),
                ),
            )
            .help("make the selector match the labels under the workload's `spec.template.metadata.labels`");
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::RuleTest;

    const DEPLOYMENT: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: my-app\nspec:\n  selector:\n    matchLabels: {app: my-app}\n  template:\n    metadata:\n      labels: {app: my-app, tier: web}\n    spec:\n      containers: [{name: app, image: nginx:1.27}]\n";

    fn with(other: &str) -> String {
        format!("{DEPLOYMENT}---\n{other}")
    }

    #[test]
    fn selectors_must_match_a_pod_of_their_namespace() {
        let service = |sel: &str| {
            format!("apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {sel}\n  ports: [{{port: 80}}]\n")
        };
        let policy = |sel: &str| {
            format!("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: np\nspec:\n  podSelector: {sel}\n")
        };
        let other_ns = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  selector: {app: nope}\n";
        let good = with(&service("{app: my-app}"));
        let good_policy = with(&policy(
            "{matchExpressions: [{key: tier, operator: In, values: [web]}]}",
        ));
        let all = with(&policy("{}"));
        let alone = service("{app: nope}");
        let typo = with(&service("{app: my-ap}"));
        let bad_policy = with(&policy("{matchLabels: {app: api}}"));
        let wrong_namespace = with("apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  selector: {app: my-app}\n");
        // Pods an operator makes from a custom resource are not modelled: say nothing.
        let operated = with(&format!(
            "{}---\napiVersion: acid.zalan.do/v1\nkind: postgresql\nmetadata:\n  name: db\n",
            service("{app: db}")
        ));
        RuleTest::new(&super::DanglingServiceSelector::META)
            .pass(&operated)
            .pass(&good)
            .pass(&good_policy)
            .pass(&all)
            .pass(&alone)
            .pass(with(other_ns))
            .fail(&typo, &["selector"])
            .fail(&bad_policy, &["podSelector"])
            .fail(&wrong_namespace, &["selector"])
            .run();
    }
}
