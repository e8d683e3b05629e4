/**
 * Finding what an operation names in the snapshot, with the failures a user meets: an unknown resource or node,
 * a switchover of something that is not a promotable clone, standby of an offline node.
 */
import { memberNodeNames, primitivesOf } from '../cluster/snapshot';
import { baseResourceId } from '../cluster/names';
import type { CloneStatus, ClusterSnapshot, NodeView, ResourceStatus } from '../cluster/types';
import { PcxFailure } from '../util/result';

/** The top-level resource `id` names: itself, or the clone/group holding a primitive of that id ("redis" → redis-clone). */
export function findTopLevel(snap: ClusterSnapshot, id: string): ResourceStatus | undefined {
  const base = baseResourceId(id);
  return (
    snap.resources.find((r) => r.id === id) ??
    snap.resources.find((r) => (r.kind === 'group' ? r.children.some((c) => c.id === base) : primitivesOf([r]).some((p) => baseResourceId(p.id) === base)))
  );
}

function known(snap: ClusterSnapshot): string {
  const ids = snap.resources.map((r) => r.id);
  return ids.length > 0 ? `resources here: ${ids.join(', ')}` : 'this cluster has no resources';
}

export function requireResource(snap: ClusterSnapshot, id: string | undefined, what: string): ResourceStatus {
  if (!id) throw new PcxFailure('usage', `${what} needs a resource`, 'Name the resource (as `pcx status` lists it).');
  const r = findTopLevel(snap, id);
  if (!r) throw new PcxFailure('unknown-resource', `no resource ${id} in this cluster`, `Check the name: ${known(snap)}.`);
  return r;
}

/** A promotable clone, found by its own id or its primitive's ("redis" → redis-clone). */
export function requirePromotable(snap: ClusterSnapshot, id: string | undefined, what: string): CloneStatus {
  const r = requireResource(snap, id, what);
  if (r.kind !== 'clone' || !r.promotable) {
    const promotable = snap.resources.filter((x) => x.kind === 'clone' && x.promotable).map((x) => x.id);
    throw new PcxFailure(
      'not-promotable',
      `${what} is for promotable clones; ${r.id} is a ${r.kind === 'clone' ? 'clone that is not promotable' : r.kind}`,
      promotable.length > 0 ? `Promotable clones here: ${promotable.join(', ')}. To put ${r.id} on another node, use move.` : `To put ${r.id} on another node, use move.`,
    );
  }
  return r;
}

export function requireNode(snap: ClusterSnapshot, name: string | undefined, what: string, opts: { online?: boolean } = {}): NodeView {
  const members = memberNodeNames(snap);
  if (!name) throw new PcxFailure('usage', `${what} needs a node`, `Name one of: ${members.join(', ')}.`);
  const node = snap.nodes.find((n) => n.name === name);
  if (!node) throw new PcxFailure('unknown-node', `no node ${name} in this cluster`, `Nodes here: ${members.join(', ')}.`);
  if (opts.online && !node.online) {
    throw new PcxFailure('node-offline', `${name} is offline, so ${what} cannot use it`, `Start the cluster services on ${name} first (pcx start), or choose an online node.`);
  }
  return node;
}

/** Nodes where the resource's instances run Promoted. */
export function promotedNodes(r: ResourceStatus): string[] {
  return [...new Set(primitivesOf([r]).filter((p) => p.role === 'Promoted').flatMap((p) => p.nodes.map((n) => n.name)))].sort();
}

/** Nodes where any instance runs. */
export function runningNodes(r: ResourceStatus): string[] {
  return [...new Set(primitivesOf([r]).flatMap((p) => (p.active ? p.nodes.map((n) => n.name) : [])))].sort();
}

/** cli-prefer/cli-ban constraints on a resource (or on any when `resource` is undefined). */
export function cliConstraints(snap: ClusterSnapshot, resource?: string): string[] {
  return snap.leftoverConstraints.filter((c) => resource === undefined || c.rsc === resource).map((c) => c.id);
}
