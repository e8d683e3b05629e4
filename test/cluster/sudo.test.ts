/**
 * Non-root admins on the real test cluster: pcxadmin (sudo NOPASSWD) reads the cluster through `sudo -n`;
 * pcxnopw (sudo wants a password) gets the sudoers rule to add; without sudo a user outside haclient is told
 * why crm_mon refuses. With a sudoers rule that names crm_mon only (`cluster.sh standin node1 sudo-crm_mon-only`,
 * a bind mount over /etc/sudoers.d/pcx-test inside node1, removed at the end) the read degrades to crm_mon-only
 * and says which rule to add. Read-only for the cluster.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { SSH_CONFIG, parseCrmMon, requireCluster, standin } from './helpers';
import { fetchChangeKey, fetchClusterXml, discoverNodes } from '../../src/core/cluster/live';
import { PcxFailure } from '../../src/core/util/result';

const noAgent = { resolveEnv: { env: {} } };
const node1 = { hosts: ['node1'], sshConfigPath: SSH_CONFIG };

const failsWith = (code: string, pattern: RegExp) => (e: unknown) => {
  assert.ok(e instanceof PcxFailure, `expected a PcxFailure, got ${String(e)}`);
  assert.equal(e.code, code, `${e.code}: ${e.message}`);
  assert.equal(e.host, 'node1');
  assert.match(`${e.message}\n${e.hint ?? ''}`, pattern);
  return true;
};

describe('sudo on the test cluster', () => {
  before(() => requireCluster());

  test('pcxadmin with sudo reads crm_mon XML and the CIB', async () => {
    const live = await fetchClusterXml({ ...node1, user: 'pcxadmin', sudo: true }, noAgent);
    assert.equal(live.host, 'node1');
    assert.ok(parseCrmMon(live.crmMonXml).nodes.length === 2);
    assert.match(live.cibXml ?? '', /^<cib /);
    const found = await discoverNodes({ ...node1, user: 'pcxadmin', sudo: true }, noAgent);
    assert.deepEqual(found.members.map((m) => m.name), ['node1', 'node2']);
  });

  test('pcxnopw with sudo → sudo-password naming the sudoers rule to add', async () => {
    await assert.rejects(
      fetchClusterXml({ ...node1, user: 'pcxnopw', sudo: true }, noAgent),
      failsWith('sudo-password', /wants a password for pcxnopw[\s\S]*pcxnopw ALL=\(root\) NOPASSWD: \/usr\/sbin\/crm_mon, \/usr\/sbin\/cibadmin/),
    );
  });

  test('pcxnopw without sudo → permission-denied (crm_mon exit 4, "Insufficient privileges")', async () => {
    await assert.rejects(
      fetchClusterXml({ ...node1, user: 'pcxnopw' }, noAgent),
      failsWith('permission-denied', /node1 refused crm_mon: .*Permission denied[\s\S]*haclient group, or enable sudo/),
    );
  });

  test('sudoers naming crm_mon only: the status is read from crm_mon alone, the CIB failure says which rule to add; pcx status too', async () => {
    standin('node1', 'sudo-crm_mon-only');
    try {
      const target = { ...node1, user: 'pcxadmin', sudo: true };
      const live = await fetchClusterXml(target, noAgent);
      assert.equal(live.host, 'node1');
      assert.equal(parseCrmMon(live.crmMonXml).nodes.length, 2);
      assert.equal(live.cibXml, undefined);
      // sudo 1.9 -n answers a command outside every rule with "a password is required" (sudo-password).
      assert.equal(live.cibFailure?.code, 'sudo-password', live.cibFailure?.message);
      assert.match(`${live.cibFailure?.message} ${live.cibFailure?.hint}`, /wants a password for pcxadmin to run cibadmin[\s\S]*pcxadmin ALL=\(root\) NOPASSWD: \/usr\/sbin\/crm_mon, \/usr\/sbin\/cibadmin/);
      // The explorer's change probe falls back to a digest of crm_mon's XML, stable while nothing changes.
      const k1 = await fetchChangeKey(target, noAgent);
      const k2 = await fetchChangeKey(target, noAgent);
      assert.match(k1.key, /^crm_mon:/);
      assert.equal(k1.key, k2.key);
      const pcx = [process.execPath, '--import', pathToFileURL(require.resolve('tsx')).href, path.join(__dirname, '..', '..', 'src', 'cli', 'pcx.ts'), 'status'];
      const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
      delete env.SSH_AUTH_SOCK;
      const r = spawnSync(pcx[0], [...pcx.slice(1), '--ssh-config', SSH_CONFIG, '--host', 'node1', '--user', 'pcxadmin', '--sudo'], { encoding: 'utf8', timeout: 60_000, env });
      assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}: ${r.stderr}`);
      assert.match(r.stdout, /redis-clone[\s\S]*Promoted on node1/);
      assert.match(r.stderr, /CIB ignored \(status from crm_mon only\): sudo on node1 wants a password for pcxadmin to run cibadmin[\s\S]*hint: .*NOPASSWD/);
    } finally {
      standin('node1', 'off');
    }
  });
});
