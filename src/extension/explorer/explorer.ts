/**
 * The Cluster explorer: owns the tree view, one ClusterSession per configured cluster, the status
 * bar item and the read-only XML documents, and turns session changes into tree/status updates.
 *
 * Polling runs only while the tree view is visible (TreeView.visible); when it is hidden no command
 * is sent at all. Sessions share one SshPool, so each node gets one persistent connection.
 */
import * as vscode from 'vscode';
import { DEFAULT_HEDGE_DELAY_MS } from '../../core/cluster/hedge';
import { buildClusterTree, clusterRootId, configProblemNode, treeToText, type ExplorerNode } from '../../core/explorer/tree';
import { sshTargetFor } from '../../core/cluster/live';
import { cibVersionFromText } from '../../core/remote/commands';
import { SshPool } from '../../core/ssh/pool';
import type { PollerStats } from '../../core/watch/poller';
import type { PcxError } from '../../core/util/result';
import { ClusterStore, targetOf, type ConfiguredCluster } from './clusterStore';
import { XmlDocuments } from './documents';
import { HostKeyGate, PassphraseGate } from '../../core/ssh/askOnce';
import { askHostKey, askPassphrase } from './prompts';
import { ClusterStatusBar } from './statusBar';
import { ExplorerTreeProvider, type ExplorerElement } from './treeProvider';
import { ClusterSession } from './clusterSession';
import { RedisPasswords } from './workloadWatch';

export const VIEW_ID = 'pacemaker.clusters';
/** Context key gating the welcome view. */
export const CONFIGURED_KEY = 'pacemaker.clustersConfigured';

/** What the view shows in Restricted Mode instead of connecting. */
export function restrictedModeProblem(configured: number): PcxError {
  return {
    code: 'workspace-untrusted',
    message: `Restricted Mode: not connecting${configured ? ` to the ${configured} cluster(s) this folder names` : ''}`,
    hint: 'A folder\'s cluster definitions can come from anyone\'s repository, so Pacemaker connects to no host and runs no command until you trust this folder (Manage Workspace Trust). Editing corosync.conf and crm files works meanwhile.',
  };
}

