/**
 * The whole subtree of one configured cluster, in any state (loading, failed, live): the cluster
 * row, its sections (Nodes, Resources, Constraints, Failures, Properties) and the error rows with
 * their actions. Ids are `cluster/<name>/<section>/…`.
 */
import type { HealthReport } from '../cluster/health';
import { nodeStateOf } from '../cluster/nodeState';
import { inMaintenanceMode, primitivesOf } from '../cluster/snapshot';
import { attributeValueText, dateTimeWithZone } from '../util/time';
import { mdCode, mdEscape, mdWithCode, table } from '../text/markdown';
import { clusterRootId, COLORS, contextValueOf, segment, type ClusterViewState, type ExplorerIcon, type ExplorerNode } from './model';
import { rowContext, type RowContext } from './rows/context';
import { hostProblemsText } from '../cluster/hostProblem';
import { hostProblemRows, hostProblemsSummary } from './rows/hosts';
import { buildNode } from './rows/nodes';
import { buildConstraint, buildFailCount, buildFailure } from './rows/problems';
import { buildResource } from './rows/resources';
import { aggregateState, SEVERITY } from './states';
import { healthOf, summarize } from './summary';

function propertyNodes(parentId: string, entries: Readonly<Record<string, string>>, flag: string): ExplorerNode[] {
  return Object.entries(entries).map(([name, value]) => ({
    kind: 'property',
    id: `${parentId}/${segment(name)}`,
    label: name,
    description: attributeValueText(name, value),
    icon: { id: 'symbol-property' },
    contextValue: contextValueOf('property', [flag]),
    tooltip: `${mdCode(name)} = ${mdCode(value)}${attributeValueText(name, value) !== value ? ` (${mdEscape(dateTimeWithZone(Number(value) * 1000))})` : ''}`,
    children: [],
  }));
}

function section(ctx: RowContext, key: string, label: string, description: string, icon: ExplorerIcon, children: readonly ExplorerNode[], expanded: boolean): ExplorerNode {
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
      tooltip: `**${mdEscape(error.message)}**${error.hint ? `\n\n${mdEscape(error.hint)}` : ''}\n\n(code ${mdCode(error.code)})`,
      icon: { id: 'error', color: COLORS.error },
      contextValue: contextValueOf('message', ['error', error.code]),
      children: [],
    },
    action('retry', 'Retry', 'refresh', 'pacemaker.explorer.retry'),
    action('log', 'Show Log', 'output', 'pacemaker.showLog'),
    action('edit', 'Edit Connection', 'edit', 'pacemaker.explorer.editConnection'),
  ];
}

