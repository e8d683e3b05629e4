/**
 * One line of a cluster log → a LogLine (time, node, daemon, pid, level, message). Formats understood:
 *
 *   Pacemaker 2.x file   Dec 01 14:32:47.273 node1 pacemaker-controld  [81] (log_executor_event) \tnotice: Result …
 *                        (2.0 has no milliseconds; newer 2.1 writes "(function@file:line)")
 *   Pacemaker 1.1 file   Oct 09 17:38:18 [17976] fc-ha1 cib: info: cib_file_backup: Archived previous version …
 *   resource agents      Dec 01 14:32:31  redis(redis)[317]:    INFO: start: /usr/bin/redis-server …  (ocf ha_log)
 *   Corosync file        Dec 01 14:32:00 [31] node1 corosync notice  [QUORUM] Members[2]: 1 2
 *   Corosync stderr      Dec 01 14:31:57 notice  [MAIN  ] Corosync Cluster Engine 3.1.7 starting up
 *   syslog               Jan 16 21:19:22 iscsi-0 corosync[6655]: [QUORUM] Sync members[2]: 1 3   (also ISO 8601 stamps)
 *   journal JSON         one `journalctl -o json` object per line
 *
 * Timestamps in files are the node's local time without a year: the node's UTC offset and current time (measured on
 * connect, NodeClock) give the year and the instant; the node's clock offset is then taken off. A line that no
 * format fits is kept whole with parsed=false and the time of the line before it — never dropped.
 */
import { terminalText } from '../text/terminalText';
import type { LogLevel, LogLine, LogOrigin, NodeClock } from './types';

export interface ParseContext {
  /** The node name to label lines with (the host the stream came from). */
  readonly node: string;
  readonly origin: LogOrigin;
  readonly clock: NodeClock;
  /** Time of the previous line of the same stream: unparsed lines inherit it, same-second lines keep order. */
  readonly previousTime?: number;
  /** Used when there is no previous line (local clock, epoch ms). */
  readonly arrivedAt: number;
}

const MONTHS: Record<string, number> = { Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11 };
const TS = String.raw`([A-Z][a-z]{2}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?`;
const ISO = String.raw`(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:?\d{2}))`;

const PACEMAKER_2 = new RegExp(String.raw`^${TS}\s+(\S+)\s+(\S+?)\s*\[\s*(\d+)\]\s+\(([^)]*)\)\s+(\w+):\s?(.*)$`);
const PACEMAKER_11 = new RegExp(String.raw`^${TS} \[(\d+)\] (\S+)\s+([\w-]+):\s+(\w+):\s+(?:([A-Za-z_]\w*):\s+)?(.*)$`);
const AGENT = new RegExp(String.raw`^${TS}\s+(\S+?\([^)]*\))\[(\d+)\]:\s+(\w+):\s?(.*)$`);
const COROSYNC_FILE = new RegExp(String.raw`^${TS} \[(\d+)\] (\S+) (corosync) (\w+)\s+(\[[^\]]*\] .*)$`);
const COROSYNC_STDERR = new RegExp(String.raw`^${TS} (\w+)\s+(\[[A-Z]+\s*\] .*)$`);
const COROSYNC_1 = new RegExp(String.raw`^${TS} (corosync) (\[[A-Z]+\s*\] .*)$`);
const SYSLOG = new RegExp(String.raw`^(?:${TS}|${ISO}) (\S+) ([^\s\[:]+)(?:\[(\d+)\])?: (.*)$`);

const LEVEL_WORDS: Record<string, LogLevel> = {
  emerg: 'emerg', alert: 'alert', crit: 'crit', critical: 'crit', error: 'error', err: 'error',
  warning: 'warning', warn: 'warning', notice: 'notice', info: 'info', debug: 'debug', trace: 'trace',
};
/** journald PRIORITY 0-7. */
const PRIORITIES: readonly LogLevel[] = ['emerg', 'alert', 'crit', 'error', 'warning', 'notice', 'info', 'debug'];

