/**
 * Issue 9, row 2 (test cluster only — it breaks things on purpose): kill redis-server on the Promoted node and
 * time until our model shows the new Promoted node — the explorer's poller at its default interval over the
 * persistent connection — beside `crm_mon` in a tight loop on the other node. Both clocks are the host's (the
 * nodes are namespaces on it). Afterwards: `pcs resource cleanup redis` and cluster.sh ensure seed.
 * Target (issue 9): change-to-view ≤ 0.5 s behind crm_mon.
 */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { benchContext, sshArgs } from './context';
import type { BenchRow } from './lib';
import { fetchChangeKey, fetchClusterXml, parseClusterXml, type ClusterTarget } from '../src/core/cluster/live';
import type { ResourceStatus } from '../src/core/cluster/types';
import { quoteArgv } from '../src/core/util/shellQuote';
import { SshPool } from '../src/core/ssh/pool';
import { cibVersionOf } from '../src/core/cluster/clusterXml';
import { ClusterPoller } from '../src/core/watch/poller';

const POLL_MS = 750; // the explorer's default (src/extension/explorer/explorer.ts)

/** Nodes where some instance runs Promoted. */
function promotedOn(resources: readonly ResourceStatus[]): string[] {
  const out: string[] = [];
  const walk = (r: unknown): void => {
    const o = r as { kind?: string; role?: string; nodes?: { name: string }[]; children?: unknown[]; instances?: unknown[]; resources?: unknown[] };
    if (o.kind === 'primitive' && o.role === 'Promoted') out.push(...(o.nodes ?? []).map((n) => n.name));
    for (const c of [...(o.children ?? []), ...(o.instances ?? []), ...(o.resources ?? [])]) walk(c);
  };
  resources.forEach(walk);
  return out;
}

export async function bench(): Promise<BenchRow[]> {
  const ctx = benchContext();
  if (!ctx.isTestCluster || !ctx.target) {
    process.stderr.write('change.bench: runs only on the project\'s test cluster (it kills redis on purpose); skipped\n');
    return [];
  }
  const target: ClusterTarget = ctx.target;
  const ssh = (node: string, argv: readonly string[]) => spawnSync('ssh', [...sshArgs(ctx), node, quoteArgv(argv)], { encoding: 'utf8', timeout: 60_000 });
  const pool = new SshPool({ resolveEnv: { env: {} } });
  const first = parseClusterXml(await fetchClusterXml(target, { pool }));
  if (!first.ok) throw new Error(`change.bench: ${first.error.message}`);
  const before = promotedOn(first.value.crmMon.resources);
  if (before.length !== 1) throw new Error(`change.bench: expected one Promoted redis, found ${before.join(', ') || 'none'} (run cluster.sh ensure seed)`);
  const victim = before[0];
  const survivor = target.hosts.find((h) => h !== victim)!;

  // crm_mon in a tight loop on the survivor: prints the host clock (ns) when it first shows it Promoted.
  const loop = `while :; do crm_mon --one-shot --inactive --output-as=xml 2>/dev/null | grep -A1 'role="Promoted"' | grep -q 'name="${survivor}"' && { date +%s%N; exit 0; }; done`;
  const watcher = spawn('ssh', [...sshArgs(ctx), survivor, quoteArgv(['timeout', '120', 'sh', '-c', loop])], { stdio: ['ignore', 'pipe', 'pipe'] });
  let crmMonSeenNs = '';
  watcher.stdout.on('data', (d: Buffer) => (crmMonSeenNs += d.toString()));
  const watcherDone = new Promise<void>((resolve) => watcher.on('exit', () => resolve()));

  let oursAt = 0;
  let resolveOurs: () => void = () => undefined;
  const ours = new Promise<void>((r) => (resolveOurs = r));
  const one = (h: string): ClusterTarget => ({ ...target, hosts: [h] });
  // Where the time goes: every probe and fetch of the poller with its start and end (host clock, ms).
  const probes: Array<{ start: number; end: number; key: string }> = [];
  const fetches: Array<{ start: number; read: number; end: number }> = [];
  const poller = new ClusterPoller<string[]>({
    hosts: target.hosts,
    probeMs: POLL_MS,
    probe: async (h) => {
      const start = Date.now();
      const key = (await fetchChangeKey(one(h), { pool })).key;
      probes.push({ start, end: Date.now(), key });
      return key;
    },
    fetch: async (h) => {
      const start = Date.now();
      const xml = await fetchClusterXml(one(h), { pool });
      const read = Date.now();
      const parsed = parseClusterXml(xml);
      if (!parsed.ok) throw new Error(parsed.error.message);
      fetches.push({ start, read, end: Date.now() });
      return { value: promotedOn(parsed.value.crmMon.resources), version: (xml.cibXml && cibVersionOf(xml.cibXml)) ?? String(Date.now()) };
    },
    onUpdate: (promoted) => {
      if (!oursAt && promoted.includes(survivor)) {
        oursAt = Date.now();
        resolveOurs();
      }
    },
    onError: () => undefined,
  });
  let rows: BenchRow[];
  try {
    poller.setVisible(true);
    await new Promise((r) => setTimeout(r, 2 * POLL_MS)); // the poller has read the cluster once and is probing
    const killedAt = Date.now();
    const kill = ssh(victim, ['pkill', '-KILL', '-x', 'redis-server']);
    if (kill.status !== 0) throw new Error(`change.bench: pkill redis-server on ${victim}: exit ${kill.status} ${kill.stderr}`);
    const deadline = new Promise<void>((r) => setTimeout(r, 120_000));
    await Promise.race([Promise.all([ours, watcherDone]), deadline]);
    const crmMonAt = Number(crmMonSeenNs.trim()) / 1e6;
    if (!oursAt || !Number.isFinite(crmMonAt) || crmMonAt === 0) throw new Error(`change.bench: no failover seen within 120 s (ours: ${oursAt ? 'yes' : 'no'}, crm_mon loop: ${crmMonSeenNs.trim() || 'nothing'})`);
    const behind = oursAt - crmMonAt;
    process.stderr.write(`change.bench: ${timeline(probes, fetches, killedAt, crmMonAt, oursAt)}\n`);
    rows = [
      {
        name: `change-to-view: redis killed on ${victim} → our model shows Promoted on ${survivor}`,
        value: oursAt - killedAt,
        baselineName: `crm_mon in a tight loop on ${survivor}`,
        baseline: crmMonAt - killedAt,
        target: '≤ 0.5 s behind crm_mon',
        met: behind <= 500,
        note: `${behind.toFixed(0)} ms behind crm_mon; poll interval ${POLL_MS} ms; ${breakdown(probes, fetches, crmMonAt, oursAt)}`,
      },
    ];
  } finally {
    poller.dispose();
    pool.closeAll();
    watcher.kill();
    ssh(survivor, ['pcs', 'resource', 'cleanup', 'redis']);
    // Back to the seed state (Promoted on node1 again, replication up), as every test leaves it.
    spawnSync('bash', [join(__dirname, '..', 'test', 'cluster', 'cluster.sh'), 'ensure', 'seed'], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 300_000 });
  }
  return rows;
}

