/**
 * Health: a pure classification of a ClusterSnapshot into healthy / degraded, with every reason
 * and, where there is one, the command that fixes it (pcs first, crmsh in brackets — the two
 * tools our users have; both call the same crm_resource underneath).
 *
 * Severity: `error` (something is down or failed), `warning` (the cluster works but is not in its
 * normal state: standby, maintenance, leftover move/ban constraints, unmanaged), `info` (worth
 * knowing, intentional: disabled resources, fencing disabled). Any error or warning → degraded.
 */
import { baseResourceId } from './names';
import { cleanupCommand, clearCommand, remedyText } from './remedies';
import type { ClusterSnapshot, FailedAction, FenceEvent, GroupStatus, PrimitiveStatus, ResourceStatus } from './types';

export type Severity = 'error' | 'warning' | 'info';

export interface HealthReason {
  /** Stable machine-readable code, e.g. "failed-action", "node-offline", "leftover-constraint". */
  readonly code: string;
  readonly severity: Severity;
  /** The node, resource or constraint concerned ("" for the whole cluster). */
  readonly subject: string;
  readonly message: string;
  /** What to do, with commands in backticks. */
  readonly fix?: string;
}

export interface HealthReport {
  readonly verdict: 'healthy' | 'degraded';
  readonly reasons: readonly HealthReason[];
}

const cmd = (pcs: string, crm?: string): string => (crm ? `run \`${pcs}\` (or \`${crm}\`)` : `run \`${pcs}\``);
const cleanup = (resource: string, node?: string): string => `run ${remedyText(cleanupCommand(resource, node))}`;

