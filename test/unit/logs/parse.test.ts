// Every log line format pcx reads: Pacemaker 2.x (with and without milliseconds, "(fn@file:line)"), Pacemaker 1.1,
// resource agents' ha_log lines, Corosync's file and stderr formats, syslog (classic and ISO stamps) and journal JSON;
// binary junk and lines no format fits are kept, never dropped. The 2.1.5/Corosync 3.1.7 lines in fixtures/ were
// captured from the test cluster (a redis failover); the 1.1 and syslog lines are as upstream documents them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFileLine, parseJournalLine, printable, type ParseContext } from '../../../src/core/logs/parse';
import type { NodeClock } from '../../../src/core/logs/types';

const FIXTURES = join(__dirname, 'fixtures');
/** A node on UTC whose clock says 2026-12-01 15:00 and is exactly right. */
const UTC_CLOCK: NodeClock = { offsetMs: 0, uncertaintyMs: 0, utcOffsetMinutes: 0, nodeNow: Date.UTC(2026, 11, 1, 15, 0, 0) };
const ctx = (over: Partial<ParseContext> = {}): ParseContext => ({ node: 'node1', origin: 'pacemaker', clock: UTC_CLOCK, arrivedAt: 42, ...over });
const at = (iso: string) => Date.parse(iso);

test('Pacemaker 2.1 file line: time with ms, host, daemon, pid, level, message (function dropped)', () => {
  const l = parseFileLine('Dec 01 14:33:19.513 node1 pacemaker-controld  [81] (log_executor_event) \tnotice: Result of monitor operation for redis on node1: not running | CIB update 72', ctx());
  assert.equal(l.parsed, true);
  assert.equal(l.time, at('2026-12-01T14:33:19.513Z'));
  assert.deepEqual([l.daemon, l.pid, l.level, l.node, l.origin], ['pacemaker-controld', 81, 'notice', 'node1', 'pacemaker']);
  assert.equal(l.message, 'Result of monitor operation for redis on node1: not running | CIB update 72');
});

test('Pacemaker 2.x variants: daemon name touching "[pid]", no milliseconds (2.0), "(fn@file:line)" (2.1.7+)', () => {
  const a = parseFileLine('Dec 01 14:33:19.557 node1 pacemaker-schedulerd[79] (log_list_item) \tnotice: Actions: Move       VIP         (               node1 -> node2 )', ctx());
  assert.deepEqual([a.daemon, a.pid, a.level], ['pacemaker-schedulerd', 79, 'notice']);
  const b = parseFileLine('Jan 16 21:19:22 iscsi-0 pacemaker-controld  [6660] (do_state_transition)   notice: State transition S_IDLE -> S_POLICY_ENGINE', ctx());
  assert.equal(b.time, at('2026-01-16T21:19:22Z'));
  assert.equal(b.message, 'State transition S_IDLE -> S_POLICY_ENGINE');
  const c = parseFileLine('Nov 30 10:00:00.001 n1 pacemaker-fenced    [900] (stonith_fence_get_devices_cb@fenced_commands.c:2542) \twarning: No devices found', ctx());
  assert.deepEqual([c.daemon, c.level, c.message], ['pacemaker-fenced', 'warning', 'No devices found']);
});

test('Pacemaker 1.1 file line: "[pid] host daemon: level: function: message"', () => {
  const l = parseFileLine('Oct 09 17:38:18 [17976] fc-ha1        cib:     info: cib_file_backup:\tArchived previous version as /var/lib/pacemaker/cib/cib-4.raw', ctx());
  assert.equal(l.parsed, true);
  assert.deepEqual([l.daemon, l.pid, l.level], ['cib', 17976, 'info']);
  assert.equal(l.message, 'Archived previous version as /var/lib/pacemaker/cib/cib-4.raw');
  const p = parseFileLine('Mar 23 14:04:35 [2312] node1    pengine:   notice: process_pe_message:\tCalculated Transition 2: /var/lib/pacemaker/pengine/pe-input-2.bz2', ctx());
  assert.deepEqual([p.daemon, p.level, p.message], ['pengine', 'notice', 'Calculated Transition 2: /var/lib/pacemaker/pengine/pe-input-2.bz2']);
});

