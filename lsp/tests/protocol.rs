//! The language server through the protocol: a client in this process talks JSON-RPC to
//! `podlint_lsp::serve` over a pipe. (The bigger suite is `fixtures/tests/lsp.rs`.)
//!
//! Quick fixes for clients that resolve code actions (`codeAction/resolve` with `edit`): such a
//! client gets a small key in each fixable diagnostic's `data` instead of the fix's edits, and
//! the edit is made when it resolves the quick fix, for the version it was offered. And an
//! edit re-lints only its own document.

use std::collections::VecDeque;
use std::time::Duration;

use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader, DuplexStream};
use tokio::io::{ReadHalf, WriteHalf};

const TIMEOUT: Duration = Duration::from_secs(20);
/// Not a file, so the default rules apply whatever configuration lies around.
const URI: &str = "untitled:Untitled-1";
/// `apiVersion` is wrong for a Pod (fixable); the Pod is bare (not fixable).
const POD: &str = "apiVersion: apps/v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n";

/// What VS Code announces about code actions.
fn resolving() -> Value {
    json!({ "textDocument": { "codeAction": {
        "dataSupport": true,
        "resolveSupport": { "properties": ["edit"] },
    } } })
}

struct Client {
    writer: WriteHalf<DuplexStream>,
    reader: BufReader<ReadHalf<DuplexStream>>,
    next_id: i64,
    notifications: VecDeque<Value>,
    capabilities: Value,
}

impl Client {
    async fn start(capabilities: Value) -> Client {
        let (ours, theirs) = tokio::io::duplex(1 << 20);
        let (server_in, server_out) = tokio::io::split(theirs);
        tokio::spawn(podlint_lsp::serve(server_in, server_out));
        let (reader, writer) = tokio::io::split(ours);
        let mut client = Client {
            writer,
            reader: BufReader::new(reader),
            next_id: 0,
            notifications: VecDeque::new(),
            capabilities: Value::Null,
        };
        let result = client
            .request(
                "initialize",
                json!({ "processId": null, "capabilities": capabilities }),
            )
            .await;
        client.capabilities = result["capabilities"].clone();
        client.notify("initialized", json!({})).await;
        client
    }

    async fn send(&mut self, message: Value) {
        let body = serde_json::to_vec(&message).unwrap();
        let header = format!("Content-Length: {}\r\n\r\n", body.len());
        self.writer.write_all(header.as_bytes()).await.unwrap();
        self.writer.write_all(&body).await.unwrap();
        self.writer.flush().await.unwrap();
    }

    async fn read(&mut self) -> Value {
        let mut length = 0;
        loop {
            let mut line = String::new();
            let n = tokio::time::timeout(TIMEOUT, self.reader.read_line(&mut line))
                .await
                .expect("the server answers in time")
                .unwrap();
            assert!(n > 0, "the server closed the connection");
            if line == "\r\n" {
                break;
            }
            if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = value.trim().parse().unwrap();
            }
        }
        let mut body = vec![0; length];
        self.reader.read_exact(&mut body).await.unwrap();
        serde_json::from_slice(&body).unwrap()
    }

    async fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }))
            .await;
    }

    async fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }))
            .await;
        loop {
            let message = self.read().await;
            if message["id"] == id && message.get("method").is_none() {
                assert!(message.get("error").is_none(), "{method}: {message}");
                return message["result"].clone();
            }
            if message.get("id").is_some() && message.get("method").is_some() {
                let id = message["id"].clone();
                self.send(json!({ "jsonrpc": "2.0", "id": id, "result": null }))
                    .await;
            } else {
                self.notifications.push_back(message);
            }
        }
    }

    /// The published diagnostics of `URI` for `version`, skipping older ones.
    async fn diagnostics_for(&mut self, version: i64) -> Vec<Value> {
        self.diagnostics_of(URI, version).await
    }

    /// The published diagnostics of `uri` for `version`; others stay queued.
    async fn diagnostics_of(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let wanted = |m: &Value| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"] == version
        };
        loop {
            if let Some(i) = self.notifications.iter().position(wanted) {
                let message = self.notifications.remove(i).unwrap();
                return message["params"]["diagnostics"].as_array().unwrap().clone();
            }
            let message = self.read().await;
            self.notifications.push_back(message);
        }
    }

    async fn open(&mut self, text: &str) {
        self.open_as(URI, text).await;
    }

    async fn open_as(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "yaml", "version": 1, "text": text } }),
        )
        .await;
    }

    async fn replace(&mut self, version: i64, text: &str) {
        self.replace_in(URI, version, text).await;
    }

    async fn replace_in(&mut self, uri: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [{ "text": text }] }),
        )
        .await;
    }

    async fn quick_fixes(&mut self, diagnostic: &Value) -> Vec<Value> {
        let result = self
            .request(
                "textDocument/codeAction",
                json!({
                    "textDocument": { "uri": URI },
                    "range": diagnostic["range"],
                    "context": { "diagnostics": [diagnostic], "only": ["quickfix"] },
                }),
            )
            .await;
        result.as_array().cloned().unwrap_or_default()
    }
}

fn find<'a>(diagnostics: &'a [Value], code: &str) -> &'a Value {
    diagnostics
        .iter()
        .find(|d| d["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {diagnostics:#?}"))
}

