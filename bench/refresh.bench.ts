/**
 * Issue 9, row 1: one status refresh over the persistent connection (crm_mon XML + CIB in parallel, parsed into
 * a snapshot) beside what the node itself needs for `crm_mon --output-as=xml`, `pcs status` and `crm status`
 * (timed ON the node: no ssh in those figures), and beside a fresh `ssh NODE crm_mon …` process. The CIB
 * version probe beside `cibadmin` on the node. The same refresh three ways — two persistent shells (the
 * default), one shell (a fair queue), and one exec channel per command (before the shell existed) — is how the
 * default was chosen. Finally the node-side CPU of the probe, which sets how often the explorer may poll.
 *
 * Targets (issue 9): refresh ≤ 1.5 × the node's own crm_mon time + 5 ms, and ≥ 10 × faster than pcs status.
 */
import { spawnSync } from 'node:child_process';
import { benchContext, firstHost, sshArgs } from './context';
import { timeRuns, type BenchRow } from './lib';
import { fetchChangeKey, fetchClusterXml, parseClusterXml, type ClusterTarget } from '../src/core/cluster/live';
import { buildSnapshot } from '../src/core/cluster/snapshot';
import { CommandRunner, commandLine } from '../src/core/remote/runner';
import { cibVersionProbe, cibXml, crmMonXml } from '../src/core/remote/commands';
import { quoteArgv } from '../src/core/util/shellQuote';
import { SshConnection, type ConnectOptions } from '../src/core/ssh/connection';
import { SshPool } from '../src/core/ssh/pool';

const noAgent: ConnectOptions = process.env.SSH_AUTH_SOCK ? {} : { resolveEnv: { env: {} } };

/**
 * Median wall time of argv run `runs` times ON the node, in one shell loop (no ssh, no login shell in the
 * figure), plus the CPU (user+sys) its processes used per run, from the shell's `times`.
 */
export async function onNode(runner: CommandRunner, argv: readonly string[], runs: number): Promise<{ median: number; cpuMs: number }> {
  const cmd = runner.sudo ? quoteArgv(['sudo', '-n', '--', ...argv]) : commandLine(argv, false);
  const script = `${cmd} >/dev/null 2>&1; for i in $(seq ${runs}); do s=$(date +%s%N); ${cmd} >/dev/null 2>&1; e=$(date +%s%N); echo $(( (e - s) / 1000 )); done; times`;
  const r = await runner.run(['sh', '-c', script], { sudo: false, timeoutMs: 300_000 });
  const lines = r.stdout.trim().split('\n');
  const times = lines.slice(0, runs).map((l) => Number(l) / 1000).sort((a, b) => a - b);
  if (times.length !== runs || times.some((x) => !Number.isFinite(x))) throw new Error(`node-side timing of ${cmd} gave: ${r.stdout} ${r.stderr}`);
  // `times`: two lines "XmY.YYYs XmY.YYYs" (shell, then children); children's user+sys over runs+1 runs.
  const seconds = (t: string) => {
    const m = /(\d+)m([\d.]+)s/.exec(t);
    return m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
  };
  const children = (lines.at(-1) ?? '').trim().split(/\s+/).map(seconds);
  return { median: times[Math.floor(runs / 2)], cpuMs: ((children[0] + children[1]) * 1000) / (runs + 1) };
}

