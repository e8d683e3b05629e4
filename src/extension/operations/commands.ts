/**
 * Operation commands: from a tree row's context menu (the row's subject names the resource/node), or from the
 * palette (ask which cluster, then which resource or node, from the explorer's last snapshot).
 */
import * as vscode from 'vscode';
import { memberNodeNames } from '../../core/cluster/snapshot';
import type { ClusterSnapshot } from '../../core/cluster/types';
import type { ExplorerKind, ExplorerSubject } from '../../core/explorer/tree';
import { SURFACES, type CommandSurface } from '../../core/operations/surface';
import { findTopLevel, promotedNodes } from '../../core/operations/targets';
import type { OperationKind, OperationRequest } from '../../core/operations/types';
import { PcxFailure } from '../../core/util/result';
import type { ClusterExplorer } from '../explorer/explorer';
import type { ExplorerElement } from '../explorer/treeProvider';
import type { CommandHandler } from '../commands/index';
import { runOperationFlow } from './flow';

interface Invocation {
  readonly cluster: string;
  /** The row's kind (undefined from the palette). */
  readonly kind?: ExplorerKind;
  readonly subject: ExplorerSubject;
  readonly contextValue: string;
  readonly snapshot?: ClusterSnapshot;
}

async function invocation(explorer: ClusterExplorer, arg: unknown, title: string): Promise<Invocation | undefined> {
  const el = arg as ExplorerElement | undefined;
  const m = el && typeof el.id === 'string' ? /^cluster\/([^/]+)/.exec(el.id) : null;
  let cluster = m ? decodeURIComponent(m[1]!) : typeof arg === 'string' ? arg : undefined;
  if (!cluster) {
    const names = explorer.clusterNames;
    if (names.length === 0) throw new PcxFailure('no-clusters', 'No Pacemaker cluster is configured yet', 'Add one with Pacemaker: Add Cluster.');
    cluster = names.length === 1 ? names[0] : await vscode.window.showQuickPick(names, { title: `${title}: which cluster?` });
    if (!cluster) return undefined;
  }
  const snapshot = explorer.session(cluster)?.view.snapshot;
  return { cluster, kind: m ? el!.node.kind : undefined, subject: m ? (el!.node.subject ?? {}) : {}, contextValue: m ? el!.node.contextValue : '', snapshot };
}

function requireSnapshot(inv: Invocation): ClusterSnapshot {
  if (!inv.snapshot) throw new PcxFailure('no-status', `the explorer has not read ${inv.cluster} yet`, 'Open the Pacemaker view and wait for the cluster to load (or Refresh).');
  return inv.snapshot;
}

async function pickResource(inv: Invocation, title: string, filter: (id: string, s: ClusterSnapshot) => boolean = () => true): Promise<string | undefined> {
  if (inv.subject.resource) return inv.subject.resource;
  const s = requireSnapshot(inv);
  const ids = s.resources.map((r) => r.id).filter((id) => filter(id, s));
  if (ids.length === 0) throw new PcxFailure('nothing-to-pick', `${title}: no resource of ${inv.cluster} fits`, 'pcx status shows what the cluster runs.');
  return vscode.window.showQuickPick(ids, { title: `${title}: which resource?` });
}

async function pickNode(inv: Invocation, title: string, candidates?: readonly string[]): Promise<string | undefined> {
  const s = requireSnapshot(inv);
  const nodes = candidates ?? memberNodeNames(s);
  if (nodes.length === 1) return nodes[0];
  if (nodes.length === 0) throw new PcxFailure('nothing-to-pick', `${title}: no node fits`, 'Check the nodes in the explorer.');
  return vscode.window.showQuickPick([...nodes], { title: `${title}: which node?` });
}

const isPromotable = (id: string, s: ClusterSnapshot) => {
  const r = findTopLevel(s, id);
  return r?.kind === 'clone' && r.promotable;
};

/** Where a switchover can go: online, not standby, not already Promoted; from an Unpromoted instance row, that node. */
async function switchoverTarget(inv: Invocation, resource: string): Promise<string | undefined> {
  if (/\bunpromoted\b/.test(inv.contextValue) && inv.subject.node) return inv.subject.node;
  const s = requireSnapshot(inv);
  const clone = findTopLevel(s, resource);
  const promoted = clone ? promotedNodes(clone) : [];
  const candidates = s.nodes.filter((n) => n.type === 'member' && n.online && !n.standby && !promoted.includes(n.name)).map((n) => n.name);
  return pickNode(inv, 'Switchover', candidates);
}

/**
 * Which node an ordered start begins with: by default where the promotable clone was last Promoted (the plan
 * says where that was read). A stopped cluster has no snapshot: its nodes are the configured hosts then.
 */
