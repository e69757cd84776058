use crate::diagnostic::Fix;
use crate::k8s::names::{dns1123_label, to_dns1123_label};
use crate::k8s::Pod;
use crate::rule::{Context, PodRule};
use crate::rules::edits::{replace_scalar, value_range};

declare_rule! {
    /// ## What it does
    /// Reports a `hostname` or `subdomain` that is not a DNS label: at most 63 lowercase
    /// letters, digits and `-`, starting and ending with a letter or digit, no dots.
    ///
    /// ## Why it matters in a Pod
    /// `hostname` is what the containers see as their host name (like `docker run
    /// --hostname`); with `subdomain` and a headless Service of that name, the Pod also gets
    /// the DNS name `<hostname>.<subdomain>.<namespace>.svc`. Both become single parts of a
    /// DNS name, so the API server rejects anything that is not a DNS label — including a
    /// dotted name: put the domain part in `subdomain`, not in `hostname`.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   hostname: DB_Primary
    ///   subdomain: db.internal
    /// ```
    ///
    /// ## How to fix
    /// Use one lowercase DNS label each, e.g. `hostname: db-primary`, `subdomain: db` (the
    /// name of the headless Service). The fix lowercases and replaces invalid characters
    /// (not for a dotted `hostname`); it is unsafe since other workloads may call the Pod by
    /// that name.
    pub struct HostnameSubdomainInvalid {
        name: "hostname-subdomain-invalid",
        category: ApiRejects,
        hook: Pod,
        fix: Sometimes,
        summary: "hostname or subdomain is not a DNS label",
    }
}

impl PodRule for HostnameSubdomainInvalid {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        for field in ["hostname", "subdomain"] {
            let Some(value) = pod.spec.get(field) else {
                continue;
            };
            // Numbers are schema-type-mismatch's; an empty value means unset.
            let Some(text) = value.as_string().filter(|t| !t.is_empty()) else {
                continue;
            };
            let Err(why) = dns1123_label(text) else {
                continue;
            };
            let role = if field == "hostname" {
                "the containers' host name"
            } else {
                "the DNS subdomain the Pod is reachable under (the name of a headless Service)"
            };
            // A dotted host name wants splitting, not a rename.
            let dotted_hostname = field == "hostname" && text.contains('.');
            let suggestion = to_dns1123_label(text).filter(|_| !dotted_hostname);
            let edit = suggestion
                .as_deref()
                .map(|to| replace_scalar(cx.source, value, to));
            let d = cx.report(
                value_range(cx.source, value),
                format!("`{field}: {text}` is not a DNS label: {why}; it is {role}, one part of a DNS name"),
            );
            d.help(if dotted_hostname {
                "keep `hostname` to one label and put the domain in `subdomain`"
            } else {
                "use lowercase letters, digits and `-`, at most 63 characters"
            });
            if let (Some(to), Some(edit)) = (suggestion, edit) {
                d.fix(Fix::unsafe_(format!("Rename to `{to}`"), vec![edit]));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn hostname_and_subdomain_are_labels() {
        let good =
            pod("  hostname: db-0\n  subdomain: db\n  containers:\n  - name: app\n    image: a\n");
        let bad = pod("  hostname: DB_Primary\n  subdomain: db.internal\n  containers:\n  - name: app\n    image: a\n");
        RuleTest::new(&super::HostnameSubdomainInvalid::META)
            .pass(&good)
            .fail(&bad, &["DB_Primary", "db.internal"])
            .run();
    }
}
