/**
 * `pcx bootstrap DIR`: build the cluster a cluster folder describes (corosync.conf + one *.crm spec) on nodes
 * that run nothing of a cluster yet, over plain SSH. Prints the plan, asks, runs it step by step, verifies.
 * A cluster that already runs this folder: nothing to do (exit 0). One that runs something else: refused.
 */
import { readClusterFolder } from '../../core/bootstrap/folder';
import { planBootstrap, preflight, runBootstrap } from '../../core/bootstrap/bootstrap';
import { PcxFailure } from '../../core/util/result';
import type { VerbSpec } from '../args';
import { folderSource, folderTarget, runVerb } from '../verb';
import { CHANGE_OPTIONS, EXIT_DONE, EXIT_REFUSED, confirmChange } from '../change';
import { SOURCE_OPTIONS } from '../source';

const { host: _host, cluster: _cluster, clusters: _clusters, ...LOGIN_OPTIONS } = SOURCE_OPTIONS;

export const BOOTSTRAP_VERB = {
  name: 'bootstrap',
  synopsis: 'DIR [options]',
  description: `Build the cluster that DIR describes — its corosync.conf (the nodes are its nodelist) and its one
*.crm spec — on nodes where no cluster runs yet: authkey, corosync.conf (previous file kept as a backup),
Corosync everywhere, Pacemaker on the first node, the spec loaded, its promotable clones Promoted there,
then Pacemaker on the other nodes. Needs nothing on the nodes but sshd and the packages.`,
  groups: [
    { title: 'login (the nodes are reached by their corosync names through ssh_config)', options: LOGIN_OPTIONS },
    { title: 'change', options: CHANGE_OPTIONS },
  ],
  positionals: { name: 'DIR', min: 1, max: 1 },
  footer: 'exit codes: 0 built and verified (or nothing to do), 1 built but not as planned, 2 refused or failed',
} as const satisfies VerbSpec;

export function run(args: string[]): Promise<number> {
  let json = false;
  const onFailure = (e: PcxFailure) => json && process.stdout.write(JSON.stringify({ outcome: 'failed', error: { code: e.code, message: e.message, hint: e.hint ?? null } }, null, 2) + '\n');
  return runVerb(BOOTSTRAP_VERB, args, async ({ values: v, positionals, pool: makePool, say: warn }) => {
    json = v.json;
    const say = (line: string) => process.stderr.write(`${line}\n`);
    const pool = makePool(folderSource(v, []));
    const folder = await readClusterFolder(positionals[0]!);
    for (const w of folder.warnings) warn(`warning: ${w}`);
    const target = await folderTarget(v, folder.nodes);
    const pre = await preflight(folder, target, { pool });
    if (pre.state === 'matches') {
      if (json) process.stdout.write(JSON.stringify({ outcome: 'nothing-to-do', nodes: folder.nodes }, null, 2) + '\n');
      else process.stdout.write(`Nothing to do: ${folder.nodes.join(', ')} already run the cluster ${folder.dir} describes.\n`);
      return EXIT_DONE;
    }
    if (pre.state === 'refused') {
      throw new PcxFailure('bootstrap-refused', `not bootstrapping: ${pre.reasons.join('; ')}`, 'Nothing was changed. To change a running cluster use pcx diff / pcx apply; to rebuild it, stop it first.');
    }
    const plan = planBootstrap(folder);
    if (json) process.stdout.write(JSON.stringify({ plan, configurationXml: folder.configurationXml }, null, 2) + '\n');
    else {
      process.stdout.write(`Bootstrap ${folder.clusterName ?? 'the cluster'} on ${folder.nodes.join(', ')} from ${folder.dir}:\n`);
      plan.forEach((s, i) => {
        process.stdout.write(`  ${i + 1}. ${s.title}  [${s.hosts.join(', ')}]\n`);
        for (const c of s.commands) process.stdout.write(`       $ ${c}\n`);
      });
    }
    const decision = await confirmChange({ verb: 'bootstrap', dryRun: v['dry-run'], yes: v.yes, typeToConfirm: undefined });
    if (decision !== 'go') return decision === 'dry-run' ? EXIT_DONE : EXIT_REFUSED;
    const t0 = Date.now();
    const outcome = await runBootstrap(folder, target, {
      pool,
      onStep: (e) => say(`[${Math.round((Date.now() - t0) / 1000)} s] ${e.index + 1}/${plan.length} ${e.state === 'running' ? '…' : e.state === 'done' ? '✓' : '✗'} ${e.title}${e.detail ? ` — ${e.detail}` : ''}`),
    });
    if (json) process.stdout.write(JSON.stringify({ outcome: 'done', ...outcome }, null, 2) + '\n');
    else process.stdout.write(`Done in ${Math.round((Date.now() - t0) / 1000)} s:\n${outcome.endState.map((l) => `  ${l}`).join('\n')}\n`);
    return EXIT_DONE;
  }, { onFailure });
}
