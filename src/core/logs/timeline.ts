/**
 * From log lines, the events that tell what the cluster did — newest first:
 *
 *   node joined/lost      "Node node2 state is now member|lost" (controller), 1.1 "crm_update_peer_state"
 *   quorum gained/lost    "Quorum acquired|lost"; Corosync "within the primary|non-primary component"
 *   DC elected            "election-DC won by local node", "Set DC to node1", 1.1 "Taking over DC status"
 *   transitions           "Calculated transition N, saving inputs in …/pe-input-N.bz2" with the scheduler's
 *                         planned actions logged just before it ("Actions: Promote redis:1 ( Unpromoted -> Promoted node2 )")
 *   resource actions      "Result of promote operation for redis on node2: ok" (2.x), 1.1 "Operation redis_promote_0: ok (node=…)";
 *                         successful recurring monitors, probes, notifies and cancellations are routine and left out
 *   fencing               requests, results, "node2 was terminated (reboot) by node1"
 *
 * Every node logs its own view, so the same fact seen by several daemons or nodes within a few seconds is one event.
 */
import type { LogLine } from './types';

export type TimelineKind = 'node-joined' | 'node-lost' | 'quorum-gained' | 'quorum-lost' | 'dc-elected' | 'transition' | 'action' | 'fencing';

export interface PlannedAction {
  /** Start, Stop, Promote, Demote, Move, Recover, Restart, Migrate, Fence… */
  readonly verb: string;
  readonly resource: string;
  /** What the scheduler wrote in parentheses, e.g. "Unpromoted -> Promoted node2". */
  readonly detail: string;
}

export interface TimelineEvent {
  readonly time: number;
  readonly kind: TimelineKind;
  /** The node the event is about (joined, lost, elected, acted on, fenced). */
  readonly subject: string;
  /** The node whose log said it. */
  readonly seenBy: string;
  readonly severity: 'info' | 'warning' | 'error';
  /** One sentence in plain words. */
  readonly summary: string;
  readonly resource?: string;
  readonly operation?: string;
  readonly result?: string;
  readonly transition?: { readonly id: number; readonly input: string; readonly planned: readonly PlannedAction[] };
  readonly line: LogLine;
}

