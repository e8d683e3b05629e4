/** What every row builder of one cluster's tree shares: its root id, the snapshot and the CIB definitions by id. */
import { memberNodeNames } from '../../cluster/snapshot';
import type { CibResource, ClusterSnapshot } from '../../cluster/types';

export interface RowContext {
  readonly cluster: string;
  readonly root: string;
  readonly snapshot: ClusterSnapshot;
  readonly defs: ReadonlyMap<string, CibResource>;
  /** The cluster's member nodes, in crm_mon's order (they name a clone's stopped instances). */
  readonly memberNodes: readonly string[];
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

export function rowContext(cluster: string, root: string, snapshot: ClusterSnapshot): RowContext {
  return { cluster, root, snapshot, defs: indexDefinitions(snapshot), memberNodes: memberNodeNames(snapshot) };
}