/** The last fetch before our model showed the change, and the probe that triggered it: where the lag went. */
function breakdown(probes: readonly { start: number; end: number }[], fetches: readonly { start: number; read: number; end: number }[], crmMonAt: number, oursAt: number): string {
  const fetch = [...fetches].reverse().find((f) => f.end <= oursAt);
  if (!fetch) return 'no fetch recorded';
  const probe = [...probes].reverse().find((p) => p.end <= fetch.start);
  const parts = [
    probe ? `probe that saw it started ${(probe.start - crmMonAt).toFixed(0)} ms after crm_mon showed it and took ${(probe.end - probe.start).toFixed(0)} ms` : 'no probe before the fetch',
    `fetch read ${(fetch.read - fetch.start).toFixed(0)} ms + parse ${(fetch.end - fetch.read).toFixed(0)} ms`,
  ];
  const probeMs = probes.map((p) => p.end - p.start).sort((a, b) => a - b);
  if (probeMs.length) parts.push(`median probe ${probeMs[Math.floor(probeMs.length / 2)]!.toFixed(0)} ms over ${probeMs.length}`);
  return parts.join('; ');
}

function timeline(probes: readonly { start: number; end: number; key: string }[], fetches: readonly { start: number; read: number; end: number }[], killedAt: number, crmMonAt: number, oursAt: number): string {
  const at = (t: number) => `${(t - killedAt).toFixed(0)}`;
  const events = [
    ...probes.map((p) => ({ t: p.start, text: `probe ${at(p.start)}–${at(p.end)} ${p.key}` })),
    ...fetches.map((f) => ({ t: f.start, text: `fetch ${at(f.start)}–${at(f.read)}(+parse ${(f.end - f.read).toFixed(0)})` })),
    { t: crmMonAt, text: `crm_mon shows it ${at(crmMonAt)}` },
    { t: oursAt, text: `our model shows it ${at(oursAt)}` },
  ].filter((e) => e.t >= crmMonAt - 3000);
  return `timeline (ms after the kill): ${events.sort((a, b) => a.t - b.t).map((e) => e.text).join(' | ')}`;
}
