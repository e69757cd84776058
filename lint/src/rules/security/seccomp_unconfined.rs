use super::helpers;
use crate::k8s::Pod;
use crate::rule::{Context, PodRule};

declare_rule! {
    /// ## What it does
    /// Reports `seccompProfile: {type: Unconfined}` that applies to a container, written at pod
    /// level (every container inherits it unless its own `securityContext` sets a profile)
    /// or in a container's `securityContext`. A pod-level value shared by several containers
    /// is reported once.
    ///
    /// ## Why it matters in a Pod
    /// Seccomp filters the system calls a process may make to the node's kernel. The
    /// runtime's default profile blocks the few dozen that containers should never need and
    /// that kernel exploits rely on. `Unconfined` turns the filter off, like
    /// `docker run --security-opt seccomp=unconfined`, so every kernel bug reachable by a
    /// system call is reachable from the container.
    ///
    /// On by default.
    ///
    /// ## Example
    /// ```yaml
    /// securityContext:
    ///   seccompProfile:
    ///     type: Unconfined
    /// ```
    ///
    /// ## How to fix
    /// Use `type: RuntimeDefault`, or `type: Localhost` with a profile that allows the extra
    /// calls the process needs. The fix writes `RuntimeDefault` (unsafe: a process that uses
    /// a blocked call then fails).
    pub struct SeccompUnconfined {
        name: "seccomp-unconfined",
        category: Security,
        hook: Pod,
        fix: Always,
        summary: "Seccomp is turned off for a container",
        enabled: false,
    }
}

impl PodRule for SeccompUnconfined {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        helpers::report_unconfined(
            pod,
            cx,
            "seccompProfile",
            |whom| format!("seccomp is turned off {whom} (like `docker run --security-opt seccomp=unconfined`): every system call, and every kernel bug behind one, is reachable from the container"),
            "use `type: RuntimeDefault`, or a `Localhost` profile that allows the extra calls the process needs",
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn unconfined_is_reported_where_written() {
        let overridden = pod("  securityContext:\n    seccompProfile:\n      type: Unconfined\n  containers:\n  - name: app\n    image: a\n    securityContext:\n      seccompProfile:\n        type: RuntimeDefault\n");
        let inherited = pod("  securityContext:\n    seccompProfile:\n      type: Unconfined\n  containers:\n  - name: a\n    image: a\n  - name: b\n    image: b\n");
        RuleTest::new(&super::SeccompUnconfined::META)
            .pass(&overridden)
            .fail(&inherited, &["type: Unconfined"])
            .run();
    }
}
