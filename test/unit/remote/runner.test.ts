// The runner's command lines and its reading of sudo's refusals; the command descriptors' reading of exit codes.
// crm_mon's not-connected XML was captured from Pacemaker 2.1.5 here; the sudo texts are sudo 1.9's messages
// (the same ones are met for real in test/cluster/sudo.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CommandRunner, commandLine, sudoersRule, type CommandExecutor } from '../../../src/core/remote/runner';
import {
  cibVersionProbe,
  compareCibVersions,
  crmMonXml,
  crmNodeList,
  parseCmapNodelist,
  parseCrmNodeList,
} from '../../../src/core/remote/commands';
import type { ExecResult } from '../../../src/core/ssh/connection';
import { PcxFailure } from '../../../src/core/util/result';

function fake(result: Partial<ExecResult>): CommandExecutor & { lines: string[] } {
  const lines: string[] = [];
  return {
    host: 'node1',
    lines,
    async exec(line: string) {
      lines.push(line);
      return { stdout: '', stderr: '', code: 0, ...result };
    },
  };
}

const isFailure = (code: string, pattern?: RegExp) => (e: unknown) =>
  e instanceof PcxFailure && e.code === code && e.host === 'node1' && (!pattern || pattern.test(`${e.message} ${e.hint}`));

test('command lines: sudo -n -- before the quoted argv; without sudo an sbin PATH via env', () => {
  assert.equal(commandLine(['crm_mon', '--one-shot'], true), 'sudo -n -- crm_mon --one-shot');
  assert.equal(commandLine(['-rf', 'x y'], true), "sudo -n -- -rf 'x y'");
  assert.match(commandLine(['crm_mon']), /^env PATH=\/usr\/local\/sbin:[^ ]*\/usr\/sbin[^ ]* crm_mon$/);
  assert.throws(() => commandLine([]));
});

test('sudoers rule names the user and the absolute programs', () => {
  assert.equal(
    sudoersRule('pcxadmin'),
    'pcxadmin ALL=(root) NOPASSWD: /usr/sbin/crm_mon, /usr/sbin/cibadmin, /usr/sbin/crm_node, /usr/sbin/corosync-cmapctl',
  );
});

test('sudo wanting a password → sudo-password with the sudoers rule', async () => {
  const ex = fake({ code: 1, stderr: 'sudo: a password is required\n' });
  const runner = new CommandRunner(ex, 'pcxnopw', true);
  await assert.rejects(runner.run(['crm_mon']), isFailure('sudo-password', /pcxnopw ALL=\(root\) NOPASSWD: \/usr\/sbin\/crm_mon/));
  // The short rule names programs without arguments: the hint says it is root-equivalent and where the read-only rules are.
  await assert.rejects(runner.run(['crm_mon']), isFailure('sudo-password', /root-equivalent.*fixed-argument rules in docs\/connections\.md/));
  assert.equal(ex.lines[0], 'sudo -n -- crm_mon');
});

test('sudo refusing the user or the command → permission-denied with the rule', async () => {
  const notInSudoers = fake({ code: 1, stderr: 'pcxuser is not in the sudoers file.  This incident will be reported.\n' });
  await assert.rejects(new CommandRunner(notInSudoers, 'pcxuser', true).run(['crm_mon']), isFailure('permission-denied', /NOPASSWD/));
  const notAllowed = fake({ code: 1, stderr: "Sorry, user pcxadmin is not allowed to execute '/usr/sbin/crm_resource --cleanup' as root on node1.\n" });
  await assert.rejects(new CommandRunner(notAllowed, 'pcxadmin', true).run(['crm_resource', '--cleanup']), isFailure('permission-denied'));
  const missing = fake({ code: 127, stderr: 'bash: line 1: sudo: command not found\n' });
  await assert.rejects(new CommandRunner(missing, 'pcxadmin', true).run(['crm_mon']), isFailure('sudo-missing'));
});

test('the same stderr without sudo is left to the command (no false sudo alarm)', async () => {
  const ex = fake({ code: 1, stderr: 'sudo: a password is required\n' });
  const r = await new CommandRunner(ex, 'root').run(['echo']);
  assert.equal(r.code, 1);
});

