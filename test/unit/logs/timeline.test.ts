// The timeline from real logs (a redis failover captured on the test cluster, both nodes) and from single lines
// of the other event kinds; sources detection's parsing (PCMK_logfile, corosync logging, permission texts); filters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileFilter, resourcePattern } from '../../../src/core/logs/filter';
import { parseFileLine } from '../../../src/core/logs/parse';
import { corosyncLogfileSetting, fileProblem, journalVerdict, pacemakerLogfileSetting, streamArgv } from '../../../src/core/logs/sources';
import { buildTimeline } from '../../../src/core/logs/timeline';
import type { LogLine, NodeClock } from '../../../src/core/logs/types';

const clock: NodeClock = { offsetMs: 0, uncertaintyMs: 0, utcOffsetMinutes: 0, nodeNow: Date.UTC(2026, 11, 1, 15) };

function readFixture(node: string, name: string): LogLine[] {
  let previousTime: number | undefined;
  return readFileSync(join(__dirname, 'fixtures', name), 'utf8').split('\n').filter(Boolean).map((t) => {
    const l = parseFileLine(t, { node, origin: 'pacemaker', clock, previousTime, arrivedAt: 0 });
    previousTime = l.time;
    return l;
  });
}

const one = (text: string, node = 'node1') => parseFileLine(text, { node, origin: 'pacemaker', clock, arrivedAt: 0 });

test('failover timeline: failed monitor on node1, then the transition promoting node2 and moving VIP, then VIP started and redis promoted on node2', () => {
  const lines = [...readFixture('node1', 'failover-node1-pacemaker.log'), ...readFixture('node2', 'failover-node2-pacemaker.log')];
  const events = buildTimeline(lines);
  const oldestFirst = [...events].reverse();
  assert.ok(events[0]!.time >= events[events.length - 1]!.time, 'newest first');
  const idx = (pred: (e: (typeof events)[number]) => boolean, what: string) => {
    const i = oldestFirst.findIndex(pred);
    assert.ok(i >= 0, `${what} missing from: ${oldestFirst.map((e) => e.summary).join(' | ')}`);
    return i;
  };
  const failed = idx((e) => e.kind === 'action' && e.operation === 'monitor' && e.subject === 'node1' && e.severity === 'error', 'failed monitor');
  const transition = idx((e) => e.kind === 'transition' && e.transition!.planned.some((a) => a.verb === 'Promote' && a.detail.includes('node2')) && e.transition!.planned.some((a) => a.verb === 'Move' && a.resource === 'VIP'), 'transition');
  const promoted = idx((e) => e.kind === 'action' && e.operation === 'promote' && e.subject === 'node2' && e.severity === 'info', 'promotion on node2');
  const vip = idx((e) => e.kind === 'action' && e.resource === 'VIP' && e.operation === 'start' && e.subject === 'node2', 'VIP start on node2');
  assert.ok(failed < transition && transition < promoted && transition < vip);
  const t = oldestFirst[transition]!;
  assert.equal(t.transition!.id, 10);
  assert.equal(t.transition!.input, '/var/lib/pacemaker/pengine/pe-input-10.bz2');
  assert.equal(oldestFirst[failed]!.summary, 'redis monitor on node1 failed: not running');
  assert.equal(oldestFirst[promoted]!.seenBy, 'node2');
  // Routine results (successful recurring monitors, notifies, cancellations) are not events.
  assert.ok(!events.some((e) => e.operation === 'notify' || e.result === 'Cancelled' || (e.operation === 'monitor' && e.severity === 'info')));
});

test('startup lines: nodes joining, quorum and the DC election, each fact once although several daemons log it', () => {
  const lines = [...readFixture('node1', 'startup-node1-pacemaker.log'), one('Dec 01 14:32:39.961 node2 pacemaker-controld  [71] (update_dc) \tinfo: Set DC to node1 (3.16.1)', 'node2')];
  const events = buildTimeline(lines);
  const kinds = events.map((e) => `${e.kind}:${e.subject}`).reverse();
  assert.ok(kinds.includes('quorum-gained:node1'), kinds.join(' '));
  assert.equal(kinds.filter((k) => k === 'node-joined:node1').length, 1, kinds.join(' '));
  assert.ok(kinds.includes('node-joined:node2'));
  assert.equal(kinds.filter((k) => k.startsWith('dc-elected')).length, 1, kinds.join(' '));
  // node2 learning on its start that node1 is a member is not node1 joining again.
  const again = buildTimeline([...lines, one('Dec 01 14:32:38.937 node2 pacemaker-controld  [71] (update_peer_state_iter) \tnotice: Node node1 state is now member | nodeid=1', 'node2')]);
  assert.equal(again.filter((e) => e.kind === 'node-joined' && e.subject === 'node1').length, 1);
});

