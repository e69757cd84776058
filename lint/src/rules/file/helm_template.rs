use crate::rule::{Context, Flow, TextRule};
use crate::text::{self, TextRange};

declare_rule! {
    /// ## What it does
    /// Recognises an unrendered Helm (Go) template — text with `{{ … }}` outside comments —
    /// and reports it once instead of linting it.
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
    /// Lint the rendered output: `helm template . | podlint check -`. To skip chart templates
    /// in a directory walk, exclude them in `.podlint.yaml`.
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

/// Where the first `{{ … }}` outside a comment is, if the file is a template.
fn first_action(source: &str) -> Option<TextRange> {
    // Nearly every file has no `{{` at all: one fast search instead of a pass per line.
    if !source.contains("{{") {
        return None;
    }
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        let code = line.trim_start();
        if !code.starts_with('#') {
            if let Some(open) = line.find("{{") {
                if line[open..].contains("}}") {
                    let start = offset + open;
                    let end = offset + open + line[open..].find("}}").unwrap_or(0) + 2;
                    return Some(text::range(start, end));
                }
            }
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::rules::test::RuleTest;

    #[test]
    fn reports_the_first_template_action() {
        RuleTest::new(&super::HelmTemplate::META)
            .pass("# {{ not a template, a comment }}\nkind: Pod\n")
            .pass("a: '{x}'\n")
            .fail(
                "a: 1\nname: {{ .Release.Name }}-web\nimage: {{ .Values.image }}\n",
                &["{{ .Release.Name }}"],
            )
            .run();
    }
}
