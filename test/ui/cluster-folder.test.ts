// Cluster as code in a real VS Code: Bootstrap Cluster from Folder on the bare test cluster (the plan in a modal,
// progress, the end state), then a change made by hand on a node shown by Compare Folder with Live Cluster in the
// diff editor. The cluster is rebuilt in the seed state afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openVsCode, runCommand, uiUnavailableReason } from './harness';
import { SSH_CONFIG, STATE_DIR, crmMon, ensureSeed, nodesInRole, sshOk } from '../cluster/helpers';
import { writeClusterFolder } from '../cluster/clusterFolder';

function clusterSh(...args: string[]): void {
  const r = spawnSync('bash', [join(__dirname, '..', 'cluster', 'cluster.sh'), ...args], { encoding: 'utf8', timeout: 400_000 });
  if (r.status !== 0) throw new Error(`cluster.sh ${args.join(' ')}: ${(r.stderr || r.stdout).slice(-2000)}`);
}

test('Bootstrap Cluster from Folder: plan modal, progress, reference state; Compare with Live Cluster shows a hand-made change', { timeout: 600_000 }, async (t) => {
  const reason = uiUnavailableReason() ?? (existsSync(SSH_CONFIG) ? undefined : `test cluster not set up (${SSH_CONFIG} missing)`);
  if (reason) {
    t.skip(reason);
    return;
  }
  clusterSh('ensure', 'bare');
  const ui = await openVsCode({ settings: { 'pacemaker.ssh.configFile': SSH_CONFIG, 'pacemaker.ssh.knownHostsFile': join(STATE_DIR, 'known_hosts') } });
  try {
    const page = ui.page;
    writeClusterFolder(join(ui.workspace, 'cluster1'));
    // The extension's contributions are loaded once its activity-bar entry shows.
    await page.waitForSelector('.activitybar [aria-label^="Pacemaker"]', { timeout: 60_000 });
    await runCommand(page, 'Pacemaker: Bootstrap Cluster from Folder');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 60_000 });
    const plan = (await dialog.innerText()).replace(/\s+/g, ' ');
    assert.match(plan, /Bootstrap cluster1 on node1, node2\?/);
    assert.match(plan, /start Pacemaker on node1 and wait until it is DC/);
    assert.match(plan, /load the spec .* as one CIB replace/);
    const planDoc = await page.locator('.editor-container .view-lines').first().innerText();
    assert.match(planDoc.replace(/\s+/g, ' '), /cibadmin --replace --scope configuration --xml-pipe/, 'the plan editor has the exact commands');
    await ui.screenshot('bootstrap-plan');
    await page.click('.monaco-dialog-box .monaco-button:has-text("Bootstrap")');
    await page.waitForSelector('.notifications-toasts:has-text("Bootstrapping")', { timeout: 20_000 });
    await page.waitForSelector('.notifications-toasts:has-text("start Pacemaker on node1")', { timeout: 60_000 });
    await page.mouse.move(700, 400);
    await ui.screenshot('bootstrap-progress');
    await page.waitForSelector('.notifications-toasts:has-text("Bootstrapped: redis-clone: Promoted on node1; Unpromoted on node2")', { timeout: 240_000 });
    await ui.screenshot('bootstrap-done');
    const s = await crmMon('node1');
    assert.deepEqual(nodesInRole(s, 'redis', 'Promoted'), ['node1']);

    await sshOk('node1', ['pcs', 'resource', 'update', 'redis', 'op', 'monitor', 'interval=7s'], { timeoutMs: 60_000 });
    await runCommand(page, 'Pacemaker: Compare Folder with Live Cluster');
    await page.waitForSelector('.tab:has-text("live cluster1")', { timeout: 60_000 });
    await page.waitForSelector('.editor-container .view-lines:has-text("interval=7s")', { timeout: 20_000 });
    await page.mouse.move(700, 400);
    await ui.screenshot('drift-diff');
  } finally {
    await ui.close();
    clusterSh('down');
    ensureSeed();
  }
});
