/** Rows for constraints (leftover move/ban ones with the command that removes them), failed actions and fail counts. */
import { baseResourceId } from '../../cluster/names';
import { clusterTimeText, dateTimeWithZone, failCountText, parseClusterTime } from '../../util/time';
import { cleanupCommand, clearCommand, remedyText } from '../../cluster/remedies';
import type { Constraint, FailCount, FailedAction } from '../../cluster/types';
import { mdEscape, mdWithCode, table } from '../../text/markdown';
import { COLORS, contextValueOf, segment, type ExplorerNode } from '../model';
import { describeConstraint, intervalText } from '../wording';
import type { RowContext } from './context';

const CONSTRAINT_ICONS: Readonly<Record<Constraint['type'], string>> = { location: 'location', colocation: 'link', order: 'list-ordered', ticket: 'tag' };

export function buildConstraint(ctx: RowContext, c: Constraint): ExplorerNode {
  const leftover = c.type === 'location' ? c.leftover : undefined;
  const sentence = describeConstraint(c);
  const fix = c.type === 'location' && leftover ? clearCommand(c.rsc ?? c.rscPattern ?? '?') : undefined;
  return {
    kind: 'constraint',
    id: `${ctx.root}/constraint/${segment(c.id)}`,
    label: sentence,
    description: fix ? `remove with: ${remedyText(fix, 'plain')}` : undefined,
    tooltip: [`**${mdEscape(c.id)}** (${mdEscape(c.type)})`, '', mdEscape(sentence), ...(fix ? ['', `$(warning) Left behind by \`move\`/\`ban\`: it keeps constraining placement until removed with ${mdWithCode(remedyText(fix))}.`] : [])].join('\n'),
    icon: leftover ? { id: 'warning', color: COLORS.warning } : { id: CONSTRAINT_ICONS[c.type] },
    contextValue: contextValueOf('constraint', [c.type, leftover]),
    subject: c.type === 'location' && c.rsc ? { resource: c.rsc, node: c.node } : undefined,
    children: [],
  };
}

function failureLabel(f: FailedAction): string {
  const rsc = baseResourceId(f.resource);
  const op = f.intervalMs > 0 ? `${f.task} (every ${intervalText(f.intervalMs)})` : f.task;
  return `${rsc} ${op} on ${f.node}`;
}

/** A failure's time with its zone, as the tooltip shows it. */
function whenText(s: string | undefined): string {
  const t = parseClusterTime(s);
  return t === undefined ? (s ?? '—') : dateTimeWithZone(t);
}

export function buildFailure(ctx: RowContext, f: FailedAction): ExplorerNode {
  const when = f.lastRcChange ? ` · ${clusterTimeText(f.lastRcChange)}` : '';
  const status = f.status && !/^(complete|done)$/i.test(f.status) ? `, ${f.status}` : '';
  return {
    kind: 'failure',
    id: `${ctx.root}/failure/${segment(f.node)}/${segment(f.opKey)}`,
    label: failureLabel(f),
    description: `${f.exitStatus || 'error'} (rc ${f.exitCode}${status})${f.exitReason ? ` · ${f.exitReason}` : ''}${when}`,
    tooltip: [
      `**Failed action** ${mdEscape(f.opKey)} on ${mdEscape(f.node)}`,
      '',
      table([
        ['result', `${f.exitStatus} (rc ${f.exitCode})`],
        ['status', f.status],
        ...(f.exitReason ? [['exit reason', f.exitReason] as const] : []),
        ['when', whenText(f.lastRcChange)],
        ['call', f.call],
        ...(f.execMs !== undefined ? [['exec time', `${f.execMs} ms`] as const] : []),
      ]),
      '',
      `Fix the cause, then ${mdWithCode(remedyText(cleanupCommand(f.resource)))}.`,
    ].join('\n'),
    icon: { id: 'error', color: COLORS.error },
    contextValue: contextValueOf('failure'),
    subject: { resource: baseResourceId(f.resource), node: f.node },
    children: [],
  };
}

export function buildFailCount(ctx: RowContext, f: FailCount): ExplorerNode {
  const rsc = baseResourceId(f.resource);
  return {
    kind: 'failcount',
    id: `${ctx.root}/failcount/${segment(f.node)}/${segment(f.resource)}`,
    label: `${rsc} fail count on ${f.node}`,
    description: `${failCountText(f.failCount, f.migrationThreshold)}${f.thresholdReached ? ' · threshold reached: banned from this node until cleanup' : ''}${f.lastFailure ? ` · last ${clusterTimeText(f.lastFailure)}` : ''}`,
    tooltip: `**${mdEscape(rsc)}** has failed ${mdEscape(String(f.failCount))} time(s) on ${mdEscape(f.node)}.${f.thresholdReached ? ` It reached migration-threshold (${mdEscape(String(f.migrationThreshold))}) and will not run there until ${mdWithCode(remedyText(cleanupCommand(rsc, f.node)))}.` : ''}`,
    icon: { id: f.thresholdReached ? 'circle-slash' : 'warning', color: f.thresholdReached ? COLORS.error : COLORS.warning },
    contextValue: contextValueOf('failcount', [f.thresholdReached && 'threshold']),
    subject: { resource: rsc, node: f.node },
    children: [],
  };
}
