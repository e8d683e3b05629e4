/**
 * The explorer tree as plain data: what every row says, which icon and colour it has, its stable id
 * and its contextValue — built from a ClusterSnapshot by one small builder per node kind.
 *
 * The VS Code layer only maps ExplorerNode → TreeItem, so everything here is unit-tested in plain
 * Node, and `Copy Status as Text` renders the same tree. Ids are `cluster/<name>/<section>/…` and
 * never depend on order where a natural key exists, so expansion survives a refresh; `nodeHash`
 * lets the view fire change events only for rows whose content (or child list) changed.
 *
 * Icons are codicon ids; colours are theme colour ids (they follow the user's theme).
 */
import { createHash } from 'node:crypto';
import { assessHealth, type HealthReport } from '../cluster/health';
import { baseResourceId } from '../cluster/names';
import { idleNodesOf, memberNodeNames, placementOf, primitivesOf } from '../cluster/snapshot';
import type {
  CibResource,
  ClusterSnapshot,
  Constraint,
  FailCount,
  FailedAction,
  GroupStatus,
  NodeView,
  PrimitiveStatus,
  ResourceStatus,
} from '../cluster/types';
import { clearCommandFor, describeConstraint, intervalText, placementText } from './wording';

export type ExplorerKind =
  | 'cluster'
  | 'section'
  | 'node'
  | 'attribute'
  | 'placement'
  | 'resource'
  | 'instance'
  | 'constraint'
  | 'failure'
  | 'failcount'
  | 'property'
  | 'message'
  | 'action';

export interface ExplorerIcon {
  /** Codicon id ("vm-running", "star-full", "loading~spin"). */
  readonly id: string;
  /** Theme colour id ("testing.iconPassed"); undefined = the theme's default foreground. */
  readonly color?: string;
}

export interface ExplorerCommand {
  readonly command: string;
  readonly title: string;
  readonly args?: readonly unknown[];
}

export interface ExplorerNode {
  readonly kind: ExplorerKind;
  /** Stable: `cluster/<name>/…`. */
  readonly id: string;
  readonly label: string;
  readonly description?: string;
  /** Markdown. */
  readonly tooltip?: string;
  readonly icon: ExplorerIcon;
  readonly contextValue: string;
  /** Initial state when the node has children (VS Code keeps the user's choice afterwards, by id). */
  readonly expanded?: boolean;
  readonly command?: ExplorerCommand;
  readonly children: readonly ExplorerNode[];
}

/* ------------------------------------------------------------ icons & states ---- */

export const COLORS = {
  ok: 'testing.iconPassed',
  error: 'testing.iconFailed',
  warning: 'editorWarning.foreground',
  info: 'charts.blue',
  muted: 'disabledForeground',
} as const;

export type NodeState = 'online' | 'offline' | 'unclean' | 'standby' | 'maintenance' | 'pending' | 'shutdown';

export function nodeStateOf(n: NodeView): NodeState {
  if (n.unclean) return 'unclean';
  if (!n.online) return 'offline';
  if (n.pending) return 'pending';
  if (n.shutdown) return 'shutdown';
  if (n.maintenance) return 'maintenance';
  if (n.standby || n.standbyOnFail) return 'standby';
  return 'online';
}

const NODE_ICONS: Readonly<Record<NodeState, ExplorerIcon>> = {
  online: { id: 'vm-running', color: COLORS.ok },
  offline: { id: 'vm-outline', color: COLORS.error },
  unclean: { id: 'vm-active', color: COLORS.error },
  standby: { id: 'debug-pause', color: COLORS.warning },
  maintenance: { id: 'tools', color: COLORS.warning },
  pending: { id: 'sync', color: COLORS.info },
  shutdown: { id: 'debug-stop', color: COLORS.warning },
};

export type ResourceState = 'promoted' | 'unpromoted' | 'started' | 'stopped' | 'failed' | 'blocked' | 'unmanaged' | 'maintenance' | 'disabled' | 'pending';

/** Roles crm_mon prints while an action runs (with record-pending, or for a node going to standby). */
const TRANSITIONAL_ROLES: ReadonlySet<string> = new Set(['Starting', 'Stopping', 'Promoting', 'Demoting', 'Migrating']);

/** The one state that best describes a primitive (worst first). */
export function primitiveStateOf(p: PrimitiveStatus): ResourceState {
  if (p.blocked) return 'blocked';
  if (p.failed) return 'failed';
  if (p.maintenance) return 'maintenance';
  if (!p.managed) return 'unmanaged';
  if (p.pending || TRANSITIONAL_ROLES.has(p.role)) return 'pending';
  if (p.role === 'Promoted') return 'promoted';
  if (p.role === 'Unpromoted') return 'unpromoted';
  if (p.active) return 'started';
  if (p.disabled) return 'disabled';
  return 'stopped';
}

