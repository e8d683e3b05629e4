// Workspace trust in a real VS Code: a folder's clusters.json can come from anyone's repository. In Restricted
// Mode the language features work but nothing connects; trusting the folder starts the explorer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openVsCode, runCommand, uiUnavailableReason } from './harness';
import { SSH_CONFIG } from '../cluster/helpers';

const corosyncWithError = 'totem {\n    version: 2\n    cluster_name: demo\n    transport: udpu\n    crypto_cipher: aes256\n    crypto_hash: sha256\n}\n';

test('Restricted Mode: corosync.conf diagnostics work, the explorer connects to nothing and says why; trusting the folder connects', { timeout: 240_000 }, async (t) => {
  const reason = uiUnavailableReason() ?? (existsSync(SSH_CONFIG) ? undefined : `test cluster not set up (${SSH_CONFIG} missing)`);
  if (reason) {
    t.skip(reason);
    return;
  }
  // An empty known_hosts: any connection attempt would raise the host-key modal, so its absence proves none was made.
  const knownHosts = join(mkdtempSync(join(tmpdir(), 'pcx-kh-')), 'known_hosts');
  writeFileSync(knownHosts, '');
  const ui = await openVsCode({
    trust: 'untrusted',
    settings: { 'pacemaker.ssh.configFile': SSH_CONFIG, 'pacemaker.ssh.knownHostsFile': knownHosts },
    files: {
      '.pacemaker/clusters.json': JSON.stringify({ clusters: [{ name: 'cluster1', hosts: ['node1', 'node2'] }] }),
      'corosync.conf': corosyncWithError,
    },
  });
  try {
    const page = ui.page;
    await page.click('.activitybar [aria-label^="Pacemaker"]');
    await page.waitForSelector('.monaco-list-row:has-text("Restricted Mode: not connecting to the 1 cluster(s)")', { timeout: 30_000 });
    // The language side still works: the crypto-on-udpu error is underlined.
    await page.keyboard.press('Control+P');
    await page.keyboard.type('corosync.conf');
    await page.waitForSelector('.quick-input-list .monaco-list-row:has-text("corosync.conf")', { timeout: 15_000 });
    await page.keyboard.press('Enter');
    await page.waitForSelector('.monaco-editor .squiggly-error', { timeout: 30_000 });
    // A command that would connect is refused with the reason.
    await runCommand(page, 'Pacemaker: Refresh');
    await page.waitForSelector('.notifications-toasts:has-text("Restricted Mode: Pacemaker connects to no host")', { timeout: 10_000 });
    await page.waitForTimeout(3000);
    assert.equal(await page.locator('.monaco-dialog-box').count(), 0, 'no host-key question: nothing tried to connect');
    await page.mouse.move(1100, 600);
    await ui.screenshot('trust-restricted');

    // Trust the folder (the workspace-trust editor's Trust button); the explorer connects at once.
    await runCommand(page, 'Workspaces: Manage Workspace Trust');
    await page.click('.workspace-trust-editor .monaco-button:has-text("Trust")', { timeout: 15_000 });
    await page.locator('.monaco-dialog-box').waitFor({ state: 'visible', timeout: 30_000 });
    const modal = (await page.locator('.monaco-dialog-box').innerText()).replace(/\s+/g, ' ');
    assert.match(modal, /authenticity of host "node[12]"/, 'trusted now: the explorer connects (and asks about the unknown key)');
    await ui.screenshot('trust-granted');
  } finally {
    await ui.close();
  }
});
