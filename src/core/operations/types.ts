/**
 * Cluster operations as data. An operation (cleanup, switchover, standby…) is a descriptor that, given a request
 * and the current snapshot, yields phases: each phase is one command line (argv for the chosen backend), the same
 * change spelled with Pacemaker's own tools for the preview (applied to a copy of the CIB through CIB_file), and
 * whether to wait for the cluster to settle afterwards. Nothing here runs anything: preview.ts and execute.ts do.
 */
import type { ClusterSnapshot } from '../cluster/types';
import type { PcxFailure } from '../util/result';

/** Which command-line tool family speaks for the operation on the node. */
export type Backend = 'pcs' | 'crmsh' | 'pacemaker';
export const BACKENDS: readonly Backend[] = ['pcs', 'crmsh', 'pacemaker'];

/** How the chosen backend spells things on this cluster's versions. */
export interface Dialect {
  readonly backend: Backend;
  /** crm_resource's / pcs's role option: `--promoted` (Pacemaker 2.1+, pcs 0.11) or `--master` (older). */
  readonly promotedFlag: '--promoted' | '--master';
  /** The Promoted role as the CIB schema of this Pacemaker spells it in constraints. */
  readonly promotedRole: 'Promoted' | 'Master';
  /** pcs's version as [major, minor] when the backend is pcs. */
  readonly pcsVersion?: readonly [number, number];
}

export type OperationKind =
  | 'cleanup'
  | 'refresh'
  | 'switchover'
  | 'failover'
  | 'move'
  | 'ban'
  | 'clear'
  | 'standby'
  | 'unstandby'
  | 'node-maintenance'
  | 'maintenance-mode'
  | 'restart'
  | 'enable'
  | 'disable'
  | 'manage'
  | 'unmanage'
  | 'node-stop'
  | 'node-start'
  | 'cluster-stop'
  | 'cluster-start';

export interface OperationRequest {
  readonly kind: OperationKind;
  /** The resource as configured (a clone's id for a promotable clone: "redis-clone"). */
  readonly resource?: string;
  /** cleanup --node, move/switchover --to, ban --from, the node of standby/unstandby/node-maintenance. */
  readonly node?: string;
  /** maintenance on (true) or off (false). */
  readonly on?: boolean;
  /** Keep the cli- constraint a move or switchover created (it is cleared once the cluster settled otherwise). */
  readonly keepConstraint?: boolean;
  /** Ordered start: the node to start first (default: where the promotable clone was last Promoted). */
  readonly first?: string;
}

/**
 * What a step of a start or stop of the cluster services waits for, instead of the settle check (see
 * src/core/cluster/startup.ts): polled on node `on` until it holds or the settle timeout runs out.
 */
export type StartupWait =
  | { readonly kind: 'quorum'; readonly on: string }
  | { readonly kind: 'ready-on-first'; readonly on: string }
  | { readonly kind: 'joined'; readonly on: string; readonly nodes: readonly string[] }
  | { readonly kind: 'settled'; readonly on: string; readonly nodes: readonly string[] }
  | { readonly kind: 'stopped'; readonly on: string };

/** One step of an operation. */
export interface Phase {
  /** What it does, in words ("ban the Promoted role of redis-clone from node1"). */
  readonly title: string;
  /** The command for the chosen backend. */
  readonly argv: readonly string[];
  /**
   * The same change spelled with Pacemaker's tools, each run as `env CIB_file=COPY argv…` on the preview's copy of
   * the CIB. Empty when the step changes nothing the scheduler reads (it is then simulated as "no change").
   */
  readonly simulate: readonly (readonly string[])[];
  /** Wait for the cluster to settle after this step (crm_resource --wait, then the prediction is checked). */
  readonly settle: boolean;
  /** Runs even when an earlier step failed or its wait ran out: removing a constraint this operation created. */
  readonly always?: boolean;
  /** Why this step uses another tool than the chosen backend, when it does. */
  readonly note?: string;
  /** The node whose shell runs the command (default: the plan's host); cluster services start and stop on their node. */
  readonly runOn?: string;
  /** The node that reads the cluster for this step's settle check (default: the plan's host). */
  readonly settleOn?: string;
  /** Options for this step's crm_simulate run, for changes no tool applies to a CIB copy (`--node-down=node1`). */
  readonly simulateFlags?: readonly string[];
  /** A startup/shutdown wait instead of the settle check. */
  readonly wait?: StartupWait;
}

export interface OperationDescriptor {
  readonly kind: OperationKind;
  /** "Switchover". */
  readonly title: string;
  /** What it changes: "roles", "placement", "failure history", "node attribute", "cluster property", "resource meta". */
  readonly changes: string;
  readonly target: 'resource' | 'node' | 'cluster';
  /** The request in words: "make redis-clone Promoted on node2". */
  describe(req: OperationRequest): string;
  /** A failure when the request makes no sense for this cluster (unknown resource, primitive switchover, …). */
  validate(req: OperationRequest, snap: ClusterSnapshot): PcxFailure | undefined;
  phases(req: OperationRequest, snap: ClusterSnapshot, dialect: Dialect): Phase[];
  /** Once finished, what must hold; each unmet condition as a sentence (empty: verified). */
  verify(req: OperationRequest, before: ClusterSnapshot, after: ClusterSnapshot): string[];
}
