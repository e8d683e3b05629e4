/**
 * The workload view in the explorer: after each snapshot (so on change and at the full-refresh cadence, never on
 * the 1 s version probe), read Redis's replication and the nodes' addresses over the session's pooled
 * connections, off the poll path: the tree shows Pacemaker's state at once and the workload a moment later.
 * One read at a time per cluster; a snapshot arriving meanwhile is read after it, the ones in between skipped.
 *
 * Redis passwords live in VS Code's SecretStorage, one per cluster identity (hosts, user, port — not the name, which
 * a repository's clusters.json can reuse: core/cluster/secretKeys.ts), asked for once (a notification with a
 * button, then a password box) when Redis first refuses; never in settings, files or the log.
 */
import * as vscode from 'vscode';
import type { ClusterDefinition } from '../../core/cluster/clusterConfig';
import type { ClusterTarget } from '../../core/cluster/live';
import { readRedisSecret, redisSecretKey } from '../../core/cluster/secretKeys';
import type { ClusterSnapshot } from '../../core/cluster/types';
import type { SshPool } from '../../core/ssh/pool';
import { NodeHosts } from '../../core/workload/nodes';
import { readWorkload, workloadExpected, DEFAULT_LAG_THRESHOLD_BYTES, type PasswordSource } from '../../core/workload/read';
import { RoleClock } from '../../core/workload/settling';
import type { WorkloadReport } from '../../core/workload/types';
import { userClusters } from './clusterStore';

const PASSWORD_HINT = 'run "Pacemaker: Set Redis Password" (it is kept in VS Code\'s secret storage, never in settings or files)';

/** A cluster as its password's key sees it: name (for messages) and identity (hosts, user, port). */
type PasswordTarget = Pick<ClusterDefinition, 'name' | 'hosts' | 'user' | 'port'>;

export class RedisPasswords {
  /** Clusters already asked in this window: ask once, then only the command sets it. */
  private readonly asked = new Set<string>();
  private readonly changed = new vscode.EventEmitter<string>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  dispose(): void {
    this.changed.dispose();
  }

  /** Ask for the password of `cluster` and keep it; an empty answer forgets it. */
  async promptAndStore(target: PasswordTarget, reason?: string): Promise<boolean> {
    const cluster = target.name;
    const value = await vscode.window.showInputBox({
      title: `Redis password for ${cluster}`,
      prompt: `${reason ? `${reason}. ` : ''}requirepass of the cluster's Redis instances; kept in VS Code's secret storage. Leave empty to forget it.`,
      password: true,
      ignoreFocusOut: true,
    });
    if (value === undefined) return false;
    if (value === '') await this.secrets.delete(redisSecretKey(target));
    else await this.secrets.store(redisSecretKey(target), value);
    this.log.info(`${cluster}: Redis password ${value === '' ? 'forgotten' : 'saved in secret storage'}`);
    this.changed.fire(cluster);
    return true;
  }

  source(target: PasswordTarget): PasswordSource {
    const cluster = target.name;
    return {
      get: async () => (await readRedisSecret(this.secrets, target, userClusters())) || undefined,
      // Not awaited by the read: the notification stays until answered, the next read uses what was given.
      ask: ({ service, node, wrong }) => {
        if (!this.asked.has(cluster)) {
          this.asked.add(cluster);
          const why = wrong ? `${service.label} on ${node} refused the saved password` : `${service.label} on ${node} asks for a password`;
          void vscode.window.showWarningMessage(`${cluster}: ${why} (requirepass), so its replication cannot be checked.`, 'Enter Password').then((choice) => {
            if (choice) void this.promptAndStore(target, why);
          });
        }
        return Promise.resolve(undefined);
      },
      hint: PASSWORD_HINT,
    };
  }
}

export interface WorkloadWatchOptions {
  readonly cluster: string;
  readonly target: ClusterTarget;
  readonly pool: SshPool;
  readonly passwords: RedisPasswords;
  readonly log: vscode.LogOutputChannel;
  readonly onReport: (report: WorkloadReport, snapshot: ClusterSnapshot) => void;
  /** The read of this snapshot failed as a whole (logged): the tree stops waiting for it. */
  readonly onFailed?: (snapshot: ClusterSnapshot) => void;
}

export class WorkloadWatch {
  private running = false;
  private pending: ClusterSnapshot | undefined;
  private disposed = false;
  private readonly hosts: NodeHosts;
  private readonly subscription: vscode.Disposable;
  private last: ClusterSnapshot | undefined;
  /** When each node's Pacemaker role changed: a replica re-pointed a moment ago is syncing, not broken. */
  private readonly roles = new RoleClock();

  /** Every host the workload reads connected to (every node, not only the configured ones): closed with the session. */
  private readonly used = new Set<string>();

  get usedHosts(): string[] {
    return [...this.used];
  }

  constructor(private readonly o: WorkloadWatchOptions) {
    this.hosts = new NodeHosts(o.target, o.pool, (host) => this.used.add(host));
    // A password just given: read again at once instead of waiting for the next full refresh.
    this.subscription = o.passwords.onDidChange((c) => c === o.cluster && this.last && this.snapshotArrived(this.last));
  }

  private settings(): { enabled: boolean; lag: number } {
    const cfg = vscode.workspace.getConfiguration('pacemaker.workload');
    return { enabled: cfg.get<boolean>('enabled') ?? true, lag: cfg.get<number>('redisLagThresholdBytes') ?? DEFAULT_LAG_THRESHOLD_BYTES };
  }

  /** Will a workload read follow this snapshot (enabled, and the cluster has Redis or a VIP)? */
  expects(snapshot: ClusterSnapshot): boolean {
    return !this.disposed && this.settings().enabled && workloadExpected(snapshot);
  }

  snapshotArrived(snapshot: ClusterSnapshot): void {
    this.last = snapshot;
    if (this.disposed || !this.settings().enabled) return;
    if (this.running) {
      this.pending = snapshot;
      return;
    }
    void this.run(snapshot);
  }

  private async run(snapshot: ClusterSnapshot): Promise<void> {
    this.running = true;
    try {
      const report = await readWorkload(snapshot, this.o.target, { pool: this.o.pool, hosts: this.hosts, passwords: this.o.passwords.source({ ...this.o.target, name: this.o.cluster }), lagThresholdBytes: this.settings().lag, roleClock: this.roles });
      if (this.disposed) return;
      const nodes = report.nodes.map((n) => `${n.node} ${Math.round(n.ms)} ms${n.problem ? ` (${n.problem.message})` : ''}`).join(', ');
      this.o.log.debug(`${this.o.cluster}: workload read in ${Math.round(report.ms)} ms: ${nodes}; ${report.reasons.length} check(s) failed${report.reasons.length ? `: ${report.reasons.map((r) => r.code).join(', ')}` : ''}`);
      this.o.onReport(report, snapshot);
    } catch (e) {
      this.o.log.warn(`${this.o.cluster}: workload read failed: ${e instanceof Error ? e.message : String(e)}`);
      if (!this.disposed) this.o.onFailed?.(snapshot);
    } finally {
      this.running = false;
      const next = this.pending;
      this.pending = undefined;
      if (next && !this.disposed) void this.run(next);
    }
  }

  dispose(): void {
    this.disposed = true;
    this.subscription.dispose();
  }
}
