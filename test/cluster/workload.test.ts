/**
 * The workload view against the real test cluster: Redis's own replication state read with ioredis through
 * an SSH tunnel on each node's pooled connection, and where the VIP really is, next to Pacemaker's roles.
 *
 * States, each driven with the user's own commands and undone at the end: healthy; redis-server killed on the
 * Promoted node (before and after `pcs resource cleanup`); two Redis masters (REPLICAOF NO ONE on the replica,
 * with the clone in maintenance so Pacemaker's monitor does not repair it within seconds); the VIP added by
 * hand on the other node; requirepass + masterauth on both instances. Each is checked through the core
 * (readWorkload) and through `pcx status` (text, --json, exit code). The seed state is restored after each.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { fetchClusterXml, parseClusterXml, type ClusterTarget } from '../../src/core/cluster/live';
import { buildSnapshot } from '../../src/core/cluster/snapshot';
import { CommandRunner } from '../../src/core/remote/runner';
import { SshPool } from '../../src/core/ssh/pool';
import { readWorkload, type PasswordSource } from '../../src/core/workload/read';
import { redisOverStream } from '../../src/core/workload/redis/service';
import type { WorkloadReport } from '../../src/core/workload/types';
import { crmMon, describe as describeMon, nodesInRole, requireCluster, ssh, sshOk, SSH_CONFIG, VIP, waitFor } from './helpers';

const CLUSTER_SH = path.join(__dirname, 'cluster.sh');
const repoRoot = path.join(__dirname, '..', '..');
const tsxLoader = pathToFileURL(require.resolve('tsx')).href;
const TARGET: ClusterTarget = { name: 'test', hosts: ['node1', 'node2'], sshConfigPath: SSH_CONFIG };
const SETTLE_MS = 90_000;

function clusterSh(verb: string): void {
  const r = spawnSync('bash', [CLUSTER_SH, verb, ...(verb === 'ensure' ? ['seed'] : [])], { encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0) throw new Error(`cluster.sh ${verb} failed (exit ${r.status}): ${(r.stderr || r.stdout).slice(-1500)}`);
}

function pcx(args: readonly string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, ['--import', tsxLoader, path.join(repoRoot, 'src', 'cli', 'pcx.ts'), 'status', '--ssh-config', SSH_CONFIG, '--host', 'node1', ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, NO_COLOR: '1', REDISCLI_AUTH: '', ...env },
    input: '',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let pool: SshPool;

function parseOk(xml: Awaited<ReturnType<typeof fetchClusterXml>>) {
  const p = parseClusterXml(xml);
  if (!p.ok) throw new Error(p.error.message);
  return p.value;
}

async function read(passwords?: PasswordSource): Promise<WorkloadReport> {
  const parsed = parseOk(await fetchClusterXml(TARGET, { pool }));
  return readWorkload(buildSnapshot(parsed.crmMon, parsed.cib), TARGET, { pool, passwords });
}

const redisOf = (r: WorkloadReport) => r.services.find((s) => s.kind === 'redis')!;
const inst = (r: WorkloadReport, node: string) => redisOf(r).instances.find((i) => i.node === node)!;
const codes = (r: WorkloadReport) => r.reasons.map((x) => x.code).sort();
const brief = (r: WorkloadReport) =>
  redisOf(r).instances.map((i) => `${i.node}:${i.pacemakerRole}/${i.state}/${i.replication?.role ?? '-'}${i.sourceNode ? `<-${i.sourceNode}` : ''}${i.replication?.linkUp === false ? '(link down)' : ''}`).join(' ') + ` reasons=[${codes(r).join(',')}]`;

/** Reads until `ok` holds (the cluster and Redis settle at their own pace), with what was seen last on timeout. */
async function readUntil(what: string, ok: (r: WorkloadReport) => boolean, passwords?: PasswordSource): Promise<WorkloadReport> {
  let last = '';
  return waitFor(what, SETTLE_MS, async () => {
    const r = await read(passwords);
    last = brief(r);
    return ok(r) ? r : undefined;
  }, () => last, 1000);
}

