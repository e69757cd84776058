use crate::diagnostic::Fix;
use crate::k8s::Pod;
use crate::rule::{Context, PodRule};
use crate::rules::edits::replace_scalar;
use crate::syntax::NodeRef;

/// Deprecated node labels: (label, deprecated since, replacement), as the API server lists them.
const DEPRECATED: &[(&str, Option<&str>, Option<&str>)] = &[
    (
        "beta.kubernetes.io/arch",
        Some("1.14"),
        Some("kubernetes.io/arch"),
    ),
    (
        "beta.kubernetes.io/os",
        Some("1.14"),
        Some("kubernetes.io/os"),
    ),
    (
        "failure-domain.beta.kubernetes.io/region",
        Some("1.17"),
        Some("topology.kubernetes.io/region"),
    ),
    (
        "failure-domain.beta.kubernetes.io/zone",
        Some("1.17"),
        Some("topology.kubernetes.io/zone"),
    ),
    (
        "beta.kubernetes.io/instance-type",
        Some("1.17"),
        Some("node.kubernetes.io/instance-type"),
    ),
    (
        "node-role.kubernetes.io/master",
        None,
        Some("node-role.kubernetes.io/control-plane"),
    ),
    ("app.kubernetes.io/created-by", Some("1.9"), None),
    (
        "scheduler.alpha.kubernetes.io/preferAvoidPods",
        Some("1.22"),
        None,
    ),
];

declare_rule! {
    /// ## What it does
    /// Reports deprecated node labels where a Pod chooses its nodes: `nodeSelector` keys, the
    /// `matchExpressions` keys of node affinity terms, and the `topologyKey` of topology spread
    /// constraints. For example `beta.kubernetes.io/os` (now `kubernetes.io/os`),
    /// `failure-domain.beta.kubernetes.io/zone` (now `topology.kubernetes.io/zone`) and
    /// `node-role.kubernetes.io/master` (now `node-role.kubernetes.io/control-plane`).
    ///
    /// ## Why it matters in a Pod
    /// The scheduler matches these keys against the labels on each node. Nodes are set up with
    /// the new labels, and support for the old ones is being removed; a selector on an old
    /// label can suddenly match no node, and the Pod stays `Pending`. The API server warns
    /// about each one.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   nodeSelector:
    ///     beta.kubernetes.io/os: linux
    /// ```
    ///
    /// ## How to fix
    /// Use the label that replaced it. The fix does so; check that your nodes carry it
    /// (`kubectl get nodes --show-labels`).
    pub struct DeprecatedNodeLabel {
        name: "deprecated-node-label",
        category: ApiWarns,
        hook: Pod,
        fix: Sometimes,
        summary: "A node selector, affinity or topology key uses a deprecated node label",
    }
}

impl PodRule for DeprecatedNodeLabel {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        if let Some(selector) = pod.spec.get("nodeSelector") {
            for (key, _) in selector.entries() {
                check(key, "`nodeSelector`", Some(selector), cx);
            }
        }
        if let Some(node_affinity) = pod.spec.at(&["affinity", "nodeAffinity"]) {
            let required = node_affinity.at(&[
                "requiredDuringSchedulingIgnoredDuringExecution",
                "nodeSelectorTerms",
            ]);
            let preferred = node_affinity
                .get("preferredDuringSchedulingIgnoredDuringExecution")
                .into_iter()
                .flat_map(|l| l.items())
                .filter_map(|p| p.get("preference"));
            let terms = required
                .into_iter()
                .flat_map(|l| l.items())
                .chain(preferred);
            for term in terms {
                let expressions = term.get("matchExpressions");
                for expression in expressions.into_iter().flat_map(|l| l.items()) {
                    if let Some(key) = expression.get("key") {
                        check(key, "node affinity", None, cx);
                    }
                }
            }
        }
        let constraints = pod.spec.get("topologySpreadConstraints");
        for constraint in constraints.into_iter().flat_map(|l| l.items()) {
            if let Some(key) = constraint.get("topologyKey") {
                check(key, "a topology spread constraint", None, cx);
            }
        }
    }
}

/// `mapping` is the `nodeSelector` the key sits in: renaming a key it already has would
/// write the key twice, so there is no fix then.
fn check(
    key: NodeRef<'_, '_>,
    place: &str,
    mapping: Option<NodeRef<'_, '_>>,
    cx: &mut Context<'_>,
) {
    let Some(label) = key.as_string() else {
        return;
    };
    let Some(&(_, since, replacement)) = DEPRECATED.iter().find(|(l, _, _)| *l == label) else {
        return;
    };
    let since = since.map_or(String::new(), |v| format!(" since Kubernetes {v}"));
    let message = format!("{place} uses the node label `{label}`, deprecated{since}; nodes may no longer carry it, and then the Pod matches no node");
    match replacement {
        Some(new) if mapping.is_none_or(|m| m.get(new).is_none()) => {
            let edit = replace_scalar(cx.source, key, new);
            cx.report(key.range(), message)
                .help(format!("use `{new}` instead"))
                .fix(Fix::unsafe_(format!("Use `{new}`"), vec![edit]));
        }
        Some(new) => {
            cx.report(key.range(), message)
                .help(format!("remove it; `{new}` is already there"));
        }
        None => {
            cx.report(key.range(), message)
                .help("remove it; it has no replacement label");
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn old_node_labels_are_reported_where_nodes_are_chosen() {
        let both = pod("  nodeSelector:\n    beta.kubernetes.io/os: linux\n    kubernetes.io/os: linux\n  containers:\n  - name: app\n    image: a\n");
        assert!(
            crate::lint(&both, &crate::Settings::only(&["deprecated-node-label"]))[0]
                .fix
                .is_none()
        );
        let current = pod("  nodeSelector:\n    kubernetes.io/os: linux\n  topologySpreadConstraints:\n  - maxSkew: 1\n    topologyKey: topology.kubernetes.io/zone\n    whenUnsatisfiable: DoNotSchedule\n    labelSelector: {matchLabels: {app: web}}\n  containers:\n  - name: app\n    image: a\n");
        let old = pod("  nodeSelector:\n    beta.kubernetes.io/os: linux\n  affinity:\n    nodeAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n        nodeSelectorTerms:\n        - matchExpressions:\n          - {key: node-role.kubernetes.io/master, operator: DoesNotExist}\n      preferredDuringSchedulingIgnoredDuringExecution:\n      - weight: 1\n        preference:\n          matchExpressions:\n          - {key: beta.kubernetes.io/instance-type, operator: In, values: [m5.large]}\n  topologySpreadConstraints:\n  - maxSkew: 1\n    topologyKey: failure-domain.beta.kubernetes.io/zone\n    whenUnsatisfiable: DoNotSchedule\n    labelSelector: {matchLabels: {app: web}}\n  containers:\n  - name: app\n    image: a\n");
        RuleTest::new(&super::DeprecatedNodeLabel::META)
            .pass(&current)
            .fail(
                &old,
                &[
                    "beta.kubernetes.io/os",
                    "node-role.kubernetes.io/master",
                    "beta.kubernetes.io/instance-type",
                    "failure-domain.beta.kubernetes.io/zone",
                ],
            )
            .run();
    }
}
