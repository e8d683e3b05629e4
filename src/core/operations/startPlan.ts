/**
 * The plan of an ordered start of a stopped cluster. Nothing runs, so nothing live can be read: the nodes and the
 * resources come from the configuration the node stored (/var/lib/pacemaker/cib/cib.xml, read from a copy), the
 * prediction from crm_simulate bringing the nodes up one by one on that copy.
 *
 * Which node first, unless the user names one: where the promotable clone was last Promoted — the status in the
 * newest scheduler input (pe-input-N.bz2) of any node, i.e. what the last DC saw just before the cluster stopped —
 * else the first node of the configuration.
 */
import { dateTimeWithZone } from '../util/time';
import { parseCrmMon } from '../cluster/crmMon';
import { memberNodeNames } from '../cluster/snapshot';
import { crmMonXml } from '../remote/commands';
import type { CommandRunner } from '../remote/runner';
import { PcxFailure } from '../util/result';
import { operation } from './catalog';
import type { NodeRunners } from './nodeRunners';
import { assemblePlan, simulatePhases, type OperationPlan } from './preview';
import { promotedNodes } from './targets';
import type { Dialect, OperationRequest } from './types';

const STORED_CIB = '/var/lib/pacemaker/cib/cib.xml';
const copyStored = (file: string): readonly string[] => ['cp', '--', STORED_CIB, file];
/** The newest scheduler inputs of a node, newest first, as "MTIME PATH" lines. */
const NEWEST_INPUTS = 'for f in $(ls -t /var/lib/pacemaker/pengine/pe-input-*.bz2 2>/dev/null | head -n 5); do stat -c "%Y %n" -- "$f"; done';

const inputNumber = (file: string): number => Number(/pe-input-(\d+)\.bz2$/.exec(file)?.[1] ?? 0);

/**
 * Where the promotable clones were last Promoted: the newest scheduler input (of any node) that shows one Promoted
 * instance — the last inputs of a cluster that stopped show everything stopped already — with where that was read.
 */
export async function lastPromoted(runners: readonly CommandRunner[]): Promise<{ node: string; source: string } | undefined> {
  const inputs: { runner: CommandRunner; time: number; file: string }[] = [];
  for (const runner of runners) {
    const r = await runner.run(['sh', '-c', NEWEST_INPUTS], { timeoutMs: 10_000 }).catch(() => undefined);
    if (r?.code !== 0) continue;
    for (const line of r.stdout.split('\n')) {
      const m = /^(\d+) (\/\S+\.bz2)$/.exec(line.trim());
      if (m) inputs.push({ runner, time: Number(m[1]), file: m[2]! });
    }
  }
  inputs.sort((a, b) => b.time - a.time || inputNumber(b.file) - inputNumber(a.file));
  for (const input of inputs) {
    const read = await input.runner.run(['env', `CIB_file=${input.file}`, ...crmMonXml.argv], { timeoutMs: crmMonXml.timeoutMs }).catch(() => undefined);
    if (read?.code !== 0) continue;
    const status = parseCrmMon(read.stdout);
    if (!status.ok) continue;
    const promoted = [...new Set(status.value.resources.flatMap((r) => (r.kind === 'clone' && r.promotable ? promotedNodes(r) : [])))];
    if (promoted.length !== 1) continue;
    const when = dateTimeWithZone(input.time * 1000);
    return { node: promoted[0]!, source: `${input.runner.host}'s scheduler input ${input.file.split('/').pop()}, ${when} UTC` };
  }
  return undefined;
}

const running = async (runner: CommandRunner): Promise<boolean> => (await runner.run(['pgrep', '-x', 'pacemakerd'], { timeoutMs: 10_000 })).code === 0;

export async function planClusterStart(runner: CommandRunner, nodes: NodeRunners, req: OperationRequest, dialect: Dialect): Promise<OperationPlan> {
  const desc = operation('cluster-start');
  const { initial: stored } = await simulatePhases(runner, [], copyStored);
  const names = memberNodeNames(stored);
  if (names.length === 0) throw new PcxFailure('no-nodes', `the configuration stored on ${runner.host} (${STORED_CIB}) names no node`, 'Bootstrap the cluster first (pcx bootstrap), or start it on a node that was a member.', runner.host);
  const runners = await Promise.all(names.map(async (n) => ({ name: n, runner: await nodes.forNode(n) })));
  const up = (await Promise.all(runners.map(async (r) => ((await running(r.runner)) ? r.name : undefined)))).filter((n): n is string => n !== undefined);
  if (up.length === names.length) throw new PcxFailure('no-change', `the cluster services already run on every node (${names.join(', ')})`, 'Nothing to do.');
  if (up.length > 0) {
    const down = names.filter((n) => !up.includes(n));
    throw new PcxFailure('cluster-running', `Pacemaker already runs on ${up.join(', ')}: an ordered start is for a stopped cluster`, `Start the other node${down.length > 1 ? 's' : ''} on their own: ${down.map((n) => `pcx start --node ${n}`).join('; ')}.`, runner.host);
  }
  const last = req.first ? undefined : await lastPromoted(runners.map((r) => r.runner));
  const first = req.first ?? (last && names.includes(last.node) ? last.node : names[0]!);
  const why = req.first ? 'as asked' : last ? `where it was last Promoted (${last.source})` : 'the first node of the configuration (no record of a Promoted instance)';
  const request = { ...req, first };
  const invalid = desc.validate(request, stored);
  if (invalid) throw invalid;
  const phases = desc.phases(request, stored, dialect);
  const { planned, predictedSnapshot } = await simulatePhases(runner, phases, copyStored, stored);
  const plan = assemblePlan(runner.host, request, dialect, stored, planned, predictedSnapshot);
  return { ...plan, summary: `${plan.summary} (${first}: ${why})` };
}
