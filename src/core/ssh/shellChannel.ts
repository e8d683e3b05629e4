/**
 * The persistent command channel: one long-lived POSIX `sh` (`exec sh` on one exec channel — nothing installed
 * on the node), to which commands are written one at a time and from which each one's stdout, stderr and exit
 * status are read back (framing: shellFrame.ts). A new exec channel costs sshd a session set-up (~100 ms with
 * PAM); a command written to this shell costs what the command costs.
 *
 * - Exit status: as the shell reports it, so a command killed by signal N reads as 128+N (there is no separate
 *   `signal` as on exec channels).
 * - Timeouts: when the node has `timeout` (coreutils, busybox), each command runs under `timeout -k 2 SECONDS`,
 *   so the node ends it — through sudo too, which relays SIGTERM — and the shell is reused once the frame of the
 *   killed command arrives. The caller hears "timeout" at its deadline either way. If the frame does not come
 *   within the kill grace and some slack (or the node has no `timeout`), the shell counts as hung: sshd is asked
 *   to kill the session's processes and the channel is closed; the next command gets a fresh shell.
 * - A shell that dies (killed, channel closed) fails the command in flight with `shell-lost`; the connection
 *   itself stays up.
 */
import type { Client, ClientChannel } from 'ssh2';
import { quoteArgv, type QuotedCommandLine } from '../util/shellQuote';
import { PcxFailure } from '../util/result';
import { channelRefused, commandTimeout, killAndClose, type ChannelHost, type ExecOptions, type ExecResult } from './execChannel';
import { FrameReader, KILL_GRACE_S, frameCommand, newMarker, nodeTimeoutSeconds, statusFromTrailer } from './shellFrame';

/** Time the node's `timeout` gets, after our deadline, to deliver the frame of the command it killed. */
const DRAIN_SLACK_MS = 3_000;

/** The shell could not be started or did not answer like a POSIX shell; `permanent`: not worth trying again. */
export class ShellUnavailable extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'ShellUnavailable';
  }
}

export interface ShellRunOptions extends ExecOptions {
  readonly timeoutMs: number;
  /** When the caller asked (Date.now()); the deadline is askedAt + timeoutMs. Default: now. */
  readonly askedAt?: number;
}

interface InFlight {
  readonly out: FrameReader;
  readonly err: FrameReader;
  /** The caller has its answer (result or timeout); the frame is still awaited to reuse the shell. */
  answered: boolean;
  readonly resolve: (r: ExecResult) => void;
  readonly reject: (e: unknown) => void;
  readonly deadline: number;
  readonly timeoutMs: number;
  timer?: NodeJS.Timeout;
  drainTimer?: NodeJS.Timeout;
}

export class ShellChannel {
  private current: InFlight | undefined;
  private deadFlag = false;
  private exitInfo = '';
  /** Does the node have `timeout`? Learnt in the handshake. */
  private nodeTimeout = false;

  private constructor(
    private readonly channel: ClientChannel,
    private readonly on: ChannelHost,
    /** Called when this shell becomes idle or dies (the pool dispatches the next command). */
    private readonly changed: (shell: ShellChannel) => void,
  ) {
    channel.on('data', (d: Buffer) => this.received(d, 'out'));
    channel.stderr.on('data', (d: Buffer) => this.received(d, 'err'));
    channel.on('exit', (code: number | null, signal?: string) => {
      this.exitInfo = signal ? ` (killed by signal ${signal})` : code !== null && code !== undefined ? ` (exit status ${code})` : '';
      // The shell is gone even if what it ran still holds the channel open: don't wait for that.
      this.kill();
    });
    channel.on('close', () => this.died());
  }

  /**
   * Start `sh` on a new channel and check that it answers framed commands within `handshakeTimeoutMs`.
   * `answered` is called as soon as sshd answers the channel request (the connection is alive).
   */
  static open(client: Client, on: ChannelHost, changed: (shell: ShellChannel) => void, handshakeTimeoutMs: number, answered: () => void = () => undefined): Promise<ShellChannel> {
    return new Promise<ShellChannel>((resolve, reject) => {
      let gaveUp = false;
      // sshd that does not even open a channel is not there any more (network cut, host frozen).
      const openTimer = setTimeout(() => {
        gaveUp = true;
        reject(on.drop(`(no answer from sshd within ${Math.round(handshakeTimeoutMs / 100) / 10} s)`));
      }, handshakeTimeoutMs);
      try {
        // `exec sh`: whatever the login shell (bash, zsh, fish, tcsh), commands then run in a POSIX sh. A
        // restricted shell refuses `exec`; a forced command ignores it: both fail the handshake below.
        client.exec(quoteArgv(['exec', 'sh']), (err, channel) => {
          clearTimeout(openTimer);
          answered();
          if (gaveUp) {
            if (!err) killAndClose(channel); // opened after we gave up on it: nobody will use it
            return;
          }
          if (err) {
            reject(on.closed ? on.lost('while opening a channel') : new ShellUnavailable(channelRefused(on.host, err).message, false));
            return;
          }
          const shell = new ShellChannel(channel, on, changed);
          shell.run(quoteArgv(['command', '-v', 'timeout']), { timeoutMs: handshakeTimeoutMs }).then(
            (r) => {
              shell.nodeTimeout = r.code === 0;
              resolve(shell);
            },
            (e: unknown) => {
              shell.kill();
              // A tick later, as in died(): a dropped connection reports its close after the channel's.
              setImmediate(() => {
                if (on.closed) return reject(on.lost('while a command was running'));
                const why = e instanceof PcxFailure && e.code === 'timeout' ? 'it did not answer' : e instanceof Error ? e.message : String(e);
                reject(new ShellUnavailable(`\`sh\` on ${on.host} cannot serve as a command shell (forced command or restricted shell?): ${why}`, true));
              });
            },
          );
        });
      } catch (e) {
        clearTimeout(openTimer);
        reject(on.closed ? on.lost('while opening a channel') : e);
      }
    });
  }