test('resource agent lines (ocf ha_log): agent(resource) as daemon, upper-case level', () => {
  const l = parseFileLine('Dec 01 14:33:20  redis(redis)[2101]:    ERROR: demote: Failed to demote, redis not running.', ctx());
  assert.deepEqual([l.daemon, l.pid, l.level, l.message], ['redis(redis)', 2101, 'error', 'demote: Failed to demote, redis not running.']);
});

test('Corosync 3 file line and its foreground stderr line', () => {
  const f = parseFileLine('Dec 01 14:32:00 [31] node1 corosync notice  [QUORUM] This node is within the primary component and will provide service.', ctx({ origin: 'corosync' }));
  assert.deepEqual([f.daemon, f.pid, f.level, f.origin], ['corosync', 31, 'notice', 'corosync']);
  assert.equal(f.message, '[QUORUM] This node is within the primary component and will provide service.');
  const s = parseFileLine('Dec 01 14:31:57 warning [MAIN  ] Could not increase RLIMIT_MEMLOCK, not locking memory', ctx({ origin: 'corosync' }));
  assert.deepEqual([s.daemon, s.level, s.message], ['corosync', 'warning', '[MAIN  ] Could not increase RLIMIT_MEMLOCK, not locking memory']);
});

test('syslog lines, classic and ISO 8601 stamps; a leading "notice:" becomes the level', () => {
  const a = parseFileLine('Jan 16 21:19:22 iscsi-0 corosync[6655]: [TOTEM ] A new membership (1.1e) was formed. Members left: 2', ctx());
  assert.deepEqual([a.daemon, a.pid, a.level], ['corosync', 6655, 'notice']);
  const b = parseFileLine('2026-12-01T14:33:19.513+01:00 node1 pacemaker-controld[81]: warning: Something odd', ctx());
  assert.equal(b.time, at('2026-12-01T13:33:19.513Z'));
  assert.deepEqual([b.level, b.message], ['warning', 'Something odd']);
});

test('every line of the captured 2.1.5 and Corosync 3.1.7 logs parses', () => {
  for (const name of ['failover-node1-pacemaker.log', 'failover-node2-pacemaker.log', 'startup-node1-corosync.log', 'startup-node1-corosync.stdout', 'startup-node1-pacemaker.log']) {
    const lines = readFileSync(join(FIXTURES, name), 'utf8').split('\n').filter(Boolean);
    assert.ok(lines.length > 10, name);
    for (const text of lines) assert.equal(parseFileLine(text, ctx()).parsed, true, `${name}: ${text}`);
  }
});

test('node-local time: the UTC offset is applied, the year is guessed (never a day ahead), the clock offset taken off', () => {
  const cet: NodeClock = { ...UTC_CLOCK, utcOffsetMinutes: 60 };
  assert.equal(parseFileLine('Dec 01 15:33:19 node1 corosync[1]: x', ctx({ clock: cet })).time, at('2026-12-01T14:33:19Z'));
  // In January a December line is from last year.
  const jan: NodeClock = { ...UTC_CLOCK, nodeNow: at('2027-01-02T00:00:00Z') };
  assert.equal(parseFileLine('Dec 31 23:59:59 node1 corosync[1]: x', ctx({ clock: jan })).time, at('2026-12-31T23:59:59Z'));
  // A node 5 s ahead: its 14:33:25 is our 14:33:20.
  const ahead: NodeClock = { ...UTC_CLOCK, offsetMs: 5000 };
  assert.equal(parseFileLine('Dec 01 14:33:25.000 node1 pacemaker-controld  [81] (f) \tnotice: x', ctx({ clock: ahead })).time, at('2026-12-01T14:33:20Z'));
});

test('a whole-second stamp does not jump before the previous line of its stream in the same second', () => {
  const prev = at('2026-12-01T14:33:20.729Z');
  const l = parseFileLine('Dec 01 14:33:20  redis(redis)[2101]:    ERROR: demote failed', ctx({ previousTime: prev }));
  assert.equal(l.time, prev);
  const next = parseFileLine('Dec 01 14:33:21  redis(redis)[2101]:    INFO: later', ctx({ previousTime: prev }));
  assert.equal(next.time, at('2026-12-01T14:33:21Z'));
});

