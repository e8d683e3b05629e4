// The model on hand-made fixtures (test/fixtures/crm_mon, test/fixtures/cib): the reference Redis
// cluster's states, Pacemaker 1.1 XML, bad input, the snapshot join, the health verdict, and the
// cluster definitions file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseCib } from '../../../src/core/cluster/cib';
import { parseClusterDefinitions, targetFor } from '../../../src/core/cluster/clusterConfig';
import { parseCrmMon } from '../../../src/core/cluster/crmMon';
import { assessHealth } from '../../../src/core/cluster/health';
import { baseResourceId, normalizeRole, parseAgent, parseOpKey } from '../../../src/core/cluster/names';
import { buildSnapshot, placementOf, primitivesOf } from '../../../src/core/cluster/snapshot';
import type { CibConfig, CrmMonStatus } from '../../../src/core/cluster/types';

const fixtures = path.join(__dirname, '..', '..', 'fixtures');
const read = (rel: string): string => readFileSync(path.join(fixtures, rel), 'utf8');

function crmMon(rel: string): CrmMonStatus {
  const r = parseCrmMon(read(rel));
  assert.ok(r.ok, `${rel}: ${!r.ok && r.error.message}`);
  return r.value;
}
function cib(rel: string): CibConfig {
  const r = parseCib(read(rel));
  assert.ok(r.ok, `${rel}: ${!r.ok && r.error.message}`);
  return r.value;
}

/* ---- names ---- */

test('roles are normalised to Pacemaker 2.1 names; unknown spellings kept', () => {
  assert.equal(normalizeRole('Master'), 'Promoted');
  assert.equal(normalizeRole('Slave'), 'Unpromoted');
  assert.equal(normalizeRole('promoted'), 'Promoted');
  assert.equal(normalizeRole('Started'), 'Started');
  assert.equal(normalizeRole('Migrating'), 'Migrating');
  assert.equal(normalizeRole(undefined), undefined);
});

test('agents: 2.x, legacy ocf:: and non-OCF spellings', () => {
  assert.deepEqual(parseAgent('ocf:heartbeat:IPaddr2'), { standard: 'ocf', provider: 'heartbeat', type: 'IPaddr2', name: 'ocf:heartbeat:IPaddr2' });
  assert.deepEqual(parseAgent('ocf::heartbeat:redis'), { standard: 'ocf', provider: 'heartbeat', type: 'redis', name: 'ocf:heartbeat:redis' });
  assert.deepEqual(parseAgent('stonith:fence_xvm'), { standard: 'stonith', type: 'fence_xvm', name: 'stonith:fence_xvm' });
  assert.deepEqual(parseAgent('systemd:redis@main'), { standard: 'systemd', type: 'redis@main', name: 'systemd:redis@main' });
});

test('operation keys split into resource, task and interval, also for migrate_to and ids with underscores', () => {
  assert.deepEqual(parseOpKey('redis_demote_0'), { resource: 'redis', task: 'demote', intervalMs: 0 });
  assert.deepEqual(parseOpKey('rsc_ip_PRD_monitor_10000'), { resource: 'rsc_ip_PRD', task: 'monitor', intervalMs: 10000 });
  assert.deepEqual(parseOpKey('vm_1_migrate_to_0'), { resource: 'vm_1', task: 'migrate_to', intervalMs: 0 });
  assert.equal(parseOpKey('garbage'), undefined);
  assert.equal(baseResourceId('redis:1'), 'redis');
  assert.equal(baseResourceId('httpd-bundle-0'), 'httpd-bundle-0');
});

/* ---- crm_mon fixtures ---- */