/** Redis commands on a node through our own tunnel, so a password never appears in a command line. */
async function redisOn(node: string, commands: string[][], password?: string): Promise<void> {
  const connection = await pool.get({ host: node, sshConfigPath: SSH_CONFIG });
  const stream = await connection.forwardOut('127.0.0.1', 6379);
  const client = redisOverStream(stream, { password }, 5000);
  try {
    await client.connect();
    for (const c of commands) await client.call(c[0]!, ...c.slice(1));
  } finally {
    client.disconnect();
  }
}

async function setRedisMaintenance(on: boolean): Promise<void> {
  await sshOk('node1', ['pcs', 'resource', 'meta', 'redis-clone', on ? 'maintenance=true' : 'maintenance=']);
  await waitFor(`redis-clone ${on ? 'in' : 'out of'} maintenance`, SETTLE_MS, async () => (/<clone id="redis-clone"[^>]*managed="false"/.test((await crmMon('node1')).xml) === on ? true : undefined));
}

/** redis.conf on a node, read and appended to over our own connection (text on stdin, never in a command line). */
async function redisConf(node: string): Promise<string> {
  const r = await new CommandRunner(await pool.get({ host: node, sshConfigPath: SSH_CONFIG }), 'root').run(['cat', '/etc/redis/redis.conf']);
  return r.stdout;
}
async function writeRedisConf(node: string, text: string): Promise<void> {
  const r = await new CommandRunner(await pool.get({ host: node, sshConfigPath: SSH_CONFIG }), 'root').run(['tee', '/etc/redis/redis.conf'], { stdin: text });
  assert.equal(r.code, 0, r.stderr);
}

