/**
 * corosync.conf lint rules. Each rule has a stable code, one severity, and the upstream place that
 * justifies it (see ../shared/notes/lint-rules.md). Checks read the semantic model; each finding
 * carries a message saying what is wrong and what to do, and quick fixes where the fix is obvious.
 *
 * Version dependence: the model knows whether a file targets Corosync 3 (knet era, the default) or
 * 1.x/2.x (guessed from `ringnumber`, `rrp_mode`, `member {}` … or forced by the caller). Rules marked
 * "Corosync 3" only run for generation 3, so a 2.x file is told it is old, not flooded with errors.
 */
import type { Diagnostic, Fix, Range, RuleInfo, Severity, TextEdit } from '../lint/types';
import { lineRange } from '../lint/types';
import type { CorosyncModel, NodeEntry } from './model';
import { addressFamily } from './model';
import type { CsDocument, CsPair, CsSection } from './parser';
import { allSections, pairsOf } from './parser';
import { integerRanges, keySpec, obsoleteSections, parseCorosyncInteger, schema, sectionSpec } from './schema';

const CP = 'corosync exec/coroparse.c';
const TC = 'corosync exec/totemconfig.c';
const VQc = 'corosync exec/votequorum.c';
const M5 = 'corosync.conf(5)';
const VQ5 = 'votequorum(5)';
const PCSV = 'pcs pcs/lib/corosync/config_validators.py';

const info = (code: string, severity: Severity, summary: string, reference: string, versions?: string): RuleInfo => ({
  code: `corosync/${code}`, severity, summary, reference, versions,
});

