use super::helpers::{self, Hardening};
use crate::k8s::security::{effective_security, is_windows, Security};
use crate::k8s::Pod;
use crate::rule::{Context, PodRule};

declare_rule! {
    /// ## What it does
    /// Reports a container whose `securityContext.allowPrivilegeEscalation` is `true` or not
    /// set. Init and ephemeral containers are checked too. Containers that are privileged or
    /// add `SYS_ADMIN` are left to `privileged-container` and `dangerous-capabilities`: for
    /// them escalation is always allowed and the API server rejects `false`.
    ///
    /// ## Why it matters in a Pod
    /// Unless it is set to `false`, Kubernetes does not set the kernel's `no_new_privs` flag on
    /// the container's processes, so a process can gain privileges it did not start with —
    /// through a setuid binary such as `sudo` or `su`, or file capabilities. It is the
    /// difference between `docker run` and `docker run --security-opt no-new-privileges`. An
    /// attacker who gets code running as the app's user can then become root in the container.
    ///
    /// On by default. The omitted field is flagged on purpose: its default is the unsafe one.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    /// - name: app
    ///   image: my-app:1.0
    ///   securityContext:
    ///     runAsNonRoot: true
    /// ```
    ///
    /// ## How to fix
    /// Set `allowPrivilegeEscalation: false` in the container's `securityContext`. The fix
    /// does it when the container has a `securityContext` (unsafe: a process that relies on
    /// `sudo` or a setuid helper stops working).
    pub struct AllowPrivilegeEscalation {
        name: "allow-privilege-escalation",
        category: Security,
        hook: Pod,
        fix: Sometimes,
        summary: "A container may gain more privileges than its process started with",
        enabled: false,
    }
}

const FIX_TITLE: &str = "Set `allowPrivilegeEscalation: false`";
const HELP: &str = "set `allowPrivilegeEscalation: false` in the container's `securityContext`; only a process that relies on `sudo` or another setuid binary needs it";

impl PodRule for AllowPrivilegeEscalation {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        if is_windows(pod) {
            return;
        }
        for container in pod.containers() {
            let security = effective_security(pod, &container);
            if always_escalates(&security) {
                continue;
            }
            let who = container.who();
            helpers::require(
                cx,
                &container,
                &security,
                Hardening {
                    key: "allowPrivilegeEscalation",
                    wanted: false,
                    fix_title: FIX_TITLE,
                    help: HELP,
                    wrong: format!("{who} allows privilege escalation: its processes can become root through setuid binaries such as `sudo`"),
                    missing: format!("{who} does not set `allowPrivilegeEscalation: false`, so its processes can gain privileges through setuid binaries such as `sudo` (as with `docker run` without `--security-opt no-new-privileges`)"),
                },
            );
        }
    }
}

/// Privileged containers and those with `SYS_ADMIN` always may escalate; the API server
/// rejects `allowPrivilegeEscalation: false` on them.
fn always_escalates(security: &Security<'_, '_>) -> bool {
    security
        .own("privileged")
        .is_some_and(|p| p.value.as_bool() == Some(true))
        || security
            .capabilities("add")
            .iter()
            .any(|(name, _)| name == "SYS_ADMIN" || name == "ALL")
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn true_and_unset_are_flagged() {
        let off = pod("  containers:\n  - name: app\n    image: a\n    securityContext:\n      allowPrivilegeEscalation: false\n");
        let privileged = pod("  containers:\n  - name: app\n    image: a\n    securityContext:\n      privileged: true\n");
        let windows = pod("  os:\n    name: windows\n  containers:\n  - name: app\n    image: a\n");
        let on = pod("  containers:\n  - name: app\n    image: a\n    securityContext:\n      allowPrivilegeEscalation: true\n");
        let unset = pod("  initContainers:\n  - name: setup\n    image: a\n  containers:\n  - name: app\n    image: a\n    securityContext:\n      runAsUser: 1000\n");
        RuleTest::new(&super::AllowPrivilegeEscalation::META)
            .pass(&off)
            .pass(&privileged)
            .pass(&windows)
            .fail(&on, &["allowPrivilegeEscalation: true"])
            .fail(&unset, &["name: setup", "securityContext"])
            .run();
    }
}
