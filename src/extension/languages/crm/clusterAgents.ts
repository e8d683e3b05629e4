/**
 * The connected cluster's own agents for crm spec files: when the explorer has read a cluster that a spec is
 * about (core/crm/clusterAgents.ts clusterForSpec), its node lists its agents once, and is asked once for the
 * meta-data of every agent the spec names that it listed (crm_resource --show-metadata; an unlisted name is never
 * asked about: that would run it, see core/crm/installedAgents.ts); diagnostics, completion and hover then use that node's agents
 * (its resource-agents version) over the bundled data, and an agent it lacks is reported. Nothing is asked
 * while no cluster is connected, or in Restricted Mode (the explorer connects to nothing there).
 */
import * as vscode from 'vscode';
import { onFirstWorkingNode } from '../../../core/cluster/live';
import { agentKey } from '../../../core/crm/agents';
import { parseAgent } from '../../../core/crm/agentSpec';
import { askableAgent, clusterCatalog, clusterForSpec, mergeReads, readAgentMetadata, type ClusterAgentCatalog, type ReadAgentsResult } from '../../../core/crm/clusterAgents';
import type { CrmModel } from '../../../core/crm/model';
import type { ClusterExplorer } from '../../explorer/explorer';

interface Known {
  /** The host that answered, and what it said so far. */
  host: string;
  read: ReadAgentsResult;
  /** Keys asked already (answered or failed), so a failing agent is not asked on every keystroke. */
  asked: Set<string>;
}

export interface SpecCluster {
  /** The connected cluster the spec is about, if the explorer knows one. */
  readonly cluster?: string;
  readonly catalog?: ClusterAgentCatalog;
  readonly nodeNames?: readonly string[];
}

export class ClusterAgents implements vscode.Disposable {
  private readonly known = new Map<string, Known>();
  private readonly pending = new Map<string, Promise<void>>();
  private readonly emitter = new vscode.EventEmitter<void>();
  /** Fires when a cluster's agents were read or the connected clusters changed: lint the open spec files again. */
  readonly onDidChange = this.emitter.event;

  private readonly subscription: vscode.Disposable;
  /** Which clusters (and their nodes) were read, as of the last render: a change → lint again. */
  private connectedKey = '';

  constructor(
    private readonly explorer: ClusterExplorer,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subscription = explorer.onDidRender(() => {
      const key = this.connected().map((c) => `${c.name}=${c.nodeNames.join(',')}`).join(' ');
      if (key === this.connectedKey) return;
      this.connectedKey = key;
      this.emitter.fire();
    });
  }

  private connected(): { name: string; nodeNames: string[] }[] {
    return this.explorer.clusterNames.flatMap((name) => {
      const snapshot = this.explorer.session(name)?.view.snapshot;
      return snapshot ? [{ name, nodeNames: snapshot.nodes.map((n) => n.name) }] : [];
    });
  }

  /** What a spec with this model is checked against now; asks the cluster for agents it has not described yet. */
  forSpec(model: CrmModel): SpecCluster {
    const connected = this.connected();
    const cluster = clusterForSpec([...model.nodeNames], connected);
    if (!cluster) return {};
    const keys = model.primitives.flatMap((p) => (p.agent ? [agentKey(parseAgent(p.agent.text))] : [])).filter(askableAgent);
    const known = this.known.get(cluster);
    const missing = keys.filter((k) => !known?.asked.has(k));
    if (missing.length > 0) this.ask(cluster, missing);
    return {
      cluster,
      catalog: known ? clusterCatalog(known.host, known.read) : undefined,
      nodeNames: connected.find((c) => c.name === cluster)?.nodeNames,
    };
  }

  private ask(cluster: string, keys: readonly string[]): void {
    if (this.pending.has(cluster)) return; // the next lint after it lands asks for what is still missing
    const session = this.explorer.session(cluster);
    if (!session) return;
    const job = (async () => {
      try {
        const listed = this.known.get(cluster)?.read.installed;
        // One listing of the node's agents per cluster (kept in `read`); only listed agents are asked about.
        const { value, host } = await onFirstWorkingNode(session.target, { pool: this.explorer.pool }, (runner) => readAgentMetadata(runner, keys, listed?.host === runner.host ? listed : undefined));
        const before = this.known.get(cluster);
        const read = before ? mergeReads(before.read, value) : value;
        this.known.set(cluster, { host, read, asked: new Set([...(before?.asked ?? []), ...keys]) });
        for (const [key, why] of Object.entries(value.failed)) this.log.warn(`${cluster}: ${host} did not describe ${key}: ${why}`);
        this.log.info(`${cluster}: agents from ${host}: ${Object.keys(value.found).join(', ') || 'none'} described${Object.keys(value.absent).length ? `; not installed: ${Object.keys(value.absent).join(', ')}` : ''}`);
        this.emitter.fire();
      } catch (e) {
        // Not fatal: the bundled data still applies. Mark them asked so a dead cluster is not asked per keystroke;
        // a new read of the cluster (forget) lets them be asked again.
        const before = this.known.get(cluster);
        this.known.set(cluster, { host: before?.host ?? session.target.hosts[0] ?? cluster, read: before?.read ?? { found: {}, absent: {}, failed: {} }, asked: new Set([...(before?.asked ?? []), ...keys]) });
        this.log.warn(`${cluster}: could not read agent meta-data (spec files are checked against the bundled data): ${e instanceof Error ? e.message : String(e)}`);
      } finally {
        this.pending.delete(cluster);
      }
    })();
    this.pending.set(cluster, job);
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }
}
