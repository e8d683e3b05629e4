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

/* ---------------------------------------------------------------------- CIB ---- */

export interface CibOp {
  readonly id?: string;
  readonly name: string;
  readonly interval: string;
  readonly intervalMs?: number;
  readonly timeout?: string;
  readonly role?: Role;
  readonly onFail?: string;
  readonly enabled?: boolean;
  /** Every other attribute (start-delay, record-pending, …) and nested meta/instance nvpairs. */
  readonly extra: Readonly<Record<string, string>>;
}

export interface CibPrimitive {
  readonly kind: 'primitive';
  readonly id: string;
  readonly agent: Agent;
  readonly template?: string;
  readonly description?: string;
  readonly params: Readonly<Record<string, string>>;
  readonly meta: Readonly<Record<string, string>>;
  readonly utilization: Readonly<Record<string, string>>;
  readonly ops: readonly CibOp[];
}

export interface CibGroup {
  readonly kind: 'group';
  readonly id: string;
  readonly description?: string;
  readonly meta: Readonly<Record<string, string>>;
  readonly children: readonly CibPrimitive[];
}

export interface CibClone {
  readonly kind: 'clone';
  readonly id: string;
  readonly description?: string;
  /** meta promotable=true, or the legacy `<master>` element. */
  readonly promotable: boolean;
  /** Written as `<master>` (Pacemaker ≤ 2.0 syntax). */
  readonly legacyMaster: boolean;
  readonly meta: Readonly<Record<string, string>>;
  readonly child?: CibPrimitive | CibGroup;
}

export interface CibBundle {
  readonly kind: 'bundle';
  readonly id: string;
  readonly description?: string;
  readonly runtime?: string;
  readonly image?: string;
  readonly replicas?: number;
  readonly meta: Readonly<Record<string, string>>;
  readonly runtimeOptions: Readonly<Record<string, string>>;
  readonly primitive?: CibPrimitive;
}

export type CibResource = CibPrimitive | CibGroup | CibClone | CibBundle;

export type RuleExpression =
  | { readonly kind: 'attribute'; readonly attribute: string; readonly operation: string; readonly value?: string; readonly type?: string; readonly valueSource?: string }
  | { readonly kind: 'date'; readonly operation: string; readonly start?: string; readonly end?: string }
  | { readonly kind: 'rsc' | 'op'; readonly attrs: Readonly<Record<string, string>> }
  | { readonly kind: 'rule'; readonly rule: Rule }
  | { readonly kind: 'other'; readonly element: string; readonly attrs: Readonly<Record<string, string>> };

export interface Rule {
  readonly id?: string;
  readonly score?: number;
  readonly scoreAttribute?: string;
  readonly booleanOp: 'and' | 'or' | (string & {});
  readonly role?: Role;
  readonly expressions: readonly RuleExpression[];
  /** Human-readable form, e.g. "#uname eq node1 and date gt 2000-01-01". */
  readonly text: string;
}

export interface ResourceSet {
  readonly id?: string;
  readonly resources: readonly string[];
  readonly role?: Role;
  readonly action?: string;
  readonly sequential?: boolean;
  readonly requireAll?: boolean;
  readonly ordering?: string;
  readonly kind?: string;
  readonly score?: number;
}

/** Constraints made by `pcs resource move/ban`, `crm resource move/ban` and left behind. */
export type LeftoverKind = 'cli-prefer' | 'cli-ban';

export interface LocationConstraint {
  readonly type: 'location';
  readonly id: string;
  readonly rsc?: string;
  readonly rscPattern?: string;
  readonly node?: string;
  readonly score?: number;
  readonly scoreText?: string;
  readonly role?: Role;
  readonly resourceDiscovery?: string;
  readonly rules: readonly Rule[];
  readonly sets: readonly ResourceSet[];
  readonly leftover?: LeftoverKind;
}

export interface ColocationConstraint {
  readonly type: 'colocation';
  readonly id: string;
  readonly rsc?: string;
  readonly withRsc?: string;
  readonly rscRole?: Role;
  readonly withRscRole?: Role;
  readonly score?: number;
  readonly scoreText?: string;
  readonly influence?: boolean;
  readonly sets: readonly ResourceSet[];
}

export interface OrderConstraint {
  readonly type: 'order';
  readonly id: string;
  readonly first?: string;
  readonly then?: string;
  readonly firstAction?: string;
  readonly thenAction?: string;
  readonly kind?: string;
  readonly score?: number;
  readonly symmetrical?: boolean;
  readonly requireAll?: boolean;
  readonly sets: readonly ResourceSet[];
}

export interface TicketConstraint {
  readonly type: 'ticket';
  readonly id: string;
  readonly ticket: string;
  readonly rsc?: string;
  readonly rscRole?: Role;
  readonly lossPolicy?: string;
  readonly sets: readonly ResourceSet[];
}

export type Constraint = LocationConstraint | ColocationConstraint | OrderConstraint | TicketConstraint;

export interface CibNode {
  readonly id: string;
  readonly uname: string;
  readonly type?: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly utilization: Readonly<Record<string, string>>;
}

/** A fail count as recorded in the CIB status section (transient node attribute). */
export interface CibFailCount {
  readonly node: string;
  readonly resource: string;
  /** "monitor_10000"; undefined for Pacemaker 1.1's per-resource `fail-count-<rsc>`. */
  readonly operation?: string;
  readonly count: number;
  readonly lastFailure?: string;
}

export interface CibNodeState {
  readonly id: string;
  readonly uname?: string;
  readonly inCcm?: string;
  readonly crmd?: string;
  readonly join?: string;
  readonly expected?: string;
  readonly transientAttributes: Readonly<Record<string, string>>;
}

export interface FencingLevel {
  readonly id?: string;
  readonly index: number;
  readonly target: string;
  readonly devices: readonly string[];
}

export interface CibConfig {
  readonly adminEpoch?: number;
  readonly epoch?: number;
  readonly numUpdates?: number;
  readonly validateWith?: string;
  readonly crmFeatureSet?: string;
  readonly lastWritten?: string;
  readonly dcUuid?: string;
  /** Merged cluster_property_set nvpairs (cib-bootstrap-options first, later sets win only if new). */
  readonly properties: Readonly<Record<string, string>>;
  readonly rscDefaults: Readonly<Record<string, string>>;
  readonly opDefaults: Readonly<Record<string, string>>;
  readonly nodes: readonly CibNode[];
  readonly resources: readonly CibResource[];
  readonly constraints: readonly Constraint[];
  readonly fencingLevels: readonly FencingLevel[];
  readonly tags: readonly { readonly id: string; readonly refs: readonly string[] }[];
  readonly nodeStates: readonly CibNodeState[];
  readonly failCounts: readonly CibFailCount[];
  readonly tickets: readonly { readonly id: string; readonly granted: boolean; readonly standby: boolean; readonly lastGranted?: string }[];
}

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
