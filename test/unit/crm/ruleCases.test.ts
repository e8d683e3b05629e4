// Every crm rule code in the registry has a case that makes it fire and a near miss that does not (issue 27).
// The table is keyed by the registry: a new rule without both cases fails the first test. Each case is the
// reference setup (clean) with one change; `fires` must report the code with the rule's severity, `quiet`
// must not report it at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { clusterCatalog } from '../../../src/core/crm/clusterAgents';
import type { CrmLintOptions } from '../../../src/core/crm/lint';
import { lintCrm } from '../../../src/core/crm/lint';
import { crmRules } from '../../../src/core/crm/rules/index';

const reference = readFileSync(join(resolve(__dirname, '..', '..', '..'), 'test', 'fixtures', 'crm', 'reference.crm'), 'utf8');

/** The reference setup with `from` replaced by `to` (`from` must occur). */
function ref(from: string, to: string, base = reference): string {
  assert.ok(base.includes(from), `reference.crm lacks ${JSON.stringify(from)}`);
  return base.replace(from, to);
}
const add = (text: string, base = reference): string => `${base}${text}\n`;
const VIP = 'primitive vip ocf:heartbeat:IPaddr2 \\\n\tparams ip=10.0.0.100 cidr_netmask=24 \\\n\top monitor interval=10s\n';
const REDIS = 'primitive redis ocf:heartbeat:redis \\\n\top start timeout=120s interval=0s \\\n\top monitor interval=20s timeout=60s role=Promoted \\\n\top monitor interval=60s timeout=60s role=Unpromoted\n';
const notInstalled = { cluster: clusterCatalog('node1', { found: {}, absent: { 'ocf:heartbeat:nosuch': 'crm_resource: Metadata query for ocf:heartbeat:nosuch failed: No such device or address' }, failed: {} }) };

interface Case {
  readonly fires: string;
  readonly quiet: string;
  readonly options?: CrmLintOptions;
}

