/**
 * Log commands: Tail Logs (cluster, node or resource row → one following pane), Show Logs Around This Failure
 * (failure row → the lines mentioning its resource, a few minutes either side), Filter Logs / Pause / Resume on
 * the pane, and Show History (the timeline webview). Registered through the one command table.
 */
import * as vscode from 'vscode';
import { sshTargetFor, type ClusterTarget } from '../../core/cluster/live';
import { describeCoverage } from '../../core/logs/members';
import { LEVEL_ORDER, type LogLevel } from '../../core/logs/types';
import type { LogFilter } from '../../core/logs/filter';
import { readClusterLogs, readTimeline } from '../../core/logs/read';
import { simulateTransition } from '../../core/logs/simulate';
import type { TimelineEvent } from '../../core/logs/timeline';
import { CommandRunner } from '../../core/remote/runner';
import { PcxFailure } from '../../core/util/result';
import type { ClusterExplorer } from '../explorer/explorer';
import type { ExplorerElement } from '../explorer/treeProvider';
import type { CommandHandler } from '../commands';
import { HistoryPanel } from './history';
import { LOG_SCHEME, LogPanes, type LogPane } from './pane';
import { SshPool } from '../../core/ssh/pool';

const AROUND_MS = 3 * 60_000;

function clusterOf(explorer: ClusterExplorer, arg: unknown): string | undefined {
  if (typeof arg === 'string' && explorer.session(arg)) return arg;
  const el = arg as ExplorerElement | undefined;
  const m = el && typeof el.id === 'string' ? /^cluster\/([^/]+)/.exec(el.id) : null;
  if (m) return decodeURIComponent(m[1]!);
  const names = explorer.clusterNames;
  return names.length === 1 ? names[0] : undefined;
}

async function pick(explorer: ClusterExplorer, arg: unknown, verb: string): Promise<string | undefined> {
  const name = clusterOf(explorer, arg);
  if (name) return name;
  const names = explorer.clusterNames;
  if (names.length === 0) throw new PcxFailure('no-cluster', 'no Pacemaker cluster is configured yet', 'Add one with "Pacemaker: Add Cluster".');
  return vscode.window.showQuickPick(names, { title: `${verb}: which cluster?` });
}

function sessionOf(explorer: ClusterExplorer, name: string) {
  const s = explorer.session(name);
  if (!s) throw new PcxFailure('no-cluster', `cluster ${name} is not configured`, 'Add it with "Pacemaker: Add Cluster".');
  return s;
}

