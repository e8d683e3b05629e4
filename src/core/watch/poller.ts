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
 *  - Host fallback: hosts are asked in the user's order (configured ones first, then fallbacks added
 *    with addHosts, e.g. nodes discovered from the cluster), skipping hosts whose last attempt failed.
 *    A host that fails (timeout, dead connection, cluster stack down…) is marked failed and the next
 *    host is asked in the same tick, at once. Failed hosts are retried in the background (a probe,
 *    backoff probeMs · 2^n capped at hostRetryMaxMs, never blocking a tick); one that answers is
 *    taken back: the next tick reads from the first working host in the user's order again. Every
 *    host's state (ok / failed with the reason / untried) goes to onHosts, so a view can say which
 *    host answered and which did not. A change of host always fetches (the view names the host).
 *  - Hedged (hedgeDelayMs): a host that has not answered within the delay gets the next candidate asked
 *    beside it, and the first answer wins. The slow one is named for what it did (describeSlow: unreachable
 *    or not answering, decided once, so the view does not flip from one to the other), marked failed, and
 *    given up (its signal aborts).
 *  - If every host fails, the error is reported and the next tick is delayed with exponential backoff
 *    (probeMs · 2^n, capped at maxBackoffMs). The first success after failures forces a fetch.
 *  - Everything time-related goes through the injected `clock`, so tests drive it without waiting.
 */

import { raceHosts } from './race';

/** Timers as the poller uses them (injected in tests). */
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

export type UpdateReason = 'initial' | 'changed' | 'periodic' | 'manual' | 'recovered' | 'host-changed';

/** What the poller knows about one host: answered its last request, failed it (with the reason), or not asked yet. */
export interface HostState {
  readonly host: string;
  readonly state: 'ok' | 'failed' | 'untried';
  /** Added with addHosts (not one of the hosts the poller was created with). */
  readonly fallback: boolean;
  /** The last failure while `failed`. */
  readonly error?: unknown;
  /** While `failed`: when the background retry is due (clock time). */
  readonly retryAt?: number;
}

export interface PollerOptions<T> {
  /** Hosts in the user's order: the first working one is read from. */
  readonly hosts: readonly string[];
  /** The cheap change check: the CIB version triple as one string. `signal`: given up (another host answered). */
  probe(host: string, signal?: AbortSignal): Promise<string>;
  /** The full read (crm_mon XML + CIB). */
  fetch(host: string, reason: UpdateReason, signal?: AbortSignal): Promise<Fetched<T>>;
  /** Why `host`, still running `runningMs` after another host answered, is slow (the error its row shows). */
  describeSlow?(host: string, runningMs: number): Promise<unknown>;
  onUpdate(value: T, info: { readonly host: string; readonly version: string; readonly reason: UpdateReason }): void;
  onError(error: unknown, info: { readonly failures: readonly { host: string; error: unknown }[]; readonly consecutiveFailures: number; readonly retryInMs: number }): void;
  /** Some host's state changed (see HostState); all hosts in order. */
  onHosts?(hosts: readonly HostState[]): void;
  /** Debug-level trace (one line per command); optional. */
  log?(message: string): void;
  readonly clock?: PollerClock;
  /** Probe interval while healthy (default 1000 ms). */
  readonly probeMs?: number;
  /** Unconditional full refresh interval (default 15000 ms). */
  readonly fullRefreshMs?: number;
  /** Ceiling of the error backoff (default 30000 ms). */
  readonly maxBackoffMs?: number;
  /** Ceiling of the background retry delay of one failed host while another one answers (default 10000 ms). */
  readonly hostRetryMaxMs?: number;
  /** Ask the next host too when one has not answered within this long (default: never; the explorer: 1500). */
  readonly hedgeDelayMs?: number;
}

/** What one host's round gave: nothing new (probe unchanged) or a fetch to apply. */
type Outcome<T> = { readonly kind: 'same' } | { readonly kind: 'fetched'; readonly fetched: Fetched<T>; readonly reason: UpdateReason };

