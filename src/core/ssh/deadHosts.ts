/**
 * A short-lived memory of hosts found dead during one read, shared by everything that reads the same cluster over
 * the same pool (the status read, the workload read, the operation preview, the log readers): a host that did not
 * answer a moment ago is not waited on again by the next reader of the same call; it is retried in the background
 * (the pool keeps its connect going, or starts one) and forgotten the moment it answers, or after `ttlMs`.
 *
 * Two kinds: `transport` (no TCP connection, or sshd stopped answering: every SSH reader would wait) and the
 * cluster tools hanging on a host whose SSH works (only readers that run cluster commands should go elsewhere;
 * reading Redis or `ip addr` there still works).
 */
import { PcxFailure } from '../util/result';

export interface DeadHost {
  /** What the host did, as first reported (unreachable / not answering / refused). */
  readonly failure: PcxFailure;
  /** No SSH at all (true), or only its cluster tools hang (false). */
  readonly transport: boolean;
  /** When it was found dead (ms since epoch). */
  readonly since: number;
  readonly until: number;
}

/** How long a host stays "dead" without news: long enough for one call's readers, short enough to notice a return. */
export const DEAD_HOST_TTL_MS = 30_000;

export class DeadHosts {
  private readonly entries = new Map<string, DeadHost>();

  constructor(
    private readonly ttlMs = DEAD_HOST_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  mark(key: string, failure: PcxFailure, transport: boolean): void {
    const was = this.entries.get(key);
    const t = this.now();
    // A transport death is the stronger news: a later "tools hang" report of the same host must not weaken it.
    const keepTransport = was !== undefined && was.transport && !transport && t < was.until;
    this.entries.set(key, { failure: keepTransport ? was.failure : failure, transport: keepTransport || transport, since: was && t < was.until ? was.since : t, until: t + this.ttlMs });
  }

  get(key: string): DeadHost | undefined {
    const e = this.entries.get(key);
    if (e && this.now() >= e.until) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }

  clear(key: string): void {
    this.entries.delete(key);
  }

  /** The failure to give a reader that asks for a dead host instead of waiting on it again. */
  failureFor(key: string): PcxFailure | undefined {
    const e = this.get(key);
    if (!e) return undefined;
    const ago = Math.max(0, Math.round((this.now() - e.since) / 1000));
    const f = e.failure;
    return new PcxFailure(f.code, `${f.message} (found ${ago} s ago in this read; not waited on again, retried in the background)`, f.hint, f.host, f.remedy);
  }
}
