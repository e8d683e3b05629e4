// What a log read says it covered (src/core/logs/members.ts describeCoverage): nodes read with their span, nodes not
// read with why, and a node whose log does not reach back to --since.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeCoverage } from '../../../src/core/logs/members';
import type { NodeInfo } from '../../../src/core/logs/types';

const at = (hms: string) => Date.parse(`2026-12-07T${hms}Z`);

test('describeCoverage: read nodes with host, origin, lines and span (from --since on); failed nodes with why; short logs', () => {
  const nodes: NodeInfo[] = [
    { host: 'node1', node: 'node1', state: 'stopped', lines: 705, first: at('15:00:00'), last: at('16:11:27') },
    { host: '10.0.0.12', node: 'node2', state: 'stopped', from: "the nodelist read on node1", lines: 441, first: at('16:01:54'), last: at('16:11:25'), shortBecause: 'pacemaker.log begins at 2026-12-07T16:01:54.000Z, after the start of the window' },
    { host: 'node3', node: 'node3', state: 'failed', from: 'the nodelist read on node1', problem: 'connection refused on 10.0.0.13:22' },
  ];
  const lines = describeCoverage(nodes, { since: at('16:00:00'), utc: true });
  assert.deepEqual(lines, [
    "read 2 of 3 node(s) since 16:00:00: node1 (705 line(s), 16:00:00–16:11:27); node2 (host 10.0.0.12, found in the nodelist read on node1, 441 line(s), 16:01:54–16:11:25)",
    'not read: node3: connection refused on 10.0.0.13:22',
    'node2: pacemaker.log begins at 2026-12-07T16:01:54.000Z, after the start of the window; its lines from there on are used',
  ]);
});

test('describeCoverage: following, without lines or span yet', () => {
  const lines = describeCoverage([{ host: 'node1', node: 'node1', state: 'streaming' }, { host: 'node2', node: 'node2', state: 'streaming', from: "the explorer's discovered nodes" }], { following: true });
  assert.deepEqual(lines, ["following 2 of 2 node(s): node1; node2 (found in the explorer's discovered nodes)"]);
});
