/**
 * The Cluster explorer in a real VS Code (code-server + Chromium) against the real 2-node test cluster.
 *
 *  1. seed: both nodes online, redis Promoted on node1, VIP on node1 — screenshot.
 *  2. idle cost while visible (poll counters test/ui/pollStatsHook.mjs, loaded through the extension's test seam, writes to $PCX_POLL_STATS_FILE), and nothing while hidden.
 *  3. failover: redis-server killed on node1 → the tree shows node2 Promoted and the failed action, with no
 *     manual refresh. Measured: kill → tree, and cluster change (seen by this test's own crm_mon watch) → tree.
 *  4. unreachable: the nodes' sshd made unreachable from this host (a reject route for each node's address,
 *     so corosync between the nodes is untouched and nothing on the nodes is killed) → the message row with
 *     Retry / Show Log / Edit Connection. Restored afterwards, and the cluster put back to seed.
 *
 * Run: npm run package && node --import tsx --test test/ui/explorer.test.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { openVsCode, repoRoot, uiUnavailableReason, type UiSession } from './harness';
import { fetchClusterXml } from '../../src/core/cluster/live';
import { parseCrmMon } from '../../src/core/cluster/crmMon';
import { placementOf } from '../../src/core/cluster/snapshot';
import { SshPool } from '../../src/core/ssh/pool';
import { STATE_DIR, NODE_ADDR, VIP } from '../cluster/helpers';

const STATE = STATE_DIR;
const SSH_CONFIG = join(STATE, 'ssh_config');
const KNOWN_HOSTS = join(STATE, 'known_hosts');
const CLUSTER_SH = join(repoRoot, 'test', 'cluster', 'cluster.sh');
const NODE_ADDRS = [NODE_ADDR.node1, NODE_ADDR.node2];

function skipReason(): string | undefined {
  const ui = uiUnavailableReason();
  if (ui) return ui;
  if (!existsSync(SSH_CONFIG) || !existsSync(CLUSTER_SH)) return `test cluster not set up (${SSH_CONFIG} missing: bash test/cluster/cluster.sh up seed)`;
  if (process.getuid?.() !== 0) return 'needs root (the unreachable test adds host routes)';
  return undefined;
}

function cluster(...args: string[]): string {
  return execFileSync('bash', [CLUSTER_SH, ...args], { encoding: 'utf8', timeout: 600_000, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Visible tree rows as "label description" (the harness's treeRows() runs the two together). */
async function rowsOf(page: Page): Promise<string[]> {
  return page.$$eval('.monaco-list-row', (rows) =>
    rows.map((r) => {
      const el = r as unknown as { querySelector(s: string): { textContent: string | null } | null; innerText: string };
      const label = el.querySelector('.label-name')?.textContent ?? el.innerText;
      const description = el.querySelector('.label-description')?.textContent ?? '';
      return `${label} ${description}`.replace(/\s+/g, ' ').trim();
    }),
  );
}