export function assessHealth(s: ClusterSnapshot): HealthReport {
  const reasons: HealthReason[] = [];
  const add = (r: HealthReason): void => {
    reasons.push(r);
  };
  const summary = s.crmMon.summary;
  const clusterMaintenance = summary.options.maintenanceMode === true || /^(true|yes|on|1)$/i.test(s.properties['maintenance-mode'] ?? '');

  // ---- cluster-wide
  if (s.crmMon.resultStatus && s.crmMon.resultStatus.code !== 0) {
    add({ code: 'crm-mon-status', severity: 'warning', subject: '', message: `crm_mon finished with code ${s.crmMon.resultStatus.code}: ${s.crmMon.resultStatus.message}` });
  }
  if (!summary.dcPresent) {
    add({
      code: 'no-dc',
      severity: 'error',
      subject: '',
      message: 'no Designated Controller (DC): the cluster is not formed or still electing',
      fix: 'check membership with `corosync-cfgtool -s` and `crm_mon -1` on each node; start missing nodes with `pcs cluster start` (or `crm cluster start`)',
    });
  } else if (summary.withQuorum === false) {
    add({
      code: 'no-quorum',
      severity: 'error',
      subject: '',
      message: `partition WITHOUT quorum (no-quorum-policy: ${summary.options.noQuorumPolicy ?? 'stop'})`,
      fix: 'bring the other nodes back (`pcs cluster start --all` or `crm cluster start --all`); check `corosync-quorumtool -s`',
    });
  }
  if (clusterMaintenance) {
    add({
      code: 'cluster-maintenance',
      severity: 'warning',
      subject: '',
      message: 'maintenance-mode is on: the cluster neither starts, stops nor monitors resources',
      fix: `when done, ${cmd('pcs property set maintenance-mode=false', 'crm configure property maintenance-mode=false')}`,
    });
  }
  if (summary.options.stopAllResources) {
    add({ code: 'stop-all-resources', severity: 'warning', subject: '', message: 'stop-all-resources is on: every resource is being kept stopped', fix: cmd('pcs property set stop-all-resources=false', 'crm configure property stop-all-resources=false') });
  }
  if (summary.options.stonithEnabled === false) {
    add({ code: 'stonith-disabled', severity: 'info', subject: '', message: 'fencing (stonith-enabled) is disabled: after a split brain both nodes may run the Promoted role' });
  }

  // ---- nodes
  for (const n of s.nodes) {
    const guest = n.type === 'remote' && n.idAsResource !== undefined;
    if (n.unclean) {
      add({ code: 'node-unclean', severity: 'error', subject: n.name, message: `node ${n.name} is UNCLEAN (its state is unknown; it must be fenced)`, fix: `fix fencing, or — only if you are sure ${n.name} is powered off — \`pcs stonith confirm ${n.name}\` (or \`stonith_admin --confirm ${n.name}\`)` });
    } else if (!n.online) {
      if (guest) {
        add({ code: 'guest-node-offline', severity: 'info', subject: n.name, message: `guest node ${n.name} is offline (its container ${n.idAsResource} is not running)` });
      } else {
        add({ code: 'node-offline', severity: 'error', subject: n.name, message: `node ${n.name} is OFFLINE`, fix: `start the cluster on it: \`pcs cluster start ${n.name}\` (or \`crm cluster start\` on ${n.name})` });
      }
    } else if (n.pending) {
      add({ code: 'node-pending', severity: 'warning', subject: n.name, message: `node ${n.name} is pending (joining the cluster)` });
    }
    if (n.standby || n.standbyOnFail) {
      add({
        code: 'node-standby',
        severity: 'warning',
        subject: n.name,
        message: n.standbyOnFail && !n.standby ? `node ${n.name} is in standby because a resource failed with on-fail=standby` : `node ${n.name} is in standby: it runs no resources`,
        fix: `when done, ${cmd(`pcs node unstandby ${n.name}`, `crm node online ${n.name}`)}`,
      });
    }
    if (n.maintenance && !clusterMaintenance) {
      add({ code: 'node-maintenance', severity: 'warning', subject: n.name, message: `node ${n.name} is in maintenance: its resources are not monitored`, fix: `when done, ${cmd(`pcs node unmaintenance ${n.name}`, `crm node ready ${n.name}`)}` });
    }
    if (n.shutdown) add({ code: 'node-shutdown', severity: 'warning', subject: n.name, message: `node ${n.name} is shutting down` });
    if (n.health === 'red') add({ code: 'node-health', severity: 'warning', subject: n.name, message: `node ${n.name} health is red` });
  }

  lostNotFenced(s, add);

  // ---- failed actions, grouped per resource
  const failuresByResource = new Map<string, FailedAction[]>();
  for (const f of s.failures) {
    const id = baseResourceId(f.resource);
    failuresByResource.set(id, [...(failuresByResource.get(id) ?? []), f]);
  }
  for (const [id, fs] of failuresByResource) {
    const what = fs.map((f) => `${f.task}${f.intervalMs ? ` (every ${f.intervalMs / 1000}s)` : ''} on ${f.node}: ${f.exitStatus || 'error'} (rc ${f.exitCode}${f.status && f.status !== 'complete' && f.status !== 'Done' ? `, ${f.status}` : ''})${f.exitReason ? ` — ${f.exitReason}` : ''}`);
    add({
      code: 'failed-action',
      severity: 'error',
      subject: id,
      message: `${id} failed: ${what.join('; ')}`,
      fix: `find the cause (agent log on the node: /var/log/pacemaker/pacemaker.log), then ${cleanup(id)}`,
    });
  }
  for (const fc of s.failCounts) {
    const id = baseResourceId(fc.resource);
    if (fc.thresholdReached) {
      add({
        code: 'migration-threshold-reached',
        severity: 'error',
        subject: id,
        message: `${id} reached its migration-threshold on ${fc.node} (${fc.failCount} failures ≥ ${fc.migrationThreshold}): it will not run there until cleaned up`,
        fix: cleanup(id, fc.node),
      });
    } else if (!failuresByResource.has(id)) {
      add({ code: 'fail-count', severity: 'warning', subject: id, message: `${id} has ${fc.failCount} recorded failure(s) on ${fc.node}${fc.migrationThreshold ? ` (migration-threshold ${fc.migrationThreshold})` : ''}`, fix: cleanup(id) });
    }
  }

  // ---- resources
  const onlineMembers = s.nodes.filter((n) => n.online && !n.standby && !n.unclean && n.type === 'member').length;
  const failed = new Set(failuresByResource.keys());
  const thresholdReached = s.failCounts.filter((f) => f.thresholdReached);
  for (const r of s.resources) checkResource(r, { add, clusterMaintenance, onlineMembers, failed, nodesKnown: s.crmMon.nodesIncluded, thresholdReached });

  // ---- leftover move/ban constraints
  for (const c of s.leftoverConstraints) {
    const rsc = c.rsc ?? c.rscPattern ?? '?';
    const what = c.leftover === 'cli-ban'
      ? `bans ${rsc}${c.role ? ` (${c.role} role)` : ''} from ${c.node ?? 'a node'}`
      : `pins ${rsc}${c.role ? ` (${c.role} role)` : ''} to ${c.node ?? 'a node'}`;
    add({
      code: 'leftover-constraint',
      severity: 'warning',
      subject: c.id,
      message: `leftover constraint ${c.id} from a move/ban ${what} (score ${c.scoreText ?? c.score ?? '?'})`,
      fix: `remove the leftover constraint: ${remedyText(clearCommand(rsc))}`,
    });
  }

  // ---- fencing history: the latest event per target (crm_mon lists the newest first)
  const latest = new Map<string, FenceEvent>();
  for (const e of s.crmMon.fenceHistory ?? []) if (!latest.has(e.target)) latest.set(e.target, e);
  for (const e of latest.values()) {
    if (e.status === 'failed') add({ code: 'fencing-failed', severity: 'warning', subject: e.target, message: `fencing (${e.action}) of ${e.target} failed${e.exitReason ? `: ${e.exitReason}` : ''}`, fix: 'check the fence device with `stonith_admin --list-registered` and the log; clear the history with `stonith_admin --cleanup --history ' + e.target + '`' });
    else if (e.status === 'pending') add({ code: 'fencing-pending', severity: 'warning', subject: e.target, message: `fencing (${e.action}) of ${e.target} is in progress` });
  }

  const verdict = reasons.some((r) => r.severity !== 'info') ? 'degraded' : 'healthy';
  return { verdict, reasons };
}

