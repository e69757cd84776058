use crate::k8s::{ContainerKind, Pod};
use crate::quantity;
use crate::rule::{Context, PodRule};

declare_rule! {
    /// ## What it does
    /// Reports a container whose `cpu` or `memory` request differs from its limit, when
    /// both are set. Off by default: enable it for workloads that must get the Guaranteed
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
        }
    }
}

/// Reports each container whose request for `resource` differs from its limit, both set
/// and valid (invalid quantities are resource-quantity-invalid's). `message` gets the
/// container's description, the request and the limit as written.
pub(crate) fn report_unequal(
    pod: &Pod<'_, '_>,
    cx: &mut Context<'_>,
    resource: &str,
    message: impl Fn(&str, &str, &str) -> String,
) {
    // Ephemeral containers have no resources.
    let sized = pod
        .containers()
        .filter(|c| c.kind != ContainerKind::Ephemeral);
    for container in sized {
        let Some(resources) = container.get("resources") else {
            continue;
        };
        let Some((request_key, request)) =
            resources.get("requests").and_then(|r| r.entry(resource))
        else {
            continue;
        };
        let Some(limit) = resources.get("limits").and_then(|l| l.get(resource)) else {
            continue;
        };
        let (Some(request_text), Some(limit_text)) = (request.as_str(), limit.as_str()) else {
            continue;
        };
        let (Ok(r), Ok(l)) = (quantity::parse(request_text), quantity::parse(limit_text)) else {
            continue;
        };
        if r == l {
            continue;
        }
        cx.report(
            request_key.range().cover(request.range()),
            message(&container.describe(), request_text, limit_text),
        )
        .label(limit.range(), format!("the {resource} limit"))
        .help(format!("set `requests.{resource}: {limit_text}` to match the limit, or remove the request so Kubernetes copies the limit"));
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{assert_rule, pod};

    #[test]
    fn requests_match_limits() {
        let ok = pod("  containers:\n  - name: app\n    image: a\n    resources:\n      requests: {cpu: \"1\", memory: 1Gi}\n      limits: {cpu: 1000m, memory: 1024Mi}\n  - name: only-limits\n    image: a\n    resources:\n      limits: {memory: 1Gi}\n");
        let bad = pod("  containers:\n  - name: app\n    image: a\n    resources:\n      requests:\n        cpu: 100m\n        memory: 128Mi\n      limits:\n        cpu: 100m\n        memory: 256Mi\n");
        assert_rule(
            "requests-not-equal-limits",
            &[&ok],
            &[(&bad, &["memory: 128Mi"])],
        );
    }
}