test('crm_mon: 0 → XML as printed (even malformed); 127 → not-a-cluster-node; 102 → pacemaker-down; 4/126 → permission-denied', () => {
  assert.equal(crmMonXml.parse({ stdout: '<crm_mon', stderr: '', code: 0 }, 'node1'), '<crm_mon');
  assert.throws(() => crmMonXml.parse({ stdout: '', stderr: 'env: ‘crm_mon’: No such file or directory\n', code: 127 }, 'node1'), isFailure('not-a-cluster-node', /crm_mon is not installed on node1/));
  const notConnected = [
    '<pacemaker-result api-version="2.25" request="crm_mon -1 --output-as=xml">',
    '  <status code="102" message="Not connected">',
    '    <errors>',
    '      <error>crm_mon: Connection to cluster failed: Connection refused</error>',
    '    </errors>',
    '  </status>',
    '</pacemaker-result>',
  ].join('\n');
  assert.throws(() => crmMonXml.parse({ stdout: notConnected, stderr: '', code: 102 }, 'node1'), isFailure('pacemaker-down', /Connection to cluster failed.*pcs cluster start/s));
  assert.throws(() => crmMonXml.parse({ stdout: '', stderr: 'crm_mon: Insufficient privileges\n', code: 4 }, 'node1'), isFailure('permission-denied', /haclient/));
  assert.throws(() => crmMonXml.parse({ stdout: '', stderr: 'bash: /usr/sbin/crm_mon: Permission denied\n', code: 126 }, 'node1'), isFailure('permission-denied'));
  assert.throws(() => crmMonXml.parse({ stdout: '', stderr: 'boom\n', code: 1 }, 'node1'), isFailure('command-failed', /exit 1.*boom/));
});

test('a healthy crm_mon mentioning "Could not connect" in a failed action is still healthy', () => {
  const xml = '<crm_mon><failures><failure exitreason="Could not connect to redis"/></failures></crm_mon>';
  assert.equal(crmMonXml.parse({ stdout: xml, stderr: '', code: 0 }, 'node1'), xml);
});

test('CIB version probe reads the <cib> tag; compare orders admin_epoch, epoch, num_updates', () => {
  const tag = '<cib crm_feature_set="3.16.2" validate-with="pacemaker-3.9" epoch="12" num_updates="40" admin_epoch="0" cib-last-written="Mon" have-quorum="1" dc-uuid="1"/>\n';
  const v = cibVersionProbe.parse({ stdout: tag, stderr: '', code: 0 }, 'node1');
  assert.deepEqual(v, { adminEpoch: 0, epoch: 12, numUpdates: 40 });
  assert.ok(compareCibVersions({ adminEpoch: 1, epoch: 0, numUpdates: 0 }, v) > 0);
  assert.ok(compareCibVersions({ adminEpoch: 0, epoch: 12, numUpdates: 41 }, v) > 0);
  assert.equal(compareCibVersions(v, v), 0);
  assert.throws(() => cibVersionProbe.parse({ stdout: 'nonsense', stderr: '', code: 0 }, 'node1'), isFailure('bad-output'));
  assert.deepEqual(cibVersionProbe.argv, ['cibadmin', '--query', '--local', '--xpath', '/cib', '--no-children']);
});

test('node lists: crm_node -l and corosync-cmapctl nodelist', () => {
  assert.deepEqual(parseCrmNodeList('1 node1 member\n2 node2 lost\n'), [
    { id: '1', name: 'node1', state: 'member', addresses: [] },
    { id: '2', name: 'node2', state: 'lost', addresses: [] },
  ]);
  const cmap = [
    'nodelist.local_node_pos (u32) = 0',
    'nodelist.node.0.name (str) = node1',
    'nodelist.node.0.nodeid (u32) = 1',
    'nodelist.node.0.ring0_addr (str) = 10.213.0.11',
    'nodelist.node.1.name (str) = node2',
    'nodelist.node.1.nodeid (u32) = 2',
    'nodelist.node.1.ring1_addr (str) = 192.168.0.12',
    'nodelist.node.1.ring0_addr (str) = 10.213.0.12',
  ].join('\n');
  assert.deepEqual(parseCmapNodelist(cmap), [
    { id: '1', name: 'node1', addresses: ['10.213.0.11'] },
    { id: '2', name: 'node2', addresses: ['10.213.0.12', '192.168.0.12'] },
  ]);
  assert.throws(() => crmNodeList.parse({ stdout: '', stderr: 'error: Could not connect to controller: Connection refused\n', code: 102 }, 'node1'), isFailure('pacemaker-down'));
});
