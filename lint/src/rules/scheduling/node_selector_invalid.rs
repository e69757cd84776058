use crate::k8s::names::{label_value, qualified_name};
use crate::k8s::Pod;
use crate::rule::{Context, PodRule};
use crate::rules::edits::value_range;

declare_rule! {
    /// ## What it does
    /// Reports a `nodeSelector` key that is not a label key (an optional DNS prefix and `/`,
    /// then at most 63 letters, digits, `-`, `_`, `.`) or a value that is not a label value
    /// (at most 63 of the same characters, starting and ending with a letter or digit).
    ///
    /// ## Why it matters in a Pod
    /// `nodeSelector` decides which nodes the Pod may land on: the scheduler only places it
    /// on a node that carries every listed label with that exact value (for example
    /// `kubernetes.io/arch: arm64`, or `disktype: ssd` that an operator put on some nodes).
    /// Node labels follow the label syntax, so a key or value outside it could never match;
    /// the API server rejects the Pod (or its workload) instead.
    ///
    /// ## Example
    /// ```yaml
    /// nodeSelector:
    ///   disk type: SSD drive
    /// ```
    ///
    /// ## How to fix
    /// Copy the label exactly as the node shows it (`kubectl get nodes --show-labels`), e.g.
    /// `disktype: ssd`.
    pub struct NodeSelectorInvalid {
        name: "node-selector-invalid",
        category: ApiRejects,
        hook: Pod,
        fix: Never,
        summary: "nodeSelector key or value is not a valid label",
    }
}

impl PodRule for NodeSelectorInvalid {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        let Some(selector) = pod.spec.get("nodeSelector") else {
            return;
        };
        for (key, value) in selector.entries() {
            if let Some(text) = key.as_str() {
                if let Err(why) = qualified_name(text) {
                    cx.report(
                        key.range(),
                        format!("node selector key `{text}` is not a label key: {why}; the scheduler matches it against node labels, which can never have such a key"),
                    )
                    .help("copy the key from the node's labels (`kubectl get nodes --show-labels`), e.g. `kubernetes.io/arch`");
                }
            }
            // Numbers and booleans are schema-type-mismatch's.
            if let Some(text) = value.as_string() {
                if let Err(why) = label_value(text) {
                    cx.report(
                        value_range(cx.source, value),
                        format!("node selector value `{text}` is not a label value: {why}; no node label can have it, so no node would match"),
                    )
                    .help("copy the value from the node's labels, e.g. `ssd`");
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn selector_entries_are_labels() {
        let good = pod("  nodeSelector:\n    kubernetes.io/arch: arm64\n    disktype: ssd\n  containers:\n  - name: app\n    image: a\n");
        let bad = pod("  nodeSelector:\n    disk type: ssd\n    zone: eu west\n  containers:\n  - name: app\n    image: a\n");
        RuleTest::new(&super::NodeSelectorInvalid::META)
            .pass(&good)
            .fail(&bad, &["disk type", "eu west"])
            .run();
    }
}
