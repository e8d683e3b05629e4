// Real captures from the test cluster (test/fixtures/live, made by test/cluster/capture-fixtures.sh; see its
// README for how each state was made). Two layers:
//  1. generic: every capture parses and the model holds what crm_mon's own XML holds (independent tag walk);
//  2. per state: what the reference user must be told — roles per node, where the VIP is, what failed and
//     what to run — in the model, the JSON form, the text tree and the exit code of the real CLI.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseCib } from '../../../src/core/cluster/cib';
import { baseResourceId } from '../../../src/core/cluster/names';
import type { CibConfig } from '../../../src/core/cluster/types';
import { parseCrmMon } from '../../../src/core/cluster/crmMon';
import { assessHealth } from '../../../src/core/cluster/health';
import { buildSnapshot, primitivesOf } from '../../../src/core/cluster/snapshot';
import { toStatusJson, type StatusJson } from '../../../src/core/status/statusJson';
import { crmMonXml } from '../../../src/core/remote/commands';
import { PcxFailure } from '../../../src/core/util/result';
import { count, walkTags } from './xmlCount';

const repoRoot = path.join(__dirname, '..', '..', '..');
const liveDir = path.join(repoRoot, 'test', 'fixtures', 'live');
const files = (dir: string): string[] =>
  existsSync(dir) ? readdirSync(dir).flatMap((f) => (statSync(path.join(dir, f)).isDirectory() ? files(path.join(dir, f)) : f.endsWith('.xml') ? [path.join(dir, f)] : [])) : [];
const captures = files(liveDir);

test('live captures present: a crm_mon and a CIB capture for each of the five states', () => {
  const names = captures.map((f) => path.basename(f)).sort();
  assert.deepEqual(names, ['failed-action', 'healthy', 'maintenance', 'node-offline', 'standby'].flatMap((s) => [`${s}.cib.xml`, `${s}.crm_mon.xml`]));
});

/** What each capture's state looks like in the CIB (the configuration and status sections it holds). */
const CIB_STATE: Readonly<Record<string, (c: CibConfig) => void>> = {
  healthy: (c) => assert.deepEqual(c.failCounts, [], 'no fail counts'),
  'failed-action': (c) => assert.deepEqual(c.failCounts.map((f) => `${baseResourceId(f.resource)} ${f.operation}@${f.node}`).sort(), ['redis demote_0@node1', 'redis monitor_3000@node1'], 'the fail counts of the killed redis on node1'),
  standby: (c) => assert.equal(c.nodes.find((n) => n.uname === 'node2')?.attributes['standby'], 'on', 'node2 standby=on'),
  maintenance: (c) => assert.equal(c.properties['maintenance-mode'], 'true', 'maintenance-mode=true'),
  'node-offline': (c) => assert.deepEqual(c.failCounts, [], 'no fail counts'),
};

