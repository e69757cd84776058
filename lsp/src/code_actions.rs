//! Code actions: each finding's fix as a quick fix, fix-all of the safe fixes, a comment that
//! disables a rule for one line, and the bare-Pod conversions.
//!
//! A diagnostic brings its fix's edits in `data`, or (for clients that resolve code actions)
//! a key to its finding: the quick fix is then sent without its edit, and [`resolve`] makes
//! the edit when the client picks it.

use std::collections::HashMap;

use podlint_lint::text::{self, TextRange};
use podlint_lint::{engine, k8s, syntax, Settings};
use serde::{Deserialize, Serialize};
use tower_lsp_server::ls_types::{
    CodeAction, CodeActionContext, CodeActionKind, CodeActionOrCommand, Diagnostic,
    DocumentChanges, OneOf, OptionalVersionedTextDocumentIdentifier, Position, Range,
    TextDocumentEdit, TextEdit, Uri, WorkspaceEdit,
};

use crate::convert::Encoding;
use crate::diagnostics::{rule_of, DiagnosticData, FixKey};
use crate::documents::Document;
use crate::refactor::{self, Workload};

/// `source.fixAll.podlint`: the safe fixes of every finding, applied together.
pub fn fix_all_kind() -> CodeActionKind {
    CodeActionKind::new("source.fixAll.podlint")
}

/// The document a code action edits, and how its edits are written.
#[derive(Clone, Copy)]
pub struct Target<'a> {
    pub uri: &'a Uri,
    pub document: &'a Document,
    pub encoding: Encoding,
    /// The client takes `documentChanges`, so edits carry the version they were made for.
    pub versioned: bool,
}

/// One lint of the document: what keyed diagnostics refer to.
#[derive(Clone, Copy)]
pub struct Linted<'a> {
    pub generation: u64,
    pub findings: &'a [podlint_lint::Diagnostic],
}

pub struct Request<'a> {
    pub target: Target<'a>,
    pub range: Range,
    pub context: &'a CodeActionContext,
    pub settings: &'a Settings,
    /// The current lint, for diagnostics that carry a key instead of their edits.
    pub linted: Option<Linted<'a>>,
}

/// A deferred quick fix's `data`: which finding of which version to make the edit from.
#[derive(Debug, Serialize, Deserialize)]
pub struct ResolveData {
    pub uri: Uri,
    pub version: i32,
    pub key: FixKey,
}

impl Request<'_> {
    fn wants(&self, kind: &CodeActionKind) -> bool {
        match &self.context.only {
            None => true,
            Some(only) => only.iter().any(|o| {
                kind.as_str() == o.as_str()
                    || kind
                        .as_str()
                        .strip_prefix(o.as_str())
                        .is_some_and(|rest| rest.starts_with('.'))
            }),
        }
    }

    fn edit(&self, edits: Vec<TextEdit>) -> WorkspaceEdit {
        self.target.edit(edits)
    }

    fn lsp_edits(&self, edits: &[podlint_lint::Edit]) -> Vec<TextEdit> {
        self.target.lsp_edits(edits)
    }
}

impl Target<'_> {
    fn edit(&self, edits: Vec<TextEdit>) -> WorkspaceEdit {
        if self.versioned {
            WorkspaceEdit {
                document_changes: Some(DocumentChanges::Edits(vec![TextDocumentEdit {
                    text_document: OptionalVersionedTextDocumentIdentifier {
                        uri: self.uri.clone(),
                        version: Some(self.document.version),
                    },
                    edits: edits.into_iter().map(OneOf::Left).collect(),
                }])),
                ..WorkspaceEdit::default()
            }
        } else {
            WorkspaceEdit {
                changes: Some(HashMap::from([(self.uri.clone(), edits)])),
                ..WorkspaceEdit::default()
            }
        }
    }

    fn lsp_edits(&self, edits: &[podlint_lint::Edit]) -> Vec<TextEdit> {
        let doc = self.document;
        edits
            .iter()
            .map(|e| {
                TextEdit::new(
                    doc.lines.range(&doc.text, e.range, self.encoding),
                    e.replacement.clone(),
                )
            })
            .collect()
    }
}

