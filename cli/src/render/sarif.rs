//! `--format sarif`: SARIF 2.1.0, the format GitHub code scanning and other static-analysis
//! dashboards ingest. One run; the driver lists every rule with its documentation, so results
//! point at them by index.

use podlint_lint::{Severity, RULES};
use serde_json::{json, Value};

use super::{Located, Paths, Range};
use podlint_lint::docs::rule_markdown as documentation;

const REPOSITORY: &str = "https://github.com/podlint/podlint";
/// GitHub resolves this base to the repository root.
const SRCROOT: &str = "%SRCROOT%";

pub fn render<'a>(findings: impl IntoIterator<Item = &'a Located>, paths: &Paths) -> String {
    let results: Vec<Value> = findings.into_iter().map(|d| result(d, paths)).collect();
    let mut text =
        serde_json::to_string_pretty(&log(json!(results), paths)).expect("plain data serialises");
    text.push('\n');
    text
}

/// The log around the results, for a report written result by result: the text before the
/// first result and after the last, and the indentation of a result's lines.
pub fn envelope(paths: &Paths) -> super::json::Envelope {
    // A string no rule's documentation holds, where the results go.
    const HOLE: &str = "\u{0}results\u{0}";
    let text =
        serde_json::to_string_pretty(&log(json!(HOLE), paths)).expect("plain data serialises");
    let hole = serde_json::to_string(HOLE).expect("a string serialises");
    super::json::Envelope::around(&text, &hole)
}

/// One finding as a SARIF result, pretty-printed in its place inside the log.
pub fn render_result(d: &Located, paths: &Paths, envelope: &super::json::Envelope) -> Vec<u8> {
    envelope.item(&result(d, paths))
}

fn log(results: Value, paths: &Paths) -> Value {
    let mut run = json!({
        "tool": { "driver": driver() },
        "columnKind": "unicodeCodePoints",
        "results": results,
    });
    if let Some(root) = paths.root_uri() {
        run["originalUriBaseIds"] = json!({ SRCROOT: { "uri": root } });
    }
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [run],
    })
}

fn driver() -> Value {
    let version = env!("CARGO_PKG_VERSION");
    let rules: Vec<Value> = RULES
        .iter()
        .map(|rule| {
            let meta = *rule;
            let docs = documentation(meta);
            json!({
                "id": meta.name,
                "shortDescription": { "text": meta.summary },
                "fullDescription": { "text": what_it_does(meta.docs).unwrap_or_else(|| meta.summary.to_string()) },
                "help": { "text": docs, "markdown": docs },
                "helpUri": format!("{REPOSITORY}/blob/main/lint/src/rules/{}.rs", meta.name.replace('-', "_")),
                "defaultConfiguration": {
                    "enabled": meta.default_enabled,
                    "level": level(meta.severity),
                },
                "properties": { "tags": [meta.category.as_str()] },
            })
        })
        .collect();
    json!({
        "name": "podlint",
        "version": version,
        "semanticVersion": version,
        "informationUri": REPOSITORY,
        "rules": rules,
    })
}

fn result(d: &Located, paths: &Paths) -> Value {
    let artifact = artifact_location(&d.path, paths);
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let mut result = json!({
        "ruleId": d.rule,
        "ruleIndex": RULES.iter().position(|r| r.name == d.rule),
        "level": level(d.severity),
        "message": { "text": message },
        "locations": [{ "physicalLocation": {
            "artifactLocation": artifact,
            "region": region(&d.range),
        }}],
    });
    if !d.labels.is_empty() {
        let related: Vec<Value> = d
            .labels
            .iter()
            .enumerate()
            .map(|(id, label)| {
                json!({
                    "id": id,
                    "message": { "text": label.message },
                    "physicalLocation": {
                        "artifactLocation": artifact,
                        "region": region(&label.range),
                    },
                })
            })
            .collect();
        result["relatedLocations"] = json!(related);
    }
    if let Some(fix) = &d.fix {
        let replacements: Vec<Value> = fix
            .edits
            .iter()
            .map(|e| {
                json!({
                    "deletedRegion": region(&e.range),
                    "insertedContent": { "text": e.replacement },
                })
            })
            .collect();
        result["fixes"] = json!([{
            "description": { "text": fix.title },
            "artifactChanges": [{ "artifactLocation": artifact, "replacements": replacements }],
            "properties": { "applicability": fix.applicability },
        }]);
    }
    result
}

fn artifact_location(path: &str, paths: &Paths) -> Value {
    match paths.uri(path) {
        (uri, true) => json!({ "uri": uri, "uriBaseId": SRCROOT }),
        (uri, false) => json!({ "uri": uri }),
    }
}

/// 1-based lines and columns; the end column is exclusive, as SARIF's is.
fn region(range: &Range) -> Value {
    json!({
        "startLine": range.start.line,
        "startColumn": range.start.column,
        "endLine": range.end.line,
        "endColumn": range.end.column,
    })
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The first paragraph under a rule's `## What it does`.
fn what_it_does(docs: &str) -> Option<String> {
    let mut lines = docs.lines().map(str::trim);
    lines.find(|l| l.eq_ignore_ascii_case("## what it does"))?;
    let paragraph: Vec<&str> = lines
        .skip_while(|l| l.is_empty())
        .take_while(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    (!paragraph.is_empty()).then(|| paragraph.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_description_is_the_first_paragraph_of_what_it_does() {
        let docs = " ## What it does\n Flags two ports\n that clash.\n\n More.\n ## Why\n x";
        assert_eq!(
            what_it_does(docs).as_deref(),
            Some("Flags two ports that clash.")
        );
        assert_eq!(what_it_does("no headings"), None);
    }

    #[test]
    fn every_rule_has_a_full_description() {
        for rule in RULES {
            assert!(
                what_it_does(rule.docs).is_some(),
                "{} has no `## What it does` paragraph",
                rule.name
            );
        }
    }
}
