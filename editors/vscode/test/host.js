// Loads the built extension (dist/extension.js, with the real vscode-languageclient bundled in)
// against the `vscode` stand-in, in an extension folder of the test's making.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const Module = require('node:module');
const { vscode, state, open, configure } = require('./vscode-stand-in');

const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === 'vscode' ? require.resolve('./vscode-stand-in') : resolve.call(this, request, ...rest);
};
require.cache[require.resolve('./vscode-stand-in')].exports = vscode;

const podlint = process.env.PODLINT || 'podlint';
const example = path.resolve(__dirname, '../../../fixtures/examples/port-conflict.yaml');

/**
 * An extension folder: with `bundled`, `bin/podlint` is a wrapper that records its arguments
 * and the client's messages, then runs $PODLINT.
 */
function extensionFolder({ bundled }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'podlint-vscode-'));
  const logs = { args: path.join(dir, 'args.log'), wire: path.join(dir, 'wire.log') };
  if (bundled) {
    fs.mkdirSync(path.join(dir, 'bin'));
    const wrapper = path.join(dir, 'bin', 'podlint');
    fs.writeFileSync(wrapper, `#!/bin/sh\necho "$*" >> '${logs.args}'\ntee -a '${logs.wire}' | exec '${podlint}' "$@"\n`);
    fs.chmodSync(wrapper, 0o755);
  }
  return { dir, logs };
}

function context(dir) {
  return {
    subscriptions: [],
    extensionPath: dir,
    extensionUri: vscode.Uri.file(dir),
    asAbsolutePath: (p) => path.join(dir, p),
    globalState: { get: () => undefined, update: async () => undefined, keys: () => [] },
    workspaceState: { get: () => undefined, update: async () => undefined, keys: () => [] },
    environmentVariableCollection: {},
  };
}

function loadExtension() {
  return require(path.resolve(__dirname, '../dist/extension.js'));
}

/** Waits until `predicate` holds (polling), or fails with `what`. */
async function until(what, predicate, ms = 15000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = predicate();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\noutput:\n${state.output.join('\n')}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The diagnostic with `code` in the Problems panel for `uri`. */
function problem(uri, code) {
  return (state.diagnostics.get(uri) || []).find((d) => (d.code && d.code.value !== undefined ? d.code.value : d.code) === code);
}

module.exports = { vscode, state, open, configure, podlint, example, extensionFolder, context, loadExtension, until, problem };
