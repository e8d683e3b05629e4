/**
 * Redefining or removing a cluster closes its SSH connections (they used to stay open until the window
 * reloaded). A real VS Code against the real test cluster; the connections are counted on this machine with ss
 * (established TCP from here to each node's sshd, which only this test talks to while it runs). Read-only.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openVsCode, uiUnavailableReason } from './harness';
import { NODE_ADDR, STATE_DIR, type NodeName } from '../cluster/helpers';

const SSH_CONFIG = join(STATE_DIR, 'ssh_config');
const KNOWN_HOSTS = join(STATE_DIR, 'known_hosts');

function sshConnectionsTo(node: NodeName): number {
  return execFileSync('ss', ['-Htn', 'state', 'established', `( dst ${NODE_ADDR[node]} and dport = :22 )`], { encoding: 'utf8' }).split('\n').filter(Boolean).length;
}
/** Local ports of the established connections to a node's sshd: which connections, not just how many. */
function connectionPorts(node: NodeName): string[] {
  return execFileSync('ss', ['-Htn', 'state', 'established', `( dst ${NODE_ADDR[node]} and dport = :22 )`], { encoding: 'utf8' })
    .split('\n').filter(Boolean).map((l) => l.trim().split(/\s+/)[2]?.split(':').pop() ?? '');
}
async function waitFor(what: string, cond: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for: ${what} (node1 ${sshConnectionsTo('node1')}, node2 ${sshConnectionsTo('node2')} connections)`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
const clusters = (hosts: string[][]) => JSON.stringify({ clusters: hosts.map((h, i) => ({ name: `c${i + 1}`, hosts: h })) }, null, 2);

test('redefining a cluster closes the old host\'s connection; removing it closes the rest', { timeout: 240_000 }, async (t) => {
  const reason = uiUnavailableReason() ?? (existsSync(SSH_CONFIG) ? undefined : `test cluster not set up (${SSH_CONFIG} missing)`);
  if (reason) {
    t.skip(reason);
    return;
  }
  await waitFor('no SSH connection from here to the nodes before the test', () => sshConnectionsTo('node1') + sshConnectionsTo('node2') === 0, 30_000);
  const ui = await openVsCode({
    settings: { 'pacemaker.ssh.configFile': SSH_CONFIG, 'pacemaker.ssh.knownHostsFile': KNOWN_HOSTS },
    files: { '.pacemaker/clusters.json': clusters([['node1']]) },
    viewport: { width: 1400, height: 900 },
  });
  try {
    const page = ui.page;
    const file = join(ui.workspace, '.pacemaker', 'clusters.json');
    await page.click('.activitybar [aria-label^="Pacemaker"]');
    await page.waitForSelector('.monaco-list-row:has-text("redis-clone")', { timeout: 60_000 });
    assert.ok(sshConnectionsTo('node1') >= 1, 'the explorer reads c1 over a connection to node1');

    // Redefine c1 to read from node2: the old session's connection to node1 goes, node2's comes. (The new session
    // checks node1 again in the background as a discovered fallback, so node1 may have a connection — a new one.)
    const before = connectionPorts('node1');
    writeFileSync(file, clusters([['node2']]));
    await waitFor('a connection to node2, and the old connections to node1 closed', () => sshConnectionsTo('node2') >= 1 && !connectionPorts('node1').some((p) => before.includes(p)), 30_000);
    await ui.screenshot('explorer-connections-redefined');

    // Remove it: no connection left.
    writeFileSync(file, clusters([]));
    await waitFor('no connection to either node', () => sshConnectionsTo('node1') + sshConnectionsTo('node2') === 0, 30_000);
  } finally {
    await ui.close();
  }
});
