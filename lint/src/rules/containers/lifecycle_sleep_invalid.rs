use crate::k8s::{ContainerKind, Pod};
use crate::rule::{Context, PodRule};

declare_rule! {
    /// ## What it does
    /// Reports a lifecycle `sleep` action whose `seconds` is negative, zero (before
    /// Kubernetes 1.33), or longer than the pod's `terminationGracePeriodSeconds` (30 when
    /// not set).
    ///
    /// ## Why it matters in a Pod
    /// A `preStop: {sleep: …}` hook delays the stop signal so that load balancers stop
    /// sending traffic first — the Pod's version of a graceful shutdown without a `sleep`
    /// binary in the image. The whole shutdown, hook included, must fit in the pod's grace
    /// period, after which the kubelet kills the container; the API server rejects a sleep
    /// that cannot fit.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   terminationGracePeriodSeconds: 30
    ///   containers:
    ///   - name: web
    ///     lifecycle:
    ///       preStop:
    ///         sleep:
    ///           seconds: 60
    /// ```
    ///
    /// ## How to fix
    /// Sleep for less than the grace period, or raise `terminationGracePeriodSeconds` to
    /// leave the process time to shut down after the sleep.
    pub struct LifecycleSleepInvalid {
        name: "lifecycle-sleep-invalid",
        category: ApiRejects,
        hook: Pod,
        fix: Never,
        summary: "A lifecycle sleep longer than the grace period, or not positive",
    }
}

/// The API server's default `terminationGracePeriodSeconds`.
const DEFAULT_GRACE: i64 = 30;
/// `AllowPodLifecycleSleepActionZeroValue` is on by default from Kubernetes 1.33.
const ZERO_ALLOWED_SINCE_MINOR: u8 = 33;

impl PodRule for LifecycleSleepInvalid {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        let grace_node = pod.spec.entry("terminationGracePeriodSeconds");
        let grace = match grace_node.and_then(|(_, v)| v.as_i64()) {
            // A negative grace period is stored as 1.
            Some(g) if g < 0 => 1,
            Some(g) => g,
            None if grace_node.is_some() => return,
            None => DEFAULT_GRACE,
        };
        let zero_ok = cx.settings.kubernetes_minor >= ZERO_ALLOWED_SINCE_MINOR;
        let hooked = pod
            .containers()
            .filter(|c| c.kind == ContainerKind::Regular || c.is_sidecar());
        for container in hooked {
            for hook in ["postStart", "preStop"] {
                let Some(sleep) = container.node.at(&["lifecycle", hook, "sleep"]) else {
                    continue;
                };
                let Some(seconds) = sleep.get("seconds").and_then(|s| s.as_i64()) else {
                    continue;
                };
                let too_short = seconds < 0 || (seconds == 0 && !zero_ok);
                if !too_short && seconds <= grace {
                    continue;
                }
                let who = container.who();
                let d = cx.report(
                    sleep.entry_range("seconds").unwrap(),
                    if too_short {
                        format!("{who}'s `{hook}` sleeps {seconds} seconds; it must sleep at least {}", if zero_ok { "0" } else { "1 second" })
                    } else {
                        format!("{who}'s `{hook}` sleeps {seconds} seconds, longer than the pod's grace period of {grace} seconds")
                    },
                );
                if let Some((key, value)) = grace_node {
                    d.label(key.range().cover(value.range()), "the grace period");
                }
                d.help(if too_short {
                    "use a positive number of seconds, or remove the hook".to_string()
                } else {
                    format!("the kubelet kills the container {grace} seconds after asking it to stop, hook included; sleep less, or raise `terminationGracePeriodSeconds` above {seconds}")
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn the_sleep_must_fit_the_grace_period() {
        let hook = |grace: &str, seconds: i64| {
            pod(&format!("{grace}  containers:\n  - name: web\n    image: a\n    lifecycle:\n      preStop:\n        sleep:\n          seconds: {seconds}\n"))
        };
        RuleTest::new(&super::LifecycleSleepInvalid::META)
            .pass(hook("", 30))
            .pass(hook("  terminationGracePeriodSeconds: 90\n", 60))
            .pass(hook("", 0))
            .fail(hook("", 31), &["seconds: 31"])
            .fail(
                hook("  terminationGracePeriodSeconds: 10\n", 15),
                &["seconds: 15"],
            )
            .fail(hook("", -1), &["seconds: -1"])
            .run();
    }
}
