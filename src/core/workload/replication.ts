/**
 * Replication next to Pacemaker's roles, and the checks on it. Shared by every ReplicatedService: the codes are
 * `workload/${kind}-…` and the wording uses the service's own words for the roles. Pure functions.
 */
import type { HealthReason } from '../cluster/health';
import type { CloneStatus } from '../cluster/types';
import { primitivesOf } from '../cluster/snapshot';
import type { PcxError } from '../util/result';
import { SETTLE_SECONDS, settlingOf } from './settling';
import type { InstanceView, ReplicatedService, ReplicationState, ServiceView } from './types';

/** What reading one node gave, before it is compared with Pacemaker. */
export type NodeObservation =
  | { readonly kind: 'read'; readonly replication: ReplicationState }
  /** Nothing listens on the port (tunnel refused). */
  | { readonly kind: 'not-listening'; readonly problem: PcxError }
  | { readonly kind: 'auth-needed'; readonly problem: PcxError }
  /** The node or the service could not be asked (SSH down, timeout, odd answer). */
  | { readonly kind: 'failed'; readonly problem: PcxError; readonly nodeOffline?: boolean };

/** Pacemaker's role for the clone on each node ("Stopped" where no instance runs). */
export function pacemakerRoles(clone: CloneStatus, nodes: readonly string[]): Map<string, string> {
  const roles = new Map(nodes.map((n) => [n, 'Stopped']));
  for (const p of primitivesOf([clone])) for (const n of p.nodes) roles.set(n.name, p.role);
  return roles;
}

/** The node a service names as its source: by node name (also short vs. full name) or by one of its addresses. */
export function nodeForHost(host: string | undefined, nodes: readonly string[], addresses: ReadonlyMap<string, readonly string[]>): string | undefined {
  if (!host) return undefined;
  const h = host.toLowerCase();
  const short = (s: string): string => s.toLowerCase().split('.')[0]!;
  return nodes.find((n) => n.toLowerCase() === h) ?? nodes.find((n) => short(n) === short(h) && !/^\d/.test(h)) ?? nodes.find((n) => (addresses.get(n) ?? []).includes(host));
}

export function serviceView(
  service: ReplicatedService,
  clone: CloneStatus,
  primitive: string,
  port: number,
  observed: ReadonlyMap<string, NodeObservation>,
  addresses: ReadonlyMap<string, readonly string[]>,
  /** Seconds since each node's Pacemaker role began (settling.ts RoleClock), when known. */
  roleAges?: ReadonlyMap<string, number>,
): ServiceView {
  const nodes = [...observed.keys()];
  const roles = pacemakerRoles(clone, nodes);
  const base = nodes.map((node) => {
    const o = observed.get(node)!;
    const pacemakerRole = roles.get(node) ?? 'Stopped';
    const age = roleAges?.get(node);
    if (o.kind === 'read' && age !== undefined) return { node, pacemakerRole, state: 'up' as const, replication: o.replication, sourceNode: nodeForHost(o.replication.sourceHost, nodes, addresses), roleAgeSeconds: age };
    if (o.kind === 'read') return { node, pacemakerRole, state: 'up' as const, replication: o.replication, sourceNode: nodeForHost(o.replication.sourceHost, nodes, addresses) };
    if (o.kind === 'auth-needed') return { node, pacemakerRole, state: 'auth-needed' as const, problem: o.problem };
    const expectedDown = pacemakerRole === 'Stopped' && o.kind === 'not-listening';
    return { node, pacemakerRole, state: expectedDown ? ('down' as const) : ('unreachable' as const), problem: o.problem };
  });
  const instances: InstanceView[] = base.map((i) => {
    if (i.state !== 'up' || i.replication.role !== 'replica' || i.replication.offset === undefined || !i.sourceNode) return i;
    const source = base.find((b) => b.node === i.sourceNode);
    const sourceOffset = source?.state === 'up' && source.replication.role === 'primary' ? source.replication.offset : undefined;
    return sourceOffset === undefined ? i : { ...i, lagBytes: Math.max(0, sourceOffset - i.replication.offset) };
  });
  return { kind: service.kind, label: service.label, words: service.words, resource: clone.id, primitive, port, instances };
}

export interface ReplicationCheckOptions {
  /** workload/…-lag above this many bytes behind the primary. */
  readonly lagThresholdBytes: number;
  /** How to give a password, in the words of the front end (pcx: REDISCLI_AUTH; VS Code: a command). */
  readonly passwordHint: string;
  /** Nodes Pacemaker sees offline: not reaching them is no news. */
  readonly offlineNodes?: ReadonlySet<string>;
}

const cleanup = (id: string): string => `\`pcs resource cleanup ${id}\` (or \`crm resource cleanup ${id}\`)`;

