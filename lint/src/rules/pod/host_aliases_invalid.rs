use crate::k8s::names::{dns1123_subdomain, ip_address};
use crate::k8s::Pod;
use crate::rule::{Context, PodRule};
use crate::rules::edits::value_range;

declare_rule! {
    /// ## What it does
    /// Reports a `hostAliases` entry whose `ip` is missing or not an IP address, or whose
    /// `hostnames` are not DNS names.
    ///
    /// ## Why it matters in a Pod
    /// Each entry becomes a line `<ip> <hostname>…` in the `/etc/hosts` of every container
    /// of the Pod, like `docker run --add-host`. That file maps names to addresses, so the
    /// API server insists on a real IPv4 or IPv6 address and lowercase DNS names, and rejects
    /// the Pod otherwise.
    ///
    /// ## Example
    /// ```yaml
    /// hostAliases:
    /// - ip: "db.internal"
    ///   hostnames: ["Legacy_DB"]
    /// ```
    ///
    /// ## How to fix
    /// Write the address as numbers (`10.0.0.12`) and the names in lowercase
    /// (`legacy-db.internal`). To point a name at another name, use a Service (ExternalName)
    /// rather than `/etc/hosts`.
    pub struct HostAliasesInvalid {
        name: "host-aliases-invalid",
        category: ApiRejects,
        hook: Pod,
        fix: Never,
        summary: "hostAliases entry with a bad IP address or host name",
    }
}

impl PodRule for HostAliasesInvalid {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        let aliases = pod.spec.get("hostAliases");
        for alias in aliases.into_iter().flat_map(|a| a.items()) {
            if !alias.is_mapping() {
                continue;
            }
            match alias.get("ip") {
                Some(ip) => {
                    if let Some(text) = ip.as_string() {
                        if let Err(why) = ip_address(text) {
                            cx.report(
                                value_range(cx.source, ip),
                                format!("host alias IP `{text}` is not an IP address: {why}; `/etc/hosts` maps names to addresses"),
                            )
                            .help("write the address as numbers, e.g. `ip: \"10.0.0.12\"`");
                        }
                    }
                }
                None => {
                    cx.report(
                        alias.head(),
                        "this host alias has no `ip`: each entry is an `/etc/hosts` line that needs an address for its names",
                    )
                    .help("add `ip:` with the IPv4 or IPv6 address the names should resolve to");
                }
            }
            let hostnames = alias.get("hostnames");
            for name in hostnames.into_iter().flat_map(|h| h.items()) {
                let Some(text) = name.as_string() else {
                    continue;
                };
                if let Err(why) = dns1123_subdomain(text) {
                    cx.report(
                        value_range(cx.source, name),
                        format!("host alias name `{text}` is not a DNS name: {why}"),
                    )
                    .help("use lowercase letters, digits, `-` and `.`, e.g. `legacy-db.internal`");
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn aliases_need_ips_and_dns_names() {
        let good = pod("  hostAliases:\n  - ip: 10.0.0.12\n    hostnames: [db.internal, db]\n  - ip: \"fd00::12\"\n    hostnames: [db6]\n  containers:\n  - name: app\n    image: a\n");
        let bad = pod("  hostAliases:\n  - ip: db.internal\n    hostnames: [Legacy_DB]\n  - hostnames: [cache]\n  containers:\n  - name: app\n    image: a\n");
        RuleTest::new(&super::HostAliasesInvalid::META)
            .pass(&good)
            .fail(&bad, &["db.internal", "Legacy_DB", "hostnames"])
            .run();
    }
}
