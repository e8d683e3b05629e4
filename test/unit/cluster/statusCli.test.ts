// `pcx status --file` end to end: the real CLI in a child process, its text and JSON output and exit code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CORPUS_DIR, corpusSkip } from '../../corpus';

const repoRoot = path.join(__dirname, '..', '..', '..');
const fixtures = path.join(repoRoot, 'test', 'fixtures');
const corpus = CORPUS_DIR;

// Resolved here so the CLI can run from any working directory (--cluster reads ./.pacemaker).
const tsxLoader = pathToFileURL(require.resolve('tsx')).href;

function pcx(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}) {
  const r = spawnSync(process.execPath, ['--import', tsxLoader, path.join(repoRoot, 'src', 'cli', 'pcx.ts'), 'status', ...args], {
    cwd: opts.cwd ?? repoRoot,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '', ...opts.env },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('text: healthy reference cluster → roles per node, VIP, HEALTHY, exit 0, no colour when piped', () => {
  const r = pcx(['--file', path.join(fixtures, 'crm_mon', 'redis-healthy.xml'), '--cib', path.join(fixtures, 'cib', 'redis-leftover-ban.xml')]);
  // The leftover ban in that CIB makes it degraded; without the CIB it is healthy:
  assert.equal(r.code, 1, r.stderr);
  const plain = pcx(['--file', path.join(fixtures, 'crm_mon', 'redis-healthy.xml')]);
  assert.equal(plain.code, 0, plain.stderr);
  assert.match(plain.stdout, /^Cluster \(unnamed\) · DC server1 · quorum: yes · Pacemaker 2\.1\.5-a3f44794f94 · corosync$/m);
  assert.match(plain.stdout, /redis-clone {2}promotable clone of ocf:heartbeat:redis\n {6}Promoted on server1 · Unpromoted on server2/);
  assert.match(plain.stdout, /VIP {2}ocf:heartbeat:IPaddr2 {2}Started on server1/);
  assert.match(plain.stdout, /\nHEALTHY: /);
  assert.ok(!plain.stdout.includes('\u001b['), 'no ANSI codes when stdout is not a TTY');
  assert.equal(plain.stderr, '');
});

test('text: failed demote + leftover ban → failures, fix commands, leftover, DEGRADED, exit 1', () => {
  const r = pcx(['--file', path.join(fixtures, 'crm_mon', 'redis-failed-demote.xml'), '--cib', path.join(fixtures, 'cib', 'redis-leftover-ban.xml'), '--no-color']);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /^Cluster redis-ha · DC server1/m);
  assert.match(r.stdout, /10\.213\.0\.100\/24 on server2 {2}\(VIP, follows the Promoted redis-clone\)/);
  assert.match(r.stdout, /✗ redis demote on server1: not running \(rc 7, complete\) at 2025-11-25 20:19:50 \+00:00/);
  assert.match(r.stdout, /→ .*run `pcs resource cleanup redis` \(or `crm resource cleanup redis`\)/);
  assert.match(r.stdout, /cli-ban-redis-clone-on-server1: avoid server1 for redis-clone \(Promoted\)/);
  assert.match(r.stdout, /`pcs resource clear redis-clone`/);
  assert.match(r.stdout, /\nDEGRADED: 3 errors, 1 warning\n$/);
});

interface JsonResource {
  id: string;
  role: string | null;
  nodes: string[];
  placement: { role: string; nodes: string[]; instances: number }[];
  members: JsonResource[];
}

test('json: documented shape, schemaVersion, verdict and reasons; agrees with the fixture', () => {
  const r = pcx(['--file', path.join(fixtures, 'crm_mon', 'redis-failed-demote.xml'), '--cib', path.join(fixtures, 'cib', 'redis-leftover-ban.xml'), '--json']);
  assert.equal(r.code, 1, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.schemaVersion, 2);
  assert.deepEqual(Object.keys(j), ['schemaVersion', 'source', 'cluster', 'nodes', 'resources', 'vips', 'failures', 'failCounts', 'leftoverConstraints', 'bans', 'tickets', 'fenceHistory', 'workload', 'health']);
  assert.equal(j.cluster.name, 'redis-ha');
  assert.deepEqual(j.cluster.dc, { name: 'server1', id: '1' });
  assert.deepEqual(j.nodes.map((n: { name: string; state: string }) => [n.name, n.state]), [['server1', 'online'], ['server2', 'online']]);
  const clone = j.resources.find((x: { id: string }) => x.id === 'redis-clone');
  assert.equal(clone.promotable, true);
  assert.deepEqual(clone.placement, [{ role: 'Promoted', nodes: ['server2'], instances: 1 }, { role: 'Stopped', nodes: [], instances: 1 }]);
  assert.deepEqual(j.failures[0], {
    resource: 'redis', instance: 'redis', operation: 'demote', intervalMs: 0, node: 'server1', rc: 7, rcText: 'not running',
    exitReason: null, status: 'complete', lastRcChange: '2025-11-25 20:19:50 +00:00', callId: '21', execMs: 64, queuedMs: 0,
  });
  assert.deepEqual(j.vips[0], { resource: 'VIP', ip: '10.213.0.100', cidrNetmask: '24', nic: 'eth0', nodes: ['server2'], active: true, followsPromotedOf: 'redis-clone' });
  assert.equal(j.health.verdict, 'degraded');
  assert.ok(j.health.reasons.some((x: { code: string }) => x.code === 'leftover-constraint'));
  assert.equal(j.fenceHistory, null);
});

test('json: a stopped instance is on no node — no empty-string node anywhere in the resource tree (schemaVersion 2)', () => {
  const r = pcx(['--file', path.join(fixtures, 'crm_mon', 'redis-failed-demote.xml'), '--json']);
  const j = JSON.parse(r.stdout) as { schemaVersion: number; resources: JsonResource[] };
  assert.equal(j.schemaVersion, 2);
  const clone = j.resources.find((x) => x.id === 'redis-clone')!;
  const stopped = clone.members.find((m) => m.role === 'Stopped');
  assert.ok(stopped, 'the fixture has a stopped redis instance');
  assert.deepEqual(stopped.nodes, []);
  assert.deepEqual(stopped.placement, [{ role: 'Stopped', nodes: [], instances: 1 }]);
  const walk = (x: JsonResource): string[] => [...x.nodes, ...x.placement.flatMap((p) => p.nodes), ...x.members.flatMap(walk)];
  assert.deepEqual(j.resources.flatMap(walk).filter((n) => n === ''), []);
});

test('json: legacy 1.1 output gets the same field names and normalised roles', () => {
  const r = pcx(['--file', path.join(fixtures, 'crm_mon', 'legacy-1.1-redis-master-slave.xml'), '--json']);
  assert.equal(r.code, 1);
  const j = JSON.parse(r.stdout);
  assert.equal(j.cluster.crmMonFormat, 'legacy-crm_mon');
  assert.deepEqual(j.resources[0].placement, [{ role: 'Promoted', nodes: ['node1'], instances: 1 }, { role: 'Unpromoted', nodes: ['node2'], instances: 1 }]);
  assert.equal(j.fenceHistory[0].status, 'success');
  assert.equal(j.leftoverConstraints[0].id, 'cli-ban-redis-master-on-node2');
});

test('upstream regression output with --cib renders and exits by verdict', { skip: corpusSkip('crm_mon') }, () => {
  const r = pcx(['--file', path.join(corpus, 'crm_mon', 'pcmk-regression-025.xml'), '--cib', path.join(corpus, 'cib', 'pcmk-cli-crm_mon-partial.xml')]);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /✗ dummy-2 monitor on cluster02: Unimplemented \(rc 3, Done\)/);
  assert.match(r.stdout, /partially-active-group {2}group\n {6}dummy-1/);
});

