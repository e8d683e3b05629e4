/**
 * The preview: before anything changes, the exact commands and what Pacemaker predicts they do.
 *
 * On the node, in a private temporary directory: `crm_simulate --live-check --save-input` copies the live CIB
 * (status section included); each step's change is applied to the copy with Pacemaker's tools (`env CIB_file=COPY
 * crm_resource …`); `crm_simulate -x COPY --simulate --save-output NEXT` runs the scheduler and plays the transition;
 * `crm_mon` and `cibadmin` read NEXT back (through CIB_file) so the prediction is parsed by the same code as the
 * live cluster. Nothing on the cluster changes; the directory is removed afterwards. ~35 ms per step on the node.
 */
import { snapshotFromXml } from '../cluster/clusterXml';
import type { ClusterSnapshot } from '../cluster/types';
import { child, childrenNamed, parseXmlDocument } from '../util/xml';
import { cibXml, clusterToolFailure, crmMonXml, type RemoteCommand } from '../remote/commands';
import type { CommandRunner, RunResult } from '../remote/runner';
import { quoteArgv } from '../util/shellQuote';
import { PcxFailure } from '../util/result';
import { operation } from './catalog';
import { cliEquivalent } from './cli';
import { dangers, describeTransition, placementFromStatus, type Placement } from './clusterPlacement';
import type { Dialect, OperationRequest, Phase } from './types';

export interface PlannedPhase extends Phase {
  /** The command line exactly as it is sent to the node (quoteArgv). */
  readonly commandLine: string;
  /** Where the cluster is predicted to be once this step settled. */
  readonly predicted: Placement;
  /** The scheduler's actions for this step ("promote redis:1 on node2"). */
  readonly actions: readonly string[];
}

export interface OperationPlan {
  readonly request: OperationRequest;
  readonly title: string;
  /** The request in words. */
  readonly summary: string;
  /** The node the commands run on. */
  readonly host: string;
  readonly clusterName?: string;
  readonly dialect: Dialect;
  /** The same operation as a pcx command line (to learn and repeat it). */
  readonly cli: string;
  readonly phases: readonly PlannedPhase[];
  readonly before: Placement;
  readonly predicted: Placement;
  /** The predicted transition in plain words; empty: no change of roles or locations. */
  readonly transition: readonly string[];
  /** Conditions of the operation that the prediction says will NOT hold (e.g. "VIP runs on node1, not node2"). */
  readonly warnings: readonly string[];
  /** Set when the change stops every instance of a resource or leaves no node online: confirm by typing the name. */
  readonly dangers: readonly string[];
  /** The snapshot the plan was made from. */
  readonly snapshot: ClusterSnapshot;
}

const PREVIEW_DIR = /^\/tmp\/pcx-preview\.[A-Za-z0-9]+$/;

function firstLines(r: RunResult): string {
  return (r.stderr || r.stdout).split('\n').map((l) => l.trim()).filter(Boolean).slice(0, 3).join(' / ') || '(no output)';
}

export async function mustRun(runner: CommandRunner, argv: readonly string[], what: string, timeoutMs = 30_000, stdin?: string): Promise<RunResult> {
  const r = await runner.run(argv, { timeoutMs, stdin });
  const known = clusterToolFailure(r, argv[0]!, runner.host);
  if (known) throw known;
  if (r.code !== 0) {
    throw new PcxFailure('preview-failed', `${what} failed on ${runner.host} (exit ${r.code ?? r.signal ?? '?'}): ${firstLines(r)}`, `Nothing was changed. Run it by hand to see why: ${quoteArgv(argv)}`, runner.host);
  }
  return r;
}

async function runParsed<T>(runner: CommandRunner, cmd: RemoteCommand<T>, env: readonly string[] = []): Promise<T> {
  const argv = env.length > 0 ? ['env', ...env, ...cmd.argv] : cmd.argv;
  return cmd.parse(await runner.run(argv, { timeoutMs: cmd.timeoutMs }), runner.host);
}

