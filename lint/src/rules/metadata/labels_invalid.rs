use crate::k8s::{names, Object};
use crate::rule::{Context, ObjectRule};
use crate::syntax::{NodeRef, ScalarType};

declare_rule! {
    /// ## What it does
    /// Checks the labels of a workload and of its pod template: each key must be a qualified
    /// name (optional `prefix/` + up to 63 letters, digits, `-`, `_`, `.`), each value at most
    /// 63 such characters, and every value a string.
    ///
    /// ## Why it matters in a Pod
    /// Labels are how Services, Deployments and NetworkPolicies find your Pods. The API
    /// server rejects labels it cannot index, and a value like `true` or `1.0` written without
    /// quotes is not a string at all.
    ///
    /// ## Example
    /// ```yaml
    /// metadata:
    ///   labels:
    ///     version: 1.0
    ///     team: "payments & billing"
    /// ```
    ///
    /// ## How to fix
    /// Quote values that YAML would read as numbers or booleans (`version: "1.0"`), and keep
    /// to letters, digits, `-`, `_` and `.`.
    pub struct LabelsInvalid {
        name: "labels-invalid",
        category: ApiRejects,
        hook: Object,
        fix: Sometimes,
        summary: "A label key or value is not valid",
    }
}

impl ObjectRule for LabelsInvalid {
    fn check(&self, object: &Object<'_, '_>, cx: &mut Context<'_>) {
        if object.workload.is_none() {
            return;
        }
        if let Some(labels) = object.metadata().and_then(|m| m.get("labels")) {
            check_labels(labels, cx);
        }
        if let Some(pod) = object.pod() {
            if !pod.is_bare_pod() {
                if let Some(labels) = pod.metadata().and_then(|m| m.get("labels")) {
                    check_labels(labels, cx);
                }
            }
        }
    }
}

fn check_labels(labels: NodeRef<'_, '_>, cx: &mut Context<'_>) {
    for (key, value) in labels.entries() {
        let Some(key_text) = key.as_str() else {
            continue;
        };
        if let Err(why) = names::qualified_name(key_text) {
            cx.report(
                key.range(),
                format!("label key `{key_text}` is not valid: {why}"),
            );
        }
        match value.scalar_type() {
            Some(ScalarType::String) => {
                let text = value.as_str().unwrap_or_default();
                if let Err(why) = names::label_value(text) {
                    cx.report(
                        value.range(),
                        format!("label value `{text}` is not valid: {why}"),
                    );
                }
            }
            Some(ScalarType::Null) => {}
            Some(_) => {
                let text = value.as_str().unwrap_or_default();
                let quoted = format!("\"{text}\"");
                let fix = if names::label_value(text).is_ok() {
                    Some(crate::Fix::safe(
                        "Quote the value",
                        vec![crate::Edit::replace(value.range(), quoted.clone())],
                    ))
                } else {
                    None
                };
                let d = cx.report(value.range(), format!("label value `{text}` is read as a number or boolean, but label values must be strings"))
                    .help(format!("quote it: `{quoted}`"));
                if let Some(fix) = fix {
                    d.fix(fix);
                }
            }
            None => {
                cx.report(
                    value.range(),
                    "a label value must be a string, not a list or a mapping",
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::RuleTest;

    #[test]
    fn keys_and_values_are_checked() {
        RuleTest::new(&super::LabelsInvalid::META)
            .pass("apiVersion: v1\nkind: Pod\nmetadata:\n  labels:\n    app.kubernetes.io/name: web\n    version: \"1.0\"\n")
            .fail("apiVersion: v1\nkind: Pod\nmetadata:\n  labels:\n    version: 1.0\n    team: a&b\n    -bad: x\n", &["1.0", "a&b", "-bad"])
            .run();
    }
}
