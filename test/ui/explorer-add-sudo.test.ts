/**
 * "Add Cluster" as a non-root admin in a real VS Code against the real test cluster: pcxadmin may log in but not
 * read the cluster (crm_node: Permission denied), so the flow offers "Use sudo" in a modal that names the sudoers
 * rule to add; with sudo it verifies a full status read before saving, and saves user + sudo (no secret).
 * known_hosts is a copy of the test cluster's (no host-key question here; explorer-add.test.ts covers that).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openVsCode, uiUnavailableReason } from './harness';
import { STATE_DIR } from '../cluster/helpers';

const SSH_CONFIG = join(STATE_DIR, 'ssh_config');

test('Add Cluster as pcxadmin: permission denied → "Use sudo" modal with the sudoers rule → verified, saved with sudo', { timeout: 240_000 }, async (t) => {
  const reason = uiUnavailableReason() ?? (existsSync(SSH_CONFIG) ? undefined : `test cluster not set up (${SSH_CONFIG} missing)`);
  if (reason) {
    t.skip(reason);
    return;
  }
  const knownHosts = join(mkdtempSync(join(tmpdir(), 'pcx-kh-')), 'known_hosts');
  copyFileSync(join(STATE_DIR, 'known_hosts'), knownHosts);
  const ui = await openVsCode({ settings: { 'pacemaker.ssh.configFile': SSH_CONFIG, 'pacemaker.ssh.knownHostsFile': knownHosts }, viewport: { width: 1400, height: 900 } });
  try {
    const page = ui.page;
    await page.click('.activitybar [aria-label^="Pacemaker"]');
    await page.click('.welcome-view-content a.monaco-button:has-text("Add Cluster"), .welcome-view-content .monaco-button:has-text("Add Cluster")');
    await page.waitForSelector('.quick-input-box input', { state: 'visible' });
    await page.keyboard.type('pcxadmin@node1');
    await page.keyboard.press('Enter');

    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 30_000 });
    const text = (await dialog.innerText()).replace(/\s+/g, ' ');
    console.log(`modal: ${text}`);
    assert.match(text, /pcxadmin may not read the cluster on node1: .*Permission denied/);
    assert.match(text, /pcxadmin ALL=\(root\) NOPASSWD: \/usr\/sbin\/crm_mon, \/usr\/sbin\/cibadmin, \/usr\/sbin\/crm_node, \/usr\/sbin\/corosync-cmapctl/);
    await page.waitForTimeout(300);
    await ui.screenshot('explorer-add-sudo-offer');
    await page.click('.monaco-dialog-box .monaco-button:has-text("Use sudo")');

    await page.waitForSelector('.quick-input-widget:has-text("Name for this cluster")', { timeout: 30_000 });
    assert.equal(await page.inputValue('.quick-input-box input'), 'cluster1', 'the CIB was read through sudo (its cluster-name)');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.quick-input-widget:has-text("Hosts to connect to")', { timeout: 10_000 });
    assert.equal(await page.inputValue('.quick-input-box input'), 'node1, node2');
    await page.keyboard.press('Enter');

    const saved = join(ui.workspace, '.pacemaker', 'clusters.json');
    const deadline = Date.now() + 30_000;
    while (!existsSync(saved) && Date.now() < deadline) await page.waitForTimeout(200);
    assert.deepEqual(JSON.parse(readFileSync(saved, 'utf8')), { clusters: [{ name: 'cluster1', hosts: ['node1', 'node2'], user: 'pcxadmin', sudo: true }] });
    // The explorer reads the cluster with those settings.
    await page.waitForSelector('.monaco-list-row:has-text("Nodes")', { timeout: 30_000 });
    await page.waitForSelector('.monaco-list-row:has-text("redis-clone")', { timeout: 30_000 });
    await ui.screenshot('explorer-add-sudo-done');
  } finally {
    await ui.close();
  }
});
