/**
 * The bounded, one-shot reads built on LogSession that pcx and the extension share: a window of the cluster's logs
 * (merged, in time order) and the timeline of that window. `--since` style times are parsed here too.
 */
import type { ClusterTarget, LiveOptions } from '../cluster/live';
import type { LogStatus } from './follow';
import { LogSession, type NodeInfo } from './clusterLogs';
import type { SourcePreference } from './sources';
import { buildTimeline, type TimelineEvent } from './timeline';
import type { LogLine } from './types';
import { clockTime } from '../util/time';

export interface ReadLogsOptions extends LiveOptions {
  readonly target: ClusterTarget;
  readonly since: number;
  /** Lines after this time are dropped (a window around a failure). */
  readonly until?: number;
  readonly lines?: number;
  readonly prefer?: SourcePreference;
  /** Read the cluster's other nodes too (default), and hosts already known to belong to it. */
  readonly discover?: boolean;
  readonly knownHosts?: readonly string[];
}

export interface LogWindow {
  readonly lines: LogLine[];
  readonly statuses: LogStatus[];
  readonly nodes: NodeInfo[];
}

export async function readClusterLogs(o: ReadLogsOptions): Promise<LogWindow> {
  const lines: LogLine[] = [];
  const statuses: LogStatus[] = [];
  const session = new LogSession({
    ...o,
    follow: false,
    onLine: (l) => {
      if (o.until === undefined || l.time <= o.until) lines.push(l);
    },
    onStatus: (s) => statuses.push(s),
  });
  await session.run();
  return { lines, statuses, nodes: session.nodes };
}

export async function readTimeline(o: ReadLogsOptions): Promise<LogWindow & { events: TimelineEvent[] }> {
  const window = await readClusterLogs(o);
  return { ...window, events: buildTimeline(window.lines) };
}

/**
 * `10m`, `90s`, `2h`, `1d` (ago), an ISO 8601 time, or a clock time today (`14:30`, `14:30:15`; yesterday if that
 * is still ahead) → epoch ms. undefined when it is none of these.
 */
export function parseSince(v: string, now: number = Date.now()): number | undefined {
  const rel = /^(\d+(?:\.\d+)?)(s|m|h|d)$/.exec(v.trim());
  if (rel) return now - Number(rel[1]) * { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[rel[2] as 's' | 'm' | 'h' | 'd'];
  const clock = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(v.trim());
  if (clock) {
    const d = new Date(now);
    d.setHours(Number(clock[1]), Number(clock[2]), Number(clock[3] ?? 0), 0);
    const t = d.getTime();
    return t > now ? t - 86_400_000 : t;
  }
  if (/^\d{4}-\d{2}-\d{2}/.test(v)) {
    const t = Date.parse(v);
    return Number.isNaN(t) ? undefined : t;
  }
  return undefined;
}

/** The one time formatter's clock (kept here for the log readers that import it from this module). */
export { clockTime } from '../util/time';

/** A merged line for a terminal or a pane: "14:33:19.513 node1  pacemaker-controld notice: …"; unparsed: "… node1  ? raw". */
export function formatLine(l: LogLine, utc = false): string {
  return l.parsed
    ? `${clockTime(l.time, utc)} ${l.node.padEnd(6)} ${l.daemon} ${l.level}: ${l.message}`
    : `${clockTime(l.time, utc)} ${l.node.padEnd(6)} ? ${l.raw}`;
}

/** One JSON object per line (pcx logs --json). */
export function lineJson(l: LogLine): Record<string, unknown> {
  return { kind: 'line', time: new Date(l.time).toISOString(), node: l.node, daemon: l.daemon, pid: l.pid ?? null, level: l.level, message: l.message, origin: l.origin, parsed: l.parsed, raw: l.raw };
}
