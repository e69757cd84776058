//! Hover: the Kubernetes field under the cursor (type, whether required, description, allowed
//! values) and the documentation of any podlint finding there.

use podlint_lint::schema::{Field, NEWEST_MINOR, OLDEST_MINOR};
use podlint_lint::text::{TextRange, TextSize};
use podlint_lint::{rules, syntax};

use crate::cursor::{document_at, locate};

/// Markdown for the hover at `offset`, and the range it describes.
pub fn hover(
    text: &str,
    offset: TextSize,
    findings: &[podlint_lint::Diagnostic],
) -> Option<(String, Option<TextRange>)> {
    let mut sections = Vec::new();
    let mut range = None;

    let mut seen = Vec::new();
    for finding in findings
        .iter()
        .filter(|d| d.range.contains_inclusive(offset))
    {
        if seen.contains(&finding.rule) {
            continue;
        }
        seen.push(finding.rule);
        if let Some(rule) = rules::rule(finding.rule) {
            let meta = rule;
            sections.push(format!(
                "**podlint `{}`** ({}, {})\n\n{}",
                meta.name,
                meta.category.as_str(),
                finding.severity.as_str(),
                meta.docs.trim()
            ));
            range.get_or_insert(finding.range);
        }
    }

    let parsed = syntax::parse(text);
    if let Some(hit) = document_at(&parsed.documents, offset).and_then(|doc| locate(doc, offset)) {
        if let (Some(field), Some(owner)) = (hit.field, hit.owner) {
            sections.insert(0, field_markdown(owner.short_name(), field));
            range = Some(hit.node.range());
        }
    }

    (!sections.is_empty()).then(|| (sections.join("\n\n---\n\n"), range))
}

pub fn field_markdown(owner: &str, field: &Field) -> String {
    let mut out = format!("**{}**: `{}`", field.name, field.type_label());
    if field.required {
        out.push_str(" (required)");
    }
    out.push_str(&format!("\n\n*{owner}.{}*", field.name));
    if field.since_minor > OLDEST_MINOR || field.until_minor < NEWEST_MINOR {
        out.push_str(&format!(
            ", Kubernetes 1.{} to 1.{}",
            field.since_minor, field.until_minor
        ));
    }
    if !field.description.is_empty() {
        out.push_str("\n\n");
        out.push_str(field.description);
    }
    if !field.enum_values.is_empty() {
        let values: Vec<String> = field.enum_values.iter().map(|v| format!("`{v}`")).collect();
        out.push_str(&format!("\n\nAllowed values: {}", values.join(", ")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use podlint_lint::{lint, Settings};

    const POD: &str = "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n    image: x\n    imagePullPolicy: Never\n";

    #[test]
    fn a_key_shows_its_field() {
        let offset = TextSize::new(POD.find("imagePullPolicy").unwrap() as u32 + 3);
        let (markdown, range) = hover(POD, offset, &[]).unwrap();
        assert!(markdown.starts_with("**imagePullPolicy**: `string`"));
        assert!(markdown.contains("Allowed values: `Always`, `IfNotPresent`, `Never`"));
        assert_eq!(&POD[range.unwrap()], "imagePullPolicy");
    }

    #[test]
    fn a_finding_shows_its_rule_documentation() {
        let text = "apiVersion: apps/v1\nkind: Pod\n";
        let findings = lint(text, &Settings::default());
        let offset = TextSize::new(text.find("apps").unwrap() as u32);
        let (markdown, _) = hover(text, offset, &findings).unwrap();
        assert!(markdown.contains("**podlint `api-version-kind-mismatch`**"));
        assert!(markdown.contains("## What it does"));
    }
}