for (const file of captures) {
  const xml = readFileSync(file, 'utf8');
  const root = /<(pacemaker-result|crm_mon|cib)[\s>]/.exec(xml)?.[1];
  const state = path.basename(file).replace(/\.(cib|crm_mon)\.xml$/, '');
  test(`live capture ${path.relative(liveDir, file)} parses and loses nothing`, () => {
    if (root === 'cib') {
      const r = parseCib(xml);
      assert.ok(r.ok, !r.ok ? r.error.message : '');
      const c = r.value;
      // Everything the XML configures is in the model (independent tag walk) …
      const ev = walkTags(xml);
      const under = /(^|\/)configuration\/resources(\/|$)/;
      assert.equal(count(ev, 'primitive', under), 2, 'the capture configures redis and VIP');
      assert.deepEqual(c.resources.map((x) => `${x.kind}:${x.id}`).sort(), ['clone:redis-clone', 'primitive:VIP']);
      for (const [type, el] of [['location', 'rsc_location'], ['colocation', 'rsc_colocation'], ['order', 'rsc_order']] as const) {
        assert.equal(c.constraints.filter((x) => x.type === type).length, count(ev, el, /configuration\/constraints$/), `${type} constraints`);
      }
      assert.equal(c.nodes.length, count(ev, 'node', /configuration\/nodes$/), 'nodes');
      // … and it is the reference setup: a promotable redis clone, the VIP colocated with its Promoted role.
      const clone = c.resources.find((x) => x.id === 'redis-clone');
      assert.ok(clone?.kind === 'clone' && clone.promotable && clone.child?.kind === 'primitive' && clone.child.agent.name === 'ocf:heartbeat:redis', 'redis-clone: promotable clone of ocf:heartbeat:redis');
      const vip = c.resources.find((x) => x.id === 'VIP');
      assert.ok(vip?.kind === 'primitive' && vip.params['ip'] === '10.213.0.100', 'VIP ip 10.213.0.100 (captured on instance 0)');
      assert.ok(c.constraints.some((x) => x.type === 'colocation' && x.rsc === 'VIP' && x.withRsc === 'redis-clone' && x.withRscRole === 'Promoted'), 'VIP with the Promoted redis-clone');
      assert.deepEqual(c.nodes.map((n) => n.uname).sort(), ['node1', 'node2']);
      const expectState = CIB_STATE[state];
      assert.ok(expectState, `a known state: ${state}`);
      expectState(c);
      return;
    }
    const r = parseCrmMon(xml);
    assert.ok(r.ok, !r.ok ? `${r.error.code}: ${r.error.message}` : '');
    const ev = walkTags(xml);
    const ROOT = '^(pacemaker-result|crm_mon)';
    assert.equal(r.value.nodes.length, count(ev, 'node', new RegExp(`${ROOT}/nodes$`)));
    assert.equal(primitivesOf(r.value.resources).length, count(ev, 'resource', new RegExp(`${ROOT}/resources(/|$)`)));
    assert.equal(r.value.failures.length, count(ev, 'failure', new RegExp(`${ROOT}/failures$`)));
    // Only the seed state is healthy; every other capture was made by breaking something.
    const h = assessHealth(buildSnapshot(r.value));
    assert.equal(h.verdict, state === 'healthy' ? 'healthy' : 'degraded', h.reasons.map((x) => x.code).join(', '));
  });
}

// ---------------------------------------------------------------- per state

const STATES = ['healthy', 'failed-action', 'standby', 'maintenance', 'node-offline'] as const;
type State = (typeof STATES)[number];
const present = (s: State) => existsSync(path.join(liveDir, `${s}.crm_mon.xml`)) && existsSync(path.join(liveDir, `${s}.cib.xml`));
const tsxLoader = pathToFileURL(require.resolve('tsx')).href;

/** The real CLI on a capture: exit code and text (no colour: stdout is a pipe). */
function pcxStatusText(state: State): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(
    process.execPath,
    ['--import', tsxLoader, path.join(repoRoot, 'src', 'cli', 'pcx.ts'), 'status', '--file', path.join(liveDir, `${state}.crm_mon.xml`), '--cib', path.join(liveDir, `${state}.cib.xml`)],
    { encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } },
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The JSON form, built exactly as `pcx status --json` builds it. */
function statusJson(state: State): StatusJson {
  const mon = parseCrmMon(readFileSync(path.join(liveDir, `${state}.crm_mon.xml`), 'utf8'));
  const cib = parseCib(readFileSync(path.join(liveDir, `${state}.cib.xml`), 'utf8'));
  assert.ok(mon.ok && cib.ok);
  const snapshot = buildSnapshot(mon.value, cib.value, { source: `${state}.crm_mon.xml` });
  return toStatusJson(snapshot, assessHealth(snapshot));
}

