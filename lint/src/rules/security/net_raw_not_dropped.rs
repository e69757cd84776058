use crate::k8s::security::{effective_security, is_windows};
use crate::k8s::Pod;
use crate::rule::{Context, PodRule};

declare_rule! {
    /// ## What it does
    /// Reports a container that keeps the `NET_RAW` capability: its `capabilities.drop` has
    /// neither `NET_RAW` nor `ALL`, or its `capabilities.add` brings `NET_RAW` back. Init
    /// and ephemeral containers are checked too.
    ///
    /// ## Why it matters in a Pod
    /// `NET_RAW` is in the runtime's default set (as with a plain `docker run`). It lets a
    /// process craft raw packets: spoof addresses and run ARP or DNS spoofing against other
    /// Pods on the node's network. Apps seldom need it; `ping` is the usual exception, and
    /// modern `ping` works without it.
    ///
    /// Off by default (opinionated).
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    /// - name: app
    ///   image: my-app:1.0
    /// ```
    ///
    /// ## How to fix
    /// Add `capabilities: {drop: ["NET_RAW"]}`, or better `drop: ["ALL"]`, to the
    /// container's `securityContext` (`docker run --cap-drop NET_RAW`).
    pub struct NetRawNotDropped {
        name: "net-raw-not-dropped",
        category: Security,
        hook: Pod,
        fix: Never,
        summary: "A container keeps NET_RAW, which allows packet spoofing",
        severity: Info,
        enabled: false,
    }
}

const HELP: &str = "add `capabilities: {drop: [\"ALL\"]}` (or at least `NET_RAW`) to the container's `securityContext`";

impl PodRule for NetRawNotDropped {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        if is_windows(pod) {
            return;
        }
        for container in pod.containers() {
            let security = effective_security(pod, &container);
            let who = container.who();
            if let Some((name, node)) = security
                .capabilities("add")
                .into_iter()
                .find(|(n, _)| n == "NET_RAW" || n == "ALL")
            {
                cx.report(
                    node.range(),
                    if name == "ALL" {
                        format!("{who} adds `ALL` capabilities, `NET_RAW` among them: it can craft raw packets and spoof traffic to other Pods")
                    } else {
                        format!("{who} adds `NET_RAW`: it can craft raw packets and spoof traffic to other Pods")
                    },
                )
                .help("remove it unless the process really sends raw packets");
                continue;
            }
            let dropped = security
                .capabilities("drop")
                .iter()
                .any(|(n, _)| n == "NET_RAW" || n == "ALL");
            if dropped {
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
                format!("{who} keeps the default `NET_RAW` capability: it can craft raw packets and spoof traffic to other Pods"),
            )
            .help(HELP);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn net_raw_must_be_dropped() {
        let dropped = pod("  containers:\n  - name: app\n    image: a\n    securityContext:\n      capabilities:\n        drop: [NET_RAW]\n");
        let kept = pod("  containers:\n  - name: app\n    image: a\n  - name: b\n    image: b\n    securityContext:\n      capabilities:\n        drop: [ALL]\n        add: [NET_RAW]\n");
        RuleTest::new(&super::NetRawNotDropped::META)
            .pass(&dropped)
            .fail(&kept, &["name: app", "NET_RAW"])
            .run();
    }
}