/** Every rule, in the order of lint-rules.md. */
export const corosyncRules: readonly RuleInfo[] = [
  info('syntax-missing-brace', 'error', 'A section is never closed ("Missing closing brace").', CP),
  info('syntax-unexpected-brace', 'error', 'A `}` with no open section ("Unexpected closing brace").', CP),
  info('syntax-invalid-line', 'error', 'A line that is neither `key: value`, `name {` nor `}`.', CP),
  info('syntax-extra-characters', 'error', 'Text after `{` or around `}` on the same line.', CP),
  info('syntax-missing-section-name', 'error', 'A `{` with no section name before it.', CP),
  info('syntax-line-too-long', 'error', 'A line longer than Corosync\'s 510-byte line buffer.', CP),
  info('trailing-comment', 'error', '`#` after a value is part of the value, not a comment.', CP),
  info('integer-value', 'error', 'An integer key with a value that is not an integer in range (e.g. `two_node: yes`).', CP),
  info('totem-version', 'error', '`totem.version` missing or not 2.', TC),
  info('transport-invalid', 'error', '`transport` is not knet, udpu or udp.', TC),
  info('transport-deprecated', 'warning', 'udp/udpu transports are kept for compatibility; knet is the default.', M5, 'Corosync 3'),
  info('crypto-invalid', 'error', '`crypto_cipher`/`crypto_hash` value Corosync does not know.', CP),
  info('crypto-cipher-without-hash', 'error', 'Encryption without authentication ("crypto_cipher requires crypto_hash").', TC),
  info('crypto-requires-knet', 'error', 'Encryption on udp/udpu ("only valid for the Knet transport").', TC, 'Corosync 3'),
  info('ip-version-invalid', 'error', '`ip_version` not ipv4, ipv6, ipv4-6 or ipv6-4.', CP),
  info('link-mode-invalid', 'error', '`link_mode` not passive, active or rr.', TC),
  info('too-many-links', 'error', 'More than one link on a transport that has only one.', TC),
  info('link-number-range', 'error', 'Link number above 7 (ring8_addr, linknumber: 8).', TC, 'Corosync 3'),
  info('nodelist-required', 'error', 'No nodelist: Corosync 3 cannot find the local node or any link.', TC, 'Corosync 3'),
  info('nodeid-missing', 'error', 'A node without `nodeid` on knet (or with IPv6 addresses).', TC),
  info('nodeid-range', 'error', 'nodeid 0 (reserved) or ≥ 65536 on knet.', `${TC}, ${M5}`),
  info('duplicate-nodeid', 'error', 'Two nodes with the same nodeid ("appears twice").', TC),
  info('duplicate-node-address', 'error', 'Two nodes with the same address on one link.', `${TC}, ${PCSV}`),
  info('duplicate-node-name', 'error', 'Two nodes with the same name.', PCSV),
  info('node-missing-ring0', 'error', 'A node without `ring0_addr`.', M5),
  info('multilink-name-missing', 'error', 'Several links but a node without `name`.', TC, 'Corosync 3'),
  info('link-count-mismatch', 'error', 'Nodes with different sets of links ("Not all nodes have the same number of links").', TC, 'Corosync 3'),
  info('link-ip-family', 'error', 'Addresses of different IP families on one link.', TC, 'Corosync 3'),
  info('ttl-non-multicast', 'error', '`ttl` set on a transport other than udp.', TC),
  info('link-priority-non-knet', 'error', '`knet_link_priority` on a transport other than knet.', TC, 'Corosync 3'),
  info('legacy-rrp-mode', 'warning', '`rrp_mode` is ignored by Corosync 3.', M5, 'Corosync 3'),
  info('legacy-ringnumber', 'warning', '`ringnumber` is ignored by Corosync 3 (use `linknumber`).', `${M5}, ${CP}`, 'Corosync 3'),
  info('legacy-totem-nodeid', 'warning', '`totem.nodeid` is ignored by Corosync 3 (set nodeid per node).', TC, 'Corosync 3'),
  info('legacy-member', 'warning', '`member {}` is ignored by Corosync 3 (use the nodelist).', M5, 'Corosync 3'),
  info('legacy-bindnetaddr', 'warning', '`bindnetaddr` is ignored when a nodelist is used with knet/udpu.', M5, 'Corosync 3'),
  info('consensus-below-join', 'error', '`consensus` smaller than `join`.', TC),
  info('timer-minimum', 'error', 'A totem timer below Corosync\'s minimum (30 ms; hold 21 ms) or token_warning above 100.', TC),
  info('consensus-below-token', 'warning', '`consensus` below 1.2 × the effective token timeout.', M5),
  info('knet-ping-pair', 'warning', '`knet_ping_interval` and `knet_ping_timeout` set only one of the pair.', M5, 'Corosync 3'),
  info('knet-transport', 'warning', '`knet_transport: sctp` is deprecated (or the value is unknown).', `${M5}, ${PCSV}`, 'Corosync 3'),
  info('quorum-provider', 'error', '`quorum.provider` other than corosync_votequorum.', M5),
  info('quorum-no-provider', 'warning', 'A quorum section without a provider: the cluster has no quorum at all.', M5),
  info('quorum-no-votes', 'error', 'Neither a nodelist nor `expected_votes` ("nodelist or quorum.expected_votes must be configured!").', VQc),
  info('expected-votes-mismatch', 'warning', '`expected_votes` differs from the votes in the nodelist (it overrides them).', VQ5),
  info('two-node-implicit-wait-for-all', 'information', '`two_node: 1` turns on `wait_for_all` unless it is set explicitly.', VQ5),
  info('two-node-wait-for-all', 'warning', '`two_node: 1` with `wait_for_all: 0`: after a split both nodes may start alone.', VQ5),
  info('two-node-node-count', 'warning', '`two_node: 1` with a node count other than 2 has no effect.', VQc),
  info('two-node-missing', 'warning', 'A 2-node cluster without two_node, qdevice or auto_tie_breaker loses quorum when either node fails.', `${VQ5}, pcs config_facade.py`),
  info('two-node-qdevice', 'error', '`two_node` together with a quorum device.', VQc),
  info('two-node-auto-tie-breaker', 'error', '`two_node` together with `auto_tie_breaker` ("not compatible").', VQc),
  info('atb-lms-odd', 'error', 'auto_tie_breaker + last_man_standing in an odd-sized cluster without wait_for_all.', VQc),
  info('atb-odd-without-wfa', 'warning', 'auto_tie_breaker in an odd-sized cluster without wait_for_all is disabled at start.', VQc),
  info('atb-node-without-atb', 'warning', '`auto_tie_breaker_node` without `auto_tie_breaker: 1`.', VQ5),
  info('lms-without-wfa', 'warning', '`last_man_standing` without `wait_for_all`.', VQ5),
  info('qdevice-incompatible', 'error', 'Quorum device with last_man_standing, auto_tie_breaker or allow_downscale.', VQc),
  info('qdevice-votes-required', 'error', '`quorum.device.votes` required with expected_votes or unequal node votes.', VQc),
  info('qdevice-ffsplit-votes', 'error', 'The ffsplit algorithm needs `quorum.device.votes: 1`.', PCSV),
  info('logging-value', 'error', 'Invalid logging value (debug, timestamp, to_*, priorities, facility).', 'corosync exec/logconfig.c'),
  info('logger-subsys-missing-subsys', 'error', '`logger_subsys {}` without `subsys`.', 'corosync exec/logconfig.c'),
  info('invalid-value', 'error', 'A value outside the documented choices for its key.', `${CP}, ${M5}`),
  info('value-special-characters', 'warning', 'A value containing `}` that other tools (pcs) cannot write back.', PCSV),
  info('cluster-name', 'warning', '`cluster_name` longer than 32 characters or outside [A-Za-z0-9_-] (breaks GFS2/DLM).', PCSV),
  info('duplicate-key', 'warning', 'A key given twice in one section: the last one silently wins.', CP),
  info('unknown-section', 'warning', 'A section Corosync does not use (stored but ignored).', M5),
  info('unknown-key', 'warning', 'A key Corosync does not use in this section (stored but ignored).', M5),
  info('obsolete-section', 'warning', 'A Corosync 1.x section that newer versions ignore.', M5),
  info('obsolete-key', 'warning', 'A key newer Corosync versions ignore or only keep for compatibility.', M5),
  info('legacy-config', 'information', 'The file looks like a Corosync 1.x/2.x configuration and is checked as one.', M5),
];

const ruleByCode = new Map(corosyncRules.map((r) => [r.code, r]));

interface Ctx {
  readonly model: CorosyncModel;
  readonly doc: CsDocument;
  report(code: string, at: Range, message: string, fixes?: Fix[]): void;
}

// ---------- edit helpers ----------

function indentOf(doc: CsDocument, line: number): string {
  return /^[ \t]*/.exec(doc.lines[line] ?? '')?.[0] ?? '';
}

function deleteLineEdit(doc: CsDocument, line: number): TextEdit {
  return line + 1 < doc.lines.length
    ? { range: { start: { line, character: 0 }, end: { line: line + 1, character: 0 } }, newText: '' }
    : { range: lineRange(line, 0, doc.lines[line].length), newText: '' };
}

/** Indentation for a new key inside `section`: that of a sibling, else the header's plus 4 spaces. */
function childIndent(doc: CsDocument, section: CsSection): string {
  const sibling = section.children.find((c) => c.kind === 'pair' || c.kind === 'section');
  if (sibling && 'line' in sibling) return indentOf(doc, sibling.line);
  return indentOf(doc, section.line) + '    ';
}

/** Inserts `key: value` as the first line of `section`'s body. */
function insertPairFix(doc: CsDocument, section: CsSection, key: string, value: string, title: string): Fix {
  const line = section.line + 1;
  return {
    title,
    preferred: true,
    edits: [{ range: lineRange(line, 0, 0), newText: `${childIndent(doc, section)}${key}: ${value}${doc.eol}` }],
  };
}

