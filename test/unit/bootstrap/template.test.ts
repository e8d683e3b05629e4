// New Cluster Folder's template: corosync.conf and the Redis + VIP spec for the nodes the user names pass our
// linters without errors, compile completely, and pass Corosync's own `corosync -t`; bad names and addresses are
// refused; an existing folder is never overwritten.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clusterFolderTemplate, createClusterFolder, templateProblem } from '../../../src/core/bootstrap/template';
import { readClusterFolder } from '../../../src/core/bootstrap/folder';
import { lintCorosync } from '../../../src/core/corosync/lint';
import { compileCrm } from '../../../src/core/crm/compile';
import { lintCrm } from '../../../src/core/crm/lint';
import { parseCrm } from '../../../src/core/crm/parser';
import { PcxFailure } from '../../../src/core/util/result';
import { corosyncCheck, corosyncCheckUnavailable } from '../corosync/corosyncCheck';

const two = { clusterName: 'redis-ha', nodes: [{ name: 'alpha', address: '192.0.2.11' }, { name: 'beta', address: '192.0.2.12' }], vip: '192.0.2.100' };
const three = { clusterName: 'redis3', nodes: [{ name: 'a1', address: 'fd00::11' }, { name: 'a2', address: 'fd00::12' }, { name: 'a3', address: 'fd00::13' }], vip: 'fd00::100', cidrNetmask: 64, nic: 'ens3' };
const errors = (ds: readonly { severity: string; code: string; message: string }[]) => ds.filter((d) => d.severity === 'error').map((d) => `${d.code}: ${d.message}`);

test('the template for 2 and 3 nodes lints without errors and compiles completely (only the no-fencing warning is left)', () => {
  for (const input of [two, three]) {
    const t = clusterFolderTemplate(input);
    assert.deepEqual(errors(lintCorosync(t.corosyncConf).diagnostics), [], t.corosyncConf);
    const crm = lintCrm(t.spec).diagnostics;
    assert.deepEqual(errors(crm), [], t.spec);
    assert.deepEqual(crm.filter((d) => d.severity === 'warning').map((d) => d.code), ['crm/stonith-disabled']);
    const compiled = compileCrm(parseCrm(t.spec));
    assert.deepEqual(compiled.unsupported, []);
    assert.match(compiled.xml, new RegExp(`<nvpair name="ip" value="${input.vip}"`));
    assert.match(compiled.xml, /<rsc_order [^>]*first="redis-clone" first-action="promote" then="VIP" then-action="start"/);
    for (const n of input.nodes) assert.match(t.corosyncConf, new RegExp(`ring0_addr: ${n.address}\\n\\s+name: ${n.name}\\n`));
  }
  assert.match(clusterFolderTemplate(two).corosyncConf, /two_node: 1/);
  assert.doesNotMatch(clusterFolderTemplate(three).corosyncConf, /two_node/);
});

test('corosync -t accepts the template (2 nodes, IPv4; 3 nodes, IPv6)', { skip: corosyncCheckUnavailable() }, () => {
  const work = mkdtempSync(join(tmpdir(), 'pcx-template-'));
  try {
    for (const [i, input] of [two, three].entries()) {
      const file = join(work, `corosync-${i}.conf`);
      writeFileSync(file, clusterFolderTemplate(input).corosyncConf);
      const verdict = corosyncCheck(file, work);
      assert.ok(verdict.accepted, `corosync -t: ${verdict.reason}`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

test('names, addresses and node counts that make no cluster are refused, each said', () => {
  assert.equal(templateProblem('address', '10.0.0.1'), undefined);
  assert.match(templateProblem('address', '10.0.0.300') ?? '', /not an IPv4 or IPv6 address/);
  assert.match(templateProblem('node name', 'node 1') ?? '', /not a valid node name/);
  assert.match(templateProblem('node name', '$(reboot)') ?? '', /not a valid node name/);
  const refusal = (input: Parameters<typeof clusterFolderTemplate>[0]) => {
    try {
      clusterFolderTemplate(input);
    } catch (e) {
      assert.ok(e instanceof PcxFailure);
      assert.equal(e.code, 'template-invalid');
      return e.message;
    }
    assert.fail('not refused');
  };
  assert.match(refusal({ ...two, nodes: [two.nodes[0]!] }), /at least 2 nodes/);
  assert.match(refusal({ ...two, nodes: [two.nodes[0]!, { ...two.nodes[1]!, name: 'alpha' }] }), /same name/);
  assert.match(refusal({ ...two, vip: '192.0.2.11' }), /VIP is also a node address/);
  assert.match(refusal({ ...two, nic: 'eth0; rm -rf /' }), /not an interface name/);
});

test('createClusterFolder writes a folder that reads as a cluster folder, and never overwrites one', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pcx-newfolder-'));
  try {
    const target = join(dir, 'redis-ha');
    const made = await createClusterFolder(target, two);
    const folder = await readClusterFolder(target);
    assert.deepEqual(folder.nodes, ['alpha', 'beta']);
    assert.equal(folder.clusterName, 'redis-ha');
    assert.deepEqual(folder.promotableClones, ['redis-clone']);
    writeFileSync(made.specFile, '# mine\n');
    await assert.rejects(createClusterFolder(target, two), (e: unknown) => e instanceof PcxFailure && e.code === 'folder-exists' && /never overwrites/.test(e.message));
    assert.equal(readFileSync(made.specFile, 'utf8'), '# mine\n', 'the existing file is untouched');
    const other = join(dir, 'other');
    writeFileSync(join(dir, 'x'), '');
    await createClusterFolder(other, three);
    writeFileSync(join(other, 'corosync.conf'), 'mine');
    rmSync(join(other, 'cluster.crm'));
    await assert.rejects(createClusterFolder(other, three), (e: unknown) => e instanceof PcxFailure && e.code === 'folder-exists');
    assert.equal(readFileSync(join(other, 'corosync.conf'), 'utf8'), 'mine');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
