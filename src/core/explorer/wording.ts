/**
 * Plain-words descriptions of Pacemaker objects for the explorer and `Copy Status as Text`:
 * constraints as sentences an admin reads without the CIB schema in their head
 * ("VIP runs with the Promoted instance of redis-clone — INFINITY"), scores and intervals
 * (placements are in core/cluster/placement, shared with `pcx status`). Pure functions of the model types.
 */
import type { ColocationConstraint, Constraint, LocationConstraint, OrderConstraint, ResourceSet, Role, TicketConstraint } from '../cluster/types';
import { SCORE_INFINITY } from '../util/xml';

/** "INFINITY", "-INFINITY", "100"; the text as written wins when there is one. */
export function scoreText(score: number | undefined, written?: string): string {
  if (written) return written.replace(/^\+/, '');
  if (score === undefined) return 'INFINITY';
  if (score >= SCORE_INFINITY) return 'INFINITY';
  if (score <= -SCORE_INFINITY) return '-INFINITY';
  return String(score);
}

function scoreValue(score: number | undefined): number {
  return score ?? SCORE_INFINITY;
}

/** "3s", "10s", "2min", "500ms". */
export function intervalText(ms: number): string {
  if (ms % 60_000 === 0 && ms >= 60_000) return `${ms / 60_000}min`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

function roleOf(role: Role | undefined, rsc: string, article: 'the' | 'an'): string {
  if (role === 'Promoted') return `the Promoted instance of ${rsc}`;
  if (role === 'Unpromoted') return `${article} Unpromoted instance of ${rsc}`;
  return rsc;
}

function setText(s: ResourceSet): string {
  const role = s.role && s.role !== 'Started' ? ` (${s.role})` : '';
  const action = s.action ? ` (${s.action})` : '';
  return `[${s.resources.join(' ')}]${role}${action}`;
}

function setsText(sets: readonly ResourceSet[]): string {
  return sets.map(setText).join(' then ');
}

function colocationText(c: ColocationConstraint): string {
  const score = scoreValue(c.score);
  const s = scoreText(c.score, c.scoreText);
  if (c.sets.length > 0) return `${c.sets.map(setText).join(' with ')} run together — ${s}`;
  const who = roleOf(c.rscRole, c.rsc ?? '?', 'an');
  const whom = roleOf(c.withRscRole, c.withRsc ?? '?', 'an');
  let verb: string;
  if (score >= SCORE_INFINITY) verb = 'runs with';
  else if (score > 0) verb = 'prefers to run with';
  else if (score <= -SCORE_INFINITY) verb = 'never runs with';
  else if (score < 0) verb = 'avoids running with';
  else verb = 'has no preference about';
  const sentence = `${capitalise(who)} ${verb} ${whom}`;
  return `${sentence} — ${s}`;
}

function locationSubject(c: LocationConstraint): string {
  const rsc = c.rsc ?? (c.rscPattern ? `resources matching /${c.rscPattern}/` : c.sets.length > 0 ? setsText(c.sets) : '?');
  if (c.role === 'Promoted') return `the Promoted role of ${rsc}`;
  if (c.role === 'Unpromoted') return `the Unpromoted role of ${rsc}`;
  return rsc;
}

function locationText(c: LocationConstraint): string {
  const who = locationSubject(c);
  const s = scoreText(c.score, c.scoreText);
  if (c.leftover === 'cli-ban') return `${capitalise(who)} is banned from ${c.node ?? 'a node'} by a move/ban — ${s}`;
  if (c.leftover === 'cli-prefer') return `${capitalise(who)} is pinned to ${c.node ?? 'a node'} by a move — ${s}`;
  if (c.node) {
    const score = scoreValue(c.score);
    if (score <= -SCORE_INFINITY) return `${capitalise(who)} never runs on ${c.node} — ${s}`;
    if (score < 0) return `${capitalise(who)} avoids ${c.node} — ${s}`;
    return `${capitalise(who)} prefers ${c.node} — ${s}`;
  }
  if (c.rules.length > 0) {
    const rules = c.rules.map((r) => `${r.text} (${scoreText(r.score, r.scoreAttribute ? `score from ${r.scoreAttribute}` : undefined)})`);
    return `${capitalise(who)} placed by rule: ${rules.join('; ')}`;
  }
  return `${capitalise(who)}: location — ${s}`;
}

const PAST: Readonly<Record<string, string>> = { start: 'started', stop: 'stopped', promote: 'promoted', demote: 'demoted', monitor: 'monitored' };
const PRESENT: Readonly<Record<string, string>> = { start: 'starts', stop: 'stops', promote: 'is promoted', demote: 'is demoted', monitor: 'is monitored' };

function orderText(c: OrderConstraint): string {
  const kind = c.kind ?? (c.score === 0 ? 'Optional' : 'Mandatory');
  const extra = c.symmetrical === false ? ', not reversed on stop' : '';
  if (c.sets.length > 0) return `${setsText(c.sets)} in this order (${kind}${extra})`;
  const firstAction = c.firstAction ?? 'start';
  const thenAction = c.thenAction ?? firstAction;
  const first = `${c.first ?? '?'} is ${PAST[firstAction] ?? `${firstAction}ed`}`;
  const then = `${c.then ?? '?'} ${PRESENT[thenAction] ?? thenAction}`;
  return `${capitalise(then)} after ${first} (${kind}${extra})`;
}

function ticketText(c: TicketConstraint): string {
  const who = c.rsc ? roleOf(c.rscRole, c.rsc, 'an') : setsText(c.sets);
  return `${capitalise(who)} runs only while ticket ${c.ticket} is granted${c.lossPolicy ? ` (on loss: ${c.lossPolicy})` : ''}`;
}

/** One sentence for any constraint, score included. */
export function describeConstraint(c: Constraint): string {
  switch (c.type) {
    case 'colocation':
      return colocationText(c);
    case 'location':
      return locationText(c);
    case 'order':
      return orderText(c);
    case 'ticket':
      return ticketText(c);
  }
}

function capitalise(s: string): string {
  // Resource ids are case-sensitive: only capitalise our own leading words ("the …").
  return s.startsWith('the ') ? `The ${s.slice(4)}` : s;
}
