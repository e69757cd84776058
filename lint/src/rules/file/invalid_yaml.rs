use crate::rule::{Context, SyntaxProblems, SyntaxRule};

declare_rule! {
    /// ## What it does
    /// Reports a file that cannot be read as YAML: a syntax error, tab indentation, nesting
    /// deeper than any manifest, a binary file, or text that is not UTF-8.
    ///
    /// ## Why it matters in a Pod
    /// `kubectl apply` stops at the first such error, so nothing in the file reaches the
    /// cluster. podlint reports the position and still lints the file's other documents
    /// (after the next `---`).
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   containers:
    ///   - name: app
    ///   	image: nginx:1.25   # a tab before `image`
    /// ```
    ///
    /// ## How to fix
    /// Indent with spaces only, close every `[` and `{`, and quote values that contain `: `
    /// or start with a YAML indicator such as `*`, `&`, `!`, `%` or `@`.
    pub struct InvalidYaml {
        name: "invalid-yaml",
        category: ApiRejects,
        hook: Syntax,
        fix: Never,
        summary: "The file is not valid YAML (syntax, encoding, binary, nesting)",
    }
}

impl SyntaxRule for InvalidYaml {
    fn check(&self, problems: &SyntaxProblems<'_>, cx: &mut Context<'_>) {
        if let Some(error) = problems.decode {
            let d = cx.report(error.range, error.message.clone());
            if let Some(help) = &error.help {
                d.help(help.clone());
            }
        }
        for error in problems.parse {
            cx.report(error.range, error.message.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{findings, RuleTest};

    #[test]
    fn reports_syntax_errors_at_their_position() {
        let found = findings("invalid-yaml", "a: [1, 2\nb: 3\n");
        assert_eq!(found.len(), 1);
        assert!(found[0].1.starts_with("invalid YAML"));
    }

    #[test]
    fn tabs_are_explained() {
        let found = findings("invalid-yaml", "spec:\n\tcontainers: []\n");
        assert!(found[0].1.contains("never tabs"), "{found:?}");
    }

    #[test]
    fn fixtures_and_snapshot() {
        RuleTest::new(&super::InvalidYaml::META).run();
    }
}