export function replicationReasons(service: ReplicatedService, v: ServiceView, o: ReplicationCheckOptions): HealthReason[] {
  const reasons: HealthReason[] = [];
  const code = (what: string): string => `workload/${v.kind}-${what}`;
  const follow = (node: string, primary: string): string => `\`${service.commands.follow(primary, v.port)}\` on ${node}`;
  const inspect = (node: string): string => `\`${service.commands.inspect(v.port)}\` on ${node}`;
  const up = v.instances.filter((i): i is InstanceView & { replication: ReplicationState } => i.state === 'up' && i.replication !== undefined);
  // An instance still starting or syncing (settling.ts) is said as such, never as a split brain or a link down.
  const settling = new Map(up.flatMap((i) => {
    const st = settlingOf(i);
    return st ? [[i.node, st] as const] : [];
  }));
  const primaries = up.filter((i) => i.replication.role === 'primary' && !settling.has(i.node));
  const promoted = v.instances.filter((i) => i.pacemakerRole === 'Promoted').map((i) => i.node);
  const P = v.words.primary;

  const splitBrain = primaries.length > 1;
  if (splitBrain) {
    const list = primaries.map((i) => `${i.node} (Pacemaker: ${i.pacemakerRole})`).join(', ');
    const others = primaries.filter((i) => !promoted.includes(i.node));
    reasons.push({
      code: code('split-brain'),
      severity: 'error',
      subject: v.resource,
      message: `${primaries.length} ${v.label} ${P}s at once: ${list}; writes to one are lost when they are joined again`,
      fix: promoted.length === 1 && others.length > 0
        ? `keep ${promoted[0]} (Promoted) and make the other${others.length > 1 ? 's' : ''} its replica again: ${others.map((i) => follow(i.node, promoted[0]!)).join(' and ')} — writes made there since the split are lost; or let Pacemaker recover it: ${cleanup(v.resource)}`
        : `decide which node's data to keep, make the others its replicas (${follow('each of them', '<node>')}), then ${cleanup(v.resource)}`,
    });
  }

  for (const i of v.instances) {
    const r = i.replication;
    if (i.state === 'auth-needed') {
      reasons.push({ code: code('unreachable'), severity: 'warning', subject: i.node, message: `${v.label} on ${i.node}: ${i.problem?.message ?? 'asks for a password'}`, fix: o.passwordHint });
      continue;
    }
    if (i.state === 'unreachable') {
      if (o.offlineNodes?.has(i.node)) continue;
      const where = i.pacemakerRole === 'Stopped' ? '' : ` (Pacemaker: ${i.pacemakerRole})`;
      reasons.push({ code: code('unreachable'), severity: 'warning', subject: i.node, message: `cannot read ${v.label} on ${i.node}${where}: ${i.problem?.message ?? 'no answer'}`, fix: i.problem?.hint ?? `check ${v.label} on ${i.node}` });
      continue;
    }
    if (i.state !== 'up' || !r) continue;
    const st = settling.get(i.node);
    if (st) {
      const promotedNode = promoted.length === 1 ? promoted[0]! : undefined;
      reasons.push({
        code: code('settling'),
        severity: 'warning',
        subject: i.node,
        message: r.role === 'primary'
          ? `${v.label} on ${i.node} is ${st.words} (Pacemaker: ${i.pacemakerRole}); it is a ${P} until Pacemaker makes it a ${v.words.replica}${promotedNode ? ` of ${promotedNode}` : ''} — not a split brain yet`
          : `${v.label} on ${i.node} is a ${v.words.replica} of ${i.sourceNode ?? r.sourceHost ?? '?'}, ${st.words}`,
        fix: `wait: it should settle within ${SETTLE_SECONDS} s; if it does not, see ${inspect(i.node)} and ${service.commands.log} on ${i.node}`,
      });
      continue;
    }
    if (i.pacemakerRole === 'Promoted' && r.role !== 'primary') {
      reasons.push({
        code: code('role-mismatch'),
        severity: 'warning',
        subject: i.node,
        message: `Pacemaker has ${v.primitive} Promoted on ${i.node}, but ${v.label} there is a ${v.words.replica}${r.sourceHost ? ` of ${r.sourceHost}` : ''}: nothing accepts writes there`,
        fix: `Pacemaker's next monitor should notice; if it stays, ${cleanup(v.resource)}`,
      });
    } else if (i.pacemakerRole === 'Unpromoted' && r.role === 'primary' && !splitBrain) {
      reasons.push({
        code: code('role-mismatch'),
        severity: 'warning',
        subject: i.node,
        message: `${v.label} on ${i.node} is a ${P}, but Pacemaker has it Unpromoted`,
        fix: promoted.length === 1 ? `make it a replica of ${promoted[0]} again: ${follow(i.node, promoted[0]!)}, or ${cleanup(v.resource)}` : cleanup(v.resource),
      });
    }
    if (r.role !== 'replica') continue;
    const from = i.sourceNode ?? r.sourceHost ?? '?';
    if (!r.linkUp) {
      reasons.push({
        code: code('link-down'),
        severity: 'warning',
        subject: i.node,
        message: `${v.label} on ${i.node} is a ${v.words.replica} of ${from}, but its replication link is down`,
        fix: `check that ${i.node} reaches ${from}:${r.sourcePort ?? v.port} and, if the ${P} has requirepass, that masterauth is set; see ${inspect(i.node)} and ${service.commands.log} on ${i.node}`,
      });
    } else if (promoted.length === 1 && i.sourceNode !== promoted[0]) {
      reasons.push({
        code: code('link-down'),
        severity: 'warning',
        subject: i.node,
        message: `${v.label} on ${i.node} replicates from ${from}, not from the Promoted node ${promoted[0]}`,
        fix: `re-point it: ${follow(i.node, promoted[0]!)}, or ${cleanup(v.resource)}`,
      });
    }
    if (i.lagBytes !== undefined && i.lagBytes > o.lagThresholdBytes) {
      reasons.push({
        code: code('lag'),
        severity: 'warning',
        subject: i.node,
        message: `${v.label} on ${i.node} is ${i.lagBytes} bytes behind its ${P} ${from} (threshold ${o.lagThresholdBytes})`,
        fix: `a failover now would lose those writes; check the network and load between ${from} and ${i.node} (${inspect(i.node)})`,
      });
    }
  }
  return reasons;
}
