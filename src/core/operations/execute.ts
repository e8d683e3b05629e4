/**
 * Run a previewed plan: each step's command on the plan's node, then — where the step says so — wait for the
 * cluster to settle (`crm_resource --wait`, then a poll until the placement equals the step's prediction, bounded
 * by a deadline), and finally a report: before/after roles and locations, the operation's own checks, and where the
 * outcome differs from the preview. Steps marked `always` (removing a constraint this operation created) run even
 * after a failure, a timeout or a cancel, so no cli- constraint is left behind unreported.
 */
import type { ClusterSnapshot } from '../cluster/types';
import type { CommandRunner } from '../remote/runner';
import { describeError, PcxFailure } from '../util/result';
import { operation } from './catalog';
import { describeTransition, placementDifferences, placementFromStatus, type Placement } from './clusterPlacement';
import { readSnapshot, type OperationPlan, type PlannedPhase } from './preview';
import { cliConstraints } from './targets';
import type { NodeRunners } from './nodeRunners';
import type { WorkloadCheck } from './workloadCheck';
import type { StartupWait } from './types';
import { joined, quorate, readyOnFirst, servicesStopped, settledOn, waitUntil, type StartupProbe } from '../cluster/startup';

export interface ExecuteOptions {
  /** Longest wait for the cluster to settle after one step (default 120 s). */
  readonly settleTimeoutMs?: number;
  /** Longest run of one command (default 120 s: pcs waits for the CIB, crm_resource --restart for the resource). */
  readonly commandTimeoutMs?: number;
  readonly signal?: AbortSignal;
  /** Progress in words ("waiting for the cluster to settle after …"). */
  readonly onProgress?: (message: string) => void;
  /** Each command line and its output, for the log. */
  readonly onLog?: (line: string) => void;
  /** Poll interval while waiting (default 1 s). */
  readonly pollMs?: number;
  /** A shell on another node, for steps that run or wait there (PreparedOperation.nodes). */
  readonly nodes?: NodeRunners;
  /** After a start of cluster services: the replicated service's own state (workloadCheck.ts); problems are unmet. */
  readonly workload?: WorkloadCheck;
}

export type PhaseStatus = 'done' | 'failed' | 'timed-out' | 'cancelled' | 'skipped';

export interface PhaseOutcome {
  readonly title: string;
  readonly commandLine: string;
  readonly status: PhaseStatus;
  readonly exitCode?: number | null;
  readonly stdout?: string;
  readonly stderr?: string;
  readonly waitedMs?: number;
  /** Where the settled cluster differs from this step's prediction. */
  readonly differences: readonly string[];
}

export type OutcomeStatus = 'done' | 'degraded' | 'failed' | 'timed-out' | 'cancelled';

