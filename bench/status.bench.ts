/**
 * `pcx status` against the real test cluster, beside what an admin runs today (`pcs status`, `crm_mon -1`).
 *
 *  1. pcx status over a persistent connection (what the explorer and a watch loop pay per refresh: crm_mon XML +
 *     CIB over one ssh2 connection, parse, snapshot, health, text) vs `ssh node1 pcs status` and
 *     `ssh node1 crm_mon -1` as new ssh processes;
 *  2. the same vs the node-side run time alone of `pcs status` / `crm_mon -1` (timed on the node itself);
 *  3. the model's parse time (crm_mon XML + CIB → snapshot → health → text, in-process) vs crm_mon's own run
 *     time on the node for the XML it parses;
 *  4. one-shot `pcx status` (a new node process of the bundled CLI, as installed) vs `ssh node1 pcs status`.
 *
 * All as root with the test cluster's ssh_config. root's ~/.bashrc on this machine runs `pyenv init` (about
 * 130 ms), which every ssh command pays — pcx's channels too; pcs status and crm_mon pay it once per process.
 * Returns [] when the test cluster is not there.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { benchContext } from './context';
import { medianMs, type BenchRow } from './lib';
import { parseCib } from '../src/core/cluster/cib';
import { parseCrmMon } from '../src/core/cluster/crmMon';
import { assessHealth } from '../src/core/cluster/health';
import { fetchClusterXml, type ClusterTarget } from '../src/core/cluster/live';
import { buildSnapshot } from '../src/core/cluster/snapshot';
import { renderStatusText } from '../src/core/cluster/statusText';
import { quoteArgv } from '../src/core/util/shellQuote';
import { SshPool } from '../src/core/ssh/pool';

// The test cluster of PCX_CLUSTER_INSTANCE (bench/context.ts); these rows use its node1 alias.
const SSH_CONFIG = `${benchContext().stateDir}/ssh_config`;
const noAgent = { resolveEnv: { env: {} } };
const PROCESS_RUNS = 7;
const PERSISTENT_RUNS = 25;

/** A new OpenSSH client process running argv on node1 (quoted by the one quoting function). */
function sshNode1(argv: readonly string[]): string {
  const r = spawnSync('ssh', ['-F', SSH_CONFIG, 'node1', quoteArgv(argv)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  if (r.status !== 0) throw new Error(`ssh node1 ${quoteArgv(argv)}: exit ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/**
 * Median wall time of `argv` measured ON the node (no ssh, no login shell in the figure): one ssh call runs it
 * `runs` times after a warm-up and prints each duration in microseconds.
 */
function nodeSideMedianMs(argv: readonly string[], runs: number): number {
  const cmd = quoteArgv(argv);
  const script = `${cmd} >/dev/null 2>&1; for i in $(seq ${runs}); do s=$(date +%s%N); ${cmd} >/dev/null 2>&1; e=$(date +%s%N); echo $(( (e - s) / 1000 )); done`;
  const times = sshNode1(['bash', '-c', script]).trim().split('\n').map((l) => Number(l) / 1000).sort((a, b) => a - b);
  if (times.length !== runs || times.some((x) => !Number.isFinite(x))) throw new Error(`node-side timing of ${cmd} gave: ${times.join(' ')}`);
  return times[Math.floor(times.length / 2)];
}

/** Bundle the CLI as `npm run build` does, into a temp dir, so the one-shot figure is the shipped artefact. */
async function bundleCli(dir: string): Promise<string> {
  const outfile = join(dir, 'pcx.js');
  await esbuild.build({
    entryPoints: [join(__dirname, '..', 'src', 'cli', 'pcx.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'warning',
    define: { PCX_VERSION: '"bench"' },
    external: ['cpu-features', '*.node'],
  });
  return outfile;
}

export async function bench(): Promise<BenchRow[]> {
  if (!benchContext().isTestCluster || !existsSync(SSH_CONFIG)) {
    process.stderr.write('status.bench: no test cluster (bash test/cluster/cluster.sh ensure seed); skipped\n');
    return [];
  }
  const rows: BenchRow[] = [];

  // Baselines through ssh (new process each, as a person or a script does it).
  const pcsStatusSsh = await medianMs(PROCESS_RUNS, () => sshNode1(['pcs', 'status']));
  const crmMonSsh = await medianMs(PROCESS_RUNS, () => sshNode1(['crm_mon', '-1']));
  // Node-side alone.
  const pcsStatusNode = nodeSideMedianMs(['pcs', 'status'], PROCESS_RUNS);
  const crmMonNode = nodeSideMedianMs(['crm_mon', '-1'], PROCESS_RUNS);
  const crmMonXmlNode = nodeSideMedianMs(['crm_mon', '--one-shot', '--inactive', '--output-as=xml'], PROCESS_RUNS);
  const cibNode = nodeSideMedianMs(['cibadmin', '--query', '--local'], PROCESS_RUNS);

  // 1+2: pcx status over a persistent connection, the whole pipeline to text.
  const pool = new SshPool(noAgent);
  const target: ClusterTarget = { hosts: ['node1'], sshConfigPath: SSH_CONFIG };
  let lastXml: { crmMonXml: string; cibXml?: string } | undefined;
  const statusOnce = async (): Promise<string> => {
    const xml = await fetchClusterXml(target, { ...noAgent, pool });
    lastXml = xml;
    const mon = parseCrmMon(xml.crmMonXml);
    const cib = parseCib(xml.cibXml ?? '');
    if (!mon.ok || !cib.ok) throw new Error('status.bench: the cluster answered with XML pcx cannot parse');
    const snapshot = buildSnapshot(mon.value, cib.value, { source: xml.host });
    return renderStatusText(snapshot, assessHealth(snapshot), { color: false });
  };
  let persistent: number;
  try {
    persistent = await medianMs(PERSISTENT_RUNS, statusOnce);
  } finally {
    pool.closeAll();
  }
  rows.push({ name: 'pcx status, persistent connection (crm_mon XML + CIB, parse, text)', value: persistent, baselineName: 'ssh node1 pcs status (new process)', baseline: pcsStatusSsh, note: `median of ${PERSISTENT_RUNS} vs ${PROCESS_RUNS}` });
  rows.push({ name: 'pcx status, persistent connection', value: persistent, baselineName: 'ssh node1 crm_mon -1 (new process)', baseline: crmMonSsh });
  rows.push({ name: 'pcx status, persistent connection', value: persistent, baselineName: 'pcs status on the node alone', baseline: pcsStatusNode, note: 'no ssh in the baseline' });
  rows.push({ name: 'pcx status, persistent connection', value: persistent, baselineName: 'crm_mon -1 on the node alone', baseline: crmMonNode, note: 'no ssh in the baseline' });
  rows.push({ name: 'node side: crm_mon --output-as=xml --inactive', value: crmMonXmlNode, baselineName: 'crm_mon -1 (text) on the node', baseline: crmMonNode, note: `cibadmin --query --local: ${cibNode.toFixed(1)} ms` });

  // 3: the model's own cost on the XML just fetched vs crm_mon's run time producing it.
  if (!lastXml?.cibXml) throw new Error('status.bench: no XML fetched (or no CIB)');
  const { crmMonXml: monText, cibXml: cibText } = lastXml;
  const modelMs = await medianMs(200, () => {
    const mon = parseCrmMon(monText);
    const cib = parseCib(cibText);
    if (!mon.ok || !cib.ok) throw new Error('parse failed');
    const snapshot = buildSnapshot(mon.value, cib.value);
    renderStatusText(snapshot, assessHealth(snapshot), { color: false });
  });
  rows.push({ name: 'model: parse crm_mon XML + CIB, snapshot, health, text', value: modelMs, baselineName: 'crm_mon --output-as=xml on the node', baseline: crmMonXmlNode, note: `${(monText.length / 1024).toFixed(1)} KiB + ${(cibText.length / 1024).toFixed(1)} KiB of XML; median of 200` });

  // 4: one-shot CLI, a new node process each time.
  const dir = mkdtempSync(join(tmpdir(), 'pcx-bench-'));
  try {
    const cli = await bundleCli(dir);
    const oneShot = await medianMs(PROCESS_RUNS, () => {
      const r = spawnSync(process.execPath, [cli, 'status', '--ssh-config', SSH_CONFIG, '--host', 'node1'], { encoding: 'utf8', env: { ...process.env, SSH_AUTH_SOCK: '' }, timeout: 60_000 });
      if (r.status !== 0 && r.status !== 1) throw new Error(`pcx status exit ${r.status}: ${r.stderr}`);
    });
    rows.push({ name: 'pcx status one-shot (new node process, bundled CLI)', value: oneShot, baselineName: 'ssh node1 pcs status (new process)', baseline: pcsStatusSsh, note: 'connect + crm_mon + CIB + parse + text' });
    rows.push({ name: 'pcx status one-shot (new node process, bundled CLI)', value: oneShot, baselineName: 'ssh node1 crm_mon -1 (new process)', baseline: crmMonSsh });
    const nodeStart = await medianMs(PROCESS_RUNS, () => spawnSync(process.execPath, ['-e', '0']));
    rows.push({ name: 'node -e 0 (process start alone)', value: nodeStart, note: 'part of every one-shot pcx run' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