function replaceValueFix(pair: CsPair, value: string, title: string, preferred = true): Fix {
  return { title, preferred, edits: [{ range: pair.valueRange, newText: value }] };
}

// ---------- helpers on the model ----------

const intOf = (p: CsPair | undefined): bigint | undefined => (p ? parseCorosyncInteger(p.value) : undefined);
const isOne = (p: CsPair | undefined): boolean => {
  const v = intOf(p);
  return v !== undefined && v !== 0n;
};
const hasTrailingComment = (p: CsPair): boolean => /[ \t]#/.test(p.value);

function quorumDevice(model: CorosyncModel): CsSection | undefined {
  return model.sections('quorum.device').find((s) => pairsOf(s).some((p) => p.key === 'model'));
}

function nodeLabel(n: NodeEntry): string {
  const name = n.pairs.get('name')?.value ?? n.rings.get(0)?.value;
  return name ? `node '${name}'` : `node on line ${n.section.line + 1}`;
}

// ---------- checks ----------

function checkValues(ctx: Ctx): void {
  const { doc } = ctx;
  for (const section of [doc.root, ...allSections(doc.root)]) {
    const seen = new Map<string, CsPair>();
    for (const p of pairsOf(section)) {
      const earlier = seen.get(p.key);
      if (earlier) {
        ctx.report('corosync/duplicate-key', p.keyRange,
          `'${p.key}' is already set on line ${earlier.line + 1}; Corosync keeps only this last value. Remove one of them.`,
          [{ title: `Remove the earlier '${p.key}' (line ${earlier.line + 1})`, preferred: true, edits: [deleteLineEdit(doc, earlier.line)] }]);
      }
      seen.set(p.key, p);

      if (hasTrailingComment(p)) {
        const hash = p.value.search(/[ \t]#/);
        const comment = p.value.slice(hash).trim();
        const kept = p.value.slice(0, hash).trimEnd();
        const indent = indentOf(doc, p.line);
        ctx.report('corosync/trailing-comment', p.valueRange,
          `'${comment}' is part of the value of '${p.key}': corosync.conf has no trailing comments (only lines starting with #). Move the comment to its own line above.`,
          [{
            title: 'Move the comment to its own line above',
            preferred: true,
            edits: [{ range: lineRange(p.line, 0, doc.lines[p.line].length), newText: `${indent}${comment}${doc.eol}${indent}${p.key}: ${kept}` }],
          }]);
        continue;
      }
      if (p.value.includes('}')) {
        ctx.report('corosync/value-special-characters', p.valueRange,
          `The value of '${p.key}' contains '}': Corosync accepts it, but tools that rewrite corosync.conf (pcs, crmsh) cannot. Avoid braces in values.`);
      }

      const spec = keySpec(section.path, p.key);
      if (!spec) continue;
      const cmapKey = section.path ? `${section.path}.${p.key}` : p.key;
      const limits = integerRanges[spec.type];
      if (limits) {
        const n = parseCorosyncInteger(p.value);
        if (n === undefined || n < limits[0] || n > limits[1]) {
          const fixes: Fix[] = [];
          if (spec.type === 'bool01') {
            const truthy = /^(yes|on|true)$/i.test(p.value) ? '1' : /^(no|off|false)$/i.test(p.value) ? '0' : undefined;
            if (truthy) fixes.push(replaceValueFix(p, truthy, `Change '${p.value}' to ${truthy}`));
          }
          ctx.report('corosync/integer-value', p.valueRange,
            `Value of key "${cmapKey}" is expected to be integer in range (${limits[0]}..${limits[1]}), but "${p.value}" was given. ` +
              (spec.type === 'bool01' ? 'Use 1 to enable or 0 to disable.' : 'Write a plain decimal number.'),
            fixes);
        }
        continue;
      }
      if (spec.type === 'enum' && spec.values && !spec.values.includes(p.value)) {
        const code = spec.enumRule ?? 'corosync/invalid-value';
        const caseFix = spec.values.find((v) => v.toLowerCase() === p.value.toLowerCase());
        ctx.report(code, p.valueRange,
          `'${p.value}' is not a valid value for '${p.key}'. Use one of: ${spec.values.join(', ')}.`,
          caseFix ? [replaceValueFix(p, caseFix, `Change to '${caseFix}'`)] : []);
      }
    }
  }
}

function checkStructure(ctx: Ctx): void {
  const { doc, model } = ctx;
  for (const section of allSections(doc.root)) {
    const parentPath = section.path.includes('.') ? section.path.slice(0, section.path.lastIndexOf('.')) : '';
    const parentSpec = sectionSpec(parentPath);
    if (section.path === 'totem.interface.member') {
      if (model.generation === 3) {
        ctx.report('corosync/legacy-member', section.nameRange,
          'Corosync 3 does not read `member {}` blocks: list every node in `nodelist { node { ring0_addr: … nodeid: … } }` instead.',
          [{ title: 'Remove the member block', edits: linesEdit(doc, section) }]);
      }
      continue;
    }
    if (parentPath === '' && Object.hasOwn(obsoleteSections, section.name)) {
      ctx.report('corosync/obsolete-section', section.nameRange, obsoleteSections[section.name],
        [{ title: `Remove the ${section.name} section`, edits: linesEdit(doc, section) }]);
      continue;
    }
    if (!parentSpec || parentSpec.open) continue; // inside an unknown/open section: reported at its top
    if (!(parentSpec.sections ?? []).includes(section.name)) {
      const where = parentPath ? `inside '${parentPath}'` : 'at the top level';
      ctx.report('corosync/unknown-section', section.nameRange,
        `Corosync has no section '${section.name}' ${where}; it stores it and ignores it. Check the spelling` +
          (parentSpec.sections?.length ? ` (known: ${parentSpec.sections.join(', ')}).` : '.'));
      continue;
    }
  }
  for (const section of [doc.root, ...allSections(doc.root)]) {
    const spec = sectionSpec(section.path);
    if (!spec || spec.open || spec.obsolete) continue;
    for (const p of pairsOf(section)) {
      const ks = keySpec(section.path, p.key);
      if (!ks) {
        const known = Object.keys(spec.keys);
        const guess = known.find((k) => editDistance(k, p.key) <= 2);
        ctx.report('corosync/unknown-key', p.keyRange,
          `Corosync does not use '${p.key}' ${section.path ? `in '${section.path}'` : 'at the top level'}; it is stored and ignored.` +
            (guess ? ` Did you mean '${guess}'?` : ''),
          guess ? [{ title: `Rename to '${guess}'`, preferred: true, edits: [{ range: p.keyRange, newText: guess }] }] : []);
        continue;
      }
      if (!ks.obsolete) continue;
      const path = section.path;
      if (path === 'totem' && p.key === 'rrp_mode') {
        if (model.generation === 3) ctx.report('corosync/legacy-rrp-mode', p.keyRange, `rrp_mode: ${ks.obsolete}`, [{ title: 'Remove rrp_mode', preferred: true, edits: [deleteLineEdit(doc, p.line)] }]);
      } else if (path === 'totem.interface' && p.key === 'ringnumber') {
        if (model.generation === 3) ctx.report('corosync/legacy-ringnumber', p.keyRange, ks.obsolete, [{ title: 'Rename ringnumber to linknumber', preferred: true, edits: [{ range: p.keyRange, newText: 'linknumber' }] }]);
      } else if (path === 'totem' && p.key === 'nodeid') {
        if (model.generation === 3) ctx.report('corosync/legacy-totem-nodeid', p.keyRange, ks.obsolete, [{ title: 'Remove totem.nodeid', preferred: true, edits: [deleteLineEdit(doc, p.line)] }]);
      } else if (model.generation === 3 || p.key === 'compatibility' || p.key === 'vsftype') {
        ctx.report('corosync/obsolete-key', p.keyRange, `'${p.key}': ${ks.obsolete}`, [{ title: `Remove '${p.key}'`, edits: [deleteLineEdit(doc, p.line)] }]);
      }
    }
  }
  for (const s of model.sections('logging.logger_subsys')) {
    if (!pairsOf(s).some((p) => p.key === 'subsys')) {
      ctx.report('corosync/logger-subsys-missing-subsys', s.nameRange,
        'This logger_subsys block has no `subsys`: Corosync refuses it. Add e.g. `subsys: QUORUM` to name the subsystem it configures.');
    }
  }
}

function linesEdit(doc: CsDocument, section: CsSection): TextEdit[] {
  const last = section.closeLine ?? section.line;
  const end = last + 1 < doc.lines.length ? { line: last + 1, character: 0 } : { line: last, character: doc.lines[last].length };
  return [{ range: { start: { line: section.line, character: 0 }, end }, newText: '' }];
}

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length][b.length];
}

