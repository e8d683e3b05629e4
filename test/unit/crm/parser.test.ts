// The crm parser: exact ranges through continuations, comments, sets, rules and both role syntaxes,
// and error tolerance (problems at the right token, never an exception).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseCrm } from '../../../src/core/crm/parser';
import type { ConstraintNode, LocationNode, PrimitiveNode } from '../../../src/core/crm/ast';

test('continuation lines: tokens keep their own line and column', () => {
  const doc = parseCrm('primitive vip IPaddr2 \\\n\tparams ip=10.0.0.1 \\\n\top monitor interval=10s\n');
  assert.equal(doc.problems.length, 0);
  const p = doc.nodes[0] as PrimitiveNode;
  assert.equal(p.statement.startLine, 0);
  assert.equal(p.statement.endLine, 2);
  const ip = p.sets[0]!.pairs[0]!;
  assert.deepEqual(ip.nameRange, { start: { line: 1, character: 8 }, end: { line: 1, character: 10 } });
  assert.deepEqual(ip.valueRange, { start: { line: 1, character: 11 }, end: { line: 1, character: 19 } });
  assert.equal(p.ops[0]!.action.range.start.line, 2);
});

test('comments: # at line start is a comment, #uname inside a rule is a word', () => {
  const doc = parseCrm('# header\nlocation l1 vip \\\n\trule 100: #uname eq node1\n# trailing\n');
  const l = doc.nodes[0] as LocationNode;
  assert.deepEqual(l.statement.comments, ['# header']);
  const e = l.rules[0]!.exprs[0]!;
  assert.equal(e.kind, 'attr');
  assert.equal(e.kind === 'attr' && e.attribute.text, '#uname');
  assert.deepEqual(doc.trailingComments, ['# trailing']);
});

test('resource sets: ( ) and [ ] with roles, and a bracket glued to a word', () => {
  const doc = parseCrm('colocation c inf: (a b) c:Started [ d e:Promoted ]\n');
  assert.equal(doc.problems.length, 0);
  const c = doc.nodes[0] as ConstraintNode;
  assert.equal(c.items.length, 3);
  assert.equal(c.items[0]!.kind === 'set' && c.items[0]!.bracket, '(');
  assert.deepEqual(c.items[0]!.kind === 'set' && c.items[0]!.refs.map((r) => r.id), ['a', 'b']);
  const ref = c.items[1]!;
  assert.equal(ref.kind === 'ref' && ref.suffix, 'Started');
  assert.deepEqual(ref.kind === 'ref' && ref.suffixRange, { start: { line: 0, character: 26 }, end: { line: 0, character: 33 } });
});

test('old syntax: ms, Master/Slave roles, $role= in rules', () => {
  const doc = parseCrm('ms ms-r r meta master-max=1\nlocation l ms-r rule $role=Master 50: #uname eq n1\n');
  assert.equal(doc.problems.length, 0);
  assert.equal(doc.nodes[0]!.type, 'ms');
  assert.equal((doc.nodes[1] as LocationNode).rules[0]!.role?.text, '$role=Master');
});

test('nodes: crmsh show\'s "node 1: node1", $id= and :type forms', () => {
  const doc = parseCrm('node 1: node1\nnode $id=2 node2:member\nnode node3 attributes standby=on\n');
  assert.deepEqual(doc.problems, []);
  const ids = doc.nodes.map((n) => (n.type === 'node' ? [n.nodeId, n.id?.text, n.nodeType] : []));
  assert.deepEqual(ids, [['1', 'node1', undefined], ['2', 'node2', 'member'], [undefined, 'node3', undefined]]);
});

test('crmsh error messages at the place crmsh names', () => {
  const cases: [string, RegExp, number][] = [
    ['colocation c vip redis\n', /Expected <score>:/, 0],
    ['colocation c inf: ( )\n', /Empty resource set/, 0],
    ['colocation c inf: ( a ( b ) )\n', /Cannot nest resource sets/, 0],
    ['order o Mandatory: ( a b\n', /Unmatched opening bracket/, 0],
    ['primitive vip IPaddr2 \\\n\n', /continues onto a blank line/, 0],
    ['primitive a Dummy \\\nprimitive b Dummy\n', /swallows the next statement/, 0],
    ['frobnicate x\n', /Unknown statement "frobnicate"/, 0],
  ];
  for (const [text, re, line] of cases) {
    const doc = parseCrm(text);
    const p = doc.problems.find((x) => re.test(x.message));
    assert.ok(p, `${JSON.stringify(text)}: expected ${re}, got ${JSON.stringify(doc.problems.map((x) => x.message))}`);
    assert.equal(p.range.start.line, line);
  }
});

test('never throws, whatever the input', () => {
  const alphabet = fc.constantFrom('primitive', 'clone', 'location', 'colocation', 'order', 'rule', 'params', 'op', '(', ')', '[', ']', '{', '}',
    'a', 'b:Promoted', 'inf:', '100:', 'x=1', '$id=z', '"q', '\\', '\n', ' ', '#', 'date', 'in', 'start=1', 'and', 'or', 'eq', 'ms', 'node');
  fc.assert(fc.property(fc.array(alphabet, { maxLength: 40 }), (words) => {
    const doc = parseCrm(words.join(' '));
    for (const p of doc.problems) assert.ok(p.range.start.line >= 0 && p.message.length > 0);
  }), { numRuns: 300 });
});
