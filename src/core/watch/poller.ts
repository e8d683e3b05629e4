/**
 * ClusterPoller: keeps one cluster's status fresh while somebody is looking, for the cost of one
 * tiny command per interval while nothing changes.
 *
 * Design:
 *  - Runs only while `visible`; hidden → no timer, no commands (an in-flight tick finishes, then stops).
 *  - Each tick either *probes* (the CIB version triple `admin_epoch:epoch:num_updates`, ~8 ms on a node)
 *    or *fetches* (crm_mon XML + CIB). It fetches when there is no data yet, when the probed version
 *    differs from the one last fetched, when a manual refresh was asked for, and every
 *    `fullRefreshMs` anyway (fencing history and some crm_mon fields are not covered by the CIB version).
 *  - Ticks never overlap: the next one is scheduled when the current one has finished.
 *  - Host fallback: the host that answered last is tried first, then the others in order. If every
 *    host fails, the error is reported and the next tick is delayed with exponential backoff
 *    (probeMs · 2^n, capped at maxBackoffMs). The first success after failures forces a fetch.
 *  - Everything time-related goes through the injected `clock`, so tests drive it without waiting.
 */

import { cibVersionFromText, cibVersionKey } from '../remote/commands';

export interface PollerClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: PollerClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** What a fetch returns: the data plus the CIB version it reflects (from the `<cib>` tag of the CIB read). */
export interface Fetched<T> {
  readonly value: T;
  readonly version: string;
}

export type UpdateReason = 'initial' | 'changed' | 'periodic' | 'manual' | 'recovered';

export interface PollerOptions<T> {
  /** Hosts in the user's order; the poller remembers which one answered last. */
  readonly hosts: readonly string[];
  /** The cheap change check: the CIB version triple as one string. */
  probe(host: string): Promise<string>;
  /** The full read (crm_mon XML + CIB). */
  fetch(host: string, reason: UpdateReason): Promise<Fetched<T>>;
  onUpdate(value: T, info: { readonly host: string; readonly version: string; readonly reason: UpdateReason }): void;
  onError(error: unknown, info: { readonly failures: readonly { host: string; error: unknown }[]; readonly consecutiveFailures: number; readonly retryInMs: number }): void;
  /** Debug-level trace (one line per command); optional. */
  log?(message: string): void;
  readonly clock?: PollerClock;
  /** Probe interval while healthy (default 1000 ms). */
  readonly probeMs?: number;
  /** Unconditional full refresh interval (default 15000 ms). */
  readonly fullRefreshMs?: number;
  /** Ceiling of the error backoff (default 30000 ms). */
  readonly maxBackoffMs?: number;
}

export interface PollerStats {
  probes: number;
  fetches: number;
  errors: number;
  ticks: number;
}

export class ClusterPoller<T> {
  private readonly clock: PollerClock;
  private readonly probeMs: number;
  private readonly fullRefreshMs: number;
  private readonly maxBackoffMs: number;
  private hostOrder: string[];
  private visible = false;
  private disposed = false;
  private running = false;
  private timer: unknown;
  private lastVersion: string | undefined;
  private lastFetchAt: number | undefined;
  private manualPending = false;
  private consecutiveFailures = 0;
  /** Counters for tests, the bench and the debug log. */
  readonly stats: PollerStats = { probes: 0, fetches: 0, errors: 0, ticks: 0 };

  constructor(private readonly opts: PollerOptions<T>) {
    if (opts.hosts.length === 0) throw new Error('ClusterPoller needs at least one host');
    this.clock = opts.clock ?? systemClock;
    this.probeMs = Math.max(100, opts.probeMs ?? 1000);
    this.fullRefreshMs = Math.max(this.probeMs, opts.fullRefreshMs ?? 15_000);
    this.maxBackoffMs = Math.max(this.probeMs, opts.maxBackoffMs ?? 30_000);
    this.hostOrder = [...opts.hosts];
  }

