/**
 * A connected cluster's own agent metadata: `crm_resource --show-metadata` on one of its nodes for the agents a
 * spec names (or the live CIB uses). The catalog it gives is layered over the bundled one (layeredCatalog), so
 * the node's resource-agents version decides which parameters exist, and an agent the node does not have is
 * known to be absent there (the linter warns: Pacemaker would fail to start it).
 *
 * Asking for meta-data runs the agent (for `stonith:NAME`, /usr/sbin/NAME as root), so only agents the node
 * lists itself are asked about (installedAgents.ts); any other name is "not installed" without running anything.
 */
import type { CommandRunner } from '../remote/runner';
import { parseAgentMetadata } from './agentMetadata';
import type { AgentCatalog, AgentMeta } from './agents';
import { isInstalled, listInstalledAgents, notListedReason, type InstalledAgents } from './installedAgents';

export interface ClusterAgentCatalog extends AgentCatalog {
  /** Where the metadata came from, for messages ("node1"). */
  readonly source: string;
  /** Why `key` is known not to be installed on the cluster's node, if it is. */
  absent(key: string): string | undefined;
}

/** The agent keys crm_resource can be asked about (`class:provider:type`, `stonith:type`); systemd/lsb/service have no meta-data worth asking. */
export function askableAgent(key: string): boolean {
  return /^ocf:[A-Za-z0-9_.-]+:[A-Za-z0-9_.-]+$/.test(key) || /^stonith:[A-Za-z0-9_.-]+$/.test(key);
}

const METADATA_TIMEOUT_MS = 15_000;
/** crm_resource's exit status for an agent it cannot find (CRM_EX_NOSUCH). */
const EXIT_NO_SUCH = 105;

export interface ReadAgentsResult {
  readonly found: Record<string, AgentMeta>;
  /** Agents the node says it does not have, with its words. */
  readonly absent: Record<string, string>;
  /** Agents that could not be asked about (timeout, unreadable output): neither found nor absent. */
  readonly failed: Record<string, string>;
  /** The node's own list of agents (keep it per cluster and pass it to the next read: one listing per cluster). */
  readonly installed?: InstalledAgents;
}

/**
 * Ask the node for the meta-data of each agent it lists itself (one command each, a few at a time on the
 * connection's shells); an agent it does not list is absent, and nothing runs for it. `installed`: the node's
 * listing from an earlier read (else it is listed first). When the listing fails, every agent fails with that reason.
 */
export async function readAgentMetadata(runner: CommandRunner, keys: Iterable<string>, installed?: InstalledAgents): Promise<ReadAgentsResult> {
  const found: Record<string, AgentMeta> = {};
  const absent: Record<string, string> = {};
  const failed: Record<string, string> = {};
  const askable = [...new Set(keys)].filter(askableAgent);
  if (askable.length === 0) return { found, absent, failed, ...(installed ? { installed } : {}) };
  let listed: InstalledAgents;
  try {
    listed = installed ?? (await listInstalledAgents(runner));
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    for (const key of askable) failed[key] = why;
    return { found, absent, failed };
  }
  const queue: string[] = [];
  for (const key of askable) {
    if (isInstalled(listed, key)) queue.push(key);
    else absent[key] = notListedReason(listed, key);
  }
  const worker = async (): Promise<void> => {
    for (let key = queue.shift(); key !== undefined; key = queue.shift()) {
      try {
        const r = await runner.run(['crm_resource', '--show-metadata', key], { timeoutMs: METADATA_TIMEOUT_MS });
        if (r.code === 0) found[key] = parseAgentMetadata(r.stdout, key);
        else if (r.code === EXIT_NO_SUCH || /No such (device|object)|not installed|does not exist/i.test(r.stderr)) absent[key] = firstLine(r.stderr) || `crm_resource exited with ${r.code}`;
        else failed[key] = firstLine(r.stderr) || `crm_resource exited with ${r.code}`;
      } catch (e) {
        failed[key] = e instanceof Error ? e.message : String(e);
      }
    }
  };
  await Promise.all([worker(), worker(), worker()]);
  return { found, absent, failed, installed: listed };
}

function firstLine(s: string): string {
  return s.split('\n').map((l) => l.trim()).find((l) => l.length > 0) ?? '';
}

/** A catalog of what one node said (kept per cluster and grown as specs name more agents). */
export function clusterCatalog(source: string, result: ReadAgentsResult): ClusterAgentCatalog {
  return {
    source,
    get: (k) => result.found[k],
    keys: () => Object.keys(result.found),
    absent: (k) => result.absent[k],
  };
}

/** Several reads of one node merged (later reads win). */
export function mergeReads(a: ReadAgentsResult, b: ReadAgentsResult): ReadAgentsResult {
  const found = { ...a.found, ...b.found };
  const absent = { ...a.absent, ...b.absent };
  for (const k of Object.keys(b.found)) delete absent[k];
  const failed = { ...a.failed, ...b.failed };
  for (const k of [...Object.keys(b.found), ...Object.keys(b.absent)]) delete failed[k];
  const installed = b.installed ?? a.installed;
  return { found, absent, failed, ...(installed ? { installed } : {}) };
}

/**
 * Which connected cluster a spec file is about: the one whose nodes include every `node` the spec declares;
 * a spec that declares none belongs to the only connected cluster, if there is just one. Several candidates →
 * none (checking against the wrong cluster's agents would mislead).
 */
export function clusterForSpec(specNodes: readonly string[], clusters: readonly { readonly name: string; readonly nodeNames: readonly string[] }[]): string | undefined {
  const fits = specNodes.length === 0 ? clusters : clusters.filter((c) => specNodes.every((n) => c.nodeNames.includes(n)));
  return fits.length === 1 ? fits[0]!.name : undefined;
}
