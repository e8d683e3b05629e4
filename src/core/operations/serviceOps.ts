/**
 * The cluster services (Pacemaker and Corosync) of one node or of every node: stop/start one node, stop all,
 * and the ordered start of a stopped cluster (src/core/cluster/startup.ts has the waits, shared with bootstrap).
 *
 * Each command runs on the node it stops or starts (`runOn`); what the cluster does meanwhile is read on another
 * node (`settleOn`). The preview simulates the node leaving or joining (crm_simulate --node-down/--node-up).
 * Stopping the last online node stops every resource: the plan's dangers say so, and it needs the cluster's name.
 */
import type { ClusterSnapshot, NodeView } from '../cluster/types';
import { PcxFailure } from '../util/result';
import { baseResourceId } from '../cluster/names';
import { memberNodeNames, primitivesOf } from '../cluster/snapshot';
import { clusterServicesArgv, startCorosyncArgv, tools } from './argv';
import { promotedNodes, requireNode } from './targets';
import type { OperationDescriptor, OperationRequest, Phase } from './types';

const onlineMembers = (snap: ClusterSnapshot): NodeView[] => snap.nodes.filter((n) => n.type === 'member' && n.online);

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

function stopPhase(d: Parameters<OperationDescriptor['phases']>[2], node: string, observer: string | undefined): Phase {
  return {
    title: `stop the cluster services on ${node} (Pacemaker moves or stops its resources, then Corosync stops)`,
    argv: clusterServicesArgv(d, false, observer === undefined),
    runOn: node,
    ...(observer === undefined && d.backend === 'pcs' ? { note: 'the last online node: pcs needs --force to stop it (it would refuse for the loss of quorum); you confirmed that every resource stops' } : {}),
    simulate: [],
    simulateFlags: [`--node-down=${node}`],
    // With another node online, the settle check reads the cluster there; the last node can only be checked locally.
    ...(observer ? { settle: true, settleOn: observer } : { settle: false, wait: { kind: 'stopped', on: node } as const }),
  };
}

export const nodeStop: OperationDescriptor = {
  kind: 'node-stop',
  title: 'Stop cluster services',
  changes: 'cluster services (Pacemaker, Corosync) of one node',
  target: 'node',
  describe: (req) => `stop Pacemaker and Corosync on ${req.node}: its resources move to other nodes or stop`,
  validate: validating((req, snap) => {
    const node = requireNode(snap, req.node, 'stop');
    if (!node.online) throw new PcxFailure('no-change', `the cluster services on ${node.name} are already stopped`, 'Nothing to do.');
  }),
  phases(req, snap, d) {
    const observer = onlineMembers(snap).find((n) => n.name !== req.node)?.name;
    return [stopPhase(d, req.node!, observer)];
  },
  verify(req, _before, after) {
    const node = after.nodes.find((n) => n.name === req.node);
    return node?.online ? [`${req.node} is still online`] : [];
  },
};

export const nodeStart: OperationDescriptor = {
  kind: 'node-start',
  title: 'Start cluster services',
  changes: 'cluster services (Corosync, Pacemaker) of one node',
  target: 'node',
  describe: (req) => `start Corosync and Pacemaker on ${req.node}: it joins the cluster and may run resources`,
  validate: validating((req, snap) => {
    const node = requireNode(snap, req.node, 'start');
    if (node.online) throw new PcxFailure('no-change', `the cluster services on ${node.name} already run (it is online)`, 'Nothing to do.');
    if (onlineMembers(snap).length === 0) throw new PcxFailure('cluster-stopped', 'no node of this cluster is online', 'Start the whole cluster in order: pcx start (or pcx start --first NODE).');
  }),
  phases(req, snap, d) {
    const observer = onlineMembers(snap)[0]!.name;
    const nodes = [...onlineMembers(snap).map((n) => n.name), req.node!];
    return [
      {
        title: `start the cluster services on ${req.node} and wait until it joined and the resources settled`,
        argv: clusterServicesArgv(d, true),
        runOn: req.node!,
        settleOn: observer,
        simulate: [],
        simulateFlags: [`--node-up=${req.node}`],
        settle: false,
        wait: { kind: 'settled', on: observer, nodes },
      },
    ];
  },
  verify(req, _before, after) {
    const node = after.nodes.find((n) => n.name === req.node);
    return node?.online ? [] : [`${req.node} is not online`];
  },
};