function checkTotem(ctx: Ctx): void {
  const { model, doc } = ctx;
  const totems = model.sections('totem');
  const version = model.get('totem', 'version');
  if (totems.length === 0) {
    ctx.report('corosync/totem-version', lineRange(0, 0, doc.lines[0]?.length ?? 0),
      'There is no `totem {}` section, so `version: 2` is missing: Corosync refuses to start ("can only parse version 2 configurations"). Add `totem { version: 2 … }`.');
  } else if (!version) {
    ctx.report('corosync/totem-version', totems[0].nameRange,
      'totem has no `version`: Corosync refuses to start ("This totem parser can only parse version 2 configurations"). Add `version: 2`.',
      [insertPairFix(doc, totems[0], 'version', '2', 'Add version: 2')]);
  } else if (!hasTrailingComment(version) && version.value !== '2' && intOf(version) !== undefined) {
    ctx.report('corosync/totem-version', version.valueRange,
      `totem.version is ${version.value}, but Corosync only accepts 2. Set \`version: 2\`.`,
      [replaceValueFix(version, '2', 'Change to 2')]);
  }

  const transport = model.transportPair;
  if (transport && !hasTrailingComment(transport) && model.generation === 3 && (transport.value === 'udp' || transport.value === 'udpu')) {
    ctx.report('corosync/transport-deprecated', transport.valueRange,
      `transport ${transport.value} is kept in Corosync 3 for compatibility only: it has no encryption and a single link. Prefer \`transport: knet\` (nodes then need nodeid).`);
  }

  // Effective crypto, as totemconfig.c computes it (secauth: on means aes256/sha256 unless overridden).
  const secauth = model.get('totem', 'secauth')?.value === 'on';
  const cipherPair = model.get('totem', 'crypto_cipher');
  const hashPair = model.get('totem', 'crypto_hash');
  const cipher = cipherPair?.value ?? (secauth ? 'aes256' : 'none');
  const hash = hashPair?.value ?? (secauth ? 'sha256' : 'none');
  if (cipher !== 'none' && hash === 'none' && (!cipherPair || !hasTrailingComment(cipherPair))) {
    const at = hashPair ?? cipherPair;
    const fixes = hashPair
      ? [replaceValueFix(hashPair, 'sha256', 'Set crypto_hash: sha256')]
      : totems[0] ? [insertPairFix(doc, totems[0], 'crypto_hash', 'sha256', 'Add crypto_hash: sha256')] : [];
    ctx.report('corosync/crypto-cipher-without-hash', at ? at.valueRange : totems[0].nameRange,
      'crypto_cipher requires crypto_hash with value other than none: encryption without authentication is refused. Add `crypto_hash: sha256`.',
      fixes);
  }
  if (model.generation === 3 && model.transport !== 'knet' && ['udp', 'udpu'].includes(model.transport) && (cipher !== 'none' || hash !== 'none')) {
    const at = cipherPair ?? hashPair ?? model.get('totem', 'secauth');
    if (at) {
      ctx.report('corosync/crypto-requires-knet', at.range,
        `crypto_cipher & crypto_hash are only valid for the Knet transport, but transport is ${model.transport}: Corosync 3 refuses to start. Switch to \`transport: knet\` (every node then needs a nodeid) or set both to none.`,
        model.transportPair ? [replaceValueFix(model.transportPair, 'knet', 'Change transport to knet', false)] : []);
    }
  }

  // Minimums of totem_volatile_config_validate (MINIMUM_TIMEOUT = 3 jiffies = 30 ms at HZ=100).
  for (const [key, min] of [['token', 30n], ['join', 30n], ['consensus', 30n], ['merge', 30n], ['downcheck', 30n], ['max_network_delay', 30n], ['token_retransmit', 30n], ['hold', 21n]] as const) {
    const p = model.get('totem', key);
    const v = intOf(p);
    if (p && v !== undefined && v !== 0n && v < min) {
      // 0 means "use the default" for these timers (totem_volatile_config_set_uint32_value).
      ctx.report('corosync/timer-minimum', p.valueRange,
        `The ${key} timeout (${v} ms) may not be less than ${min} ms: Corosync refuses to start. Raise it or remove the line to use the default.`);
    }
  }
  const warning = model.get('totem', 'token_warning');
  if (warning && (intOf(warning) ?? 0n) > 100n) {
    ctx.report('corosync/timer-minimum', warning.valueRange, 'token_warning is a percentage of the token timeout: use 0 (off) to 100.');
  }

  // Consensus versus join and token (totemconfig.c; corosync.conf(5)).
  const join = intOf(model.get('totem', 'join')) ?? 50n;
  const consensusPair = model.get('totem', 'consensus');
  const consensus = intOf(consensusPair) || undefined; // 0 = default (1.2 × token)
  if (consensusPair && consensus !== undefined) {
    const token = intOf(model.get('totem', 'token')) ?? 3000n;
    const n = BigInt(model.nodes.length);
    const coefficient = intOf(model.get('totem', 'token_coefficient')) ?? 650n;
    const effective = n >= 3n ? token + (n - 2n) * coefficient : token;
    if (consensus < 30n) {
      // reported by timer-minimum
    } else if (consensus < join) {
      ctx.report('corosync/consensus-below-join', consensusPair.valueRange,
        `The consensus timeout (${consensus} ms) may not be less than the join timeout (${join} ms): Corosync refuses to start. Raise consensus or remove it (default 1.2 × token).`);
    } else if (consensus * 10n < effective * 12n) {
      const wanted = (effective * 12n + 9n) / 10n;
      ctx.report('corosync/consensus-below-token', consensusPair.valueRange,
        `consensus ${consensus} ms is below 1.2 × the effective token timeout (${effective} ms${n >= 3n ? ` for ${n} nodes` : ''}); membership changes may misbehave. Use at least ${wanted} or remove the line.`,
        [replaceValueFix(consensusPair, String(wanted), `Set consensus to ${wanted}`)]);
    }
  }
}

