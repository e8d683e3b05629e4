/**
 * Putting several nodes' lines into one time order.
 *
 * A batch (a bounded read) is simply sorted by time; the sort is stable, so each stream's own order — and the
 * place of its unparsed lines, which inherit the time of the line before — is kept.
 *
 * While following, lines arrive per node with network delay, so the live merger holds each line back briefly
 * (holdMs) and releases, in time order, everything older than now − holdMs. A line that arrives later than that
 * (a node far behind) is released at once rather than held forever: late is better than lost. Until start-up
 * settles (each node's backlog has arrived), everything is held, so the backlogs interleave correctly too.
 */
import type { LogLine } from './types';

export function mergeLines(lines: readonly LogLine[]): LogLine[] {
  return lines.map((line, i) => ({ line, i })).sort((a, b) => a.line.time - b.line.time || a.i - b.i).map((x) => x.line);
}

interface Held {
  readonly line: LogLine;
  readonly seq: number;
  readonly arrivedAt: number;
}

export interface LiveMergerOptions {
  /** How long a line waits for earlier lines from other nodes. Default 400 ms. */
  readonly holdMs?: number;
  /** Never hold a line longer than this after it arrived (a node whose clock runs ahead). Default 2 × holdMs. */
  readonly maxHoldMs?: number;
  readonly tickMs?: number;
  readonly now?: () => number;
}

export class LiveMerger {
  private held: Held[] = [];
  private seq = 0;
  private settled = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly holdMs: number;
  private readonly maxHoldMs: number;
  private readonly now: () => number;

  constructor(private readonly emit: (line: LogLine) => void, options: LiveMergerOptions = {}) {
    this.holdMs = options.holdMs ?? 400;
    this.maxHoldMs = options.maxHoldMs ?? 2 * this.holdMs;
    this.now = options.now ?? Date.now;
    this.timer = setInterval(() => this.release(), options.tickMs ?? 100);
    this.timer.unref?.();
  }

  add(line: LogLine): void {
    this.held.push({ line, seq: this.seq++, arrivedAt: this.now() });
  }

  /** The backlogs are in: from now on lines flow after holdMs. */
  settle(): void {
    if (this.settled) return;
    this.settled = true;
    this.release(true);
  }

  /** Release what is due (everything when `all`), in time order. */
  release(all = false): void {
    if (!this.settled && !all) return;
    const now = this.now();
    const watermark = now - this.holdMs;
    const due: Held[] = [];
    const keep: Held[] = [];
    for (const h of this.held) (all || h.line.time <= watermark || h.arrivedAt <= now - this.maxHoldMs ? due : keep).push(h);
    if (due.length === 0) return;
    this.held = keep;
    due.sort((a, b) => a.line.time - b.line.time || a.seq - b.seq);
    for (const h of due) this.emit(h.line);
  }

  /** Release everything and stop the timer. */
  close(): void {
    this.settled = true;
    this.release(true);
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
