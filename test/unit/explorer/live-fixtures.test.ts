// The tree built from XML captured on the real test cluster (test/fixtures/live, see its README).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCib } from '../../../src/core/cluster/cib';
import { parseCrmMon } from '../../../src/core/cluster/crmMon';
import { buildSnapshot } from '../../../src/core/cluster/snapshot';
import { buildClusterTree, statusBarText, type ExplorerNode } from '../../../src/core/explorer/tree';

const dir = join(__dirname, '..', '..', 'fixtures', 'live');

function tree(state: string): ExplorerNode {
  const m = parseCrmMon(readFileSync(join(dir, `${state}.crm_mon.xml`), 'utf8'));
  const c = parseCib(readFileSync(join(dir, `${state}.cib.xml`), 'utf8'));
  assert.ok(m.ok && c.ok, `${state} fixtures parse`);
  return buildClusterTree({ name: 'cluster1', hosts: ['node1', 'node2'], snapshot: buildSnapshot(m.value, c.value) });
}

function row(root: ExplorerNode, id: string): ExplorerNode {
  const walk = (n: ExplorerNode): ExplorerNode | undefined => (n.id === id ? n : n.children.map(walk).find(Boolean));
  const hit = walk(root);
  assert.ok(hit, `no row ${id}`);
  return hit;
}

const skip = existsSync(join(dir, 'healthy.crm_mon.xml')) ? false : 'test/fixtures/live not captured yet';

test('healthy: redis Promoted on node1, VIP with it, healthy', { skip }, () => {
  const t = tree('healthy');
  assert.equal(t.description, '✓ healthy · 2/2 nodes · redis Promoted on node1');
  assert.equal(row(t, 'cluster/cluster1/resource/redis-clone').description, 'Promoted on node1 · Unpromoted on node2 · ocf:heartbeat:redis');
  assert.deepEqual(row(t, 'cluster/cluster1/resource/redis-clone').icon, { id: 'star-full', color: 'testing.iconPassed' });
  assert.match(row(t, 'cluster/cluster1/resource/VIP').description ?? '', /^Started on node1 · 10\.213\.0\.100\/24/);
  assert.equal(row(t, 'cluster/cluster1/node/node1').contextValue, 'node online dc');
});

test('failed-action: node2 Promoted, failed demote on node1, fail count at threshold, clone degraded but serving', { skip }, () => {
  const t = tree('failed-action');
  assert.match(t.description ?? '', /^⚠ \d+ problems? · 2\/2 nodes · redis Promoted on node2$/);
  const clone = row(t, 'cluster/cluster1/resource/redis-clone');
  assert.equal(clone.description, 'Promoted on node2 · Stopped on node1 · ocf:heartbeat:redis');
  assert.deepEqual(clone.icon, { id: 'star-full', color: 'editorWarning.foreground' });
  const failures = row(t, 'cluster/cluster1/failures');
  assert.equal(failures.expanded, true);
  assert.ok(failures.children.some((f) => f.kind === 'failure' && /^redis demote on node1$/.test(f.label) && /^not running \(rc 7\)/.test(f.description ?? '')));
  assert.ok(failures.children.some((f) => f.kind === 'failcount' && f.contextValue === 'failcount threshold'));
  assert.equal(statusBarText({ name: 'cluster1', hosts: [], snapshot: buildSnapshot((parseCrmMon(readFileSync(join(dir, 'failed-action.crm_mon.xml'), 'utf8')) as { ok: true; value: never }).value) }).level, 'warning');
});

test('standby: node2 in standby with the pause icon, its instance shown as in progress', { skip }, () => {
  const t = tree('standby');
  const node2 = row(t, 'cluster/cluster1/node/node2');
  assert.match(node2.description ?? '', /^online · standby · /);
  assert.deepEqual(node2.icon, { id: 'debug-pause', color: 'editorWarning.foreground' });
  assert.equal(node2.contextValue, 'node standby');
});

test('maintenance: every resource unmanaged (lock icon)', { skip }, () => {
  const t = tree('maintenance');
  for (const id of ['cluster/cluster1/resource/redis-clone', 'cluster/cluster1/resource/VIP']) {
    assert.equal(row(t, id).icon.id, 'lock', id);
    assert.match(row(t, id).contextValue, /\bunmanaged\b/);
  }
});

test('node-offline: node2 OFFLINE in red, the clone missing an instance', { skip }, () => {
  const t = tree('node-offline');
  const node2 = row(t, 'cluster/cluster1/node/node2');
  assert.equal(node2.description, 'OFFLINE');
  assert.deepEqual(node2.icon, { id: 'vm-outline', color: 'testing.iconFailed' });
  assert.equal(row(t, 'cluster/cluster1/nodes').description, '1/2 online');
});