pub fn actions(request: &Request<'_>) -> Vec<CodeActionOrCommand> {
    let mut out = Vec::new();
    let ours: Vec<&Diagnostic> = request
        .context
        .diagnostics
        .iter()
        .filter(|d| rule_of(d).is_some())
        .collect();
    if request.wants(&CodeActionKind::QUICKFIX) {
        out.extend(ours.iter().filter_map(|d| quick_fix(request, d)));
        let mut seen = Vec::new();
        for d in &ours {
            let key = (rule_of(d), d.range.start.line);
            if !seen.contains(&key) {
                seen.push(key);
                out.push(disable_for_line(request, d));
            }
        }
    }
    if request.wants(&fix_all_kind()) {
        out.extend(fix_all(request));
    }
    if request.wants(&CodeActionKind::REFACTOR_REWRITE) {
        out.extend(conversions(request));
    }
    out.into_iter()
        .map(CodeActionOrCommand::CodeAction)
        .collect()
}

/// The fix that came with a published diagnostic, from its `data`: no lint needed.
fn quick_fix(request: &Request<'_>, diagnostic: &Diagnostic) -> Option<CodeAction> {
    let data = DiagnosticData::of(diagnostic)?;
    if let Some(key) = data.key {
        return deferred_fix(request, diagnostic, data.version, key);
    }
    // Positions made for another version would land in the wrong place.
    if data.version != request.target.document.version && !request.target.versioned {
        return None;
    }
    let fix = data.fix?;
    if data.version == request.target.document.version && !keeps_yaml_valid(request, &fix.edits) {
        return None;
    }
    let mut edit = request.edit(fix.edits);
    if let Some(DocumentChanges::Edits(edits)) = &mut edit.document_changes {
        edits[0].text_document.version = Some(data.version);
    }
    Some(CodeAction {
        title: fix.title,
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![diagnostic.clone()]),
        is_preferred: Some(fix.safe),
        edit: Some(edit),
        ..CodeAction::default()
    })
}

/// A quick fix sent without its edit, which [`resolve`] makes later: offered only while the
/// document is the version the key was made for, and only if the fix keeps the YAML valid.
fn deferred_fix(
    request: &Request<'_>,
    diagnostic: &Diagnostic,
    version: i32,
    key: FixKey,
) -> Option<CodeAction> {
    let fix = keyed_fix(
        request.target.document,
        request.linted?,
        version,
        key,
        rule_of(diagnostic),
    )?;
    engine::apply_checked(&request.target.document.text, fix)?;
    let data = ResolveData {
        uri: request.target.uri.clone(),
        version,
        key,
    };
    Some(CodeAction {
        title: fix.title.clone(),
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![diagnostic.clone()]),
        is_preferred: Some(fix.applicability == podlint_lint::Applicability::Safe),
        data: serde_json::to_value(data).ok(),
        ..CodeAction::default()
    })
}

/// The fix of the finding `key` names, if `document` is still the version and `linted` the
/// lint the key was made for (and, when known, the finding is of `rule`).
fn keyed_fix<'a>(
    document: &Document,
    linted: Linted<'a>,
    version: i32,
    key: FixKey,
    rule: Option<&str>,
) -> Option<&'a podlint_lint::Fix> {
    let FixKey(generation, index) = key;
    if version != document.version || generation != linted.generation {
        return None;
    }
    let finding = linted.findings.get(index)?;
    if rule.is_some_and(|rule| rule != finding.rule) {
        return None;
    }
    finding.fix.as_ref()
}

/// `codeAction/resolve`: the edit of a quick fix from [`deferred_fix`], made against the
/// version it was offered for. A stale one comes back without an edit, so nothing is applied.
pub fn resolve(target: &Target<'_>, linted: Linted<'_>, mut action: CodeAction) -> CodeAction {
    let Some(data) = action
        .data
        .as_ref()
        .and_then(|d| ResolveData::deserialize(d).ok())
    else {
        return action;
    };
    let rule = action
        .diagnostics
        .as_ref()
        .and_then(|d| d.first())
        .and_then(rule_of);
    if data.uri != *target.uri {
        return action;
    }
    if let Some(fix) = keyed_fix(target.document, linted, data.version, data.key, rule) {
        action.edit = Some(target.edit(target.lsp_edits(&fix.edits)));
    }
    action
}

/// Whether applying `edits` to the document leaves its YAML as valid as it was: the engine's
/// guard, the same `podlint fix` applies, so a quick fix never writes broken YAML.
fn keeps_yaml_valid(request: &Request<'_>, edits: &[TextEdit]) -> bool {
    let doc = request.target.document;
    let encoding = request.target.encoding;
    let text = &*doc.text;
    let edits = edits
        .iter()
        .map(|e| {
            let start = doc.lines.offset(text, e.range.start, encoding);
            let end = doc.lines.offset(text, e.range.end, encoding);
            podlint_lint::Edit::replace(TextRange::new(start, end), e.new_text.clone())
        })
        .collect();
    let fix = podlint_lint::Fix::safe("", edits);
    engine::apply_checked(text, &fix).is_some()
}

