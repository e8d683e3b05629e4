/**
 * `pcx status`: the cluster at a glance, from a live cluster over SSH (--host / --cluster) or from
 * saved XML (--file crm_mon.xml [--cib cib.xml]). Text tree by default, the documented JSON form
 * with --json (docs/status-json.md). Exit codes: 0 healthy, 1 degraded, 2 could not get status.
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { parseCib } from '../../core/cluster/cib';
import { parseCrmMon } from '../../core/cluster/crmMon';
import { hostProblemOf } from '../../core/cluster/hostProblem';
import { snapshotFromXml } from '../../core/cluster/clusterXml';
import { fetchClusterXml } from '../../core/cluster/live';
import { buildSnapshot } from '../../core/cluster/snapshot';
import { STATUS_JSON_SCHEMA_VERSION, toStatusJson } from '../../core/status/statusJson';
import { renderStatusText } from '../../core/cluster/statusText';
import type { ClusterSnapshot } from '../../core/cluster/types';
import type { ClusterTarget } from '../../core/cluster/live';
import { SshPool } from '../../core/ssh/pool';
import { describeError, PcxFailure, type PcxError } from '../../core/util/result';
import { readWorkload, DEFAULT_LAG_THRESHOLD_BYTES } from '../../core/workload/read';
import { healthWithWorkload, workloadJson, workloadTextLines } from '../../core/workload/report';
import type { WorkloadReport } from '../../core/workload/types';
import { terminalPasswords } from '../passwords';
import { parseVerbArgs, usageError, usageText, type ParsedArgs, type VerbSpec, type VerbValues } from '../args';
import { SOURCE_OPTIONS, connectOptionsFromSource, targetFromSource, withExactRetryHint } from '../source';
import { allowColor } from '../terminal';
import { watchStatus } from './statusWatch';

export const EXIT_HEALTHY = 0;
export const EXIT_DEGRADED = 1;
export const EXIT_NO_STATUS = 2;

export const STATUS_VERB = {
  name: 'status',
  synopsis: '[source] [options]',
  description: `Show nodes, resources with their role on each node, where the virtual IPs are, failed actions
and leftover move/ban constraints, each with what to do, and a verdict.`,
  groups: [
    {
      title: 'source (one of --host, --cluster, --file)',
      options: {
        ...SOURCE_OPTIONS,
        file: { type: 'string', short: 'f', value: 'FILE', help: 'saved `crm_mon -1 --output-as=xml` output (use - for stdin)' },
        cib: { type: 'string', value: 'FILE', help: 'with --file: saved `cibadmin -Q` output, for VIP addresses, definitions\nand leftover constraints' },
      },
    },
    {
      title: 'workload (live clusters: Redis replication and where the VIPs really are, read over the same SSH connections)',
      options: {
        'no-workload': { type: 'boolean', help: 'read Pacemaker only, not Redis and the nodes\' addresses' },
        'redis-lag-bytes': { type: 'string', value: 'N', validate: validateCount, help: `warn when a Redis replica is more than N bytes behind (default ${DEFAULT_LAG_THRESHOLD_BYTES})` },
      },
    },
    {
      title: 'output',
      options: {
        json: { type: 'boolean', help: 'the documented JSON form (docs/status-json.md); with --watch one object per change' },
        watch: { type: 'boolean', short: 'w', help: 'keep watching: redraw when the cluster changes, changed lines highlighted;\nCtrl-C or q quits (live clusters only)' },
        interval: { type: 'string', value: 'SECONDS', validate: validateInterval, help: 'with --watch: how often to check for a change (default 1)' },
        'no-color': { type: 'boolean', help: 'no colours (also when NO_COLOR is set or output is not a terminal)' },
      },
    },
  ],
  footer: `Redis password (requirepass): from REDISCLI_AUTH, else asked on the terminal without echo.
exit codes: 0 healthy, 1 degraded, 2 could not get status`,
} as const satisfies VerbSpec;

type StatusArgs = VerbValues<typeof STATUS_VERB>;

function validateCount(v: string): string | undefined {
  return /^\d+$/.test(v) ? undefined : `not a number of bytes: ${v}`;
}

function validateInterval(v: string): string | undefined {
  const n = Number(v);
  return /^\d+(\.\d+)?$/.test(v) && n >= 0.25 && n <= 3600 ? undefined : 'must be a number of seconds from 0.25 to 3600';
}

export function parseStatusArgs(args: readonly string[]): { ok: true; value: ParsedArgs<StatusArgs> } | { ok: false; error: PcxError } {
  const parsed = parseVerbArgs(STATUS_VERB, args);
  if (!parsed.ok || parsed.value.help) return parsed;
  const a = parsed.value.values;
  const bad = (m: string) => ({ ok: false as const, error: usageError(STATUS_VERB, m) });
  const sources = [a.file !== undefined, a.host.length > 0, a.cluster !== undefined].filter(Boolean).length;
  if (sources === 0) return bad('say where to read the status from: --host H, --cluster NAME or --file FILE');
  if (sources > 1) return bad('use only one of --host, --cluster and --file');
  if (a.cib !== undefined && a.file === undefined) return bad('--cib goes with --file (live status reads the CIB itself)');
  if (a.watch && a.file !== undefined) return bad('--watch is for a live cluster (--host or --cluster), not --file');
  if (a.interval !== undefined && !a.watch) return bad('--interval goes with --watch');
  if (a.file !== undefined && (a['accept-new-host-key'] || a.sudo)) return bad(`${a.sudo ? '--sudo' : '--accept-new-host-key'} is for a live cluster (--host or --cluster), not --file`);
  return parsed;
}

async function readInput(file: string, what: string): Promise<string> {
  try {
    if (file === '-') {
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(c as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    }
    return await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new PcxFailure(
      code === 'ENOENT' ? 'file-missing' : 'file-unreadable',
      code === 'ENOENT' ? `${what} file not found: ${file}` : `cannot read ${what} file ${file}: ${(e as Error).message}`,
      code === 'ENOENT' ? 'check the path' : 'check that it is a readable file',
    );
  }
}

function unwrap<T>(r: { ok: true; value: T } | { ok: false; error: PcxError }, where: string): T {
  if (r.ok) return r.value;
  throw new PcxFailure(r.error.code, `${where}: ${r.error.message}`, r.error.hint, r.error.host);
}

interface Gathered {
  readonly snapshot: ClusterSnapshot;
  readonly skipped?: number;
  /** Live reads only. */
  readonly target?: ClusterTarget;
}

