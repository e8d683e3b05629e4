// Runs inside the VS Code extension host (test-electron). Plain assertions, no test framework to bundle.
const assert = require('node:assert/strict');
const path = require('node:path');
const vscode = require('vscode');

async function waitFor(what, check, timeoutMs = 20000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function run() {
  const ext = vscode.extensions.all.find((e) => e.packageJSON.name === 'pacemaker-cluster-explorer');
  assert.ok(ext, 'the extension is loaded');

  // corosync.conf in the fixture workspace has a trailing comment on two_node: an error diagnostic.
  const folder = vscode.workspace.workspaceFolders[0].uri.fsPath;
  const doc = await vscode.workspace.openTextDocument(path.join(folder, 'corosync.conf'));
  await vscode.window.showTextDocument(doc);
  assert.equal(doc.languageId, 'corosync');
  const diagnostics = await waitFor('corosync diagnostics', () => {
    const d = vscode.languages.getDiagnostics(doc.uri);
    return d.length > 0 && d;
  });
  assert.ok(diagnostics.some((d) => String(d.code && d.code.value ? d.code.value : d.code) === 'corosync/trailing-comment'));

  const commands = await vscode.commands.getCommands(true);
  for (const id of ['pacemaker.explorer.addCluster', 'pacemaker.explorer.refresh', 'pacemaker.showLog']) {
    assert.ok(commands.includes(id), `${id} is registered`);
  }
  console.log('test:vscode: 2 passed, 0 failed');
}

module.exports = { run };