export interface OperationOutcome {
  readonly plan: OperationPlan;
  readonly status: OutcomeStatus;
  /** One sentence for a notification or the last line of pcx's output. */
  readonly message: string;
  readonly phases: readonly PhaseOutcome[];
  readonly before: Placement;
  readonly after?: Placement;
  /** What happened, in the words the preview used. */
  readonly transition: readonly string[];
  /** The operation's own checks that do not hold (e.g. a leftover constraint). */
  readonly unmet: readonly string[];
  /** Where the final state differs from the preview's prediction. */
  readonly differences: readonly string[];
  /** The failure that stopped it, if one did. */
  readonly failure?: { readonly code: string; readonly message: string; readonly hint?: string };
  readonly elapsedMs: number;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

/** crmsh colours its INFO/WARNING words even into a pipe; the log is plain text. */
const ESC = String.fromCharCode(27);
function withoutColours(text: string): string {
  return text.split(ESC).map((part, i) => (i === 0 ? part : part.replace(/^\[[0-9;]*m/, ''))).join('');
}

/** Operations after which the workload is checked (when the caller gives a check). */
const STARTS: ReadonlySet<string> = new Set(['cluster-start', 'node-start']);

/** How long after the cluster went idle a placement that still differs from the prediction is accepted as final. */
const IDLE_GRACE_MS = 8_000;

async function readPlacement(runner: CommandRunner, phase: PlannedPhase): Promise<{ snapshot?: ClusterSnapshot; differences: string[] }> {
  try {
    const snapshot = await readSnapshot(runner);
    return { snapshot, differences: placementDifferences(phase.predicted, placementFromStatus(snapshot.crmMon)) };
  } catch (e) {
    // A node that went away mid-operation: keep waiting until the deadline, then say what was last seen.
    return { differences: [`could not read the cluster: ${e instanceof PcxFailure ? e.message : String(e)}`] };
  }
}

/** The DC's controller is idle (S_IDLE): no transition computed or running. False when that cannot be told. */
async function dcIdle(runner: CommandRunner, snap: ClusterSnapshot): Promise<boolean> {
  const dc = snap.crmMon.summary.dc?.name;
  if (!dc) return false;
  const r = await runner.run(['crmadmin', `--status=${dc}`], { timeoutMs: 10_000 }).catch(() => undefined);
  return r?.code === 0 && /\bS_IDLE\b/.test(`${r.stdout}${r.stderr}`);
}

async function settle(
  runner: CommandRunner,
  phase: PlannedPhase,
  o: ExecuteOptions,
): Promise<{ status: 'done' | 'timed-out' | 'cancelled'; waitedMs: number; snapshot?: ClusterSnapshot; differences: string[] }> {
  const started = Date.now();
  const deadline = started + (o.settleTimeoutMs ?? 120_000);
  let idleSince: number | undefined;
  let last: ClusterSnapshot | undefined;
  let differences: string[] = ['not read yet'];
  for (;;) {
    if (o.signal?.aborted) return { status: 'cancelled', waitedMs: Date.now() - started, snapshot: last, differences };
    const left = deadline - Date.now();
    if (left <= 0) return { status: 'timed-out', waitedMs: Date.now() - started, snapshot: last, differences };
    // Fast path: once the placement is the prediction, the DC's own state says whether anything is still in flight
    // (crm_resource --wait sleeps 2 s before it first looks, on every call).
    const now = await readPlacement(runner, phase);
    if (now.snapshot) last = now.snapshot;
    differences = now.differences;
    if (differences.length === 0 && last && (await dcIdle(runner, last))) return { status: 'done', waitedMs: Date.now() - started, snapshot: last, differences };
    // crm_resource --wait returns once the DC has no transition in flight (0), or 124 at its timeout.
    const waitS = Math.max(1, Math.min(30, Math.floor(left / 1000)));
    const wait = await runner.run(['crm_resource', '--wait', `--timeout=${waitS}s`], { timeoutMs: waitS * 1000 + 10_000 }).catch(() => undefined);
    const after = await readPlacement(runner, phase);
    if (after.snapshot) last = after.snapshot;
    differences = after.differences;
    const idle = wait?.code === 0;
    if (idle && differences.length === 0) return { status: 'done', waitedMs: Date.now() - started, snapshot: last, differences };
    if (idle) {
      idleSince ??= Date.now();
      if (Date.now() - idleSince >= IDLE_GRACE_MS) return { status: 'done', waitedMs: Date.now() - started, snapshot: last, differences };
    } else idleSince = undefined;
    o.onProgress?.(`waiting for the cluster to settle after "${phase.title}" (${differences[0] ?? 'transition in progress'})`);
    await sleep(o.pollMs ?? 1000, o.signal);
  }
}

function startupProbe(w: StartupWait, on: CommandRunner): { what: string; probe: StartupProbe } {
  switch (w.kind) {
    case 'quorum': return { what: 'Corosync quorum', probe: quorate(on) };
    case 'ready-on-first': return { what: `${w.on} to be DC with its promotable clones Promoted and its resources started`, probe: readyOnFirst(on, w.on) };
    case 'joined': return { what: `${w.nodes.join(', ')} to be online`, probe: joined(on, w.nodes) };
    case 'settled': return { what: `${w.nodes.join(', ')} to be online and the resources to settle`, probe: settledOn(on, w.nodes) };
    case 'stopped': return { what: 'Pacemaker and Corosync to stop', probe: servicesStopped(on) };
  }
}

async function awaitStartup(w: StartupWait, on: CommandRunner, o: ExecuteOptions): Promise<{ status: 'done' | 'timed-out' | 'cancelled'; waitedMs: number; differences: string[] }> {
  const started = Date.now();
  const { what, probe } = startupProbe(w, on);
  o.onProgress?.(`waiting on ${on.host} for ${what}`);
  try {
    await waitUntil(what, on.host, { timeoutMs: o.settleTimeoutMs ?? 120_000, signal: o.signal, pollMs: o.pollMs }, probe);
    return { status: 'done', waitedMs: Date.now() - started, differences: [] };
  } catch (e) {
    const f = e instanceof PcxFailure ? e : new PcxFailure('wait-failed', String(e));
    return { status: f.code === 'cancelled' ? 'cancelled' : 'timed-out', waitedMs: Date.now() - started, differences: [f.message] };
  }
}

/** Every node stopped (predicted): nothing can be read afterwards, so each node's daemons are checked instead. */
async function stoppedEverywhere(plan: OperationPlan, runnerOn: (node: string) => Promise<CommandRunner>): Promise<string[]> {
  const out: string[] = [];
  for (const n of plan.before.nodes.filter((x) => x.online)) {
    try {
      const still = await servicesStopped(await runnerOn(n.name))();
      if (still) out.push(still);
    } catch (e) {
      out.push(`could not check ${n.name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return out;
}

export async function executePlan(runner: CommandRunner, plan: OperationPlan, o: ExecuteOptions = {}): Promise<OperationOutcome> {
  const started = Date.now();
  const log = o.onLog ?? (() => undefined);
  log(`# ${plan.title}: ${plan.summary} (same as: ${plan.cli})`);
  const outcomes: PhaseOutcome[] = [];
  const runnerOn = async (node: string): Promise<CommandRunner> => {
    if (o.nodes) return o.nodes.forNode(node);
    if (node === runner.host) return runner;
    throw new PcxFailure('internal-error', `no shell on ${node} for this step`, 'Please report this with the log.', node);
  };
  /** The node that reads the cluster afterwards: the one the last wait read (the plan's host may be stopped). */
  let reader: string | undefined;
  let stopped: PhaseStatus | undefined;
  let failure: OperationOutcome['failure'];
  for (const phase of plan.phases) {
    if (stopped && !phase.always) {
      outcomes.push({ title: phase.title, commandLine: phase.commandLine, status: 'skipped', differences: [] });
      continue;
    }
    o.onProgress?.(phase.title);
    let result;
    try {
      const on = phase.runOn ? await runnerOn(phase.runOn) : runner;
      log(`${on.host}# ${phase.commandLine}`);
      result = await on.run(phase.argv, { timeoutMs: o.commandTimeoutMs ?? 120_000 });
    } catch (e) {
      const f = e instanceof PcxFailure ? e : new PcxFailure('command-failed', String(e), undefined, runner.host);
      failure ??= { code: f.code, message: f.message, hint: f.hint };
      log(`  ! ${describeError(f)}`);
      outcomes.push({ title: phase.title, commandLine: phase.commandLine, status: 'failed', differences: [] });
      stopped ??= 'failed';
      continue;
    }
    for (const line of withoutColours(`${result.stdout}${result.stderr}`).split('\n').filter((l) => l.trim())) log(`  ${line}`);
    if (result.code !== 0) {
      const text = (result.stderr || result.stdout).trim().split('\n').slice(0, 4).join(' / ') || '(no output)';
      failure ??= { code: 'command-failed', message: `${phase.argv[0]} failed on ${phase.runOn ?? runner.host} (exit ${result.code ?? result.signal}): ${text}`, hint: `Nothing after "${phase.title}" ran except clean-up steps; pcx status shows the state left behind.` };
      outcomes.push({ title: phase.title, commandLine: phase.commandLine, status: 'failed', exitCode: result.code, stdout: result.stdout, stderr: result.stderr, differences: [] });
      stopped ??= 'failed';
      continue;
    }
    let status: PhaseStatus = 'done';
    let waitedMs: number | undefined;
    let differences: string[] = [];
    if (phase.wait && !(stopped === 'cancelled')) {
      const s = await awaitStartup(phase.wait, await runnerOn(phase.wait.on).catch(() => runner), o);
      status = s.status;
      waitedMs = s.waitedMs;
      differences = s.differences;
      log(`  … ${s.status === 'done' ? 'done' : s.status} after ${(s.waitedMs / 1000).toFixed(1)} s${differences.length ? `: ${differences.join('; ')}` : ''}`);
      if (s.status !== 'done') stopped ??= s.status;
      if (phase.wait.kind !== 'stopped') reader = phase.wait.on;
    } else if (phase.settle && !(stopped === 'cancelled')) {
      const observer = phase.settleOn ? await runnerOn(phase.settleOn).catch(() => runner) : runner;
      if (phase.settleOn) reader = phase.settleOn;
      const s = await settle(observer, phase, o);
      status = s.status;
      waitedMs = s.waitedMs;
      differences = s.differences;
      log(`  … ${s.status === 'done' ? 'settled' : s.status} after ${(s.waitedMs / 1000).toFixed(1)} s${differences.length ? `; differs from the preview: ${differences.join('; ')}` : ''}`);
      if (s.status !== 'done') stopped ??= s.status;
    }
    outcomes.push({ title: phase.title, commandLine: phase.commandLine, status, exitCode: result.code, stdout: result.stdout, stderr: result.stderr, waitedMs, differences });
  }

  const base = { plan, phases: outcomes, before: plan.before, failure, elapsedMs: 0 };
  if (plan.predicted.nodes.length > 0 && plan.predicted.nodes.every((n) => !n.online)) {
    const unmet = await stoppedEverywhere(plan, runnerOn);
    const status: OutcomeStatus = failure ? 'failed' : stopped === 'timed-out' ? 'timed-out' : stopped === 'cancelled' ? 'cancelled' : unmet.length ? 'degraded' : 'done';
    const message = status === 'done' ? `${plan.title} done and verified: Pacemaker and Corosync stopped on ${plan.before.nodes.filter((n) => n.online).map((n) => n.name).join(', ')}; every resource stopped.` : status === 'failed' ? `${plan.title} failed: ${failure!.message}.` : `${plan.title} ${status === 'degraded' ? 'ran, but' : status}: ${unmet.join('; ') || 'see the log'}.`;
    log(`# ${message}`);
    return { ...base, status, message, after: plan.predicted, transition: plan.transition, unmet, differences: [], elapsedMs: Date.now() - started };
  }
  let after: ClusterSnapshot;
  try {
    after = await readSnapshot(reader ? await runnerOn(reader).catch(() => runner) : runner);
  } catch (e) {
    const f = e instanceof PcxFailure ? e : new PcxFailure('internal-error', String(e));
    return { ...base, status: 'failed', message: `could not read the cluster after the operation: ${f.message}`, transition: [], unmet: [], differences: [], failure: failure ?? f, elapsedMs: Date.now() - started };
  }
  const afterPlacement = placementFromStatus(after.crmMon);
  const unmet = operation(plan.request.kind).verify(plan.request, plan.snapshot, after);
  if (o.workload && STARTS.has(plan.request.kind) && !failure && !stopped) {
    o.onProgress?.('checking the replicated service (replication, VIP)');
    const problems = await o.workload(after, o.signal);
    for (const p of problems) log(`  ! ${p}`);
    unmet.push(...problems);
  }
  const differences = placementDifferences(plan.predicted, afterPlacement);
  const leftovers = cliConstraints(after, undefined).filter((id) => !cliConstraints(plan.snapshot, undefined).includes(id));
  const pendingNote = leftovers.length > 0 ? ` Left behind: ${leftovers.join(', ')}.` : '';
  const status: OutcomeStatus = failure ? 'failed' : stopped === 'timed-out' ? 'timed-out' : stopped === 'cancelled' ? 'cancelled' : unmet.length || differences.length ? 'degraded' : 'done';
  const message =
    status === 'done'
      ? `${plan.title} done and verified: ${describeTransition(plan.before, afterPlacement, 'past').join('; ') || 'no change of roles or locations'}.`
      : status === 'failed'
        ? `${plan.title} failed: ${failure!.message}.${pendingNote}`
        : status === 'degraded'
          ? `${plan.title} ran, but ${[...unmet, ...differences.map((d) => `differs from the preview: ${d}`)].join('; ')}.`
          : `${plan.title} ${status === 'timed-out' ? 'timed out waiting for the cluster to settle' : 'cancelled while waiting'}; still pending: ${[...unmet, ...differences].join('; ') || 'nothing visible'}.${pendingNote}`;
  log(`# ${message}`);
  return {
    ...base,
    status,
    message,
    after: afterPlacement,
    transition: describeTransition(plan.before, afterPlacement, 'past'),
    unmet,
    differences,
    elapsedMs: Date.now() - started,
  };
}