test('healthy reference cluster: Promoted on server1, Unpromoted on server2, VIP on server1, verdict healthy', () => {
  const s = buildSnapshot(crmMon('crm_mon/redis-healthy.xml'));
  const clone = s.resources.find((r) => r.id === 'redis-clone');
  assert.ok(clone && clone.kind === 'clone' && clone.promotable);
  assert.deepEqual(placementOf(clone), [{ role: 'Promoted', nodes: ['server1'] }, { role: 'Unpromoted', nodes: ['server2'] }]);
  assert.equal(s.pacemakerVersion, '2.1.5-a3f44794f94');
  assert.deepEqual(s.vips.map((v) => [v.resource, v.nodes]), [['VIP', ['server1']]]);
  assert.equal(s.vips[0]?.ip, undefined, 'no CIB → ip unknown, not invented');
  assert.deepEqual(s.nodes.find((n) => n.name === 'server1')?.attributes, [{ name: 'master-redis', value: '1001', expected: undefined }]);
  const h = assessHealth(s);
  assert.equal(h.verdict, 'healthy', JSON.stringify(h.reasons));
  assert.deepEqual(h.reasons.map((r) => r.code), ['stonith-disabled']);
});

test('failed demote: the failure, its rc text, node and time; verdict degraded with a cleanup fix', () => {
  const s = buildSnapshot(crmMon('crm_mon/redis-failed-demote.xml'));
  assert.equal(s.failures.length, 1);
  const f = s.failures[0]!;
  assert.deepEqual([f.resource, f.task, f.node, f.exitCode, f.exitStatus, f.status, f.lastRcChange], ['redis', 'demote', 'server1', 7, 'not running', 'complete', '2025-11-25 20:19:50 +00:00']);
  assert.deepEqual(s.failCounts, [{ node: 'server1', resource: 'redis', failCount: 1, migrationThreshold: 1, lastFailure: 'Tue Nov 25 20:19:50 2025', thresholdReached: true }]);
  const h = assessHealth(s);
  assert.equal(h.verdict, 'degraded');
  const failed = h.reasons.find((r) => r.code === 'failed-action');
  assert.ok(failed);
  assert.equal(failed.subject, 'redis');
  assert.match(failed.message, /demote on server1: not running \(rc 7\)/);
  assert.match(failed.fix ?? '', /`pcs resource cleanup redis` \(or `crm resource cleanup redis`\)/);
  assert.ok(h.reasons.some((r) => r.code === 'migration-threshold-reached' && /server1/.test(r.message)));
  assert.ok(h.reasons.some((r) => r.code === 'clone-degraded' && r.subject === 'redis-clone'), 'one of two redis instances stopped');
});

test('Pacemaker 1.1 XML: Master/Slave normalised, ocf:: agents, pending, fail-count, fence history state, leftover ban', () => {
  const m = crmMon('crm_mon/legacy-1.1-redis-master-slave.xml');
  assert.equal(m.format, 'legacy-crm_mon');
  assert.equal(m.crmMonVersion, '1.1.23');
  const clone = m.resources[0];
  assert.ok(clone && clone.kind === 'clone' && clone.promotable);
  const inst = primitivesOf([clone]);
  assert.deepEqual(inst.map((p) => p.role), ['Promoted', 'Unpromoted']);
  assert.equal(inst[0]?.agent.name, 'ocf:heartbeat:redis');
  assert.equal(inst[1]?.pending, 'Monitoring');
  assert.equal(m.history[0]?.failCount, 1);
  assert.equal(m.fenceHistory?.[0]?.status, 'success');
  assert.equal(m.summary.expectedVotes, undefined, '"unknown" expected votes is not a number');
  assert.equal(m.failures[0]?.exitReason, 'redis-server is not running');
  assert.equal(m.failures[0]?.intervalMs, 20000);

  const s = buildSnapshot(m);
  assert.deepEqual(s.leftoverConstraints.map((c) => [c.id, c.leftover, c.rsc, c.node]), [['cli-ban-redis-master-on-node2', 'cli-ban', 'redis-master', 'node2']]);
  const h = assessHealth(s);
  assert.equal(h.verdict, 'degraded');
  const leftover = h.reasons.find((r) => r.code === 'leftover-constraint');
  assert.match(leftover?.fix ?? '', /`pcs resource clear redis-master` \(or `crm resource clear redis-master`\)/);
  assert.doesNotMatch(JSON.stringify(s), /"(Master|Slave)"/);
});

