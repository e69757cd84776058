// No podlint anywhere: activation finishes without throwing, the user gets a notification
// with a button to the setting, and setting `podlint.path` starts the server with no reload.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const h = require('./host');

test('without a binary: a notification, no crash, and the setting starts it', async (t) => {
  const { dir } = h.extensionFolder({ bundled: false });
  process.env.PATH = '/nonexistent';
  const document = h.open(h.example, fs.readFileSync(h.example, 'utf8'));
  const extension = h.loadExtension();
  t.after(async () => {
    await extension.deactivate();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  // The user clicks the notification's button.
  h.state.choose = (_message, buttons) => buttons[0];

  await extension.activate(h.context(dir));
  const [notice] = await h.until('a notification', () => h.state.notifications.length > 0 && h.state.notifications);
  assert.strictEqual(notice.kind, 'error');
  assert.match(notice.message, /no podlint executable was found/);
  assert.match(notice.message, /podlint\.path/);
  assert.deepStrictEqual(notice.buttons, ['Open Settings']);
  await h.until('the settings page', () => h.state.executed.some(([id, query]) => id === 'workbench.action.openSettings' && query === 'podlint.path'));
  assert.ok(h.state.commands.has('podlint.restartServer'), 'commands are registered even without a server');

  // A wrong path is named in the next notification.
  h.configure({ 'podlint.path': '/nonexistent/podlint' });
  await h.until('a notification about the setting', () => h.state.notifications.some((n) => n.message.includes('/nonexistent/podlint')));

  // The right one starts the server: diagnostics without a window reload.
  h.configure({ 'podlint.path': h.podlint });
  await h.until('the port conflict', () => h.problem(document.uri.toString(), 'duplicate-container-port'));
});