/**
 * Say what we cannot see: a member node that left without a clean stop (OFFLINE while Pacemaker still expected it
 * up, or UNCLEAN) and that nobody fenced may still run what it ran: on the reference setup, with stonith off and
 * node1 cut off, both nodes were Promoted and both held the VIP, while the surviving side showed node1 OFFLINE.
 * Raised until the node is back, stopped cleanly (expected_up false) or fenced (its latest fencing succeeded).
 */
function lostNotFenced(s: ClusterSnapshot, add: (r: HealthReason) => void): void {
  const said = s.crmMon.summary.options.stonithEnabled;
  const stonithOff = said !== undefined ? !said : /^(false|no|off|0)$/i.test(s.properties['stonith-enabled'] ?? '');
  const latestFence = new Map<string, FenceEvent>();
  for (const e of s.crmMon.fenceHistory ?? []) if (!latestFence.has(e.target)) latestFence.set(e.target, e);
  const promotable = s.resources.filter((r) => r.kind === 'clone' && r.promotable).map((r) => baseResourceId(primitivesOfClone(r)[0]?.id ?? r.id));
  const vips = s.vips.map((v) => v.ip).filter((ip): ip is string => !!ip);
  const what = [...promotable.map((p) => `run ${p} as Promoted`), ...(vips.length > 0 ? [`hold ${vips.join(' and ')}`] : [])];
  for (const n of s.nodes) {
    if (n.type !== 'member' || n.online || !(n.unclean || n.expectedUp)) continue;
    if (!stonithOff && latestFence.get(n.name)?.status === 'success') continue;
    const why = stonithOff ? 'fencing (stonith-enabled) is off' : latestFence.get(n.name)?.status === 'failed' ? 'its fencing failed' : 'its fencing has not succeeded (yet)';
    add({
      code: 'node-lost-not-fenced',
      severity: 'error',
      subject: n.name,
      message: `${n.name} is lost and was not fenced: it may still ${what.length > 0 ? what.join(' and ') : 'run what it ran'} (split brain possible; ${why})`,
      fix: `this side cannot see ${n.name}: check it directly (its console, or ssh to it: what runs there, which addresses it holds); if it still runs them, stop the cluster there (\`pcs cluster stop --force\` on ${n.name}) or power it off, and only then \`pcs stonith confirm ${n.name}\` (or \`stonith_admin --confirm ${n.name}\`); configure fencing so the cluster does this itself`,
    });
  }
}

