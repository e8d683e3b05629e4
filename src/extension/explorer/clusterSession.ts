/**
 * One configured cluster in the explorer: its poller (core/watch), the last snapshot and raw XML,
 * the last error, and the SSH pool shared by every cluster (one persistent connection per node).
 * Reads go host by host so the poller — not the transport — decides the fallback order. After the first
 * read (and whenever the cluster's node list changes) the other nodes are discovered from the node that
 * answered and become fallbacks, so a cluster defined by one host is still seen when that host dies.
 * Reads use short timeouts (a probe is an ~8 ms command): a node that does not answer is failed over at once.
 */
import { clockTime } from '../../core/util/time';
import type * as vscode from 'vscode';
import { hostProblemOf } from '../../core/cluster/hostProblem';
import { snapshotFromXml } from '../../core/cluster/clusterXml';
import { discoverNodes, fetchChangeKey, fetchClusterXml, hostsForMembers, markFoundDead, pendingFailure, sshTargetFor, type ClusterTarget } from '../../core/cluster/live';
import type { ClusterSnapshot } from '../../core/cluster/types';
import type { ClusterViewState } from '../../core/explorer/tree';
import type { SshPool } from '../../core/ssh/pool';
import { scopedPool, type ScopedPool } from '../../core/ssh/scopedPool';
import type { SshTarget } from '../../core/ssh/sshConfig';
import { PcxFailure } from '../../core/util/result';
import { ClusterPoller, type PollerStats } from '../../core/watch/poller';
import { healthWithWorkload } from '../../core/workload/report';
import type { ConfiguredCluster } from './clusterStore';
import { WorkloadWatch, type RedisPasswords } from './workloadWatch';

/** A probe is an ~8 ms command: 5 s of silence means the node does not answer, and the next one is asked. */
const PROBE_TIMEOUT_MS = 5_000;
/** crm_mon + CIB take ~15 ms; a node busy with a transition may take a few seconds. */
const FETCH_TIMEOUT_MS = 8_000;

interface Fetched {
  readonly snapshot: ClusterSnapshot;
  readonly crmMonXml: string;
  readonly cibXml: string;
}

export interface SessionOptions {
  readonly pool: SshPool;
  readonly log: vscode.LogOutputChannel;
  readonly probeMs: number;
  readonly fullRefreshMs: number;
  /** Ask the next host too when the one asked has not answered within this long (pacemaker.explorer.hedgeDelayMs). */
  readonly hedgeDelayMs?: number;
  readonly onChange: (session: ClusterSession) => void;
  /** Redis passwords (SecretStorage) for the workload view. */
  readonly passwords: RedisPasswords;
}

function describe(e: unknown): { code: string; message: string; hint?: string } {
  if (e instanceof PcxFailure) return { code: e.code, message: e.message, hint: e.hint };
  return { code: 'internal-error', message: e instanceof Error ? e.message : String(e), hint: 'See the log (Pacemaker output channel).' };
}

function clock(): string {
  return clockTime(Date.now(), false, false);
}

export class ClusterSession {
  private readonly poller: ClusterPoller<Fetched>;
  private state: ClusterViewState;
  private raw: { crmMonXml: string; cibXml: string } | undefined;
  /** The node list the fallbacks were discovered for. */
  private discoveredFor: string | undefined;
  /** Every host this session asked (configured or fallback): whose connections to close when it goes. */
  private readonly usedHosts = new Set<string>();
  private readonly workload: WorkloadWatch;
  private version: string | undefined;
  /** The shared pool as this cluster sees it: no new connection once the cluster is removed (scopedPool.ts). */
  private readonly scope: ScopedPool;

