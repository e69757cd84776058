use crate::k8s::security::effective_security;
use crate::k8s::Pod;
use crate::rule::{Context, PodRule};

declare_rule! {
    /// ## What it does
    /// Reports a container with `allowPrivilegeEscalation: false` that is also
    /// `privileged: true` or adds the `CAP_SYS_ADMIN` capability: the API server rejects the
    /// combination.
    ///
    /// ## Why it matters in a Pod
    /// `allowPrivilegeEscalation: false` is Docker's `--security-opt no-new-privileges`: no
    /// process in the container can gain more rights than its parent (setuid binaries stop
    /// working). A privileged container (`--privileged`) or one with `CAP_SYS_ADMIN` already
    /// holds the node's rights, so the promise cannot be kept, and Kubernetes refuses the Pod
    /// rather than pretend.
    ///
    /// ## Example
    /// ```yaml
    /// securityContext:
    ///   privileged: true
    ///   allowPrivilegeEscalation: false
    /// ```
    ///
    /// ## How to fix
    /// Usually drop `privileged: true` (or the added capability) and keep
    /// `allowPrivilegeEscalation: false`; a container that really needs to be privileged
    /// must leave `allowPrivilegeEscalation` out.
    pub struct PrivilegeEscalationContradiction {
        name: "privilege-escalation-contradiction",
        category: ApiRejects,
        hook: Pod,
        fix: Never,
        summary: "allowPrivilegeEscalation: false together with privileged: true or CAP_SYS_ADMIN",
    }
}

impl PodRule for PrivilegeEscalationContradiction {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        for container in pod.containers() {
            let security = effective_security(pod, &container);
            let Some(no_escalation) = security.own("allowPrivilegeEscalation") else {
                continue;
            };
            if no_escalation.value.as_bool() != Some(false) {
                continue;
            }
            let who = container.who();
            if let Some(privileged) = security.own("privileged") {
                if privileged.value.as_bool() == Some(true) {
                    cx.report(
                        no_escalation.range(),
                        format!("{who} sets `allowPrivilegeEscalation: false` but is `privileged: true`; a privileged container already has every right on the node, so the API server rejects the pair"),
                    )
                    .label(privileged.range(), "privileged here")
                    .help("remove `privileged: true` (add only the capabilities the app needs), or remove `allowPrivilegeEscalation: false` if the container truly must be privileged");
                }
            }
            // The API server compares the written text, so only `CAP_SYS_ADMIN` is rejected.
            let sys_admin = container
                .node
                .at(&["securityContext", "capabilities", "add"])
                .into_iter()
                .flat_map(|l| l.items())
                .find(|c| c.as_str() == Some("CAP_SYS_ADMIN"));
            if let Some(cap) = sys_admin {
                cx.report(
                    no_escalation.range(),
                    format!("{who} sets `allowPrivilegeEscalation: false` but adds `CAP_SYS_ADMIN`, which already allows almost anything root can do; the API server rejects the pair"),
                )
                .label(cap.range(), "CAP_SYS_ADMIN added here")
                .help("drop `CAP_SYS_ADMIN` and add the narrower capability the app needs (e.g. `NET_ADMIN`), or remove `allowPrivilegeEscalation: false`");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    fn context(fields: &str) -> String {
        pod(&format!(
            "  containers:\n  - name: app\n    image: a\n    securityContext:\n{fields}"
        ))
    }

    #[test]
    fn no_escalation_contradicts_privilege() {
        RuleTest::new(&super::PrivilegeEscalationContradiction::META)
            .pass(context("      allowPrivilegeEscalation: false\n      privileged: false\n"))
            .pass(context("      privileged: true\n"))
            .pass(context("      allowPrivilegeEscalation: false\n      capabilities:\n        add: [NET_ADMIN]\n"))
            .fail(context("      privileged: true\n      allowPrivilegeEscalation: false\n"), &["allowPrivilegeEscalation: false"])
            .fail(context("      allowPrivilegeEscalation: false\n      capabilities:\n        add: [CAP_SYS_ADMIN]\n"), &["allowPrivilegeEscalation: false"])
            .run();
    }
}
