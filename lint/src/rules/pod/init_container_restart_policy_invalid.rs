use super::helpers::{intended_policy, RESTART_POLICIES};
use crate::diagnostic::Fix;
use crate::k8s::{ContainerKind, Pod};
use crate::rule::{Context, PodRule};
use crate::rules::edits::{delete_entry_lines, entry_range, replace_scalar, value_range};

declare_rule! {
    /// ## What it does
    /// Reports an init container whose `restartPolicy` is not `Always`.
    ///
    /// ## Why it matters in a Pod
    /// On an init container, `restartPolicy: Always` is what makes it a *native sidecar*
    /// (Kubernetes 1.29+): it starts before the app containers like an init container, but
    /// keeps running beside them for the Pod's whole life and is restarted if it exits —
    /// the place for proxies and log shippers. Without the field, it is an ordinary init
    /// container that must run to completion, retried according to the Pod's
    /// `restartPolicy`.
    ///
    /// Until Kubernetes 1.34, `Always` is the only value allowed here. Since 1.35 the
    /// `ContainerRestartRules` feature (beta, on by default) also accepts `OnFailure` and
    /// `Never`, overriding the Pod's policy for that one init container; this rule still
    /// reports them, because older clusters reject the Pod, unless the container also sets
    /// `restartPolicyRules` (a deliberate use of the newer feature). Any other value is
    /// rejected everywhere.
    ///
    /// ## Example
    /// ```yaml
    /// initContainers:
    /// - name: log-shipper
    ///   image: fluent/fluent-bit:3.0
    ///   restartPolicy: always
    /// ```
    ///
    /// ## How to fix
    /// For a sidecar write `restartPolicy: Always` (a case-only mistake is fixed safely);
    /// for an ordinary init container remove the field.
    pub struct InitContainerRestartPolicyInvalid {
        name: "init-container-restart-policy-invalid",
        category: ApiRejects,
        hook: Pod,
        fix: Sometimes,
        summary: "An init container's restartPolicy is not Always (the native sidecar setting)",
        owns: [("Container", "restartPolicy")],
    }
}

impl PodRule for InitContainerRestartPolicyInvalid {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        let source = cx.source;
        for container in pod.containers_of(ContainerKind::Init) {
            let Some((key, value)) = container.node.entry("restartPolicy") else {
                continue;
            };
            let Some(text) = value.as_string() else {
                continue;
            };
            if text == "Always" {
                continue;
            }
            let deliberate = container.get("restartPolicyRules").is_some();
            if deliberate && RESTART_POLICIES.contains(&text) {
                continue;
            }
            let who = container.who();
            let entry = entry_range(source, key, value);
            let at = value_range(source, value);
            let removal = delete_entry_lines(source, key, value);
            match intended_policy(text) {
                Some("Always") => {
                    cx.report(at, format!("{who} has restartPolicy `{text}`; values are case-sensitive, and only `Always` makes it a native sidecar"))
                        .help("write `Always`")
                        .fix(Fix::safe("Write `Always`", vec![replace_scalar(source, value, "Always")]));
                }
                Some(policy) => {
                    let d = cx.report(entry, format!("{who} has restartPolicy `{text}`; before Kubernetes 1.35 the only value an init container accepts is `Always`, which makes it a native sidecar"))
                        .help(format!("remove the field for an ordinary init container (the Pod's restartPolicy decides whether it is retried); on 1.35+ `{policy}` overrides the Pod's policy for this container"));
                    if let Some(edit) = removal {
                        d.fix(Fix::unsafe_(
                            "Remove the init container's restartPolicy",
                            vec![edit],
                        ));
                    }
                }
                None => {
                    let d = cx.report(at, format!("{who} has restartPolicy `{text}`, which the API server rejects; on an init container it may only be `Always`, which makes it a native sidecar"))
                        .help("write `Always` for a sidecar that runs beside the app for the Pod's whole life, or remove the field for an init container that runs to completion");
                    if let Some(edit) = removal {
                        d.fix(Fix::unsafe_(
                            "Remove the init container's restartPolicy",
                            vec![edit],
                        ));
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    fn init(fields: &str) -> String {
        pod(&format!("  initContainers:\n  - name: shipper\n    image: a\n{fields}  containers:\n  - name: app\n    image: b\n"))
    }

    #[test]
    fn only_always_is_a_sidecar() {
        RuleTest::new(&super::InitContainerRestartPolicyInvalid::META)
            .pass(init("    restartPolicy: Always\n"))
            .pass(init(""))
            .pass(init("    restartPolicy: Never\n    restartPolicyRules:\n    - action: Restart\n      exitCodes:\n        operator: In\n        values: [42]\n"))
            .fail(init("    restartPolicy: always\n"), &["always"])
            .fail(init("    restartPolicy: OnFailure\n"), &["restartPolicy: OnFailure"])
            .fail(init("    restartPolicy: Sidecar\n"), &["Sidecar"])
            .run();
    }
}
