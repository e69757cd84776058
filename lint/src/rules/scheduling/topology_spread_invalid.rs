use std::collections::HashMap;

use super::helpers::{check_key, check_selector};
use crate::k8s::names::qualified_name;
use crate::k8s::Pod;
use crate::rule::{Context, PodRule};
use crate::rules::edits::{entry_range, value_range};
use crate::syntax::NodeRef;
use crate::text::TextRange;

declare_rule! {
    /// ## What it does
    /// Reports a `topologySpreadConstraints` entry the API server rejects: `maxSkew` below 1;
    /// an empty or invalid `topologyKey`; two constraints with the same `topologyKey` and
    /// `whenUnsatisfiable`; `minDomains` below 1 or with `ScheduleAnyway`; `matchLabelKeys`
    /// without a `labelSelector`, naming a key the selector already uses, or not a label key;
    /// an invalid `labelSelector`. Misspelt `whenUnsatisfiable` and node policies are left to
    /// enum-value-invalid.
    ///
    /// ## Why it matters in a Pod
    /// Spread constraints tell the scheduler to place this Pod so that Pods matching
    /// `labelSelector` stay evenly spread over nodes or zones (`topologyKey`): no domain may
    /// have more than `maxSkew` of them above the emptiest one. That is how replicas survive
    /// the loss of one node or zone. A constraint that cannot be evaluated is rejected with
    /// the whole Pod or workload.
    ///
    /// ## Example
    /// ```yaml
    /// topologySpreadConstraints:
    /// - maxSkew: 0
    ///   topologyKey: topology.kubernetes.io/zone
    ///   whenUnsatisfiable: ScheduleAnyway
    ///   minDomains: 3
    /// ```
    ///
    /// ## How to fix
    /// `maxSkew: 1` for the most even spread; `minDomains` only with `DoNotSchedule`; one
    /// constraint per `topologyKey` and `whenUnsatisfiable`; a `labelSelector` that matches
    /// the Pod's own labels.
    pub struct TopologySpreadInvalid {
        name: "topology-spread-invalid",
        category: ApiRejects,
        hook: Pod,
        fix: Never,
        summary: "topologySpreadConstraints entry the API server rejects",
    }
}

impl PodRule for TopologySpreadInvalid {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        let mut seen: HashMap<(&str, &str), TextRange> = HashMap::new();
        let constraints = pod.spec.get("topologySpreadConstraints");
        for constraint in constraints.into_iter().flat_map(|c| c.items()) {
            if !constraint.is_mapping() {
                continue;
            }
            let when = constraint
                .get("whenUnsatisfiable")
                .and_then(|w| w.as_str())
                .unwrap_or("");
            check_counts(constraint, when, cx);
            if let Some((key, value)) = constraint.entry("topologyKey") {
                let range = entry_range(cx.source, key, value);
                match value.as_string() {
                    Some("") => {
                        cx.report(
                            range,
                            "`topologyKey` is empty: it names the node label whose values are the domains to spread over",
                        )
                        .help("use `topology.kubernetes.io/zone` to spread over zones or `kubernetes.io/hostname` over nodes");
                    }
                    Some(text) => {
                        if let Err(why) = qualified_name(text) {
                            cx.report(
                                value_range(cx.source, value),
                                format!("`topologyKey: {text}` is not a label key: {why}"),
                            )
                            .help("use a node label key such as `topology.kubernetes.io/zone`");
                        } else if let Some(first) = seen.get(&(text, when)) {
                            cx.report(
                                range,
                                format!("a second constraint spreads over `{text}` with `whenUnsatisfiable: {when}`; the API server allows one per pair"),
                            )
                            .label(*first, "the first one")
                            .help("merge the two constraints into one");
                        } else {
                            seen.insert((text, when), range);
                        }
                    }
                    None => {}
                }
            }
            let selector = constraint.get("labelSelector").filter(|s| !s.is_null());
            if let Some(selector) = selector {
                check_selector(selector, "spread constraint selector", cx);
            }
            check_match_label_keys(constraint, selector, cx);
        }
    }
}

