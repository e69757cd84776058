use crate::diagnostic::Fix;
use crate::k8s::Pod;
use crate::rule::{Context, PodRule};
use crate::rules::edits::{replace_scalar, value_range};

declare_rule! {
    /// ## What it does
    /// Reports a `dnsPolicy` other than `ClusterFirst`, `ClusterFirstWithHostNet`, `Default`
    /// or `None` (the values are case-sensitive).
    ///
    /// ## Why it matters in a Pod
    /// `dnsPolicy` decides what the kubelet writes into the `/etc/resolv.conf` of every
    /// container of the Pod: `ClusterFirst` (the default) sends lookups to the cluster's DNS,
    /// so Service names such as `db` or `db.shop.svc` resolve; `Default` copies the node's
    /// resolver, like a plain `docker run`; `ClusterFirstWithHostNet` is `ClusterFirst` for a
    /// Pod on the host network; `None` uses only `dnsConfig`. The API server rejects any
    /// other value, so the Pod is not created.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   dnsPolicy: ClusterFirstWithHostNetwork
    /// ```
    ///
    /// ## How to fix
    /// Use one of the four values, or leave `dnsPolicy` out to get `ClusterFirst`. The fix
    /// replaces the value with the closest valid one; it is safe when only the case differs.
    pub struct DnsPolicyInvalid {
        name: "dns-policy-invalid",
        category: ApiRejects,
        hook: Pod,
        fix: Sometimes,
        summary: "dnsPolicy is not ClusterFirst, ClusterFirstWithHostNet, Default or None",
        owns: [("PodSpec", "dnsPolicy")],
    }
}

const POLICIES: [&str; 4] = ["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"];

impl PodRule for DnsPolicyInvalid {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        let Some(value) = pod.spec.get("dnsPolicy") else {
            return;
        };
        // Numbers and lists are schema-type-mismatch's; an empty value is defaulted.
        let Some(text) = value.as_string() else {
            return;
        };
        if text.is_empty() || POLICIES.contains(&text) {
            return;
        }
        let near = closest(text);
        let message = match near {
            Some(to) => format!("`dnsPolicy: {text}` is not a DNS policy; did you mean `{to}`?"),
            None => format!("`dnsPolicy: {text}` is not a DNS policy"),
        };
        let edit = near.map(|to| replace_scalar(cx.source, value, to));
        let d = cx.report(value_range(cx.source, value), message);
        d.help("use `ClusterFirst` (cluster DNS first: Service names resolve; the default), `ClusterFirstWithHostNet` (the same with `hostNetwork: true`), `Default` (the node's resolver) or `None` (only `dnsConfig`)");
        if let (Some(to), Some(edit)) = (near, edit) {
            let title = format!("Replace with `{to}`");
            d.fix(if to.eq_ignore_ascii_case(text) {
                Fix::safe(title, vec![edit])
            } else {
                Fix::unsafe_(title, vec![edit])
            });
        }
    }
}

/// The policy that differs from `text` only in case, or that it starts or is started by
/// (`ClusterFirstWithHostNetwork`, `clusterfirstwithhost`).
fn closest(text: &str) -> Option<&'static str> {
    if let Some(p) = POLICIES.iter().find(|p| p.eq_ignore_ascii_case(text)) {
        return Some(p);
    }
    let lower = text.to_ascii_lowercase();
    let lowered = POLICIES.map(|p| (p, p.to_ascii_lowercase()));
    // Cut short: only when one policy fits.
    let mut cut = lowered
        .iter()
        .filter(|(_, p)| lower.len() > 4 && p.starts_with(&lower));
    if let (Some((p, _)), None) = (cut.next(), cut.next()) {
        return Some(p);
    }
    // Written past a policy's end: the longest policy it starts with.
    let extended = lowered
        .iter()
        .filter(|(_, p)| p.len() > 4 && lower.starts_with(p.as_str()))
        .max_by_key(|(p, _)| p.len());
    extended.map(|(p, _)| *p)
}

#[cfg(test)]
mod tests {
    use super::closest;
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn only_the_four_policies() {
        let spec = |policy: &str| {
            pod(&format!(
                "  dnsPolicy: {policy}\n  containers:\n  - name: app\n    image: a\n"
            ))
        };
        RuleTest::new(&super::DnsPolicyInvalid::META)
            .pass(spec("ClusterFirstWithHostNet"))
            .pass(spec("None"))
            .pass(spec("\"\""))
            .fail(spec("clusterFirst"), &["clusterFirst"])
            .fail(spec("\"Host\""), &["\"Host\""])
            .run();
    }

    #[test]
    fn suggests_the_near_policy() {
        assert_eq!(closest("default"), Some("Default"));
        assert_eq!(
            closest("ClusterFirstWithHostNetwork"),
            Some("ClusterFirstWithHostNet")
        );
        assert_eq!(closest("Cluster"), None);
        assert_eq!(closest("ClusterFirstWith"), Some("ClusterFirstWithHostNet"));
    }
}