const RESOURCE_ICONS: Readonly<Record<ResourceState, ExplorerIcon>> = {
  promoted: { id: 'star-full', color: COLORS.ok },
  unpromoted: { id: 'star-empty', color: COLORS.info },
  started: { id: 'pass-filled', color: COLORS.ok },
  stopped: { id: 'circle-large-outline', color: COLORS.error },
  failed: { id: 'error', color: COLORS.error },
  blocked: { id: 'circle-slash', color: COLORS.error },
  unmanaged: { id: 'lock', color: COLORS.warning },
  maintenance: { id: 'tools', color: COLORS.warning },
  disabled: { id: 'debug-stop', color: COLORS.muted },
  pending: { id: 'sync~spin', color: COLORS.info },
};

const SEVERITY: Readonly<Record<ResourceState, number>> = {
  blocked: 9,
  failed: 8,
  stopped: 7,
  maintenance: 6,
  unmanaged: 5,
  pending: 4,
  disabled: 3,
  unpromoted: 1,
  started: 1,
  promoted: 0,
};

/** Worst state among a container's primitives; a stopped instance of a clone with others running is "degraded" (stopped). */
function aggregateState(r: ResourceStatus): ResourceState {
  const prims = primitivesOf([r]);
  if (prims.length === 0) return 'stopped';
  const states = prims.map(primitiveStateOf);
  const worst = states.reduce((a, b) => (SEVERITY[b] > SEVERITY[a] ? b : a));
  if ((r.kind === 'clone' || r.kind === 'group') && r.disabled) return 'disabled';
  if ((r.kind === 'clone' || r.kind === 'group' || r.kind === 'bundle') && !r.managed) return 'unmanaged';
  if (SEVERITY[worst] <= 1) {
    if (states.includes('promoted')) return 'promoted';
    // A promotable clone running without any Promoted instance accepts no writes: show it as a problem.
    if (r.kind === 'clone' && r.promotable) return 'stopped';
    return 'started';
  }
  return worst;
}

/* ------------------------------------------------------------- contextValue ---- */

/**
 * The one place contextValues are made: the kind first, then flags in a fixed order, space-separated
 * (`resource clone promotable failed`). `when` clauses match with anchored regexes:
 * `viewItem =~ /^resource\b/`, `viewItem =~ /\bpromotable\b/`.
 */
export function contextValueOf(kind: ExplorerKind, flags: readonly (string | false | undefined)[] = []): string {
  const clean = flags.filter((f): f is string => typeof f === 'string' && f.length > 0);
  return [kind, ...clean].join(' ');
}

/* ----------------------------------------------------------------- helpers ---- */

function mdEscape(s: string): string {
  return s.replace(/([\\`*_{}[\]()#+\-.!|<>])/g, '\\$1');
}

function table(rows: readonly (readonly [string, string])[]): string {
  if (rows.length === 0) return '';
  return ['| | |', '|---|---|', ...rows.map(([k, v]) => `| ${mdEscape(k)} | ${mdEscape(v)} |`)].join('\n');
}

function segment(s: string): string {
  // Ids are joined with "/": keep the separator unambiguous.
  return encodeURIComponent(s);
}

/** Everything the builders share. */
interface Ctx {
  readonly cluster: string;
  readonly root: string;
  readonly snapshot: ClusterSnapshot;
  readonly defs: ReadonlyMap<string, CibResource>;
  readonly failCounts: readonly FailCount[];
}

function indexDefinitions(s: ClusterSnapshot): Map<string, CibResource> {
  const map = new Map<string, CibResource>();
  const add = (d: CibResource): void => {
    map.set(d.id, d);
    if (d.kind === 'group') d.children.forEach(add);
    if (d.kind === 'clone' && d.child) add(d.child);
    if (d.kind === 'bundle' && d.primitive) add(d.primitive);
  };
  (s.cib?.resources ?? []).forEach(add);
  return map;
}

/* ------------------------------------------------------------------ nodes ---- */

function nodeDescription(n: NodeView, state: NodeState): string {
  const parts: string[] = [state === 'online' ? 'online' : state.toUpperCase()];
  if (n.isDc) parts.push('DC');
  if (n.online) parts.push(`${n.resourcesRunning} resource${n.resourcesRunning === 1 ? '' : 's'}`);
  if (n.type !== 'member') parts.push(n.type);
  return parts.join(' · ');
}

/** Resources placed on a node, from the resource tree (crm_mon lists them per node only with --group-by-node). */
function placementsOn(node: string, resources: readonly ResourceStatus[]): { resource: string; role: string }[] {
  const out: { resource: string; role: string }[] = [];
  for (const r of resources) {
    for (const { role, nodes } of placementOf(r)) {
      if (nodes.includes(node)) out.push({ resource: r.id, role });
    }
  }
  return out;
}

function buildNode(ctx: Ctx, n: NodeView): ExplorerNode {
  const id = `${ctx.root}/node/${segment(n.name)}`;
  const state = nodeStateOf(n);
  const placements = placementsOn(n.name, ctx.snapshot.resources).map(
    (p): ExplorerNode => ({
      kind: 'placement',
      id: `${id}/runs/${segment(p.resource)}`,
      label: p.resource,
      description: p.role,
      icon: RESOURCE_ICONS[p.role === 'Promoted' ? 'promoted' : p.role === 'Unpromoted' ? 'unpromoted' : 'started'],
      contextValue: contextValueOf('placement'),
      tooltip: `**${mdEscape(p.resource)}** runs on ${mdEscape(n.name)} as ${mdEscape(p.role)}`,
      children: [],
    }),
  );
  const attrs: ExplorerNode[] = [
    ...n.attributes.map((a) => ({ name: a.name, value: a.value, transient: true })),
    ...Object.entries(n.cibAttributes).map(([name, value]) => ({ name, value, transient: false })),
  ].map((a) => ({
    kind: 'attribute',
    id: `${id}/attr/${a.transient ? 't' : 'p'}/${segment(a.name)}`,
    label: a.name,
    description: a.value,
    icon: { id: a.transient ? 'symbol-field' : 'symbol-constant' },
    contextValue: contextValueOf('attribute', [a.transient ? 'transient' : 'permanent']),
    tooltip: `${a.transient ? 'Transient' : 'Permanent'} node attribute \`${a.name}\` = \`${a.value}\``,
    children: [],
  }));
  const tooltip = [
    `**${mdEscape(n.name)}** — ${state}${n.isDc ? ' (Designated Controller)' : ''}`,
    '',
    table([
      ['id', n.id],
      ['type', n.type],
      ['resources running', String(n.resourcesRunning)],
      ...(n.health ? [['health', n.health] as const] : []),
      ...(n.featureSet ? [['feature set', n.featureSet] as const] : []),
    ]),
  ].join('\n');
  return {
    kind: 'node',
    id,
    label: n.name,
    description: nodeDescription(n, state),
    tooltip,
    icon: NODE_ICONS[state],
    contextValue: contextValueOf('node', [state, n.isDc && 'dc']),
    expanded: false,
    children: [...placements, ...attrs],
  };
}

