/**
 * Rules (`rule [$id=] [$role=] [score:] expression`) as crmsh parses them (crmsh/parse.py
 * match_rule): terms joined by `and`/`or`; a term is `defined X`, `not_defined X`,
 * `X [type:]op value`, `date gt|lt V`, `date in start=… end=…|duration…`, `date spec field=…`.
 */
import type { NvPair, Rule, RuleExpr } from './ast';
import type { Cursor } from './cursor';
import { isPair, isScoreToken, takeSpecial, toPair } from './cursor';
import type { Token } from './lexer';

export const BINARY_OPS = new Set(['lt', 'gt', 'lte', 'gte', 'eq', 'ne']);
export const VALUE_TYPES = new Set(['string', 'integer', 'number', 'version']);
const DATE_FIELDS = new Set([
  'start', 'end', 'hours', 'monthdays', 'weekdays', 'yeardays', 'yearsdays', 'months', 'weeks', 'years', 'weekyears', 'moon',
  'minutes', 'seconds', 'days',
]);
/** Words that end a rule: the next section of the statement. */
const STOP = new Set(['rule', 'params', 'meta', 'utilization', 'attributes', 'op', 'op_params', 'op_meta', 'operations']);

function datePairs(c: Cursor): NvPair[] {
  const pairs: NvPair[] = [];
  while (isPair(c.peek()) && DATE_FIELDS.has(toPair(c.peek()!).name)) pairs.push(toPair(c.next()!));
  return pairs;
}

function parseTerm(c: Cursor): RuleExpr | undefined {
  const t = c.next()!;
  if (t.text === 'defined' || t.text === 'not_defined') {
    const attr = c.next();
    if (!attr) {
      c.problem(t.range, `"${t.text}" needs an attribute name after it.`);
      return undefined;
    }
    return { kind: 'defined', op: t.text, attribute: attr };
  }
  const opTok = c.peek();
  if (t.text === 'date' && opTok && ['gt', 'lt', 'in', 'in_range', 'spec', 'date_spec'].includes(opTok.text)) {
    c.next();
    if (opTok.text === 'gt' || opTok.text === 'lt') {
      const value = c.next();
      if (!value) c.problem(opTok.range, `"date ${opTok.text}" needs a date after it, e.g. 2030-01-01.`);
      return { kind: 'date', op: opTok.text, value, pairs: [], token: t };
    }
    const pairs = datePairs(c);
    if (pairs.length === 0) c.problem(opTok.range, `"date ${opTok.text}" needs fields such as start=… end=… or hours=9-17.`);
    return { kind: 'date', op: opTok.text === 'in' || opTok.text === 'in_range' ? 'in_range' : 'date_spec', pairs, token: t };
  }
  if (!opTok) {
    c.problem(t.range, `Expected an operator after "${t.text}" (lt, gt, lte, gte, eq, ne, or defined/not_defined before it).`);
    return undefined;
  }
  const colon = opTok.text.indexOf(':');
  const type = colon > 0 ? opTok.text.slice(0, colon) : undefined;
  const op = colon > 0 ? opTok.text.slice(colon + 1) : opTok.text;
  if (!BINARY_OPS.has(op)) {
    c.problem(opTok.range, `Unknown rule operator "${opTok.text}": use lt, gt, lte, gte, eq or ne.`);
    c.next();
    return undefined;
  }
  if (type && !VALUE_TYPES.has(type)) c.problem(opTok.range, `Unknown value type "${type}": use string, integer, number or version.`);
  c.next();
  const value = c.next();
  if (!value) {
    c.problem(opTok.range, `"${t.text} ${opTok.text}" needs a value to compare with.`);
    return undefined;
  }
  return { kind: 'attr', attribute: t, op: opTok, type, value };
}

/** At a `rule` token. `inSet`: a rule inside params/meta ends at the first name=value pair. */
export function parseRule(c: Cursor, inSet: boolean): Rule {
  const keyword = c.next()!;
  const idRef = takeSpecial(c, '$id-ref', 'id-ref');
  const id = takeSpecial(c, '$id');
  const roleTok = c.peek();
  let role: Token | undefined;
  if (roleTok && isPair(roleTok) && ['$role', 'role'].includes(toPair(roleTok).name)) {
    c.next();
    role = roleTok;
  }
  let score: Token | undefined;
  if (isScoreToken(c.peek())) score = c.next();
  const exprs: RuleExpr[] = [];
  let booleanOp: 'and' | 'or' | undefined;
  while (!c.atEnd && !idRef) {
    const t = c.peek()!;
    if (STOP.has(t.text) || (inSet && isPair(t)) || ['(', ')', '[', ']', '{', '}'].includes(t.text)) break;
    const expr = parseTerm(c);
    if (expr) exprs.push(expr);
    const joiner = c.peek();
    if (joiner && (joiner.text === 'and' || joiner.text === 'or')) {
      if (booleanOp && booleanOp !== joiner.text) {
        c.problem(joiner.range, `A rule mixes "and" and "or": Pacemaker has one boolean-op per rule; split it into two rules.`);
      }
      booleanOp = joiner.text;
      c.next();
      continue;
    }
    break;
  }
  if (!idRef && exprs.length === 0) c.problem(keyword.range, 'This rule has no expression, e.g. "rule 100: #uname eq node1".');
  return { keyword, id, idRef, role, score, booleanOp, exprs };
}
