/**
 * One persistent SSH connection to one host (ssh2), reused for every command.
 *
 * Opening (handshake.ts): resolve ssh_config → connect each ProxyJump hop (forwardOut through the previous one)
 * → verify the host key → authenticate. Every expected failure becomes a PcxFailure naming the host, the cause
 * and the fix (connectFailures.ts).
 *
 * Running: `exec(commandLine)` opens a channel, collects stdout/stderr and the exit status. A command timeout
 * closes the channel; a connection that drops mid-command ends in `connection-lost`. At most
 * MAX_CHANNELS channels are open at once (sshd's MaxSessions defaults to 10).
 */
import type { Client, ClientChannel } from 'ssh2';
import type { QuotedCommandLine } from '../remote/shellQuote';
import { PcxFailure } from '../util/result';
import { connectHop, forwardOut, type ConnectOptions } from './handshake';
import { resolveHost, type ResolvedHost, type SshTarget } from './sshConfig';

export type { ConnectOptions, HostKeyDecision, HostKeyPolicy, UnknownHostKey } from './handshake';
export { connectFailure, hostKeyAlgorithmOrder } from './connectFailures';


export interface ExecOptions {
  readonly timeoutMs?: number;
  readonly stdin?: string | Buffer;
}
export interface ExecResult {
  readonly stdout: string;
  readonly stderr: string;
  /** Exit status; null when the remote side was killed by a signal. */
  readonly code: number | null;
  readonly signal?: string;
}

const DEFAULT_COMMAND_TIMEOUT_MS = 30_000;
const MAX_CHANNELS = 8;

export class SshConnection {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  private closedFlag = false;
  private readonly closeListeners: Array<() => void> = [];

  private constructor(
    private readonly client: Client,
    /** Jump-host clients, outermost first; closed with this connection. */
    private readonly jumpClients: readonly Client[],
    readonly resolved: ResolvedHost,
    /** Milliseconds from the first TCP connect to a ready session (all hops). */
    readonly connectMs: number,
    private readonly defaultTimeoutMs: number,
  ) {
    const onGone = () => this.markGone();
    client.on('close', onGone);
    client.on('end', onGone);
    // After 'ready', errors (keepalive timeout, reset) surface as a close; swallow them here so they never crash.
    client.on('error', onGone);
  }

  private markGone(): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    for (const l of this.closeListeners.splice(0)) l();
  }

  /** The alias the user typed; used in every message. */
  get host(): string {
    return this.resolved.alias;
  }
  get closed(): boolean {
    return this.closedFlag;
  }
  /** Call `listener` once when the connection is gone; returns a function that unsubscribes it. */
  onClose(listener: () => void): () => void {
    if (this.closedFlag) {
      listener();
      return () => undefined;
    }
    this.closeListeners.push(listener);
    return () => {
      const i = this.closeListeners.indexOf(listener);
      if (i >= 0) this.closeListeners.splice(i, 1);
    };
  }

  /** Resolve `target` through ssh_config and connect (through any ProxyJump hops). */
  static async open(target: SshTarget, options: ConnectOptions = {}): Promise<SshConnection> {
    const resolved = resolveHost(target, options.resolveEnv);
    const t0 = performance.now();
    const jumpClients: Client[] = [];
    try {
      let previous: { client: Client; hop: ResolvedHost } | undefined;
      for (const hop of [...resolved.jumps, resolved]) {
        const sock = previous ? await forwardOut(previous.client, hop, previous.hop) : undefined;
        const client = await connectHop(hop, options, sock);
        if (hop !== resolved) jumpClients.push(client);
        previous = { client, hop };
      }
      return new SshConnection(previous!.client, jumpClients, resolved, performance.now() - t0, options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS);
    } catch (e) {
      for (const c of jumpClients) c.end();
      throw e;
    }
  }

  private async acquire(): Promise<void> {
    if (this.active < MAX_CHANNELS) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }
  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }

  /** Run one shell command line (already quoted by quoteArgv) and collect its output and exit status. */
  async exec(commandLine: QuotedCommandLine, options: ExecOptions = {}): Promise<ExecResult> {
    if (this.closedFlag) throw this.lost('before the command started');
    await this.acquire();
    try {
      return await this.execChannel(commandLine, options);
    } finally {
      this.release();
    }
  }

  private lost(when: string): PcxFailure {
    return new PcxFailure('connection-lost', `the SSH connection to ${this.host} dropped ${when}`, 'The host or network went away; pcx reconnects on the next request. If it keeps happening, check the host and ServerAliveInterval.', this.host);
  }

  private execChannel(commandLine: QuotedCommandLine, options: ExecOptions): Promise<ExecResult> {
    const timeoutMs = options.timeoutMs ?? this.defaultTimeoutMs;
    return new Promise<ExecResult>((resolve, reject) => {
      let settled = false;
      let channel: ClientChannel | undefined;
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      let code: number | null = null;
      let signal: string | undefined;
      let exited = false;

      let unsubscribe: () => void = () => undefined;
      const finish = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        unsubscribe();
        fn();
      };
      const timer = setTimeout(() => {
        finish(() => {
          const seconds = Math.round(timeoutMs / 100) / 10;
          if (!channel) {
            // sshd did not even open a channel: the connection itself is dead (network cut, host frozen), not the
            // command. Drop it, so the next request reconnects and says what is really wrong ("no route", timeout).
            reject(this.lost(`(no answer from sshd within ${seconds} s)`));
            this.markGone();
            this.client.destroy();
            return;
          }
          channel.signal('KILL');
          channel.close();
          reject(new PcxFailure('timeout', `a command on ${this.host} did not finish within ${seconds} s`, 'The node may be overloaded or Pacemaker is hanging; try again, or look at the node directly.', this.host));
        });
      }, timeoutMs);
      // Unsubscribed when the command ends, so a long-lived connection does not collect one listener per command.
      unsubscribe = this.onClose(() => finish(() => reject(this.lost('while a command was running'))));

      try {
        this.client.exec(commandLine, (err, stream) => {
          if (err) {
            finish(() => reject(this.closedFlag ? this.lost('while opening a channel') : new PcxFailure('channel-failed', `${this.host} refused to open a command channel: ${err.message}`, 'sshd may limit sessions (MaxSessions) or forbid commands for this user (ForceCommand).', this.host)));
            return;
          }
          channel = stream;
          stream.on('data', (d: Buffer) => stdout.push(d));
          stream.stderr.on('data', (d: Buffer) => stderr.push(d));
          stream.on('exit', (c: number | null, sig?: string) => {
            exited = true;
            code = c;
            signal = sig ?? undefined;
          });
          stream.on('close', () => {
            if (!exited && this.closedFlag) {
              finish(() => reject(this.lost('while a command was running')));
              return;
            }
            finish(() => resolve({
              stdout: Buffer.concat(stdout).toString('utf8'),
              stderr: Buffer.concat(stderr).toString('utf8'),
              code: exited ? code : null,
              signal,
            }));
          });
          if (options.stdin !== undefined) stream.end(options.stdin);
          else stream.end();
        });
      } catch (e) {
        finish(() => reject(this.closedFlag ? this.lost('before the command started') : e));
      }
    });
  }

  /** Close this connection and its jump hops. */
  close(): void {
    this.client.end();
    for (const c of [...this.jumpClients].reverse()) c.end();
  }

  /** Tear the TCP connection down without a goodbye (tests use it to simulate a dropped link). */
  destroyForTest(): void {
    this.client.destroy();
  }
}