async function waitForRows(ui: UiSession, pred: (rows: string[]) => boolean, timeoutMs: number, what: string): Promise<{ rows: string[]; at: number }> {
  const deadline = Date.now() + timeoutMs;
  let rows: string[] = [];
  while (Date.now() < deadline) {
    rows = await rowsOf(ui.page);
    if (pred(rows)) return { rows, at: Date.now() };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; rows:\n  ${rows.join('\n  ')}`);
}

/** Screenshot with the mouse parked over the empty editor area (no stray hover tooltips). */
async function shot(ui: UiSession, name: string): Promise<void> {
  await ui.page.mouse.move(1200, 700);
  await new Promise((r) => setTimeout(r, 300));
  await ui.screenshot(name);
}

async function openPacemakerView(page: Page): Promise<void> {
  await page.click('.activitybar [aria-label^="Pacemaker"]');
  await page.waitForSelector('.monaco-list-row:has-text("cluster1")', { timeout: 60_000 });
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

interface Stats {
  at: number;
  clusters: Record<string, { probes: number; fetches: number; errors: number; ticks: number; visible: boolean }>;
}

function readStats(file: string): Stats['clusters'][string] | undefined {
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as Stats).clusters['cluster1'];
  } catch {
    return undefined;
  }
}

const has = (rows: string[], re: RegExp): boolean => rows.some((r) => re.test(r));

/**
 * Hold cluster.sh's own lock while this test changes the cluster, so another suite's ensure/reset does not
 * run in the middle of a measurement. Returns the release function (kills only the process group it started).
 */
async function holdClusterLock(): Promise<() => void> {
  const holder: ChildProcess = spawn('flock', ['-w', '600', join(STATE, '.lock'), 'bash', '-c', 'echo locked; exec sleep 900'], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
  await new Promise<void>((resolveLock, reject) => {
    holder.stdout?.on('data', (d: Buffer) => d.toString().includes('locked') && resolveLock());
    holder.on('exit', (code) => reject(new Error(`could not take ${STATE}/.lock (flock exited ${code})`)));
  });
  return () => {
    if (holder.pid !== undefined) {
      try {
        process.kill(-holder.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  };
}

/** The cluster in the seed state as read over SSH right now (not trusting a status cached elsewhere). */
async function isSeed(pool: SshPool): Promise<boolean> {
  try {
    const xml = await fetchClusterXml({ hosts: ['node1', 'node2'], sshConfigPath: SSH_CONFIG, knownHostsPath: KNOWN_HOSTS }, { pool });
    const m = parseCrmMon(xml.crmMonXml);
    if (!m.ok) return false;
    const clone = m.value.resources.find((r) => r.id === 'redis-clone');
    const roles = clone ? placementOf(clone) : [];
    const nodesOf = (role: string) => roles.find((p) => p.role === role)?.nodes.join(',') ?? '';
    return m.value.nodes.every((n) => n.online && !n.standby) && m.value.nodes.length === 2 && nodesOf('Promoted') === 'node1' && nodesOf('Unpromoted') === 'node2' && m.value.failures.length === 0 && m.value.bans.length === 0;
  } catch {
    return false;
  }
}

/** ensure seed, then hold the lock; retried when another suite changed the cluster in between. */
async function seedAndLock(pool: SshPool): Promise<() => void> {
  for (let attempt = 1; attempt <= 4; attempt++) {
    cluster('ensure', 'seed');
    const release = await holdClusterLock();
    if (await isSeed(pool)) return release;
    release();
    console.log(`the cluster left the seed state before we got the lock (attempt ${attempt}); again`);
    await new Promise((r) => setTimeout(r, 5000));
  }
  throw new Error('could not get the test cluster into the seed state under the lock');
}

test('Cluster explorer against the real cluster: seed, idle cost, failover without refresh, unreachable', { timeout: 900_000 }, async (t) => {
  const reason = skipReason();
  if (reason) {
    t.skip(reason);
    return;
  }
  const pool = new SshPool();
  let release = await seedAndLock(pool);
  const statsFile = join(mkdtempSync(join(tmpdir(), 'pcx-stats-')), 'poll-stats.json');
  process.env['PCX_POLL_STATS_FILE'] = statsFile;
  process.env['PCX_TEST_HOOK'] = join(__dirname, 'pollStatsHook.mjs');

  const ui = await openVsCode({
    settings: { 'pacemaker.ssh.configFile': SSH_CONFIG, 'pacemaker.ssh.knownHostsFile': KNOWN_HOSTS },
    files: { '.pacemaker/clusters.json': JSON.stringify({ clusters: [{ name: 'cluster1', hosts: ['node1', 'node2'] }] }, null, 2) },
    viewport: { width: 1500, height: 950 },
  });
  try {
    await openPacemakerView(ui.page);
    await widenSideBar(ui.page, 760);

    // ---- 1. seed
    const seed = await waitForRows(ui, (rows) => has(rows, /redis Promoted on node1/) && has(rows, /^node2 online/), 60_000, 'the seed state');
    console.log(`seed rows:\n  ${seed.rows.join('\n  ')}`);
    assert.ok(has(seed.rows, /^node1 online · DC/), 'node1 online and DC');
    assert.ok(has(seed.rows, /^redis-clone Promoted on node1 · Unpromoted on node2/), 'promotable clone with roles per node');
    assert.ok(has(seed.rows, new RegExp(`^VIP Started on node1 · ${VIP.replace(/\./g, '\\.')}/24`)), 'VIP with its address');
    assert.ok(has(seed.rows, /VIP runs with the Promoted instance of redis-clone — INFINITY/), 'constraint in plain words');
    assert.ok(has(seed.rows, /^Failures none/), 'no failures');
    // "✓" only once the workload read of the same moment is in ("…" until then): wait for it, a moment after the rows.
    await ui.page.locator('.statusbar-item:has-text("cluster1 ✓")').first().waitFor({ timeout: 15_000 }).catch(() => undefined);
    const statusBar = (await ui.page.locator('.statusbar-item:has-text("cluster1")').first().textContent({ timeout: 5000 }).catch(() => null))?.trim();
    assert.match(statusBar ?? '', /cluster1 ✓ 2\/2 nodes · redis Promoted on node1/, 'status bar item');
    console.log(`status bar: ${statusBar ?? '(not found by id)'}`);
    await shot(ui, 'explorer-seed');

    // ---- 2. idle cost while visible, nothing while hidden
    await new Promise((r) => setTimeout(r, 1500));
    const a = readStats(statsFile);
    assert.ok(a, `no poll stats in ${statsFile}`);
    const idleMs = 12_000;
    await new Promise((r) => setTimeout(r, idleMs));
    const b = readStats(statsFile)!;
    const perMinute = ((b.probes + b.fetches - a.probes - a.fetches) * 60_000) / idleMs;
    console.log(`idle, view visible: ${b.probes - a.probes} probes + ${b.fetches - a.fetches} full reads in ${idleMs / 1000} s → ${perMinute.toFixed(0)} rounds/min`);
    assert.ok(b.probes > a.probes, 'probing while visible');
    // One round per poll interval (pacemaker.explorer.pollIntervalMs, 750 ms by default: 80/min), with 10% slack.
    assert.ok(perMinute <= (60_000 / 750) * 1.1, `at most one round per 750 ms poll (got ${perMinute}/min)`);
    await ui.page.keyboard.press('Control+Shift+E'); // switch the side bar to the file explorer: our view is hidden
    await new Promise((r) => setTimeout(r, 2000));
    const c = readStats(statsFile)!;
    await new Promise((r) => setTimeout(r, 8000));
    const d = readStats(statsFile)!;
    console.log(`hidden for 8 s: ${d.probes - c.probes} probes, ${d.fetches - c.fetches} full reads (visible=${d.visible})`);
    assert.equal(d.visible, false);
    assert.equal(d.probes + d.fetches, c.probes + c.fetches, 'no command while the view is hidden');
    await openPacemakerView(ui.page);
    await waitForRows(ui, (rows) => has(rows, /redis Promoted on node1/), 10_000, 'the tree again');

    // ---- 3. failover, no manual refresh
    let clusterChangedAt: number | undefined;
    let watching = true;
    const watch = (async () => {
      while (watching && clusterChangedAt === undefined) {
        try {
          const xml = await fetchClusterXml({ hosts: ['node2'], sshConfigPath: SSH_CONFIG, knownHostsPath: KNOWN_HOSTS }, { pool });
          const m = parseCrmMon(xml.crmMonXml);
          const clone = m.ok ? m.value.resources.find((r) => r.id === 'redis-clone') : undefined;
          const promoted = clone ? placementOf(clone).find((p) => p.role === 'Promoted')?.nodes ?? [] : [];
          if (m.ok && promoted.includes('node2') && m.value.failures.length > 0) clusterChangedAt = Date.now();
        } catch {
          // a read during the transition may fail; keep watching
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const killedAt = Date.now();
    execFileSync('bash', [CLUSTER_SH, 'ssh', 'node1', 'pkill', '-x', 'redis-server'], { stdio: 'ignore', timeout: 20_000 });
    let firstChangeAt: number | undefined;
    const after = await waitForRows(
      ui,
      (rows) => {
        if (firstChangeAt === undefined && rows[0]?.includes('⚠')) firstChangeAt = Date.now();
        return has(rows, /redis Promoted on node2/) && has(rows, /^redis-clone Promoted on node2/) && has(rows, /^redis (demote|stop|monitor|start|promote)\b.* on node1 .*\(rc \d+/);
      },
      90_000,
      'node2 Promoted and the failed action',
    );
    // give the watcher a moment to see what the tree saw (it polls every 100 ms)
    const deadline = Date.now() + 3000;
    while (clusterChangedAt === undefined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    watching = false;
    await watch;
    const killToTree = after.at - killedAt;
    const lag = clusterChangedAt !== undefined ? after.at - clusterChangedAt : undefined;
    console.log(`failover: kill → first change in the tree (⚠ on the cluster row) ${firstChangeAt !== undefined ? firstChangeAt - killedAt : '?'} ms; kill → node2 Promoted + failed action in the tree ${killToTree} ms; cluster shows that (crm_mon) → tree ${lag ?? '?'} ms`);
    console.log(`failover rows:\n  ${after.rows.join('\n  ')}`);
    assert.ok(lag !== undefined, 'the test saw the cluster change');
    assert.ok(lag! < 3000, `the tree followed the cluster within 3 s (took ${lag} ms)`);
    assert.ok(has(after.rows, /⚠/), 'degraded mark on the cluster row');
    await shot(ui, 'explorer-failover');
    // The failed action's tooltip says what failed and what to run once the cause is fixed.
    // A tree re-render under the resting mouse can cancel the hover: move away and back, up to 3 times.
    const tooltip = ui.page.locator('.monaco-hover, .workbench-hover').filter({ hasText: 'Failed action' }).first();
    for (let tries = 1; ; tries++) {
      await ui.page.mouse.move(5, 5);
      await ui.page.hover('.monaco-list-row:has-text("(rc ")', { timeout: 10_000 });
      if (await tooltip.waitFor({ state: 'visible', timeout: 8_000 }).then(() => true, () => false)) break;
      assert.ok(tries < 3, 'the failed action\'s tooltip did not show after 3 hovers');
    }
    const tooltipText = await tooltip.innerText();
    console.log(`failed-action tooltip:\n  ${tooltipText.split('\n').join('\n  ')}`);
    assert.match(tooltipText, /Failed action\s+redis_\w+ on node1/, 'names the operation and the node');
    assert.match(tooltipText, /rc \d+/, 'the result code');
    assert.match(tooltipText, /pcs resource cleanup redis \(or crm resource cleanup redis\)|pcs resource cleanup redis.*crm resource cleanup redis/s, 'the cleanup command');
    await new Promise((r) => setTimeout(r, 500)); // let the hover finish fading in
    await ui.screenshot('explorer-failover-tooltip');

    // ---- 4. unreachable: reject routes to both nodes from this host
    release();
    release = await seedAndLock(pool);
    await waitForRows(ui, (rows) => has(rows, /redis Promoted on node1/) && !has(rows, /⚠/), 90_000, 'the seed state again');
    const blockedAt = Date.now();
    try {
      for (const addr of NODE_ADDRS) execFileSync('ip', ['route', 'add', 'unreachable', `${addr}/32`]);
      // Drop the explorer's established connections too, as a stopped sshd would.
      for (const addr of NODE_ADDRS) execFileSync('ss', ['-K', 'dst', addr, 'dport', '=', '22'], { stdio: 'ignore' });
      const down = await waitForRows(ui, (rows) => has(rows, /^Retry$/) && has(rows, /^Edit Connection$/), 90_000, 'the unreachable message with its actions');
      console.log(`unreachable after ${Date.now() - blockedAt} ms; rows:\n  ${down.rows.join('\n  ')}`);
      assert.ok(has(down.rows, /node1/) && has(down.rows, /node2/), 'the message names both hosts');
      assert.ok(has(down.rows, /^Show Log$/));
      await shot(ui, 'explorer-unreachable');
    } finally {
      for (const addr of NODE_ADDRS) {
        try {
          execFileSync('ip', ['route', 'del', 'unreachable', `${addr}/32`], { stdio: 'ignore' });
        } catch {
          // not added
        }
      }
    }
    // Retry from the message row brings the tree back.
    await ui.page.click('.monaco-list-row:has-text("Retry")');
    await waitForRows(ui, (rows) => has(rows, /redis Promoted on node1/) && !has(rows, /^Retry$/), 60_000, 'the tree back after Retry');
  } finally {
    release();
    pool.closeAll();
    await ui.close();
    delete process.env['PCX_POLL_STATS_FILE'];
    delete process.env['PCX_TEST_HOOK'];
    try {
      cluster('ensure', 'seed');
    } catch (e) {
      console.log(`could not restore the seed state: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
});