export class ClusterExplorer implements vscode.Disposable {
  readonly store = new ClusterStore();
  readonly pool: SshPool;
  readonly hostKeys: HostKeyGate;
  readonly passphrases = new PassphraseGate(askPassphrase);
  private readonly provider = new ExplorerTreeProvider();
  private readonly view: vscode.TreeView<ExplorerElement>;
  private readonly statusBar = new ClusterStatusBar(VIEW_ID);
  readonly documents: XmlDocuments;
  private sessions = new Map<string, ClusterSession>();
  private problems: readonly PcxError[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  private reloading: Promise<void> = Promise.resolve();
  private disposed = false;
  private readonly rendered = new vscode.EventEmitter<void>();
  /** After every change of what the explorer shows (cheap listeners only: it fires on every poll result). */
  readonly onDidRender = this.rendered.event;

  /** Redis passwords for the workload view, one per cluster, in VS Code's SecretStorage. */
  readonly passwords: RedisPasswords;

  constructor(
    private readonly log: vscode.LogOutputChannel,
    secrets: vscode.SecretStorage,
  ) {
    this.passwords = new RedisPasswords(secrets, log);
    this.hostKeys = new HostKeyGate((key) => askHostKey(key, this.clustersOfHost(key.host)), (line) => log.info(line));
    this.pool = new SshPool(
      { hostKeyPolicy: this.hostKeys.policy, passphrase: this.passphrases.prompt, connectTimeoutMs: 8_000, commandTimeoutMs: 15_000, log: (m) => log.info(m) },
      // Idle: the view hidden (no polling) for 5 minutes; showing it again reconnects (~0.3 s).
      { attempts: 1, initialDelayMs: 500, maxDelayMs: 10_000, idleCloseMs: 300_000 },
    );
    this.view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: this.provider, showCollapseAll: true });
    this.documents = new XmlDocuments((name) => this.sessions.get(name)?.rawXml);
    this.disposables.push(
      this.rendered,
      this.passwords,
      this.store,
      this.provider,
      this.view,
      this.statusBar,
      this.documents,
      vscode.workspace.registerTextDocumentContentProvider(XmlDocuments.scheme, this.documents),
      this.view.onDidChangeVisibility(() => this.applyVisibility()),
      this.store.onDidChange(() => this.reload()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.reload(true)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('pacemaker.explorer')) this.reload(true);
      }),
    );
    this.reload();
  }

  dispose(): void {
    // A reload still reading clusters.json must not start sessions (and their timers) after this.
    this.disposed = true;
    for (const s of this.sessions.values()) s.dispose();
    this.sessions.clear();
    // For good: a read still in flight must not open a connection after this (nothing left behind).
    this.pool.shutdown();
    this.disposables.forEach((d) => d.dispose());
  }

  /** Re-read the cluster definitions; keep sessions whose definition did not change (`restart` rebuilds all). */
  reload(restart = false): Promise<void> {
    this.reloading = this.reloading.then(() => this.doReload(restart)).catch((e) => this.log.error(`reloading clusters: ${e instanceof Error ? e.message : String(e)}`));
    return this.reloading;
  }

  private async doReload(restart: boolean): Promise<void> {
    const { clusters, problems } = await this.store.read();
    if (this.disposed) return;
    // Restricted Mode: a folder's clusters.json may come from anyone's repository. Nothing connects until the
    // user trusts the folder; the view says so in place of the clusters (onDidGrantWorkspaceTrust reloads).
    if (!vscode.workspace.isTrusted) {
      for (const s of this.sessions.values()) s.dispose();
      this.sessions.clear();
      this.problems = [restrictedModeProblem(clusters.length)];
      await vscode.commands.executeCommand('setContext', CONFIGURED_KEY, true);
      this.render();
      return;
    }
    this.problems = problems;
    for (const p of problems) this.log.warn(`${p.message}${p.hint ? ` — ${p.hint}` : ''}`);
    const cfg = vscode.workspace.getConfiguration('pacemaker.explorer');
    // 750 ms: a change shows well within a second, for ~1.6% of one node core (bench/NOTES.md, the poll interval).
    const probeMs = Math.max(250, cfg.get<number>('pollIntervalMs') ?? 750);
    const fullRefreshMs = Math.max(probeMs, cfg.get<number>('fullRefreshIntervalMs') ?? 15_000);
    const hedgeDelayMs = Math.max(0, cfg.get<number>('hedgeDelayMs') ?? DEFAULT_HEDGE_DELAY_MS);
    const next = new Map<string, ClusterSession>();
    const gone: ClusterSession[] = [];
    for (const c of clusters) {
      const target = targetOf(c);
      const old = this.sessions.get(c.definition.name);
      if (old && !restart && JSON.stringify(old.target) === JSON.stringify(target)) {
        next.set(c.definition.name, old);
        continue;
      }
      if (old) {
        old.dispose();
        gone.push(old);
      }
      next.set(c.definition.name, new ClusterSession(c, target, { pool: this.pool, log: this.log, probeMs, fullRefreshMs, hedgeDelayMs, onChange: () => this.render(), passwords: this.passwords }));
      this.log.info(`cluster ${c.definition.name}: ${target.hosts.join(', ')}${target.sshConfigPath ? ` (ssh_config ${target.sshConfigPath})` : ''}`);
    }
    for (const [name, s] of this.sessions) {
      if (next.has(name)) continue;
      s.dispose();
      gone.push(s);
    }
    this.sessions = next;
    // Only hosts the user wrote down are asked about; discovered ones wait for "Review Host Key…".
    this.hostKeys.setConfiguredHosts([...next.values()].flatMap((s) => s.target.hosts));
    this.closeConnectionsOf(gone);
    // A removed cluster's Trust Once ends with it: adding it back checks and asks again.
    const kept = new Set([...next.values()].flatMap((s) => [...s.target.hosts, ...s.hosts]));
    const forgotten = this.hostKeys.forgetTrustOnce(gone.flatMap((s) => [...s.target.hosts, ...s.hosts]).filter((h) => !kept.has(h)));
    if (forgotten.length > 0) this.log.info(`host keys trusted once for ${forgotten.join(', ')} forgotten with their cluster: adding it back asks again`);
    await vscode.commands.executeCommand('setContext', CONFIGURED_KEY, clusters.length > 0 || problems.length > 0);
    this.render();
    this.applyVisibility();
  }

  /** Close the SSH connections of removed or redefined clusters that no remaining cluster uses. */
  private closeConnectionsOf(gone: readonly ClusterSession[]): void {
    const inUse = new Set([...this.sessions.values()].flatMap((s) => [...s.sshTargets, ...s.target.hosts.map((h) => sshTargetFor(s.target, h))]).map(SshPool.key));
    for (const t of gone.flatMap((s) => s.sshTargets)) {
      if (inUse.has(SshPool.key(t))) continue;
      this.log.debug(`closing the connection to ${t.host} (its cluster was removed or redefined)`);
      this.pool.close(t);
    }
  }

  private applyVisibility(): void {
    const visible = this.view.visible;
    this.log.debug(`explorer ${visible ? 'visible: polling' : 'hidden: polling stopped'}`);
    for (const s of this.sessions.values()) s.setVisible(visible);
  }

  private render(): void {
    const roots: ExplorerNode[] = [...this.problems.map((p, i) => configProblemNode(i, p)), ...[...this.sessions.values()].map((s) => withDriftMark(buildClusterTree(s.view), this.drifted.get(s.name)))];
    this.provider.setRoots(roots);
    this.noticeConfigurationChanges();
    this.statusBar.update([...this.sessions.values()].map((s) => s.view));
    for (const name of this.sessions.keys()) this.documents.changed(name);
    this.rendered.fire();
  }

  /* ---- used by the command handlers ---- */

  /** Cluster name → admin_epoch.epoch of the CIB last read: a change is a change of the configuration. */
  private readonly configurationEpochs = new Map<string, string>();
  private readonly configurationListeners = new Set<(cluster: string) => void>();

  /** Called with the cluster's name when its configuration changed (not on status-only updates). */
  onConfigurationChange(listener: (cluster: string) => void): vscode.Disposable {
    this.configurationListeners.add(listener);
    return new vscode.Disposable(() => this.configurationListeners.delete(listener));
  }

  private noticeConfigurationChanges(): void {
    for (const s of this.sessions.values()) {
      const v = cibVersionFromText(s.rawXml?.cibXml ?? '');
      if (!v) continue;
      const key = `${v.adminEpoch}.${v.epoch}`;
      const seen = this.configurationEpochs.get(s.name);
      this.configurationEpochs.set(s.name, key);
      if (seen !== undefined && seen !== key) for (const l of this.configurationListeners) l(s.name);
    }
  }

  /** Cluster name → the cluster folder it drifted from (set by Compare / Apply / Pull). */
  private readonly drifted = new Map<string, string>();

  /**
   * Marks (or unmarks) the configured clusters a cluster folder describes — same name as the folder's
   * cluster_name, or one of its nodes among their hosts — as drifted from it. Returns their names.
   */
  markDrift(folder: { readonly clusterName?: string; readonly nodes: readonly string[] }, folderLabel: string, drifted: boolean): string[] {
    const names = [...this.sessions.values()].filter((s) => s.name === folder.clusterName || s.target.hosts.some((h) => folder.nodes.includes(h))).map((s) => s.name);
    for (const n of names) {
      if (drifted) this.drifted.set(n, folderLabel);
      else if (this.drifted.get(n) === folderLabel) this.drifted.delete(n);
    }
    this.render();
    return names;
  }

  get clusterNames(): string[] {
    return [...this.sessions.keys()];
  }

  /** The clusters (by the user's names) whose definition lists this host. */
  clustersOfHost(host: string): string[] {
    return [...this.sessions].filter(([, s]) => s.target.hosts.includes(host)).map(([name]) => name);
  }

  session(name: string): ClusterSession | undefined {
    return this.sessions.get(name);
  }

  configured(name: string): ConfiguredCluster | undefined {
    return this.sessions.get(name)?.configured;
  }

  /** Poll counters per cluster (read by the test seam, src/extension/testSeam.ts). */
  pollStats(): Record<string, PollerStats & { readonly visible: boolean }> {
    return Object.fromEntries([...this.sessions].map(([name, s]) => [name, { ...s.stats, visible: this.view.visible }]));
  }

  /** Refresh / Retry: the user acted, so a refused passphrase may be asked for again. */
  refresh(name?: string): void {
    this.passphrases.forget();
    for (const s of this.sessions.values()) if (!name || s.name === name) s.refresh();
  }

  /** "Review Host Key…" on a host of a cluster: the modal for the key it presented; trusted → read again. */
  async reviewHostKey(name: string, host: string): Promise<void> {
    if (!this.hostKeys.hasUntrusted(host)) {
      void vscode.window.showInformationMessage(`No unknown host key of ${host} to review: it was not seen yet, or it is trusted now.`);
      this.refresh(name);
      return;
    }
    if (await this.hostKeys.review(host)) this.refresh(name);
  }

  statusText(name?: string): string {
    const roots = this.provider.rootNodes.filter((n) => !name || n.id === clusterRootId(name));
    return treeToText(roots);
  }

  async focus(): Promise<void> {
    await vscode.commands.executeCommand(`${VIEW_ID}.focus`);
  }
}

function withDriftMark(node: ExplorerNode, folder: string | undefined): ExplorerNode {
  return folder ? { ...node, description: `${node.description ?? ''} · drifted from ${folder}` } : node;
}
