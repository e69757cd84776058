use crate::diagnostic::Fix;
use crate::k8s::{ContainerKind, Pod};
use crate::rule::{Context, PodRule};
use crate::rules::edits::delete_entry_lines;

declare_rule! {
    /// ## What it does
    /// Reports `livenessProbe`, `readinessProbe`, `startupProbe` or `lifecycle` on an init
    /// container that is not a native sidecar (one without `restartPolicy: Always`).
    ///
    /// ## Why it matters in a Pod
    /// Init containers run to completion, one after another, before the app containers
    /// start: each must exit successfully for the next to begin. Probes and lifecycle hooks
    /// are for containers that keep running — a liveness probe restarts a hung process, a
    /// readiness probe decides whether a running Pod gets traffic — so on a container that
    /// is meant to exit they have no meaning, and the API server rejects the Pod ("may not be
    /// set for init containers without restartPolicy=Always").
    ///
    /// ## Example
    /// ```yaml
    /// initContainers:
    /// - name: init-db-check
    ///   image: busybox:1.36
    ///   command: ['sh', '-c', 'until nc -z db-service 5432; do sleep 2; done']
    ///   readinessProbe:
    ///     exec:
    ///       command: ['true']
    /// ```
    ///
    /// ## How to fix
    /// Remove the probe: the init container's exit code already says whether it succeeded.
    /// If the container should instead keep running beside the app (a proxy, a log shipper),
    /// make it a native sidecar with `restartPolicy: Always` (Kubernetes 1.29+); sidecars
    /// may have probes. The fix deletes the block; it is unsafe because you may have meant a
    /// sidecar.
    pub struct InitContainerProbesForbidden {
        name: "init-container-probes-forbidden",
        category: ApiRejects,
        hook: Pod,
        fix: Sometimes,
        summary: "An init container has a probe or lifecycle hook but is not a sidecar",
    }
}

const FIELDS: [&str; 4] = [
    "livenessProbe",
    "readinessProbe",
    "startupProbe",
    "lifecycle",
];

impl PodRule for InitContainerProbesForbidden {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        let source = cx.source;
        for container in pod.containers_of(ContainerKind::Init) {
            if container.is_sidecar() {
                continue;
            }
            for field in FIELDS {
                let Some((key, value)) = container.node.entry(field) else {
                    continue;
                };
                if value.is_null() {
                    continue;
                }
                let what = if field == "lifecycle" {
                    "lifecycle hooks"
                } else {
                    "probes"
                };
                let who = container.who();
                let d = cx.report(
                    key.range(),
                    format!("{who} has a `{field}`, but init containers run to completion one after another; {what} only work on containers that keep running, so the API server rejects this"),
                )
                .help("remove it — the init container's exit code already tells whether it succeeded — or, if it should keep running beside the app, make it a sidecar with `restartPolicy: Always`");
                if let Some(delete) = delete_entry_lines(source, key, value) {
                    d.fix(Fix::unsafe_(format!("Remove `{field}`"), vec![delete]));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn only_sidecars_may_be_probed() {
        let sidecar = pod("  initContainers:\n  - name: proxy\n    image: a\n    restartPolicy: Always\n    readinessProbe:\n      tcpSocket:\n        port: 15000\n  containers:\n  - name: app\n    image: b\n");
        let plain = pod("  initContainers:\n  - name: wait\n    image: a\n  containers:\n  - name: app\n    image: b\n    livenessProbe:\n      tcpSocket:\n        port: 80\n");
        let probed = pod("  initContainers:\n  - name: wait\n    image: a\n    livenessProbe:\n      exec:\n        command: ['true']\n    lifecycle:\n      postStart:\n        exec:\n          command: ['true']\n  containers:\n  - name: app\n    image: b\n");
        RuleTest::new(&super::InitContainerProbesForbidden::META)
            .pass(&sidecar)
            .pass(&plain)
            .fail(&probed, &["livenessProbe", "lifecycle"])
            .run();
    }

    #[test]
    fn the_fix_removes_the_whole_block() {
        let yaml = pod("  initContainers:\n  - name: wait\n    image: a\n    startupProbe:\n      exec:\n        command: ['true']\n  containers:\n  - name: app\n    image: b\n");
        let fixed = pod("  initContainers:\n  - name: wait\n    image: a\n  containers:\n  - name: app\n    image: b\n");
        RuleTest::new(&super::InitContainerProbesForbidden::META)
            .fix(yaml, fixed)
            .run_inline();
    }
}
