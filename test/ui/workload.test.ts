/**
 * The workload view in a real VS Code against the real test cluster: healthy (master / replica with link up next
 * to Promoted / Unpromoted, the VIP really on node1), then two Redis masters (REPLICAOF NO ONE on the replica,
 * with the clone in maintenance so Pacemaker's monitor does not repair it) → workload/redis-split-brain on the
 * clone row and in the status bar. Screenshots of both (test-results/ui/workload-*.png). Undone at the end.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openVsCode, repoRoot, runCommand, uiUnavailableReason, type UiSession } from './harness';
import { STATE_DIR } from '../cluster/helpers';

const SSH_CONFIG = join(STATE_DIR, 'ssh_config');
const KNOWN_HOSTS = join(STATE_DIR, 'known_hosts');
const CLUSTER_SH = join(repoRoot, 'test', 'cluster', 'cluster.sh');

const cluster = (...args: string[]): string => execFileSync('bash', [CLUSTER_SH, ...args], { encoding: 'utf8', timeout: 600_000, stdio: ['ignore', 'pipe', 'pipe'] });

async function rows(ui: UiSession): Promise<string[]> {
  return ui.page.$$eval('.monaco-list-row', (rs) =>
    rs.map((r) => {
      const el = r as unknown as { querySelector(s: string): { textContent: string | null } | null; innerText: string };
      return `${el.querySelector('.label-name')?.textContent ?? el.innerText} ${el.querySelector('.label-description')?.textContent ?? ''}`.replace(/\s+/g, ' ').trim();
    }),
  );
}

async function waitForRows(ui: UiSession, pred: (rs: string[]) => boolean, timeoutMs: number, what: string): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let seen: string[] = [];
  while (Date.now() < deadline) {
    seen = await rows(ui);
    if (pred(seen)) return seen;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; rows:\n  ${seen.join('\n  ')}`);
}

const has = (rs: readonly string[], re: RegExp): boolean => rs.some((r) => re.test(r));

async function shot(ui: UiSession, name: string): Promise<void> {
  await ui.page.mouse.move(1200, 700);
  await new Promise((r) => setTimeout(r, 300));
  await ui.screenshot(name);
}

test('workload view: healthy, then split brain on the clone row and in the status bar', { timeout: 600_000 }, async (t) => {
  const reason = uiUnavailableReason() ?? (existsSync(SSH_CONFIG) ? undefined : `test cluster not set up (${SSH_CONFIG} missing)`);
  if (reason) {
    if (process.env['CI']) assert.fail(reason);
    t.skip(reason);
    return;
  }
  cluster('ensure', 'seed');
  const ui = await openVsCode({
    settings: { 'pacemaker.ssh.configFile': SSH_CONFIG, 'pacemaker.ssh.knownHostsFile': KNOWN_HOSTS, 'pacemaker.explorer.fullRefreshIntervalMs': 5000 },
    files: { '.pacemaker/clusters.json': JSON.stringify({ clusters: [{ name: 'cluster1', hosts: ['node1', 'node2'] }] }, null, 2) },
    viewport: { width: 1500, height: 950 },
  });
  try {
    await ui.page.click('.activitybar [aria-label^="Pacemaker"]');
    const box = await ui.page.locator('.part.sidebar').boundingBox();
    if (box) {
      await ui.page.mouse.move(box.x + box.width - 1, box.y + box.height / 2);
      await ui.page.mouse.down();
      await ui.page.mouse.move(box.x + 820, box.y + box.height / 2, { steps: 8 });
      await ui.page.mouse.up();
    }
    const healthy = await waitForRows(ui, (rs) => has(rs, /^redis Promoted on node1 · master · 1 replica/) && has(rs, /^redis Unpromoted on node2 · replica of node1 · link up · lag 0 B/), 90_000, 'master/replica next to Promoted/Unpromoted');
    console.log(`healthy rows:\n  ${healthy.join('\n  ')}`);
    assert.ok(has(healthy, /^redis-clone Promoted on node1 · Unpromoted on node2 · Redis ✓/), 'clone row: Redis agrees');
    assert.ok(has(healthy, /^VIP Started on node1 · \S+ · really on node1 \(eth0\)/), 'VIP really on node1');
    await shot(ui, 'workload-healthy');

    cluster('ssh', 'node1', 'pcs', 'resource', 'meta', 'redis-clone', 'maintenance=true');
    cluster('ssh', 'node2', 'redis-cli', 'REPLICAOF', 'NO', 'ONE');
    await runCommand(ui.page, 'Pacemaker: Refresh');
    const split = await waitForRows(ui, (rs) => has(rs, /^redis-clone .*Redis ⚠ split brain/), 60_000, 'split brain on the clone row');
    console.log(`split-brain rows:\n  ${split.join('\n  ')}`);
    assert.ok(has(split, /^redis Unpromoted on node2 · (unmanaged · )?master · 0 replicas/), 'node2 a master although Unpromoted');
    const bar = await ui.page.locator('.statusbar-item:has-text("cluster1")').first().textContent({ timeout: 5000 });
    assert.match(bar ?? '', /cluster1 ⚠/, 'status bar degraded');
    await shot(ui, 'workload-split-brain');
  } finally {
    await ui.close();
    try {
      cluster('ssh', 'node2', 'redis-cli', 'REPLICAOF', 'node1', '6379');
      cluster('ssh', 'node1', 'pcs', 'resource', 'meta', 'redis-clone', 'maintenance=');
    } finally {
      cluster('reset');
    }
  }
});
