/**
 * `pcx status --watch`: a live terminal view, like crm_mon's interactive mode. The cluster is polled with the
 * explorer's poller (core/watch: the cheap CIB-version probe every interval over one persistent connection,
 * a full read only when the version moved, and every 15 s anyway), and the screen is redrawn on each update
 * with the lines that changed since the last redraw highlighted. Ctrl-C (or q) ends it cleanly.
 *
 * On a terminal it draws in the alternate screen, as crm_mon and top do; otherwise (a pipe, a log) it appends
 * one report per change. With --json: one compact JSON object per change (newline-delimited), for scripts.
 */
import { clockTime } from '../../core/util/time';
import { snapshotFromXml } from '../../core/cluster/clusterXml';
import { fetchChangeKey, fetchClusterXml, type ClusterTarget, type LiveOptions } from '../../core/cluster/live';
import { toStatusJson } from '../../core/status/statusJson';
import { renderStatusText } from '../../core/cluster/statusText';
import type { ClusterSnapshot } from '../../core/cluster/types';
import { SshPool } from '../../core/ssh/pool';
import { PcxFailure, describeError } from '../../core/util/result';
import { ClusterPoller } from '../../core/watch/poller';
import { writeControl } from '../terminal';
import { NodeHosts } from '../../core/workload/nodes';
import { readWorkload, workloadExpected, type PasswordSource } from '../../core/workload/read';
import { healthWithWorkload, workloadJson, workloadTextLines } from '../../core/workload/report';
import { RoleClock } from '../../core/workload/settling';
import type { WorkloadReport } from '../../core/workload/types';

export interface WatchOptions {
  readonly target: ClusterTarget;
  readonly connect: LiveOptions;
  readonly intervalMs: number;
  readonly json: boolean;
  readonly color: boolean;
  readonly out?: NodeJS.WriteStream;
  /** Resolves when the watch should end (tests); default: Ctrl-C, SIGTERM or q. */
  readonly until?: Promise<void>;
  /** Read Redis and the VIPs after each update, over the same connections (undefined: --no-workload). */
  readonly workload?: { readonly passwords: PasswordSource; readonly lagThresholdBytes?: number };
}

const ALT_SCREEN_ON = '\x1b[?1049h\x1b[?25l';
const ALT_SCREEN_OFF = '\x1b[?25h\x1b[?1049l';
const HOME_AND_CLEAR = '\x1b[H\x1b[2J';

/**
 * Mark the lines of `next` that were not in `previous` (as a multiset: a line that moved is not new).
 * Returns the lines with a 2-column gutter: "» " for new or changed, "  " otherwise. `undefined` previous: none new.
 */
export function markChanges(previous: string | undefined, next: string, color: boolean): string {
  const seen = new Map<string, number>();
  for (const l of previous?.split('\n') ?? []) seen.set(l, (seen.get(l) ?? 0) + 1);
  return next
    .split('\n')
    .map((line) => {
      const n = seen.get(line) ?? 0;
      if (n > 0) seen.set(line, n - 1);
      const changed = previous !== undefined && n === 0 && line.trim() !== '';
      if (!changed) return `  ${line}`;
      // Reverse video on a terminal (colours inside the line survive it); the gutter mark works everywhere.
      return color ? `\x1b[1m»\x1b[22m \x1b[7m${line}\x1b[27m` : `» ${line}`;
    })
    .join('\n');
}

function clock(): string {
  return clockTime(Date.now(), false, false);
}

interface Fetched {
  readonly snapshot: ClusterSnapshot;
  readonly cibProblem?: string;
}

