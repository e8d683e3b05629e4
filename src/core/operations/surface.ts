/**
 * Where each operation shows up: its `pcx` verb and the command line that repeats a request, its VS Code commands
 * (id, title, icon) and the tree rows whose context menus offer them. catalog.ts joins this to the descriptors, and
 * everything else derives from it: `pcx --help` and the verb dispatch (src/cli/pcx.ts), the extension's command
 * registrations (src/extension/operations/commands.ts), and package.json's commands and menus, which
 * test/unit/operations/surface.test.ts holds equal to this table (`node scripts/sync-operations.mjs` writes them).
 */
import type { OperationKind, OperationRequest } from './types';

/** A context-menu entry on the explorer's tree: rows whose contextValue matches `row` (a regex source), in `group`. */
export interface MenuPlacement {
  readonly row: string;
  readonly group: string;
}

/** One VS Code command that starts the operation. */
export interface CommandSurface {
  readonly id: string;
  readonly title: string;
  readonly icon?: string;
  readonly menus: readonly MenuPlacement[];
  /** Fixed parts of the request this command makes (Maintenance On/Off: `{ on: true }`). */
  readonly fixed?: Pick<OperationRequest, 'on'>;
}

export interface OperationSurface {
  /** The `pcx` verb (several kinds may share one: maintenance, stop, start). */
  readonly verb: string;
  /** The verb's line in `pcx --help`; given once per verb, on the kind that owns the verb. */
  readonly summary?: string;
  /** The `pcx` command line that makes the same request, shown in previews so it can be repeated. */
  cli(req: OperationRequest): string[];
  readonly commands: readonly CommandSurface[];
}

const res = (req: OperationRequest) => (req.resource ? [req.resource] : []); // resource ids are XML IDs: never starting with "-"
const keep = (req: OperationRequest) => (req.keepConstraint ? ['--keep-constraint'] : []);
/** `--node NAME`, or `--node=NAME` when NAME starts with "-" (pcx's parser would take it for an option). */
const opt = (name: string, value: string): string[] => (value.startsWith('-') ? [`${name}=${value}`] : [name, value]);
/** A positional name after `--` when it starts with "-". */
const positional = (value: string): string[] => (value.startsWith('-') ? ['--', value] : [value]);
const node = (req: OperationRequest) => req.node ?? 'NODE';
const menu = (row: string, group: string): MenuPlacement => ({ row, group });

const RESOURCE_ROW = '^resource\\b';

/** A verb that takes one resource and nothing else, with one command on the resource rows. */
function resourceVerb(verb: string, summary: string, id: string, title: string, row: string, group: string): OperationSurface {
  return { verb, summary, cli: (req) => ['pcx', verb, ...res(req)], commands: [{ id, title, menus: [menu(row, group)] }] };
}

