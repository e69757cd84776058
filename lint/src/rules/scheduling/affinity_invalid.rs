use super::helpers::{check_key, check_requirement, check_selector, list, Requirement};
use crate::k8s::names::{dns1123_label, qualified_name};
use crate::k8s::Pod;
use crate::rule::{Context, PodRule};
use crate::rules::edits::{entry_range, value_range};
use crate::syntax::NodeRef;

declare_rule! {
    /// ## What it does
    /// Reports an `affinity` the API server rejects: a required node affinity with no
    /// `nodeSelectorTerms`; a requirement whose `values` do not fit its operator (`In`/`NotIn`
    /// need values, `Exists`/`DoesNotExist` take none, `Gt`/`Lt` take one number); a
    /// `matchFields` requirement other than `metadata.name In/NotIn` one name; a preferred
    /// term's `weight` outside 1–100; a pod (anti-)affinity term with an empty or invalid
    /// `topologyKey`, bad `namespaces`, an invalid `labelSelector`, or a key in both
    /// `matchLabelKeys` and `mismatchLabelKeys`. Unknown operators are left to
    /// enum-value-invalid.
    ///
    /// ## Why it matters in a Pod
    /// Affinity tells the scheduler which node the Pod may land on: node affinity compares
    /// node labels (`topology.kubernetes.io/zone In [a, b]`), pod affinity and anti-affinity
    /// place it next to, or away from, Pods with given labels in the same `topologyKey`
    /// domain (a node, a zone). A rule that cannot be evaluated is rejected with the whole
    /// Pod or workload, rather than silently scheduling it anywhere.
    ///
    /// ## Example
    /// ```yaml
    /// affinity:
    ///   podAntiAffinity:
    ///     preferredDuringSchedulingIgnoredDuringExecution:
    ///     - weight: 0
    ///       podAffinityTerm:
    ///         topologyKey: ""
    ///         labelSelector:
    ///           matchExpressions:
    ///           - {key: app, operator: In}
    /// ```
    ///
    /// ## How to fix
    /// Give `In`/`NotIn` a list of values, drop `values` for `Exists`/`DoesNotExist`, weights
    /// from 1 to 100, and a `topologyKey` such as `kubernetes.io/hostname` (one node) or
    /// `topology.kubernetes.io/zone`.
    pub struct AffinityInvalid {
        name: "affinity-invalid",
        category: ApiRejects,
        hook: Pod,
        fix: Never,
        summary: "node or pod affinity the API server rejects",
    }
}

const REQUIRED: &str = "requiredDuringSchedulingIgnoredDuringExecution";
const PREFERRED: &str = "preferredDuringSchedulingIgnoredDuringExecution";

impl PodRule for AffinityInvalid {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        let Some(affinity) = pod.spec.get("affinity") else {
            return;
        };
        if let Some(node) = affinity.get("nodeAffinity") {
            check_node_affinity(node, cx);
        }
        for kind in ["podAffinity", "podAntiAffinity"] {
            let Some(terms) = affinity.get(kind) else {
                continue;
            };
            for term in list(terms, REQUIRED) {
                check_pod_term(term, cx);
            }
            for weighted in list(terms, PREFERRED) {
                check_weight(weighted, cx);
                if let Some(term) = weighted.get("podAffinityTerm") {
                    check_pod_term(term, cx);
                }
            }
        }
    }
}

fn check_node_affinity(node: NodeRef<'_, '_>, cx: &mut Context<'_>) {
    if let Some(required) = node.get(REQUIRED) {
        if let Some((key, terms)) = required.entry("nodeSelectorTerms") {
            if terms.is_sequence() && terms.items().next().is_none() {
                cx.report(
                    key.range(),
                    "required node affinity with no `nodeSelectorTerms` matches no node, so the API server rejects it",
                )
                .help("add a term such as `- matchExpressions: [{key: kubernetes.io/arch, operator: In, values: [amd64]}]`, or remove the required node affinity");
            }
        }
        for term in list(required, "nodeSelectorTerms") {
            check_node_term(term, cx);
        }
    }
    for weighted in list(node, PREFERRED) {
        check_weight(weighted, cx);
        if let Some(term) = weighted.get("preference") {
            check_node_term(term, cx);
        }
    }
}

fn check_node_term(term: NodeRef<'_, '_>, cx: &mut Context<'_>) {
    for expression in list(term, "matchExpressions") {
        check_requirement(expression, Requirement::Node, "node affinity", cx);
    }
    for field in list(term, "matchFields") {
        if let Some(key) = field.get("key") {
            if let Some(text) = key.as_string().filter(|k| *k != "metadata.name") {
                cx.report(
                    value_range(cx.source, key),
                    format!("`matchFields` can only match the node's name (`metadata.name`), not `{text}`"),
                )
                .help("match node labels with `matchExpressions`, or use `key: metadata.name`");
                continue;
            }
        }
        let operator = field.get("operator").and_then(|o| o.as_str());
        let count = field.get("values").map_or(0, |v| v.items().count());
        if matches!(operator, Some("In" | "NotIn")) && count != 1 {
            let range = field.entry_range("values").unwrap_or_else(|| field.head());
            cx.report(
                range,
                format!("a `matchFields` requirement on `metadata.name` takes exactly one node name, not {count}"),
            )
            .help("list one node name, or write one term per node");
        } else if matches!(operator, Some("Exists" | "DoesNotExist" | "Gt" | "Lt")) {
            let (key, value) = field.entry("operator").expect("read above");
            cx.report(
                entry_range(cx.source, key, value),
                "a `matchFields` requirement can only use `In` or `NotIn` with one node name",
            )
            .help("use `operator: In` with `values: [<node name>]`");
        }
    }
}

