// Node capabilities (src/core/remote/capabilities.ts) and the crm_mon flag choice of the live read, on a fake
// executor that answers like the real tools: 2.1.5's and 1.1.19's `crm_mon --version` texts, 1.1's refusal of
// --output-as=xml (getopt's message on stderr, help on stdout, exit 0 — tools/crm_mon.c at Pacemaker-1.1.19).
// The real counterpart is test/cluster/pacemaker11.test.ts (a 1.1 stand-in on a test node).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CommandRunner, type CommandExecutor } from '../../../src/core/remote/runner';
import { atLeast, capabilitiesOf, crmMonXmlFlagFor, parseVersion, refusedOption } from '../../../src/core/remote/capabilities';
import { readCrmMonXml } from '../../../src/core/cluster/live';
import type { ExecResult } from '../../../src/core/ssh/connection';
import { PcxFailure } from '../../../src/core/util/result';

const V2 = 'Pacemaker 2.1.5\nWritten by Andrew Beekhof and the Pacemaker project contributors\n';
const V11 = 'Pacemaker 1.1.19-8.el7_6.4\nWritten by Andrew Beekhof\n';
const REFUSAL: ExecResult = { code: 0, stdout: "crm_mon - Provides a summary of cluster's current state.\n\nUsage: crm_mon mode [options]\n", stderr: "crm_mon: unrecognized option '--output-as=xml'\n" };
const LEGACY_XML = '<?xml version="1.0"?>\n<crm_mon version="1.1.19"><summary/></crm_mon>\n';
const MODERN_XML = '<pacemaker-result api-version="2.25" request="crm_mon"/>\n';

/** A node whose crm_mon says `version` and knows the flags in `knows`; records every command line. */
function node(version: string, knows: readonly string[]): CommandExecutor & { lines: string[] } {
  const lines: string[] = [];
  return {
    host: 'node1',
    lines,
    async exec(line: string): Promise<ExecResult> {
      lines.push(line);
      if (/ crm_mon --version$/.test(line)) return { code: 0, stdout: version, stderr: '' };
      if (/ crm_mon /.test(line)) {
        if (line.endsWith('--output-as=xml')) return knows.includes('--output-as=xml') ? { code: 0, stdout: MODERN_XML, stderr: '' } : REFUSAL;
        if (line.endsWith('--as-xml')) return knows.includes('--as-xml') ? { code: 0, stdout: LEGACY_XML, stderr: '' } : { code: 64, stdout: '', stderr: 'crm_mon: Unknown option --as-xml\n' };
      }
      if (/ pcs --version$/.test(line)) return { code: 0, stdout: '0.9.167\n', stderr: '' };
      if (/ journalctl --version$/.test(line)) return { code: 0, stdout: 'systemd 219\n+PAM\n', stderr: '' };
      return { code: 127, stdout: '', stderr: `env: '${line.split(' ')[2]}': No such file or directory\n` };
    },
  };
}
const crmMonCalls = (lines: readonly string[]) => lines.filter((l) => / crm_mon /.test(l)).map((l) => l.replace(/^env PATH=\S+ /, ''));

test('parseVersion: the texts the tools print', () => {
  assert.deepEqual(parseVersion(V11, /Pacemaker/), { text: '1.1.19-8.el7_6.4', major: 1, minor: 1, patch: 19 });
  assert.deepEqual(parseVersion(V2, /Pacemaker/), { text: '2.1.5', major: 2, minor: 1, patch: 5 });
  assert.equal(parseVersion('crm 4.4.0\n', /crm/)?.text, '4.4.0');
  assert.equal(parseVersion('0.11.5\n')?.text, '0.11.5');
  assert.equal(parseVersion('usage: something\n', /Pacemaker/), undefined);
});

test('crm_mon XML flag by version: --as-xml up to 2.0.2, --output-as=xml from 2.0.3 and when unknown', () => {
  const v = (t: string) => parseVersion(t, /Pacemaker/);
  assert.equal(crmMonXmlFlagFor(v('Pacemaker 1.1.19')), '--as-xml');
  assert.equal(crmMonXmlFlagFor(v('Pacemaker 2.0.2')), '--as-xml');
  assert.equal(crmMonXmlFlagFor(v('Pacemaker 2.0.3')), '--output-as=xml');
  assert.equal(crmMonXmlFlagFor(v('Pacemaker 3.0.0')), '--output-as=xml');
  assert.equal(crmMonXmlFlagFor(undefined), '--output-as=xml');
  assert.equal(atLeast(v('Pacemaker 2.1.0')!, 2, 0, 3), true);
  assert.equal(atLeast(v('Pacemaker 1.1.24')!, 2, 0, 3), false);
});

test('refusedOption: 1.1 getopt text (exit 0) and 2.x glib text; not a mention elsewhere', () => {
  assert.equal(refusedOption(REFUSAL, '--output-as=xml'), true);
  assert.equal(refusedOption({ code: 64, stdout: '', stderr: 'crm_mon: Unknown option --as-xml\n' }, '--as-xml'), true);
  assert.equal(refusedOption({ code: 0, stdout: MODERN_XML, stderr: '' }, '--output-as=xml'), false);
  assert.equal(refusedOption({ code: 0, stdout: '', stderr: "crm_mon: unrecognized option '--foo'\n" }, '--output-as=xml'), false);
});

