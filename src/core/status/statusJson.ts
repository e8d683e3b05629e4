/**
 * The documented, stable JSON form of `pcx status --json` (docs/status-json.md).
 *
 * Deliberately NOT the internal snapshot: field names here are a public contract (scripts and
 * monitoring read them), so the mapping is explicit and versioned by `schemaVersion`. Additive
 * changes keep the version; renames or removals bump it. Absent values are `null`, never missing.
 */
import type { HealthReport } from '../cluster/health';
import { baseResourceId } from '../cluster/names';
import { nodeStateOf } from '../cluster/nodeState';
import { placementParts } from '../cluster/placementWords';
import type { ClusterSnapshot, PrimitiveStatus, ResourceStatus } from '../cluster/types';
import type { WorkloadJson } from '../workload/report';

/**
 * 2: `placement[]` entries carry `instances`, and a stopped instance no longer appears as an
 * empty-string node (`{"role":"Stopped","nodes":[""]}` became `{"role":"Stopped","nodes":[],"instances":1}`).
 */
export const STATUS_JSON_SCHEMA_VERSION = 2;

export interface StatusJsonPlacement {
  readonly role: string;
  /** Where instances in this role are: real node names only (a stopped instance is on no node). */
  readonly nodes: readonly string[];
  /** How many instances have this role. */
  readonly instances: number;
}

/** No member-node guessing here: the JSON says what crm_mon says, and crm_mon gives a stopped instance no node. */
function placementJson(r: ResourceStatus): StatusJsonPlacement[] {
  return placementParts(r).map(({ role, nodes, instances }) => ({ role, nodes: [...nodes], instances }));
}

export interface StatusJsonResource {
  readonly id: string;
  readonly kind: 'primitive' | 'group' | 'clone' | 'bundle' | 'replica';
  readonly agent: string | null;
  readonly promotable: boolean;
  readonly role: string | null;
  /** Role → node names for this resource and everything inside it; a stopped instance has no node, only a count. */
  readonly placement: readonly StatusJsonPlacement[];
  readonly nodes: readonly string[];
  readonly active: boolean;
  readonly managed: boolean;
  readonly disabled: boolean;
  readonly failed: boolean;
  readonly blocked: boolean;
  readonly orphaned: boolean;
  readonly maintenance: boolean;
  readonly failureIgnored: boolean;
  readonly targetRole: string | null;
  readonly pending: string | null;
  readonly members: readonly StatusJsonResource[];
}

function primitiveJson(p: PrimitiveStatus): StatusJsonResource {
  return {
    id: p.id,
    kind: 'primitive',
    agent: p.agent.name,
    promotable: false,
    role: p.role,
    placement: placementJson(p),
    nodes: p.nodes.map((n) => n.name),
    active: p.active,
    managed: p.managed,
    disabled: p.disabled,
    failed: p.failed,
    blocked: p.blocked,
    orphaned: p.orphaned,
    maintenance: p.maintenance,
    failureIgnored: p.failureIgnored,
    targetRole: p.targetRole ?? null,
    pending: p.pending ?? null,
    members: [],
  };
}

function resourceJson(r: ResourceStatus): StatusJsonResource {
  if (r.kind === 'primitive') return primitiveJson(r);
  const members: StatusJsonResource[] =
    r.kind === 'group' ? r.children.map(primitiveJson)
    : r.kind === 'clone' ? r.instances.map(resourceJson)
    : r.replicas.map((rep) => replicaJson(rep.id, rep.resources.map(primitiveJson)));
  const all = flatten(members);
  const nodes = [...new Set(all.flatMap((m) => m.nodes))];
  return {
    id: r.id,
    kind: r.kind,
    agent: r.kind === 'clone' ? (all[0]?.agent ?? null) : null,
    promotable: r.kind === 'clone' && r.promotable,
    role: null,
    placement: placementJson(r),
    nodes,
    active: all.some((m) => m.active),
    managed: r.managed,
    disabled: 'disabled' in r ? r.disabled : false,
    failed: ('failed' in r && r.failed) || all.some((m) => m.failed),
    blocked: all.some((m) => m.blocked),
    orphaned: false,
    maintenance: r.maintenance,
    failureIgnored: r.kind === 'clone' ? r.failureIgnored : false,
    targetRole: r.kind === 'clone' ? (r.targetRole ?? null) : null,
    pending: null,
    members,
  };
}

/** A bundle replica: its id is the replica number ("0"), its members the container, IP and inner resource. */
function replicaJson(id: string, members: StatusJsonResource[]): StatusJsonResource {
  return {
    id, kind: 'replica', agent: null, promotable: false, role: null,
    placement: [], nodes: [...new Set(members.flatMap((m) => m.nodes))],
    active: members.some((m) => m.active), managed: members.every((m) => m.managed),
    disabled: members.length > 0 && members.every((m) => m.disabled), failed: members.some((m) => m.failed),
    blocked: members.some((m) => m.blocked), orphaned: false, maintenance: members.some((m) => m.maintenance),
    failureIgnored: false, targetRole: null, pending: null, members,
  };
}

