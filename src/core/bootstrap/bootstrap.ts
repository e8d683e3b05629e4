/**
 * Bootstrap: build a cluster from a cluster folder over plain SSH (no pcsd): check every node, put the Corosync
 * authkey and corosync.conf in place (keeping a timestamped backup of what was there), start Corosync
 * everywhere, Pacemaker on the first node, wait for quorum and a DC, load the compiled spec as one CIB
 * replace, wait until its promotable clones are Promoted there, then start Pacemaker on the other nodes (the
 * reference setup's start-up race: a replica that starts before its master is ready) and verify the end state.
 *
 * Never overwrites a live cluster: a node that already runs Corosync or Pacemaker stops everything, unless
 * the running cluster already matches the folder (then there is nothing to do).
 * The authkey travels node to node through this process's memory only: never the workspace, a log or a disk.
 */
import { placementOf } from '../cluster/snapshot';
import type { CrmMonStatus } from '../cluster/types';
import { sshTargetFor, type ClusterTarget, type LiveOptions } from '../cluster/live';
import { dcWithQuorum, joined, monitor, quorate, settledOn, waitUntil } from '../cluster/startup';
import { CommandRunner } from '../remote/runner';
import { quoteArgv } from '../util/shellQuote';
import type { SshPool } from '../ssh/pool';
import { parseAgent } from '../crm/agentSpec';
import { isInstalled, listInstalledAgents } from '../crm/installedAgents';
import { PcxFailure } from '../util/result';
import type { ClusterFolder } from './folder';
import { corosyncDrift, formatDrift, specDrift, type Drift } from './drift';

export const COROSYNC_CONF = '/etc/corosync/corosync.conf';
const AUTHKEY = '/etc/corosync/authkey';
const TOOLS = ['corosync', 'pacemakerd', 'crm_mon', 'cibadmin', 'crm_resource', 'corosync-keygen', 'corosync-quorumtool', 'systemctl'];

/** What a step does, for the plan: a title, where, and the exact commands (secrets never appear in them). */
export interface PlanStep {
  readonly title: string;
  readonly hosts: readonly string[];
  readonly commands: readonly string[];
}

export interface NodeCheck {
  readonly host: string;
  readonly missing: readonly string[];
  readonly missingAgents: readonly string[];
  readonly running: readonly string[];
}

export type Preflight =
  | { readonly state: 'bare'; readonly checks: readonly NodeCheck[] }
  | { readonly state: 'matches'; readonly checks: readonly NodeCheck[] }
  | { readonly state: 'refused'; readonly checks: readonly NodeCheck[]; readonly reasons: readonly string[] };

export interface BootstrapOptions extends LiveOptions {
  /** Progress: each step as it starts and ends. */
  readonly onStep?: (event: { readonly index: number; readonly title: string; readonly state: 'running' | 'done' | 'failed'; readonly detail?: string }) => void;
  /** Bound for each wait (quorum, DC, promotion, join); default 120 s. */
  readonly waitMs?: number;
  /** Backup suffix; default a UTC timestamp. */
  readonly stamp?: string;
}

export interface BootstrapOutcome {
  readonly done: readonly string[];
  /** Roles and locations at the end, in words. */
  readonly endState: readonly string[];
  readonly backups: readonly string[];
}

const q = (argv: readonly string[]) => quoteArgv(argv) as string;
export const writeFileArgv = (path: string, mode: string) => ['sh', '-c', `umask ${mode} && cat > "$1.pcx-new" && mv -f "$1.pcx-new" "$1"`, 'sh', path];
/** Which of TOOLS a node lacks (one name a line): what the plan shows is what preflight runs. */
export const missingToolsArgv = (): string[] => ['sh', '-c', 'for p in "$@"; do command -v "$p" >/dev/null 2>&1 || echo "$p"; done', 'sh', ...TOOLS];
export const backupArgv = (path: string, stamp: string) => ['sh', '-c', 'if [ -e "$1" ]; then cp -p -- "$1" "$1.pcx-backup-$2" && echo "$1.pcx-backup-$2"; fi', 'sh', path, stamp];

