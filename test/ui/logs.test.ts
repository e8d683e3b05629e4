/**
 * The log pane and the History view in a real VS Code (code-server + Chromium) against the real test cluster.
 *
 * The cluster is defined by node1 alone: node2 is found in node1's nodelist (issue 19) by the pane and the History.
 *  1. "Pacemaker: Tail Logs" opens one following pane for the cluster; `crm_resource --refresh -r VIP` on node1 makes
 *     each node log its probe result, and both lines appear in the pane (prefixed by node) — screenshot logs-pane.
 *     Closing the pane's tab ends the `tail -F` it ran on each node within seconds. Tail Logs on node2's row shows
 *     node2's lines (node2 is not in the definition).
 *  2. redis-server killed on node1 → failover; "Pacemaker: Show History" shows the failed monitor on node1, the
 *     transition and the promotion on node2 (from node2's own log) in its webview — screenshot logs-history.
 *  3. A following pane whose cluster is removed from clusters.json stops, says so, and its tails end.
 * The cluster is put back to the seed state afterwards (cluster.sh reset).
 *
 * Run: npm run package && node --import tsx --test test/ui/logs.test.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { openVsCode, pickFromContextMenu, repoRoot, runCommand, uiUnavailableReason } from './harness';
import { crmMon, nodesInRole, ssh, sshOk, STATE_DIR, waitFor } from '../cluster/helpers';

const SSH_CONFIG = join(STATE_DIR, 'ssh_config');
const KNOWN_HOSTS = join(STATE_DIR, 'known_hosts');
const CLUSTER_SH = join(repoRoot, 'test', 'cluster', 'cluster.sh');

function cluster(...args: string[]): void {
  execFileSync('bash', [CLUSTER_SH, ...args], { encoding: 'utf8', timeout: 600_000, stdio: ['ignore', 'pipe', 'pipe'] });
}

async function editorText(page: Page): Promise<string> {
  return page.$$eval('.editor-instance .view-lines .view-line', (lines) => lines.map((l) => (l as unknown as { innerText: string }).innerText.replace(/\u00a0/g, ' ')).join('\n')).catch(() => '');
}

/** The webview frame whose body contains `text` (webviews are iframes inside iframes). */
async function webviewWith(page: Page, text: string): Promise<Frame | undefined> {
  for (const f of page.frames()) {
    const body = await f.evaluate<string>('document.body ? document.body.innerText : ""').catch(() => '');
    if (body.includes(text)) return f;
  }
  return undefined;
}

