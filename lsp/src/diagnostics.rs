//! podlint findings as LSP diagnostics. Each carries its fix in `data`, already in the
//! client's positions, so a quick fix is answered without linting again.

use podlint_lint::{Applicability, Severity};
use serde::{Deserialize, Serialize};
use tower_lsp_server::ls_types::{
    CodeDescription, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location,
    NumberOrString, TextEdit, Uri,
};

use crate::convert::Encoding;
use crate::documents::Document;

/// The `source` of every diagnostic, so users tell podlint's from yaml-language-server's.
pub const SOURCE: &str = "podlint";

/// Where a rule's documentation lives.
pub fn rule_url(rule: &str) -> String {
    format!("https://github.com/podlint/podlint/blob/main/docs/rules.md#{rule}")
}

/// What a diagnostic's `data` holds.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DiagnosticData {
    /// The document version the positions below refer to.
    pub version: i32,
    pub fix: Option<FixData>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FixData {
    pub title: String,
    pub safe: bool,
    pub edits: Vec<TextEdit>,
}

impl DiagnosticData {
    pub fn of(diagnostic: &Diagnostic) -> Option<Self> {
        serde_json::from_value(diagnostic.data.clone()?).ok()
    }
}

pub fn to_lsp(
    uri: &Uri,
    document: &Document,
    diagnostics: &[podlint_lint::Diagnostic],
    encoding: Encoding,
) -> Vec<Diagnostic> {
    let text = &*document.text;
    let range = |r| document.lines.range(text, r, encoding);
    diagnostics
        .iter()
        .map(|d| {
            let related = d
                .labels
                .iter()
                .map(|label| DiagnosticRelatedInformation {
                    location: Location::new(uri.clone(), range(label.range)),
                    message: label.message.clone(),
                })
                .collect::<Vec<_>>();
            let fix = d.fix.as_ref().map(|fix| FixData {
                title: fix.title.clone(),
                safe: fix.applicability == Applicability::Safe,
                edits: fix
                    .edits
                    .iter()
                    .map(|e| TextEdit::new(range(e.range), e.replacement.clone()))
                    .collect(),
            });
            let mut message = d.message.clone();
            if let Some(help) = &d.help {
                message.push_str("\nhelp: ");
                message.push_str(help);
            }
            Diagnostic {
                range: range(d.range),
                severity: Some(severity(d.severity)),
                code: Some(NumberOrString::String(d.rule.to_owned())),
                code_description: rule_url(d.rule)
                    .parse()
                    .ok()
                    .map(|href| CodeDescription { href }),
                source: Some(SOURCE.to_owned()),
                message,
                related_information: (!related.is_empty()).then_some(related),
                tags: None,
                data: serde_json::to_value(DiagnosticData {
                    version: document.version,
                    fix,
                })
                .ok(),
            }
        })
        .collect()
}

fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}

/// The rule name of one of our diagnostics; `None` for other servers' diagnostics.
pub fn rule_of(diagnostic: &Diagnostic) -> Option<&str> {
    if diagnostic.source.as_deref() != Some(SOURCE) {
        return None;
    }
    match &diagnostic.code {
        Some(NumberOrString::String(rule)) => Some(rule),
        _ => None,
    }
}
