// Editor features over crm text (the pure functions the VS Code layer adapts): completion, hover,
// definition/references/rename, outline, folding and the formatter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { compileCrm } from '../../../src/core/crm/compile';
import { formatCrm } from '../../../src/core/crm/format';
import { completeCrm, hoverCrm } from '../../../src/core/crm/language';
import { definitionOf, foldingRanges, referencesOf, renameAt, symbolsCrm } from '../../../src/core/crm/navigation';
import { parseCrm } from '../../../src/core/crm/parser';
import type { TextEdit } from '../../../src/core/lint/types';
import { mdText } from '../explorer/markdownText';
import { CORPUS_DIR } from '../../corpus';

const repoRoot = resolve(__dirname, '..', '..', '..');
const fixtures = join(repoRoot, 'test', 'fixtures', 'crm');
const reference = readFileSync(join(fixtures, 'reference.crm'), 'utf8');
const corpus = join(CORPUS_DIR, 'crm');

function at(text: string, needle: string, offset = 0) {
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.includes(needle));
  assert.ok(line >= 0, needle);
  return { line, character: lines[line]!.indexOf(needle) + offset };
}

function apply(text: string, edits: readonly TextEdit[]): string {
  const lines = text.split('\n');
  for (const e of [...edits].sort((a, b) => b.range.start.line - a.range.start.line || b.range.start.character - a.range.start.character)) {
    assert.equal(e.range.start.line, e.range.end.line);
    const l = lines[e.range.start.line]!;
    lines[e.range.start.line] = l.slice(0, e.range.start.character) + e.newText + l.slice(e.range.end.character);
  }
  return lines.join('\n');
}

test('completion after "primitive vip ocf:heartbeat:IPaddr2 params " offers ip, marked required, first', () => {
  const text = 'primitive vip ocf:heartbeat:IPaddr2 params ';
  const items = completeCrm(text, { line: 0, character: text.length });
  const ip = items.find((i) => i.label === 'ip');
  assert.ok(ip, items.map((i) => i.label).join(' '));
  assert.match(ip.detail!, /^required/);
  assert.equal(ip.insertText, 'ip=');
  const sorted = [...items].sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? ''));
  assert.equal(sorted[0]!.label, 'ip');
  const netmask = items.find((i) => i.label === 'cidr_netmask');
  assert.match(netmask!.detail!, /^optional/);
  // Already given parameters are not offered again.
  const more = 'primitive vip ocf:heartbeat:IPaddr2 params ip=1.2.3.4 ';
  assert.ok(!completeCrm(more, { line: 0, character: more.length }).some((i) => i.label === 'ip'));
});

test('completion: keywords, agents, op names, meta, ids and roles in constraints', () => {
  assert.ok(completeCrm('', { line: 0, character: 0 }).some((i) => i.label === 'primitive'));
  assert.ok(completeCrm('primitive x ', { line: 0, character: 12 }).some((i) => i.label === 'ocf:heartbeat:redis'));
  const op = 'primitive r ocf:heartbeat:redis op ';
  const mon = completeCrm(op, { line: 0, character: op.length }).find((i) => i.label === 'monitor');
  assert.match(mon!.insertText, /^monitor interval=\S+ timeout=\S+$/);
  const meta = 'clone c r meta ';
  assert.ok(completeCrm(meta, { line: 0, character: meta.length }).some((i) => i.label === 'promotable'));
  const lines = reference.split('\n');
  const colo = lines.length;
  const text = `${reference}colocation x inf: vip redis-clone:`;
  const roles = completeCrm(text, { line: colo - 1, character: text.split('\n')[colo - 1]!.length });
  assert.ok(roles.some((r) => r.label === 'Promoted' && r.kind === 'role'));
  const idsText = `${reference}order o Mandatory: `;
  const ids = completeCrm(idsText, { line: colo - 1, character: idsText.split('\n')[colo - 1]!.length });
  assert.ok(ids.some((i) => i.label === 'redis-clone') && ids.some((i) => i.label === 'vip'));
  // On the empty line after a continuation, the statement goes on.
  const cont = 'primitive vip ocf:heartbeat:IPaddr2 \\\n\tparams ';
  assert.ok(completeCrm(cont, { line: 1, character: 8 }).some((i) => i.label === 'ip'));
});

