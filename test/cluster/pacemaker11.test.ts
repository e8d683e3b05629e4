/**
 * Pacemaker 1.1 (the reference user's CentOS 7) read live — through a STAND-IN: no Pacemaker 1.1 package exists
 * for Debian 12, so `cluster.sh standin node2 pacemaker-1.1` bind-mounts test/cluster/crm_mon-1.1-standin.sh over
 * /usr/sbin/crm_mon inside node2 only. Like 1.1.19's crm_mon it says "Pacemaker 1.1.19" to --version, refuses
 * --output-as=xml (stderr "unrecognized option", help on stdout, exit 0) and prints the legacy
 * <crm_mon version="1.1.19"> document with Master/Slave roles for --as-xml. cibadmin and crm_node stay the real
 * 2.1.5 ones (their flags are the same in 1.1). The stand-in is removed at the end.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { SSH_CONFIG, requireCluster, sshOk, standin } from './helpers';
import { fetchClusterXml, onFirstWorkingNode } from '../../src/core/cluster/live';
import { capabilitiesOf } from '../../src/core/remote/capabilities';
import { SshPool } from '../../src/core/ssh/pool';

const repoRoot = path.join(__dirname, '..', '..');
const PCX = [process.execPath, '--import', pathToFileURL(require.resolve('tsx')).href, path.join(repoRoot, 'src', 'cli', 'pcx.ts'), 'status'];
const noAgent = { resolveEnv: { env: {} } };
const node2 = { hosts: ['node2'], sshConfigPath: SSH_CONFIG };

describe('Pacemaker 1.1 stand-in on node2', () => {
  before(() => {
    requireCluster();
    standin('node2', 'pacemaker-1.1');
  });
  after(() => standin('node2', 'off'));

  test('the stand-in behaves as 1.1 does: refuses --output-as=xml with exit 0, prints <crm_mon version="1.1.19"> for --as-xml', async () => {
    const refused = await sshOk('node2', ['sh', '-c', 'crm_mon --one-shot --output-as=xml 2>&1; echo "rc=$?"']);
    assert.match(refused, /unrecognized option '--output-as=xml'[\s\S]*Usage: crm_mon[\s\S]*rc=0/);
    assert.match(await sshOk('node2', ['crm_mon', '--one-shot', '--as-xml']), /<crm_mon version="1\.1\.19">[\s\S]*role="Master"/);
  });

  test('capabilities: Pacemaker 1.1.19 → --as-xml; pcs, crmsh and journalctl detected; cached per connection', async () => {
    const pool = new SshPool(noAgent, { attempts: 1 });
    try {
      const { value } = await onFirstWorkingNode(node2, { pool }, async (runner) => {
        const first = await capabilitiesOf(runner).summary();
        // Same connection, a new runner: the same object, no second probe.
        const again = await onFirstWorkingNode(node2, { pool }, async (r) => capabilitiesOf(r));
        assert.equal(again.value, capabilitiesOf(runner));
        return first;
      });
      assert.equal(value.pacemaker?.text, '1.1.19');
      assert.equal(value.crmMonXmlFlag, '--as-xml');
      assert.match(value.pcs?.text ?? '', /^0\.\d+\.\d+/);
      assert.match(value.crmsh?.text ?? '', /^4\.\d+/);
      assert.equal(value.journalctl, true);
    } finally {
      pool.closeAll();
    }
  });

  test('the live read sends --as-xml to node2 and gets 1.1 XML; node1 (real 2.1.5) still gets --output-as=xml', async () => {
    const legacy = await fetchClusterXml(node2, noAgent);
    assert.match(legacy.crmMonXml, /^<\?xml[^>]*>\s*<crm_mon version="1\.1\.19">/);
    assert.match(legacy.cibXml ?? '', /^<cib /);
    const modern = await fetchClusterXml({ hosts: ['node1'], sshConfigPath: SSH_CONFIG }, noAgent);
    assert.match(modern.crmMonXml, /<pacemaker-result api-version="2\.\d+"/);
  });

  test('pcx status --host node2 reads the 1.1 stand-in: Master/Slave shown as Promoted/Unpromoted, healthy, exit 0', () => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    delete env.SSH_AUTH_SOCK;
    const text = spawnSync(PCX[0], [...PCX.slice(1), '--ssh-config', SSH_CONFIG, '--host', 'node2'], { encoding: 'utf8', timeout: 60_000, env });
    assert.equal(text.status, 0, `${text.stderr}\n${text.stdout}`);
    assert.match(text.stdout, /Pacemaker 1\.1\.19/);
    assert.match(text.stdout, /redis-clone\s+promotable clone[\s\S]*Promoted on node1 · Unpromoted on node2/);
    const json = spawnSync(PCX[0], [...PCX.slice(1), '--ssh-config', SSH_CONFIG, '--host', 'node2', '--json'], { encoding: 'utf8', timeout: 60_000, env });
    assert.equal(json.status, 0, json.stderr);
    const status = JSON.parse(json.stdout) as { resources: Array<{ id: string; placement: Array<{ role: string; nodes: string[] }> }> };
    const clone = status.resources.find((r) => r.id === 'redis-clone');
    assert.ok(clone, `no redis-clone in ${json.stdout.slice(0, 400)}`);
    assert.deepEqual(clone.placement.map((p) => `${p.role}@${p.nodes.join(',')}`).sort(), ['Promoted@node1', 'Unpromoted@node2']);
  });
});
