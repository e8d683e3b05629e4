/**
 * The cluster model: immutable, JSON-serialisable snapshot types.
 *
 * Three layers:
 *  - CrmMonStatus: what `crm_mon --output-as=xml` says (runtime state), any format version;
 *  - CibConfig: what `cibadmin -Q` says (configuration, plus what its status section adds);
 *  - ClusterSnapshot: the two joined (definitions, fail counts, leftover constraints, VIPs).
 * Everything is plain data (no classes, no Maps, no Dates) so it survives JSON.stringify and
 * postMessage unchanged; timestamps stay the strings Pacemaker printed.
 * Roles are normalised to Pacemaker 2.1+ names (Promoted/Unpromoted) everywhere.
 */


export * from './crmMonTypes';
export * from './cibTypes';
import type { NodeStatus, ResourceStatus, CrmMonStatus, FailedAction, Ban, NodeAttribute } from './crmMonTypes';
import type { LocationConstraint, CibConfig } from './cibTypes';

/* ----------------------------------------------------------------- snapshot ---- */

export interface NodeView extends NodeStatus {
  /** Transient attributes as crm_mon printed them (pingd, master-redis…). */
  readonly attributes: readonly NodeAttribute[];
  /** Permanent attributes from the CIB `<nodes>` section (standby=on, site…). */
  readonly cibAttributes: Readonly<Record<string, string>>;
}

export interface FailCount {
  readonly node: string;
  readonly resource: string;
  readonly failCount: number;
  readonly migrationThreshold?: number;
  readonly lastFailure?: string;
  /** failCount reached migration-threshold: the resource may not run on this node until cleaned up. */
  readonly thresholdReached: boolean;
}

export interface VirtualIp {
  readonly resource: string;
  readonly ip?: string;
  readonly cidrNetmask?: string;
  readonly nic?: string;
  readonly nodes: readonly string[];
  readonly active: boolean;
  /** Colocation with a promotable clone's Promoted role, when configured (e.g. "redis-clone"). */
  readonly followsPromotedOf?: string;
}

export interface ClusterSnapshot {
  readonly clusterName?: string;
  /** Host that answered (live) or the file name read. */
  readonly source?: string;
  readonly pacemakerVersion?: string;
  readonly crmMon: CrmMonStatus;
  readonly cib?: CibConfig;
  readonly nodes: readonly NodeView[];
  /** crm_mon's resource tree with disabled/target-role completed from the CIB meta. */
  readonly resources: readonly ResourceStatus[];
  readonly failures: readonly FailedAction[];
  readonly failCounts: readonly FailCount[];
  readonly leftoverConstraints: readonly LocationConstraint[];
  readonly bans: readonly Ban[];
  readonly vips: readonly VirtualIp[];
  readonly properties: Readonly<Record<string, string>>;
}
