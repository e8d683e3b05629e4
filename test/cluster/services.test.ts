/**
 * Cluster services on the real test cluster (issue 10): stop one node (pcs cluster stop) → its resources move to
 * the other; start it again (crm cluster start) → it joins as the replica; stop every node (systemctl, the
 * Pacemaker-tools backend) → the plan needs the typed name and nothing runs afterwards; ordered start (pcs)
 * --first node1 → the seed state with replication up. In each: the preview's predicted roles and locations equal
 * what happened (outcome and an independent crm_mon over the system ssh). The test restores the seed state.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterTarget } from '../../src/core/cluster/live';
import { executePlan, type OperationOutcome } from '../../src/core/operations/execute';
import { placementKey, type Placement } from '../../src/core/operations/clusterPlacement';
import type { OperationPlan } from '../../src/core/operations/preview';
import { prepareOperation } from '../../src/core/operations/prepare';
import type { Backend, OperationRequest } from '../../src/core/operations/types';
import { workloadCheck } from '../../src/core/operations/workloadCheck';
import { SshPool } from '../../src/core/ssh/pool';
import { crmMon, describe as describeMon, ensureSeed, nodesInRole, replicationInfo, requireCluster, ssh, SSH_CONFIG, waitFor, type MonState } from './helpers';

const target: ClusterTarget = { name: 'cluster1', hosts: ['node1', 'node2'], sshConfigPath: SSH_CONFIG };
const SEED = ['VIP: Started node1', 'redis-clone: Promoted node1; Unpromoted node2'].sort();
const keys = (p: Placement) => p.resources.map(placementKey).sort();
let pool: SshPool;
const timings: string[] = [];

function independentPlacement(m: MonState): string[] {
  const roles = (id: string) => {
    const parts = ['Promoted', 'Unpromoted', 'Started'].flatMap((role) => {
      const nodes = nodesInRole(m, id, role);
      return nodes.length ? [`${role} ${nodes.join(', ')}`] : [];
    });
    return parts.join('; ') || 'stopped';
  };
  return [`redis-clone: ${roles('redis')}`, `VIP: ${roles('VIP')}`].sort();
}

async function operate(req: OperationRequest, backend: Backend, predicted: string[]): Promise<{ plan: OperationPlan; outcome: OperationOutcome }> {
  const { plan, runner, nodes } = await prepareOperation(target, req, { pool, backend });
  assert.deepEqual(keys(plan.predicted), [...predicted].sort(), `${req.kind}: predicted placement`);
  const outcome = await executePlan(runner, plan, { nodes, settleTimeoutMs: 120_000, workload: workloadCheck(target, pool) });
  timings.push(`${req.kind}${req.node ? ` ${req.node}` : ''} (${backend}) ${(outcome.elapsedMs / 1000).toFixed(1)} s`);
  assert.equal(outcome.status, 'done', `${req.kind} with ${backend}: ${outcome.message}`);
  assert.deepEqual(outcome.differences, [], `${req.kind}: the outcome differs from the preview`);
  assert.deepEqual(keys(outcome.after!), keys(plan.predicted), `${req.kind}: after = predicted`);
  return { plan, outcome };
}

async function pacemakerRuns(node: string): Promise<boolean> {
  return (await ssh(node, ['pgrep', '-x', 'pacemakerd'])).code === 0;
}

describe('cluster services: stop/start a node, stop all, ordered start', { timeout: 600_000 }, () => {
  before(() => {
    requireCluster();
    ensureSeed();
    pool = new SshPool({}, { attempts: 2 });
  });
  after(() => pool?.closeAll());

  test('stop node1 → everything on node2; start node1 → replica; stop all → nothing runs; default first = last Promoted; start --first node1 → seed with replication', async (t) => {
    try {
      // --- stop node1 (pcs): read and waited for through node2; redis promoted there, the VIP follows.
      const stop1 = await operate({ kind: 'node-stop', node: 'node1' }, 'pcs', ['VIP: Started node2', 'redis-clone: Promoted node2']);
      assert.equal(stop1.plan.host, 'node2', 'the plan reads the cluster on the node that stays');
      assert.deepEqual(stop1.plan.phases.map((p) => `${p.runOn}# ${p.commandLine}`), ['node1# pcs cluster stop']);
      assert.deepEqual(stop1.plan.transition, ['redis-clone will be promoted on node2 and stopped on node1', 'VIP will move from node1 to node2']);
      assert.deepEqual(stop1.plan.dangers, []);
      let mon = await crmMon('node2');
      assert.equal(mon.nodes.find((n) => n.name === 'node1')?.online, false, `crm_mon on node2: ${describeMon(mon)}`);
      assert.deepEqual(independentPlacement(mon), keys(stop1.plan.predicted));
      assert.equal(await pacemakerRuns('node1'), false, 'pacemakerd is gone on node1');

      // --- start node1 again (crmsh): it joins and runs the replica; node2 stays Promoted (stickiness).
      const start1 = await operate({ kind: 'node-start', node: 'node1' }, 'crmsh', ['VIP: Started node2', 'redis-clone: Promoted node2; Unpromoted node1']);
      assert.deepEqual(start1.plan.phases.map((p) => `${p.runOn}# ${p.commandLine}`), ['node1# crm cluster start']);
      mon = await crmMon('node2');
      assert.deepEqual(independentPlacement(mon), keys(start1.plan.predicted), describeMon(mon));

      // --- stop every node (Pacemaker's tools: systemctl): the replica's node first, the Promoted one last.
      const stopAll = await operate({ kind: 'cluster-stop' }, 'pacemaker', ['VIP: stopped', 'redis-clone: stopped']);
      assert.deepEqual(stopAll.plan.phases.map((p) => `${p.runOn}# ${p.commandLine}`), ['node1# systemctl stop pacemaker corosync', 'node2# systemctl stop pacemaker corosync']);
      assert.ok(stopAll.plan.dangers.includes('no node is left online to run resources'), `dangers: ${stopAll.plan.dangers.join('; ')}`);
      assert.ok(stopAll.plan.dangers.includes('every instance of redis-clone stops'));
      for (const node of ['node1', 'node2']) assert.equal(await pacemakerRuns(node), false, `pacemakerd is gone on ${node}`);

      // --- without --first, the plan starts node2 first: redis was last Promoted there (its scheduler inputs say so).
      const byDefault = await prepareOperation(target, { kind: 'cluster-start' }, { pool, backend: 'pcs' });
      assert.equal(byDefault.plan.request.first, 'node2');
      assert.match(byDefault.plan.summary, /node2: where it was last Promoted \(node2's scheduler input pe-input-\d+\.bz2/);
      assert.deepEqual(byDefault.plan.dangers, []);

      // --- ordered start (pcs), node1 first although node2 was Promoted last.
      const start = await operate({ kind: 'cluster-start', first: 'node1' }, 'pcs', SEED);
      assert.deepEqual(start.plan.phases.map((p) => `${p.runOn}# ${p.commandLine}`), [
        'node1# systemctl start corosync',
        'node2# systemctl start corosync',
        'node1# pcs cluster start',
        'node2# pcs cluster start',
      ]);
      // node1 was ready (DC, Promoted) before node2's Pacemaker started: the wait of step 3 came first.
      assert.equal(start.outcome.phases[2]!.status, 'done');
      // 'done' includes the workload check: the replica's link is up and the VIP is where Pacemaker says.
      assert.deepEqual(start.outcome.unmet, []);
      mon = await crmMon('node1');
      assert.equal(mon.dc, 'node1');
      assert.deepEqual(independentPlacement(mon), SEED, describeMon(mon));
      let seen = '';
      await waitFor('redis on node2 replicating with master_link_status:up', 60_000, async () => {
        const info = await replicationInfo('node2');
        seen = `role:${info.role} master_link_status:${info.master_link_status}`;
        return info.role === 'slave' && info.master_link_status === 'up' ? true : undefined;
      }, () => seen);
      t.diagnostic(timings.join(', '));
    } catch (e) {
      t.diagnostic(`failed after: ${timings.join(', ')}; restoring the seed state`);
      pool.closeAll();
      throw e;
    } finally {
      ensureSeed();
    }
  });
});
