// package.json's explorer contributions and the command table agree (commands can't be imported here:
// they need `vscode`, so the handler ids are read from the source).
import { DEFAULT_HEDGE_DELAY_MS } from '../../../src/core/cluster/hedge';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { contextValueOf } from '../../../src/core/explorer/tree';

const root = join(__dirname, '..', '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  contributes: {
    commands: { command: string; title: string; category?: string }[];
    views: Record<string, { id: string }[]>;
    viewsWelcome: { view: string; when?: string }[];
    menus: Record<string, { command: string; when?: string }[]>;
    configuration: { properties: Record<string, unknown> } | { properties: Record<string, unknown> }[];
  };
};
const handlerIds = [...readFileSync(join(root, 'src/extension/commands/explorer.ts'), 'utf8').matchAll(/'(pacemaker\.[\w.]+)':/g)].map((m) => m[1]!);
const treeCommands = [...readFileSync(join(root, 'src/core/explorer/tree.ts'), 'utf8').matchAll(/'(pacemaker\.[\w.]+)'/g)].map((m) => m[1]!);

test('every explorer handler is contributed with a category, and every contributed explorer command has a handler', () => {
  const contributed = new Map(pkg.contributes.commands.map((c) => [c.command, c]));
  assert.ok(handlerIds.length >= 8, `found handlers: ${handlerIds.join(', ')}`);
  for (const id of handlerIds) {
    assert.ok(contributed.has(id), `${id} is not in package.json contributes.commands`);
    assert.equal(contributed.get(id)!.category, 'Pacemaker', `${id} has category Pacemaker`);
  }
  for (const c of pkg.contributes.commands.filter((x) => x.command.startsWith('pacemaker.explorer.'))) {
    assert.ok(handlerIds.includes(c.command), `${c.command} is contributed but has no handler`);
  }
  for (const id of treeCommands) assert.ok(contributed.has(id), `the tree model uses ${id}, which is not contributed`);
});

test('the view, its welcome content gated by the context key, and menus on existing commands', () => {
  assert.deepEqual(pkg.contributes.views['pacemaker']?.map((v) => v.id), ['pacemaker.clusters']);
  const welcome = pkg.contributes.viewsWelcome.find((w) => w.view === 'pacemaker.clusters');
  assert.equal(welcome?.when, '!pacemaker.clustersConfigured');
  const ids = new Set(pkg.contributes.commands.map((c) => c.command));
  for (const [menu, items] of Object.entries(pkg.contributes.menus)) {
    for (const item of items) {
      if (item.command.startsWith('pacemaker.explorer.')) assert.ok(ids.has(item.command), `${menu}: ${item.command}`);
    }
  }
});

test('view/item/context when clauses match the contextValues the tree produces', () => {
  const items = pkg.contributes.menus['view/item/context'] ?? [];
  const clusterMenus = items.filter((i) => i.when?.includes('view == pacemaker.clusters'));
  assert.ok(clusterMenus.length > 0);
  const matches = (when: string, value: string): boolean => {
    const m = /viewItem =~ \/(.+)\/$/.exec(when.split('&&').map((s) => s.trim()).find((s) => s.startsWith('viewItem')) ?? '');
    return m ? new RegExp(m[1]!).test(value) : true;
  };
  const cluster = contextValueOf('cluster', ['connected', 'healthy']);
  const errorCluster = contextValueOf('cluster', ['error']);
  const resource = contextValueOf('resource', ['clone', 'promotable']);
  const errorMessage = contextValueOf('message', ['error', 'unreachable']);
  const remove = clusterMenus.find((i) => i.command === 'pacemaker.explorer.removeCluster')!;
  assert.ok(matches(remove.when!, cluster) && matches(remove.when!, errorCluster), 'Remove on any cluster row');
  assert.ok(!matches(remove.when!, resource), 'not on a resource row');
  const retry = clusterMenus.find((i) => i.command === 'pacemaker.explorer.retry')!;
  assert.ok(matches(retry.when!, errorMessage) && !matches(retry.when!, contextValueOf('message', ['loading'])));
});

test('settings: clusters, ssh files and poll intervals', () => {
  const configs = Array.isArray(pkg.contributes.configuration) ? pkg.contributes.configuration : [pkg.contributes.configuration];
  const props = Object.assign({}, ...configs.map((c) => c.properties)) as Record<string, { default?: unknown }>;
  for (const key of ['pacemaker.clusters', 'pacemaker.ssh.configFile', 'pacemaker.ssh.knownHostsFile', 'pacemaker.explorer.pollIntervalMs', 'pacemaker.explorer.fullRefreshIntervalMs']) {
    assert.ok(props[key], `${key} contributed`);
  }
  assert.equal(props['pacemaker.explorer.pollIntervalMs']!.default, 750);
  assert.equal(props['pacemaker.explorer.fullRefreshIntervalMs']!.default, 15000);
  // The explorer's hedge delay defaults to the one pcx uses (src/core/cluster/hedge.ts).
  assert.equal(props['pacemaker.explorer.hedgeDelayMs']!.default, DEFAULT_HEDGE_DELAY_MS);
});
