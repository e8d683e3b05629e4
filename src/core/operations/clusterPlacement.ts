/**
 * Where everything runs, in which role: the one view the preview predicts, the wait checks and the report shows.
 * Compared per top-level resource (a clone's instances together, a group's members together), and said in plain
 * words: "redis-clone: promoted on node2, demoted on node1; VIP moves from node1 to node2".
 */
import { placementOf } from '../cluster/snapshot';
import type { CrmMonStatus, ResourceStatus } from '../cluster/types';

/** "Promoted" → nodes; only active roles (Stopped instances have no node). */
export type RoleNodes = Readonly<Record<string, readonly string[]>>;

export interface ResourcePlacement {
  readonly resource: string;
  readonly promotable: boolean;
  readonly roles: RoleNodes;
}

/** A node as the placement compares it (not the explorer's NodeState, which is one word for its icon). */
export interface NodeCondition {
  readonly name: string;
  readonly online: boolean;
  readonly standby: boolean;
  readonly maintenance: boolean;
}

export interface Placement {
  readonly resources: readonly ResourcePlacement[];
  readonly nodes: readonly NodeCondition[];
}

const ACTIVE_ORDER = ['Promoted', 'Unpromoted', 'Started'];

export function placementFromStatus(status: Pick<CrmMonStatus, 'resources' | 'nodes'>): Placement {
  return {
    resources: status.resources.map(resourcePlacement),
    nodes: status.nodes.map((n) => ({ name: n.name, online: n.online, standby: n.standby, maintenance: n.maintenance })),
  };
}

function resourcePlacement(r: ResourceStatus): ResourcePlacement {
  const roles: Record<string, string[]> = {};
  for (const { role, nodes } of placementOf(r)) {
    const named = nodes.filter(Boolean);
    if (role === 'Stopped' || named.length === 0) continue;
    roles[role] = [...named].sort();
  }
  return { resource: r.id, promotable: r.kind === 'clone' && r.promotable, roles };
}

/** Nodes where a resource runs at all, in any active role. */
export function activeNodes(p: ResourcePlacement): string[] {
  return [...new Set(Object.values(p.roles).flat())].sort();
}

/** "Promoted node2, Unpromoted node1" / "Started node1" / "stopped". */
export function describeRoles(p: ResourcePlacement): string {
  const parts = Object.entries(p.roles)
    .sort(([a], [b]) => (ACTIVE_ORDER.indexOf(a) + 1 || 99) - (ACTIVE_ORDER.indexOf(b) + 1 || 99))
    .map(([role, nodes]) => `${role} ${nodes.join(', ')}`);
  return parts.length > 0 ? parts.join('; ') : 'stopped';
}

/** One comparable line per resource: equal lines, equal placement. */
export function placementKey(p: ResourcePlacement): string {
  return `${p.resource}: ${describeRoles(p)}`;
}

const minus = (a: readonly string[], b: readonly string[]): string[] => a.filter((x) => !b.includes(x));
const list = (xs: readonly string[]): string => xs.join(' and ');

export type Tense = 'future' | 'past';

/** The change from `before` to `after` for one resource, in words; undefined when nothing changes. */
export function describeChange(before: ResourcePlacement | undefined, after: ResourcePlacement | undefined, tense: Tense = 'future'): string | undefined {
  const id = (after ?? before)!.resource;
  const b = before?.roles ?? {};
  const a = after?.roles ?? {};
  const wasOn = before ? activeNodes(before) : [];
  const isOn = after ? activeNodes(after) : [];
  const started = minus(isOn, wasOn);
  const stopped = minus(wasOn, isOn);
  const phrases: string[] = [];
  if (before?.promotable || after?.promotable) {
    // Participles after one auxiliary: "will be promoted on node2 and demoted on node1".
    const promoted = minus(a['Promoted'] ?? [], b['Promoted'] ?? []);
    const demoted = minus(b['Promoted'] ?? [], a['Promoted'] ?? []).filter((n) => isOn.includes(n));
    const startedOnly = started.filter((n) => !promoted.includes(n));
    if (promoted.length) phrases.push(`promoted on ${list(promoted)}${promoted.some((n) => started.includes(n)) ? ' (started there first)' : ''}`);
    if (demoted.length) phrases.push(`demoted on ${list(demoted)}`);
    if (startedOnly.length) phrases.push(`started on ${list(startedOnly)}${startedOnly.every((n) => (a['Unpromoted'] ?? []).includes(n)) ? ' as Unpromoted' : ''}`);
    if (stopped.length) phrases.push(`stopped on ${list(stopped)}`);
    if (phrases.length === 0) return undefined;
    return `${id} ${tense === 'future' ? 'will be' : 'was'} ${joinPhrases(phrases)}`;
  }
  const verb = (future: string, past: string) => (tense === 'future' ? `will ${future}` : past);
  if (started.length === 1 && stopped.length === 1) return `${id} ${verb('move', 'moved')} from ${stopped[0]} to ${started[0]}`;
  if (started.length) phrases.push(`${verb('start', 'started')} on ${list(started)}`);
  if (stopped.length) phrases.push(`${phrases.length ? (tense === 'future' ? 'stop' : 'stopped') : verb('stop', 'stopped')} on ${list(stopped)}`);
  return phrases.length > 0 ? `${id} ${joinPhrases(phrases)}` : undefined;
}

function joinPhrases(phrases: readonly string[]): string {
  return phrases.length === 1 ? phrases[0]! : `${phrases.slice(0, -1).join(', ')} and ${phrases.at(-1)}`;
}

/** Every resource's change, in words (empty: no change of roles or locations). */
export function describeTransition(before: Placement, after: Placement, tense: Tense = 'future'): string[] {
  const ids = [...new Set([...before.resources.map((r) => r.resource), ...after.resources.map((r) => r.resource)])];
  const find = (p: Placement, id: string) => p.resources.find((r) => r.resource === id);
  return ids.map((id) => describeChange(find(before, id), find(after, id), tense)).filter((s): s is string => s !== undefined);
}

/** Lines of `expected` that `actual` does not match (resources and node flags), as "X: expected …, is …". */
export function placementDifferences(expected: Placement, actual: Placement): string[] {
  const out: string[] = [];
  for (const e of expected.resources) {
    const a = actual.resources.find((r) => r.resource === e.resource);
    const is = a ? describeRoles(a) : 'not in the cluster';
    if (describeRoles(e) !== is) out.push(`${e.resource}: predicted ${describeRoles(e)}, is ${is}`);
  }
  for (const e of expected.nodes) {
    const a = actual.nodes.find((n) => n.name === e.name);
    if (!a) continue;
    for (const flag of ['online', 'standby', 'maintenance'] as const) {
      if (e[flag] !== a[flag]) out.push(`${e.name}: predicted ${flag} ${e[flag] ? 'yes' : 'no'}, is ${a[flag] ? 'yes' : 'no'}`);
    }
  }
  return out;
}

/**
 * What makes a change dangerous enough to type the cluster's name: a resource that runs now and would run nowhere
 * afterwards, or no node left online and out of standby.
 */
export function dangers(before: Placement, after: Placement): string[] {
  const out: string[] = [];
  for (const b of before.resources) {
    const a = after.resources.find((r) => r.resource === b.resource);
    if (activeNodes(b).length > 0 && (!a || activeNodes(a).length === 0)) out.push(`every instance of ${b.resource} stops`);
  }
  const usable = (p: Placement) => p.nodes.filter((n) => n.online && !n.standby).length;
  if (usable(before) > 0 && usable(after) === 0) out.push('no node is left online to run resources');
  return out;
}
