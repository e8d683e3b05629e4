/**
 * The workload view: what the services Pacemaker manages say about themselves, next to what Pacemaker says.
 *
 * One small interface, ReplicatedService, is all a database needs to plug in (Redis today; PostgreSQL or MySQL
 * later): which agent it is, which TCP port it listens on, and how to read one node's replication state through
 * a tunnel. Everything else — which nodes to ask, passwords, comparing with Pacemaker's roles, the checks and
 * their wording — is shared (replication.ts, read.ts).
 */
import type { Duplex } from 'node:stream';
import type { HealthReason } from '../cluster/health';
import type { Agent } from '../cluster/types';
import type { PcxError } from '../util/result';

/** How one instance sees itself, in the shared vocabulary (a service's own words are in `ReplicatedService.words`). */
export type ServiceRole = 'primary' | 'replica';

/** One replica as the primary lists it (Redis: `slave0:ip=…,port=…,offset=…`). */
export interface ListedReplica {
  readonly address: string;
  readonly port?: number;
  readonly offset?: number;
  readonly state?: string;
}

/** What a service instance said about its replication (before it is matched to nodes). */
export interface ReplicationState {
  readonly role: ServiceRole;
  /** Where a replica replicates from, as the service says it (a name or an address). */
  readonly sourceHost?: string;
  readonly sourcePort?: number;
  /** Replica: is the link to its primary up. */
  readonly linkUp?: boolean;
  /** Replica: the replication offset it has applied; primary: its own offset. */
  readonly offset?: number;
  /** Primary: the replicas connected to it. */
  readonly replicas?: readonly ListedReplica[];
  /** Replica: a full resync from its primary is running (Redis: `master_sync_in_progress:1`). */
  readonly syncInProgress?: boolean;
  /** Still loading its data set from disk and not serving yet (Redis: `loading:1`). */
  readonly loading?: boolean;
  /** Seconds since the server process started (Redis: `uptime_in_seconds`), when it says. */
  readonly uptimeSeconds?: number;
}

/** The secret a service may need; nothing here is ever written anywhere. */
export interface ReadCredentials {
  readonly password?: string;
}

/**
 * A refusal by the service for lack of (or a wrong) password, so the reader can ask once and try again.
 * Other failures are plain PcxFailures (`redis-unreachable` semantics: down, refused, timed out).
 */
export class AuthRequired extends Error {
  constructor(
    /** A password was given and refused (`WRONGPASS`), rather than none given (`NOAUTH`). */
    readonly wrong: boolean,
    message: string,
  ) {
    super(message);
    this.name = 'AuthRequired';
  }
}

/** The plug-in interface for a replicated database that Pacemaker runs as a promotable clone. */
export interface ReplicatedService {
  /** Short id used in check codes: `workload/${kind}-split-brain`. */
  readonly kind: string;
  /** For messages: "Redis". */
  readonly label: string;
  /** The service's own words for the roles ("master"/"replica"). */
  readonly words: Readonly<Record<ServiceRole, string>>;
  /** Does a promotable clone of this agent run this service? */
  matches(agent: Agent): boolean;
  /** The TCP port each node's instance listens on, from the primitive's instance attributes. */
  port(params: Readonly<Record<string, string>>): number;
  /** Commands a person runs on a node, for the fixes in messages. */
  readonly commands: {
    inspect(port: number): string;
    /** Make the instance on this node a replica of `primary`. */
    follow(primary: string, port: number): string;
    /** Where its log is. */
    readonly log: string;
  };
  /** Read one instance over `stream` (a tunnel to it). Throws AuthRequired or a PcxFailure. */
  read(stream: Duplex, credentials: ReadCredentials, timeoutMs: number): Promise<ReplicationState>;
}

/** One node's instance, next to Pacemaker's role for it. */
export interface InstanceView {
  readonly node: string;
  /** Pacemaker's role on this node: Promoted, Unpromoted, Started, or Stopped (no instance there). */
  readonly pacemakerRole: string;
  /**
   * `up`: read; `down`: nothing listens, and Pacemaker says it is stopped there (expected);
   * `unreachable`: not readable where Pacemaker runs it, or the node could not be reached;
   * `auth-needed`: it asks for a password we do not have (or refused the one we have).
   */
  readonly state: 'up' | 'down' | 'unreachable' | 'auth-needed';
  readonly replication?: ReplicationState;
  /** `replication.sourceHost` matched to a node name (by name or by the node's addresses). */
  readonly sourceNode?: string;
  /** Replica: bytes behind its primary (primary's offset − its offset), when the primary was read too. */
  readonly lagBytes?: number;
  /** Why it is not `up`. Never holds a secret. */
  readonly problem?: PcxError;
  /** Seconds since Pacemaker gave this node its current role, when a long-running reader saw the change (settling.ts). */
  readonly roleAgeSeconds?: number;
}

export interface ServiceView {
  readonly kind: string;
  readonly label: string;
  readonly words: Readonly<Record<ServiceRole, string>>;
  /** The promotable clone ("redis-clone") and its primitive ("redis"). */
  readonly resource: string;
  readonly primitive: string;
  readonly port: number;
  readonly instances: readonly InstanceView[];
}

/** Where a virtual IP really is, next to where Pacemaker says it is. */
export interface VipView {
  readonly resource: string;
  readonly ip: string;
  /** Where Pacemaker runs it. */
  readonly pacemakerNodes: readonly string[];
  /** Nodes whose interfaces hold the address right now (with the interface). */
  readonly actual: readonly { readonly node: string; readonly nic: string; readonly prefix: number }[];
  /** Nodes whose addresses could not be read (so `actual` may be incomplete). */
  readonly unknown: readonly string[];
}

/** Timing of one node's reads, for the log and the bench. */
export interface NodeReadInfo {
  readonly node: string;
  readonly host?: string;
  readonly ms: number;
  readonly problem?: PcxError;
}

export interface WorkloadReport {
  readonly services: readonly ServiceView[];
  readonly vips: readonly VipView[];
  /** The workload/* checks that did not pass. */
  readonly reasons: readonly HealthReason[];
  readonly nodes: readonly NodeReadInfo[];
  /** Wall time of the whole read. */
  readonly ms: number;
}