function checkLinks(ctx: Ctx): void {
  const { model, doc } = ctx;
  const gen3 = model.generation === 3;
  const knet = model.transport === 'knet';
  const links = new Set<number>();
  for (const n of model.nodes) for (const l of n.rings.keys()) links.add(l);
  for (const i of model.interfaces) if (i.pairs.size) links.add(i.link);

  if (gen3) {
    for (const n of model.nodes) {
      for (const [l, p] of n.rings) {
        if (l > 7) ctx.report('corosync/link-number-range', p.keyRange, `${p.key}: link numbers go from 0 to 7 (ring0_addr … ring7_addr). Use a lower link number.`);
      }
    }
    for (const i of model.interfaces) {
      const p = i.pairs.get('linknumber');
      if (p && i.link > 7) ctx.report('corosync/link-number-range', p.valueRange, `linknumber ${i.link} is above the maximum 7. Use 0 to 7.`);
    }
  }

  const maxLinks = knet ? 8 : gen3 ? 1 : 2; // Corosync 2 RRP allowed two rings.
  if (['udp', 'udpu', 'knet'].includes(model.transport) && links.size > maxLinks) {
    const extra = model.nodes.flatMap((n) => [...n.rings].filter(([l]) => l > 0).map(([, p]) => p))[0];
    const at = extra?.keyRange ?? model.interfaces.find((i) => i.link > 0)?.section.nameRange ?? model.transportPair?.range;
    if (at) {
      ctx.report('corosync/too-many-links', at,
        `${links.size} is too many configured interfaces for non-Knet transport ${model.transport}: it has ${maxLinks === 1 ? 'a single link' : 'two rings at most'}. Use \`transport: knet\` for redundant links, or remove the extra addresses.`);
    }
  }

  for (const i of model.interfaces) {
    const ttl = i.pairs.get('ttl');
    if (ttl && model.transport !== 'udp' && intOf(ttl) !== 1n && intOf(ttl) !== undefined) {
      ctx.report('corosync/ttl-non-multicast', ttl.range,
        `ttl only applies to multicast (transport udp); with ${model.transport} Corosync refuses any value but 1 ("Can only set ttl on multicast transport types"). Remove the line.`,
        [{ title: 'Remove ttl', preferred: true, edits: [deleteLineEdit(doc, ttl.line)] }]);
    }
    const prio = i.pairs.get('knet_link_priority');
    if (gen3 && prio && !knet && intOf(prio) !== 1n && intOf(prio) !== undefined) {
      ctx.report('corosync/link-priority-non-knet', prio.range,
        `knet_link_priority only applies to the knet transport; with ${model.transport} Corosync refuses it. Remove the line or switch to knet.`,
        [{ title: 'Remove knet_link_priority', preferred: true, edits: [deleteLineEdit(doc, prio.line)] }]);
    }
    const interval = i.pairs.get('knet_ping_interval');
    const timeout = i.pairs.get('knet_ping_timeout');
    if (gen3 && (interval ? !timeout : timeout)) {
      const set = (interval ?? timeout) as CsPair;
      ctx.report('corosync/knet-ping-pair', set.keyRange,
        `${set.key} is set without ${interval ? 'knet_ping_timeout' : 'knet_ping_interval'}: they are a pair; the missing one is derived from the token timeout and may not fit. Set both.`);
    }
    const kt = i.pairs.get('knet_transport');
    if (gen3 && kt?.value === 'sctp') {
      ctx.report('corosync/knet-transport', kt.valueRange, 'knet_transport sctp is deprecated (and not built into every libknet). Use udp.',
        [replaceValueFix(kt, 'udp', 'Change to udp')]);
    }
    const bind = i.pairs.get('bindnetaddr');
    if (gen3 && bind && model.nodes.length > 0 && model.transport !== 'udp') {
      ctx.report('corosync/legacy-bindnetaddr', bind.keyRange,
        `bindnetaddr is ignored with transport ${model.transport} and a nodelist: each node's ringX_addr decides. Remove the line.`,
        [{ title: 'Remove bindnetaddr', preferred: true, edits: [deleteLineEdit(doc, bind.line)] }]);
    }
  }
}

