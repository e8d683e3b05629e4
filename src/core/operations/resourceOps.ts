/**
 * Operations on one resource: cleanup, move, ban, clear, restart, enable/disable, manage/unmanage.
 * Move creates a cli-prefer that is cleared once the cluster settled (unless kept on request); ban's cli-ban is the
 * point of a ban and stays, shown in the explorer with its one-click Clear.
 */
import { baseResourceId } from '../cluster/names';
import type { ClusterSnapshot } from '../cluster/types';
import { PcxFailure } from '../util/result';
import { banArgv, cleanupArgv, clearArgv, managedArgv, moveArgv, restartArgv, simulateCleanup, targetRoleArgv, tools } from './argv';
import { cliConstraints, findTopLevel, requireNode, requireResource, runningNodes } from './targets';
import type { OperationDescriptor, OperationRequest } from './types';

function validating(check: (req: OperationRequest, snap: ClusterSnapshot) => void): OperationDescriptor['validate'] {
  return (req, snap) => {
    try {
      check(req, snap);
      return undefined;
    } catch (e) {
      if (e instanceof PcxFailure) return e;
      throw e;
    }
  };
}

const failuresOf = (snap: ClusterSnapshot, req: OperationRequest) =>
  snap.failures.filter((f) => (!req.resource || baseResourceId(f.resource) === baseResourceId(req.resource) || findTopLevel(snap, f.resource)?.id === req.resource) && (!req.node || f.node === req.node));
const failCountsOf = (snap: ClusterSnapshot, req: OperationRequest) =>
  snap.failCounts.filter((f) => (!req.resource || baseResourceId(f.resource) === baseResourceId(req.resource) || findTopLevel(snap, f.resource)?.id === req.resource) && (!req.node || f.node === req.node));

export const cleanup: OperationDescriptor = {
  kind: 'cleanup',
  title: 'Cleanup',
  changes: 'failure history and fail counts',
  target: 'resource',
  describe: (req) => `clean up ${req.resource ?? 'every failed resource'}${req.node ? ` on ${req.node}` : ''}: forget its failures so Pacemaker may run it there again`,
  validate: validating((req, snap) => {
    if (req.resource) requireResource(snap, req.resource, 'cleanup');
    if (req.node) requireNode(snap, req.node, 'cleanup');
  }),
  phases(req, snap, d) {
    const { argv, note } = cleanupArgv(d, req.resource, req.node);
    // Simulate what cleanup forgets: each failed primitive's history and fail counts where it failed.
    const failed = new Map<string, Set<string>>();
    for (const f of [...failuresOf(snap, req), ...failCountsOf(snap, req)]) {
      const id = baseResourceId(f.resource);
      failed.set(id, (failed.get(id) ?? new Set()).add(f.node));
    }
    const simulate = [...failed].flatMap(([id, nodes]) => simulateCleanup(id, [...nodes].sort()));
    return [{ title: `clean up ${req.resource ?? 'every failed resource'}${req.node ? ` on ${req.node}` : ''}`, argv, simulate, settle: true, ...(note ? { note } : {}) }];
  },
  verify(req, _before, after) {
    const out = failuresOf(after, req).map((f) => `failed ${f.task} of ${f.resource} on ${f.node} is still listed`);
    for (const f of failCountsOf(after, req)) out.push(`${f.resource} still has fail count ${f.failCount} on ${f.node}`);
    return out;
  },
};

export const move: OperationDescriptor = {
  kind: 'move',
  title: 'Move',
  changes: 'placement',
  target: 'resource',
  describe: (req) => `move ${req.resource} to ${req.node}`,
  validate: validating((req, snap) => {
    const r = requireResource(snap, req.resource, 'move');
    if (r.kind === 'clone' && r.promotable) throw new PcxFailure('use-switchover', `${r.id} is a promotable clone: move does not say which role goes where`, `To make it Promoted on ${req.node ?? 'a node'}, use switchover (pcx switchover ${r.id} --to ${req.node ?? 'NODE'}).`);
    const node = requireNode(snap, req.node, 'move', { online: true });
    if (runningNodes(r).length === 1 && runningNodes(r)[0] === node.name) throw new PcxFailure('no-change', `${r.id} already runs on ${node.name}`, 'Nothing to do.');
  }),
  phases(req, snap, d) {
    const id = requireResource(snap, req.resource, 'move').id;
    const phases = [{ title: `prefer ${req.node} for ${id} (cli-prefer +INFINITY)`, argv: moveArgv(d, id, req.node!), simulate: [tools.move(id, req.node!)], settle: true }];
    if (!req.keepConstraint) phases.push({ title: 'remove that preference again (stickiness keeps the new placement)', argv: clearArgv(d, id), simulate: [tools.clear(id)], settle: true, always: true } as (typeof phases)[number]);
    return phases;
  },
  verify(req, _before, after) {
    const r = findTopLevel(after, req.resource!);
    const out: string[] = [];
    const on = r ? runningNodes(r) : [];
    if (!on.includes(req.node!)) out.push(`${req.resource} runs on ${on.join(', ') || 'no node'}, not ${req.node}`);
    const left = cliConstraints(after, r?.id ?? req.resource);
    if (!req.keepConstraint && left.length > 0) out.push(`constraint ${left.join(', ')} left behind (pcx clear ${req.resource})`);
    return out;
  },
};