fn check_counts(constraint: NodeRef<'_, '_>, when: &str, cx: &mut Context<'_>) {
    if let Some((key, value)) = constraint.entry("maxSkew") {
        if let Some(skew) = value.as_i64().filter(|s| *s < 1) {
            cx.report(
                entry_range(cx.source, key, value),
                format!("`maxSkew: {skew}` must be at least 1: it is how many more matching Pods one domain may have than the emptiest"),
            )
            .help("use `maxSkew: 1` for the most even spread");
        }
    }
    if let Some((key, value)) = constraint.entry("minDomains") {
        let range = entry_range(cx.source, key, value);
        match value.as_i64() {
            Some(min) if min < 1 => {
                cx.report(range, format!("`minDomains: {min}` must be at least 1"))
                    .help(
                        "set how many domains (zones, nodes) should exist at least, or remove it",
                    );
            }
            Some(_) if when != "DoNotSchedule" && !when.is_empty() => {
                cx.report(
                    range,
                    format!("`minDomains` only applies with `whenUnsatisfiable: DoNotSchedule`, not `{when}`"),
                )
                .help("use `whenUnsatisfiable: DoNotSchedule`, or remove `minDomains`");
            }
            _ => {}
        }
    }
}

fn check_match_label_keys(
    constraint: NodeRef<'_, '_>,
    selector: Option<NodeRef<'_, '_>>,
    cx: &mut Context<'_>,
) {
    let Some((list_key, keys)) = constraint.entry("matchLabelKeys") else {
        return;
    };
    if keys.items().next().is_none() {
        return;
    }
    let Some(selector) = selector else {
        cx.report(
            list_key.range(),
            "`matchLabelKeys` narrows the `labelSelector`, so it needs one",
        )
        .help("add a `labelSelector` matching the Pod's labels, e.g. `matchLabels: {app: my-app}`");
        return;
    };
    let mut used: Vec<&str> = selector
        .get("matchLabels")
        .into_iter()
        .flat_map(|m| m.entries())
        .filter_map(|(k, _)| k.as_str())
        .collect();
    used.extend(
        selector
            .get("matchExpressions")
            .into_iter()
            .flat_map(|l| l.items())
            .filter_map(|e| e.get("key")?.as_str()),
    );
    for key in keys.items() {
        check_key(key, "`matchLabelKeys`", cx);
        if let Some(text) = key.as_str().filter(|t| used.contains(t)) {
            cx.report(
                value_range(cx.source, key),
                format!("`{text}` is already in the `labelSelector`; `matchLabelKeys` may only add keys it does not use"),
            )
            .help("remove it from one of the two");
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn constraints_are_checked() {
        let good = pod("  topologySpreadConstraints:\n  - maxSkew: 1\n    topologyKey: topology.kubernetes.io/zone\n    whenUnsatisfiable: DoNotSchedule\n    minDomains: 3\n    labelSelector:\n      matchLabels: {app: web}\n    matchLabelKeys: [pod-template-hash]\n  - maxSkew: 1\n    topologyKey: kubernetes.io/hostname\n    whenUnsatisfiable: ScheduleAnyway\n  containers:\n  - name: app\n    image: a\n");
        let bad = pod("  topologySpreadConstraints:\n  - maxSkew: 0\n    topologyKey: zone\n    whenUnsatisfiable: ScheduleAnyway\n    minDomains: 2\n    matchLabelKeys: [app]\n  - maxSkew: 1\n    topologyKey: zone\n    whenUnsatisfiable: ScheduleAnyway\n    labelSelector:\n      matchLabels: {app: web}\n    matchLabelKeys: [app]\n  containers:\n  - name: app\n    image: a\n");
        RuleTest::new(&super::TopologySpreadInvalid::META)
            .pass(&good)
            .fail(
                &bad,
                &[
                    "maxSkew: 0",
                    "minDomains: 2",
                    "matchLabelKeys",
                    "topologyKey: zone",
                    "app",
                ],
            )
            .run();
    }
}
