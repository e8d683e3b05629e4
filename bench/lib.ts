/** What every bench module shares: the row it reports and a median timer. */

export interface BenchRow {
  /** What was measured, e.g. "pcx status (persistent ssh)". */
  readonly name: string;
  /** Median wall time per run, in milliseconds (or a memory figure, with `unit`). */
  readonly value: number;
  readonly unit?: 'ms' | 'MiB' | 'KiB';
  /** The real tool measured beside it, and its median in the same unit. */
  readonly baselineName?: string;
  readonly baseline?: number;
  readonly note?: string;
}

/** Median of `runs` timed calls of fn, after one warm-up. */
export async function medianMs(runs: number, fn: () => unknown): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}