export const ban: OperationDescriptor = {
  kind: 'ban',
  title: 'Ban',
  changes: 'placement (a cli-ban constraint that stays until cleared)',
  target: 'resource',
  describe: (req) => `keep ${req.resource} off ${req.node} until cleared`,
  validate: validating((req, snap) => {
    requireResource(snap, req.resource, 'ban');
    requireNode(snap, req.node, 'ban');
  }),
  phases(req, snap, d) {
    const id = requireResource(snap, req.resource, 'ban').id;
    return [{ title: `ban ${id} from ${req.node} (cli-ban −INFINITY)`, argv: banArgv(d, id, req.node!).argv, simulate: [tools.ban(d, id, req.node!)], settle: true }];
  },
  verify(req, _before, after) {
    const r = findTopLevel(after, req.resource!);
    const out: string[] = [];
    if (r && runningNodes(r).includes(req.node!)) out.push(`${req.resource} still runs on ${req.node}`);
    if (!cliConstraints(after, r?.id ?? req.resource).some((c) => c.startsWith('cli-ban-'))) out.push(`no cli-ban constraint on ${req.resource}`);
    return out;
  },
};

export const clear: OperationDescriptor = {
  kind: 'clear',
  title: 'Clear',
  changes: 'placement constraints (cli-prefer/cli-ban)',
  target: 'resource',
  describe: (req) => `remove the move/ban constraints (cli-prefer-*, cli-ban-*) of ${req.resource}`,
  validate: validating((req, snap) => {
    const r = requireResource(snap, req.resource, 'clear');
    if (cliConstraints(snap, r.id).length === 0) throw new PcxFailure('no-change', `${r.id} has no cli-prefer or cli-ban constraint`, 'Nothing to clear.');
  }),
  phases(req, snap, d) {
    const id = requireResource(snap, req.resource, 'clear').id;
    return [{ title: `clear ${cliConstraints(snap, id).join(', ')}`, argv: clearArgv(d, id), simulate: [tools.clear(id)], settle: true }];
  },
  verify(req, _before, after) {
    const left = cliConstraints(after, findTopLevel(after, req.resource!)?.id ?? req.resource);
    return left.length > 0 ? [`${left.join(', ')} still present`] : [];
  },
};

export const restart: OperationDescriptor = {
  kind: 'restart',
  title: 'Restart',
  changes: 'nothing in the configuration (stops and starts the resource where it runs)',
  target: 'resource',
  describe: (req) => `restart ${req.resource} where it runs`,
  validate: validating((req, snap) => {
    const r = requireResource(snap, req.resource, 'restart');
    if (runningNodes(r).length === 0) throw new PcxFailure('not-running', `${r.id} is not running, so there is nothing to restart`, `Start it with pcx enable ${r.id} (or clean up its failures).`);
  }),
  phases(req, snap, d) {
    const id = requireResource(snap, req.resource, 'restart').id;
    const { argv, note } = restartArgv(d, id);
    return [{ title: `restart ${id} (stop, then start, where it runs)`, argv, simulate: [], settle: true, ...(note ? { note } : {}) }];
  },
  verify: () => [],
};

function metaOp(kind: 'enable' | 'disable' | 'manage' | 'unmanage'): OperationDescriptor {
  const on = kind === 'enable' || kind === 'manage';
  const isRole = kind === 'enable' || kind === 'disable';
  const describe = (req: OperationRequest): string =>
    isRole ? `${on ? 'allow' : 'stop'} ${req.resource} ${on ? 'to run (target-role removed: Started)' : 'everywhere (target-role Stopped)'}` : `${on ? 'let Pacemaker manage' : 'stop Pacemaker managing'} ${req.resource} (${on ? 'is-managed removed: true' : 'is-managed false'})`;
  return {
    kind,
    title: kind[0].toUpperCase() + kind.slice(1),
    changes: isRole ? 'resource meta target-role' : 'resource meta is-managed',
    target: 'resource',
    describe,
    validate: validating((req, snap) => void requireResource(snap, req.resource, kind)),
    phases(req, snap, d) {
      const id = requireResource(snap, req.resource, kind).id;
      const argv = isRole ? targetRoleArgv(d, id, on) : managedArgv(d, id, on);
      const name = isRole ? 'target-role' : 'is-managed';
      const simulate = [on ? tools.deleteMeta(id, name) : tools.meta(id, name, isRole ? 'Stopped' : 'false')];
      return [{ title: describe({ ...req, resource: id }), argv, simulate, settle: true }];
    },
    verify(req, _before, after) {
      const r = findTopLevel(after, req.resource!);
      if (!r) return [`${req.resource} is gone`];
      if (isRole) {
        const disabled = 'disabled' in r && r.disabled;
        if (disabled === on) return [`${r.id} is ${disabled ? 'still disabled' : 'not disabled'}`];
        if (!on && runningNodes(r).length > 0) return [`${r.id} still runs on ${runningNodes(r).join(', ')}`];
        return [];
      }
      return r.managed === on ? [] : [`${r.id} is ${r.managed ? 'managed' : 'unmanaged'}`];
    },
  };
}

export const enable = metaOp('enable');
export const disable = metaOp('disable');
export const manage = metaOp('manage');
export const unmanage = metaOp('unmanage');
