/**
 * Hostile-input properties of every parser and of the quoting function, defined once and run two ways:
 * bounded in `npm test` (test/unit/property/hostile.test.ts) and long in `npm run bench -- property`
 * (bench/property.bench.ts, 100,000 cases each). Each property says what must hold for ANY input:
 * no exception escapes, every diagnostic has a valid range, formatting never changes meaning.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseCorosync, semanticEntries, splitLines } from '../../src/core/corosync/parser';
import { lintCorosync } from '../../src/core/corosync/lint';
import { formatCorosync } from '../../src/core/corosync/format';
import { parseCrmMon } from '../../src/core/cluster/crmMon';
import { parseCib } from '../../src/core/cluster/cib';
import { quoteArgv } from '../../src/core/util/shellQuote';
import { compileCrm } from '../../src/core/crm/compile';
import { formatCrm } from '../../src/core/crm/format';
import { lintCrm } from '../../src/core/crm/lint';
import { parseCrm } from '../../src/core/crm/parser';
import { parseLine } from '../../src/core/logs/parse';
import type { Diagnostic } from '../../src/core/lint/types';
import { hostileString } from '../unit/remote/hostileStrings';

const root = join(__dirname, '..', '..');
export { CORPUS_DIR as CORPUS } from '../corpus';
import { CORPUS_DIR as CORPUS } from '../corpus';

function xmlSamples(dirs: string[]): string[] {
  const out: string[] = [];
  for (const d of dirs) {
    if (!existsSync(d)) continue;
    for (const f of readdirSync(d).sort()) if (f.endsWith('.xml')) out.push(readFileSync(join(d, f), 'utf8'));
  }
  return out;
}

/** The samples the XML properties mutate: real crm_mon output and CIBs (project fixtures + upstream corpus). */
export function crmMonSamples(): string[] {
  return xmlSamples([join(root, 'test', 'fixtures', 'live'), join(CORPUS, 'crm_mon')]).filter((x) => /<(pacemaker-result|crm_mon)\b/.test(x));
}
export function cibSamples(): string[] {
  return xmlSamples([join(root, 'test', 'fixtures', 'cib'), join(CORPUS, 'cib'), join(CORPUS, 'cib', 'scheduler')]).filter((x) => /<cib\b/.test(x));
}

/** A diagnostic's range lies inside the text it is about, and starts before it ends. */
export function rangeProblem(d: Diagnostic, lines: readonly string[]): string | undefined {
  const { start, end } = d.range;
  const ok = (p: { line: number; character: number }) =>
    Number.isInteger(p.line) && Number.isInteger(p.character) && p.line >= 0 && p.line < Math.max(lines.length, 1) && p.character >= 0 && p.character <= (lines[p.line]?.length ?? 0);
  if (!ok(start) || !ok(end)) return `${d.code}: range ${JSON.stringify(d.range)} outside the text (${lines.length} lines)`;
  if (start.line > end.line || (start.line === end.line && start.character > end.character)) return `${d.code}: range ends before it starts`;
  return undefined;
}

const corosyncLine = fc.oneof(
  fc.constantFrom('totem {', 'quorum {', 'nodelist {', 'node {', 'logging {', '}', '{', '', '# c', '  ', 'version: 2', 'transport: knet',
    'crypto_cipher: aes256', 'crypto_hash: none', 'two_node: 1', 'provider: corosync_votequorum', 'ring0_addr: 10.0.0.1', 'nodeid: 1',
    'name: n1', 'a:', ': b', 'k: v # z', 'interface {', 'x: y: z', '\t}', 'token: abc', 'expected_votes: 3'),
  hostileString,
  fc.string({ unit: 'grapheme', maxLength: 600 }),
);
/** corosync.conf-like text: real keys and braces, mixed with hostile strings and over-long lines. */
export const corosyncText = fc.array(fc.tuple(corosyncLine, fc.constantFrom('', '  ', '\t', '    ')).map(([l, ind]) => ind + l), { maxLength: 40 })
  .chain((lines) => fc.constantFrom('\n', '\r\n').map((eol) => lines.join(eol)));

