import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Constraint } from '../../../src/core/cluster/types';
import { describeConstraint, intervalText, scoreText } from '../../../src/core/explorer/wording';

const loc = (x: Partial<Extract<Constraint, { type: 'location' }>>): Constraint => ({ type: 'location', id: 'l', rules: [], sets: [], ...x });
const col = (x: Partial<Extract<Constraint, { type: 'colocation' }>>): Constraint => ({ type: 'colocation', id: 'c', sets: [], ...x });
const ord = (x: Partial<Extract<Constraint, { type: 'order' }>>): Constraint => ({ type: 'order', id: 'o', sets: [], ...x });

test('colocation wording by score and role', () => {
  assert.equal(describeConstraint(col({ rsc: 'VIP', withRsc: 'redis-clone', withRscRole: 'Promoted', score: 1_000_000, scoreText: 'INFINITY' })), 'VIP runs with the Promoted instance of redis-clone — INFINITY');
  assert.equal(describeConstraint(col({ rsc: 'a', withRsc: 'b', score: -1_000_000 })), 'a never runs with b — -INFINITY');
  assert.equal(describeConstraint(col({ rsc: 'a', withRsc: 'b', score: 100 })), 'a prefers to run with b — 100');
  assert.equal(describeConstraint(col({ rsc: 'a', withRsc: 'b', score: -50 })), 'a avoids running with b — -50');
  assert.equal(describeConstraint(col({ rsc: 'a', rscRole: 'Promoted', withRsc: 'b', score: 1_000_000 })), 'The Promoted instance of a runs with b — INFINITY');
});

test('location wording incl. move/ban leftovers and rules', () => {
  assert.equal(describeConstraint(loc({ rsc: 'VIP', node: 'node1', score: 100 })), 'VIP prefers node1 — 100');
  assert.equal(describeConstraint(loc({ rsc: 'VIP', node: 'node2', score: -1_000_000 })), 'VIP never runs on node2 — -INFINITY');
  assert.equal(describeConstraint(loc({ rsc: 'VIP', node: 'node2', score: -10 })), 'VIP avoids node2 — -10');
  assert.equal(describeConstraint(loc({ rsc: 'redis-clone', node: 'node2', score: 1_000_000, leftover: 'cli-prefer' })), 'redis-clone is pinned to node2 by a move — INFINITY');
  assert.equal(
    describeConstraint(loc({ rscPattern: '^ip-', rules: [{ booleanOp: 'and', expressions: [], text: '#uname eq node1', score: 50 }] })),
    'resources matching /^ip-/ placed by rule: #uname eq node1 (50)',
  );
});

test('order wording with default and explicit actions', () => {
  assert.equal(describeConstraint(ord({ first: 'redis-clone', then: 'VIP', firstAction: 'promote', thenAction: 'start' })), 'VIP starts after redis-clone is promoted (Mandatory)');
  assert.equal(describeConstraint(ord({ first: 'fs', then: 'db' })), 'db starts after fs is started (Mandatory)');
  assert.equal(describeConstraint(ord({ first: 'a', then: 'b', score: 0 })), 'b starts after a is started (Optional)');
  assert.equal(describeConstraint(ord({ sets: [{ resources: ['a', 'b'] }, { resources: ['c'] }], kind: 'Serialize' })), '[a b] then [c] in this order (Serialize)');
});

test('ticket wording', () => {
  assert.equal(describeConstraint({ type: 'ticket', id: 't', ticket: 'ticketA', rsc: 'db', lossPolicy: 'fence', sets: [] }), 'db runs only while ticket ticketA is granted (on loss: fence)');
});

test('scores and intervals', () => {
  assert.equal(scoreText(1_000_000), 'INFINITY');
  assert.equal(scoreText(undefined, '+INFINITY'), 'INFINITY');
  assert.equal(scoreText(-1_000_000), '-INFINITY');
  assert.equal(intervalText(3000), '3s');
  assert.equal(intervalText(120_000), '2min');
  assert.equal(intervalText(1500), '1500ms');
});