describe('workload view against the test cluster', () => {
  before(async () => {
    requireCluster();
    clusterSh('ensure');
    pool = new SshPool({}, { attempts: 2 });
  });
  after(() => pool?.closeAll());

  test('healthy: master next to Promoted, replica with link up next to Unpromoted, VIP where Pacemaker says; no workload check fires', async () => {
    const r = await readUntil('the seed state as Redis sees it', (x) => x.reasons.length === 0 && inst(x, 'node2').replication?.linkUp === true);
    assert.equal(inst(r, 'node1').pacemakerRole, 'Promoted');
    assert.equal(inst(r, 'node1').replication?.role, 'primary');
    assert.equal(inst(r, 'node1').replication?.replicas?.length, 1);
    assert.equal(inst(r, 'node2').pacemakerRole, 'Unpromoted');
    assert.equal(inst(r, 'node2').replication?.role, 'replica');
    assert.equal(inst(r, 'node2').sourceNode, 'node1');
    assert.equal(inst(r, 'node2').lagBytes, 0);
    assert.deepEqual(r.vips.map((v) => [v.ip, v.pacemakerNodes, v.actual.map((a) => a.node)]), [[VIP, ['node1'], ['node1']]]);
    // Cost on warm connections (what each full refresh pays).
    const times: number[] = [];
    const parsed = parseOk(await fetchClusterXml(TARGET, { pool }));
    const snapshot = buildSnapshot(parsed.crmMon, parsed.cib);
    for (let i = 0; i < 5; i++) times.push((await readWorkload(snapshot, TARGET, { pool })).ms);
    times.sort((a, b) => a - b);
    console.log(`workload read on warm connections: median ${times[2]!.toFixed(1)} ms, max ${times[4]!.toFixed(1)} ms (2 nodes: INFO replication + ip addr each)`);
    const out = pcx([]);
    assert.equal(out.code, 0, out.stdout + out.stderr);
    assert.match(out.stdout, /node1\s+Promoted\s+master · 1 replica/);
    assert.match(out.stdout, /node2\s+Unpromoted\s+replica of node1 · link up · lag 0 B/);
    assert.doesNotMatch(out.stdout, /workload\//);
  });

  test('redis-server killed on the Promoted node: node2 master and node1 down before cleanup; after cleanup node1 a replica of node2, link up', async () => {
    try {
      await sshOk('node1', ['pkill', '-x', 'redis-server']);
      const before = await readUntil('node2 master and node1 down', (x) => inst(x, 'node2').replication?.role === 'primary' && inst(x, 'node1').state === 'down' && inst(x, 'node2').pacemakerRole === 'Promoted');
      assert.equal(inst(before, 'node1').pacemakerRole, 'Stopped');
      assert.deepEqual(codes(before), [], 'Redis agrees with Pacemaker: no workload check fires');
      const text = pcx([]);
      assert.match(text.stdout, /node1\s+Stopped\s+Redis down/);
      assert.match(text.stdout, /node2\s+Promoted\s+master/);
      await sshOk('node1', ['pcs', 'resource', 'cleanup', 'redis']);
      const afterCleanup = await readUntil('node1 a replica of node2 with its link up', (x) => inst(x, 'node1').pacemakerRole === 'Unpromoted' && inst(x, 'node1').replication?.role === 'replica' && inst(x, 'node1').sourceNode === 'node2' && inst(x, 'node1').replication?.linkUp === true);
      assert.equal(inst(afterCleanup, 'node1').pacemakerRole, 'Unpromoted');
      assert.equal(inst(afterCleanup, 'node2').replication?.role, 'primary');
      assert.deepEqual(codes(afterCleanup), []);
    } finally {
      clusterSh('reset');
    }
  });

  test('REPLICAOF NO ONE on the replica → workload/redis-split-brain in the core and in pcx status (text, --json, exit 1)', async () => {
    try {
      // Without maintenance, Pacemaker's 5 s monitor sees the unexpected master and stops it (seen on this cluster).
      await setRedisMaintenance(true);
      await sshOk('node2', ['redis-cli', 'REPLICAOF', 'NO', 'ONE']);
      const r = await readUntil('two masters', (x) => codes(x).includes('workload/redis-split-brain'));
      const reason = r.reasons.find((x) => x.code === 'workload/redis-split-brain')!;
      assert.equal(reason.severity, 'error');
      assert.match(reason.fix ?? '', /REPLICAOF node1 6379` on node2/);
      const text = pcx([]);
      assert.equal(text.code, 1, text.stdout + text.stderr);
      assert.match(text.stdout, /2 Redis masters at once: node1 \(Pacemaker: Promoted\), node2 \(Pacemaker: Unpromoted\)/);
      const json = pcx(['--json']);
      assert.equal(json.code, 1);
      const j = JSON.parse(json.stdout) as { health: { verdict: string; reasons: { code: string; severity: string }[] }; workload: { services: { instances: { node: string; role: string }[] }[] } };
      assert.equal(j.health.verdict, 'degraded');
      assert.ok(j.health.reasons.some((x) => x.code === 'workload/redis-split-brain' && x.severity === 'error'));
      assert.deepEqual(j.workload.services[0]!.instances.map((i) => i.role), ['master', 'master']);
    } finally {
      await ssh('node2', ['redis-cli', 'REPLICAOF', 'node1', '6379']);
      await ssh('node1', ['pcs', 'resource', 'meta', 'redis-clone', 'maintenance=']);
      clusterSh('reset');
    }
  });

  test('the VIP added by hand on the other node → workload/vip-duplicate (error) with the exact command that removes it', async () => {
    try {
      await sshOk('node2', ['ip', 'addr', 'add', `${VIP}/24`, 'dev', 'eth0']);
      const r = await readUntil('the VIP on two nodes', (x) => codes(x).includes('workload/vip-duplicate'));
      const reason = r.reasons.find((x) => x.code === 'workload/vip-duplicate')!;
      assert.equal(reason.severity, 'error');
      assert.equal(reason.fix, `remove the stray address: \`ip addr del ${VIP}/24 dev eth0\` on node2`);
      const json = pcx(['--json']);
      assert.equal(json.code, 1);
      assert.ok((JSON.parse(json.stdout) as { health: { reasons: { code: string }[] } }).health.reasons.some((x) => x.code === 'workload/vip-duplicate'));
    } finally {
      await ssh('node2', ['ip', 'addr', 'del', `${VIP}/24`, 'dev', 'eth0']);
    }
    const clean = await readUntil('the VIP on node1 only', (x) => x.reasons.length === 0);
    assert.deepEqual(clean.vips[0]!.actual.map((a) => a.node), ['node1']);
  });

  test('requirepass + masterauth on both: unreachable with how to give it; works once the password is given (asked once); the password appears in no output or temp file', async () => {
    const password = `pcx-test-${process.pid}-${Date.now().toString(36)}`;
    const temp = mkdtempSync(path.join(tmpdir(), 'pcx-workload-'));
    try {
      // The agent's monitor reads requirepass from redis.conf, so it goes there first (redis-cli with a password
      // works against a Redis without one), unquoted: the agent (resource-agents 4.12) takes quotes literally, so
      // CONFIG REWRITE's `requirepass "…"` makes every monitor fail (seen here). Then into the running servers.
      for (const n of ['node1', 'node2']) await writeRedisConf(n, (await redisConf(n)) + `requirepass ${password}\nmasterauth ${password}\n`);
      for (const n of ['node1', 'node2']) await redisOn(n, [['CONFIG', 'SET', 'masterauth', password]]);
      for (const n of ['node1', 'node2']) await redisOn(n, [['CONFIG', 'SET', 'requirepass', password]]);
      const refused = await read();
      assert.deepEqual(redisOf(refused).instances.map((i) => i.state), ['auth-needed', 'auth-needed']);
      const unreachable = refused.reasons.filter((x) => x.code === 'workload/redis-unreachable');
      assert.equal(unreachable.length, 2);
      assert.match(unreachable[0]!.message, /asks for a password \(requirepass\)/);

      let asked = 0;
      const given = await read({ get: () => undefined, ask: async () => (asked++, password), hint: 'test' });
      assert.equal(asked, 1, 'asked once for both nodes');
      assert.deepEqual(codes(given), []);
      assert.equal(inst(given, 'node2').replication?.linkUp, true);

      const noPassword = pcx([], { TMPDIR: temp });
      assert.equal(noPassword.code, 1);
      assert.match(noPassword.stdout, /workload\/|asks for a password/);
      assert.match(noPassword.stdout, /REDISCLI_AUTH/);
      const withPassword = pcx(['--json'], { REDISCLI_AUTH: password, TMPDIR: temp });
      assert.equal(withPassword.code, 0, withPassword.stdout.slice(-1500));
      for (const out of [noPassword.stdout, noPassword.stderr, withPassword.stdout, withPassword.stderr]) assert.ok(!out.includes(password), 'password in pcx output');
      const files = (dir: string): string[] => readdirSync(dir).flatMap((f) => (statSync(path.join(dir, f)).isDirectory() ? files(path.join(dir, f)) : [path.join(dir, f)]));
      for (const f of files(temp)) assert.ok(!readFileSync(f, 'utf8').includes(password), `password in ${f}`);
    } finally {
      // Reverse order: the servers first (the agent's password is then merely unneeded), then the file.
      for (const n of ['node1', 'node2']) {
        await redisOn(n, [['CONFIG', 'SET', 'requirepass', ''], ['CONFIG', 'SET', 'masterauth', '']], password).catch(() => redisOn(n, [['CONFIG', 'SET', 'masterauth', '']]));
        await writeRedisConf(n, (await redisConf(n)).split('\n').filter((l) => !l.includes(password)).join('\n'));
        assert.ok(!(await redisConf(n)).includes(password), `password left in redis.conf on ${n}`);
      }
      rmSync(temp, { recursive: true, force: true });
      clusterSh('reset');
    }
    const back = await readUntil('Redis without a password again', (x) => x.reasons.length === 0);
    assert.equal(inst(back, 'node1').state, 'up');
    const state = await crmMon('node1');
    assert.deepEqual(nodesInRole(state, 'redis', 'Promoted'), ['node1'], describeMon(state));
  });
});
