use crate::k8s::Pod;
use crate::rule::{Context, PodRule};

declare_rule! {
    /// ## What it does
    /// Reports an `env[].name` or `envFrom[].prefix` the API server refuses: an empty name, a
    /// name with `=` or a character outside printable ASCII. For Kubernetes before 1.32 (see
    /// `kubernetes-version`) names must also be C identifiers with `-` and `.` allowed
    /// (`[-._a-zA-Z][-._a-zA-Z0-9]*`): no spaces, no leading digit.
    ///
    /// ## Why it matters in a Pod
    /// `env` is the Pod's `docker run -e NAME=value`: the kubelet hands each variable to the
    /// container runtime as `NAME=value`, so a `=` in the name would split in the wrong place.
    /// The API server rejects the whole Pod, or the workload that holds it.
    ///
    /// ## Example
    /// ```yaml
    /// env:
    /// - name: DB_URL=postgres://db
    /// - name: 2FA_ENABLED
    ///   value: "true"
    /// ```
    ///
    /// ## How to fix
    /// Put only the name in `name` and the value in `value`. Prefer `UPPER_SNAKE_CASE` names
    /// that start with a letter: every shell and runtime reads those.
    pub struct EnvVarNameInvalid {
        name: "env-var-name-invalid",
        category: ApiRejects,
        hook: Pod,
        fix: Sometimes,
        summary: "An environment variable name (or envFrom prefix) the API server rejects",
    }
}

/// Kubernetes 1.32 turned on `RelaxedEnvironmentVariableValidation` by default.
const RELAXED_SINCE_MINOR: u8 = 32;

impl PodRule for EnvVarNameInvalid {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        let relaxed = cx.settings.kubernetes_minor >= RELAXED_SINCE_MINOR;
        for container in pod.containers() {
            let who = container.who();
            for var in container.list("env") {
                let Some((key_node, node)) = var.entry("name") else {
                    continue;
                };
                let Some(name) = node.as_str() else { continue };
                let Some(problem) = problem(name, relaxed) else {
                    continue;
                };
                let indent = " ".repeat(column(cx.source, key_node.range()));
                let newline = crate::text::line_ending(cx.source);
                let d = cx.report(
                    node.range(),
                    if name.is_empty() {
                        format!("{who} has an environment variable with an empty name")
                    } else {
                        format!("{who} has an environment variable named `{name}`: {problem}")
                    },
                );
                match name.split_once('=') {
                    Some((key, value)) if !key.is_empty() && problem_free(key, relaxed) => {
                        d.help(format!("`name` holds only the name, like the part before `=` in `docker run -e {name}`; put the rest in `value`"));
                        if var.get("value").is_none() && var.get("valueFrom").is_none() {
                            d.fix(crate::Fix::unsafe_(
                                format!("Split into `name: {key}` and `value`"),
                                vec![crate::Edit::replace(
                                    node.range(),
                                    format!("{key}{}{indent}value: {}", newline, quote(value)),
                                )],
                            ));
                        }
                    }
                    _ => {
                        d.help("use letters, digits and `_` (e.g. `LOG_LEVEL`), starting with a letter");
                    }
                }
            }
            for source in container.list("envFrom") {
                let Some(node) = source.get("prefix") else {
                    continue;
                };
                let Some(prefix) = node.as_str() else {
                    continue;
                };
                if prefix.is_empty() {
                    continue;
                }
                if let Some(problem) = problem(prefix, relaxed) {
                    cx.report(
                        node.range(),
                        format!("{who} has an `envFrom` prefix `{prefix}`: {problem}"),
                    )
                    .help("the prefix starts every imported variable name, so it follows the same rules: letters, digits and `_`, e.g. `APP_`");
                }
            }
        }
    }
}

fn problem_free(name: &str, relaxed: bool) -> bool {
    problem(name, relaxed).is_none()
}

/// What the API server objects to in an environment variable name, if anything.
fn problem(name: &str, relaxed: bool) -> Option<String> {
    if name.is_empty() {
        return Some("the name is empty".into());
    }
    if name.contains('=') {
        return Some("`=` is not allowed in a name, it separates the name from the value".into());
    }
    if let Some(c) = name.chars().find(|c| !(' '..='~').contains(c)) {
        return Some(format!(
            "{:?} is not allowed; names use printable ASCII characters only",
            c
        ));
    }
    if relaxed {
        return None;
    }
    let strict_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_');
    if let Some(c) = name.chars().find(|c| !strict_char(*c)) {
        return Some(format!(
            "`{c}` is not allowed before Kubernetes 1.32; use letters, digits, `_`, `-` and `.`"
        ));
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        return Some("a name may not start with a digit before Kubernetes 1.32".into());
    }
    None
}

/// The column (in bytes) where `range` starts on its line.
fn column(source: &str, range: crate::text::TextRange) -> usize {
    let start = usize::from(range.start());
    start - source[..start].rfind('\n').map_or(0, |i| i + 1)
}

/// `value` as a YAML scalar that reads back as the same string: plain when it is a simple
/// word, else double-quoted (so `true`, `8080` or `a: b` stay strings).
fn quote(value: &str) -> String {
    let plain = !value.is_empty()
        && !value.starts_with(['-', '.'])
        && crate::syntax::resolve_plain(value) == crate::syntax::ScalarType::String
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'));
    if plain {
        value.to_string()
    } else {
        format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    const RULE: &str = "env-var-name-invalid";

    #[test]
    fn names_with_equals_or_control_characters_are_rejected() {
        let good = pod("  containers:\n  - name: app\n    image: a\n    env:\n    - name: LOG_LEVEL\n      value: debug\n    - name: my.setting-1\n      value: x\n    envFrom:\n    - prefix: APP_\n      configMapRef: {name: cfg}\n");
        let bad = pod("  containers:\n  - name: app\n    image: a\n    env:\n    - name: LOG_LEVEL=debug\n    - name: \"\"\n      value: x\n    envFrom:\n    - prefix: \"A=\"\n      configMapRef: {name: cfg}\n");
        RuleTest::new(&super::EnvVarNameInvalid::META)
            .pass(&good)
            .fail(&bad, &["LOG_LEVEL=debug", "\"\"", "\"A=\""])
            .run();
    }

    #[test]
    fn strict_names_before_1_32() {
        let text = pod("  containers:\n  - name: app\n    image: a\n    env:\n    - name: 2FA\n      value: x\n    - name: MY VAR\n      value: y\n");
        assert!(crate::rules::test::findings(RULE, &text).is_empty());
        let mut settings = crate::Settings::only(&[RULE]);
        settings.kubernetes_minor = 31;
        assert_eq!(crate::lint(&text, &settings).len(), 2);
    }

    #[test]
    fn the_fix_splits_name_and_value() {
        let text =
            pod("  containers:\n  - name: app\n    image: a\n    env:\n    - name: PORT=8080\n");
        let found = crate::lint(&text, &crate::Settings::only(&[RULE]));
        let edit = &found[0].fix.as_ref().unwrap().edits[0];
        assert_eq!(edit.replacement, "PORT\n      value: \"8080\"");
        // A CRLF file keeps its line endings.
        let crlf = text.replace('\n', "\r\n");
        let found = crate::lint(&crlf, &crate::Settings::only(&[RULE]));
        let edit = &found[0].fix.as_ref().unwrap().edits[0];
        assert_eq!(edit.replacement, "PORT\r\n      value: \"8080\"");
    }
}
