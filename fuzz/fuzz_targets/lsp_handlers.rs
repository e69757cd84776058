//! The language server's request handlers (hover, completion, code actions, the outline) on
//! arbitrary text at an arbitrary position, in both position encodings: no panic, no hang
//! (libFuzzer's `-timeout` catches a loop such as an alias followed into its own anchor).
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use podlint_lint::{lint, Settings};
use podlint_lsp::code_actions::{self, fix_all_kind};
use podlint_lsp::convert::Encoding;
use podlint_lsp::documents::Document;
use podlint_lsp::diagnostics::{self, FixForm};
use podlint_lsp::{completion, hover, symbols};
use tower_lsp_server::ls_types::{CodeActionContext, CodeActionOrCommand, Position, Range, Uri};

#[derive(Arbitrary, Debug)]
struct Input {
    line: u8,
    character: u8,
    utf8: bool,
    text: String,
}

fuzz_target!(|input: Input| {
    let text = input.text;
    let encoding = if input.utf8 {
        Encoding::Utf8
    } else {
        Encoding::Utf16
    };
    let document = Document::new(text.clone(), 1);
    let position = Position::new(u32::from(input.line), u32::from(input.character));
    let offset = document.lines.offset(&text, position, encoding);
    let settings = Settings::default();
    let findings = lint(&text, &settings);

    hover::hover(&text, offset, &findings);
    completion::complete(&text, offset);
    symbols::symbols(&text, &|r| document.lines.range(&text, r, encoding));

    let uri: Uri = "file:///fuzz/pod.yaml".parse().unwrap();
    let generation = 1;
    let linted = code_actions::Linted {
        generation,
        findings: &findings,
    };
    let target = code_actions::Target {
        uri: &uri,
        document: &document,
        encoding,
        versioned: input.utf8,
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
        for only in [None, Some(vec![fix_all_kind()])] {
            let context = CodeActionContext {
                diagnostics: published.to_lsp(),
                only,
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
                    code_actions::resolve(&target, linted, action);
                }
            }
        }
    }
});