export function planBootstrap(folder: ClusterFolder, stamp = 'TIMESTAMP'): PlanStep[] {
  const [first, ...rest] = folder.nodes as [string, ...string[]];
  const all = folder.nodes;
  const promoted = folder.promotableClones.length ? ` and ${folder.promotableClones.join(', ')} to be Promoted there` : '';
  return [
    { title: 'check SSH, sudo, the packages and the agents on every node, and that no cluster runs there', hosts: all, commands: [q(missingToolsArgv()), ...agentListingCommands(folder), q(['pgrep', '-x', 'corosync|pacemakerd'])] },
    { title: `Corosync authkey: keep ${first}'s or create one there, and copy it node to node (never stored locally)`, hosts: all, commands: [q(['corosync-keygen']), `${q(['base64', '-w0', AUTHKEY])} | (on each other node) ${q(writeFileArgv(AUTHKEY, '077'))}`] },
    { title: `write ${COROSYNC_CONF} on every node (the previous file kept as ${COROSYNC_CONF}.pcx-backup-${stamp})`, hosts: all, commands: [q(backupArgv(COROSYNC_CONF, stamp)), q(writeFileArgv(COROSYNC_CONF, '022'))] },
    { title: 'start Corosync on every node and wait for quorum', hosts: all, commands: [q(['systemctl', 'start', 'corosync']), q(['corosync-quorumtool', '-s'])] },
    { title: `start Pacemaker on ${first} and wait until it is DC`, hosts: [first], commands: [q(['systemctl', 'start', 'pacemaker']), q(['crm_mon', '-1', '--output-as=xml'])] },
    { title: `load the spec (${folder.specFile}) as one CIB replace${promoted}`, hosts: [first], commands: [q(['cibadmin', '--replace', '--scope', 'configuration', '--xml-pipe'])] },
    ...(rest.length ? [{ title: `start Pacemaker on ${rest.join(', ')} and wait until they joined`, hosts: rest, commands: [q(['systemctl', 'start', 'pacemaker'])] }] : []),
    { title: 'verify: every node online, each promotable clone Promoted on one node, every resource started', hosts: [first], commands: [q(['crm_mon', '-1', '--output-as=xml'])] },
  ];
}

/** The standards a folder's agents use (listed besides ocf and stonith). */
const folderClasses = (folder: ClusterFolder): string[] => folder.agents.map((a) => parseAgent(a).class);

/** The preflight's agent check as the plan shows it: listings only (see listInstalledAgents), never an agent. */
function agentListingCommands(folder: ClusterFolder): string[] {
  if (folder.agents.length === 0) return [];
  const others = [...new Set(folderClasses(folder))].filter((c) => c !== 'ocf' && c !== 'stonith');
  return [
    q(['crm_resource', '--list-agents', 'stonith']),
    q(['crm_resource', '--list-ocf-providers']),
    `${q(['crm_resource', '--list-agents', 'ocf:PROVIDER'])} (for each provider listed)`,
    ...others.map((c) => q(['crm_resource', '--list-agents', c])),
  ];
}

/** One runner per node, in the folder's node order. */
export async function runnersFor(folder: ClusterFolder, target: ClusterTarget, pool: SshPool): Promise<CommandRunner[]> {
  return Promise.all(folder.nodes.map(async (host) => {
    const c = await pool.get(sshTargetFor(target, host));
    return new CommandRunner(c, c.resolved.user, target.sudo ?? false);
  }));
}

async function must(runner: CommandRunner, argv: readonly string[], what: string, options: { stdin?: string | Buffer; timeoutMs?: number } = {}): Promise<string> {
  const r = await runner.run(argv, { timeoutMs: options.timeoutMs ?? 60_000, stdin: options.stdin });
  if (r.code !== 0) {
    throw new PcxFailure('bootstrap-step-failed', `${what} on ${runner.host} failed (exit ${r.code}): ${(r.stderr || r.stdout).toString().trim().slice(0, 400)}`, `Look at ${runner.host}'s logs; fix the cause and run bootstrap again.`, runner.host);
  }
  return r.stdout.toString();
}