async function pickFirst(explorer: ClusterExplorer, inv: Invocation): Promise<OperationRequest | undefined> {
  const nodes = inv.snapshot ? memberNodeNames(inv.snapshot) : [...(explorer.session(inv.cluster)?.target.hosts ?? [])];
  const items: (vscode.QuickPickItem & { first?: string })[] = [
    { label: '$(history) Where it was last Promoted', description: 'default; else the first configured node' },
    ...nodes.map((n) => ({ label: `$(vm) ${n}`, description: 'start this node first', first: n })),
  ];
  const choice = await vscode.window.showQuickPick(items, { title: `Start Cluster (ordered) ${inv.cluster}: which node first?` });
  if (!choice) return undefined;
  return { kind: 'cluster-start', ...(choice.first ? { first: choice.first } : {}) };
}

/** How each operation's request is made from a row or the palette (the commands themselves come from the table). */
type RequestBuilder = (inv: Invocation, title: string, fixed: CommandSurface['fixed']) => Promise<OperationRequest | undefined>;

const onResource = (kind: OperationKind, filter?: (id: string, s: ClusterSnapshot) => boolean): RequestBuilder =>
  async (inv, title) => {
    const resource = await pickResource(inv, title, filter);
    return resource ? { kind, resource } : undefined;
  };
const onNode = (kind: OperationKind): RequestBuilder =>
  async (inv, title, fixed) => {
    const node = inv.subject.node ?? (await pickNode(inv, title));
    return node ? { kind, node, ...fixed } : undefined;
  };

function requestBuilders(explorer: ClusterExplorer): Record<OperationKind, RequestBuilder> {
  return {
    // A failure or fail-count row: that resource on that node; a resource row: everywhere; a cluster row or the
    // palette: every failed resource.
    cleanup: async (inv) =>
      inv.subject.resource ? { kind: 'cleanup', resource: inv.subject.resource, node: inv.kind === 'failure' || inv.kind === 'failcount' ? inv.subject.node : undefined } : { kind: 'cleanup' },
    refresh: onResource('refresh'),
    switchover: async (inv, title) => {
      const resource = await pickResource(inv, title, isPromotable);
      const node = resource ? await switchoverTarget(inv, resource) : undefined;
      return resource && node ? { kind: 'switchover', resource, node } : undefined;
    },
    failover: onResource('failover', isPromotable),
    move: async (inv, title) => {
      const resource = await pickResource(inv, title, (id, s) => !isPromotable(id, s));
      const node = resource ? await pickNode(inv, `${title} ${resource}`) : undefined;
      return resource && node ? { kind: 'move', resource, node } : undefined;
    },
    ban: async (inv, title) => {
      const resource = await pickResource(inv, title);
      const node = resource ? (inv.subject.node ?? (await pickNode(inv, `${title} ${resource} from`))) : undefined;
      return resource && node ? { kind: 'ban', resource, node } : undefined;
    },
    clear: onResource('clear', (id, s) => s.leftoverConstraints.some((c) => c.rsc === id)),
    restart: onResource('restart'),
    enable: onResource('enable'),
    disable: onResource('disable'),
    manage: onResource('manage'),
    unmanage: onResource('unmanage'),
    standby: onNode('standby'),
    unstandby: onNode('unstandby'),
    'node-maintenance': onNode('node-maintenance'),
    'node-stop': onNode('node-stop'),
    'node-start': onNode('node-start'),
    'maintenance-mode': async (_inv, _title, fixed) => ({ kind: 'maintenance-mode', on: fixed?.on === true }),
    'cluster-stop': async () => ({ kind: 'cluster-stop' }),
    'cluster-start': (inv) => pickFirst(explorer, inv),
  };
}

export function operationCommands(explorer: ClusterExplorer, log: vscode.LogOutputChannel): Record<string, CommandHandler> {
  const run = async (arg: unknown, title: string, build: (inv: Invocation) => Promise<OperationRequest | undefined>): Promise<void> => {
    const inv = await invocation(explorer, arg, title);
    if (!inv) return;
    const req = await build(inv);
    if (!req) return;
    try {
      await runOperationFlow(explorer, log, inv.cluster, req);
    } catch (e) {
      // The cluster already is as asked: say so, not as an error.
      if (e instanceof PcxFailure && e.code === 'no-change') {
        void vscode.window.showInformationMessage(`${inv.cluster}: ${e.message} — nothing to do.`);
        return;
      }
      throw e;
    }
  };
  const builders = requestBuilders(explorer);
  const handlers: Record<string, CommandHandler> = {};
  for (const [kind, surface] of Object.entries(SURFACES) as [OperationKind, (typeof SURFACES)[OperationKind]][]) {
    for (const c of surface.commands) {
      const title = c.title.replace(/…$/, '');
      handlers[c.id] = (arg) => run(arg, title, (inv) => builders[kind](inv, title, c.fixed));
    }
  }
  return handlers;
}