function checkNodes(ctx: Ctx): void {
  const { model, doc } = ctx;
  const gen3 = model.generation === 3;
  const knet = model.transport === 'knet';
  const nodelists = model.sections('nodelist');
  if (gen3 && model.nodes.length === 0) {
    const at = nodelists[0]?.nameRange ?? model.sections('totem')[0]?.nameRange ?? lineRange(0, 0, doc.lines[0]?.length ?? 0);
    ctx.report('corosync/nodelist-required', at,
      'No node is listed: Corosync 3 needs `nodelist { node { ring0_addr: … nodeid: … name: … } }` for every member to find the local node ("No valid name found for local host").');
  }

  const usedIds = new Set<bigint>();
  for (const n of model.nodes) {
    const id = intOf(n.pairs.get('nodeid'));
    if (id !== undefined) usedIds.add(id);
  }
  let nextId = 1n;
  const freshId = (): bigint => {
    while (usedIds.has(nextId)) nextId++;
    usedIds.add(nextId);
    return nextId;
  };

  const ids = new Map<string, NodeEntry>();
  const names = new Map<string, NodeEntry>();
  const addrs = new Map<string, NodeEntry>();
  const multiLink = new Set(model.nodes.flatMap((n) => [...n.rings.keys()])).size > 1;
  for (const n of model.nodes) {
    const idPair = n.pairs.get('nodeid');
    const ring0 = n.rings.get(0);
    if (!ring0) {
      ctx.report('corosync/node-missing-ring0', n.section.nameRange,
        `${nodeLabel(n)} has no ring0_addr: every node needs at least its link-0 address. Add \`ring0_addr: <IP or name>\`.`);
    }
    const ipv6 = [...n.rings.values()].some((p) => addressFamily(p.value) === 6);
    if (!idPair && ((gen3 && knet) || ipv6) && n.rings.size > 0) {
      const id = freshId();
      ctx.report('corosync/nodeid-missing', n.section.nameRange,
        knet && gen3
          ? `Knet requires an explicit nodeid to be specified for ${nodeLabel(n)}. Add \`nodeid: ${id}\` (unique, 1 to 65535).`
          : `An IPv6 network requires that a node ID be specified for ${nodeLabel(n)}. Add \`nodeid: ${id}\`.`,
        [insertPairFix(doc, n.section, 'nodeid', String(id), `Add nodeid: ${id}`)]);
    }
    const id = intOf(idPair);
    if (idPair && id !== undefined) {
      if (id === 0n) {
        ctx.report('corosync/nodeid-range', idPair.valueRange, 'nodeid 0 is reserved (Corosync treats it as "no nodeid"). Use a unique number from 1.');
      } else if (gen3 && knet && id >= 65536n) {
        ctx.report('corosync/nodeid-range', idPair.valueRange, `Knet requires nodeid to be less than 65536, but it is ${id}. Renumber the nodes (1, 2, 3 …).`);
      }
      const other = ids.get(String(id));
      if (other) {
        ctx.report('corosync/duplicate-nodeid', idPair.valueRange,
          `Nodeid ${id} appears twice in corosync.conf (also ${nodeLabel(other)}, line ${other.section.line + 1}): Corosync refuses to start. Give each node its own id.`);
      } else ids.set(String(id), n);
    }
    const name = n.pairs.get('name');
    if (name) {
      const other = names.get(name.value);
      if (other) {
        ctx.report('corosync/duplicate-node-name', name.valueRange,
          `Node name '${name.value}' is used twice (also line ${other.section.line + 1}): Corosync cannot tell which node is local and Pacemaker merges them. Give each node its own name.`);
      } else names.set(name.value, n);
    } else if (gen3 && knet && multiLink) {
      ctx.report('corosync/multilink-name-missing', n.section.nameRange,
        `For a multi-link configuration, all nodes must have a 'name' attribute; ${nodeLabel(n)} has none. Add \`name: <host name>\`.`);
    }
    for (const [l, p] of n.rings) {
      const key = `${l}\t${p.value}`;
      const other = addrs.get(key);
      if (other) {
        ctx.report('corosync/duplicate-node-address', p.valueRange,
          `Address ${p.value} on link ${l} is also used by ${nodeLabel(other)} (line ${other.section.line + 1}). Each node needs its own address on each link.`);
      } else addrs.set(key, n);
    }
  }

  if (gen3 && knet && model.nodes.length > 1) {
    const signature = (n: NodeEntry): string => [...n.rings.keys()].sort((a, b) => a - b).join(',');
    const first = signature(model.nodes[0]);
    for (const n of model.nodes.slice(1)) {
      if (signature(n) !== first) {
        ctx.report('corosync/link-count-mismatch', n.section.nameRange,
          `Not all nodes have the same number of links: ${nodeLabel(n)} has links [${signature(n)}], ${nodeLabel(model.nodes[0])} has [${first}]. Give every node an address on every link.`);
      }
    }
    const families = new Map<number, { fam: 4 | 6; pair: CsPair }>();
    for (const n of model.nodes) {
      for (const [l, p] of n.rings) {
        const fam = addressFamily(p.value);
        if (!fam) continue;
        const seen = families.get(l);
        if (!seen) families.set(l, { fam, pair: p });
        else if (seen.fam !== fam) {
          ctx.report('corosync/link-ip-family', p.valueRange,
            `Nodes for link ${l} have different IP families (${p.value} is IPv${fam}, ${seen.pair.value} on line ${seen.pair.line + 1} is IPv${seen.fam}). Use one family per link.`);
        }
      }
    }
  }
}

