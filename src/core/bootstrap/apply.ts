/**
 * Apply: bring a running cluster to its folder, changing only what differs.
 *
 * The CIB: the wanted CIB is the live one with only the differing statements spliced in (wantedCib.ts); on the
 * node, `crm_diff --no-version` turns the pair into a patch, which the preview applies to a copy of the live CIB
 * (crm_verify, crm_simulate: the predicted transition) and the apply sends as one `cibadmin --patch` — one
 * transaction, nothing unchanged deleted or recreated. It is refused when the configuration changed since the
 * preview (the CIB's admin_epoch/epoch moved).
 *
 * corosync.conf: written to each node whose file differs (previous file kept as a timestamped backup), then
 * `corosync-cfgtool -R` makes every node reload it. Keys Corosync reads only at start (transport, crypto, the
 * nodelist, quorum's two_node…) are flagged as needing a restart of Corosync, which apply does not do — unless
 * the running Corosync already has the folder's value (corosync-cmapctl), as when only the file was edited.
 */
import { readSnapshot, simulateCibChange, mustRun } from '../operations/preview';
import { dangers, describeTransition, placementDifferences, placementFromStatus, type Placement } from '../operations/clusterPlacement';
import { parseAgent } from '../crm/agentSpec';
import { isInstalled, listInstalledAgents } from '../crm/installedAgents';
import { cibVersionFromText } from '../remote/commands';
import type { CommandRunner } from '../remote/runner';
import { quoteArgv } from '../util/shellQuote';
import { PcxFailure } from '../util/result';
import { COROSYNC_CONF, backupArgv, liveDrift, writeFileArgv } from './bootstrap';
import { corosyncDrift, type Drift } from './drift';
import type { ClusterFolder } from './folder';
import { wantedCib, type SpecChange } from './wantedCib';

/**
 * corosync.conf keys Corosync 3 takes on `corosync-cfgtool -R` (corosync's "Config file values": changeable
 * during runtime). Anything else needs Corosync restarted on every node.
 */
const RELOADABLE_TOTEM = new Set(['token', 'token_coefficient', 'token_retransmit', 'hold', 'token_retransmits_before_loss_const', 'join', 'send_join', 'consensus', 'merge', 'downcheck', 'fail_recv_const', 'seqno_unchanged_const', 'heartbeat_failures_allowed', 'max_network_delay', 'window_size', 'max_messages', 'miss_count_const', 'knet_pmtud_interval', 'knet_ping_interval', 'knet_ping_timeout', 'knet_ping_precision', 'knet_pong_count']);

export function corosyncReloads(key: string): boolean {
  const [section, ...rest] = key.split('.');
  if (section === 'logging') return true;
  if (section === 'totem') return rest.length === 1 && RELOADABLE_TOTEM.has(rest[0]!);
  if (section === 'quorum') return rest.join('.') === 'expected_votes';
  return false;
}

export interface CorosyncChange {
  readonly host: string;
  readonly differences: readonly Drift[];
  /** Keys that take effect only when Corosync restarts on the nodes. */
  readonly needsRestart: readonly string[];
}

export interface ApplyPlan {
  readonly host: string;
  readonly changes: readonly SpecChange[];
  /** crm_diff's patch (empty: the CIB needs no change). */
  readonly patch: string;
  readonly corosync: readonly CorosyncChange[];
  /** The commands, exactly as they are sent (the patch and the file go on stdin). */
  readonly commands: readonly { readonly host: string; readonly commandLine: string }[];
  readonly actions: readonly string[];
  readonly transition: readonly string[];
  readonly dangers: readonly string[];
  /** crm_verify's complaints about the changed copy. */
  readonly warnings: readonly string[];
  readonly predicted: Placement;
  /** The CIB's admin_epoch.epoch the plan was made from. */
  readonly epoch: string;
}

export interface ApplyOutcome {
  readonly status: 'done' | 'different';
  readonly done: readonly string[];
  /** Drift still there afterwards (corosync keys that need a restart excluded: those are in needsRestart). */
  readonly remaining: readonly Drift[];
  readonly needsRestart: readonly string[];
  /** Where the prediction and the cluster disagree afterwards. */
  readonly unexpected: readonly string[];
  readonly backups: readonly string[];
}

const q = (argv: readonly string[]) => quoteArgv(argv) as string;
const PATCH_ARGV = ['cibadmin', '--patch', '--xml-pipe'];
const RELOAD_ARGV = ['corosync-cfgtool', '-R'];
const WORK_DIR = /^\/tmp\/pcx-apply\.[A-Za-z0-9]+$/;

function epochOf(cib: string): string {
  const v = cibVersionFromText(cib);
  return v ? `${v.adminEpoch}.${v.epoch}` : '?';
}

async function queryCib(runner: CommandRunner): Promise<string> {
  return (await mustRun(runner, ['cibadmin', '-Q'], 'reading the CIB (cibadmin -Q)')).stdout;
}