const promotablePrimitives = (snap: ClusterSnapshot): string[] =>
  [...new Set(snap.resources.flatMap((r) => (r.kind === 'clone' && r.promotable ? primitivesOf([r]).map((p) => baseResourceId(p.id)) : [])))];

/** Stop order: nodes without a Promoted instance first, so the Promoted ones stay Promoted until the end (and start first again). */
export function stopOrder(snap: ClusterSnapshot): string[] {
  const promoted = new Set(snap.resources.flatMap((r) => (r.kind === 'clone' && r.promotable ? promotedNodes(r) : [])));
  const online = onlineMembers(snap).map((n) => n.name);
  return [...online.filter((n) => !promoted.has(n)), ...online.filter((n) => promoted.has(n))];
}

export const clusterStop: OperationDescriptor = {
  kind: 'cluster-stop',
  title: 'Stop cluster',
  changes: 'cluster services (Pacemaker, Corosync) of every node',
  target: 'cluster',
  describe: () => 'stop Pacemaker and Corosync on every node, one after another (the Promoted node last): every resource stops',
  validate: validating((_req, snap) => {
    if (onlineMembers(snap).length === 0) throw new PcxFailure('no-change', 'every node is already stopped', 'Nothing to do.');
  }),
  phases(_req, snap, d) {
    const order = stopOrder(snap);
    const last = order.at(-1)!;
    return order.map((node) => stopPhase(d, node, node === last ? undefined : last));
  },
  // Nothing can be read afterwards: executePlan checks each node's daemons instead.
  verify: () => [],
};

/**
 * Ordered start of a stopped cluster. `req.first` is set by the planner (startPlan.ts) when the user named none.
 * The snapshot is the configuration as the nodes stored it (every node offline).
 */
export const clusterStart: OperationDescriptor = {
  kind: 'cluster-start',
  title: 'Start cluster (ordered)',
  changes: 'cluster services (Corosync, Pacemaker) of every node',
  target: 'cluster',
  describe: (req) => `start the cluster in order: Corosync everywhere, then Pacemaker on ${req.first ?? 'the first node'} until it is DC and its promotable clones are Promoted, then the other nodes`,
  validate: validating((req, snap) => {
    requireNode(snap, req.first, 'ordered start');
  }),
  phases(req, snap, d) {
    const first = req.first!;
    const nodes = memberNodeNames(snap);
    const others = nodes.filter((n) => n !== first);
    const phases: Phase[] = [first, ...others].map((node, i, all) => ({
      title: `start Corosync on ${node}${i === all.length - 1 ? ' and wait for quorum' : ''}`,
      argv: startCorosyncArgv(),
      runOn: node,
      simulate: [],
      settle: false,
      ...(i === all.length - 1 ? { wait: { kind: 'quorum', on: first } as const } : {}),
      ...(i === 0 ? { note: 'Corosync first on every node: with two_node (wait_for_all) there is quorum only once every node was seen; no backend starts Corosync alone' } : {}),
    }));
    phases.push({
      title: `start Pacemaker on ${first} and wait until it is DC and its promotable clones are Promoted there`,
      argv: clusterServicesArgv(d, true),
      runOn: first,
      // crm_simulate runs no agent: the promotion score the agent sets after its first monitor is set on the copy.
      simulate: promotablePrimitives(snap).map((p) => tools.nodeAttribute(first, `master-${p}`, '1')),
      simulateFlags: [`--node-up=${first}`],
      settle: false,
      wait: { kind: 'ready-on-first', on: first },
    });
    others.forEach((node, i) => {
      const lastOne = i === others.length - 1;
      phases.push({
        title: `start Pacemaker on ${node}${lastOne ? ' and wait until every node joined and the resources settled' : ''}`,
        argv: clusterServicesArgv(d, true),
        runOn: node,
        simulate: [],
        simulateFlags: [`--node-up=${node}`],
        settle: false,
        ...(lastOne ? { wait: { kind: 'settled', on: first, nodes } as const } : {}),
      });
    });
    return phases;
  },
  verify(req, _before, after) {
    const out = after.nodes.filter((n) => n.type === 'member' && !n.online).map((n) => `${n.name} is not online`);
    for (const r of after.resources) {
      if (r.kind !== 'clone' || !r.promotable) continue;
      const promoted = promotedNodes(r);
      if (promoted.length !== 1 || promoted[0] !== req.first) out.push(`${r.id} is Promoted on ${promoted.join(', ') || 'no node'}, not ${req.first}`);
    }
    return out;
  },
};
