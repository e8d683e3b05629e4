/**
 * Operations from the tree in a real VS Code (code-server + Chromium) against the real test cluster:
 *  1. right-click the Promoted redis instance → Switchover… → the modal names the commands and the moves
 *     crm_simulate predicts → confirm → the tree shows redis Promoted on node2, and no cli- constraint is left;
 *  2. kill redis-server on node2 → the failure row appears → its inline Cleanup → confirm → the failure is gone
 *     and node2 is back as Unpromoted (node1 Promoted: the seed placement again).
 * Screenshots: test-results/ui/operations-*.png. Run: npm run package && node --import tsx --test test/ui/operations.test.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { clickMenuEntry, openVsCode, repoRoot, type UiSession } from './harness';
import { clusterUiSkipReason, dialogText, has, waitForRows } from './steps';
import { crmMon, nodesInRole, sshOk, STATE_DIR } from '../cluster/helpers';

const SSH_CONFIG = join(STATE_DIR, 'ssh_config');
const KNOWN_HOSTS = join(STATE_DIR, 'known_hosts');
const CLUSTER_SH = join(repoRoot, 'test', 'cluster', 'cluster.sh');

async function shot(ui: UiSession, name: string, park = true): Promise<string> {
  if (park) await ui.page.mouse.move(1200, 700);
  await new Promise((r) => setTimeout(r, 400));
  return ui.screenshot(name);
}

/** Drag the side bar's edge so descriptions are readable in the screenshots (as an admin would). */
async function widenSideBar(page: Page, width: number): Promise<void> {
  const box = await page.locator('.part.sidebar').boundingBox();
  if (!box) return;
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width - 1, y);
  await page.mouse.down();
  await page.mouse.move(box.x + width, y, { steps: 8 });
  await page.mouse.up();
}

/** The modal's text once it is up. */
test('operations from the tree: switchover from the Promoted instance, inline Cleanup on a failure row', { timeout: 600_000 }, async (t) => {
  const reason = clusterUiSkipReason();
  if (reason) {
    t.skip(reason);
    return;
  }
  execFileSync('bash', [CLUSTER_SH, 'ensure', 'seed'], { encoding: 'utf8', timeout: 600_000, stdio: ['ignore', 'pipe', 'pipe'] });
  const ui = await openVsCode({
    settings: { 'pacemaker.ssh.configFile': SSH_CONFIG, 'pacemaker.ssh.knownHostsFile': KNOWN_HOSTS },
    files: { '.pacemaker/clusters.json': JSON.stringify({ clusters: [{ name: 'cluster1', hosts: ['node1', 'node2'] }] }, null, 2) },
    viewport: { width: 1500, height: 950 },
  });
  try {
    const page = ui.page;
    await page.click('.activitybar [aria-label^="Pacemaker"]');
    await widenSideBar(page, 640);
    await waitForRows(ui, (rows) => has(rows, /^redis Promoted on node1/) && has(rows, /^redis Unpromoted on node2/), 60_000, 'the seed state');

    // ---- 1. Switchover from the Promoted instance's context menu
    const promotedInstance = page
      .locator('.monaco-list-row')
      .filter({ has: page.locator('.label-name', { hasText: /^redis$/ }) })
      .filter({ has: page.locator('.label-description', { hasText: /^Promoted on node1$/ }) });
    await promotedInstance.click({ button: 'right' });
    const item = page.locator('.context-view .action-label', { hasText: 'Switchover…' });
    await item.waitFor({ state: 'visible', timeout: 10_000 });
    await shot(ui, 'operations-menu', false);
    assert.ok(await clickMenuEntry(page, item), 'the Switchover… pick closed the menu');
    const preview = await dialogText(page);
    console.log(`preview dialog:\n${preview}`);
    assert.match(preview, /Switchover on cluster1: make redis-clone Promoted on node2\?/);
    assert.match(preview, /pcs resource ban redis-clone node1 --promoted/);
    assert.match(preview, /pcs resource clear redis-clone/);
    assert.match(preview, /redis-clone will be promoted on node2 and demoted on node1/);
    assert.match(preview, /VIP will move from node1 to node2/);
    await shot(ui, 'operations-preview');
    const started = Date.now();
    await page.locator('.monaco-dialog-box .monaco-button', { hasText: /^Switchover$/ }).click();
    const toast = page.locator('.notification-toast', { hasText: 'Switchover done and verified' });
    await toast.waitFor({ state: 'visible', timeout: 120_000 });
    const switched = await waitForRows(
      ui,
      (rows) => has(rows, /^redis Promoted on node2/) && has(rows, /^redis Unpromoted on node1/) && has(rows, /^VIP Started on node2/) && !has(rows, /left by move\/ban|remove with:/),
      30_000,
      'node2 Promoted in the tree, no leftover constraint',
    );
    console.log(`confirm → outcome notification and the tree showing node2 Promoted: ${Date.now() - started} ms`);
    assert.ok(has(switched, /^Constraints 1\b/), `only the seed's colocation:\n  ${switched.join('\n  ')}`);
    const mon = await crmMon('node1');
    assert.deepEqual(nodesInRole(mon, 'redis', 'Promoted'), ['node2']);
    assert.doesNotMatch(await sshOk('node1', ['cibadmin', '--query', '--local', '--xpath', '//constraints']), /cli-/);
    await shot(ui, 'operations-switched');

    // ---- 2. a failure row's inline Cleanup
    await sshOk('node2', ['pkill', '-KILL', '-x', 'redis-server']);
    await waitForRows(ui, (rows) => has(rows, /^redis \w+.* on node2 not running/) && has(rows, /^redis Promoted on node1/), 120_000, 'the failure row after killing redis on node2');
    await new Promise((r) => setTimeout(r, 3000)); // let the failover settle before cleaning up
    const failureRow = page.locator('.monaco-list-row', { hasText: /on node2/ }).filter({ hasText: /not running/ }).first();
    await failureRow.hover();
    await shot(ui, 'operations-failure', false);
    await failureRow.locator('.action-label[aria-label^="Cleanup"]').click();
    const cleanupPreview = await dialogText(page);
    console.log(`cleanup dialog:\n${cleanupPreview}`);
    assert.match(cleanupPreview, /pcs resource cleanup redis node=node2/);
    assert.match(cleanupPreview, /redis-clone will be started on node2 as Unpromoted/);
    await page.locator('.monaco-dialog-box .monaco-button', { hasText: /^Cleanup$/ }).click();
    const cleaned = await waitForRows(ui, (rows) => has(rows, /^redis Unpromoted on node2/) && has(rows, /^Failures none/), 120_000, 'the failure gone and node2 Unpromoted');
    await page.locator('.notification-toast', { hasText: 'Cleanup done and verified' }).waitFor({ state: 'visible', timeout: 60_000 });
    assert.ok(has(cleaned, /^redis Promoted on node1/));
    await shot(ui, 'operations-cleaned');
  } finally {
    await ui.close();
    // Leave the seed state for whoever runs next (a no-op when the test got there itself).
    execFileSync('bash', [CLUSTER_SH, 'ensure', 'seed'], { encoding: 'utf8', timeout: 600_000, stdio: ['ignore', 'pipe', 'pipe'] });
  }
});
