use std::collections::HashMap;

use crate::k8s::Pod;
use crate::rule::{Context, PodRule};
use crate::rules::edits::value_range;
use crate::text::TextRange;

declare_rule! {
    /// ## What it does
    /// Reports two `hostAliases` entries with the same `ip`.
    ///
    /// ## Why it matters in a Pod
    /// Each entry becomes a line of the containers' `/etc/hosts`. The API server accepts
    /// duplicates with a warning, but `kubectl apply` merges the list by `ip`, so one of the
    /// entries (and its host names) can silently disappear on the next apply.
    ///
    /// ## Example
    /// ```yaml
    /// hostAliases:
    /// - ip: "10.0.0.12"
    ///   hostnames: ["db"]
    /// - ip: "10.0.0.12"
    ///   hostnames: ["cache"]
    /// ```
    ///
    /// ## How to fix
    /// Put all names of one address in one entry: `hostnames: ["db", "cache"]`.
    pub struct DuplicateHostAliasIp {
        name: "duplicate-host-alias-ip",
        category: ApiWarns,
        hook: Pod,
        fix: Never,
        summary: "two hostAliases entries have the same IP",
    }
}

impl PodRule for DuplicateHostAliasIp {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        let mut seen: HashMap<&str, TextRange> = HashMap::new();
        let aliases = pod.spec.get("hostAliases");
        for alias in aliases.into_iter().flat_map(|a| a.items()) {
            let Some(ip) = alias.get("ip") else {
                continue;
            };
            let Some(text) = ip.as_str() else {
                continue;
            };
            let range = value_range(cx.source, ip);
            match seen.get(text) {
                Some(first) => {
                    cx.report(
                        range,
                        format!("`{text}` already has a host alias entry; `kubectl apply` merges the list by IP, so one of the two can be dropped"),
                    )
                    .label(*first, "first entry for this IP")
                    .help("move these host names into the first entry's `hostnames`");
                }
                None => {
                    seen.insert(text, range);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn one_entry_per_ip() {
        let good = pod("  hostAliases:\n  - ip: 10.0.0.1\n    hostnames: [a, b]\n  - ip: 10.0.0.2\n    hostnames: [c]\n  containers:\n  - name: app\n    image: a\n");
        let dup = pod("  hostAliases:\n  - ip: 10.0.0.1\n    hostnames: [a]\n  - ip: \"10.0.0.1\"\n    hostnames: [b]\n  containers:\n  - name: app\n    image: a\n");
        RuleTest::new(&super::DuplicateHostAliasIp::META)
            .pass(&good)
            .fail(&dup, &["\"10.0.0.1\""])
            .run();
    }
}