async function gather(a: StatusArgs, argv: readonly string[], pool: SshPool, connect: ReturnType<typeof connectOptionsFromSource>): Promise<Gathered> {
  if (a.file !== undefined) {
    const crmMon = unwrap(parseCrmMon(await readInput(a.file, 'crm_mon XML')), a.file === '-' ? 'stdin' : a.file);
    const cib = a.cib !== undefined ? unwrap(parseCib(await readInput(a.cib, 'CIB')), a.cib) : undefined;
    return { snapshot: buildSnapshot(crmMon, cib, { source: a.file === '-' ? 'stdin' : path.basename(a.file) }) };
  }
  const target = await targetFromSource(a);
  let xml: Awaited<ReturnType<typeof fetchClusterXml>>;
  try {
    // The pool carries the host-key policy and passphrase prompt; the fallback (other nodes, remembered members)
    // is a read option and must be passed here too.
    xml = await fetchClusterXml(target, { ...connect, pool });
  } catch (e) {
    throw withExactRetryHint(e, 'status', argv);
  }
  // Hosts that did not answer before one did: the read worked, but the user should know (stderr, not the report),
  // in the explorer's words (unreachable / not answering / cluster stack down).
  for (const s of xml.skipped ?? []) process.stderr.write(`pcx status: warning: skipped ${s.host ?? '?'} (${hostProblemOf(s.host ?? '?', s).words}): ${s.message}\n`);
  const { snapshot, cibProblem } = snapshotFromXml(xml, `${xml.host}: crm_mon`);
  // A bad CIB does not hide the runtime status: crm_mon-only, and said on stderr.
  if (cibProblem) process.stderr.write(`pcx status: ${xml.host}: CIB ignored (status from crm_mon only): ${cibProblem.message}${cibProblem.hint ? `\n  hint: ${cibProblem.hint}` : ''}\n`);
  return { snapshot, skipped: xml.skipped?.length ?? 0, target };
}

function fail(e: PcxError, json: boolean): number {
  if (json) {
    process.stdout.write(JSON.stringify({ schemaVersion: STATUS_JSON_SCHEMA_VERSION, error: { code: e.code, message: e.message, hint: e.hint ?? null, host: e.host ?? null } }, null, 2) + '\n');
  }
  process.stderr.write(`pcx status: ${describeError(e)}\n`);
  return EXIT_NO_STATUS;
}

export async function run(args: string[]): Promise<number> {
  const parsed = parseStatusArgs(args);
  if (!parsed.ok) {
    process.stderr.write(`pcx status: ${describeError(parsed.error)}\n\n${usageText(STATUS_VERB)}\n`);
    return EXIT_NO_STATUS;
  }
  if (parsed.value.help) {
    process.stdout.write(usageText(STATUS_VERB) + '\n');
    return 0;
  }
  const a = parsed.value.values;
  const color = !a['no-color'] && !process.env['NO_COLOR'] && process.stdout.isTTY === true;
  allowColor(color);
  if (a.watch) {
    try {
      const target = await targetFromSource(a);
      return await watchStatus({ target, connect: connectOptionsFromSource(a, 'status'), intervalMs: Number(a.interval ?? '1') * 1000, json: a.json, color, workload: a['no-workload'] ? undefined : { passwords: terminalPasswords(), lagThresholdBytes: a['redis-lag-bytes'] !== undefined ? Number(a['redis-lag-bytes']) : undefined } });
    } catch (e) {
      if (e instanceof PcxFailure) return fail(withExactRetryHint(e, 'status', args) as PcxFailure, a.json);
      throw e;
    }
  }
  // One connection per node for everything this run reads (Pacemaker's state, then the workload).
  const connect = connectOptionsFromSource(a, 'status');
  const pool = new SshPool(connect, { attempts: 1 });
  try {
    let gathered: Gathered;
    try {
      gathered = await gather(a, args, pool, connect);
    } catch (e) {
      if (e instanceof PcxFailure) return fail(e, a.json);
      throw e;
    }
    const { snapshot } = gathered;
    let workload: WorkloadReport | undefined;
    if (gathered.target && !a['no-workload']) {
      const lag = a['redis-lag-bytes'];
      workload = await readWorkload(snapshot, gathered.target, { pool, passwords: terminalPasswords(), lagThresholdBytes: lag !== undefined ? Number(lag) : undefined });
    }
    const health = healthWithWorkload(snapshot, workload);
    if (a.json) {
      process.stdout.write(JSON.stringify(toStatusJson(snapshot, health, workload ? workloadJson(workload) : null), null, 2) + '\n');
    } else {
      process.stdout.write(renderStatusText(snapshot, health, { color, workload: workload ? (pal) => workloadTextLines(workload, pal) : undefined }));
    }
    // Read through another host while a listed one could not be read: at best a warning, never plain healthy.
    return health.verdict === 'healthy' && !gathered.skipped ? EXIT_HEALTHY : EXIT_DEGRADED;
  } finally {
    pool.closeAll();
  }
}
