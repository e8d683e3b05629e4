/**
 * `pcx diff DIR`: how the running cluster differs from its cluster folder (corosync.conf on every node, and the
 * spec against the live CIB), each difference at the folder's line it concerns, like a compiler. Exit 0 no
 * drift, 1 drift, 2 could not compare. `--json` for pipelines.
 */
import { readClusterFolder } from '../../core/bootstrap/folder';
import { liveDrift, runnersFor } from '../../core/bootstrap/bootstrap';
import { formatDrift } from '../../core/bootstrap/drift';
import { SshPool } from '../../core/ssh/pool';
import { describeError, PcxFailure } from '../../core/util/result';
import { parseVerbArgs, usageText, type VerbSpec } from '../args';
import { SOURCE_OPTIONS, connectOptionsFromSource, targetFromSource } from '../source';

const { host: _h, cluster: _c, clusters: _cs, ...LOGIN_OPTIONS } = SOURCE_OPTIONS;

export const DIFF_VERB = {
  name: 'diff',
  synopsis: 'DIR [options]',
  description: `Compare the running cluster with the cluster folder DIR (corosync.conf + one *.crm spec): every node's
corosync.conf as Corosync reads it, and resources, constraints, properties and defaults against the live CIB.
What the cluster writes itself (dc-version, agents' own attributes) is not drift.`,
  groups: [
    { title: 'login (the nodes are reached by their corosync names through ssh_config)', options: LOGIN_OPTIONS },
    { title: 'output', options: { json: { type: 'boolean', help: 'one JSON object: { drift: [...] }' } } },
  ],
  positionals: { name: 'DIR', min: 1, max: 1 },
  footer: 'exit codes: 0 no drift, 1 drift, 2 could not compare',
} as const satisfies VerbSpec;

export async function run(args: string[]): Promise<number> {
  const parsed = parseVerbArgs(DIFF_VERB, args);
  if (!parsed.ok) {
    process.stderr.write(`pcx diff: ${describeError(parsed.error)}\n`);
    return 2;
  }
  if (parsed.value.help) {
    process.stdout.write(usageText(DIFF_VERB) + '\n');
    return 0;
  }
  const v = { ...parsed.value.values, host: [] as string[], cluster: undefined, clusters: undefined };
  const pool = new SshPool(connectOptionsFromSource(v, 'diff'), { attempts: 1 });
  try {
    const folder = await readClusterFolder(parsed.value.positionals[0]!);
    const target = await targetFromSource({ ...v, host: [...folder.nodes] });
    const drift = await liveDrift(folder, await runnersFor(folder, target, pool));
    if (parsed.value.values.json) process.stdout.write(JSON.stringify({ drift }, null, 2) + '\n');
    else if (drift.length === 0) process.stdout.write(`No drift: ${folder.nodes.join(', ')} run what ${folder.dir} describes.\n`);
    else process.stdout.write(drift.map(formatDrift).join('\n') + '\n');
    return drift.length ? 1 : 0;
  } catch (e) {
    if (!(e instanceof PcxFailure)) throw e;
    process.stderr.write(`pcx diff: ${describeError(e)}\n`);
    return 2;
  } finally {
    pool.closeAll();
  }
}
