/**
 * The hostile-input properties' long mode: 100,000 random cases per parser and for the quoting function
 * (test/property/properties.ts; `npm test` runs a few hundred of each). A counterexample fails the bench with
 * fast-check's report and its seed, so it can be replayed.
 *
 *   node --import tsx bench/property.bench.ts [CASES]      (default 100000; PCX_PROPERTY_RUNS also sets it)
 */
import { ALL_PROPERTIES } from '../test/property/properties';
import type { BenchRow } from './lib';

const DEFAULT_CASES = 100_000;

export async function bench(cases = Number(process.env.PCX_PROPERTY_RUNS ?? DEFAULT_CASES)): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const p of ALL_PROPERTIES) {
    const seed = Date.now() % 2 ** 31;
    const t0 = performance.now();
    try {
      p.check(cases, seed);
    } catch (e) {
      throw new Error(`property failed (seed ${seed}): ${p.name}\n${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    const ms = performance.now() - t0;
    rows.push({ name: `${p.name.split(':')[0]}: ${cases} hostile cases, no failure`, value: (ms / cases) * 1000, unit: 'ms', note: `ms per 1000 cases; total ${(ms / 1000).toFixed(1)} s, seed ${seed}` });
  }
  return rows;
}

if (require.main === module) {
  const cases = process.argv[2] ? Number(process.argv[2]) : undefined;
  bench(cases).then(
    (rows) => {
      for (const r of rows) console.log(`${r.name}  (${r.note})`);
    },
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : String(e));
      process.exit(1);
    },
  );
}
