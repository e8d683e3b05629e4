/**
 * State → icon rules: which codicon and theme colour a node or resource row gets. The node state
 * itself is decided in core/cluster/nodeState (shared with `pcx status`); resource states here.
 */
import { nodeStateOf, type NodeState } from '../cluster/nodeState';
import { primitivesOf } from '../cluster/snapshot';
import type { PrimitiveStatus, ResourceStatus, Role } from '../cluster/types';
import { COLORS, type ExplorerIcon } from './model';

export { nodeStateOf, type NodeState };

export const NODE_ICONS: Readonly<Record<NodeState, ExplorerIcon>> = {
  online: { id: 'vm-running', color: COLORS.ok },
  offline: { id: 'vm-outline', color: COLORS.error },
  unclean: { id: 'vm-active', color: COLORS.error },
  standby: { id: 'debug-pause', color: COLORS.warning },
  maintenance: { id: 'tools', color: COLORS.warning },
  pending: { id: 'sync', color: COLORS.info },
  shutdown: { id: 'debug-stop', color: COLORS.warning },
};

export type ResourceState = 'promoted' | 'unpromoted' | 'started' | 'stopped' | 'failed' | 'blocked' | 'unmanaged' | 'maintenance' | 'disabled' | 'pending';

/** Roles crm_mon prints while an action runs (with record-pending, or for a node going to standby). */
const TRANSITIONAL_ROLES: ReadonlySet<string> = new Set(['Starting', 'Stopping', 'Promoting', 'Demoting', 'Migrating']);

/** The one state that best describes a primitive (worst first). */
export function primitiveStateOf(p: PrimitiveStatus): ResourceState {
  if (p.blocked) return 'blocked';
  if (p.failed) return 'failed';
  if (p.maintenance) return 'maintenance';
  if (!p.managed) return 'unmanaged';
  if (p.pending || TRANSITIONAL_ROLES.has(p.role)) return 'pending';
  if (p.role === 'Promoted') return 'promoted';
  if (p.role === 'Unpromoted') return 'unpromoted';
  if (p.active) return 'started';
  if (p.disabled) return 'disabled';
  return 'stopped';
}

export const RESOURCE_ICONS: Readonly<Record<ResourceState, ExplorerIcon>> = {
  promoted: { id: 'star-full', color: COLORS.ok },
  unpromoted: { id: 'star-empty', color: COLORS.info },
  started: { id: 'pass-filled', color: COLORS.ok },
  stopped: { id: 'circle-large-outline', color: COLORS.error },
  failed: { id: 'error', color: COLORS.error },
  blocked: { id: 'circle-slash', color: COLORS.error },
  unmanaged: { id: 'lock', color: COLORS.warning },
  maintenance: { id: 'tools', color: COLORS.warning },
  disabled: { id: 'debug-stop', color: COLORS.muted },
  pending: { id: 'sync~spin', color: COLORS.info },
};

export const SEVERITY: Readonly<Record<ResourceState, number>> = {
  blocked: 9,
  failed: 8,
  stopped: 7,
  maintenance: 6,
  unmanaged: 5,
  pending: 4,
  disabled: 3,
  unpromoted: 1,
  started: 1,
  promoted: 0,
};

/** The icon of a placement row: the role a resource has on that node. */
export function roleIcon(role: Role): ExplorerIcon {
  return RESOURCE_ICONS[role === 'Promoted' ? 'promoted' : role === 'Unpromoted' ? 'unpromoted' : 'started'];
}

/** Worst state among a container's primitives; a stopped instance of a clone with others running is "degraded" (stopped). */
export function aggregateState(r: ResourceStatus): ResourceState {
  const prims = primitivesOf([r]);
  if (prims.length === 0) return 'stopped';
  const states = prims.map(primitiveStateOf);
  const worst = states.reduce((a, b) => (SEVERITY[b] > SEVERITY[a] ? b : a));
  if ((r.kind === 'clone' || r.kind === 'group') && r.disabled) return 'disabled';
  if ((r.kind === 'clone' || r.kind === 'group' || r.kind === 'bundle') && !r.managed) return 'unmanaged';
  if (SEVERITY[worst] <= 1) {
    if (states.includes('promoted')) return 'promoted';
    // A promotable clone running without any Promoted instance accepts no writes: show it as a problem.
    if (r.kind === 'clone' && r.promotable) return 'stopped';
    return 'started';
  }
  return worst;
}

/** A full star while something is Promoted (green when all is well, amber when degraded), an empty red one when nothing is. */
export function promotableIcon(r: ResourceStatus, state: ResourceState): ExplorerIcon {
  if (state === 'unmanaged' || state === 'maintenance' || state === 'disabled' || state === 'blocked') return RESOURCE_ICONS[state];
  const prims = primitivesOf([r]);
  if (prims.some((p) => p.role === 'Promoted')) return { id: 'star-full', color: state === 'promoted' ? COLORS.ok : SEVERITY[state] >= 7 ? COLORS.warning : RESOURCE_ICONS[state].color };
  if (prims.some((p) => p.active)) return { id: 'star-empty', color: COLORS.error };
  return RESOURCE_ICONS[state];
}
