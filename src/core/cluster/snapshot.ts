/**
 * Joins crm_mon's runtime view with the CIB's configuration into one ClusterSnapshot:
 * node attributes (transient + permanent), disabled state from target-role meta (own or
 * inherited from group/clone), fail counts with their effective migration-threshold
 * (resource meta → parent meta → rsc_defaults → INFINITY), leftover move/ban constraints,
 * and where each virtual IP (IPaddr2/IPaddr) runs. Pure: same inputs, same snapshot.
 */
import { baseResourceId } from './names';
import type {
  Ban,
  CibConfig,
  CibResource,
  ClusterSnapshot,
  CrmMonStatus,
  FailCount,
  GroupStatus,
  LocationConstraint,
  NodeView,
  PrimitiveStatus,
  ResourceStatus,
  Role,
  VirtualIp,
} from './types';
import { parseScore, SCORE_INFINITY } from '../util/xml';

export interface SnapshotOptions {
  /** Host that answered, or the file that was read. */
  readonly source?: string;
}

interface DefinitionEntry {
  readonly def: CibResource;
  readonly parent?: string;
}

/** Index every configured resource (including group members and clone/bundle children) by id. */
function indexDefinitions(cib: CibConfig | undefined): Map<string, DefinitionEntry> {
  const map = new Map<string, DefinitionEntry>();
  const add = (def: CibResource, parent?: string): void => {
    map.set(def.id, { def, parent });
    if (def.kind === 'group') for (const c of def.children) add(c, def.id);
    if (def.kind === 'clone' && def.child) add(def.child, def.id);
    if (def.kind === 'bundle' && def.primitive) add(def.primitive, def.id);
  };
  for (const r of cib?.resources ?? []) add(r);
  return map;
}

/** A meta attribute as it applies to `id`: its own, else its parents', else undefined. */
function effectiveMeta(defs: Map<string, DefinitionEntry>, id: string, key: string): string | undefined {
  let cur: string | undefined = baseResourceId(id);
  for (let guard = 0; cur && guard < 8; guard++) {
    const entry = defs.get(cur);
    if (!entry) return undefined;
    const v = entry.def.meta[key];
    if (v != null) return v;
    cur = entry.parent;
  }
  return undefined;
}

function isStopped(role: string | undefined): boolean {
  return role != null && role.toLowerCase() === 'stopped';
}

function withDisabled(r: ResourceStatus, defs: Map<string, DefinitionEntry>): ResourceStatus {
  const disabledByCib = (id: string): boolean => isStopped(effectiveMeta(defs, id, 'target-role'));
  switch (r.kind) {
    case 'primitive':
      return r.disabled || !disabledByCib(r.id) ? r : { ...r, disabled: true };
    case 'group': {
      const children = r.children.map((c) => withDisabled(c, defs) as PrimitiveStatus);
      return { ...r, children, disabled: r.disabled || disabledByCib(r.id) };
    }
    case 'clone':
      return {
        ...r,
        disabled: r.disabled || disabledByCib(r.id),
        instances: r.instances.map((i) => withDisabled(i, defs) as PrimitiveStatus | GroupStatus),
      };
    case 'bundle':
      return { ...r, replicas: r.replicas.map((rep) => ({ ...rep, resources: rep.resources.map((p) => withDisabled(p, defs) as PrimitiveStatus) })) };
  }
}

/** Every primitive instance in a resource tree, in order. */
export function primitivesOf(resources: readonly ResourceStatus[]): PrimitiveStatus[] {
  const out: PrimitiveStatus[] = [];
  const walk = (r: ResourceStatus): void => {
    switch (r.kind) {
      case 'primitive':
        out.push(r);
        break;
      case 'group':
        r.children.forEach(walk);
        break;
      case 'clone':
        r.instances.forEach(walk);
        break;
      case 'bundle':
        r.replicas.forEach((rep) => rep.resources.forEach(walk));
        break;
    }
  };
  resources.forEach(walk);
  return out;
}

