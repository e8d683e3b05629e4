/**
 * Starting a cluster in order, shared by bootstrap and `pcx start`: Corosync everywhere and quorum, Pacemaker on
 * the first node until it is DC, its promotable clones Promoted there and every resource started, then the other
 * nodes (the reference setup's start-up race: a replica that starts before its master is ready), until they
 * joined and the cluster settled. Each wait is a bounded poll whose failure says what it waited for and what it
 * last saw.
 */
import type { FailureCode } from '../util/failures';
import { parseCrmMon } from './crmMon';
import { readCrmMonXml } from './live';
import { placementOf, primitivesOf } from './snapshot';
import type { CrmMonStatus } from './types';
import type { CommandRunner } from '../remote/runner';
import { PcxFailure } from '../util/result';

const SETTLED_ROLES: ReadonlySet<string> = new Set(['Started', 'Promoted', 'Unpromoted']);

/** One poll: undefined when the condition holds, else what is still missing, in words. */
export type StartupProbe = () => Promise<string | undefined>;

export interface WaitOptions {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  readonly pollMs?: number;
  /** The failure code when the time runs out (bootstrap keeps its own). */
  readonly code?: FailureCode;
}

/**
 * Polls `probe` until it holds. Throws a PcxFailure naming `what`, the host and the last thing seen when the time
 * runs out (or code 'cancelled' when the signal fires).
 */
export async function waitUntil(what: string, host: string, o: WaitOptions, probe: StartupProbe): Promise<void> {
  const deadline = Date.now() + o.timeoutMs;
  for (;;) {
    let last: string;
    try {
      const missing = await probe();
      if (missing === undefined) return;
      last = missing;
    } catch (e) {
      last = e instanceof Error ? e.message : String(e);
    }
    if (o.signal?.aborted) throw new PcxFailure('cancelled', `stopped waiting on ${host} for ${what}; last seen: ${last}`, 'The steps done so far stay as they are; pcx status shows the state.', host);
    if (Date.now() > deadline) {
      throw new PcxFailure(o.code ?? 'wait-timeout', `waited ${Math.round(o.timeoutMs / 1000)} s on ${host} for ${what}; last seen: ${last}`, `Look at ${host}'s Pacemaker and Corosync logs (pcx logs); the steps done so far stay as they are.`, host);
    }
    await new Promise((r) => setTimeout(r, o.pollMs ?? 1000));
  }
}

export async function monitor(runner: CommandRunner): Promise<CrmMonStatus> {
  const r = parseCrmMon(await readCrmMonXml(runner));
  if (!r.ok) throw new PcxFailure(r.error.code, r.error.message, r.error.hint, runner.host);
  return r.value;
}

/** Promotable clones as crm_mon lists them. */
export function promotableClones(status: CrmMonStatus): string[] {
  return status.resources.filter((r) => r.kind === 'clone' && r.promotable).map((r) => r.id);
}

/**
 * What is not yet settled on `nodes` (undefined when settled): every node online, each promotable clone Promoted
 * on exactly one node, every primitive running, and each clone running once per online node.
 */
export function notSettled(status: CrmMonStatus, clones: readonly string[], nodes: readonly string[]): string | undefined {
  const offline = nodes.filter((n) => !status.nodes.find((s) => s.name === n)?.online);
  if (offline.length) return `offline: ${offline.join(', ')}`;
  for (const clone of clones) {
    const r = status.resources.find((x) => x.id === clone);
    const promoted = r ? placementOf(r).find((p) => p.role === 'Promoted')?.nodes ?? [] : [];
    if (promoted.length !== 1) return `${clone} Promoted on ${promoted.length} nodes`;
  }
  for (const r of status.resources) {
    // Settled roles only: "Starting" or "Promoting" on a node is not there yet.
    const running = primitivesOf([r]).filter((p) => p.nodes.length > 0 && SETTLED_ROLES.has(p.role)).length;
    const wanted = r.kind === 'clone' ? nodes.length : primitivesOf([r]).length;
    if (running < wanted) return `${r.id}: ${running} of ${wanted} running`;
  }
  return undefined;
}

/** Corosync on `runner`'s node counts the cluster quorate. */
export const quorate = (runner: CommandRunner): StartupProbe => async () => {
  const s = await runner.run(['corosync-quorumtool', '-s'], { timeoutMs: 15_000 });
  return /Quorate:\s+Yes/.test(s.stdout.toString()) ? undefined : 'not quorate';
};

/** A DC elected, with quorum. */
export const dcWithQuorum = (runner: CommandRunner): StartupProbe => async () => {
  const s = await monitor(runner);
  return s.summary.dc && s.summary.withQuorum ? undefined : `DC ${s.summary.dc?.name ?? 'none'}, quorum ${String(s.summary.withQuorum)}`;
};

/**
 * `first` is DC, every promotable clone (the listed ones, or those crm_mon shows) Promoted there, and every
 * resource started on it: the moment the other nodes may start.
 */
export const readyOnFirst = (runner: CommandRunner, first: string, clones?: readonly string[]): StartupProbe => async () => {
  const s = await monitor(runner);
  if (s.summary.dc?.name !== first) return `DC is ${s.summary.dc?.name ?? 'not elected yet'}, not ${first}`;
  const wanted = clones ?? promotableClones(s);
  const missing = notSettled(s, wanted, [first]);
  if (missing) return missing;
  for (const clone of wanted) {
    const r = s.resources.find((x) => x.id === clone);
    const promoted = r ? placementOf(r).find((p) => p.role === 'Promoted')?.nodes ?? [] : [];
    if (promoted[0] !== first) return `${clone} Promoted on ${promoted[0] ?? 'no node'}, not ${first}`;
  }
  return undefined;
};

/** Every node in `nodes` online. */
export const joined = (runner: CommandRunner, nodes: readonly string[]): StartupProbe => async () => {
  const s = await monitor(runner);
  const offline = nodes.filter((n) => !s.nodes.find((x) => x.name === n)?.online);
  return offline.length ? `offline: ${offline.join(', ')}` : undefined;
};

/** Every node in `nodes` online and the resources settled on them (promotable clones from crm_mon when not listed). */
export const settledOn = (runner: CommandRunner, nodes: readonly string[], clones?: readonly string[]): StartupProbe => async () => {
  const s = await monitor(runner);
  return notSettled(s, clones ?? promotableClones(s), nodes);
};

/** `node` is offline as `runner`'s node sees it. */
export const offline = (runner: CommandRunner, node: string): StartupProbe => async () => {
  const s = await monitor(runner);
  const n = s.nodes.find((x) => x.name === node);
  return n && n.online ? `${node} still online` : undefined;
};

/** Neither pacemakerd nor corosync runs on `runner`'s node. */
export const servicesStopped = (runner: CommandRunner): StartupProbe => async () => {
  const running: string[] = [];
  for (const d of ['pacemakerd', 'corosync']) if ((await runner.run(['pgrep', '-x', d], { timeoutMs: 10_000 })).code === 0) running.push(d);
  return running.length ? `${running.join(' and ')} still running on ${runner.host}` : undefined;
};
