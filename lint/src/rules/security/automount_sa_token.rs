use crate::project::Project;
use crate::rule::{ProjectContext, ProjectRule};

declare_rule! {
    /// ## What it does
    /// Reports a pod that gets a Kubernetes API token: neither its PodSpec nor its
    /// ServiceAccount (when the linted manifests declare it) sets
    /// `automountServiceAccountToken: false`. The PodSpec's setting wins over the
    /// ServiceAccount's. When only some files are linted (as pre-commit passes them) and the
    /// ServiceAccount is not among them, the rule says nothing.
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
        hook: Project,
        fix: Never,
        summary: "An API token is mounted into the pod's containers",
        severity: Info,
        enabled: false,
    }
}

const HELP: &str =
    "add `automountServiceAccountToken: false` to the PodSpec (or to its ServiceAccount) unless the app calls the Kubernetes API";

impl ProjectRule for AutomountSaToken {
    fn check(&self, project: &Project<'_>, cx: &mut ProjectContext<'_>) {
        for (file, object) in project.objects() {
            let Some(pod) = object.pod().and_then(|pod| project.own(file, pod)) else {
                continue;
            };
            match pod.automount {
                // The PodSpec's setting wins over its ServiceAccount's.
                Some((false, _)) => {}
                Some((true, range)) => {
                    cx.report(
                        file,
                        range,
                        "every container gets a Kubernetes API token at `/var/run/secrets/kubernetes.io/serviceaccount`; whoever reads it can call the API as the Pod's ServiceAccount",
                    )
                    .help(HELP);
                }
                None => {
                    let name = pod.service_account();
                    let account = project.named("ServiceAccount", object.namespace(), name);
                    let message = match account.map(|a| a.automount()) {
                        Some(Some(false)) => continue,
                        // Its ServiceAccount may be in a file not given.
                        None if !project.is_whole() => continue,
                        Some(_) => format!("every container gets a Kubernetes API token at `/var/run/secrets/kubernetes.io/serviceaccount`: neither the PodSpec nor ServiceAccount `{name}` turns it off; whoever reads it can call the API as that ServiceAccount"),
                        None => format!("every container gets a Kubernetes API token at `/var/run/secrets/kubernetes.io/serviceaccount` by default; whoever reads it can call the API as ServiceAccount `{name}`"),
                    };
                    cx.report(file, pod.anchor, message).help(HELP);
                }
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
        let account = |automount: &str| {
            format!(
                "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: runner\n{automount}---\n"
            )
        };
        let runs_as = |spec: &str| {
            pod(&format!(
                "  serviceAccountName: runner\n{spec}  containers:\n  - name: app\n    image: a\n"
            ))
        };
        let unset = pod("  containers:\n  - name: app\n    image: a\n");
        RuleTest::new(&super::AutomountSaToken::META)
            .pass(&off)
            // The ServiceAccount turns it off, and the PodSpec does not turn it back on.
            .pass(account("automountServiceAccountToken: false\n") + &runs_as(""))
            .fail(&on, &["automountServiceAccountToken: true"])
            .fail(&unset, &["spec"])
            .fail(account("") + &runs_as(""), &["spec"])
            .fail(
                account("automountServiceAccountToken: false\n")
                    + &runs_as("  automountServiceAccountToken: true\n"),
                &["automountServiceAccountToken: true"],
            )
            .run();
    }
}
