/**
 * corosync.conf lint rules. Each rule has a stable code, one severity, and the upstream place that
 * justifies it: the table is core/corosync/ruleTable (its codes are a type, so a misspelt code does
 * not compile). The checks on values, structure, totem and links are here, those on nodes and quorum
 * in membershipRules, shared helpers in ruleContext. Checks read the semantic model; each finding
 * carries a message saying what is wrong and what to do, and quick fixes where the fix is obvious.
 *
 * Version dependence: the model knows whether a file targets Corosync 3 (knet era, the default) or
 * 1.x/2.x (guessed from `ringnumber`, `rrp_mode`, `member {}` … or forced by the caller). Rules marked
 * "Corosync 3" only run for generation 3, so a 2.x file is told it is old, not flooded with errors.
 */
import type { Diagnostic, Fix, TextEdit } from '../lint/types';
import { lineRange } from '../lint/types';
import type { CorosyncModel } from './model';
import type { CsDocument, CsPair, CsSection } from './parser';
import { allSections, pairsOf } from './parser';
import { checkClusterName, checkLegacy, checkNodes, checkQuorum } from './membershipRules';
import { deleteLineEdit, hasTrailingComment, indentOf, insertPairFix, intOf, replaceValueFix, type Ctx } from './ruleContext';
import { corosyncRule } from './ruleTable';
import { integerRanges, keySpec, obsoleteSections, parseCorosyncInteger, schema, sectionSpec } from './schema';


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
      // A key Corosync 3 ignores (ringnumber, …) is not parsed there: no value of it can stop Corosync 3 (corosync -t 3.1.7).
      if (limits && !(spec.obsolete && ctx.model.generation === 3)) {
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

/** Runs every semantic rule (syntax problems come from the parser). */
export function runRules(model: CorosyncModel): Diagnostic[] {
  const out: Diagnostic[] = [];
  const ctx: Ctx = {
    model,
    doc: model.doc,
    report(code, at, message, fixes) {
      const rule = corosyncRule(code);
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

/** Re-exported for the completion/hover modules and tests. */
export { schema };
export { corosyncRule, corosyncRules, type CorosyncRuleCode } from './ruleTable';
