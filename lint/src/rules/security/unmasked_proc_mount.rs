use crate::k8s::security::effective_security;
use crate::k8s::Pod;
use crate::rule::{Context, PodRule};

declare_rule! {
    /// ## What it does
    /// Reports a container with `securityContext.procMount: Unmasked`. Init and ephemeral
    /// containers are checked too.
    ///
    /// ## Why it matters in a Pod
    /// The runtime normally masks and makes read-only the parts of `/proc` that reach into
    /// the node's kernel (`/proc/kcore`, `/proc/sysrq-trigger`, `/proc/sys`, …), as Docker
    /// does. `Unmasked` exposes them, so a process can read kernel memory or change kernel
    /// settings of the node. It exists for nested containers in user-namespaced Pods
    /// (`hostUsers: false`), not for apps.
    ///
    /// On by default.
    ///
    /// ## Example
    /// ```yaml
    /// securityContext:
    ///   procMount: Unmasked
    /// ```
    ///
    /// ## How to fix
    /// Remove `procMount` or set it to `Default` (the fix does; unsafe only in that a nested
    /// container runtime inside would stop working).
    pub struct UnmaskedProcMount {
        name: "unmasked-proc-mount",
        category: Security,
        hook: Pod,
        fix: Always,
        summary: "A container sees the node's unmasked /proc",
        enabled: false,
    }
}

impl PodRule for UnmaskedProcMount {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        for container in pod.containers() {
            let security = effective_security(pod, &container);
            let Some(setting) = security.own("procMount") else {
                continue;
            };
            if setting.value.as_str() != Some("Unmasked") {
                continue;
            }
            cx.report(
                setting.range(),
                format!("{} mounts `/proc` unmasked: the kernel files the runtime normally hides (`/proc/kcore`, `/proc/sys`, …) become reachable, exposing the node's kernel", container.describe()),
            )
            .help("remove `procMount` or set `procMount: Default`; `Unmasked` is for nested containers in a Pod with `hostUsers: false`")
            .fix(crate::Fix::unsafe_(
                "Use `procMount: Default`",
                vec![crate::Edit::replace(setting.value.range(), "Default")],
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn unmasked_is_flagged() {
        let default = pod("  containers:\n  - name: app\n    image: a\n    securityContext:\n      procMount: Default\n");
        let unmasked = pod("  containers:\n  - name: app\n    image: a\n    securityContext:\n      procMount: Unmasked\n");
        RuleTest::new(&super::UnmaskedProcMount::META)
            .pass(&default)
            .fail(&unmasked, &["procMount: Unmasked"])
            .run();
    }
}