interface HostEntry {
  state: 'ok' | 'failed' | 'untried';
  readonly fallback: boolean;
  error?: unknown;
  failures: number;
  retryAt: number;
  retrying: boolean;
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
  private readonly hostRetryMaxMs: number;
  private readonly hosts = new Map<string, HostEntry>();
  /** The host the last update came from. */
  private readHost: string | undefined;
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
    this.hostRetryMaxMs = Math.max(this.probeMs, opts.hostRetryMaxMs ?? 10_000);
    for (const h of opts.hosts) this.hosts.set(h, { state: 'untried', fallback: false, failures: 0, retryAt: 0, retrying: false });
  }

  get isVisible(): boolean {
    return this.visible;
  }

  /** The host the last update came from (before any: the first host). */
  get currentHost(): string {
    return this.readHost ?? this.opts.hosts[0]!;
  }

  /** Every host in order with what is known about it. */
  get hostStates(): HostState[] {
    return [...this.hosts].map(([host, e]) => ({
      host,
      state: e.state,
      fallback: e.fallback,
      ...(e.state === 'failed' ? { error: e.error, retryAt: e.retryAt } : {}),
    }));
  }

  /**
   * Add fallback hosts after the ones known (e.g. the cluster's other nodes, discovered from the one that answered).
   * New ones are checked in the background on the next tick, so a problem with them (say an unknown host key)
   * shows before they are needed.
   */
  addHosts(hosts: readonly string[]): void {
    const fresh = hosts.filter((h) => !this.hosts.has(h));
    if (fresh.length === 0 || this.disposed) return;
    for (const h of fresh) this.hosts.set(h, { state: 'untried', fallback: true, failures: 0, retryAt: 0, retrying: false });
    this.emitHosts();
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
    // Retry asks every host again, in the user's order.
    for (const e of this.hosts.values()) {
      if (e.state === 'failed') {
        e.state = 'untried';
        e.error = undefined;
      }
      e.failures = 0;
      e.retryAt = 0;
    }
    this.emitHosts();
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
      const order = [...this.hosts.keys()];
      const working = order.filter((h) => this.hosts.get(h)!.state !== 'failed');
      // While some host works, the failed ones are retried in the background; when none does, this tick asks them.
      const candidates = working.length > 0 ? working : order.filter((h) => !this.hosts.get(h)!.retrying);
      if (working.length > 0) this.retryInBackground(working[0]!);
      const failures: { host: string; error: unknown }[] = [];
      const won = await raceHosts<Outcome<T>>(candidates, {
        clock: this.clock,
        hedgeDelayMs: this.opts.hedgeDelayMs,
        run: (host, signal) => this.readOne(host, signal),
        stopped: () => this.disposed,
        failed: (host, error) => {
          failures.push({ host, error });
          this.markFailed(host, error);
          this.opts.log?.(`poll ${host} failed: ${error instanceof Error ? error.message : String(error)}`);
        },
        slow: (host, startedAt, abort) => void this.giveUp(host, startedAt, abort),
      });
      if (this.disposed) return;
      if (won) {
        this.apply(won.host, won.outcome);
        this.markOk(won.host);
        this.consecutiveFailures = 0;
        failures.length = 0;
      }
      if (candidates.length === 0) {
        // Every host is being retried in the background: report what is known, wait for them.
        for (const [host, e] of this.hosts) failures.push({ host, error: e.error });
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

  /** Probe each failed host whose retry is due, and each untried fallback, without blocking the tick. */
  private retryInBackground(readingFrom: string): void {
    const now = this.clock.now();
    for (const [host, e] of this.hosts) {
      if (host === readingFrom || e.retrying) continue;
      const due = e.state === 'failed' ? now >= e.retryAt : e.state === 'untried' && e.fallback;
      if (!due) continue;
      e.retrying = true;
      this.stats.probes++;
      this.opts.probe(host).then(
        () => {
          e.retrying = false;
          if (this.disposed || !this.hosts.has(host)) return;
          this.opts.log?.(`background probe ${host}: answers`);
          const before = [...this.hosts.keys()];
          this.markOk(host);
          // A host before the one read from answers again: take it back now.
          if (this.readHost !== undefined && before.indexOf(host) < before.indexOf(this.readHost) && !this.running) this.schedule(0);
        },
        (error: unknown) => {
          e.retrying = false;
          if (this.disposed || !this.hosts.has(host)) return;
          this.opts.log?.(`background probe ${host} failed: ${error instanceof Error ? error.message : String(error)}`);
          this.markFailed(host, error);
        },
      );
    }
  }

  private markOk(host: string): void {
    const e = this.hosts.get(host);
    if (!e) return;
    const changed = e.state !== 'ok';
    e.state = 'ok';
    e.error = undefined;
    e.failures = 0;
    e.retryAt = 0;
    if (changed) this.emitHosts();
  }

  private markFailed(host: string, error: unknown): void {
    const e = this.hosts.get(host);
    if (!e) return;
    e.state = 'failed';
    e.error = error;
    e.failures++;
    e.retryAt = this.clock.now() + Math.min(this.hostRetryMaxMs, this.probeMs * 2 ** (e.failures - 1));
    this.emitHosts();
  }

  private emitHosts(): void {
    if (!this.disposed) this.opts.onHosts?.(this.hostStates);
  }

  /** A host still running when another answered: named once for what it did, marked failed, its work given up. */
  private async giveUp(host: string, startedAt: number, abort: AbortController): Promise<void> {
    const runningMs = this.clock.now() - startedAt;
    let error: unknown = new Error(`${host} did not answer within ${(runningMs / 1000).toFixed(1)} s; read through another node`);
    try {
      if (this.opts.describeSlow) error = await this.opts.describeSlow(host, runningMs);
    } catch (e) {
      error = e;
    }
    abort.abort();
    if (this.disposed) return;
    this.opts.log?.(`poll ${host} given up (another host answered): ${error instanceof Error ? error.message : String(error)}`);
    this.markFailed(host, error);
  }

  /** One host's round: probe (or fetch when one is due); the state is changed only by apply(), for the winner. */
  private async readOne(host: string, signal: AbortSignal): Promise<Outcome<T>> {
    const now = this.clock.now();
    let reason: UpdateReason | undefined;
    if (this.manualPending) reason = 'manual';
    else if (this.lastFetchAt === undefined) reason = 'initial';
    else if (this.lastVersion === undefined) reason = 'recovered';
    else if (host !== this.readHost) reason = 'host-changed';
    else if (now - this.lastFetchAt >= this.fullRefreshMs) reason = 'periodic';
    if (reason === undefined) {
      this.stats.probes++;
      const version = await this.opts.probe(host, signal);
      if (this.disposed) return { kind: 'same' };
      this.opts.log?.(`probe ${host}: ${version}`);
      if (version === this.lastVersion) return { kind: 'same' };
      reason = 'changed';
    }
    this.manualPending = false;
    this.stats.fetches++;
    const fetched = await this.opts.fetch(host, reason, signal);
    return { kind: 'fetched', fetched, reason };
  }

  private apply(host: string, outcome: Outcome<T>): void {
    if (outcome.kind === 'same') return;
    const { fetched, reason } = outcome;
    this.opts.log?.(`fetch ${host} (${reason}): ${fetched.version}`);
    this.lastVersion = fetched.version;
    this.lastFetchAt = this.clock.now();
    this.readHost = host;
    this.opts.onUpdate(fetched.value, { host, version: fetched.version, reason });
  }
}

