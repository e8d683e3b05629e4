/**
 * A log pane: a read-only virtual document (scheme pacemaker-logs, language pacemaker-log) showing a cluster's merged
 * log lines, following live (LogSession) or a fixed window. Filters (node, resource, level, text) and pause apply to
 * what is shown, not to what is kept, so changing them re-renders the lines already received. Stream trouble (a node's
 * stream stopped, resumed, rotated, skew) is written into the pane where it happened, and into the header.
 */
import * as vscode from 'vscode';
import { compileFilter, type LogFilter } from '../../core/logs/filter';
import type { LogStatus } from '../../core/logs/follow';
import { clockTime, formatLine } from '../../core/logs/read';
import { describeCoverage } from '../../core/logs/members';
import { LogSession, type NodeInfo } from '../../core/logs/clusterLogs';
import type { LogLine } from '../../core/logs/types';
import type { ClusterTarget, LiveOptions } from '../../core/cluster/live';

export const LOG_SCHEME = 'pacemaker-logs';
const KEEP = 20_000;
const SHOW = 5_000;

type Entry = { readonly line: LogLine } | { readonly status: LogStatus; readonly time: number };
const timeOf = (e: Entry): number => ('line' in e ? e.line.time : e.time);

export class LogPane implements vscode.Disposable {
  private static seq = 0;
  readonly uri: vscode.Uri;
  private entries: Entry[] = [];
  private waiting = 0;
  private paused = false;
  private session?: LogSession;
  private renderTimer?: NodeJS.Timeout;
  private text = '';
  private nodes: NodeInfo[] = [];
  private stoppedBecause?: string;

  constructor(
    readonly cluster: string,
    readonly title: string,
    public filter: LogFilter,
    private readonly onChanged: (pane: LogPane) => void,
    readonly following: boolean,
  ) {
    this.uri = vscode.Uri.from({ scheme: LOG_SCHEME, path: `/${cluster}/${title.replace(/[^\w.-]+/g, '-')}.pacemaker-log`, query: String(++LogPane.seq) });
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /** The hosts this pane reads (to close their connections when no one else needs them). */
  get hosts(): string[] {
    return (this.session?.nodes ?? this.nodes).map((n) => n.host);
  }

  get stopped(): boolean {
    return this.stoppedBecause !== undefined;
  }

  /** Follow the cluster's logs from now (with a short backlog), from every node (`knownHosts`: the explorer's). */
  async follow(target: ClusterTarget, options: LiveOptions & { knownHosts?: readonly string[] }): Promise<void> {
    if (this.stoppedBecause) return;
    this.session = new LogSession({
      ...options, target, follow: true, lines: 100, holdMs: 250,
      onLine: (l) => this.add({ line: l }),
      onStatus: (s) => this.add({ status: s, time: Date.now() }),
    });
    this.schedule();
    await this.session.run();
    this.nodes = this.session.nodes;
    this.schedule();
  }

  /** Show a fixed window (e.g. around a failure). */
  setLines(lines: readonly LogLine[], statuses: readonly LogStatus[], nodes: NodeInfo[]): void {
    this.entries = [...statuses.map((s) => ({ status: s, time: lines[0]?.time ?? Date.now() })), ...lines.map((l) => ({ line: l }))];
    this.nodes = nodes;
    this.render();
  }

  setFilter(filter: LogFilter): void {
    this.filter = filter;
    this.render();
  }

  setPaused(paused: boolean): void {
    this.paused = paused;
    if (!paused) this.waiting = 0;
    this.render();
  }

  content(): string {
    return this.text;
  }

  private add(e: Entry): void {
    // In time order even when a node's line comes late (the merger already orders what arrives together).
    const t = timeOf(e);
    let i = this.entries.length;
    while (i > 0 && timeOf(this.entries[i - 1]!) > t) i--;
    this.entries.splice(i, 0, e);
    if (this.entries.length > KEEP) this.entries.splice(0, this.entries.length - KEEP);
    if (this.paused) {
      this.waiting++;
      if (this.waiting % 50 !== 1) return; // the header's count still moves now and then
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.renderTimer) return;
    this.renderTimer = setTimeout(() => {
      this.renderTimer = undefined;
      if (this.session) this.nodes = this.session.nodes;
      this.render();
    }, 100);
  }

  private header(): string[] {
    const f = this.filter;
    const filters = [
      f.nodes?.length ? `node=${f.nodes.join(',')}` : '',
      f.resources?.length ? `resource=${f.resources.join(',')}` : '',
      f.level ? `level≥${f.level}` : '',
      f.grep ? `text="${f.grep}"` : '',
    ].filter(Boolean).join(' ');
    const nodes = this.nodes.map((n) => {
      const where = n.sources?.kind === 'journal' ? 'journal' : n.sources?.kind === 'files' ? [n.sources.pacemakerFile, n.sources.corosyncFile].filter(Boolean).map((p) => p!.split('/').pop()).join('+') : 'no logs';
      const skew = n.clock && n.clock.offsetMs !== 0 ? `, clock ${n.clock.offsetMs > 0 ? '+' : ''}${n.clock.offsetMs} ms corrected` : '';
      return `${n.node}: ${n.state} (${where}${skew})`;
    }).join(' · ');
    const coverage = this.nodes.length ? describeCoverage(this.nodes, { following: this.following }).slice(1).map((l) => `# ${l}`) : [];
    const mode = this.stoppedBecause ? `STOPPED — ${this.stoppedBecause}` : !this.following ? 'window' : this.paused ? `PAUSED — ${this.waiting} new line(s) not shown yet (Resume)` : 'following';
    return [
      `# ${this.title} — cluster ${this.cluster} — ${mode}`,
      `# filter: ${filters || 'none (Filter Logs… to narrow)'}`,
      ...(nodes ? [`# ${nodes}`] : [this.stoppedBecause ? '# not connected' : '# connecting…']),
      ...coverage,
      '',
    ];
  }

  private render(): void {
    const keep = compileFilter(this.filter);
    const shown: string[] = [];
    const entries = this.paused ? this.entries.slice(0, this.entries.length - this.waiting) : this.entries;
    for (let i = entries.length - 1; i >= 0 && shown.length < SHOW; i--) {
      const e = entries[i]!;
      if ('line' in e) {
        if (keep(e.line)) shown.push(formatLine(e.line));
      } else if (!this.filter.nodes?.length || this.filter.nodes.includes(e.status.node)) {
        shown.push(`${clockTime(e.time)} ${e.status.node.padEnd(6)} ─── ${e.status.severity.toUpperCase()}: ${e.status.message}${e.status.hint ? ` → ${e.status.hint}` : ''}`);
      }
    }
    shown.reverse();
    const text = [...this.header(), ...(shown.length ? shown : ['(no lines match yet)'])].join('\n') + '\n';
    if (text === this.text) return;
    this.text = text;
    this.onChanged(this);
  }

  /** Stop following for good and say why in the pane (its cluster was removed or redefined). */
  stop(why: string): void {
    if (this.stoppedBecause) return;
    this.stoppedBecause = why;
    if (this.session) this.nodes = this.session.nodes;
    this.session?.stop();
    this.add({ status: { node: this.cluster, severity: 'warning', code: 'pane-stopped', message: `stopped: ${why}`, hint: 'Open the logs again from the Pacemaker view.' }, time: Date.now() });
    this.render();
  }

  dispose(): void {
    clearTimeout(this.renderTimer);
    this.session?.stop();
  }
}

/** The content provider for every open pane; follows the end of a pane in the editors that show it. */
export class LogPanes implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;
  private readonly panes = new Map<string, LogPane>();
  private readonly disposables: vscode.Disposable[] = [this.emitter];