type JsonResource = StatusJson['resources'][number];
const redisClone = (j: StatusJson): JsonResource => {
  const c = j.resources.find((r) => r.id === 'redis-clone');
  assert.ok(c, 'redis-clone in the resources');
  assert.equal(c.kind, 'clone');
  assert.equal(c.promotable, true);
  assert.equal(c.agent, 'ocf:heartbeat:redis');
  return c;
};
/** Role → nodes of the redis instances, from the members (not from `placement`, which is derived the same way). */
const redisRoles = (j: StatusJson): Record<string, string[]> => {
  const out: Record<string, string[]> = {};
  for (const m of redisClone(j).members) (out[m.role ?? '?'] ??= []).push(...m.nodes);
  return out;
};
const reason = (j: StatusJson, code: string, subject?: string) => j.health.reasons.find((r) => r.code === code && (subject === undefined || r.subject === subject));
const problems = (j: StatusJson) => j.health.reasons.filter((r) => r.severity !== 'info').map((r) => `${r.code}:${r.subject}`).sort();

describe('live captures, state by state', { skip: STATES.every(present) ? false : 'test/fixtures/live lacks the five state captures' }, () => {
  test('every capture is of the reference cluster: cluster1, DC node1, quorum, two members, VIP 10.213.0.100/24 following the Promoted redis-clone', () => {
    for (const state of STATES) {
      const j = statusJson(state);
      assert.equal(j.cluster.name, 'cluster1', state);
      assert.equal(j.cluster.dc?.name, 'node1', state);
      assert.equal(j.cluster.quorum, true, state);
      assert.deepEqual(j.nodes.map((n) => [n.name, n.type]), [['node1', 'member'], ['node2', 'member']], state);
      assert.equal(j.cluster.options.stonithEnabled, false, state);
      assert.equal(j.vips.length, 1, state);
      assert.deepEqual([j.vips[0].resource, j.vips[0].ip, j.vips[0].cidrNetmask, j.vips[0].followsPromotedOf], ['VIP', '10.213.0.100', '24', 'redis-clone'], state);
      // stonith disabled is worth knowing but never by itself a problem
      assert.equal(reason(j, 'stonith-disabled')?.severity, 'info', state);
    }
  });

  test('healthy: both online, redis Promoted on node1 / Unpromoted on node2, VIP on node1, HEALTHY, exit 0', () => {
    const j = statusJson('healthy');
    assert.deepEqual(j.nodes.map((n) => [n.name, n.state, n.online]), [['node1', 'online', true], ['node2', 'online', true]]);
    assert.deepEqual(redisRoles(j), { Promoted: ['node1'], Unpromoted: ['node2'] });
    assert.deepEqual(j.vips[0].nodes, ['node1']);
    assert.deepEqual([j.failures.length, j.failCounts.length, j.leftoverConstraints.length], [0, 0, 0]);
    assert.equal(j.health.verdict, 'healthy');
    assert.deepEqual(problems(j), []);

    const cli = pcxStatusText('healthy');
    assert.equal(cli.code, 0, cli.stderr);
    assert.match(cli.stdout, /^Cluster cluster1 · DC node1 · quorum: yes/m);
    assert.match(cli.stdout, /redis-clone {2}promotable clone of ocf:heartbeat:redis\n {6}Promoted on node1 · Unpromoted on node2\n/);
    assert.match(cli.stdout, /\n {2}10\.213\.0\.100\/24 on node1 {2}\(VIP, follows the Promoted redis-clone\)\n/);
    assert.doesNotMatch(cli.stdout, /Failed actions|Problems and what to do/);
    assert.match(cli.stdout, /\nHEALTHY: all nodes online/);
  });

  test('failed-action: failed redis demote on node1 with rc text, node2 Promoted with the VIP, cleanup hint, exit 1', () => {
    const j = statusJson('failed-action');
    assert.deepEqual(j.nodes.map((n) => n.state), ['online', 'online']);
    assert.deepEqual(redisRoles(j), { Promoted: ['node2'], Stopped: [] });
    assert.deepEqual(j.vips[0].nodes, ['node2']);
    assert.equal(j.failures.length, 1);
    const f = j.failures[0];
    assert.deepEqual([f.resource, f.operation, f.node, f.rc, f.rcText, f.status, f.intervalMs], ['redis', 'demote', 'node1', 7, 'not running', 'complete', 0]);
    assert.match(f.lastRcChange ?? '', /^2026-11-25 21:33:10/);
    // migration-threshold=1 (seed rsc_defaults) and two failures: redis is kept off node1 until cleanup
    assert.deepEqual(j.failCounts.map((c) => [c.resource, c.node, c.failCount, c.migrationThreshold, c.thresholdReached]), [['redis', 'node1', 2, 1, true]]);
    assert.equal(j.health.verdict, 'degraded');
    assert.deepEqual(problems(j), ['clone-degraded:redis-clone', 'failed-action:redis', 'migration-threshold-reached:redis']);
    assert.match(reason(j, 'failed-action', 'redis')?.fix ?? '', /`pcs resource cleanup redis` \(or `crm resource cleanup redis`\)/);
    assert.match(reason(j, 'clone-degraded')?.message ?? '', /redis may not run on node1: migration-threshold reached/);

    const cli = pcxStatusText('failed-action');
    assert.equal(cli.code, 1, cli.stderr);
    assert.match(cli.stdout, /\n {6}Promoted on node2 · Stopped on node1\n/);
    assert.match(cli.stdout, /\n {2}10\.213\.0\.100\/24 on node2 /);
    assert.match(cli.stdout, /Failed actions\n {2}✗ redis demote on node1: not running \(rc 7, complete\) at 2026-11-25 21:33:10\n/);
    assert.match(cli.stdout, /→ .*then run `pcs resource cleanup redis`/);
    assert.match(cli.stdout, /\nDEGRADED: 3 errors\n$/);
  });

  test('standby: node2 in standby (and told how to undo it), redis Promoted on node1 with the VIP, exit 1', () => {
    const j = statusJson('standby');
    assert.deepEqual(j.nodes.map((n) => [n.name, n.state, n.standby, n.online]), [['node1', 'online', false, true], ['node2', 'standby', true, true]]);
    assert.deepEqual(redisRoles(j).Promoted, ['node1']);
    // (node2's own instance is not asserted: this capture caught it still Stopping, right after `pcs node standby`.)
    assert.deepEqual(j.vips[0].nodes, ['node1']);
    assert.equal(j.failures.length, 0);
    assert.deepEqual(problems(j), ['node-standby:node2']);
    assert.match(reason(j, 'node-standby', 'node2')?.fix ?? '', /`pcs node unstandby node2` \(or `crm node online node2`\)/);

    const cli = pcxStatusText('standby');
    assert.equal(cli.code, 1, cli.stderr);
    assert.match(cli.stdout, /\n {2}● node2 {2}online · standby\n/);
    assert.match(cli.stdout, /! node node2 is in standby: it runs no resources\n {4}→ when done, run `pcs node unstandby node2`/);
    assert.match(cli.stdout, /\nDEGRADED: 1 warning\n$/);
  });

  test('maintenance: maintenance-mode flagged on the cluster, resources unmanaged but still where they were, exit 1', () => {
    const j = statusJson('maintenance');
    assert.equal(j.cluster.options.maintenanceMode, true);
    assert.deepEqual(redisRoles(j), { Promoted: ['node1'], Unpromoted: ['node2'] });
    assert.deepEqual(j.vips[0].nodes, ['node1']);
    for (const r of j.resources) assert.equal(r.managed, false, `${r.id} unmanaged under maintenance-mode`);
    // one cluster-wide warning, not one per resource
    assert.deepEqual(problems(j), ['cluster-maintenance:']);
    assert.match(reason(j, 'cluster-maintenance')?.fix ?? '', /`pcs property set maintenance-mode=false`/);

    const cli = pcxStatusText('maintenance');
    assert.equal(cli.code, 1, cli.stderr);
    assert.match(cli.stdout, /redis-clone {2}promotable clone of ocf:heartbeat:redis {2}\[unmanaged\]/);
    assert.match(cli.stdout, /! maintenance-mode is on: the cluster neither starts, stops nor monitors resources/);
    assert.match(cli.stdout, /\nDEGRADED: 1 warning\n$/);
  });

  test('node-offline: node2 offline, redis Promoted on node1 (node2 instance stopped), start command, exit 1', () => {
    const j = statusJson('node-offline');
    assert.deepEqual(j.nodes.map((n) => [n.name, n.state, n.online]), [['node1', 'online', true], ['node2', 'offline', false]]);
    assert.deepEqual(redisRoles(j), { Promoted: ['node1'], Stopped: [] });
    assert.deepEqual(j.vips[0].nodes, ['node1']);
    // an offline node is the problem; the clone's missing instance is its consequence, not a second error
    assert.deepEqual(problems(j), ['node-offline:node2']);
    assert.match(reason(j, 'node-offline', 'node2')?.fix ?? '', /`pcs cluster start node2`/);

    const cli = pcxStatusText('node-offline');
    assert.equal(cli.code, 1, cli.stderr);
    assert.match(cli.stdout, /\n {2}○ node2 {2}OFFLINE\n/);
    assert.match(cli.stdout, /\n {6}Promoted on node1 · Stopped on node2\n/);
    assert.match(cli.stdout, /✗ node node2 is OFFLINE\n {4}→ start the cluster on it: `pcs cluster start node2`/);
    assert.match(cli.stdout, /\nDEGRADED: 1 error\n$/);
  });
});