export function levelOf(word: string | undefined): LogLevel | undefined {
  return word === undefined ? undefined : LEVEL_WORDS[word.toLowerCase()];
}

/** Control characters (binary junk, ESC sequences, C1, bidi controls) become visible escapes; tabs stay (core/text/terminalText). */
export function printable(text: string): string {
  return terminalText(text, { newlines: false });
}

/** Node-local "Mon DD HH:MM:SS[.frac]" → epoch ms on the node's clock (year guessed: never more than a day ahead). */
export function nodeLocalTime(m: RegExpMatchArray, at: number, clock: NodeClock): number | undefined {
  const month = MONTHS[m[at]!];
  if (month === undefined) return undefined;
  const day = Number(m[at + 1]);
  const [h, min, s] = [Number(m[at + 2]), Number(m[at + 3]), Number(m[at + 4])];
  const frac = m[at + 5] ? Math.floor(Number(`0.${m[at + 5]}`) * 1000) : 0;
  const shift = clock.utcOffsetMinutes * 60_000;
  const nodeYear = new Date(clock.nodeNow + shift).getUTCFullYear();
  for (const year of [nodeYear, nodeYear - 1]) {
    const t = Date.UTC(year, month, day, h, min, s, frac) - shift;
    if (t <= clock.nodeNow + 86_400_000) return t;
  }
  return undefined;
}

interface Fields {
  readonly nodeTime: number;
  /** Whether the stamp had sub-second precision. */
  readonly precise: boolean;
  readonly host?: string;
  readonly daemon: string;
  readonly pid?: number;
  readonly level: LogLevel;
  readonly message: string;
}

/** A leading "notice: " (syslog/journal copies of Pacemaker lines) → its level and the rest. */
function splitLevelPrefix(message: string): { level?: LogLevel; rest: string } {
  const m = /^\s*(\w+):\s+(.*)$/s.exec(message);
  const level = m ? levelOf(m[1]) : undefined;
  return level ? { level, rest: m![2]! } : { rest: message };
}

function fileFields(text: string, clock: NodeClock): Fields | undefined {
  let m: RegExpExecArray | null;
  if ((m = PACEMAKER_2.exec(text))) {
    const t = nodeLocalTime(m, 1, clock);
    const level = levelOf(m[11]);
    if (t !== undefined && level) return { nodeTime: t, precise: m[6] !== undefined, host: m[7], daemon: m[8]!, pid: Number(m[9]), level, message: m[12]! };
  }
  if ((m = PACEMAKER_11.exec(text))) {
    const t = nodeLocalTime(m, 1, clock);
    const level = levelOf(m[10]);
    if (t !== undefined && level) return { nodeTime: t, precise: m[6] !== undefined, host: m[8], daemon: m[9]!, pid: Number(m[7]), level, message: m[12]! };
  }
  if ((m = AGENT.exec(text))) {
    const t = nodeLocalTime(m, 1, clock);
    if (t !== undefined) return { nodeTime: t, precise: m[6] !== undefined, daemon: m[7]!, pid: Number(m[8]), level: levelOf(m[9]) ?? 'info', message: m[10]! };
  }
  if ((m = COROSYNC_FILE.exec(text))) {
    const t = nodeLocalTime(m, 1, clock);
    if (t !== undefined) return { nodeTime: t, precise: m[6] !== undefined, host: m[8], daemon: 'corosync', pid: Number(m[7]), level: levelOf(m[10]) ?? 'info', message: m[11]! };
  }
  if ((m = COROSYNC_STDERR.exec(text)) && levelOf(m[7])) {
    const t = nodeLocalTime(m, 1, clock);
    if (t !== undefined) return { nodeTime: t, precise: m[6] !== undefined, daemon: 'corosync', level: levelOf(m[7])!, message: m[8]! };
  }
  if ((m = COROSYNC_1.exec(text))) {
    const t = nodeLocalTime(m, 1, clock);
    if (t !== undefined) return { nodeTime: t, precise: m[6] !== undefined, daemon: 'corosync', level: 'info', message: m[8]! };
  }
  if ((m = SYSLOG.exec(text))) {
    const t = m[7] !== undefined ? Date.parse(m[7]) : nodeLocalTime(m, 1, clock);
    if (t !== undefined && !Number.isNaN(t)) {
      const { level, rest } = splitLevelPrefix(m[11]!);
      return { nodeTime: t, precise: m[7] !== undefined || m[6] !== undefined, host: m[8], daemon: m[9]!, pid: m[10] ? Number(m[10]) : undefined, level: level ?? 'notice', message: rest };
    }
  }
  return undefined;
}

