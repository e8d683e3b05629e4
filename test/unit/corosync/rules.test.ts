// Every corosync rule fires on a bad snippet and stays silent on good configurations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lintCorosync } from '../../../src/core/corosync/lint';
import { corosyncRules, type CorosyncRuleCode } from '../../../src/core/corosync/rules';

const fixtures = join(__dirname, '..', '..', 'fixtures', 'corosync');
const good = readFileSync(join(fixtures, 'good-2node-knet.corosync.conf'), 'utf8');

/** The good file with `from` replaced by `to` (must occur). */
function mutate(from: string, to: string, base = good): string {
  assert.ok(base.includes(from), `fixture lacks ${JSON.stringify(from)}`);
  return base.replace(from, to);
}
const quorumBody = '    provider: corosync_votequorum\n    two_node: 1\n    wait_for_all: 1\n';
const withQuorum = (body: string): string => mutate(quorumBody, body);
const threeNodes = mutate(
  '    node {\n        ring0_addr: 10.213.0.12\n        name: node2\n        nodeid: 2\n    }\n',
  '    node {\n        ring0_addr: 10.213.0.12\n        name: node2\n        nodeid: 2\n    }\n    node {\n        ring0_addr: 10.213.0.13\n        name: node3\n        nodeid: 3\n    }\n',
);
const threeNodeQuorum = (body: string): string => mutate(quorumBody, body, threeNodes);
const node2 = '        ring0_addr: 10.213.0.12\n        name: node2\n        nodeid: 2\n';
const device = '    device {\n        model: net\n        votes: 1\n        net {\n            host: 10.213.0.30\n        }\n    }\n';

