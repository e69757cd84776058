// Starts `podlint lsp` for YAML files. Everything else (diagnostics, quick fixes, fix-all on
// save, hover, completion, outline) is the language server's.
//
// The executable is, in order: the `podlint.path` setting, the binary bundled in the
// extension (`bin/podlint`, `bin/podlint.exe` on Windows), `podlint` on PATH. When none is
// found the user gets a notification with a button to the setting, and the extension stays
// active: changing the setting, or running "podlint: Restart Server", starts the server.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';

const EXE = process.platform === 'win32' ? 'podlint.exe' : 'podlint';

let client: LanguageClient | undefined;
let output: vscode.LogOutputChannel | undefined;
// Restarts run one after the other: a settings change during a start waits for it.
let queue: Promise<void> = Promise.resolve();

/** Where the executable comes from, for the messages that name it. */
export type Source = 'setting' | 'bundled' | 'PATH';
export interface Executable {
  command: string;
  source: Source;
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('podlint', { log: true });
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand('podlint.restartServer', () => restart(context)),
    vscode.workspace.onDidChangeConfiguration((event) => {
      // A new executable or arguments need a new server; tracing is read by the client.
      if (event.affectsConfiguration('podlint.path') || event.affectsConfiguration('podlint.args')) {
        void restart(context);
      }
    }),
  );
  await restart(context);
}

export async function deactivate(): Promise<void> {
  await queue;
  await stop();
}

function restart(context: vscode.ExtensionContext): Promise<void> {
  queue = queue.then(async () => {
    await stop();
    await start(context);
  });
  return queue;
}

async function stop(): Promise<void> {
  const running = client;
  client = undefined;
  try {
    await running?.stop();
  } catch (error) {
    output?.appendLine(`podlint: stopping the language server failed: ${String(error)}`);
  }
}

/** Finds the executable: the setting, then the bundled binary, then PATH. */
export function findExecutable(extensionPath: string, setting: string, env: NodeJS.ProcessEnv): Executable | string {
  if (setting.trim() !== '') {
    const resolved = resolveSetting(setting.trim());
    if (resolved) return { command: resolved, source: 'setting' };
    return `\`podlint.path\` is set to "${setting}", which is not an executable file.`;
  }
  const bundled = path.join(extensionPath, 'bin', EXE);
  if (isExecutable(bundled)) return { command: bundled, source: 'bundled' };
  const onPath = searchPath(EXE, env);
  if (onPath) return { command: onPath, source: 'PATH' };
  return 'no podlint executable was found: this extension has none bundled for this platform and `podlint` is not on PATH.';
}

/** A setting is a path (absolute, `~/…`, or relative to the workspace) or a bare name on PATH. */
function resolveSetting(setting: string): string | undefined {
  let candidate = setting;
  if (candidate.startsWith('~/')) candidate = path.join(process.env.HOME ?? '', candidate.slice(2));
  if (!candidate.includes('/') && !candidate.includes('\\')) return searchPath(candidate, process.env);
  if (!path.isAbsolute(candidate)) {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    if (folder) candidate = path.join(folder, candidate);
  }
  return isExecutable(candidate) ? candidate : undefined;
}

function searchPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  const dirs = (env.PATH ?? env.Path ?? '').split(path.delimiter).filter((d) => d !== '');
  const names = process.platform === 'win32' && !name.toLowerCase().endsWith('.exe') ? [`${name}.exe`, name] : [name];
  for (const dir of dirs) {
    for (const n of names) {
      const candidate = path.join(dir, n);
      if (isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) return false;
    fs.accessSync(file, process.platform === 'win32' ? fs.constants.F_OK : fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function start(context: vscode.ExtensionContext): Promise<void> {
  const config = vscode.workspace.getConfiguration('podlint');
  const found = findExecutable(context.extensionPath, config.get<string>('path', ''), process.env);
  if (typeof found === 'string') {
    output?.appendLine(`podlint: ${found}`);
    void notify(`podlint: ${found} Set \`podlint.path\` to a podlint executable, or install podlint (pip install podlint).`);
    return;
  }
  output?.appendLine(`podlint: starting ${found.command} (${found.source})`);
  // TransportKind.stdio makes the client add `--stdio`, which `podlint lsp` accepts.
  const executable = {
    command: found.command,
    args: config.get<string[]>('args', ['lsp']),
    transport: TransportKind.stdio,
  };
  const serverOptions: ServerOptions = { run: executable, debug: executable };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'untitled', language: 'yaml' },
    ],
    outputChannel: output,
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/.podlint.{yaml,yml}') },
  };
  // The client id `podlint` makes `podlint.trace.server` switch tracing on.
  const next = new LanguageClient('podlint', 'podlint', serverOptions, clientOptions);
  try {
    await next.start();
    client = next;
  } catch (error) {
    output?.appendLine(`podlint: the language server did not start: ${String(error)}`);
    void notify(`podlint: the language server (${found.command}) did not start: ${String(error)}`);
    try {
      await next.dispose();
    } catch {
      // It never ran; nothing more to clean up.
    }
  }
}

async function notify(message: string): Promise<void> {
  const open = 'Open Settings';
  const choice = await vscode.window.showErrorMessage(message, open);
  if (choice === open) {
    await vscode.commands.executeCommand('workbench.action.openSettings', 'podlint.path');
  }
}
