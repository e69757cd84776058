use crate::k8s::security::{is_windows, pod_anchor};
use crate::k8s::Pod;
use crate::rule::{Context, PodRule};

declare_rule! {
    /// ## What it does
    /// Reports a pod that does not set `hostUsers: false`. Windows pods are skipped: they have
    /// no user namespaces.
    ///
    /// ## Why it matters in a Pod
    /// By default a Pod shares the node's user IDs: UID 0 in a container is UID 0 on the
    /// node. With `hostUsers: false` the Pod gets its own user namespace (like Docker's
    /// `userns-remap`): its IDs, root included, map to unprivileged IDs on the node, so a
    /// process that escapes holds no power there. It needs Linux 6.3+ nodes, a runtime that
    /// supports it, and Kubernetes 1.33+ (beta, on by default) or the feature gate before.
    ///
    /// Off by default: node support is still uneven.
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
    /// Add `hostUsers: false` to the PodSpec. It cannot be combined with `hostNetwork`,
    /// `hostPID` or `hostIPC`.
    pub struct HostUsersEnabled {
        name: "host-users-enabled",
        category: Security,
        hook: Pod,
        fix: Never,
        summary: "The pod shares the node's user IDs instead of its own user namespace",
        severity: Info,
        enabled: false,
    }
}

const HELP: &str =
    "add `hostUsers: false` to the PodSpec (needs user-namespace support on the nodes)";

impl PodRule for HostUsersEnabled {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        if is_windows(pod) {
            return;
        }
        match pod.spec.entry("hostUsers") {
            Some((key, value)) => {
                if value.as_bool() == Some(true) {
                    cx.report(
                        key.range().cover(value.range()),
                        "`hostUsers: true` shares the node's user IDs with the Pod: root in a container is root on the node",
                    )
                    .help(HELP);
                }
            }
            None => {
                cx.report(
                    pod_anchor(pod),
                    "the Pod shares the node's user IDs (no `hostUsers: false`): root in a container is root on the node",
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
    fn host_users_must_be_false() {
        let userns = pod("  hostUsers: false\n  containers:\n  - name: app\n    image: a\n");
        let unset = pod("  containers:\n  - name: app\n    image: a\n");
        RuleTest::new(&super::HostUsersEnabled::META)
            .pass(&userns)
            .fail(&unset, &["spec"])
            .run();
    }
}
