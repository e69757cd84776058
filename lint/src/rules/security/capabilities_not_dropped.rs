use crate::k8s::security::{effective_security, is_windows};
use crate::k8s::Pod;
use crate::rule::{Context, PodRule};

declare_rule! {
    /// ## What it does
    /// Reports a container whose `securityContext.capabilities.drop` does not contain `ALL`.
    /// Init and ephemeral containers are checked too.
    ///
    /// ## Why it matters in a Pod
    /// Without dropping anything, a container keeps the runtime's default capabilities, as a
    /// plain `docker run` does: `CHOWN`, `DAC_OVERRIDE`, `FOWNER`, `SETUID`, `SETGID`,
    /// `NET_RAW` and more. Most apps need none of them; each is a tool an intruder can use.
    /// `drop: [ALL]` (`docker run --cap-drop ALL`) removes them, and `add` brings back the
    /// one the app needs.
    ///
    /// Off by default (opinionated): enable it when your team hardens capabilities.
    ///
    /// ## Example
    /// ```yaml
    /// securityContext:
    ///   capabilities:
    ///     drop: ["NET_RAW"]
    /// ```
    ///
    /// ## How to fix
    /// ```yaml
    /// securityContext:
    ///   capabilities:
    ///     drop: ["ALL"]
    ///     add: ["NET_BIND_SERVICE"]   # only if the process needs it
    /// ```
    pub struct CapabilitiesNotDropped {
        name: "capabilities-not-dropped",
        category: Security,
        hook: Pod,
        fix: Never,
        summary: "A container keeps the runtime's default capabilities",
        severity: Info,
        enabled: false,
    }
}

impl PodRule for CapabilitiesNotDropped {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        if is_windows(pod) {
            return;
        }
        for container in pod.containers() {
            let security = effective_security(pod, &container);
            if security
                .capabilities("drop")
                .iter()
                .any(|(n, _)| n == "ALL")
            {
                continue;
            }
            let range = match security.own("capabilities") {
                Some(caps) => caps
                    .value
                    .entry("drop")
                    .map_or(caps.key.range(), |(k, _)| k.range()),
                None => security.missing_anchor(&container),
            };
            cx.report(
                range,
                format!("{} keeps the runtime's default capabilities (`CHOWN`, `SETUID`, `NET_RAW`, …) because `capabilities.drop` does not contain `ALL`", container.describe()),
            )
            .help("add `capabilities: {drop: [\"ALL\"]}` to the container's `securityContext` (`docker run --cap-drop ALL`), then `add` back only what the process needs");
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn drop_must_contain_all() {
        let all = pod("  containers:\n  - name: app\n    image: a\n    securityContext:\n      capabilities:\n        drop: [all]\n");
        let some = pod("  containers:\n  - name: app\n    image: a\n    securityContext:\n      capabilities:\n        drop: [NET_RAW]\n  - name: b\n    image: b\n");
        RuleTest::new(&super::CapabilitiesNotDropped::META)
            .pass(&all)
            .fail(&some, &["drop", "name: b"])
            .run();
    }
}