const bad: Record<CorosyncRuleCode, string> = {
  'corosync/syntax-missing-brace': good.replace(/\}\n$/, ''),
  'corosync/syntax-unexpected-brace': good + '}\n',
  'corosync/syntax-invalid-line': mutate('    cluster_name: redis-ha\n', '    cluster_name redis-ha\n'),
  'corosync/syntax-extra-characters': mutate('quorum {\n', 'quorum { provider: corosync_votequorum\n'),
  'corosync/syntax-missing-section-name': mutate('logging {', '{'),
  'corosync/syntax-line-too-long': mutate('    cluster_name: redis-ha\n', `    cluster_name: redis-ha\n    # ${'x'.repeat(600)}\n`),
  'corosync/trailing-comment': mutate('    two_node: 1\n', '    two_node: 1 # two nodes\n'),
  'corosync/integer-value': mutate('    two_node: 1\n', '    two_node: yes\n'),
  'corosync/totem-version': mutate('    version: 2\n', '    version: 3\n'),
  'corosync/transport-invalid': mutate('transport: knet', 'transport: tcp'),
  'corosync/transport-deprecated': mutate('transport: knet\n    crypto_cipher: aes256\n    crypto_hash: sha256\n', 'transport: udpu\n'),
  'corosync/crypto-invalid': mutate('crypto_cipher: aes256', 'crypto_cipher: aes512'),
  'corosync/crypto-cipher-without-hash': mutate('crypto_hash: sha256', 'crypto_hash: none'),
  'corosync/crypto-requires-knet': mutate('transport: knet', 'transport: udpu'),
  'corosync/ip-version-invalid': mutate('    transport: knet\n', '    transport: knet\n    ip_version: ipv5\n'),
  'corosync/link-mode-invalid': mutate('    transport: knet\n', '    transport: knet\n    link_mode: fastest\n'),
  'corosync/too-many-links': mutate('transport: knet\n    crypto_cipher: aes256\n    crypto_hash: sha256\n', 'transport: udpu\n').replace('        ring0_addr: 10.213.0.11\n', '        ring0_addr: 10.213.0.11\n        ring1_addr: 10.213.1.11\n'),
  'corosync/link-number-range': mutate('        ring0_addr: 10.213.0.11\n', '        ring0_addr: 10.213.0.11\n        ring9_addr: 10.213.9.11\n'),
  'corosync/nodelist-required': good.replace(/nodelist \{[\s\S]*?\n\}\n/, ''),
  'corosync/nodeid-missing': mutate('        nodeid: 2\n', ''),
  'corosync/nodeid-range': mutate('        nodeid: 2\n', '        nodeid: 70000\n'),
  'corosync/duplicate-nodeid': mutate('        nodeid: 2\n', '        nodeid: 1\n'),
  'corosync/duplicate-node-address': mutate('ring0_addr: 10.213.0.12', 'ring0_addr: 10.213.0.11'),
  'corosync/duplicate-node-name': mutate('name: node2', 'name: node1'),
  'corosync/node-missing-ring0': mutate('        ring0_addr: 10.213.0.12\n', ''),
  'corosync/multilink-name-missing': mutate(node2, '        ring0_addr: 10.213.0.12\n        ring1_addr: 10.213.1.12\n        nodeid: 2\n').replace('        ring0_addr: 10.213.0.11\n', '        ring0_addr: 10.213.0.11\n        ring1_addr: 10.213.1.11\n'),
  'corosync/link-count-mismatch': mutate('        ring0_addr: 10.213.0.11\n', '        ring0_addr: 10.213.0.11\n        ring1_addr: 10.213.1.11\n'),
  'corosync/link-ip-family': mutate('ring0_addr: 10.213.0.12', 'ring0_addr: fd00::12'),
  'corosync/ttl-non-multicast': mutate('    crypto_hash: sha256\n', '    crypto_hash: sha256\n    interface {\n        linknumber: 0\n        ttl: 4\n    }\n'),
  'corosync/link-priority-non-knet': mutate('transport: knet\n    crypto_cipher: aes256\n    crypto_hash: sha256\n', 'transport: udpu\n    interface {\n        linknumber: 0\n        knet_link_priority: 5\n    }\n'),
  'corosync/legacy-rrp-mode': mutate('    transport: knet\n', '    transport: knet\n    rrp_mode: passive\n'),
  'corosync/legacy-ringnumber': mutate('    crypto_hash: sha256\n', '    crypto_hash: sha256\n    interface {\n        ringnumber: 0\n    }\n'),
  'corosync/legacy-totem-nodeid': mutate('    transport: knet\n', '    transport: knet\n    nodeid: 1\n'),
  'corosync/legacy-member': mutate('    crypto_hash: sha256\n', '    crypto_hash: sha256\n    interface {\n        linknumber: 0\n        member {\n            memberaddr: 10.213.0.11\n        }\n    }\n'),
  'corosync/legacy-bindnetaddr': mutate('    crypto_hash: sha256\n', '    crypto_hash: sha256\n    interface {\n        linknumber: 0\n        bindnetaddr: 10.213.0.0\n    }\n'),
  'corosync/timer-minimum': mutate('    transport: knet\n', '    transport: knet\n    token: 10\n'),
  'corosync/consensus-below-join': mutate('    transport: knet\n', '    transport: knet\n    join: 500\n    consensus: 400\n'),
  'corosync/consensus-below-token': mutate('    transport: knet\n', '    transport: knet\n    token: 5000\n    consensus: 3000\n'),
  'corosync/knet-ping-pair': mutate('    crypto_hash: sha256\n', '    crypto_hash: sha256\n    interface {\n        linknumber: 0\n        knet_ping_interval: 500\n    }\n'),
  'corosync/knet-transport': mutate('    crypto_hash: sha256\n', '    crypto_hash: sha256\n    interface {\n        linknumber: 0\n        knet_transport: sctp\n    }\n'),
  'corosync/quorum-provider': mutate('provider: corosync_votequorum', 'provider: corosync_quorum'),
  'corosync/quorum-no-provider': withQuorum('    two_node: 1\n    wait_for_all: 1\n'),
  'corosync/quorum-no-votes': good.replace(/nodelist \{[\s\S]*?\n\}\n/, '').replace('    two_node: 1\n', ''),
  'corosync/expected-votes-mismatch': withQuorum(quorumBody + '    expected_votes: 1\n'),
  'corosync/two-node-implicit-wait-for-all': withQuorum('    provider: corosync_votequorum\n    two_node: 1\n'),
  'corosync/two-node-wait-for-all': withQuorum('    provider: corosync_votequorum\n    two_node: 1\n    wait_for_all: 0\n'),
  'corosync/two-node-node-count': threeNodeQuorum(quorumBody),
  'corosync/two-node-missing': withQuorum('    provider: corosync_votequorum\n'),
  'corosync/two-node-qdevice': withQuorum(quorumBody + device),
  'corosync/two-node-auto-tie-breaker': withQuorum(quorumBody + '    auto_tie_breaker: 1\n'),
  'corosync/atb-lms-odd': threeNodeQuorum('    provider: corosync_votequorum\n    auto_tie_breaker: 1\n    last_man_standing: 1\n'),
  'corosync/atb-odd-without-wfa': threeNodeQuorum('    provider: corosync_votequorum\n    auto_tie_breaker: 1\n'),
  'corosync/atb-node-without-atb': withQuorum(quorumBody + '    auto_tie_breaker_node: lowest\n'),
  'corosync/lms-without-wfa': threeNodeQuorum('    provider: corosync_votequorum\n    last_man_standing: 1\n'),
  'corosync/qdevice-incompatible': threeNodeQuorum('    provider: corosync_votequorum\n    last_man_standing: 1\n    wait_for_all: 1\n' + device),
  'corosync/qdevice-votes-required': threeNodeQuorum('    provider: corosync_votequorum\n    expected_votes: 3\n' + device.replace('        votes: 1\n', '')),
  'corosync/qdevice-ffsplit-votes': threeNodeQuorum('    provider: corosync_votequorum\n' + device.replace('votes: 1', 'votes: 2')),
  'corosync/logging-value': mutate('timestamp: on', 'timestamp: yes'),
  'corosync/logger-subsys-missing-subsys': mutate('        subsys: QUORUM\n', ''),
  'corosync/invalid-value': withQuorum(quorumBody.replace('    two_node: 1\n    wait_for_all: 1\n', '') + device.replace('model: net', 'model: disk')),
  'corosync/value-special-characters': mutate('logfile: /var/log/cluster/corosync.log', 'logfile: /var/log/cluster/}corosync.log'),
  'corosync/cluster-name': mutate('cluster_name: redis-ha', 'cluster_name: redis ha'),
  'corosync/duplicate-key': mutate('    cluster_name: redis-ha\n', '    cluster_name: redis-ha\n    cluster_name: redis-ha\n'),
  'corosync/unknown-section': mutate('logging {', 'loging {'),
  'corosync/unknown-key': mutate('two_node: 1', 'two_nodes: 1'),
  'corosync/obsolete-section': 'aisexec {\n    user: root\n}\n\n' + good,
  'corosync/obsolete-key': mutate('    transport: knet\n', '    transport: knet\n    threads: 2\n'),
  'corosync/legacy-config': 'totem {\n    version: 2\n    rrp_mode: none\n    interface {\n        ringnumber: 0\n        bindnetaddr: 10.213.0.0\n        mcastaddr: 239.255.1.1\n        mcastport: 5405\n    }\n}\n',
};

