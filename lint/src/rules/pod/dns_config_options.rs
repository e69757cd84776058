use crate::k8s::security::pod_anchor;
use crate::k8s::Pod;
use crate::rule::{Context, PodRule};

declare_rule! {
    /// ## What it does
    /// Reports a Pod or Pod template that uses the cluster DNS without setting the `ndots`
    /// resolver option in `dnsConfig.options`. Pods with `dnsPolicy: Default` (the node's
    /// resolver) are skipped. Off by default.
    ///
    /// ## Why it matters in a Pod
    /// A Pod's `/etc/resolv.conf` lists several search domains (`<namespace>.svc.cluster.local`,
    /// `svc.cluster.local`, `cluster.local`, the node's own) with `ndots:5`: any name with
    /// fewer than five dots is tried with each search domain first. A lookup of
    /// `api.example.com` therefore sends four or more queries that are bound to fail before
    /// the one that answers, for A and AAAA each. That adds latency to every outgoing call
    /// and load on the cluster DNS; at volume it shows up as timeouts.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Pod
    /// spec:
    ///   containers:
    ///   - name: app
    ///     image: my-app:1.0
    /// ```
    ///
    /// ## How to fix
    /// Lower `ndots` so names with a dot are tried as written first (Service names without a
    /// dot, like `db`, still use the search list):
    /// ```yaml
    /// dnsConfig:
    ///   options:
    ///   - name: ndots
    ///     value: "2"
    /// ```
    /// Or write external names fully qualified, with a trailing dot (`api.example.com.`).
    pub struct DnsConfigOptions {
        name: "dns-config-options",
        category: Reliability,
        hook: Pod,
        fix: Never,
        summary: "A Pod keeps the default `ndots:5`, so external lookups try every search domain first",
        severity: Info,
        enabled: false,
    }
}

impl PodRule for DnsConfigOptions {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        if pod.spec.get("dnsPolicy").and_then(|p| p.as_str()) == Some("Default") {
            return;
        }
        let dns_config = pod.spec.entry("dnsConfig");
        let sets_ndots = dns_config
            .and_then(|(_, c)| c.get("options"))
            .into_iter()
            .flat_map(|o| o.items())
            .any(|o| o.get("name").and_then(|n| n.as_str()) == Some("ndots"));
        if sets_ndots {
            return;
        }
        let range = dns_config.map_or(pod_anchor(pod), |(key, _)| key.range());
        cx.report(
            range,
            "the Pod keeps the cluster DNS default `ndots:5`: a name like `api.example.com` is first tried with every search domain, so each external lookup sends several queries bound to fail before the real one",
        )
        .help("add `dnsConfig.options: [{name: ndots, value: \"2\"}]`, or write external names fully qualified with a trailing dot");
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn ndots_is_set() {
        let ok = pod("  dnsConfig:\n    options:\n    - name: ndots\n      value: \"2\"\n  containers: [{name: app, image: a}]\n");
        let node_dns = pod("  dnsPolicy: Default\n  containers: [{name: app, image: a}]\n");
        let other = pod("  dnsConfig:\n    options:\n    - name: single-request-reopen\n  containers: [{name: app, image: a}]\n");
        RuleTest::new(&super::DnsConfigOptions::META)
            .pass(&ok)
            .pass(&node_dns)
            .fail(&other, &["dnsConfig"])
            .fail(pod("  containers: [{name: app, image: a}]\n"), &["spec"])
            .run();
    }
}
