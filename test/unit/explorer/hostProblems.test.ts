// The tree and the status bar when some host could not be read: which host answered, which did not and why,
// and never "✓ healthy" while a node is unreadable.
import type { FailureCode } from '../../../src/core/util/failures';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCib } from '../../../src/core/cluster/cib';
import { parseCrmMon } from '../../../src/core/cluster/crmMon';
import { hostProblemOf } from '../../../src/core/cluster/hostProblem';
import { buildSnapshot } from '../../../src/core/cluster/snapshot';
import { buildClusterTree, statusBarText, treeToText, type ClusterViewState } from '../../../src/core/explorer/tree';
import { PcxFailure } from '../../../src/core/util/result';

const fixtures = join(__dirname, 'fixtures');
function seed(source: string) {
  const m = parseCrmMon(readFileSync(join(fixtures, 'crm_mon-seed.xml'), 'utf8'));
  const c = parseCib(readFileSync(join(fixtures, 'cib-seed.xml'), 'utf8'));
  assert.ok(m.ok && c.ok);
  return buildSnapshot(m.value, c.value, { source });
}

const notAnswering = hostProblemOf('node1', new PcxFailure('not-answering', 'node1 is reachable but its cluster tools do not answer (a command on node1 did not finish within 5 s)', 'look at the node', 'node1'));
const state = (extra: Partial<ClusterViewState>): ClusterViewState => ({ name: 'cluster1', hosts: ['node1'], snapshot: seed('node2'), host: 'node2', updatedAt: '21:00:00', ...extra });

test('the words: unreachable, not answering, cluster stack down, host key not trusted', () => {
  const words = (code: FailureCode) => hostProblemOf('h', new PcxFailure(code, 'm')).words;
  assert.equal(words('unreachable'), 'unreachable');
  assert.equal(words('connection-lost'), 'unreachable');
  assert.equal(words('timeout'), 'unreachable');
  assert.equal(words('not-answering'), 'not answering');
  assert.equal(words('pacemaker-down'), 'cluster stack down');
  assert.equal(words('host-key-unknown'), 'host key not trusted');
  assert.equal(words('host-key-changed'), 'host key CHANGED');
  assert.equal(hostProblemOf('h', new Error('bug')).words, 'read failed');
});

test('read through node2 while node1 does not answer: a warning naming both, never ✓ healthy', () => {
  const t = buildClusterTree(state({ hostProblems: [notAnswering] }));
  assert.match(t.description ?? '', /^⚠ node1 not answering · read through node2 · 2\/2 nodes · redis Promoted on node1$/);
  assert.doesNotMatch(t.description ?? '', /healthy/);
  assert.equal(t.icon.id, 'warning');
  const first = t.children[0]!;
  assert.equal(first.label, 'node1 not answering');
  assert.match(first.description ?? '', /^read through node2 instead · node1 is reachable but its cluster tools do not answer/);
  assert.match(first.tooltip ?? '', /look at the node/);
  assert.match(treeToText([t]), /^ {2}node1 not answering — read through node2 instead/m);
  const bar = statusBarText(state({ hostProblems: [notAnswering] }));
  assert.equal(bar.level, 'warning');
  assert.equal(bar.text, 'cluster1 ⚠ node1 not answering · read through node2 · 2/2 nodes · redis Promoted on node1');
  assert.match(bar.tooltip, /Not read:\n• node1 not answering: node1 is reachable/);
});

test('degraded and a host unreadable: both in the description', () => {
  const m = parseCrmMon(readFileSync(join(fixtures, 'crm_mon-failover.xml'), 'utf8'));
  assert.ok(m.ok);
  const t = buildClusterTree(state({ snapshot: buildSnapshot(m.value, undefined, { source: 'node2' }), hostProblems: [notAnswering] }));
  assert.match(t.description ?? '', /^⚠ \d+ problems? · node1 not answering · read through node2 · /);
});

test('all hosts answering: ✓ healthy and no host rows (the rows come only with a problem)', () => {
  const t = buildClusterTree(state({ host: 'node1' }));
  assert.match(t.description ?? '', /^✓ healthy/);
  assert.ok(!t.children.some((c) => c.id.includes('/hosts/')));
  assert.equal(statusBarText(state({ host: 'node1' })).level, 'ok');
});

test('an unknown key on a discovered host: its row offers Review Host Key… for that host', () => {
  const p = hostProblemOf('node2', new PcxFailure('host-key-unknown', 'node2 (a node discovered from the cluster) presents an unknown ED25519 key SHA256:x', 'Use "Review Host Key…"', 'node2'));
  const t = buildClusterTree(state({ host: 'node1', hostProblems: [p] }));
  const row = t.children.find((c) => c.label === 'node2 host key not trusted');
  assert.ok(row, t.children.map((c) => c.label).join(', '));
  const review = t.children.find((c) => c.id === 'cluster/cluster1/hosts/node2/review');
  assert.equal(review?.label, 'Review Host Key…');
  assert.deepEqual(review?.command, { command: 'pacemaker.explorer.reviewHostKey', title: 'Review Host Key…', args: ['cluster1', 'node2'] });
  assert.match(t.description ?? '', /^⚠ node2 host key not trusted · 2\/2 nodes/, 'node1 is the configured host: nothing to say about where it was read');
  assert.doesNotMatch(row.description ?? '', /instead/);
});

test('a CHANGED host key is shown but never offered for review', () => {
  const p = hostProblemOf('node2', new PcxFailure('host-key-changed', 'WARNING: the key of node2 has CHANGED', 'verify', 'node2'));
  const t = buildClusterTree(state({ host: 'node1', hostProblems: [p] }));
  assert.ok(t.children.some((c) => c.label === 'node2 host key CHANGED'));
  assert.ok(!t.children.some((c) => c.label === 'Review Host Key…'));
});

test('nothing readable because the only host key was refused: the error row, then Review Host Key… (no re-ask)', () => {
  const p = hostProblemOf('node1', new PcxFailure('host-key-not-trusted', 'the host key of node1 (ED25519 key SHA256:x) was not trusted in this window', 'Use "Review Host Key…"', 'node1'));
  const t = buildClusterTree({ name: 'cluster1', hosts: ['node1'], error: { code: p.code, message: p.message, hint: p.hint }, hostProblems: [p] });
  assert.deepEqual(t.children.map((c) => c.label), ['the host key of node1 (ED25519 key SHA256:x) was not trusted in this window', 'Retry', 'Show Log', 'Edit Connection', 'Review Host Key…']);
  assert.equal(t.description, '✗ node1 host key not trusted', 'not "unreachable": node1 answered, its key was refused');
  assert.equal(statusBarText({ name: 'cluster1', hosts: ['node1'], error: { code: p.code, message: p.message }, hostProblems: [p] }).text, 'cluster1 ✗ node1 host key not trusted');
});