function primitivesOfClone(r: ResourceStatus): PrimitiveStatus[] {
  if (r.kind !== 'clone') return [];
  return r.instances.flatMap((i) => (i.kind === 'group' ? [...i.children] : [i]));
}

interface CheckContext {
  readonly add: (r: HealthReason) => void;
  readonly clusterMaintenance: boolean;
  readonly onlineMembers: number;
  readonly failed: ReadonlySet<string>;
  readonly nodesKnown: boolean;
  /** Fail counts at or over migration-threshold (the resource is kept off that node until cleanup). */
  readonly thresholdReached: readonly { readonly resource: string; readonly node: string }[];
}

function checkPrimitive(p: PrimitiveStatus, ctx: CheckContext, inClone: boolean): void {
  const id = baseResourceId(p.id);
  if (p.blocked) {
    ctx.add({ code: 'resource-blocked', severity: 'error', subject: id, message: `${id} is BLOCKED on ${p.nodes.map((n) => n.name).join(', ') || 'its node'}: a stop failed and the cluster will not touch it`, fix: `fix the cause, then ${cleanup(id)}` });
  } else if (p.failed && !ctx.failed.has(id)) {
    ctx.add({ code: 'resource-failed', severity: 'error', subject: id, message: `${id} is FAILED on ${p.nodes.map((n) => n.name).join(', ') || 'its node'}`, fix: cleanup(id) });
  }
  if (p.orphaned && p.active) {
    ctx.add({ code: 'resource-orphaned', severity: 'warning', subject: id, message: `${id} runs but is no longer configured (orphaned)`, fix: `the cluster will stop it; if it stays, ${cleanup(id)}` });
  }
  if (!inClone && p.role === 'Stopped' && !p.disabled && !p.orphaned && !ctx.clusterMaintenance) {
    ctx.add({ code: 'resource-stopped', severity: 'error', subject: id, message: `${id} is Stopped but should run`, fix: `see why with \`crm_resource --why -r ${id}\`; check failures and location constraints` });
  }
  if (!inClone && p.disabled) {
    ctx.add({ code: 'resource-disabled', severity: 'info', subject: id, message: `${id} is disabled (target-role=Stopped)`, fix: cmd(`pcs resource enable ${id}`, `crm resource start ${id}`) });
  }
}

function checkUnmanaged(r: { id: string; managed: boolean; maintenance: boolean }, ctx: CheckContext): boolean {
  if (ctx.clusterMaintenance) return false;
  if (r.maintenance) {
    ctx.add({ code: 'resource-maintenance', severity: 'warning', subject: r.id, message: `${r.id} is in maintenance: not monitored, not managed`, fix: cmd(`pcs resource meta ${r.id} maintenance=false`, `crm resource maintenance ${r.id} off`) });
    return true;
  }
  if (!r.managed) {
    ctx.add({ code: 'resource-unmanaged', severity: 'warning', subject: r.id, message: `${r.id} is unmanaged: the cluster will not start, stop or recover it`, fix: cmd(`pcs resource manage ${r.id}`, `crm resource manage ${r.id}`) });
    return true;
  }
  return false;
}

