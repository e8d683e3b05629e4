// CIB → crm text → CIB round trip on Pacemaker's scheduler regression CIBs (../shared/corpus/cib/scheduler):
// rendering a CIB as crm syntax and compiling it again gives the same configuration after canonicalisation
// (canonical.ts). Two conversions crmsh itself makes are applied to the original before comparing:
// an rsc_order's legacy `score` becomes `kind` (crmsh parse.py score_to_kind), and a rule without a score
// gets score=INFINITY (crmsh match_rules); fencing levels are renumbered 1, 2… per target in order. Files with statements pcx cannot render yet (ACLs, …)
// must say so in `unsupported`; they are counted, not compared.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { XmlElement } from '../../../src/core/util/xml';
import { child, parseXmlDocument } from '../../../src/core/util/xml';
import { compileCrm } from '../../../src/core/crm/compile';
import { cibXmlToCrm } from '../../../src/core/crm/fromCib';
import { parseCrm } from '../../../src/core/crm/parser';
import { pretty } from './canonical';

const repoRoot = resolve(__dirname, '..', '..', '..');
const shared = process.env.PCX_SHARED ?? resolve(repoRoot, '..', 'shared');
const scheduler = join(shared, 'corpus', 'cib', 'scheduler');
const cibDir = join(shared, 'corpus', 'cib');
const inCi = process.env.CI === 'true';
const have = existsSync(scheduler);

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

/**
 * PCX_EXTRA_CIB_DIR: more CIBs to round-trip (e.g. every file of an upstream checkout's cts/scheduler/xml) —
 * for a developer's run; CI reads the corpus only (fetched files are never committed here).
 */
const extraDir = process.env.PCX_EXTRA_CIB_DIR;

test('CIB → crm → CIB round-trips on the scheduler corpus', { skip: have || inCi ? false : '../shared/corpus absent' }, () => {
  const hawk = join(cibDir, 'hawk');
  const dirs = [scheduler, cibDir, hawk, ...(extraDir ? [extraDir] : [])];
  const files = dirs.filter(existsSync).flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.xml')).sort().map((f) => join(d, f)));
  // The corpus holds 30 scheduler CIBs (not 100: see ../shared/corpus/SOURCES.md), 14 other CIBs and 7 from Hawk.
  assert.ok(files.length >= 50, `expected ≥ 50 CIB files, found ${files.length}`);
  let equal = 0;
  const left: string[] = [];
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
      left.push(`${f.split('/').pop()} (${r.unsupported.join(', ')})`);
      continue;
    }
    if (r.equal) equal++;
    else differ.push(`${f} does not round-trip:\n${r.diff}`);
  }
  process.stdout.write(`# round trip: ${equal} of ${files.length} CIBs identical; ${differ.length} differ; ${left.length} with parts pcx does not render: ${left.join('; ')}\n`);
  assert.deepEqual(differ.map((d) => d.split('\n')[0]), [], differ[0]);
  assert.ok(equal >= 46, `only ${equal} files round-trip`);
});
