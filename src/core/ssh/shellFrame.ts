/**
 * The framing of the persistent shell channel (shellChannel.ts): how one command is written to the long-lived
 * `sh`, and how its stdout, stderr and exit status are read back out of the channel's two byte streams.
 *
 * Each command gets a fresh random marker (`=PCX` + 32 hex digits) that exists nowhere before the command is
 * written, so nothing a command prints can forge its own end. The script written for a command is
 *
 *     (LINE) </dev/null; s=$?; printf '%s:%s\n' MARKER "$s"; printf '%s\n' MARKER >&2
 *
 * LINE is the QuotedCommandLine from quoteArgv, optionally behind `timeout -k 2 SECONDS` (also from quoteArgv),
 * run in a subshell so that not even a builtin (`exit`, `cd`, `exec`) can change the long-lived shell. Its
 * stdin is /dev/null, or its bytes piped from `printf`, every byte outside [A-Za-z0-9] written as a 3-digit
 * octal escape (binary-safe, NUL included; printf sees no `%` or lone `\`). stdout is everything up to MARKER
 * on the channel's stdout, followed by `:STATUS\n`; stderr is everything up to MARKER on its stderr.
 *
 * '=' occurs only first in a marker, so a marker cannot overlap itself: output that ends in a prefix of the
 * marker cannot shift where the real one is found.
 */
import { randomBytes } from 'node:crypto';
import { prefixCommandLine, quoteArgv, type QuotedCommandLine } from '../util/shellQuote';

/** Seconds between `timeout`'s SIGTERM and its SIGKILL. */
export const KILL_GRACE_S = 2;

const MARKER_SHAPE = /^=PCX[0-9a-f]{32}$/;

export function newMarker(): string {
  return `=PCX${randomBytes(16).toString('hex')}`;
}

const LITERAL = /[A-Za-z0-9]/;

/** A printf format that prints exactly `data`. */
export function printfFormatFor(data: Buffer): string {
  let out = '';
  for (const byte of data) {
    const ch = String.fromCharCode(byte);
    out += byte < 0x80 && LITERAL.test(ch) ? ch : `\\${byte.toString(8).padStart(3, '0')}`;
  }
  return out;
}

/** `timeout -k KILL_GRACE_S SECONDS LINE`: the node itself ends the command (SIGTERM, SIGKILL after the grace). */
export function withNodeTimeout(line: QuotedCommandLine, seconds: number): QuotedCommandLine {
  if (!Number.isInteger(seconds) || seconds < 1) throw new Error('withNodeTimeout: a positive whole number of seconds');
  return prefixCommandLine(['timeout', '-k', String(KILL_GRACE_S), String(seconds)], line);
}

/** Whole seconds for the node's `timeout`, never earlier than our own deadline. */
export function nodeTimeoutSeconds(timeoutMs: number): number {
  return Math.max(1, Math.ceil(timeoutMs / 1000));
}

export interface FrameOptions {
  /** Wrap in `timeout -k KILL_GRACE_S SECONDS` so the node itself ends the command. */
  readonly timeoutS?: number;
  readonly stdin?: Buffer;
}

/** The text written to the shell for one command (see the module comment). */
export function frameCommand(line: QuotedCommandLine, marker: string, options: FrameOptions = {}): string {
  if (!MARKER_SHAPE.test(marker)) throw new Error('frameCommand: not a marker from newMarker()');
  const command = options.timeoutS === undefined ? line : withNodeTimeout(line, options.timeoutS);
  const run = options.stdin && options.stdin.length > 0
    ? `${quoteArgv(['printf', printfFormatFor(options.stdin)])} | (${command})`
    : `(${command}) </dev/null`;
  return `${run}; s=$?; printf '%s:%s\\n' ${marker} "$s"; printf '%s\\n' ${marker} >&2\n`;
}

/**
 * Reads one command's output from one stream: everything before the marker is the output; the marker is
 * followed by a trailer (`:STATUS` on stdout, nothing on stderr) and a newline. Scans only the bytes that can
 * still hold the marker, so a large output costs one pass.
 */
export class FrameReader {
  private readonly marker: Buffer;
  private readonly chunks: Buffer[] = [];
  private length = 0;
  private markerAt = -1;
  private result: { body: Buffer; trailer: string } | undefined;

  constructor(marker: string) {
    this.marker = Buffer.from(marker, 'latin1');
  }

  get complete(): boolean {
    return this.result !== undefined;
  }
  /** The output before the marker (once complete). */
  get body(): Buffer {
    return this.result?.body ?? Buffer.alloc(0);
  }
  /** What followed the marker up to the newline (once complete). */
  get trailer(): string {
    return this.result?.trailer ?? '';
  }
  /** Bytes received so far (for limits and messages). */
  get received(): number {
    return this.length;
  }

  /** Feed a chunk; true once the frame is complete (later bytes are ignored). */
  push(chunk: Buffer): boolean {
    if (this.result) return true;
    const before = this.length;
    this.chunks.push(chunk);
    this.length += chunk.length;
    if (this.markerAt < 0) {
      const from = Math.max(0, before - (this.marker.length - 1));
      const at = this.tailFrom(from).indexOf(this.marker);
      if (at < 0) return false;
      this.markerAt = from + at;
    }
    const all = Buffer.concat(this.chunks, this.length);
    this.chunks.splice(0, this.chunks.length, all);
    const newline = all.indexOf(0x0a, this.markerAt + this.marker.length);
    if (newline < 0) return false;
    this.result = { body: all.subarray(0, this.markerAt), trailer: all.subarray(this.markerAt + this.marker.length, newline).toString('latin1') };
    return true;
  }

  /** The received bytes from offset `from` to the end. */
  private tailFrom(from: number): Buffer {
    const parts: Buffer[] = [];
    let start = this.length;
    for (let i = this.chunks.length - 1; i >= 0 && start > from; i--) {
      const c = this.chunks[i];
      start -= c.length;
      parts.unshift(start < from ? c.subarray(from - start) : c);
    }
    return parts.length === 1 ? parts[0] : Buffer.concat(parts);
  }
}

/** The exit status from the stdout trailer `:STATUS`; undefined when it is not one. */
export function statusFromTrailer(trailer: string): number | undefined {
  const m = /^:(\d{1,3})$/.exec(trailer);
  return m ? Number(m[1]) : undefined;
}
