use crate::k8s::Pod;
use crate::rule::{Context, PodRule};

declare_rule! {
    /// ## What it does
    /// Reports `spec.hostAliases`.
    ///
    /// ## Why it matters in a Pod
    /// `hostAliases` writes extra lines into the `/etc/hosts` of every container of the Pod,
    /// like `docker run --add-host`. The addresses are fixed in the manifest: when the target
    /// moves, the Pod keeps calling the old IP, and a name can silently point somewhere
    /// else than DNS says — which also makes it a way to redirect traffic.
    ///
    /// Off by default (style).
    ///
    /// ## Example
    /// ```yaml
    /// hostAliases:
    /// - ip: "10.0.0.12"
    ///   hostnames: ["db.internal"]
    /// ```
    ///
    /// ## How to fix
    /// Give the target a DNS name: a Service (an `ExternalName` Service or one without a
    /// selector, with its own endpoints, for something outside the cluster).
    pub struct HostAliases {
        name: "host-aliases",
        category: Style,
        hook: Pod,
        fix: Never,
        summary: "The pod pins host names to fixed IPs in /etc/hosts",
        enabled: false,
    }
}

impl PodRule for HostAliases {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        let Some((key, value)) = pod.spec.entry("hostAliases") else {
            return;
        };
        if value.items().next().is_none() {
            return;
        }
        cx.report(
            key.range(),
            "`hostAliases` pins host names to fixed IPs in the `/etc/hosts` of every container of the Pod (like `docker run --add-host`), bypassing DNS",
        )
        .help("give the target a DNS name with a Service (ExternalName, or a Service with its own endpoints)");
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn host_aliases_are_reported() {
        let none = pod("  containers:\n  - name: app\n    image: a\n");
        let aliases = pod("  hostAliases:\n  - ip: 10.0.0.1\n    hostnames: [db]\n  containers:\n  - name: app\n    image: a\n");
        RuleTest::new(&super::HostAliases::META)
            .pass(&none)
            .fail(&aliases, &["hostAliases"])
            .run();
    }
}
