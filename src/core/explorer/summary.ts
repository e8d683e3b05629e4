/** The facts the cluster row and the status bar share: nodes online, the headline, and the health report. */
import { assessHealth, type HealthReport } from '../cluster/health';
import { baseResourceId } from '../cluster/names';
import { nodeStateOf } from '../cluster/nodeState';
import { placementOf, primitivesOf } from '../cluster/snapshot';
import type { ClusterSnapshot } from '../cluster/types';
import { healthWithWorkload } from '../workload/report';
import type { ClusterViewState } from './model';

export interface ClusterSummaryLine {
  readonly onlineNodes: number;
  readonly totalNodes: number;
  /** "redis Promoted on node1", or "3/3 resources running" when there is no promotable clone. */
  readonly headline: string;
  readonly health: HealthReport;
}

/** The health of a state's snapshot: the one assessed when it arrived (ClusterViewState.health), else assessed now. */
export function healthOf(state: ClusterViewState & { readonly snapshot: ClusterSnapshot }): HealthReport {
  return state.health ?? healthWithWorkload(state.snapshot, state.workload);
}

export function summarize(s: ClusterSnapshot, health: HealthReport = assessHealth(s)): ClusterSummaryLine {
  const members = s.nodes.filter((n) => n.type === 'member' || n.type === 'unknown');
  const onlineNodes = members.filter((n) => nodeStateOf(n) === 'online').length;
  const promotable = s.resources.find((r) => r.kind === 'clone' && r.promotable);
  let headline: string;
  if (promotable) {
    const name = baseResourceId(primitivesOf([promotable])[0]?.id ?? promotable.id);
    const promoted = placementOf(promotable).find((p) => p.role === 'Promoted')?.nodes.filter(Boolean) ?? [];
    headline = promoted.length > 0 ? `${name} Promoted on ${promoted.join(', ')}` : `${name}: no Promoted instance`;
  } else {
    const prims = primitivesOf(s.resources);
    headline = `${prims.filter((p) => p.active).length}/${prims.length} resources running`;
  }
  return { onlineNodes, totalNodes: members.length, headline, health };
}
