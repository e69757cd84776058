use super::helpers::report_missing_probe;
use crate::k8s::Pod;
use crate::rule::{Context, PodRule};

declare_rule! {
    /// ## What it does
    /// Reports a regular container without a `readinessProbe` in a Pod that is meant to keep
    /// running.
    ///
    /// ## Why it matters in a Pod
    /// A Service only sends traffic to Pods that are *ready*. Without a readiness probe a
    /// container counts as ready the moment its process starts — before the app has loaded
    /// its configuration, warmed its caches or opened its port — so the first requests after
    /// every start or rollout fail. The probe also takes a Pod out of rotation while it is
    /// overloaded, without restarting it. All containers of a Pod must be ready for the Pod
    /// to be ready.
    ///
    /// Not checked: init containers, native sidecars, Job and CronJob Pods, and Pods with
    /// `restartPolicy: OnFailure` or `Never`, which serve no traffic. Bare Pods are checked,
    /// like templates.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    /// - name: app
    ///   image: nginx:1.25
    ///   ports:
    ///   - containerPort: 80
    /// ```
    ///
    /// ## How to fix
    /// Add a check that passes once the app can serve requests, e.g.
    /// `readinessProbe: {httpGet: {path: /ready, port: 80}}`. A container that serves no
    /// traffic (a worker) can use a simple `exec` check, or you can turn this rule off for it.
    pub struct MissingReadinessProbe {
        name: "missing-readiness-probe",
        category: Reliability,
        hook: Pod,
        fix: Never,
        summary: "A container has no readiness probe, so it gets traffic before it is ready",
        enabled: false,
    }
}

impl PodRule for MissingReadinessProbe {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        report_missing_probe(pod, cx, "readinessProbe", |who| {
            format!("{who} has no readiness probe, so it counts as ready as soon as it starts; Services may send the Pod requests before the app can answer them")
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn long_running_containers_need_a_readiness_probe() {
        let probed = pod("  containers:\n  - name: web\n    image: a\n    readinessProbe:\n      httpGet:\n        path: /\n        port: 80\n");
        let two = pod("  containers:\n  - name: web\n    image: a\n    readinessProbe:\n      httpGet:\n        path: /\n        port: 80\n  - name: log-forwarder\n    image: b\n");
        let sidecar = pod("  initContainers:\n  - name: proxy\n    image: b\n    restartPolicy: Always\n  containers:\n  - name: web\n    image: a\n    readinessProbe:\n      tcpSocket:\n        port: 80\n");
        RuleTest::new(&super::MissingReadinessProbe::META)
            .pass(&probed)
            .pass(&sidecar)
            .fail(&two, &["name: log-forwarder"])
            .run();
    }
}
