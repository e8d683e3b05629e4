// Hostile input, bounded: each parser and the quoting function against a few hundred random cases per run.
// The same properties run 100,000 cases each in `npm run bench -- property` (bench/property.bench.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { ALL_PROPERTIES, CORPUS, cibSamples, crmMonSamples, rangeProblem } from '../../property/properties';

const RUNS = Number(process.env.PCX_PROPERTY_RUNS ?? 300);

for (const p of ALL_PROPERTIES) {
  test(`property: ${p.name}`, () => p.check(RUNS));
}

test('the XML properties mutate real samples: live fixtures always, and the upstream corpus where it is', () => {
  const withCorpus = existsSync(CORPUS);
  assert.ok(crmMonSamples().length >= (withCorpus ? 30 : 5), `crm_mon samples: ${crmMonSamples().length}`);
  assert.ok(cibSamples().length >= (withCorpus ? 40 : 5), `CIB samples: ${cibSamples().length}`);
  if (!withCorpus) assert.ok(!process.env.CI, `CI must have ${CORPUS}`);
});

test('rangeProblem catches a range outside the text and a reversed one (the check itself can fail)', () => {
  const d = (sl: number, sc: number, el: number, ec: number) => ({ code: 'x', message: 'm', source: 'test', severity: 'error' as const, range: { start: { line: sl, character: sc }, end: { line: el, character: ec } } });
  const lines = ['abc', 'de'];
  assert.equal(rangeProblem(d(0, 0, 1, 2), lines), undefined);
  assert.match(rangeProblem(d(0, 0, 2, 0), lines)!, /outside/);
  assert.match(rangeProblem(d(0, 4, 0, 4), lines)!, /outside/);
  assert.match(rangeProblem(d(1, 1, 0, 0), lines)!, /ends before/);
});
