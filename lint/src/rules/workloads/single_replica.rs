use crate::k8s::Pod;
use crate::rule::{Context, PodRule};
use crate::{Edit, Fix};

/// The option that sets the smallest acceptable `replicas`.
const OPTION: &str = "minimum-replicas";
const DEFAULT_MINIMUM: i64 = 2;

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
        severity: Info,
        enabled: false,
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
        let minimum = cx
            .settings
            .option::<i64>(Self::META.name, OPTION)
            .unwrap_or(DEFAULT_MINIMUM);
        if replicas == 0 || replicas >= minimum {
            return;
        }
        let kind = pod.workload.name();
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
    use crate::config::OptionValue;
    use crate::rules::test::assert_rule;
    use crate::settings::Settings;

    fn deployment(replicas: &str) -> String {
        format!("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: my-app\nspec:\n{replicas}  selector:\n    matchLabels: {{app: my-app}}\n  template:\n    metadata:\n      labels: {{app: my-app}}\n    spec:\n      containers: [{{name: app, image: my-app:1.0}}]\n")
    }

    #[test]
    fn below_the_default_minimum_of_two() {
        assert_rule(
            "single-replica",
            &[
                &deployment(""),
                &deployment("  replicas: 0\n"),
                &deployment("  replicas: 2\n"),
            ],
            &[(&deployment("  replicas: 1\n"), &["replicas: 1"])],
        );
    }

    #[test]
    fn the_minimum_is_configurable() {
        let mut settings = Settings::only(&["single-replica"]);
        settings
            .options_mut()
            .set("single-replica", "minimum-replicas", OptionValue::Int(3));
        let found = crate::lint(&deployment("  replicas: 2\n"), &settings);
        assert_eq!(found.len(), 1);
        assert!(
            found[0].message.contains("minimum of 3"),
            "{}",
            found[0].message
        );
        assert!(crate::lint(&deployment("  replicas: 3\n"), &settings).is_empty());
    }
}