test('log pane follows both nodes; History shows the failover', { timeout: 600_000 }, async (t) => {
  const reason = uiUnavailableReason() ?? (existsSync(SSH_CONFIG) ? undefined : `test cluster not set up (${SSH_CONFIG} missing)`);
  if (reason) {
    t.skip(reason);
    return;
  }
  cluster('ensure', 'seed');
  const ui = await openVsCode({
    settings: { 'pacemaker.ssh.configFile': SSH_CONFIG, 'pacemaker.ssh.knownHostsFile': KNOWN_HOSTS },
    files: { '.pacemaker/clusters.json': JSON.stringify({ clusters: [{ name: 'cluster1', hosts: ['node1'] }] }, null, 2) },
    viewport: { width: 1500, height: 900 },
  });
  try {
    const page = ui.page;
    await page.click('.activitybar [aria-label^="Pacemaker"]');
    await page.waitForSelector('.monaco-list-row:has-text("cluster1")', { timeout: 60_000 });

    // ---- 1. the following pane
    await runCommand(page, 'Pacemaker: Tail Logs');
    let paneText = '';
    // Lines of both nodes: the header that says "streaming" scrolls out of view when the logs are long (a
    // following pane keeps its end in view, and the cluster suite leaves thousands of lines in node1's log).
    await waitFor('the pane to show lines of both nodes', 60_000, async () => {
      paneText = await editorText(page);
      return /^\S+ node1 /m.test(paneText) && /^\S+ node2 /m.test(paneText) ? true : undefined;
    }, () => paneText.slice(0, 600), 300).catch(async (e: unknown) => {
      await ui.screenshot('logs-pane-failed');
      throw e;
    });
    // Narrow it as an admin would (Filter Logs… → resource VIP, level notice), so the probe results stay in view.
    const filterBy = async (what: string, value: string): Promise<void> => {
      await page.click('.editor-instance .view-lines');
      await runCommand(page, 'Pacemaker: Filter Logs');
      await page.waitForSelector(`.quick-input-list .monaco-list-row:has-text("${what}")`, { timeout: 10_000 });
      await page.keyboard.type(what);
      await page.keyboard.press('Enter');
      await page.waitForTimeout(500);
      await page.keyboard.type(value);
      await page.waitForTimeout(300);
      await page.keyboard.press('Enter');
    };
    await filterBy('resource', 'VIP');
    await filterBy('level', 'notice');
    await waitFor('the filter in the pane header', 10_000, async () => (/# filter: resource=VIP level≥notice/.test(await editorText(page)) ? true : undefined), () => '', 200);
    // When each node's probe result shows up, against the time the line itself carries (the node's log stamp).
    const visibleAt = new Map<string, { at: number; stamp: number }>();
    const stampOf = (hms: string): number => {
      const [h, mi, sec] = hms.split(':').map(Number) as [number, number, number];
      const d = new Date();
      d.setHours(h, mi, Math.floor(sec), Math.round((sec % 1) * 1000));
      return d.getTime();
    };
    const sentAt = Date.now();
    // Not awaited yet: crm_resource returns after the probes ran, and the pane is watched meanwhile.
    const refresh = sshOk('node1', ['crm_resource', '--refresh', '--resource', 'VIP']);
    await waitFor('both nodes\' VIP probe results in the pane', 30_000, async () => {
      const text = await editorText(page);
      for (const node of ['node1', 'node2']) {
        const re = new RegExp(`^(\\d{2}:\\d{2}:\\d{2}\\.\\d{3}) ${node} +pacemaker-controld notice: Result of probe operation for VIP on ${node}`, 'gm');
        // Only this refresh's result, not one from the backlog.
        const fresh = [...text.matchAll(re)].map((m) => stampOf(m[1]!)).find((stamp) => stamp >= sentAt - 500);
        if (fresh !== undefined && !visibleAt.has(node)) visibleAt.set(node, { at: Date.now(), stamp: fresh });
      }
      return visibleAt.size === 2 ? true : undefined;
    }, () => [...visibleAt.keys()].join(','), 100);
    await refresh;
    for (const [node, v] of visibleAt) {
      const latency = v.at - v.stamp;
      t.diagnostic(`${node}: its probe result (stamped ${new Date(v.stamp).toISOString()}) visible in the pane ${latency} ms later`);
      // The 2 s bound is asserted on pcx logs --follow (test/cluster/logs.test.ts); here code-server's own
      // round trips and this test's DOM polling come on top, so the bound only catches a pane that stopped following.
      // 5 s, not 3: at a load average of 21–25 the pane took 3.1–3.4 s in 3 of 6 runs (0.5–0.6 s when quiet).
      assert.ok(latency <= 5000, `${node}'s line took ${latency} ms to reach the pane`);
    }
    await page.mouse.move(700, 880);
    const pane = await ui.screenshot('logs-pane');
    t.diagnostic(`screenshot ${pane}`);
    // Closing the tab ends our tails on the nodes (VS Code keeps the closed document around for minutes: the tab counts).
    const tails = async () => Promise.all(['node1', 'node2'].map(async (n) => Number((await ssh(n, ['pgrep', '-c', '-x', 'tail'])).stdout.trim() || '0')));
    assert.ok((await tails()).every((n) => n >= 1), 'the pane runs tail on both nodes');
    await runCommand(page, 'View: Close All Editors');
    const closedAt = Date.now();
    await waitFor('no tail left on the nodes after the log tab was closed', 10_000, async () => ((await tails()).every((n) => n === 0) ? true : undefined), () => '', 250);
    t.diagnostic(`every tail on the nodes gone ${Date.now() - closedAt} ms after the tab was closed`);
    // Tail Logs on node2's row (a node the definition does not list) shows node2's own lines.
    await pickFromContextMenu(page, 'node2', 'Tail Logs');
    let node2Pane = '';
    await waitFor("node2's lines in the pane of its row", 30_000, async () => {
      node2Pane = await editorText(page);
      // The pane's own tab (its title names the node: the '# filter' header scrolls out of view once node2's log is
      // long, as in a fresh CI run), node2's lines and none of node1's.
      return /Logs-of-node2/.test(await page.title()) && /^\S+ node2 /m.test(node2Pane) && !/^\S+ node1 /m.test(node2Pane) ? true : undefined;
    }, () => node2Pane.slice(0, 600), 300);
    await runCommand(page, 'View: Close All Editors');
    await waitFor('no tail left after the node2 pane was closed', 10_000, async () => ((await tails()).every((n) => n === 0) ? true : undefined), () => '', 250);

    // ---- 2. failover, then History
    await sshOk('node1', ['pkill', '-KILL', '-x', 'redis-server']);
    await waitFor('redis Promoted on node2 with the VIP', 120_000, async () => {
      const m = await crmMon('node1');
      return nodesInRole(m, 'redis', 'Promoted').join() === 'node2' && nodesInRole(m, 'VIP', 'Started').join() === 'node2' ? true : undefined;
    }, () => '', 1000);
    await new Promise((r) => setTimeout(r, 3000));
    await runCommand(page, 'Pacemaker: Show History');
    const frame = await waitFor('the History webview with the promotion on node2', 60_000, () => webviewWith(page, 'redis promoted on node2'), () => '', 500);
    const body = await frame.evaluate<string>('document.body.innerText');
    const at = (s: RegExp) => body.search(s);
    // Newest first: the promotion above the transition above the failed monitor.
    assert.ok(at(/redis promoted on node2/) < at(/transition \d+ planned by node1: .*promote/), body);
    assert.ok(at(/transition \d+ planned by node1/) < at(/redis monitor on node1 failed: not running/), body);
    assert.ok(at(/redis monitor on node1 failed: not running/) >= 0 && /seen by node2/.test(body), `both nodes' events from a cluster defined by node1: ${body.slice(0, 1500)}`);
    const history = await ui.screenshot('logs-history');
    t.diagnostic(`screenshot ${history}`);

    // ---- 3. a removed cluster's pane stops, says so, and leaves no tail on the nodes
    await runCommand(page, 'Pacemaker: Tail Logs');
    await waitFor('a following pane with lines of both nodes', 60_000, async () => {
      paneText = await editorText(page);
      return /^\S+ node1 /m.test(paneText) && /^\S+ node2 /m.test(paneText) ? true : undefined;
    }, () => paneText.slice(0, 600), 300);
    writeFileSync(join(ui.workspace, '.pacemaker', 'clusters.json'), JSON.stringify({ clusters: [] }, null, 2));
    const removedAt = Date.now();
    // Said where it happened, at the end of the pane (the header, which says STOPPED too, has scrolled away).
    await waitFor('the pane to say its cluster was removed', 30_000, async () => {
      paneText = await editorText(page);
      return /WARNING: stopped: cluster cluster1 was removed/.test(paneText) ? true : undefined;
    }, () => paneText.slice(0, 400), 300);
    await waitFor('no tail left after the cluster was removed', 10_000, async () => ((await tails()).every((n) => n === 0) ? true : undefined), () => '', 250);
    t.diagnostic(`cluster removed: the pane said so and every tail was gone ${Date.now() - removedAt} ms later`);
  } catch (e) {
    await ui.screenshot('logs-failed').catch(() => undefined);
    throw e;
  } finally {
    await ui.close();
    cluster('reset');
  }
});