/** Runs until Ctrl-C; returns the exit code (0: ended by the user). */
export async function watchStatus(o: WatchOptions): Promise<number> {
  const out = o.out ?? process.stdout;
  const tty = out.isTTY === true && !o.json;
  const pool = new SshPool(o.connect, { attempts: 1, initialDelayMs: 500, maxDelayMs: 10_000 });
  const live: LiveOptions = { ...o.connect, pool };
  const one = (host: string): ClusterTarget => ({ ...o.target, hosts: [host] });
  let previousText: string | undefined;
  let lastBody = '';
  let lastError: string | undefined;
  let updates = 0;
  let stopped = false;
  let shown: Promise<void> = Promise.resolve();
  const nodeHosts = new NodeHosts(o.target, pool);
  const roles = new RoleClock();

  const draw = (body: string, footer: string): void => {
    if (tty) {
      writeControl(out, HOME_AND_CLEAR);
      out.write(`${body}\n${footer}\n`);
    }
    else out.write(`${body}\n${footer}\n\n`);
  };
  const footerFor = (what: string): string => {
    const dim = (s: string) => (o.color && tty ? `\x1b[2m${s}\x1b[22m` : s);
    return dim(`${what} · every ${o.intervalMs / 1000} s · ${tty ? 'Ctrl-C or q to quit' : 'Ctrl-C to quit'}`);
  };

  const poller = new ClusterPoller<Fetched>({
    hosts: o.target.hosts,
    probeMs: o.intervalMs,
    probe: async (host) => (await fetchChangeKey(one(host), live)).key,
    fetch: async (host) => {
      const { snapshot, cibProblem, version } = snapshotFromXml(await fetchClusterXml(one(host), live));
      return { value: { snapshot, cibProblem: cibProblem?.message }, version };
    },
    onUpdate: (value, info) => {
      lastError = undefined;
      // Say only what is known: an update is shown once the workload read of the same moment is in, never a
      // Pacemaker-only "healthy" before it. One read at a time; an update that a newer one overtook is dropped.
      const seq = ++updates;
      const at = new Date().toISOString();
      const expected = o.workload !== undefined && workloadExpected(value.snapshot);
      shown = shown.then(async () => {
        if (seq !== updates) return;
        let workload: WorkloadReport | undefined;
        if (expected) {
          try {
            workload = await readWorkload(value.snapshot, o.target, { pool, hosts: nodeHosts, passwords: o.workload!.passwords, lagThresholdBytes: o.workload!.lagThresholdBytes, roleClock: roles });
          } catch (e) {
            process.stderr.write(`pcx status: workload read failed: ${e instanceof Error ? e.message : String(e)}\n`);
          }
          if (seq !== updates || stopped) return;
        }
        const health = healthWithWorkload(value.snapshot, workload);
        if (o.json) {
          out.write(JSON.stringify({ at, host: info.host, reason: info.reason, status: toStatusJson(value.snapshot, health, workload ? workloadJson(workload) : null) }) + '\n');
          return;
        }
        const text = renderStatusText(value.snapshot, health, { color: o.color, workload: workload ? (pal) => workloadTextLines(workload, pal) : undefined }).replace(/\n+$/, '');
        lastBody = markChanges(previousText, text, o.color) + (value.cibProblem ? `\n  CIB ignored: ${value.cibProblem}` : '');
        previousText = text;
        draw(lastBody, footerFor(`updated ${clock()} from ${info.host} (${info.reason}, CIB ${info.version})`));
      });
    },
    onError: (error, info) => {
      const message = error instanceof PcxFailure ? describeError(error) : error instanceof Error ? error.message : String(error);
      if (o.json) {
        out.write(JSON.stringify({ at: new Date().toISOString(), error: error instanceof PcxFailure ? { code: error.code, message: error.message, hint: error.hint ?? null, host: error.host ?? null } : { code: 'internal-error', message } }) + '\n');
        return;
      }
      if (message === lastError) return;
      lastError = message;
      const stale = lastBody ? `\n\n(last status, from before the error:)\n${lastBody}` : '';
      draw(`  ${message.replace(/\n/g, '\n  ')}${stale}`, footerFor(`${clock()}: no answer, retrying in ${Math.round(info.retryInMs / 1000)} s`));
    },
  });

  let stdinRaw = false;
  const ended = new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    if (tty && process.stdin.isTTY) {
      process.stdin.setRawMode(true);
      stdinRaw = true;
      process.stdin.resume();
      process.stdin.on('data', (d: Buffer) => {
        // q, Ctrl-C (raw mode delivers it as a byte), Ctrl-D
        if (d.includes(0x71) || d.includes(0x03) || d.includes(0x04)) stop();
      });
    }
    void o.until?.then(stop);
  });

  if (tty) writeControl(out, ALT_SCREEN_ON);
  try {
    poller.setVisible(true);
    await ended;
  } finally {
    poller.dispose();
    stopped = true;
    await shown;
    pool.closeAll();
    if (stdinRaw) {
      process.stdin.setRawMode(false);
      process.stdin.pause();
    }
    if (tty) {
      writeControl(out, ALT_SCREEN_OFF);
      // Leave the last report on the normal screen, as crm_mon's one-shot would have printed it.
      if (lastBody) out.write(`${lastBody}\n`);
    }
  }
  return 0;
}
