/**
 * `pcx pull DIR`: bring the cluster folder's spec to the running cluster — the live configuration rendered into
 * the *.crm file, comments kept where their statement still exists. The previous file is kept beside it as
 * FILE.pcx-backup-<UTC time>. `--dry-run` prints the new spec and writes nothing.
 */
import { readClusterFolder } from '../../core/bootstrap/folder';
import { runnersFor } from '../../core/bootstrap/bootstrap';
import { pullSpec } from '../../core/bootstrap/pull';
import { replaceWithBackup } from '../../core/util/replaceFile';
import { PcxFailure } from '../../core/util/result';
import type { VerbSpec } from '../args';
import { folderSource, folderTarget, runVerb } from '../verb';
import { SOURCE_OPTIONS } from '../source';

const { host: _h, cluster: _c, clusters: _cs, ...LOGIN_OPTIONS } = SOURCE_OPTIONS;

export const PULL_VERB = {
  name: 'pull',
  synopsis: 'DIR [options]',
  description: `Render the running cluster's configuration into the cluster folder's *.crm spec (a backup of the old
file is kept beside it), keeping comments above statements that still exist. Properties the cluster writes
itself (dc-version, cluster-infrastructure, agents' attributes) and the node list stay out.`,
  groups: [
    { title: 'login (the nodes are reached by their corosync names through ssh_config)', options: LOGIN_OPTIONS },
    { title: 'output', options: { 'dry-run': { type: 'boolean', help: 'print the new spec on stdout and write nothing' } } },
  ],
  positionals: { name: 'DIR', min: 1, max: 1 },
  footer: 'exit codes: 0 written (or printed), 2 could not read the cluster or write the file',
} as const satisfies VerbSpec;

export function run(args: string[]): Promise<number> {
  return runVerb(PULL_VERB, args, async ({ values, positionals, pool, say }) => {
    const p = pool(folderSource(values, []));
    const folder = await readClusterFolder(positionals[0]!);
    const [first] = await runnersFor(folder, await folderTarget(values, folder.nodes), p);
    const live = await first!.run(['cibadmin', '-Q', '--scope', 'configuration']);
    if (live.code !== 0) throw new PcxFailure('cib-read-failed', `cannot read the configuration on ${first!.host}: ${live.stderr.toString().trim()}`, 'Check that Pacemaker runs there (pcx status).', first!.host);
    const pulled = pullSpec(folder.specText, live.stdout.toString());
    for (const c of pulled.droppedComments) say(`warning: a comment's statement is gone from the cluster, so the comment is not kept:\n${c.replace(/^/gm, '    ')}`);
    for (const u of pulled.unsupported) say(`warning: not rendered: ${u}`);
    if (values['dry-run']) {
      process.stdout.write(pulled.text);
      return 0;
    }
    if (pulled.text === folder.specText) {
      process.stdout.write(`${folder.specFile} already says what the cluster runs.\n`);
      return 0;
    }
    // 20261201T180712Z: to the second (the old stamp stopped at the minute, so a second pull within it had no new name).
    const backup = await replaceWithBackup(folder.specFile, pulled.text, new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z'));
    process.stdout.write(`Wrote ${folder.specFile} from ${first!.host}'s live configuration (previous file: ${backup}).\n`);
    return 0;
  });
}