const codesOf = (text: string): string[] => lintCorosync(text).diagnostics.map((d) => d.code);

test('the good 2-node file is silent for every rule', () => {
  assert.deepEqual(lintCorosync(good).diagnostics, []);
});

for (const name of ['good-3node-two-links.corosync.conf', 'good-qdevice.corosync.conf']) {
  test(`${name} is silent`, () => {
    assert.deepEqual(codesOf(readFileSync(join(fixtures, name), 'utf8')), []);
  });
}

test('every rule has a bad case here', () => {
  const missing = corosyncRules.map((r) => r.code).filter((c) => !(c in bad));
  assert.deepEqual(missing, []);
  assert.ok(corosyncRules.length >= 20, `only ${corosyncRules.length} rules`);
});

/** An instruction: one of these verbs opening a sentence or clause ("… refuses to start. Add `nodeid: 2`"). */
const ACTION = /(?:[.:;?!]\s+|—\s+)(?:add|remove|use|set|write|put|shorten|move|prefer|switch|renumber|give|raise|rename|keep|enable|make|choose|avoid|check|did you mean|lint|drop|list)\b/i;

for (const [code, text] of Object.entries(bad)) {
  test(`${code} fires on its bad case`, () => {
    const codes = codesOf(text);
    assert.ok(codes.includes(code), `expected ${code}, got ${JSON.stringify(codes)}`);
    const rule = corosyncRules.find((r) => r.code === code);
    const found = lintCorosync(text).diagnostics.find((d) => d.code === code);
    assert.equal(found?.severity, rule?.severity);
    const message = found?.message ?? '';
    // What is wrong first, then an instruction: an imperative after a sentence or clause break.
    const action = ACTION.exec(message);
    assert.ok(action && action.index > 10, `message says what is wrong, then what to do: ${message}`);
  });
}

