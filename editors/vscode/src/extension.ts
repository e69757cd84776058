// Starts `podlint lsp` for YAML files. Everything else (diagnostics, quick fixes, fix-all on
// save, hover, completion, outline) is the language server's.
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  await start();
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      // A new executable or arguments need a new server; tracing is read by the client.
      if (event.affectsConfiguration('podlint.path') || event.affectsConfiguration('podlint.args')) {
        await client?.stop();
        await start();
      }
    }),
  );
}

async function start(): Promise<void> {
  const config = vscode.workspace.getConfiguration('podlint');
  const executable = {
    command: config.get<string>('path', 'podlint'),
    args: config.get<string[]>('args', ['lsp']),
    transport: TransportKind.stdio,
  };
  const serverOptions: ServerOptions = { run: executable, debug: executable };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'untitled', language: 'yaml' },
    ],
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/.podlint.{yaml,yml}') },
  };
  // The client id `podlint` makes `podlint.trace.server` switch tracing on.
  client = new LanguageClient('podlint', 'podlint', serverOptions, clientOptions);
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