/** crm_mon + CIB through one runner, joined: live, or from a CIB file (`CIB_file=`). */
export async function readSnapshot(runner: CommandRunner, cibFile?: string): Promise<ClusterSnapshot> {
  const env = cibFile ? [`CIB_file=${cibFile}`] : [];
  const [mon, cib] = await Promise.all([runParsed(runner, crmMonXml, env), runParsed(runner, cibXml, env)]);
  return snapshotFromXml({ host: runner.host, crmMonXml: mon, cibXml: cib }, cibFile ? 'the predicted state' : 'the cluster status').snapshot;
}

/** crm_simulate's `<actions>` as words: "promote redis:1 on node2", "move VIP from node1 to node2". */
export function simulatedActions(xml: string): string[] {
  const doc = parseXmlDocument(xml, 'crm_simulate XML');
  if (!doc.ok) return [];
  return childrenNamed(child(doc.value, 'actions'), 'rsc_action').map((a) => {
    const { action, resource, source, dest } = a.attrs;
    if (dest && source) return `${action} ${resource} from ${source} to ${dest}`;
    return `${action} ${resource}${source ? ` on ${source}` : dest ? ` on ${dest}` : ''}`;
  });
}

/**
 * Each step applied in turn to a copy of the CIB in a private temporary directory on the node (`copyInput` makes
 * the first copy), simulated, and read back as the predicted state. Also returns the state of the first copy.
 */
export async function simulatePhases(
  runner: CommandRunner,
  phases: readonly Phase[],
  copyInput: (file: string) => readonly string[],
  /** The state of the first copy, when the caller has no live read of it (a stopped cluster). */
  initial?: ClusterSnapshot,
): Promise<{ planned: PlannedPhase[]; initial: ClusterSnapshot; predictedSnapshot: ClusterSnapshot }> {
  const dir = (await mustRun(runner, ['mktemp', '-d', '/tmp/pcx-preview.XXXXXXXX'], 'making a temporary directory for the preview')).stdout.trim();
  if (!PREVIEW_DIR.test(dir)) throw new PcxFailure('preview-failed', `mktemp printed an unexpected directory name: ${JSON.stringify(dir)}`, 'Check mktemp and /tmp on the node.', runner.host);
  const planned: PlannedPhase[] = [];
  try {
    let input = `${dir}/0.xml`;
    await mustRun(runner, copyInput(input), 'copying the CIB for the preview');
    const first = initial ?? (await readSnapshot(runner, input));
    let predictedSnapshot = first;
    for (const [i, phase] of phases.entries()) {
      for (const argv of phase.simulate) await mustRun(runner, ['env', `CIB_file=${input}`, ...argv], `applying "${phase.title}" to the CIB copy`);
      const output = `${dir}/${i + 1}.xml`;
      const sim = await mustRun(runner, ['crm_simulate', `--xml-file=${input}`, ...(phase.simulateFlags ?? []), '--simulate', `--save-output=${output}`, '--output-as=xml'], 'crm_simulate');
      predictedSnapshot = await readSnapshot(runner, output);
      planned.push({ ...phase, commandLine: quoteArgv(phase.argv), predicted: placementFromStatus(predictedSnapshot.crmMon), actions: simulatedActions(sim.stdout) });
      input = output;
    }
    return { planned, initial: first, predictedSnapshot };
  } finally {
    await runner.run(['rm', '-rf', '--', dir], { timeoutMs: 10_000 }).catch(() => undefined);
  }
}

/**
 * Read the cluster, check the request, build the steps for the dialect and simulate them on a copy of the CIB.
 * Throws a PcxFailure for a request that makes no sense here (nothing has run then).
 */
