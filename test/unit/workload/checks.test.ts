// The workload checks on observations shaped like the test cluster's (live fixtures for Pacemaker's side).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCib } from '../../../src/core/cluster/cib';
import { parseCrmMon } from '../../../src/core/cluster/crmMon';
import { assessHealth } from '../../../src/core/cluster/health';
import { buildSnapshot } from '../../../src/core/cluster/snapshot';
import type { CloneStatus } from '../../../src/core/cluster/types';
import { buildClusterTree, statusBarText, type ExplorerNode } from '../../../src/core/explorer/tree';
import { redisService } from '../../../src/core/workload/redis/service';
import { replicationReasons, serviceView, type NodeObservation } from '../../../src/core/workload/replication';
import { withWorkload } from '../../../src/core/workload/report';
import type { ReplicationState, WorkloadReport } from '../../../src/core/workload/types';
import { vipReasons, vipViews } from '../../../src/core/workload/vip';

const dir = join(__dirname, '..', '..', 'fixtures', 'live');
function snapshot(state: string) {
  const m = parseCrmMon(readFileSync(join(dir, `${state}.crm_mon.xml`), 'utf8'));
  const c = parseCib(readFileSync(join(dir, `${state}.cib.xml`), 'utf8'));
  assert.ok(m.ok && c.ok);
  return buildSnapshot(m.value, c.value);
}
const healthy = snapshot('healthy');
const clone = healthy.resources.find((r) => r.kind === 'clone') as CloneStatus;
const addresses = new Map([['node1', ['10.213.0.11']], ['node2', ['10.213.0.12']]]);

const primary = (offset = 100, replicas = 1): NodeObservation => ({ kind: 'read', replication: { role: 'primary', offset, replicas: Array.from({ length: replicas }, () => ({ address: '10.213.0.12' })) } });
const replica = (over: Partial<ReplicationState> = {}): NodeObservation => ({ kind: 'read', replication: { role: 'replica', sourceHost: 'node1', sourcePort: 6379, linkUp: true, offset: 100, ...over } });
const opts = { lagThresholdBytes: 1000, passwordHint: 'give it' };

function check(node1: NodeObservation, node2: NodeObservation, o: Partial<typeof opts> & { offlineNodes?: Set<string> } = {}) {
  const v = serviceView(redisService, clone, 'redis', 6379, new Map([['node1', node1], ['node2', node2]]), addresses);
  return { view: v, reasons: replicationReasons(redisService, v, { ...opts, ...o }) };
}
const codes = (r: { reasons: { code: string }[] }) => r.reasons.map((x) => x.code);

test('healthy: master on the Promoted node, replica of it with link up next to Unpromoted, lag 0 → no check fires', () => {
  const r = check(primary(), replica());
  assert.deepEqual(codes(r), []);
  assert.deepEqual(r.view.instances.map((i) => [i.node, i.pacemakerRole, i.replication?.role, i.sourceNode, i.lagBytes]), [
    ['node1', 'Promoted', 'primary', undefined, undefined],
    ['node2', 'Unpromoted', 'replica', 'node1', 0],
  ]);
});

test('two masters → workload/redis-split-brain (error), with the REPLICAOF that rejoins the non-Promoted one', () => {
  const r = check(primary(100, 0), primary(90, 0));
  assert.deepEqual(codes(r), ['workload/redis-split-brain']);
  assert.equal(r.reasons[0]!.severity, 'error');
  assert.match(r.reasons[0]!.fix!, /`redis-cli -p 6379 REPLICAOF node1 6379` on node2/);
});

test('the Promoted node a replica → workload/redis-role-mismatch; the Unpromoted a lone master → role-mismatch too', () => {
  assert.deepEqual(codes(check(replica({ sourceHost: 'node2' }), primary())).sort(), ['workload/redis-link-down', 'workload/redis-role-mismatch', 'workload/redis-role-mismatch']);
});

test('link down, or replicating from a node other than the Promoted one (by address too) → workload/redis-link-down', () => {
  const down = check(primary(), replica({ linkUp: false }));
  assert.deepEqual(codes(down), ['workload/redis-link-down']);
  assert.equal(down.reasons[0]!.subject, 'node2');
  assert.match(down.reasons[0]!.message, /link is down/);
  const elsewhere = check(primary(), replica({ sourceHost: '10.213.0.12' }));
  assert.match(elsewhere.reasons[0]!.message, /replicates from node2, not from the Promoted node node1/);
});

test('a replica further behind than the threshold → workload/redis-lag; at the threshold → nothing', () => {
  assert.deepEqual(codes(check(primary(5000), replica({ offset: 3999 }))), ['workload/redis-lag']);
  assert.deepEqual(codes(check(primary(5000), replica({ offset: 4000 }))), []);
});