/** Local-clock time for a parsed stamp; a whole-second stamp never sorts before its stream's previous line. */
function localTime(f: Fields, ctx: ParseContext): number {
  const t = f.nodeTime - ctx.clock.offsetMs;
  if (!f.precise && ctx.previousTime !== undefined && Math.floor(ctx.previousTime / 1000) === Math.floor(t / 1000) && ctx.previousTime > t) {
    return ctx.previousTime;
  }
  return t;
}

function unparsed(raw: string, ctx: ParseContext): LogLine {
  return { time: ctx.previousTime ?? ctx.arrivedAt, node: ctx.node, daemon: '', level: 'unknown', message: raw, origin: ctx.origin, parsed: false, raw };
}

/** A line of a Pacemaker or Corosync log file (any format above). */
export function parseFileLine(text: string, ctx: ParseContext): LogLine {
  const raw = printable(text.replace(/\r$/, ''));
  const f = fileFields(raw, ctx.clock);
  if (!f) return unparsed(raw, ctx);
  return { time: localTime(f, ctx), node: ctx.node, daemon: f.daemon, ...(f.pid !== undefined ? { pid: f.pid } : {}), level: f.level, message: f.message, origin: ctx.origin, parsed: true, raw };
}

/** journald's MESSAGE: a string, an array of bytes (binary or invalid UTF-8), or null. */
function journalMessage(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((b) => typeof b === 'number')) return Buffer.from(value as number[]).toString('utf8');
  return undefined;
}

/** One line of `journalctl -o json`. Anything that is not such an object is kept as an unparsed line. */
export function parseJournalLine(text: string, ctx: ParseContext): LogLine {
  let entry: unknown;
  try {
    entry = JSON.parse(text);
  } catch {
    return unparsed(printable(text), ctx);
  }
  if (typeof entry !== 'object' || entry === null) return unparsed(printable(text), ctx);
  const e = entry as Record<string, unknown>;
  const micros = typeof e['__REALTIME_TIMESTAMP'] === 'string' ? Number(e['__REALTIME_TIMESTAMP']) : NaN;
  const message = journalMessage(e['MESSAGE']);
  if (!Number.isFinite(micros) || message === undefined) return unparsed(printable(text), ctx);
  const priority = Number(e['PRIORITY']);
  const { level, rest } = splitLevelPrefix(printable(message));
  const pid = Number(e['SYSLOG_PID'] ?? e['_PID']);
  const daemon = typeof e['SYSLOG_IDENTIFIER'] === 'string' ? e['SYSLOG_IDENTIFIER'] : typeof e['_COMM'] === 'string' ? e['_COMM'] : '';
  const time = Math.floor(micros / 1000) - ctx.clock.offsetMs;
  const finalLevel = level ?? PRIORITIES[priority] ?? 'notice';
  const stamp = new Date(time).toISOString();
  return {
    time, node: ctx.node, daemon, ...(Number.isFinite(pid) ? { pid } : {}), level: finalLevel, message: rest, origin: 'journal', parsed: true,
    raw: `${stamp} ${typeof e['_HOSTNAME'] === 'string' ? e['_HOSTNAME'] : ctx.node} ${daemon}${Number.isFinite(pid) ? `[${pid}]` : ''}: ${printable(message)}`,
  };
}

export function parseLine(text: string, ctx: ParseContext): LogLine {
  return ctx.origin === 'journal' ? parseJournalLine(text, ctx) : parseFileLine(text, ctx);
}