/** Before the first successful read: connecting, or unreachable with the error and its actions. */
function withoutSnapshot(state: ClusterViewState, root: string): ExplorerNode {
  if (state.error) {
    return {
      kind: 'cluster',
      id: root,
      label: state.name,
      // "unreachable" only for hosts that really cannot be reached; otherwise each host's own words.
      description: state.hostProblems?.length ? `✗ ${hostProblemsText(state.hostProblems)}` : `unreachable · ${state.hosts.join(', ')}`,
      tooltip: `**${mdEscape(state.name)}** could not be read.\n\n${mdEscape(state.error.message)}`,
      icon: { id: 'debug-disconnect', color: COLORS.error },
      contextValue: contextValueOf('cluster', ['error']),
      expanded: true,
      children: [...messageNodes(root, state.name, state.error), ...hostProblemRows(root, state, true)],
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

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The whole subtree of one configured cluster, in any state (loading, failed, live). */
export function buildClusterTree(state: ClusterViewState): ExplorerNode {
  const root = clusterRootId(state.name);
  const s = state.snapshot;
  if (!s) return withoutSnapshot(state, root);

  const health = healthOf({ ...state, snapshot: s });
  const ctx = rowContext(state.name, root, s, state.workload);
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
  const defaults = (key: string, label: string, entries: Readonly<Record<string, string>>, flag: string): ExplorerNode[] =>
    Object.keys(entries).length > 0 ? [section(ctx, `properties/${key}`, label, `${Object.keys(entries).length}`, { id: 'symbol-namespace' }, propertyNodes(`${root}/properties/${key}`, entries, flag), true)] : [];
  const props = [
    ...propertyNodes(`${root}/properties`, s.properties, 'cluster'),
    ...(s.cib ? defaults('rsc_defaults', 'Resource defaults', s.cib.rscDefaults, 'rsc-default') : []),
    ...(s.cib ? defaults('op_defaults', 'Operation defaults', s.cib.opDefaults, 'op-default') : []),
  ];

  const prims = primitivesOf(s.resources);
  const running = prims.filter((p) => p.active).length;
  const leftovers = s.leftoverConstraints.length;
  const anyNodeProblem = s.nodes.some((n) => nodeStateOf(n) !== 'online');
  const anyResourceProblem = s.resources.some((r) => SEVERITY[aggregateState(r)] > 3);
  const failureWords = [s.failures.length > 0 && plural(s.failures.length, 'failed action'), s.failCounts.length > 0 && plural(s.failCounts.length, 'fail count')].filter(Boolean).join(' · ');

  const children: ExplorerNode[] = [
    section(ctx, 'nodes', 'Nodes', `${sum.onlineNodes}/${sum.totalNodes} online`, { id: 'server-environment', color: anyNodeProblem ? COLORS.warning : undefined }, nodes, true),
    section(ctx, 'resources', 'Resources', `${running}/${prims.length} running · ${sum.headline}`, { id: 'symbol-class', color: anyResourceProblem ? COLORS.warning : undefined }, resources, true),
    section(ctx, 'constraints', 'Constraints', `${constraints.length}${leftovers > 0 ? ` · ${leftovers} left by move/ban` : ''}`, { id: 'link', color: leftovers > 0 ? COLORS.warning : undefined }, constraints, true),
    section(ctx, 'failures', 'Failures', failures.length === 0 ? 'none' : failureWords, failures.length === 0 ? { id: 'pass', color: COLORS.ok } : { id: 'error', color: COLORS.error }, failures, failures.length > 0),
    section(ctx, 'properties', 'Properties', `${Object.keys(s.properties).length}`, { id: 'settings-gear' }, props, false),
  ];
  // What could not be read comes first: the error (nothing answered), else each host that failed.
  children.unshift(...(state.error ? [...messageNodes(root, state.name, state.error), ...hostProblemRows(root, state, true)] : hostProblemRows(root, state)), ...lostRows(root, health));
  // Read through a fallback while a host fails: a warning at best, never "✓ healthy".
  const hosts = state.error ? undefined : hostProblemsSummary(state);
  // Pacemaker says all is well but Redis/the VIPs of this moment are not read yet: not "✓ healthy" before they are.
  const pending = !degraded && !hosts && !state.error && state.workloadPending === true;

  const dc = s.crmMon.summary.dc?.name;
  const description = state.error
    ? `✗ unreachable · last known${state.updatedAt ? ` at ${state.updatedAt}` : ''}: ${sum.onlineNodes}/${sum.totalNodes} nodes · ${sum.headline}`
    : [degraded ? `⚠ ${plural(problems.length, 'problem')}` : hosts ? `⚠ ${hosts}` : pending ? '… checking the workload' : '✓ healthy', degraded && hosts, `${sum.onlineNodes}/${sum.totalNodes} nodes`, sum.headline].filter(Boolean).join(' · ');
  const tooltip = [
    `**${mdEscape(state.name)}**${s.clusterName && s.clusterName !== state.name ? ` (cluster-name ${mdEscape(s.clusterName)})` : ''} — ${degraded ? 'degraded' : hosts ? 'not every node could be read' : pending ? 'Pacemaker is fine; reading Redis and the VIPs' : 'healthy'}`,
    '',
    table([
      ['DC', dc ?? 'none'],
      ['quorum', s.crmMon.summary.withQuorum === undefined ? 'unknown' : s.crmMon.summary.withQuorum ? 'yes' : 'NO'],
      ['Pacemaker', s.pacemakerVersion ?? '?'],
      ['read from', state.host ?? '?'],
      ...(hosts ? [['not read', hostProblemsSummary({ ...state, host: undefined }) ?? '']] as [string, string][] : []),
      ['updated', state.updatedAt ?? '?'],
    ]),
    ...(health.reasons.length > 0 ? ['', '**Health**', '', ...health.reasons.map((r) => `- ${r.severity === 'error' ? '$(error)' : r.severity === 'warning' ? '$(warning)' : '$(info)'} ${mdEscape(r.message)}${r.fix ? ` — ${mdWithCode(r.fix)}` : ''}`)] : []),
  ].join('\n');
  return {
    kind: 'cluster',
    id: root,
    label: state.name,
    description,
    tooltip,
    icon: state.error ? { id: 'debug-disconnect', color: COLORS.error } : degraded || hosts ? { id: 'warning', color: COLORS.warning } : pending ? { id: 'loading~spin' } : { id: 'pass-filled', color: COLORS.ok },
    contextValue: contextValueOf('cluster', ['connected', degraded ? 'degraded' : pending ? 'checking' : 'healthy', state.error && 'stale', hosts && 'hosts-failing', inMaintenanceMode(s) && 'maintenance-mode']),
    expanded: true,
    children,
  };
}

/** "node1 is lost and was not fenced …": first in the cluster's rows, as the thing we cannot see (health.ts). */
function lostRows(root: string, health: HealthReport): ExplorerNode[] {
  return health.reasons.filter((r) => r.code === 'node-lost-not-fenced').map((r) => ({
    kind: 'message' as const,
    id: `${root}/lost/${segment(r.subject)}`,
    label: r.message,
    tooltip: `**${mdEscape(r.message)}**${r.fix ? `\n\n${mdEscape(r.fix)}` : ''}`,
    icon: { id: 'error', color: COLORS.error },
    contextValue: contextValueOf('message', ['node-lost']),
    subject: { node: r.subject },
    children: [],
  }));
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