test('hover on cidr_netmask explains it; on a resource id shows its definition', () => {
  const h = hoverCrm(reference, at(reference, 'cidr_netmask=24', 2));
  assert.ok(h);
  assert.match(mdText(h.markdown), /\*\*cidr_netmask\*\*/);
  assert.match(h.markdown, /CIDR/);
  const r = hoverCrm(reference, at(reference, 'redis-clone:Promoted', 1));
  assert.match(r!.markdown, /clone redis-clone redis/);
});

test('go to definition, references and rename of a resource id update every constraint', () => {
  const use = at(reference, 'redis-clone:promote', 2);
  assert.deepEqual(definitionOf(reference, use)!.start, at(reference, 'redis-clone redis'));
  const refs = referencesOf(reference, use);
  assert.equal(refs.length, 3); // clone definition, colocation, order
  const r = renameAt(reference, use, 'redis-ha');
  assert.ok(r.ok);
  const renamed = apply(reference, r.edits);
  assert.match(renamed, /^clone redis-ha redis \\$/m);
  assert.match(renamed, /inf: vip redis-ha:Promoted$/m);
  assert.match(renamed, /Mandatory: redis-ha:promote vip:start$/m);
  assert.ok(!renamed.includes('redis-clone'));
  const clash = renameAt(reference, use, 'vip');
  assert.ok(!clash.ok && /already used/.test(clash.message));
  assert.ok(!renameAt(reference, use, '1bad').ok);
});

test('outline nests a clone\'s primitive; folding covers multi-line statements and comment blocks', () => {
  const syms = symbolsCrm(reference);
  const clone = syms.find((s) => s.name === 'redis-clone');
  assert.deepEqual(clone!.children.map((c) => c.name), ['redis']);
  assert.ok(!syms.some((s) => s.name === 'redis'));
  const folds = foldingRanges('# a\n# b\nprimitive x Dummy \\\n\top monitor interval=10s\n');
  assert.deepEqual(folds, [{ start: 2, end: 3 }, { start: 0, end: 1, kind: 'comment' }]);
});

test('formatter: crmsh layout, comments kept, idempotent, same XML, refuses broken files', () => {
  const messy = '# the VIP\nprimitive vip   ocf:heartbeat:IPaddr2 params ip=10.0.0.1   cidr_netmask=24 op monitor interval=10s\n\n\n# props\nproperty stonith-enabled=false no-quorum-policy=stop\n';
  const f = formatCrm(messy);
  assert.ok(f.ok);
  assert.equal(f.value, '# the VIP\nprimitive vip ocf:heartbeat:IPaddr2 \\\n\tparams ip=10.0.0.1 cidr_netmask=24 \\\n\top monitor interval=10s\n\n# props\nproperty stonith-enabled=false \\\n\tno-quorum-policy=stop\n');
  assert.ok(!formatCrm('colocation c vip redis\n').ok);
  const files = [...readdirSync(fixtures).map((f2) => join(fixtures, f2)), ...(existsSync(corpus) ? readdirSync(corpus).filter((x) => x.startsWith('testcase-')).map((x) => join(corpus, x)) : [])];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const once = formatCrm(text);
    assert.ok(once.ok, file);
    const twice = formatCrm(once.value);
    assert.ok(twice.ok && twice.value === once.value, `${file}: not idempotent`);
    assert.equal(compileCrm(parseCrm(once.value)).xml, compileCrm(parseCrm(text)).xml, `${file}: formatting changed the meaning`);
  }
});
