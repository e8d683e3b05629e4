// The crm linter on the reference setup and the mistakes the issue names: each gets the right code on
// the right line; quick fixes produce text that then lints clean; suppression per line and per workspace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { lintCrm } from '../../../src/core/crm/lint';
import { crmRules } from '../../../src/core/crm/rules/index';
import type { Diagnostic, TextEdit } from '../../../src/core/lint/types';

const fixtures = join(resolve(__dirname, '..', '..', '..'), 'test', 'fixtures', 'crm');
const reference = readFileSync(join(fixtures, 'reference.crm'), 'utf8');

function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  assert.ok(i >= 0, `no line with ${needle}`);
  return i;
}

function only(text: string, code: string): Diagnostic {
  const ds = lintCrm(text).diagnostics;
  const hits = ds.filter((d) => d.code === code);
  assert.equal(hits.length, 1, `expected one ${code}, got ${JSON.stringify(ds.map((d) => `${d.range.start.line + 1}:${d.code}`))}`);
  return hits[0]!;
}

function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = text.split('\n');
  const offset = (l: number, c: number): number => lines.slice(0, l).reduce((n, x) => n + x.length + 1, 0) + c;
  const sorted = [...edits].sort((a, b) => offset(b.range.start.line, b.range.start.character) - offset(a.range.start.line, a.range.start.character));
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.range.start.line, e.range.start.character)) + e.newText + out.slice(offset(e.range.end.line, e.range.end.character));
  return out;
}

test('the reference setup (Redis promotable clone, VIP, colocation, order, fencing) lints clean', () => {
  assert.deepEqual(lintCrm(reference).diagnostics, []);
});

test('VIP colocated with the redis primitive instead of redis-clone:Promoted: an error that says both (bootstrap refuses it, a running cluster resolves it)', () => {
  const text = reference.replace('inf: vip redis-clone:Promoted', 'inf: vip redis:Promoted');
  const d = only(text, 'crm/ref-child');
  assert.equal(d.severity, 'error');
  assert.equal(lintCrm(text).diagnostics.length, 1, 'no warning beside the error');
  assert.equal(d.range.start.line, lineOf(text, 'colocation vip-with-redis'));
  assert.match(d.message, /without status/);
  assert.match(d.message, /running cluster/);
  assert.equal(applyEdits(text, d.fixes![0]!.edits), reference);
});

test('a misspelt score (infinty) and a misspelt order kind (Mandtory) are errors', () => {
  const score = only(reference.replace('inf: vip redis-clone:Promoted', 'infinty: vip redis-clone:Promoted'), 'crm/score-invalid');
  assert.equal(score.severity, 'error');
  assert.match(score.message, /refuses the whole configuration/);
  const kind = only(reference.replace('Mandatory: redis-clone:promote', 'Mandtory: redis-clone:promote'), 'crm/score-invalid');
  assert.equal(kind.severity, 'error');
  assert.match(kind.message, /Invalid kind: Mandtory/);
  assert.equal(kind.fixes![0]!.edits[0]!.newText, 'Mandatory:');
});

test('VIP colocated with the clone without the Promoted role', () => {
  const text = reference.replace('inf: vip redis-clone:Promoted', 'inf: vip redis-clone');
  const d = only(text, 'crm/vip-colocation');
  assert.equal(d.range.start.line, lineOf(text, 'colocation vip-with-redis'));
  assert.equal(applyEdits(text, d.fixes![0]!.edits), reference);
});

test('colocation arguments reversed', () => {
  const text = reference.replace('inf: vip redis-clone:Promoted', 'inf: redis-clone:Promoted vip');
  const d = only(text, 'crm/vip-colocation');
  assert.match(d.message, /reversed/);
  assert.equal(applyEdits(text, d.fixes![0]!.edits), reference);
});

test('misspelt agent IPAddr2 → agent-case error with a fix', () => {
  const text = reference.replace('ocf:heartbeat:IPaddr2', 'ocf:heartbeat:IPAddr2');
  const d = only(text, 'crm/agent-case');
  assert.equal(d.severity, 'error');
  assert.equal(d.range.start.line, lineOf(text, 'primitive vip'));
  assert.equal(applyEdits(text, d.fixes![0]!.edits), reference);
});

test('missing required parameter ip', () => {
  const text = reference.replace('params ip=10.0.0.100 cidr_netmask=24', 'params cidr_netmask=24');
  const d = only(text, 'crm/param-required');
  assert.equal(d.range.start.line, lineOf(text, 'primitive vip'));
  assert.match(d.message, /"ip"/);
});

test('unknown parameter, with a did-you-mean fix', () => {
  const text = reference.replace('cidr_netmask=24', 'cidr_netmsk=24');
  const d = only(text, 'crm/param-unknown');
  assert.equal(d.range.start.line, lineOf(text, 'cidr_netmsk'));
  assert.equal(text.split('\n')[d.range.start.line]!.slice(d.range.start.character, d.range.end.character), 'cidr_netmsk');
  assert.equal(applyEdits(text, d.fixes![0]!.edits), reference);
});

