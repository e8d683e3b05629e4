/**
 * `pcx pull DIR`: bring the cluster folder's spec to the running cluster — the live configuration rendered into
 * the *.crm file, comments kept where their statement still exists. The previous file is kept beside it as
 * FILE.pcx-backup-<UTC time>. `--dry-run` prints the new spec and writes nothing.
 */
import { readClusterFolder } from '../../core/bootstrap/folder';
import { runnersFor } from '../../core/bootstrap/bootstrap';
import { pullSpec } from '../../core/bootstrap/pull';
import { SshPool } from '../../core/ssh/pool';
import { replaceWithBackup } from '../../core/util/replaceFile';
import { describeError, PcxFailure } from '../../core/util/result';
import { parseVerbArgs, usageText, type VerbSpec } from '../args';
import { SOURCE_OPTIONS, connectOptionsFromSource, targetFromSource } from '../source';

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

export async function run(args: string[]): Promise<number> {
  const parsed = parseVerbArgs(PULL_VERB, args);
  if (!parsed.ok) {
    process.stderr.write(`pcx pull: ${describeError(parsed.error)}\n`);
    return 2;
  }
  if (parsed.value.help) {
    process.stdout.write(usageText(PULL_VERB) + '\n');
    return 0;
  }
  const v = { ...parsed.value.values, host: [] as string[], cluster: undefined, clusters: undefined };
  const pool = new SshPool(connectOptionsFromSource(v, 'pull'), { attempts: 1 });
  try {
    const folder = await readClusterFolder(parsed.value.positionals[0]!);
    const target = await targetFromSource({ ...v, host: [...folder.nodes] });
    const [first] = await runnersFor(folder, target, pool);
    const live = await first!.run(['cibadmin', '-Q', '--scope', 'configuration']);
    if (live.code !== 0) throw new PcxFailure('cib-read-failed', `cannot read the configuration on ${first!.host}: ${live.stderr.toString().trim()}`, 'Check that Pacemaker runs there (pcx status).', first!.host);
    const pulled = pullSpec(folder.specText, live.stdout.toString());
    for (const c of pulled.droppedComments) process.stderr.write(`pcx pull: warning: a comment's statement is gone from the cluster, so the comment is not kept:\n${c.replace(/^/gm, '    ')}\n`);
    for (const u of pulled.unsupported) process.stderr.write(`pcx pull: warning: not rendered: ${u}\n`);
    if (parsed.value.values['dry-run']) {
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
  } catch (e) {
    if (!(e instanceof PcxFailure)) throw e;
    process.stderr.write(`pcx pull: ${describeError(e)}\n`);
    return 2;
  } finally {
    pool.closeAll();
  }
}
