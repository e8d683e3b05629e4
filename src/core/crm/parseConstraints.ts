/**
 * Constraints: location, colocation, order, rsc_ticket, with resource sets `( )` (sequential=false),
 * `[ ]` (require-all=false) and `{ }` (a location's resource list). Messages use crmsh's wording
 * ("Expected <score>:", "Empty resource set", "Cannot nest resource sets", "Unmatched opening bracket").
 */
import type { ConstraintNode, CrmNode, LocationNode, NvPair, RscItem, ResourceRef, Rule } from './ast';
import type { Cursor } from './cursor';
import { isPair, isScoreToken, toPair, toRef } from './cursor';
import type { Token } from './lexer';
import { parseRule } from './parseRule';

const CLOSE = new Map([['(', ')'], ['[', ']'], ['{', '}']]);

/** Resource items until the end of the statement or a name=value pair outside a set. */
function parseItems(c: Cursor, stopAtPairs: boolean, attrs: NvPair[], limit = Infinity): RscItem[] {
  const items: RscItem[] = [];
  while (!c.atEnd && items.length < limit) {
    const t = c.peek()!;
    if (!t.quoted && CLOSE.has(t.text)) {
      c.next();
      const refs: ResourceRef[] = [];
      const setAttrs: NvPair[] = [];
      let closed = false;
      while (!c.atEnd) {
        const n = c.next()!;
        if (n.text === CLOSE.get(t.text)) {
          closed = true;
          break;
        }
        if (!n.quoted && CLOSE.has(n.text)) c.problem(n.range, 'Cannot nest resource sets: close the set before opening another.');
        else if (n.text === ')' || n.text === ']' || n.text === '}') c.problem(n.range, `Mismatched "${n.text}": this set was opened with "${t.text}".`);
        else if (isPair(n)) setAttrs.push(toPair(n));
        else refs.push(toRef(n));
      }
      if (!closed) c.problem(t.range, `Unmatched opening bracket "${t.text}": add "${CLOSE.get(t.text)}".`);
      else if (refs.length === 0) c.problem(t.range, 'Empty resource set: list at least one resource between the brackets.');
      items.push({ kind: 'set', open: t, bracket: t.text as '(' | '[' | '{', refs, attrs: setAttrs });
      continue;
    }
    if (t.text === ')' || t.text === ']' || t.text === '}') {
      c.problem(t.range, `Unmatched closing bracket "${t.text}".`);
      c.next();
      continue;
    }
    if (isPair(t)) {
      if (stopAtPairs) break;
      attrs.push(toPair(c.next()!));
      continue;
    }
    items.push(toRef(c.next()!));
  }
  return items;
}

type Base = Pick<CrmNode, 'statement' | 'keyword' | 'range'>;

function parseLocation(c: Cursor, base: Base, id: Token): LocationNode {
  const attrs: NvPair[] = [];
  let rscPattern: NvPair | undefined;
  let role: NvPair | undefined;
  const items: RscItem[] = [];
  const first = c.peek();
  if (!first) c.problem(id.range, 'Expected a resource after the location id.');
  else if (first.text === '{') items.push(...parseItems(c, true, attrs, 1));
  else if (/^\/.+\/$/.test(first.text)) {
    const t = c.next()!;
    rscPattern = { ...toPair({ ...t, text: `rsc-pattern=${t.text}`, raw: `rsc-pattern=${t.raw}` }), value: t.text.slice(1, -1), valueRange: t.range };
  }
  else items.push(toRef(c.next()!));
  while (isPair(c.peek())) {
    const p = toPair(c.next()!);
    if (p.name === 'role') role = p;
    else attrs.push(p);
  }
  let score: Token | undefined;
  let node: Token | undefined;
  const rules: Rule[] = [];
  if (isScoreToken(c.peek())) {
    score = c.next();
    node = c.next();
    if (!node) c.problem(score!.range, `Expected a node name after "${score!.text}".`);
  } else if (c.peek()?.text !== 'rule' && !c.atEnd) {
    c.problem(c.peek()!.range, 'Expected <score>: <node> or a rule, e.g. "location l1 vip 100: node1".');
  } else if (c.atEnd && first) {
    c.problem(base.range, 'Expected <score>: <node> or a rule after the resource.');
  }
  while (c.peek()?.text === 'rule') rules.push(parseRule(c, false));
  while (!c.atEnd) {
    const t = c.next()!;
    if (isPair(t)) attrs.push(toPair(t));
    else c.problem(t.range, `Unexpected "${t.text}" in a location constraint.`);
  }
  return { statement: base.statement, keyword: base.keyword, range: base.range, type: 'location', id, items, rscPattern, role, score, node, rules, attrs };
}

export function parseConstraint(c: Cursor, base: Base): CrmNode {
  const kw = base.keyword.text === 'collocation' ? 'colocation' : (base.keyword.text as 'location' | 'colocation' | 'order' | 'rsc_ticket');
  const id = c.next();
  if (!id) {
    c.problem(base.keyword.range, `Expected an id after "${base.keyword.text}".`);
    return { statement: base.statement, keyword: base.keyword, range: base.range, type: kw === 'location' ? 'colocation' : kw, items: [], attrs: [] };
  }
  if (kw === 'location') return parseLocation(c, base, id);
  let score: Token | undefined;
  if (isScoreToken(c.peek())) score = c.next();
  else if (kw === 'colocation') c.problem(c.peek()?.range ?? id.range, 'Expected <score>: after the colocation id, e.g. "inf:".');
  else if (kw === 'rsc_ticket') c.problem(c.peek()?.range ?? id.range, 'Expected <ticket>: after the rsc_ticket id.');
  const attrs: NvPair[] = [];
  const items = parseItems(c, false, attrs);
  const refCount = items.reduce((n, i) => n + (i.kind === 'ref' ? 1 : i.refs.length), 0);
  const need = kw === 'rsc_ticket' ? 1 : 2;
  if (refCount < need) {
    c.problem(base.range, kw === 'rsc_ticket' ? 'A rsc_ticket needs at least one resource.' : `A ${kw} needs at least two resources.`);
  }
  const node: ConstraintNode = { statement: base.statement, keyword: base.keyword, range: base.range, type: kw, id, score, items, attrs };
  return node;
}
