use crate::k8s::security::pod_anchor;
use crate::k8s::Pod;
use crate::rule::{Context, PodRule};

declare_rule! {
    /// ## What it does
    /// Reports a pod that does not set `automountServiceAccountToken: false`. (The
    /// ServiceAccount object can set it too; podlint sees one file at a time, so disable this
    /// rule if your ServiceAccounts do.)
    ///
    /// ## Why it matters in a Pod
    /// By default Kubernetes mounts an API token for the Pod's ServiceAccount into every
    /// container at `/var/run/secrets/kubernetes.io/serviceaccount`. Most apps never call the
    /// Kubernetes API, but an intruder who reads that file can, with whatever permissions the
    /// account has.
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
    /// Add `automountServiceAccountToken: false` to the PodSpec when the app does not talk to
    /// the Kubernetes API.
    pub struct AutomountSaToken {
        name: "automount-sa-token",
        category: Security,
        hook: Pod,
        fix: Never,
        summary: "An API token is mounted into the pod's containers",
        severity: Info,
        enabled: false,
    }
}

const HELP: &str =
    "add `automountServiceAccountToken: false` to the PodSpec unless the app calls the Kubernetes API";

impl PodRule for AutomountSaToken {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        match pod.spec.entry("automountServiceAccountToken") {
            Some((key, value)) => {
                if value.as_bool() == Some(true) {
                    cx.report(
                        key.range().cover(value.range()),
                        "every container gets a Kubernetes API token at `/var/run/secrets/kubernetes.io/serviceaccount`; whoever reads it can call the API as the Pod's ServiceAccount",
                    )
                    .help(HELP);
                }
            }
            None => {
                cx.report(
                    pod_anchor(pod),
                    "every container gets a Kubernetes API token at `/var/run/secrets/kubernetes.io/serviceaccount` by default; whoever reads it can call the API as the Pod's ServiceAccount",
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
    fn token_must_be_opted_out() {
        let off = pod(
            "  automountServiceAccountToken: false\n  containers:\n  - name: app\n    image: a\n",
        );
        let on = pod(
            "  automountServiceAccountToken: true\n  containers:\n  - name: app\n    image: a\n",
        );
        RuleTest::new(&super::AutomountSaToken::META)
            .pass(&off)
            .fail(&on, &["automountServiceAccountToken: true"])
            .run();
    }
}
