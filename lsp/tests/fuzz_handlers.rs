//! Property fuzzing of the language server's request handlers: hover, completion, code actions
//! (quick fixes, fix-all, refactors) and the outline, on generated documents at every kind of
//! position. The documents mix Kubernetes keys with what breaks tree walkers: anchors, aliases
//! into their own anchors, merge keys, block scalars, flow collections, JSON, tabs, CRLF and
//! multi-byte text. Each case runs under a deadline, so a hang fails the test instead of
//! stalling it. More cases: `PROPTEST_CASES=5000 cargo test -p podlint-lsp --test fuzz_handlers`.

use std::sync::mpsc;
use std::time::Duration;

use podlint_lsp::convert::Encoding;
use podlint_lsp::documents::Document;
use podlint_lsp::exercise::every_handler;
use proptest::prelude::*;
use tower_lsp_server::ls_types::{Position, Range, TextDocumentContentChangeEvent};

/// Generous for a debug build on a loaded machine; a loop never finishes at all.
const DEADLINE: Duration = Duration::from_secs(20);

const LINES: &[&str] = &[
    "apiVersion: v1",
    "apiVersion: apps/v1",
    "kind: Pod",
    "kind: Deployment",
    "kind: List",
    "metadata:",
    "  name: web",
    "spec:",
    "  containers:",
    "  - name: app",
    "    image: nginx:1.27",
    "    imagePullPolicy: Always",
    "    imagePullPolcy: Never",
    "    ports:",
    "    - containerPort: 80",
    "    - containerPort: 80",
    "      protocol: TCP",
    "    securityContext: &sc",
    "      runAsNonRoot: true",
    "    securityContext: *sc",
    "  template:",
    "    spec:",
    "items:",
    "- apiVersion: v1",
    "a: &s",
    "  b: [*s]",
    "  c:",
    "  - *s",
    "  d: {e: *s, f: [*s, *s]}",
    "<<: *s",
    "  <<: [*s, *sc]",
    "x: &x [*x]",
    "- &y",
    "  - *y",
    "cmd: |",
    "  echo hi",
    "  \tliteral tab",
    "folded: >-",
    "? complex",
    ": value",
    "---",
    "...",
    "# comment",
    "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"spec\": {\"containers\": [{\"name\": \"a\"}]}}",
    "[1, 2, {a: b}]",
    "key: \"unterminated",
    "key: 'quoted'",
    "  - name: é—ü 😀",
    "\tindented: with tab",
    "%YAML 1.2",
    "!!map {a: b}",
    "- - - deep",
    "",
];

/// Whole constructs, kept together so they keep their meaning: self-referencing anchors,
/// merges, a Pod, a block scalar.
const BLOCKS: &[&str] = &[
    "a: &s\n  b: [*s]",
    "a: &s\n  b:\n  - *s\n  c: {d: *s}",
    "- &y\n  - *y\n  - [*y]",
    "base: &base\n  image: nginx\n  <<: *base\nother:\n  <<: [*base, *base]",
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - &c\n    name: app\n    image: nginx:1.27\n    ports:\n    - containerPort: 80\n  - *c\n  initContainers: [*c]",
    "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template: &t\n    spec:\n      containers:\n      - name: a\n        command: |\n          echo hi\n        volumeMounts: &vm\n        - {name: v, mountPath: /v}\n      - name: b\n        volumeMounts: *vm\n  other: *t",
    "apiVersion: v1\nkind: List\nitems:\n- &pod\n  apiVersion: v1\n  kind: Pod\n  spec: {containers: [{name: x, image: y}]}\n- *pod",
    "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"spec\": {\"containers\": [{\"name\": \"a\", \"image\": \"b\"}]}}",
];

fn block() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => prop::sample::select(BLOCKS).prop_map(str::to_owned),
        3 => line(),
    ]
}

fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => prop::sample::select(LINES).prop_map(str::to_owned),
        // Any short text, control characters and all.
        1 => "[ -~\\t\\u{0}\\u{1b}é😀:\\-\\[\\]{}&*!|>#]{0,24}",
    ]
}

prop_compose! {
    fn document()(blocks in prop::collection::vec((0usize..8, block()), 0..12), crlf in any::<bool>()) -> String {
        let eol = if crlf { "\r\n" } else { "\n" };
        // Mostly at the margin, sometimes indented as a whole.
        blocks
            .iter()
            .flat_map(|(indent, block)| {
                let pad = if *indent < 5 { 0 } else { (indent - 4) * 2 };
                block.split('\n').map(move |l| format!("{}{l}", " ".repeat(pad)))
            })
            .collect::<Vec<_>>()
            .join(eol)
    }
}

/// Runs `f` on another thread and fails if it does not finish by the deadline.
fn within<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    match rx.recv_timeout(DEADLINE) {
        Ok(value) => value,
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("{what} did not finish in {DEADLINE:?}"),
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("{what} panicked"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn handlers_answer_every_position(
        text in document(),
        line in 0u32..45,
        character in 0u32..30,
        utf8 in any::<bool>(),
    ) {
        let encoding = if utf8 { Encoding::Utf8 } else { Encoding::Utf16 };
        let position = Position::new(line, character);
        within("the handlers", move || every_handler(&text, position, encoding, true));
    }

    /// Edits at random places (as a typing user makes them) keep the document consistent with
    /// applying the same edit to a plain string, and the handlers still answer afterwards.
    #[test]
    fn incremental_edits_then_handlers(
        text in document(),
        start in (0u32..45, 0u32..30),
        end in (0u32..45, 0u32..30),
        insert in line(),
    ) {
        within("an edit and the handlers", move || {
            let mut document = Document::new(text, 1);
            let (a, b) = (Position::new(start.0, start.1), Position::new(end.0, end.1));
            let (a, b) = if (a.line, a.character) <= (b.line, b.character) { (a, b) } else { (b, a) };
            document.apply(
                vec![TextDocumentContentChangeEvent { range: Some(Range::new(a, b)), range_length: None, text: insert }],
                2,
                Encoding::Utf16,
            );
            every_handler(document.text.as_ref(), a, Encoding::Utf16, true);
        });
    }
}
