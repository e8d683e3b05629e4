// The operation commands in package.json and their handlers agree, and each context menu item appears on the rows it
// is for (read from the contextValues the real tree builds for the captured test-cluster states) and on no others.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCib } from '../../../src/core/cluster/cib';
import { parseCrmMon } from '../../../src/core/cluster/crmMon';
import { buildSnapshot } from '../../../src/core/cluster/snapshot';
import { buildClusterTree, type ExplorerNode } from '../../../src/core/explorer/tree';

const root = join(__dirname, '..', '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  contributes: { commands: { command: string; category?: string }[]; menus: Record<string, { command: string; when?: string; group?: string }[]> };
};
const handlers = [...readFileSync(join(root, 'src/extension/operations/commands.ts'), 'utf8').matchAll(/'(pacemaker\.op\.\w+)':/g)].map((m) => m[1]!);

function rows(state: string): ExplorerNode[] {
  const live = join(root, 'test', 'fixtures', 'live');
  const m = parseCrmMon(readFileSync(join(live, `${state}.crm_mon.xml`), 'utf8'));
  const c = parseCib(readFileSync(join(live, `${state}.cib.xml`), 'utf8'));
  assert.ok(m.ok && c.ok);
  const tree = buildClusterTree({ name: 'cluster1', hosts: ['node1', 'node2'], snapshot: buildSnapshot(m.value, c.value) });
  const all: ExplorerNode[] = [];
  const walk = (n: ExplorerNode): void => {
    all.push(n);
    n.children.forEach(walk);
  };
  walk(tree);
  return all;
}

/** The commands a row's context menu (or inline bar) shows. */
function menuOf(row: ExplorerNode, inline = false): string[] {
  return (pkg.contributes.menus['view/item/context'] ?? [])
    .filter((i) => i.command.startsWith('pacemaker.op.') && (i.group?.startsWith('inline') ?? false) === inline)
    .filter((i) => {
      const m = /viewItem =~ \/(.+)\/$/.exec(i.when ?? '');
      return m ? new RegExp(m[1]!).test(row.contextValue) : false;
    })
    .map((i) => i.command.replace('pacemaker.op.', ''));
}

test('every operation handler is contributed (category Pacemaker) and every contributed one has a handler', () => {
  const contributed = pkg.contributes.commands.filter((c) => c.command.startsWith('pacemaker.op.'));
  assert.deepEqual(contributed.map((c) => c.command).sort(), [...handlers].sort());
  assert.ok(contributed.every((c) => c.category === 'Pacemaker'));
  assert.ok(handlers.length >= 17);
});

test('menus: Switchover on both redis instances and the clone, Failover only where Promoted; the row says which', () => {
  const healthy = rows('healthy');
  const instances = healthy.filter((r) => r.kind === 'instance');
  const promoted = instances.find((r) => /\bpromoted\b/.test(r.contextValue))!;
  const unpromoted = instances.find((r) => /\bunpromoted\b/.test(r.contextValue))!;
  assert.deepEqual(promoted.subject, { resource: 'redis-clone', node: 'node1' });
  assert.deepEqual(unpromoted.subject, { resource: 'redis-clone', node: 'node2' });
  assert.deepEqual(menuOf(promoted), ['switchover', 'failover']);
  assert.deepEqual(menuOf(unpromoted), ['switchover']);
  const clone = healthy.find((r) => r.kind === 'resource' && r.label === 'redis-clone')!;
  assert.deepEqual(menuOf(clone), ['switchover', 'failover', 'cleanup', 'ban', 'clear', 'restart', 'disable', 'unmanage']);
  const vip = healthy.find((r) => r.kind === 'resource' && r.label === 'VIP')!;
  assert.deepEqual(menuOf(vip), ['cleanup', 'move', 'ban', 'clear', 'restart', 'disable', 'unmanage']);
  const node1 = healthy.find((r) => r.kind === 'node' && r.label === 'node1')!;
  assert.deepEqual(menuOf(node1), ['standby', 'nodeMaintenanceOn', 'nodeStop']);
  assert.deepEqual(menuOf(healthy[0]!), ['cleanup', 'maintenanceModeOn', 'maintenanceModeOff', 'clusterStop']);
});

test('inline Cleanup on a failure row (that resource on that node) and Unstandby on a standby node', () => {
  const failure = rows('failed-action').find((r) => r.kind === 'failure')!;
  assert.deepEqual(menuOf(failure, true), ['cleanup']);
  assert.deepEqual(failure.subject, { resource: 'redis', node: 'node1' });
  const standby = rows('standby').find((r) => r.kind === 'node' && r.label === 'node2')!;
  assert.deepEqual(menuOf(standby), ['unstandby', 'nodeMaintenanceOn', 'nodeStop']);
});

test('Stop Cluster Services on an online node, Start Cluster Services on an offline one (read through the other node)', () => {
  const all = rows('node-offline');
  const nodes = all.filter((r) => r.kind === 'node');
  const offline = nodes.find((r) => /^node offline\b/.test(r.contextValue))!;
  const online = nodes.find((r) => /^node online\b/.test(r.contextValue))!;
  assert.deepEqual(menuOf(offline), ['nodeStart']);
  assert.equal(menuOf(online).includes('nodeStop'), true);
  assert.equal(menuOf(online).includes('nodeStart'), false);
  // A cluster that cannot be read at all (every node stopped) offers the ordered start on its row.
  const stopped = buildClusterTree({ name: 'cluster1', hosts: ['node1', 'node2'], error: { code: 'pacemaker-down', message: 'the cluster stack is not running' } });
  assert.deepEqual(menuOf(stopped), ['clusterStart']);
});

test('inline Clear on a leftover cli-ban constraint row', () => {
  const cib = readFileSync(join(root, 'test', 'fixtures', 'cib', 'redis-leftover-ban.xml'), 'utf8');
  const c = parseCib(cib);
  const m = parseCrmMon(readFileSync(join(root, 'test', 'fixtures', 'live', 'healthy.crm_mon.xml'), 'utf8'));
  assert.ok(c.ok && m.ok);
  const tree = buildClusterTree({ name: 'cluster1', hosts: ['node1'], snapshot: buildSnapshot(m.value, c.value) });
  const found: ExplorerNode[] = [];
  const walk = (n: ExplorerNode): void => {
    if (n.kind === 'constraint' && /cli-ban/.test(n.contextValue)) found.push(n);
    n.children.forEach(walk);
  };
  walk(tree);
  assert.equal(found.length, 1, 'one leftover cli-ban row');
  assert.deepEqual(menuOf(found[0]!, true), ['clear']);
  assert.equal(found[0]!.subject?.resource, 'redis-clone');
});
