/**
 * Operations against the real test cluster, once per backend the nodes have (pcs, crmsh, Pacemaker's tools):
 * switchover redis to node2 (and, in one round, back), kill redis-server on node2 → cleanup, standby/unstandby node2,
 * maintenance-mode on/off, move + clear of the VIP. For each: the preview's predicted roles and locations must equal
 * what then happened — checked through the outcome AND through an independent crm_mon read over the system ssh
 * (test/cluster/helpers.ts) — and no cli- constraint may be left behind. The pcs round drives its switchover
 * through `pcx switchover … --yes` with nothing but ~/.ssh/config pointing at the cluster (a fresh HOME).
 *
 * Every round ends in the seed state (node1 Promoted, VIP on node1); a failed round restores it with
 * `cluster.sh ensure seed`.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ClusterTarget } from '../../src/core/cluster/live';
import { executePlan, type OperationOutcome } from '../../src/core/operations/execute';
import { placementKey, type Placement } from '../../src/core/operations/clusterPlacement';
import type { OperationPlan } from '../../src/core/operations/preview';
import { prepareOperation } from '../../src/core/operations/prepare';
import type { Backend, OperationRequest } from '../../src/core/operations/types';
import { capabilitiesOf } from '../../src/core/remote/capabilities';
import { CommandRunner } from '../../src/core/remote/runner';
import { SshPool } from '../../src/core/ssh/pool';
import { crmMon, describe as describeMon, ipv4Addresses, nodesInRole, replicationInfo, requireCluster, sshOk, SSH_CONFIG, VIP, waitFor, type MonState } from './helpers';

const repoRoot = path.join(__dirname, '..', '..');
const CLUSTER_SH = path.join(__dirname, 'cluster.sh');
const tsxLoader = pathToFileURL(require.resolve('tsx')).href;
const target: ClusterTarget = { name: 'cluster1', hosts: ['node1', 'node2'], sshConfigPath: SSH_CONFIG };

let pool: SshPool;
let backends: Backend[] = [];
const timings: string[] = [];

function ensureSeed(): void {
  const r = spawnSync('bash', [CLUSTER_SH, 'ensure', 'seed'], { encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0) throw new Error(`cluster.sh ensure seed failed (exit ${r.status}): ${(r.stderr || r.stdout).slice(-1500)}`);
}

/** Placement lines from the independent crm_mon reading, in the same form as the core's. */
function independentPlacement(m: MonState): string[] {
  const roles = (id: string) => {
    const parts: string[] = [];
    for (const role of ['Promoted', 'Unpromoted', 'Started']) {
      const nodes = nodesInRole(m, id, role);
      if (nodes.length) parts.push(`${role} ${nodes.join(', ')}`);
    }
    return parts.join('; ') || 'stopped';
  };
  return [`redis-clone: ${roles('redis')}`, `VIP: ${roles('VIP')}`].sort();
}

const keys = (p: Placement) => p.resources.map(placementKey).sort();

async function cliConstraints(): Promise<string[]> {
  const xml = await sshOk('node1', ['cibadmin', '--query', '--local', '--xpath', '//constraints']);
  return [...xml.matchAll(/id="(cli-[^"]+)"/g)].map((m) => m[1]!);
}

/** Plan, run, and check that the prediction is what happened (outcome and independent crm_mon). */
async function operate(req: OperationRequest, backend: Backend, expect: { status?: OperationOutcome['status']; predicted?: string[] } = {}): Promise<{ plan: OperationPlan; outcome: OperationOutcome }> {
  const { plan, runner } = await prepareOperation(target, req, { pool, backend });
  assert.equal(plan.dialect.backend, backend);
  if (expect.predicted) assert.deepEqual(keys(plan.predicted), [...expect.predicted].sort(), `${req.kind}: predicted placement`);
  const outcome = await executePlan(runner, plan, { settleTimeoutMs: 90_000 });
  timings.push(`${req.kind}${req.on === undefined ? '' : req.on ? ' on' : ' off'} ${(outcome.elapsedMs / 1000).toFixed(1)} s (${outcome.phases.map((p) => `${(p.waitedMs ?? 0) / 1000}`).join('+')})`);
  assert.equal(outcome.status, expect.status ?? 'done', `${req.kind} with ${backend}: ${outcome.message}`);
  assert.deepEqual(outcome.differences, [], `${req.kind}: the outcome differs from the preview`);
  assert.deepEqual(keys(outcome.after!), keys(plan.predicted), `${req.kind}: after = predicted`);
  const mon = await crmMon('node1');
  assert.deepEqual(independentPlacement(mon), keys(plan.predicted), `${req.kind}: crm_mon says ${describeMon(mon)}`);
  assert.deepEqual(await cliConstraints(), [], `${req.kind}: no cli- constraint left behind`);
  return { plan, outcome };
}

