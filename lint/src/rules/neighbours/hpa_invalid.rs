use crate::k8s::Object;
use crate::rule::{Context, ObjectRule};

declare_rule! {
    /// ## What it does
    /// Reports a HorizontalPodAutoscaler (`autoscaling/v1` or `v2`) the API server refuses or
    /// that cannot work: `minReplicas` above `maxReplicas`, `maxReplicas` below 1,
    /// `minReplicas` below 1, a `scaleTargetRef` without `kind` or `name`, and a utilization
    /// target of 0 or less. (A target that is missing or cannot scale is
    /// `hpa-target-missing`'s.)
    ///
    /// ## Why it matters in a Pod
    /// The autoscaler keeps its target's Pod count between `minReplicas` (1 when left out) and
    /// `maxReplicas`, adding Pods when their average use of a resource passes the target. With
    /// the bounds reversed, or no target named, the object is refused and the workload keeps
    /// a fixed Pod count under any load.
    ///
    /// ## Example
    /// ```yaml
    /// kind: HorizontalPodAutoscaler
    /// spec:
    ///   minReplicas: 10
    ///   maxReplicas: 3
    /// ```
    ///
    /// ## How to fix
    /// Keep `1 <= minReplicas <= maxReplicas`; name the target's `kind` and `name`; use a
    /// positive `averageUtilization` (a percentage of the Pods' requests).
    pub struct HpaInvalid {
        name: "hpa-invalid",
        category: ApiRejects,
        hook: Object,
        fix: Never,
        summary: "A HorizontalPodAutoscaler the API server refuses: min above max, no target, bad utilization",
    }
}

impl ObjectRule for HpaInvalid {
    fn check(&self, object: &Object<'_, '_>, cx: &mut Context<'_>) {
        if object.kind_name() != "HorizontalPodAutoscaler"
            || !object.api_version_name().starts_with("autoscaling/")
        {
            return;
        }
        let Some(spec) = object.root.get("spec").filter(|s| s.is_mapping()) else {
            return;
        };
        let min = spec
            .entry("minReplicas")
            .and_then(|(k, v)| Some((k, v, v.as_i64()?)));
        let max = spec
            .entry("maxReplicas")
            .and_then(|(k, v)| Some((k, v, v.as_i64()?)));
        if let Some((key, value, n)) = max.filter(|m| m.2 < 1) {
            cx.report(
                key.range().cover(value.range()),
                format!("`maxReplicas: {n}` is refused by the API server: the autoscaler needs room for at least 1 Pod"),
            )
            .help("set `maxReplicas` to the most Pods the workload may run");
        }
        if let Some((key, value, n)) = min.filter(|m| m.2 < 1) {
            cx.report(
                key.range().cover(value.range()),
                format!("`minReplicas: {n}` is refused by the API server unless the alpha HPAScaleToZero feature gate is on: the autoscaler keeps at least 1 Pod"),
            )
            .help("set `minReplicas: 1` or more (2 or more keeps the service up while a Pod restarts)");
        }
        if let (Some((key, value, lo)), Some((_, _, hi))) = (min, max) {
            if lo > hi && hi >= 1 {
                cx.report(
                    key.range().cover(value.range()),
                    format!("`minReplicas: {lo}` is above `maxReplicas: {hi}`; the API server refuses it: the autoscaler could never pick a Pod count"),
                )
                .help("swap them, or raise `maxReplicas`");
            }
        }
        target(spec, cx);
        for utilization in spec
            .get("metrics")
            .into_iter()
            .flat_map(|m| m.items())
            .filter_map(|m| m.get("resource").or_else(|| m.get("containerResource")))
            .filter_map(|r| r.get("target"))
            .filter_map(|t| t.entry("averageUtilization"))
            .chain(spec.entry("targetCPUUtilizationPercentage"))
        {
            let (key, value) = utilization;
            if let Some(n) = value.as_i64().filter(|n| *n < 1) {
                cx.report(
                    key.range().cover(value.range()),
                    format!("a utilization target of {n}% is refused by the API server: it is a percentage of the Pods' requests and must be 1 or more"),
                )
                .help("write the average use, in percent of the requests, at which to add Pods (e.g. 70)");
            }
        }
    }
}

fn target(spec: crate::syntax::NodeRef<'_, '_>, cx: &mut Context<'_>) {
    let Some((key, target)) = spec.entry("scaleTargetRef") else {
        return;
    };
    if !target.is_mapping() {
        return;
    }
    for field in ["kind", "name"] {
        if target
            .get(field)
            .and_then(|v| v.as_str())
            .is_none_or(str::is_empty)
        {
            cx.report(
                key.range(),
                format!("`scaleTargetRef` has no `{field}`; the API server refuses it: the autoscaler would not know which workload to scale"),
            )
            .help("write `scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: <workload>}`");
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::RuleTest;

    fn hpa(spec: &str) -> String {
        format!("apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\nspec:\n{spec}")
    }

    #[test]
    fn bounds_targets_and_metrics() {
        let target = "  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n";
        let metric = |n: i64| {
            format!("{target}  maxReplicas: 5\n  metrics:\n  - type: Resource\n    resource:\n      name: cpu\n      target: {{type: Utilization, averageUtilization: {n}}}\n")
        };
        RuleTest::new(&super::HpaInvalid::META)
            .pass(hpa(&format!(
                "{target}  minReplicas: 2\n  maxReplicas: 10\n"
            )))
            .pass(hpa(&metric(70)))
            .fail(
                hpa(&format!("{target}  minReplicas: 10\n  maxReplicas: 3\n")),
                &["minReplicas: 10"],
            )
            .fail(
                hpa(&format!("{target}  minReplicas: 0\n  maxReplicas: 0\n")),
                &["minReplicas: 0", "maxReplicas: 0"],
            )
            .fail(
                hpa("  scaleTargetRef: {kind: Deployment}\n  maxReplicas: 3\n"),
                &["scaleTargetRef"],
            )
            .fail(hpa(&metric(0)), &["averageUtilization: 0"])
            .run();
    }
}