test('could not get status → exit 2 with the message and hint; JSON error object with --json', () => {
  const truncated = pcx(['--file', path.join(fixtures, 'crm_mon', 'truncated.xml')]);
  assert.equal(truncated.code, 2);
  assert.match(truncated.stderr, /truncated\.xml: crm_mon XML ends before elements <pacemaker-result>, <nodes> are closed/);
  assert.match(truncated.stderr, /→ capture the output again/);
  assert.equal(truncated.stdout, '');
  assert.doesNotMatch(truncated.stderr, /at .*\.ts:\d+/, 'no stack trace');

  const notRunning = pcx(['--file', path.join(fixtures, 'crm_mon', 'not-connected.xml'), '--json']);
  assert.equal(notRunning.code, 2);
  const j = JSON.parse(notRunning.stdout);
  assert.equal(j.schemaVersion, 2);
  assert.equal(j.error.code, 'pacemaker-not-running');
  assert.match(j.error.hint, /pcs cluster start/);

  const missing = pcx(['--file', '/nonexistent/crm_mon.xml']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /crm_mon XML file not found: \/nonexistent\/crm_mon\.xml/);

  const swapped = pcx(['--file', path.join(fixtures, 'cib', 'redis-leftover-ban.xml')]);
  assert.equal(swapped.code, 2);
  assert.match(swapped.stderr, /looks like a CIB/);
});

test('usage errors → exit 2 and the usage text', () => {
  for (const args of [[], ['--bogus'], ['--host'], ['--file', 'a', '--host', 'b'], ['--host', 'h', '--cib', 'c'], ['--host', 'h', '--port', 'x']]) {
    const r = pcx(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.stderr, /usage: pcx status/, args.join(' '));
  }
  const help = pcx(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /exit codes: 0 healthy, 1 degraded, 2 could not get status/);
});

test('--cluster reads .pacemaker/clusters.json from the working directory and names what is wrong', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'pcx-clusters-'));
  const none = pcx(['--cluster', 'redis-ha'], { cwd: dir });
  assert.equal(none.code, 2);
  assert.match(none.stderr, /\.pacemaker\/clusters\.json does not exist/);
  const file = path.join(dir, 'c.json');
  writeFileSync(file, JSON.stringify({ clusters: [{ name: 'redis-ha', hosts: ['server1'], password: 'x' }] }));
  const secret = pcx(['--cluster', 'redis-ha', '--clusters', file]);
  assert.equal(secret.code, 2);
  assert.match(secret.stderr, /clusters\[0\]\.password: secrets do not belong in this file/);
  writeFileSync(file, JSON.stringify({ clusters: [{ name: 'redis-ha', hosts: ['server1'] }] }));
  const unknown = pcx(['--cluster', 'other', '--clusters', file]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /no cluster named "other".*\n.*known clusters: redis-ha/);
});
