/**
 * The History view: a webview with the cluster's timeline (core/logs/timeline) — one lane per node on a time axis,
 * newest at the top. A transition shows its planned actions and an Explain button, which replays its pe-input with
 * crm_simulate on the node that calculated it; every event has a Logs button for the lines around it.
 */
import * as vscode from 'vscode';
import type { TimelineEvent } from '../../core/logs/timeline';
import type { TransitionSummary } from '../../core/logs/simulate';
import { webviewNonce } from '../../core/util/nonce';
import { clockTime, dateTime, zoneName } from '../../core/util/time';

export interface HistoryHandlers {
  readonly explain: (event: TimelineEvent) => Promise<TransitionSummary>;
  readonly showLogs: (event: TimelineEvent) => Promise<void>;
  readonly refresh: () => Promise<{ events: TimelineEvent[]; nodes: string[]; since: number; problems: string[] }>;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const ICON: Record<TimelineEvent['kind'], string> = {
  'node-joined': '⊕', 'node-lost': '⊖', 'quorum-gained': '◆', 'quorum-lost': '◇', 'dc-elected': '★', transition: '⇄', action: '●', fencing: '⚡',
};

/** The page for `events` (newest first); `nodes` are the lanes. Exported for unit tests of the markup. */
export function historyHtml(cluster: string, events: readonly TimelineEvent[], nodes: readonly string[], since: number, problems: readonly string[], nonce: string): string {
  const lanes = [...new Set([...nodes, ...events.map((e) => e.subject).filter((s) => nodes.length === 0 || nodes.includes(s))])];
  const laneOf = (e: TimelineEvent) => Math.max(0, lanes.indexOf(e.kind === 'transition' ? e.seenBy : e.subject));
  const rows = events.map((e, i) => {
    const planned = e.transition?.planned.length
      ? `<ul class="planned">${e.transition.planned.map((p) => `<li><b>${esc(p.verb)}</b> ${esc(p.resource)} <span class="dim">(${esc(p.detail)})</span></li>`).join('')}</ul>
         <button data-explain="${i}">Explain (crm_simulate)</button><div class="explain" id="explain-${i}"></div>`
      : '';
    const cells = lanes.map((_, lane) => lane === laneOf(e)
      ? `<td class="card ${e.severity} ${e.kind}"><span class="icon">${ICON[e.kind]}</span> ${esc(e.summary)}${planned}<div class="meta">seen by ${esc(e.seenBy)} · <a href="#" data-logs="${i}">logs</a></div></td>`
      : '<td class="lane"></td>').join('');
    return `<tr><th class="time" title="${new Date(e.time).toISOString()}">${clockTime(e.time)}</th>${cells}</tr>`;
  }).join('\n');
  return `<!DOCTYPE html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}';">
<style nonce="${nonce}">
  body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); padding: 0 12px; }
  h2 { font-weight: 600; margin: 10px 0 4px; } .dim, .meta { opacity: .7; font-size: 90%; }
  table { border-collapse: separate; border-spacing: 0 3px; width: 100%; table-layout: fixed; }
  th.time { width: 92px; text-align: right; padding-right: 10px; font-family: var(--vscode-editor-font-family); font-weight: normal; vertical-align: top; border-right: 2px solid var(--vscode-panel-border, #888); }
  thead th { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--vscode-panel-border, #888); }
  td.lane { border-left: 1px dashed var(--vscode-panel-border, #555); }
  td.card { padding: 4px 8px; border-left: 4px solid var(--vscode-charts-blue, #3794ff); background: var(--vscode-editorWidget-background); vertical-align: top; }
  td.card.error { border-left-color: var(--vscode-charts-red, #f14c4c); } td.card.warning { border-left-color: var(--vscode-charts-yellow, #cca700); }
  td.card.transition { border-left-color: var(--vscode-charts-purple, #b180d7); }
  ul.planned { margin: 3px 0; padding-left: 18px; } button { margin-top: 2px; font-size: 85%; }
  .explain { white-space: pre-wrap; font-family: var(--vscode-editor-font-family); font-size: 90%; margin-top: 3px; }
  .problems { color: var(--vscode-editorWarning-foreground); }
</style></head><body>
<h2>History of ${esc(cluster)}</h2>
<div class="dim">${events.length} event(s) since ${esc(dateTime(since))}, newest first, times in ${esc(zoneName())} · <a href="#" id="refresh">refresh</a></div>
${problems.length ? `<div class="problems">${problems.map(esc).join('<br>')}</div>` : ''}
<table><thead><tr><th class="time">time</th>${lanes.map((l) => `<th>${esc(l)}</th>`).join('')}</tr></thead>
<tbody>${rows || `<tr><td colspan="${lanes.length + 1}">No cluster events in this window.</td></tr>`}</tbody></table>
<script nonce="${nonce}">
  const vscode = acquireVsCodeApi();
  document.addEventListener('click', (ev) => {
    const t = ev.target;
    if (!(t instanceof HTMLElement)) return;
    if (t.id === 'refresh') { ev.preventDefault(); vscode.postMessage({ type: 'refresh' }); }
    if (t.dataset.logs) { ev.preventDefault(); vscode.postMessage({ type: 'logs', index: Number(t.dataset.logs) }); }
    if (t.dataset.explain) { document.getElementById('explain-' + t.dataset.explain).textContent = 'replaying with crm_simulate…'; vscode.postMessage({ type: 'explain', index: Number(t.dataset.explain) }); }
  });
  window.addEventListener('message', (ev) => {
    const m = ev.data;
    if (m.type === 'explained') document.getElementById('explain-' + m.index).textContent = m.text;
  });
</script></body></html>`;
}

export class HistoryPanel implements vscode.Disposable {
  private readonly panel: vscode.WebviewPanel;
  private events: TimelineEvent[] = [];

