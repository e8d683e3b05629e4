/**
 * Resource lifecycle operations on the real test cluster, once per backend (pcs, crmsh, Pacemaker's tools), on the
 * VIP (quick to stop and start): disable → stopped everywhere, target-role=Stopped in the CIB; enable → running on
 * node1 again and NO target-role left (pcs removes it; so must the others); unmanage → crm_mon says unmanaged,
 * nothing moves; manage → NO is-managed left; restart → a new start of the VIP on node1 (a higher call-id in its
 * history); refresh → the VIP probed again on node1, nothing moves. Predicted = happened, checked through the outcome and an independent crm_mon. The seed state is
 * restored when a step fails.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterTarget } from '../../src/core/cluster/live';
import { executePlan, type OperationOutcome } from '../../src/core/operations/execute';
import { placementKey, type Placement } from '../../src/core/operations/clusterPlacement';
import type { OperationPlan } from '../../src/core/operations/preview';
import { prepareOperation } from '../../src/core/operations/prepare';
import type { Backend, OperationRequest } from '../../src/core/operations/types';
import { SshPool } from '../../src/core/ssh/pool';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crmMon, describe as describeMon, ensureSeed, nodesInRole, requireCluster, ssh, sshOk, SSH_CONFIG, STATE_DIR } from './helpers';

const target: ClusterTarget = { name: 'cluster1', hosts: ['node1', 'node2'], sshConfigPath: SSH_CONFIG };
const keys = (p: Placement) => p.resources.map(placementKey).sort();
const SEED = ['VIP: Started node1', 'redis-clone: Promoted node1; Unpromoted node2'];
const VIP_STOPPED = ['VIP: stopped', 'redis-clone: Promoted node1; Unpromoted node2'];
let pool: SshPool;

async function operate(req: OperationRequest, backend: Backend, predicted: string[]): Promise<{ plan: OperationPlan; outcome: OperationOutcome }> {
  const { plan, runner, nodes } = await prepareOperation(target, req, { pool, backend });
  assert.deepEqual(keys(plan.predicted), [...predicted].sort(), `${req.kind} with ${backend}: predicted placement`);
  const outcome = await executePlan(runner, plan, { nodes, settleTimeoutMs: 60_000 });
  assert.equal(outcome.status, 'done', `${req.kind} with ${backend}: ${outcome.message}`);
  assert.deepEqual(keys(outcome.after!), keys(plan.predicted), `${req.kind}: after = predicted`);
  const mon = await crmMon('node1');
  const vip = nodesInRole(mon, 'VIP', 'Started');
  assert.equal(`VIP: ${vip.length ? `Started ${vip.join(', ')}` : 'stopped'}`, keys(plan.predicted).find((k) => k.startsWith('VIP:')), `${req.kind}: crm_mon says ${describeMon(mon)}`);
  return { plan, outcome };
}

/** The VIP's meta attributes as name=value pairs (none: empty). */
async function vipMeta(): Promise<string[]> {
  const r = await ssh('node1', ['cibadmin', '--query', '--local', '--xpath', "//primitive[@id='VIP']/meta_attributes"]);
  if (r.code !== 0) return [];
  return [...r.stdout.matchAll(/<nvpair\b[^>]*\bname="([^"]+)"[^>]*\bvalue="([^"]*)"/g)].map((m) => `${m[1]}=${m[2]}`);
}

/** The call-id of the VIP's last start on node1 (grows with every start). */
async function lastStartCallId(): Promise<number> {
  const xml = await sshOk('node1', ['cibadmin', '--query', '--local', '--xpath', "//node_state[@uname='node1']//lrm_resource[@id='VIP']/lrm_rsc_op[@operation='start']"]);
  const ids = [...xml.matchAll(/call-id="(\d+)"/g)].map((m) => Number(m[1]));
  assert.ok(ids.length > 0, `a start of the VIP on node1 in the history: ${xml.slice(0, 300)}`);
  return Math.max(...ids);
}

/** The newest call-id in the VIP's history on node1. */
async function newestCallId(): Promise<number> {
  const xml = await sshOk('node1', ['cibadmin', '--query', '--local', '--xpath', "//node_state[@uname='node1']//lrm_resource[@id='VIP']"]);
  return Math.max(0, ...[...xml.matchAll(/call-id="(\d+)"/g)].map((m) => Number(m[1])));
}

