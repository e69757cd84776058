use crate::k8s::security::pod_anchor;
use crate::k8s::Pod;
use crate::rule::{Context, PodRule};

declare_rule! {
    /// ## What it does
    /// Reports a pod that runs as the namespace's `default` ServiceAccount: no
    /// `serviceAccountName` (nor the deprecated `serviceAccount`), or one set to `default`.
    ///
    /// ## Why it matters in a Pod
    /// The ServiceAccount is the Pod's identity towards the Kubernetes API and often towards
    /// cloud services. Every Pod that names none shares `default`, so permissions granted
    /// for one app leak to all of them, and logs cannot tell them apart.
    ///
    /// Off by default (opinionated).
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   containers:
    ///   - name: app
    ///     image: my-app:1.0
    /// ```
    ///
    /// ## How to fix
    /// Create a ServiceAccount per app and set `serviceAccountName: my-app` in the PodSpec.
    pub struct DefaultServiceAccount {
        name: "default-service-account",
        category: Security,
        hook: Pod,
        fix: Never,
        summary: "The pod runs as the namespace's default ServiceAccount",
        severity: Info,
        enabled: false,
    }
}

const HELP: &str = "create a ServiceAccount for this app and set `serviceAccountName` to it";

impl PodRule for DefaultServiceAccount {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        let named = pod
            .spec
            .entry("serviceAccountName")
            .or_else(|| pod.spec.entry("serviceAccount"))
            .filter(|(_, v)| v.as_str().is_some_and(|s| !s.is_empty()));
        match named {
            Some((key, value)) => {
                if value.as_str() == Some("default") {
                    cx.report(
                        key.range().cover(value.range()),
                        "the Pod runs as the namespace's `default` ServiceAccount, an identity shared by every Pod that names none",
                    )
                    .help(HELP);
                }
            }
            None => {
                cx.report(
                    pod_anchor(pod),
                    "the Pod names no `serviceAccountName`, so it runs as the namespace's `default` ServiceAccount, shared by every Pod that names none",
                )
                .help(HELP);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn a_named_account_passes() {
        let named =
            pod("  serviceAccountName: my-app\n  containers:\n  - name: app\n    image: a\n");
        let default =
            pod("  serviceAccountName: default\n  containers:\n  - name: app\n    image: a\n");
        let unset = pod("  containers:\n  - name: app\n    image: a\n");
        RuleTest::new(&super::DefaultServiceAccount::META)
            .pass(&named)
            .fail(&default, &["serviceAccountName: default"])
            .fail(&unset, &["spec"])
            .run();
    }
}
