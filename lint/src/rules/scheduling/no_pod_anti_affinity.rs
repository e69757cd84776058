use crate::k8s::Pod;
use crate::project::{string_map, LabelSelector};
use crate::rule::{Context, PodRule};
use crate::syntax::NodeRef;

declare_rule! {
    /// ## What it does
    /// Reports a Deployment, StatefulSet, ReplicaSet or ReplicationController with more than
    /// one replica whose Pods have no `podAntiAffinity` term and no
    /// `topologySpreadConstraints` entry whose `labelSelector` matches the Pods' own labels:
    /// nothing keeps the replicas on different nodes. (A term selecting another app's Pods
    /// keeps this one away from those, not its replicas from each other.) Off by default.
    ///
    /// ## Why it matters in a Pod
    /// Replicas exist so that losing one Pod does not take the app down. The scheduler is
    /// free to put all of them on the same node, and often does when that node has the most
    /// room. Then one node failure, kernel upgrade or drain stops every replica at once, and
    /// the app is down exactly as if it had one. Pod anti-affinity tells the scheduler to
    /// keep Pods with the same labels apart.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Deployment
    /// spec:
    ///   replicas: 3
    ///   template:
    ///     metadata:
    ///       labels: {app: my-app}
    ///     spec:
    ///       containers: [{name: app, image: my-app:1.0}]
    /// ```
    ///
    /// ## How to fix
    /// Add a preferred anti-affinity on the node's hostname, selecting the template's own
    /// labels (preferred, so the Pods still schedule when there are fewer nodes than
    /// replicas), or spread them with `topologySpreadConstraints`:
    /// ```yaml
    /// affinity:
    ///   podAntiAffinity:
    ///     preferredDuringSchedulingIgnoredDuringExecution:
    ///     - weight: 100
    ///       podAffinityTerm:
    ///         topologyKey: kubernetes.io/hostname
    ///         labelSelector:
    ///           matchLabels: {app: my-app}
    /// ```
    pub struct NoPodAntiAffinity {
        name: "no-pod-anti-affinity",
        category: Reliability,
        hook: Pod,
        fix: Never,
        summary: "Replicas of a workload may all land on one node",
        severity: Info,
        enabled: false,
    }
}

impl PodRule for NoPodAntiAffinity {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        // Omitted replicas means one (or an autoscaler's choice): only a written count of two
        // or more says the Pods are meant to back each other up.
        let Some((key, value)) = pod.replicas() else {
            return;
        };
        let Some(replicas) = value.as_i64().filter(|r| *r > 1) else {
            return;
        };
        // Only a term that selects the Pod's own labels keeps its replicas apart; one that
        // selects another app's Pods keeps this one away from those.
        let own = pod
            .metadata()
            .and_then(|m| m.get("labels"))
            .and_then(string_map)
            .unwrap_or_default();
        let selects_own = |term: NodeRef<'_, '_>| {
            term.get("labelSelector")
                .and_then(LabelSelector::from_label_selector)
                .is_some_and(|s| s.matches(&own))
        };
        let anti = pod.spec.at(&["affinity", "podAntiAffinity"]);
        let required = anti
            .and_then(|a| a.get("requiredDuringSchedulingIgnoredDuringExecution"))
            .into_iter()
            .flat_map(|l| l.items());
        let preferred = anti
            .and_then(|a| a.get("preferredDuringSchedulingIgnoredDuringExecution"))
            .into_iter()
            .flat_map(|l| l.items())
            .filter_map(|p| p.get("podAffinityTerm"));
        let spread = pod
            .spec
            .get("topologySpreadConstraints")
            .into_iter()
            .flat_map(|l| l.items());
        if required.chain(preferred).chain(spread).any(selects_own) {
            return;
        }
        let kind = pod.kind_name();
        let name = pod.object.name().unwrap_or("?");
        cx.report(
            key.range().cover(value.range()),
            format!("{kind} `{name}` runs {replicas} replicas, but nothing keeps them apart: the scheduler may put them all on one node, and that node's failure or drain stops every replica at once"),
        )
        .help("add `affinity.podAntiAffinity` with `topologyKey: kubernetes.io/hostname` whose `labelSelector` matches the template's own labels (preferred, so Pods still schedule on a small cluster), or `topologySpreadConstraints`");
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::RuleTest;

    fn deployment(replicas: &str, spec: &str) -> String {
        format!("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: my-app\nspec:\n{replicas}  selector:\n    matchLabels: {{app: my-app}}\n  template:\n    metadata:\n      labels: {{app: my-app}}\n    spec:\n{spec}      containers: [{{name: app, image: my-app:1.0}}]\n")
    }

    #[test]
    fn replicas_need_to_be_kept_apart() {
        let anti = "      affinity:\n        podAntiAffinity:\n          preferredDuringSchedulingIgnoredDuringExecution:\n          - weight: 100\n            podAffinityTerm:\n              topologyKey: kubernetes.io/hostname\n              labelSelector: {matchLabels: {app: my-app}}\n";
        let spread = "      topologySpreadConstraints:\n      - {maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: ScheduleAnyway, labelSelector: {matchLabels: {app: my-app}}}\n";
        RuleTest::new(&super::NoPodAntiAffinity::META)
            .pass(deployment("", ""))
            .pass(deployment("  replicas: 1\n", ""))
            .pass(deployment("  replicas: 3\n", anti))
            .pass(deployment("  replicas: 3\n", spread))
            .fail(deployment("  replicas: 3\n", ""), &["replicas: 3"])
            .fail(
                deployment(
                    "  replicas: 3\n",
                    &anti.replace("app: my-app", "app: cache"),
                ),
                &["replicas: 3"],
            )
            .fail(
                deployment(
                    "  replicas: 3\n",
                    &spread.replace(", labelSelector: {matchLabels: {app: my-app}}", ""),
                ),
                &["replicas: 3"],
            )
            .run();
    }
}