test('Pacemaker 1.1 node: one version probe, then crm_mon --as-xml directly; the probe is not repeated on the connection', async () => {
  const ex = node(V11, ['--as-xml']);
  const runner = new CommandRunner(ex, 'root');
  assert.equal(await readCrmMonXml(runner), LEGACY_XML);
  assert.equal(await readCrmMonXml(new CommandRunner(ex, 'root')), LEGACY_XML);
  assert.deepEqual(crmMonCalls(ex.lines), ['crm_mon --version', 'crm_mon --one-shot --inactive --as-xml', 'crm_mon --one-shot --inactive --as-xml']);
});

test('Pacemaker 2.1 node: crm_mon --output-as=xml', async () => {
  const ex = node(V2, ['--output-as=xml', '--as-xml']);
  assert.equal(await readCrmMonXml(new CommandRunner(ex, 'root')), MODERN_XML);
  assert.deepEqual(crmMonCalls(ex.lines), ['crm_mon --version', 'crm_mon --one-shot --inactive --output-as=xml']);
});

test('a crm_mon whose version misleads (or says nothing) and refuses --output-as=xml → retried with --as-xml, remembered', async () => {
  for (const version of [V2, 'crm_mon: version unknown\n']) {
    const ex = node(version, ['--as-xml']);
    assert.equal(await readCrmMonXml(new CommandRunner(ex, 'root')), LEGACY_XML);
    assert.equal(await readCrmMonXml(new CommandRunner(ex, 'root')), LEGACY_XML);
    assert.deepEqual(crmMonCalls(ex.lines), ['crm_mon --version', 'crm_mon --one-shot --inactive --output-as=xml', 'crm_mon --one-shot --inactive --as-xml', 'crm_mon --one-shot --inactive --as-xml']);
  }
});

test('summary: pcs found, crmsh missing (127), journalctl found; version probes never use sudo', async () => {
  const ex = node(V11, ['--as-xml']);
  const caps = capabilitiesOf(new CommandRunner(ex, 'pcxadmin', true));
  const s = await caps.summary();
  assert.equal(s.pacemaker?.text, '1.1.19-8.el7_6.4');
  assert.equal(s.crmMonXmlFlag, '--as-xml');
  assert.equal(s.pcs?.text, '0.9.167');
  assert.equal(s.crmsh, undefined);
  assert.equal(s.journalctl, true);
  assert.ok(ex.lines.every((l) => !l.startsWith('sudo')), ex.lines.join('\n'));
});

test('a probe that fails for a transport reason is asked again next time (not cached)', async () => {
  let calls = 0;
  const ex: CommandExecutor = {
    host: 'node1',
    async exec() {
      if (calls++ === 0) throw new Error('connection dropped');
      return { code: 0, stdout: V2, stderr: '' };
    },
  };
  const caps = capabilitiesOf(new CommandRunner(ex, 'root'));
  await assert.rejects(caps.pacemaker(), /connection dropped/);
  assert.equal((await caps.pacemaker())?.text, '2.1.5');
});

test('a user who may not run crm_mon (exit 4, not root, no sudo) gets remedy.sudo with the sudoers rule — a field, not text to search', async () => {
  const ex: CommandExecutor = {
    host: 'node1',
    async exec(line: string) {
      if (line.endsWith('--version')) return { code: 0, stdout: V2, stderr: '' };
      return { code: 4, stdout: '', stderr: 'crm_mon: Insufficient privileges\n' };
    },
  };
  await assert.rejects(readCrmMonXml(new CommandRunner(ex, 'pcxadmin')), (e: unknown) => {
    assert.ok(e instanceof PcxFailure);
    assert.equal(e.code, 'permission-denied');
    assert.deepEqual(e.remedy?.sudo, { user: 'pcxadmin', rule: 'pcxadmin ALL=(root) NOPASSWD: /usr/sbin/crm_mon, /usr/sbin/cibadmin, /usr/sbin/crm_node, /usr/sbin/corosync-cmapctl' });
    return true;
  });
  // root, or sudo already on: sudo is not the remedy.
  await assert.rejects(readCrmMonXml(new CommandRunner(ex, 'root')), (e: unknown) => e instanceof PcxFailure && e.remedy === undefined);
});

test('sudo refusing (password wanted) carries remedy.sudo too', async () => {
  const ex: CommandExecutor = {
    host: 'node1',
    async exec(line: string) {
      if (!line.startsWith('sudo')) return { code: 0, stdout: V2, stderr: '' };
      return { code: 1, stdout: '', stderr: 'sudo: a password is required\n' };
    },
  };
  await assert.rejects(readCrmMonXml(new CommandRunner(ex, 'pcxnopw', true)), (e: unknown) => e instanceof PcxFailure && e.code === 'sudo-password' && e.remedy?.sudo?.user === 'pcxnopw');
});