test('bad crm_mon input gives a named error, never a throw', () => {
  const truncated = parseCrmMon(read('crm_mon/truncated.xml'));
  assert.ok(!truncated.ok);
  assert.equal(truncated.error.code, 'xml-truncated');
  assert.match(truncated.error.message, /<pacemaker-result>, <nodes> are closed — the output looks cut off/);

  const malformed = parseCrmMon(read('crm_mon/malformed.xml'));
  assert.ok(!malformed.ok);
  assert.equal(malformed.error.code, 'xml-malformed');
  assert.match(malformed.error.message, /line 7/);
  assert.match(malformed.error.message, /closing tag 'node'/);

  const notConnected = parseCrmMon(read('crm_mon/not-connected.xml'));
  assert.ok(!notConnected.ok);
  assert.equal(notConnected.error.code, 'pacemaker-not-running');
  assert.match(notConnected.error.message, /cluster is not available on this node/);
  assert.match(notConnected.error.hint ?? '', /pcs cluster start/);

  for (const [input, code] of [['', 'xml-empty'], ['   \n', 'xml-empty'], ['not xml at all', 'xml-malformed'], ['<a/><b/>', 'xml-malformed'], ['<cib/>', 'crm-mon-unexpected-root']] as const) {
    const r = parseCrmMon(input);
    assert.ok(!r.ok, JSON.stringify(input));
    assert.equal(r.error.code, code, JSON.stringify(input));
    assert.ok(r.error.hint, `hint for ${JSON.stringify(input)}`);
  }
  // Unknown elements and attributes are tolerated and listed.
  const future = parseCrmMon('<pacemaker-result api-version="9.9"><summary><current_dc present="false"/></summary><nodes><node name="n1" online="true" shiny="yes"/></nodes><holograms/></pacemaker-result>');
  assert.ok(future.ok);
  assert.deepEqual(future.value.unknownSections, ['holograms']);
  assert.equal(future.value.nodes[0]?.online, true);
});

/* ---- CIB and the join ---- */

test('CIB of the reference cluster: definitions, ops with roles, defaults, leftover ban, fail counts from status', () => {
  const c = cib('cib/redis-leftover-ban.xml');
  assert.equal(c.properties['cluster-name'], 'redis-ha');
  assert.equal(c.rscDefaults['migration-threshold'], '1');
  const clone = c.resources[0];
  assert.ok(clone && clone.kind === 'clone' && clone.promotable && !clone.legacyMaster);
  assert.ok(clone.child?.kind === 'primitive');
  const mon3 = clone.child.ops.find((o) => o.intervalMs === 3000);
  assert.deepEqual([mon3?.name, mon3?.role], ['monitor', 'Promoted'], 'op role Master → Promoted');
  assert.equal(clone.child.ops.find((o) => o.name === 'start')?.timeout, '300s');
  const ban = c.constraints.find((x) => x.id === 'cli-ban-redis-clone-on-server1');
  assert.ok(ban && ban.type === 'location');
  assert.deepEqual([ban.leftover, ban.role, ban.score, ban.node], ['cli-ban', 'Promoted', -1_000_000, 'server1']);
  assert.deepEqual(c.failCounts, [{ node: 'server1', resource: 'redis', operation: 'demote_0', count: 1, lastFailure: '2025-11-25T20:19:50.000Z' }]);
  assert.equal(c.nodes.find((n) => n.uname === 'server2')?.attributes['site'], 'rack-b');
});

