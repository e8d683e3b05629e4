// CIB → crm text → CIB round trip on every CIB of the shared corpus: the 854 files of Pacemaker's scheduler
// regression suite (../shared/corpus/scheduler-full, cts/scheduler/xml) and the 51 of corpus/cib (scheduler
// samples incl. 1.1/2.0 <master> files, pcs, Hawk, Pacemaker's CLI tests): rendering a CIB as crm syntax and
// compiling it again gives the same configuration after canonicalisation (canonical.ts). Two conversions crmsh
// itself makes are applied to the original before comparing: an rsc_order's legacy `score` becomes `kind`
// (crmsh parse.py score_to_kind), and a rule without a score gets score=INFINITY (crmsh match_rules); fencing
// levels are renumbered 1, 2… per target in order. Files with statements pcx cannot render (ACL schema 1 users,
// nested rules, …) must say so in `unsupported`; they are counted and named, not compared.
// The test asserts the EXACT counts below and prints them as one line, which README.md and docs/crm.md quote:
//   # round trip: 890 of 905 CIBs identical (854 scheduler-full + 51 corpus/cib), 0 differ, 15 name what crm syntax cannot say: …
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { XmlElement } from '../../../src/core/util/xml';
import { child, parseXmlDocument } from '../../../src/core/util/xml';
import { compileCrm } from '../../../src/core/crm/compile';
import { cibXmlToCrm } from '../../../src/core/crm/fromCib';
import { parseCrm } from '../../../src/core/crm/parser';
import { pretty } from './canonical';
import { assertReadAll, CORPUS_MINIMUM, corpusFiles, corpusSkip } from '../../corpus';

/**
 * What the last change of the renderer or compiler reached, asserted exactly: a change that makes a file
 * round-trip (or stop) must update these numbers, the list, and the README/docs/crm.md line quoting them.
 */
const EXPECTED = {
  schedulerFull: 854,
  corpusCib: 51,
  identical: 890,
  differ: 0,
  /** Files whose crm rendering names what crm syntax cannot say (counted, not compared). */
  unsupported: [
    'cib/hawk/all-resource-types-demoted.xml',
    'cib/hawk/all-resource-types-failed-child.xml',
    'cib/hawk/all-resource-types.xml',
    'cib/hawk/extra-clone-instance.xml',
    'cib/pcs-cib-all.xml',
    'scheduler-full/base-score.xml',
    'scheduler-full/location-date-rules-1.xml',
    'scheduler-full/location-date-rules-2.xml',
    'scheduler-full/nvpair-date-rules-1.xml',
    'scheduler-full/op-defaults-2.xml',
    'scheduler-full/op-defaults-3.xml',
    'scheduler-full/op-defaults.xml',
    'scheduler-full/order-wrong-kind.xml',
    'scheduler-full/rsc-defaults-2.xml',
    'scheduler-full/rsc-defaults.xml',
  ],
} as const;

/** crmsh's own conversions, applied to the original CIB before comparing. */
function asCrmshWrites(e: XmlElement): XmlElement {
  let attrs = { ...e.attrs };
  if (e.name === 'rsc_order' && attrs.score !== undefined && attrs.kind === undefined) {
    const { score, ...rest } = attrs;
    attrs = { ...rest, kind: /^[+-]?0+$/.test(score) ? 'Optional' : 'Mandatory' };
  }
  if (e.name === 'rule' && attrs.score === undefined && attrs['score-attribute'] === undefined && attrs['id-ref'] === undefined) attrs = { ...attrs, score: 'INFINITY' };
  if (attrs.score !== undefined) attrs.score = attrs.score.replace(/^\+INFINITY$/, 'INFINITY');
  // Forms that mean the same to Pacemaker, which crm syntax cannot tell apart: a set's sequential="true" is the
  // default; a rule's boolean-op with one expression does nothing; an empty <operations/> holds nothing; a
  // colocation without a score has score 0 (pcmk__unpack_colocation); within an attribute set the rule is
  // written first (crmsh's order), nvpair order is kept.
  if (e.name === 'resource_set' && attrs.sequential === 'true') attrs = Object.fromEntries(Object.entries(attrs).filter(([k]) => k !== 'sequential'));
  if (e.name === 'rule' && e.children.filter((c) => c.name !== 'rule').length <= 1 && attrs['boolean-op'] !== undefined) attrs = Object.fromEntries(Object.entries(attrs).filter(([k]) => k !== 'boolean-op'));
  if (e.name === 'rsc_colocation' && attrs.score === undefined && attrs['score-attribute'] === undefined) attrs = { ...attrs, score: '0' };
  let children = e.children.filter((c) => !(c.name === 'operations' && c.children.length === 0)).map(asCrmshWrites);
  if (['instance_attributes', 'meta_attributes', 'utilization', 'cluster_property_set'].includes(e.name)) children = [...children.filter((c) => c.name === 'rule'), ...children.filter((c) => c.name !== 'rule')];
  if (e.name === 'fencing-topology') {
    // crm syntax lists a target's levels in order and crmsh numbers them 1, 2, …: only the order is kept.
    const next = new Map<string, number>();
    children = [...children]
      .sort((x, y) => Number(x.attrs.index) - Number(y.attrs.index))
      .map((l) => {
        const t = l.attrs.target ?? l.attrs['target-pattern'] ?? `${l.attrs['target-attribute']}=${l.attrs['target-value']}`;
        const i = (next.get(t) ?? 0) + 1;
        next.set(t, i);
        return { ...l, attrs: { ...l.attrs, index: String(i) } };
      });
  }
  return { ...e, attrs, children };
}