/// Inserts `# podlint-disable-next-line RULE` above the finding's line, indented like it.
fn disable_for_line(request: &Request<'_>, diagnostic: &Diagnostic) -> CodeAction {
    let rule = rule_of(diagnostic).unwrap_or_default();
    let doc = request.target.document;
    let text = &*doc.text;
    let line_start = doc.lines.offset(
        text,
        Position::new(diagnostic.range.start.line, 0),
        request.target.encoding,
    );
    let line = &text[usize::from(line_start)..];
    let indent = &line[..line.len() - line.trim_start_matches([' ', '\t']).len()];
    let newline = if line.split('\n').next().is_some_and(|l| l.ends_with('\r')) {
        "\r\n"
    } else {
        "\n"
    };
    let at = Position::new(diagnostic.range.start.line, 0);
    CodeAction {
        title: format!("Disable {rule} for this line"),
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![diagnostic.clone()]),
        is_preferred: Some(false),
        edit: Some(request.edit(vec![TextEdit::new(
            Range::new(at, at),
            format!("{indent}# podlint-disable-next-line {rule}{newline}"),
        )])),
        ..CodeAction::default()
    }
}

/// Every safe fix, through the engine's fix loop as `podlint fix` runs it (refused whole when
/// the result would not parse), as one edit over the span that changed.
fn fix_all(request: &Request<'_>) -> Option<CodeAction> {
    let original = &*request.target.document.text;
    let fixed = engine::fix_text(original, request.settings, false);
    if fixed.refused {
        return None;
    }
    let (range, replacement) = changed_span(original, &fixed.text)?;
    Some(CodeAction {
        title: "Fix all safe podlint findings".to_owned(),
        kind: Some(fix_all_kind()),
        edit: Some(
            request.edit(request.lsp_edits(&[podlint_lint::Edit::replace(range, replacement)])),
        ),
        ..CodeAction::default()
    })
}

/// The smallest range of `before` that, replaced, gives `after`; `None` when they are equal.
pub fn changed_span(before: &str, after: &str) -> Option<(TextRange, String)> {
    if before == after {
        return None;
    }
    let mut prefix = before
        .bytes()
        .zip(after.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    while !before.is_char_boundary(prefix) || !after.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let max_suffix = before.len().min(after.len()) - prefix;
    let mut suffix = before
        .bytes()
        .rev()
        .zip(after.bytes().rev())
        .take(max_suffix)
        .take_while(|(a, b)| a == b)
        .count();
    while !before.is_char_boundary(before.len() - suffix)
        || !after.is_char_boundary(after.len() - suffix)
    {
        suffix -= 1;
    }
    Some((
        text::range(prefix, before.len() - suffix),
        after[prefix..after.len() - suffix].to_owned(),
    ))
}

fn conversions(request: &Request<'_>) -> Vec<CodeAction> {
    let doc = request.target.document;
    let text = &*doc.text;
    let offset = doc
        .lines
        .offset(text, request.range.start, request.target.encoding);
    let parsed = syntax::parse(text);
    let Some(document) = crate::cursor::document_at(&parsed.documents, offset) else {
        return Vec::new();
    };
    let objects = k8s::objects(document);
    let Some(pod) = refactor::bare_pod_at(&objects, offset) else {
        return Vec::new();
    };
    let restart = pod
        .root
        .at(&["spec", "restartPolicy"])
        .and_then(|p| p.as_str());
    [Workload::Deployment, Workload::Job]
        .into_iter()
        .filter(|to| to.suits(restart))
        .filter_map(|to| {
            let edits = refactor::convert(text, &pod, to)?;
            Some(CodeAction {
                title: format!("Convert to {}", to.kind()),
                kind: Some(CodeActionKind::REFACTOR_REWRITE),
                edit: Some(request.edit(request.lsp_edits(&edits))),
                ..CodeAction::default()
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_changed_span_is_minimal_and_on_char_boundaries() {
        let (range, replacement) = changed_span("a: é1\nb: 2\n", "a: é2\nb: 2\n").unwrap();
        assert_eq!((u32::from(range.start()), u32::from(range.end())), (5, 6));
        assert_eq!(replacement, "2");
        let (range, replacement) = changed_span("é", "è").unwrap();
        assert_eq!((u32::from(range.start()), u32::from(range.end())), (0, 2));
        assert_eq!(replacement, "è");
        assert!(changed_span("x", "x").is_none());
    }
}
