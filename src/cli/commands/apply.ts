/**
 * `pcx apply DIR`: bring the running cluster to its folder, changing only what differs — the CIB as one patch
 * (crm_diff, cibadmin --patch), corosync.conf written where it differs and reloaded (corosync-cfgtool -R).
 * Prints the plan with what Pacemaker predicts, asks, applies, compares again.
 */
import { readClusterFolder } from '../../core/bootstrap/folder';
import { runnersFor } from '../../core/bootstrap/bootstrap';
import { planApply, runApply } from '../../core/bootstrap/apply';
import { applyIsEmpty, renderApplyOutcome, renderApplyPlan } from '../../core/bootstrap/applyRender';
import type { PcxFailure } from '../../core/util/result';
import type { VerbSpec } from '../args';
import { folderSource, folderTarget, runVerb } from '../verb';
import { CHANGE_OPTIONS, EXIT_DIFFERENT, EXIT_DONE, EXIT_REFUSED, confirmChange } from '../change';
import { SOURCE_OPTIONS } from '../source';

const { host: _h, cluster: _c, clusters: _cs, ...LOGIN_OPTIONS } = SOURCE_OPTIONS;

export const APPLY_VERB = {
  name: 'apply',
  synopsis: 'DIR [options]',
  description: `Change the running cluster to what the cluster folder DIR describes, and only where it differs (what
pcx diff shows): the CIB as one cibadmin --patch computed by crm_diff (unchanged resources, constraints and
ids stay as they are), corosync.conf written on each node whose file differs (a timestamped backup kept)
and reloaded with corosync-cfgtool -R; keys Corosync reads only at start are flagged as needing a restart.
The plan shows the changes, the commands and what crm_simulate predicts on a copy of the live CIB.`,
  groups: [
    { title: 'login (the nodes are reached by their corosync names through ssh_config)', options: LOGIN_OPTIONS },
    { title: 'change', options: CHANGE_OPTIONS },
  ],
  positionals: { name: 'DIR', min: 1, max: 1 },
  footer: 'exit codes: 0 applied and no drift left (or nothing to apply), 1 applied but not all as planned (or a restart is needed), 2 refused or failed',
} as const satisfies VerbSpec;

export function run(args: string[]): Promise<number> {
  let json = false;
  const onFailure = (e: PcxFailure) => json && process.stdout.write(JSON.stringify({ outcome: 'failed', error: { code: e.code, message: e.message, hint: e.hint ?? null } }, null, 2) + '\n');
  return runVerb(APPLY_VERB, args, async ({ values: v, positionals, pool, say }) => {
    json = v.json;
    const p = pool(folderSource(v, []));
    const folder = await readClusterFolder(positionals[0]!);
    for (const w of folder.warnings) say(`warning: ${w}`);
    const runners = await runnersFor(folder, await folderTarget(v, folder.nodes), p);
    const plan = await planApply(folder, runners);
    const { predicted: _p, ...planJson } = plan;
    if (json) process.stdout.write(JSON.stringify({ plan: planJson }, null, 2) + '\n');
    else process.stdout.write(renderApplyPlan(folder, plan));
    if (applyIsEmpty(plan)) return EXIT_DONE;
    const decision = await confirmChange({ verb: 'apply', dryRun: v['dry-run'], yes: v.yes, typeToConfirm: plan.dangers.length ? (folder.clusterName ?? folder.nodes[0]) : undefined });
    if (decision !== 'go') return decision === 'dry-run' ? EXIT_DONE : EXIT_REFUSED;
    const t0 = Date.now();
    const outcome = await runApply(folder, runners, plan, { onStep: (l) => process.stderr.write(`[${((Date.now() - t0) / 1000).toFixed(1)} s] ${l}\n`) });
    if (json) process.stdout.write(JSON.stringify({ outcome }, null, 2) + '\n');
    else process.stdout.write(renderApplyOutcome(outcome));
    return outcome.status === 'done' ? EXIT_DONE : EXIT_DIFFERENT;
  }, { onFailure });
}