fn check_weight(weighted: NodeRef<'_, '_>, cx: &mut Context<'_>) {
    let Some((key, value)) = weighted.entry("weight") else {
        return;
    };
    let Some(weight) = value.as_i64() else {
        return;
    };
    if !(1..=100).contains(&weight) {
        cx.report(
            entry_range(cx.source, key, value),
            format!("`weight: {weight}` is out of range: the scheduler adds the weight of each preference a node meets to its score, and it must be 1 to 100"),
        )
        .help("use a weight from 1 (a mild preference) to 100 (a strong one)");
    }
}

fn check_pod_term(term: NodeRef<'_, '_>, cx: &mut Context<'_>) {
    if let Some((key, value)) = term.entry("topologyKey") {
        if let Some(text) = value.as_string() {
            if text.is_empty() {
                cx.report(
                    entry_range(cx.source, key, value),
                    "`topologyKey` is empty: it names the node label that defines \"the same place\" (one node, one zone) for pod affinity",
                )
                .help("use `kubernetes.io/hostname` for the same node or `topology.kubernetes.io/zone` for the same zone");
            } else if let Err(why) = qualified_name(text) {
                cx.report(
                    value_range(cx.source, value),
                    format!("`topologyKey: {text}` is not a label key: {why}"),
                )
                .help("use a node label key such as `kubernetes.io/hostname`");
            }
        }
    }
    if let Some(selector) = term.get("labelSelector") {
        check_selector(selector, "pod affinity selector", cx);
    }
    if let Some(selector) = term.get("namespaceSelector") {
        check_selector(selector, "pod affinity namespace selector", cx);
    }
    for namespace in term.get("namespaces").into_iter().flat_map(|n| n.items()) {
        let Some(text) = namespace.as_string() else {
            continue;
        };
        if let Err(why) = dns1123_label(text) {
            cx.report(
                value_range(cx.source, namespace),
                format!("namespace `{text}` is not a namespace name: {why}"),
            )
            .help("write the namespace's name in lowercase, e.g. `shop`");
        }
    }
    let keys = |field: &str| -> Vec<NodeRef<'_, '_>> {
        term.get(field)
            .into_iter()
            .flat_map(|l| l.items())
            .collect()
    };
    let matching = keys("matchLabelKeys");
    let mismatching = keys("mismatchLabelKeys");
    for key in matching.iter().chain(&mismatching) {
        check_key(*key, "pod affinity label", cx);
    }
    for key in &mismatching {
        let text = key.as_str();
        if text.is_some() && matching.iter().any(|m| m.as_str() == text) {
            cx.report(
                value_range(cx.source, *key),
                format!("`{}` is in both `matchLabelKeys` and `mismatchLabelKeys`: a Pod cannot both share and not share that label's value", text.unwrap_or_default()),
            )
            .help("keep the key in one of the two lists");
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn affinity_terms_are_checked() {
        let good = pod("  affinity:\n    nodeAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n        nodeSelectorTerms:\n        - matchExpressions:\n          - {key: kubernetes.io/arch, operator: In, values: [amd64]}\n          - {key: gpu, operator: Exists}\n          - {key: cores, operator: Gt, values: [\"4\"]}\n    podAntiAffinity:\n      preferredDuringSchedulingIgnoredDuringExecution:\n      - weight: 100\n        podAffinityTerm:\n          topologyKey: kubernetes.io/hostname\n          labelSelector:\n            matchLabels: {app: web}\n  containers:\n  - name: app\n    image: a\n");
        let empty_terms = pod("  affinity:\n    nodeAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n        nodeSelectorTerms: []\n  containers:\n  - name: app\n    image: a\n");
        let bad = pod("  affinity:\n    nodeAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n        nodeSelectorTerms:\n        - matchExpressions:\n          - {key: zone, operator: In}\n          - {key: gpu, operator: Exists, values: [a]}\n          matchFields:\n          - {key: metadata.labels, operator: In, values: [a]}\n    podAffinity:\n      preferredDuringSchedulingIgnoredDuringExecution:\n      - weight: 0\n        podAffinityTerm:\n          topologyKey: \"\"\n          labelSelector:\n            matchLabels: {app: web}\n  containers:\n  - name: app\n    image: a\n");
        RuleTest::new(&super::AffinityInvalid::META)
            .pass(&good)
            .fail(&empty_terms, &["nodeSelectorTerms"])
            .fail(
                &bad,
                &[
                    "operator: In",
                    "values",
                    "metadata.labels",
                    "weight: 0",
                    "topologyKey: \"\"",
                ],
            )
            .run();
    }
}