/* -------------------------------------------------------------- resources ---- */

function agentOf(r: ResourceStatus): string | undefined {
  return primitivesOf([r])[0]?.agent.name;
}

function vipSuffix(ctx: Ctx, r: ResourceStatus): string {
  const vip = ctx.snapshot.vips.find((v) => v.resource === r.id);
  if (!vip?.ip) return '';
  return ` · ${vip.ip}${vip.cidrNetmask ? `/${vip.cidrNetmask}` : ''}`;
}

function resourceTooltip(ctx: Ctx, r: ResourceStatus, title: string): string {
  const lines = [`**${mdEscape(r.id)}** — ${mdEscape(title)}`, ''];
  const placement = placementOf(r).map(({ role, nodes }) => [role, nodes.filter(Boolean).join(', ') || '—'] as const);
  if (placement.length > 0) lines.push(table(placement), '');
  const def = ctx.defs.get(r.id);
  const primitiveDef = def?.kind === 'primitive' ? def : def?.kind === 'clone' && def.child?.kind === 'primitive' ? def.child : undefined;
  if (primitiveDef && Object.keys(primitiveDef.params).length > 0) lines.push('**Parameters**', '', table(Object.entries(primitiveDef.params)), '');
  const meta = { ...(def?.kind === 'clone' && def.child ? def.child.meta : {}), ...(def?.meta ?? {}) };
  if (Object.keys(meta).length > 0) lines.push('**Meta attributes**', '', table(Object.entries(meta)), '');
  if (primitiveDef && primitiveDef.ops.length > 0) {
    lines.push(
      '**Operations**',
      '',
      ...primitiveDef.ops.map((o) => `- ${mdEscape(o.name)}${o.intervalMs ? ` every ${intervalText(o.intervalMs)}` : ''}${o.role ? ` (${o.role})` : ''}${o.timeout ? `, timeout ${o.timeout}` : ''}`),
      '',
    );
  }
  const ids = new Set([r.id, ...primitivesOf([r]).map((p) => baseResourceId(p.id))]);
  const counts = ctx.failCounts.filter((f) => ids.has(baseResourceId(f.resource)));
  if (counts.length > 0) {
    lines.push('**Fail counts**', '', ...counts.map((f) => `- ${mdEscape(f.node)}: ${f.failCount}${f.migrationThreshold !== undefined ? ` of migration-threshold ${f.migrationThreshold}` : ''}`), '');
  }
  return lines.join('\n').trim();
}

function primitiveFlags(p: PrimitiveStatus): (string | false)[] {
  return [p.failed && 'failed', p.blocked && 'blocked', !p.managed && 'unmanaged', p.disabled && 'disabled', p.active ? 'active' : 'inactive'];
}

