/**
 * Foundation integration tests against the real 2-node test cluster, all over SSH with host-key checking on.
 * Precondition: the seed state (scripts/run-tests.mjs runs `cluster.sh ensure seed` first, concurrency 1).
 * The failover test runs last and leaves node2 Promoted; the `after` hook puts the cluster back in seed
 * (`cluster.sh ensure seed`, ~12 s) so that test files running after this one find the state they expect.
 */
import { after, before, describe as suite, test } from 'node:test';
import { spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  STATE_DIR,
  VIP,
  NODE_ADDR,
  crmMon,
  describe,
  ipv4Addresses,
  nodesInRole,
  replicationInfo,
  requireCluster,
  ssh,
  sshOk,
  waitFor,
  type MonState,
} from './helpers';

const CLUSTER_SH = join(__dirname, 'cluster.sh');

suite('test cluster in the seed state', () => {
  let drifted = false;
  before(() => requireCluster());
  after(() => {
    if (!drifted) return;
    const r = spawnSync('bash', [CLUSTER_SH, 'ensure', 'seed'], { encoding: 'utf8', timeout: 300_000 });
    if (r.status !== 0) throw new Error(`could not restore the seed state after the failover test: ${r.stderr || r.stdout}`);
  });

  test('both nodes are Online in crm_mon XML, seen from either node', async () => {
    for (const from of ['node1', 'node2']) {
      const state = await crmMon(from);
      const byName = new Map(state.nodes.map((n) => [n.name, n]));
      assert.deepEqual([...byName.keys()].sort(), ['node1', 'node2'], `nodes seen from ${from}`);
      for (const n of state.nodes) {
        assert.equal(n.online, true, `${n.name} online (seen from ${from})`);
        assert.equal(n.standby, false, `${n.name} not in standby`);
      }
      assert.ok(state.dc, `a DC is elected (seen from ${from})`);
    }
  });

  test('redis is Promoted on node1 and Unpromoted on node2', async () => {
    const state = await crmMon('node1');
    assert.deepEqual(nodesInRole(state, 'redis', 'Promoted'), ['node1'], describe(state));
    assert.deepEqual(nodesInRole(state, 'redis', 'Unpromoted'), ['node2'], describe(state));
    const agents = new Set(state.resources.filter((r) => r.id.startsWith('redis')).map((r) => r.agent));
    assert.deepEqual([...agents], ['ocf:heartbeat:redis']);
    assert.deepEqual(state.failures, [], 'no failed actions');
  });

  test('redis on node2 replicates from node1 (master_link_status:up)', async () => {
    const info = await replicationInfo('node2');
    assert.equal(info.role, 'slave');
    assert.equal(info.master_link_status, 'up');
    assert.equal(info.master_host, 'node1', 'the agent points the replica at the Promoted node by name');
    assert.equal((await replicationInfo('node1')).role, 'master');
  });

  test('the VIP is on node1 eth0 and not on node2', async () => {
    assert.ok((await ipv4Addresses('node1')).includes(`${VIP}/24`), `${VIP}/24 on node1 eth0`);
    assert.ok(!(await ipv4Addresses('node2')).some((a) => a.startsWith(`${VIP}/`)), `${VIP} not on node2`);
    const state = await crmMon('node2');
    const vip = state.resources.find((r) => r.id === 'VIP');
    assert.deepEqual(vip && [vip.role, vip.nodes], ['Started', ['node1']], describe(state));
  });

  test('the nodes are who the test known_hosts says: an unknown or wrong host key is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pcx-kh-'));
    try {
      const empty = join(dir, 'empty');
      writeFileSync(empty, '');
      const unknown = await ssh('node1', ['true'], {
        sshOptions: [`UserKnownHostsFile=${empty}`, 'StrictHostKeyChecking=yes'],
      });
      assert.equal(unknown.code, 255, 'ssh fails');
      assert.match(unknown.stderr, /Host key verification failed/);

      // node2's real key filed under node1's name and address: a changed host key.
      const known = readFileSync(join(STATE_DIR, 'known_hosts'), 'utf8');
      const node2Key = known.split('\n').find((l) => l.startsWith('node2,'));
      assert.ok(node2Key, 'known_hosts lists node2 by name and address');
      const wrong = join(dir, 'wrong');
      writeFileSync(wrong, node2Key.replace(/^\S+/, `node1,${NODE_ADDR.node1}`) + '\n');
      const swapped = await ssh('node1', ['true'], { sshOptions: [`UserKnownHostsFile=${wrong}`] });
      assert.equal(swapped.code, 255);
      assert.match(swapped.stderr, /REMOTE HOST IDENTIFICATION HAS CHANGED|Host key verification failed/);

      // Control: the test known_hosts itself is accepted.
      assert.equal((await sshOk('node1', ['hostname'])).trim(), 'node1');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('non-root users: pcxadmin has passwordless sudo, pcxnopw does not', async () => {
    assert.equal((await sshOk('node1', ['sudo', '-n', 'crm_node', '-n'], { user: 'pcxadmin' })).trim(), 'node1');
    const nopw = await ssh('node1', ['sudo', '-n', 'true'], { user: 'pcxnopw' });
    assert.notEqual(nopw.code, 0);
    assert.match(nopw.stderr, /password is required/);
  });

  // Last: it leaves the cluster drifted (node2 Promoted).
  test('failover: killing redis-server on node1 promotes node2; cleanup brings node1 back as Unpromoted', async (t) => {
    let last: MonState | undefined;
    const seen = () => (last ? describe(last) : 'nothing yet');
    const before = await crmMon('node1');
    assert.deepEqual(
      [nodesInRole(before, 'redis', 'Promoted'), before.failures.length],
      [['node1'], 0],
      `precondition: the seed state (node1 Promoted, no failures); run bash test/cluster/cluster.sh ensure seed. Now: ${describe(before)}`,
    );
    const started = Date.now();
    drifted = true;
    await sshOk('node1', ['pkill', '-KILL', '-x', 'redis-server']);

    await waitFor('redis Promoted on node2 and the VIP started there (after killing redis on node1)', 60_000, async () => {
      last = await crmMon('node2');
      const vip = last.resources.find((r) => r.id === 'VIP');
      const ok = nodesInRole(last, 'redis', 'Promoted').join() === 'node2' && vip?.role === 'Started' && vip.nodes.join() === 'node2';
      return ok ? true : undefined;
    }, seen);
    const failoverMs = Date.now() - started;
    t.diagnostic(`failover took ${failoverMs} ms (kill → node2 Promoted and VIP started on node2)`);
    console.log(`# failover: ${failoverMs} ms`);

    assert.ok((await ipv4Addresses('node2')).includes(`${VIP}/24`), 'VIP on node2 eth0');
    assert.ok(!(await ipv4Addresses('node1')).some((a) => a.startsWith(`${VIP}/`)), 'VIP gone from node1');
    const redisFailure = last?.failures.find((f) => f.opKey.startsWith('redis_') && f.node === 'node1');
    assert.ok(redisFailure, `a failed action for redis on node1: ${seen()}`);
    assert.equal((await replicationInfo('node2')).role, 'master');

    await sshOk('node2', ['pcs', 'resource', 'cleanup', 'redis']);
    await waitFor('node1 back as Unpromoted with no failed actions after `pcs resource cleanup redis`', 90_000, async () => {
      last = await crmMon('node2');
      const ok = nodesInRole(last, 'redis', 'Unpromoted').join() === 'node1'
        && nodesInRole(last, 'redis', 'Promoted').join() === 'node2'
        && last.failures.length === 0;
      return ok ? true : undefined;
    }, seen);
    let info: Record<string, string> = {};
    await waitFor('redis on node1 to replicate from node2 (master_link_status:up)', 30_000, async () => {
      info = await replicationInfo('node1');
      return info.master_link_status === 'up' ? true : undefined;
    }, () => JSON.stringify({ role: info.role, master_host: info.master_host, link: info.master_link_status }));
    assert.equal(info.master_host, 'node2');
  });
});
