use crate::k8s::security::pod_anchor;
use crate::k8s::Pod;
use crate::rule::{Context, PodRule};

declare_rule! {
    /// ## What it does
    /// Reports the Pod template of a Deployment, StatefulSet, ReplicaSet or
    /// ReplicationController without `topologySpreadConstraints`. Jobs, CronJobs and
    /// DaemonSets are skipped (a DaemonSet already runs one Pod per node), as are workloads
    /// with `replicas: 0` or `1`. Off by default.
    ///
    /// ## Why it matters in a Pod
    /// Topology spread constraints tell the scheduler to balance a workload's Pods across
    /// failure domains — nodes, and zones of a cloud region. Without them the Pods go
    /// wherever there is room, and a whole zone outage or one busy node can hold most of the
    /// replicas. They also keep the spread as the workload scales, which a fixed
    /// anti-affinity rule cannot do once there are more replicas than nodes.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Deployment
    /// spec:
    ///   replicas: 3
    ///   template:
    ///     spec:
    ///       containers: [{name: app, image: my-app:1.0}]
    /// ```
    ///
    /// ## How to fix
    /// Spread the Pods across zones (and nodes), selecting the template's own labels:
    /// ```yaml
    /// topologySpreadConstraints:
    /// - maxSkew: 1
    ///   topologyKey: topology.kubernetes.io/zone
    ///   whenUnsatisfiable: ScheduleAnyway
    ///   labelSelector:
    ///     matchLabels: {app: my-app}
    /// ```
    pub struct NoTopologySpread {
        name: "no-topology-spread",
        category: Reliability,
        hook: Pod,
        fix: Never,
        summary: "A workload's Pods are not spread across nodes or zones",
        severity: Info,
        enabled: false,
    }
}

impl PodRule for NoTopologySpread {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        if !pod.workload.has_replicas() {
            return;
        }
        if pod
            .replicas()
            .and_then(|(_, r)| r.as_i64())
            .is_some_and(|r| r <= 1)
        {
            return;
        }
        if pod
            .spec
            .get("topologySpreadConstraints")
            .is_some_and(|t| t.items().next().is_some())
        {
            return;
        }
        let kind = pod.kind_name();
        let name = pod.object.name().unwrap_or("?");
        cx.report(
            pod_anchor(pod),
            format!("the Pods of {kind} `{name}` have no `topologySpreadConstraints`: the scheduler may pack the replicas into one zone or onto one node, where a single outage takes them all"),
        )
        .help("add `topologySpreadConstraints` with `maxSkew: 1`, `topologyKey: topology.kubernetes.io/zone` (or `kubernetes.io/hostname`), `whenUnsatisfiable: ScheduleAnyway` and a `labelSelector` matching the template's labels");
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    fn workload(kind: &str, replicas: &str, spec: &str) -> String {
        format!("apiVersion: apps/v1\nkind: {kind}\nmetadata:\n  name: my-app\nspec:\n{replicas}  selector:\n    matchLabels: {{app: my-app}}\n  template:\n    metadata:\n      labels: {{app: my-app}}\n    spec:\n{spec}      containers: [{{name: app, image: my-app:1.0}}]\n")
    }

    #[test]
    fn replicated_workloads_spread() {
        let spread = "      topologySpreadConstraints:\n      - {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: ScheduleAnyway, labelSelector: {matchLabels: {app: my-app}}}\n";
        RuleTest::new(&super::NoTopologySpread::META)
            .pass(workload("Deployment", "  replicas: 3\n", spread))
            .pass(workload("Deployment", "  replicas: 1\n", ""))
            .pass(workload("DaemonSet", "", ""))
            .pass(pod("  containers: [{name: app, image: a}]\n"))
            .fail(workload("Deployment", "  replicas: 3\n", ""), &["spec"])
            .fail(workload("StatefulSet", "", ""), &["spec"])
            .run();
    }
}
