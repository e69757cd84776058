use crate::k8s::{Pod, WorkloadKind};
use crate::rule::{Context, PodRule};

declare_rule! {
    /// ## What it does
    /// Reports a Deployment whose `strategy.type` is `Recreate`.
    ///
    /// ## Why it matters in a Pod
    /// With `Recreate`, a new version is rolled out by deleting every old Pod first and only
    /// then starting the new ones: between the two, the Deployment serves nothing. The default,
    /// `RollingUpdate`, replaces Pods a few at a time and waits for each new one to be ready,
    /// so the app stays up. `Recreate` is right only when two versions must never run together
    /// (a ReadWriteOnce volume, an incompatible schema migration): suppress this finding there.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Deployment
    /// spec:
    ///   strategy:
    ///     type: Recreate
    /// ```
    ///
    /// ## How to fix
    /// Remove `strategy` (RollingUpdate is the default) or set `type: RollingUpdate`.
    pub struct NoRollingUpdate {
        name: "no-rolling-update",
        category: Reliability,
        hook: Pod,
        fix: Never,
        summary: "A Deployment is updated by Recreate, with downtime",
        severity: Info,
    }
}

impl PodRule for NoRollingUpdate {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        if pod.workload != WorkloadKind::Deployment {
            return;
        }
        let Some(strategy) = pod.object.root.at(&["spec", "strategy"]) else {
            return;
        };
        let Some((key, value)) = strategy.entry("type") else {
            return;
        };
        if value.as_str() != Some("Recreate") {
            return;
        }
        cx.report(
            key.range().cover(value.range()),
            format!(
                "Deployment `{}` is updated by `Recreate`: every old Pod is deleted before a new one starts, so each rollout is an outage",
                pod.object.name().unwrap_or("?")
            ),
        )
        .help("use `type: RollingUpdate` (the default) unless two versions must never run side by side");
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::RuleTest;

    fn deployment(strategy: &str) -> String {
        format!("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: my-app\nspec:\n{strategy}  selector:\n    matchLabels: {{app: my-app}}\n  template:\n    metadata:\n      labels: {{app: my-app}}\n    spec:\n      containers: [{{name: app, image: my-app:1.0}}]\n")
    }

    #[test]
    fn recreate_means_downtime() {
        RuleTest::new(&super::NoRollingUpdate::META)
            .pass(deployment(""))
            .pass(deployment("  strategy:\n    type: RollingUpdate\n"))
            .fail(
                deployment("  strategy:\n    type: Recreate\n"),
                &["type: Recreate"],
            )
            .run();
    }
}
