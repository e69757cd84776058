use std::collections::{HashMap, HashSet};

use crate::k8s::Pod;
use crate::rule::{Context, PodRule};
use crate::text::TextRange;

declare_rule! {
    /// ## What it does
    /// Reports a container's `resources.claims` entry whose `name` is not one of the pod's
    /// `spec.resourceClaims`, or that the container lists twice.
    ///
    /// ## Why it matters in a Pod
    /// Dynamic resource allocation (DRA) hands devices such as GPUs to Pods through
    /// ResourceClaims. The Pod declares its claims once in `spec.resourceClaims`; each
    /// container then picks the ones it uses by name in `resources.claims`, much as volumes
    /// are declared once and mounted by name. A name the Pod does not declare refers to
    /// nothing, and the API server rejects the Pod.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   resourceClaims:
    ///   - name: gpu
    ///     resourceClaimTemplateName: single-gpu
    ///   containers:
    ///   - name: trainer
    ///     resources:
    ///       claims:
    ///       - name: gpus
    /// ```
    ///
    /// ## How to fix
    /// Use a name declared under `spec.resourceClaims`, or declare the claim there.
    pub struct ResourceClaimUnknown {
        name: "resource-claim-unknown",
        category: ApiRejects,
        hook: Pod,
        fix: Sometimes,
        summary: "A container uses a resource claim the pod does not declare",
    }
}

impl PodRule for ResourceClaimUnknown {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        let declared: HashSet<&str> = pod
            .spec
            .get("resourceClaims")
            .into_iter()
            .flat_map(|l| l.items())
            .filter_map(|c| c.get("name")?.as_str())
            .collect();
        for container in pod.containers() {
            let who = container.who();
            let mut seen: HashMap<(&str, &str), TextRange> = HashMap::new();
            let claims = container
                .get("resources")
                .and_then(|r| r.get("claims"))
                .into_iter()
                .flat_map(|l| l.items());
            for claim in claims {
                let Some(node) = claim.get("name") else {
                    continue;
                };
                let Some(name) = node.as_str().filter(|n| !n.is_empty()) else {
                    continue;
                };
                let request = claim.get("request").and_then(|r| r.as_str()).unwrap_or("");
                if let Some(first) = seen.insert((name, request), node.range()) {
                    cx.report(
                        node.range(),
                        format!("{who} lists resource claim `{name}` twice"),
                    )
                    .label(first, "first listed here")
                    .help("list each claim once per container");
                    continue;
                }
                if declared.contains(name) {
                    continue;
                }
                let d = cx.report(
                    node.range(),
                    format!("{who} uses resource claim `{name}`, but the Pod declares no claim of that name in `spec.resourceClaims`"),
                );
                let close = declared
                    .iter()
                    .filter(|d| strsim::damerau_levenshtein(name, d) <= 2)
                    .min_by_key(|d| strsim::damerau_levenshtein(name, d));
                match close {
                    Some(close) => {
                        d.help(format!("did you mean `{close}`?"))
                            .fix(crate::Fix::unsafe_(
                                format!("Use claim `{close}`"),
                                vec![crate::Edit::replace(node.range(), *close)],
                            ));
                    }
                    None => {
                        d.help(format!("declare it under `spec.resourceClaims` (`- name: {name}` with `resourceClaimName` or `resourceClaimTemplateName`), or use a declared one"));
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    fn claims(list: &str) -> String {
        pod(&format!("  resourceClaims:\n  - name: gpu\n    resourceClaimTemplateName: single-gpu\n  containers:\n  - name: trainer\n    image: a\n    resources:\n      claims:\n{list}"))
    }

    #[test]
    fn claims_must_be_declared_once() {
        RuleTest::new(&super::ResourceClaimUnknown::META)
            .pass(claims("      - name: gpu\n"))
            .fail(claims("      - name: gpus\n"), &["gpus"])
            .fail(claims("      - name: gpu\n      - name: gpu\n"), &["gpu"])
            .fail(claims("      - name: fpga\n"), &["fpga"])
            .run();
    }
}
