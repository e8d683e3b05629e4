/**
 * `pcx diff DIR`: how the running cluster differs from its cluster folder (corosync.conf on every node, and the
 * spec against the live CIB), each difference at the folder's line it concerns, like a compiler. Exit 0 no
 * drift, 1 drift, 2 could not compare. `--json` for pipelines.
 */
import { readClusterFolder } from '../../core/bootstrap/folder';
import { liveDrift, runnersFor } from '../../core/bootstrap/bootstrap';
import { formatDrift } from '../../core/bootstrap/drift';
import type { VerbSpec } from '../args';
import { SOURCE_OPTIONS } from '../source';
import { folderSource, folderTarget, runVerb } from '../verb';

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

export function run(args: string[]): Promise<number> {
  return runVerb(DIFF_VERB, args, async ({ values, positionals, pool }) => {
    const p = pool(folderSource(values, []));
    const folder = await readClusterFolder(positionals[0]!);
    const drift = await liveDrift(folder, await runnersFor(folder, await folderTarget(values, folder.nodes), p));
    if (values.json) process.stdout.write(JSON.stringify({ drift }, null, 2) + '\n');
    else if (drift.length === 0) process.stdout.write(`No drift: ${folder.nodes.join(', ')} run what ${folder.dir} describes.\n`);
    else process.stdout.write(drift.map(formatDrift).join('\n') + '\n');
    return drift.length ? 1 : 0;
  });
}
