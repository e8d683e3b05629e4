/**
 * Which nodes a log read covers: every node of the cluster, found from the hosts given the way `pcx status` finds
 * them (src/core/cluster/live.ts: the nodelist of a node that answers, with its fallback to the other listed hosts,
 * a listed host's corosync nodelist, and nodes remembered from an earlier read — memberMemory.ts), so logs and
 * history tell the whole cluster's story from one host. And the words for what was read: which nodes, over which
 * span, which were not and why, and a node whose log does not reach back to the start of the window.
 */
import { discoverNodes, memberMemoryKey, type ClusterTarget, type LiveOptions } from '../cluster/live';
import { PcxFailure } from '../util/result';
import type { NodeInfo } from './types';

export interface OtherMember {
  readonly host: string;
  /** Where it was found, to follow "found in": "the nodelist read on node1", "the nodes remembered from …". */
  readonly from: string;
}

/** How long the discovery may take before the read goes on with the hosts it has. */
const DISCOVERY_TIMEOUT_MS = 10_000;

/**
 * The cluster's nodes other than the hosts given, and, when they could not be listed, why. `known` are hosts the
 * caller already knows belong to the cluster (the explorer's discovered fallbacks).
 */
export async function otherMembers(target: ClusterTarget, options: LiveOptions, known: readonly string[] = []): Promise<{ members: OtherMember[]; problem?: string }> {
  const out: OtherMember[] = [];
  const add = (hosts: readonly string[], from: string): void => {
    for (const host of hosts) if (!target.hosts.includes(host) && !out.some((o) => o.host === host)) out.push({ host, from });
  };
  add(known, "the explorer's discovered nodes");
  const memory = options.fallback?.memory;
  try {
    const found = await discoverNodes(target, { ...options, readTimeoutMs: options.readTimeoutMs ?? DISCOVERY_TIMEOUT_MS });
    memory?.remember(memberMemoryKey(target), found.hosts);
    add(found.hosts, `the nodelist read on ${found.host}`);
    return { members: out };
  } catch (e) {
    const why = e instanceof PcxFailure ? e.message : e instanceof Error ? e.message : String(e);
    const remembered = memory?.recall(memberMemoryKey(target));
    if (remembered) add(remembered.hosts, `the nodes remembered from an earlier read (${remembered.at})`);
    return { members: out, problem: `the cluster's other nodes could not be listed (${why})${remembered ? '; the nodes remembered from an earlier read were tried' : ''}` };
  }
}

const hhmmss = (t: number, utc: boolean): string => {
  const d = new Date(t);
  const p = (n: number) => String(n).padStart(2, '0');
  return utc ? `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}` : `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
};

/**
 * What a read covered, for the top of its output: one line for the nodes read (with the span each covers), one per
 * node not read (with why), one per node whose log starts after `since` (used for the span it has).
 */
export function describeCoverage(nodes: readonly NodeInfo[], o: { since?: number; following?: boolean; utc?: boolean }): string[] {
  const utc = o.utc ?? false;
  const read = nodes.filter((n) => n.state !== 'failed');
  const failed = nodes.filter((n) => n.state === 'failed');
  const one = (n: NodeInfo): string => {
    const parts = [n.host !== n.node ? `host ${n.host}` : '', n.from ? `found in ${n.from}` : '', n.lines !== undefined ? `${n.lines} line(s)` : ''];
    const span = n.first !== undefined && n.last !== undefined ? `, ${hhmmss(Math.max(n.first, o.since ?? n.first), utc)}–${hhmmss(n.last, utc)}` : '';
    const detail = parts.filter(Boolean).join(', ');
    return `${n.node}${detail || span ? ` (${detail}${detail ? span : span.slice(2)})` : ''}`;
  };
  const verb = o.following ? 'following' : 'read';
  const window = o.since !== undefined ? ` since ${hhmmss(o.since, utc)}` : '';
  const lines = [`${verb} ${read.length} of ${nodes.length} node(s)${window}: ${read.map(one).join('; ') || 'none'}`];
  for (const n of failed) lines.push(`not read: ${n.node}${n.node !== n.host ? ` (${n.host})` : ''}: ${n.problem ?? 'no answer'}`);
  for (const n of read) if (n.shortBecause) lines.push(`${n.node}: ${n.shortBecause}; its lines from there on are used`);
  return lines;
}
