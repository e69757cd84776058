use crate::project::Project;
use crate::rule::ProjectContext;
use crate::rule::ProjectRule;

declare_rule! {
    /// ## What it does
    /// Reports a workload whose pods are not isolated in both directions by the
    /// NetworkPolicies among the linted manifests (in the same namespace): none selects them,
    /// or those that do isolate only ingress or only egress (`policyTypes`; without it a
    /// policy isolates ingress, and egress too when it has `egress` rules). Off by default:
    /// enable it when the manifests you lint hold your network policies too. It says nothing
    /// when only some files are linted.
    ///
    /// ## Why it matters in a Pod
    /// Every Pod gets its own IP address, and by default any Pod in the cluster may connect to
    /// it on any port, and it may connect anywhere. A NetworkPolicy that selects the Pod turns
    /// that into an allow-list: a compromised neighbour can no longer reach your database, and
    /// a compromised Pod cannot reach everything else.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Deployment
    /// metadata: {name: my-app}     # no NetworkPolicy selects app=my-app
    /// ```
    ///
    /// ## How to fix
    /// Add a NetworkPolicy whose `podSelector` matches the pod template's labels and allows
    /// only the traffic the app needs (a namespace-wide default-deny with `podSelector: {}`
    /// covers every pod).
    pub struct MissingNetworkPolicy {
        name: "missing-network-policy",
        category: Security,
        hook: Project,
        fix: Never,
        summary: "A workload's pods are selected by no NetworkPolicy",
        severity: Info,
        enabled: false,
    }
}

impl ProjectRule for MissingNetworkPolicy {
    fn check(&self, project: &Project<'_>, cx: &mut ProjectContext<'_>) {
        // The policy may be in a file not given.
        if !project.is_whole() {
            return;
        }
        for (file, object, pod) in project.pods_with_objects() {
            let (mut ingress, mut egress) = (false, false);
            let selecting = project
                .of_kind("NetworkPolicy", object.namespace())
                .filter(|p| p.selector().is_some_and(|(s, _)| s.matches(&pod.labels)));
            for policy in selecting {
                ingress |= policy.policy_types().0;
                egress |= policy.policy_types().1;
            }
            let name = object.name.as_deref().unwrap_or("?");
            let (message, help) = match (ingress, egress) {
                (true, true) => continue,
                (false, false) => (
                    format!("no NetworkPolicy selects the pods of {} `{name}`; any Pod in the cluster can connect to them, and they can connect anywhere", object.kind),
                    "add a NetworkPolicy whose `podSelector` matches the pod template's labels, with `policyTypes: [Ingress, Egress]` and rules for only the traffic the app needs",
                ),
                (true, false) => (
                    format!("the NetworkPolicies selecting the pods of {} `{name}` isolate ingress only; the pods can still connect anywhere, so a compromised one reaches every service and the internet", object.kind),
                    "add `Egress` to a selecting policy's `policyTypes`, with `egress` rules for what the app calls (and DNS)",
                ),
                (false, true) => (
                    format!("the NetworkPolicies selecting the pods of {} `{name}` isolate egress only; any Pod in the cluster can still connect to them", object.kind),
                    "add `Ingress` to a selecting policy's `policyTypes`, with `ingress` rules for who may connect",
                ),
            };
            cx.report(file, object.anchor, message).help(help);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::RuleTest;

    const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: my-app\n  labels: {app: my-app}\nspec:\n  containers: [{name: app, image: nginx:1.27}]\n";

    #[test]
    fn pods_want_a_policy() {
        let policy = |sel: &str, rest: &str| {
            format!("{POD}---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: deny\nspec:\n  podSelector: {sel}\n{rest}")
        };
        let both = "  policyTypes: [Ingress, Egress]\n";
        RuleTest::new(&super::MissingNetworkPolicy::META)
            .pass(policy("{}", both))
            .pass(policy("{matchLabels: {app: my-app}}", both))
            // Without policyTypes, egress rules make it an egress policy too.
            .pass(policy("{}", "  egress: [{to: [{podSelector: {}}]}]\n"))
            .fail(POD, &["name: my-app"])
            .fail(policy("{matchLabels: {app: db}}", both), &["name: my-app"])
            .fail(
                policy("{}", "  policyTypes: [Ingress]\n"),
                &["name: my-app"],
            )
            .fail(policy("{}", ""), &["name: my-app"])
            .fail(policy("{}", "  policyTypes: [Egress]\n"), &["name: my-app"])
            .run();
    }
}
