use crate::k8s::security::pod_anchor;
use crate::k8s::Pod;
use crate::rule::{Context, PodRule};

declare_rule! {
    /// ## What it does
    /// Reports a Pod or Pod template that says nothing about which nodes it may run on:
    /// no `affinity.nodeAffinity` and no `nodeSelector`. Off by default: enable it in
    /// clusters with distinct node pools (GPU, spot, arm64, dedicated) where every workload
    /// should choose one.
    ///
    /// ## Why it matters in a Pod
    /// Without node constraints the scheduler may place the Pod on any node with room: a
    /// spot node that disappears with two minutes' notice, a GPU node that costs ten times
    /// more, or an arm64 node where an amd64-only image cannot start (`exec format error`).
    /// `nodeSelector` is the simple form (exact label matches); `nodeAffinity` adds
    /// operators and soft preferences.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Pod
    /// spec:
    ///   containers:
    ///   - name: app
    ///     image: my-app:1.0
    /// ```
    ///
    /// ## How to fix
    /// Pick the node pool with a `nodeSelector` (`nodeSelector: {kubernetes.io/arch: amd64}`)
    /// or with `affinity.nodeAffinity` when you need `In`/`NotIn` or a preference:
    /// ```yaml
    /// affinity:
    ///   nodeAffinity:
    ///     requiredDuringSchedulingIgnoredDuringExecution:
    ///       nodeSelectorTerms:
    ///       - matchExpressions:
    ///         - {key: node.kubernetes.io/pool, operator: In, values: [general]}
    /// ```
    pub struct NoNodeAffinity {
        name: "no-node-affinity",
        category: Reliability,
        hook: Pod,
        fix: Never,
        summary: "A Pod sets neither node affinity nor a node selector",
        severity: Info,
        enabled: false,
    }
}

impl PodRule for NoNodeAffinity {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        let has_affinity = pod.spec.at(&["affinity", "nodeAffinity"]).is_some();
        let has_selector = pod
            .spec
            .get("nodeSelector")
            .is_some_and(|s| s.entries().next().is_some());
        // `nodeName` bypasses the scheduler altogether: the node is already chosen.
        if has_affinity || has_selector || pod.spec.get("nodeName").is_some() {
            return;
        }
        let whose = match pod.object.name() {
            Some(name) if pod.is_bare_pod() => format!("Pod `{name}`"),
            Some(name) => format!("the Pods of {} `{name}`", pod.kind_name()),
            None => "this Pod".to_string(),
        };
        cx.report(
            pod_anchor(pod),
            format!("{whose} may be scheduled on any node: with neither `nodeSelector` nor `affinity.nodeAffinity`, it can land on a spot, GPU or other-architecture node it was not meant for"),
        )
        .help("choose the node pool with `nodeSelector` (exact labels, e.g. `kubernetes.io/arch: amd64`) or `affinity.nodeAffinity` (operators and preferences)");
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn pods_choose_their_nodes() {
        let selector = pod("  nodeSelector:\n    kubernetes.io/arch: amd64\n  containers: [{name: app, image: a}]\n");
        let affinity = pod("  affinity:\n    nodeAffinity:\n      preferredDuringSchedulingIgnoredDuringExecution:\n      - weight: 1\n        preference:\n          matchExpressions: [{key: pool, operator: In, values: [general]}]\n  containers: [{name: app, image: a}]\n");
        let empty = pod("  nodeSelector: {}\n  containers: [{name: app, image: a}]\n");
        RuleTest::new(&super::NoNodeAffinity::META)
            .pass(&selector)
            .pass(&affinity)
            .fail(&empty, &["spec"])
            .run();
    }
}