test('lines no format fits are kept whole, unparsed, with the time of the line before (or arrival)', () => {
  const prev = at('2026-12-01T14:33:20.729Z');
  const cont = parseFileLine('    continuation of a multi-line message', ctx({ previousTime: prev }));
  assert.deepEqual([cont.parsed, cont.level, cont.time, cont.message, cont.raw], [false, 'unknown', prev, '    continuation of a multi-line message', '    continuation of a multi-line message']);
  const first = parseFileLine('garbage', ctx());
  assert.equal(first.time, 42);
  // Looks like a stamp but is not a date.
  assert.equal(parseFileLine('Foo 99 14:33:20 node1 corosync[1]: x', ctx()).parsed, false);
});

test('binary junk: control characters become \\xNN, nothing is lost', () => {
  const text = 'Dec 01 14:33:20.000 node1 pacemaker-controld  [81] (f) \tnotice: bad \u0000\u0007\u001b[31m bytes';
  const l = parseFileLine(text, ctx());
  assert.equal(l.parsed, true);
  assert.equal(l.message, 'bad \\x00\\x07\\x1b[31m bytes');
  assert.equal(printable('a\tb\u007f'), 'a\tb\\x7f');
  const junk = parseFileLine('\u0000\u0001\u0002\ufffd\ufffd', ctx());
  assert.deepEqual([junk.parsed, junk.raw], [false, '\\x00\\x01\\x02\ufffd\ufffd']);
});

const journalEntry = (over: Record<string, unknown>) => JSON.stringify({
  __REALTIME_TIMESTAMP: '1796135599513000', _HOSTNAME: 'node1', SYSLOG_IDENTIFIER: 'pacemaker-controld', _PID: '81', PRIORITY: '5',
  _SYSTEMD_UNIT: 'pacemaker.service', MESSAGE: 'notice: Result of monitor operation for redis on node1: not running', ...over,
});

test('journal JSON: realtime µs, identifier, pid, the level from the message prefix or PRIORITY', () => {
  const l = parseJournalLine(journalEntry({}), ctx({ origin: 'journal' }));
  assert.equal(l.parsed, true);
  assert.equal(l.time, 1796135599513);
  assert.deepEqual([l.daemon, l.pid, l.level, l.message, l.origin], ['pacemaker-controld', 81, 'notice', 'Result of monitor operation for redis on node1: not running', 'journal']);
  assert.match(l.raw, /^2026-12-01T14:33:19\.513Z node1 pacemaker-controld\[81\]: notice: Result/);
  const c = parseJournalLine(journalEntry({ SYSLOG_IDENTIFIER: 'corosync', PRIORITY: '4', MESSAGE: '[KNET  ] link: host: 2 link: 0 is down', SYSLOG_PID: '31' }), ctx({ origin: 'journal' }));
  assert.deepEqual([c.daemon, c.pid, c.level, c.message], ['corosync', 31, 'warning', '[KNET  ] link: host: 2 link: 0 is down']);
});

test('journal JSON: a MESSAGE of bytes (binary) is decoded and made printable; the clock offset applies', () => {
  const bytes = [...Buffer.from('notice: bin \u0001 end')];
  const l = parseJournalLine(journalEntry({ MESSAGE: bytes }), ctx({ origin: 'journal', clock: { ...UTC_CLOCK, offsetMs: 2000 } }));
  assert.equal(l.message, 'bin \\x01 end');
  assert.equal(l.time, 1796135599513 - 2000);
});

test('journal: non-JSON, JSON without a time or message, and null MESSAGE lines are kept unparsed', () => {
  for (const text of ['-- No entries --', '{"MESSAGE":"x"}', journalEntry({ MESSAGE: null }), '[1,2]', '{truncated']) {
    const l = parseJournalLine(text, ctx({ origin: 'journal', previousTime: 7 }));
    assert.deepEqual([l.parsed, l.time, l.raw], [false, 7, text]);
  }
});
