/**
 * What `crm_mon --output-as=xml` says (runtime state), any format version: see types.ts for the whole model.
 */
/** Pacemaker 2.1+ role names; unknown spellings are kept as printed. */
export type Role = 'Started' | 'Stopped' | 'Promoted' | 'Unpromoted' | 'Unknown' | (string & {});

/** A resource agent, from "ocf:heartbeat:IPaddr2", legacy "ocf::heartbeat:IPaddr2", "stonith:fence_xvm", "lsb:exim". */
export interface Agent {
  readonly standard: string;
  readonly provider?: string;
  readonly type: string;
  /** Normalised "class:provider:type" (or "class:type"). */
  readonly name: string;
}

/* ------------------------------------------------------------------ crm_mon ---- */

export interface ClusterOptions {
  readonly stonithEnabled?: boolean;
  readonly symmetricCluster?: boolean;
  readonly noQuorumPolicy?: string;
  readonly maintenanceMode?: boolean;
  readonly stopAllResources?: boolean;
  /** Every attribute of `<cluster_options>` as printed (newer/unknown ones included). */
  readonly raw: Readonly<Record<string, string>>;
}

export interface ClusterSummary {
  readonly stack?: string;
  readonly pacemakerdState?: string;
  readonly dcPresent: boolean;
  readonly dc?: { readonly name: string; readonly id: string; readonly version: string };
  /** undefined when crm_mon did not say (no DC: quorum unknown). */
  readonly withQuorum?: boolean;
  readonly mixedVersion?: boolean;
  readonly lastUpdate?: string;
  readonly lastChange?: { readonly time: string; readonly user?: string; readonly client?: string; readonly origin?: string };
  readonly nodesConfigured?: number;
  readonly expectedVotes?: number;
  readonly resourcesConfigured?: number;
  readonly resourcesDisabled?: number;
  readonly resourcesBlocked?: number;
  readonly options: ClusterOptions;
}

export interface NodeAttribute {
  readonly name: string;
  readonly value: string;
  readonly expected?: string;
}

export interface NodeStatus {
  readonly name: string;
  readonly id: string;
  readonly type: 'member' | 'remote' | 'ping' | 'unknown' | (string & {});
  readonly online: boolean;
  readonly standby: boolean;
  readonly standbyOnFail: boolean;
  readonly maintenance: boolean;
  readonly pending: boolean;
  readonly unclean: boolean;
  readonly shutdown: boolean;
  readonly expectedUp: boolean;
  readonly isDc: boolean;
  readonly resourcesRunning: number;
  readonly health?: string;
  readonly featureSet?: string;
  /** For guest/bundle nodes: the resource that runs them. */
  readonly idAsResource?: string;
  /** Resources crm_mon listed under this node (only with --group-by-node). */
  readonly resources: readonly ResourceStatus[];
}

export interface ResourceLocation {
  readonly name: string;
  readonly id: string;
  readonly cached: boolean;
}

export interface PrimitiveStatus {
  readonly kind: 'primitive';
  /** As crm_mon prints it: "ping" (anonymous clone instance), "ping:1" (unique), "redis". */
  readonly id: string;
  readonly agent: Agent;
  readonly role: Role;
  readonly targetRole?: Role;
  readonly active: boolean;
  readonly orphaned: boolean;
  readonly blocked: boolean;
  readonly managed: boolean;
  readonly maintenance: boolean;
  readonly failed: boolean;
  readonly failureIgnored: boolean;
  /** target-role Stopped (crm_mon's target_role, or the CIB meta when joined). */
  readonly disabled: boolean;
  readonly nodesRunningOn: number;
  readonly nodes: readonly ResourceLocation[];
  /** An action in flight ("Monitoring", "Starting"…), when record-pending is on. */
  readonly pending?: string;
  readonly lockedTo?: string;
  readonly description?: string;
}

export interface GroupStatus {
  readonly kind: 'group';
  readonly id: string;
  readonly numberResources: number;
  readonly managed: boolean;
  readonly disabled: boolean;
  readonly maintenance: boolean;
  readonly description?: string;
  readonly children: readonly PrimitiveStatus[];
}

