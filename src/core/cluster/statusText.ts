/**
 * The readable tree `pcx status` prints: summary, nodes, resources with roles per node, where the
 * VIPs are, failures and leftover move/ban constraints with what to do, and a verdict line.
 * Pure (snapshot + health → string); colour is an option so the CLI decides (TTY, --no-color, NO_COLOR).
 */
import { clusterTimeText, failCountText } from '../util/time';
import type { HealthReport, HealthReason } from './health';
import { baseResourceId } from './names';
import { nodeConditionsOf } from './nodeState';
import { describePlacement } from './placementWords';
import { memberNodeNames } from './snapshot';
import type { ClusterSnapshot, NodeView, PrimitiveStatus, ResourceStatus } from './types';

export interface TextOptions {
  readonly color: boolean;
  /** Extra lines after the virtual IPs (the workload view: core/workload/text.ts). */
  readonly workload?: (pal: Palette) => readonly string[];
}

export type Paint = (s: string) => string;
export interface Palette {
  readonly bold: Paint;
  readonly dim: Paint;
  readonly red: Paint;
  readonly green: Paint;
  readonly yellow: Paint;
  readonly cyan: Paint;
}

export function palette(color: boolean): Palette {
  const wrap = (open: number, close: number): Paint => (color ? (s) => `\u001b[${open}m${s}\u001b[${close}m` : (s) => s);
  return { bold: wrap(1, 22), dim: wrap(2, 22), red: wrap(31, 39), green: wrap(32, 39), yellow: wrap(33, 39), cyan: wrap(36, 39) };
}

const SEVERITY_PAINT = { ok: 'green', info: 'cyan', warning: 'yellow', error: 'red' } as const;

/** "● node1  online · standby · DC": the state words the explorer shows too (core/cluster/nodeState). */
function nodeLine(n: NodeView, p: Palette): string {
  const conditions = nodeConditionsOf(n);
  const worst = conditions.find((c) => c.severity === 'error') ?? conditions.find((c) => c.severity === 'warning') ?? conditions[0]!;
  const dot = p[SEVERITY_PAINT[worst.severity]](n.online && !n.unclean ? '●' : '○');
  const states = conditions.map((c) => (c.severity === 'ok' ? c.word : p[SEVERITY_PAINT[c.severity]](c.word)));
  if (n.isDc) states.push(p.cyan('DC'));
  if (n.type !== 'member') states.push(p.dim(n.type === 'remote' && n.idAsResource ? `guest in ${n.idAsResource}` : n.type));
  return `  ${dot} ${p.bold(n.name)}  ${states.join(' · ')}`;
}

function flags(p: PrimitiveStatus | { failed?: boolean; blocked?: boolean; managed: boolean; maintenance: boolean; disabled?: boolean }, pal: Palette): string {
  const out: string[] = [];
  if ('failed' in p && p.failed) out.push(pal.red('FAILED'));
  if ('blocked' in p && p.blocked) out.push(pal.red('blocked'));
  if (!p.managed) out.push(pal.yellow('unmanaged'));
  if (p.maintenance) out.push(pal.yellow('maintenance'));
  if ('disabled' in p && p.disabled) out.push(pal.dim('disabled'));
  if ('orphaned' in p && p.orphaned) out.push(pal.yellow('orphaned'));
  if ('pending' in p && p.pending) out.push(pal.cyan(`pending: ${p.pending}`));
  return out.length ? `  [${out.join(', ')}]` : '';
}

/** "Promoted on node1 · Stopped on node2" (core/cluster/placement, as in the explorer), Promoted green, Stopped dim. */
function colourPlacement(r: ResourceStatus, pal: Palette, clusterNodes: readonly string[] = []): string {
  return describePlacement(r, clusterNodes)
    .replace(/\bPromoted on /g, pal.green('Promoted on '))
    .replace(/\bStopped( on [^·]*| \(\d+ instances\))?/g, (m) => pal.dim(m));
}

