use std::collections::HashMap;

use crate::k8s::{names, Pod};
use crate::rule::{Context, PodRule};
use crate::rules::edits::entry_range;
use crate::text::TextRange;

declare_rule! {
    /// ## What it does
    /// Checks `readinessGates` and `schedulingGates`: each `conditionType` and gate `name` must
    /// be a qualified name (an optional DNS-subdomain prefix and `/`, then up to 63 letters,
    /// digits, `-`, `_` and `.`), a scheduling gate may be listed once, and a Pod that already
    /// names its node (`nodeName`) may not have scheduling gates.
    ///
    /// ## Why it matters in a Pod
    /// A readiness gate makes the Pod Ready only once a controller sets the named condition,
    /// and a scheduling gate keeps the Pod away from the scheduler until a controller removes
    /// it. Both are matched by name, so the API server insists on names a controller can
    /// write. A Pod with `nodeName` skips the scheduler altogether, so holding it back with a
    /// scheduling gate is a contradiction the API server refuses.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   readinessGates:
    ///   - conditionType: "load balancer ready"
    ///   schedulingGates:
    ///   - name: example.com/quota
    ///   - name: example.com/quota
    /// ```
    ///
    /// ## How to fix
    /// Use the exact condition or gate name the controller documents (e.g.
    /// `target-health.elbv2.k8s.aws/my-target-group`), list each gate once, and leave
    /// `nodeName` to the scheduler when the Pod has gates.
    pub struct GatesInvalid {
        name: "gates-invalid",
        category: ApiRejects,
        hook: Pod,
        fix: Never,
        summary: "A readiness or scheduling gate has an invalid or repeated name",
    }
}

impl PodRule for GatesInvalid {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        let readiness = pod.spec.get("readinessGates");
        for gate in readiness.into_iter().flat_map(|l| l.items()) {
            if let Some(node) = gate.get("conditionType") {
                if let Some(Err(why)) = node.as_string().map(names::qualified_name) {
                    let text = node.as_str().unwrap_or_default();
                    cx.report(
                        node.range(),
                        format!("readiness gate `{text}` is not a valid condition type: {why}"),
                    )
                    .help("use the condition type the controller sets, e.g. `target-health.elbv2.k8s.aws/my-target-group`");
                }
            }
        }
        let mut seen: HashMap<&str, TextRange> = HashMap::new();
        let scheduling = pod.spec.get("schedulingGates");
        for gate in scheduling.into_iter().flat_map(|l| l.items()) {
            let Some(node) = gate.get("name") else {
                continue;
            };
            let Some(name) = node.as_string() else {
                continue;
            };
            if let Err(why) = names::qualified_name(name) {
                cx.report(
                    node.range(),
                    format!("scheduling gate `{name}` is not a valid name: {why}"),
                )
                .help("use the gate name the controller that removes it documents, e.g. `example.com/quota`");
            } else if let Some(first) = seen.get(name) {
                cx.report(
                    node.range(),
                    format!("scheduling gate `{name}` is listed twice; the API server accepts each gate once"),
                )
                .label(*first, "first listed here")
                .help("remove the repeated entry");
            } else {
                seen.insert(name, node.range());
            }
        }
        check_node_name(pod, cx);
    }
}

/// A Pod created with `nodeName` is bound already; gates would hold back a Pod the scheduler
/// never sees. Only a Pod is checked: a template's Pods may be gated or bound later.
fn check_node_name(pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
    if !pod.is_bare_pod() {
        return;
    }
    let Some((gates_key, gates)) = pod.spec.entry("schedulingGates") else {
        return;
    };
    if gates.items().next().is_none() {
        return;
    }
    let Some((key, value)) = pod
        .spec
        .entry("nodeName")
        .filter(|(_, v)| v.as_string().is_some_and(|n| !n.is_empty()))
    else {
        return;
    };
    cx.report(
        entry_range(cx.source, key, value),
        "a Pod with `nodeName` is bound to its node and skips the scheduler, so the API server refuses it while it still has `schedulingGates`",
    )
    .label(gates_key.range(), "the Pod waits for these gates to be removed")
    .help("remove `nodeName` and let the scheduler place the Pod once the gates are cleared, or remove `schedulingGates`");
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn gate_names_are_qualified_and_unique() {
        let good = pod("  readinessGates:\n  - conditionType: target-health.elbv2.k8s.aws/web\n  schedulingGates:\n  - name: example.com/quota\n  - name: example.com/capacity\n  containers:\n  - name: app\n    image: a\n");
        let bad = pod("  readinessGates:\n  - conditionType: \"lb ready\"\n  schedulingGates:\n  - name: example.com/quota\n  - name: example.com/quota\n  - name: -gate\n  containers:\n  - name: app\n    image: a\n");
        RuleTest::new(&super::GatesInvalid::META)
            .pass(&good)
            .fail(&bad, &["\"lb ready\"", "example.com/quota", "-gate"])
            .run();
    }

    #[test]
    fn bound_pods_cannot_wait_for_the_scheduler() {
        let bound = pod("  nodeName: worker-1\n  schedulingGates:\n  - name: example.com/quota\n  containers:\n  - name: app\n    image: a\n");
        let template = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      nodeName: worker-1\n      schedulingGates:\n      - name: example.com/quota\n      containers:\n      - name: app\n        image: a\n";
        RuleTest::new(&super::GatesInvalid::META)
            .pass(template)
            .fail(&bound, &["nodeName: worker-1"])
            .run_inline();
    }
}