function buildPrimitive(ctx: Ctx, parentId: string, p: PrimitiveStatus, kind: 'resource' | 'instance', key: string, idleNode?: string): ExplorerNode {
  const state = primitiveStateOf(p);
  const where = placementText(p, idleNode ? [idleNode] : []);
  const extra = [p.failed && 'FAILED', p.blocked && 'BLOCKED', !p.managed && 'unmanaged', p.disabled && p.active && 'disabled'].filter(Boolean);
  const description = [where, ...extra].join(' · ') + (kind === 'resource' ? `${vipSuffix(ctx, p)} · ${p.agent.name}` : '');
  return {
    kind,
    id: `${parentId}/${segment(key)}`,
    label: kind === 'instance' ? baseResourceId(p.id) : p.id,
    description,
    tooltip: resourceTooltip(ctx, p, `${p.agent.name}, ${state}`),
    icon: RESOURCE_ICONS[state],
    contextValue: contextValueOf(kind, ['primitive', ...primitiveFlags(p)]),
    children: [],
  };
}

function buildResource(ctx: Ctx, r: ResourceStatus): ExplorerNode {
  const id = `${ctx.root}/resource/${segment(r.id)}`;
  switch (r.kind) {
    case 'primitive':
      return buildPrimitive(ctx, `${ctx.root}/resource`, r, 'resource', r.id);
    case 'group': {
      const state = aggregateState(r);
      const running = r.children.filter((c) => c.active).length;
      return {
        kind: 'resource',
        id,
        label: r.id,
        description: `group · ${running}/${r.children.length} running · ${placementText(r)}`,
        tooltip: resourceTooltip(ctx, r, `group of ${r.children.length}`),
        icon: { id: 'layers', color: RESOURCE_ICONS[state].color },
        contextValue: contextValueOf('resource', ['group', r.disabled && 'disabled', !r.managed && 'unmanaged']),
        expanded: true,
        children: r.children.map((c) => buildPrimitive(ctx, id, c, 'resource', c.id)),
      };
    }
    case 'clone': {
      const state = aggregateState(r);
      const agent = agentOf(r);
      const kindWord = r.promotable ? 'promotable clone' : 'clone';
      // Stopped instances take the idle member nodes in order, one each, like crm_mon's "Stopped: [ node1 ]".
      const idle = idleNodesOf(r, memberNodeNames(ctx.snapshot));
      let nextIdle = 0;
      const instances = r.instances.map((i, index) => {
        if (i.kind === 'group') return buildInstanceGroup(ctx, id, i, index);
        const idleNode = i.nodes.length === 0 && idle.length === r.instances.filter((x) => x.kind === 'primitive' && x.nodes.length === 0).length ? idle[nextIdle++] : undefined;
        return buildPrimitive(ctx, id, i, 'instance', `instance/${index}`, idleNode);
      });
      return {
        kind: 'resource',
        id,
        label: r.id,
        description: `${placementText(r, idle)}${r.failed ? ' · FAILED' : ''}${agent ? ` · ${agent}` : ''}`,
        tooltip: resourceTooltip(ctx, r, `${kindWord}${agent ? ` of ${agent}` : ''}`),
        icon: r.promotable ? promotableIcon(r, state) : { id: 'copy', color: RESOURCE_ICONS[state].color },
        contextValue: contextValueOf('resource', ['clone', r.promotable && 'promotable', r.failed && 'failed', r.disabled && 'disabled', !r.managed && 'unmanaged']),
        expanded: true,
        children: instances,
      };
    }
    case 'bundle': {
      const state = aggregateState(r);
      return {
        kind: 'resource',
        id,
        label: r.id,
        description: `bundle · ${r.image} · ${placementText(r)}`,
        tooltip: resourceTooltip(ctx, r, `${r.type} bundle of ${r.image}`),
        icon: { id: 'package', color: RESOURCE_ICONS[state].color },
        contextValue: contextValueOf('resource', ['bundle', r.failed && 'failed', !r.managed && 'unmanaged']),
        children: r.replicas.flatMap((rep) => rep.resources.map((p) => buildPrimitive(ctx, `${id}/replica/${segment(rep.id)}`, p, 'instance', p.id))),
      };
    }
  }
}

/** A full star while something is Promoted (green when all is well, amber when degraded), an empty red one when nothing is. */
function promotableIcon(r: ResourceStatus, state: ResourceState): ExplorerIcon {
  if (state === 'unmanaged' || state === 'maintenance' || state === 'disabled' || state === 'blocked') return RESOURCE_ICONS[state];
  const prims = primitivesOf([r]);
  if (prims.some((p) => p.role === 'Promoted')) return { id: 'star-full', color: state === 'promoted' ? COLORS.ok : SEVERITY[state] >= 7 ? COLORS.warning : RESOURCE_ICONS[state].color };
  if (prims.some((p) => p.active)) return { id: 'star-empty', color: COLORS.error };
  return RESOURCE_ICONS[state];
}

