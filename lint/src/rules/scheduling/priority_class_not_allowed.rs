use crate::k8s::Pod;
use crate::rule::{Context, PodRule};

declare_rule! {
    /// ## What it does
    /// Reports a pod whose `priorityClassName` is not on the list the team allows (option
    /// `allowed` in `.podlint.yaml`). Off by default, and quiet until the list is set.
    ///
    /// ## Why it matters in a Pod
    /// A PriorityClass decides who waits and who is evicted when the cluster is full: the
    /// scheduler preempts lower-priority Pods to place a higher one. Classes such as
    /// `system-cluster-critical` are meant for the cluster's own components; an application
    /// that borrows them can push other teams' Pods off their nodes.
    ///
    /// ## Example
    /// ```yaml
    /// # .podlint.yaml
    /// rules:
    ///   priority-class-not-allowed: {allowed: [batch-low, web-default]}
    /// ---
    /// spec:
    ///   priorityClassName: system-cluster-critical
    /// ```
    ///
    /// ## How to fix
    /// Use one of the allowed classes, or leave `priorityClassName` out to get the cluster's
    /// default.
    pub struct PriorityClassNotAllowed {
        name: "priority-class-not-allowed",
        category: Correctness,
        hook: Pod,
        fix: Never,
        summary: "priorityClassName is not on the allowed list (option `allowed`)",
        options: PriorityClassNotAllowedOptions,
        severity: Info,
        enabled: false,
    }
}

rule_options! {
    /// The options of [`PriorityClassNotAllowed`].
    pub struct PriorityClassNotAllowedOptions {
        /// The PriorityClass names a Pod may use, e.g. `[batch-low, web-default]`. Empty: the
        /// rule reports nothing.
        "allowed" allowed: Vec<String>,
    }
}

impl PodRule for PriorityClassNotAllowed {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        let allowed = &cx.options::<PriorityClassNotAllowedOptions>().allowed;
        if allowed.is_empty() {
            return;
        }
        let Some(node) = pod.spec.get("priorityClassName") else {
            return;
        };
        let Some(name) = node.as_str().filter(|n| !n.is_empty()) else {
            return;
        };
        if allowed.iter().any(|a| a == name) {
            return;
        }
        cx.report(
            node.range(),
            format!("priority class `{name}` is not one this team allows; a higher class lets the scheduler evict other Pods to make room for this one"),
        )
        .help(format!("use one of {} (set in `.podlint.yaml`), or leave `priorityClassName` out", allowed.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ")));
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn only_allowed_classes_pass() {
        let yaml = pod("  priorityClassName: system-cluster-critical\n  containers:\n  - name: app\n    image: a\n");
        let good =
            pod("  priorityClassName: web-default\n  containers:\n  - name: app\n    image: a\n");
        // Quiet without a list.
        RuleTest::new(&super::PriorityClassNotAllowed::META)
            .pass(yaml.clone())
            .run_inline();
        RuleTest::new(&super::PriorityClassNotAllowed::META)
            .options("allowed: [web-default]")
            .pass(good)
            .fail(yaml, &["system-cluster-critical"])
            .run();
    }
}
