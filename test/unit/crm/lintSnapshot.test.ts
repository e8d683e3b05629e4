// The crm linter's complete output (every diagnostic: code, range, severity, message, fixes) over a fixed set of
// inputs, held against a snapshot: performance work on the parser, model and rules must not change one byte of
// it. Inputs: the fixtures, the crmsh corpus files, every corpus CIB rendered to crm syntax, the bench's
// 10,000-line spec, and seeded mutations of all of these (lines dropped, duplicated, words misspelt), so the
// error paths of most rules are covered too. After an intended change of the linter's output, regenerate with
// PCX_UPDATE_LINT_SNAPSHOT=1 and review the diff of the counts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { cibXmlToCrm } from '../../../src/core/crm/fromCib';
import { lintCrm } from '../../../src/core/crm/lint';
import { spec } from '../../../bench/crm.bench';
import { assertReadAll, CORPUS_DIR, CORPUS_MINIMUM, corpusFiles, corpusSkip } from '../../corpus';

const root = resolve(__dirname, '..', '..', '..');
const fixtures = join(root, 'test', 'fixtures', 'crm');
const snapshotFile = join(__dirname, 'lint-snapshot.json');

interface Entry {
  readonly count: number;
  readonly codes: Record<string, number>;
  readonly sha256: string;
}

/** A small seeded PRNG (mulberry32), so every run mutates the same way. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mutations(name: string, text: string): Array<[string, string]> {
  const seed = [...name].reduce((h, ch) => (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0, 7);
  const rnd = prng(seed);
  const pick = (n: number) => Math.floor(rnd() * n);
  const out: Array<[string, string]> = [];
  for (let v = 0; v < 3; v++) {
    const lines = text.split('\n');
    for (let k = 0; k < 1 + Math.floor(lines.length / 40); k++) {
      const i = pick(lines.length);
      const kind = pick(3);
      if (kind === 0) lines.splice(i, 1);
      else if (kind === 1) lines.splice(i, 0, lines[i] ?? '');
      else {
        const words = (lines[i] ?? '').split(' ');
        const w = pick(words.length);
        const word = words[w] ?? '';
        const at = pick(word.length + 1);
        words[w] = word.slice(0, at) + 'xq'[pick(2)] + word.slice(at + 1);
        lines[i] = words.join(' ');
      }
    }
    out.push([`${name} (mutation ${v + 1})`, lines.join('\n')]);
  }
  return out;
}

function entryOf(text: string): Entry {
  const diagnostics = lintCrm(text).diagnostics;
  const codes: Record<string, number> = {};
  for (const d of diagnostics) codes[d.code] = (codes[d.code] ?? 0) + 1;
  return { count: diagnostics.length, codes, sha256: createHash('sha256').update(JSON.stringify(diagnostics)).digest('hex') };
}

function inputs(part: 'local' | 'corpus'): Array<[string, string]> {
  const base: Array<[string, string]> = [];
  if (part === 'local') {
    for (const f of readdirSync(fixtures).filter((f) => f.endsWith('.crm')).sort()) base.push([`fixtures/${f}`, readFileSync(join(fixtures, f), 'utf8')]);
    base.push(['bench spec(2500)', spec(2500)]);
  } else {
    for (const f of corpusFiles('crm', '.crm')) base.push([`corpus/crm/${basename(f)}`, readFileSync(f, 'utf8')]);
    for (const f of corpusFiles('cib', '.xml')) {
      const crm = cibXmlToCrm(readFileSync(f, 'utf8'));
      if (crm.ok) base.push([`corpus/${f.slice(CORPUS_DIR.length + 1)} as crm`, crm.value.text]);
    }
  }
  return base.flatMap(([name, text]) => [[name, text], ...mutations(name, text)] as Array<[string, string]>);
}

function check(part: 'local' | 'corpus'): Record<string, Entry> {
  const all = inputs(part);
  const actual = Object.fromEntries(all.map(([name, text]) => [name, entryOf(text)]));
  const stored = existsSync(snapshotFile) ? (JSON.parse(readFileSync(snapshotFile, 'utf8')) as Record<string, Entry>) : {};
  if (process.env['PCX_UPDATE_LINT_SNAPSHOT'] === '1') {
    writeFileSync(snapshotFile, JSON.stringify({ ...stored, ...actual }, null, 1) + '\n');
    return actual;
  }
  const missing = Object.keys(actual).filter((k) => !(k in stored));
  assert.deepEqual(missing, [], 'inputs without a snapshot entry (PCX_UPDATE_LINT_SNAPSHOT=1 adds them)');
  for (const [name, entry] of Object.entries(actual)) assert.deepEqual(entry, stored[name], `lint output of ${name} changed`);
  return actual;
}

test('the crm linter reports exactly the snapshot on the fixtures, the bench spec and their mutations', () => {
  const checked = Object.values(check('local'));
  // The mutations must reach the rules, not only the parser: many different codes, hundreds of diagnostics.
  const codes = new Set(checked.flatMap((e) => Object.keys(e.codes)));
  assert.ok(codes.size >= 15, `the local inputs cover ${codes.size} diagnostic codes: ${[...codes].join(', ')}`);
  assert.ok(checked.reduce((n, e) => n + e.count, 0) >= 1000, 'the local inputs give at least 1,000 diagnostics');
});

test('the crm linter reports exactly the snapshot on the corpus (crmsh files, CIBs rendered to crm) and their mutations', { skip: corpusSkip('crm') }, () => {
  assertReadAll('lint snapshot: crm corpus', corpusFiles('crm', '.crm').length, corpusFiles('crm', '.crm'), 20);
  assertReadAll('lint snapshot: cib corpus', corpusFiles('cib', '.xml').length, corpusFiles('cib', '.xml'), CORPUS_MINIMUM.cib);
  const checked = Object.values(check('corpus'));
  assert.ok(new Set(checked.flatMap((e) => Object.keys(e.codes))).size >= 25, 'the corpus inputs cover at least 25 diagnostic codes');
});
