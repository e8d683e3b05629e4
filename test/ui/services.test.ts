/**
 * Cluster services from the tree in a real VS Code (code-server + Chromium) against the real test cluster:
 * right-click node2 → Stop Cluster Services… → the modal names `node2# pcs cluster stop` and that nothing moves
 * (node2 runs only the replica) → confirm → the tree, read through node1, shows node2 offline; right-click the
 * offline node2 → its menu offers Start Cluster Services… (screenshot docs/images/operations-node-menu.png) →
 * confirm → node2 online again with the replica. Screenshots: test-results/ui/services-*.png.
 * Run: npm run package && node --import tsx --test test/ui/services.test.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { clickMenuEntry, openVsCode, repoRoot } from './harness';
import { clusterUiSkipReason, dialogText, has, waitForRows } from './steps';
import { crmMon, nodesInRole, STATE_DIR } from '../cluster/helpers';

const SSH_CONFIG = join(STATE_DIR, 'ssh_config');
const KNOWN_HOSTS = join(STATE_DIR, 'known_hosts');
const CLUSTER_SH = join(repoRoot, 'test', 'cluster', 'cluster.sh');

async function widenSideBar(page: Page, width: number): Promise<void> {
  const box = await page.locator('.part.sidebar').boundingBox();
  if (!box) return;
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width - 1, y);
  await page.mouse.down();
  await page.mouse.move(box.x + width, y, { steps: 8 });
  await page.mouse.up();
}

test('node menu: Stop Cluster Services on node2, then Start Cluster Services on the offline node2', { timeout: 400_000 }, async (t) => {
  const reason = clusterUiSkipReason();
  if (reason) {
    t.skip(reason);
    return;
  }
  execFileSync('bash', [CLUSTER_SH, 'ensure', 'seed'], { encoding: 'utf8', timeout: 600_000, stdio: ['ignore', 'pipe', 'pipe'] });
  const ui = await openVsCode({
    settings: { 'pacemaker.ssh.configFile': SSH_CONFIG, 'pacemaker.ssh.knownHostsFile': KNOWN_HOSTS },
    files: { '.pacemaker/clusters.json': JSON.stringify({ clusters: [{ name: 'cluster1', hosts: ['node1', 'node2'] }] }, null, 2) },
    viewport: { width: 1400, height: 900 },
  });
  try {
    const page = ui.page;
    await page.click('.activitybar [aria-label^="Pacemaker"]');
    await widenSideBar(page, 600);
    await waitForRows(ui, (rows) => has(rows, /^redis Promoted on node1/) && has(rows, /^redis Unpromoted on node2/), 60_000, 'the seed state');
    const nodeRow = () => page.locator('.monaco-list-row').filter({ has: page.locator('.label-name', { hasText: /^node2$/ }) }).first();

    // ---- Stop Cluster Services on node2 (the replica's node): nothing moves, the replica stops.
    await waitForRows(ui, (rows) => has(rows, /^node2 online/), 30_000, 'the node2 row');
    await nodeRow().click({ button: 'right' });
    const stopItem = page.locator('.context-view .action-label', { hasText: 'Stop Cluster Services…' });
    await stopItem.waitFor({ state: 'visible', timeout: 10_000 });
    await ui.screenshot('services-stop-menu');
    assert.ok(await clickMenuEntry(page, stopItem), 'the Stop Cluster Services… pick closed the menu');
    const stopPreview = await dialogText(page);
    console.log(`stop dialog:\n${stopPreview}`);
    assert.match(stopPreview, /Stop cluster services on cluster1: stop Pacemaker and Corosync on node2/);
    assert.match(stopPreview, /node2# pcs cluster stop/);
    assert.match(stopPreview, /redis-clone will be stopped on node2/);
    await page.locator('.monaco-dialog-box .monaco-button', { hasText: /^Stop cluster services$/ }).click();
    await page.locator('.notification-toast', { hasText: 'Stop cluster services done and verified' }).waitFor({ state: 'visible', timeout: 120_000 });
    // Read through node1: node2 is offline, its row still there.
    await waitForRows(ui, (rows) => has(rows, /^node2 offline/i) && has(rows, /^redis Promoted on node1/), 60_000, 'node2 offline in the tree');

    // ---- the offline node's menu offers Start Cluster Services
    await nodeRow().click({ button: 'right' });
    const startItem = page.locator('.context-view .action-label', { hasText: 'Start Cluster Services…' });
    await startItem.waitFor({ state: 'visible', timeout: 10_000 });
    assert.equal(await page.locator('.context-view .action-label', { hasText: 'Stop Cluster Services…' }).count(), 0, 'no Stop on an offline node');
    await new Promise((r) => setTimeout(r, 400));
    await ui.screenshot('operations-node-menu');
    assert.ok(await clickMenuEntry(page, startItem), 'the Start Cluster Services… pick closed the menu');
    const startPreview = await dialogText(page);
    console.log(`start dialog:\n${startPreview}`);
    assert.match(startPreview, /node2# pcs cluster start/);
    assert.match(startPreview, /redis-clone will be started on node2 as Unpromoted/);
    const started = Date.now();
    await page.locator('.monaco-dialog-box .monaco-button', { hasText: /^Start cluster services$/ }).click();
    await page.locator('.notification-toast', { hasText: 'Start cluster services done and verified' }).waitFor({ state: 'visible', timeout: 120_000 });
    await waitForRows(ui, (rows) => has(rows, /^node2 online/) && has(rows, /^redis Unpromoted on node2/) && has(rows, /^redis Promoted on node1/), 60_000, 'node2 back with the replica');
    console.log(`confirm → node2 back online with the replica in the tree: ${Date.now() - started} ms`);
    const mon = await crmMon('node1');
    assert.deepEqual(nodesInRole(mon, 'redis', 'Unpromoted'), ['node2']);
    await ui.screenshot('services-started');
  } finally {
    await ui.close();
    execFileSync('bash', [CLUSTER_SH, 'ensure', 'seed'], { encoding: 'utf8', timeout: 600_000, stdio: ['ignore', 'pipe', 'pipe'] });
  }
});
