// Say only what is known: a Redis that is starting or syncing is not a split brain or a broken link (its own
// uptime, loading, master_sync_in_progress and the time since Pacemaker's role change tell), and a lost node that
// nobody fenced is said as such. The shapes are those seen on the test cluster: after `pcs resource cleanup redis`
// node1's redis came up as `role:master`, `uptime_in_seconds:1`, `connected_slaves:0` while crm_mon said
// "Starting node1", then `role:slave`, `master_link_status:down`, then up (captured 2026-12-07, instance 5).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCib } from '../../../src/core/cluster/cib';
import { parseCrmMon } from '../../../src/core/cluster/crmMon';
import { assessHealth } from '../../../src/core/cluster/health';
import { buildSnapshot } from '../../../src/core/cluster/snapshot';
import type { CloneStatus } from '../../../src/core/cluster/types';
import { buildClusterTree, statusBarText } from '../../../src/core/explorer/tree';
import { parseReplicationInfo } from '../../../src/core/workload/redis/info';
import { redisService } from '../../../src/core/workload/redis/service';
import { replicationReasons, serviceView, type NodeObservation } from '../../../src/core/workload/replication';
import { instanceLabel } from '../../../src/core/workload/report';
import { RoleClock, SETTLE_SECONDS, roleAgesFromHistory } from '../../../src/core/workload/settling';
import type { ReplicationState } from '../../../src/core/workload/types';

const dir = join(__dirname, '..', '..', 'fixtures', 'live');
function snapshot(state: string, edit: (xml: string) => string = (x) => x) {
  const m = parseCrmMon(edit(readFileSync(join(dir, `${state}.crm_mon.xml`), 'utf8')));
  const c = parseCib(readFileSync(join(dir, `${state}.cib.xml`), 'utf8'));
  assert.ok(m.ok && c.ok);
  return buildSnapshot(m.value, c.value);
}
const healthy = snapshot('healthy');
const clone = healthy.resources.find((r) => r.kind === 'clone') as CloneStatus;
const addresses = new Map([['node1', ['10.213.0.11']], ['node2', ['10.213.0.12']]]);
const opts = { lagThresholdBytes: 1000, passwordHint: 'give it' };
const read = (replication: ReplicationState): NodeObservation => ({ kind: 'read', replication });
const master = (over: Partial<ReplicationState> = {}) => read({ role: 'primary', offset: 100, replicas: [], uptimeSeconds: 3600, loading: false, ...over });
const replica = (over: Partial<ReplicationState> = {}) => read({ role: 'replica', sourceHost: 'node1', sourcePort: 6379, linkUp: true, offset: 100, syncInProgress: false, uptimeSeconds: 3600, loading: false, ...over });
function check(node1: NodeObservation, node2: NodeObservation, roleAges?: Map<string, number>) {
  const v = serviceView(redisService, clone, 'redis', 6379, new Map([['node1', node1], ['node2', node2]]), addresses, roleAges);
  return { view: v, codes: replicationReasons(redisService, v, opts).map((r) => r.code), reasons: replicationReasons(redisService, v, opts) };
}

test('plain INFO: uptime, loading and master_sync_in_progress are read beside the role', () => {
  const r = parseReplicationInfo('# Server\r\nuptime_in_seconds:1\r\n# Persistence\r\nloading:0\r\n# Replication\r\nrole:master\r\nconnected_slaves:0\r\nmaster_repl_offset:0\r\n');
  assert.deepEqual(r, { role: 'primary', offset: 0, replicas: [], uptimeSeconds: 1, loading: false });
  const s = parseReplicationInfo('uptime_in_seconds:3\nloading:1\nrole:slave\nmaster_host:node1\nmaster_port:6379\nmaster_link_status:down\nmaster_sync_in_progress:1\nslave_repl_offset:0\n');
  assert.equal(s?.syncInProgress, true);
  assert.equal(s?.loading, true);
});

test('a master just started on the Unpromoted node (up 1 s, no replicas) is "starting", not a split brain; the same after 30 s is one', () => {
  const starting = check(master({ replicas: [{ address: '10.213.0.12' }] }), master({ uptimeSeconds: 1 }));
  assert.deepEqual(starting.codes, ['workload/redis-settling']);
  assert.match(starting.reasons[0]!.message, /^Redis on node2 is starting · up 1 s \(Pacemaker: Unpromoted\); it is a master until Pacemaker makes it a replica of node1 — not a split brain yet$/);
  assert.equal(instanceLabel(starting.view, starting.view.instances[1]!), 'master · 0 replicas · starting · up 1 s');
  const late = check(master(), master({ uptimeSeconds: SETTLE_SECONDS }));
  assert.deepEqual(late.codes, ['workload/redis-split-brain']);
  // Loading its data: whatever its age.
  assert.deepEqual(check(master(), master({ loading: true })).codes, ['workload/redis-settling']);
  // A master that a replica follows, or that Pacemaker has Promoted, is never "starting".
  assert.deepEqual(check(master({ uptimeSeconds: 1 }), replica()).codes, []);
});

test('a long-running master is a split brain even right after a Pacemaker role change (a demote makes Redis a replica within the action)', () => {
  assert.deepEqual(check(master(), master(), new Map([['node2', 4]])).codes, ['workload/redis-split-brain']);
});

