/**
 * One configured cluster in the explorer: its poller (core/watch), the last snapshot and raw XML,
 * the last error, and the SSH pool shared by every cluster (one persistent connection per node).
 * Reads go host by host so the poller — not the transport — decides the fallback order.
 */
import type * as vscode from 'vscode';
import { assessHealth } from '../../core/cluster/health';
import { crmMonChangeKey, fetchChangeKey, fetchClusterXml, parseClusterXml, type ClusterTarget } from '../../core/cluster/live';
import { buildSnapshot } from '../../core/cluster/snapshot';
import type { ClusterSnapshot } from '../../core/cluster/types';
import type { ClusterViewState } from '../../core/explorer/tree';
import type { SshPool } from '../../core/ssh/pool';
import { PcxFailure } from '../../core/util/result';
import { ClusterPoller, cibVersionOf, type PollerStats } from '../../core/watch/poller';
import type { ConfiguredCluster } from './clusterStore';

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
  readonly onChange: (session: ClusterSession) => void;
}

function describe(e: unknown): { code: string; message: string; hint?: string } {
  if (e instanceof PcxFailure) return { code: e.code, message: e.message, hint: e.hint };
  return { code: 'internal-error', message: e instanceof Error ? e.message : String(e), hint: 'See the log (Pacemaker output channel).' };
}

function clock(): string {
  return new Date().toLocaleTimeString(undefined, { hour12: false });
}

export class ClusterSession {
  private readonly poller: ClusterPoller<Fetched>;
  private state: ClusterViewState;
  private raw: { crmMonXml: string; cibXml: string } | undefined;

  constructor(
    readonly configured: ConfiguredCluster,
    readonly target: ClusterTarget,
    private readonly opts: SessionOptions,
  ) {
    const name = configured.definition.name;
    this.state = { name, hosts: target.hosts, loading: true };
    const one = (host: string): ClusterTarget => ({ ...target, hosts: [host] });
    this.poller = new ClusterPoller<Fetched>({
      hosts: target.hosts,
      probeMs: opts.probeMs,
      fullRefreshMs: opts.fullRefreshMs,
      probe: async (host) => (await fetchChangeKey(one(host), { pool: opts.pool })).key,
      fetch: async (host) => {
        const xml = await fetchClusterXml(one(host), { pool: opts.pool });
        const parsed = parseClusterXml(xml);
        if (!parsed.ok) throw new PcxFailure(parsed.error.code, parsed.error.message, parsed.error.hint, host);
        const { crmMon, cib, cibProblem } = parsed.value;
        if (cibProblem) opts.log.warn(`${name}: ${host}: CIB ignored (constraints and definitions missing): ${cibProblem.message}${cibProblem.hint ? ` — ${cibProblem.hint}` : ''}`);
        const snapshot = buildSnapshot(crmMon, cib, { source: host });
        // Without a CIB the version is the one the probe falls back to (fetchChangeKey), so an unchanged cluster is not re-read every tick.
        const cibText = xml.cibXml ?? `<!-- The CIB could not be read from ${host}: ${xml.cibFailure?.message ?? 'unknown reason'}${xml.cibFailure?.hint ? ` — ${xml.cibFailure.hint}` : ''} -->\n`;
        const version = (xml.cibXml !== undefined ? cibVersionOf(xml.cibXml) : undefined) ?? crmMonChangeKey(xml.crmMonXml);
        return { value: { snapshot, crmMonXml: xml.crmMonXml, cibXml: cibText }, version };
      },
      onUpdate: (value, info) => {
        this.raw = { crmMonXml: value.crmMonXml, cibXml: value.cibXml };
        // Health once per snapshot: the tree and the status bar re-render it many times.
        this.state = { name, hosts: target.hosts, snapshot: value.snapshot, health: assessHealth(value.snapshot), host: info.host, updatedAt: clock() };
        opts.log.debug(`${name}: update from ${info.host} (${info.reason}, CIB ${info.version})`);
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
    for (const host of this.target.hosts) this.opts.pool.resetBackoff({ ...this.target, host });
    this.poller.refresh();
  }

  dispose(): void {
    this.poller.dispose();
  }
}
