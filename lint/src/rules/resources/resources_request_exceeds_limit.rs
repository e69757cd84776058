use super::helpers::{quantity_maps, QuantityMap};
use crate::k8s::Pod;
use crate::quantity::{self, Quantity};
use crate::rule::{Context, PodRule};
use crate::rules::edits::entry_range;
use crate::syntax::NodeRef;

declare_rule! {
    /// ## What it does
    /// Reports a request larger than the limit of the same resource in the same container
    /// (compared exactly: `1Gi` is more than `1000Mi`), and, for extended resources such as
    /// `nvidia.com/gpu` that cannot be overcommitted, a request that differs from its limit
    /// or has none.
    ///
    /// ## Why it matters in a Pod
    /// The request is what the scheduler reserves for the container on a node; the limit is
    /// the most it may use. A reservation bigger than the cap makes no sense, and the API
    /// server rejects the Pod. Devices like GPUs are handed out whole and never shared, so
    /// their request and limit must be the same number.
    ///
    /// ## Example
    /// ```yaml
    /// resources:
    ///   requests:
    ///     memory: "1Gi"
    ///   limits:
    ///     memory: "1000Mi"
    /// ```
    ///
    /// ## How to fix
    /// Raise the limit to at least the request, or lower the request. Mind the units: `Gi`
    /// and `Mi` are powers of 1024, `G` and `M` powers of 1000, so `1Gi` is 1024Mi.
    pub struct ResourcesRequestExceedsLimit {
        name: "resources-request-exceeds-limit",
        category: ApiRejects,
        hook: Pod,
        fix: Never,
        summary: "A resource request is larger than its limit",
    }
}

impl PodRule for ResourcesRequestExceedsLimit {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        let source = cx.source;
        let maps = quantity_maps(pod);
        for requests in maps.iter().filter(|m| m.field == "requests") {
            let limits = maps.iter().find(|m| {
                m.field == "limits"
                    && m.container.map(|c| c.node) == requests.container.map(|c| c.node)
            });
            for (resource, key, value, text) in requests.quantities() {
                let Ok(request) = quantity::parse(text) else {
                    continue;
                };
                let whole = entry_range(source, key, value);
                let who = requests.who();
                let exclusive = is_exclusive(resource);
                let Some((limit_entry, limit_text, limit)) =
                    limits.and_then(|l| limit_of(source, l, resource))
                else {
                    if exclusive && requests.container.is_some() {
                        cx.report(whole, format!("{who} requests {text} `{resource}` but sets no limit for it; devices like this are never shared, so the limit must be set and equal to the request"))
                            .help(format!("add `{resource}: {text}` under `resources.limits`"));
                    }
                    continue;
                };
                if exclusive && request != limit {
                    cx.report(whole, format!("{who} requests {text} `{resource}` but its limit is {limit_text}; devices like this are never shared, so request and limit must be equal"))
                        .label(limit_entry, "the limit")
                        .help(format!("use the same number in both, e.g. `{resource}: {limit_text}`"));
                } else if request > limit {
                    cx.report(
                        whole,
                        format!(
                            "{who} requests {text} of {resource}, more than its limit of {limit_text}{}; the scheduler would reserve more than the container may ever use",
                            in_bytes(resource, &request, &limit)
                        ),
                    )
                    .label(limit_entry, format!("{resource} limit is {limit_text}"))
                    .help("raise the limit to at least the request, or lower the request");
                }
            }
        }
    }
}

/// The limit entry of `resource`, its text and value, when it parses.
fn limit_of<'d>(
    source: &str,
    limits: &QuantityMap<'d, '_>,
    resource: &str,
) -> Option<(crate::text::TextRange, &'d str, Quantity)> {
    let (_, key, value, text): (_, NodeRef<'_, '_>, NodeRef<'_, '_>, _) =
        limits.quantities().find(|(name, ..)| *name == resource)?;
    let limit = quantity::parse(text).ok()?;
    Some((entry_range(source, key, value), text, limit))
}

/// Resources the kubelet never overcommits: extended resources and huge pages.
fn is_exclusive(resource: &str) -> bool {
    resource.starts_with("hugepages-")
        || (resource.contains('/') && !resource.contains("kubernetes.io/"))
}

/// " (1073741824 > 1048576000 bytes)" when byte units differ, so the comparison is visible.
fn in_bytes(resource: &str, request: &Quantity, limit: &Quantity) -> String {
    match (request.to_i128(), limit.to_i128()) {
        (Some(r), Some(l)) if matches!(resource, "memory" | "ephemeral-storage") => {
            format!(" ({r} > {l} bytes)")
        }
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    fn resources(body: &str) -> String {
        pod(&format!(
            "  containers:\n  - name: app\n    image: a\n    resources:\n{body}"
        ))
    }

    #[test]
    fn requests_fit_under_limits() {
        RuleTest::new(&super::ResourcesRequestExceedsLimit::META)
            .pass(resources("      requests:\n        memory: 1Gi\n        cpu: 500m\n      limits:\n        memory: 1024Mi\n        cpu: \"1\"\n"))
            .pass(resources("      requests:\n        cpu: 2\n"))
            .pass(resources("      requests:\n        nvidia.com/gpu: 1\n      limits:\n        nvidia.com/gpu: 1\n"))
            .fail(resources("      requests:\n        memory: 1Gi\n      limits:\n        memory: 1000Mi\n"), &["memory: 1Gi"])
            .fail(resources("      requests:\n        cpu: 1500m\n      limits:\n        cpu: 1\n"), &["cpu: 1500m"])
            .fail(resources("      requests:\n        nvidia.com/gpu: 1\n      limits:\n        nvidia.com/gpu: 2\n"), &["nvidia.com/gpu: 1"])
            .fail(resources("      requests:\n        nvidia.com/gpu: 1\n"), &["nvidia.com/gpu: 1"])
            .run();
    }
}
