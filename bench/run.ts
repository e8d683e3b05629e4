/**
 * `npm run bench [-- SUITE] [--host H …] [--ssh-config F] [--known-hosts F] [--user U] [--sudo] [--quick] [--json]`
 *
 * Runs every bench/*.bench.ts (or those whose name contains SUITE) and prints one table: each figure beside the
 * real tool measured in the same run (crm_mon, pcs status, crm status, cibadmin, corosync -t), the ratio, and
 * the target the row is held to. These machines are noisy, so absolute milliseconds mean little on their own.
 * Default target: the project's test cluster (PCX_CLUSTER_INSTANCE honoured); `--host` points it at any cluster
 * (rows that break things on purpose run only on the test cluster). `--json`: one JSON object per row.
 *
 * A bench module exports `bench(): Promise<BenchRow[]>` and reads the options from bench/context.ts; it returns
 * [] (with a note on stderr) when what it needs is not there.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { cpus, totalmem } from 'node:os';
import { parseBenchArgs, setBenchContext } from './context';
import type { BenchRow } from './lib';

async function main(): Promise<void> {
  const ctx = parseBenchArgs(process.argv.slice(2));
  setBenchContext(ctx);
  // The property bench is its own long run (100,000 cases per parser): only when asked for by name.
  const files = readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.ts') && (ctx.only ? f.includes(ctx.only) : f !== 'property.bench.ts'))
    .sort();
  process.stderr.write(`bench: ${ctx.target ? `cluster ${ctx.target.hosts.join(', ')}${ctx.isTestCluster ? ` (test cluster, instance ${ctx.instance})` : ''}` : 'no cluster (cluster rows skipped)'}${ctx.quick ? ', quick' : ''}; ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB\n`);
  const rows: Array<BenchRow & { suite: string }> = [];
  for (const f of files) {
    const mod = (await import(join(__dirname, f))) as { bench(): Promise<BenchRow[]> };
    process.stderr.write(`bench: ${f}…\n`);
    for (const row of await mod.bench()) rows.push({ ...row, suite: f.replace('.bench.ts', '') });
  }
  if (ctx.json) {
    for (const r of rows) console.log(JSON.stringify({ ...r, ratio: r.baseline ? r.value / r.baseline : undefined }));
    return;
  }
  const fmt = (v: number | undefined, unit = 'ms') => (v === undefined ? '' : `${v < 10 ? v.toFixed(2) : v.toFixed(1)} ${unit}`);
  const table = rows.map((r) => [
    r.suite,
    r.name,
    fmt(r.value, r.unit),
    r.baselineName ?? '',
    fmt(r.baseline, r.unit),
    r.baseline ? `${(r.value / r.baseline).toFixed(2)}×` : '',
    r.target ? `${r.met === undefined ? '' : r.met ? 'met: ' : 'MISSED: '}${r.target}` : '',
    r.note ?? '',
  ]);
  const head = ['suite', 'measured', 'value', 'real tool', 'value', 'ratio', 'target', 'note'];
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
