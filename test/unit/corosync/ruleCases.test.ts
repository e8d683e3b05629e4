// Every corosync rule has a near miss that does NOT fire it (rules.test.ts has the case that does). The table is
// typed by the rule registry (Record<CorosyncRuleCode, …>), so a new rule without a near miss fails to compile, and
// the test enumerates the registry as well.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lintCorosync } from '../../../src/core/corosync/lint';
import type { CorosyncGeneration } from '../../../src/core/corosync/model';
import { corosyncRules, type CorosyncRuleCode } from '../../../src/core/corosync/rules';

const fixtures = join(__dirname, '..', '..', 'fixtures', 'corosync');
const good = readFileSync(join(fixtures, 'good-2node-knet.corosync.conf'), 'utf8');

function edit(from: string, to: string, base = good): string {
  assert.ok(base.includes(from), `fixture lacks ${JSON.stringify(from)}`);
  return base.replace(from, to);
}
const totem = (extra: string): string => edit('    transport: knet\n', `    transport: knet\n${extra}`);
const iface = (body: string): string => edit('    crypto_hash: sha256\n', `    crypto_hash: sha256\n    interface {\n        linknumber: 0\n${body}    }\n`);
const quorum = (body: string): string => edit('    provider: corosync_votequorum\n    two_node: 1\n    wait_for_all: 1\n', body);
const third = '    node {\n        ring0_addr: 10.213.0.13\n        name: node3\n        nodeid: 3\n    }\n';
const threeNodes = edit('        nodeid: 2\n    }\n', `        nodeid: 2\n    }\n${third}`);
const threeQuorum = (body: string): string => edit('    provider: corosync_votequorum\n    two_node: 1\n    wait_for_all: 1\n', body, threeNodes);
const device = '    device {\n        model: net\n        votes: 1\n        net {\n            host: 10.213.0.30\n            algorithm: ffsplit\n        }\n    }\n';
const udpu = edit('transport: knet\n    crypto_cipher: aes256\n    crypto_hash: sha256\n', 'transport: udpu\n');
const twoRings = edit('        ring0_addr: 10.213.0.12\n', '        ring0_addr: 10.213.0.12\n        ring1_addr: 10.213.1.12\n', edit('        ring0_addr: 10.213.0.11\n', '        ring0_addr: 10.213.0.11\n        ring1_addr: 10.213.1.11\n'));

