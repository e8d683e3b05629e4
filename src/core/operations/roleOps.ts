/**
 * Switchover and failover of a promotable clone.
 *
 * What works on the reference setup (resource-stickiness=INFINITY, VIP colocated INFINITY with the Promoted role;
 * ../shared/notes/test-cluster.md): a `cli-prefer` for the target changes nothing (INFINITY ties INFINITY) and
 * `pcs resource move --promoted` refuses, while a −INFINITY ban of the Promoted ROLE on the current node makes
 * Pacemaker demote it there and promote the other instance; once that settled the ban is cleared and stickiness
 * keeps the new placement. The clear step always runs — also after a failed or timed-out wait — so no cli-ban
 * is left behind unless the user asks to keep it.
 */
import type { ClusterSnapshot } from '../cluster/types';
import { PcxFailure } from '../util/result';
import { banArgv, clearArgv, tools } from './argv';
import { cliConstraints, findTopLevel, promotedNodes, requireNode, requirePromotable, runningNodes } from './targets';
import type { Dialect, OperationDescriptor, OperationRequest, Phase } from './types';

function banPhases(d: Dialect, clone: string, from: readonly string[], req: OperationRequest): Phase[] {
  const phases: Phase[] = from.map((node, i) => {
    const { argv, note } = banArgv(d, clone, node, true);
    return { title: `ban the Promoted role of ${clone} from ${node}`, argv, simulate: [tools.ban(d, clone, node, true)], settle: i === from.length - 1, ...(note ? { note } : {}) };
  });
  if (!req.keepConstraint) {
    phases.push({ title: `remove the ban${from.length > 1 ? 's' : ''} again (stickiness keeps the new placement)`, argv: clearArgv(d, clone), simulate: [tools.clear(clone)], settle: true, always: true });
  }
  return phases;
}

function leftoverCheck(req: OperationRequest, after: ClusterSnapshot, clone: string): string[] {
  const left = cliConstraints(after, clone);
  if (req.keepConstraint) return left.length > 0 ? [] : [`the ban on ${clone} was asked to stay but is gone`];
  return left.length > 0 ? [`constraint${left.length > 1 ? 's' : ''} ${left.join(', ')} left behind (pcx clear ${clone})`] : [];
}

export const switchover: OperationDescriptor = {
  kind: 'switchover',
  title: 'Switchover',
  changes: 'roles',
  target: 'resource',
  describe: (req) => `make ${req.resource} Promoted on ${req.node}`,
  validate(req, snap) {
    try {
      const clone = requirePromotable(snap, req.resource, 'switchover');
      const node = requireNode(snap, req.node, 'switchover', { online: true });
      if (node.standby) return new PcxFailure('node-standby', `${node.name} is in standby and cannot be Promoted`, `Take it out of standby first (pcx unstandby ${node.name}).`);
      const promoted = promotedNodes(clone);
      if (promoted.length === 1 && promoted[0] === node.name) return new PcxFailure('no-change', `${clone.id} is already Promoted on ${node.name}`, 'Nothing to do.');
      return undefined;
    } catch (e) {
      if (e instanceof PcxFailure) return e;
      throw e;
    }
  },
  phases(req, snap, d) {
    const clone = requirePromotable(snap, req.resource, 'switchover');
    // Every other node that could be Promoted instead (in a 2-node cluster: the current Promoted one).
    const others = [...new Set([...promotedNodes(clone), ...runningNodes(clone)])].filter((n) => n !== req.node).sort();
    return banPhases(d, clone.id, others, req);
  },
  verify(req, _before, after) {
    const clone = findTopLevel(after, req.resource!);
    const out: string[] = [];
    const promoted = clone ? promotedNodes(clone) : [];
    if (promoted.length !== 1 || promoted[0] !== req.node) out.push(`${req.resource} is Promoted on ${promoted.join(', ') || 'no node'}, not ${req.node}`);
    return [...out, ...leftoverCheck(req, after, clone?.id ?? req.resource!)];
  },
};

export const failover: OperationDescriptor = {
  kind: 'failover',
  title: 'Failover',
  changes: 'roles',
  target: 'resource',
  describe: (req) => `demote ${req.resource} where it is Promoted and let Pacemaker promote another instance`,
  validate(req, snap) {
    try {
      const clone = requirePromotable(snap, req.resource, 'failover');
      if (promotedNodes(clone).length === 0) return new PcxFailure('not-promoted', `${clone.id} has no Promoted instance to fail over`, `pcx status shows why (failures to clean up?); pcx cleanup ${clone.id} may bring it back.`);
      return undefined;
    } catch (e) {
      if (e instanceof PcxFailure) return e;
      throw e;
    }
  },
  phases(req, snap, d) {
    const clone = requirePromotable(snap, req.resource, 'failover');
    return banPhases(d, clone.id, promotedNodes(clone), req);
  },
  verify(req, before, after) {
    const was = promotedNodes(findTopLevel(before, req.resource!)!);
    const clone = findTopLevel(after, req.resource!);
    const now = clone ? promotedNodes(clone) : [];
    const out: string[] = [];
    if (now.length === 0) out.push(`no instance of ${req.resource} is Promoted now`);
    else if (now.some((n) => was.includes(n))) out.push(`${req.resource} is still Promoted on ${now.join(', ')}`);
    return [...out, ...leftoverCheck(req, after, clone?.id ?? req.resource!)];
  },
};
