/**
 * The workload view on resource rows: Redis's own role next to Pacemaker's on each clone instance
 * ("Promoted on node1 · master · 1 replica"), the checks on the clone and the instance they concern, and where a
 * VIP really is on its row. Worst check wins the icon: error red, warning amber.
 */
import type { HealthReason } from '../../cluster/health';
import { instanceLabel, vipLabel } from '../../workload/report';
import type { ServiceView } from '../../workload/types';
import { mdCode, mdEscape, mdWithCode } from '../../text/markdown';
import { COLORS, type ExplorerIcon } from '../model';
import { workloadReasonsFor, type RowContext } from './context';

export interface WorkloadDecoration {
  /** Appended to the row's description. */
  readonly description: string;
  /** Appended to the row's tooltip (markdown). */
  readonly tooltip: string;
  /** Replaces the row's icon when a check did not pass. */
  readonly icon?: ExplorerIcon;
}

function iconFor(reasons: readonly HealthReason[], base: string): ExplorerIcon | undefined {
  if (reasons.some((r) => r.severity === 'error')) return { id: 'error', color: COLORS.error };
  if (reasons.some((r) => r.severity === 'warning')) return { id: base, color: COLORS.warning };
  return undefined;
}

function reasonLines(reasons: readonly HealthReason[]): string[] {
  return reasons.map((r) => `- ${r.severity === 'error' ? '$(error)' : '$(warning)'} ${mdCode(r.code)} ${mdEscape(r.message)}${r.fix ? ` — ${mdWithCode(r.fix)}` : ''}`);
}

export function serviceViewOf(ctx: RowContext, cloneId: string): ServiceView | undefined {
  return ctx.workload?.services.find((v) => v.resource === cloneId);
}

/** The clone row: "Redis: split brain" / "Redis ✓", and every workload check about it or its nodes. */
export function cloneDecoration(ctx: RowContext, view: ServiceView): WorkloadDecoration {
  const own = workloadReasonsFor(ctx, view.resource);
  const perNode = view.instances.flatMap((i) => workloadReasonsFor(ctx, i.node, view.kind));
  const all = [...own, ...perNode];
  const words = all.length === 0 ? `${view.label} ✓` : `${view.label} ⚠ ${[...new Set(all.map((r) => r.code.replace(`workload/${view.kind}-`, '').replace(/-/g, ' ')))].join(', ')}`;
  const rows = view.instances.map((i) => `| ${mdEscape(i.node)} | ${mdEscape(i.pacemakerRole)} | ${mdEscape(instanceLabel(view, i))} |`);
  const tooltip = [
    `**${mdEscape(view.label)}** (port ${mdEscape(String(view.port))}) — its own view, next to Pacemaker's`,
    '',
    '| node | Pacemaker | ' + mdEscape(view.label) + ' |',
    '|---|---|---|',
    ...rows,
    ...(all.length > 0 ? ['', ...reasonLines(all)] : []),
  ].join('\n');
  return { description: ` · ${words}`, tooltip, icon: iconFor(all, 'warning') };
}

/** One instance row: Redis's role and link on that node, and the checks about that node. */
export function instanceDecoration(ctx: RowContext, view: ServiceView, node: string | undefined): WorkloadDecoration | undefined {
  const i = view.instances.find((x) => x.node === node);
  if (!i) return undefined;
  const reasons = workloadReasonsFor(ctx, i.node, view.kind);
  const problem = i.problem && i.state !== 'down' ? `\n\n${mdEscape(i.problem.message)}${i.problem.hint ? ` — ${mdEscape(i.problem.hint)}` : ''}` : '';
  return {
    description: ` · ${instanceLabel(view, i)}`,
    tooltip: `**${mdEscape(view.label)} on ${mdEscape(i.node)}**: ${mdEscape(instanceLabel(view, i))}${problem}${reasons.length > 0 ? `\n\n${reasonLines(reasons).join('\n')}` : ''}`,
    icon: iconFor(reasons, 'warning'),
  };
}

/** A VIP row: where its address really is, and vip-misplaced / vip-duplicate. */
export function vipDecoration(ctx: RowContext, resource: string): WorkloadDecoration | undefined {
  const v = ctx.workload?.vips.find((x) => x.resource === resource);
  if (!v) return undefined;
  const reasons = workloadReasonsFor(ctx, resource);
  return {
    description: ` · really ${vipLabel(v)}`,
    tooltip: `**${mdEscape(v.ip)}** is ${mdEscape(vipLabel(v))} (\`ip -o -4 addr show\` on each node)${reasons.length > 0 ? `\n\n${reasonLines(reasons).join('\n')}` : ''}`,
    icon: iconFor(reasons, 'warning'),
  };
}
