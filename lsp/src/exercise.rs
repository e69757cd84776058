//! Every request handler at one position of one document, with the invariants a client relies
//! on asserted: the one driver behind the `lsp_handlers` fuzz target and the property tests of
//! `lsp/tests/fuzz_handlers.rs`, so both check the same thing. Not part of the server.

use podlint_lint::text::TextSize;
use podlint_lint::{lint, Settings};
use tower_lsp_server::ls_types::{
    CodeActionContext, CodeActionKind, CodeActionOrCommand, Position, Range, Uri,
};

use crate::code_actions::{self, fix_all_kind};
use crate::convert::Encoding;
use crate::diagnostics::{self, FixForm};
use crate::documents::Document;
use crate::{completion, hover, symbols};

/// Hover, completion, the outline, the `publishDiagnostics` body in both forms of `data`, and
/// code actions of every kind (each deferred quick fix resolved) at `position` of `text`.
/// `versioned`: whether the client takes versioned edits. Panics where an answer breaks an
/// invariant: a position past the text, a completion past it, a deferred fix without edit.
pub fn every_handler(text: &str, position: Position, encoding: Encoding, versioned: bool) {
    let document = Document::new(text.to_string(), 1);
    let offset = document.lines.offset(text, position, encoding);
    assert!(usize::from(offset) <= text.len());
    let settings = Settings::default();
    let findings = lint(text, &settings);

    hover::hover(text, offset, &findings);
    for candidate in completion::complete(text, offset) {
        assert!(candidate.replace.end() <= TextSize::of(text));
    }
    symbols::symbols(text, &|r| document.lines.range(text, r, encoding));

    let uri: Uri = "file:///fuzz/pod.yaml".parse().expect("a valid URI");
    let generation = 1;
    let linted = code_actions::Linted {
        generation,
        findings: &findings,
    };
    let target = code_actions::Target {
        uri: &uri,
        document: &document,
        encoding,
        versioned,
    };
    let range = Range::new(position, position);
    // Both forms of `data`: the edits inline, and a key resolved on `codeAction/resolve`.
    for form in [FixForm::Inline, FixForm::Keyed { generation }] {
        let published = diagnostics::Findings {
            uri: &uri,
            document: &document,
            findings: &findings,
            encoding,
            form,
        };
        let _ = published.notification();
        for only in [
            None,
            Some(fix_all_kind()),
            Some(CodeActionKind::REFACTOR_REWRITE),
        ] {
            let context = CodeActionContext {
                diagnostics: published.to_lsp(),
                only: only.map(|kind| vec![kind]),
                trigger_kind: None,
            };
            let actions = code_actions::actions(&code_actions::Request {
                target,
                range,
                context: &context,
                settings: &settings,
                linted: Some(linted),
            });
            for action in actions {
                if let CodeActionOrCommand::CodeAction(action) = action {
                    if action.data.is_some() {
                        let resolved = code_actions::resolve(&target, linted, action);
                        assert!(
                            resolved.edit.is_some(),
                            "a deferred fix resolves to an edit"
                        );
                    }
                }
            }
        }
    }
}
