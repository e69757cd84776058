use super::helpers::{intended_policy, RESTART_POLICIES};
use crate::diagnostic::Fix;
use crate::k8s::Pod;
use crate::rule::{Context, PodRule};
use crate::rules::edits::{replace_scalar, value_range};

declare_rule! {
    /// ## What it does
    /// Reports a pod `restartPolicy` that is not `Always`, `OnFailure` or `Never`.
    ///
    /// ## Why it matters in a Pod
    /// The restart policy tells the kubelet what to do when a container of the Pod exits:
    /// start it again (`Always`, for servers), start it again only after a failure
    /// (`OnFailure`, for batch work that should retry), or leave it (`Never`). Values are
    /// case-sensitive and the API server rejects anything else. Leaving the field out is
    /// fine: it defaults to `Always`.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   restartPolicy: always
    ///   containers:
    ///   - name: app
    ///     image: nginx:1.25
    /// ```
    ///
    /// ## How to fix
    /// Write one of the three values exactly. When the value only differs in case or
    /// separators (`always`, `on-failure`), the fix corrects it.
    pub struct PodRestartPolicyInvalid {
        name: "pod-restart-policy-invalid",
        category: ApiRejects,
        hook: Pod,
        fix: Sometimes,
        summary: "The pod's restartPolicy is not Always, OnFailure or Never",
        owns: [("PodSpec", "restartPolicy")],
    }
}

impl PodRule for PodRestartPolicyInvalid {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        let source = cx.source;
        let Some(node) = pod.restart_policy() else {
            return;
        };
        let Some(text) = node.as_string() else { return };
        if RESTART_POLICIES.contains(&text) {
            return;
        }
        let d = cx.report(
            value_range(source, node),
            format!("restartPolicy `{text}` is not one of Always, OnFailure, Never; the API server rejects the Pod"),
        );
        match intended_policy(text) {
            Some(meant) => {
                d.help(format!("values are case-sensitive: write `{meant}`"))
                    .fix(Fix::safe(
                        format!("Write `{meant}`"),
                        vec![replace_scalar(source, node, meant)],
                    ));
            }
            None => {
                d.help("use `Always` to restart containers whenever they exit (servers), `OnFailure` to retry failed ones (batch work), or `Never`; or leave the field out for `Always`");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    fn with_policy(policy: &str) -> String {
        pod(&format!(
            "  restartPolicy: {policy}\n  containers:\n  - name: app\n    image: a\n"
        ))
    }

    #[test]
    fn three_values_exactly() {
        RuleTest::new(&super::PodRestartPolicyInvalid::META)
            .pass(with_policy("Always"))
            .pass(with_policy("\"OnFailure\""))
            .pass(with_policy("Never"))
            .pass(pod("  containers:\n  - name: app\n    image: a\n"))
            .fail(with_policy("always"), &["always"])
            .fail(with_policy("on-failure"), &["on-failure"])
            .fail(with_policy("Sometimes"), &["Sometimes"])
            .run();
        assert_eq!(
            super::super::helpers::intended_policy("ON_FAILURE"),
            Some("OnFailure")
        );
        assert_eq!(super::super::helpers::intended_policy("Nope"), None);
    }
}
