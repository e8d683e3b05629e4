/** Every operation by kind: the one table the CLI verbs, the extension's commands and the tests look up. */
import { maintenanceMode, nodeMaintenance, standby, unstandby } from './nodeOps';
import { ban, cleanup, clear, disable, enable, manage, move, restart, unmanage } from './resourceOps';
import { failover, switchover } from './roleOps';
import { clusterStart, clusterStop, nodeStart, nodeStop } from './serviceOps';
import type { OperationDescriptor, OperationKind } from './types';

export const OPERATIONS: Readonly<Record<OperationKind, OperationDescriptor>> = {
  cleanup,
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

export function operation(kind: OperationKind): OperationDescriptor {
  return OPERATIONS[kind];
}