  constructor(private readonly cluster: string, private readonly handlers: HistoryHandlers) {
    this.panel = vscode.window.createWebviewPanel('pacemaker.history', `History: ${cluster}`, vscode.ViewColumn.Active, { enableScripts: true, retainContextWhenHidden: true, localResourceRoots: [] });
    this.panel.webview.html = `<html><body style="padding:12px">Reading the logs of ${esc(cluster)}…</body></html>`;
    this.panel.webview.onDidReceiveMessage((m: { type: string; index?: number }) => void this.onMessage(m));
  }

  get onDidDispose(): vscode.Event<void> {
    return this.panel.onDidDispose;
  }

  async load(): Promise<void> {
    const r = await this.handlers.refresh();
    this.events = r.events;
    const nonce = webviewNonce();
    this.panel.webview.html = historyHtml(this.cluster, r.events, r.nodes, r.since, r.problems, nonce);
  }

  private async onMessage(m: { type: string; index?: number }): Promise<void> {
    const e = m.index !== undefined ? this.events[m.index] : undefined;
    try {
      if (m.type === 'refresh') await this.load();
      else if (m.type === 'logs' && e) await this.handlers.showLogs(e);
      else if (m.type === 'explain' && e) {
        const s = await this.handlers.explain(e);
        const text = [
          s.before.length ? `before: ${s.before.join('; ')}` : '',
          `decided: ${s.actions.join('; ') || 'nothing'}`,
          s.after.length ? `after: ${s.after.join('; ')}` : '',
          `(${s.steps} operations; ${s.input})`,
        ].filter(Boolean).join('\n');
        await this.panel.webview.postMessage({ type: 'explained', index: m.index, text });
      }
    } catch (err) {
      const text = err instanceof Error ? `${err.message}${'hint' in err && err.hint ? ` — ${String(err.hint)}` : ''}` : String(err);
      if (m.type === 'explain') await this.panel.webview.postMessage({ type: 'explained', index: m.index, text: `could not replay: ${text}` });
      else void vscode.window.showErrorMessage(text);
    }
  }

  reveal(): void {
    this.panel.reveal();
  }

  dispose(): void {
    this.panel.dispose();
  }
}