export interface CloneStatus {
  readonly kind: 'clone';
  readonly id: string;
  /** multi_state="true": a promotable clone (Pacemaker 1.1's "Master/Slave Set"). */
  readonly promotable: boolean;
  readonly unique: boolean;
  readonly managed: boolean;
  readonly disabled: boolean;
  readonly failed: boolean;
  readonly failureIgnored: boolean;
  readonly maintenance: boolean;
  readonly targetRole?: Role;
  readonly description?: string;
  /** One entry per clone instance: a primitive, or a group for cloned groups. */
  readonly instances: readonly (PrimitiveStatus | GroupStatus)[];
}

export interface BundleReplica {
  readonly id: string;
  readonly resources: readonly PrimitiveStatus[];
}

export interface BundleStatus {
  readonly kind: 'bundle';
  readonly id: string;
  readonly type: string;
  readonly image: string;
  readonly unique: boolean;
  readonly managed: boolean;
  readonly failed: boolean;
  readonly maintenance: boolean;
  readonly description?: string;
  readonly replicas: readonly BundleReplica[];
}

export type ResourceStatus = PrimitiveStatus | GroupStatus | CloneStatus | BundleStatus;

export interface OperationHistory {
  readonly call: string;
  readonly task: string;
  readonly intervalMs?: number;
  readonly rc: number;
  readonly rcText: string;
  readonly lastRcChange?: string;
  readonly lastRun?: string;
  readonly execTimeMs?: number;
  readonly queueTimeMs?: number;
}

export interface ResourceHistory {
  readonly node: string;
  readonly resource: string;
  readonly orphaned: boolean;
  readonly migrationThreshold?: number;
  /** Failures counted against migration-threshold (INFINITY = 1000000). */
  readonly failCount?: number;
  readonly lastFailure?: string;
  readonly operations: readonly OperationHistory[];
}

export interface FailedAction {
  /** "redis_demote_0" */
  readonly opKey: string;
  /** Resource id as recorded (a clone instance may carry ":0"). */
  readonly resource: string;
  readonly task: string;
  readonly intervalMs: number;
  readonly node: string;
  /** OCF exit code (rc). */
  readonly exitCode: number;
  /** rc as text: "not running", "Unimplemented"… */
  readonly exitStatus: string;
  readonly exitReason: string;
  /** Execution status: "complete", "Timed Out", "Error"… */
  readonly status: string;
  readonly call: string;
  readonly lastRcChange?: string;
  readonly queuedMs?: number;
  readonly execMs?: number;
}

export interface FenceEvent {
  readonly target: string;
  readonly action: string;
  /** "success" | "failed" | "pending" (legacy `state` is mapped here). */
  readonly status: string;
  readonly extendedStatus?: string;
  readonly exitReason?: string;
  readonly delegate?: string;
  readonly client?: string;
  readonly origin?: string;
  readonly completed?: string;
}

export interface TicketStatus {
  readonly id: string;
  readonly status?: 'granted' | 'revoked' | (string & {});
  readonly standby: boolean;
  readonly lastGranted?: string;
}

export interface Ban {
  readonly id: string;
  readonly resource: string;
  readonly node: string;
  readonly weight: number;
  readonly promotedOnly: boolean;
}

export interface CrmMonStatus {
  /** `pacemaker-result` (Pacemaker 2.0.3+), or the older `<crm_mon version=…>` root. */
  readonly format: 'pacemaker-result' | 'legacy-crm_mon';
  /** api-version of pacemaker-result ("2.25"; "X" in upstream regression outputs). */
  readonly apiVersion?: string;
  /** version attribute of the legacy `<crm_mon>` root. */
  readonly crmMonVersion?: string;
  readonly request?: string;
  readonly summary: ClusterSummary;
  readonly nodes: readonly NodeStatus[];
  /** false when crm_mon printed no <nodes> section (e.g. --exclude=nodes): `nodes` is then empty, not "no nodes". */
  readonly nodesIncluded: boolean;
  readonly resources: readonly ResourceStatus[];
  readonly nodeAttributes: readonly { readonly node: string; readonly attributes: readonly NodeAttribute[] }[];
  readonly history: readonly ResourceHistory[];
  readonly failures: readonly FailedAction[];
  /** undefined when crm_mon printed no fencing history (it is optional). */
  readonly fenceHistory?: readonly FenceEvent[];
  readonly tickets: readonly TicketStatus[];
  readonly bans: readonly Ban[];
  readonly resultStatus?: { readonly code: number; readonly message: string };
  /** Element names directly under the root that this model does not know (tolerated, listed). */
  readonly unknownSections: readonly string[];
}
