// One rule for each thing the explorer and `pcx status` both say: node state, placement, cleanup/clear
// commands; and health assessed once per snapshot (the tree and the status bar read the state's report).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCib } from '../../../src/core/cluster/cib';
import { parseCrmMon } from '../../../src/core/cluster/crmMon';
import { assessHealth, type HealthReport } from '../../../src/core/cluster/health';
import { buildSnapshot } from '../../../src/core/cluster/snapshot';
import { toStatusJson } from '../../../src/core/status/statusJson';
import { renderStatusText } from '../../../src/core/cluster/statusText';
import type { ClusterSnapshot, NodeView } from '../../../src/core/cluster/types';
import { buildClusterTree, statusBarText, type ExplorerNode } from '../../../src/core/explorer/tree';
import { mdText } from './markdownText';

const fixtures = join(__dirname, 'fixtures');

function snapshot(name: 'seed' | 'failover', patchNode2: Partial<NodeView> = {}): ClusterSnapshot {
  const m = parseCrmMon(readFileSync(join(fixtures, `crm_mon-${name}.xml`), 'utf8'));
  const c = parseCib(readFileSync(join(fixtures, `cib-${name}.xml`), 'utf8'));
  assert.ok(m.ok && c.ok, 'fixtures parse');
  const s = buildSnapshot(m.value, c.value, { source: 'node1' });
  return { ...s, nodes: s.nodes.map((n) => (n.name === 'node2' ? { ...n, ...patchNode2 } : n)) };
}

function find(root: ExplorerNode, id: string): ExplorerNode {
  const walk = (n: ExplorerNode): ExplorerNode | undefined => (n.id === id ? n : n.children.map(walk).find(Boolean));
  const hit = walk(root);
  assert.ok(hit, `no row ${id}`);
  return hit;
}

const tree = (s: ClusterSnapshot, health?: HealthReport): ExplorerNode => buildClusterTree({ name: 'cluster1', hosts: ['node1'], snapshot: s, health });
const text = (s: ClusterSnapshot): string => renderStatusText(s, assessHealth(s), { color: false });

test('node state: the tree row, pcx status text and --json state agree for standby + maintenance', () => {
  const s = snapshot('seed', { standby: true, maintenance: true });
  const row = find(tree(s), 'cluster/cluster1/node/node2');
  const line = text(s).split('\n').find((l) => /^ {2}[●○] node2 /.test(l));
  assert.equal(line, '  ● node2  online · standby · maintenance');
  assert.match(row.description ?? '', /^online · standby · maintenance · /);
  // The single state word: standby outranks maintenance in all three (docs/status-json.md order).
  assert.equal(row.contextValue, 'node standby');
  assert.equal(row.icon.id, 'debug-pause');
  assert.equal(toStatusJson(s, assessHealth(s)).nodes.find((n) => n.name === 'node2')?.state, 'standby');
});

test('node state: an offline node is OFFLINE in both, a standby-on-fail one "standby (on-fail)"', () => {
  const off = snapshot('seed', { online: false });
  assert.equal(find(tree(off), 'cluster/cluster1/node/node2').description, 'OFFLINE');
  assert.match(text(off), /\n {2}○ node2 {2}OFFLINE\n/);
  const onFail = snapshot('seed', { standbyOnFail: true });
  assert.match(find(tree(onFail), 'cluster/cluster1/node/node2').description ?? '', /^online · standby \(on-fail\) · /);
  assert.match(text(onFail), /\n {2}● node2 {2}online · standby \(on-fail\)\n/);
});

test('clone placement: the tree and pcx status name the stopped instance after the idle node, in the same words', () => {
  const s = snapshot('failover');
  const clone = find(tree(s), 'cluster/cluster1/resource/redis-clone');
  assert.equal(clone.description, 'Promoted on node2 · Stopped on node1 · ocf:heartbeat:redis');
  assert.match(text(s), /\n {6}Promoted on node2 · Stopped on node1\n/);
});

test('cleanup and clear commands: the health fix and the tree tooltip give the same command', () => {
  const s = snapshot('failover');
  const health = assessHealth(s);
  const t = tree(s, health);
  const failureFix = health.reasons.find((r) => r.code === 'failed-action')?.fix ?? '';
  const failureTip = mdText(find(t, 'cluster/cluster1/failure/node1/redis_demote_0').tooltip ?? '');
  const cleanup = '`pcs resource cleanup redis` (or `crm resource cleanup redis`)';
  assert.ok(failureFix.includes(cleanup), failureFix);
  assert.ok(failureTip.includes(cleanup), failureTip);
  const thresholdFix = health.reasons.find((r) => r.code === 'migration-threshold-reached')?.fix ?? '';
  const thresholdTip = mdText(find(t, 'cluster/cluster1/failcount/node1/redis').tooltip ?? '');
  const onNode = '`pcs resource cleanup redis node=node1` (or `crm resource cleanup redis node1`)';
  assert.ok(thresholdFix.includes(onNode), thresholdFix);
  assert.ok(thresholdTip.includes(onNode), thresholdTip);
  const clearFix = health.reasons.find((r) => r.code === 'leftover-constraint')?.fix ?? '';
  assert.ok(clearFix.includes('`pcs resource clear redis-clone` (or `crm resource clear redis-clone`)'), clearFix);
  assert.equal(find(t, 'cluster/cluster1/constraint/cli-ban-redis-clone-on-node1').description, 'remove with: pcs resource clear redis-clone (or crm resource clear redis-clone)');
});

test('health once per snapshot: the tree and the status bar render the report the state carries, not a fresh one', () => {
  const s = snapshot('seed');
  assert.equal(assessHealth(s).verdict, 'healthy', 'the seed fixture is healthy on its own');
  const carried: HealthReport = { verdict: 'degraded', reasons: [{ code: 'probe', severity: 'warning', subject: '', message: 'carried reason' }] };
  const state = { name: 'cluster1', hosts: ['node1'], snapshot: s, health: carried };
  const t = buildClusterTree(state);
  assert.match(t.description ?? '', /^⚠ 1 problem · /);
  assert.match(t.tooltip ?? '', /carried reason/);
  const bar = statusBarText(state);
  assert.equal(bar.level, 'warning');
  assert.match(bar.tooltip, /carried reason/);
});