/// Applies LSP text edits with UTF-16 positions (ASCII text here: bytes) to `text`.
fn apply(text: &str, edits: &[Value]) -> String {
    let offset = |p: &Value| -> usize {
        let line = p["line"].as_u64().unwrap() as usize;
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        start + p["character"].as_u64().unwrap() as usize
    };
    let mut edits: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|e| {
            let range = &e["range"];
            let new = e["newText"].as_str().unwrap();
            (offset(&range["start"]), offset(&range["end"]), new)
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_owned();
    for (start, end, new) in edits {
        out.replace_range(start..end, new);
    }
    out
}

#[tokio::test]
async fn a_resolving_client_gets_keys_and_the_edit_on_resolve() {
    let mut client = Client::start(resolving()).await;
    assert_eq!(
        client.capabilities["codeActionProvider"]["resolveProvider"],
        true
    );
    client.open(POD).await;
    let published = client.diagnostics_for(1).await;

    // A fixable finding carries a key, not its edits; the others carry nothing.
    let mismatch = find(&published, "api-version-kind-mismatch").clone();
    let data = &mismatch["data"];
    assert_eq!(data["version"], 1, "{data}");
    assert!(data["key"].is_array(), "{data}");
    assert!(data.get("fix").is_none(), "{data}");
    assert!(find(&published, "bare-pod").get("data").is_none());

    // The quick fix comes without its edit, then resolves to it.
    let actions = client.quick_fixes(&mismatch).await;
    let fix = actions
        .iter()
        .find(|a| a["data"].is_object())
        .unwrap_or_else(|| panic!("no deferred quick fix in {actions:#?}"))
        .clone();
    assert!(fix.get("edit").is_none(), "{fix:#}");
    assert_eq!(fix["isPreferred"], true);
    let resolved = client.request("codeAction/resolve", fix.clone()).await;
    assert_eq!(resolved["title"], fix["title"]);
    let edits = resolved["edit"]["changes"][URI].as_array().unwrap();
    let fixed = apply(POD, edits);
    assert!(fixed.starts_with("apiVersion: v1\n"), "{fixed}");

    client.replace(2, &fixed).await;
    let after = client.diagnostics_for(2).await;
    assert!(
        !after
            .iter()
            .any(|d| d["code"] == "api-version-kind-mismatch"),
        "{after:#?}"
    );
}

#[tokio::test]
async fn a_stale_key_gives_no_quick_fix_and_resolves_to_no_edit() {
    let mut client = Client::start(resolving()).await;
    client.open(POD).await;
    let published = client.diagnostics_for(1).await;
    let mismatch = find(&published, "api-version-kind-mismatch").clone();
    let fix = client
        .quick_fixes(&mismatch)
        .await
        .into_iter()
        .find(|a| a["data"].is_object())
        .unwrap();

    // A comment line moves every finding down: version 1's key must not edit version 2.
    let moved = format!("# moved\n{POD}");
    client.replace(2, &moved).await;
    client.diagnostics_for(2).await;
    let resolved = client.request("codeAction/resolve", fix).await;
    assert!(resolved.get("edit").is_none(), "{resolved:#}");
    let titles: Vec<Value> = client
        .quick_fixes(&mismatch)
        .await
        .iter()
        .map(|a| a["title"].clone())
        .collect();
    assert_eq!(
        titles,
        [json!("Disable api-version-kind-mismatch for this line")]
    );
}

#[tokio::test]
async fn a_client_that_does_not_resolve_gets_the_edits_with_each_diagnostic() {
    // Resolving edits without `dataSupport` would lose the key on the way back.
    let partial = json!({ "textDocument": { "codeAction": { "resolveSupport": { "properties": ["edit"] } } } });
    for capabilities in [json!({}), partial] {
        let mut client = Client::start(capabilities).await;
        assert!(client.capabilities["codeActionProvider"]
            .get("resolveProvider")
            .is_none());
        client.open(POD).await;
        let published = client.diagnostics_for(1).await;
        let mismatch = find(&published, "api-version-kind-mismatch").clone();
        let edits = mismatch["data"]["fix"]["edits"].as_array().unwrap().clone();
        assert!(apply(POD, &edits).starts_with("apiVersion: v1\n"));
        assert_eq!(find(&published, "bare-pod")["data"]["fix"], Value::Null);
        let actions = client.quick_fixes(&mismatch).await;
        assert!(
            actions[0]["edit"]["changes"][URI].is_array(),
            "{actions:#?}"
        );
    }
}

#[tokio::test]
async fn an_edit_relints_only_its_own_document() {
    const OTHER: &str = "untitled:Untitled-2";
    let mut client = Client::start(resolving()).await;
    client.open(POD).await;
    client.open_as(OTHER, POD).await;
    client.diagnostics_for(1).await;
    client.diagnostics_of(OTHER, 1).await;
    for version in 2..=4 {
        let text = format!("{POD}# edit {version}\n");
        client.replace(version, &text).await;
        client.diagnostics_for(version).await;
    }
    // A request answered after the last publish: anything queued for the other document
    // before it would have arrived by now.
    client.request("shutdown", Value::Null).await;
    let other: Vec<&Value> = client
        .notifications
        .iter()
        .filter(|m| m["params"]["uri"] == OTHER)
        .collect();
    assert!(other.is_empty(), "{other:#?}");
}
