use crate::k8s::security::effective_security;
use crate::k8s::Pod;
use crate::rule::{Context, PodRule};

declare_rule! {
    /// ## What it does
    /// Reports a container to which no `securityContext` applies: it has none of its own and
    /// the PodSpec has no `spec.securityContext` either. Init and ephemeral containers are
    /// checked too.
    ///
    /// ## Why it matters in a Pod
    /// Without any security context, a container runs as the image says — usually as root,
    /// with a writable filesystem and the runtime's default capabilities, like a plain
    /// `docker run`. The other security rules say what exactly; this one flags that nobody
    /// decided.
    ///
    /// Off by default (opinionated).
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
    /// A common baseline for the whole Pod, plus per container what only a container can set:
    /// ```yaml
    /// spec:
    ///   securityContext:
    ///     runAsNonRoot: true
    ///     seccompProfile: {type: RuntimeDefault}
    ///   containers:
    ///   - name: app
    ///     securityContext:
    ///       allowPrivilegeEscalation: false
    ///       readOnlyRootFilesystem: true
    ///       capabilities: {drop: ["ALL"]}
    /// ```
    pub struct SecurityContextMissing {
        name: "security-context-missing",
        category: Security,
        hook: Pod,
        fix: Never,
        summary: "No securityContext applies to a container",
        severity: Info,
        enabled: false,
    }
}

impl PodRule for SecurityContextMissing {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        for container in pod.containers() {
            let security = effective_security(pod, &container);
            if security.pod.is_some() || security.container.is_some() {
                continue;
            }
            cx.report(
                container.anchor(),
                format!("no `securityContext` applies to {}: it runs with what the image and runtime default to, usually root with a writable filesystem", container.describe()),
            )
            .help("add a `spec.securityContext` for the Pod (e.g. `runAsNonRoot: true`) and a `securityContext` in the container (e.g. `allowPrivilegeEscalation: false`)");
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn either_level_counts() {
        let pod_level = pod("  securityContext:\n    runAsNonRoot: true\n  containers:\n  - name: app\n    image: a\n");
        let none = pod("  containers:\n  - name: app\n    image: a\n  - name: b\n    image: b\n    securityContext:\n      runAsUser: 1000\n");
        RuleTest::new(&super::SecurityContextMissing::META)
            .pass(&pod_level)
            .fail(&none, &["name: app"])
            .run();
    }
}