test('monitor op missing → warning and a fix that adds one', () => {
  const text = reference.replace('\tparams ip=10.0.0.100 cidr_netmask=24 \\\n\top monitor interval=10s', '\tparams ip=10.0.0.100 cidr_netmask=24');
  const d = only(text, 'crm/monitor-missing');
  assert.equal(d.range.start.line, lineOf(text, 'primitive vip'));
  const fixed = applyEdits(text, d.fixes![0]!.edits);
  assert.ok(!lintCrm(fixed).diagnostics.some((x) => x.code === 'crm/monitor-missing'), fixed);
});

test('a constraint naming a missing resource', () => {
  const text = reference.replace('Mandatory: redis-clone:promote vip:start', 'Mandatory: redis-clone:promote vip2:start');
  const d = only(text, 'crm/ref-missing');
  assert.equal(d.severity, 'error');
  assert.equal(d.range.start.line, lineOf(text, 'order vip-after-redis'));
  assert.match(d.message, /"vip2"/);
});

test('old syntax: ms and Master get warnings whose fixes give the new syntax', () => {
  const text = readFileSync(join(fixtures, 'legacy-ms.crm'), 'utf8');
  const ds = lintCrm(text).diagnostics;
  assert.equal(ds.filter((d) => d.code === 'crm/role-deprecated').length, 4);
  assert.equal(ds.filter((d) => d.code === 'crm/ms-deprecated').length, 1);
  assert.equal(ds.filter((d) => d.code === 'crm/meta-deprecated').length, 1);
  let fixed = text;
  for (;;) {
    const d = lintCrm(fixed).diagnostics.find((x) => x.fixes?.length && /deprecated/.test(x.code));
    if (!d) break;
    fixed = applyEdits(fixed, d.fixes![0]!.edits);
  }
  assert.match(fixed, /^clone ms-redis p-redis \\\n\tmeta promotable=true promoted-max=1 notify=true$/m);
  assert.match(fixed, /ms-redis:Promoted/);
  assert.match(fixed, /role=Unpromoted/);
});

test('per-line and per-workspace disabling', () => {
  const text = reference.replace('inf: vip redis-clone:Promoted', 'inf: vip redis-clone');
  const line = lineOf(text, 'colocation vip-with-redis');
  const lines = text.split('\n');
  lines.splice(line, 0, '# pcx-disable-next-line crm/vip-colocation');
  assert.deepEqual(lintCrm(lines.join('\n')).diagnostics, []);
  assert.deepEqual(lintCrm(text, { disabledRules: ['crm/vip-colocation'] }).diagnostics, []);
  // A directive above a statement also covers its continuation lines.
  const cont = reference.replace('cidr_netmask=24', 'cidr_netmsk=24').replace('primitive vip ', '# pcx-disable-next-line crm/param-unknown\nprimitive vip ');
  assert.deepEqual(lintCrm(cont).diagnostics, []);
});

test('at least 20 rules, each with a stable code, a severity and a summary; codes are unique', () => {
  assert.ok(crmRules.length >= 20, `${crmRules.length} rules`);
  assert.equal(new Set(crmRules.map((r) => r.code)).size, crmRules.length);
  for (const r of crmRules) {
    assert.match(r.code, /^crm\/[a-z0-9-]+$/);
    assert.ok(r.summary.length > 10 && r.reference.length > 3, r.code);
  }
});

test('every fixture and every diagnostic message says what to do', () => {
  for (const f of ['reference.crm', 'legacy-ms.crm', 'sets-rules.crm', 'seed.crm']) {
    for (const d of lintCrm(readFileSync(join(fixtures, f), 'utf8')).diagnostics) {
      assert.ok(d.message.length > 20, `${f}: ${d.message}`);
      assert.notEqual(d.severity, 'error', `${f}: ${d.code} ${d.message}`);
    }
  }
});

test('the linter never throws on arbitrary input', () => {
  const words = fc.constantFrom('primitive', 'p', 'vip', 'IPaddr2', 'ocf:heartbeat:redis', 'clone', 'c', 'ms', 'group', 'g', 'colocation', 'order',
    'location', 'inf:', 'Mandatory:', 'p:Promoted', 'c:Master', 'params', 'meta', 'op', 'monitor', 'interval=0', 'timeout=x', 'ip=1', 'rule',
    '(', ')', '[', ']', '\\\n', '\n', 'property', 'stonith-enabled=false', 'fencing_topology', 'n1:', 'node', 'n1', '@x', 'role=Master');
  fc.assert(fc.property(fc.array(words, { maxLength: 30 }), (ws) => {
    lintCrm(ws.join(' '));
  }), { numRuns: 300 });
});
