// The extension as VS Code runs it: activate() from dist/extension.js with the real
// vscode-languageclient, which starts the bundled bin/podlint with `--stdio`, announces pull
// diagnostics, and pulls the port conflict into the Problems panel. Then the restart command
// and a settings change, each applied without a reload.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const h = require('./host');

test('activation starts the bundled server and pulls the port conflict', async (t) => {
  const { dir, logs } = h.extensionFolder({ bundled: true });
  // Not on PATH: the bundled binary must be the one found.
  process.env.PATH = '/usr/bin:/bin';
  const document = h.open(h.example, fs.readFileSync(h.example, 'utf8'));
  const uri = document.uri.toString();
  const extension = h.loadExtension();
  const context = h.context(dir);
  t.after(async () => {
    await extension.deactivate();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  await extension.activate(context);
  const conflict = await h.until('the port conflict in the Problems panel', () => h.problem(uri, 'duplicate-container-port'));
  assert.deepStrictEqual([conflict.range.start.line, conflict.range.start.character], [15, 6]);
  assert.strictEqual(conflict.source, 'podlint');
  assert.strictEqual(conflict.relatedInformation[0].location.range.start.line, 11);
  assert.deepStrictEqual(h.state.notifications, [], 'no notification on a normal start');

  // How it was started and what the client said: VS Code's launch flags, pull diagnostics.
  assert.match(fs.readFileSync(logs.args, 'utf8'), /^lsp --stdio( --clientProcessId=\d+)?\n$/);
  const wire = fs.readFileSync(logs.wire, 'utf8');
  const initialize = JSON.parse(wire.slice(wire.indexOf('{'), wire.indexOf('Content-Length', 1)));
  assert.strictEqual(initialize.method, 'initialize');
  assert.ok(initialize.params.capabilities.textDocument.diagnostic, 'the client announces pull diagnostics');
  assert.match(wire, /"method":"textDocument\/diagnostic"/);
  assert.ok(h.state.output.some((l) => l.includes('(bundled)')), h.state.output.join('\n'));

  // podlint: Restart Server starts a fresh server that pulls again.
  assert.ok(h.state.commands.has('podlint.restartServer'));
  h.state.diagnostics.clear();
  await h.vscode.commands.executeCommand('podlint.restartServer');
  await h.until('diagnostics after the restart', () => h.problem(uri, 'duplicate-container-port'));
  assert.strictEqual(fs.readFileSync(logs.args, 'utf8').split('\n').filter(Boolean).length, 2);

  // A new `podlint.path` takes effect at once: the server is restarted from the setting.
  h.state.diagnostics.clear();
  h.configure({ 'podlint.path': h.podlint });
  await h.until('diagnostics from the configured executable', () => h.problem(uri, 'duplicate-container-port'));
  assert.ok(h.state.output.some((l) => l.includes('(setting)')), h.state.output.join('\n'));
  assert.deepStrictEqual(h.state.notifications, []);
});
