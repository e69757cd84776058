use crate::k8s::{names, Object};
use crate::rule::{Context, ObjectRule};

declare_rule! {
    /// ## What it does
    /// Checks `metadata.name` of a workload: it must be a DNS subdomain (lowercase letters,
    /// digits, `-` and `.`, at most 253 characters), and a CronJob's name at most 52
    /// characters.
    ///
    /// ## Why it matters in a Pod
    /// Object names become parts of DNS names and of the names of the Pods a controller
    /// creates, so the API server rejects anything that is not a valid DNS name. A CronJob
    /// appends an 11-character suffix to its name for each Job, hence its shorter limit.
    ///
    /// ## Example
    /// ```yaml
    /// metadata:
    ///   name: My_App
    /// ```
    ///
    /// ## How to fix
    /// Use lowercase letters, digits and `-`: `name: my-app`.
    pub struct MetadataNameInvalid {
        name: "metadata-name-invalid",
        category: ApiRejects,
        hook: Object,
        fix: Never,
        summary: "metadata.name is not a valid DNS subdomain",
    }
}

impl ObjectRule for MetadataNameInvalid {
    fn check(&self, object: &Object<'_, '_>, cx: &mut Context<'_>) {
        let Some(workload) = object.workload else {
            return;
        };
        let Some(node) = object.metadata().and_then(|m| m.get("name")) else {
            return;
        };
        let Some(name) = node.as_str() else { return };
        if node.as_string().is_none() && !name.is_empty() {
            cx.report(
                node.range(),
                format!("`metadata.name` must be a string, not `{name}`"),
            )
            .help("quote it, for example `name: \"1234\"`");
            return;
        }
        if let Err(why) = names::dns1123_subdomain(name) {
            let d = cx.report(
                node.range(),
                format!("`{name}` is not a valid {} name: {why}", workload.name()),
            );
            if let Some(suggested) = names::to_dns1123_label(name) {
                d.help(format!("object names are DNS names: lowercase letters, digits, `-` and `.`, e.g. `{suggested}`"));
            }
            return;
        }
        if workload == crate::k8s::WorkloadKind::CronJob && name.len() > 52 {
            cx.report(node.range(), format!("a CronJob name may have at most 52 characters; `{name}` has {}", name.len()))
                .help("the controller appends an 11-character suffix for each Job it creates; shorten the name");
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::RuleTest;

    #[test]
    fn names_must_be_dns_subdomains() {
        let long = format!(
            "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: {}\n",
            "a".repeat(53)
        );
        RuleTest::new(&super::MetadataNameInvalid::META)
            .pass("apiVersion: v1\nkind: Pod\nmetadata:\n  name: my-app.v2\n")
            .pass("apiVersion: v1\nkind: Service\nmetadata:\n  name: Any_Thing\n")
            .fail(
                "apiVersion: v1\nkind: Pod\nmetadata:\n  name: My_App\n",
                &["My_App"],
            )
            .fail(&long, &[&"a".repeat(53)])
            .run();
    }
}