const CASES: Record<string, Case> = {
  'crm/syntax': { fires: add('colocation broken inf:'), quiet: add('colocation fine inf: vip redis-clone:Promoted') },
  'crm/trailing-continuation': { fires: ref('op monitor interval=10s\n', 'op monitor interval=10s \\\n\n'), quiet: ref('op monitor interval=10s\n', 'op monitor interval=10s \\\n\top start timeout=20s interval=0s\n') },
  'crm/property-unknown': { fires: ref('stonith-enabled=true', 'stonith-enabled=true stonith-enabeld=true'), quiet: ref('stonith-enabled=true', 'stonith-enabled=true stonith-timeout=60s') },
  'crm/stonith-disabled': { fires: ref('stonith-enabled=true', 'stonith-enabled=false'), quiet: reference },
  'crm/stonith-missing': {
    fires: 'node node1\nprimitive d ocf:pacemaker:Dummy op monitor interval=10s\nproperty fencing-enabled=false\n',
    quiet: 'node node1\nprimitive d ocf:pacemaker:Dummy op monitor interval=10s\nproperty stonith-enabled=false\n',
  },
  'crm/fence-race': { fires: ref(' pcmk_delay_max=15s', ''), quiet: ref('stonith-enabled=true', 'stonith-enabled=true priority-fencing-delay=15s', ref(' pcmk_delay_max=15s', '')) },
  'crm/no-quorum-ignore': { fires: ref('stonith-enabled=true', 'stonith-enabled=true no-quorum-policy=ignore'), quiet: ref('stonith-enabled=true', 'stonith-enabled=true no-quorum-policy=stop') },
  'crm/migration-threshold': { fires: ref(' failure-timeout=10min', ''), quiet: reference },
  'crm/fencing-topology': { fires: add('fencing_topology node1: vip'), quiet: add('fencing_topology node1: fence-node2') },
  'crm/ref-missing': { fires: ref('inf: vip redis-clone:Promoted', 'inf: vipp redis-clone:Promoted'), quiet: reference },
  'crm/ref-child': { fires: ref('inf: vip redis-clone:Promoted', 'inf: vip redis:Promoted'), quiet: add('primitive app ocf:pacemaker:Dummy op monitor interval=10s\ngroup g app\nlocation app-on-node1 app 50: node1') },
  'crm/role-invalid': { fires: ref('redis-clone:Promoted', 'redis-clone:Promotd'), quiet: ref('redis-clone:Promoted', 'redis-clone:promoted') },
  'crm/role-deprecated': { fires: ref('redis-clone:Promoted', 'redis-clone:Master'), quiet: reference },
  'crm/ms-deprecated': { fires: ref('clone redis-clone redis \\\n\tmeta promotable=true', 'ms redis-clone redis \\\n\tmeta'), quiet: reference },
  'crm/score-invalid': { fires: ref('inf: vip redis-clone:Promoted', 'infinty: vip redis-clone:Promoted'), quiet: ref('inf: vip redis-clone:Promoted', 'INFINITY: vip redis-clone:Promoted') },
  'crm/score-clamped': { fires: ref('-inf: node1', '-2000000: node1'), quiet: ref('-inf: node1', '-1000000: node1') },
  'crm/location-node-unknown': { fires: ref('-inf: node1', '-inf: node3'), quiet: reference },
  'crm/promotable-non-ocf': {
    fires: add('primitive web systemd:nginx op monitor interval=10s\nclone web-clone web meta promotable=true'),
    quiet: add('primitive web systemd:nginx op monitor interval=10s\nclone web-clone web'),
  },
  'crm/vip-colocation': { fires: ref('inf: vip redis-clone:Promoted', 'inf: vip redis-clone'), quiet: reference },
  'crm/redis-clone': { fires: ref('promotable=true notify=true', 'promotable=true'), quiet: reference },
  'crm/vip-order': { fires: ref('order vip-after-redis Mandatory: redis-clone:promote vip:start\n', ''), quiet: reference },
  'crm/duplicate-id': { fires: add('location vip-with-redis vip 50: node1'), quiet: add('location vip-prefers-node1 vip 50: node1') },
  'crm/invalid-id': { fires: ref('colocation vip-with-redis', 'colocation 1vip-with-redis'), quiet: ref('colocation vip-with-redis', 'colocation _vip-with-redis') },
  'crm/agent-case': { fires: ref('ocf:heartbeat:IPaddr2', 'ocf:heartbeat:IPAddr2'), quiet: reference },
  'crm/agent-not-installed': { fires: add('primitive web ocf:heartbeat:nosuch'), quiet: add('primitive web ocf:heartbeat:IPaddr2 params ip=10.0.0.101 op monitor interval=10s'), options: notInstalled },
  'crm/agent-spec': { fires: ref('ocf:heartbeat:IPaddr2', 'ocf::IPaddr2'), quiet: reference },
  'crm/param-required': { fires: ref('params ip=10.0.0.100 cidr_netmask=24', 'params cidr_netmask=24'), quiet: reference },
  'crm/param-unknown': { fires: ref('cidr_netmask=24', 'cidr_netmaks=24'), quiet: reference },
  'crm/param-unique-shared': { fires: add(VIP.replace('primitive vip', 'primitive vip2')), quiet: add(VIP.replace('primitive vip', 'primitive vip2').replace('10.0.0.100', '10.0.0.101')) },
  'crm/meta-unknown': { fires: ref('notify=true', 'notify=true notfy=true'), quiet: reference },
  'crm/meta-deprecated': { fires: ref('promoted-max=1', 'master-max=1'), quiet: reference },
  'crm/monitor-missing': { fires: ref(VIP, VIP.replace(' \\\n\top monitor interval=10s', '')), quiet: reference },
  'crm/op-interval': { fires: ref('interval=60s timeout=60s role=Unpromoted', 'interval=20s timeout=60s role=Unpromoted'), quiet: reference },
  'crm/op-interval-nonzero': { fires: ref('op start timeout=120s interval=0s', 'op start timeout=120s interval=10s'), quiet: reference },
  'crm/op-time-format': { fires: ref('op start timeout=120s', 'op start timeout=120x'), quiet: ref('op start timeout=120s', 'op start timeout=PT2M') },
  'crm/op-timeout-low': { fires: ref('op start timeout=120s', 'op start timeout=5s'), quiet: reference },
  'crm/op-unknown-action': { fires: ref(REDIS, REDIS.replace('op start', 'op strat')), quiet: reference },
  'crm/container-child': { fires: ref('clone redis-clone redis', 'clone redis-clone rediss'), quiet: reference },
};

test('every crm rule in the registry has a case that fires and one that does not', () => {
  const codes = crmRules.map((r) => r.code);
  assert.deepEqual(codes.filter((c) => !CASES[c]), [], 'rules without cases: add them to CASES');
  assert.deepEqual(Object.keys(CASES).filter((c) => !codes.includes(c)), [], 'cases for codes that are not rules');
  assert.deepEqual(lintCrm(reference).diagnostics, [], 'the reference setup is clean');
  process.stdout.write(`# crm rule cases: ${codes.length} rules, each fires on its case and is silent on its near miss\n`);
});

for (const rule of crmRules) {
  const c = CASES[rule.code];
  if (!c) continue;
  test(`${rule.code} fires on its case and not on its near miss`, () => {
    const fired = lintCrm(c.fires, c.options).diagnostics.filter((d) => d.code === rule.code);
    assert.ok(fired.length > 0, `${rule.code} does not fire on its case; got ${JSON.stringify(lintCrm(c.fires, c.options).diagnostics.map((d) => d.code))}`);
    for (const d of fired) assert.equal(d.severity, rule.severity, `${rule.code}: severity`);
    const quiet = lintCrm(c.quiet, c.options).diagnostics.filter((d) => d.code === rule.code);
    assert.deepEqual(quiet.map((d) => d.message), [], `${rule.code} fires on its near miss`);
  });
}
