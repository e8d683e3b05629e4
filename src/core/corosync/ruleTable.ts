/**
 * The corosync.conf rule table: every rule's stable code, severity, one-line summary and the upstream
 * place that justifies it (see ../shared/notes/lint-rules.md), in the order of lint-rules.md.
 *
 * The codes are keys of a const object, so `CorosyncRuleCode` is the union of them: a check that
 * reports a misspelt code, or a schema entry naming one, fails to compile instead of at run time.
 */
import type { RuleInfo, Severity } from '../lint/types';

const CP = 'corosync exec/coroparse.c';
const TC = 'corosync exec/totemconfig.c';
const VQc = 'corosync exec/votequorum.c';
const M5 = 'corosync.conf(5)';
const VQ5 = 'votequorum(5)';
const PCSV = 'pcs pcs/lib/corosync/config_validators.py';

type RuleRow = readonly [severity: Severity, summary: string, reference: string, versions?: string];

const RULES = {
  'syntax-missing-brace': ['error', 'A section is never closed ("Missing closing brace").', CP],
  'syntax-unexpected-brace': ['error', 'A `}` with no open section ("Unexpected closing brace").', CP],
  'syntax-invalid-line': ['error', 'A line that is neither `key: value`, `name {` nor `}`.', CP],
  'syntax-extra-characters': ['error', 'Text after `{` or around `}` on the same line.', CP],
  'syntax-missing-section-name': ['error', 'A `{` with no section name before it.', CP],
  'syntax-line-too-long': ['error', 'A line longer than Corosync\'s 510-byte line buffer.', CP],
  'trailing-comment': ['error', '`#` after a value is part of the value, not a comment.', CP],
  'integer-value': ['error', 'An integer key with a value that is not an integer in range (e.g. `two_node: yes`).', CP],
  'totem-version': ['error', '`totem.version` missing or not 2.', TC],
  'transport-invalid': ['error', '`transport` is not knet, udpu or udp.', TC],
  'transport-deprecated': ['warning', 'udp/udpu transports are kept for compatibility; knet is the default.', M5, 'Corosync 3'],
  'crypto-invalid': ['error', '`crypto_cipher`/`crypto_hash` value Corosync does not know.', CP],
  'crypto-cipher-without-hash': ['error', 'Encryption without authentication ("crypto_cipher requires crypto_hash").', TC],
  'crypto-requires-knet': ['error', 'Encryption on udp/udpu ("only valid for the Knet transport").', TC, 'Corosync 3'],
  'ip-version-invalid': ['error', '`ip_version` not ipv4, ipv6, ipv4-6 or ipv6-4.', CP],
  'link-mode-invalid': ['error', '`link_mode` not passive, active or rr.', TC],
  'too-many-links': ['error', 'More than one link on a transport that has only one.', TC],
  'link-number-range': ['error', 'Link number above 7 (ring8_addr, linknumber: 8).', TC, 'Corosync 3'],
  'nodelist-required': ['error', 'No nodelist: Corosync 3 cannot find the local node or any link.', TC, 'Corosync 3'],
  'nodeid-missing': ['error', 'A node without `nodeid` on knet (or with IPv6 addresses).', TC],
  'nodeid-range': ['error', 'nodeid 0 (reserved) or ≥ 65536 on knet.', `${TC}, ${M5}`],
  'duplicate-nodeid': ['error', 'Two nodes with the same nodeid ("appears twice").', TC],
  'duplicate-node-address': ['error', 'Two nodes with the same address on one link.', `${TC}, ${PCSV}`],
  'duplicate-node-name': ['error', 'Two nodes with the same name.', PCSV],
  'node-missing-ring0': ['error', 'A node without `ring0_addr`.', M5],
  'multilink-name-missing': ['error', 'Several links but a node without `name`.', TC, 'Corosync 3'],
  'link-count-mismatch': ['error', 'Nodes with different sets of links ("Not all nodes have the same number of links").', TC, 'Corosync 3'],
  'link-ip-family': ['error', 'Addresses of different IP families on one link.', TC, 'Corosync 3'],
  'ttl-non-multicast': ['error', '`ttl` set on a transport other than udp.', TC],
  'link-priority-non-knet': ['error', '`knet_link_priority` on a transport other than knet.', TC, 'Corosync 3'],
  'legacy-rrp-mode': ['warning', '`rrp_mode` is ignored by Corosync 3.', M5, 'Corosync 3'],
  'legacy-ringnumber': ['warning', '`ringnumber` is ignored by Corosync 3 (use `linknumber`).', `${M5}, ${CP}`, 'Corosync 3'],
  'legacy-totem-nodeid': ['warning', '`totem.nodeid` is ignored by Corosync 3 (set nodeid per node).', TC, 'Corosync 3'],
  'legacy-member': ['warning', '`member {}` is ignored by Corosync 3 (use the nodelist).', M5, 'Corosync 3'],
  'legacy-bindnetaddr': ['warning', '`bindnetaddr` is ignored when a nodelist is used with knet/udpu.', M5, 'Corosync 3'],
  'consensus-below-join': ['error', '`consensus` smaller than `join`.', TC],
  'timer-minimum': ['error', 'A totem timer below Corosync\'s minimum (30 ms; hold 21 ms) or token_warning above 100.', TC],
  'consensus-below-token': ['warning', '`consensus` below 1.2 × the effective token timeout.', M5],
  'knet-ping-pair': ['warning', '`knet_ping_interval` and `knet_ping_timeout` set only one of the pair.', M5, 'Corosync 3'],
  'knet-transport': ['warning', '`knet_transport: sctp` is deprecated (or the value is unknown).', `${M5}, ${PCSV}`, 'Corosync 3'],
  'quorum-provider': ['error', '`quorum.provider` other than corosync_votequorum.', M5],
  'quorum-no-provider': ['warning', 'A quorum section without a provider: the cluster has no quorum at all.', M5],
  'quorum-no-votes': ['error', 'Neither a nodelist nor `expected_votes` ("nodelist or quorum.expected_votes must be configured!").', VQc],
  'expected-votes-mismatch': ['warning', '`expected_votes` differs from the votes in the nodelist (it overrides them).', VQ5],
  'two-node-implicit-wait-for-all': ['information', '`two_node: 1` turns on `wait_for_all` unless it is set explicitly.', VQ5],
  'two-node-wait-for-all': ['warning', '`two_node: 1` with `wait_for_all: 0`: after a split both nodes may start alone.', VQ5],
  'two-node-node-count': ['warning', '`two_node: 1` with a node count other than 2 has no effect.', VQc],
  'two-node-missing': ['warning', 'A 2-node cluster without two_node, qdevice or auto_tie_breaker loses quorum when either node fails.', `${VQ5}, pcs config_facade.py`],
  'two-node-qdevice': ['error', '`two_node` together with a quorum device.', VQc],
  'two-node-auto-tie-breaker': ['error', '`two_node` together with `auto_tie_breaker` ("not compatible").', VQc],
  'atb-lms-odd': ['error', 'auto_tie_breaker + last_man_standing in an odd-sized cluster without wait_for_all.', VQc],
  'atb-odd-without-wfa': ['warning', 'auto_tie_breaker in an odd-sized cluster without wait_for_all is disabled at start.', VQc],
  'atb-node-without-atb': ['warning', '`auto_tie_breaker_node` without `auto_tie_breaker: 1`.', VQ5],
  'lms-without-wfa': ['warning', '`last_man_standing` without `wait_for_all`.', VQ5],
  'qdevice-incompatible': ['error', 'Quorum device with last_man_standing, auto_tie_breaker or allow_downscale.', VQc],
  'qdevice-votes-required': ['error', '`quorum.device.votes` required with expected_votes or unequal node votes.', VQc],
  'qdevice-ffsplit-votes': ['error', 'The ffsplit algorithm needs `quorum.device.votes: 1`.', PCSV],
  'logging-value': ['error', 'Invalid logging value (debug, timestamp, to_*, priorities, facility).', 'corosync exec/logconfig.c'],
  'logger-subsys-missing-subsys': ['error', '`logger_subsys {}` without `subsys`.', 'corosync exec/logconfig.c'],
  'invalid-value': ['error', 'A value outside the documented choices for its key.', `${CP}, ${M5}`],
  'value-special-characters': ['warning', 'A value containing `}` that other tools (pcs) cannot write back.', PCSV],
  'cluster-name': ['warning', '`cluster_name` longer than 32 characters or outside [A-Za-z0-9_-] (breaks GFS2/DLM).', PCSV],
  'duplicate-key': ['warning', 'A key given twice in one section: the last one silently wins.', CP],
  'unknown-section': ['warning', 'A section Corosync does not use (stored but ignored).', M5],
  'unknown-key': ['warning', 'A key Corosync does not use in this section (stored but ignored).', M5],
  'obsolete-section': ['warning', 'A Corosync 1.x section that newer versions ignore.', M5],
  'obsolete-key': ['warning', 'A key newer Corosync versions ignore or only keep for compatibility.', M5],
  'legacy-config': ['information', 'The file looks like a Corosync 1.x/2.x configuration and is checked as one.', M5],
} as const satisfies Record<string, RuleRow>;

/** A rule's name without the "corosync/" prefix ("two-node-missing"). */
export type CorosyncRuleName = keyof typeof RULES;
/** A rule's stable code as diagnostics carry it ("corosync/two-node-missing"). */
export type CorosyncRuleCode = `corosync/${CorosyncRuleName}`;

export interface CorosyncRuleInfo extends RuleInfo {
  readonly code: CorosyncRuleCode;
}

/** Every rule, in the order of lint-rules.md. */
export const corosyncRules: readonly CorosyncRuleInfo[] = (Object.entries(RULES) as [CorosyncRuleName, RuleRow][]).map(([name, [severity, summary, reference, versions]]) => ({
  code: `corosync/${name}` as const,
  severity,
  summary,
  reference,
  versions,
}));

const ruleByCode: ReadonlyMap<string, CorosyncRuleInfo> = new Map(corosyncRules.map((r) => [r.code, r]));

/** The rule with this code (any string: codes also come from files, e.g. `# pcx-disable` comments). */
export function corosyncRule(code: string): CorosyncRuleInfo | undefined {
  return ruleByCode.get(code);
}
