use crate::k8s::security::pod_anchor;
use crate::k8s::Pod;
use crate::rule::{Context, PodRule};

declare_rule! {
    /// ## What it does
    /// Reports a Pod or Pod template without `priorityClassName` (or with an empty one).
    /// Off by default: enable it in clusters that define PriorityClasses and expect every
    /// workload to pick one.
    ///
    /// ## Why it matters in a Pod
    /// When a cluster is full, the scheduler makes room for a pending Pod by evicting Pods of
    /// lower priority, and under node pressure the kubelet considers priority when it
    /// chooses what to evict. A Pod without a class gets the cluster's global default
    /// (usually priority 0), the same as every batch job and experiment: your API server can
    /// be evicted to make room for someone's test run, or wait behind it.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Pod
    /// spec:
    ///   containers:
    ///   - name: app
    ///     image: my-app:1.0
    /// ```
    ///
    /// ## How to fix
    /// Set `priorityClassName` to one of the cluster's PriorityClasses
    /// (`kubectl get priorityclass`), e.g. `priorityClassName: business-critical`. Leave the
    /// built-in `system-cluster-critical` and `system-node-critical` to cluster components.
    pub struct MissingPriorityClass {
        name: "missing-priority-class",
        category: Reliability,
        hook: Pod,
        fix: Never,
        summary: "A Pod does not set priorityClassName",
        severity: Info,
        enabled: false,
    }
}

impl PodRule for MissingPriorityClass {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        let entry = pod.spec.entry("priorityClassName");
        if entry.is_some_and(|(_, v)| v.as_str().is_some_and(|s| !s.trim().is_empty())) {
            return;
        }
        let range = entry.map_or(pod_anchor(pod), |(k, v)| k.range().cover(v.range()));
        let whose = match pod.object.name() {
            Some(name) if pod.is_bare_pod() => format!("Pod `{name}`"),
            Some(name) => format!("the Pods of {} `{name}`", pod.kind_name()),
            None => "this Pod".to_string(),
        };
        cx.report(
            range,
            format!("no `priorityClassName` is set for {whose}, so the cluster's default priority applies: when the cluster is full, any other workload can preempt it or be scheduled ahead of it"),
        )
        .help("set `priorityClassName` to one of the cluster's PriorityClasses (`kubectl get priorityclass`)");
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn pods_name_a_priority_class() {
        RuleTest::new(&super::MissingPriorityClass::META)
            .pass(pod(
                "  priorityClassName: business-critical\n  containers: [{name: app, image: a}]\n",
            ))
            .fail(pod("  containers: [{name: app, image: a}]\n"), &["spec"])
            .fail(
                pod("  priorityClassName: \"\"\n  containers: [{name: app, image: a}]\n"),
                &["priorityClassName: \"\""],
            )
            .run();
    }
}