/** Checks every node. `matches`: the cluster already runs exactly this folder; `refused`: a reason per node. */
export async function preflight(folder: ClusterFolder, target: ClusterTarget, options: LiveOptions & { pool: SshPool }): Promise<Preflight> {
  const runners = await runnersFor(folder, target, options.pool);
  const checks = await Promise.all(runners.map(async (r): Promise<NodeCheck> => {
    const tools = await r.run(missingToolsArgv());
    // The node's own listing decides: asking for an agent's meta-data would run it (stonith:NAME runs /usr/sbin/NAME).
    const installed = await listInstalledAgents(r, folderClasses(folder)).catch(() => undefined);
    const missingAgents = folder.agents.filter((a) => !installed || !isInstalled(installed, a));
    const running: string[] = [];
    for (const d of ['corosync', 'pacemakerd']) if ((await r.run(['pgrep', '-x', d])).code === 0) running.push(d);
    return { host: r.host, missing: tools.stdout.toString().split('\n').filter(Boolean), missingAgents, running };
  }));
  const reasons = checks.flatMap((c) => [
    ...(c.missing.length ? [`${c.host}: missing ${c.missing.join(', ')} (install corosync, pacemaker, pacemaker-cli-utils)`] : []),
    ...(c.missingAgents.length ? [`${c.host}: no resource agent ${c.missingAgents.join(', ')} (not listed by crm_resource --list-agents there; install resource-agents / fence-agents, or check the spelling)`] : []),
  ]);
  if (reasons.length) return { state: 'refused', checks, reasons };
  if (checks.every((c) => c.running.length === 0)) return { state: 'bare', checks };
  // Something runs: only a cluster that is this folder already is left alone without a refusal.
  const differences = await compareLive(folder, runners);
  if (differences.length === 0 && checks.every((c) => c.running.length === 2)) return { state: 'matches', checks };
  return {
    state: 'refused',
    checks,
    reasons: [
      ...checks.filter((c) => c.running.length).map((c) => `${c.host} already runs ${c.running.join(' and ')}: bootstrap never overwrites a live cluster`),
      ...differences,
    ],
  };
}

/** How the live cluster differs from the folder, in words (see drift.ts). */
async function compareLive(folder: ClusterFolder, runners: readonly CommandRunner[]): Promise<string[]> {
  return (await liveDrift(folder, runners)).map(formatDrift);
}

/** The drift of a running cluster from its folder: every node's corosync.conf, and the CIB read on the first. */
export async function liveDrift(folder: ClusterFolder, runners: readonly CommandRunner[]): Promise<Drift[]> {
  const out: Drift[] = [];
  for (const r of runners) {
    const have = await r.run(['cat', COROSYNC_CONF]);
    if (have.code !== 0) out.push({ file: folder.corosyncFile, host: r.host, kind: 'missing-live', what: `${COROSYNC_CONF} cannot be read on ${r.host}: ${have.stderr.toString().trim()}` });
    else out.push(...corosyncDrift(folder.corosyncFile, folder.corosyncText, have.stdout.toString(), r.host));
  }
  const live = await runners[0]!.run(['cibadmin', '-Q', '--scope', 'configuration']);
  if (live.code !== 0) out.push({ file: folder.specFile, kind: 'missing-live', what: `the live configuration cannot be read on ${runners[0]!.host}: ${live.stderr.toString().trim()}` });
  else out.push(...specDrift(folder.specFile, folder.specText, folder.configurationXml, live.stdout.toString()));
  return out;
}

const bootstrapWait = (timeoutMs: number) => ({ timeoutMs, code: 'bootstrap-wait-timeout' as const });

/** Roles and locations in words, e.g. "redis-clone: Promoted on node1; Unpromoted on node2". */
export function describeRoles(status: CrmMonStatus): string[] {
  return status.resources.map((r) => {
    const placed = placementOf(r).filter((p) => p.role !== 'Stopped' && p.nodes.some(Boolean));
    return `${r.id}: ${placed.length ? placed.map((p) => `${p.role} on ${p.nodes.join(', ')}`).join('; ') : 'Stopped'}`;
  });
}

