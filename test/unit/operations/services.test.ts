/**
 * Cluster services as data, on the test cluster's captured states: which node each step runs on and which node
 * it waits through, the order of a stop of every node, the steps of an ordered start, the argv per backend and the
 * requests refused.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCib } from '../../../src/core/cluster/cib';
import { parseCrmMon } from '../../../src/core/cluster/crmMon';
import { notSettled } from '../../../src/core/cluster/startup';
import { buildSnapshot } from '../../../src/core/cluster/snapshot';
import type { ClusterSnapshot } from '../../../src/core/cluster/types';
import { clusterServicesArgv } from '../../../src/core/operations/argv';
import { chooseDialect } from '../../../src/core/operations/backend';
import { operation } from '../../../src/core/operations/catalog';
import { cliEquivalent } from '../../../src/core/operations/cli';
import { stopOrder } from '../../../src/core/operations/serviceOps';
import { VERBS } from '../../../src/cli/commands/operate';

const live = join(__dirname, '..', '..', 'fixtures', 'live');
function snap(state: 'healthy' | 'node-offline'): ClusterSnapshot {
  const m = parseCrmMon(readFileSync(join(live, `${state}.crm_mon.xml`), 'utf8'));
  const c = parseCib(readFileSync(join(live, `${state}.cib.xml`), 'utf8'));
  assert.ok(m.ok && c.ok, `${state} fixtures parse`);
  return buildSnapshot(m.value, c.value, { source: 'node1' });
}
const v = (text: string) => {
  const [major, minor] = text.split('.').map(Number);
  return { text, major: major!, minor: minor! };
};
const modern = { pacemaker: v('2.1.5'), pcs: v('0.11.5'), crmsh: v('4.4.0') };
const pcs = chooseDialect(modern, 'pcs');
const crmsh = chooseDialect(modern, 'crmsh');
const tools = chooseDialect(modern, 'pacemaker');
const line = (p: { runOn?: string; argv: readonly string[] }) => `${p.runOn}# ${p.argv.join(' ')}`;

test('argv: pcs/crmsh on the node itself, systemctl for Pacemaker\'s tools; pcs forced only for the last node', () => {
  assert.deepEqual(clusterServicesArgv(pcs, false), ['pcs', 'cluster', 'stop']);
  assert.deepEqual(clusterServicesArgv(pcs, false, true), ['pcs', 'cluster', 'stop', '--force']);
  assert.deepEqual(clusterServicesArgv(pcs, true, true), ['pcs', 'cluster', 'start']);
  assert.deepEqual(clusterServicesArgv(crmsh, false, true), ['crm', 'cluster', 'stop']);
  assert.deepEqual(clusterServicesArgv(tools, true), ['systemctl', 'start', 'pacemaker']);
  assert.deepEqual(clusterServicesArgv(tools, false), ['systemctl', 'stop', 'pacemaker', 'corosync']);
});

test('stop one node: runs on that node, simulated as --node-down, waited for through the other node', () => {
  const s = snap('healthy');
  const req = { kind: 'node-stop', node: 'node1' } as const;
  assert.equal(operation('node-stop').validate(req, s), undefined);
  const [phase, ...rest] = operation('node-stop').phases(req, s, pcs);
  assert.equal(rest.length, 0);
  assert.equal(line(phase!), 'node1# pcs cluster stop');
  assert.deepEqual(phase!.simulateFlags, ['--node-down=node1']);
  assert.equal(phase!.settle, true);
  assert.equal(phase!.settleOn, 'node2');
  assert.equal(cliEquivalent(req), 'pcx stop --node node1');
});

test('stop the last online node: forced with pcs, no settle, a wait for the daemons to stop', () => {
  const s = snap('node-offline');
  const offline = s.nodes.find((n) => !n.online)!.name;
  const online = s.nodes.find((n) => n.online)!.name;
  assert.equal(operation('node-stop').validate({ kind: 'node-stop', node: offline }, s)?.code, 'no-change');
  const [phase] = operation('node-stop').phases({ kind: 'node-stop', node: online }, s, pcs);
  assert.equal(line(phase!), `${online}# pcs cluster stop --force`);
  assert.equal(phase!.settle, false);
  assert.deepEqual(phase!.wait, { kind: 'stopped', on: online });
  assert.match(phase!.note ?? '', /--force/);
});

test('start one node: refused when it is online or when no node is (ordered start instead)', () => {
  const s = snap('node-offline');
  const offline = s.nodes.find((n) => !n.online)!.name;
  const online = s.nodes.find((n) => n.online)!.name;
  assert.equal(operation('node-start').validate({ kind: 'node-start', node: online }, s)?.code, 'no-change');
  assert.equal(operation('node-start').validate({ kind: 'node-start', node: 'node9' }, s)?.code, 'unknown-node');
  const [phase] = operation('node-start').phases({ kind: 'node-start', node: offline }, s, crmsh);
  assert.equal(line(phase!), `${offline}# crm cluster start`);
  assert.deepEqual(phase!.wait, { kind: 'settled', on: online, nodes: [online, offline] });
  const allDown = { ...s, nodes: s.nodes.map((n) => ({ ...n, online: false })) };
  assert.equal(operation('node-start').validate({ kind: 'node-start', node: offline }, allDown)?.code, 'cluster-stopped');
});

test('stop all: the node without a Promoted instance first, the Promoted one last and checked locally', () => {
  const s = snap('healthy');
  assert.deepEqual(stopOrder(s), ['node2', 'node1']);
  const phases = operation('cluster-stop').phases({ kind: 'cluster-stop' }, s, tools);
  assert.deepEqual(phases.map(line), ['node2# systemctl stop pacemaker corosync', 'node1# systemctl stop pacemaker corosync']);
  assert.deepEqual([phases[0]!.settleOn, phases[1]!.wait], ['node1', { kind: 'stopped', on: 'node1' }]);
  assert.equal(cliEquivalent({ kind: 'cluster-stop' }), 'pcx stop');
});

test('ordered start: Corosync everywhere (quorum), Pacemaker on the first until ready, then the others until settled', () => {
  const s = snap('healthy');
  const req = { kind: 'cluster-start', first: 'node2' } as const;
  const phases = operation('cluster-start').phases(req, s, pcs);
  assert.deepEqual(phases.map(line), ['node2# systemctl start corosync', 'node1# systemctl start corosync', 'node2# pcs cluster start', 'node1# pcs cluster start']);
  assert.deepEqual(phases.map((p) => p.wait?.kind), [undefined, 'quorum', 'ready-on-first', 'settled']);
  // The prediction gives the first node the promotion score the agent sets once it runs there.
  assert.deepEqual(phases[2]!.simulate, [['crm_attribute', '--node', 'node2', '--name', 'master-redis', '--update', '1']]);
  assert.deepEqual(phases[2]!.simulateFlags, ['--node-up=node2']);
  assert.equal(operation('cluster-start').validate({ kind: 'cluster-start', first: 'node7' }, s)?.code, 'unknown-node');
  assert.deepEqual(operation('cluster-start').verify(req, s, s), ['redis-clone is Promoted on node1, not node2']);
  assert.equal(cliEquivalent(req), 'pcx start --first node2');
});

test('pcx start/stop: --node for one node, --first for the ordered start, not both', () => {
  const vals = (o: Record<string, unknown>) => o;
  assert.deepEqual(VERBS.stop!.request([], vals({ node: 'node1' })), { kind: 'node-stop', node: 'node1' });
  assert.deepEqual(VERBS.stop!.request([], vals({})), { kind: 'cluster-stop' });
  assert.deepEqual(VERBS.start!.request([], vals({ first: 'node2' })), { kind: 'cluster-start', first: 'node2' });
  assert.deepEqual(VERBS.start!.request([], vals({})), { kind: 'cluster-start' });
  assert.match(String(VERBS.start!.request([], vals({ node: 'a', first: 'b' }))), /not both/);
});

test('settled: every node online, one Promoted, every clone instance running', () => {
  const s = snap('healthy');
  assert.equal(notSettled(s.crmMon, ['redis-clone'], ['node1', 'node2']), undefined);
  assert.equal(notSettled(snap('node-offline').crmMon, ['redis-clone'], ['node1', 'node2'])?.startsWith('offline: '), true);
});
