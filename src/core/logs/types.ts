/**
 * The shapes shared by the log pipeline: a parsed line, where a node's logs come from, and what a stream reports
 * about itself. Times are epoch milliseconds on THIS machine's clock: each node's clock offset (measured when
 * connecting) has been taken off, so lines from different nodes sort correctly against each other.
 */
import type { PcxError } from '../util/result';

/** syslog's severities, as Pacemaker, Corosync and the journal use them; 'unknown' for lines that did not parse. */
export type LogLevel = 'emerg' | 'alert' | 'crit' | 'error' | 'warning' | 'notice' | 'info' | 'debug' | 'trace' | 'unknown';

/** Most to least severe; a `--level warning` filter keeps the first five. */
export const LEVEL_ORDER: readonly LogLevel[] = ['emerg', 'alert', 'crit', 'error', 'warning', 'notice', 'info', 'debug', 'trace', 'unknown'];

/** Which log a line came from. */
export type LogOrigin = 'pacemaker' | 'corosync' | 'journal';

export interface LogLine {
  /** Epoch ms on the local clock (node clock minus its measured offset). */
  readonly time: number;
  /** The cluster node (as the user knows it: the host they connected to, or the name the line carries). */
  readonly node: string;
  /** pacemaker-controld, crmd, corosync, redis(redis)…; '' when unknown. */
  readonly daemon: string;
  readonly pid?: number;
  readonly level: LogLevel;
  readonly message: string;
  readonly origin: LogOrigin;
  /** False for a line no parser understood: `message` is then the raw text and `time` inherited. */
  readonly parsed: boolean;
  /** The line as it arrived (binary junk made printable). */
  readonly raw: string;
}

/** What a node's log sources are, as detected over its SSH connection. */
export interface NodeLogSources {
  readonly node: string;
  /** 'journal': `journalctl -u pacemaker -u corosync`; 'files': `tail -F` on the files below. */
  readonly kind: 'journal' | 'files' | 'none';
  readonly pacemakerFile?: string;
  readonly corosyncFile?: string;
  /** Why something was not used (unreadable file, no journal entries, no permission…), each with a fix. */
  readonly problems: readonly PcxError[];
}

/** A node's clock, measured on connect: `offsetMs` = node clock − local clock. */
export interface NodeClock {
  readonly offsetMs: number;
  /** Half the round trip: how precise the offset is. */
  readonly uncertaintyMs: number;
  /** The node's UTC offset in minutes (`date +%z`), for log files written in local time. */
  readonly utcOffsetMinutes: number;
  /** The node's current time (node clock, epoch ms), for guessing the year of year-less timestamps. */
  readonly nodeNow: number;
}

/** Over this, the skew is worth a warning (the threshold). */
export const SKEW_WARNING_MS = 1000;

/** One node of a log read: how it was reached, what it has, how far its read got. */
export interface NodeInfo {
  readonly host: string;
  readonly node: string;
  readonly sources?: NodeLogSources;
  readonly clock?: NodeClock;
  readonly state: 'connecting' | 'streaming' | 'reconnecting' | 'stopped' | 'failed';
  /** How a host beyond the ones given was found (a node's nodelist, remembered, the explorer). */
  readonly from?: string;
  /** Why it could not be read (state 'failed'). */
  readonly problem?: string;
  /** A bounded read: lines delivered, and the times of the first and last line read. */
  readonly lines?: number;
  readonly first?: number;
  readonly last?: number;
  /** Its log does not reach back to the start of the window: where it starts, and why. */
  readonly shortBecause?: string;
}
