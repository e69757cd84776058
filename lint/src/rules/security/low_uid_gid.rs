use crate::k8s::security::{effective_security, is_windows, list_names, PerNode};
use crate::k8s::Pod;
use crate::rule::{Context, PodRule};

/// IDs below this may belong to a user on the node; kube-score and checkov use the same line.
const LOWEST_SAFE_ID: i64 = 10000;

declare_rule! {
    /// ## What it does
    /// Reports a `runAsUser` or `runAsGroup` below 10000 that applies to a container, written
    /// at pod level (inherited by every container) or in a container's `securityContext`.
    /// `runAsUser: 0` is left to `run-as-root`. Pods with `hostUsers: false` pass: their IDs
    /// are mapped to unprivileged ones on the node.
    ///
    /// ## Why it matters in a Pod
    /// A container's UID is the same number on the node's kernel. Low IDs (1000, 33, 101) are
    /// the IDs of real users and system services on many nodes; a process that escapes the
    /// container with such an ID owns their files. A high ID owned by nobody on the node
    /// limits the damage. Group 0 is the `root` group and can read root-group files.
    ///
    /// Off by default (opinionated): enable it when your team hardens IDs.
    ///
    /// ## Example
    /// ```yaml
    /// securityContext:
    ///   runAsUser: 1000
    ///   runAsGroup: 1000
    /// ```
    ///
    /// ## How to fix
    /// Use IDs of 10000 or more (`runAsUser: 10001`, `runAsGroup: 10001`) and make sure the
    /// image's files are readable by them, or set `hostUsers: false`.
    pub struct LowUidGid {
        name: "low-uid-gid",
        category: Security,
        hook: Pod,
        fix: Never,
        summary: "runAsUser or runAsGroup is below 10000 and may match a user on the node",
        severity: Info,
        enabled: false,
    }
}

impl PodRule for LowUidGid {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        let user_namespace = pod.spec.get("hostUsers").and_then(|h| h.as_bool()) == Some(false);
        if is_windows(pod) || user_namespace {
            return;
        }
        let mut low = PerNode::new();
        for container in pod.containers() {
            let security = effective_security(pod, &container);
            for (key, lowest) in [("runAsUser", 1), ("runAsGroup", 0)] {
                let Some(setting) = security.inherited(key) else {
                    continue;
                };
                if setting
                    .value
                    .as_i64()
                    .is_some_and(|id| (lowest..LOWEST_SAFE_ID).contains(&id))
                {
                    low.add(setting, container.describe());
                }
            }
        }
        for (setting, names) in low.finish() {
            let key = setting.key.as_str().unwrap_or("runAsUser");
            let id = setting.value.as_str().unwrap_or("");
            cx.report(
                setting.range(),
                format!("`{key}: {id}` {} is below 10000 for {}: the same ID may belong to a user or service on the node, whose files an escaped process would own", setting.place(), list_names(&names)),
            )
            .help(format!("use an ID of 10000 or more, e.g. `{key}: 10001`, or set `hostUsers: false` to map IDs into a user namespace"));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn low_ids_are_flagged_once_where_written() {
        let high = pod("  securityContext:\n    runAsUser: 10001\n    runAsGroup: 10001\n  containers:\n  - name: app\n    image: a\n");
        let userns = pod("  hostUsers: false\n  securityContext:\n    runAsUser: 1000\n  containers:\n  - name: app\n    image: a\n");
        let low = pod("  securityContext:\n    runAsUser: 1000\n  containers:\n  - name: a\n    image: a\n  - name: b\n    image: b\n    securityContext:\n      runAsGroup: 0\n");
        RuleTest::new(&super::LowUidGid::META)
            .pass(&high)
            .pass(&userns)
            .fail(&low, &["runAsUser: 1000", "runAsGroup: 0"])
            .run();
    }
}
