/**
 * The poller's hedged round over its candidate hosts: ask them in order, the next one when the last has not
 * answered within `hedgeDelayMs` (never, when undefined) or at once when it failed; the first answer wins. Hosts
 * still running then are handed to `slow` (to be named and given up). Time goes through the poller's clock.
 */
/** The poller's clock (PollerClock), as much of it as a round needs. */
export interface RaceClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface RaceOptions<R> {
  readonly clock: RaceClock;
  readonly hedgeDelayMs?: number;
  run(host: string, signal: AbortSignal): Promise<R>;
  /** The poller was disposed: nothing more is started or reported. */
  stopped(): boolean;
  failed(host: string, error: unknown): void;
  slow(host: string, startedAt: number, abort: AbortController): void;
}

export function raceHosts<R>(candidates: readonly string[], o: RaceOptions<R>): Promise<{ host: string; outcome: R } | undefined> {
  const hedge = o.hedgeDelayMs;
  return new Promise((resolve) => {
    let next = 0;
    let running = 0;
    let done = false;
    let timer: unknown;
    const pending = new Map<string, { startedAt: number; abort: AbortController }>();
    const finish = (value: { host: string; outcome: R } | undefined): void => {
      done = true;
      if (timer !== undefined) o.clock.clearTimeout(timer);
      timer = undefined;
      resolve(value);
    };
    const launch = (): void => {
      if (done) return;
      if (o.stopped()) return finish(undefined);
      const host = candidates[next++];
      if (host === undefined) {
        if (running === 0) finish(undefined);
        return;
      }
      running++;
      const abort = new AbortController();
      pending.set(host, { startedAt: o.clock.now(), abort });
      if (timer !== undefined) o.clock.clearTimeout(timer);
      timer = hedge !== undefined && Number.isFinite(hedge) && next < candidates.length ? o.clock.setTimeout(launch, Math.max(0, hedge)) : undefined;
      o.run(host, abort.signal).then(
        (outcome) => {
          running--;
          pending.delete(host);
          if (done) return;
          if (o.stopped()) return finish(undefined);
          const slow = [...pending];
          finish({ host, outcome });
          for (const [h, p] of slow) o.slow(h, p.startedAt, p.abort);
        },
        (error: unknown) => {
          running--;
          pending.delete(host);
          if (done) return;
          if (o.stopped()) return finish(undefined);
          o.failed(host, error);
          launch();
          if (!done && running === 0 && next >= candidates.length) finish(undefined);
        },
      );
    };
    launch();
  });
}