  get isVisible(): boolean {
    return this.visible;
  }

  /** The host tried first on the next tick (the one that answered last). */
  get currentHost(): string {
    return this.hostOrder[0]!;
  }

  /** Start (visible) or stop (hidden) polling. Becoming visible ticks at once. */
  setVisible(visible: boolean): void {
    if (this.disposed || visible === this.visible) return;
    this.visible = visible;
    if (visible) {
      this.schedule(0);
    } else {
      this.cancelTimer();
    }
  }

  /** Fetch everything now (the Refresh command, Retry): also resets the error backoff. */
  refresh(): void {
    if (this.disposed) return;
    this.manualPending = true;
    this.consecutiveFailures = 0;
    if (!this.running) this.schedule(0);
  }

  dispose(): void {
    this.disposed = true;
    this.visible = false;
    this.cancelTimer();
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(ms: number): void {
    this.cancelTimer();
    // A manual refresh runs even while hidden (the user asked); periodic ticks only while visible.
    if (this.disposed || (!this.visible && !this.manualPending)) return;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      void this.tick();
    }, ms);
  }

  /** One probe-or-fetch round, with host fallback. Exposed for tests; normally timer-driven. */
  async tick(): Promise<void> {
    if (this.running || this.disposed) return;
    this.running = true;
    this.stats.ticks++;
    let next = this.probeMs;
    try {
      const failures: { host: string; error: unknown }[] = [];
      for (const host of [...this.hostOrder]) {
        try {
          await this.pollHost(host);
          this.preferHost(host);
          this.consecutiveFailures = 0;
          failures.length = 0;
          break;
        } catch (error) {
          failures.push({ host, error });
          this.opts.log?.(`poll ${host} failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      if (failures.length > 0 && !this.disposed) {
        this.stats.errors++;
        this.consecutiveFailures++;
        this.lastVersion = undefined; // after recovery, fetch instead of trusting an old version
        this.manualPending = false;
        next = Math.min(this.maxBackoffMs, this.probeMs * 2 ** (this.consecutiveFailures - 1));
        const last = failures[failures.length - 1]!.error;
        this.opts.onError(last, { failures, consecutiveFailures: this.consecutiveFailures, retryInMs: next });
      }
    } finally {
      this.running = false;
      if (!this.disposed) this.schedule(this.manualPending ? 0 : next);
    }
  }

  private async pollHost(host: string): Promise<void> {
    const now = this.clock.now();
    let reason: UpdateReason | undefined;
    if (this.manualPending) reason = 'manual';
    else if (this.lastFetchAt === undefined) reason = 'initial';
    else if (this.lastVersion === undefined) reason = 'recovered';
    else if (now - this.lastFetchAt >= this.fullRefreshMs) reason = 'periodic';
    if (reason === undefined) {
      this.stats.probes++;
      const version = await this.opts.probe(host);
      if (this.disposed) return;
      this.opts.log?.(`probe ${host}: ${version}`);
      if (version === this.lastVersion) return;
      reason = 'changed';
    }
    this.manualPending = false;
    this.stats.fetches++;
    const fetched = await this.opts.fetch(host, reason);
    // Disposed while the read ran (cluster removed or redefined): its answer goes nowhere.
    if (this.disposed) return;
    this.opts.log?.(`fetch ${host} (${reason}): ${fetched.version}`);
    this.lastVersion = fetched.version;
    this.lastFetchAt = this.clock.now();
    this.opts.onUpdate(fetched.value, { host, version: fetched.version, reason });
  }

  private preferHost(host: string): void {
    if (this.hostOrder[0] === host) return;
    this.hostOrder = [host, ...this.hostOrder.filter((h) => h !== host)];
  }
}

/** The version key ("admin_epoch:epoch:num_updates") of a whole CIB, or undefined when it has no `<cib>` tag. */
export function cibVersionOf(xml: string): string | undefined {
  const v = cibVersionFromText(xml);
  return v && cibVersionKey(v);
}
