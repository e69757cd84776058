use crate::diagnostic::Fix;
use crate::k8s::{names, Pod};
use crate::rule::{Context, PodRule};
use crate::rules::edits::replace_scalar;

/// PodSpec fields that name another object, and what that object is.
const REFERENCES: &[(&str, &str)] = &[
    ("serviceAccountName", "ServiceAccount"),
    ("nodeName", "Node"),
    ("priorityClassName", "PriorityClass"),
    ("runtimeClassName", "RuntimeClass"),
];

declare_rule! {
    /// ## What it does
    /// Checks the names a PodSpec uses to refer to other objects: `serviceAccountName` (or the
    /// deprecated `serviceAccount` it falls back to), `nodeName`, `priorityClassName` and
    /// `runtimeClassName`. Each must be a DNS subdomain: lowercase letters, digits, `-` and `.`,
    /// at most 253 characters. (ConfigMap and Secret names in `env` and `envFrom` are checked by
    /// env-value-from-invalid and env-from-invalid.)
    ///
    /// ## Why it matters in a Pod
    /// These fields are looked up by name when the Pod is admitted and scheduled: the token of
    /// the ServiceAccount is mounted into every container, the PriorityClass decides who is
    /// evicted first, the RuntimeClass picks the container runtime. No object can have a name
    /// like `My_Service_Account`, so the API server rejects the reference outright.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   serviceAccountName: My_Service_Account
    ///   priorityClassName: High-Priority
    /// ```
    ///
    /// ## How to fix
    /// Use the referenced object's `metadata.name` exactly, e.g. `my-service-account`.
    pub struct ReferenceNameInvalid {
        name: "reference-name-invalid",
        category: ApiRejects,
        hook: Pod,
        fix: Sometimes,
        summary: "serviceAccountName, nodeName, priorityClassName or runtimeClassName is not a valid name",
    }
}

impl PodRule for ReferenceNameInvalid {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        for &(field, kind) in REFERENCES {
            let mut written = pod.spec.entry(field);
            // The deprecated `serviceAccount` is used when `serviceAccountName` is empty.
            if field == "serviceAccountName"
                && written.is_none_or(|(_, v)| v.as_string().is_none_or(str::is_empty))
            {
                written = pod.spec.entry("serviceAccount").or(written);
            }
            let Some((key, value)) = written else {
                continue;
            };
            let Some(name) = value.as_string() else {
                continue;
            };
            // Only `runtimeClassName` is checked when empty: the others treat "" as unset.
            if name.is_empty() && field != "runtimeClassName" {
                continue;
            }
            let Err(why) = names::dns1123_subdomain(name) else {
                continue;
            };
            let key_text = key.as_str().unwrap_or(field);
            let fix = to_subdomain(name).filter(|s| s != name).map(|suggestion| {
                Fix::unsafe_(
                    format!("Refer to `{suggestion}`"),
                    vec![replace_scalar(cx.source, value, &suggestion)],
                )
            });
            let d = cx
                .report(
                    value.range(),
                    format!("`{key_text}: {name}` cannot name a {kind}, so the API server rejects the Pod: {why}"),
                )
                .help(format!("use the {kind}'s `metadata.name` exactly; object names are DNS subdomains (lowercase letters, digits, `-` and `.`)"));
            if let Some(fix) = fix {
                d.fix(fix);
            }
        }
    }
}

/// The closest valid DNS subdomain: each dot-separated part made a DNS label.
fn to_subdomain(name: &str) -> Option<String> {
    let parts: Option<Vec<String>> = name.split('.').map(names::to_dns1123_label).collect();
    let joined = parts?.join(".");
    names::dns1123_subdomain(&joined).is_ok().then_some(joined)
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{findings, pod, RuleTest};

    #[test]
    fn referenced_names_are_dns_subdomains() {
        let good = pod("  serviceAccountName: my-app\n  priorityClassName: system-node-critical\n  nodeName: ip-10-0-1-12.ec2.internal\n  runtimeClassName: gvisor\n  containers:\n  - name: app\n    image: a\n");
        let unset = pod("  serviceAccountName: \"\"\n  priorityClassName: \"\"\n  containers:\n  - name: app\n    image: a\n");
        let bad = pod("  serviceAccountName: My_App\n  priorityClassName: High-Priority\n  nodeName: node_1\n  runtimeClassName: \"\"\n  containers:\n  - name: app\n    image: a\n");
        let deprecated =
            pod("  serviceAccount: Build Bot\n  containers:\n  - name: app\n    image: a\n");
        RuleTest::new(&super::ReferenceNameInvalid::META)
            .pass(&good)
            .pass(&unset)
            .fail(&bad, &["My_App", "High-Priority", "node_1", "\"\""])
            .fail(&deprecated, &["Build Bot"])
            .run();
        assert!(findings("reference-name-invalid", &bad)[0]
            .1
            .contains("cannot name a ServiceAccount"));
    }
}
