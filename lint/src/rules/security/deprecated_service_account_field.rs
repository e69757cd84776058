use crate::diagnostic::{Edit, Fix};
use crate::k8s::Pod;
use crate::rule::{Context, PodRule};

declare_rule! {
    /// ## What it does
    /// Reports `spec.serviceAccount`, the deprecated spelling of `serviceAccountName`.
    ///
    /// ## Why it matters in a Pod
    /// `serviceAccount` is an alias kept for old manifests: the API server copies it into
    /// `serviceAccountName`, which is the field every tool, policy and `kubectl` output reads.
    /// When both are written and differ, readers of the manifest see one account while the Pod
    /// runs with the other.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   serviceAccount: my-app
    /// ```
    ///
    /// ## How to fix
    /// Write `serviceAccountName: my-app` instead (the fix renames the key when
    /// `serviceAccountName` is not set).
    pub struct DeprecatedServiceAccountField {
        name: "deprecated-service-account-field",
        category: Style,
        hook: Pod,
        fix: Sometimes,
        summary: "spec.serviceAccount is deprecated; use serviceAccountName",
    }
}

impl PodRule for DeprecatedServiceAccountField {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        let Some((key, value)) = pod.spec.entry("serviceAccount") else {
            return;
        };
        let name = value.as_str().unwrap_or("");
        let d = cx.report(
            key.range(),
            format!("`serviceAccount` is a deprecated alias of `serviceAccountName`; tools and readers look at `serviceAccountName` to see which identity `{name}` the Pod runs as"),
        );
        match pod.spec.entry("serviceAccountName") {
            None => {
                d.help("rename the key to `serviceAccountName`");
                d.fix(Fix::safe(
                    "Rename to `serviceAccountName`",
                    vec![Edit::replace(key.range(), "serviceAccountName")],
                ));
            }
            Some((other, _)) => {
                d.label(other.range(), "`serviceAccountName` is set here too");
                d.help("delete `serviceAccount` and keep the name in `serviceAccountName`");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn the_old_spelling_is_reported() {
        let old = pod("  serviceAccount: my-app\n  containers: [{name: app, image: a}]\n");
        let new = pod("  serviceAccountName: my-app\n  containers: [{name: app, image: a}]\n");
        RuleTest::new(&super::DeprecatedServiceAccountField::META)
            .pass(&new)
            .fail(&old, &["serviceAccount"])
            .run();
    }
}
