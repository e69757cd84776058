use crate::k8s::security::{effective_security, is_windows, list_names, Level, PerNode};
use crate::k8s::Pod;
use crate::rule::{Context, PodRule};

declare_rule! {
    /// ## What it does
    /// Reports a container that may run as root: neither `runAsNonRoot: true` nor a
    /// `runAsUser` above 0 applies to it, or `runAsUser: 0` is written. Both fields may be set
    /// in the pod-level `spec.securityContext`, for every container, and a container's own
    /// `securityContext` overrides them; this rule reads them the same way. Init and ephemeral
    /// containers are checked too.
    ///
    /// ## Why it matters in a Pod
    /// Without these settings the image decides, and most images (`nginx`, `busybox`, most
    /// language base images) run as root, as a plain `docker run` does. Root in a container is
    /// UID 0 on the node's kernel: one container escape or a writable `hostPath` and it is root
    /// on the node. `runAsNonRoot: true` makes the kubelet refuse to start a container whose
    /// user would be root.
    ///
    /// On by default.
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
    /// Set `runAsNonRoot: true` (and a `runAsUser` such as `10001` if the image has no numeric
    /// `USER`) under `spec.securityContext` for the whole Pod, or in one container's
    /// `securityContext`. Images built to run as root (the stock `nginx` listens on port 80
    /// and writes to `/var/cache/nginx`) need an unprivileged variant such as
    /// `nginxinc/nginx-unprivileged`.
    pub struct RunAsRoot {
        name: "run-as-root",
        category: Security,
        hook: Pod,
        fix: Never,
        summary: "A container may run as root (UID 0)",
        enabled: false,
    }
}

const HELP: &str = "set `runAsNonRoot: true` (with `runAsUser: 10001` if the image's USER is not numeric) under `spec.securityContext`, or in the container's `securityContext`";

impl PodRule for RunAsRoot {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        if is_windows(pod) {
            return;
        }
        let mut as_root = PerNode::new();
        let mut not_non_root = PerNode::new();
        for container in pod.containers() {
            let security = effective_security(pod, &container);
            let user = security.inherited("runAsUser");
            let uid = user.and_then(|u| u.value.as_i64());
            let non_root = security.inherited_bool("runAsNonRoot");
            match (user, uid) {
                (Some(user), Some(0)) => as_root.add(user, container.describe()),
                (_, Some(_)) => {}
                _ => match non_root {
                    Some((true, _)) => {}
                    Some((false, setting)) => not_non_root.add(setting, container.describe()),
                    None => {
                        cx.report(
                            security.missing_anchor(&container),
                            format!("{} may run as root: neither `runAsNonRoot: true` nor a non-zero `runAsUser` applies to it, so the image's USER decides, and most images run as root like a plain `docker run`", container.describe()),
                        )
                        .help(HELP);
                    }
                },
            }
        }
        for (setting, names) in as_root.finish() {
            let message = match setting.level {
                Level::Container => format!("{} runs as root: `runAsUser: 0` is UID 0 on the node's kernel, one container escape away from root on the node", names[0]),
                Level::Pod => format!("`runAsUser: 0` at pod level makes {} run as root, UID 0 on the node's kernel", list_names(&names)),
            };
            let d = cx.report(setting.range(), message).help(
                "use a non-zero UID such as `runAsUser: 10001`, with an image that works as that user",
            );
            let pod_level_non_root = pod
                .spec
                .get("securityContext")
                .and_then(|sc| sc.entry("runAsNonRoot"))
                .filter(|(_, v)| v.as_bool() == Some(true));
            if let (Level::Container, Some((key, value))) = (setting.level, pod_level_non_root) {
                d.label(key.range().cover(value.range()), "the pod asks for `runAsNonRoot: true` here, so the kubelet will refuse to start this container");
            }
        }
        for (setting, names) in not_non_root.finish() {
            cx.report(
                setting.range(),
                format!("{} may run as root: `runAsNonRoot: false` {} lets the image's USER decide, and most images run as root", list_names(&names), setting.place()),
            )
            .help(HELP);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn pod_level_settings_are_inherited_and_overridden() {
        let inherited = pod("  securityContext:\n    runAsNonRoot: true\n  initContainers:\n  - name: setup\n    image: a\n  containers:\n  - name: app\n    image: a\n");
        let uid = pod(
            "  securityContext:\n    runAsUser: 1000\n  containers:\n  - name: app\n    image: a\n",
        );
        let override_root = pod("  securityContext:\n    runAsNonRoot: true\n  containers:\n  - name: app\n    image: a\n    securityContext:\n      runAsUser: 0\n");
        let pod_root = pod("  securityContext:\n    runAsUser: 0\n  containers:\n  - name: a\n    image: a\n  - name: b\n    image: b\n");
        let unset = pod("  containers:\n  - name: app\n    image: a\n  - name: ok\n    image: b\n    securityContext:\n      runAsUser: 1000\n");
        let override_user = pod("  securityContext:\n    runAsUser: 0\n  containers:\n  - name: app\n    image: a\n    securityContext:\n      runAsUser: 10001\n");
        RuleTest::new(&super::RunAsRoot::META)
            .pass(&inherited)
            .pass(&uid)
            .pass(&override_user)
            .fail(&override_root, &["runAsUser: 0"])
            .fail(&pod_root, &["runAsUser: 0"])
            .fail(&unset, &["name: app"])
            .run();
    }
}