function checkQuorum(ctx: Ctx): void {
  const { model, doc } = ctx;
  const quorums = model.sections('quorum');
  if (quorums.length === 0) return;
  const provider = model.get('quorum', 'provider');
  if (!provider) {
    ctx.report('corosync/quorum-no-provider', quorums[0].nameRange,
      'This quorum section has no provider, so Corosync computes no quorum at all and Pacemaker runs everything everywhere after a split. Add `provider: corosync_votequorum`.',
      [insertPairFix(doc, quorums[0], 'provider', 'corosync_votequorum', 'Add provider: corosync_votequorum')]);
    return;
  }
  if (provider.value !== 'corosync_votequorum') return; // reported by the enum check

  const nodeCount = model.nodes.length;
  const nodeVotes = model.nodes.reduce((sum, n) => sum + (intOf(n.pairs.get('quorum_votes')) ?? 1n), 0n);
  const expectedPair = model.get('quorum', 'expected_votes');
  // votequorum treats expected_votes: 0 as "not set".
  const expected = intOf(expectedPair) || undefined;
  const twoNode = model.get('quorum', 'two_node');
  const wfa = model.get('quorum', 'wait_for_all');
  const atb = model.get('quorum', 'auto_tie_breaker');
  const lms = model.get('quorum', 'last_man_standing');
  const device = quorumDevice(model);
  const at = quorums[0].nameRange;

  if (nodeCount === 0 && !expected) {
    ctx.report('corosync/quorum-no-votes', at,
      'configuration error: nodelist or quorum.expected_votes must be configured! votequorum refuses to start without one. Add a nodelist (preferred) or `expected_votes`.');
  }
  if (expectedPair && expected !== undefined && nodeCount > 0 && expected !== nodeVotes) {
    ctx.report('corosync/expected-votes-mismatch', expectedPair.valueRange,
      `expected_votes is ${expected} but the nodelist holds ${nodeVotes} vote(s); expected_votes overrides the nodelist, so quorum is computed from ${expected}. Remove expected_votes (it is derived from the nodelist) or make them agree.`,
      [{ title: 'Remove expected_votes', preferred: true, edits: [deleteLineEdit(doc, expectedPair.line)] }]);
  }

  const count = nodeCount > 0 ? nodeCount : expected !== undefined ? Number(expected) : undefined;
  if (isOne(twoNode) && twoNode) {
    if (!wfa) {
      ctx.report('corosync/two-node-implicit-wait-for-all', twoNode.keyRange,
        'two_node: 1 also turns on wait_for_all: after a full stop, the cluster becomes quorate only once both nodes have been seen together. Write `wait_for_all: 1` to make that visible, or 0 to opt out deliberately.');
    } else if (intOf(wfa) === 0n) {
      ctx.report('corosync/two-node-wait-for-all', wfa.range,
        'wait_for_all: 0 with two_node: 1: after a split or a cold start each node may become quorate alone, start the resources and fence the other (or, without fencing, run them twice). Remove this line unless fencing is configured and you want a lone node to start.',
        [{ title: 'Remove wait_for_all: 0 (two_node then enables it)', preferred: true, edits: [deleteLineEdit(doc, wfa.line)] }]);
    }
    if (count !== undefined && count !== 2) {
      ctx.report('corosync/two-node-node-count', twoNode.range,
        `two_node: 1 only works with exactly 2 nodes, and this cluster has ${count}: it has no effect. Remove it.`,
        [{ title: 'Remove two_node', preferred: true, edits: [deleteLineEdit(doc, twoNode.line)] }]);
    }
    if (device) {
      ctx.report('corosync/two-node-qdevice', twoNode.range,
        'configuration error: two_node and quorum device cannot be configured at the same time! The device already breaks ties: remove two_node.',
        [{ title: 'Remove two_node', preferred: true, edits: [deleteLineEdit(doc, twoNode.line)] }]);
    }
    if (isOne(atb)) {
      ctx.report('corosync/two-node-auto-tie-breaker', twoNode.range,
        'two_node and auto_tie_breaker are not compatible: votequorum disables two_node at start. Keep one: two_node (with fencing) or auto_tie_breaker.');
    }
  } else if (nodeCount === 2 && !device && !isOne(atb) && !twoNode) {
    ctx.report('corosync/two-node-missing', at,
      'A 2-node cluster without two_node, a quorum device or auto_tie_breaker needs both nodes for quorum: losing either one stops all resources. Add `two_node: 1` (with fencing) or a quorum device.',
      [insertPairFix(doc, quorums[0], 'two_node', '1', 'Add two_node: 1')]);
  }

  const wfaOn = wfa ? isOne(wfa) : isOne(twoNode);
  const odd = count !== undefined && count % 2 === 1;
  if (isOne(atb) && atb && odd && !wfaOn) {
    if (isOne(lms)) {
      ctx.report('corosync/atb-lms-odd', atb.range,
        'configuration error: auto_tie_breaker & last_man_standing not available in odd sized cluster without wait_for_all: Corosync will not start. Add `wait_for_all: 1` or drop last_man_standing.');
    } else {
      ctx.report('corosync/atb-odd-without-wfa', atb.range,
        'auto_tie_breaker in an odd-sized cluster needs wait_for_all; without it votequorum disables auto_tie_breaker at start. Add `wait_for_all: 1`.');
    }
  }
  const atbNode = model.get('quorum', 'auto_tie_breaker_node');
  if (atbNode && !isOne(atb)) {
    ctx.report('corosync/atb-node-without-atb', atbNode.keyRange, 'auto_tie_breaker_node has no effect without `auto_tie_breaker: 1`. Enable it or remove this line.');
  }
  if (isOne(lms) && lms && !wfaOn) {
    ctx.report('corosync/lms-without-wfa', lms.range, 'last_man_standing without wait_for_all lets a restarted minority become quorate. Add `wait_for_all: 1` (votequorum(5) calls it essential).');
  }

  if (device) {
    const conflicts = (['last_man_standing', 'auto_tie_breaker', 'allow_downscale'] as const).filter((k) => isOne(model.get('quorum', k)));
    for (const k of conflicts) {
      const p = model.get('quorum', k) as CsPair;
      ctx.report('corosync/qdevice-incompatible', p.range,
        `configuration error: quorum.device is not compatible with ${k}; votequorum disables the device. Remove ${k} or the device.`);
    }
    const votesPair = pairsOf(device).filter((p) => p.key === 'votes').pop();
    const unequal = model.nodes.some((n) => (intOf(n.pairs.get('quorum_votes')) ?? 1n) !== 1n);
    if (!votesPair && (expectedPair || unequal)) {
      ctx.report('corosync/qdevice-votes-required', device.nameRange,
        `configuration error: quorum.device.votes must be specified when ${expectedPair ? 'quorum.expected_votes is set' : 'not all nodes votes 1'}. Add \`votes:\` to the device.`);
    }
    const algorithm = model.get('quorum.device.net', 'algorithm')?.value ?? 'ffsplit';
    if (algorithm === 'ffsplit' && votesPair && intOf(votesPair) !== 1n) {
      ctx.report('corosync/qdevice-ffsplit-votes', votesPair.valueRange, `The ffsplit algorithm needs the device to have exactly 1 vote, not ${votesPair.value}. Set \`votes: 1\` or remove it.`,
        [replaceValueFix(votesPair, '1', 'Set votes: 1')]);
    }
  }
}

