/**
 * Hedged reads: ask one host; when it has not answered within a short delay, ask the next one as well, without
 * giving up on the first; the first complete answer wins. A host that fails asks the next one at once. A host
 * still running when another answered is named for what it did so far (the caller says how: unreachable / not
 * answering), and given up (its commands cancelled). When the listed hosts run out, `more` is asked once for
 * further ones (the cluster's other nodes). Failures that must stop everything (a changed host key) do.
 *
 * Generic over what is read: live.ts supplies the cluster parts (connections, fallbacks, wording).
 */
import { isAskingPerson, noneAsked } from '../ssh/asking';
import { PcxFailure } from '../util/result';

/** Default delay before the next host is asked too (the `pacemaker.explorer.hedgeDelayMs` setting, pcx --hedge-delay). */
export const DEFAULT_HEDGE_DELAY_MS = 1_500;

export interface HedgeCandidate {
  readonly host: string;
  /** Where a fallback host came from ("from node1's corosync nodelist"); absent for listed hosts. */
  readonly from?: string;
}

export interface HedgeSpec<T> {
  readonly hosts: readonly string[];
  readonly delayMs: number;
  /** Read `host`; reject with why it could not. `signal` aborts when another host won (give the work up). */
  readonly run: (host: string, signal: AbortSignal) => Promise<T>;
  /** Asked once, when no listed host is left to start: further hosts (the failures and hosts still running so far). */
  readonly more?: (state: { readonly failed: readonly PcxFailure[]; readonly running: readonly string[] }) => Promise<HedgeCandidate[]>;
  /** Told before a fallback host (one from `more`) is started. */
  readonly onFallback?: (host: string, from: string) => void;
  /** A failure that ends the whole read (not skipped). */
  readonly stops: (f: PcxFailure) => boolean;
  readonly asFailure: (e: unknown, host: string) => PcxFailure;
  /** What `host`, still running `runningMs` after it was asked when another answered, did (to name it). */
  readonly pending: (host: string, runningMs: number) => Promise<PcxFailure>;
  /** Told each host found failed or slow in this read (the dead-host memory). */
  readonly found?: (host: string, failure: PcxFailure, stillRunning: boolean) => void;
  /** The whole read is given up (the explorer's poller asked another host): every host's work is aborted. */
  readonly signal?: AbortSignal;
  /** Injected for tests. */
  readonly now?: () => number;
}

export interface HedgeResult<T> {
  readonly value: T;
  readonly host: string;
  /** Hosts that failed or were still running when `host` answered, in the order they were asked. */
  readonly skipped: PcxFailure[];
}

/** Every host failed: `failures` in the order asked, `hosts` all the hosts asked. */
export class HedgeExhausted extends Error {
  constructor(
    readonly failures: readonly PcxFailure[],
    readonly hosts: readonly string[],
  ) {
    super(`no host answered: ${failures.map((f) => `${f.host}: ${f.message}`).join('; ')}`);
  }
}

export function hedgedRead<T>(spec: HedgeSpec<T>): Promise<HedgeResult<T>> {
  const now = spec.now ?? Date.now;
  const delay = Math.max(0, spec.delayMs);
  return new Promise<HedgeResult<T>>((resolve, reject) => {
    const queue: HedgeCandidate[] = spec.hosts.map((host) => ({ host }));
    const asked: string[] = [];
    const running = new Map<string, { startedAt: number; abort: AbortController }>();
    const failed = new Map<string, PcxFailure>();
    let settled = false;
    let moreAsked = !spec.more;
    let moreLoading = false;
    let timer: ReturnType<typeof setTimeout> | undefined;

    const stopAll = (): void => {
      settled = true;
      clearTimeout(timer);
    };
    const giveUp = (): void => {
      if (settled || running.size > 0 || moreLoading || queue.length > 0 || !moreAsked) return;
      stopAll();
      reject(new HedgeExhausted(asked.map((h) => failed.get(h)!).filter(Boolean), asked));
    };
    // A host waiting for a person (its key's passphrase, its host key) is not slow: the next host is asked only a
    // full delay after the question was answered, never with a second prompt under the first.
    const hedgeNow = (): void => {
      if (settled) return;
      if (isAskingPerson()) void noneAsked().then(() => !settled && armHedge());
      else void next();
    };
    const armHedge = (): void => {
      clearTimeout(timer);
      // Infinity: no hedging (one host at a time, the next when it failed).
      if (Number.isFinite(delay)) timer = setTimeout(hedgeNow, delay);
    };
    const next = async (): Promise<void> => {
      if (settled) return;
      if (queue.length === 0 && !moreAsked) {
        moreAsked = true;
        moreLoading = true;
        try {
          const extra = await spec.more!({ failed: [...failed.values()], running: [...running.keys()] });
          for (const c of extra) if (!asked.includes(c.host) && !queue.some((q) => q.host === c.host)) queue.push(c);
        } catch {
          // no further hosts
        }
        moreLoading = false;
        if (settled) return;
      }
      const c = queue.shift();
      if (!c) return giveUp();
      if (c.from !== undefined) spec.onFallback?.(c.host, c.from);
      launch(c.host);
    };
    const launch = (host: string): void => {
      asked.push(host);
      const abort = new AbortController();
      running.set(host, { startedAt: now(), abort });
      armHedge();
      spec.run(host, abort.signal).then(
        (value) => {
          running.delete(host);
          if (settled) return;
          stopAll();
          void win(host, value);
        },
        (e: unknown) => {
          running.delete(host);
          if (settled) return;
          const f = spec.asFailure(e, host);
          failed.set(host, f);
          spec.found?.(host, f, false);
          if (spec.stops(f)) {
            stopAll();
            for (const r of running.values()) r.abort.abort();
            reject(f);
            return;
          }
          // This one is out: ask the next host now rather than after the delay.
          void next();
          giveUp();
        },
      );
    };
    const win = async (host: string, value: T): Promise<void> => {
      const losers = [...running];
      const named = await Promise.all(losers.map(async ([h, r]) => {
        let f: PcxFailure;
        try {
          f = await spec.pending(h, now() - r.startedAt);
        } catch (e) {
          f = spec.asFailure(e, h);
        }
        r.abort.abort();
        spec.found?.(h, f, true);
        return [h, f] as const;
      }));
      for (const [h, f] of named) failed.set(h, f);
      const skipped = asked.filter((h) => h !== host && failed.has(h)).map((h) => failed.get(h)!);
      resolve({ value, host, skipped });
    };
    spec.signal?.addEventListener('abort', () => {
      if (settled) return;
      stopAll();
      for (const r of running.values()) r.abort.abort();
      reject(new PcxFailure('cancelled', `the read of ${asked.join(', ') || 'the cluster'} was given up (another node answered first)`, 'Nothing to do.', asked[0]));
    }, { once: true });
    if (spec.signal?.aborted) return reject(new PcxFailure('cancelled', 'the read was given up before it started', 'Nothing to do.'));
    void next();
  });
}

/** One failure for "no host answered": the only one as is, else every host's reason in one message. */
export function exhaustedFailure(e: HedgeExhausted, clusterName: string | undefined): PcxFailure {
  const skipped = e.failures;
  if (skipped.length === 1) return skipped[0]!;
  const first = skipped[0]!;
  return new PcxFailure(
    first.code,
    `no node of ${clusterName ?? 'the cluster'} answered: ${skipped.map((f) => `${f.host}: ${f.message}`).join('; ')}`,
    skipped.map((f) => f.hint).filter(Boolean).join(' / '),
    e.hosts.join(', '),
    first.remedy,
  );
}