function resourceLines(r: ResourceStatus, pal: Palette, indent: string, vipIps: ReadonlyMap<string, string>, clusterNodes: readonly string[] = []): string[] {
  switch (r.kind) {
    case 'primitive': {
      const ip = vipIps.get(baseResourceId(r.id));
      return [`${indent}${pal.bold(r.id)}  ${pal.dim(r.agent.name)}  ${colourPlacement(r, pal)}${ip ? `  ip ${ip}` : ''}${flags(r, pal)}`];
    }
    case 'group':
      return [
        `${indent}${pal.bold(r.id)}  ${pal.dim('group')}${flags(r, pal)}`,
        ...r.children.flatMap((c) => resourceLines(c, pal, `${indent}    `, vipIps)),
      ];
    case 'clone': {
      const first = r.instances[0];
      const agent = first?.kind === 'primitive' ? first.agent.name : first?.kind === 'group' ? `group ${baseResourceId(first.id)}` : '';
      const kind = r.promotable ? 'promotable clone' : 'clone';
      return [
        `${indent}${pal.bold(r.id)}  ${pal.dim(`${kind}${agent ? ` of ${agent}` : ''}`)}${flags(r, pal)}`,
        `${indent}    ${colourPlacement(r, pal, clusterNodes)}`,
      ];
    }
    case 'bundle':
      return [
        `${indent}${pal.bold(r.id)}  ${pal.dim(`bundle (${r.type} ${r.image})`)}${flags(r, pal)}`,
        ...r.replicas.map((rep) => {
          const parts = rep.resources.map((p) => `${p.id} ${describePlacement(p)}`);
          return `${indent}    replica ${rep.id}: ${parts.join('; ')}`;
        }),
      ];
  }
}

function reasonLines(r: HealthReason, pal: Palette): string[] {
  const mark = r.severity === 'error' ? pal.red('✗') : r.severity === 'warning' ? pal.yellow('!') : pal.dim('i');
  const lines = [`  ${mark} ${r.message}`];
  if (r.fix) lines.push(`    ${pal.cyan('→')} ${r.fix}`);
  return lines;
}