/** crm_diff on the node between the live and the wanted CIB: a patch without versions (empty when equal). */
async function crmDiff(runner: CommandRunner, live: string, wanted: string): Promise<string> {
  const dir = (await mustRun(runner, ['mktemp', '-d', '/tmp/pcx-apply.XXXXXXXX'], 'making a temporary directory')).stdout.trim();
  if (!WORK_DIR.test(dir)) throw new PcxFailure('apply-failed', `mktemp printed an unexpected directory name: ${JSON.stringify(dir)}`, 'Check mktemp and /tmp on the node.', runner.host);
  try {
    for (const [name, text] of [['live.xml', live], ['wanted.xml', wanted]] as const) await mustRun(runner, ['sh', '-c', 'cat > "$1"', 'sh', `${dir}/${name}`], `writing ${name}`, 30_000, text);
    const r = await runner.run(['crm_diff', '--no-version', `--original=${dir}/live.xml`, `--new=${dir}/wanted.xml`], { timeoutMs: 30_000 });
    if (r.code === 0) return '';
    if (r.code === 1 && r.stdout.includes('<diff')) return r.stdout;
    throw new PcxFailure('apply-failed', `crm_diff failed on ${runner.host} (exit ${r.code}): ${(r.stderr || r.stdout).trim().slice(0, 300)}`, 'Nothing was changed. Check the spec with pcx lint and the CIB with crm_verify -L.', runner.host);
  } finally {
    await runner.run(['rm', '-rf', '--', dir], { timeoutMs: 10_000 }).catch(() => undefined);
  }
}

/** The value the running Corosync has for a corosync.conf key (corosync-cmapctl -g), undefined when it has none. */
async function runningValue(runner: CommandRunner, key: string): Promise<string | undefined> {
  const r = await runner.run(['corosync-cmapctl', '-g', key], { timeoutMs: 10_000 });
  return r.code === 0 ? /^\S+ \([a-z0-9]+\) = (.*)$/.exec(r.stdout.trim())?.[1] : undefined;
}

/**
 * Refuses (before anything else runs) a folder naming an agent that a node does not list itself: once such a
 * resource is in the CIB, Pacemaker runs the agent — for `stonith:NAME` the program /usr/sbin/NAME, as root, when
 * the fencer reads its meta-data — so a spec could name any program there. Listings only (listInstalledAgents).
 */
async function refuseUnlistedAgents(folder: ClusterFolder, runners: readonly CommandRunner[]): Promise<void> {
  if (folder.agents.length === 0) return;
  const classes = folder.agents.map((a) => parseAgent(a).class);
  const missing: string[] = [];
  for (const r of runners) {
    const installed = await listInstalledAgents(r, classes);
    const gone = folder.agents.filter((a) => !isInstalled(installed, a));
    if (gone.length) missing.push(`${gone.join(', ')} on ${r.host}`);
  }
  if (missing.length) {
    throw new PcxFailure(
      'agent-not-installed',
      `the spec names agents that are not installed (not listed by crm_resource --list-agents): ${missing.join('; ')}; nothing was run for them and nothing was changed`,
      "Install the agent's package (resource-agents, fence-agents) on every node, or correct the agent's name in the spec (pcx lint --host NODE shows the same).",
      runners[0]?.host,
    );
  }
}

/** The preview: what differs, the patch, the commands, and what Pacemaker predicts once the patch is in. */
export async function planApply(folder: ClusterFolder, runners: readonly CommandRunner[]): Promise<ApplyPlan> {
  const first = runners[0]!;
  await refuseUnlistedAgents(folder, runners);
  const live = await queryCib(first);
  const wanted = wantedCib(live, folder.configurationXml);
  const patch = wanted.changes.length ? await crmDiff(first, live, wanted.xml) : '';
  const corosync: CorosyncChange[] = [];
  for (const r of runners) {
    const have = await mustRun(r, ['cat', COROSYNC_CONF], `reading ${COROSYNC_CONF}`);
    const differences = corosyncDrift(folder.corosyncFile, folder.corosyncText, have.stdout, r.host);
    if (!differences.length) continue;
    const needsRestart: string[] = [];
    for (const d of differences) {
      const key = d.key ?? d.what;
      if (corosyncReloads(key)) continue;
      // A file edited on disk only: the running Corosync may already have the folder's value (cmap says).
      const running = await runningValue(r, key);
      if (d.want !== undefined ? running !== d.want : running !== undefined) needsRestart.push(key);
    }
    corosync.push({ host: r.host, differences, needsRestart });
  }
  const commands: { host: string; commandLine: string }[] = [];
  if (patch) commands.push({ host: first.host, commandLine: `${q(PATCH_ARGV)}  < the patch` });
  for (const c of corosync) commands.push({ host: c.host, commandLine: q(backupArgv(COROSYNC_CONF, 'TIMESTAMP')) }, { host: c.host, commandLine: `${q(writeFileArgv(COROSYNC_CONF, '022'))}  < ${folder.corosyncFile}` });
  if (corosync.length) commands.push({ host: first.host, commandLine: q(RELOAD_ARGV) });
  const sim = patch ? await simulateCibChange(first, [{ argv: PATCH_ARGV, stdin: patch, what: 'the patch' }]) : undefined;
  const before = placementFromStatus((sim?.before ?? (await readSnapshot(first))).crmMon);
  const predicted = sim ? placementFromStatus(sim.predicted.crmMon) : before;
  return {
    host: first.host,
    changes: wanted.changes,
    patch,
    corosync,
    commands,
    actions: sim?.actions ?? [],
    transition: describeTransition(before, predicted),
    dangers: dangers(before, predicted),
    warnings: sim?.verify ?? [],
    predicted,
    epoch: epochOf(live),
  };
}

