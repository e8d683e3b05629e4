/**
 * Runs every bench/*.bench.ts and prints one table. Figures are reported as ratios against the real tool
 * measured side by side in the same run (crm_mon, pcs status, crm_verify, corosync -t): these machines are
 * noisy, so absolute milliseconds mean little on their own.
 *
 * A bench module exports `bench(): Promise<BenchRow[]>`; it returns [] (with a note) when what it needs —
 * e.g. the test cluster — is not there.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

import type { BenchRow } from './lib';

async function main(): Promise<void> {
  const only = process.argv[2];
  const files = readdirSync(__dirname).filter((f) => f.endsWith('.bench.ts') && (!only || f.includes(only))).sort();
  const rows: Array<BenchRow & { suite: string }> = [];
  for (const f of files) {
    const mod = (await import(join(__dirname, f))) as { bench(): Promise<BenchRow[]> };
    process.stderr.write(`bench: ${f}…\n`);
    for (const row of await mod.bench()) rows.push({ ...row, suite: f.replace('.bench.ts', '') });
  }
  const fmt = (v: number | undefined, unit = 'ms') => (v === undefined ? '' : `${v < 10 ? v.toFixed(2) : v.toFixed(1)} ${unit}`);
  const table = rows.map((r) => [
    r.suite,
    r.name,
    fmt(r.value, r.unit),
    r.baselineName ?? '',
    fmt(r.baseline, r.unit),
    r.baseline ? `${(r.value / r.baseline).toFixed(2)}×` : '',
    r.note ?? '',
  ]);
  const head = ['suite', 'measured', 'value', 'real tool', 'value', 'ratio', 'note'];
  const widths = head.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(line(head));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of table) console.log(line(row));
}

main().catch((e: unknown) => {
  console.error(`bench: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
