use crate::k8s::{ContainerKind, Pod};
use crate::rule::{Context, PodRule};
use crate::syntax::NodeRef;

declare_rule! {
    /// ## What it does
    /// Reports a container whose liveness probe checks exactly what its readiness probe
    /// checks (same `httpGet` path and port, same `tcpSocket` port, same `grpc` port or same
    /// `exec` command) and gives up no later than it.
    ///
    /// ## Why it matters in a Pod
    /// The two probes answer different questions. Readiness: "can this Pod take traffic right
    /// now?" — failing it only takes the Pod out of its Services until it recovers. Liveness:
    /// "is it stuck for good?" — failing it makes the kubelet kill and restart the container.
    /// When both run the same check, an app that is merely busy (a slow dependency, a burst of
    /// load) fails both together: instead of shedding traffic for a moment, every replica is
    /// restarted, dropping in-flight requests and making the overload worse.
    ///
    /// ## Example
    /// ```yaml
    /// livenessProbe:
    ///   httpGet: {path: /ready, port: 8080}
    /// readinessProbe:
    ///   httpGet: {path: /ready, port: 8080}
    /// ```
    ///
    /// ## How to fix
    /// Point liveness at a cheaper check that only fails when the process is wedged (e.g.
    /// `/healthz` that does not call dependencies), or give it a larger `failureThreshold` ×
    /// `periodSeconds` than readiness so readiness always acts first.
    pub struct IdenticalLivenessReadiness {
        name: "identical-liveness-readiness",
        category: Correctness,
        hook: Pod,
        fix: Never,
        summary: "Liveness and readiness probes run the same check",
    }
}

impl PodRule for IdenticalLivenessReadiness {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        for container in pod.containers_of(ContainerKind::Regular) {
            let (Some((key, liveness)), Some(readiness)) = (
                container.node.entry("livenessProbe"),
                container.get("readinessProbe"),
            ) else {
                continue;
            };
            let (Some(check), Some(other)) = (handler(liveness), handler(readiness)) else {
                continue;
            };
            if check != other || tolerance(liveness) > tolerance(readiness) {
                continue;
            }
            let ready_key = container
                .node
                .entry("readinessProbe")
                .map(|(k, _)| k.range());
            let d = cx.report(
                key.range(),
                format!(
                    "{}'s liveness probe runs the same check as its readiness probe ({check}); when the app is only busy, both fail together and the kubelet restarts it instead of just holding back traffic",
                    container.describe()
                ),
            );
            if let Some(range) = ready_key {
                d.label(range, "the same check here");
            }
            d.help("make liveness a cheaper check that fails only when the process is stuck, or give it a larger `failureThreshold` × `periodSeconds` than readiness");
        }
    }
}

/// What a probe checks, as one comparable line; `None` for a probe we cannot read.
fn handler<'d>(probe: NodeRef<'d, '_>) -> Option<String> {
    fn text<'d>(n: Option<NodeRef<'d, '_>>) -> &'d str {
        n.and_then(|n| n.as_str()).unwrap_or("")
    }
    if let Some(get) = probe.get("httpGet") {
        let path = match text(get.get("path")) {
            "" => "/",
            path => path,
        };
        let scheme = match text(get.get("scheme")) {
            "" => "HTTP",
            scheme => scheme,
        };
        return Some(format!(
            "{} {path} on port {}",
            scheme,
            text(get.get("port"))
        ));
    }
    if let Some(tcp) = probe.get("tcpSocket") {
        return Some(format!("TCP port {}", text(tcp.get("port"))));
    }
    if let Some(grpc) = probe.get("grpc") {
        return Some(
            format!(
                "gRPC port {} {}",
                text(grpc.get("port")),
                text(grpc.get("service"))
            )
            .trim_end()
            .to_string(),
        );
    }
    let command = probe.at(&["exec", "command"])?;
    let words = command
        .items()
        .map(|w| w.as_str())
        .collect::<Option<Vec<_>>>()?;
    Some(format!("`{}`", words.join(" ")))
}

/// How long a probe tolerates failure before acting: `failureThreshold` × `periodSeconds`
/// (defaults 3 and 10).
fn tolerance(probe: NodeRef<'_, '_>) -> i64 {
    let field = |key, default| probe.get(key).and_then(|v| v.as_i64()).unwrap_or(default);
    field("failureThreshold", 3).saturating_mul(field("periodSeconds", 10))
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    fn probes(liveness: &str, readiness: &str) -> String {
        pod(&format!("  containers:\n  - name: app\n    image: my-app:1.0\n    livenessProbe:\n{liveness}    readinessProbe:\n{readiness}"))
    }

    #[test]
    fn liveness_must_differ_or_wait_longer() {
        let ready = "      httpGet: {path: /ready, port: 8080}\n";
        let same = probes(ready, ready);
        let healthz = probes("      httpGet: {path: /healthz, port: 8080}\n", ready);
        let patient = probes(
            "      httpGet: {path: /ready, port: 8080}\n      failureThreshold: 6\n",
            ready,
        );
        let tcp = probes(
            "      tcpSocket: {port: 5432}\n",
            "      tcpSocket: {port: 5432}\n",
        );
        RuleTest::new(&super::IdenticalLivenessReadiness::META)
            .pass(&healthz)
            .pass(&patient)
            .fail(&same, &["livenessProbe"])
            .fail(&tcp, &["livenessProbe"])
            .run();
    }
}
