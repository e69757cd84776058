use crate::rule::{Context, Flow, TextRule};
use crate::text::{self, TextRange};

declare_rule! {
    /// ## What it does
    /// Recognises an unrendered Helm (Go) template — a file whose `{{ … }}` actions stand
    /// where YAML structure is (a line of its own, a key, an unquoted value) — and reports it
    /// once instead of linting it. `{{ }}` inside string values (Argo Workflows,
    /// PrometheusRules, Kyverno policies) is text, and those files are linted. A whole chart
    /// (a folder with `Chart.yaml`) is rendered with `helm template` when helm is installed,
    /// or gets one info note on its `Chart.yaml` when it is not.
    ///
    /// ## Why it matters in a Pod
    /// A template is not yet a manifest: the Pod the cluster will see only exists after Helm
    /// fills in the values. Linting the template itself would report noise, and miss the real
    /// problems that depend on the values.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   containers:
    ///   - name: {{ .Chart.Name }}
    ///     image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
    /// ```
    ///
    /// ## How to fix
    /// Lint the chart: with helm on PATH `podlint check` renders it and reports at the
    /// template lines; without, pipe it: `helm template . | podlint check -` (findings are
    /// mapped to the files Helm's `# Source:` comments name).
    pub struct HelmTemplate {
        name: "helm-template",
        category: Correctness,
        hook: Text,
        fix: Never,
        summary: "The file is an unrendered Helm template; lint `helm template` output instead",
    }
}

impl TextRule for HelmTemplate {
    fn check(&self, text: &str, cx: &mut Context<'_>) -> Flow {
        let Some(range) = first_action(text) else {
            return Flow::Continue;
        };
        cx.report(
            range,
            "this looks like an unrendered Helm template (`{{ … }}`); podlint lints the manifests Helm renders, so this file is skipped",
        )
        .help("pipe the rendered chart instead: `helm template . | podlint check -`");
        Flow::Stop
    }
}

/// Where the first `{{ … }}` that stands where YAML structure is (not inside a string value)
/// is, if the file is a template: an action alone on its line (`{{- if … }}`), a key, or a
/// value that starts with one unquoted (`replicas: {{ .Values.n }}`). Argo Workflows,
/// PrometheusRules and Kyverno policies carry `{{ }}` inside quoted or block strings
/// (`description: "{{ $labels.instance }} is down"`); those files are manifests.
fn first_action(source: &str) -> Option<TextRange> {
    // Nearly every file has no `{{` at all: one fast search instead of a pass per line.
    if !crate::text::contains(source, "{{") {
        return None;
    }
    let mut offset = 0;
    // Lines indented deeper than this are the body of a block scalar (`script: |`).
    let mut block_scalar: Option<usize> = None;
    for line in source.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        let indent = content.len() - content.trim_start().len();
        let code = content.trim_start();
        if code.is_empty() {
            continue;
        }
        if let Some(parent) = block_scalar {
            if indent > parent {
                continue;
            }
            block_scalar = None;
        }
        if code.starts_with('#') {
            continue;
        }
        // Past any `- ` item markers.
        let mut at = indent;
        let mut rest = code;
        while let Some(after) = rest.strip_prefix("- ") {
            let trimmed = after.trim_start();
            at += rest.len() - trimmed.len();
            rest = trimmed;
        }
        let structural = if rest.starts_with("{{") {
            Some(at)
        } else {
            match key_end(rest) {
                Some(colon) if rest[..colon].contains("{{") => {
                    Some(at + rest[..colon].find("{{").unwrap_or(0))
                }
                Some(colon) => {
                    let value = rest[colon + 1..].trim_start();
                    let value_at = at + rest.len() - value.len();
                    if value.starts_with(['|', '>']) {
                        block_scalar = Some(indent);
                    }
                    value.starts_with("{{").then_some(value_at)
                }
                None => None,
            }
        };
        if let Some(open) = structural {
            let close = content[open..]
                .find("}}")
                .map_or(content.len(), |c| open + c + 2);
            return Some(text::range(start + open, start + close));
        }
    }
    None
}

/// Where a plain (unquoted) key's `:` is, if the line starts with one.
fn key_end(rest: &str) -> Option<usize> {
    if rest.starts_with(['"', '\'', '[', '{']) {
        return None;
    }
    let bytes = rest.as_bytes();
    (0..bytes.len()).find(|&i| bytes[i] == b':' && (i + 1 == bytes.len() || bytes[i + 1] == b' '))
}

#[cfg(test)]
mod tests {
    use crate::rules::test::RuleTest;

    #[test]
    fn reports_the_first_template_action() {
        RuleTest::new(&super::HelmTemplate::META)
            .pass("# {{ not a template, a comment }}\nkind: Pod\n")
            .pass("a: '{x}'\n")
            // Argo and Prometheus templates inside strings are values, not Helm.
            .pass("args: [\"{{inputs.parameters.message}}\"]\nsummary: \"{{ $labels.instance }} down\"\nscript: |\n  {{ not structure }}\n  - {{ neither }}\nimage: repo:{{workflow.name}}\n")
            .fail(
                "a: 1\nname: {{ .Release.Name }}-web\nimage: {{ .Values.image }}\n",
                &["{{ .Release.Name }}"],
            )
            .fail("spec:\n  {{- if .Values.x }}\n  replicas: 2\n", &["{{- if .Values.x }}"])
            .fail("spec:\n  replicas: {{ .Values.n }}\n", &["{{ .Values.n }}"])
            .fail("containers:\n- {{ include \"c\" . }}\n", &["{{ include \"c\" . }}"])
            .run();
    }
}
