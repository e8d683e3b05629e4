/**
 * The SSH transport and live.ts against the real test cluster: what pcx reads over its own persistent ssh2
 * connection must be what the system `ssh` client + crm_mon/cibadmin show. Read-only.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SSH_CONFIG, STATE_DIR, parseCrmMon, requireCluster, sshOk, NODE_ADDR } from './helpers';
import { discoverNodes, fetchCibVersion, fetchClusterXml } from '../../src/core/cluster/live';
import { SshConnection } from '../../src/core/ssh/connection';
import { SshPool } from '../../src/core/ssh/pool';
import { CommandRunner } from '../../src/core/remote/runner';
import { freePort } from '../unit/ssh/sshdHarness';

const noAgent = { resolveEnv: { env: {} } };
const cluster = { name: 'test', hosts: ['node1', 'node2'], sshConfigPath: SSH_CONFIG };

/** Node names with their online flag, DC and resource roles: what must agree between two reads. */
function essentials(xml: string) {
  const s = parseCrmMon(xml);
  return {
    dc: s.dc,
    nodes: s.nodes.map((n) => `${n.name}:${n.online}:${n.standby}`).sort(),
    resources: s.resources.map((r) => `${r.id}=${r.role}@${r.nodes.join('+')}`).sort(),
    failures: s.failures.length,
  };
}

describe('SSH transport on the test cluster', () => {
  before(() => requireCluster());

  test('fetchClusterXml: crm_mon XML and CIB from one node agree with crm_mon run by the system ssh client', async () => {
    const live = await fetchClusterXml(cluster, noAgent);
    const reference = await sshOk(live.host, ['crm_mon', '-1', '--inactive', '--output-as=xml']);
    assert.deepEqual(essentials(live.crmMonXml), essentials(reference));
    assert.equal(live.cibFailure, undefined);
    assert.match(live.cibXml ?? '', /^<cib [^>]*epoch="\d+"/);
    assert.match(live.cibXml ?? '', /<resources>[\s\S]*<\/configuration>/);
  });

  test('the CIB version probe matches `cibadmin -Q -l -A /cib -n` (2.1.5 prints only the <cib> tag)', async () => {
    const tag = await sshOk('node1', ['cibadmin', '-Q', '-l', '-A', '/cib', '-n']);
    assert.match(tag.trim(), /^<cib [^>]*\/>$/, 'just the root tag, no children');
    const { version } = await fetchCibVersion({ ...cluster, hosts: ['node1'] }, noAgent);
    const attr = (n: string) => Number(new RegExp(`\\s${n}="(\\d+)"`).exec(tag)?.[1]);
    // The probe may run a moment later: never older than what ssh saw.
    assert.equal(version.adminEpoch, attr('admin_epoch'));
    assert.ok(version.epoch >= attr('epoch'));
  });

  test('discovery from one node finds both, with their corosync addresses, reachable through ssh_config', async () => {
    const found = await discoverNodes({ hosts: ['node1'], sshConfigPath: SSH_CONFIG }, noAgent);
    assert.equal(found.localName, 'node1');
    assert.deepEqual(
      found.members.map((m) => [m.name, m.addresses[0]]),
      [
        ['node1', NODE_ADDR.node1],
        ['node2', NODE_ADDR.node2],
      ],
    );
    assert.deepEqual(found.hosts, ['node1', 'node2']);
    // Given only addresses, the addresses are kept.
    const byAddress = await discoverNodes({ hosts: [NODE_ADDR.node1], sshConfigPath: SSH_CONFIG, user: 'root', identityFile: `${STATE_DIR}/id_ed25519`, knownHostsPath: `${STATE_DIR}/known_hosts` }, noAgent);
    assert.equal(byAddress.hosts[0], NODE_ADDR.node1);
  });

  test('an unreachable first host is skipped and reported; the next node answers', async () => {
    const dead = `127.0.0.1:${await freePort()}`;
    const live = await fetchClusterXml({ ...cluster, hosts: [dead, 'node1'] }, noAgent);
    assert.equal(live.host, 'node1');
    assert.equal(live.skipped?.length, 1);
    assert.equal(live.skipped?.[0].code, 'unreachable');
    assert.equal(live.skipped?.[0].host, dead);
  });

  test('one persistent connection serves many commands (the pool hands back the same one)', async () => {
    const pool = new SshPool(noAgent);
    try {
      const t0 = performance.now();
      const conn = await pool.get({ host: 'node1', sshConfigPath: SSH_CONFIG });
      const connectMs = performance.now() - t0;
      const runner = new CommandRunner(conn, 'root');
      const t1 = performance.now();
      for (let i = 0; i < 5; i++) assert.equal((await runner.run(['crm_node', '-n'])).stdout.trim(), 'node1');
      const perCommand = (performance.now() - t1) / 5;
      assert.equal(await pool.get({ host: 'node1', sshConfigPath: SSH_CONFIG }), conn, 'same connection reused');
      // Shared-CPU machine: only a loose sanity bound, the figures are in bench/ssh.bench.ts.
      assert.ok(perCommand < 2000, `per command ${perCommand} ms (connect ${connectMs} ms)`);
    } finally {
      pool.closeAll();
    }
  });

  // That keepalives detect a dead peer is test/unit/ssh/keepalive.test.ts (a frozen loopback sshd); here: they don't
  // break a live one.
  test('an idle connection to a live node with keepalives every 200 ms stays open and usable', async () => {
    const conn = await SshConnection.open({ host: 'node1', sshConfigPath: SSH_CONFIG }, { ...noAgent, keepaliveIntervalMs: 200 });
    try {
      await new Promise((r) => setTimeout(r, 800));
      assert.equal(conn.closed, false);
      assert.equal((await new CommandRunner(conn, 'root').run(['crm_node', '-n'])).stdout.trim(), 'node1');
    } finally {
      conn.close();
    }
  });
});
