// A small stand-in for the `vscode` module, enough for the extension's activation and for the
// real vscode-languageclient to start, sync open documents and pull diagnostics. It records what
// a user would see: notifications, diagnostics in the Problems panel, registered commands.
// Anything the client only registers (hover, completion… providers) gets a no-op Disposable.
'use strict';
const path = require('node:path');
const url = require('node:url');

class Disposable {
  constructor(fn) { this._fn = fn; }
  static from(...items) { return new Disposable(() => items.forEach((d) => d && d.dispose && d.dispose())); }
  dispose() { if (this._fn) { const fn = this._fn; this._fn = undefined; fn(); } }
}

class EventEmitter {
  constructor() {
    this._listeners = new Set();
    this.event = (listener, thisArg, disposables) => {
      const bound = thisArg ? listener.bind(thisArg) : listener;
      this._listeners.add(bound);
      const d = new Disposable(() => this._listeners.delete(bound));
      if (Array.isArray(disposables)) disposables.push(d);
      return d;
    };
  }
  fire(value) { for (const l of [...this._listeners]) l(value); }
  dispose() { this._listeners.clear(); }
}

class Uri {
  constructor(scheme, fsPath, text) { this.scheme = scheme; this.fsPath = fsPath; this._text = text; this.path = fsPath; }
  static file(p) { return new Uri('file', p, url.pathToFileURL(p).href); }
  static parse(text) {
    const scheme = text.slice(0, text.indexOf(':'));
    return scheme === 'file' ? Uri.file(url.fileURLToPath(text)) : new Uri(scheme, text, text);
  }
  toString() { return this._text; }
  toJSON() { return this._text; }
  with() { return this; }
}

class Position {
  constructor(line, character) { this.line = line; this.character = character; }
}
class Range {
  constructor(a, b, c, d) {
    if (typeof a === 'number') { this.start = new Position(a, b); this.end = new Position(c, d); }
    else { this.start = a; this.end = b; }
  }
}
class Location { constructor(uri, range) { this.uri = uri; this.range = range; } }
class Diagnostic { constructor(range, message, severity) { this.range = range; this.message = message; this.severity = severity; } }
class DiagnosticRelatedInformation { constructor(location, message) { this.location = location; this.message = message; } }
class TabInputText { constructor(uri) { this.uri = uri; } }
class TabInputTextDiff {}
class TabInputCustom {}
class TabInputNotebook {}
class CancellationError extends Error {}
class CancellationTokenSource {
  constructor() {
    const emitter = new EventEmitter();
    this.token = { isCancellationRequested: false, onCancellationRequested: emitter.event };
    this._emitter = emitter;
  }
  cancel() { this.token.isCancellationRequested = true; this._emitter.fire(); }
  dispose() {}
}
/** A constructor that just keeps its arguments, for the many value classes the client may build. */
function valueClass(name) {
  return { [name]: class { constructor(...args) { this.args = args; } } }[name];
}
/** An enum whose members are their own names' positions; the client only passes them along. */
function anyEnum() {
  let next = 1;
  const values = {};
  return new Proxy(values, { get: (t, k) => (typeof k === 'string' ? (t[k] ??= next++) : undefined) });
}

/** The editor's state, which tests read and change. */
const state = {
  settings: {},
  documents: [],
  tabs: [],
  notifications: [],
  /** Answers to notifications: the button a user would click. */
  choose: () => undefined,
  commands: new Map(),
  executed: [],
  diagnostics: new Map(),
  output: [],
  onDidChangeConfiguration: new EventEmitter(),
  onDidOpenTextDocument: new EventEmitter(),
  onDidChangeTextDocument: new EventEmitter(),
  onDidCloseTextDocument: new EventEmitter(),
  onDidChangeTabs: new EventEmitter(),
};

function textDocument(file, text, languageId = 'yaml') {
  const lines = text.split('\n');
  return {
    uri: Uri.file(file),
    fileName: file,
    languageId,
    version: 1,
    isClosed: false,
    isDirty: false,
    isUntitled: false,
    lineCount: lines.length,
    eol: 1,
    getText: () => text,
    lineAt: (n) => ({ text: lines[typeof n === 'number' ? n : n.line] ?? '' }),
    save: async () => true,
  };
}

