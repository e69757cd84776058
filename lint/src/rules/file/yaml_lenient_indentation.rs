use crate::rule::{Context, SyntaxProblems, SyntaxRule};

declare_rule! {
    /// ## What it does
    /// Notes a line inside a flow collection (`[ … ]`, `{ … }`) or a quoted string that is
    /// indented no deeper than the key it belongs to. podlint reads it as kubectl does.
    ///
    /// ## Why it matters in a Pod
    /// kubectl decodes YAML with go-yaml, which ignores the indentation of such lines, so the
    /// manifest applies and the Pod is what you wrote. The YAML spec requires them to be
    /// indented deeper than their key, and tools that follow it to the letter (some editors,
    /// formatters and YAML libraries) reject the whole file.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    /// - name: app
    ///   args: [
    ///     "--port=8080"
    ///   ]
    ///   env:
    ///   - name: GREETING
    ///     value: "hello
    ///     world"
    /// ```
    ///
    /// ## How to fix
    /// Indent the line deeper than its key (`    ]`, `      world"`), or keep a flow
    /// collection on one line: `args: ["--port=8080"]`.
    pub struct YamlLenientIndentation {
        name: "yaml-lenient-indentation",
        category: Style,
        hook: Syntax,
        fix: Never,
        summary: "A line kubectl accepts but the YAML spec does not: indented no deeper than its key",
    }
}

impl SyntaxRule for YamlLenientIndentation {
    fn check(&self, problems: &SyntaxProblems<'_>, cx: &mut Context<'_>) {
        for note in problems.lenient {
            cx.report(note.range, note.message.clone())
                .help("indent this line deeper than the key it belongs to");
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::RuleTest;

    #[test]
    fn lines_kubectl_accepts_are_noted_not_errors() {
        RuleTest::new(&super::YamlLenientIndentation::META)
            .pass("spec:\n  args: [\n    a\n  ]\n".replace("  ]", "    ]"))
            .fail("spec:\n  args: [\n    \"a\",\n    \"b\"\n  ]\n", &["  ]"])
            .fail(
                "metadata:\n  annotations:\n    note: \"a long\n    text\"\n",
                &["    text\""],
            )
            .run();
    }
}