/** A mutation of a real XML sample: cut, duplicate, truncate, inject junk or entities. */
export function mutatedXml(samples: readonly string[]): fc.Arbitrary<string> {
  const junk = fc.oneof(hostileString, fc.constantFrom('<', '>', '</', '/>', '&', '&amp;', '&#0;', '&#xFFFF;', '<![CDATA[', ']]>', '<!--', '-->', '<?xml?>',
    '<!DOCTYPE x [<!ENTITY a "aaaa">]>', '&a;', '<node/>', '<resource id="x" role="Bogus"/>', '<primitive/>', 'id=""', '\u0000', '\uFFFE'));
  return fc.tuple(fc.constantFrom(...samples), fc.array(fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: 0, max: 3 }), junk), { minLength: 1, maxLength: 4 }))
    .map(([xml, edits]) => {
      let s = xml;
      for (const [a, b, kind, text] of edits) {
        const i = a % (s.length + 1);
        const j = Math.min(s.length, i + (b % 200));
        if (kind === 0) s = s.slice(0, i) + s.slice(j);
        else if (kind === 1) s = s.slice(0, j) + s.slice(i, j) + s.slice(j);
        else if (kind === 2) s = s.slice(0, i);
        else s = s.slice(0, i) + text + s.slice(i);
      }
      return s;
    });
}

export interface Property {
  readonly name: string;
  /** Runs the property `numRuns` times; throws (fast-check's report) on the first counterexample. */
  readonly check: (numRuns: number, seed?: number) => void;
}

function assertProperty<T>(arb: fc.Arbitrary<T>, predicate: (v: T) => void, numRuns: number, seed?: number): void {
  fc.assert(fc.property(arb, predicate), { numRuns, ...(seed !== undefined ? { seed } : {}) });
}

function fail(message: string): never {
  throw new Error(message);
}

export const corosyncProperty: Property = {
  name: 'corosync.conf: parse, lint and format never throw; ranges valid; format keeps meaning and is idempotent',
  check: (numRuns, seed) =>
    assertProperty(corosyncText, (text) => {
      const doc = parseCorosync(text);
      const lines = splitLines(text);
      for (const d of lintCorosync(text).diagnostics) {
        const bad = rangeProblem(d, lines);
        if (bad) fail(bad);
        if (!d.message) fail(`${d.code}: empty message`);
      }
      const f = formatCorosync(text);
      if (f.ok) {
        if (semanticEntries(parseCorosync(f.value)).join('\n') !== semanticEntries(doc).join('\n')) fail('formatting changed what Corosync reads');
        const again = formatCorosync(f.value);
        if (!again.ok || again.value !== f.value) fail('formatting is not idempotent');
      }
    }, numRuns, seed),
};

/** Parsers of cluster XML return a Result for any input: never an exception, an error always says something. */
function xmlProperty(name: string, samples: () => string[], parse: (xml: string) => { ok: boolean; error?: { code: string; message: string } }): Property {
  return {
    name,
    check: (numRuns, seed) => {
      const s = samples();
      if (s.length === 0) fail(`${name}: no samples to mutate`);
      assertProperty(fc.oneof(mutatedXml(s), fc.string({ unit: 'binary', maxLength: 300 })), (xml) => {
        const r = parse(xml);
        if (!r.ok && (!r.error?.code || !r.error.message)) fail('a parse error without code or message');
      }, numRuns, seed);
    },
  };
}

export const crmMonProperty = xmlProperty('crm_mon XML: any mutation of real output parses or fails with a message, never throws', crmMonSamples, parseCrmMon);
export const cibProperty = xmlProperty('CIB XML: any mutation of a real CIB parses or fails with a message, never throws', cibSamples, parseCib);

/**
 * quoteArgv: random hostile argv comes back byte for byte from a real /bin/sh. Many cases per shell run (one
 * printf per case, separated by a record byte), so the long mode's 100,000 cases take seconds, not hours.
 */
