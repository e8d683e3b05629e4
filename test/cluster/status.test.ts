/**
 * `pcx status` state by state against the real test cluster, each checked against crm_mon's own XML.
 *
 * For each state — healthy; node2 in standby; maintenance-mode; pacemaker stopped on node2; redis killed on node1
 * (before any cleanup) — the cluster is driven there with the user's own pcs commands over the system ssh, we
 * wait until it settles (crm_resource --wait, then a poll with a deadline on crm_mon's XML), and then:
 *   - `pcx status --json` must agree with an independent reading of `crm_mon --output-as=xml` fetched with the
 *     system ssh and parsed by test/cluster/helpers.ts (fast-xml-parser, no project code): nodes with
 *     online/standby/maintenance, every resource instance's role and node, the failed actions, maintenance-mode;
 *   - the text tree must name the same things, and the exit code must match the verdict.
 * crm_mon is read before and after pcx; if the two differ the cluster moved underneath and the round is retried.
 *
 * Mutates the shared cluster; the seed state is restored at the end (`cluster.sh ensure seed`).
 */
import { after, before, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe as describeMon, parseCrmMon, requireCluster, sshOk, SSH_CONFIG, VIP, waitFor, type MonState } from './helpers';

const repoRoot = path.join(__dirname, '..', '..');
const CLUSTER_SH = path.join(__dirname, 'cluster.sh');
const tsxLoader = pathToFileURL(require.resolve('tsx')).href;
const SETTLE_MS = 120_000;

// ---------------------------------------------------------------- the independent view (crm_mon XML only)

interface Canon {
  nodes: string[];
  instances: string[];
  failures: string[];
  clusterMaintenance: boolean;
}

/** crm_mon's view, in comparable strings. `maintenance-mode` is read from <cluster_options> directly. */
function canonFromCrmMon(m: MonState): Canon {
  return {
    nodes: m.nodes.map((n) => `${n.name} online=${n.online} standby=${n.standby} maintenance=${n.maintenance}`).sort(),
    instances: m.resources.map((r) => `${r.id} ${r.role} @${[...r.nodes].sort().join(',')}`).sort(),
    failures: m.failures.map((f) => `${f.opKey.replace(/_[a-z_]+_\d+$/, '')} ${f.task} on ${f.node}: ${f.exitstatus} (${f.exitreason})`).sort(),
    clusterMaintenance: /<cluster_options\b[^>]*\bmaintenance-mode="true"/.test(m.xml),
  };
}

interface JsonResource {
  id: string;
  kind: string;
  role: string | null;
  nodes: string[];
  members: JsonResource[];
}
interface StatusJson {
  source: string;
  cluster: { options: { maintenanceMode: boolean | null } };
  nodes: { name: string; online: boolean; standby: boolean; maintenance: boolean }[];
  resources: JsonResource[];
  vips: { resource: string; nodes: string[] }[];
  failures: { resource: string; operation: string; node: string; rcText: string; exitReason: string | null }[];
  health: { verdict: string; reasons: { code: string; subject: string; fix: string | null }[] };
}

function canonFromPcx(j: StatusJson): Canon {
  const primitives = (rs: JsonResource[]): JsonResource[] => rs.flatMap((r) => (r.kind === 'primitive' ? [r] : primitives(r.members)));
  return {
    nodes: j.nodes.map((n) => `${n.name} online=${n.online} standby=${n.standby} maintenance=${n.maintenance}`).sort(),
    instances: primitives(j.resources).map((p) => `${p.id} ${p.role} @${[...p.nodes].sort().join(',')}`).sort(),
    failures: j.failures.map((f) => `${f.resource} ${f.operation} on ${f.node}: ${f.rcText} (${f.exitReason ?? ''})`).sort(),
    clusterMaintenance: j.cluster.options.maintenanceMode === true,
  };
}

/** crm_mon's XML with the same options pcx uses (--inactive: stopped instances listed too), via the system ssh. */
async function crmMon(host: string): Promise<MonState> {
  return parseCrmMon(await sshOk(host, ['crm_mon', '--one-shot', '--inactive', '--output-as=xml']));
}