export const SURFACES: Readonly<Record<OperationKind, OperationSurface>> = {
  cleanup: {
    verb: 'cleanup',
    summary: 'forget failures so Pacemaker may run a resource again',
    cli: (req) => ['pcx', 'cleanup', ...res(req), ...(req.node ? opt('--node', req.node) : [])],
    commands: [
      {
        id: 'pacemaker.op.cleanup',
        title: 'Cleanup…',
        icon: '$(clear-all)',
        menus: [menu('^failure\\b', 'inline@1'), menu('^(failure|failcount)\\b', '3_operate@1'), menu(RESOURCE_ROW, '3_operate@3'), menu('^cluster connected\\b', '3_operate@1')],
      },
    ],
  },
  refresh: resourceVerb('refresh', "re-read a resource's state from every node (crm_resource --refresh)", 'pacemaker.op.refresh', 'Refresh Resource State…', RESOURCE_ROW, '3_operate@7'),
  switchover: {
    verb: 'switchover',
    summary: 'make a promotable clone Promoted on another node',
    cli: (req) => ['pcx', 'switchover', ...res(req), ...opt('--to', node(req)), ...keep(req)],
    commands: [{ id: 'pacemaker.op.switchover', title: 'Switchover…', icon: '$(arrow-swap)', menus: [menu('^resource clone promotable\\b|^instance primitive\\b.*\\b(promoted|unpromoted)\\b', '3_operate@1')] }],
  },
  failover: {
    verb: 'failover',
    summary: 'demote the Promoted instance and let Pacemaker pick another',
    cli: (req) => ['pcx', 'failover', ...res(req), ...keep(req)],
    commands: [{ id: 'pacemaker.op.failover', title: 'Failover…', menus: [menu('^resource clone promotable\\b|^instance primitive\\b.*\\bpromoted\\b', '3_operate@2')] }],
  },
  move: {
    verb: 'move',
    summary: 'move a resource to a node (constraint cleared once settled)',
    cli: (req) => ['pcx', 'move', ...res(req), ...opt('--to', node(req)), ...keep(req)],
    commands: [{ id: 'pacemaker.op.move', title: 'Move to Node…', menus: [menu('^resource (primitive|group)\\b', '3_operate@4')] }],
  },
  ban: {
    verb: 'ban',
    summary: 'keep a resource off a node until cleared',
    cli: (req) => ['pcx', 'ban', ...res(req), ...opt('--from', node(req))],
    commands: [{ id: 'pacemaker.op.ban', title: 'Ban from Node…', menus: [menu(RESOURCE_ROW, '3_operate@5')] }],
  },
  clear: {
    verb: 'clear',
    summary: 'remove the cli-prefer/cli-ban constraints of a resource',
    cli: (req) => ['pcx', 'clear', ...res(req)],
    commands: [
      {
        id: 'pacemaker.op.clear',
        title: 'Clear Move/Ban Constraints…',
        icon: '$(close)',
        menus: [menu('^constraint location cli-(ban|prefer)\\b', 'inline@1'), menu('^constraint location cli-(ban|prefer)\\b', '3_operate@1'), menu(RESOURCE_ROW, '3_operate@6')],
      },
    ],
  },
  standby: {
    verb: 'standby',
    summary: 'put a node in standby',
    cli: (req) => ['pcx', 'standby', ...positional(node(req))],
    commands: [{ id: 'pacemaker.op.standby', title: 'Standby Node…', menus: [menu('^node (online|maintenance)\\b', '3_operate@1')] }],
  },
  unstandby: {
    verb: 'unstandby',
    summary: 'take a node out of standby',
    cli: (req) => ['pcx', 'unstandby', ...positional(node(req))],
    commands: [{ id: 'pacemaker.op.unstandby', title: 'Unstandby Node…', menus: [menu('^node standby\\b', '3_operate@2')] }],
  },
  'node-maintenance': {
    verb: 'maintenance',
    cli: (req) => ['pcx', 'maintenance', req.on ? 'on' : 'off', ...opt('--node', node(req))],
    commands: [
      { id: 'pacemaker.op.nodeMaintenanceOn', title: 'Node Maintenance On…', fixed: { on: true }, menus: [menu('^node (online|standby)\\b', '3_operate@3')] },
      { id: 'pacemaker.op.nodeMaintenanceOff', title: 'Node Maintenance Off…', fixed: { on: false }, menus: [menu('^node maintenance\\b', '3_operate@4')] },
    ],
  },
  'maintenance-mode': {
    verb: 'maintenance',
    summary: 'maintenance-mode on|off (cluster, or one node with --node)',
    cli: (req) => ['pcx', 'maintenance', req.on ? 'on' : 'off'],
    commands: [
      // Each is offered only where it changes something: On on a cluster not in maintenance-mode, Off on one that is.
      { id: 'pacemaker.op.maintenanceModeOn', title: 'Cluster Maintenance Mode On…', fixed: { on: true }, menus: [menu('^cluster connected\\b(?!.*\\bmaintenance-mode\\b)', '3_operate@2')] },
      { id: 'pacemaker.op.maintenanceModeOff', title: 'Cluster Maintenance Mode Off…', fixed: { on: false }, menus: [menu('^cluster connected\\b.*\\bmaintenance-mode\\b', '3_operate@3')] },
    ],
  },
  restart: resourceVerb('restart', 'stop and start a resource where it runs', 'pacemaker.op.restart', 'Restart Resource…', RESOURCE_ROW, '4_lifecycle@1'),
  disable: resourceVerb('disable', 'stop a resource everywhere (target-role Stopped)', 'pacemaker.op.disable', 'Disable Resource…', '^resource\\b(?!.*\\bdisabled\\b)', '4_lifecycle@2'),
  enable: resourceVerb('enable', 'let a resource run (removes target-role Stopped)', 'pacemaker.op.enable', 'Enable Resource…', '^resource\\b.*\\bdisabled\\b', '4_lifecycle@3'),
  unmanage: resourceVerb('unmanage', 'stop Pacemaker managing a resource (it keeps running)', 'pacemaker.op.unmanage', 'Unmanage Resource…', '^resource\\b(?!.*\\bunmanaged\\b)', '4_lifecycle@4'),
  manage: resourceVerb('manage', 'let Pacemaker manage a resource again', 'pacemaker.op.manage', 'Manage Resource…', '^resource\\b.*\\bunmanaged\\b', '4_lifecycle@5'),
  'node-stop': {
    verb: 'stop',
    summary: 'stop the cluster services on a node (--node N), or on every node',
    cli: (req) => ['pcx', 'stop', ...opt('--node', node(req))],
    commands: [{ id: 'pacemaker.op.nodeStop', title: 'Stop Cluster Services…', menus: [menu('^node (online|standby|maintenance)\\b', '5_services@1')] }],
  },
  'node-start': {
    verb: 'start',
    summary: 'start the cluster services on a node (--node N), or the whole cluster in order',
    cli: (req) => ['pcx', 'start', ...opt('--node', node(req))],
    commands: [{ id: 'pacemaker.op.nodeStart', title: 'Start Cluster Services…', menus: [menu('^node offline\\b', '5_services@2')] }],
  },
  'cluster-stop': {
    verb: 'stop',
    cli: () => ['pcx', 'stop'],
    commands: [{ id: 'pacemaker.op.clusterStop', title: 'Stop Cluster…', menus: [menu('^cluster connected\\b', '5_services@1')] }],
  },
  'cluster-start': {
    verb: 'start',
    cli: (req) => ['pcx', 'start', ...(req.first ? opt('--first', req.first) : [])],
    commands: [{ id: 'pacemaker.op.clusterStart', title: 'Start Cluster (ordered)…', menus: [menu('^cluster error\\b', '5_services@2')] }],
  },
};

/** The tree view the menus belong to. */
export const EXPLORER_VIEW = 'pacemaker.clusters';

/** A placement as package.json's `when` clause. */
export function whenClause(m: MenuPlacement): string {
  return `view == ${EXPLORER_VIEW} && viewItem =~ /${m.row}/`;
}

/** Each pcx verb once, with its summary, in the table's order. */
export function operationVerbs(): { verb: string; summary: string }[] {
  const out: { verb: string; summary: string }[] = [];
  for (const s of Object.values(SURFACES)) if (s.summary && !out.some((o) => o.verb === s.verb)) out.push({ verb: s.verb, summary: s.summary });
  return out;
}
