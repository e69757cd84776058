use crate::k8s::Pod;
use crate::rule::{Context, PodRule};
use crate::rules::edits::entry_range;

declare_rule! {
    /// ## What it does
    /// Reports `hostUsers: false` together with `hostNetwork`, `hostPID` or `hostIPC` set to
    /// `true`.
    ///
    /// ## Why it matters in a Pod
    /// `hostUsers: false` gives the Pod its own user namespace: root inside the containers is
    /// an unprivileged user on the node. The host namespaces do the opposite, sharing the
    /// node's network, processes or IPC with the Pod. Combining them leads to permission
    /// errors that are hard to explain, so the API server rejects the Pod.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   hostUsers: false
    ///   hostNetwork: true
    /// ```
    ///
    /// ## How to fix
    /// Drop the host namespace (a Service or a `containerPort` reaches the Pod without
    /// `hostNetwork`), or, for a node agent that truly needs it, remove `hostUsers: false`.
    pub struct HostUsersConflict {
        name: "host-users-conflict",
        category: ApiRejects,
        hook: Pod,
        fix: Never,
        summary: "hostUsers: false with hostNetwork, hostPID or hostIPC",
    }
}

impl PodRule for HostUsersConflict {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        let Some((users_key, users)) = pod
            .spec
            .entry("hostUsers")
            .filter(|(_, v)| v.as_bool() == Some(false))
        else {
            return;
        };
        let users_range = entry_range(cx.source, users_key, users);
        for (field, shared) in [
            ("hostNetwork", "network"),
            ("hostPID", "processes"),
            ("hostIPC", "IPC"),
        ] {
            let Some((key, value)) = pod.spec.entry(field) else {
                continue;
            };
            if value.as_bool() != Some(true) {
                continue;
            }
            cx.report(
                entry_range(cx.source, key, value),
                format!("`{field}: true` shares the node's {shared} with the Pod, which the API server refuses for a Pod in its own user namespace (`hostUsers: false`)"),
            )
            .label(users_range, "the Pod's own user namespace is requested here")
            .help(format!("remove `{field}: true`, or remove `hostUsers: false` for a node agent that needs the node's {shared}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn user_namespace_excludes_host_namespaces() {
        let userns = pod("  hostUsers: false\n  hostNetwork: false\n  containers:\n  - name: app\n    image: a\n");
        let host =
            pod("  hostUsers: true\n  hostPID: true\n  containers:\n  - name: app\n    image: a\n");
        let both = pod("  hostUsers: false\n  hostNetwork: true\n  hostIPC: true\n  containers:\n  - name: app\n    image: a\n");
        RuleTest::new(&super::HostUsersConflict::META)
            .pass(&userns)
            .pass(&host)
            .fail(&both, &["hostNetwork: true", "hostIPC: true"])
            .run();
    }
}