function buildInstanceGroup(ctx: Ctx, parentId: string, g: GroupStatus, index: number): ExplorerNode {
  const id = `${parentId}/instance/${index}`;
  const state = aggregateState(g);
  return {
    kind: 'instance',
    id,
    label: baseResourceId(g.id),
    description: placementText(g),
    tooltip: resourceTooltip(ctx, g, 'cloned group instance'),
    icon: { id: 'layers', color: RESOURCE_ICONS[state].color },
    contextValue: contextValueOf('instance', ['group']),
    children: g.children.map((c) => buildPrimitive(ctx, id, c, 'resource', c.id)),
  };
}

/* ------------------------------------------------------------ constraints ---- */

function buildConstraint(ctx: Ctx, c: Constraint): ExplorerNode {
  const leftover = c.type === 'location' ? c.leftover : undefined;
  const icons: Readonly<Record<Constraint['type'], string>> = { location: 'location', colocation: 'link', order: 'list-ordered', ticket: 'tag' };
  const sentence = describeConstraint(c);
  const fix = c.type === 'location' && leftover ? clearCommandFor(c) : undefined;
  return {
    kind: 'constraint',
    id: `${ctx.root}/constraint/${segment(c.id)}`,
    label: sentence,
    description: fix ? `remove with: ${fix}` : undefined,
    tooltip: [`**${mdEscape(c.id)}** (${c.type})`, '', mdEscape(sentence), ...(fix ? ['', `$(warning) Left behind by \`move\`/\`ban\`: it keeps constraining placement until removed with \`${fix}\`.`] : [])].join('\n'),
    icon: leftover ? { id: 'warning', color: COLORS.warning } : { id: icons[c.type] },
    contextValue: contextValueOf('constraint', [c.type, leftover]),
    children: [],
  };
}

/* --------------------------------------------------------------- failures ---- */

function failureLabel(f: FailedAction): string {
  const rsc = baseResourceId(f.resource);
  const op = f.intervalMs > 0 ? `${f.task} (every ${intervalText(f.intervalMs)})` : f.task;
  return `${rsc} ${op} on ${f.node}`;
}

function buildFailure(ctx: Ctx, f: FailedAction): ExplorerNode {
  const when = f.lastRcChange ? ` · ${f.lastRcChange}` : '';
  const status = f.status && !/^(complete|done)$/i.test(f.status) ? `, ${f.status}` : '';
  return {
    kind: 'failure',
    id: `${ctx.root}/failure/${segment(f.node)}/${segment(f.opKey)}`,
    label: failureLabel(f),
    description: `${f.exitStatus || 'error'} (rc ${f.exitCode}${status})${f.exitReason ? ` · ${f.exitReason}` : ''}${when}`,
    tooltip: [
      `**Failed action** ${mdEscape(f.opKey)} on ${mdEscape(f.node)}`,
      '',
      table([
        ['result', `${f.exitStatus} (rc ${f.exitCode})`],
        ['status', f.status],
        ...(f.exitReason ? [['exit reason', f.exitReason] as const] : []),
        ['when', f.lastRcChange ?? '—'],
        ['call', f.call],
        ...(f.execMs !== undefined ? [['exec time', `${f.execMs} ms`] as const] : []),
      ]),
      '',
      `Fix the cause, then \`pcs resource cleanup ${baseResourceId(f.resource)}\` (or \`crm resource cleanup ${baseResourceId(f.resource)}\`).`,
    ].join('\n'),
    icon: { id: 'error', color: COLORS.error },
    contextValue: contextValueOf('failure'),
    children: [],
  };
}

function buildFailCount(ctx: Ctx, f: FailCount): ExplorerNode {
  const rsc = baseResourceId(f.resource);
  return {
    kind: 'failcount',
    id: `${ctx.root}/failcount/${segment(f.node)}/${segment(f.resource)}`,
    label: `${rsc} fail count on ${f.node}`,
    description: `${f.failCount}${f.migrationThreshold !== undefined ? ` of ${f.migrationThreshold}` : ''}${f.thresholdReached ? ' · threshold reached: banned from this node until cleanup' : ''}${f.lastFailure ? ` · last ${f.lastFailure}` : ''}`,
    tooltip: `**${mdEscape(rsc)}** has failed ${f.failCount} time(s) on ${mdEscape(f.node)}.${f.thresholdReached ? ` It reached migration-threshold (${f.migrationThreshold}) and will not run there until \`pcs resource cleanup ${rsc}\`.` : ''}`,
    icon: { id: f.thresholdReached ? 'circle-slash' : 'warning', color: f.thresholdReached ? COLORS.error : COLORS.warning },
    contextValue: contextValueOf('failcount', [f.thresholdReached && 'threshold']),
    children: [],
  };
}

/* ------------------------------------------------------------- properties ---- */

function propertyNodes(parentId: string, entries: Readonly<Record<string, string>>, flag: string): ExplorerNode[] {
  return Object.entries(entries).map(([name, value]) => ({
    kind: 'property',
    id: `${parentId}/${segment(name)}`,
    label: name,
    description: value,
    icon: { id: 'symbol-property' },
    contextValue: contextValueOf('property', [flag]),
    tooltip: `\`${name}\` = \`${value}\``,
    children: [],
  }));
}