/** Runs the plan. A failed step stops; the failure says what was done so far and how to undo it. */
export async function runBootstrap(folder: ClusterFolder, target: ClusterTarget, options: BootstrapOptions & { pool: SshPool }): Promise<BootstrapOutcome> {
  const runners = await runnersFor(folder, target, options.pool);
  const [first, ...others] = runners as [CommandRunner, ...CommandRunner[]];
  const stamp = options.stamp ?? new Date().toISOString().replace(/[:.]/g, '').slice(0, 15) + 'Z';
  const waitMs = options.waitMs ?? 120_000;
  const plan = planBootstrap(folder, stamp);
  const done: string[] = [];
  const backups: string[] = [];
  let step = 0;
  const run = async (body: () => Promise<string | void>): Promise<void> => {
    const title = plan[step]!.title;
    options.onStep?.({ index: step, title, state: 'running' });
    try {
      const detail = await body();
      options.onStep?.({ index: step, title, state: 'done', detail: detail || undefined });
      done.push(title);
      step++;
    } catch (e) {
      options.onStep?.({ index: step, title, state: 'failed', detail: e instanceof Error ? e.message : String(e) });
      const undo = backups.length ? ` Previous files are kept on the nodes: ${backups.join(', ')}.` : '';
      const started = step >= 3 ? ' To undo: systemctl stop pacemaker corosync on every node.' : '';
      const failure = e instanceof PcxFailure ? e : new PcxFailure('bootstrap-step-failed', String(e));
      throw new PcxFailure(failure.code, `bootstrap stopped at step ${step + 1} (${title}): ${failure.message}. Done: ${done.length ? done.join('; ') : 'nothing'}.`, `${failure.hint ?? ''}${undo}${started}`.trim(), failure.host);
    }
  };

  await run(async () => {
    const pre = await preflight(folder, target, options);
    if (pre.state !== 'bare') throw new PcxFailure('bootstrap-refused', pre.state === 'matches' ? 'the cluster already runs this folder' : pre.reasons.join('; '), 'Nothing was changed.');
    return `${runners.length} node(s) ready`;
  });
  await run(async () => {
    if ((await first.run(['test', '-s', AUTHKEY])).code !== 0) await must(first, ['corosync-keygen'], 'corosync-keygen', { timeoutMs: 60_000 });
    const key = Buffer.from((await must(first, ['base64', '-w0', AUTHKEY], 'reading the authkey')).trim(), 'base64');
    for (const r of others) {
      const b = (await must(r, backupArgv(AUTHKEY, stamp), 'backing up the authkey')).trim();
      if (b) backups.push(`${r.host}:${b}`);
      await must(r, writeFileArgv(AUTHKEY, '077'), 'writing the authkey', { stdin: key });
    }
    key.fill(0);
    return `authkey on ${runners.map((r) => r.host).join(', ')}`;
  });
  await run(async () => {
    for (const r of runners) {
      const b = (await must(r, backupArgv(COROSYNC_CONF, stamp), 'backing up corosync.conf')).trim();
      if (b) backups.push(`${r.host}:${b}`);
      await must(r, writeFileArgv(COROSYNC_CONF, '022'), 'writing corosync.conf', { stdin: folder.corosyncText });
    }
    return backups.length ? `backups: ${backups.join(', ')}` : undefined;
  });
  await run(async () => {
    await Promise.all(runners.map((r) => must(r, ['systemctl', 'start', 'corosync'], 'systemctl start corosync')));
    await waitUntil('Corosync quorum', first.host, bootstrapWait(waitMs), quorate(first));
  });
  await run(async () => {
    await must(first, ['systemctl', 'start', 'pacemaker'], 'systemctl start pacemaker');
    await waitUntil('a DC with quorum', first.host, bootstrapWait(waitMs), dcWithQuorum(first));
    return `DC ${(await monitor(first)).summary.dc?.name}`;
  });
  await run(async () => {
    // The live <nodes> section stays (Pacemaker's own node ids); everything else comes from the spec.
    const liveNodes = (await must(first, ['cibadmin', '-Q', '--scope', 'nodes'], 'reading the node list')).trim();
    const configuration = folder.configurationXml.replace(/<nodes\s*\/>|<nodes>[\s\S]*?<\/nodes>/, liveNodes || '<nodes/>');
    await must(first, ['cibadmin', '--replace', '--scope', 'configuration', '--xml-pipe'], 'loading the configuration', { stdin: configuration });
    await waitUntil(`${folder.promotableClones.join(', ') || 'the resources'} to settle on ${first.host}`, first.host, bootstrapWait(waitMs), settledOn(first, [first.host], folder.promotableClones));
    return describeRoles(await monitor(first)).join('; ');
  });
  if (others.length) {
    await run(async () => {
      for (const r of others) await must(r, ['systemctl', 'start', 'pacemaker'], 'systemctl start pacemaker');
      await waitUntil('every node to join', first.host, bootstrapWait(waitMs), joined(first, folder.nodes));
    });
  }
  let endState: string[] = [];
  await run(async () => {
    await waitUntil('the cluster to settle', first.host, bootstrapWait(waitMs), settledOn(first, folder.nodes, folder.promotableClones));
    endState = describeRoles(await monitor(first));
    return endState.join('; ');
  });
  return { done, endState, backups };
}
