use crate::k8s::security::{effective_security, is_windows};
use crate::k8s::Pod;
use crate::rule::{Context, PodRule};

declare_rule! {
    /// ## What it does
    /// Reports a container to which no `seccompProfile` applies: none in its own
    /// `securityContext` and none in the pod-level `spec.securityContext` (which every
    /// container inherits). Init and ephemeral containers are checked too.
    ///
    /// ## Why it matters in a Pod
    /// Unlike `docker run`, which applies Docker's default seccomp profile, Kubernetes runs
    /// containers `Unconfined` unless the node's kubelet turns on its `SeccompDefault`
    /// setting. So without a profile, the container can make every system call to the node's
    /// kernel, including the rare ones that kernel exploits use.
    ///
    /// Off by default (opinionated): enable it when your clusters do not set
    /// `SeccompDefault`.
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
    /// Once for the whole Pod:
    /// ```yaml
    /// spec:
    ///   securityContext:
    ///     seccompProfile:
    ///       type: RuntimeDefault
    /// ```
    pub struct SeccompNotSet {
        name: "seccomp-not-set",
        category: Security,
        hook: Pod,
        fix: Never,
        summary: "No seccomp profile applies to a container",
        severity: Info,
        enabled: false,
    }
}

impl PodRule for SeccompNotSet {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        if is_windows(pod) {
            return;
        }
        for container in pod.containers() {
            let security = effective_security(pod, &container);
            if security.inherited("seccompProfile").is_some() {
                continue;
            }
            cx.report(
                security.missing_anchor(&container),
                format!("no seccomp profile applies to {}: unlike `docker run`, Kubernetes runs it `Unconfined` unless the node's kubelet enables `SeccompDefault`", container.describe()),
            )
            .help("set `seccompProfile: {type: RuntimeDefault}` in `spec.securityContext` for every container of the Pod");
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn a_pod_level_profile_covers_every_container() {
        let pod_level = pod("  securityContext:\n    seccompProfile:\n      type: RuntimeDefault\n  initContainers:\n  - name: setup\n    image: a\n  containers:\n  - name: app\n    image: a\n");
        let unset = pod("  containers:\n  - name: app\n    image: a\n  - name: b\n    image: b\n    securityContext:\n      seccompProfile:\n        type: RuntimeDefault\n");
        RuleTest::new(&super::SeccompNotSet::META)
            .pass(&pod_level)
            .fail(&unset, &["name: app"])
            .run();
    }
}
