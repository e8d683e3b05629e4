/**
 * Error-tolerant parser for crm configuration files: statements (lexer.ts) → syntax tree (ast.ts).
 * A statement it cannot make sense of yields a problem at the token crmsh would complain about and
 * is kept as far as it got, so the rest of the file is still checked, completed and outlined.
 * Grammar after crmsh/parse.py and doc/crm.8.adoc (crmsh 4.4).
 */
import type { AttrSet, CrmDocument, CrmNode, CrmProblem, NvPair, Op, Rule, SetKind } from './ast';
import { Cursor, isPair, span, takeSpecial, toPair } from './cursor';
import type { Statement, Token } from './lexer';
import { lexCrm } from './lexer';
import { parseAcl } from './acls';
import { parseAlert } from './alerts';
import { parseBundle } from './bundles';
import { parseConstraint } from './parseConstraints';
import { parseRule } from './parseRule';

const SET_KEYWORDS = new Set<SetKind>(['params', 'meta', 'utilization', 'attributes', 'op_params', 'op_meta']);
const SECTION_WORDS = new Set(['params', 'meta', 'utilization', 'attributes', 'op', 'op_params', 'op_meta', 'operations']);
export const ID_PATTERN = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** At a set keyword (`params`, `meta`…): `[$id=|$id-ref=] [score:] [rule …]… name=value…`. */
export function parseAttrSet(c: Cursor): AttrSet {
  const keyword = c.next()!;
  const kind = keyword.text as SetKind;
  const idRef = takeSpecial(c, '$id-ref');
  const id = takeSpecial(c, '$id');
  let score: Token | undefined;
  const t = c.peek();
  if (t && /^-?[0-9]+:$|^[+-]?inf(inity)?:$/i.test(t.text)) score = c.next();
  const rules: Rule[] = [];
  const pairs: NvPair[] = [];
  const refs: Token[] = [];
  while (!c.atEnd) {
    const n = c.peek()!;
    if (n.text === 'rule') {
      rules.push(parseRule(c, true));
      continue;
    }
    if (SECTION_WORDS.has(n.text) && !isPair(n)) break;
    if (n.text.startsWith('@') && !isPair(n)) {
      refs.push(c.next()!);
      continue;
    }
    if (!isPair(n)) break;
    pairs.push(toPair(c.next()!));
  }
  return { kind, keyword, id, idRef, score, rules, pairs, refs };
}

function parseOp(c: Cursor): Op {
  const keyword = c.next()!;
  const action = c.next();
  if (!action || isPair(action)) {
    c.problem(keyword.range, 'Expected an action after "op", e.g. "op monitor interval=10s".');
    if (action) c.i--;
  }
  const attrs: NvPair[] = [];
  while (isPair(c.peek())) attrs.push(toPair(c.next()!));
  const sets: AttrSet[] = [];
  while (c.peek() && (c.peek()!.text === 'op_params' || c.peek()!.text === 'op_meta')) sets.push(parseAttrSet(c));
  return { keyword, action: action && !isPair(action) ? action : keyword, attrs, sets };
}

/** Resource bodies: sets, ops, `operations $id=`; stops at anything else with a problem. */
function parseResourceBody(c: Cursor, allowOps: boolean, sets: AttrSet[], ops: Op[]): { operationsId?: string; operationsIdRef?: string } {
  const out: { operationsId?: string; operationsIdRef?: string } = {};
  while (!c.atEnd) {
    const t = c.peek()!;
    if (SET_KEYWORDS.has(t.text as SetKind) && t.text !== 'op_params' && t.text !== 'op_meta') {
      sets.push(parseAttrSet(c));
    } else if (allowOps && t.text === 'op') {
      ops.push(parseOp(c));
    } else if (allowOps && t.text === 'operations') {
      c.next();
      out.operationsIdRef = takeSpecial(c, '$id-ref') ?? out.operationsIdRef;
      out.operationsId = takeSpecial(c, '$id') ?? out.operationsId;
    } else {
      c.problem(t.range, `Unexpected "${t.text}": expected ${allowOps ? 'params, meta, utilization or op' : 'meta or params'}.`);
      c.next();
    }
  }
  return out;
}

function takeDescription(c: Cursor): string | undefined {
  return takeSpecial(c, 'description');
}

