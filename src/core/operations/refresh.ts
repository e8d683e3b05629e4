/**
 * Refresh: make Pacemaker forget what it knows of a resource's state on every node and probe it again
 * (`crm_resource --refresh`), for when the cluster's view and the node disagree (a resource started or stopped by
 * hand). Unlike cleanup it is about the recorded state, not about failures. The scheduler cannot know beforehand
 * what the probes will find, so the preview simulates no change and says so; the check afterwards is that the
 * resource runs where it ran and no new failure appeared.
 *
 * Sources: `pcs resource refresh` (pcs 0.10+), `crm resource refresh` (crmsh 4), `crm_resource --refresh` (2.0+).
 */
import { PcxFailure } from '../util/result';
import { findTopLevel, requireResource, runningNodes } from './targets';
import type { Backend, OperationDescriptor } from './types';

/** The command per backend (a node name would narrow it; the explorer's rows refresh everywhere). */
export function refreshArgv(backend: Backend, resource: string): string[] {
  switch (backend) {
    case 'pcs':
      return ['pcs', 'resource', 'refresh', resource];
    case 'crmsh':
      return ['crm', 'resource', 'refresh', resource];
    case 'pacemaker':
      return ['crm_resource', '--refresh', '--resource', resource];
  }
}

export const refresh: OperationDescriptor = {
  kind: 'refresh',
  title: 'Refresh',
  changes: 'nothing in the configuration (the recorded state of the resource is read again from every node)',
  target: 'resource',
  describe: (req) => `refresh ${req.resource}: forget its recorded state on every node and probe it again`,
  validate(req, snap) {
    try {
      requireResource(snap, req.resource, 'refresh');
      return undefined;
    } catch (e) {
      if (e instanceof PcxFailure) return e;
      throw e;
    }
  },
  phases(req, snap, d) {
    const id = requireResource(snap, req.resource, 'refresh').id;
    return [{ title: `refresh ${id} (probe it again on every node; the probes' results cannot be predicted)`, argv: refreshArgv(d.backend, id), simulate: [], settle: true }];
  },
  verify(req, before, after) {
    const was = findTopLevel(before, req.resource!);
    const now = findTopLevel(after, req.resource!);
    if (!now) return [`${req.resource} is no longer listed`];
    const out: string[] = [];
    const a = was ? runningNodes(was).join(', ') : '';
    const b = runningNodes(now).join(', ');
    if (a !== b) out.push(`${req.resource} ran on ${a || 'no node'} before and runs on ${b || 'no node'} now: the probes found it elsewhere`);
    const newFailures = after.failures.filter((f) => !before.failures.some((g) => g.resource === f.resource && g.node === f.node && g.task === f.task));
    for (const f of newFailures) out.push(`new failure: ${f.task} of ${f.resource} on ${f.node}`);
    return out;
  },
};