async function replicationUp(replica: 'node1' | 'node2'): Promise<void> {
  let seen = '';
  await waitFor(`redis on ${replica} replicating with master_link_status:up`, 30_000, async () => {
    const info = await replicationInfo(replica);
    seen = `role:${info.role} master_link_status:${info.master_link_status}`;
    return info.role === 'slave' && info.master_link_status === 'up' ? true : undefined;
  }, () => seen);
}

/** A HOME whose only cluster setting is ~/.ssh/config (the test cluster's ssh_config). */
function freshHome(): string {
  const home = mkdtempSync(path.join(tmpdir(), 'pcx-home-'));
  mkdirSync(path.join(home, '.ssh'), { mode: 0o700 });
  writeFileSync(path.join(home, '.ssh', 'config'), readFileSync(SSH_CONFIG, 'utf8'), { mode: 0o600 });
  return home;
}

/** `pcx switchover` from a shell whose only cluster setting is ~/.ssh/config. */
function pcxWithHome(home: string, args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', tsxLoader, path.join(repoRoot, 'src', 'cli', 'pcx.ts'), ...args], {
    encoding: 'utf8',
    timeout: 180_000,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, NO_COLOR: '1' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const SEED = ['VIP: Started node1', 'redis-clone: Promoted node1; Unpromoted node2'];
const SWITCHED = ['VIP: Started node2', 'redis-clone: Promoted node2; Unpromoted node1'];

describe('operations on the real cluster, per backend', { timeout: 900_000 }, () => {
  before(async () => {
    requireCluster();
    ensureSeed();
    pool = new SshPool({}, { attempts: 2 });
    const connection = await pool.get({ host: 'node1', sshConfigPath: SSH_CONFIG });
    const caps = capabilitiesOf(new CommandRunner(connection, connection.resolved.user));
    backends = [...((await caps.pcs()) ? (['pcs'] as const) : []), ...((await caps.crmsh()) ? (['crmsh'] as const) : []), 'pacemaker'];
    // The test nodes have both front ends (Debian 12's pcs 0.11 and crmsh 4.4): every backend is exercised.
    assert.deepEqual(backends, ['pcs', 'crmsh', 'pacemaker']);
  });
  after(() => pool?.closeAll());

  for (const backend of ['pcs', 'crmsh', 'pacemaker'] as const) {
    test(`${backend}: switchover, kill + cleanup, standby/unstandby, maintenance-mode, move + clear of the VIP`, async (t) => {
      try {
        const home = backend === 'pcs' ? freshHome() : undefined;
        /** Switchover to `to`, checked end to end (pcs: through `pcx switchover --yes` with only ~/.ssh/config). */
        const switchover = async (to: 'node1' | 'node2') => {
          const other = to === 'node1' ? 'node2' : 'node1';
          const expected = to === 'node1' ? SEED : SWITCHED;
          if (home) {
            const started = Date.now();
            const r = pcxWithHome(home, ['switchover', 'redis-clone', '--to', to, '--host', 'node1', '--yes', '--json']);
            assert.equal(r.code, 0, `pcx switchover exit ${r.code}: ${r.stderr}`);
            const out = JSON.parse(r.stdout) as { plan: { transition: string[]; phases: { commandLine: string }[] }; outcome: { status: string; differences: string[] } };
            assert.deepEqual(out.plan.phases.map((p) => p.commandLine), [`pcs resource ban redis-clone ${other} --promoted`, 'pcs resource clear redis-clone']);
            assert.deepEqual(out.plan.transition, [`redis-clone will be promoted on ${to} and demoted on ${other}`, `VIP will move from ${other} to ${to}`]);
            assert.equal(out.outcome.status, 'done');
            assert.deepEqual(out.outcome.differences, []);
            assert.deepEqual(independentPlacement(await crmMon('node1')), expected);
            assert.deepEqual(await cliConstraints(), []);
            timings.push(`pcx switchover ${((Date.now() - started) / 1000).toFixed(1)} s`);
          } else {
            await operate({ kind: 'switchover', resource: 'redis-clone', node: to }, backend, { predicted: expected });
          }
          assert.ok((await ipv4Addresses(to)).some((a) => a.startsWith(`${VIP}/`)), `the VIP address is on ${to}`);
          await replicationUp(other);
        };

        await switchover('node2');
        // One round also switches back; the others come back through the failover below.
        if (backend === 'pacemaker') await switchover('node1');

        // --- kill redis-server on node2 (Promoted after the switchover; the replica where the round switched back):
        // node1 ends up Promoted with a failed action on node2; cleanup brings node2 back as Unpromoted.
        await sshOk('node2', ['pkill', '-KILL', '-x', 'redis-server']);
        let seen: MonState | undefined;
        await waitFor('node1 Promoted, nothing on node2, a failed action on node2', 90_000, async () => {
          seen = await crmMon('node1');
          return nodesInRole(seen, 'redis', 'Promoted').join() === 'node1' && seen.failures.some((f) => f.node === 'node2') && nodesInRole(seen, 'redis', 'Unpromoted').length === 0 ? true : undefined;
        }, () => (seen ? describeMon(seen) : ''), 1000);
        await sshOk('node1', ['crm_resource', '--wait', '--timeout=60s'], { timeoutMs: 70_000 });
        const { plan: cleanupPlan } = await operate({ kind: 'cleanup', resource: 'redis' }, backend, { predicted: SEED });
        assert.deepEqual(cleanupPlan.transition, ['redis-clone will be started on node2 as Unpromoted']);
        assert.deepEqual((await crmMon('node1')).failures, [], 'no failed action left');
        assert.doesNotMatch(await sshOk('node1', ['cibadmin', '--query', '--local', '--xpath', '//status']), /fail-count-redis/, 'no fail count left');
        await replicationUp('node2');

        // --- standby node2: only the replica stops; unstandby: it is back and replicating
        await operate({ kind: 'standby', node: 'node2' }, backend, { predicted: ['VIP: Started node1', 'redis-clone: Promoted node1'] });
        await operate({ kind: 'unstandby', node: 'node2' }, backend, { predicted: SEED });
        await replicationUp('node2');

        // --- maintenance-mode on/off: nothing moves, crm_mon reports the mode
        await operate({ kind: 'maintenance-mode', on: true }, backend, { predicted: SEED });
        assert.match((await crmMon('node1')).xml, /<cluster_options\b[^>]*maintenance-mode="true"/);
        await operate({ kind: 'maintenance-mode', on: false }, backend, { predicted: SEED });

        // --- move the VIP to node2: it follows redis's Promoted role (INFINITY colocation), so Pacemaker predicts
        // no move; the preview warns, the outcome matches the prediction, and the cli-prefer is cleared again.
        const { plan: movePlan } = await operate({ kind: 'move', resource: 'VIP', node: 'node2' }, backend, { status: 'degraded', predicted: SEED });
        assert.deepEqual(movePlan.transition, []);
        assert.deepEqual(movePlan.warnings, ['Pacemaker predicts: VIP runs on node1, not node2']);

        assert.deepEqual(independentPlacement(await crmMon('node1')), SEED);
        if (home) rmSync(home, { recursive: true, force: true });
        t.diagnostic(`${backend}: ${timings.splice(0).join(', ')}`);
      } catch (e) {
        t.diagnostic(`failed after: ${timings.splice(0).join(', ')}; restoring the seed state`);
        pool.closeAll();
        try {
          ensureSeed();
        } catch (restore) {
          t.diagnostic(String(restore));
        }
        throw e;
      }
    });
  }
});