export function logCommands(explorer: ClusterExplorer, log: vscode.LogOutputChannel): { handlers: Record<string, CommandHandler>; disposables: vscode.Disposable[] } {
  /** Which session each following pane was started for: a pane whose cluster is gone (or redefined) stops. */
  const following = new Map<LogPane, { session: ReturnType<typeof sessionOf>; target: ClusterTarget }>();
  /** A pane stopped: close the connections it used that no cluster of the explorer and no other pane uses. */
  const closeUnused = (pane: LogPane): void => {
    const f = following.get(pane);
    following.delete(pane);
    if (!f) return;
    const inUse = new Set([
      ...explorer.clusterNames.flatMap((n) => {
        const s = explorer.session(n);
        return s ? [...s.sshTargets, ...s.hosts.map((h) => sshTargetFor(s.target, h))] : [];
      }),
      ...[...following.entries()].filter(([p]) => !p.stopped).flatMap(([p, o]) => p.hosts.map((h) => sshTargetFor(o.target, h))),
    ].map(SshPool.key));
    for (const host of pane.hosts) {
      const t = sshTargetFor(f.target, host);
      if (inUse.has(SshPool.key(t))) continue;
      log.debug(`closing the connection to ${host} (the log pane that used it stopped)`);
      explorer.pool.close(t);
    }
  };
  const panes = new LogPanes(closeUnused);
  const histories = new Map<string, HistoryPanel>();
  const disposables: vscode.Disposable[] = [panes, vscode.workspace.registerTextDocumentContentProvider(LOG_SCHEME, panes)];
  const activePane = () => panes.paneOf(vscode.window.activeTextEditor?.document.uri);
  const setPausedContext = () => void vscode.commands.executeCommand('setContext', 'pacemaker.logs.paused', activePane()?.isPaused === true);
  disposables.push(vscode.window.onDidChangeActiveTextEditor(setPausedContext));
  disposables.push(explorer.onDidRender(() => {
    for (const [pane, f] of following) {
      if (pane.stopped || explorer.session(pane.cluster) === f.session) continue;
      const why = explorer.session(pane.cluster) ? `cluster ${pane.cluster} was redefined` : `cluster ${pane.cluster} was removed`;
      log.info(`log pane "${pane.title}": ${why}; it stops following`);
      pane.stop(why);
      closeUnused(pane);
    }
  }));

  const showWindow = async (name: string, title: string, since: number, until: number, filter: LogFilter): Promise<void> => {
    const s = sessionOf(explorer, name);
    const pane = panes.create(name, title, filter, false);
    const window = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Reading the logs of ${name}…` }, () =>
      readClusterLogs({ target: s.target, pool: explorer.pool, since, until, knownHosts: s.hosts }));
    pane.setLines(window.lines, window.statuses, window.nodes);
    log.info(`logs of ${name} ${new Date(since).toISOString()} … ${new Date(until).toISOString()}: ${window.lines.length} lines`);
    await panes.open(pane);
  };

  const handlers: Record<string, CommandHandler> = {
    'pacemaker.logs.tail': async (arg) => {
      const name = await pick(explorer, arg, 'Tail Logs');
      if (!name) return;
      const s = sessionOf(explorer, name);
      const node = (arg as ExplorerElement | undefined)?.node;
      const filter: LogFilter = node?.kind === 'node' ? { nodes: [node.label] } : node && (node.kind === 'resource' || node.kind === 'instance') ? { resources: [node.label] } : {};
      const title = node?.kind === 'node' ? `Logs of ${node.label}` : node?.kind === 'resource' || node?.kind === 'instance' ? `Logs of ${node.label}` : 'Logs';
      const pane = panes.create(name, title, filter, true);
      await panes.open(pane);
      log.info(`following the logs of ${name}${filter.nodes ? ` (node ${filter.nodes[0]})` : filter.resources ? ` (resource ${filter.resources[0]})` : ''}`);
      following.set(pane, { session: s, target: s.target });
      await pane.follow(s.target, { pool: explorer.pool, knownHosts: s.hosts });
    },
    'pacemaker.logs.aroundFailure': async (arg) => {
      const name = await pick(explorer, arg, 'Show Logs Around This Failure');
      const el = arg as ExplorerElement | undefined;
      if (!name || el?.node.kind !== 'failure') return;
      const failures = sessionOf(explorer, name).view.snapshot?.failures ?? [];
      const f = failures.find((x) => el.id.endsWith(`/failure/${encodeURIComponent(x.node)}/${encodeURIComponent(x.opKey)}`));
      if (!f) throw new PcxFailure('failure-gone', 'this failure is no longer in the cluster status', 'It was probably cleaned up; refresh the view.');
      const at = f.lastRcChange ? Date.parse(f.lastRcChange) : NaN;
      const when = Number.isNaN(at) ? Date.now() - AROUND_MS : at;
      await showWindow(name, `Around ${f.resource} ${f.task} on ${f.node}`, when - AROUND_MS, when + AROUND_MS, { resources: [f.resource] });
    },
    'pacemaker.logs.filter': async () => {
      const pane = activePane();
      if (!pane) throw new PcxFailure('no-pane', 'no Pacemaker log pane is active', 'Open one with Tail Logs on a cluster, node or resource.');
      const what = await vscode.window.showQuickPick(['node', 'resource', 'level', 'text', 'clear all filters'], { title: 'Filter the log pane by…' });
      if (!what) return;
      const f = { ...pane.filter } as { -readonly [K in keyof LogFilter]: LogFilter[K] };
      if (what === 'clear all filters') return pane.setFilter({});
      if (what === 'level') {
        const level = await vscode.window.showQuickPick(['any', ...LEVEL_ORDER.filter((l) => l !== 'unknown')], { title: 'Show this level and more severe' });
        if (level === undefined) return;
        if (level === 'any') delete f.level;
        else f.level = level as LogLevel;
        return pane.setFilter(f);
      }
      const current = what === 'node' ? f.nodes?.join(',') : what === 'resource' ? f.resources?.join(',') : f.grep;
      const value = await vscode.window.showInputBox({ title: `Filter by ${what}`, prompt: what === 'text' ? 'Case-insensitive text (empty: no text filter)' : `Comma-separated ${what} names (empty: all)`, value: current ?? '' });
      if (value === undefined) return;
      const list = value.split(',').map((v) => v.trim()).filter(Boolean);
      if (what === 'node') f.nodes = list;
      else if (what === 'resource') f.resources = list;
      else f.grep = value.trim() || undefined;
      pane.setFilter(f);
    },
    'pacemaker.logs.pause': () => {
      activePane()?.setPaused(true);
      setPausedContext();
    },
    'pacemaker.logs.resume': () => {
      activePane()?.setPaused(false);
      setPausedContext();
    },
    'pacemaker.logs.history': async (arg) => {
      const name = await pick(explorer, arg, 'Show History');
      if (!name) return;
      const existing = histories.get(name);
      if (existing) {
        existing.reveal();
        return existing.load();
      }
      const s = sessionOf(explorer, name);
      let nodeHosts = new Map<string, string>();
      const panel = new HistoryPanel(name, {
        refresh: async () => {
          const since = Date.now() - 3_600_000;
          const r = await readTimeline({ target: s.target, pool: explorer.pool, since, knownHosts: s.hosts });
          nodeHosts = new Map(r.nodes.map((n) => [n.node, n.host]));
          // Which nodes were read is in the lanes; the ones not read (their errors) and short logs are said above them.
          const coverage = describeCoverage(r.nodes, { since });
          log.info(`history of ${name}: ${coverage.join('; ')}`);
          const problems = [...r.statuses.filter((x) => x.severity !== 'info').map((x) => x.message), ...coverage.slice(1).filter((l) => !l.startsWith('not read'))];
          return { events: r.events, nodes: r.nodes.filter((n) => n.state !== 'failed').map((n) => n.node), since, problems: [...new Set(problems)] };
        },
        explain: async (e: TimelineEvent) => {
          const connection = await explorer.pool.get(sshTargetFor(s.target, nodeHosts.get(e.seenBy) ?? e.seenBy));
          return simulateTransition(new CommandRunner(connection, connection.resolved.user, s.target.sudo ?? false), e.transition!.input);
        },
        showLogs: (e: TimelineEvent) => showWindow(name, `Around ${e.summary.slice(0, 40)}`, e.time - 60_000, e.time + 60_000, e.resource ? { resources: [e.resource] } : {}),
      });
      histories.set(name, panel);
      panel.onDidDispose(() => histories.delete(name));
      disposables.push(panel);
      await panel.load();
    },
  };
  return { handlers, disposables };
}
