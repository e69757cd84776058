use crate::rules::Rule;

declare_rule! {
    /// ## What it does
    /// Reports a suppression that suppresses nothing: a `# podlint-disable…` comment or a
    /// `podlint.dev/ignore` annotation entry whose rule has no finding in its scope, a name
    /// that is no rule, category or `all` (with the closest rule name), and a misspelt
    /// directive such as `# podlint-disable-nextline`.
    ///
    /// ## Why it matters in a Pod
    /// Suppressions outlive the findings they were written for: the manifest gets fixed, or
    /// the field moves, and the comment stays. A stale suppression then hides the next real
    /// problem in its scope — a new container that runs as root, a second port clash — and a
    /// misspelt one never suppressed anything at all. Only names of rules that ran count: a
    /// suppression of a rule your configuration turns off is left alone.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   containers:
    ///   # podlint-disable-next-line duplicate-container-port -- both listen on 8080 on purpose
    ///   - name: web          # no port clash any more: the comment suppresses nothing
    ///     image: nginx:1.27
    /// ```
    ///
    /// ## How to fix
    /// Delete the suppression, or the unused names in it (the fix does this). If the finding
    /// moved, put the suppression next to where it is now. To keep a suppression on purpose,
    /// name `unused-suppression` in it too.
    pub struct UnusedSuppression {
        name: "unused-suppression",
        category: Style,
        fix: Sometimes,
        summary: "A suppression comment or annotation that suppresses nothing",
        severity: Warning,
    }
}

/// The engine reports it while applying suppressions (`crate::suppress`): it has no checks of
/// its own.
impl Rule for UnusedSuppression {
    fn meta(&self) -> &'static crate::rules::RuleMeta {
        &Self::META
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{assert_rule, pod};

    #[test]
    fn stale_and_unknown_suppressions() {
        let clean = pod("  containers:\n  - name: web\n    image: nginx:1.27\n");
        let stale = pod("  containers:\n  # podlint-disable-next-line all\n  - name: web\n    image: nginx:1.27\n");
        let unknown = pod("  containers:\n  - name: web  # podlint-disable-line duplicate-port\n    image: nginx:1.27\n");
        let annotated = clean.replace(
            "  name: demo\n",
            "  name: demo\n  annotations:\n    podlint.dev/ignore: \"nope\"\n",
        );
        assert_rule(
            "unused-suppression",
            &[&clean],
            &[
                (&stale, &["# podlint-disable-next-line all"]),
                (&unknown, &["duplicate-port"]),
                (&annotated, &["nope"]),
            ],
        );
    }
}