/* --------------------------------------------------------------- sections ---- */

function section(ctx: Ctx, key: string, label: string, description: string, icon: ExplorerIcon, children: readonly ExplorerNode[], expanded: boolean): ExplorerNode {
  return {
    kind: 'section',
    // An empty section gets its own id: VS Code keeps a row that had no children collapsed when children
    // arrive (e.g. the first failed action), so the non-empty section must be a new row to open expanded.
    id: children.length > 0 ? `${ctx.root}/${key}` : `${ctx.root}/${key}#empty`,
    label,
    description,
    icon,
    contextValue: contextValueOf('section', [key]),
    expanded,
    children,
  };
}

/** Facts the status bar and the cluster row share. */
export interface ClusterSummaryLine {
  readonly onlineNodes: number;
  readonly totalNodes: number;
  /** "redis Promoted on node1", or "3/3 resources running" when there is no promotable clone. */
  readonly headline: string;
  readonly health: HealthReport;
}

export function summarize(s: ClusterSnapshot, health: HealthReport = assessHealth(s)): ClusterSummaryLine {
  const members = s.nodes.filter((n) => n.type === 'member' || n.type === 'unknown');
  const onlineNodes = members.filter((n) => nodeStateOf(n) === 'online').length;
  const promotable = s.resources.find((r) => r.kind === 'clone' && r.promotable);
  let headline: string;
  if (promotable) {
    const name = baseResourceId(primitivesOf([promotable])[0]?.id ?? promotable.id);
    const promoted = placementOf(promotable).find((p) => p.role === 'Promoted')?.nodes.filter(Boolean) ?? [];
    headline = promoted.length > 0 ? `${name} Promoted on ${promoted.join(', ')}` : `${name}: no Promoted instance`;
  } else {
    const prims = primitivesOf(s.resources);
    headline = `${prims.filter((p) => p.active).length}/${prims.length} resources running`;
  }
  return { onlineNodes, totalNodes: members.length, headline, health };
}

export interface ClusterViewState {
  /** Configured name (the tree key; may differ from cluster-name in the CIB). */
  readonly name: string;
  readonly hosts: readonly string[];
  readonly snapshot?: ClusterSnapshot;
  /** Which host answered the last successful read. */
  readonly host?: string;
  /** Last successful read, preformatted ("21:03:12"). */
  readonly updatedAt?: string;
  /** The last read failed (all hosts): shown in place, with actions. */
  readonly error?: { readonly code: string; readonly message: string; readonly hint?: string };
  /** The view is waiting for the first answer. */
  readonly loading?: boolean;
}

function messageNodes(root: string, name: string, error: NonNullable<ClusterViewState['error']>): ExplorerNode[] {
  const action = (key: string, label: string, icon: string, command: string): ExplorerNode => ({
    kind: 'action',
    id: `${root}/message/${key}`,
    label,
    icon: { id: icon },
    contextValue: contextValueOf('action', [key]),
    command: { command, title: label, args: [name] },
    children: [],
  });
  return [
    {
      kind: 'message',
      id: `${root}/message`,
      label: error.message,
      description: error.hint,
      tooltip: `**${mdEscape(error.message)}**${error.hint ? `\n\n${mdEscape(error.hint)}` : ''}\n\n(code \`${error.code}\`)`,
      icon: { id: 'error', color: COLORS.error },
      contextValue: contextValueOf('message', ['error', error.code]),
      children: [],
    },
    action('retry', 'Retry', 'refresh', 'pacemaker.explorer.retry'),
    action('log', 'Show Log', 'output', 'pacemaker.showLog'),
    action('edit', 'Edit Connection', 'edit', 'pacemaker.explorer.editConnection'),
  ];
}