function checkClusterName(ctx: Ctx): void {
  const p = ctx.model.get('totem', 'cluster_name');
  if (!p || hasTrailingComment(p)) return;
  if (p.value.length > 32 || !/^[A-Za-z0-9_-]+$/.test(p.value)) {
    ctx.report('corosync/cluster-name', p.valueRange,
      `cluster_name '${p.value}' ${p.value.length > 32 ? 'is longer than 32 characters' : 'has characters outside A-Z a-z 0-9 _ -'}: GFS2 and DLM cannot use it. Choose a short name of letters, digits, '_' and '-'.`);
  }
}

function checkLegacy(ctx: Ctx): void {
  const { model, doc } = ctx;
  if (model.generation === 2 && model.generationGuessed) {
    const first = doc.lines.findIndex((l) => /\S/.test(l) && !/^\s*#/.test(l));
    const line = Math.max(0, first);
    ctx.report('corosync/legacy-config', lineRange(line, 0, doc.lines[line]?.length ?? 0),
      'This looks like a Corosync 1.x/2.x file (ringnumber, rrp_mode, member or service blocks), so Corosync-3 rules are skipped. Corosync 3 would not start with it: it needs knet-style `nodelist {}` entries with nodeid. Lint with --corosync-version 3 to see every difference.');
  }
}

/** Runs every semantic rule (syntax problems come from the parser). */
export function runRules(model: CorosyncModel): Diagnostic[] {
  const out: Diagnostic[] = [];
  const ctx: Ctx = {
    model,
    doc: model.doc,
    report(code, at, message, fixes) {
      const rule = ruleByCode.get(code);
      if (!rule) throw new Error(`unregistered corosync rule ${code}`);
      out.push({ range: at, severity: rule.severity, code, message, source: 'corosync', ...(fixes && fixes.length ? { fixes } : {}) });
    },
  };
  checkLegacy(ctx);
  checkValues(ctx);
  checkStructure(ctx);
  checkTotem(ctx);
  checkLinks(ctx);
  checkNodes(ctx);
  checkQuorum(ctx);
  checkClusterName(ctx);
  return out;
}

export function corosyncRule(code: string): RuleInfo | undefined {
  return ruleByCode.get(code);
}

/** Re-exported for the completion/hover modules and tests. */
export { schema };
