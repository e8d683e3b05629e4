/**
 * `npm run bench [-- SUITE] [--host H …] [--ssh-config F] [--known-hosts F] [--user U] [--sudo] [--quick] [--json]`
 *
 * Runs every bench/*.bench.ts (or those whose name contains SUITE) and prints one table: each figure beside the
 * real tool measured in the same run (crm_mon, pcs status, crm status, cibadmin, corosync -t), the ratio, and
 * the target the row is held to. These machines are noisy, so absolute milliseconds mean little on their own.
 * Default target: the project's test cluster (PCX_CLUSTER_INSTANCE honoured); `--host` points it at any cluster
 * (rows that break things on purpose run only on the test cluster). `--json`: one JSON object per row.
 *
 * A run of every suite (no SUITE, no --json) writes bench/RESULTS.md itself (bench/results.ts): the machine, its load
 * average before each suite, the date, the commit and the table; `--no-write` only prints.
 *
 * A bench module exports `bench(): Promise<BenchRow[]>` and reads the options from bench/context.ts; it returns
 * [] (with a note on stderr) when what it needs is not there.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus, totalmem } from 'node:os';
import { parseBenchArgs, setBenchContext } from './context';
import type { BenchRow } from './lib';
import { loadSample, type LoadSample, resultsMarkdown, RESULTS_FILE, tableLines, type SuiteRow } from './results';

async function main(): Promise<void> {
  const started = new Date();
  const write = !process.argv.includes('--no-write');
  const ctx = parseBenchArgs(process.argv.slice(2).filter((a) => a !== '--no-write'));
  setBenchContext(ctx);
  // The property bench is its own long run (100,000 cases per parser): only when asked for by name.
  const files = readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.ts') && (ctx.only ? f.includes(ctx.only) : f !== 'property.bench.ts'))
    .sort();
  process.stderr.write(`bench: ${ctx.target ? `cluster ${ctx.target.hosts.join(', ')}${ctx.isTestCluster ? ` (test cluster, instance ${ctx.instance})` : ''}` : 'no cluster (cluster rows skipped)'}${ctx.quick ? ', quick' : ''}; ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB\n`);
  const rows: SuiteRow[] = [];
  const loads: LoadSample[] = [];
  const skipped: string[] = [];
  for (const f of files) {
    loads.push(loadSample(f));
    const mod = (await import(join(__dirname, f))) as { bench(): Promise<BenchRow[]> };
    process.stderr.write(`bench: ${f}…\n`);
    const got = await mod.bench();
    if (got.length === 0) skipped.push(`${f}: no rows (its reason is on stderr)`);
    for (const row of got) rows.push({ ...row, suite: f.replace('.bench.ts', '') });
  }
  loads.push(loadSample('end'));
  if (ctx.json) {
    for (const r of rows) console.log(JSON.stringify({ ...r, ratio: r.baseline ? r.value / r.baseline : undefined }));
    return;
  }
  for (const l of tableLines(rows)) console.log(l);
  if (write && !ctx.only) {
    const target = ctx.target ? `${ctx.target.hosts.join(', ')}${ctx.isTestCluster ? ` — the project's test cluster, instance ${ctx.instance} (two network-namespace nodes on this same machine)` : ''}` : 'no cluster (cluster rows not measured)';
    const command = `npm run bench${ctx.quick ? ' -- --quick' : ''}`;
    writeFileSync(RESULTS_FILE(join(__dirname, '..')), resultsMarkdown(join(__dirname, '..'), { command, target, started, ended: new Date(), loads, rows, skipped }));
    process.stderr.write(`bench: wrote ${RESULTS_FILE(join(__dirname, '..'))}\n`);
  }
}

main().catch((e: unknown) => {
  console.error(`bench: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