/** Opens a document in an editor tab, as clicking it in the Explorer would. */
function open(file, text) {
  const document = textDocument(file, text);
  state.documents.push(document);
  state.tabs.push({ input: new TabInputText(document.uri), label: path.basename(file), isActive: true });
  state.onDidChangeTabs.fire({ opened: [state.tabs[state.tabs.length - 1]], closed: [], changed: [] });
  state.onDidOpenTextDocument.fire(document);
  return document;
}

/** Changes settings the way the Settings editor does: store, then fire the change event. */
function configure(changes) {
  Object.assign(state.settings, changes);
  state.onDidChangeConfiguration.fire({ affectsConfiguration: (section) => Object.keys(changes).some((k) => k === section || k.startsWith(`${section}.`)) });
}

function configuration(section) {
  const prefix = section ? `${section}.` : '';
  return {
    get: (key, fallback) => (state.settings[prefix + key] !== undefined ? state.settings[prefix + key] : fallback),
    has: (key) => state.settings[prefix + key] !== undefined,
    inspect: () => undefined,
    update: async (key, value) => configure({ [prefix + key]: value }),
  };
}

function diagnosticCollection(name) {
  return {
    name,
    set(uri, diagnostics) {
      if (Array.isArray(uri)) { for (const [u, d] of uri) this.set(u, d); return; }
      state.diagnostics.set(uri.toString(), diagnostics ?? []);
    },
    delete(uri) { state.diagnostics.delete(uri.toString()); },
    clear() {},
    forEach() {},
    get: (uri) => state.diagnostics.get(uri.toString()),
    has: (uri) => state.diagnostics.has(uri.toString()),
    dispose() {},
  };
}

function outputChannel(name) {
  const log = (line) => state.output.push(`[${name}] ${line}`);
  return {
    name, logLevel: 2, onDidChangeLogLevel: new EventEmitter().event,
    append: log, appendLine: log, replace: log, clear() {}, show() {}, hide() {}, dispose() {},
    trace: log, debug: log, info: log, warn: log, error: (e) => log(String(e)),
  };
}

/** A selector matches a document by language and scheme, as VS Code scores it (>0: match). */
function match(selector, document) {
  const filters = Array.isArray(selector) ? selector : [selector];
  return filters.some((f) => (typeof f === 'string' ? f === document.languageId
    : (!f.language || f.language === document.languageId) && (!f.scheme || f.scheme === document.uri.scheme))) ? 10 : 0;
}

async function notify(kind, message, ...items) {
  const buttons = items.filter((i) => typeof i === 'string' || (i && i.title));
  state.notifications.push({ kind, message, buttons: buttons.map((b) => (typeof b === 'string' ? b : b.title)) });
  return state.choose(message, buttons);
}

const registrar = () => () => new Disposable();
const noEvent = () => new Disposable();

