/** An apply plan and its outcome in words: pcx apply's output, the extension's preview document and log. */
import { formatDrift } from './drift';
import type { ApplyOutcome, ApplyPlan } from './apply';
import type { ClusterFolder } from './folder';

export function applyIsEmpty(plan: ApplyPlan): boolean {
  return !plan.patch && plan.corosync.length === 0;
}

export function renderApplyPlan(folder: ClusterFolder, plan: ApplyPlan): string {
  if (applyIsEmpty(plan)) return `Nothing to apply: ${folder.nodes.join(', ')} run what ${folder.dir} describes.\n`;
  const lines = [`Apply ${folder.dir} to ${folder.clusterName ?? 'the cluster'} (${folder.nodes.join(', ')}):`];
  if (plan.changes.length) {
    lines.push('', `CIB: ${plan.changes.length} change(s), sent to ${plan.host} as one patch (nothing else is touched):`);
    for (const c of plan.changes) {
      if (c.action === 'set') lines.push(`  set ${c.what}: ${c.live ?? '(unset)'} → ${c.want}`);
      else {
        lines.push(`  ${c.action} ${c.what}`);
        if (c.live !== undefined) lines.push(`      live: ${c.live}`);
        if (c.want !== undefined) lines.push(`      spec: ${c.want}`);
      }
    }
  }
  if (plan.corosync.length) {
    lines.push('', 'corosync.conf (written with a timestamped backup, then corosync-cfgtool -R):');
    for (const c of plan.corosync) {
      for (const d of c.differences) lines.push(`  ${formatDrift(d)}`);
      if (c.needsRestart.length) lines.push(`  NEEDS A RESTART on ${c.host}: Corosync reads ${c.needsRestart.join(', ')} only at start; apply writes the file but restarts nothing`);
    }
  }
  lines.push('', 'commands:', ...plan.commands.map((c) => `  ${c.host}# ${c.commandLine}`));
  if (plan.patch) {
    lines.push('', 'Pacemaker predicts (crm_simulate on a copy of the live CIB with the patch):');
    if (plan.transition.length === 0) lines.push('  no change of roles or locations');
    for (const t of plan.transition) lines.push(`  ${t}`);
    if (plan.actions.length) lines.push(`  (scheduler actions: ${plan.actions.join('; ')})`);
  }
  for (const w of plan.warnings) lines.push(`warning: crm_verify: ${w}`);
  for (const d of plan.dangers) lines.push(`DANGER: ${d}`);
  return lines.join('\n') + '\n';
}

export function renderApplyOutcome(o: ApplyOutcome): string {
  const lines = o.done.map((d) => `done: ${d}`);
  for (const b of o.backups) lines.push(`backup: ${b}`);
  for (const r of o.needsRestart) lines.push(`needs a restart: ${r} (restart Corosync on the nodes, one at a time, to take it)`);
  for (const u of o.unexpected) lines.push(`differs from the prediction: ${u}`);
  for (const d of o.remaining) lines.push(`still different: ${formatDrift(d)}`);
  lines.push(o.status === 'done' ? 'Applied and verified: no drift.' : 'Applied, but the cluster is not yet exactly as the folder says (see above).');
  return lines.join('\n') + '\n';
}