  /** `onClosed`: a pane no tab shows any more was stopped (its connections may be closed). */
  constructor(private readonly onClosed: (pane: LogPane) => void = () => undefined) {
    this.disposables.push(
      // Closing a tab does not close its document for VS Code (it lingers in textDocuments for minutes): the tabs
      // are what the user sees, so a pane that no tab shows any more is stopped at once.
      vscode.window.tabGroups.onDidChangeTabs((e) => {
        for (const tab of e.closed) {
          const uri = tab.input instanceof vscode.TabInputText ? tab.input.uri : undefined;
          if (uri?.scheme === LOG_SCHEME && !this.shownInTab(uri.toString())) this.close(uri.toString());
        }
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.scheme === LOG_SCHEME) this.follow(e.document);
      }),
      vscode.workspace.onDidCloseTextDocument((doc) => {
        if (doc.uri.scheme !== LOG_SCHEME) return;
        // VS Code also "closes" a document it reopens (a language change); only a pane no editor has left is stopped.
        const key = doc.uri.toString();
        setTimeout(() => {
          if (vscode.workspace.textDocuments.some((d) => d.uri.toString() === key) || this.shownInTab(key)) return;
          this.close(key);
        }, 2000);
      }),
    );
  }

  private shownInTab(key: string): boolean {
    return vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === key));
  }

  private close(key: string): void {
    const pane = this.panes.get(key);
    if (!pane) return;
    pane.dispose();
    this.panes.delete(key);
    this.onClosed(pane);
  }

  /** Every open pane (e.g. to stop those of a removed cluster). */
  get all(): LogPane[] {
    return [...this.panes.values()];
  }

  create(cluster: string, title: string, filter: LogFilter, following: boolean): LogPane {
    const pane = new LogPane(cluster, title, filter, (p) => this.changed(p), following);
    this.panes.set(pane.uri.toString(), pane);
    return pane;
  }

  paneOf(uri: vscode.Uri | undefined): LogPane | undefined {
    return uri ? this.panes.get(uri.toString()) : undefined;
  }

  async open(pane: LogPane): Promise<void> {
    // The path ends in .pacemaker-log, so the document gets the log grammar without a language change.
    const doc = await vscode.workspace.openTextDocument(pane.uri);
    await vscode.window.showTextDocument(doc, { preview: false });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.panes.get(uri.toString())?.content() ?? '# this log pane was closed; open it again from the Pacemaker view\n';
  }

  private changed(pane: LogPane): void {
    this.emitter.fire(pane.uri);
  }

  /** Once the document holds the new text: keep the end of a following pane in view. */
  private follow(doc: vscode.TextDocument): void {
    const pane = this.panes.get(doc.uri.toString());
    if (!pane || !pane.following || pane.isPaused) return;
    for (const editor of vscode.window.visibleTextEditors) {
      if (editor.document !== doc) continue;
      // The last line of text (the content ends with a newline), at the bottom of the editor: from the top first,
      // so a pane that got shorter (a narrower filter) does not stay scrolled past its end.
      const last = Math.max(0, doc.lineCount - 2);
      editor.revealRange(new vscode.Range(0, 0, 0, 0), vscode.TextEditorRevealType.AtTop);
      editor.revealRange(new vscode.Range(last, 0, last, 0), vscode.TextEditorRevealType.Default);
    }
  }

  dispose(): void {
    for (const p of this.panes.values()) p.dispose();
    this.panes.clear();
    for (const d of this.disposables) d.dispose();
  }
}
