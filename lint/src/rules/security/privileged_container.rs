use crate::k8s::security::effective_security;
use crate::k8s::Pod;
use crate::rule::{Context, PodRule};

declare_rule! {
    /// ## What it does
    /// Reports a container with `securityContext.privileged: true`. Init and ephemeral
    /// containers are checked too: a privileged init container holds the node just as well,
    /// even if only for a few seconds.
    ///
    /// ## Why it matters in a Pod
    /// It is `docker run --privileged`: the container gets every Linux capability, sees all of
    /// the node's devices and is not confined by seccomp or AppArmor. Whoever gets a shell in it
    /// can mount the node's disk and take over the node — and every other Pod on it.
    ///
    /// On by default.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    /// - name: app
    ///   image: my-app:1.0
    ///   securityContext:
    ///     privileged: true
    /// ```
    ///
    /// ## How to fix
    /// Remove `privileged: true`. If the process needs one kernel permission (binding a low
    /// port, changing network settings), add just that capability under
    /// `capabilities.add`. Node agents that truly need the host (CNI plugins, storage drivers)
    /// belong in a DaemonSet reviewed as such.
    pub struct PrivilegedContainer {
        name: "privileged-container",
        category: Security,
        hook: Pod,
        fix: Never,
        summary: "A container runs privileged, with full access to the node",
        enabled: false,
    }
}

impl PodRule for PrivilegedContainer {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        for container in pod.containers() {
            let security = effective_security(pod, &container);
            let Some(setting) = security.own("privileged") else {
                continue;
            };
            if setting.value.as_bool() != Some(true) {
                continue;
            }
            cx.report(
                setting.range(),
                format!(
                    "{} runs privileged, like `docker run --privileged`: it gets every capability and the node's devices, so a break-in here is a break-in on the node",
                    container.describe()
                ),
            )
            .help("remove `privileged: true`; if the process needs one kernel permission, add only that one under `capabilities.add`");
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn privileged_in_any_kind_of_container() {
        let init = pod("  initContainers:\n  - name: setup\n    image: a\n    securityContext:\n      privileged: true\n  containers:\n  - name: app\n    image: b\n    securityContext:\n      privileged: false\n");
        let plain = pod("  containers:\n  - name: app\n    image: b\n");
        RuleTest::new(&super::PrivilegedContainer::META)
            .pass(&plain)
            .fail(&init, &["privileged: true"])
            .run();
    }
}