  constructor(
    readonly configured: ConfiguredCluster,
    readonly target: ClusterTarget,
    private readonly opts: SessionOptions,
  ) {
    const name = configured.definition.name;
    this.state = { name, hosts: target.hosts, loading: true };
    this.scope = scopedPool(opts.pool, `cluster ${name}`);
    const pool = this.scope.pool;
    const one = (host: string): ClusterTarget => {
      this.usedHosts.add(host);
      return { ...target, hosts: [host] };
    };
    this.workload = new WorkloadWatch({
      cluster: name,
      target,
      pool,
      passwords: opts.passwords,
      log: opts.log,
      onReport: (report, snapshot) => {
        if (this.state.snapshot !== snapshot) return; // a newer snapshot is being read
        this.state = { ...this.state, workload: report, workloadPending: false, health: healthWithWorkload(snapshot, report) };
        opts.onChange(this);
      },
      onFailed: (snapshot) => {
        if (this.state.snapshot !== snapshot || !this.state.workloadPending) return;
        this.state = { ...this.state, workloadPending: false };
        opts.onChange(this);
      },
    });
    this.poller = new ClusterPoller<Fetched>({
      hosts: target.hosts,
      probeMs: opts.probeMs,
      fullRefreshMs: opts.fullRefreshMs,
      hedgeDelayMs: opts.hedgeDelayMs,
      probe: async (host, signal) => (await fetchChangeKey(one(host), { pool, readTimeoutMs: PROBE_TIMEOUT_MS, signal })).key,
      // A host still busy when another answered: named once for what it did (a connection that stopped answering
      // is unreachable at once, never first "not answering"), and remembered dead so the workload read skips it.
      describeSlow: async (host, runningMs) => {
        const failure = await pendingFailure(target, pool, host, runningMs, true);
        markFoundDead(pool, sshTargetFor(target, host), failure);
        return failure;
      },
      fetch: async (host, _reason, signal) => {
        const { xml, snapshot, cibProblem, version } = snapshotFromXml(await fetchClusterXml(one(host), { pool, readTimeoutMs: FETCH_TIMEOUT_MS, signal }));
        if (cibProblem) opts.log.warn(`${name}: ${host}: CIB ignored (constraints and definitions missing): ${cibProblem.message}${cibProblem.hint ? ` — ${cibProblem.hint}` : ''}`);
        const cibText = xml.cibXml ?? `<!-- The CIB could not be read from ${host}: ${xml.cibFailure?.message ?? 'unknown reason'}${xml.cibFailure?.hint ? ` — ${xml.cibFailure.hint}` : ''} -->\n`;
        return { value: { snapshot, crmMonXml: xml.crmMonXml, cibXml: cibText }, version };
      },
      onUpdate: (value, info) => {
        this.raw = { crmMonXml: value.crmMonXml, cibXml: value.cibXml };
        // Health once per snapshot: the tree and the status bar re-render it many times.
        // The last workload read stays on screen while the CIB is unchanged (a periodic refresh); after a change
        // it would describe another state, so the tree shows Pacemaker's alone until the new read is in.
        const workload = info.version === this.version ? this.state.workload : undefined;
        this.version = info.version;
        const workloadPending = workload === undefined && this.workload.expects(value.snapshot);
        this.state = { name, hosts: target.hosts, snapshot: value.snapshot, health: healthWithWorkload(value.snapshot, workload), workload, workloadPending, host: info.host, updatedAt: clock(), hostProblems: this.state.hostProblems };
        opts.log.debug(`${name}: update from ${info.host} (${info.reason}, CIB ${info.version})`);
        const members = value.snapshot.nodes.map((n) => n.name).sort().join(' ');
        if (members !== this.discoveredFor) void this.discover(info.host, members);
        opts.onChange(this);
        this.workload.snapshotArrived(value.snapshot);
      },
      onHosts: (hosts) => {
        const problems = hosts.filter((h) => h.state === 'failed').map((h) => hostProblemOf(h.host, h.error));
        const key = (ps: readonly (typeof problems)[number][]): string => ps.map((p) => `${p.host} ${p.code} ${p.message}`).join('\n');
        if (key(problems) === key(this.state.hostProblems ?? [])) return;
        for (const p of problems) if (!this.state.hostProblems?.some((q) => q.host === p.host && q.code === p.code)) opts.log.warn(`${name}: ${p.host} ${p.words}: ${p.message}`);
        this.state = { ...this.state, hostProblems: problems.length > 0 ? problems : undefined };
        opts.onChange(this);
      },
      onError: (error, info) => {
        const failures = info.failures.map((f) => `${f.host}: ${describe(f.error).message}`);
        const first = describe(error);
        // Several hosts: a short label, the per-host causes in the description/tooltip.
        const message = info.failures.length > 1 ? `No node of ${name} answered` : first.message;
        const hint = info.failures.length > 1 ? `${failures.join('; ')}${first.hint ? ` — ${first.hint}` : ''}` : first.hint;
        const was = `${this.state.error?.message}|${this.state.error?.hint}`;
        this.state = { ...this.state, loading: false, error: { code: first.code, message, hint } };
        if (was !== `${message}|${hint}`) {
          opts.log.warn(`${name}: ${message}${hint ? `: ${hint}` : ''} (retry in ${Math.round(info.retryInMs / 1000)} s)`);
          opts.onChange(this);
        }
      },
      log: (line) => opts.log.trace(`${name}: ${line}`),
    });
  }

  get name(): string {
    return this.configured.definition.name;
  }

  /** Every host the session reads from, configured first, then the discovered ones. */
  get hosts(): string[] {
    return this.poller.hostStates.map((h) => h.host);
  }

  /**
   * The cluster's other nodes, from the node that just answered, become fallbacks (reached as hostsForMembers
   * says: a listed host, an ssh_config alias, else the ring0 address). Runs again when the node list changes.
   */
  private async discover(host: string, members: string): Promise<void> {
    this.discoveredFor = members;
    try {
      const found = await discoverNodes({ ...this.target, hosts: [host] }, { pool: this.scope.pool, readTimeoutMs: FETCH_TIMEOUT_MS });
      const fallbacks = hostsForMembers(found.members, this.target).filter((h) => !this.target.hosts.includes(h));
      if (fallbacks.length > 0) this.opts.log.info(`${this.name}: fallbacks discovered from ${host}: ${fallbacks.join(', ')}`);
      this.poller.addHosts(fallbacks);
    } catch (e) {
      this.discoveredFor = undefined; // try again on the next update
      this.opts.log.warn(`${this.name}: could not list the cluster's nodes on ${host}: ${describe(e).message}`);
    }
  }

  get view(): ClusterViewState {
    return this.state;
  }

  get rawXml(): { crmMonXml: string; cibXml: string } | undefined {
    return this.raw;
  }

  get stats(): PollerStats {
    return this.poller.stats;
  }

  setVisible(visible: boolean): void {
    this.poller.setVisible(visible);
  }

  refresh(): void {
    for (const host of this.hosts) this.opts.pool.resetBackoff({ ...this.target, host });
    this.poller.refresh();
  }

  /** The pooled connections this session has used. */
  get sshTargets(): SshTarget[] {
    return [...new Set([...this.usedHosts, ...this.workload.usedHosts])].map((h) => sshTargetFor(this.target, h));
  }

  dispose(): void {
    this.scope.end();
    this.poller.dispose();
    this.workload.dispose();
  }
}
