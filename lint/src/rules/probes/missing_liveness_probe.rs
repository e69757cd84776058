use super::helpers::report_missing_probe;
use crate::k8s::Pod;
use crate::rule::{Context, PodRule};

declare_rule! {
    /// ## What it does
    /// Reports a regular container without a `livenessProbe` in a Pod that is meant to keep
    /// running.
    ///
    /// ## Why it matters in a Pod
    /// Kubernetes restarts a container when its process exits, but not when it hangs: a
    /// deadlocked server keeps its process alive and keeps failing requests. A liveness
    /// probe is the kubelet asking "are you still working?" every few seconds; after a few
    /// failures in a row it restarts the container.
    ///
    /// Not checked: init containers (they run to completion), native sidecars (add probes
    /// where a failure would matter, a log shipper often needs none), Job and CronJob Pods,
    /// and Pods with `restartPolicy: OnFailure` or `Never`, which are meant to finish. Bare
    /// Pods are checked, like templates; the `bare-pod` rule covers running them without a
    /// controller.
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
    /// Add a cheap check that fails only when a restart would help, e.g.
    /// `livenessProbe: {httpGet: {path: /healthz, port: 80}}`. Do not make it depend on
    /// databases or other services: if they are down, restarting this container does not
    /// help. For slow starters add a `startupProbe` rather than a long initial delay.
    pub struct MissingLivenessProbe {
        name: "missing-liveness-probe",
        category: Reliability,
        hook: Pod,
        fix: Never,
        summary: "A container has no liveness probe, so a hung process is never restarted",
        enabled: false,
    }
}

impl PodRule for MissingLivenessProbe {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        report_missing_probe(pod, cx, "livenessProbe", |who| {
            format!("{who} has no liveness probe; if it hangs without exiting, Kubernetes will not notice and never restart it")
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn long_running_containers_need_a_liveness_probe() {
        let probed = pod("  containers:\n  - name: app\n    image: a\n    livenessProbe:\n      tcpSocket:\n        port: 80\n");
        let bare = pod("  initContainers:\n  - name: init\n    image: b\n  containers:\n  - name: app\n    image: a\n");
        let run_once = pod("  restartPolicy: Never\n  containers:\n  - name: app\n    image: a\n");
        let job = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\nspec:\n  template:\n    spec:\n      restartPolicy: OnFailure\n      containers:\n      - name: work\n        image: a\n";
        RuleTest::new(&super::MissingLivenessProbe::META)
            .pass(&probed)
            .pass(&run_once)
            .pass(job)
            .fail(&bare, &["name: app"])
            .run();
    }
}