test('other kinds: node lost, quorum lost (Corosync), fencing, 1.1 operation results and transitions', () => {
  const lines = [
    one('Dec 01 14:40:00.000 node1 pacemaker-controld  [81] (update_peer_state_iter) \tnotice: Node node2 state is now lost | nodeid=2'),
    parseFileLine('Dec 01 14:40:00 [31] node1 corosync notice  [QUORUM] This node is within the non-primary component and will NOT provide any services.', { node: 'node1', origin: 'corosync', clock, arrivedAt: 0 }),
    one('Dec 01 14:40:01.000 node1 pacemaker-controld  [81] (te_fence_node) \tnotice: Requesting fencing (reboot) of node node2 | action=1 timeout=60000'),
    one('Dec 01 14:40:05.000 node1 pacemaker-controld  [81] (tengine_stonith_notify) \tnotice: Peer node2 was terminated (reboot) by node1 on behalf of pacemaker-controld.81: OK | event=x'),
    one('Mar 23 14:04:35 [2313] node1       crmd:   notice: process_lrm_event:\tOperation VIP_start_0: ok (node=node1, call=12, rc=0, cib-update=40, confirmed=true)'),
    one('Mar 23 14:04:30 [2312] node1    pengine:   notice: LogActions:\tStart   VIP\t(node1)'),
    one('Mar 23 14:04:30 [2312] node1    pengine:   notice: process_pe_message:\tCalculated Transition 2: /var/lib/pacemaker/pengine/pe-input-2.bz2'),
    one('Mar 23 14:04:36 [2313] node1       crmd:   notice: process_lrm_event:\tOperation redis_monitor_0: not running (node=node1, call=5, rc=7, cib-update=20, confirmed=true)'),
  ];
  const s = buildTimeline(lines).map((e) => e.summary).reverse();
  assert.deepEqual(s, [
    'transition 2 planned by node1: start VIP (node1)',
    'VIP started on node1',
    'node2 left the cluster (seen by node1)',
    'node1 lost quorum',
    'fencing (reboot) of node2 requested (seen by node1)',
    'node2 was fenced (reboot) by node1: OK',
  ]);
});

test('PCMK_logfile: last assignment wins, quotes and export, comments ignored; corosync logfile only with to_logfile', () => {
  assert.equal(pacemakerLogfileSetting('# PCMK_logfile=/nope\nPCMK_logfile=/var/log/a.log\nexport PCMK_logfile="/var/log/b c.log"\n'), '/var/log/b c.log');
  assert.equal(pacemakerLogfileSetting('# nothing set\nPCMK_debug=no\n'), undefined);
  assert.equal(corosyncLogfileSetting('logging {\n to_logfile: yes\n logfile: /var/log/cluster/corosync.log\n}\n'), '/var/log/cluster/corosync.log');
  assert.equal(corosyncLogfileSetting('logging {\n to_logfile: no\n logfile: /var/log/cluster/corosync.log\n to_syslog: yes\n}\n'), undefined);
});

test('permission problems name the group or the sudoers rule to add', () => {
  const p = fileProblem('/var/log/pacemaker/pacemaker.log', "tail: cannot open '/var/log/pacemaker/pacemaker.log' for reading: Permission denied", 'node1', 'alice', false);
  assert.equal(p.code, 'log-permission-denied');
  assert.match(p.hint!, /usermod -aG haclient alice/);
  assert.match(fileProblem('/var/log/cluster/corosync.log', 'Permission denied', 'node1', 'alice', true).hint!, /alice ALL=\(root\) NOPASSWD: \/usr\/bin\/tail, \/usr\/bin\/journalctl/);
  const j = journalVerdict({ stdout: '', stderr: 'Hint: You are currently not seeing messages from other users and the system.\n', code: 0 }, 'node1', 'alice');
  assert.deepEqual([j.usable, j.problem?.code], [false, 'journal-permission-denied']);
  assert.match(j.problem!.hint!, /systemd-journal/);
  assert.deepEqual(journalVerdict({ stdout: '', stderr: '', code: 0 }, 'node1', 'root'), { usable: false });
  assert.equal(journalVerdict({ stdout: '{"MESSAGE":"x"}\n', stderr: '', code: 0 }, 'node1', 'root').usable, true);
});

test('stream commands are bounded: tail -n N [-F], journalctl -n N --since=@epoch [--follow]', () => {
  assert.deepEqual(streamArgv({ kind: 'file', file: '/var/log/x.log' }, { lines: 200, follow: true }), ['tail', '-n', '200', '-F', '--', '/var/log/x.log']);
  assert.deepEqual(streamArgv({ kind: 'journal' }, { lines: 5000, follow: false, sinceNode: 1796135599513 }), [
    'journalctl', '--no-pager', '--quiet', '-o', 'json', '-u', 'pacemaker.service', '-u', 'corosync.service', '-n', '5000', '--since=@1796135599',
  ]);
});

test('filters: node, level (unparsed lines out), resource name forms, text', () => {
  const l = (node: string, level: LogLine['level'], message: string, parsed = true): LogLine => ({ time: 0, node, daemon: 'pacemaker-controld', level, message, origin: 'pacemaker', parsed, raw: message });
  const lines = [l('node1', 'error', 'redis_demote_0 failed'), l('node2', 'info', 'Start VIP'), l('node1', 'unknown', 'junk redis', false), l('node2', 'warning', 'redis-clone cannot run on node1')];
  const pick = (f: Parameters<typeof compileFilter>[0]) => lines.filter(compileFilter(f)).map((x) => x.message);
  assert.deepEqual(pick({ nodes: ['NODE1'] }), ['redis_demote_0 failed', 'junk redis']);
  assert.deepEqual(pick({ level: 'warning' }), ['redis_demote_0 failed', 'redis-clone cannot run on node1']);
  assert.deepEqual(pick({ resources: ['redis'] }), ['redis_demote_0 failed', 'junk redis', 'redis-clone cannot run on node1']);
  assert.deepEqual(pick({ grep: 'vip' }), ['Start VIP']);
  const r = resourcePattern('redis');
  for (const yes of ['redis:0', 'redis(redis)[317]', 'Result of stop operation for redis on node1', 'redis_monitor_5000']) assert.ok(r.test(yes), yes);
  for (const no of ['redis-server started', 'myredis', 'redis-sentinel', 'x.redis']) assert.ok(!r.test(no), no);
  assert.ok(resourcePattern('redis-clone').test('redis:1 on node2'));
});
