//! The `LanguageServer` implementation: protocol plumbing over the modules that do the work.
//!
//! tower-lsp-server polls up to four handlers at once, so every handler that changes a
//! document does so synchronously, before its first `.await`: edits apply in arrival order.
//! Linting runs on the lint thread as soon as it is free, and edits made meanwhile coalesce
//! ([`crate::pending`]); a result whose version is no longer current is dropped.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use podlint_lint::Settings;
use serde::Deserialize;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

use crate::code_actions::{self, fix_all_kind};
use crate::completion::{self, What};
use crate::config::Config;
use crate::convert::Encoding;
use crate::diagnostics::{self, Findings, FixForm};
use crate::documents::{Document, Documents};
use crate::outbox::Outbox;
use crate::pending::Pending;
use crate::worker::Worker;
use crate::{hover, symbols};

/// The config files whose change re-lints open documents.
const CONFIG_GLOBS: [&str; 2] = ["**/.podlint.yaml", "**/.podlint.yml"];

pub struct Backend {
    inner: Arc<Inner>,
}

struct Inner {
    client: Client,
    /// Where published diagnostics go, serialised by us.
    outbox: Outbox,
    /// Lints and serialises diagnostics, one job at a time.
    worker: Worker,
    config: Config,
    state: Mutex<State>,
    /// Held from the version check to the end of a publish, so an older result can never
    /// overtake a newer one on the way out.
    publishing: tokio::sync::Mutex<()>,
    /// Bumped when a lint of the lint thread's queue ends: requests waiting for it look again.
    linted: tokio::sync::watch::Sender<u64>,
}

#[derive(Default)]
struct State {
    documents: Documents,
    encoding: Encoding,
    /// The client asks for diagnostics (`textDocument/diagnostic`); we do not push.
    pull: bool,
    /// The client handles `workspace/diagnostic/refresh` (Neovim 0.11 does not).
    refresh_support: bool,
    versioned_edits: bool,
    /// The client resolves a code action's edit on request (`codeAction/resolve`) and keeps
    /// its `data`: diagnostics then carry a key to their fix rather than its edits.
    resolve_edits: bool,
    watch_registration: bool,
    /// Bumped when the configuration changes: cached lints of an older one are stale.
    generation: u64,
    lints: HashMap<Uri, Lint>,
    /// Pushed diagnostics: the documents waiting for the lint thread.
    pending: Pending,
}

/// The findings of one version of a document under one configuration.
#[derive(Clone)]
struct Lint {
    version: i32,
    generation: u64,
    findings: Arc<Vec<podlint_lint::Diagnostic>>,
}

impl Lint {
    fn linted(&self) -> code_actions::Linted<'_> {
        code_actions::Linted {
            generation: self.generation,
            findings: &self.findings,
        }
    }
}

impl Backend {
    pub(crate) fn new(client: Client, outbox: Outbox) -> Self {
        Self {
            inner: Arc::new(Inner {
                client,
                outbox,
                worker: Worker::default(),
                config: Config::default(),
                state: Mutex::new(State::default()),
                publishing: tokio::sync::Mutex::new(()),
                linted: tokio::sync::watch::Sender::new(0),
            }),
        }
    }
}

impl Inner {
    fn state(&self) -> MutexGuard<'_, State> {
        // A panic elsewhere must not take every later request down with it.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The settings for a document (`None`: its file is excluded). The single place where
    /// configuration enters.
    fn settings_for(&self, uri: &Uri) -> Option<Settings> {
        self.config.settings_for(uri)
    }

    fn snapshot(&self, uri: &Uri) -> Option<(Document, Encoding)> {
        let state = self.state();
        Some((state.documents.get(uri)?.clone(), state.encoding))
    }

    fn is_current(&self, uri: &Uri, version: i32) -> bool {
        self.state()
            .documents
            .get(uri)
            .is_some_and(|d| d.version == version)
    }

    /// How diagnostics of `lint` carry their fixes to this client.
    fn fix_form(&self, lint: &Lint) -> FixForm {
        if self.state().resolve_edits {
            FixForm::Keyed {
                generation: lint.generation,
            }
        } else {
            FixForm::Inline
        }
    }