test('diagnostics point at the offending text (0-based ranges)', () => {
  const text = mutate('    two_node: 1\n', '    two_node: yes\n');
  const d = lintCorosync(text).diagnostics.find((x) => x.code === 'corosync/integer-value');
  const line = text.split('\n')[d!.range.start.line];
  assert.equal(line.slice(d!.range.start.character, d!.range.end.character), 'yes');
  assert.match(d!.message, /quorum\.two_node.*integer in range \(0\.\.255\).*"yes"/);
});

test('a trailing comment on an integer key is reported once, as a trailing comment', () => {
  assert.deepEqual(codesOf(bad['corosync/trailing-comment']), ['corosync/trailing-comment']);
});

test('pcx-disable-next-line silences one code on the next line only', () => {
  const text = mutate('    two_node: 1\n    wait_for_all: 1\n', '    two_node: 1\n    # pcx-disable-next-line corosync/two-node-wait-for-all\n    # (fencing is on; a lone node may start)\n    wait_for_all: 0\n');
  assert.deepEqual(codesOf(text), []);
  const other = mutate('    two_node: 1\n    wait_for_all: 1\n', '    two_node: 1\n    # pcx-disable-next-line corosync/unknown-key\n    wait_for_all: 0\n');
  assert.deepEqual(codesOf(other), ['corosync/two-node-wait-for-all']);
});

test('whole-file # pcx-disable CODE silences that code on every line, anywhere in the file, and nothing else', () => {
  // Two unknown keys far apart and a trailing comment: the directive at the end of the file covers both unknown keys.
  const noisy = mutate('    cluster_name: redis-ha\n', '    cluster_name: redis-ha\n    colour: red\n').replace('    two_node: 1\n', '    two_node: 1 # yes\n    flavour: mint\n');
  assert.deepEqual(codesOf(noisy).sort(), ['corosync/trailing-comment', 'corosync/unknown-key', 'corosync/unknown-key']);
  const disabled = `${noisy}# pcx-disable corosync/unknown-key\n`;
  assert.deepEqual(codesOf(disabled), ['corosync/trailing-comment']);
  // Several codes, comma- or space-separated, in one directive.
  assert.deepEqual(codesOf(`# pcx-disable corosync/unknown-key, corosync/trailing-comment\n${noisy}`), []);
  // Without codes it silences every rule; a directive not at line start is part of a value, not a directive.
  assert.deepEqual(codesOf(`# pcx-disable\n${noisy}`), []);
  assert.deepEqual(codesOf(noisy.replace('    colour: red\n', '    colour: red # pcx-disable corosync/unknown-key\n')).filter((c) => c === 'corosync/unknown-key').length, 2);
});

test('disabledRules (workspace setting) drops a code everywhere', () => {
  const text = bad['corosync/transport-deprecated'];
  assert.ok(codesOf(text).includes('corosync/transport-deprecated'));
  const kept = lintCorosync(text, { disabledRules: ['corosync/transport-deprecated'] }).diagnostics.map((d) => d.code);
  assert.ok(!kept.includes('corosync/transport-deprecated'));
});

test('a Corosync 2 file is linted as one unless version 3 is forced', () => {
  const legacy = bad['corosync/legacy-config'];
  assert.ok(!codesOf(legacy).some((c) => c.startsWith('corosync/legacy-r')));
  const forced = lintCorosync(legacy, { generation: 3 }).diagnostics.map((d) => d.code);
  assert.ok(forced.includes('corosync/legacy-rrp-mode') && forced.includes('corosync/legacy-ringnumber') && forced.includes('corosync/nodelist-required'), forced.join(' '));
});

test('an unknown key suggests the near spelling with a fix', () => {
  const d = lintCorosync(bad['corosync/unknown-key']).diagnostics.find((x) => x.code === 'corosync/unknown-key');
  assert.match(d!.message, /Did you mean 'two_node'/);
  assert.equal(d!.fixes?.[0].edits[0].newText, 'two_node');
});
