use crate::diagnostic::{Edit, Fix};
use crate::rule::{Context, Entry, Origin, RuleSelector, Suppression, SuppressionRule};
use crate::text::{self, TextRange};

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
        hook: Suppression,
        fix: Sometimes,
        summary: "A suppression comment or annotation that suppresses nothing",
        severity: Warning,
    }
}

impl SuppressionRule for UnusedSuppression {
    fn check(&self, suppressions: &[Suppression], cx: &mut Context<'_>) {
        report_unused(suppressions, cx);
    }
}

fn report_unused(suppressions: &[Suppression], cx: &mut Context<'_>) {
    let text = cx.source;
    let settings = cx.settings;
    let meta = cx.meta();
    let own_index = settings.rule_index(meta.name);
    let is_self = |e: &Entry| matches!((e.selector, own_index), (Some(RuleSelector::Rule(i)), Some(j)) if i == j);
    let mut found = Vec::new();
    for s in suppressions {
        if let Some((range, guess)) = s.misspelt {
            let word = &text[range];
            let mut d = meta.diagnostic(
                range,
                format!("`{word}` is not a podlint directive, so it suppresses nothing"),
            );
            d.help(format!("did you mean `{guess}`?"));
            // Unsafe: once spelt right, it starts hiding findings.
            d.fix(Fix::unsafe_(
                format!("Write `{guess}`"),
                vec![Edit::replace(range, guess)],
            ));
            found.push(d);
            continue;
        }
        // Reportable: names no rule, or suppressed nothing although a rule it names ran.
        let unused: Vec<&Entry> = s
            .entries
            .iter()
            .filter(|e| !e.used && !is_self(e))
            .filter(|e| match e.selector {
                None => true,
                Some(sel) => (0..settings.registry().len())
                    .any(|i| settings.selects(sel, i) && settings.is_enabled_at(i)),
            })
            .collect();
        if unused.is_empty() {
            continue;
        }
        let all_unused = unused.len() == s.entries.len();
        if all_unused && s.entries.iter().all(|e| e.selector.is_some()) {
            let (range, what) = match &s.origin {
                Origin::Comment { comment, .. } => (*comment, "suppression comment"),
                Origin::Annotation { .. } => (span(&s.entries), "`podlint.dev/ignore` annotation"),
            };
            let names: Vec<&str> = s.entries.iter().map(|e| e.name.as_str()).collect();
            let findings = match names.as_slice() {
                ["all"] => "no finding".to_string(),
                _ => format!("no `{}` finding", names.join("`, `")),
            };
            let mut d = meta.diagnostic(
                range,
                format!("this {what} suppresses nothing: {findings} is in its scope"),
            );
            d.help("remove it; if the finding moved, put the suppression next to it");
            if let Some(fix) = remove_whole(text, s) {
                d.fix(fix);
            }
            found.push(d);
            continue;
        }
        for entry in unused {
            let message = match entry.selector {
                None => {
                    let mut m = format!(
                        "`{}` is neither a rule, a preset, a category nor `all`",
                        entry.name
                    );
                    if let Some(close) = settings.closest_rule(&entry.name) {
                        m.push_str(&format!("; did you mean `{close}`?"));
                    }
                    m
                }
                Some(_) => format!(
                    "`{}` suppresses nothing: there is no such finding in this suppression's scope",
                    entry.name
                ),
            };
            let mut d = meta.diagnostic(entry.range, message);
            d.help(match entry.selector {
                None => "`podlint rules` lists the rule names",
                Some(_) => "remove the name; if the finding moved, put the suppression next to it",
            });
            let fix = if all_unused {
                remove_whole(text, s)
            } else {
                remove_entry(s, entry)
            };
            if let Some(fix) = fix {
                d.fix(fix);
            }
            found.push(d);
        }
    }
    // A directive that names `unused-suppression` silences these findings in its scope.
    found.retain(|d| {
        !suppressions
            .iter()
            .any(|s| s.scope.contains_inclusive(d.range.start()) && s.entries.iter().any(is_self))
    });
    cx.diagnostics.extend(found);
}

fn span(entries: &[Entry]) -> TextRange {
    entries
        .iter()
        .map(|e| e.range)
        .reduce(TextRange::cover)
        .unwrap_or_default()
}

fn remove_whole(text: &str, s: &Suppression) -> Option<Fix> {
    let range = match &s.origin {
        Origin::Comment {
            own_line: Some(line),
            ..
        } => *line,
        Origin::Comment { comment, .. } => {
            // Also the spaces between the content and the `#`.
            let before = text[..usize::from(comment.start())].trim_end_matches([' ', '\t']);
            text::range(before.len(), comment.end().into())
        }
        Origin::Annotation { removal, .. } => (*removal)?,
    };
    Some(Fix::safe(
        "Remove the unused suppression",
        vec![Edit::delete(range)],
    ))
}

/// Removes one name and its separator from a list of several.
fn remove_entry(s: &Suppression, entry: &Entry) -> Option<Fix> {
    if let Origin::Annotation { exact: false, .. } = s.origin {
        return None;
    }
    let i = s.entries.iter().position(|e| std::ptr::eq(e, entry))?;
    let range = match (s.entries.get(i + 1), i.checked_sub(1)) {
        (Some(next), _) => TextRange::new(entry.range.start(), next.range.start()),
        (None, Some(prev)) => TextRange::new(s.entries[prev].range.end(), entry.range.end()),
        (None, None) => return None,
    };
    Some(Fix::safe(
        format!("Remove `{}` from the suppression", entry.name),
        vec![Edit::delete(range)],
    ))
}

#[cfg(test)]
mod tests {
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn stale_and_unknown_suppressions() {
        let clean = pod("  containers:\n  - name: web\n    image: nginx:1.27\n");
        let stale = pod("  containers:\n  # podlint-disable-next-line all\n  - name: web\n    image: nginx:1.27\n");
        let unknown = pod("  containers:\n  - name: web  # podlint-disable-line duplicate-port\n    image: nginx:1.27\n");
        let annotated = clean.replace(
            "  name: demo\n",
            "  name: demo\n  annotations:\n    podlint.dev/ignore: \"nope\"\n",
        );
        RuleTest::new(&super::UnusedSuppression::META)
            .pass(&clean)
            .fail(&stale, &["# podlint-disable-next-line all"])
            .fail(&unknown, &["duplicate-port"])
            .fail(&annotated, &["nope"])
            .run();
    }
}