const PLANNED = /^(?:Actions:\s+|LogActions:\s+|\*\s+)?(Start|Stop|Restart|Recover|Move|Migrate|Promote|Demote|Re-promote|Reload|Fence(?: \(\w+\))?)\s+(\S+)\s+\(\s*(.*?)\s*\)(.*)$/;
const TRANSITION = /^Calculated [Tt]ransition (\d+)(?: \(with (?:warnings|errors)\))?(?:, saving inputs in |: )(\S+\.bz2)/;
const RESULT_2 = /^Result of (\S+) operation for (\S+) on (\S+): (.+?)(?:\s+\|.*)?$/;
const RESULT_11 = /^Operation (\S+?)_(start|stop|monitor|promote|demote|migrate_to|migrate_from|reload|notify)_(\d+): (.+?) \(node=([^,]+),/;
const NODE_STATE = /^(?:crm_update_peer_state(?:_iter)?: \S+ )?[Nn]ode (\S+?)(?:\[\d+\])? state is now (member|lost)/;
const SCHEDULERS = new Set(['pacemaker-schedulerd', 'pengine']);
const CONTROLLERS = new Set(['pacemaker-controld', 'crmd']);

function isOk(operation: string, result: string): boolean {
  const r = result.toLowerCase().replace(/^\d+ \((.*)\)$/, '$1');
  return r === 'ok' || (operation === 'monitor' && (r === 'promoted' || r === 'master' || r === 'running promoted'));
}

function isRoutine(operation: string, interval: boolean, result: string): boolean {
  const r = result.toLowerCase();
  if (r === 'cancelled' || operation === 'notify') return true;
  // A probe ("monitor" with interval 0 in 1.1, "probe" in 2.x) that finds nothing running is expected.
  if (operation === 'probe' || (operation === 'monitor' && !interval)) return isOk('monitor', result) || /not running/.test(r);
  return operation === 'monitor' && isOk(operation, result);
}

const VERB: Record<string, string> = { start: 'started', stop: 'stopped', promote: 'promoted', demote: 'demoted', migrate_to: 'migrated away', migrate_from: 'migrated in', reload: 'reloaded' };

function actionEvent(line: LogLine, operation: string, resource: string, on: string, result: string): TimelineEvent {
  const ok = isOk(operation, result);
  const summary = ok ? `${resource} ${VERB[operation] ?? `${operation} ok`} on ${on}` : `${resource} ${operation} on ${on} failed: ${result}`;
  return { time: line.time, kind: 'action', subject: on, seenBy: line.node, severity: ok ? 'info' : 'error', summary, resource, operation, result, line };
}

/** The event a single line stands for, if any; `planned` holds the scheduler's pending action list per node. */
function eventOf(line: LogLine, planned: Map<string, PlannedAction[]>): TimelineEvent | undefined {
  if (!line.parsed) return undefined;
  const m0 = line.message;
  const base = { time: line.time, seenBy: line.node, line };
  let m: RegExpExecArray | null;
  if (SCHEDULERS.has(line.daemon)) {
    if ((m = PLANNED.exec(m0))) {
      const list = planned.get(line.node) ?? [];
      list.push({ verb: m[1]!, resource: m[2]!, detail: m[3]!.replace(/\s+/g, ' ') + (m[4]!.trim() ? ` ${m[4]!.trim()}` : '') });
      planned.set(line.node, list);
      return undefined;
    }
    if ((m = TRANSITION.exec(m0))) {
      const actions = planned.get(line.node) ?? [];
      planned.delete(line.node);
      const input = m[2]!;
      const bad = /pe-(error|warn)/.exec(input);
      if (actions.length === 0 && !bad) return undefined;
      const words = actions.map((a) => `${a.verb.toLowerCase()} ${a.resource} (${a.detail})`).join(', ');
      return {
        ...base, kind: 'transition', subject: line.node, severity: bad ? (bad[1] === 'error' ? 'error' : 'warning') : 'info',
        summary: `transition ${m[1]} planned by ${line.node}: ${words || (bad ? `scheduler ${bad[1]}s, see ${input}` : 'nothing')}`,
        transition: { id: Number(m[1]), input, planned: actions },
      };
    }
    return undefined;
  }
  if (CONTROLLERS.has(line.daemon)) {
    if ((m = RESULT_2.exec(m0))) {
      const [, operation, resource, on, result] = m as unknown as [string, string, string, string, string];
      if (isRoutine(operation, true, result)) return undefined;
      return actionEvent(line, operation, resource, on, result);
    }
    if ((m = RESULT_11.exec(m0))) {
      const [, resource, operation, interval, result, on] = m as unknown as [string, string, string, string, string, string];
      if (isRoutine(operation, interval !== '0', result)) return undefined;
      return actionEvent(line, operation, resource, on.trim(), result);
    }
    if ((m = NODE_STATE.exec(m0))) {
      const joined = m[2] === 'member';
      return { ...base, kind: joined ? 'node-joined' : 'node-lost', subject: m[1]!, severity: joined ? 'info' : 'warning', summary: `${m[1]} ${joined ? 'joined the cluster' : 'left the cluster'} (seen by ${line.node})` };
    }
    if ((m = /^Quorum (acquired|lost)/.exec(m0)) || (m = /Updating quorum status to (true|false)/.exec(m0))) {
      const gained = m[1] === 'acquired' || m[1] === 'true';
      return { ...base, kind: gained ? 'quorum-gained' : 'quorum-lost', subject: line.node, severity: gained ? 'info' : 'warning', summary: `${line.node} ${gained ? 'has quorum' : 'lost quorum'}` };
    }
    if (/^election-DC won by local node|Taking over DC status for this partition/.test(m0)) {
      return { ...base, kind: 'dc-elected', subject: line.node, severity: 'info', summary: `${line.node} was elected DC` };
    }
    if ((m = /^Set DC to (\S+?)(?: \(|$)/.exec(m0))) {
      return { ...base, kind: 'dc-elected', subject: m[1]!, severity: 'info', summary: `${m[1]} was elected DC` };
    }
  }
  if (line.daemon === 'corosync') {
    if (/within the primary component and will provide service/.test(m0)) return { ...base, kind: 'quorum-gained', subject: line.node, severity: 'info', summary: `${line.node} has quorum` };
    if (/within the non-primary component and will NOT provide any services/.test(m0)) return { ...base, kind: 'quorum-lost', subject: line.node, severity: 'warning', summary: `${line.node} lost quorum` };
  }
  if ((m = /(?:Peer|Node) (\S+) was terminated \((\w+)\) by (\S+?) .*?: (\w+)/.exec(m0))) {
    const ok = m[4] === 'OK';
    return { ...base, kind: 'fencing', subject: m[1]!, severity: ok ? 'warning' : 'error', summary: `${m[1]} was fenced (${m[2]}) by ${m[3]}: ${m[4]}` };
  }
  if ((m = /Requesting (?:peer )?fencing \((\w+)\) (?:of|targeting) (?:node )?(\S+)/.exec(m0)) || (m = /Client \S+ wants to fence \(([\w]+)\) '?([^' ]+)'?/.exec(m0))) {
    return { ...base, kind: 'fencing', subject: m[2]!, severity: 'warning', summary: `fencing (${m[1]}) of ${m[2]} requested (seen by ${line.node})` };
  }
  if (/^pacemaker-fenced$|^stonith-ng$|^stonithd$/.test(line.daemon) && (m = /^Operation '?(\w+)'? (?:\[\d+\] )?(?:for host '?|targeting )([^' ]+).*?(?:: | returned )(.+?)(?:\s+\|.*)?$/.exec(m0))) {
    const ok = /^(OK|0)\b/.test(m[3]!);
    return { ...base, kind: 'fencing', subject: m[2]!, severity: ok ? 'warning' : 'error', summary: `fencing (${m[1]}) of ${m[2]}: ${m[3]}` };
  }
  return undefined;
}