  get busy(): boolean {
    return this.current !== undefined;
  }
  get dead(): boolean {
    return this.deadFlag;
  }
  /** The node ends timed-out commands itself (`timeout -k`). */
  get endsTimeoutsOnNode(): boolean {
    return this.nodeTimeout;
  }

  /** Run one command line; the shell must be idle (the pool sees to it). */
  run(commandLine: QuotedCommandLine, options: ShellRunOptions): Promise<ExecResult> {
    if (this.deadFlag) return Promise.reject(this.lostFailure());
    if (this.current) return Promise.reject(new Error('ShellChannel.run: the shell is busy'));
    const timeoutMs = options.timeoutMs;
    // The deadline counts from when the caller asked (time spent waiting for a free shell included).
    const leftMs = Math.max(1, (options.askedAt ?? Date.now()) + timeoutMs - Date.now());
    const nodeSeconds = this.nodeTimeout ? nodeTimeoutSeconds(leftMs) : undefined;
    const stdin = typeof options.stdin === 'string' ? Buffer.from(options.stdin, 'utf8') : options.stdin;
    const marker = newMarker();
    const script = frameCommand(commandLine, marker, { timeoutS: nodeSeconds, stdin });
    return new Promise<ExecResult>((resolve, reject) => {
      const job: InFlight = { out: new FrameReader(marker), err: new FrameReader(marker), answered: false, resolve, reject, deadline: Date.now() + leftMs, timeoutMs };
      this.current = job;
      job.timer = setTimeout(() => {
        job.answered = true;
        reject(commandTimeout(this.on.host, timeoutMs, nodeSeconds !== undefined));
        if (nodeSeconds === undefined) {
          this.kill();
          return;
        }
        // The node's own deadline is at most a second later (whole seconds), then SIGKILL after the grace.
        const drainMs = nodeSeconds * 1000 - leftMs + KILL_GRACE_S * 1000 + DRAIN_SLACK_MS;
        job.drainTimer = setTimeout(() => this.kill(), drainMs);
      }, leftMs);
      this.channel.write(script);
    });
  }

  /** Close the shell (and, if sshd agrees, kill what it still runs). */
  kill(): void {
    if (this.deadFlag) return;
    killAndClose(this.channel);
    this.died();
  }

  private received(chunk: Buffer, stream: 'out' | 'err'): void {
    const job = this.current;
    if (!job) return; // output of nobody (a background leftover of an earlier command): dropped
    (stream === 'out' ? job.out : job.err).push(chunk);
    if (!job.out.complete || !job.err.complete) return;
    clearTimeout(job.timer);
    clearTimeout(job.drainTimer);
    this.current = undefined;
    const code = statusFromTrailer(job.out.trailer);
    if (code === undefined || job.err.trailer !== '') {
      // Cannot happen with a POSIX sh; if it does, nothing more this shell says can be trusted.
      if (!job.answered) job.reject(new PcxFailure('shell-protocol', `the command shell on ${this.on.host} answered out of frame`, 'pcx opens a new one for the next command; if this repeats, report it with the node\'s /bin/sh.', this.on.host));
      this.kill();
      return;
    }
    if (!job.answered && Date.now() >= job.deadline) {
      // Finished only as the deadline passed (the node's `timeout` may have ended it): a timeout all the same.
      job.answered = true;
      job.reject(commandTimeout(this.on.host, job.timeoutMs, this.nodeTimeout));
    }
    if (!job.answered) {
      const out = job.out.body;
      const err = job.err.body;
      job.resolve({ stdout: out.toString('utf8'), stderr: err.toString('utf8'), stdoutBytes: out, stderrBytes: err, code });
    }
    this.changed(this);
  }

  private lostFailure(): PcxFailure {
    if (this.on.closed) return this.on.lost('while a command was running');
    return new PcxFailure(
      'shell-lost',
      `the command shell on ${this.on.host} ended while a command was running${this.exitInfo}`,
      'Something on the node killed it (or it ran out of memory). pcx starts a new one for the next command: try again.',
      this.on.host,
    );
  }

  private died(): void {
    if (this.deadFlag) return;
    this.deadFlag = true;
    const job = this.current;
    this.current = undefined;
    if (job) {
      clearTimeout(job.timer);
      clearTimeout(job.drainTimer);
      // A tick later: when the whole connection went, its close event follows the channel's.
      if (!job.answered) setImmediate(() => job.reject(this.lostFailure()));
    }
    this.changed(this);
  }
}
