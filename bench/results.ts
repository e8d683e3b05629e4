/**
 * bench/RESULTS.md is written by `npm run bench` itself (run.ts), from one run: the machine (CPU, cores, memory,
 * OS, Node, the Pacemaker/Corosync tools), its load average before and after every suite, the date, the commit, the
 * target, and the table — every row beside the real tool measured in the same run, with the ratio and the target.
 * Nothing in it is typed by hand; analyses of earlier runs live in bench/NOTES.md, each dated where/when measured.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';
import type { BenchRow } from './lib';

export type SuiteRow = BenchRow & { readonly suite: string };

/** One sample of the 1/5/15-minute load average, with when and before which suite it was taken. */
export interface LoadSample {
  readonly at: string;
  readonly when: string;
  readonly load: readonly [number, number, number];
}

export function loadSample(when: string): LoadSample {
  const [a, b, c] = loadavg();
  return { at: new Date().toISOString(), when, load: [a ?? 0, b ?? 0, c ?? 0] };
}

function firstLine(cmd: string, args: readonly string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 10_000 });
  const text = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n')[0]?.trim();
  return r.error || !text ? 'not installed' : text;
}

function osName(): string {
  if (!existsSync('/etc/os-release')) return 'unknown OS';
  return /^PRETTY_NAME="?([^"\n]*)"?/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? 'unknown OS';
}

/** What the machine is, as lines of the RESULTS.md header. */
export function machineLines(root: string): string[] {
  const cpu = cpus();
  const git = spawnSync('git', ['-C', root, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).stdout?.trim() || 'unknown';
  const dirty = spawnSync('git', ['-C', root, 'status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' }).stdout?.trim() ? ' (with uncommitted changes)' : '';
  return [
    `- **CPU**: ${cpu.length} × ${cpu[0]?.model?.trim() ?? 'unknown'}`,
    `- **Memory**: ${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `- **OS**: ${osName()}, Linux ${release()}; Node ${process.version}`,
    `- **Tools on this machine**: ${firstLine('crm_mon', ['--version'])}; ${firstLine('corosync', ['-v'])}; ${firstLine('ssh', ['-V'])}`,
    `- **Commit**: ${git}${dirty}`,
  ];
}

function fmt(v: number | undefined, unit = 'ms'): string {
  if (v === undefined) return '';
  if (!Number.isFinite(v)) return 'not measured';
  return `${v < 10 ? v.toFixed(2) : v.toFixed(1)} ${unit}`;
}

/** The table, as markdown (also what the terminal gets). */
export function tableLines(rows: readonly SuiteRow[]): string[] {
  const table = rows.map((r) => [
    r.suite,
    r.name,
    fmt(r.value, r.unit),
    r.baselineName ?? '',
    fmt(r.baseline, r.unit),
    r.baseline && Number.isFinite(r.value) && Number.isFinite(r.baseline) ? `${(r.value / r.baseline).toFixed(2)}×` : '',
    r.target ? `${r.met === undefined || !Number.isFinite(r.value) ? 'not judged: ' : r.met ? 'met: ' : 'MISSED: '}${r.target}` : '',
    (r.note ?? '').replace(/\|/g, '\\|'),
  ]);
  const head = ['suite', 'measured', 'value', 'real tool', 'value', 'ratio', 'target', 'note'];
  const widths = head.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...table.map(line)];
}

export interface RunRecord {
  readonly command: string;
  readonly target: string;
  readonly started: Date;
  readonly ended: Date;
  readonly loads: readonly LoadSample[];
  readonly rows: readonly SuiteRow[];
  readonly skipped: readonly string[];
}

/** The whole of bench/RESULTS.md for one run. */
export function resultsMarkdown(root: string, run: RunRecord): string {
  const iso = (d: Date) => d.toISOString().replace(/\.\d+Z$/, 'Z');
  const ones = run.loads.map((l) => l.load[0]);
  const met = run.rows.filter((r) => r.target && r.met === true && Number.isFinite(r.value)).length;
  const missed = run.rows.filter((r) => r.target && r.met === false && Number.isFinite(r.value)).length;
  return [
    '# Benchmark results',
    '',
    `Written by \`${run.command}\` (bench/run.ts, bench/results.ts) — one run, nothing edited by hand. Analyses of`,
    'earlier runs (activation split, lint profile, where change-to-view time goes, the poll interval) are in',
    'bench/NOTES.md, each with where and when it was measured.',
    '',
    `- **Date**: ${iso(run.started)} – ${iso(run.ended)} (${((run.ended.getTime() - run.started.getTime()) / 60_000).toFixed(1)} min)`,
    `- **Target**: ${run.target}`,
    ...machineLines(root),
    `- **Load average (1 min) during the run**: ${Math.min(...ones).toFixed(1)}–${Math.max(...ones).toFixed(1)} on ${cpus().length} cores (samples below). The machine is shared: read the ratios (each row's real tool ran in the same minutes), not the milliseconds.`,
    `- **Targets**: ${met} met, ${missed} missed, ${run.rows.filter((r) => r.target && (r.met === undefined || !Number.isFinite(r.value))).length} not judged in this run.`,
    ...(run.skipped.length ? [`- **Not measured in this run**: ${run.skipped.join('; ')}`] : []),
    '',
    '## The table',
    '',
    ...tableLines(run.rows),
    '',
    '## Load average during the run',
    '',
    '| time (UTC) | before | 1 min | 5 min | 15 min |',
    '|---|---|---|---|---|',
    ...run.loads.map((l) => `| ${l.at.slice(11, 19)} | ${l.when} | ${l.load[0].toFixed(2)} | ${l.load[1].toFixed(2)} | ${l.load[2].toFixed(2)} |`),
    '',
  ].join('\n');
}

export const RESULTS_FILE = (root: string) => join(root, 'bench', 'RESULTS.md');
