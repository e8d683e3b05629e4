/**
 * Nothing left behind (issue 19), on the real test cluster, with the pieces the explorer uses when a cluster is
 * removed or the window closes: the cluster's view of the shared pool (core/ssh/scopedPool.ts, what a
 * ClusterSession reads through), the pool's close/shutdown, and a workload read still in flight at that moment
 * (it goes node by node and used to open a fresh connection after the removal, which then outlived the cluster).
 * Counted twice: established TCP connections from this machine to each node's sshd (ss), and the sshd sessions on
 * each node (`sshd: root@…`, minus the one that counts). Read-only: the cluster is not changed.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fetchClusterXml, parseClusterXml, sshTargetFor, type ClusterTarget } from '../../src/core/cluster/live';
import { buildSnapshot } from '../../src/core/cluster/snapshot';
import type { ClusterSnapshot } from '../../src/core/cluster/types';
import { SshPool } from '../../src/core/ssh/pool';
import { scopedPool } from '../../src/core/ssh/scopedPool';
import { readWorkload } from '../../src/core/workload/read';
import { NodeHosts } from '../../src/core/workload/nodes';
import { NODES, NODE_ADDR, SSH_CONFIG, requireCluster, ssh, type NodeName } from './helpers';

const TARGET: ClusterTarget = { name: 'test', hosts: ['node1'], sshConfigPath: SSH_CONFIG };

/** Established connections from this machine to the node's sshd (only this test talks to this copy's nodes). */
function connectionsTo(node: NodeName): number {
  return execFileSync('ss', ['-Htn', 'state', 'established', `( dst ${NODE_ADDR[node]} and dport = :22 )`], { encoding: 'utf8' }).split('\n').filter(Boolean).length;
}
const ours = () => NODES.map((n) => connectionsTo(n));

/** sshd sessions on the node other than the one asking (each connection has one `sshd: root@…` process). */
async function sessionsOn(node: NodeName): Promise<number> {
  const r = await ssh(node, ['pgrep', '-c', '-f', '^sshd: root@']);
  return Number(r.stdout.trim()) - 1;
}

async function waitUntil(what: string, cond: () => boolean, ms: number): Promise<number> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out after ${ms} ms waiting for: ${what} (connections node1/node2: ${ours().join('/')})`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return Date.now() - t0;
}

describe('nothing left behind: a removed cluster\'s reads open no connection, and its connections close within seconds', { timeout: 120_000 }, () => {
  let snapshot: ClusterSnapshot;
  before(async () => {
    requireCluster();
    await waitUntil('no connection from here to the nodes before the test', () => ours().every((n) => n === 0), 20_000);
    const pool = new SshPool({}, { attempts: 1 });
    try {
      const xml = await fetchClusterXml(TARGET, { pool });
      const parsed = parseClusterXml(xml);
      if (!parsed.ok) throw new Error(parsed.error.message);
      snapshot = buildSnapshot(parsed.value.crmMon, parsed.value.cib);
    } finally {
      pool.shutdown();
    }
    await waitUntil('the set-up read\'s connections closed', () => ours().every((n) => n === 0), 5_000);
  });
  after(() => undefined);

  test('removed while a workload read is in flight: no new connection, all closed, no sshd session left on the nodes', async () => {
    const pool = new SshPool({}, { attempts: 1 });
    const scope = scopedPool(pool, 'cluster test');
    const hosts = new NodeHosts(TARGET, scope.pool);
    try {
      const first = await readWorkload(snapshot, TARGET, { pool: scope.pool, hosts });
      assert.deepEqual(first.nodes.map((n) => [n.node, n.problem?.code ?? 'ok']), [['node1', 'ok'], ['node2', 'ok']]);
      assert.deepEqual(ours(), [1, 1], 'one pooled connection per node while the cluster is shown');
      assert.deepEqual([await sessionsOn('node1'), await sessionsOn('node2')], [1, 1], 'one sshd session of ours on each node');

      // What the explorer does on removal: the session ends its scope, then closes the connections it used.
      // Here the connections are closed first and a read is started at the same moment, so it must reconnect…
      for (const n of NODES) pool.close(sshTargetFor(TARGET, n));
      const inFlight = readWorkload(snapshot, TARGET, { pool: scope.pool, hosts });
      scope.end();
      const t0 = Date.now();
      const late = await inFlight;
      // …and may not: every node's read failed with connection-closed, none succeeded.
      assert.deepEqual(late.nodes.map((n) => n.node), ['node1', 'node2']);
      for (const info of late.nodes) assert.equal(info.problem?.code, 'connection-closed', `${info.node}: ${info.problem?.message ?? 'read after the removal'}`);
      const closedMs = await waitUntil('no connection to either node after the removal', () => ours().every((n) => n === 0), 5_000);
      await new Promise((r) => setTimeout(r, 1000));
      assert.deepEqual(ours(), [0, 0], 'still none a second later (no read reopened one)');
      assert.deepEqual([await sessionsOn('node1'), await sessionsOn('node2')], [0, 0], 'no sshd session of ours left on the nodes');
      console.log(`removal: the in-flight read ended in ${Date.now() - t0} ms; connections gone ${closedMs} ms after it; sshd sessions left 0/0`);
      // A new scope for the same cluster (added back) connects afresh: a new connection, so a new host-key check.
      const again = scopedPool(pool, 'cluster test, added back');
      const back = await readWorkload(snapshot, TARGET, { pool: again.pool, hosts: new NodeHosts(TARGET, again.pool) });
      assert.deepEqual(back.nodes.map((n) => n.problem?.code ?? 'ok'), ['ok', 'ok']);
      assert.deepEqual(ours(), [1, 1]);
    } finally {
      pool.closeAll();
    }
  });

  test('window closing (pool shutdown): everything closes and a read still running cannot reconnect', async () => {
    const pool = new SshPool({}, { attempts: 1 });
    await readWorkload(snapshot, TARGET, { pool });
    assert.deepEqual(ours(), [1, 1]);
    const inFlight = readWorkload(snapshot, TARGET, { pool });
    pool.shutdown();
    const late = await inFlight;
    for (const info of late.nodes) assert.ok(info.problem, `${info.node} was read after the shutdown`);
    const ms = await waitUntil('no connection after the shutdown', () => ours().every((n) => n === 0), 5_000);
    await new Promise((r) => setTimeout(r, 1000));
    assert.deepEqual(ours(), [0, 0]);
    assert.deepEqual([await sessionsOn('node1'), await sessionsOn('node2')], [0, 0]);
    await assert.rejects(pool.get(sshTargetFor(TARGET, 'node1')), /shut down/);
    console.log(`shutdown: connections gone ${ms} ms after the in-flight read ended`);
  });
});