/** The whole subtree of one configured cluster, in any state (loading, failed, live). */
export function buildClusterTree(state: ClusterViewState): ExplorerNode {
  const root = `cluster/${segment(state.name)}`;
  const s = state.snapshot;
  if (!s) {
    if (state.error) {
      return {
        kind: 'cluster',
        id: root,
        label: state.name,
        description: `unreachable · ${state.hosts.join(', ')}`,
        tooltip: `**${mdEscape(state.name)}** could not be read.\n\n${mdEscape(state.error.message)}`,
        icon: { id: 'debug-disconnect', color: COLORS.error },
        contextValue: contextValueOf('cluster', ['error']),
        expanded: true,
        children: messageNodes(root, state.name, state.error),
      };
    }
    return {
      kind: 'cluster',
      id: root,
      label: state.name,
      description: `connecting to ${state.hosts[0] ?? '?'}…`,
      icon: { id: 'loading~spin' },
      contextValue: contextValueOf('cluster', ['loading']),
      expanded: true,
      children: [
        {
          kind: 'message',
          id: `${root}/message`,
          label: `Connecting to ${state.hosts.join(', ')}…`,
          icon: { id: 'loading~spin' },
          contextValue: contextValueOf('message', ['loading']),
          children: [],
        },
      ],
    };
  }

  const health = assessHealth(s);
  const ctx: Ctx = { cluster: state.name, root, snapshot: s, defs: indexDefinitions(s), failCounts: s.failCounts };
  const sum = summarize(s, health);
  const degraded = health.verdict === 'degraded';
  const problems = health.reasons.filter((r) => r.severity !== 'info');

  const nodes = s.nodes.map((n) => buildNode(ctx, n));
  const resources = s.resources.map((r) => buildResource(ctx, r));
  const constraints = [...(s.cib?.constraints ?? [])]
    // leftovers first: they are the ones that need attention
    .sort((a, b) => Number(b.type === 'location' && b.leftover !== undefined) - Number(a.type === 'location' && a.leftover !== undefined))
    .map((c) => buildConstraint(ctx, c));
  if (!s.cib) {
    // Without the CIB only the leftovers crm_mon reports as bans are known.
    constraints.push(...s.leftoverConstraints.map((c) => buildConstraint(ctx, c)));
  }
  const failures = [...s.failures.map((f) => buildFailure(ctx, f)), ...s.failCounts.map((f) => buildFailCount(ctx, f))];
  const props = [
    ...propertyNodes(`${root}/properties`, s.properties, 'cluster'),
    ...(s.cib && Object.keys(s.cib.rscDefaults).length > 0
      ? [section(ctx, 'properties/rsc_defaults', 'Resource defaults', `${Object.keys(s.cib.rscDefaults).length}`, { id: 'symbol-namespace' }, propertyNodes(`${root}/properties/rsc_defaults`, s.cib.rscDefaults, 'rsc-default'), true)]
      : []),
    ...(s.cib && Object.keys(s.cib.opDefaults).length > 0
      ? [section(ctx, 'properties/op_defaults', 'Operation defaults', `${Object.keys(s.cib.opDefaults).length}`, { id: 'symbol-namespace' }, propertyNodes(`${root}/properties/op_defaults`, s.cib.opDefaults, 'op-default'), true)]
      : []),
  ];

  const prims = primitivesOf(s.resources);
  const running = prims.filter((p) => p.active).length;
  const leftovers = s.leftoverConstraints.length;
  const anyNodeProblem = s.nodes.some((n) => nodeStateOf(n) !== 'online');
  const anyResourceProblem = s.resources.some((r) => SEVERITY[aggregateState(r)] > 3);

  const children: ExplorerNode[] = [
    section(ctx, 'nodes', 'Nodes', `${sum.onlineNodes}/${sum.totalNodes} online`, { id: 'server-environment', color: anyNodeProblem ? COLORS.warning : undefined }, nodes, true),
    section(ctx, 'resources', 'Resources', `${running}/${prims.length} running · ${sum.headline}`, { id: 'symbol-class', color: anyResourceProblem ? COLORS.warning : undefined }, resources, true),
    section(ctx, 'constraints', 'Constraints', `${constraints.length}${leftovers > 0 ? ` · ${leftovers} left by move/ban` : ''}`, { id: 'link', color: leftovers > 0 ? COLORS.warning : undefined }, constraints, true),
    section(
      ctx,
      'failures',
      'Failures',
      failures.length === 0 ? 'none' : [s.failures.length > 0 && `${s.failures.length} failed action${s.failures.length === 1 ? '' : 's'}`, s.failCounts.length > 0 && `${s.failCounts.length} fail count${s.failCounts.length === 1 ? '' : 's'}`].filter(Boolean).join(' · '),
      failures.length === 0 ? { id: 'pass', color: COLORS.ok } : { id: 'error', color: COLORS.error },
      failures,
      failures.length > 0,
    ),
    section(ctx, 'properties', 'Properties', `${Object.keys(s.properties).length}`, { id: 'settings-gear' }, props, false),
  ];
  if (state.error) children.unshift(...messageNodes(root, state.name, state.error));

  const dc = s.crmMon.summary.dc?.name;
  const description = state.error
    ? `✗ unreachable · last known${state.updatedAt ? ` at ${state.updatedAt}` : ''}: ${sum.onlineNodes}/${sum.totalNodes} nodes · ${sum.headline}`
    : [degraded ? `⚠ ${problems.length} problem${problems.length === 1 ? '' : 's'}` : '✓ healthy', `${sum.onlineNodes}/${sum.totalNodes} nodes`, sum.headline].join(' · ');
  const tooltip = [
    `**${mdEscape(state.name)}**${s.clusterName && s.clusterName !== state.name ? ` (cluster-name ${mdEscape(s.clusterName)})` : ''} — ${degraded ? 'degraded' : 'healthy'}`,
    '',
    table([
      ['DC', dc ?? 'none'],
      ['quorum', s.crmMon.summary.withQuorum === undefined ? 'unknown' : s.crmMon.summary.withQuorum ? 'yes' : 'NO'],
      ['Pacemaker', s.pacemakerVersion ?? '?'],
      ['read from', state.host ?? '?'],
      ['updated', state.updatedAt ?? '?'],
    ]),
    ...(health.reasons.length > 0 ? ['', '**Health**', '', ...health.reasons.map((r) => `- ${r.severity === 'error' ? '$(error)' : r.severity === 'warning' ? '$(warning)' : '$(info)'} ${mdEscape(r.message)}${r.fix ? ` — ${r.fix}` : ''}`)] : []),
  ].join('\n');
  return {
    kind: 'cluster',
    id: root,
    label: state.name,
    description,
    tooltip,
    icon: state.error ? { id: 'debug-disconnect', color: COLORS.error } : degraded ? { id: 'warning', color: COLORS.warning } : { id: 'pass-filled', color: COLORS.ok },
    contextValue: contextValueOf('cluster', ['connected', degraded ? 'degraded' : 'healthy', state.error && 'stale']),
    expanded: true,
    children,
  };
}