export async function bench(): Promise<BenchRow[]> {
  const ctx = benchContext();
  if (!ctx.target) {
    process.stderr.write('refresh.bench: no cluster (give --host, or start the test cluster: bash test/cluster/cluster.sh ensure seed); skipped\n');
    return [];
  }
  const target: ClusterTarget = { ...ctx.target, hosts: [ctx.target.hosts[0]] };
  const host = target.hosts[0];
  const runs = ctx.quick ? 9 : 31;
  const nodeRuns = ctx.quick ? 5 : 11;
  const rows: BenchRow[] = [];

  const conn = await SshConnection.open(firstHost(target), noAgent);
  const runner = new CommandRunner(conn, conn.resolved.user, target.sudo ?? false);
  let node: Record<'crmMon' | 'pcs' | 'crm' | 'cib' | 'probe', { median: number; cpuMs: number }>;
  try {
    node = {
      crmMon: await onNode(runner, crmMonXml.argv, nodeRuns),
      pcs: await onNode(runner, ['pcs', 'status'], Math.min(nodeRuns, 5)),
      crm: await onNode(runner, ['crm', 'status'], Math.min(nodeRuns, 5)),
      cib: await onNode(runner, cibXml.argv, nodeRuns),
      probe: await onNode(runner, cibVersionProbe.argv, nodeRuns * 2),
    };
  } finally {
    conn.close();
  }

  const refreshWith = async (options: ConnectOptions) => {
    const pool = new SshPool({ ...noAgent, ...options });
    try {
      return await timeRuns(runs, async () => {
        const xml = await fetchClusterXml(target, { pool });
        const parsed = parseClusterXml(xml);
        if (!parsed.ok) throw new Error(`refresh.bench: ${parsed.error.message}`);
        buildSnapshot(parsed.value.crmMon, parsed.value.cib, { source: xml.host });
      });
    } finally {
      pool.closeAll();
    }
  };
  const shells2 = await refreshWith({ maxShells: 2 });
  const shells1 = await refreshWith({ maxShells: 1 });
  const exec = await refreshWith({ commandChannel: 'exec' });

  const goal = 1.5 * node.crmMon.median + 5;
  rows.push({
    name: 'status refresh, persistent shells ×2 (crm_mon XML + CIB, parse, snapshot)',
    value: shells2.median,
    baselineName: 'crm_mon --output-as=xml on the node',
    baseline: node.crmMon.median,
    target: `≤ 1.5 × crm_mon + 5 ms = ${goal.toFixed(1)} ms`,
    met: shells2.median <= goal,
    note: `p90 ${shells2.p90.toFixed(1)} ms; median of ${runs}; cibadmin --query alone on the node: ${node.cib.median.toFixed(1)} ms`,
  });
  rows.push({ name: 'status refresh, persistent shells ×2', value: shells2.median, baselineName: 'pcs status on the node', baseline: node.pcs.median, target: '≥ 10 × faster', met: node.pcs.median / shells2.median >= 10 });
  rows.push({ name: 'status refresh, persistent shells ×2', value: shells2.median, baselineName: 'crm status (crmsh) on the node', baseline: node.crm.median });
  rows.push({ name: 'status refresh, one shell (commands queued)', value: shells1.median, baselineName: 'persistent shells ×2', baseline: shells2.median, note: `p90 ${shells1.p90.toFixed(1)} ms: pool vs queue` });
  rows.push({ name: 'status refresh, one exec channel per command', value: exec.median, baselineName: 'persistent shells ×2', baseline: shells2.median, note: `p90 ${exec.p90.toFixed(1)} ms: what every refresh paid before` });

  // A fresh OpenSSH client per read, as scripts around crm_mon do.
  const sshRuns = ctx.quick ? 3 : 7;
  const fresh = await timeRuns(sshRuns, () => {
    const r = spawnSync('ssh', [...sshArgs(ctx), host, commandLine(crmMonXml.argv, target.sudo ?? false)], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 60_000 });
    if (r.status !== 0) throw new Error(`ssh ${host} crm_mon: exit ${r.status}: ${String(r.stderr)}`);
  });
  rows.push({ name: 'status refresh, persistent shells ×2', value: shells2.median, baselineName: `ssh ${host} crm_mon --output-as=xml (new process)`, baseline: fresh.median, note: `median of ${sshRuns}; crm_mon only, no CIB` });

  const pool = new SshPool(noAgent);
  try {
    const probe = await timeRuns(runs * 2, () => fetchChangeKey(target, { pool }));
    rows.push({ name: 'CIB version probe, persistent shell', value: probe.median, baselineName: 'cibadmin --query --local --xpath /cib --no-children on the node', baseline: node.probe.median, note: `p90 ${probe.p90.toFixed(1)} ms` });
  } finally {
    pool.closeAll();
  }
  // Node-side cost of polling: the probe's CPU per call (its processes' user+sys) at the explorer's interval.
  const share = (intervalMs: number) => (node.probe.cpuMs / intervalMs) * 100;
  rows.push({
    name: 'node CPU per probe (cibadmin user+sys)',
    value: node.probe.cpuMs,
    target: 'polling < 2% of one core',
    met: share(500) < 2,
    note: `= ${share(1000).toFixed(2)}% of a core at 1 s, ${share(500).toFixed(2)}% at 0.5 s, ${share(250).toFixed(2)}% at 0.25 s (+ sshd's share, see footprint)`,
  });
  return rows;
}