const vscode = {
  version: '1.99.0',
  Disposable, EventEmitter, Uri, Position, Range, Location, Diagnostic, DiagnosticRelatedInformation,
  TabInputText, TabInputTextDiff, TabInputCustom, TabInputNotebook, CancellationError, CancellationTokenSource,
  DiagnosticSeverity: { Error: 0, Warning: 1, Information: 2, Hint: 3 },
  DiagnosticTag: { Unnecessary: 1, Deprecated: 2 },
  CodeActionKind: new Proxy({}, { get: (_t, k) => ({ value: String(k), append() { return this; }, contains: () => false, intersects: () => false }) }),
  SymbolKind: anyEnum(), SymbolTag: anyEnum(), CompletionItemKind: anyEnum(), CompletionItemTag: anyEnum(),
  CompletionTriggerKind: anyEnum(), DocumentHighlightKind: anyEnum(), FoldingRangeKind: anyEnum(),
  SignatureHelpTriggerKind: anyEnum(), InlineCompletionTriggerKind: anyEnum(), CodeActionTriggerKind: anyEnum(),
  TextDocumentSaveReason: anyEnum(), NotebookCellKind: { Markup: 1, Code: 2 }, FileType: { File: 1, Directory: 2 },
  ProgressLocation: anyEnum(), LogLevel: { Off: 0, Trace: 1, Debug: 2, Info: 3, Warning: 4, Error: 5 },
  ...Object.fromEntries(['MarkdownString', 'SnippetString', 'TextEdit', 'WorkspaceEdit', 'Hover', 'CompletionItem',
    'CompletionList', 'CodeAction', 'CodeLens', 'DocumentSymbol', 'SymbolInformation', 'DocumentLink', 'DocumentHighlight',
    'FoldingRange', 'SelectionRange', 'SignatureHelp', 'SignatureInformation', 'ParameterInformation', 'Color',
    'ColorInformation', 'ColorPresentation', 'CallHierarchyItem', 'CallHierarchyIncomingCall', 'CallHierarchyOutgoingCall',
    'TypeHierarchyItem', 'SemanticTokens', 'SemanticTokensEdit', 'SemanticTokensEdits', 'LinkedEditingRanges',
    'InlineValueText', 'InlineValueVariableLookup', 'InlineValueEvaluatableExpression', 'InlayHint', 'InlayHintLabelPart',
    'InlineCompletionItem', 'InlineCompletionList', 'RelativePattern', 'SnippetTextEdit'].map((n) => [n, valueClass(n)])),
  env: { appName: 'podlint test host', language: 'en', openExternal: async () => true, machineId: 'test', sessionId: 'test' },
  commands: {
    registerCommand(id, fn) {
      state.commands.set(id, fn);
      return new Disposable(() => state.commands.delete(id));
    },
    async executeCommand(id, ...args) {
      state.executed.push([id, ...args]);
      const fn = state.commands.get(id);
      return fn ? fn(...args) : undefined;
    },
  },
  window: {
    showErrorMessage: (m, ...i) => notify('error', m, ...i),
    showWarningMessage: (m, ...i) => notify('warning', m, ...i),
    showInformationMessage: (m, ...i) => notify('information', m, ...i),
    createOutputChannel: outputChannel,
    withProgress: async (_o, task) => task({ report() {} }, new CancellationTokenSource().token),
    get activeTextEditor() { const d = state.documents[state.documents.length - 1]; return d && { document: d }; },
    get visibleTextEditors() { return state.documents.map((document) => ({ document })); },
    onDidChangeActiveTextEditor: noEvent,
    onDidChangeVisibleTextEditors: noEvent,
    showTextDocument: async () => undefined,
    tabGroups: {
      get all() { return [{ tabs: state.tabs, isActive: true }]; },
      onDidChangeTabs: state.onDidChangeTabs.event,
      onDidChangeTabGroups: noEvent,
    },
  },
  workspace: {
    get textDocuments() { return state.documents; },
    notebookDocuments: [],
    workspaceFolders: undefined,
    getWorkspaceFolder: () => undefined,
    getConfiguration: configuration,
    onDidChangeConfiguration: state.onDidChangeConfiguration.event,
    onDidOpenTextDocument: state.onDidOpenTextDocument.event,
    onDidChangeTextDocument: state.onDidChangeTextDocument.event,
    onDidCloseTextDocument: state.onDidCloseTextDocument.event,
    onDidSaveTextDocument: noEvent, onWillSaveTextDocument: noEvent,
    onDidOpenNotebookDocument: noEvent, onDidChangeNotebookDocument: noEvent, onDidSaveNotebookDocument: noEvent,
    onDidCloseNotebookDocument: noEvent, onDidChangeWorkspaceFolders: noEvent,
    onWillCreateFiles: noEvent, onDidCreateFiles: noEvent, onWillRenameFiles: noEvent, onDidRenameFiles: noEvent,
    onWillDeleteFiles: noEvent, onDidDeleteFiles: noEvent,
    createFileSystemWatcher: () => ({ onDidCreate: noEvent, onDidChange: noEvent, onDidDelete: noEvent, dispose() {} }),
    registerTextDocumentContentProvider: () => new Disposable(),
    applyEdit: async () => true,
    fs: { stat: async () => ({ type: 1 }) },
  },
  languages: new Proxy({
    match,
    createDiagnosticCollection: diagnosticCollection,
  }, { get: (t, k) => (k in t ? t[k] : registrar()) }),
  extensions: { getExtension: () => undefined, all: [] },
};

module.exports = { vscode, state, open, configure };