/* ------------------------------------------------------------ diff & text ---- */

/** Hash of what a row shows plus the ids of its children: equal hash → nothing to redraw for this row. */
export function nodeHash(n: ExplorerNode): string {
  const own = JSON.stringify([n.kind, n.label, n.description, n.tooltip, n.icon, n.contextValue, n.command, n.children.map((c) => c.id)]);
  return createHash('sha1').update(own).digest('base64');
}

/** id → hash for a whole tree. */
export function hashTree(roots: readonly ExplorerNode[], into = new Map<string, string>()): Map<string, string> {
  for (const n of roots) {
    into.set(n.id, nodeHash(n));
    hashTree(n.children, into);
  }
  return into;
}

/**
 * The rows to redraw: changed rows (or new children lists) whose ancestors did not change themselves
 * (redrawing a row re-reads its subtree). `undefined` entries never appear; the caller redraws the
 * root when a cluster itself appeared or disappeared.
 */
export function changedNodes(before: ReadonlyMap<string, string>, roots: readonly ExplorerNode[]): ExplorerNode[] {
  const out: ExplorerNode[] = [];
  const walk = (n: ExplorerNode): void => {
    if (before.get(n.id) !== nodeHash(n)) {
      out.push(n);
      return;
    }
    n.children.forEach(walk);
  };
  roots.forEach(walk);
  return out;
}

/** The tree as indented text ("Copy Status as Text"): every row, expanded, label — description. */
export function treeToText(roots: readonly ExplorerNode[]): string {
  const lines: string[] = [];
  const walk = (n: ExplorerNode, depth: number): void => {
    if (n.kind === 'action') return;
    lines.push(`${'  '.repeat(depth)}${n.label}${n.description ? ` — ${n.description}` : ''}`);
    n.children.forEach((c) => walk(c, depth + 1));
  };
  roots.forEach((r) => walk(r, 0));
  return lines.join('\n') + '\n';
}

/** The status bar text: "cluster1 ✓ 2/2 nodes · redis Promoted on node1". */
export function statusBarText(state: ClusterViewState): { text: string; level: 'ok' | 'warning' | 'error' | 'loading'; tooltip: string } {
  if (!state.snapshot) {
    if (state.error) return { text: `${state.name} ✗ unreachable`, level: 'error', tooltip: `${state.error.message}${state.error.hint ? `\n${state.error.hint}` : ''}` };
    return { text: `${state.name} …`, level: 'loading', tooltip: `Connecting to ${state.hosts.join(', ')}` };
  }
  const sum = summarize(state.snapshot);
  const degraded = sum.health.verdict === 'degraded';
  const mark = degraded ? '⚠' : '✓';
  const text = state.error
    ? `${state.name} ✗ unreachable (last: ${sum.headline})`
    : `${state.name} ${mark} ${sum.onlineNodes}/${sum.totalNodes} nodes · ${sum.headline}`;
  const problems = sum.health.reasons.filter((r) => r.severity !== 'info').map((r) => `• ${r.message}`);
  const tooltip = [state.error ? `Last read failed: ${state.error.message}` : undefined, degraded ? 'Degraded:' : 'Healthy', ...problems, state.updatedAt ? `Updated ${state.updatedAt} from ${state.host ?? '?'}` : undefined]
    .filter(Boolean)
    .join('\n');
  return { text, level: state.error ? 'error' : degraded ? 'warning' : 'ok', tooltip };
}

/** A problem with the cluster definitions themselves (bad clusters.json): shown above the clusters. */
export function configProblemNode(index: number, problem: { readonly code: string; readonly message: string; readonly hint?: string }): ExplorerNode {
  return {
    kind: 'message',
    id: `config/problem/${index}`,
    label: problem.message,
    description: problem.hint,
    tooltip: `**${mdEscape(problem.message)}**${problem.hint ? `\n\n${mdEscape(problem.hint)}` : ''}`,
    icon: { id: 'warning', color: COLORS.warning },
    contextValue: contextValueOf('message', ['config', problem.code]),
    command: { command: 'pacemaker.explorer.editConnection', title: 'Edit Connection' },
    children: [],
  };
}
