use crate::k8s::names::{dns1123_subdomain, ip_address};
use crate::k8s::Pod;
use crate::rule::{Context, PodRule};
use crate::rules::edits::{entry_range, value_range};
use crate::syntax::NodeRef;

declare_rule! {
    /// ## What it does
    /// Reports a `dnsConfig` the API server rejects: `dnsPolicy: None` without `dnsConfig`
    /// or without a nameserver; more than 3 `nameservers`, or one that is not an IP address;
    /// more than 32 `searches`, more than 2048 characters of them, or one that is not a DNS
    /// name; an `options` entry without a `name`.
    ///
    /// ## Why it matters in a Pod
    /// The kubelet turns `dnsConfig` into the `/etc/resolv.conf` shared by all containers of
    /// the Pod (like `docker run --dns`, `--dns-search`, `--dns-option`). The limits are the
    /// C resolver's: it reads at most 3 `nameserver` lines, and a name server must be an
    /// address, since there is nothing yet to resolve a name with. With `dnsPolicy: None` the
    /// Pod gets no DNS at all except what `dnsConfig` lists. The API server rejects the Pod
    /// (or its workload) when any of this is off.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   dnsPolicy: None
    ///   dnsConfig:
    ///     nameservers: ["dns.example.com"]
    /// ```
    ///
    /// ## How to fix
    /// List 1 to 3 name server IP addresses (`10.96.0.10`), search domains as DNS names
    /// (`shop.svc.cluster.local`), and give every option a `name`.
    pub struct DnsConfigInvalid {
        name: "dns-config-invalid",
        category: ApiRejects,
        hook: Pod,
        fix: Never,
        summary: "dnsConfig the API server rejects: missing with dnsPolicy None, bad nameservers or searches",
    }
}

const MAX_NAMESERVERS: usize = 3;
const MAX_SEARCHES: usize = 32;
const MAX_SEARCH_CHARS: usize = 2048;

impl PodRule for DnsConfigInvalid {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        let config = pod.spec.entry("dnsConfig").filter(|(_, v)| v.is_mapping());
        if let Some((key, value)) = pod.spec.entry("dnsPolicy") {
            if value.as_str() == Some("None") {
                let nameservers = config
                    .and_then(|(_, c)| c.get("nameservers"))
                    .map_or(0, |n| n.items().count());
                if config.is_none() {
                    cx.report(
                        entry_range(cx.source, key, value),
                        "`dnsPolicy: None` gives the Pod no DNS settings of its own, so it needs a `dnsConfig` with at least one nameserver",
                    )
                    .help("add `dnsConfig:` with `nameservers: [<IP of a DNS server>]`, or use `dnsPolicy: ClusterFirst` for the cluster's DNS");
                    return;
                }
                if nameservers == 0 {
                    let (config_key, _) = config.expect("checked above");
                    cx.report(
                        config_key.range(),
                        "with `dnsPolicy: None` the Pod's only name servers are those in `dnsConfig.nameservers`, and there is none",
                    )
                    .help("add `nameservers:` with 1 to 3 DNS server IP addresses");
                }
            }
        }
        let Some((_, config)) = config else {
            return;
        };
        check_nameservers(config, cx);
        check_searches(config, cx);
        for option in config.get("options").into_iter().flat_map(|o| o.items()) {
            let name = option.get("name").and_then(|n| n.as_str()).unwrap_or("");
            if name.is_empty() {
                cx.report(
                    option.head(),
                    "a DNS option needs a `name` (a resolv.conf option such as `ndots`, `timeout` or `edns0`)",
                )
                .help("add `name:`, with `value:` for options that take one (`ndots`, `5`)");
            }
        }
    }
}

fn check_nameservers(config: NodeRef<'_, '_>, cx: &mut Context<'_>) {
    let Some((key, list)) = config.entry("nameservers") else {
        return;
    };
    let count = list.items().count();
    if count > MAX_NAMESERVERS {
        cx.report(
            key.range(),
            format!("{count} nameservers listed; the resolver inside the containers reads at most {MAX_NAMESERVERS}, and the API server rejects more"),
        )
        .help("keep at most 3 name servers");
    }
    for server in list.items() {
        let Some(text) = server.as_string() else {
            continue;
        };
        if let Err(why) = ip_address(text) {
            cx.report(
                value_range(cx.source, server),
                format!("nameserver `{text}` is not an IP address: {why}; a name server must be an address, since nothing can resolve a name before it"),
            )
            .help("write the DNS server's IP address, e.g. `10.96.0.10` or `1.1.1.1`");
        }
    }
}

fn check_searches(config: NodeRef<'_, '_>, cx: &mut Context<'_>) {
    let Some((key, list)) = config.entry("searches") else {
        return;
    };
    let searches: Vec<_> = list.items().collect();
    if searches.len() > MAX_SEARCHES {
        cx.report(
            key.range(),
            format!(
                "{} search domains listed; the API server accepts at most {MAX_SEARCHES}",
                searches.len()
            ),
        )
        .help("keep the search list short: each one multiplies the lookups a short name costs");
    }
    let texts: Vec<&str> = searches.iter().filter_map(|s| s.as_string()).collect();
    let chars = texts.iter().map(|s| s.len()).sum::<usize>() + texts.len().saturating_sub(1);
    if chars > MAX_SEARCH_CHARS {
        cx.report(
            key.range(),
            format!("the search list is {chars} characters long (with the spaces between domains); the API server accepts at most {MAX_SEARCH_CHARS}"),
        )
        .help("remove search domains");
    }
    for search in searches {
        let Some(text) = search.as_string() else {
            continue;
        };
        // A trailing dot (a fully qualified name) is fine.
        if let Err(why) = dns1123_subdomain(text.strip_suffix('.').unwrap_or(text)) {
            cx.report(
                value_range(cx.source, search),
                format!("search domain `{text}` is not a DNS name: {why}"),
            )
            .help("write a lowercase domain such as `shop.svc.cluster.local`");
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn dns_config_limits() {
        let custom = pod("  dnsPolicy: None\n  dnsConfig:\n    nameservers: [1.1.1.1]\n    searches: [shop.svc.cluster.local.]\n    options:\n    - name: ndots\n      value: \"2\"\n  containers:\n  - name: app\n    image: a\n");
        let default = pod("  dnsConfig:\n    options:\n    - name: edns0\n  containers:\n  - name: app\n    image: a\n");
        let none = pod("  dnsPolicy: None\n  containers:\n  - name: app\n    image: a\n");
        let no_server = pod("  dnsPolicy: None\n  dnsConfig:\n    searches: [a.b]\n  containers:\n  - name: app\n    image: a\n");
        let bad = pod("  dnsConfig:\n    nameservers: [dns.local, 1.1.1.1, 8.8.8.8, 9.9.9.9]\n    searches: [Shop_Svc]\n    options:\n    - value: \"1\"\n  containers:\n  - name: app\n    image: a\n");
        RuleTest::new(&super::DnsConfigInvalid::META)
            .pass(&custom)
            .pass(&default)
            .fail(&none, &["dnsPolicy: None"])
            .fail(&no_server, &["dnsConfig"])
            .fail(
                &bad,
                &["nameservers", "dns.local", "Shop_Svc", "value: \"1\""],
            )
            .run();
    }
}