const TRANSITIONAL = /^(Starting|Stopping|Promoting|Demoting|Migrating)$/;
const rolesOf = (m: MonState, id: string, role: string) => m.resources.filter((r) => r.id === id && r.role === role).flatMap((r) => r.nodes).sort();

// ---------------------------------------------------------------- running things

const CACHE_DIR = mkdtempSync(path.join(tmpdir(), 'pcx-cache-'));

function pcx(args: readonly string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', tsxLoader, path.join(repoRoot, 'src', 'cli', 'pcx.ts'), 'status', '--ssh-config', SSH_CONFIG, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    // Its own cache of remembered nodes (fallbacks), so runs elsewhere do not change what this file sees.
    env: { ...process.env, NO_COLOR: '1', PCX_CACHE_DIR: CACHE_DIR },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function ensureSeed(): void {
  const r = spawnSync('bash', [CLUSTER_SH, 'ensure', 'seed'], { encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0) throw new Error(`cluster.sh ensure seed failed (exit ${r.status}): ${(r.stderr || r.stdout).slice(-1500)}`);
}

/** Let the DC finish its transition, then poll crm_mon until `settled` says this is the state we drove to. */
async function settle(what: string, settled: (m: MonState) => boolean, from = 'node1'): Promise<MonState> {
  let last: MonState | undefined;
  return waitFor(
    what,
    SETTLE_MS,
    async () => {
      await sshOk(from, ['crm_resource', '--wait', '--timeout=30s'], { timeoutMs: 40_000 }).catch(() => undefined);
      last = await crmMon(from);
      return settled(last) && !last.resources.some((r) => TRANSITIONAL.test(r.role)) ? last : undefined;
    },
    () => (last ? describeMon(last) : 'nothing yet'),
    1000,
  );
}

/**
 * crm_mon, then pcx --json and pcx text, then crm_mon again; retried while the two crm_mon readings differ
 * (the cluster moved). Returns the agreed crm_mon view and pcx's outputs.
 */
async function observe(t: TestContext, host = 'node1') {
  for (let round = 1; ; round++) {
    const before = await crmMon(host);
    const json = pcx(['--host', host, '--json']);
    const text = pcx(['--host', host]);
    const after = await crmMon(host);
    const stable = JSON.stringify(canonFromCrmMon(before)) === JSON.stringify(canonFromCrmMon(after));
    if (stable || round >= 4) {
      if (!stable) t.diagnostic(`cluster kept moving during 4 rounds; comparing with the last crm_mon reading`);
      t.diagnostic(`crm_mon: ${describeMon(after)}${round > 1 ? ` (round ${round})` : ''}`);
      assert.ok(json.code === 0 || json.code === 1, `pcx status --json exit ${json.code}: ${json.stderr}`);
      return { mon: after, json: JSON.parse(json.stdout) as StatusJson, jsonCode: json.code, text: text.stdout, textCode: text.code, textErr: text.stderr };
    }
  }
}

/** The whole comparison: JSON vs crm_mon, text names the same things, exit code goes with the verdict. */
function agree(o: Awaited<ReturnType<typeof observe>>, expectExit: number): void {
  const want = canonFromCrmMon(o.mon);
  const got = canonFromPcx(o.json);
  assert.deepEqual(got, want, `pcx --json vs crm_mon XML\ncrm_mon: ${describeMon(o.mon)}`);
  assert.equal(o.jsonCode, expectExit, `exit code of pcx status --json (verdict ${o.json.health.verdict})`);
  assert.equal(o.textCode, expectExit, `exit code of pcx status: ${o.textErr}`);
  assert.equal(o.json.source, 'node1');

  // Text: every node with its state words, every instance's role on its node, every failure, the VIP's node.
  const lines = o.text.split('\n');
  for (const n of o.mon.nodes) {
    const line = lines.find((l) => new RegExp(`^ {2}[●○] ${n.name} {2}`).test(l));
    assert.ok(line, `a node line for ${n.name}:\n${o.text}`);
    assert.match(line, n.online ? /\bonline\b/ : /\bOFFLINE\b/, line);
    assert.equal(/\bstandby\b/.test(line), n.standby, `standby on ${line}`);
    assert.equal(/\bmaintenance\b/.test(line), n.maintenance, `maintenance on ${line}`);
  }
  const start = o.text.indexOf('\nResources\n');
  assert.ok(start >= 0, 'a Resources section');
  const resourcesBlock = o.text.slice(start, o.text.indexOf('\n\n', start + 1));
  for (const r of o.mon.resources) {
    for (const node of r.nodes) assert.match(resourcesBlock, new RegExp(`${r.role} on [^·\\n]*\\b${node}\\b`), `${r.id} ${r.role} on ${node} in the text`);
    if (r.role === 'Stopped') assert.match(resourcesBlock, /Stopped/, `${r.id} stopped instance in the text`);
  }
  for (const f of o.mon.failures) {
    assert.match(o.text, new RegExp(`✗ redis ${f.task} on ${f.node}: ${f.exitstatus} \\(rc \\d+`), `failure ${f.opKey} on ${f.node} in the text`);
  }
  const vipNodes = o.mon.resources.filter((r) => r.id === 'VIP').flatMap((r) => r.nodes);
  if (vipNodes.length) assert.match(o.text, new RegExp(`\\n {2}${VIP.replace(/\./g, '\\.')}/24 on ${vipNodes.join(', ')} `), 'where the VIP is');
  assert.equal(/maintenance-mode is on/.test(o.text), want.clusterMaintenance, 'maintenance-mode in the text');
  assert.match(o.text, expectExit === 0 ? /\nHEALTHY: / : /\nDEGRADED: /);
}

const isSeed = (m: MonState) =>
  m.nodes.every((n) => n.online && !n.standby && !n.maintenance) &&
  rolesOf(m, 'redis', 'Promoted').join() === 'node1' &&
  rolesOf(m, 'redis', 'Unpromoted').join() === 'node2' &&
  rolesOf(m, 'VIP', 'Started').join() === 'node1' &&
  m.failures.length === 0 &&
  !/maintenance-mode="true"/.test(m.xml);

describe('pcx status vs crm_mon, state by state (mutates the cluster; restores seed)', () => {
  before(async () => {
    requireCluster();
    if (!isSeed(await crmMon('node1').catch(() => ({ nodes: [], resources: [], failures: [], xml: '', dc: undefined }) as MonState))) ensureSeed();
  });
  after(() => ensureSeed());

  test('healthy (seed): both online, redis Promoted node1 / Unpromoted node2, VIP node1 → agrees, exit 0', async (t) => {
    await settle('the seed state', isSeed);
    const o = await observe(t);
    agree(o, 0);
    assert.deepEqual(o.json.vips.map((v) => v.nodes), [['node1']]);
  });

  test('node2 in standby (pcs node standby node2) → agrees, node2 standby with the unstandby command, exit 1', async (t) => {
    await sshOk('node1', ['pcs', 'node', 'standby', 'node2']);
    try {
      const t0 = Date.now();
      await settle('node2 in standby with no redis instance on it', (m) =>
        m.nodes.some((n) => n.name === 'node2' && n.standby) && !m.resources.some((r) => r.nodes.includes('node2')) && rolesOf(m, 'redis', 'Promoted').join() === 'node1');
      t.diagnostic(`settled in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      const o = await observe(t);
      agree(o, 1);
      assert.ok(o.json.health.reasons.some((r) => r.code === 'node-standby' && r.subject === 'node2' && /pcs node unstandby node2/.test(r.fix ?? '')));
      assert.match(o.text, /\n {6}Promoted on node1 · Stopped on node2\n/);
    } finally {
      await sshOk('node1', ['pcs', 'node', 'unstandby', 'node2']);
    }
    await settle('node2 back from standby (seed)', isSeed);
  });

  test('maintenance-mode (pcs property set maintenance-mode=true) → agrees, flagged, resources unmanaged in place, exit 1', async (t) => {
    await sshOk('node1', ['pcs', 'property', 'set', 'maintenance-mode=true']);
    try {
      await settle('maintenance-mode on, roles unchanged', (m) => /maintenance-mode="true"/.test(m.xml) && rolesOf(m, 'redis', 'Promoted').join() === 'node1' && rolesOf(m, 'redis', 'Unpromoted').join() === 'node2');
      const o = await observe(t);
      agree(o, 1);
      assert.ok(o.json.health.reasons.some((r) => r.code === 'cluster-maintenance'));
      assert.match(o.text, /redis-clone {2}promotable clone of ocf:heartbeat:redis {2}\[unmanaged\]/);
    } finally {
      await sshOk('node1', ['pcs', 'property', 'unset', 'maintenance-mode']);
    }
    await settle('maintenance-mode off again (seed)', isSeed);
  });

  test('pacemaker stopped on node2 (pcs cluster stop there) → from node1 agrees, node2 OFFLINE, exit 1; node2 itself says pacemaker-down', async (t) => {
    await sshOk('node2', ['pcs', 'cluster', 'stop'], { timeoutMs: 120_000 });
    try {
      await settle('node2 offline, redis Promoted on node1', (m) => m.nodes.some((n) => n.name === 'node2' && !n.online) && rolesOf(m, 'redis', 'Promoted').join() === 'node1');
      const o = await observe(t);
      agree(o, 1);
      assert.ok(o.json.health.reasons.some((r) => r.code === 'node-offline' && r.subject === 'node2' && /pcs cluster start node2/.test(r.fix ?? '')));

      const down = pcx(['--host', 'node2', '--no-fallback']);
      assert.equal(down.code, 2, down.stderr);
      assert.match(down.stderr, /^pcx status: node2: the cluster stack is not running on node2 \(crm_mon: .*\n {2}→ Start it on node2 \(pcs cluster start/);
      const fallback = pcx(['--host', 'node2', '--host', 'node1', '--json']);
      assert.equal(fallback.code, 1, fallback.stderr);
      assert.match(fallback.stderr, /^pcx status: warning: skipped node2 \(cluster stack down\): the cluster stack is not running on node2/m);
      assert.equal((JSON.parse(fallback.stdout) as StatusJson).source, 'node1');
    } finally {
      await sshOk('node2', ['pcs', 'cluster', 'start'], { timeoutMs: 120_000 });
    }
    await settle('node2 back online (seed)', isSeed);
  });

  test('redis killed on node1, before cleanup → agrees: failed action on node1 with rc text, node2 Promoted with the VIP, cleanup hint, exit 1', async (t) => {
    await sshOk('node1', ['pkill', '-KILL', '-x', 'redis-server']);
    const t0 = Date.now();
    await settle('failover: a failed redis action on node1, redis Promoted on node2, VIP on node2', (m) =>
      m.failures.some((f) => f.node === 'node1' && f.opKey.startsWith('redis_')) && rolesOf(m, 'redis', 'Promoted').join() === 'node2' && rolesOf(m, 'VIP', 'Started').join() === 'node2');
    t.diagnostic(`failover settled in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const o = await observe(t);
    agree(o, 1);
    const f = o.json.failures.find((x) => x.node === 'node1');
    assert.ok(f && f.resource === 'redis' && f.rcText.length > 0, 'the failure has its rc text');
    assert.ok(o.json.health.reasons.some((r) => r.code === 'failed-action' && r.subject === 'redis' && /pcs resource cleanup redis/.test(r.fix ?? '')));
    assert.match(o.text, /→ .*run `pcs resource cleanup redis` \(or `crm resource cleanup redis`\)/);
    // (seed is restored in after(): with resource-stickiness=INFINITY node2 stays Promoted after a cleanup)
  });
});
