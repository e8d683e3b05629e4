/**
 * Operation commands: from a tree row's context menu (the row's subject names the resource/node), or from the
 * palette (ask which cluster, then which resource or node, from the explorer's last snapshot).
 */
import * as vscode from 'vscode';
import { memberNodeNames } from '../../core/cluster/snapshot';
import type { ClusterSnapshot } from '../../core/cluster/types';
import type { ExplorerSubject } from '../../core/explorer/tree';
import { findTopLevel, promotedNodes } from '../../core/operations/targets';
import type { OperationKind, OperationRequest } from '../../core/operations/types';
import { PcxFailure } from '../../core/util/result';
import type { ClusterExplorer } from '../explorer/explorer';
import type { ExplorerElement } from '../explorer/treeProvider';
import type { CommandHandler } from '../commands/index';
import { runOperationFlow } from './flow';

interface Invocation {
  readonly cluster: string;
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
  return { cluster, subject: m ? (el!.node.subject ?? {}) : {}, contextValue: m ? el!.node.contextValue : '', snapshot };
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
  const onResource = (kind: OperationKind, title: string, filter?: (id: string, s: ClusterSnapshot) => boolean): CommandHandler =>
    (arg) => run(arg, title, async (inv) => {
      const resource = await pickResource(inv, title, filter);
      return resource ? { kind, resource } : undefined;
    });
  const onNode = (kind: OperationKind, title: string, on?: boolean): CommandHandler =>
    (arg) => run(arg, title, async (inv) => {
      const node = inv.subject.node ?? (await pickNode(inv, title));
      return node ? { kind, node, ...(on === undefined ? {} : { on }) } : undefined;
    });
  return {
    'pacemaker.op.cleanup': (arg) =>
      run(arg, 'Cleanup', async (inv) => {
        // A failure or fail-count row: that resource on that node; a cluster row or the palette: every failed resource.
        if (inv.subject.resource) return { kind: 'cleanup', resource: inv.subject.resource, node: /^(failure|failcount)\b/.test(inv.contextValue) ? inv.subject.node : undefined };
        return { kind: 'cleanup' };
      }),
    'pacemaker.op.switchover': (arg) =>
      run(arg, 'Switchover', async (inv) => {
        const resource = await pickResource(inv, 'Switchover', isPromotable);
        const node = resource ? await switchoverTarget(inv, resource) : undefined;
        return resource && node ? { kind: 'switchover', resource, node } : undefined;
      }),
    'pacemaker.op.failover': onResource('failover', 'Failover', isPromotable),
    'pacemaker.op.move': (arg) =>
      run(arg, 'Move', async (inv) => {
        const resource = await pickResource(inv, 'Move', (id, s) => !isPromotable(id, s));
        const node = resource ? await pickNode(inv, `Move ${resource}`) : undefined;
        return resource && node ? { kind: 'move', resource, node } : undefined;
      }),
    'pacemaker.op.ban': (arg) =>
      run(arg, 'Ban', async (inv) => {
        const resource = await pickResource(inv, 'Ban');
        const node = resource ? (inv.subject.node ?? (await pickNode(inv, `Ban ${resource} from`))) : undefined;
        return resource && node ? { kind: 'ban', resource, node } : undefined;
      }),
    'pacemaker.op.clear': onResource('clear', 'Clear', (id, s) => s.leftoverConstraints.some((c) => c.rsc === id)),
    'pacemaker.op.restart': onResource('restart', 'Restart'),
    'pacemaker.op.enable': onResource('enable', 'Enable'),
    'pacemaker.op.disable': onResource('disable', 'Disable'),
    'pacemaker.op.manage': onResource('manage', 'Manage'),
    'pacemaker.op.unmanage': onResource('unmanage', 'Unmanage'),
    'pacemaker.op.standby': onNode('standby', 'Standby'),
    'pacemaker.op.unstandby': onNode('unstandby', 'Unstandby'),
    'pacemaker.op.nodeMaintenanceOn': onNode('node-maintenance', 'Node Maintenance On', true),
    'pacemaker.op.nodeMaintenanceOff': onNode('node-maintenance', 'Node Maintenance Off', false),
    'pacemaker.op.nodeStop': onNode('node-stop', 'Stop Cluster Services'),
    'pacemaker.op.nodeStart': onNode('node-start', 'Start Cluster Services'),
    'pacemaker.op.clusterStop': (arg) => run(arg, 'Stop Cluster', async () => ({ kind: 'cluster-stop' })),
    'pacemaker.op.clusterStart': (arg) => run(arg, 'Start Cluster (ordered)', (inv) => pickFirst(explorer, inv)),
    'pacemaker.op.maintenanceModeOn': (arg) => run(arg, 'Maintenance Mode On', async () => ({ kind: 'maintenance-mode', on: true })),
    'pacemaker.op.maintenanceModeOff': (arg) => run(arg, 'Maintenance Mode Off', async () => ({ kind: 'maintenance-mode', on: false })),
  };
}