function checkResource(r: ResourceStatus, ctx: CheckContext): void {
  switch (r.kind) {
    case 'primitive':
      checkUnmanaged(r, ctx);
      checkPrimitive(r, ctx, false);
      return;
    case 'group':
      checkUnmanaged(r, ctx);
      if (r.disabled) {
        ctx.add({ code: 'resource-disabled', severity: 'info', subject: r.id, message: `${r.id} is disabled (target-role=Stopped)`, fix: cmd(`pcs resource enable ${r.id}`, `crm resource start ${r.id}`) });
        return;
      }
      for (const c of r.children) checkPrimitive(c, ctx, false);
      return;
    case 'clone': {
      checkUnmanaged(r, ctx);
      if (r.disabled) {
        ctx.add({ code: 'resource-disabled', severity: 'info', subject: r.id, message: `${r.id} is disabled (target-role=Stopped)`, fix: cmd(`pcs resource enable ${r.id}`, `crm resource start ${r.id}`) });
        return;
      }
      const instancePrimitives = (i: PrimitiveStatus | GroupStatus): PrimitiveStatus[] => (i.kind === 'group' ? [...i.children] : [i]);
      for (const i of r.instances) for (const p of instancePrimitives(i)) checkPrimitive(p, ctx, true);
      const active = r.instances.filter((i) => instancePrimitives(i).some((p) => p.active)).length;
      // A clone may have more instances than nodes (clone-max); only instances that have a node to run on count.
      const expected = ctx.nodesKnown ? Math.min(r.instances.length, ctx.onlineMembers) : 0;
      if (!ctx.clusterMaintenance && active < expected) {
        // The usual reason on a 2-node cluster: the instance's resource reached migration-threshold on a node.
        const ids = new Set(r.instances.flatMap((i) => instancePrimitives(i).map((p) => baseResourceId(p.id))));
        const locked = ctx.thresholdReached.filter((f) => ids.has(baseResourceId(f.resource)));
        const because = locked.length > 0 ? ` (${locked.map((f) => `${baseResourceId(f.resource)} may not run on ${f.node}: migration-threshold reached`).join('; ')})` : '';
        ctx.add({
          code: 'clone-degraded',
          severity: 'error',
          subject: r.id,
          message: `${r.id}: only ${active} of ${expected} expected instances are running${because}`,
          fix: locked.length > 0
            ? `after fixing the cause, ${cleanup(r.id)} to let it start there again`
            : `see why with \`crm_resource --why -r ${r.id}\``,
        });
      }
      if (r.promotable && active > 0 && !ctx.clusterMaintenance) {
        const promoted = r.instances.some((i) => instancePrimitives(i).some((p) => p.role === 'Promoted'));
        if (!promoted) {
          ctx.add({ code: 'no-promoted', severity: 'error', subject: r.id, message: `${r.id} has no Promoted instance: nothing is accepting writes`, fix: `check the promotion scores (\`crm_simulate -sL | grep promotion\`) and failures; ${cleanup(r.id)}` });
        }
      }
      return;
    }
    case 'bundle':
      checkUnmanaged(r, ctx);
      for (const rep of r.replicas) for (const p of rep.resources) checkPrimitive(p, ctx, true);
      if (!ctx.clusterMaintenance && r.managed) {
        const stopped = r.replicas.filter((rep) => rep.resources.every((p) => !p.active) && rep.resources.some((p) => !p.disabled));
        if (stopped.length > 0) {
          ctx.add({ code: 'bundle-replica-stopped', severity: 'warning', subject: r.id, message: `${r.id}: ${stopped.length} of ${r.replicas.length} replicas are not running`, fix: `see why with \`crm_resource --why -r ${r.id}\`` });
        }
      }
      return;
  }
}
