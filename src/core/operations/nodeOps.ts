/** Node and cluster switches: standby/unstandby, a node's maintenance, the cluster's maintenance-mode. */
import { PcxFailure } from '../util/result';
import { maintenanceModeArgv, nodeMaintenanceArgv, standbyArgv, tools } from './argv';
import { requireNode } from './targets';
import type { OperationDescriptor } from './types';

function standbyOp(on: boolean): OperationDescriptor {
  const kind = on ? 'standby' : 'unstandby';
  return {
    kind,
    title: on ? 'Standby' : 'Unstandby',
    changes: 'node attribute standby',
    target: 'node',
    describe: (req) => (on ? `put ${req.node} in standby: its resources move to other nodes` : `take ${req.node} out of standby: it may run resources again`),
    validate(req, snap) {
      try {
        const node = requireNode(snap, req.node, kind, { online: on });
        if (node.standby === on) return new PcxFailure('no-change', `${node.name} is ${on ? 'already' : 'not'} in standby`, 'Nothing to do.');
        return undefined;
      } catch (e) {
        if (e instanceof PcxFailure) return e;
        throw e;
      }
    },
    phases: (req, _snap, d) => [
      { title: `${kind} ${req.node}`, argv: standbyArgv(d, req.node!, on), simulate: [tools.nodeAttribute(req.node!, 'standby', on ? 'on' : 'off')], settle: true },
    ],
    verify(req, _before, after) {
      const node = after.nodes.find((n) => n.name === req.node);
      if (!node) return [`${req.node} is gone from the cluster`];
      const out: string[] = [];
      if (node.standby !== on) out.push(`${node.name} is ${node.standby ? 'still' : 'not'} in standby`);
      if (on && node.resourcesRunning > 0) out.push(`${node.name} still runs ${node.resourcesRunning} resource instance(s)`);
      return out;
    },
  };
}

export const standby = standbyOp(true);
export const unstandby = standbyOp(false);

export const nodeMaintenance: OperationDescriptor = {
  kind: 'node-maintenance',
  title: 'Node maintenance',
  changes: 'node attribute maintenance',
  target: 'node',
  describe: (req) => (req.on ? `put ${req.node} in maintenance: Pacemaker stops managing the resources there (they keep running)` : `end maintenance of ${req.node}: Pacemaker manages its resources again`),
  validate(req, snap) {
    try {
      const node = requireNode(snap, req.node, 'maintenance');
      if (node.maintenance === req.on) return new PcxFailure('no-change', `${node.name} is ${req.on ? 'already' : 'not'} in maintenance`, 'Nothing to do.');
      return undefined;
    } catch (e) {
      if (e instanceof PcxFailure) return e;
      throw e;
    }
  },
  phases: (req, _snap, d) => [
    { title: `maintenance ${req.on ? 'on' : 'off'} for ${req.node}`, argv: nodeMaintenanceArgv(d, req.node!, req.on === true), simulate: [tools.nodeAttribute(req.node!, 'maintenance', req.on ? 'on' : 'off')], settle: true },
  ],
  verify(req, _before, after) {
    const node = after.nodes.find((n) => n.name === req.node);
    if (!node) return [`${req.node} is gone from the cluster`];
    return node.maintenance === req.on ? [] : [`${node.name} is ${node.maintenance ? 'still' : 'not'} in maintenance`];
  },
};

export const maintenanceMode: OperationDescriptor = {
  kind: 'maintenance-mode',
  title: 'Maintenance mode',
  changes: 'cluster property maintenance-mode',
  target: 'cluster',
  describe: (req) => (req.on ? 'turn maintenance-mode on: Pacemaker stops managing every resource (they keep running)' : 'turn maintenance-mode off: Pacemaker manages the resources again'),
  validate(req, snap) {
    const now = snap.crmMon.summary.options.maintenanceMode === true;
    return now === req.on ? new PcxFailure('no-change', `maintenance-mode is already ${now ? 'on' : 'off'}`, 'Nothing to do.') : undefined;
  },
  phases: (req, _snap, d) => [
    { title: `maintenance-mode ${req.on ? 'on' : 'off'}`, argv: maintenanceModeArgv(d, req.on === true), simulate: [tools.property('maintenance-mode', req.on ? 'true' : 'false')], settle: true },
  ],
  verify(req, _before, after) {
    const now = after.crmMon.summary.options.maintenanceMode === true;
    return now === req.on ? [] : [`maintenance-mode is ${now ? 'on' : 'off'}`];
  },
};
