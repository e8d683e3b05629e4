/**
 * Issue 9, row 5: footprint. The VSIX's size and the bundled extension's activation time (dist/extension.js
 * loaded and activate() called against a do-nothing stand-in for the vscode API: our own code's cost, not VS
 * Code's), then — on a cluster — what keeping the view open costs on a quiet cluster: our CPU and the SSH bytes
 * per minute of the explorer's poller at its default interval, and the same while hidden (must be zero).
 * `npm run package` makes dist/ and the VSIX; rows whose artefact is missing say so.
 * Targets (issue 9): activation ≤ 50 ms, VSIX ≤ 1 MB.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import { benchContext, firstHost } from './context';
import type { BenchRow } from './lib';
import { fetchChangeKey, fetchClusterXml, type ClusterTarget } from '../src/core/cluster/live';
import type { SshConnection } from '../src/core/ssh/connection';
import { SshPool } from '../src/core/ssh/pool';
import { ClusterPoller } from '../src/core/watch/poller';

const root = join(__dirname, '..');
const POLL_MS = 750;

/** Of the median activation measured: loading the bundle vs running activate(). */
let lastActivationSplit: { loadMs: number; activateMs: number; runs: number } | undefined;

/** Median of `runs` activations, each in a new node process (bench/activation.ts). */
function activationMs(runs: number): number | undefined {
  if (!existsSync(join(root, 'dist', 'extension.js'))) return undefined;
  const samples: Array<{ loadMs: number; activateMs: number }> = [];
  for (let i = 0; i < runs; i++) {
    const child = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, 'activation.ts')], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    if (child.status !== 0) throw new Error(child.stderr.trim().split('\n').pop() ?? `exit ${child.status}`);
    samples.push(JSON.parse(child.stdout) as { loadMs: number; activateMs: number });
  }
  samples.sort((a, b) => a.loadMs + a.activateMs - (b.loadMs + b.activateMs));
  const median = samples[Math.floor(samples.length / 2)]!;
  lastActivationSplit = { ...median, runs };
  return median.loadMs + median.activateMs;
}

function socketOf(conn: SshConnection): Socket | undefined {
  return (conn as unknown as { client?: { _sock?: Socket } }).client?._sock;
}

async function idleCost(target: ClusterTarget, seconds: number, visible: boolean): Promise<{ cpuMsPerMin: number; bytesPerMin: number; probes: number }> {
  const pool = new SshPool({ resolveEnv: { env: {} } });
  try {
    const conn = await pool.get(firstHost(target));
    const one: ClusterTarget = { ...target, hosts: [target.hosts[0]] };
    const poller = new ClusterPoller<string>({
      hosts: one.hosts,
      probeMs: POLL_MS,
      probe: async () => (await fetchChangeKey(one, { pool })).key,
      fetch: async () => {
        const xml = await fetchClusterXml(one, { pool });
        return { value: xml.crmMonXml, version: (await fetchChangeKey(one, { pool })).key };
      },
      onUpdate: () => undefined,
      onError: () => undefined,
    });
    poller.setVisible(true);
    await new Promise((r) => setTimeout(r, 3 * POLL_MS)); // past the first full read
    if (!visible) poller.setVisible(false);
    await new Promise((r) => setTimeout(r, POLL_MS)); // an in-flight tick finishes
    const sock = socketOf(conn);
    const bytes0 = (sock?.bytesRead ?? 0) + (sock?.bytesWritten ?? 0);
    const probes0 = poller.stats.probes + poller.stats.fetches;
    const cpu0 = process.cpuUsage();
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const cpu = process.cpuUsage(cpu0);
    const bytes = (sock?.bytesRead ?? 0) + (sock?.bytesWritten ?? 0) - bytes0;
    const probes = poller.stats.probes + poller.stats.fetches - probes0;
    poller.dispose();
    return { cpuMsPerMin: ((cpu.user + cpu.system) / 1000) * (60 / seconds), bytesPerMin: bytes * (60 / seconds), probes };
  } finally {
    pool.closeAll();
  }
}

export async function bench(): Promise<BenchRow[]> {
  const ctx = benchContext();
  const rows: BenchRow[] = [];
  const vsix = readdirSync(root).filter((f) => f.endsWith('.vsix')).map((f) => join(root, f)).sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  if (vsix) {
    const kib = statSync(vsix).size / 1024;
    rows.push({ name: 'VSIX size', value: kib, unit: 'KiB', target: '≤ 1 MB', met: kib <= 1000, note: vsix.slice(root.length + 1) });
  } else {
    rows.push({ name: 'VSIX size', value: NaN, note: 'no .vsix here: npm run package first' });
  }
  try {
    const activation = activationMs(ctx.quick ? 3 : 7);
    rows.push(activation === undefined ? { name: 'extension activation', value: NaN, note: 'no dist/extension.js: npm run package first' } : { name: 'extension activation (load bundle + activate, vscode API stubbed)', value: activation, target: '≤ 50 ms', met: activation <= 50, note: lastActivationSplit ? `median of ${lastActivationSplit.runs} new processes: load ${lastActivationSplit.loadMs.toFixed(0)} ms + activate ${lastActivationSplit.activateMs.toFixed(0)} ms` : undefined });
  } catch (e) {
    // The stand-in cannot play every part of the API the bundle touches while activating.
    rows.push({ name: 'extension activation', value: NaN, target: '≤ 50 ms', note: `not measured: the vscode stand-in failed (${e instanceof Error ? e.message : String(e)}); see the UI suite's activation time` });
  }

  if (!ctx.target) {
    process.stderr.write('footprint.bench: no cluster; idle-cost rows skipped\n');
    return rows;
  }
  const seconds = ctx.quick ? 10 : 60;
  const open = await idleCost(ctx.target, seconds, true);
  rows.push({ name: `view open on a quiet cluster, poll ${POLL_MS} ms: our CPU per minute`, value: open.cpuMsPerMin, note: `${(open.cpuMsPerMin / 600).toFixed(2)}% of a core; ${open.probes} probes in ${seconds} s` });
  rows.push({ name: 'view open: SSH bytes per minute', value: open.bytesPerMin / 1024, unit: 'KiB', note: 'both directions, on the wire (encrypted)' });
  const hidden = await idleCost(ctx.target, Math.min(seconds, 15), false);
  rows.push({ name: 'view hidden: SSH bytes per minute', value: hidden.bytesPerMin / 1024, unit: 'KiB', target: 'zero', met: hidden.probes === 0 && hidden.bytesPerMin < 1, note: `${hidden.probes} probes; keepalives excepted (15 s)` });
  return rows;
}