function parseStatement(st: Statement, problems: CrmProblem[]): CrmNode | undefined {
  const c = new Cursor(st.tokens, problems);
  const keyword = c.next()!;
  const range = span(keyword, st.tokens[st.tokens.length - 1]!);
  // The node literals below name base's three fields rather than spreading it: object spread here was a third of
  // the parse time of a 10,000-line file (issue 9).
  const base = { statement: st, keyword, range };
  const kw = keyword.text;
  switch (kw) {
    case 'primitive':
    case 'rsc_template': {
      const id = c.next();
      if (!id) {
        c.problem(keyword.range, `"${kw}" needs an id and an agent, e.g. "primitive vip ocf:heartbeat:IPaddr2 params ip=…".`);
        return { statement: base.statement, keyword: base.keyword, range: base.range, type: kw, sets: [], ops: [] };
      }
      const spec = c.peek();
      let agent: Token | undefined;
      let template: Token | undefined;
      if (!spec || SECTION_WORDS.has(spec.text)) c.problem(id.range, `Expected an agent after "${id.text}", e.g. ocf:heartbeat:IPaddr2.`);
      else if (spec.text.startsWith('@')) template = c.next();
      else agent = c.next();
      const description = takeDescription(c);
      const sets: AttrSet[] = [];
      const ops: Op[] = [];
      const extra = parseResourceBody(c, true, sets, ops);
      return { statement: base.statement, keyword: base.keyword, range: base.range, type: kw, id, agent, template, description, sets, ops, ...extra };
    }
    case 'group':
    case 'clone':
    case 'ms':
    case 'master': {
      const id = c.next();
      const children: Token[] = [];
      while (!c.atEnd && !SECTION_WORDS.has(c.peek()!.text) && !isPair(c.peek())) children.push(c.next()!);
      if (!id || children.length === 0) {
        c.problem(id?.range ?? keyword.range, kw === 'group' ? 'A group needs an id and at least one resource: "group g rsc1 rsc2".' : `"${kw}" needs an id and the resource it clones: "${kw} name rsc".`);
      } else if (kw !== 'group' && children.length > 1) {
        c.problem(children[1]!.range, `A ${kw} clones exactly one resource; put several resources in a group and clone the group.`);
      }
      const description = takeDescription(c);
      const sets: AttrSet[] = [];
      parseResourceBody(c, false, sets, []);
      return { statement: base.statement, keyword: base.keyword, range: base.range, type: kw === 'master' ? 'ms' : kw, id, children, description, sets };
    }
    case 'node': {
      // `node [$id=ID] uname[:type]` or, as `crm configure show` prints it, `node ID: uname`.
      let nodeId = takeSpecial(c, '$id');
      const head = c.peek();
      if (!nodeId && head && head.text.endsWith(':') && head.text.length > 1 && c.peek(1) && !isPair(c.peek(1))) {
        nodeId = head.text.slice(0, -1);
        c.next();
      }
      const nameTok = c.next();
      if (!nameTok) {
        c.problem(keyword.range, 'Expected a node name after "node".');
        return { statement: base.statement, keyword: base.keyword, range: base.range, type: 'node', sets: [] };
      }
      const colon = nameTok.text.indexOf(':');
      const nodeType = colon > 0 ? nameTok.text.slice(colon + 1) : undefined;
      const id = colon > 0 ? { ...nameTok, text: nameTok.text.slice(0, colon) } : nameTok;
      const description = takeDescription(c);
      const sets: AttrSet[] = [];
      parseResourceBody(c, false, sets, []);
      for (const s of sets) if (s.kind === 'params') c.problem(s.keyword.range, 'A node takes "attributes" and "utilization", not "params".');
      return { statement: base.statement, keyword: base.keyword, range: base.range, type: 'node', id, nodeId, nodeType, description, sets };
    }
    case 'property':
    case 'rsc_defaults':
    case 'op_defaults': {
      let setId = takeSpecial(c, '$id');
      const t = c.peek();
      if (!setId && t && t.text.endsWith(':') && !isPair(t)) {
        setId = t.text.slice(0, -1);
        c.next();
      }
      const fake: Token = { ...keyword, text: 'meta' };
      const set = parseAttrSet(new Cursor([fake, ...c.tokens.slice(c.i)], problems));
      return { statement: base.statement, keyword: base.keyword, range: base.range, type: kw, setId, sets: [{ ...set, keyword, kind: kw === 'property' ? 'attributes' : 'meta' }] };
    }
    case 'tag': {
      let id = c.next();
      if (id && id.text.endsWith(':')) id = { ...id, text: id.text.slice(0, -1) };
      const refs: Token[] = [];
      while (!c.atEnd) refs.push(c.next()!);
      if (!id || refs.length === 0) c.problem(id?.range ?? keyword.range, 'A tag needs an id and resources: "tag name: rsc1 rsc2".');
      return { statement: base.statement, keyword: base.keyword, range: base.range, type: 'tag', id, refs };
    }
    case 'fencing_topology': {
      const levels: { target?: Token; devices: Token[] }[] = [];
      let current: { target?: Token; devices: Token[] } | undefined;
      while (!c.atEnd) {
        const t = c.next()!;
        if (t.text.endsWith(':') && (!isPair(t) || t.text.startsWith('attr:'))) {
          current = { target: { ...t, text: t.text.slice(0, -1) }, devices: [] };
          levels.push(current);
        } else {
          if (!current) {
            current = { devices: [] };
            levels.push(current);
          }
          current.devices.push(t);
        }
      }
      return { statement: base.statement, keyword: base.keyword, range: base.range, type: 'fencing_topology', levels };
    }
    case 'bundle':
      return parseBundle(c, base, parseAttrSet);
    case 'role':
    case 'acl_target':
    case 'acl_group':
      return parseAcl(c, base);
    case 'alert':
      return parseAlert(c, base, (cur) => {
        const sets: AttrSet[] = [];
        while (cur.peek() && (cur.peek()!.text === 'attributes' || cur.peek()!.text === 'meta')) sets.push(parseAttrSet(cur));
        return sets;
      });
    case 'location':
    case 'colocation':
    case 'collocation':
    case 'order':
    case 'rsc_ticket':
      return parseConstraint(c, base);
    default:
      if (['user', 'schema'].includes(kw)) {
        return { statement: base.statement, keyword: base.keyword, range: base.range, type: 'other', kind: kw, id: c.peek() };
      }
      c.problem(keyword.range, `Unknown statement "${kw}": expected primitive, group, clone, location, colocation, order, property, …`);
      return undefined;
  }
}

export function parseCrm(text: string): CrmDocument {
  const lexed = lexCrm(text);
  const problems: CrmProblem[] = [...lexed.problems];
  const nodes: CrmNode[] = [];
  for (const st of lexed.statements) {
    const node = parseStatement(st, problems);
    if (node) nodes.push(node);
  }
  return { nodes, lines: lexed.lines, problems, trailingComments: lexed.trailingComments };
}

export { isPair };