export async function planOperation(runner: CommandRunner, req: OperationRequest, dialect: Dialect): Promise<OperationPlan> {
  const desc = operation(req.kind);
  const snapshot = await readSnapshot(runner);
  const invalid = desc.validate(req, snapshot);
  if (invalid) throw invalid.host ? invalid : new PcxFailure(invalid.code, invalid.message, invalid.hint, runner.host);
  const phases = desc.phases(req, snapshot, dialect);

  const { planned, predictedSnapshot } = await simulatePhases(runner, phases, (file) => ['crm_simulate', '--live-check', `--save-input=${file}`, '--run', '--quiet'], snapshot);
  return assemblePlan(runner.host, req, dialect, snapshot, planned, predictedSnapshot);
}

/** The plan from the snapshot it was made from and the simulated steps. */
export function assemblePlan(host: string, req: OperationRequest, dialect: Dialect, snapshot: ClusterSnapshot, planned: readonly PlannedPhase[], predictedSnapshot: ClusterSnapshot): OperationPlan {
  const desc = operation(req.kind);
  const before = placementFromStatus(snapshot.crmMon);
  const predicted = planned.at(-1)?.predicted ?? before;
  return {
    request: req,
    title: desc.title,
    summary: desc.describe(req),
    host,
    clusterName: snapshot.clusterName,
    dialect,
    cli: cliEquivalent(req),
    phases: planned,
    before,
    predicted,
    transition: describeTransition(before, predicted),
    warnings: desc.verify(req, snapshot, predictedSnapshot).map((w) => `Pacemaker predicts: ${w}`),
    dangers: dangers(before, predicted),
    snapshot,
  };
}

export interface CibChangeStep {
  /** Run on the copy with `CIB_file=` set, e.g. `cibadmin --patch --xml-pipe`. */
  readonly argv: readonly string[];
  readonly stdin?: string;
  readonly what: string;
}

export interface SimulatedChange {
  readonly before: ClusterSnapshot;
  readonly predicted: ClusterSnapshot;
  /** The scheduler's actions ("promote redis:1 on node2"). */
  readonly actions: readonly string[];
  /** What crm_verify says about the changed copy (empty: valid). */
  readonly verify: readonly string[];
}

/**
 * The same machinery as planOperation for a change given as commands: copy the live CIB into a private temporary
 * directory on the node, apply the steps to the copy, crm_verify it, let crm_simulate play the transition and
 * read the result back. Nothing on the cluster changes; the directory is removed afterwards.
 */
export async function simulateCibChange(runner: CommandRunner, steps: readonly CibChangeStep[]): Promise<SimulatedChange> {
  const before = await readSnapshot(runner);
  const dir = (await mustRun(runner, ['mktemp', '-d', '/tmp/pcx-preview.XXXXXXXX'], 'making a temporary directory for the preview')).stdout.trim();
  if (!PREVIEW_DIR.test(dir)) throw new PcxFailure('preview-failed', `mktemp printed an unexpected directory name: ${JSON.stringify(dir)}`, 'Check mktemp and /tmp on the node.', runner.host);
  try {
    const copy = `${dir}/0.xml`;
    await mustRun(runner, ['crm_simulate', '--live-check', `--save-input=${copy}`, '--run', '--quiet'], 'copying the live CIB (crm_simulate --live-check --save-input)');
    for (const step of steps) await mustRun(runner, ['env', `CIB_file=${copy}`, ...step.argv], `applying ${step.what} to the CIB copy`, 30_000, step.stdin);
    const verified = await runner.run(['crm_verify', `--xml-file=${copy}`], { timeoutMs: 30_000 });
    const verify = verified.code === 0 ? [] : (verified.stderr || verified.stdout).split('\n').map((l) => l.trim()).filter(Boolean).slice(0, 10);
    const output = `${dir}/1.xml`;
    const sim = await mustRun(runner, ['crm_simulate', `--xml-file=${copy}`, '--simulate', `--save-output=${output}`, '--output-as=xml'], 'crm_simulate');
    return { before, predicted: await readSnapshot(runner, output), actions: simulatedActions(sim.stdout), verify };
  } finally {
    await runner.run(['rm', '-rf', '--', dir], { timeoutMs: 10_000 }).catch(() => undefined);
  }
}
