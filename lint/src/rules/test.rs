//! The inline tester: lint a snippet with one rule and look at what it flagged.

use crate::settings::Settings;

/// Lints `yaml` with only `rule` enabled; returns each finding as `(flagged text, message)`.
pub(crate) fn findings(rule: &str, yaml: &str) -> Vec<(String, String)> {
    let settings = Settings::only(&[rule]);
    crate::lint(yaml, &settings)
        .into_iter()
        .map(|d| (yaml[d.range].to_string(), d.message))
        .collect()
}

/// The flagged source text of each finding of `rule` in `yaml`.
pub(crate) fn flagged(rule: &str, yaml: &str) -> Vec<String> {
    findings(rule, yaml)
        .into_iter()
        .map(|(text, _)| text)
        .collect()
}

/// Asserts the rule is quiet on every `pass` snippet and flags exactly `expected` texts in
/// each `fail` snippet.
pub(crate) fn assert_rule(rule: &str, pass: &[&str], fail: &[(&str, &[&str])]) {
    for yaml in pass {
        let found = findings(rule, yaml);
        assert!(
            found.is_empty(),
            "{rule} should pass:\n{yaml}\nbut found {found:?}"
        );
    }
    for (yaml, expected) in fail {
        assert_eq!(flagged(rule, yaml), *expected, "{rule} on:\n{yaml}");
    }
}

/// Wraps a PodSpec body (indented by two spaces) into a Pod manifest.
pub(crate) fn pod(spec: &str) -> String {
    format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: demo\nspec:\n{spec}")
}