test('the time since the role change, one-shot: from crm_mon\'s operation history against its own last-updated time', () => {
  // healthy fixture (captured right after a switchover): last updated 21:33:07; node1 promoted 21:32:44, node2 demoted 21:32:39.
  assert.deepEqual([...roleAgesFromHistory(healthy, 'redis')].sort(), [['node1', 23], ['node2', 28]]);
  assert.deepEqual([...roleAgesFromHistory(healthy, 'no-such')], []);
});

test('a replica connecting or syncing right after start is "settling", not link down; a long-running one with its link down is', () => {
  const connecting = check(master(), replica({ linkUp: false, uptimeSeconds: 3 }));
  assert.deepEqual(connecting.codes, ['workload/redis-settling']);
  assert.match(connecting.reasons[0]!.message, /^Redis on node2 is a replica of node1, connecting to its master · up 3 s$/);
  assert.deepEqual(check(master(), replica({ linkUp: false, syncInProgress: true })).codes, ['workload/redis-settling']);
  assert.deepEqual(check(master(), replica({ linkUp: false })).codes, ['workload/redis-link-down']);
  assert.deepEqual(check(master(), replica({ linkUp: false }), new Map([['node2', 2]])).codes, ['workload/redis-settling']);
  assert.deepEqual(check(master(), replica({ linkUp: false }), new Map([['node2', SETTLE_SECONDS + 1]])).codes, ['workload/redis-link-down']);
});

test('RoleClock: a role first seen has no age; a change starts the clock', () => {
  let now = 1_000_000;
  const clock = new RoleClock(() => now);
  assert.deepEqual([...clock.observe('redis-clone', new Map([['node1', 'Promoted'], ['node2', 'Unpromoted']]))], []);
  now += 5000;
  assert.deepEqual([...clock.observe('redis-clone', new Map([['node1', 'Stopped'], ['node2', 'Promoted']]))], [['node1', 0], ['node2', 0]]);
  now += 7000;
  assert.deepEqual([...clock.observe('redis-clone', new Map([['node1', 'Stopped'], ['node2', 'Promoted']]))], [['node1', 7], ['node2', 7]]);
});

// node-offline.crm_mon.xml is a clean `pcs cluster stop` of node2 (expected_up="false"); a lost node keeps expected_up="true".
const lost = snapshot('node-offline', (x) => x.replace(/(<node name="node2"[^>]*?)expected_up="false"/, '$1expected_up="true"'));
const stopped = snapshot('node-offline');

test('a lost node (OFFLINE, expected up) with stonith off → node-lost-not-fenced naming what it may still run and hold', () => {
  const r = assessHealth(lost).reasons.filter((x) => x.code === 'node-lost-not-fenced');
  assert.equal(r.length, 1);
  assert.equal(r[0]!.severity, 'error');
  assert.equal(r[0]!.subject, 'node2');
  assert.equal(r[0]!.message, `node2 is lost and was not fenced: it may still run redis as Promoted and hold ${lost.vips[0]!.ip} (split brain possible; fencing (stonith-enabled) is off)`);
  assert.deepEqual(assessHealth(stopped).reasons.filter((x) => x.code === 'node-lost-not-fenced'), [], 'a clean stop is not a lost node');
});

test('fenced: a lost node whose latest fencing succeeded (stonith on) is not raised; failed fencing is', () => {
  const withFencing = (status: string) =>
    snapshot('node-offline', (x) =>
      x
        .replace(/(<node name="node2"[^>]*?)expected_up="false"/, '$1expected_up="true"')
        .replace('stonith-enabled="false"', 'stonith-enabled="true"')
        .replace('</pacemaker-result>', `<fence_history><fence_event action="reboot" target="node2" client="pacemaker-controld.1" origin="node1" status="${status}" delegate="node1" completed="2026-12-07 16:00:00Z"/></fence_history></pacemaker-result>`),
    );
  assert.deepEqual(assessHealth(withFencing('success')).reasons.filter((x) => x.code === 'node-lost-not-fenced'), []);
  const failed = assessHealth(withFencing('failed')).reasons.filter((x) => x.code === 'node-lost-not-fenced');
  assert.equal(failed.length, 1);
  assert.match(failed[0]!.message, /its fencing failed/);
});

test('tree and status bar: the lost node first and in the bar; no ✓ while the workload read of the moment is pending', () => {
  const tree = buildClusterTree({ name: 'c', hosts: ['node1'], snapshot: lost });
  assert.equal(tree.children[0]!.id, 'cluster/c/lost/node2');
  assert.match(tree.children[0]!.label, /^node2 is lost and was not fenced/);
  const bar = statusBarText({ name: 'c', hosts: ['node1'], snapshot: lost });
  assert.equal(bar.level, 'error');
  assert.match(bar.text, /^c ⚠ node2 lost, not fenced: split brain possible · 1\/2 nodes/);

  const pending = buildClusterTree({ name: 'c', hosts: ['node1'], snapshot: healthy, workloadPending: true });
  assert.match(pending.description!, /^… checking the workload · 2\/2 nodes/);
  assert.doesNotMatch(pending.description!, /healthy/);
  assert.equal(pending.icon.id, 'loading~spin');
  const pendingBar = statusBarText({ name: 'c', hosts: ['node1'], snapshot: healthy, workloadPending: true });
  assert.equal(pendingBar.level, 'loading');
  assert.match(pendingBar.text, /^c … 2\/2 nodes/);
  assert.match(statusBarText({ name: 'c', hosts: ['node1'], snapshot: healthy }).text, /^c ✓ 2\/2 nodes/);
});
