use crate::k8s::Pod;
use crate::rule::{Context, PodRule};
use crate::{Edit, Fix};

declare_rule! {
    /// ## What it does
    /// Reports a Deployment, StatefulSet, ReplicaSet or ReplicationController whose
    /// `replicas` is below a minimum: 2 unless configured. Off by default.
    ///
    /// ```yaml
    /// # .podlint.yaml
    /// select: [single-replica]
    /// rules:
    ///   single-replica:
    ///     minimum-replicas: 3
    /// ```
    ///
    /// Only a written `replicas` is checked: when it is left out, a HorizontalPodAutoscaler
    /// usually manages it (and Kubernetes starts with 1). `replicas: 0` is a deliberate
    /// scale-down and is not reported.
    ///
    /// ## Why it matters in a Pod
    /// A single Pod is a single point of failure. When its node is drained for an upgrade,
    /// runs out of memory or fails, the Pod is deleted and a new one is scheduled elsewhere;
    /// until its image is pulled and its readiness probe passes, nothing serves requests.
    /// With two or more replicas the Service keeps sending traffic to the others, and
    /// rolling updates replace them one at a time without downtime.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Deployment
    /// spec:
    ///   replicas: 1
    /// ```
    ///
    /// ## How to fix
    /// Raise `replicas` to the minimum or more, and make sure the app can run as several
    /// copies (no local state, no singleton jobs inside). The fix sets the minimum; it is
    /// unsafe because it adds Pods that need room in the cluster.
    pub struct SingleReplica {
        name: "single-replica",
        category: Reliability,
        hook: Pod,
        fix: Always,
        summary: "A workload runs fewer replicas than the configured minimum (2)",
        options: SingleReplicaOptions,
        severity: Info,
        enabled: false,
    }
}

rule_options! {
    /// The options of [`SingleReplica`].
    pub struct SingleReplicaOptions {
        /// The smallest `replicas` a workload may run.
        "minimum-replicas" minimum_replicas: u32 = 2,
    }
}

impl PodRule for SingleReplica {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        let Some((key, value)) = pod.replicas() else {
            return;
        };
        let Some(replicas) = value.as_i64() else {
            return;
        };
        let minimum = i64::from(cx.options::<SingleReplicaOptions>().minimum_replicas);
        if replicas == 0 || replicas >= minimum {
            return;
        }
        let kind = pod.kind_name();
        let name = pod.object.name().unwrap_or("?");
        let what = if replicas == 1 {
            "a single Pod".to_string()
        } else {
            format!("{replicas} Pods")
        };
        cx.report(
            key.range().cover(value.range()),
            format!("{kind} `{name}` runs {what}, fewer than the minimum of {minimum}: when a node is drained or fails, the app is down until a replacement is scheduled, pulled and ready"),
        )
        .help(format!("set `replicas: {minimum}` or more, so the Service keeps routing to the others while one is replaced"))
        .fix(Fix::unsafe_(
            format!("Set `replicas: {minimum}`"),
            vec![Edit::replace(value.range(), minimum.to_string())],
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::RuleTest;
    use crate::settings::Settings;

    fn deployment(replicas: &str) -> String {
        format!("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: my-app\nspec:\n{replicas}  selector:\n    matchLabels: {{app: my-app}}\n  template:\n    metadata:\n      labels: {{app: my-app}}\n    spec:\n      containers: [{{name: app, image: my-app:1.0}}]\n")
    }

    #[test]
    fn below_the_default_minimum_of_two() {
        RuleTest::new(&super::SingleReplica::META)
            .pass(deployment(""))
            .pass(deployment("  replicas: 0\n"))
            .pass(deployment("  replicas: 2\n"))
            .fail(deployment("  replicas: 1\n"), &["replicas: 1"])
            .fix(deployment("  replicas: 1\n"), deployment("  replicas: 2\n"))
            .run();
    }

    #[test]
    fn the_minimum_is_configurable() {
        RuleTest::new(&super::SingleReplica::META)
            .options("minimum-replicas: 3")
            .pass(deployment("  replicas: 3\n"))
            .fail(deployment("  replicas: 2\n"), &["replicas: 2"])
            .run_inline();
        let mut settings = Settings::only(&["single-replica"]);
        settings
            .configure("single-replica", "minimum-replicas: 3")
            .unwrap();
        let found = crate::lint(&deployment("  replicas: 2\n"), &settings);
        assert!(
            found[0].message.contains("minimum of 3"),
            "{}",
            found[0].message
        );
    }
}
