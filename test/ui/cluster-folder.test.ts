// Cluster as code in a real VS Code: Bootstrap Cluster from Folder on the bare test cluster (the plan in a modal,
// progress, the end state), then a change made by hand on a node shown by Compare Folder with Live Cluster in the
// diff editor. The cluster is rebuilt in the seed state afterwards.
// Then, from the seed: a hand-made change shows as a "pacemaker drift" diagnostic at the spec's line and as
// "drifted from" on the explorer's cluster; Apply Spec to Cluster previews, asks, applies and clears both; a
// later change on the cluster brings them back without a Compare.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { artifactsDir, openVsCode, runCommand, uiUnavailableReason } from './harness';
import { SSH_CONFIG, STATE_DIR, crmMon, ensureSeed, nodesInRole, sshOk } from '../cluster/helpers';
import { restoreSeedConfiguration, writeClusterFolder } from '../cluster/clusterFolder';

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

/** pcx from this checkout (the folder is made with pcx pull before VS Code opens it). */
function pcx(args: readonly string[]): { code: number | null; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.SSH_AUTH_SOCK;
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(require.resolve('tsx')).href, join(__dirname, '..', '..', 'src', 'cli', 'pcx.ts'), ...args], { encoding: 'utf8', timeout: 120_000, env, input: '' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('Drift diagnostics and Apply Spec to Cluster: a hand-made change at its spec line and on the explorer cluster; Apply previews, asks, applies, clears both', { timeout: 300_000 }, async (t) => {
  const reason = uiUnavailableReason() ?? (existsSync(SSH_CONFIG) ? undefined : `test cluster not set up (${SSH_CONFIG} missing)`);
  if (reason) {
    t.skip(reason);
    return;
  }
  ensureSeed();
  const workspace = mkdtempSync(join(tmpdir(), 'pcx-ui-drift-'));
  const folder = join(workspace, 'cluster1');
  writeClusterFolder(folder);
  const pulled = pcx(['pull', folder, '--ssh-config', SSH_CONFIG]);
  assert.equal(pulled.code, 0, pulled.stderr);
  const ui = await openVsCode({
    workspace,
    settings: { 'pacemaker.ssh.configFile': SSH_CONFIG, 'pacemaker.ssh.knownHostsFile': join(STATE_DIR, 'known_hosts') },
    files: { '.pacemaker/clusters.json': JSON.stringify({ clusters: [{ name: 'cluster1', hosts: ['node1'] }] }) },
    viewport: { width: 1280, height: 820 },
  });
  try {
    const page = ui.page;
    await page.click('.activitybar [aria-label^="Pacemaker"]');
    await page.waitForSelector('.monaco-list-row:has-text("redis-clone")', { timeout: 60_000 });
    await sshOk('node1', ['pcs', 'resource', 'update', 'redis', 'op', 'monitor', 'interval=7s'], { timeoutMs: 60_000 });

    await runCommand(page, 'Pacemaker: Compare Folder with Live Cluster');
    await page.waitForSelector('.tab:has-text("live cluster1")', { timeout: 60_000 });
    await page.waitForSelector('.monaco-editor .squiggly-warning', { timeout: 20_000 });
    await page.keyboard.press('Control+Shift+M');
    const problem = await page.waitForSelector('.markers-panel .monaco-list-row:has-text("Drift: primitive redis differs live")', { timeout: 15_000 });
    const specLine = readFileSync(join(folder, 'redis.crm'), 'utf8').split('\n').findIndex((l) => l.startsWith('primitive redis ')) + 1;
    assert.match((await problem.innerText()).replace(/\s+/g, ' '), new RegExp(`pacemaker drift.*\\[Ln ${specLine}, Col 1\\]`), 'the drift is at the primitive\'s line, from "pacemaker drift"');
    await page.waitForSelector('.monaco-list-row:has-text("drifted from cluster1")', { timeout: 10_000 });
    // Widen the sidebar (drag its edge) so that the cluster row's "drifted from" shows in the screenshot.
    const side = await page.locator('.part.sidebar').boundingBox();
    if (side) {
      await page.mouse.move(side.x + side.width + 1, side.y + 400);
      await page.mouse.down();
      await page.mouse.move(side.x + side.width + 240, side.y + 400, { steps: 8 });
      await page.mouse.up();
    }
    await page.mouse.move(900, 300);
    await ui.screenshot('drift-diagnostics');
    // The same without the notification, small enough for the docs.
    await page.screenshot({ path: join(artifactsDir, 'drift-diagnostics-docs.png'), clip: { x: 0, y: 0, width: 1280, height: 670 } });

    await runCommand(page, 'Pacemaker: Apply Spec to Cluster');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 60_000 });
    const plan = (await dialog.innerText()).replace(/\s+/g, ' ');
    assert.match(plan, /Apply cluster1 to cluster1: 1 change\(s\)\?/);
    assert.match(plan, /replace primitive redis/);
    assert.match(plan, /node1# cibadmin --patch --xml-pipe/);
    assert.match(plan, /Pacemaker predicts: no change of roles or locations/);
    await ui.screenshot('apply-plan');
    await page.click('.monaco-dialog-box .monaco-button:has-text("Apply")');
    await page.waitForSelector('.notifications-toasts:has-text("applied and verified")', { timeout: 90_000 });
    const drift = page.locator('.markers-panel .monaco-list-row', { hasText: 'Drift:' });
    for (let i = 0; i < 50 && (await drift.count()) > 0; i++) await page.waitForTimeout(200);
    assert.equal(await drift.count(), 0, 'the drift diagnostics are gone after Apply');
    const marked = page.locator('.monaco-list-row', { hasText: 'drifted from' });
    for (let i = 0; i < 50 && (await marked.count()) > 0; i++) await page.waitForTimeout(200);
    assert.equal(await marked.count(), 0, 'the explorer no longer marks the cluster');
    await ui.screenshot('apply-done');

    assert.match(await sshOk('node1', ['cibadmin', '-Q', '--xpath', "//primitive[@id='redis']//op[@name='monitor' and not(@role)]"]), /interval="5s"/);
    assert.equal(pcx(['diff', folder, '--ssh-config', SSH_CONFIG]).code, 0, 'pcx diff is clean after Apply');
    // A change on the cluster refreshes the drift without a Compare: the default's line gets its diagnostic.
    await sshOk('node1', ['crm_attribute', '--type', 'rsc_defaults', '--name', 'migration-threshold', '--update', '3']);
    await page.waitForSelector('.markers-panel .monaco-list-row:has-text("Drift: rsc_defaults migration-threshold")', { timeout: 30_000 });
    await page.waitForSelector('.monaco-list-row:has-text("drifted from cluster1")', { timeout: 10_000 });
  } finally {
    await ui.close();
    restoreSeedConfiguration();
    await sshOk('node1', ['crm_attribute', '--type', 'rsc_defaults', '--name', 'migration-threshold', '--update', '1']);
    ensureSeed();
  }
});