export interface ApplyOptions {
  readonly onStep?: (line: string) => void;
  /** Backup suffix; default a UTC timestamp. */
  readonly stamp?: string;
  /** Bound for the cluster to settle after the patch; default 120 s. */
  readonly waitMs?: number;
}

/** Runs a plan made by planApply, then compares again. Throws (nothing changed) when the CIB moved since the plan. */
export async function runApply(folder: ClusterFolder, runners: readonly CommandRunner[], plan: ApplyPlan, options: ApplyOptions = {}): Promise<ApplyOutcome> {
  const first = runners[0]!;
  const say = options.onStep ?? (() => undefined);
  const stamp = options.stamp ?? new Date().toISOString().replace(/[:.]/g, '').slice(0, 17) + 'Z';
  const done: string[] = [];
  const backups: string[] = [];
  if (plan.patch) {
    const epoch = epochOf(await queryCib(first));
    if (epoch !== plan.epoch) {
      throw new PcxFailure('apply-stale', `the configuration on ${first.host} changed since the preview (epoch ${plan.epoch} → ${epoch}); nothing was applied`, 'Run apply again: it previews the current configuration.', first.host);
    }
    say(`${first.host}: ${q(PATCH_ARGV)} (${plan.changes.length} change(s))`);
    const r = await first.run(PATCH_ARGV, { stdin: plan.patch, timeoutMs: 60_000 });
    if (r.code !== 0) throw new PcxFailure('apply-failed', `cibadmin --patch failed on ${first.host} (exit ${r.code}): ${(r.stderr || r.stdout).trim().slice(0, 400)}; nothing was applied`, 'Run apply again to preview the current configuration; crm_verify -L on the node shows what Pacemaker objects to.', first.host);
    done.push(`CIB patched on ${first.host}: ${plan.changes.map((c) => `${c.action} ${c.what}`).join(', ')}`);
  }
  for (const c of plan.corosync) {
    const r = runners.find((x) => x.host === c.host)!;
    const backup = (await mustRun(r, backupArgv(COROSYNC_CONF, stamp), `backing up ${COROSYNC_CONF}`)).stdout.trim();
    if (backup) backups.push(`${r.host}:${backup}`);
    say(`${r.host}: writing ${COROSYNC_CONF}${backup ? ` (previous file: ${backup})` : ''}`);
    await mustRun(r, writeFileArgv(COROSYNC_CONF, '022'), `writing ${COROSYNC_CONF}`, 30_000, folder.corosyncText);
    done.push(`${COROSYNC_CONF} written on ${r.host}`);
  }
  if (plan.corosync.length) {
    say(`${first.host}: ${q(RELOAD_ARGV)}`);
    await mustRun(first, RELOAD_ARGV, 'corosync-cfgtool -R (reload corosync.conf on every node)', 30_000);
    done.push('Corosync reloaded corosync.conf on every node');
  }
  if (plan.patch) {
    say(`${first.host}: waiting for the cluster to settle (crm_resource --wait)`);
    const waitS = Math.round((options.waitMs ?? 120_000) / 1000);
    const settled = await first.run(['crm_resource', '--wait', `--timeout=${waitS}s`], { timeoutMs: (waitS + 15) * 1000 });
    if (settled.code !== 0) say(`${first.host}: the cluster did not settle within ${waitS} s: ${(settled.stderr || settled.stdout).trim().slice(0, 200)}`);
  }
  const needsRestart = [...new Set(plan.corosync.flatMap((c) => c.needsRestart.map((k) => `${k} on ${c.host}`)))];
  const remaining = await liveDrift(folder, runners);
  const actual = placementFromStatus((await readSnapshot(first)).crmMon);
  const unexpected = placementDifferences(plan.predicted, actual);
  const status = remaining.length || needsRestart.length || unexpected.length ? 'different' : 'done';
  return { status, done, remaining, needsRestart, unexpected, backups };
}
