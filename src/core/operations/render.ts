/** Plans and outcomes as text (pcx, the extension's log) and as JSON (pcx --json). */
import { describeDialect } from './backend';
import type { OperationOutcome } from './execute';
import { describeRoles, type Placement } from './clusterPlacement';
import type { OperationPlan } from './preview';

function placementLines(p: Placement, indent = '  '): string[] {
  return p.resources.map((r) => `${indent}${r.resource}: ${describeRoles(r)}`);
}

export function renderPlan(plan: OperationPlan): string {
  const lines = [`${plan.title}: ${plan.summary}`, `  on ${plan.host}${plan.clusterName ? ` (cluster ${plan.clusterName})` : ''}, with ${describeDialect(plan.dialect)}`, '', 'commands:'];
  plan.phases.forEach((p, i) => {
    lines.push(`  ${i + 1}. ${p.runOn ?? plan.host}# ${p.commandLine}`);
    lines.push(`     ${p.title}${p.settle ? '; then wait for the cluster to settle' : ''}${p.always ? ' (runs even if an earlier step fails)' : ''}`);
    if (p.note) lines.push(`     note: ${p.note}`);
  });
  lines.push('', 'Pacemaker predicts (crm_simulate on a copy of the live CIB):');
  if (plan.transition.length === 0) lines.push('  no change of roles or locations');
  for (const t of plan.transition) lines.push(`  ${t}`);
  const actions = plan.phases.flatMap((p) => p.actions);
  if (actions.length > 0) lines.push(`  (scheduler actions: ${actions.join('; ')})`);
  lines.push('', 'now:', ...placementLines(plan.before), 'afterwards:', ...placementLines(plan.predicted));
  for (const w of plan.warnings) lines.push(`warning: ${w}`);
  for (const d of plan.dangers) lines.push(`DANGER: ${d}`);
  lines.push('', `same as: ${plan.cli}`);
  return lines.join('\n') + '\n';
}

export function renderOutcome(o: OperationOutcome): string {
  const lines: string[] = [];
  for (const p of o.phases) {
    const waited = p.waitedMs !== undefined ? `, settled check after ${(p.waitedMs / 1000).toFixed(1)} s` : '';
    lines.push(`${p.status.padEnd(9)} ${p.commandLine}${waited}`);
    if (p.status === 'failed' && p.stderr) lines.push(...p.stderr.trim().split('\n').slice(0, 6).map((l) => `          ${l}`));
  }
  if (o.after) lines.push('before:', ...placementLines(o.before), 'after:', ...placementLines(o.after));
  for (const d of o.differences) lines.push(`differs from the preview: ${d}`);
  for (const u of o.unmet) lines.push(`not as asked: ${u}`);
  if (o.failure?.hint) lines.push(`next: ${o.failure.hint}`);
  lines.push(o.message);
  return lines.join('\n') + '\n';
}

/** The plan without the snapshot it was made from (that is the cluster's whole state). */
export function planJson(plan: OperationPlan): Record<string, unknown> {
  const { snapshot: _snapshot, phases, ...rest } = plan;
  void _snapshot;
  return { ...rest, phases: phases.map(({ commandLine, title, argv, settle, always, note, predicted, actions }) => ({ title, commandLine, argv, settle, always: always ?? false, note, predicted, actions })) };
}

export function outcomeJson(o: OperationOutcome): Record<string, unknown> {
  const { plan: _plan, ...rest } = o;
  void _plan;
  return rest;
}
