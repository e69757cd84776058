//! What `missing-liveness-probe` and `missing-readiness-probe` share: which containers
//! should have probes, and a probe to suggest.

use crate::k8s::{Container, ContainerKind, Pod};
use crate::rule::Context;

/// Reports each regular container of a long-running pod that has no `field` probe.
///
/// Pods that run to completion are skipped — Job and CronJob templates, and Pods with
/// `restartPolicy: OnFailure` or `Never` — and so are init containers and native sidecars.
pub(crate) fn report_missing_probe(
    pod: &Pod<'_, '_>,
    cx: &mut Context<'_>,
    field: &str,
    message: fn(&str) -> String,
) {
    if pod.workload.runs_to_completion() {
        return;
    }
    let policy = pod.restart_policy().and_then(|p| p.as_str());
    if matches!(policy, Some("OnFailure" | "Never")) {
        return;
    }
    for container in pod.containers_of(ContainerKind::Regular) {
        if container.get(field).is_some_and(|p| !p.is_null()) {
            continue;
        }
        cx.report(container.anchor(), message(&container.describe()))
            .help(suggestion(&container, field));
    }
}

/// An HTTP check on the container's first declared port, or a command when it has none.
fn suggestion(container: &Container<'_, '_>, field: &str) -> String {
    let port = container
        .ports()
        .find_map(|p| p.get("containerPort")?.as_i64());
    match port {
        Some(port) => format!("add `{field}: {{httpGet: {{path: /healthz, port: {port}}}}}`, or `tcpSocket: {{port: {port}}}` instead of `httpGet` if it does not speak HTTP"),
        None => format!("add a `{field}` that checks the app, e.g. `{field}: {{exec: {{command: [\"/bin/check-health\"]}}}}`, or an `httpGet`/`tcpSocket` check on the port it listens on"),
    }
}
