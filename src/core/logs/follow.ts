/**
 * One source on one node as a stream of LogLines: `tail -n N [-F] FILE` or `journalctl -o json … [--follow]` on its
 * own exec channel. stdout becomes parsed lines (LineSplitter → parseLine); stderr becomes status messages a person
 * can act on (rotation, a vanished file, no permission, sudo refusing). A restarted stream (after a reconnect or a
 * stall) skips the lines it already delivered.
 */
import { dateTimeWithZone } from '../util/time';
import type { CommandRunner } from '../remote/runner';
import { sudoFailure } from '../remote/runner';
import type { ExecStream, StreamEnd } from '../ssh/stream';
import { LineSplitter } from './lines';
import { parseLine } from './parse';
import { fileProblem } from './sources';
import type { LogLine, LogOrigin, NodeClock } from './types';

export interface LogStatus {
  readonly node: string;
  readonly severity: 'info' | 'warning' | 'error';
  readonly code: string;
  readonly message: string;
  readonly hint?: string;
}

export interface SourceSpec {
  readonly origin: LogOrigin;
  /** The file for 'pacemaker'/'corosync'; absent for the journal. */
  readonly file?: string;
}

export function sourceLabel(spec: SourceSpec): string {
  return spec.file ? spec.file.split('/').pop()! : 'journal';
}

/** tail's and journalctl's stderr lines → what they mean for the user. */
export function describeStderr(line: string, spec: SourceSpec, node: string, host: string, user: string, sudo: boolean): LogStatus | undefined {
  const text = line.trim();
  if (text === '') return undefined;
  const label = sourceLabel(spec);
  const sudoRefusal = sudoFailure({ stdout: '', stderr: text, code: 1 }, [spec.file ? 'tail' : 'journalctl'], host, user);
  if (sudoRefusal) return { node, severity: 'error', code: sudoRefusal.code, message: sudoRefusal.message, hint: sudoRefusal.hint };
  if (/has been replaced|has appeared/.test(text)) return { node, severity: 'info', code: 'log-rotated', message: `${node}: ${label} was rotated; following the new file` };
  if (/file truncated/.test(text)) return { node, severity: 'info', code: 'log-truncated', message: `${node}: ${label} was truncated; following from its new end` };
  if (/Permission denied/i.test(text) && spec.file) {
    const p = fileProblem(spec.file, text, host, user, sudo);
    return { node, severity: 'error', code: p.code, message: p.message, hint: p.hint };
  }
  if (/has become inaccessible|No such file or directory/.test(text)) {
    return { node, severity: 'warning', code: 'log-file-gone', message: `${node}: ${label} disappeared (being rotated?); waiting for it to come back`, hint: spec.file ? `If it does not, check that ${spec.file} still exists on ${node}.` : undefined };
  }
  return { node, severity: 'warning', code: 'log-stderr', message: `${node}: ${spec.file ? 'tail' : 'journalctl'}: ${text}` };
}

export interface SourceStreamOptions {
  readonly node: string;
  readonly spec: SourceSpec;
  readonly clock: NodeClock;
  readonly argv: readonly string[];
  /** Lines older than this (local ms) are not delivered (files are read by line count, then cut by time). */
  readonly since?: number;
  readonly onLine: (line: LogLine) => void;
  readonly onStatus: (status: LogStatus) => void;
  /** Raw lines already delivered by an earlier run of this stream (skipped once more). */
  readonly seen?: RecentLines;
  /**
   * A restart: the time (local ms) of the last line the earlier run delivered, and how many lines this run reads
   * back. Lines older than that (less a margin for lines logged out of order) were shown or predate the stream;
   * if even the oldest line read back is new, more was written meanwhile than was read back: said as 'log-gap'.
   */
  readonly resume?: { readonly after: number; readonly lines: number };
}

/** A restarted stream also takes unseen lines this much older than the last one shown (daemons log slightly out of order). */
export const RESUME_MARGIN_MS = 1000;

/** The last few thousand raw lines a stream delivered, to skip them when the stream restarts with a backlog. */
export class RecentLines {
  private readonly set = new Set<string>();
  private readonly order: string[] = [];
  constructor(private readonly max = 4000) {}
  has(raw: string): boolean {
    return this.set.has(raw);
  }
  add(raw: string): void {
    if (this.set.has(raw)) return;
    this.set.add(raw);
    this.order.push(raw);
    if (this.order.length > this.max) this.set.delete(this.order.shift()!);
  }
}

export interface RunningSource {
  readonly ended: Promise<StreamEnd>;
  /** Lines delivered so far (after the since cut). */
  readonly delivered: () => number;
  /** When the last byte of stdout arrived (local ms). */
  readonly lastDataAt: () => number;
  /** Time of the last line (local ms), if any. */
  readonly lastLineTime: () => number | undefined;
  /** Lines read before the since cut, and the time of the first one: to tell whether the tail reached back far enough. */
  readonly readStats: () => { read: number; firstTime?: number };
  stop(): void;
  /** Set by a stall watchdog before it stops the stream, so the end is reported as a stall. */
  stalled: boolean;
}

/** The first line a restarted stream read back is newer than the last one shown: lines in between are lost. */
function reportGap(o: SourceStreamOptions, firstTime: number): void {
  const label = sourceLabel(o.spec);
  const from = new Date(o.resume!.after).toISOString(); // also a --since argument in the hint
  const to = firstTime;
  o.onStatus({
    node: o.node, severity: 'warning', code: 'log-gap',
    message: `${o.node}: more than ${o.resume!.lines} lines were written to ${label} while its stream was down; lines between ${dateTimeWithZone(o.resume!.after)} and ${dateTimeWithZone(to)} are not shown`,
    hint: `Read them with pcx logs (same --host/--cluster) --node ${o.node} --since ${from} --lines ${o.resume!.lines * 4}.`,
  });
}

export async function startSource(runner: CommandRunner, o: SourceStreamOptions): Promise<RunningSource> {
  const seen = o.seen ?? new RecentLines();
  let previousTime: number | undefined;
  let delivered = 0;
  let read = 0;
  let firstTime: number | undefined;
  let lastDataAt = Date.now();
  const out = new LineSplitter((text) => {
    const line = parseLine(text, { node: o.node, origin: o.spec.origin, clock: o.clock, previousTime, arrivedAt: Date.now() });
    previousTime = line.time;
    read++;
    if (firstTime === undefined && line.parsed) firstTime = line.time;
    if (read === 1 && o.resume && !seen.has(line.raw) && line.time > o.resume.after) reportGap(o, line.time);
    if (o.since !== undefined && line.time < o.since) return;
    if (o.resume && line.time < o.resume.after - RESUME_MARGIN_MS) return;
    if (seen.has(line.raw)) return;
    seen.add(line.raw);
    delivered++;
    o.onLine(line);
  });
  const err = new LineSplitter((text) => {
    const s = describeStderr(text, o.spec, o.node, runner.host, runner.user, runner.sudo);
    if (s) o.onStatus(s);
  });
  const stream: ExecStream = await runner.stream(o.argv, {
    onStdout: (chunk) => {
      lastDataAt = Date.now();
      out.push(chunk);
    },
    onStderr: (chunk) => err.push(chunk),
  });
  const ended = stream.ended.then((end) => {
    out.end();
    err.end();
    return end;
  });
  return {
    ended,
    delivered: () => delivered,
    lastDataAt: () => lastDataAt,
    lastLineTime: () => previousTime,
    readStats: () => ({ read, ...(firstTime !== undefined ? { firstTime } : {}) }),
    stop: () => stream.stop(),
    stalled: false,
  };
}
