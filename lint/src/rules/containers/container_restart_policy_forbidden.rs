use crate::diagnostic::Fix;
use crate::k8s::{ContainerKind, Pod};
use crate::rule::{Context, PodRule};
use crate::rules::edits::{delete_entry_lines, entry_range};

declare_rule! {
    /// ## What it does
    /// Reports `restartPolicy` on a regular container (one under `containers`).
    ///
    /// ## Why it matters in a Pod
    /// Restarts are decided for the whole Pod by `spec.restartPolicy`; regular containers
    /// already run for the Pod's whole life and are restarted under that policy. A
    /// container-level `restartPolicy` exists for init containers, where `Always` turns one
    /// into a native sidecar. Writing `restartPolicy: Always` on a regular container is
    /// usually an attempt at a sidecar in the wrong list.
    ///
    /// Version nuance: until Kubernetes 1.34 the API server rejects the field on regular
    /// containers ("may not be set for non-init containers"; 1.34 has it as an alpha
    /// feature, off by default). Since 1.35 the `ContainerRestartRules` feature (beta, on by
    /// default) accepts `Always`, `OnFailure` or `Never` there, overriding the Pod's policy
    /// for that container. This rule reports the field because the manifest fails on older
    /// clusters, except when the container also sets `restartPolicyRules`, which shows a
    /// deliberate use of the newer feature. Turn it off if all your clusters run 1.35+.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    /// - name: web
    ///   image: nginx:1.25
    /// - name: log-forwarder
    ///   image: fluent/fluentd:v1.16
    ///   restartPolicy: Always
    /// ```
    ///
    /// ## How to fix
    /// Remove the field: the container then follows the Pod's `restartPolicy`. For a
    /// sidecar that must start before the app and outlive it, move the container to
    /// `initContainers` and keep `restartPolicy: Always` there. The fix removes the line; it
    /// is unsafe on 1.35+ clusters, where the field changes how this container restarts.
    pub struct ContainerRestartPolicyForbidden {
        name: "container-restart-policy-forbidden",
        category: ApiRejects,
        hook: Pod,
        fix: Sometimes,
        summary: "A regular container sets restartPolicy (rejected before Kubernetes 1.35)",
        owns: [("EphemeralContainer", "restartPolicy")],
    }
}

impl PodRule for ContainerRestartPolicyForbidden {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        let source = cx.source;
        for container in pod.containers_of(ContainerKind::Regular) {
            let Some((key, value)) = container.node.entry("restartPolicy") else {
                continue;
            };
            if value.is_null() || container.get("restartPolicyRules").is_some() {
                continue;
            }
            let who = container.who();
            let text = value.as_str().unwrap_or("");
            let help = if text == "Always" {
                "remove it: regular containers already run for the Pod's whole life. For a sidecar that starts before the app, move the container to `initContainers` and keep `restartPolicy: Always` there"
            } else {
                "remove it and let the Pod's `restartPolicy` decide; a per-container policy needs Kubernetes 1.35+"
            };
            let d = cx
                .report(
                    entry_range(source, key, value),
                    format!("{who} sets `restartPolicy`, which the API server rejects on regular containers before Kubernetes 1.35 (\"may not be set for non-init containers\")"),
                )
                .help(help);
            if let Some(edit) = delete_entry_lines(source, key, value) {
                d.fix(Fix::unsafe_(
                    "Remove the container's restartPolicy",
                    vec![edit],
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn restart_policy_belongs_to_the_pod_or_a_sidecar() {
        let sidecar = pod("  initContainers:\n  - name: shipper\n    image: a\n    restartPolicy: Always\n  containers:\n  - name: app\n    image: b\n");
        let pod_level =
            pod("  restartPolicy: OnFailure\n  containers:\n  - name: app\n    image: b\n");
        let with_rules = pod("  restartPolicy: Never\n  containers:\n  - name: app\n    image: b\n    restartPolicy: Never\n    restartPolicyRules:\n    - action: Restart\n      exitCodes:\n        operator: In\n        values: [42]\n");
        let misplaced = pod("  containers:\n  - name: web\n    image: b\n  - name: shipper\n    image: a\n    restartPolicy: Always\n");
        RuleTest::new(&super::ContainerRestartPolicyForbidden::META)
            .pass(&sidecar)
            .pass(&pod_level)
            .pass(&with_rules)
            .fail(&misplaced, &["restartPolicy: Always"])
            .run();
    }
}
