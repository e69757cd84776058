use crate::diagnostic::lazy;
use crate::k8s::{ContainerKind, Pod};
use crate::rule::{Context, PodRule};

declare_rule! {
    /// ## What it does
    /// Reports probe timings the API server rejects: a negative `initialDelaySeconds`,
    /// `timeoutSeconds`, `periodSeconds`, `successThreshold` or `failureThreshold`; a
    /// `successThreshold` other than 1 on a liveness or startup probe; a
    /// `terminationGracePeriodSeconds` on a readiness probe, or one below 1 elsewhere.
    /// Zero is fine where the API server fills in the default (`periodSeconds: 0` becomes 10).
    ///
    /// ## Why it matters in a Pod
    /// These are the Pod's `HEALTHCHECK --interval --timeout --retries`. A liveness or startup
    /// probe acts on the first success, so needing several makes no sense; a readiness probe
    /// never kills the container, so a grace period for the kill does not apply to it. The API
    /// server rejects the Pod.
    ///
    /// ## Example
    /// ```yaml
    /// livenessProbe:
    ///   httpGet: {path: /healthz, port: 8080}
    ///   successThreshold: 3
    /// readinessProbe:
    ///   httpGet: {path: /ready, port: 8080}
    ///   terminationGracePeriodSeconds: 10
    /// ```
    ///
    /// ## How to fix
    /// Leave `successThreshold` out of liveness and startup probes (it is 1), and move
    /// `terminationGracePeriodSeconds` to a liveness or startup probe, or to the pod.
    pub struct ProbeFieldsInvalid {
        name: "probe-fields-invalid",
        category: ApiRejects,
        hook: Pod,
        fix: Never,
        summary: "A probe timing or threshold the API server rejects",
    }
}

const NON_NEGATIVE: &[&str] = &[
    "initialDelaySeconds",
    "timeoutSeconds",
    "periodSeconds",
    "successThreshold",
    "failureThreshold",
];

impl PodRule for ProbeFieldsInvalid {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        let probed = pod
            .containers()
            .filter(|c| c.kind == ContainerKind::Regular || c.is_sidecar());
        for container in probed {
            let who = container.who();
            for field in ["livenessProbe", "readinessProbe", "startupProbe"] {
                let Some(probe) = container.get(field).filter(|p| p.is_mapping()) else {
                    continue;
                };
                let place = lazy(|f| write!(f, "{who}'s `{field}`"));
                for key in NON_NEGATIVE {
                    let Some(value) = probe.get(key).and_then(|v| v.as_i64()) else {
                        continue;
                    };
                    if value < 0 {
                        cx.report(
                            probe.entry_range(key).unwrap(),
                            format!("{place} has a negative `{key}`"),
                        )
                        .help(format!("use 0 or more; leave `{key}` out for the default"));
                    } else if *key == "successThreshold" && value > 1 && field != "readinessProbe" {
                        cx.report(
                            probe.entry_range(key).unwrap(),
                            format!("{place} sets `successThreshold: {value}`; it must be 1 on a {} probe", &field[..field.len() - 5]),
                        )
                        .help("a liveness or startup probe stops counting at the first success; delete the line, or raise `failureThreshold` to tolerate flakiness");
                    }
                }
                let Some(grace) = probe.get("terminationGracePeriodSeconds") else {
                    continue;
                };
                let range = probe.entry_range("terminationGracePeriodSeconds").unwrap();
                if field == "readinessProbe" {
                    cx.report(
                        range,
                        format!("{place} sets `terminationGracePeriodSeconds`, which readiness probes may not have"),
                    )
                    .help("a failing readiness probe only takes the Pod out of its Services, it never stops the container; set the grace period on the liveness probe or the pod");
                } else if grace.as_i64().is_some_and(|g| g <= 0) {
                    cx.report(
                        range,
                        format!("{place} sets `terminationGracePeriodSeconds` below 1"),
                    )
                    .help("give the container at least 1 second to shut down after a failed probe, or leave it out to use the pod's grace period");
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn thresholds_and_grace_periods() {
        let good = pod("  containers:\n  - name: app\n    image: a\n    livenessProbe:\n      httpGet: {path: /, port: 80}\n      periodSeconds: 0\n      successThreshold: 1\n      terminationGracePeriodSeconds: 10\n    readinessProbe:\n      httpGet: {path: /, port: 80}\n      successThreshold: 3\n");
        let bad = pod("  containers:\n  - name: app\n    image: a\n    livenessProbe:\n      httpGet: {path: /, port: 80}\n      successThreshold: 2\n      timeoutSeconds: -1\n      terminationGracePeriodSeconds: 0\n    readinessProbe:\n      httpGet: {path: /, port: 80}\n      terminationGracePeriodSeconds: 5\n");
        RuleTest::new(&super::ProbeFieldsInvalid::META)
            .pass(&good)
            .fail(
                &bad,
                &[
                    "successThreshold: 2",
                    "timeoutSeconds: -1",
                    "terminationGracePeriodSeconds: 0",
                    "terminationGracePeriodSeconds: 5",
                ],
            )
            .run();
    }
}
