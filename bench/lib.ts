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
  /** The goal this row is held to, in words ("≤ 1.5 × crm_mon + 5 ms"), and whether this run met it. */
  readonly target?: string;
  readonly met?: boolean;
}

/** Median and spread of `runs` timed calls (after one warm-up). */
export async function timeRuns(runs: number, fn: () => unknown): Promise<{ median: number; p90: number }> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], p90: times[Math.min(times.length - 1, Math.floor(times.length * 0.9))] };
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