export const quotingProperty: Property = {
  name: 'quoteArgv: random hostile argv round-trips through /bin/sh byte for byte',
  check: (numRuns, seed) => {
    const batch = 500;
    const samples = fc.sample(fc.array(hostileString, { minLength: 1, maxLength: 6 }), { numRuns, ...(seed !== undefined ? { seed } : {}) });
    for (let i = 0; i < samples.length; i += batch) {
      const cases = samples.slice(i, i + batch);
      const script = cases.map((args) => `${quoteArgv(['printf', '%s\\0', ...args])}; printf '\\036'`).join('\n');
      const out = execFileSync('/bin/sh', ['-c', script], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      const records = out.split('\u001e').slice(0, -1);
      if (records.length !== cases.length) fail(`sh printed ${records.length} records for ${cases.length} cases`);
      records.forEach((rec, k) => {
        const got = rec.split('\0').slice(0, -1);
        if (JSON.stringify(got) !== JSON.stringify(cases[k])) fail(`argv ${JSON.stringify(cases[k])} came back as ${JSON.stringify(got)}`);
      });
    }
  },
};

const crmLine = fc.oneof(
  fc.constantFrom('primitive redis ocf:heartbeat:redis \\', 'primitive VIP ocf:heartbeat:IPaddr2 params ip=10.0.0.1 cidr_netmask=24', 'clone redis-clone redis meta promotable=true',
    'ms ms-redis redis meta master-max=1', 'colocation c inf: VIP redis-clone:Promoted', 'order o Mandatory: redis-clone:promote VIP:start', 'location l VIP 100: node1',
    'location l2 VIP rule -inf: #uname eq node2', 'group g VIP other', 'property stonith-enabled=false', 'rsc_defaults resource-stickiness=INFINITY',
    '  op monitor interval=5s role=Master \\', '  op start timeout=300s interval=0s', '  params ip="a b" \\', 'colocation set inf: ( a b ) [ c d ]', 'node node1', 'node 1: node1',
    '# comment', '', '\\', '$id=x', 'primitive', 'clone', ':', 'inf:', 'op', 'params', 'meta'),
  hostileString,
);
/** crm-spec-like text: real statements and continuations mixed with hostile strings. */
export const crmText = fc.array(crmLine, { maxLength: 30 }).map((lines) => lines.join('\n'));

export const crmProperty: Property = {
  name: 'crm spec: parse, lint and format never throw; ranges valid; format keeps the compiled CIB and is idempotent',
  check: (numRuns, seed) =>
    assertProperty(crmText, (text) => {
      const lines = text.split(/\r?\n/);
      for (const d of lintCrm(text).diagnostics) {
        const bad = rangeProblem(d, lines);
        if (bad) fail(bad);
        if (!d.message) fail(`${d.code}: empty message`);
      }
      const f = formatCrm(text);
      if (f.ok) {
        if (compileCrm(parseCrm(f.value)).xml !== compileCrm(parseCrm(text)).xml) fail('formatting changed the compiled CIB');
        const again = formatCrm(f.value);
        if (!again.ok || again.value !== f.value) fail('formatting is not idempotent');
      }
    }, numRuns, seed),
};

const logLine = fc.oneof(
  fc.constantFrom('Dec 01 14:32:47.273 node1 pacemaker-controld  [81] (do_state_transition) notice: State transition S_IDLE -> S_POLICY_ENGINE',
    'Oct 09 17:38:18 [17976] node1 cib: info: cib_process_request: Completed', 'Dec 01 14:32:00 [31] node1 corosync notice  [QUORUM] Members[2]: 1 2',
    '{"__REALTIME_TIMESTAMP":"1764600000000000","MESSAGE":"x","_SYSTEMD_UNIT":"pacemaker.service","PRIORITY":"5"}', '{"MESSAGE":[104,105]}', '{', 'Feb 30 25:61:61 x y: z'),
  hostileString,
  fc.string({ unit: 'binary', maxLength: 400 }),
);
const CLOCK = { offsetMs: 0, uncertaintyMs: 1, utcOffsetMinutes: 60, nodeNow: Date.UTC(2026, 11, 1, 15) };

export const logLineProperty: Property = {
  name: 'log lines: any line (file or journal) parses or is kept as it came, with a finite time; never throws',
  check: (numRuns, seed) =>
    assertProperty(fc.tuple(logLine, fc.constantFrom('pacemaker', 'corosync', 'journal') as fc.Arbitrary<'pacemaker' | 'corosync' | 'journal'>), ([text, origin]) => {
      const l = parseLine(text, { node: 'node1', origin, clock: CLOCK, arrivedAt: 1_764_600_000_000 });
      if (!Number.isFinite(l.time)) fail(`time ${l.time} for ${JSON.stringify(text)}`);
      if (!l.parsed && text.trim() !== '' && l.raw === '') fail(`an unparsed line lost its text: ${JSON.stringify(text)}`);
      if (l.node !== 'node1' && !l.parsed) fail('an unparsed line changed node');
    }, numRuns, seed),
};

export const ALL_PROPERTIES: readonly Property[] = [corosyncProperty, crmMonProperty, cibProperty, crmProperty, logLineProperty, quotingProperty];
