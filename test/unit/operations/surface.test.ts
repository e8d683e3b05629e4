// The operation table: every kind has a pcx verb that parses back into the same request, every verb pcx lists
// has a parser (and the other way round), and refresh — the operation added through the table alone — is spelled
// per backend as pcs, crmsh and Pacemaker spell it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { requestFromArgs, VERBS } from '../../../src/cli/commands/operate';
import { cliArgv } from '../../../src/core/operations/cli';
import { OPERATIONS } from '../../../src/core/operations/catalog';
import { refreshArgv } from '../../../src/core/operations/refresh';
import { operationVerbs, SURFACES } from '../../../src/core/operations/surface';
import type { OperationKind, OperationRequest } from '../../../src/core/operations/types';

const SAMPLES: Record<OperationKind, OperationRequest> = {
  cleanup: { kind: 'cleanup', resource: 'redis-clone', node: 'node1' },
  refresh: { kind: 'refresh', resource: 'VIP' },
  switchover: { kind: 'switchover', resource: 'redis-clone', node: 'node2', keepConstraint: true },
  failover: { kind: 'failover', resource: 'redis-clone', keepConstraint: false },
  move: { kind: 'move', resource: 'VIP', node: 'node2', keepConstraint: false },
  ban: { kind: 'ban', resource: 'VIP', node: 'node1' },
  clear: { kind: 'clear', resource: 'VIP' },
  standby: { kind: 'standby', node: 'node2' },
  unstandby: { kind: 'unstandby', node: 'node2' },
  'node-maintenance': { kind: 'node-maintenance', node: 'node2', on: true },
  'maintenance-mode': { kind: 'maintenance-mode', on: false },
  restart: { kind: 'restart', resource: 'VIP' },
  enable: { kind: 'enable', resource: 'VIP' },
  disable: { kind: 'disable', resource: 'VIP' },
  manage: { kind: 'manage', resource: 'VIP' },
  unmanage: { kind: 'unmanage', resource: 'VIP' },
  'node-stop': { kind: 'node-stop', node: 'node2' },
  'node-start': { kind: 'node-start', node: 'node2' },
  'cluster-stop': { kind: 'cluster-stop' },
  'cluster-start': { kind: 'cluster-start', first: 'node2' },
};

const defined = (r: OperationRequest | string) => (typeof r === 'string' ? r : Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined && v !== false)));

test("each operation's pcx command line parses back into the same request", () => {
  for (const kind of Object.keys(OPERATIONS) as OperationKind[]) {
    const argv = cliArgv(SAMPLES[kind]);
    assert.equal(argv[0], 'pcx');
    assert.equal(argv[1], SURFACES[kind].verb, `${kind}: the verb of the table`);
    assert.deepEqual(defined(requestFromArgs(argv[1]!, argv.slice(2))), defined(SAMPLES[kind]), `${kind}: ${argv.join(' ')}`);
  }
});

test('the verbs pcx lists are the verbs pcx can parse, each with a summary', () => {
  assert.deepEqual(operationVerbs().map((v) => v.verb).sort(), Object.keys(VERBS).sort());
  for (const v of operationVerbs()) assert.ok(v.summary.length > 10, v.verb);
  // Every kind's verb is listed (a kind sharing a verb needs no summary of its own).
  for (const s of Object.values(SURFACES)) assert.ok(operationVerbs().some((v) => v.verb === s.verb), s.verb);
});

test('refresh: crm_resource --refresh, spelled by pcs, crmsh and Pacemaker; its commands from the table', () => {
  assert.deepEqual(refreshArgv('pcs', 'VIP'), ['pcs', 'resource', 'refresh', 'VIP']);
  assert.deepEqual(refreshArgv('crmsh', 'VIP'), ['crm', 'resource', 'refresh', 'VIP']);
  assert.deepEqual(refreshArgv('pacemaker', 'VIP'), ['crm_resource', '--refresh', '--resource', 'VIP']);
  assert.deepEqual(SURFACES.refresh.commands.map((c) => c.id), ['pacemaker.op.refresh']);
  assert.equal(OPERATIONS.refresh.target, 'resource');
});
