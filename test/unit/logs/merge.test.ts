// Merging nodes' lines in time order: skewed clocks corrected by each node's measured offset, stable order for
// unparsed lines, the live merger's hold-back window, and byte chunks → lines (split UTF-8, runaway lines).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineSplitter, MAX_LINE_CHARS } from '../../../src/core/logs/lines';
import { LiveMerger, mergeLines } from '../../../src/core/logs/merge';
import { parseFileLine } from '../../../src/core/logs/parse';
import { clockFromDate } from '../../../src/core/logs/sources';
import type { LogLine, NodeClock } from '../../../src/core/logs/types';

const base: NodeClock = { offsetMs: 0, uncertaintyMs: 5, utcOffsetMinutes: 0, nodeNow: Date.UTC(2026, 11, 1, 15) };

function readStream(node: string, clock: NodeClock, texts: string[]): LogLine[] {
  let previousTime: number | undefined;
  return texts.map((t) => {
    const l = parseFileLine(t, { node, origin: 'pacemaker', clock, previousTime, arrivedAt: 0 });
    previousTime = l.time;
    return l;
  });
}

test('skewed clocks: node2 runs 3 s ahead; after correction its reply sorts after node1\'s request', () => {
  // Real order: node1 asks at :19.557, node2 answers at :20.505 (node2's clock shows :23.505).
  const node1 = readStream('node1', base, ['Dec 01 14:33:19.557 node1 pacemaker-controld  [81] (x) \tnotice: Initiating start operation VIP_start_0 on node2']);
  const node2 = readStream('node2', { ...base, offsetMs: 3000 }, ['Dec 01 14:33:23.505 node2 pacemaker-controld  [71] (x) \tnotice: Result of start operation for VIP on node2: ok']);
  const uncorrected = readStream('node2', base, ['Dec 01 14:33:23.505 node2 pacemaker-controld  [71] (x) \tnotice: Result of start operation for VIP on node2: ok']);
  const merged = mergeLines([...node2, ...node1]);
  assert.deepEqual(merged.map((l) => l.node), ['node1', 'node2']);
  assert.equal(merged[1]!.time - merged[0]!.time, 948);
  assert.equal(uncorrected[0]!.time - node2[0]!.time, 3000);
});

test('skewed clocks: node1 2.5 s behind; interleaving of two nodes follows real time, not the stamps', () => {
  const n1 = readStream('node1', { ...base, offsetMs: -2500 }, [
    'Dec 01 14:00:07.500 node1 corosync[1]: a1', // real 14:00:10.000
    'Dec 01 14:00:09.500 node1 corosync[1]: a2', // real 14:00:12.000
  ]);
  const n2 = readStream('node2', base, ['Dec 01 14:00:11.000 node2 corosync[1]: b1', 'Dec 01 14:00:13.000 node2 corosync[1]: b2']);
  assert.deepEqual(mergeLines([...n1, ...n2]).map((l) => l.message), ['a1', 'b1', 'a2', 'b2']);
});

test('merge keeps unparsed lines right after the line they followed, and equal times in stream order', () => {
  const n1 = readStream('node1', base, ['Dec 01 14:00:10.000 node1 corosync[1]: first', '  continuation', '\u0000junk', 'Dec 01 14:00:12.000 node1 corosync[1]: third']);
  const n2 = readStream('node2', base, ['Dec 01 14:00:10.000 node2 corosync[1]: same time', 'Dec 01 14:00:11.000 node2 corosync[1]: second']);
  const merged = mergeLines([...n1, ...n2]);
  assert.deepEqual(merged.map((l) => l.raw.replace(/^.*: /, '')), ['first', '  continuation', '\\x00junk', 'same time', 'second', 'third']);
  assert.equal(merged.filter((l) => !l.parsed).length, 2);
});

test('clock offset from `date +%s.%N %z`: midpoint of the round trip, uncertainty, UTC offset', () => {
  const c = clockFromDate('1796135586.153616694 +0130\n', 1796135580000, 1796135580100);
  assert.deepEqual(c, { offsetMs: 6103, uncertaintyMs: 50, utcOffsetMinutes: 90, nodeNow: 1796135586153 });
  assert.equal(clockFromDate('1796135586.1 -0500', 0, 0)!.utcOffsetMinutes, -300);
  assert.equal(clockFromDate('date: invalid', 0, 0), undefined);
  // 30 ms "ahead" measured over a 100 ms round trip is within the error: no correction.
  assert.equal(clockFromDate('1796135580.080000000 +0000', 1796135580000, 1796135580100)!.offsetMs, 0);
});

function line(node: string, time: number, message: string): LogLine {
  return { time, node, daemon: 'd', level: 'info', message, origin: 'pacemaker', parsed: true, raw: message };
}

test('live merger: holds lines until start-up settles, then releases in time order after holdMs', () => {
  let now = 10_000;
  const out: string[] = [];
  const m = new LiveMerger((l) => out.push(l.message), { holdMs: 400, tickMs: 1_000_000, now: () => now });
  m.add(line('node1', 9_000, 'n1 backlog late'));
  m.add(line('node2', 8_000, 'n2 backlog early'));
  m.release();
  assert.deepEqual(out, [], 'nothing before settle');
  m.settle();
  assert.deepEqual(out, ['n2 backlog early', 'n1 backlog late']);
  // node2's line (real 10 050) arrives before node1's earlier one (real 10 000): the hold puts them in order.
  now = 10_100;
  m.add(line('node2', 10_050, 'b'));
  now = 10_200;
  m.add(line('node1', 10_000, 'a'));
  m.release();
  assert.deepEqual(out.slice(2), [], 'both still within holdMs');
  now = 10_500;
  m.release();
  assert.deepEqual(out.slice(2), ['a', 'b']);
  // A line stamped in the future (uncorrectable skew) is not held past maxHoldMs.
  m.add(line('node1', 99_000, 'future'));
  now = 11_400;
  m.release();
  assert.deepEqual(out.slice(4), ['future']);
  m.close();
});

test('line splitter: lines across chunks, a UTF-8 character split between chunks, last line without newline', () => {
  const lines: string[] = [];
  const s = new LineSplitter((l) => lines.push(l));
  const bytes = Buffer.from('eins\nzwei ü drei\nvier');
  s.push(bytes.subarray(0, 11)); // cuts "ü" in half
  s.push(bytes.subarray(11));
  assert.deepEqual(lines, ['eins', 'zwei ü drei']);
  s.end();
  assert.deepEqual(lines, ['eins', 'zwei ü drei', 'vier']);
});

test('line splitter: a line that never ends is cut (bounded memory) and says so; invalid UTF-8 becomes U+FFFD', () => {
  const lines: string[] = [];
  const s = new LineSplitter((l) => lines.push(l));
  s.push(Buffer.alloc(MAX_LINE_CHARS + 10, 0x41));
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, /\[line cut: 10 more characters\]$/);
  s.push(Buffer.from([0xff, 0xfe, 0x0a]));
  assert.equal(lines[1], '\ufffd\ufffd');
});
