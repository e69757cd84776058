//! The language server's request handlers (hover, completion, code actions, the outline) on
//! arbitrary text at an arbitrary position, in both position encodings: no panic, no broken
//! invariant, no hang (libFuzzer's `-timeout` catches a loop such as an alias followed into
//! its own anchor). The driver is shared with `lsp/tests/fuzz_handlers.rs`.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use podlint_lsp::convert::Encoding;
use podlint_lsp::exercise::every_handler;
use tower_lsp_server::ls_types::Position;

#[derive(Arbitrary, Debug)]
struct Input {
    line: u8,
    character: u8,
    utf8: bool,
    text: String,
}

fuzz_target!(|input: Input| {
    let encoding = if input.utf8 {
        Encoding::Utf8
    } else {
        Encoding::Utf16
    };
    let position = Position::new(u32::from(input.line), u32::from(input.character));
    every_handler(&input.text, position, encoding, input.utf8);
});