/** The call-id of the VIP's last probe (monitor, interval 0) on node1; 0 if there is none. */
async function probeCallId(): Promise<number> {
  const r = await ssh('node1', ['cibadmin', '--query', '--local', '--xpath', "//node_state[@uname='node1']//lrm_resource[@id='VIP']/lrm_rsc_op[@operation='monitor'][@interval='0']"]);
  return Math.max(0, ...[...r.stdout.matchAll(/call-id="(\d+)"/g)].map((m) => Number(m[1])));
}

describe('resource lifecycle on the real cluster, per backend', { timeout: 600_000 }, () => {
  before(() => {
    requireCluster();
    ensureSeed();
    pool = new SshPool({}, { attempts: 2 });
  });
  after(() => pool?.closeAll());

  for (const backend of ['pcs', 'crmsh', 'pacemaker'] as const) {
    test(`${backend}: disable/enable, unmanage/manage, restart and refresh of the VIP leave no meta attribute behind`, async (t) => {
      const started = Date.now();
      try {
        const disabled = await operate({ kind: 'disable', resource: 'VIP' }, backend, VIP_STOPPED);
        assert.deepEqual(disabled.plan.dangers, ['every instance of VIP stops']);
        assert.deepEqual(await vipMeta(), ['target-role=Stopped']);
        await operate({ kind: 'enable', resource: 'VIP' }, backend, SEED);
        assert.deepEqual(await vipMeta(), [], 'enable leaves no target-role behind');

        await operate({ kind: 'unmanage', resource: 'VIP' }, backend, SEED);
        assert.match((await crmMon('node1')).xml, /<resource id="VIP"[^>]*\bmanaged="false"/);
        assert.deepEqual(await vipMeta(), ['is-managed=false']);
        await operate({ kind: 'manage', resource: 'VIP' }, backend, SEED);
        assert.match((await crmMon('node1')).xml, /<resource id="VIP"[^>]*\bmanaged="true"/);
        assert.deepEqual(await vipMeta(), [], 'manage leaves no is-managed behind');

        const before = await lastStartCallId();
        await operate({ kind: 'restart', resource: 'VIP' }, backend, SEED);
        assert.ok((await lastStartCallId()) > before, 'the VIP was started again on node1');
        // A restart goes through target-role (crm_resource --restart, crmsh's stop + start): none may stay behind.
        assert.deepEqual(await vipMeta(), [], 'restart leaves no meta attribute behind');

        // Refresh: the VIP's recorded state is forgotten and probed again on node1 (a new probe, newer than any
        // call before it), and nothing moves.
        const newest = await newestCallId();
        const refreshed = await operate({ kind: 'refresh', resource: 'VIP' }, backend, SEED);
        assert.deepEqual(refreshed.plan.phases.map((p) => p.argv[0]), [backend === 'pcs' ? 'pcs' : backend === 'crmsh' ? 'crm' : 'crm_resource']);
        assert.ok((await probeCallId()) > newest, 'the VIP was probed again on node1 after the refresh');
        // The tools leave an empty <meta_attributes> container; without it the VIP is defined as seeded again (so,
        // but for crmsh, which rewrites the clone's meta attributes in its own order, the next `ensure seed` has
        // nothing to rebuild).
        await ssh('node1', ['cibadmin', '--delete-all', '--force', '--xpath', "//primitive[@id='VIP']/meta_attributes[not(*)]"]);
        const vipXml = (xml: string) => /<primitive id="VIP"[\s\S]*?<\/primitive>/.exec(xml)?.[0];
        const seeded = vipXml(readFileSync(join(STATE_DIR, 'seed-resources.xml'), 'utf8'));
        assert.ok(seeded, 'the seed has the VIP');
        assert.equal(vipXml(await sshOk('node1', ['cibadmin', '--query', '--local', '--scope', 'resources'])), seeded, "the VIP's definition is as seeded");
        t.diagnostic(`${backend}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
      } catch (e) {
        pool.closeAll();
        ensureSeed();
        throw e;
      }
    });
  }
});
