use crate::k8s::Pod;
use crate::rule::{Context, PodRule};
use crate::rules::spec_values::{closest_value, one_of, value_fix};

declare_rule! {
    /// ## What it does
    /// Reports a container whose `terminationMessagePolicy` is not `File` or
    /// `FallbackToLogsOnError` (case-sensitive). Leaving it out is fine: it defaults to `File`.
    ///
    /// ## Why it matters in a Pod
    /// When a container stops, Kubernetes shows a short "termination message" in
    /// `kubectl describe pod` — the reason it died. `File` reads it from the file at
    /// `terminationMessagePath` (`/dev/termination-log`); `FallbackToLogsOnError` also uses the
    /// end of the container's log when that file is empty and the container failed, which is
    /// what most apps want since they only print errors. Any other value is rejected.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    /// - name: app
    ///   terminationMessagePolicy: FallbackToLogs
    /// ```
    ///
    /// ## How to fix
    /// Use `FallbackToLogsOnError` (or `File`), or remove the field.
    pub struct TerminationMessagePolicyInvalid {
        name: "termination-message-policy-invalid",
        category: ApiRejects,
        hook: Pod,
        fix: Sometimes,
        summary: "A container's terminationMessagePolicy is not File or FallbackToLogsOnError",
        owns: [("Container", "terminationMessagePolicy"), ("EphemeralContainer", "terminationMessagePolicy")],
    }
}

const POLICIES: &[&str] = &["File", "FallbackToLogsOnError"];

impl PodRule for TerminationMessagePolicyInvalid {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        for container in pod.containers() {
            let Some(value) = container.get("terminationMessagePolicy") else {
                continue;
            };
            // Empty is defaulted to `File`; other scalar types are schema-type-mismatch's.
            let Some(policy) = value.as_string().filter(|p| !p.is_empty()) else {
                continue;
            };
            if POLICIES.contains(&policy) {
                continue;
            }
            let near = closest_value(policy, POLICIES);
            let who = container.who();
            let message = match near {
                Some((to, _)) => format!("{who} has `terminationMessagePolicy: {policy}`, which is not a policy; did you mean `{to}`?"),
                None => format!("{who} has `terminationMessagePolicy: {policy}`, which is not a policy"),
            };
            let source = cx.source;
            let d = cx.report(value.range(), message);
            d.help(format!(
                "use {}: `FallbackToLogsOnError` shows the end of the log when a failed container wrote no termination message; leave it out for `File`",
                one_of(POLICIES)
            ));
            if let Some((to, case_only)) = near {
                d.fix(value_fix(source, value, to, case_only));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    fn policy(value: &str) -> String {
        pod(&format!(
            "  containers:\n  - name: app\n    image: a\n    terminationMessagePolicy: {value}\n"
        ))
    }

    #[test]
    fn only_the_two_policies() {
        RuleTest::new(&super::TerminationMessagePolicyInvalid::META)
            .pass(policy("File"))
            .pass(policy("FallbackToLogsOnError"))
            .pass(policy("\"\""))
            .fail(policy("file"), &["file"])
            .fail(policy("FallbackToLogs"), &["FallbackToLogs"])
            .fail(policy("Logs"), &["Logs"])
            .run();
    }
}