/** Events that several daemons/nodes report for one fact, merged: same kind, subject and summary within windowMs. */
function sameFact(a: TimelineEvent, b: TimelineEvent, windowMs: number): boolean {
  if (a.kind !== b.kind || a.subject !== b.subject || Math.abs(a.time - b.time) > windowMs) return false;
  if (a.kind === 'action') return a.resource === b.resource && a.operation === b.operation && a.result === b.result;
  if (a.kind === 'quorum-gained' || a.kind === 'quorum-lost') return a.seenBy === b.seenBy;
  if (a.kind === 'transition') return a.transition!.id === b.transition!.id && a.seenBy === b.seenBy;
  return a.kind !== 'fencing' || a.summary === b.summary;
}

const STATE_KINDS: Record<string, string> = { 'dc-elected': 'dc', 'node-joined': 'member', 'node-lost': 'member', 'quorum-gained': 'quorum', 'quorum-lost': 'quorum' };

function repeatsState(events: readonly TimelineEvent[], e: TimelineEvent): boolean {
  const group = STATE_KINDS[e.kind];
  if (!group) return false;
  for (let i = events.length - 1; i >= 0; i--) {
    const p = events[i]!;
    if (STATE_KINDS[p.kind] !== group) continue;
    if (group === 'dc') return p.subject === e.subject;
    if (p.subject === e.subject) return p.kind === e.kind;
  }
  return false;
}

/** The timeline of `lines` (in any order), newest first. */
export function buildTimeline(lines: readonly LogLine[], windowMs = 5000): TimelineEvent[] {
  const sorted = [...lines].map((l, i) => ({ l, i })).sort((a, b) => a.l.time - b.l.time || a.i - b.i).map((x) => x.l);
  const planned = new Map<string, PlannedAction[]>();
  const events: TimelineEvent[] = [];
  for (const line of sorted) {
    const e = eventOf(line, planned);
    if (!e) continue;
    if (events.some((prev) => sameFact(prev, e, windowMs))) continue;
    // State already known is not news: a node that joins later learns the DC ("Set DC to node1") and the members
    // (“node1 state is now member”); a node's quorum is re-announced. Only a change of state is an event.
    if (repeatsState(events, e)) continue;
    events.push(e);
  }
  return events.reverse();
}

/** The mark a severity gets in text output. */
export function severityMark(e: TimelineEvent): string {
  return e.severity === 'error' ? '✗' : e.severity === 'warning' ? '!' : '·';
}
