/**
 * Operations as data, on the real test cluster's captured states (test/fixtures/live): the argv each backend gets,
 * which backend is chosen, the steps of each operation, the requests refused, and the plain words of a transition.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCib } from '../../../src/core/cluster/cib';
import { parseCrmMon } from '../../../src/core/cluster/crmMon';
import { buildSnapshot } from '../../../src/core/cluster/snapshot';
import type { ClusterSnapshot } from '../../../src/core/cluster/types';
import { banArgv, cleanupArgv, clearArgv, managedArgv, moveArgv, nodeMaintenanceArgv, restartArgv, simulateCleanup, standbyArgv, targetRoleArgv, xpathLiteral } from '../../../src/core/operations/argv';
import { chooseDialect } from '../../../src/core/operations/backend';
import { operation } from '../../../src/core/operations/catalog';
import { cliEquivalent } from '../../../src/core/operations/cli';
import { dangers, describeTransition, placementDifferences, placementFromStatus } from '../../../src/core/operations/clusterPlacement';
import { simulatedActions } from '../../../src/core/operations/preview';
import type { Dialect, OperationRequest } from '../../../src/core/operations/types';
import type { PcxFailure } from '../../../src/core/util/result';

const live = join(__dirname, '..', '..', 'fixtures', 'live');
function snap(state: 'healthy' | 'failed-action' | 'standby' | 'maintenance' | 'node-offline'): ClusterSnapshot {
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

test('backend: pcs first, then crmsh, then Pacemaker tools; 1.1 gets --master; a forced missing backend is refused', () => {
  assert.equal(chooseDialect(modern).backend, 'pcs');
  assert.equal(chooseDialect({ pacemaker: v('2.1.5'), crmsh: v('4.4.0') }).backend, 'crmsh');
  assert.equal(chooseDialect({ pacemaker: v('2.1.5') }).backend, 'pacemaker');
  const old = chooseDialect({ pacemaker: v('1.1.23'), pcs: v('0.9.169') });
  assert.deepEqual([old.promotedFlag, old.promotedRole, old.pcsVersion], ['--master', 'Master', [0, 9]]);
  assert.equal(pcs.promotedFlag, '--promoted');
  assert.throws(() => chooseDialect({ pacemaker: v('2.1.5') }, 'crmsh'), (e: PcxFailure) => e.code === 'backend-missing' && /--backend pacemaker/.test(e.hint ?? ''));
});

test('argv: a node or resource named like an option ("--all") is never read as one: pcs gets "--", crmsh refuses, crm_resource takes it as a value', () => {
  const pcs09 = chooseDialect({ pacemaker: v('1.1.23'), pcs: v('0.9.169') });
  // pcs (checked on the test node with 0.11.5: `pcs node standby -- --all` → "Node '--all' does not appear to exist").
  assert.deepEqual(standbyArgv(pcs, '--all', true), ['pcs', 'node', 'standby', '--', '--all']);
  assert.deepEqual(standbyArgv(pcs, '--all', false), ['pcs', 'node', 'unstandby', '--', '--all']);
  assert.deepEqual(standbyArgv(pcs09, '--all', true), ['pcs', 'cluster', 'standby', '--', '--all']);
  assert.deepEqual(nodeMaintenanceArgv(pcs, '--all', true), ['pcs', 'node', 'maintenance', '--', '--all']);
  assert.deepEqual(banArgv(pcs, 'redis-clone', '--all', true).argv, ['pcs', 'resource', 'ban', '--promoted', '--', 'redis-clone', '--all'], 'options before --');
  assert.deepEqual(moveArgv(pcs, 'VIP', '--all'), ['pcs', 'resource', 'move-with-constraint', '--', 'VIP', '--all']);
  assert.deepEqual(cleanupArgv(pcs, 'redis', '--all').argv, ['pcs', 'resource', 'cleanup', 'redis', 'node=--all'], 'node=… is never an option');
  assert.deepEqual(cleanupArgv(pcs, '-x', 'node1').argv, ['pcs', 'resource', 'cleanup', '--', '-x', 'node=node1']);
  assert.deepEqual(cleanupArgv(pcs09, '-x', '--all').argv, ['pcs', 'resource', 'cleanup', '--node', '--all', '--', '-x']);
  assert.deepEqual(clearArgv(pcs, '-x'), ['pcs', 'resource', 'clear', '--', '-x']);
  assert.deepEqual(targetRoleArgv(pcs, '-x', false), ['pcs', 'resource', 'disable', '--', '-x']);
  assert.deepEqual(managedArgv(pcs, '-x', true), ['pcs', 'resource', 'manage', '--', '-x']);
  assert.deepEqual(restartArgv(pcs, '-x').argv, ['pcs', 'resource', 'restart', '--', '-x']);
  // crmsh 4.4 has no "--" (`crm node standby -- --all` takes "--" for the node): refused, naming the name and the way out.
  for (const build of [() => standbyArgv(crmsh, '--all', true), () => nodeMaintenanceArgv(crmsh, '--all', false), () => banArgv(crmsh, 'VIP', '--all').argv, () => moveArgv(crmsh, 'VIP', '--all'), () => cleanupArgv(crmsh, 'redis', '--all').argv, () => clearArgv(crmsh, '-x')]) {
    assert.throws(build, (e: PcxFailure) => e.code === 'option-like-name' && /"--all"|"-x"/.test(e.message) && /nothing was run/.test(e.message) && /--backend pacemaker/.test(e.hint ?? ''));
  }
  // Pacemaker's tools: the name is an option's argument (crm_resource --node --all → "Node '--all' not found", 2.1.5).
  assert.deepEqual(standbyArgv(tools, '--all', true), ['crm_attribute', '--node', '--all', '--name', 'standby', '--update', 'on']);
  assert.deepEqual(banArgv(tools, 'VIP', '--all').argv, ['crm_resource', '--ban', '--resource', 'VIP', '--node', '--all']);
  assert.deepEqual(cleanupArgv(crmsh, undefined, '--all').argv, ['crm_resource', '--cleanup', '--node', '--all'], "crmsh's node-only cleanup is crm_resource's");
  // Ordinary names are spelled as before (no "--").
  assert.deepEqual(standbyArgv(pcs, 'node1', true), ['pcs', 'node', 'standby', 'node1']);
  // The pcx command shown for repeating it: `pcx standby -- --all`, `--to=--all`.
  assert.equal(cliEquivalent({ kind: 'standby', node: '--all' }), 'pcx standby -- --all');
  assert.equal(cliEquivalent({ kind: 'move', resource: 'VIP', node: '--all' }), 'pcx move VIP --to=--all');
});

test('argv: the same change spelled by pcs 0.9/0.11, crmsh and crm_resource', () => {
  assert.deepEqual(banArgv(pcs, 'redis-clone', 'node1', true).argv, ['pcs', 'resource', 'ban', 'redis-clone', 'node1', '--promoted']);
  assert.deepEqual(banArgv(chooseDialect({ pacemaker: v('1.1.23'), pcs: v('0.9.169') }), 'redis-clone', 'node1', true).argv, ['pcs', 'resource', 'ban', 'redis-clone', 'node1', '--master']);
  const crmRole = banArgv(crmsh, 'redis-clone', 'node1', true);
  assert.deepEqual(crmRole.argv, ['crm_resource', '--ban', '--resource', 'redis-clone', '--node', 'node1', '--promoted'], "crmsh's ban has no role");
  assert.match(crmRole.note ?? '', /no role option/);
  assert.deepEqual(banArgv(crmsh, 'VIP', 'node1').argv, ['crm', 'resource', 'ban', 'VIP', 'node1']);
  assert.deepEqual(banArgv(tools, 'redis-clone', 'node1', true).argv, ['crm_resource', '--ban', '--resource', 'redis-clone', '--node', 'node1', '--promoted']);
  assert.deepEqual(moveArgv(pcs, 'VIP', 'node2'), ['pcs', 'resource', 'move-with-constraint', 'VIP', 'node2'], 'pcs 0.11 move would drop the constraint at once');
  assert.deepEqual(moveArgv(chooseDialect({ pcs: v('0.10.8') }), 'VIP', 'node2'), ['pcs', 'resource', 'move', 'VIP', 'node2']);
  assert.deepEqual(cleanupArgv(pcs, 'redis', 'node1').argv, ['pcs', 'resource', 'cleanup', 'redis', 'node=node1']);
  assert.deepEqual(cleanupArgv(chooseDialect({ pcs: v('0.9.169') }), 'redis', 'node1').argv, ['pcs', 'resource', 'cleanup', 'redis', '--node', 'node1']);
  const crmNodeOnly = cleanupArgv(crmsh, undefined, 'node1');
  assert.deepEqual(crmNodeOnly.argv, ['crm_resource', '--cleanup', '--node', 'node1']);
  assert.match(crmNodeOnly.note ?? '', /crmsh cannot/);
  assert.deepEqual(standbyArgv(pcs, 'node1', true), ['pcs', 'node', 'standby', 'node1']);
  assert.deepEqual(standbyArgv(chooseDialect({ pcs: v('0.9.169') }), 'node1', true), ['pcs', 'cluster', 'standby', 'node1']);
  assert.deepEqual(standbyArgv(crmsh, 'node1', false), ['crm', 'node', 'online', 'node1']);
  assert.deepEqual(standbyArgv(tools, 'node1', false), ['crm_attribute', '--node', 'node1', '--name', 'standby', '--update', 'off']);
});

test('cleanup simulation forgets history and fail counts with XPath literals that survive quotes', () => {
  assert.equal(xpathLiteral("it's"), `"it's"`);
  assert.equal(xpathLiteral(`a'b"c`), `concat('a', "'", 'b"c')`);
  const [history, counts] = simulateCleanup('redis', ['node1']);
  assert.deepEqual(history!.slice(0, 3), ['cibadmin', '--delete-all', '--force']);
  assert.match(history!.at(-1)!, /^\/\/node_state\[@uname='node1'\]\/\/lrm_resource\[@id='redis' or starts-with\(@id,'redis:'\)\]$/);
  assert.match(counts!.at(-1)!, /fail-count-redis'\) or starts-with\(@name,'last-failure-redis'\)/);
});

test('switchover: ban the Promoted role where it is, wait, then clear (always); --keep-constraint keeps the ban', () => {
  const s = snap('healthy');
  const req: OperationRequest = { kind: 'switchover', resource: 'redis', node: 'node2' };
  assert.equal(operation('switchover').validate(req, s), undefined, 'the primitive id finds its promotable clone');
  const phases = operation('switchover').phases(req, s, pcs);
  assert.deepEqual(phases.map((p) => [p.argv.join(' '), p.settle, p.always ?? false]), [
    ['pcs resource ban redis-clone node1 --promoted', true, false],
    ['pcs resource clear redis-clone', true, true],
  ]);
  assert.deepEqual(phases[0]!.simulate, [['crm_resource', '--ban', '--resource', 'redis-clone', '--node', 'node1', '--promoted']]);
  assert.equal(operation('switchover').phases({ ...req, keepConstraint: true }, s, pcs).length, 1);
});

test('requests that make no sense are refused with a code and a next step', () => {
  const s = snap('healthy');
  const refuse = (req: OperationRequest, state = s) => operation(req.kind).validate(req, state);
  assert.equal(refuse({ kind: 'switchover', resource: 'VIP', node: 'node2' })?.code, 'not-promotable');
  assert.match(refuse({ kind: 'switchover', resource: 'VIP', node: 'node2' })?.hint ?? '', /redis-clone/);
  assert.equal(refuse({ kind: 'switchover', resource: 'redis-clone', node: 'node1' })?.code, 'no-change');
  assert.equal(refuse({ kind: 'switchover', resource: 'redis-clone', node: 'node9' })?.code, 'unknown-node');
  assert.equal(refuse({ kind: 'cleanup', resource: 'nope' })?.code, 'unknown-resource');
  assert.equal(refuse({ kind: 'move', resource: 'redis-clone', node: 'node2' })?.code, 'use-switchover');
  assert.equal(refuse({ kind: 'clear', resource: 'VIP' })?.code, 'no-change');
  assert.equal(refuse({ kind: 'standby', node: 'node2' }, snap('node-offline'))?.code, 'node-offline');
  assert.equal(refuse({ kind: 'switchover', resource: 'redis-clone', node: 'node2' }, snap('standby'))?.code, 'node-standby');
  assert.equal(refuse({ kind: 'maintenance-mode', on: true }, snap('maintenance'))?.code, 'no-change');
  assert.equal(refuse({ kind: 'failover', resource: 'redis-clone' }), undefined);
});

test('cleanup of the failed-action state simulates forgetting redis on node1 only', () => {
  const s = snap('failed-action');
  const [phase] = operation('cleanup').phases({ kind: 'cleanup', resource: 'redis' }, s, crmsh);
  assert.deepEqual(phase!.argv, ['crm', 'resource', 'cleanup', 'redis']);
  assert.equal(phase!.simulate.length, 2);
  assert.ok(phase!.simulate.every((argv) => argv.at(-1)!.includes(`@uname='node1'`)));
  assert.deepEqual(operation('cleanup').verify({ kind: 'cleanup', resource: 'redis' }, s, s).length > 0, true, 'the failure is still there in that state');
  assert.deepEqual(operation('cleanup').verify({ kind: 'cleanup', resource: 'redis' }, s, snap('healthy')), []);
});

test('the transition in plain words, future and past; differences and dangers', () => {
  const healthy = placementFromStatus(snap('healthy').crmMon);
  const failed = placementFromStatus(snap('failed-action').crmMon);
  assert.deepEqual(describeTransition(healthy, failed), ['redis-clone will be promoted on node2 and stopped on node1', 'VIP will move from node1 to node2']);
  assert.deepEqual(describeTransition(failed, healthy, 'past'), ['redis-clone was promoted on node1 (started there first) and demoted on node2', 'VIP moved from node2 to node1']);
  assert.deepEqual(describeTransition(healthy, healthy), []);
  assert.deepEqual(placementDifferences(healthy, failed), [
    'redis-clone: predicted Promoted node1; Unpromoted node2, is Promoted node2',
    'VIP: predicted Started node1, is Started node2',
  ]);
  const allStopped = { ...healthy, resources: healthy.resources.map((r) => ({ ...r, roles: {} })) };
  assert.deepEqual(dangers(healthy, allStopped), ['every instance of redis-clone stops', 'every instance of VIP stops']);
  const noNodes = { ...healthy, nodes: healthy.nodes.map((n) => ({ ...n, standby: true })) };
  assert.deepEqual(dangers(healthy, noNodes), ['no node is left online to run resources']);
});

test("crm_simulate's actions and the pcx equivalent", () => {
  const xml = `<pacemaker-result><actions><rsc_action action="demote" resource="redis:0" role="Promoted" next-role="Unpromoted" source="node1"/>
    <rsc_action action="move" resource="VIP" source="node1" dest="node2"/></actions></pacemaker-result>`;
  assert.deepEqual(simulatedActions(xml), ['demote redis:0 on node1', 'move VIP from node1 to node2']);
  assert.deepEqual(simulatedActions('not xml'), []);
  assert.equal(cliEquivalent({ kind: 'switchover', resource: 'redis-clone', node: 'node2' }), 'pcx switchover redis-clone --to node2');
  assert.equal(cliEquivalent({ kind: 'node-maintenance', node: 'node1', on: true }), 'pcx maintenance on --node node1');
  const d: Dialect = tools;
  assert.equal(d.backend, 'pacemaker');
});

test("enable/manage with Pacemaker's tools delete target-role/is-managed (as pcs does) instead of setting Started/true", () => {
  const s = snap('healthy');
  const argvOf = (kind: 'enable' | 'disable' | 'manage' | 'unmanage') => operation(kind).phases({ kind, resource: 'VIP' }, s, tools)[0]!;
  assert.deepEqual(argvOf('enable').argv, ['crm_resource', '--resource', 'VIP', '--meta', '--delete-parameter', 'target-role']);
  assert.deepEqual(argvOf('manage').argv, ['crm_resource', '--resource', 'VIP', '--meta', '--delete-parameter', 'is-managed']);
  assert.deepEqual(argvOf('disable').argv, ['crm_resource', '--resource', 'VIP', '--meta', '--set-parameter', 'target-role', '--parameter-value', 'Stopped']);
  assert.deepEqual(argvOf('unmanage').argv, ['crm_resource', '--resource', 'VIP', '--meta', '--set-parameter', 'is-managed', '--parameter-value', 'false']);
  // The preview applies the same change to its copy.
  assert.deepEqual(argvOf('enable').simulate, [argvOf('enable').argv]);
  assert.deepEqual(argvOf('manage').simulate, [argvOf('manage').argv]);
});