/**
 * Member nodes hosting no instance of a clone: where crm_mon's own text puts its stopped instances
 * ("Stopped: [ node1 ]"); crm_mon's XML gives stopped instances no node at all.
 */
export function idleNodesOf(r: ResourceStatus, memberNodes: readonly string[]): string[] {
  if (r.kind !== 'clone') return [];
  const hosting = new Set(primitivesOf([r]).flatMap((p) => p.nodes.map((n) => n.name)));
  return memberNodes.filter((n) => !hosting.has(n));
}

/** Names of the cluster's member nodes (not remote or guest nodes), in crm_mon's order. */
export function memberNodeNames(s: { readonly nodes: readonly { readonly name: string; readonly type: string }[] }): string[] {
  return s.nodes.filter((n) => n.type === 'member').map((n) => n.name);
}

/** Role → nodes, for one resource (e.g. a promotable clone: Promoted → [node1], Unpromoted → [node2]). */
export function placementOf(r: ResourceStatus): { role: Role; nodes: string[] }[] {
  const byRole = new Map<string, string[]>();
  for (const p of primitivesOf([r])) {
    const nodes = p.nodes.map((n) => n.name);
    const list = byRole.get(p.role) ?? [];
    if (nodes.length === 0 && p.role === 'Stopped') list.push('');
    for (const n of nodes) if (!list.includes(n)) list.push(n);
    byRole.set(p.role, list);
  }
  const order = ['Promoted', 'Unpromoted', 'Started', 'Stopped'];
  return [...byRole.entries()]
    .sort(([a], [b]) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99))
    .map(([role, nodes]) => ({ role, nodes }));
}

function leftoversFromBans(bans: readonly Ban[]): LocationConstraint[] {
  return bans
    .filter((b) => b.id.startsWith('cli-ban-') || b.id.startsWith('cli-prefer-'))
    .map((b) => ({
      type: 'location',
      id: b.id,
      rsc: b.resource,
      node: b.node,
      score: b.weight,
      scoreText: b.weight <= -SCORE_INFINITY ? '-INFINITY' : String(b.weight),
      role: b.promotedOnly ? 'Promoted' : undefined,
      rules: [],
      sets: [],
      leftover: b.id.startsWith('cli-ban-') ? 'cli-ban' : 'cli-prefer',
    }));
}

const VIP_AGENTS = new Set(['IPaddr2', 'IPaddr']);

function findVips(resources: readonly ResourceStatus[], defs: Map<string, DefinitionEntry>, cib: CibConfig | undefined): VirtualIp[] {
  const vips = new Map<string, { nodes: string[]; active: boolean }>();
  const collect = (r: ResourceStatus): void => {
    if (r.kind === 'bundle') return; // a bundle's IPs are implicit per-replica addresses, not service VIPs
    for (const p of primitivesOf([r])) {
      if (!VIP_AGENTS.has(p.agent.type)) continue;
      const id = baseResourceId(p.id);
      const entry = vips.get(id) ?? { nodes: [], active: false };
      for (const n of p.nodes) if (!entry.nodes.includes(n.name)) entry.nodes.push(n.name);
      entry.active ||= p.active;
      vips.set(id, entry);
    }
  };
  resources.forEach(collect);
  return [...vips.entries()].map(([resource, { nodes, active }]) => {
    const def = defs.get(resource)?.def;
    const params = def?.kind === 'primitive' ? def.params : {};
    const follows = cib?.constraints.find(
      (c) => c.type === 'colocation' && c.rsc === resource && c.withRscRole === 'Promoted' && (c.score ?? 0) > 0,
    );
    return {
      resource,
      ip: params['ip'],
      cidrNetmask: params['cidr_netmask'],
      nic: params['nic'],
      nodes,
      active,
      followsPromotedOf: follows?.type === 'colocation' ? follows.withRsc : undefined,
    };
  });
}

