// A restarted log stream (after a dropped connection or a killed tail): what it reads back is cut to what is new —
// lines already shown are skipped, older ones are not shown as new — and an outage longer than the read-back is
// reported as 'log-gap' instead of being silently lost.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RecentLines, startSource, type LogStatus } from '../../../src/core/logs/follow';
import type { CommandRunner } from '../../../src/core/remote/runner';
import type { StreamHandlers } from '../../../src/core/ssh/stream';
import type { LogLine, NodeClock } from '../../../src/core/logs/types';

const clock: NodeClock = { offsetMs: 0, uncertaintyMs: 1, utcOffsetMinutes: 0, nodeNow: Date.UTC(2026, 11, 1, 15) };
const line = (sec: number, text: string) => `Dec 01 15:00:${String(sec).padStart(2, '0')}.000 node1 pacemaker-controld  [81] (fn) notice: ${text}`;
const at = (sec: number) => Date.UTC(2026, 11, 1, 15, 0, sec);

/** A runner whose one stream prints `output` at once and then stays open (as tail -F does). */
function fakeRunner(output: string[]): CommandRunner {
  return {
    host: 'node1', user: 'root', sudo: false,
    stream: async (_argv: readonly string[], h: StreamHandlers) => {
      h.onStdout(Buffer.from(output.map((l) => l + '\n').join('')));
      return { ended: new Promise(() => undefined), stop: () => undefined };
    },
  } as unknown as CommandRunner;
}

async function restart(output: string[], seen: RecentLines, after: number): Promise<{ lines: string[]; statuses: LogStatus[] }> {
  const lines: LogLine[] = [];
  const statuses: LogStatus[] = [];
  await startSource(fakeRunner(output), {
    node: 'node1', spec: { origin: 'pacemaker', file: '/var/log/pacemaker/pacemaker.log' }, clock, argv: ['tail'], seen,
    resume: { after, lines: 5000 }, onLine: (l) => lines.push(l), onStatus: (s) => statuses.push(s),
  });
  return { lines: lines.map((l) => l.message), statuses };
}

test('a restart delivers only the lines written while the stream was down: shown ones skipped, older ones not shown as new', async () => {
  const seen = new RecentLines();
  seen.add(line(10, 'shown before'));
  seen.add(line(20, 'last shown'));
  const r = await restart([line(5, 'older than the first backlog'), line(10, 'shown before'), line(20, 'last shown'), line(21, 'written meanwhile'), line(22, 'also meanwhile')], seen, at(20));
  assert.deepEqual(r.lines, ['written meanwhile', 'also meanwhile']);
  assert.deepEqual(r.statuses, []);
});

test('an unseen line logged just before the last shown one (out of order) is still delivered', async () => {
  const seen = new RecentLines();
  seen.add(line(20, 'last shown'));
  const r = await restart([line(19, 'other daemon, same moment'), line(20, 'last shown'), line(21, 'new')], seen, at(20));
  assert.deepEqual(r.lines, ['other daemon, same moment', 'new']);
});

test('the read-back does not reach the last shown line: log-gap names the node, the file, the time span and how to read it', async () => {
  const seen = new RecentLines();
  seen.add(line(20, 'last shown'));
  const r = await restart([line(40, 'long after'), line(41, 'newest')], seen, at(20));
  assert.deepEqual(r.lines, ['long after', 'newest']);
  assert.equal(r.statuses.length, 1);
  const gap = r.statuses[0]!;
  assert.equal(gap.code, 'log-gap');
  assert.equal(gap.severity, 'warning');
  assert.match(gap.message, /^node1: more than 5000 lines were written to pacemaker\.log while its stream was down; lines between 2026-12-01 15:00:20 UTC and 2026-12-01 15:00:40 UTC are not shown$/);
  assert.match(gap.hint!, /--node node1 --since 2026-12-01T15:00:20\.000Z --lines 20000/);
});

test('a first run (no resume) delivers its whole backlog and reports no gap', async () => {
  const lines: string[] = [];
  const statuses: LogStatus[] = [];
  await startSource(fakeRunner([line(5, 'a'), line(6, 'b')]), {
    node: 'node1', spec: { origin: 'pacemaker', file: '/x.log' }, clock, argv: ['tail'],
    onLine: (l) => lines.push(l.message), onStatus: (s) => statuses.push(s),
  });
  assert.deepEqual(lines, ['a', 'b']);
  assert.deepEqual(statuses, []);
});
