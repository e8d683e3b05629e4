/**
 * `pcx status --host node1` when node1 dies, against the real cluster: the cluster's other node is tried (and
 * said so on stderr), `--no-fallback` turns that off.
 *
 *  - node1's CIB daemon stopped with SIGSTOP (node1 reachable, its cluster tools hang): read through node2,
 *    found in node1's own corosync nodelist; node1 reported as not answering (or, once libqb gives up on the
 *    stopped daemon, cluster stack down). SIGCONT afterwards.
 *  - node1's network cut (its veth on the host side set down: node1 loses carrier, so its IPaddr2 agent cannot
 *    bring the link back up as it does after `ip link set eth0 down` inside the node): node1 cannot say who the
 *    other nodes are, so node2 comes from what pcx remembered from the earlier good read. Within 15 s of the cut
 *    the answer is node1 OFFLINE, redis Promoted on node2, read through node2. Link restored → node1 again.
 * The cluster is put back to the seed state at the end.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CLUSTER_INSTANCE, SSH_CONFIG, pcxStatusAsync, requireCluster, ssh } from './helpers';

const repoRoot = path.resolve(__dirname, '..', '..');
const CLUSTER_SH = path.join(repoRoot, 'test', 'cluster', 'cluster.sh');
const tsxLoader = pathToFileURL(require.resolve('tsx')).href;
/** node1's veth on the host side (cluster.sh: pcxv-NODE for instance 0, pcxvN-NODE otherwise). */
const NODE1_VETH = CLUSTER_INSTANCE === 0 ? 'pcxv-node1' : `pcxv${CLUSTER_INSTANCE}-node1`;
const CACHE_DIR = mkdtempSync(path.join(tmpdir(), 'pcx-cache-'));

interface Json {
  source: string;
  nodes: { name: string; online: boolean }[];
  resources: { id: string; placement: { role: string; nodes: string[] }[] }[];
}

function pcx(args: readonly string[]): { code: number | null; stdout: string; stderr: string; ms: number } {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, ['--import', tsxLoader, path.join(repoRoot, 'src', 'cli', 'pcx.ts'), 'status', '--ssh-config', SSH_CONFIG, ...args], {
    encoding: 'utf8',
    timeout: 90_000,
    env: { ...process.env, NO_COLOR: '1', PCX_CACHE_DIR: CACHE_DIR },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - t0 };
}

/** The same as pcx(), without blocking this process (so two runs can overlap). */
function pcxAsync(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  return pcxStatusAsync(args, CACHE_DIR);
}

const show = (r: { code: number | null; stdout: string; stderr: string }) => `exit ${r.code}\n--- stderr\n${r.stderr}\n--- stdout\n${r.stdout.slice(0, 600)}`;
const promotedOn = (j: Json) => j.resources.find((r) => r.id === 'redis-clone')?.placement.find((p) => p.role === 'Promoted')?.nodes ?? [];
const node1Online = (j: Json) => j.nodes.find((n) => n.name === 'node1')?.online;

function cluster(...args: string[]): void {
  execFileSync('bash', [CLUSTER_SH, ...args], { stdio: 'ignore', timeout: 600_000 });
}