test('snapshot join: cluster name, VIP ip and follows-Promoted, leftover from CIB, fail counts with rsc_defaults threshold', () => {
  const s = buildSnapshot(crmMon('crm_mon/redis-healthy.xml'), cib('cib/redis-leftover-ban.xml'), { source: 'server1' });
  assert.equal(s.clusterName, 'redis-ha');
  assert.deepEqual(s.vips, [{ resource: 'VIP', ip: '10.213.0.100', cidrNetmask: '24', nic: 'eth0', nodes: ['server1'], active: true, followsPromotedOf: 'redis-clone' }]);
  assert.deepEqual(s.leftoverConstraints.map((c) => c.id), ['cli-ban-redis-clone-on-server1']);
  // crm_mon's node_history shows no fail-count here; the CIB status section does, with migration-threshold from rsc_defaults.
  assert.deepEqual(s.failCounts.map((f) => [f.node, f.resource, f.failCount, f.migrationThreshold, f.thresholdReached]), [['server1', 'redis', 1, 1, true]]);
  assert.deepEqual(s.nodes.find((n) => n.name === 'server2')?.cibAttributes, { site: 'rack-b' });
  const h = assessHealth(s);
  assert.equal(h.verdict, 'degraded');
  const leftover = h.reasons.find((r) => r.code === 'leftover-constraint');
  assert.match(leftover?.message ?? '', /bans redis-clone \(Promoted role\) from server1/);
  assert.match(leftover?.fix ?? '', /pcs resource clear redis-clone/);
});

test('disabled comes from the CIB target-role when crm_mon does not print it; disabled is a note, not a problem', () => {
  const m = crmMon('crm_mon/redis-healthy.xml');
  const stoppedVip = { ...m, resources: m.resources.map((r) => (r.kind === 'primitive' ? { ...r, role: 'Stopped', active: false, nodes: [], nodesRunningOn: 0 } : r)) };
  const c = cib('cib/redis-leftover-ban.xml');
  const withTarget: CibConfig = {
    ...c,
    constraints: [],
    failCounts: [],
    resources: c.resources.map((r) => (r.id === 'VIP' && r.kind === 'primitive' ? { ...r, meta: { 'target-role': 'Stopped' } } : r)),
  };
  const notDisabled = assessHealth(buildSnapshot(stoppedVip, { ...c, constraints: [], failCounts: [] }));
  assert.equal(notDisabled.verdict, 'degraded');
  assert.ok(notDisabled.reasons.some((r) => r.code === 'resource-stopped' && r.subject === 'VIP'));
  const s = buildSnapshot(stoppedVip, withTarget);
  const vip = s.resources.find((r) => r.id === 'VIP');
  assert.ok(vip?.kind === 'primitive' && vip.disabled);
  const h = assessHealth(s);
  assert.equal(h.verdict, 'healthy', JSON.stringify(h.reasons));
  assert.ok(h.reasons.some((r) => r.code === 'resource-disabled' && r.severity === 'info'));
});

test('health: standby, maintenance, offline and unclean nodes each degrade with their own fix', () => {
  const m = crmMon('crm_mon/redis-healthy.xml');
  const withNode = (patch: Record<string, unknown>) =>
    assessHealth(buildSnapshot({ ...m, nodes: m.nodes.map((n) => (n.name === 'server2' ? { ...n, ...patch } : n)) }));
  const standby = withNode({ standby: true });
  assert.equal(standby.verdict, 'degraded');
  assert.match(standby.reasons.find((r) => r.code === 'node-standby')?.fix ?? '', /pcs node unstandby server2/);
  assert.match(withNode({ maintenance: true }).reasons.find((r) => r.code === 'node-maintenance')?.fix ?? '', /pcs node unmaintenance server2/);
  const offline = withNode({ online: false });
  assert.equal(offline.reasons.find((r) => r.code === 'node-offline')?.severity, 'error');
  assert.ok(withNode({ unclean: true, online: false }).reasons.some((r) => r.code === 'node-unclean'));
  const noQuorum = assessHealth(buildSnapshot({ ...m, summary: { ...m.summary, withQuorum: false } }));
  assert.ok(noQuorum.reasons.some((r) => r.code === 'no-quorum'));
  const maint = assessHealth(buildSnapshot({ ...m, summary: { ...m.summary, options: { ...m.summary.options, maintenanceMode: true } } }));
  assert.deepEqual(maint.reasons.filter((r) => r.severity !== 'info').map((r) => r.code), ['cluster-maintenance']);
});

