/**
 * Issue 19, "a dead node costs 21 s": the time from request to answer of one status read (what `pcx status`
 * does in-process: a fresh pool, crm_mon + CIB through the first host that answers — hedged, 1.5 s — then the
 * Redis/VIP workload read, pool closed), with node1 — the host asked first — dead in three ways, beside the same
 * read while it is healthy. Each fault both ways: `--host node1 --host node2`, and node1 alone with its members
 * remembered from a good read. Target: ≤ 3 s each.
 *
 *  - node1's path cut: `cluster.sh fault node1 cut-from-host` (our packets to node1 blackholed: no TCP, as with its
 *    link down, but the nodes still see each other, so the cluster does not fail over and need no rebuild);
 *  - CIB daemon stopped: SIGSTOP pacemaker-based on node1 for one read at a time, CONTinued at once after it
 *    (pacemakerd kills a CIB daemon stopped for ~30 s);
 *  - sshd stopped: `cluster.sh fault node1 sshd-stop`, then sshd-start.
 *
 * Each row also says whether the answer came through node2 with node1 named for the right reason ("WRONG" if not).
 * Test cluster only (it breaks node1 on purpose); returns [] elsewhere.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { benchContext } from './context';
import type { BenchRow } from './lib';
import { hostProblemOf } from '../src/core/cluster/hostProblem';
import { fetchClusterXml, parseClusterXml, type ClusterTarget } from '../src/core/cluster/live';
import type { MemberMemory, RememberedNodes } from '../src/core/cluster/memberMemory';
import { buildSnapshot } from '../src/core/cluster/snapshot';
import { SshPool } from '../src/core/ssh/pool';
import { readWorkload } from '../src/core/workload/read';

const RUNS = 3;
const TARGET_MS = 3_000;
const CLUSTER_SH = join(__dirname, '..', 'test', 'cluster', 'cluster.sh');
const noAgent = { resolveEnv: { env: {} } };

function cluster(...args: string[]): void {
  const r = spawnSync('bash', [CLUSTER_SH, ...args], { encoding: 'utf8', timeout: 600_000, env: { ...process.env, PCX_CLUSTER_INSTANCE: String(benchContext().instance) } });
  if (r.status !== 0) throw new Error(`cluster.sh ${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
}

function memory(): MemberMemory {
  const saved = new Map<string, RememberedNodes>();
  return { recall: (k) => saved.get(k), remember: (k, hosts) => saved.set(k, { hosts, at: new Date().toISOString() }) };
}

interface Read {
  ms: number;
  host: string;
  skipped: string[];
}

/** One status read as pcx status does it, timed from request to answer (workload included). */
async function statusRead(target: ClusterTarget, mem: MemberMemory): Promise<Read> {
  const pool = new SshPool(noAgent, { attempts: 1 });
  const t0 = performance.now();
  try {
    const xml = await fetchClusterXml(target, { pool, fallback: { memory: mem } });
    const parsed = parseClusterXml(xml);
    if (!parsed.ok) throw new Error(`${xml.host}: ${parsed.error.message}`);
    const snapshot = buildSnapshot(parsed.value.crmMon, parsed.value.cib, { source: xml.host });
    await readWorkload(snapshot, target, { pool });
    return { ms: performance.now() - t0, host: xml.host, skipped: (xml.skipped ?? []).map((s) => `${s.host} ${hostProblemOf(s.host ?? '?', s).words}`) };
  } finally {
    pool.closeAll();
  }
}

async function rowsFor(fault: string, words: string, during: (read: () => Promise<Read>) => Promise<Read[]>, target: ClusterTarget, mem: MemberMemory, how: string): Promise<BenchRow> {
  const reads = await during(() => statusRead(target, mem));
  const times = reads.map((r) => r.ms).sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  const right = reads.every((r) => r.host === 'node2' && r.skipped.join(',') === `node1 ${words}`);
  const seen = [...new Set(reads.map((r) => `via ${r.host}${r.skipped.length ? `, skipped ${r.skipped.join(', ')}` : ''}`))].join(' / ');
  return {
    name: `status read, node1 ${fault} (${how})`,
    value: median,
    target: `≤ ${TARGET_MS / 1000} s, through node2, node1 ${words}`,
    met: median <= TARGET_MS && right,
    note: `${right ? '' : 'WRONG: '}${seen}; ${RUNS} runs, max ${Math.round(times.at(-1)!)} ms`,
  };
}

export async function bench(): Promise<BenchRow[]> {
  const ctx = benchContext();
  if (!ctx.isTestCluster || !existsSync(join(ctx.stateDir, 'ssh_config'))) {
    process.stderr.write('deadnode: needs the test cluster (it breaks node1 on purpose); skipped\n');
    return [];
  }
  const base = { sshConfigPath: join(ctx.stateDir, 'ssh_config') };
  const both: ClusterTarget = { ...base, hosts: ['node1', 'node2'] };
  const alone: ClusterTarget = { ...base, hosts: ['node1'] };
  const mem = memory();
  cluster('ensure', 'seed');
  const healthy: number[] = [];
  for (let i = 0; i <= RUNS; i++) {
    const r = await statusRead(alone, mem); // the first one also remembers node1's members
    if (i > 0) healthy.push(r.ms);
  }
  healthy.sort((a, b) => a - b);
  const healthyMs = healthy[Math.floor(healthy.length / 2)]!;
  const rows: BenchRow[] = [{ name: 'status read, healthy (node1)', value: healthyMs, note: `${RUNS} runs, fresh connections, workload included` }];
  const repeat = async (read: () => Promise<Read>, around: (one: () => Promise<Read>) => Promise<Read> = (one) => one()): Promise<Read[]> => {
    const out: Read[] = [];
    for (let i = 0; i < RUNS; i++) out.push(await around(read));
    return out;
  };
  const faults: Array<{ fault: string; words: string; during: (read: () => Promise<Read>) => Promise<Read[]> }> = [
    {
      fault: 'path cut (no TCP)',
      words: 'unreachable',
      during: async (read) => {
        cluster('fault', 'node1', 'cut-from-host');
        try {
          return await repeat(read);
        } finally {
          cluster('fault', 'node1', 'restore-from-host');
        }
      },
    },
    {
      fault: 'CIB daemon stopped',
      words: 'not answering',
      during: (read) => repeat(read, async (one) => {
        cluster('exec', 'node1', 'pkill', '-STOP', '-x', 'pacemaker-based');
        try {
          return await one();
        } finally {
          cluster('exec', 'node1', 'pkill', '-CONT', '-x', 'pacemaker-based');
        }
      }),
    },
    {
      fault: 'sshd stopped',
      words: 'unreachable',
      during: async (read) => {
        cluster('fault', 'node1', 'sshd-stop');
        try {
          return await repeat(read);
        } finally {
          cluster('fault', 'node1', 'sshd-start');
        }
      },
    },
  ];
  for (const f of faults) {
    for (const [target, how] of [[both, '--host node1 --host node2'], [alone, 'node1 alone, members remembered']] as const) {
      const row = await rowsFor(f.fault, f.words, f.during, target, mem, how);
      rows.push({ ...row, baselineName: 'healthy read', baseline: healthyMs });
    }
  }
  cluster('ensure', 'seed');
  return rows;
}
