// bench/RESULTS.md is written by `npm run bench` (bench/results.ts): the generator puts the machine, the load
// average of the run, the date and every row beside its real tool in it, a row that was not measured says so
// instead of NaN, and the committed file is such a generated file (not a hand-written one).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resultsMarkdown, type SuiteRow } from '../../../bench/results';

const root = join(__dirname, '..', '..', '..');

test('the generated RESULTS.md holds the machine, the load, the date and each row with its real tool and ratio', () => {
  const rows: SuiteRow[] = [
    { suite: 'refresh', name: 'status refresh', value: 200, baselineName: 'crm_mon on the node', baseline: 100, target: '≤ 1.5 × crm_mon', met: false },
    { suite: 'footprint', name: 'activation', value: Number.NaN, target: '≤ 50 ms', note: 'the stand-in failed' },
  ];
  const md = resultsMarkdown(root, {
    command: 'npm run bench -- --quick',
    target: 'node1, node2',
    started: new Date('2026-12-07T16:00:00Z'),
    ended: new Date('2026-12-07T16:09:00Z'),
    loads: [{ at: '2026-12-07T16:00:00.000Z', when: 'refresh.bench.ts', load: [3, 2, 1] }, { at: '2026-12-07T16:09:00.000Z', when: 'end', load: [5, 3, 1] }],
    rows,
    skipped: ['change.bench.ts: no rows (its reason is on stderr)'],
  });
  for (const want of [/\*\*Date\*\*: 2026-12-07T16:00:00Z – 2026-12-07T16:09:00Z \(9\.0 min\)/, /\*\*CPU\*\*: \d+ × /, /\*\*Memory\*\*: [\d.]+ GiB/, /\*\*Load average \(1 min\) during the run\*\*: 3\.0–5\.0 on \d+ cores/, /\| 16:09:00 \| end \| 5\.00 \|/, /\*\*Not measured in this run\*\*: change\.bench\.ts/]) {
    assert.match(md, want);
  }
  assert.match(md, /\| refresh +\| status refresh +\| 200\.0 ms +\| crm_mon on the node +\| 100\.0 ms +\| 2\.00× +\| MISSED: ≤ 1\.5 × crm_mon/);
  assert.match(md, /\| activation +\| not measured +\|.*\| not judged: ≤ 50 ms/);
  assert.doesNotMatch(md, /NaN/);
});

test('the committed bench/RESULTS.md is a generated one', () => {
  const md = readFileSync(join(root, 'bench', 'RESULTS.md'), 'utf8');
  assert.match(md, /^# Benchmark results\n\nWritten by `npm run bench/, 'bench/RESULTS.md is written by npm run bench (bench/results.ts), not by hand');
  assert.match(md, /## Load average during the run\n/);
  assert.doesNotMatch(md, /NaN/);
});
