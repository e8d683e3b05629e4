/**
 * Non-root admins on the real test cluster: pcxadmin (sudo NOPASSWD) reads the cluster through `sudo -n`;
 * pcxnopw (sudo wants a password) gets the sudoers rule to add; without sudo a user outside haclient is told
 * why crm_mon refuses. Read-only.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SSH_CONFIG, parseCrmMon, requireCluster } from './helpers';
import { fetchClusterXml, discoverNodes } from '../../src/core/cluster/live';
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
    assert.match(live.cibXml, /^<cib /);
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
});