export function renderStatusText(s: ClusterSnapshot, health: HealthReport, options: TextOptions): string {
  const pal = palette(options.color);
  const sum = s.crmMon.summary;
  const out: string[] = [];

  const head = [
    `Cluster ${pal.bold(s.clusterName ?? '(unnamed)')}`,
    sum.dc ? `DC ${pal.bold(sum.dc.name)}` : pal.red('no DC'),
    sum.withQuorum === undefined ? 'quorum unknown' : sum.withQuorum ? 'quorum: yes' : pal.red('quorum: NO'),
    s.pacemakerVersion ? `Pacemaker ${s.pacemakerVersion}` : undefined,
    sum.stack,
  ].filter(Boolean);
  out.push(head.join(' · '));
  const change = sum.lastChange?.time
    ? `last change ${clusterTimeText(sum.lastChange.time)}${sum.lastChange.user ? ` by ${sum.lastChange.user}` : ''}${sum.lastChange.client ? ` via ${sum.lastChange.client}` : ''}${sum.lastChange.origin ? ` on ${sum.lastChange.origin}` : ''}`
    : undefined;
  const counts = [
    sum.nodesConfigured !== undefined ? `${sum.nodesConfigured} nodes configured` : undefined,
    sum.resourcesConfigured !== undefined ? `${sum.resourcesConfigured} resource instances (${sum.resourcesDisabled ?? 0} disabled, ${sum.resourcesBlocked ?? 0} blocked)` : undefined,
  ].filter(Boolean);
  const second = [change, ...counts].filter(Boolean).join(' · ');
  if (second) out.push(pal.dim(second));
  if (s.source) out.push(pal.dim(`source: ${s.source}`));

  out.push('', pal.bold('Nodes'));
  if (!s.crmMon.nodesIncluded) out.push(pal.dim('  (not in this output)'));
  else if (s.nodes.length === 0) out.push(pal.dim('  (none)'));
  else for (const n of s.nodes) out.push(nodeLine(n, pal));

  const vipIps = new Map(s.vips.filter((v) => v.ip).map((v) => [v.resource, v.cidrNetmask ? `${v.ip}/${v.cidrNetmask}` : v.ip!]));
  out.push('', pal.bold('Resources'));
  if (s.resources.length === 0) out.push(pal.dim('  (none)'));
  const clusterNodes = memberNodeNames(s);
  for (const r of s.resources) out.push(...resourceLines(r, pal, '  ', vipIps, clusterNodes));

  if (s.vips.length > 0) {
    out.push('', pal.bold('Virtual IPs'));
    for (const v of s.vips) {
      const where = v.nodes.length ? `on ${pal.bold(v.nodes.join(', '))}` : pal.red('not running');
      const ip = v.ip ? `${v.ip}${v.cidrNetmask ? `/${v.cidrNetmask}` : ''}` : '(ip unknown without the CIB)';
      out.push(`  ${ip} ${where}  ${pal.dim(`(${v.resource}${v.followsPromotedOf ? `, follows the Promoted ${v.followsPromotedOf}` : ''})`)}`);
    }
  }

  const workload = options.workload?.(pal) ?? [];
  if (workload.length > 0) out.push('', ...workload);

  if (s.failures.length > 0) {
    out.push('', pal.bold('Failed actions'));
    for (const f of s.failures) {
      const interval = f.intervalMs ? ` every ${f.intervalMs / 1000}s` : '';
      const when = f.lastRcChange ? ` at ${clusterTimeText(f.lastRcChange)}` : '';
      const why = f.exitReason ? ` — ${f.exitReason}` : '';
      out.push(`  ${pal.red('✗')} ${f.resource} ${f.task}${interval} on ${f.node}: ${f.exitStatus || 'error'} (rc ${f.exitCode}, ${f.status || '?'})${when}${why}`);
    }
  }

  if (s.failCounts.length > 0) {
    out.push('', pal.bold('Fail counts'));
    for (const f of s.failCounts) {
      out.push(`  ${f.thresholdReached ? pal.red('✗') : pal.yellow('!')} ${f.resource} on ${f.node}: ${failCountText(f.failCount, f.migrationThreshold)}`);
    }
  }

  if (s.leftoverConstraints.length > 0) {
    out.push('', pal.bold('Leftover move/ban constraints'));
    for (const c of s.leftoverConstraints) {
      out.push(`  ${pal.yellow('!')} ${c.id}: ${c.leftover === 'cli-ban' ? 'avoid' : 'prefer'} ${c.node ?? '?'} for ${c.rsc ?? c.rscPattern ?? '?'}${c.role ? ` (${c.role})` : ''}, score ${c.scoreText ?? c.score ?? '?'}`);
    }
  }

  if (s.crmMon.tickets.length > 0) {
    out.push('', pal.bold('Tickets'));
    for (const t of s.crmMon.tickets) out.push(`  ${t.id}: ${t.status ?? '?'}${t.standby ? ', standby' : ''}${t.lastGranted ? `, last granted ${t.lastGranted}` : ''}`);
  }

  const fence = s.crmMon.fenceHistory ?? [];
  if (fence.length > 0) {
    out.push('', pal.bold('Fencing history'));
    for (const e of fence.slice(0, 10)) {
      const mark = e.status === 'failed' ? pal.red('✗') : e.status === 'pending' ? pal.yellow('…') : pal.green('✓');
      out.push(`  ${mark} ${e.action} of ${e.target}: ${e.status}${e.delegate ? ` by ${e.delegate}` : ''}${e.origin ? ` for ${e.origin}` : ''}${e.completed ? ` at ${e.completed}` : ''}`);
    }
  }

  const problems = health.reasons.filter((r) => r.severity !== 'info');
  const notes = health.reasons.filter((r) => r.severity === 'info');
  if (problems.length > 0) {
    out.push('', pal.bold('Problems and what to do'));
    for (const r of problems) out.push(...reasonLines(r, pal));
  }
  if (notes.length > 0) {
    out.push('', pal.bold('Notes'));
    for (const r of notes) out.push(...reasonLines(r, pal));
  }

  out.push('');
  if (health.verdict === 'healthy') {
    out.push(`${pal.green(pal.bold('HEALTHY'))}: all nodes online, all resources running as configured${notes.length ? ` (${notes.length} note${notes.length > 1 ? 's' : ''})` : ''}`);
  } else {
    const errors = problems.filter((r) => r.severity === 'error').length;
    const warnings = problems.length - errors;
    const parts = [errors ? `${errors} error${errors > 1 ? 's' : ''}` : '', warnings ? `${warnings} warning${warnings > 1 ? 's' : ''}` : ''].filter(Boolean);
    out.push(`${(errors ? pal.red : pal.yellow)(pal.bold('DEGRADED'))}: ${parts.join(', ')}`);
  }
  return out.join('\n') + '\n';
}
