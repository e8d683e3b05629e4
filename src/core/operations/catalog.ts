/**
 * Every operation by kind: the one table. Its descriptor says what the operation does (phases, verify); its surface
 * where it shows up. The pcx verbs, the extension's commands and menus, and the tests look it up here.
 */
import { maintenanceMode, nodeMaintenance, standby, unstandby } from './nodeOps';
import { ban, cleanup, clear, disable, enable, manage, move, restart, unmanage } from './resourceOps';
import { failover, switchover } from './roleOps';
import { clusterStart, clusterStop, nodeStart, nodeStop } from './serviceOps';
import { refresh } from './refresh';
import { SURFACES, type OperationSurface } from './surface';
import type { OperationDescriptor, OperationKind } from './types';

/** A descriptor with where it shows up (surface.ts): its pcx verb, command line, VS Code commands and menus. */
export type CatalogEntry = OperationDescriptor & { readonly surface: OperationSurface };

const DESCRIPTORS: Readonly<Record<OperationKind, OperationDescriptor>> = {
  cleanup,
  refresh,
  switchover,
  failover,
  move,
  ban,
  clear,
  standby,
  unstandby,
  'node-maintenance': nodeMaintenance,
  'maintenance-mode': maintenanceMode,
  restart,
  enable,
  disable,
  manage,
  unmanage,
  'node-stop': nodeStop,
  'node-start': nodeStart,
  'cluster-stop': clusterStop,
  'cluster-start': clusterStart,
};

export const OPERATIONS: Readonly<Record<OperationKind, CatalogEntry>> = Object.fromEntries(
  (Object.keys(DESCRIPTORS) as OperationKind[]).map((k) => [k, { ...DESCRIPTORS[k], surface: SURFACES[k] }]),
) as Record<OperationKind, CatalogEntry>;

export function operation(kind: OperationKind): CatalogEntry {
  return OPERATIONS[kind];
}
