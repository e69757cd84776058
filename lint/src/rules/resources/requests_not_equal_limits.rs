use super::helpers::report_unequal;
use crate::k8s::{ContainerKind, Pod};
use crate::rule::{Context, PodRule};

declare_rule! {
    /// ## What it does
    /// Reports a container whose `cpu` or `memory` request differs from its limit, or that
    /// requests one without limiting it. Off by default: enable it for workloads that must get the Guaranteed
    /// quality-of-service class.
    ///
    /// ## Why it matters in a Pod
    /// The scheduler places a Pod by its requests; the limits are what it may use. When
    /// requests equal limits for cpu and memory in every container, the Pod is
    /// `Guaranteed`: it is the last to be evicted when the node runs short, and its memory
    /// is never taken back. Otherwise it is `Burstable`: it can use more than it reserved
    /// while the node has spare room, but when memory runs out the kubelet evicts Burstable
    /// Pods over their requests first, and a container above its memory request is the
    /// kernel's preferred OOM victim.
    ///
    /// ## Example
    /// ```yaml
    /// resources:
    ///   requests:
    ///     memory: 128Mi
    ///   limits:
    ///     memory: 256Mi
    /// ```
    ///
    /// ## How to fix
    /// Set the request to the limit (reserving what the container may use), or remove the
    /// request: Kubernetes then copies the limit into it.
    pub struct RequestsNotEqualLimits {
        name: "requests-not-equal-limits",
        category: Resources,
        hook: Pod,
        fix: Never,
        summary: "A container's cpu or memory request differs from its limit",
        severity: Info,
        enabled: false,
    }
}

impl PodRule for RequestsNotEqualLimits {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        for resource in ["cpu", "memory"] {
            report_unequal(pod, cx, resource, |who, request, limit| {
                format!("{who} requests {resource} `{request}` but may use up to `{limit}`: with requests below limits the Pod is `Burstable`, not `Guaranteed`, and is among the first evicted when its node runs short")
            });
            report_unlimited(pod, cx, resource);
        }
    }
}

/// A request with no limit of the same resource: the container may use any amount, so the
/// Pod is Burstable whatever the other containers set.
fn report_unlimited(pod: &Pod<'_, '_>, cx: &mut Context<'_>, resource: &str) {
    let sized = pod
        .containers()
        .filter(|c| c.kind != ContainerKind::Ephemeral);
    for container in sized {
        let Some(resources) = container.get("resources") else {
            continue;
        };
        let Some((key, request)) = resources.get("requests").and_then(|r| r.entry(resource)) else {
            continue;
        };
        if resources
            .get("limits")
            .and_then(|l| l.get(resource))
            .is_some()
        {
            continue;
        }
        let amount = cx
            .text(request.range())
            .trim_matches(['"', '\''])
            .to_string();
        cx.report(
            key.range().cover(request.range()),
            format!(
                "{} requests {resource} `{amount}` but sets no {resource} limit, so it may use any amount: the Pod is `Burstable`, not `Guaranteed`, and is among the first evicted when its node runs short",
                container.describe()
            ),
        )
        .help(format!("add `limits.{resource}: {amount}` under `resources` to make the limit equal the request"));
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn requests_match_limits() {
        let ok = pod("  containers:\n  - name: app\n    image: a\n    resources:\n      requests: {cpu: \"1\", memory: 1Gi}\n      limits: {cpu: 1000m, memory: 1024Mi}\n  - name: only-limits\n    image: a\n    resources:\n      limits: {memory: 1Gi}\n");
        let bad = pod("  containers:\n  - name: app\n    image: a\n    resources:\n      requests:\n        cpu: 100m\n        memory: 128Mi\n      limits:\n        cpu: 100m\n        memory: 256Mi\n");
        let unlimited = pod("  containers:\n  - name: app\n    image: a\n    resources:\n      requests: {cpu: 250m, memory: 256Mi}\n      limits: {memory: 256Mi}\n");
        RuleTest::new(&super::RequestsNotEqualLimits::META)
            .pass(&ok)
            .fail(&bad, &["memory: 128Mi"])
            .fail(&unlimited, &["cpu: 250m"])
            .run();
    }
}
