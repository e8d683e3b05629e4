/**
 * What `cibadmin -Q` says (configuration, plus what its status section adds): see types.ts for the whole model.
 */
import type { Role, Agent } from './crmMonTypes';

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