describe('pcx status --host node1 falls back to the other node', { timeout: 600_000 }, () => {
  before(() => {
    requireCluster();
    cluster('ensure', 'seed');
  });
  after(() => {
    // Whatever happened: link up, daemon running, cluster back to seed.
    spawnSync('ip', ['link', 'set', NODE1_VETH, 'up']);
    spawnSync('bash', [CLUSTER_SH, 'ssh', 'node1', 'pkill', '-CONT', '-x', 'pacemaker-based']);
    cluster('ensure', 'seed');
  });

  test('a good read remembers the cluster\'s nodes (names and how to reach them only)', () => {
    const r = pcx(['--host', 'node1', '--json']);
    assert.equal(r.code, 0, show(r));
    assert.equal((JSON.parse(r.stdout) as Json).source, 'node1');
    const saved = JSON.parse(readFileSync(path.join(CACHE_DIR, 'cluster-nodes.json'), 'utf8')) as Record<string, { hosts: string[] }>;
    assert.deepEqual(Object.values(saved).map((e) => e.hosts), [['node1', 'node2']]);
  });

  test('node1\'s CIB daemon stopped (SIGSTOP): read through node2, node1 named as not answering; --no-fallback refuses', async () => {
    const stop = await ssh('node1', ['pkill', '-STOP', '-x', 'pacemaker-based']);
    assert.equal(stop.code, 0, `SIGSTOP pacemaker-based on node1: ${stop.stderr}`);
    try {
      // Both runs at once: pacemakerd kills a CIB daemon that stays unresponsive for ~30 s (5 checks 7 s apart) and
      // node1's controller then shuts down, so the stop must stay well under that (each run waits 20 s for node1).
      const [r, strict] = await Promise.all([pcxAsync(['--host', 'node1', '--json']), pcxAsync(['--host', 'node1', '--no-fallback'])]);
      console.log(`SIGSTOP: pcx status --host node1 answered in ${r.ms} ms, exit ${r.code}\n${r.stderr}`);
      assert.equal(r.code, 1, `read through a fallback is at best degraded\n${show(r)}`);
      assert.equal((JSON.parse(r.stdout) as Json).source, 'node2');
      assert.match(r.stderr, /^pcx status: trying node2, another node of the cluster \(from node1's corosync nodelist\); --no-fallback turns this off$/m);
      assert.match(r.stderr, /^pcx status: warning: skipped node1 \((not answering|cluster stack down)\): /m);
      assert.equal(strict.code, 2, show(strict));
      assert.doesNotMatch(strict.stderr, /trying node2/);
    } finally {
      await ssh('node1', ['pkill', '-CONT', '-x', 'pacemaker-based']);
    }
  });

  test('node1\'s network cut: within 15 s node1 OFFLINE and redis Promoted on node2, read through node2; link back → node1', async () => {
    // The SIGSTOP case leaves the cluster as it was (seed); the cut splits it, `after` restores the seed.
    const cutAt = Date.now();
    execFileSync('ip', ['link', 'set', NODE1_VETH, 'down']);
    let last: ReturnType<typeof pcx> | undefined;
    try {
      // One run takes a few seconds while node1's address still looks alive (ConnectTimeout 5): the bound is on the
      // run started within 15 s of the cut, as a user typing the command again would see it.
      for (;;) {
        const startedAt = Date.now();
        assert.ok(startedAt - cutAt < 15_000, `no run started within 15 s of the cut showed node1 OFFLINE and redis Promoted on node2 through node2\n${last ? show(last) : ''}`);
        last = pcx(['--host', 'node1', '--json']);
        const j = last.code === 1 ? (JSON.parse(last.stdout) as Json) : undefined;
        if (j && j.source === 'node2' && node1Online(j) === false && promotedOn(j).join() === 'node2') {
          console.log(`network cut: node1 OFFLINE + redis Promoted on node2 (through node2) from the run started ${startedAt - cutAt} ms after the cut (answered after ${Date.now() - cutAt} ms)\n${last.stderr}`);
          break;
        }
      }
      assert.match(last.stderr, /^pcx status: trying node2, another node of the cluster \(remembered from an earlier read, /m);
      assert.match(last.stderr, /^pcx status: warning: skipped node1 \(unreachable\): /m);
    } finally {
      execFileSync('ip', ['link', 'set', NODE1_VETH, 'up']);
    }
    const upAt = Date.now();
    for (;;) {
      last = pcx(['--host', 'node1', '--json']);
      if (last.code !== 2 && (JSON.parse(last.stdout) as Json).source === 'node1') break;
      assert.ok(Date.now() - upAt < 60_000, `node1 not read again within 60 s of the link coming back\n${show(last)}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
    console.log(`link restored: read from node1 again after ${Date.now() - upAt} ms`);
  });
});
