/**
 * Where a resource runs, in words, decided once for every output (explorer rows and `pcx status`):
 * "Promoted on node1 · Unpromoted on node2", "Started on node1, node2", "Stopped on node1".
 *
 * crm_mon's XML gives a clone's stopped instances no node; its own text names them after the member
 * nodes that host no instance ("Stopped: [ node1 ]"), and so do we.
 */
import { idleNodesOf, placementOf } from './snapshot';
import type { ResourceStatus, Role } from './types';

export interface PlacementPart {
  readonly role: Role;
  /** Where instances in this role are (for Stopped: the idle member nodes, when known). */
  readonly nodes: readonly string[];
  /** How many instances have this role (a clone may have several stopped ones and no node for them). */
  readonly instances: number;
}

/** Role → nodes for a resource; `memberNodes` (the cluster's member nodes) names a clone's stopped instances. */
export function placementParts(r: ResourceStatus, memberNodes: readonly string[] = []): PlacementPart[] {
  const idle = idleNodesOf(r, memberNodes);
  return placementOf(r).map(({ role, nodes }) => {
    const named = nodes.filter((n) => n !== '');
    if (role === 'Stopped') return { role, nodes: idle.length > 0 ? idle : named, instances: nodes.length };
    return { role, nodes: named, instances: nodes.length };
  });
}

/**
 * Each instance of a clone with its own placement: a stopped instance is given an idle node only when
 * there is exactly one idle node per stopped instance (otherwise which one is where is a guess).
 */
export function instancePlacements(clone: ResourceStatus, memberNodes: readonly string[]): PlacementPart[][] {
  if (clone.kind !== 'clone') return [];
  const idle = idleNodesOf(clone, memberNodes);
  const unplaced = clone.instances.filter((i) => i.kind === 'primitive' && i.nodes.length === 0).length;
  let next = 0;
  return clone.instances.map((i) => {
    if (i.kind === 'primitive' && i.nodes.length === 0 && idle.length === unplaced && unplaced > 0) {
      return [{ role: i.role, nodes: [idle[next++]!], instances: 1 }];
    }
    return placementParts(i);
  });
}

/** "Promoted on node1 · Unpromoted on node2"; "Stopped (2 instances)" where no node is known; "Stopped" for none. */
export function placementText(parts: readonly PlacementPart[]): string {
  const words = parts.map((p) => (p.nodes.length > 0 ? `${p.role} on ${p.nodes.join(', ')}` : p.instances > 1 ? `${p.role} (${p.instances} instances)` : p.role));
  return words.length > 0 ? words.join(' · ') : 'Stopped';
}

/** Shorthand: placementText(placementParts(r, memberNodes)). */
export function describePlacement(r: ResourceStatus, memberNodes: readonly string[] = []): string {
  return placementText(placementParts(r, memberNodes));
}

/** Resources placed on a node, with their role there (crm_mon lists them per node only with --group-by-node). */
export function placementsOn(node: string, resources: readonly ResourceStatus[]): { resource: string; role: Role }[] {
  const out: { resource: string; role: Role }[] = [];
  for (const r of resources) {
    for (const { role, nodes } of placementOf(r)) if (nodes.includes(node)) out.push({ resource: r.id, role });
  }
  return out;
}