function roundTrip(file: string): { equal: boolean; unsupported: readonly string[]; diff?: string } {
  const xml = readFileSync(file, 'utf8');
  const shown = cibXmlToCrm(xml);
  assert.ok(shown.ok, `${file}: ${!shown.ok && shown.error.message}`);
  // Left out and said so: counted, not compared (the text may not even parse where a part is missing).
  if (shown.value.unsupported.length) return { equal: false, unsupported: shown.value.unsupported };
  const doc = parseCrm(shown.value.text);
  assert.deepEqual(doc.problems, [], `${file}: our own crm text does not parse`);
  const back = parseXmlDocument(compileCrm(doc).xml, 'compiled');
  // Our own output gets the same equivalences (the compiler writes sequential="true" where crm syntax says so).
  const orig = parseXmlDocument(xml, 'original');
  assert.ok(back.ok && orig.ok);
  const a = pretty(asCrmshWrites(back.value));
  const b = pretty(asCrmshWrites(child(orig.value, 'configuration')!));
  return { equal: a === b, unsupported: shown.value.unsupported, diff: a === b ? undefined : `--- ours\n${a}\n--- original\n${b}` };
}

test('CIB → crm → CIB round-trips on every corpus CIB (scheduler-full + corpus/cib), exact counts', { skip: corpusSkip('scheduler-full') }, () => {
  const full = corpusFiles('scheduler-full', '.xml');
  const cib = corpusFiles('cib', '.xml');
  const files = [...full, ...cib];
  let equal = 0;
  const left: string[] = [];
  const leftNames: string[] = [];
  const differ: string[] = [];
  for (const f of files) {
    let r: ReturnType<typeof roundTrip>;
    try {
      r = roundTrip(f);
    } catch (e) {
      differ.push(`${f}: ${e instanceof Error ? e.message : String(e)}`);
      continue;
    }
    if (r.unsupported.length) {
      leftNames.push(relative(f));
      left.push(`${basename(f)} (${r.unsupported.join(', ')})`);
      continue;
    }
    if (r.equal) equal++;
    else differ.push(`${f} does not round-trip:\n${r.diff}`);
  }
  process.stdout.write(
    `# round trip: ${equal} of ${files.length} CIBs identical (${full.length} scheduler-full + ${cib.length} corpus/cib), ${differ.length} differ, ${left.length} name what crm syntax cannot say: ${left.join('; ')}\n`,
  );
  assertReadAll('round trip: scheduler-full', full.length, full, CORPUS_MINIMUM.schedulerFull);
  assertReadAll('round trip: corpus/cib', cib.length, cib, CORPUS_MINIMUM.cib);
  assert.deepEqual(differ.map((d) => d.split('\n')[0]), [], differ[0]);
  const update = 'update EXPECTED in test/unit/crm/roundtrip.test.ts and the README/docs/crm.md line that quotes it';
  assert.deepEqual([full.length, cib.length], [EXPECTED.schedulerFull, EXPECTED.corpusCib], `the corpus changed size: ${update}`);
  assert.deepEqual(leftNames.sort(), [...EXPECTED.unsupported].sort(), `the files left out as unsupported changed: ${update}`);
  assert.equal(equal, EXPECTED.identical, `${equal} CIBs round-trip identically, expected exactly ${EXPECTED.identical}: ${update}`);
  assert.equal(equal + differ.length + left.length, files.length);
});

/** corpus-relative name: scheduler-full/x.xml, cib/hawk/y.xml. */
function relative(f: string): string {
  const at = f.lastIndexOf('/scheduler-full/');
  return at >= 0 ? f.slice(at + 1) : f.slice(f.lastIndexOf('/cib/') + 1);
}
