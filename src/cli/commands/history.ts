/**
 * `pcx history`: what the cluster did, newest first — nodes joining and leaving, quorum, DC elections, transitions
 * with their planned actions, each resource action with its result, fencing — from the same merged logs as
 * `pcx logs`. --explain replays each transition's saved scheduler input with crm_simulate and says what it decided.
 * Exit codes: 0 read, 1 read but some node could not be, 2 nothing could be read.
 */
import { sshTargetFor } from '../../core/cluster/live';
import { describeCoverage } from '../../core/logs/members';
import { clockTime, parseSince, readTimeline } from '../../core/logs/read';
import { formatSummary, simulateTransition, type TransitionSummary } from '../../core/logs/simulate';
import { severityMark, type TimelineEvent } from '../../core/logs/timeline';
import { CommandRunner } from '../../core/remote/runner';
import { SshPool } from '../../core/ssh/pool';
import { describeError, PcxFailure } from '../../core/util/result';
import { parseVerbArgs, usageError, usageText, type VerbSpec } from '../args';
import { SOURCE_OPTIONS, connectOptionsFromSource, sourceProblem, targetFromSource, withExactRetryHint } from '../source';
import { LOG_SELECT_OPTIONS, statusText } from './logs';

export const HISTORY_VERB = {
  name: 'history',
  synopsis: '--host H… | --cluster NAME [--since 1h] [options]',
  description: `The cluster's recent history from every node's logs, newest first: nodes joined/lost, quorum, DC
elected, transitions with their planned actions, resource actions with their results, fencing.`,
  groups: [
    { title: 'source', options: SOURCE_OPTIONS },
    {
      title: 'what to show',
      options: {
        ...LOG_SELECT_OPTIONS,
        explain: { type: 'boolean', short: 'x', help: "replay each transition's pe-input with crm_simulate and say what it decided" },
      },
    },
  ],
  footer: 'default --since 1h. exit codes: 0 read, 1 some node could not be read, 2 nothing could be read',
} as const satisfies VerbSpec;

function eventJson(e: TimelineEvent, summary?: TransitionSummary | { error: string }): Record<string, unknown> {
  return {
    time: new Date(e.time).toISOString(), kind: e.kind, subject: e.subject, seenBy: e.seenBy, severity: e.severity, summary: e.summary,
    resource: e.resource ?? null, operation: e.operation ?? null, result: e.result ?? null,
    transition: e.transition ? { id: e.transition.id, input: e.transition.input, planned: e.transition.planned, simulation: summary ?? null } : null,
  };
}

export async function run(args: string[]): Promise<number> {
  const parsed = parseVerbArgs(HISTORY_VERB, args);
  const problem = parsed.ok && !parsed.value.help ? sourceProblem(parsed.value.values) : undefined;
  if (!parsed.ok || problem) {
    const e = parsed.ok ? usageError(HISTORY_VERB, problem!) : parsed.error;
    process.stderr.write(`pcx history: ${describeError(e)}\n\n${usageText(HISTORY_VERB)}\n`);
    return 2;
  }
  if (parsed.value.help) {
    process.stdout.write(usageText(HISTORY_VERB) + '\n');
    return 0;
  }
  const a = parsed.value.values;
  const connect = connectOptionsFromSource(a, 'history');
  const pool = new SshPool(connect, { attempts: 1 });
  const target = await targetFromSource(a);
  try {
    const since = parseSince(a.since ?? '1h')!;
    const window = await readTimeline({ ...connect, pool, target, since, ...(a.lines ? { lines: Number(a.lines) } : {}), prefer: (a.source ?? 'auto') as 'auto' | 'journal' | 'files', discover: !a['no-fallback'] });
    for (const line of describeCoverage(window.nodes, { since, utc: a.utc })) process.stderr.write(`pcx history: ${line}\n`);
    for (const s of window.statuses) process.stderr.write(statusText('history', s));
    const nodes = new Set(a.node.map((n) => n.toLowerCase()));
    const resources = a.resource.map((r) => r.toLowerCase());
    const events = window.events.filter((e) =>
      (nodes.size === 0 || nodes.has(e.subject.toLowerCase()) || nodes.has(e.seenBy.toLowerCase())) &&
      (resources.length === 0 || resources.some((r) => e.resource?.toLowerCase() === r || e.transition?.planned.some((p) => p.resource.toLowerCase().split(':')[0] === r.replace(/-clone$/, '')))));
    const explain = async (e: TimelineEvent): Promise<TransitionSummary | { error: string } | undefined> => {
      if (!a.explain || !e.transition) return undefined;
      const host = window.nodes.find((n) => n.node === e.seenBy)?.host ?? e.seenBy;
      try {
        const connection = await pool.get(sshTargetFor(target, host));
        return await simulateTransition(new CommandRunner(connection, connection.resolved.user, target.sudo ?? false), e.transition.input);
      } catch (err) {
        return { error: err instanceof PcxFailure ? describeError(err) : String(err) };
      }
    };
    if (events.length === 0 && !a.json) process.stdout.write(`no cluster events since ${new Date(since).toISOString()} (${window.lines.length} log lines read)\n`);
    for (const e of events) {
      const summary = await explain(e);
      if (a.json) {
        process.stdout.write(JSON.stringify(eventJson(e, summary)) + '\n');
        continue;
      }
      process.stdout.write(`${clockTime(e.time, a.utc)}  ${e.seenBy.padEnd(6)} ${severityMark(e)} ${e.summary}\n`);
      if (summary && 'error' in summary) process.stdout.write(`  (could not replay ${e.transition!.input}: ${summary.error})\n`);
      else if (summary) process.stdout.write(formatSummary(summary).join('\n') + '\n');
    }
    return window.statuses.some((s) => s.severity === 'error') ? 1 : 0;
  } catch (e) {
    const f = withExactRetryHint(e, 'history', args);
    if (f instanceof PcxFailure) {
      process.stderr.write(`pcx history: ${describeError(f)}\n`);
      return 2;
    }
    throw f;
  } finally {
    pool.closeAll();
  }
}