function flatten(rs: readonly StatusJsonResource[]): StatusJsonResource[] {
  return rs.flatMap((r) => (r.kind === 'primitive' ? [r] : flatten(r.members)));
}

/** `workload`: what the services say themselves (core/workload/report.ts), null when not read. */
export function toStatusJson(s: ClusterSnapshot, health: HealthReport, workload: WorkloadJson | null = null) {
  const sum = s.crmMon.summary;
  return {
    schemaVersion: STATUS_JSON_SCHEMA_VERSION,
    source: s.source ?? null,
    cluster: {
      name: s.clusterName ?? null,
      dc: sum.dc ? { name: sum.dc.name, id: sum.dc.id } : null,
      quorum: sum.withQuorum ?? null,
      pacemakerVersion: s.pacemakerVersion ?? null,
      stack: sum.stack ?? null,
      crmMonFormat: s.crmMon.format,
      apiVersion: s.crmMon.apiVersion ?? s.crmMon.crmMonVersion ?? null,
      lastUpdate: sum.lastUpdate ?? null,
      lastChange: sum.lastChange
        ? { time: sum.lastChange.time || null, user: sum.lastChange.user ?? null, client: sum.lastChange.client ?? null, origin: sum.lastChange.origin ?? null }
        : null,
      nodesConfigured: sum.nodesConfigured ?? null,
      resourcesConfigured: sum.resourcesConfigured ?? null,
      resourcesDisabled: sum.resourcesDisabled ?? null,
      resourcesBlocked: sum.resourcesBlocked ?? null,
      options: {
        stonithEnabled: sum.options.stonithEnabled ?? null,
        maintenanceMode: sum.options.maintenanceMode ?? null,
        symmetricCluster: sum.options.symmetricCluster ?? null,
        noQuorumPolicy: sum.options.noQuorumPolicy ?? null,
        stopAllResources: sum.options.stopAllResources ?? null,
      },
    },
    nodes: s.nodes.map((n) => ({
      name: n.name,
      id: n.id,
      type: n.type,
      state: nodeStateOf(n),
      online: n.online,
      standby: n.standby,
      standbyOnFail: n.standbyOnFail,
      maintenance: n.maintenance,
      pending: n.pending,
      unclean: n.unclean,
      shutdown: n.shutdown,
      isDc: n.isDc,
      resourcesRunning: n.resourcesRunning,
      attributes: Object.fromEntries(n.attributes.map((a) => [a.name, a.value])),
    })),
    resources: s.resources.map(resourceJson),
    vips: s.vips.map((v) => ({
      resource: v.resource,
      ip: v.ip ?? null,
      cidrNetmask: v.cidrNetmask ?? null,
      nic: v.nic ?? null,
      nodes: v.nodes,
      active: v.active,
      followsPromotedOf: v.followsPromotedOf ?? null,
    })),
    failures: s.failures.map((f) => ({
      resource: baseResourceId(f.resource),
      instance: f.resource,
      operation: f.task,
      intervalMs: f.intervalMs,
      node: f.node,
      rc: f.exitCode,
      rcText: f.exitStatus,
      exitReason: f.exitReason || null,
      status: f.status,
      lastRcChange: f.lastRcChange ?? null,
      callId: f.call,
      execMs: f.execMs ?? null,
      queuedMs: f.queuedMs ?? null,
    })),
    failCounts: s.failCounts.map((f) => ({
      resource: f.resource,
      node: f.node,
      failCount: f.failCount,
      migrationThreshold: f.migrationThreshold ?? null,
      lastFailure: f.lastFailure ?? null,
      thresholdReached: f.thresholdReached,
    })),
    leftoverConstraints: s.leftoverConstraints.map((c) => ({
      id: c.id,
      kind: c.leftover ?? null,
      resource: c.rsc ?? c.rscPattern ?? null,
      node: c.node ?? null,
      role: c.role ?? null,
      score: c.scoreText ?? (c.score != null ? String(c.score) : null),
    })),
    bans: s.bans.map((b) => ({ id: b.id, resource: b.resource, node: b.node, weight: b.weight, promotedOnly: b.promotedOnly })),
    tickets: s.crmMon.tickets.map((t) => ({ id: t.id, status: t.status ?? null, standby: t.standby, lastGranted: t.lastGranted ?? null })),
    fenceHistory: s.crmMon.fenceHistory
      ? s.crmMon.fenceHistory.map((e) => ({ target: e.target, action: e.action, status: e.status, delegate: e.delegate ?? null, origin: e.origin ?? null, completed: e.completed ?? null, exitReason: e.exitReason ?? null }))
      : null,
    workload,
    health: {
      verdict: health.verdict,
      reasons: health.reasons.map((r) => ({ code: r.code, severity: r.severity, subject: r.subject, message: r.message, fix: r.fix ?? null })),
    },
  };
}

export type StatusJson = ReturnType<typeof toStatusJson>;
