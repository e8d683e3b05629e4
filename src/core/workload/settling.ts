/**
 * Say only what is known: an instance that is still starting or syncing is not (yet) a split brain or a broken
 * link. A Redis that Pacemaker has just started comes up as a master with no replicas for a second or two, until
 * the agent makes it a replica; then its link is down until it has connected and synced. These rules tell that
 * from the real thing, with the service's own words (`loading`, `master_sync_in_progress`, `master_link_status`,
 * its uptime) and the time since Pacemaker gave the node its current role. Past SETTLE_SECONDS it counts again.
 */
import { baseResourceId } from '../cluster/names';
import type { ClusterSnapshot } from '../cluster/types';
import type { InstanceView, ReplicationState } from './types';

/** How long a (re)started or re-roled instance may take to settle before it counts as a split brain or a link down. */
export const SETTLE_SECONDS = 30;

/** Roles crm_mon prints while an action runs (record-pending). */
const TRANSITIONAL = new Set(['Starting', 'Stopping', 'Promoting', 'Demoting', 'Migrating']);

/**
 * When each node's Pacemaker role for a resource last changed, as seen by a long-running reader (the explorer,
 * `pcx status --watch`). One-shot reads have none; the service's uptime stands in.
 */
export class RoleClock {
  private readonly seen = new Map<string, { role: string; since: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Record the roles of one snapshot (node → role); returns node → seconds since that role began. */
  observe(resource: string, roles: ReadonlyMap<string, string>): Map<string, number> {
    const t = this.now();
    const ages = new Map<string, number>();
    for (const [node, role] of roles) {
      const key = `${resource}\u0000${node}`;
      const was = this.seen.get(key);
      // The first sighting has no known start: it is at least as old as our first look, not "just now".
      if (!was) this.seen.set(key, { role, since: Number.NEGATIVE_INFINITY });
      else if (was.role !== role) this.seen.set(key, { role, since: t });
      const since = this.seen.get(key)!.since;
      if (Number.isFinite(since)) ages.set(node, (t - since) / 1000);
    }
    return ages;
  }
}

/**
 * For a one-shot read (no RoleClock): seconds since Pacemaker last started, promoted or demoted `primitive` on each
 * node, from crm_mon's operation history, measured against crm_mon's own "last updated" time (the same node's clock
 * and format, so no clock skew between us and the node). Nodes without such an operation are left out.
 */
export function roleAgesFromHistory(s: ClusterSnapshot, primitive: string): Map<string, number> {
  const ages = new Map<string, number>();
  const now = Date.parse(s.crmMon.summary.lastUpdate ?? '');
  if (!Number.isFinite(now)) return ages;
  for (const h of s.crmMon.history) {
    if (baseResourceId(h.resource) !== primitive) continue;
    for (const op of h.operations) {
      if (op.intervalMs || !['start', 'promote', 'demote'].includes(op.task) || op.rc !== 0) continue;
      const at = Date.parse(op.lastRcChange ?? '');
      if (!Number.isFinite(at)) continue;
      const age = Math.max(0, (now - at) / 1000);
      if (!ages.has(h.node) || age < ages.get(h.node)!) ages.set(h.node, age);
    }
  }
  return ages;
}

export interface Settling {
  /** Short words for labels and messages: "starting (up 1 s)", "syncing from its master". */
  readonly words: string;
}

/** Why an instance counts as still settling, or undefined when it has settled (or said nothing that tells). */
export function settlingOf(i: InstanceView): Settling | undefined {
  const r: ReplicationState | undefined = i.replication;
  if (i.state !== 'up' || !r) return undefined;
  const young = r.uptimeSeconds !== undefined && r.uptimeSeconds < SETTLE_SECONDS;
  const reroled = i.roleAgeSeconds !== undefined && i.roleAgeSeconds < SETTLE_SECONDS;
  const up = r.uptimeSeconds !== undefined ? `up ${r.uptimeSeconds} s` : undefined;
  const since = i.roleAgeSeconds !== undefined && reroled ? `Pacemaker role ${i.pacemakerRole} for ${Math.round(i.roleAgeSeconds)} s` : undefined;
  const why = (what: string): Settling => ({ words: [what, [up, since].filter(Boolean).join(', ')].filter(Boolean).join(' · ') });
  if (r.loading) return why('loading its data');
  if (r.role === 'primary') {
    // A master that Pacemaker does not have Promoted and that no replica follows: one just started, before the agent re-points it.
    if (i.pacemakerRole === 'Promoted' || (r.replicas?.length ?? 0) > 0) return undefined;
    // Not `reroled`: Pacemaker's demote makes Redis a replica within the action itself (Demoting), so a master
    // that stays one after a role change is not settling — the one split brain that must not wait.
    if (TRANSITIONAL.has(i.pacemakerRole) || young) return why('starting');
    return undefined;
  }
  if (r.syncInProgress) return why('syncing from its master');
  if (!r.linkUp && (TRANSITIONAL.has(i.pacemakerRole) || young || reroled)) return why('connecting to its master');
  return undefined;
}