test('New Cluster Folder: asks for folder, cluster name, nodes, addresses and VIP, writes corosync.conf + cluster.crm, never overwrites', { timeout: 180_000 }, async (t) => {
  const reason = uiUnavailableReason();
  if (reason) {
    t.skip(reason);
    return;
  }
  const ui = await openVsCode({ files: { 'taken/cluster.crm': '# mine\n' } });
  try {
    const page = ui.page;
    await page.waitForSelector('.activitybar [aria-label^="Pacemaker"]', { timeout: 60_000 });
    const answer = async (title: RegExp, text: string) => {
      await page.locator('.quick-input-widget .quick-input-title', { hasText: title }).waitFor({ state: 'visible', timeout: 20_000 });
      await page.keyboard.press('Control+A');
      await page.keyboard.type(text);
      await page.keyboard.press('Enter');
    };
    await runCommand(page, 'Pacemaker: New Cluster Folder');
    await answer(/folder$/, 'redis-ha');
    await answer(/cluster name/, 'redis-ha');
    await answer(/nodes/, 'alpha, beta');
    await answer(/address of alpha/, '192.0.2.11');
    await answer(/address of beta/, '192.0.2.12');
    await answer(/VIP/, '192.0.2.100');
    await page.waitForSelector('.notifications-toasts:has-text("Created")', { timeout: 20_000 });
    await page.waitForSelector('.tab:has-text("cluster.crm")', { timeout: 20_000 });
    await ui.screenshot('new-cluster-folder');
    const conf = readFileSync(join(ui.workspace, 'redis-ha', 'corosync.conf'), 'utf8');
    assert.match(conf, /cluster_name: redis-ha/);
    assert.match(conf, /ring0_addr: 192\.0\.2\.12\n\s+name: beta/);
    assert.match(readFileSync(join(ui.workspace, 'redis-ha', 'cluster.crm'), 'utf8'), /params ip=192\.0\.2\.100 /);

    // A folder that already holds a spec is refused and left as it was.
    await runCommand(page, 'Pacemaker: New Cluster Folder');
    await answer(/folder$/, 'taken');
    await answer(/cluster name/, 'taken');
    await answer(/nodes/, 'alpha, beta');
    await answer(/address of alpha/, '192.0.2.11');
    await answer(/address of beta/, '192.0.2.12');
    await answer(/VIP/, '192.0.2.100');
    await page.waitForSelector('.notifications-toasts:has-text("never overwrites")', { timeout: 20_000 });
    assert.equal(readFileSync(join(ui.workspace, 'taken', 'cluster.crm'), 'utf8'), '# mine\n');
  } finally {
    await ui.close();
  }
});