function collectFailCounts(crmMon: CrmMonStatus, cib: CibConfig | undefined, defs: Map<string, DefinitionEntry>): FailCount[] {
  const threshold = (resource: string): number | undefined => {
    const v = effectiveMeta(defs, resource, 'migration-threshold') ?? cib?.rscDefaults['migration-threshold'];
    return parseScore(v) ?? (cib ? SCORE_INFINITY : undefined);
  };
  const out = new Map<string, FailCount>();
  for (const h of crmMon.history) {
    if (!h.failCount) continue;
    const key = `${h.node}\u0000${h.resource}`;
    const mt = h.migrationThreshold ?? threshold(h.resource);
    out.set(key, {
      node: h.node,
      resource: h.resource,
      failCount: h.failCount,
      migrationThreshold: mt,
      lastFailure: h.lastFailure,
      thresholdReached: mt != null && h.failCount >= mt,
    });
  }
  // The CIB status section has them too (crm_mon prints them only with history): fill gaps.
  const summed = new Map<string, { node: string; resource: string; count: number; last?: string }>();
  for (const f of cib?.failCounts ?? []) {
    const key = `${f.node}\u0000${f.resource}`;
    const s = summed.get(key) ?? { node: f.node, resource: f.resource, count: 0 };
    s.count = Math.min(SCORE_INFINITY, s.count + f.count);
    if (f.lastFailure && (!s.last || f.lastFailure > s.last)) s.last = f.lastFailure;
    summed.set(key, s);
  }
  for (const [key, s] of summed) {
    if (out.has(key) || s.count <= 0) continue;
    const mt = threshold(s.resource);
    out.set(key, { node: s.node, resource: s.resource, failCount: s.count, migrationThreshold: mt, lastFailure: s.last, thresholdReached: mt != null && s.count >= mt });
  }
  return [...out.values()];
}

/** Join crm_mon output with the CIB (optional: without it, definitions, params and leftovers of kind cli-prefer are unknown). */
export function buildSnapshot(crmMon: CrmMonStatus, cib?: CibConfig, options: SnapshotOptions = {}): ClusterSnapshot {
  const defs = indexDefinitions(cib);
  const resources = crmMon.resources.map((r) => withDisabled(r, defs));
  const attrsByNode = new Map(crmMon.nodeAttributes.map((n) => [n.node, n.attributes]));
  const cibNodes = new Map((cib?.nodes ?? []).map((n) => [n.uname, n]));
  const nodes: NodeView[] = crmMon.nodes.map((n) => ({
    ...n,
    resources: n.resources.map((r) => withDisabled(r, defs)),
    attributes: attrsByNode.get(n.name) ?? [],
    cibAttributes: cibNodes.get(n.name)?.attributes ?? {},
  }));
  const leftovers = cib
    ? cib.constraints.filter((c): c is LocationConstraint => c.type === 'location' && c.leftover !== undefined)
    : leftoversFromBans(crmMon.bans);
  const dcVersion = crmMon.summary.dc?.version || cib?.properties['dc-version'] || undefined;
  const properties = cib?.properties ?? {};
  return {
    clusterName: properties['cluster-name'] || undefined,
    source: options.source,
    pacemakerVersion: dcVersion,
    crmMon,
    cib,
    nodes,
    resources,
    failures: crmMon.failures,
    failCounts: collectFailCounts(crmMon, cib, defs),
    leftoverConstraints: leftovers,
    bans: crmMon.bans,
    vips: findVips(resources, defs, cib),
    properties,
  };
}

/** Whether the whole cluster is in maintenance-mode (crm_mon's cluster options, or the property in the CIB). */
export function inMaintenanceMode(s: ClusterSnapshot): boolean {
  return s.crmMon.summary.options.maintenanceMode === true || /^(true|yes|on|1)$/i.test(s.properties['maintenance-mode'] ?? '');
}
