// The shared pcx argument layer: one parser, one usage text, one set of source options, one confirmation rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDuration, parseVerbArgs, usageText, type VerbSpec } from '../../../src/cli/args';
import { confirmChange, CHANGE_OPTIONS } from '../../../src/cli/change';
import { SOURCE_OPTIONS, sourceProblem, targetFromSource, withExactRetryHint } from '../../../src/cli/source';
import { PcxFailure } from '../../../src/core/util/result';
import { LINT_VERB } from '../../../src/cli/commands/lint';
import { parseStatusArgs } from '../../../src/cli/commands/status';

const SPEC = {
  name: 'demo',
  synopsis: '[options] RESOURCE',
  description: 'a verb for tests',
  groups: [
    { title: 'source', options: SOURCE_OPTIONS },
    { title: 'change', options: { ...CHANGE_OPTIONS, format: { type: 'string', value: 'F', choices: ['a', 'b'], help: 'format' } } },
  ],
  positionals: { name: 'RESOURCE', min: 1, max: 1 },
  footer: 'exit codes: 0 done',
} as const satisfies VerbSpec;

function error(args: string[]): string {
  const r = parseVerbArgs(SPEC, args);
  assert.equal(r.ok, false, `expected a usage error for ${args.join(' ')}`);
  return r.ok ? '' : r.error.message;
}

test('values: booleans default false, repeatable strings collect, --opt=value and short flags work', () => {
  const r = parseVerbArgs(SPEC, ['-H', 'node1', '--host=node2', '--sudo', '-y', 'redis-clone', '--port', '2222']);
  assert.ok(r.ok);
  const v = r.value.values;
  assert.deepEqual(v.host, ['node1', 'node2']);
  assert.equal(v.sudo, true);
  assert.equal(v.yes, true);
  assert.equal(v['dry-run'], false);
  assert.equal(v.port, '2222');
  assert.equal(v.cluster, undefined);
  assert.deepEqual(r.value.positionals, ['redis-clone']);
});

test('usage errors name the problem: unknown flag, missing or ambiguous value, bad choice, bad port, positional count', () => {
  assert.equal(error(['--bogus', 'r']), 'unknown option --bogus');
  assert.equal(error(['r', '--host']), '--host needs a value');
  // The old hand-written parsers took the next flag as the value (`lint --format --json`).
  assert.match(error(['--format', '--json', 'r']), /^--format needs a value/);
  assert.equal(error(['--format', 'c', 'r']), "--format: 'c' is not one of a, b");
  assert.equal(error(['--port', 'abc', 'r']), '--port: not a port number: abc');
  assert.equal(error(['--host', '', 'r']), '--host needs a value');
  assert.equal(error([]), 'missing RESOURCE');
  assert.equal(error(['a', 'b']), 'unexpected argument "b"');
  assert.equal(error(['--sudo=yes', 'r']), '--sudo takes no value');
  const r = parseVerbArgs(SPEC, ['--bogus']);
  assert.ok(!r.ok && r.error.code === 'usage' && r.error.hint === 'see `pcx demo --help`');
});

test('--help wins over missing positionals; the usage text lists every option of the table once', () => {
  const r = parseVerbArgs(SPEC, ['--help']);
  assert.ok(r.ok && r.value.help);
  const text = usageText(SPEC);
  assert.match(text, /^usage: pcx demo \[options\] RESOURCE\n\na verb for tests\n/);
  for (const name of [...Object.keys(SOURCE_OPTIONS), ...Object.keys(CHANGE_OPTIONS), 'format', 'help']) {
    assert.equal(text.split(`--${name}`).length - 1 >= 1, true, `--${name} in the usage`);
  }
  assert.match(text, /-H, --host H/);
  assert.match(text, /--format a\|b/);
  assert.match(text, /exit codes: 0 done$/);
});

test('pcx status and pcx lint use the shared layer (same errors for the same mistakes)', () => {
  const s = parseStatusArgs(['--host', 'h', '--port', 'x']);
  assert.ok(!s.ok && s.error.message === '--port: not a port number: x');
  const both = parseStatusArgs(['--file', 'a', '--host', 'b']);
  assert.ok(!both.ok && both.error.message === 'use only one of --host, --cluster and --file');
  const l = parseVerbArgs(LINT_VERB, ['--format', '--json', 'corosync.conf']);
  assert.ok(!l.ok && /^--format needs a value/.test(l.error.message));
  const ok = parseVerbArgs(LINT_VERB, ['--disable', 'a,b', '--disable', 'c', '-', 'x.conf']);
  assert.ok(ok.ok);
  assert.deepEqual(ok.value.values.disable, ['a,b', 'c']);
  assert.deepEqual(ok.value.positionals, ['-', 'x.conf'], "'-' (stdin) is a file, not a flag");
});