    /// Queues a lint of `uri` that publishes its diagnostics, unless one waits already (it
    /// will take the newest version when it starts).
    fn schedule(self: &Arc<Self>, uri: Uri) {
        if self.state().pending.queue(&uri) {
            self.spawn_lint(uri);
        }
    }

    /// Runs the lint queued for `uri` (in [`State::pending`]) and publishes its result.
    fn spawn_lint(self: &Arc<Self>, uri: Uri) {
        let inner = Arc::clone(self);
        tokio::spawn(async move {
            inner.lint_and_publish(uri).await;
        });
    }

    async fn lint_and_publish(self: &Arc<Self>, uri: Uri) {
        if self.config.reload_if_changed() {
            self.config_changed();
        }
        let inner = Arc::clone(self);
        let target = uri.clone();
        let published = self.worker.run(move || inner.lint_newest(&target)).await;
        let Some(Some((version, body))) = published else {
            return;
        };
        let _publishing = self.publishing.lock().await;
        if self.is_current(&uri, version) {
            self.outbox.send(body).await;
        }
    }

    /// On the lint thread: the newest version of `uri`, linted (or from the cache) and its
    /// notification serialised, with that version. `None` when the document was closed or
    /// changed during the lint (its next lint is queued then).
    fn lint_newest(&self, uri: &Uri) -> Option<(i32, Vec<u8>)> {
        let (document, encoding, generation, form, cached) = {
            let mut state = self.state();
            let document = state.documents.get(uri).cloned();
            state
                .pending
                .start(uri, document.as_ref().map(|d| d.version));
            let document = document?;
            let generation = state.generation;
            let cached = state
                .lints
                .get(uri)
                .filter(|l| l.version == document.version && l.generation == generation)
                .cloned();
            let form = match state.resolve_edits {
                true => FixForm::Keyed { generation },
                false => FixForm::Inline,
            };
            (document, state.encoding, generation, form, cached)
        };
        // Requests waiting for this lint look again when it ends, however it ends.
        let running = Running(self);
        let lint = match cached {
            Some(lint) => lint,
            None => Lint {
                version: document.version,
                generation,
                findings: Arc::new(match self.settings_for(uri) {
                    Some(settings) => podlint_lint::lint(&document.text, &settings),
                    None => Vec::new(),
                }),
            },
        };
        let current = {
            let mut state = self.state();
            let current = state.documents.get(uri).map(|d| d.version) == Some(document.version);
            if current {
                state.lints.insert(uri.clone(), lint.clone());
            }
            current
        };
        drop(running);
        if !current {
            return None;
        }
        let body = Findings {
            uri,
            document: &document,
            findings: &lint.findings,
            encoding,
            form,
        }
        .notification();
        Some((document.version, body))
    }

    /// The findings of `document`, from the cache when it holds this version and the config
    /// files it was linted under are unchanged on disk. When the lint thread has this
    /// version's lint queued or running (an edit's), that lint is awaited rather than repeated.
    async fn lint(self: &Arc<Self>, uri: &Uri, document: &Document) -> Option<Lint> {
        if self.config.reload_if_changed() {
            self.config_changed();
        }
        let generation = loop {
            // Subscribed before looking: a lint that ends after the look wakes us.
            let mut linted = self.linted.subscribe();
            {
                let state = self.state();
                if let Some(lint) = state.lints.get(uri) {
                    if lint.version == document.version && lint.generation == state.generation {
                        return Some(lint.clone());
                    }
                }
                let current = state
                    .documents
                    .get(uri)
                    .is_some_and(|d| d.version == document.version);
                if !(current && state.pending.will_lint(uri, document.version)) {
                    break state.generation;
                }
            }
            if linted.changed().await.is_err() {
                return None;
            }
        };
        let settings = self.settings_for(uri);
        let text = Arc::clone(&document.text);
        let findings = self
            .worker
            .run(move || match settings {
                Some(settings) => podlint_lint::lint(&text, &settings),
                None => Vec::new(),
            })
            .await?;
        let lint = Lint {
            version: document.version,
            generation,
            findings: Arc::new(findings),
        };
        let mut state = self.state();
        if state
            .documents
            .get(uri)
            .is_some_and(|d| d.version == document.version)
        {
            state.lints.insert(uri.clone(), lint.clone());
        }
        Some(lint)
    }

