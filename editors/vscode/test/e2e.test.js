// Drives the real `podlint lsp` through vscode-jsonrpc, the protocol library the extension's
// client is built on: initialize, open the tutorial's port-conflict Pod, get the finding.
// PODLINT is the executable to test (default: `podlint` on PATH).
const { test } = require('node:test');
const assert = require('node:assert');
const cp = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const url = require('node:url');
const rpc = require('vscode-jsonrpc/node');

const podlint = process.env.PODLINT || 'podlint';
const example = path.resolve(__dirname, '../../../fixtures/examples/port-conflict.yaml');

test('the port-conflict Pod gets a duplicate-container-port diagnostic', async (t) => {
  const server = cp.spawn(podlint, ['lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = rpc.createMessageConnection(
    new rpc.StreamMessageReader(server.stdout),
    new rpc.StreamMessageWriter(server.stdin),
  );
  t.after(() => server.kill());
  const uri = url.pathToFileURL(example).href;
  const published = new Promise((resolve) => {
    connection.onNotification('textDocument/publishDiagnostics', (params) => {
      if (params.uri === uri) resolve(params);
    });
  });
  connection.onRequest(() => null);
  connection.listen();

  // What VS Code offers: UTF-16 positions only, pushed diagnostics.
  const init = await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
  assert.strictEqual(init.capabilities.positionEncoding, 'utf-16');
  assert.strictEqual(init.capabilities.textDocumentSync.change, 2);
  connection.sendNotification('initialized', {});
  connection.sendNotification('textDocument/didOpen', {
    textDocument: { uri, languageId: 'yaml', version: 1, text: fs.readFileSync(example, 'utf8') },
  });

  let timer;
  const params = await Promise.race([
    published,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error('no diagnostics within 10 s')), 10000);
    }),
  ]);
  clearTimeout(timer);
  assert.strictEqual(params.version, 1);
  const conflict = params.diagnostics.find((d) => d.code === 'duplicate-container-port');
  assert.ok(conflict, JSON.stringify(params.diagnostics));
  assert.strictEqual(conflict.source, 'podlint');
  assert.deepStrictEqual(conflict.range.start, { line: 15, character: 6 });
  assert.strictEqual(conflict.relatedInformation[0].location.range.start.line, 11);

  await connection.sendRequest('shutdown');
  const exited = new Promise((resolve) => server.on('exit', resolve));
  connection.sendNotification('exit');
  assert.strictEqual(await exited, 0);
  connection.dispose();
});
