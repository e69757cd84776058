use crate::project::{Project, RefKind};
use crate::rule::ProjectContext;
use crate::rule::ProjectRule;

declare_rule! {
    /// ## What it does
    /// Reports a `serviceAccountName` that names a ServiceAccount absent from the manifests
    /// linted together, in the pod's namespace. It only speaks when the set declares
    /// ServiceAccounts in that namespace: a repository that creates them elsewhere is not
    /// told they are missing. `default` always exists. Like `env-ref-missing-object`, it says
    /// nothing when a Job, a custom resource or a Kustomization in the set may create the
    /// account, or when only some files are linted.
    ///
    /// ## Why it matters in a Pod
    /// A pod runs with its ServiceAccount's identity and token. The API server refuses to
    /// create a pod whose ServiceAccount does not exist, so a Deployment or Job with a typo
    /// here creates no pod at all: the ReplicaSet's events say `serviceaccount "…" not found`
    /// and the rollout hangs.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   serviceAccountName: my-ap     # the ServiceAccount is called my-app
    /// ```
    ///
    /// ## How to fix
    /// Correct the name or add the ServiceAccount to the manifests.
    pub struct ServiceAccountNotFound {
        name: "service-account-not-found",
        category: Correctness,
        hook: Project,
        fix: Never,
        summary: "serviceAccountName names a ServiceAccount the linted set does not declare",
    }
}

impl ProjectRule for ServiceAccountNotFound {
    fn check(&self, project: &Project<'_>, cx: &mut ProjectContext<'_>) {
        for (file, object, pod) in project.pods_where_absence_is_known() {
            let namespace = object.namespace();
            let Some(own) = project.own(file, pod) else {
                continue;
            };
            let accounts = own
                .references
                .iter()
                .filter(|r| r.kind == RefKind::ServiceAccount && *r.name != *"default");
            for account in accounts {
                if !project.has_kind("ServiceAccount", namespace)
                    || project
                        .named("ServiceAccount", namespace, &account.name)
                        .is_some()
                {
                    continue;
                }
                cx.report(
                    file,
                    account.range,
                    format!(
                        "ServiceAccount `{}` is not among the linted ServiceAccounts of namespace `{namespace}`; the API server refuses pods whose ServiceAccount does not exist, so none will be created",
                        account.name
                    ),
                )
                .help("correct the name or add the ServiceAccount to the manifests");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::RuleTest;

    fn set(accounts: &str, name: &str) -> String {
        format!("{accounts}apiVersion: v1\nkind: Pod\nmetadata:\n  name: my-app\nspec:\n  serviceAccountName: {name}\n  containers:\n  - name: app\n    image: nginx:1.27\n")
    }

    #[test]
    fn accounts_must_exist_when_the_set_has_some() {
        let sa = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: my-app\n---\n";
        RuleTest::new(&super::ServiceAccountNotFound::META)
            .pass(set(sa, "my-app"))
            .pass(set(sa, "default"))
            .pass(set("", "elsewhere"))
            // An operator's custom resource may create it.
            .pass(set(
                &format!("{sa}apiVersion: example.com/v1\nkind: App\nmetadata:\n  name: a\n---\n"),
                "my-ap",
            ))
            .fail(set(sa, "my-ap"), &["my-ap"])
            .run();
    }
}