    /// After the client reports a configuration change: every open document again.
    fn relint_all(self: &Arc<Self>) {
        self.config.reload();
        self.config_changed();
    }

    /// The config files were forgotten: cached findings are stale. Pushed diagnostics are
    /// linted and published again; a pulling client is asked to pull again only if it said
    /// it takes `workspace/diagnostic/refresh` (otherwise it pulls at its next edit).
    fn config_changed(self: &Arc<Self>) {
        let (pull, refresh, open) = {
            let mut state = self.state();
            state.generation += 1;
            let open: Vec<Uri> = state.documents.uris().cloned().collect();
            (state.pull, state.refresh_support, open)
        };
        if pull {
            if refresh {
                // Not awaited here: the client may be waiting on a pull from us.
                let client = self.client.clone();
                tokio::spawn(async move {
                    let _ = client.workspace_diagnostic_refresh().await;
                });
            }
        } else {
            for uri in open {
                self.schedule(uri);
            }
        }
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let caps = &params.capabilities;
        let encoding = Encoding::negotiate(
            caps.general
                .as_ref()
                .and_then(|g| g.position_encodings.as_deref()),
        );
        let pull = caps
            .text_document
            .as_ref()
            .is_some_and(|t| t.diagnostic.is_some());
        {
            let mut state = self.inner.state();
            state.encoding = encoding;
            state.pull = pull;
            state.refresh_support = caps
                .workspace
                .as_ref()
                .and_then(|w| w.diagnostics.as_ref())
                .and_then(|d| d.refresh_support)
                .unwrap_or(false);
            state.resolve_edits = caps
                .text_document
                .as_ref()
                .and_then(|t| t.code_action.as_ref())
                .is_some_and(|c| {
                    c.data_support == Some(true)
                        && c.resolve_support
                            .as_ref()
                            .is_some_and(|r| r.properties.iter().any(|p| p == "edit"))
                });
            state.versioned_edits = caps
                .workspace
                .as_ref()
                .and_then(|w| w.workspace_edit.as_ref())
                .and_then(|e| e.document_changes)
                .unwrap_or(false);
            state.watch_registration = caps
                .workspace
                .as_ref()
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|w| w.dynamic_registration)
                .unwrap_or(false);
        }
        let resolve_edits = self.inner.state().resolve_edits;
        let diagnostic_provider = pull.then(|| {
            DiagnosticServerCapabilities::Options(DiagnosticOptions {
                identifier: Some(diagnostics::SOURCE.to_owned()),
                inter_file_dependencies: false,
                workspace_diagnostics: false,
                work_done_progress_options: WorkDoneProgressOptions::default(),
            })
        });
        Ok(InitializeResult {
            capabilities: ServerCapabilities {
                position_encoding: Some(encoding.kind()),
                text_document_sync: Some(TextDocumentSyncCapability::Options(
                    TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(TextDocumentSyncKind::INCREMENTAL),
                        ..TextDocumentSyncOptions::default()
                    },
                )),
                diagnostic_provider,
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(vec![
                            CodeActionKind::QUICKFIX,
                            fix_all_kind(),
                            CodeActionKind::REFACTOR_REWRITE,
                        ]),
                        resolve_provider: resolve_edits.then_some(true),
                        ..CodeActionOptions::default()
                    },
                )),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                completion_provider: Some(CompletionOptions::default()),
                document_symbol_provider: Some(OneOf::Left(true)),
                workspace: Some(WorkspaceServerCapabilities {
                    workspace_folders: Some(WorkspaceFoldersServerCapabilities {
                        supported: Some(true),
                        change_notifications: Some(OneOf::Left(true)),
                    }),
                    file_operations: None,
                }),
                ..ServerCapabilities::default()
            },
            server_info: Some(ServerInfo {
                name: "podlint".to_owned(),
                version: Some(env!("CARGO_PKG_VERSION").to_owned()),
            }),
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        if !self.inner.state().watch_registration {
            return;
        }
        let watchers = CONFIG_GLOBS
            .iter()
            .map(|glob| FileSystemWatcher {
                glob_pattern: GlobPattern::String((*glob).to_owned()),
                kind: None,
            })
            .collect();
        let options = DidChangeWatchedFilesRegistrationOptions { watchers };
        let registration = Registration {
            id: "podlint-config".to_owned(),
            method: "workspace/didChangeWatchedFiles".to_owned(),
            register_options: serde_json::to_value(options).ok(),
        };
        let _ = self
            .inner
            .client
            .register_capability(vec![registration])
            .await;
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        let queued = {
            let mut state = self.inner.state();
            state.documents.open(doc.uri.clone(), doc.text, doc.version);
            !state.pull && state.pending.queue(&doc.uri)
        };
        if queued {
            self.inner.spawn_lint(doc.uri);
        }
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let version = params.text_document.version;
        // Queued in the same lock as the edit: a lint that starts between the two would
        // take this version and then be queued again for it.
        let queued = {
            let mut state = self.inner.state();
            let encoding = state.encoding;
            let changed = state
                .documents
                .change(&uri, params.content_changes, version, encoding)
                .is_some();
            changed && !state.pull && state.pending.queue(&uri)
        };
        if queued {
            self.inner.spawn_lint(uri);
        }
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        let pull = {
            let mut state = self.inner.state();
            state.documents.close(&uri);
            state.lints.remove(&uri);
            state.pull
        };
        if !pull {
            let _publishing = self.inner.publishing.lock().await;
            let none: [Diagnostic; 0] = [];
            let body = diagnostics::notification(&uri, None, &none);
            self.inner.outbox.send(body).await;
        }
    }

    async fn did_change_configuration(&self, _: DidChangeConfigurationParams) {
        self.inner.relint_all();
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let config_changed = params.changes.iter().any(|change| {
            let path = change.uri.path().as_str();
            path.ends_with("/.podlint.yaml") || path.ends_with("/.podlint.yml")
        });
        if config_changed {
            self.inner.relint_all();
        }
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        let uri = params.text_document.uri;
        let Some((document, encoding)) = self.inner.snapshot(&uri) else {
            return Ok(full_report(None, Vec::new()));
        };
        let Some(lint) = self.inner.lint(&uri, &document).await else {
            return Ok(full_report(None, Vec::new()));
        };
        let result_id = format!("{}-{}", lint.generation, lint.version);
        if params.previous_result_id.as_deref() == Some(result_id.as_str()) {
            return Ok(DocumentDiagnosticReportResult::Report(
                DocumentDiagnosticReport::Unchanged(RelatedUnchangedDocumentDiagnosticReport {
                    related_documents: None,
                    unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport {
                        result_id,
                    },
                }),
            ));
        }
        let items = Findings {
            uri: &uri,
            document: &document,
            findings: &lint.findings,
            encoding,
            form: self.inner.fix_form(&lint),
        }
        .to_lsp();
        Ok(full_report(Some(result_id), items))
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri;
        let (document, encoding, versioned, resolve_edits) = {
            let state = self.inner.state();
            let Some(document) = state.documents.get(&uri) else {
                return Ok(None);
            };
            let resolving = state.resolve_edits;
            (
                document.clone(),
                state.encoding,
                state.versioned_edits,
                resolving,
            )
        };
        let Some(settings) = self.inner.settings_for(&uri) else {
            return Ok(None);
        };
        // Keyed diagnostics name findings of the current lint (cached: published from it).
        let lint = match resolve_edits {
            true => self.inner.lint(&uri, &document).await,
            false => None,
        };
        let actions = tokio::task::spawn_blocking(move || {
            code_actions::actions(&code_actions::Request {
                target: code_actions::Target {
                    uri: &uri,
                    document: &document,
                    encoding,
                    versioned,
                },
                range: params.range,
                context: &params.context,
                settings: &settings,
                linted: lint.as_ref().map(Lint::linted),
            })
        })
        .await
        .unwrap_or_default();
        Ok((!actions.is_empty()).then_some(actions))
    }

    async fn code_action_resolve(&self, action: CodeAction) -> Result<CodeAction> {
        let Some(data) = action
            .data
            .as_ref()
            .and_then(|d| code_actions::ResolveData::deserialize(d).ok())
        else {
            return Ok(action);
        };
        let (document, encoding, versioned) = {
            let state = self.inner.state();
            let Some(document) = state.documents.get(&data.uri) else {
                return Ok(action);
            };
            (document.clone(), state.encoding, state.versioned_edits)
        };
        // A stale action is answered as it came, without an edit: no lint for it.
        if document.version != data.version {
            return Ok(action);
        }
        let Some(lint) = self.inner.lint(&data.uri, &document).await else {
            return Ok(action);
        };
        let target = code_actions::Target {
            uri: &data.uri,
            document: &document,
            encoding,
            versioned,
        };
        Ok(code_actions::resolve(&target, lint.linted(), action))
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let uri = params.text_document_position_params.text_document.uri;
        let position = params.text_document_position_params.position;
        let Some((document, encoding)) = self.inner.snapshot(&uri) else {
            return Ok(None);
        };
        let Some(lint) = self.inner.lint(&uri, &document).await else {
            return Ok(None);
        };
        let text = &*document.text;
        let offset = document.lines.offset(text, position, encoding);
        // Parsing and walking run off the protocol's threads, like linting.
        let (shared, findings) = (Arc::clone(&document.text), Arc::clone(&lint.findings));
        let found = tokio::task::spawn_blocking(move || hover::hover(&shared, offset, &findings))
            .await
            .ok()
            .flatten();
        Ok(found.map(|(markdown, range)| Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: markdown,
            }),
            range: range.map(|r| document.lines.range(text, r, encoding)),
        }))
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let uri = params.text_document_position.text_document.uri;
        let position = params.text_document_position.position;
        let Some((document, encoding)) = self.inner.snapshot(&uri) else {
            return Ok(None);
        };
        let text = &*document.text;
        let offset = document.lines.offset(text, position, encoding);
        let shared = Arc::clone(&document.text);
        let candidates = tokio::task::spawn_blocking(move || completion::complete(&shared, offset))
            .await
            .unwrap_or_default();
        let items: Vec<CompletionItem> = candidates
            .into_iter()
            .map(|c| CompletionItem {
                kind: Some(match c.what {
                    What::Field => CompletionItemKind::PROPERTY,
                    What::Value => CompletionItemKind::ENUM_MEMBER,
                    What::Snippet => CompletionItemKind::SNIPPET,
                }),
                detail: c.detail,
                documentation: c.documentation.map(|value| {
                    Documentation::MarkupContent(MarkupContent {
                        kind: MarkupKind::Markdown,
                        value,
                    })
                }),
                sort_text: Some(c.sort),
                filter_text: Some(c.label.clone()),
                insert_text_format: Some(if c.snippet {
                    InsertTextFormat::SNIPPET
                } else {
                    InsertTextFormat::PLAIN_TEXT
                }),
                // The inserted lines carry their own indentation.
                insert_text_mode: Some(InsertTextMode::AS_IS),
                text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(
                    document.lines.range(text, c.replace, encoding),
                    c.insert,
                ))),
                label: c.label,
                ..CompletionItem::default()
            })
            .collect();
        Ok((!items.is_empty()).then_some(CompletionResponse::Array(items)))
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        let Some((document, encoding)) = self.inner.snapshot(&params.text_document.uri) else {
            return Ok(None);
        };
        let text = &*document.text;
        let range = |r| document.lines.range(text, r, encoding);
        Ok(Some(DocumentSymbolResponse::Nested(symbols::symbols(
            text, &range,
        ))))
    }
}

/// While a queued lint runs: when it ends (or unwinds), it is no longer running, and the
/// requests waiting for it look again.
struct Running<'a>(&'a Inner);

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.0.state().pending.finish();
        self.0
            .linted
            .send_modify(|ended| *ended = ended.wrapping_add(1));
    }
}

fn full_report(
    result_id: Option<String>,
    items: Vec<Diagnostic>,
) -> DocumentDiagnosticReportResult {
    DocumentDiagnosticReportResult::Report(DocumentDiagnosticReport::Full(
        RelatedFullDocumentDiagnosticReport {
            related_documents: None,
            full_document_diagnostic_report: FullDocumentDiagnosticReport { result_id, items },
        },
    ))
}