// ---------------------------------------------------------------- pacemaker stopped on a node

const stoppedCapture = path.join(liveDir, 'pacemaker-stopped.txt');

/** pacemaker-stopped.txt: `# exit code: N`, then stdout and stderr under `# --- stdout ---` / `# --- stderr ---`. */
function readStoppedCapture(): { code: number; stdout: string; stderr: string } {
  const text = readFileSync(stoppedCapture, 'utf8');
  const code = Number(/^# exit code: (\d+)$/m.exec(text)?.[1]);
  const m = /^# --- stdout ---\n([\s\S]*?)^# --- stderr ---\n?([\s\S]*)$/m.exec(text);
  assert.ok(Number.isInteger(code) && m, 'pacemaker-stopped.txt has an exit code and stdout/stderr sections');
  return { code, stdout: m[1], stderr: m[2] };
}

describe('pacemaker stopped on the node asked', { skip: existsSync(stoppedCapture) ? false : 'no pacemaker-stopped.txt capture' }, () => {
  test('over SSH (exit 102) → pacemaker-down naming the host, crm_mon\'s own reason and how to start it', () => {
    const captured = readStoppedCapture();
    assert.equal(captured.code, 102);
    assert.throws(
      () => crmMonXml.parse({ code: captured.code, stdout: captured.stdout, stderr: captured.stderr }, 'node2'),
      (e: unknown) => {
        assert.ok(e instanceof PcxFailure);
        assert.equal(e.code, 'pacemaker-down');
        assert.equal(e.host, 'node2');
        assert.match(e.message, /the cluster stack is not running on node2 \(crm_mon: .*Connection refused/);
        assert.match(e.hint ?? '', /pcs cluster start.*or read the status from another node/);
        return true;
      },
    );
  });

  test('its XML saved and read with --file → exit 2, pacemaker-not-running with crm_mon\'s message, JSON error object', () => {
    const { stdout } = readStoppedCapture();
    const r = parseCrmMon(stdout);
    assert.ok(!r.ok);
    assert.equal(r.error.code, 'pacemaker-not-running');
    const cli = spawnSync(process.execPath, ['--import', tsxLoader, path.join(repoRoot, 'src', 'cli', 'pcx.ts'), 'status', '--file', '-', '--json'], { input: stdout, encoding: 'utf8', timeout: 60_000 });
    assert.equal(cli.status, 2, cli.stderr);
    const j = JSON.parse(cli.stdout) as { error: { code: string; message: string; hint: string | null } };
    assert.equal(j.error.code, 'pacemaker-not-running');
    assert.match(j.error.message, /Connection refused/);
    assert.ok(j.error.hint, 'says what to do');
    assert.match(cli.stderr, /^pcx status: stdin: .*\n {2}→ /);
    assert.doesNotMatch(cli.stderr, /\n\s+at /, 'no stack trace');
  });
});
