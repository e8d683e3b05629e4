// package.json's operation commands and menus are the operation table's (surface.ts), every command has its handler, and
// each context menu item appears on the rows it is for (read from the contextValues the real tree builds for the captured test-cluster states) and on no others.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCib } from '../../../src/core/cluster/cib';
import { parseCrmMon } from '../../../src/core/cluster/crmMon';
import { buildSnapshot } from '../../../src/core/cluster/snapshot';
import { buildClusterTree, type ExplorerNode } from '../../../src/core/explorer/tree';
import { operationContributions } from '../../../src/core/operations/contributions';
import { SURFACES } from '../../../src/core/operations/surface';

const root = join(__dirname, '..', '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  contributes: { commands: { command: string; category?: string }[]; menus: Record<string, { command: string; when?: string; group?: string }[]> };
};
const handlers = Object.values(SURFACES).flatMap((s) => s.commands.map((c) => c.id));

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
    .map((i) => i.command.replace('pacemaker.op.', ''))
    .sort();
}

const sorted = (xs: string[]): string[] => [...xs].sort();

test("package.json's operation commands and menu entries are exactly the operation table's (node --import tsx scripts/sync-operations.mjs)", () => {
  const want = operationContributions();
  const key = (o: object) => JSON.stringify(o, Object.keys(o).sort());
  const contributed = pkg.contributes.commands.filter((c) => c.command.startsWith('pacemaker.op.'));
  assert.deepEqual(contributed.map(key).sort(), want.commands.map(key).sort());
  const menus = (pkg.contributes.menus['view/item/context'] ?? []).filter((i) => i.command.startsWith('pacemaker.op.'));
  assert.deepEqual(menus.map(key).sort(), want.menus.map(key).sort());
  assert.deepEqual(contributed.map((c) => c.command).sort(), [...handlers].sort());
  assert.ok(contributed.every((c) => c.category === 'Pacemaker'));
  assert.equal(handlers.length, 22);
});

test('the extension registers a handler for every command of the table, and nothing else under pacemaker.op.', async () => {
  const src = readFileSync(join(root, 'src/extension/operations/commands.ts'), 'utf8');
  assert.doesNotMatch(src, /'pacemaker\.op\.\w+'/, 'command ids come from the table, not from string literals');
  assert.match(src, /for \(const c of surface\.commands\)/);
});

test('menus: Switchover on both redis instances and the clone, Failover only where Promoted; the row says which', () => {
  const healthy = rows('healthy');
  const instances = healthy.filter((r) => r.kind === 'instance');
  const promoted = instances.find((r) => /\bpromoted\b/.test(r.contextValue))!;
  const unpromoted = instances.find((r) => /\bunpromoted\b/.test(r.contextValue))!;
  assert.deepEqual(promoted.subject, { resource: 'redis-clone', node: 'node1' });
  assert.deepEqual(unpromoted.subject, { resource: 'redis-clone', node: 'node2' });
  assert.deepEqual(menuOf(promoted), sorted(['switchover', 'failover']));
  assert.deepEqual(menuOf(unpromoted), ['switchover']);
  const clone = healthy.find((r) => r.kind === 'resource' && r.label === 'redis-clone')!;
  assert.deepEqual(menuOf(clone), sorted(['switchover', 'failover', 'cleanup', 'refresh', 'ban', 'clear', 'restart', 'disable', 'unmanage']));
  const vip = healthy.find((r) => r.kind === 'resource' && r.label === 'VIP')!;
  assert.deepEqual(menuOf(vip), sorted(['cleanup', 'refresh', 'move', 'ban', 'clear', 'restart', 'disable', 'unmanage']));
  const node1 = healthy.find((r) => r.kind === 'node' && r.label === 'node1')!;
  assert.deepEqual(menuOf(node1), sorted(['standby', 'nodeMaintenanceOn', 'nodeStop']));
  // Maintenance Mode On where it is off (Off only where it is on: the maintenance state below).
  assert.deepEqual(menuOf(healthy[0]!), sorted(['cleanup', 'maintenanceModeOn', 'clusterStop']));
  const maintenance = rows('maintenance')[0]!;
  assert.match(maintenance.contextValue, /\bmaintenance-mode\b/);
  assert.deepEqual(menuOf(maintenance), sorted(['cleanup', 'maintenanceModeOff', 'clusterStop']));
});

test('inline Cleanup on a failure row (that resource on that node) and Unstandby on a standby node', () => {
  const failure = rows('failed-action').find((r) => r.kind === 'failure')!;
  assert.deepEqual(menuOf(failure, true), ['cleanup']);
  assert.deepEqual(failure.subject, { resource: 'redis', node: 'node1' });
  const standby = rows('standby').find((r) => r.kind === 'node' && r.label === 'node2')!;
  assert.deepEqual(menuOf(standby), sorted(['unstandby', 'nodeMaintenanceOn', 'nodeStop']));
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