test('health: a promotable clone with no Promoted instance is an error', () => {
  const m = crmMon('crm_mon/redis-healthy.xml');
  const demoted = {
    ...m,
    resources: m.resources.map((r) => (r.kind === 'clone' ? { ...r, instances: r.instances.map((i) => (i.kind === 'primitive' ? { ...i, role: 'Unpromoted' } : i)) } : r)),
  };
  const h = assessHealth(buildSnapshot(demoted));
  assert.ok(h.reasons.some((r) => r.code === 'no-promoted' && r.subject === 'redis-clone' && r.severity === 'error'));
});

test('bad CIB input gives a named error', () => {
  const t = parseCib(read('cib/truncated.xml'));
  assert.ok(!t.ok);
  assert.equal(t.error.code, 'xml-truncated');
  const wrong = parseCib(read('crm_mon/redis-healthy.xml'));
  assert.ok(!wrong.ok);
  assert.equal(wrong.error.code, 'cib-unexpected-root');
  assert.match(wrong.error.hint ?? '', /--file/);
});

/* ---- cluster definitions ---- */

test('cluster definitions: valid file, lookup, and each mistake named with where it is', () => {
  const ok = parseClusterDefinitions({ clusters: [{ name: 'redis-ha', hosts: ['server1', 'server2'], user: 'admin', port: 2222, sudo: true }] }, 'c.json');
  assert.ok(ok.ok);
  const t = targetFor(ok.value, 'redis-ha', { knownHostsPath: '/tmp/kh' });
  assert.ok(t.ok);
  assert.deepEqual(t.value.hosts, ['server1', 'server2']);
  assert.equal(t.value.knownHostsPath, '/tmp/kh');
  const missing = targetFor(ok.value, 'nope');
  assert.ok(!missing.ok);
  assert.match(missing.error.hint ?? '', /known clusters: redis-ha/);

  const cases: [unknown, RegExp][] = [
    [[], /top level: not a JSON object/],
    [{}, /"clusters": missing/],
    [{ clusters: [{ hosts: ['a'] }] }, /clusters\[0\]\.name: missing/],
    [{ clusters: [{ name: 'x', hosts: [] }] }, /clusters\[0\]\.hosts: must be a non-empty array/],
    [{ clusters: [{ name: 'x', hosts: ['ok', '-oProxyCommand=x'] }] }, /clusters\[0\]\.hosts\[1\]: not a host name/],
    [{ clusters: [{ name: 'x', hosts: ['a'], port: 70000 }] }, /clusters\[0\]\.port/],
    [{ clusters: [{ name: 'x', hosts: ['a'], password: 'hunter2' }] }, /clusters\[0\]\.password: secrets do not belong/],
    [{ clusters: [{ name: 'x', hosts: ['a'] }, { name: 'x', hosts: ['b'] }] }, /duplicate cluster name "x"/],
    [{ clusters: [{ name: 'x', hosts: ['a'], colour: 'red' }] }, /clusters\[0\]\.colour: unknown setting/],
    [{ clusters: [{ name: 'redis\nha', hosts: ['a'] }] }, /clusters\[0\]\.name: contains a control character/],
    [{ clusters: [{ name: '--help', hosts: ['a'] }] }, /clusters\[0\]\.name: starts with "-"/],
    [{ clusters: [{ name: 'x'.repeat(65), hosts: ['a'] }] }, /clusters\[0\]\.name: longer than 64 characters/],
  ];
  // Odd but harmless names are kept as written (URIs encode them).
  const odd = parseClusterDefinitions({ clusters: [{ name: 'ha 50%/prod #2', hosts: ['a'] }] }, 'c.json');
  assert.ok(odd.ok && odd.value.clusters[0]?.name === 'ha 50%/prod #2');
  for (const [data, re] of cases) {
    const r = parseClusterDefinitions(data, 'c.json');
    assert.ok(!r.ok, JSON.stringify(data));
    assert.match(r.error.message, re);
    assert.match(r.error.message, /^c\.json: /);
  }
});