test('unreadable where Pacemaker runs it, or a password wanted → workload/redis-unreachable with how to give it; down where Pacemaker stopped it → nothing', () => {
  const auth = check(primary(), { kind: 'auth-needed', problem: { code: 'auth-needed', message: 'Redis asks for a password (requirepass) and none was given' } });
  assert.deepEqual(codes(auth), ['workload/redis-unreachable']);
  assert.equal(auth.reasons[0]!.fix, 'give it');
  const refused = check(primary(), { kind: 'not-listening', problem: { code: 'tunnel-refused', message: 'nothing listens on port 6379' } });
  assert.deepEqual(codes(refused), ['workload/redis-unreachable'], 'Pacemaker says Unpromoted on node2: it should answer');
  const offline = check(primary(), { kind: 'failed', problem: { code: 'unreachable', message: 'no route' } }, { offlineNodes: new Set(['node2']) });
  assert.deepEqual(codes(offline), [], 'a node Pacemaker sees offline is reported by Pacemaker already');
  const failed = snapshot('failed-action');
  const stoppedClone = failed.resources.find((r) => r.kind === 'clone') as CloneStatus;
  const stopped = [...stoppedClone.instances].flatMap((i) => (i.kind === 'primitive' && i.nodes.length === 0 ? ['x'] : []));
  assert.ok(stopped.length > 0, 'the failed-action fixture has a stopped instance');
  const v = serviceView(redisService, stoppedClone, 'redis', 6379, new Map<string, NodeObservation>([['node1', { kind: 'not-listening', problem: { code: 'tunnel-refused', message: 'x' } }], ['node2', primary(10, 0)]]), addresses);
  assert.equal(v.instances[0]!.state, 'down');
  assert.deepEqual(replicationReasons(redisService, v, opts), []);
});

test('VIP: on two nodes → vip-duplicate naming the stray; elsewhere → vip-misplaced; on no node while Pacemaker runs it → misplaced; an unread node → no verdict of absence', () => {
  const vip = healthy.vips[0]!;
  const addr = (list: [string, string][]) => list.map(([address, nic]) => ({ address, nic, prefix: 24 }));
  const dup = vipReasons(vipViews([vip], new Map([['node1', addr([[vip.ip!, 'eth0']])], ['node2', addr([[vip.ip!, 'eth0']])]])));
  assert.deepEqual(dup.map((r) => [r.code, r.severity]), [['workload/vip-duplicate', 'error']]);
  assert.equal(dup[0]!.fix, `remove the stray address: \`ip addr del ${vip.ip}/24 dev eth0\` on node2`);
  const mis = vipReasons(vipViews([vip], new Map([['node1', []], ['node2', addr([[vip.ip!, 'eth0']])]])));
  assert.deepEqual(mis.map((r) => r.code), ['workload/vip-misplaced']);
  assert.deepEqual(vipReasons(vipViews([vip], new Map([['node1', []], ['node2', []]]))).map((r) => r.code), ['workload/vip-misplaced']);
  assert.deepEqual(vipReasons(vipViews([vip], new Map([['node1', undefined], ['node2', []]]))), []);
  assert.deepEqual(vipReasons(vipViews([vip], new Map([['node1', addr([[vip.ip!, 'eth0']])], ['node2', []]]))), []);
});

test('workload reasons make the health degraded, and show on the clone, its instances, the status bar', () => {
  const { view, reasons } = check(primary(100, 0), primary(90, 0));
  const report: WorkloadReport = { services: [view], vips: [], reasons, nodes: [], ms: 12 };
  const health = withWorkload(assessHealth(healthy), report);
  assert.equal(assessHealth(healthy).verdict, 'healthy');
  assert.equal(health.verdict, 'degraded');
  const tree = buildClusterTree({ name: 'c', hosts: ['node1'], snapshot: healthy, workload: report, health });
  const find = (n: ExplorerNode, id: string): ExplorerNode | undefined => (n.id === id ? n : n.children.map((c) => find(c, id)).find(Boolean));
  const cloneRow = find(tree, 'cluster/c/resource/redis-clone')!;
  assert.match(cloneRow.description!, /Redis ⚠ split brain/);
  assert.equal(cloneRow.icon.id, 'error');
  assert.match(cloneRow.tooltip!, /workload\/redis-split-brain/);
  const instances = cloneRow.children.map((c) => c.description);
  assert.deepEqual(instances, ['Promoted on node1 · master · 0 replicas', 'Unpromoted on node2 · master · 0 replicas']);
  const bar = statusBarText({ name: 'c', hosts: ['node1'], snapshot: healthy, workload: report, health });
  assert.equal(bar.level, 'warning');
  assert.match(bar.tooltip, /2 Redis masters at once/);
  const ok = check(primary(), replica());
  const okTree = buildClusterTree({ name: 'c', hosts: ['node1'], snapshot: healthy, workload: { services: [ok.view], vips: [], reasons: [], nodes: [], ms: 1 } });
  assert.deepEqual(find(okTree, 'cluster/c/resource/redis-clone')!.children.map((c) => c.description), ['Promoted on node1 · master · 1 replica', 'Unpromoted on node2 · replica of node1 · link up · lag 0 B']);
});
