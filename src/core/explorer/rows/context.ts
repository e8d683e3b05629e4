/** What every row builder of one cluster's tree shares: its root id, the snapshot and the CIB definitions by id. */
import { memberNodeNames } from '../../cluster/snapshot';
import type { HealthReason } from '../../cluster/health';
import type { CibResource, ClusterSnapshot } from '../../cluster/types';
import type { WorkloadReport } from '../../workload/types';

export interface RowContext {
  readonly cluster: string;
  readonly root: string;
  readonly snapshot: ClusterSnapshot;
  readonly defs: ReadonlyMap<string, CibResource>;
  /** The cluster's member nodes, in crm_mon's order (they name a clone's stopped instances). */
  readonly memberNodes: readonly string[];
  /** The workload read that goes with this snapshot, if any. */
  readonly workload?: WorkloadReport;
}

/** The workload checks about a resource (its id) or about one node of it (`workload/<kind>-…` on that node). */
export function workloadReasonsFor(ctx: RowContext, subject: string, kind?: string): HealthReason[] {
  return (ctx.workload?.reasons ?? []).filter((r) => r.subject === subject && (!kind || r.code.startsWith(`workload/${kind}-`)));
}

function indexDefinitions(s: ClusterSnapshot): Map<string, CibResource> {
  const map = new Map<string, CibResource>();
  const add = (d: CibResource): void => {
    map.set(d.id, d);
    if (d.kind === 'group') d.children.forEach(add);
    if (d.kind === 'clone' && d.child) add(d.child);
    if (d.kind === 'bundle' && d.primitive) add(d.primitive);
  };
  (s.cib?.resources ?? []).forEach(add);
  return map;
}

export function rowContext(cluster: string, root: string, snapshot: ClusterSnapshot, workload?: WorkloadReport): RowContext {
  return { cluster, root, snapshot, defs: indexDefinitions(snapshot), memberNodes: memberNodeNames(snapshot), workload };
}
