/**
 * `pcx logs`: every node's Pacemaker and Corosync log merged in time order, each line prefixed by its node. A
 * bounded read (--since, --lines) or --follow until Ctrl-C. Filters: --node, --resource, --level, --grep.
 * Exit codes: 0 read, 1 read but some node could not be, 2 nothing could be read (or bad options).
 */
import { compileFilter } from '../../core/logs/filter';
import type { LogStatus } from '../../core/logs/follow';
import type { NodeInfo } from '../../core/logs/types';
import { formatLine, lineJson, parseSince } from '../../core/logs/read';
import { describeCoverage } from '../../core/logs/members';
import { LogSession } from '../../core/logs/clusterLogs';
import { LEVEL_ORDER, type LogLevel } from '../../core/logs/types';
import { describeError, PcxFailure } from '../../core/util/result';
import { parseVerbArgs, usageError, usageText, type OptionTable, type VerbSpec } from '../args';
import { SOURCE_OPTIONS, connectOptionsFromSource, sourceProblem, targetFromSource, withExactRetryHint } from '../source';

const positiveInt = (v: string) => (/^[1-9]\d{0,6}$/.test(v) ? undefined : `not a positive number: ${v}`);
const sinceValue = (v: string) => (parseSince(v) === undefined ? `not a time: ${v} (say 10m, 2h, 14:30 or 2026-12-01T14:30:00Z)` : undefined);

/** Options pcx logs and pcx history share. */
export const LOG_SELECT_OPTIONS = {
  since: { type: 'string', value: 'WHEN', validate: sinceValue, help: 'start there: 10m, 2h, 1d (ago), 14:30 (today), or an ISO time' },
  node: { type: 'string', short: 'n', value: 'NODE', multiple: true, help: "only this node's lines (repeat for more)" },
  resource: { type: 'string', short: 'r', value: 'R', multiple: true, help: 'only lines mentioning this resource (redis, redis:0, redis_monitor_…)' },
  lines: { type: 'string', value: 'N', validate: positiveInt, help: 'read back at most N lines per log file (default 200, 5000 with --since)' },
  source: { type: 'string', value: 'auto', choices: ['auto', 'journal', 'files'], help: 'journal or log files (default: the journal where it has the cluster units)' },
  utc: { type: 'boolean', help: 'print times in UTC instead of local time' },
  json: { type: 'boolean', help: 'one JSON object per line on stdout' },
} as const satisfies OptionTable;

export const LOGS_VERB = {
  name: 'logs',
  synopsis: '--host H… | --cluster NAME [options]',
  description: `Pacemaker's and Corosync's logs from every node, merged in time order and prefixed by node.
Each node's clock offset is measured on connect and corrected (a skew over 1 s is warned about).`,
  groups: [
    { title: 'source', options: SOURCE_OPTIONS },
    {
      title: 'what to show',
      options: {
        ...LOG_SELECT_OPTIONS,
        follow: { type: 'boolean', short: 'f', help: 'keep following (Ctrl-C ends); streams that drop are resumed' },
        level: { type: 'string', value: 'LEVEL', choices: LEVEL_ORDER.filter((l) => l !== 'unknown'), help: 'this level and more severe only (unparsed lines are left out)' },
        grep: { type: 'string', value: 'TEXT', help: 'only lines containing TEXT (case-insensitive)' },
      },
    },
  ],
  footer: 'exit codes: 0 read, 1 some node could not be read, 2 nothing could be read',
} as const satisfies VerbSpec;

/** A node of the read, for --json (the first object: which nodes were read, which not and why). */
export function nodeJson(n: NodeInfo): Record<string, unknown> {
  return {
    node: n.node, host: n.host, read: n.state !== 'failed', from: n.from ?? null, problem: n.problem ?? null, lines: n.lines ?? null,
    first: n.first !== undefined ? new Date(n.first).toISOString() : null, last: n.last !== undefined ? new Date(n.last).toISOString() : null, short: n.shortBecause ?? null,
  };
}

/** stderr text for a stream's status (rotation, skew, permission…). */
export function statusText(verb: string, s: LogStatus): string {
  const label = s.severity === 'info' ? '' : `${s.severity}: `;
  return `pcx ${verb}: ${label}${s.message}${s.hint ? `\n  → ${s.hint}` : ''}\n`;
}

export async function run(args: string[]): Promise<number> {
  const parsed = parseVerbArgs(LOGS_VERB, args);
  const problem = parsed.ok && !parsed.value.help ? sourceProblem(parsed.value.values) : undefined;
  if (!parsed.ok || problem) {
    const e = parsed.ok ? usageError(LOGS_VERB, problem!) : parsed.error;
    process.stderr.write(`pcx logs: ${describeError(e)}\n\n${usageText(LOGS_VERB)}\n`);
    return 2;
  }
  if (parsed.value.help) {
    process.stdout.write(usageText(LOGS_VERB) + '\n');
    return 0;
  }
  const a = parsed.value.values;
  const keep = compileFilter({ nodes: a.node, resources: a.resource, ...(a.level ? { level: a.level as LogLevel } : {}), ...(a.grep ? { grep: a.grep } : {}) });
  let degraded = false;
  const out = (text: string) => process.stdout.write(text);
  const session = new LogSession({
    ...connectOptionsFromSource(a, 'logs'),
    target: await targetFromSource(a),
    follow: a.follow,
    ...(a.since ? { since: parseSince(a.since)! } : {}),
    ...(a.lines ? { lines: Number(a.lines) } : {}),
    prefer: (a.source ?? 'auto') as 'auto' | 'journal' | 'files',
    discover: !a['no-fallback'],
    onCoverage: (nodes) => {
      const since = a.since ? parseSince(a.since) : undefined;
      if (a.json) out(JSON.stringify({ kind: 'nodes', since: since !== undefined ? new Date(since).toISOString() : null, nodes: nodes.map(nodeJson) }) + '\n');
      for (const line of describeCoverage(nodes, { since, following: a.follow, utc: a.utc })) process.stderr.write(`pcx logs: ${line}\n`);
    },
    onLine: (l) => {
      if (keep(l)) out(a.json ? JSON.stringify(lineJson(l)) + '\n' : formatLine(l, a.utc) + '\n');
    },
    onStatus: (s) => {
      if (s.severity === 'error') degraded = true;
      if (a.json) out(JSON.stringify({ kind: 'status', ...s }) + '\n');
      process.stderr.write(statusText('logs', s));
    },
  });
  try {
    await session.run();
  } catch (e) {
    const f = withExactRetryHint(e, 'logs', args);
    if (f instanceof PcxFailure) {
      process.stderr.write(`pcx logs: ${describeError(f)}\n`);
      return 2;
    }
    throw f;
  }
  if (!a.follow) return degraded ? 1 : 0;
  await new Promise<void>((resolve) => {
    const end = () => {
      session.stop();
      resolve();
    };
    process.once('SIGINT', end);
    process.once('SIGTERM', end);
    process.stdout.once('error', end);
  });
  return 0;
}
