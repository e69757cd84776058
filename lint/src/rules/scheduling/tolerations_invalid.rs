use crate::k8s::names::{label_value, qualified_name};
use crate::k8s::Pod;
use crate::rule::{Context, PodRule};
use crate::rules::edits::{entry_range, value_range};

declare_rule! {
    /// ## What it does
    /// Reports a toleration the API server rejects: a `key` that is not a label key; no key
    /// with an operator other than `Exists`; a `value` with `operator: Exists`, or one that
    /// is not a label value; `tolerationSeconds` with an effect other than `NoExecute`.
    /// Misspelt operators and effects are left to enum-value-invalid.
    ///
    /// ## Why it matters in a Pod
    /// Nodes can carry taints (`dedicated=gpu:NoSchedule`) that keep Pods away; a toleration
    /// lets this Pod be scheduled on such nodes anyway. It matches a taint by key, value and
    /// effect: `Equal` (the default) compares the value, `Exists` matches any value, and an
    /// empty key with `Exists` tolerates every taint. `tolerationSeconds` says how long the
    /// Pod may stay on a node after a `NoExecute` taint appears, so it means nothing with any
    /// other effect. The API server rejects combinations that cannot match.
    ///
    /// ## Example
    /// ```yaml
    /// tolerations:
    /// - key: dedicated
    ///   operator: Exists
    ///   value: gpu
    ///   effect: NoSchedule
    ///   tolerationSeconds: 60
    /// ```
    ///
    /// ## How to fix
    /// Use `operator: Equal` with a `value`, or `Exists` without one; give every toleration a
    /// `key` unless it is meant to tolerate everything (`operator: Exists` alone); keep
    /// `tolerationSeconds` for `effect: NoExecute`.
    pub struct TolerationsInvalid {
        name: "tolerations-invalid",
        category: ApiRejects,
        hook: Pod,
        fix: Never,
        summary: "toleration the API server rejects: bad key or value, Exists with value, tolerationSeconds without NoExecute",
    }
}

impl PodRule for TolerationsInvalid {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        let tolerations = pod.spec.get("tolerations");
        for toleration in tolerations.into_iter().flat_map(|t| t.items()) {
            if !toleration.is_mapping() {
                continue;
            }
            let text = |key: &str| toleration.get(key).and_then(|v| v.as_str());
            let key = text("key").unwrap_or("");
            let operator = text("operator").unwrap_or("Equal");
            let value = text("value").unwrap_or("");
            let effect = text("effect").unwrap_or("");
            if let Some(node) = toleration.get("key").filter(|_| !key.is_empty()) {
                if let Err(why) = qualified_name(key) {
                    cx.report(
                        value_range(cx.source, node),
                        format!("toleration key `{key}` is not a taint key: {why}"),
                    )
                    .help("copy the key from the node's taint (`kubectl describe node`), e.g. `dedicated`");
                }
            }
            if key.is_empty() && operator != "Exists" {
                let range = toleration
                    .entry("operator")
                    .map_or(toleration.head(), |(k, v)| entry_range(cx.source, k, v));
                cx.report(
                    range,
                    format!("a toleration without a `key` matches every taint, which only works with `operator: Exists`, not `{operator}`"),
                )
                .help("add the taint's `key`, or use `operator: Exists` to tolerate all taints");
            }
            if let Some((k, v)) = toleration.entry("value").filter(|_| !value.is_empty()) {
                if operator == "Exists" {
                    cx.report(
                        entry_range(cx.source, k, v),
                        format!("`operator: Exists` matches the taint whatever its value, so `value: {value}` must be left out"),
                    )
                    .help("remove `value`, or use `operator: Equal` to match only this value");
                } else if operator == "Equal" {
                    if let Err(why) = label_value(value) {
                        cx.report(
                            value_range(cx.source, v),
                            format!("toleration value `{value}` is not a taint value: {why}"),
                        )
                        .help("copy the value from the node's taint, e.g. `gpu`");
                    }
                }
            }
            if let Some((k, v)) = toleration.entry("tolerationSeconds") {
                if !v.is_null() && effect != "NoExecute" {
                    let effect = if effect.is_empty() { "any" } else { effect };
                    cx.report(
                        entry_range(cx.source, k, v),
                        format!("`tolerationSeconds` says how long the Pod may stay after a `NoExecute` taint appears, so it needs `effect: NoExecute`, not {effect} effect"),
                    )
                    .help("set `effect: NoExecute`, or remove `tolerationSeconds`");
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn tolerations_must_be_able_to_match() {
        let good = pod("  tolerations:\n  - {key: dedicated, operator: Equal, value: gpu, effect: NoSchedule}\n  - {operator: Exists}\n  - {key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 60}\n  containers:\n  - name: app\n    image: a\n");
        let bad = pod("  tolerations:\n  - {key: dedicated, operator: Exists, value: gpu, effect: NoSchedule, tolerationSeconds: 60}\n  - {value: x}\n  - {key: \"bad key\", value: \"a b\"}\n  containers:\n  - name: app\n    image: a\n");
        RuleTest::new(&super::TolerationsInvalid::META)
            .pass(&good)
            .fail(
                &bad,
                &[
                    "value: gpu",
                    "tolerationSeconds: 60",
                    "value: x",
                    "\"bad key\"",
                    "\"a b\"",
                ],
            )
            .run();
    }
}