/** A near miss per rule: the nearest correct text, with the generation it is linted for when not guessed. */
const quiet: Record<CorosyncRuleCode, string | [string, CorosyncGeneration]> = {
  'corosync/syntax-missing-brace': good,
  'corosync/syntax-unexpected-brace': `${good}\n`,
  'corosync/syntax-invalid-line': edit('    cluster_name: redis-ha\n', '    cluster_name:redis-ha\n'),
  'corosync/syntax-extra-characters': edit('quorum {\n', 'quorum{\n'),
  'corosync/syntax-missing-section-name': edit('logging {', 'logging{'),
  'corosync/syntax-line-too-long': edit('    cluster_name: redis-ha\n', `    cluster_name: redis-ha\n    # ${'x'.repeat(500)}\n`),
  'corosync/trailing-comment': edit('    two_node: 1\n', '    # two nodes\n    two_node: 1\n'),
  'corosync/integer-value': edit('    two_node: 1\n', '    two_node: 01\n'),
  'corosync/totem-version': good,
  'corosync/transport-invalid': udpu,
  'corosync/transport-deprecated': [udpu, 2],
  'corosync/crypto-invalid': edit('crypto_cipher: aes256', 'crypto_cipher: aes128'),
  'corosync/crypto-cipher-without-hash': edit('crypto_cipher: aes256', 'crypto_cipher: none', edit('crypto_hash: sha256', 'crypto_hash: none')),
  'corosync/crypto-requires-knet': udpu,
  'corosync/ip-version-invalid': totem('    ip_version: ipv6-4\n'),
  'corosync/link-mode-invalid': totem('    link_mode: active\n'),
  'corosync/too-many-links': twoRings,
  'corosync/link-number-range': edit('        ring0_addr: 10.213.0.12\n', '        ring0_addr: 10.213.0.12\n        ring7_addr: 10.213.7.12\n', edit('        ring0_addr: 10.213.0.11\n', '        ring0_addr: 10.213.0.11\n        ring7_addr: 10.213.7.11\n')),
  'corosync/nodelist-required': good,
  'corosync/nodeid-missing': edit('        nodeid: 2\n', '', udpu),
  'corosync/nodeid-range': edit('        nodeid: 2\n', '        nodeid: 65535\n'),
  'corosync/duplicate-nodeid': edit('        nodeid: 2\n', '        nodeid: 3\n'),
  'corosync/duplicate-node-address': edit('ring0_addr: 10.213.0.12', 'ring0_addr: 10.213.0.13'),
  'corosync/duplicate-node-name': edit('name: node2', 'name: node3'),
  'corosync/node-missing-ring0': edit('        ring0_addr: 10.213.0.12\n', '        ring0_addr: node2\n'),
  'corosync/multilink-name-missing': twoRings,
  'corosync/link-count-mismatch': twoRings,
  'corosync/link-ip-family': edit('ring0_addr: 10.213.0.12', 'ring0_addr: fd00::12', edit('ring0_addr: 10.213.0.11', 'ring0_addr: fd00::11')),
  'corosync/ttl-non-multicast': edit('    transport: udpu\n', '    transport: udp\n    interface {\n        linknumber: 0\n        ttl: 4\n    }\n', udpu),
  'corosync/link-priority-non-knet': iface('        knet_link_priority: 5\n'),
  'corosync/legacy-rrp-mode': [totem('    rrp_mode: passive\n'), 2],
  'corosync/legacy-ringnumber': iface(''),
  'corosync/legacy-totem-nodeid': [totem('    nodeid: 1\n'), 2],
  'corosync/legacy-member': [iface('        member {\n            memberaddr: 10.213.0.11\n        }\n'), 2],
  'corosync/legacy-bindnetaddr': [iface('        bindnetaddr: 10.213.0.0\n'), 2],
  'corosync/consensus-below-join': totem('    join: 400\n    consensus: 500\n'),
  'corosync/timer-minimum': totem('    token: 30\n'),
  'corosync/consensus-below-token': totem('    token: 5000\n    consensus: 6000\n'),
  'corosync/knet-ping-pair': iface('        knet_ping_interval: 500\n        knet_ping_timeout: 1000\n'),
  'corosync/knet-transport': iface('        knet_transport: udp\n'),
  'corosync/quorum-provider': good,
  'corosync/quorum-no-provider': good,
  'corosync/quorum-no-votes': good.replace(/nodelist \{[\s\S]*?\n\}\n/, '').replace('    two_node: 1\n', '    expected_votes: 2\n'),
  'corosync/expected-votes-mismatch': quorum('    provider: corosync_votequorum\n    two_node: 1\n    wait_for_all: 1\n    expected_votes: 2\n'),
  'corosync/two-node-implicit-wait-for-all': good,
  'corosync/two-node-wait-for-all': good,
  'corosync/two-node-node-count': threeQuorum('    provider: corosync_votequorum\n'),
  'corosync/two-node-missing': quorum('    provider: corosync_votequorum\n    auto_tie_breaker: 1\n'),
  'corosync/two-node-qdevice': quorum(`    provider: corosync_votequorum\n${device}`),
  'corosync/two-node-auto-tie-breaker': quorum('    provider: corosync_votequorum\n    auto_tie_breaker: 1\n'),
  'corosync/atb-lms-odd': threeQuorum('    provider: corosync_votequorum\n    auto_tie_breaker: 1\n    last_man_standing: 1\n    wait_for_all: 1\n'),
  'corosync/atb-odd-without-wfa': threeQuorum('    provider: corosync_votequorum\n    auto_tie_breaker: 1\n    wait_for_all: 1\n'),
  'corosync/atb-node-without-atb': quorum('    provider: corosync_votequorum\n    auto_tie_breaker: 1\n    auto_tie_breaker_node: lowest\n'),
  'corosync/lms-without-wfa': threeQuorum('    provider: corosync_votequorum\n    last_man_standing: 1\n    wait_for_all: 1\n'),
  'corosync/qdevice-incompatible': threeQuorum(`    provider: corosync_votequorum\n    wait_for_all: 1\n${device}`),
  'corosync/qdevice-votes-required': threeQuorum(`    provider: corosync_votequorum\n    expected_votes: 4\n${device}`),
  'corosync/qdevice-ffsplit-votes': threeQuorum(`    provider: corosync_votequorum\n${device}`),
  'corosync/logging-value': edit('timestamp: on', 'timestamp: hires'),
  'corosync/logger-subsys-missing-subsys': good,
  'corosync/invalid-value': quorum(`    provider: corosync_votequorum\n${device}`),
  'corosync/value-special-characters': edit('logfile: /var/log/cluster/corosync.log', 'logfile: /var/log/cluster/{corosync}.log'.replace('{corosync}', 'corosync-1')),
  'corosync/cluster-name': edit('cluster_name: redis-ha', 'cluster_name: redis_ha-01'),
  'corosync/duplicate-key': edit('    cluster_name: redis-ha\n', '    cluster_name: redis-ha\n    # cluster_name: redis-ha\n'),
  'corosync/unknown-section': edit('logging {', 'resources {\n}\nlogging {'),
  'corosync/unknown-key': edit('two_node: 1', 'two_node: 1\n    last_man_standing_window: 10000'),
  'corosync/obsolete-section': good,
  'corosync/obsolete-key': totem('    token_retransmits_before_loss_const: 4\n'),
  'corosync/legacy-config': 'totem {\n    version: 2\n    transport: knet\n    interface {\n        linknumber: 0\n        knet_transport: udp\n    }\n}\n',
};

test('every corosync rule in the registry has a near miss here', () => {
  const codes = corosyncRules.map((r) => r.code);
  assert.deepEqual(codes.filter((c) => !(c in quiet)), []);
  process.stdout.write(`# corosync rule cases: ${codes.length} rules, each silent on its near miss (rules.test.ts: each fires on its case)\n`);
});

for (const [code, entry] of Object.entries(quiet)) {
  test(`${code} stays silent on its near miss`, () => {
    const [text, generation] = typeof entry === 'string' ? [entry, undefined] : entry;
    const hits = lintCorosync(text, generation ? { generation } : {}).diagnostics.filter((d) => d.code === code);
    assert.deepEqual(hits.map((d) => `${d.range.start.line + 1}: ${d.message}`), []);
  });
}