test('source options: one of --host/--cluster; what the user typed becomes the target', async () => {
  const parse = (args: string[]) => {
    const r = parseVerbArgs(SPEC, [...args, 'r']);
    assert.ok(r.ok);
    return r.value.values;
  };
  assert.equal(sourceProblem(parse([])), 'say which cluster: --host H or --cluster NAME');
  assert.equal(sourceProblem(parse(['--host', 'a', '--cluster', 'c'])), 'use only one of --host and --cluster');
  const t = await targetFromSource(parse(['--host', 'n1', '--host', 'n2', '--user', 'admin', '--port', '2200', '--sudo', '--ssh-config', '/x/ssh_config']));
  assert.deepEqual(t, { hosts: ['n1', 'n2'], user: 'admin', port: 2200, identityFile: undefined, sudo: true, sshConfigPath: '/x/ssh_config', knownHostsPath: undefined });
});

test('confirmChange: --dry-run never goes, --yes always, no terminal refuses with what to pass, a terminal asks', async () => {
  const out: string[] = [];
  const base = { verb: 'demo', write: (t: string) => out.push(t) };
  assert.equal(await confirmChange({ ...base, dryRun: true, yes: true }), 'dry-run');
  assert.equal(await confirmChange({ ...base, dryRun: false, yes: true, isTerminal: false }), 'go');
  assert.equal(await confirmChange({ ...base, dryRun: false, yes: false, isTerminal: false }), 'refused');
  assert.match(out.pop()!, /not asking without a terminal: pass --yes to go ahead, or --dry-run/);
  const asked: string[] = [];
  const answer = (a: string | undefined) => async (p: string) => (asked.push(p), a);
  assert.equal(await confirmChange({ ...base, dryRun: false, yes: false, isTerminal: true, ask: answer('y') }), 'go');
  assert.equal(await confirmChange({ ...base, dryRun: false, yes: false, isTerminal: true, ask: answer('') }), 'refused');
  assert.equal(await confirmChange({ ...base, dryRun: false, yes: false, isTerminal: true, ask: answer(undefined) }), 'refused');
  assert.match(asked[0]!, /Go ahead\? \[y\/N\] $/);
  // Dangerous changes: "y" is not enough, the cluster's name is.
  assert.equal(await confirmChange({ ...base, dryRun: false, yes: false, isTerminal: true, typeToConfirm: 'cluster1', ask: answer('y') }), 'refused');
  assert.equal(await confirmChange({ ...base, dryRun: false, yes: false, isTerminal: true, typeToConfirm: 'cluster1', ask: answer('cluster1') }), 'go');
  assert.match(asked.at(-1)!, /Type the cluster name 'cluster1' to confirm: $/);
});

test('parseDuration: 30s, 10m, 2h, 1d, 250ms; anything else is undefined', () => {
  assert.deepEqual(['30s', '10m', '2h', '1d', '250ms', '1.5m'].map(parseDuration), [30_000, 600_000, 7_200_000, 86_400_000, 250, 90_000]);
  assert.deepEqual(['', '10', 'm', '-1s', '10 minutes'].map(parseDuration), [undefined, undefined, undefined, undefined, undefined]);
});

test('a host-key refusal names the exact pcx command to accept it, from the failure\'s data (not by searching its text)', () => {
  // A hint worded differently from today's: only the structured remedy may be relied on.
  const e = new PcxFailure('host-key-unknown', 'the authenticity of node1 …', 'some other wording', 'node1', {
    acceptHostKey: { fingerprint: 'SHA256:abc', knownHostsFile: '/kh', verify: 'Check it on the host.', sshCommand: 'ssh root@node1' },
  });
  const out = withExactRetryHint(e, 'status', ['--host', 'node 1']) as PcxFailure;
  assert.equal(out.hint, "Check it on the host. If it matches, accept it: pcx status --host 'node 1' --accept-new-host-key, or run ssh root@node1 once and answer \"yes\".");
  assert.equal(out.remedy, e.remedy);
  const other = new PcxFailure('auth-failed', 'm', 'h');
  assert.equal(withExactRetryHint(other, 'status', []), other);
});
