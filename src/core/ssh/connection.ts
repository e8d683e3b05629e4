/**
 * One persistent SSH connection to one host (ssh2), reused for every command.
 *
 * Opening (handshake.ts): resolve ssh_config → connect each ProxyJump hop (forwardOut through the previous one)
 * → verify the host key → authenticate. Every expected failure becomes a PcxFailure naming the host, the cause
 * and the fix (connectFailures.ts).
 *
 * Running: `exec(commandLine)` opens a channel, collects stdout/stderr and the exit status. A command timeout
 * closes the channel; a connection that drops mid-command ends in `connection-lost`. At most
 * MAX_CHANNELS channels are open at once (sshd's MaxSessions defaults to 10); a command waits for a free one at
 * most its own timeout.
 */
import type { Client, ClientChannel } from 'ssh2';
import { quoteArgv, type QuotedCommandLine } from '../util/shellQuote';
import { PcxFailure } from '../util/result';
import { runOnExecChannel, type ExecOptions, type ExecResult } from './execChannel';
import { connectHop, forwardOut, type ConnectOptions, type ConnectProgress } from './handshake';
import { ShellChannel, ShellUnavailable } from './shellChannel';
import { nodeTimeoutSeconds, withNodeTimeout } from './shellFrame';
import { ShellPool } from './shellPool';
import { resolveHost, type ResolvedHost, type SshTarget } from './sshConfig';
import { openExecStream, type ExecStream, type StreamHandlers } from './stream';

export type { ConnectOptions, ConnectProgress, HostKeyDecision, HostKeyPolicy, UnknownHostKey } from './handshake';
export { connectFailure, hostKeyAlgorithmOrder } from './connectFailures';


export type { ExecOptions, ExecResult } from './execChannel';

const DEFAULT_COMMAND_TIMEOUT_MS = 30_000;
/** Channels open at once per connection, shells included (below sshd's default MaxSessions 10). */
export const MAX_CHANNELS = 8;
/** Persistent shells per connection by default (see bench/channel.bench.ts for pool vs queue). */
export const DEFAULT_MAX_SHELLS = 2;
/** Larger stdin goes over a channel of its own rather than through the shell's printf. */
const MAX_SHELL_STDIN = 1024 * 1024;

export class SshConnection {
  private active = 0;
  /** exec() calls not finished yet (the pool does not close a connection as idle while one runs). */
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  private closedFlag = false;
  private readonly closeListeners: Array<() => void> = [];
  /** The persistent shells; undefined once they proved impossible on this host (or when turned off). */
  private shells: ShellPool | undefined;
  private fallbackLogged = false;
  /** The node refused the shell (forced command, restricted shell): send commands exactly as given. */
  private restricted = false;
  private nodeTimeout: Promise<boolean> | undefined;
  private readonly defaultTimeoutMs: number;
  private readonly handshakeTimeoutMs: number;
  private readonly log: ((message: string) => void) | undefined;

  private constructor(
    private readonly client: Client,
    /** Jump-host clients, outermost first; closed with this connection. */
    private readonly jumpClients: readonly Client[],
    readonly resolved: ResolvedHost,
    /** Milliseconds from the first TCP connect to a ready session (all hops). */
    readonly connectMs: number,
    options: ConnectOptions,
  ) {
    this.defaultTimeoutMs = options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
    this.handshakeTimeoutMs = options.connectTimeoutMs ?? resolved.connectTimeoutMs ?? 10_000;
    this.log = options.log;
    if ((options.commandChannel ?? 'shell') === 'shell') {
      this.shells = new ShellPool(resolved.alias, (ms) => this.drop(`(no answer from sshd within ${Math.round(ms / 100) / 10} s)`), (changed, answered) => this.openShell(changed, answered), options.maxShells ?? DEFAULT_MAX_SHELLS);
    }
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

  /**
   * sshd does not answer on this connection (network cut, host frozen): drop it, so the next request reconnects
   * and says what is really wrong ("no route", timeout). Returns the failure for the command that noticed.
   */
  drop(why: string): PcxFailure {
    const failure = this.lost(why);
    this.markGone();
    this.shells?.close();
    this.client.destroy();
    return failure;
  }

  /** The alias the user typed; used in every message. */
  get host(): string {
    return this.resolved.alias;
  }
  get closed(): boolean {
    return this.closedFlag;
  }
  /** A command is running or queued on this connection. */
  get busy(): boolean {
    return this.running > 0;
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
  static async open(target: SshTarget, options: ConnectOptions = {}, progress: ConnectProgress = {}): Promise<SshConnection> {
    const resolved = resolveHost(target, options.resolveEnv);
    const t0 = performance.now();
    const jumpClients: Client[] = [];
    try {
      let previous: { client: Client; hop: ResolvedHost } | undefined;
      for (const hop of [...resolved.jumps, resolved]) {
        const sock = previous ? await forwardOut(previous.client, hop, previous.hop) : undefined;
        // TCP progress is the target's own (a jump host answering says nothing about the target); abort is for every hop.
        const client = await connectHop(hop, options, sock, hop === resolved ? progress : { signal: progress.signal }).catch((e: unknown) => {
          // Say it was the jump host that failed (host-key messages name it already): callers relabel failures
          // with the host the user asked for, which would otherwise read as the target's own failure.
          if (hop === resolved || !(e instanceof PcxFailure) || e.code.startsWith('host-key')) throw e;
          throw new PcxFailure(e.code, `jump host ${hop.alias} (ProxyJump for ${resolved.alias}): ${e.message}`, e.hint, e.host, e.remedy);
        });
        if (hop !== resolved) jumpClients.push(client);
        previous = { client, hop };
      }
      return new SshConnection(previous!.client, jumpClients, resolved, performance.now() - t0, options);
    } catch (e) {
      for (const c of jumpClients) c.end();
      throw e;
    }
  }

  private tryAcquire(): boolean {
    if (this.active >= MAX_CHANNELS) return false;
    this.active++;
    return true;
  }
  /** A channel slot; waiting for one is bounded by the command's timeout (MAX_CHANNELS hung commands must not hang the rest). */
  private acquire(timeoutMs: number): Promise<void> {
    if (this.tryAcquire()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter = (): void => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        const i = this.waiting.indexOf(waiter);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(new PcxFailure('timeout', `a command on ${this.host} waited ${Math.round(timeoutMs / 100) / 10} s for a free channel: ${MAX_CHANNELS} channels were still in use on this connection`, 'Something on the node is slow or hangs (a stuck crm_mon, long log reads); try again, or look at the node directly.', this.host));
      }, timeoutMs);
      this.waiting.push(waiter);
    });
  }
  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }

  /**
   * Run one command line (quoted by quoteArgv) and collect its output and exit status: on one of the persistent
   * shells, or on a channel of its own (`ownChannel`, stdin over 1 MiB, or where no shell can be had).
   */
  async exec(commandLine: QuotedCommandLine, options: ExecOptions & { readonly ownChannel?: boolean } = {}): Promise<ExecResult> {
    if (this.closedFlag) throw this.lost('before the command started');
    this.running++;
    try {
      return await this.execNow(commandLine, options);
    } finally {
      this.running--;
    }
  }

  private async execNow(commandLine: QuotedCommandLine, options: ExecOptions & { readonly ownChannel?: boolean }): Promise<ExecResult> {
    const timeoutMs = options.timeoutMs ?? this.defaultTimeoutMs;
    const stdinBytes = options.stdin === undefined ? 0 : Buffer.byteLength(options.stdin);
    if (this.shells && !options.ownChannel && stdinBytes <= MAX_SHELL_STDIN) {
      try {
        return await this.shells.run(commandLine, { ...options, timeoutMs });
      } catch (e) {
        if (!(e instanceof ShellUnavailable)) throw e;
        this.shellUnavailable(e);
      }
    }
    // As on the shells, the node itself ends a command that overruns (sshd ignores the "signal" request).
    const onNode = await this.nodeEndsTimeouts();
    const line = onNode ? withNodeTimeout(commandLine, nodeTimeoutSeconds(timeoutMs)) : commandLine;
    await this.acquire(timeoutMs);
    try {
      return await runOnExecChannel(this.client, this, line, options, timeoutMs, onNode);
    } finally {
      this.release();
    }
  }

  /** A long-running command whose output arrives as it is written (stream.ts), on an exec channel of its own. */
  async stream(commandLine: QuotedCommandLine, handlers: StreamHandlers): Promise<ExecStream> {
    if (this.closedFlag) throw this.lost('before the stream started');
    await this.acquire(this.handshakeTimeoutMs);
    // A stream (log tail) keeps the connection busy: the pool does not close it as idle while it runs.
    this.running++;
    const s = openExecStream(this.client, this.host, commandLine, handlers, (l) => this.onClose(l));
    void s.ended.then(() => {
      this.running--;
      this.release();
    });
    return s;
  }

  /**
   * Does the node have `timeout`? Learnt from the first shell's handshake, else asked once on an exec channel.
   * Not used where the shell was refused: a forced command would see a command line it does not expect.
   */
  private nodeEndsTimeouts(): Promise<boolean> {
    if (this.restricted) return Promise.resolve(false);
    this.nodeTimeout ??= this.withChannel(() => runOnExecChannel(this.client, this, quoteArgv(['command', '-v', 'timeout']), {}, this.handshakeTimeoutMs)).then(
      (r) => r.code === 0,
      () => {
        this.nodeTimeout = undefined; // a transport failure says nothing about the node: ask again next time
        return false;
      },
    );
    return this.nodeTimeout;
  }

  private async withChannel<T>(fn: () => Promise<T>): Promise<T> {
    await this.acquire(this.handshakeTimeoutMs);
    try {
      return await fn();
    } finally {
      this.release();
    }
  }

  /**
   * Does sshd still answer on this connection? `true` on a channel of its own (not behind busy shells). No answer
   * within `timeoutMs`: the connection is dropped (network cut, frozen host) and false returned. A host whose
   * cluster tools hang still answers this: that tells "not answering" from "unreachable" on a connection made earlier.
   */
  async answers(timeoutMs: number): Promise<boolean> {
    if (this.closedFlag) return false;
    try {
      await runOnExecChannel(this.client, this, quoteArgv(['true']), {}, timeoutMs);
      return true;
    } catch {
      if (!this.closedFlag) this.drop(`(no answer from sshd within ${Math.round(timeoutMs / 100) / 10} s)`);
      return false;
    }
  }

  /** Persistent shells alive on this connection (diagnostics, tests). */
  get shellCount(): number {
    return this.shells?.size ?? 0;
  }

  /** How commands run on this connection now (for logs, tests and benchmarks). */
  get commandChannel(): 'shell' | 'exec' {
    return this.shells ? 'shell' : 'exec';
  }

  private openShell(changed: () => void, answered: () => void): Promise<ShellChannel> {
    if (!this.tryAcquire()) return Promise.reject(new ShellUnavailable(`all ${MAX_CHANNELS} channels to ${this.host} are in use`, false));
    // The shell holds its channel slot until it dies (or fails to start).
    let released = false;
    const releaseOnce = () => {
      if (released) return;
      released = true;
      this.release();
    };
    const onChange = (shell: ShellChannel) => {
      if (shell.dead) releaseOnce();
      changed();
    };
    return ShellChannel.open(this.client, this, onChange, this.handshakeTimeoutMs, answered).then(
      (shell) => {
        this.nodeTimeout ??= Promise.resolve(shell.endsTimeoutsOnNode);
        return shell;
      },
      (e: unknown) => {
        releaseOnce();
        throw e;
      },
    );
  }

  private shellUnavailable(e: ShellUnavailable): void {
    if (e.permanent) {
      this.restricted = true;
      this.shells?.close();
      this.shells = undefined;
    }
    if (!this.fallbackLogged) {
      this.fallbackLogged = true;
      this.log?.(`${this.host}: ${e.message}; running ${e.permanent ? 'every command' : 'this command'} on its own SSH channel instead (slower: one sshd session set-up per command)`);
    }
  }

  lost(when: string): PcxFailure {
    return new PcxFailure('connection-lost', `the SSH connection to ${this.host} dropped ${when}`, `The host or network went away, or the network to it is losing packets (check with ping -c 20 ${this.host}); pcx reconnects on the next request. If it keeps happening, check the host and ServerAliveInterval.`, this.host);
  }

  /**
   * A TCP stream to `host:port` as the remote host sees it (`ssh -L` without a local port): nothing listens on
   * this machine and nothing is opened on the node. Holds one channel slot until the stream closes.
   */
  async forwardOut(host: string, port: number, timeoutMs = 5_000): Promise<ClientChannel> {
    if (this.closedFlag) throw this.lost('before a tunnel was opened');
    await this.acquire(timeoutMs);
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      this.release();
    };
    try {
      const stream = await new Promise<ClientChannel>((resolve, reject) => {
        let late = false;
        const timer = setTimeout(() => {
          late = true;
          reject(new PcxFailure('timeout', `${this.host} did not open a tunnel to ${host}:${port} within ${timeoutMs / 1000} s`, 'The node may be overloaded; try again.', this.host));
        }, timeoutMs);
        this.client.forwardOut('127.0.0.1', 0, host, port, (err, s) => {
          clearTimeout(timer);
          if (late) return s?.close();
          if (!err) return resolve(s);
          // sshd says "Connection refused" (nothing listens) or "administratively prohibited" (AllowTcpForwarding no).
          const prohibited = /prohibited/i.test(err.message);
          reject(new PcxFailure(
            prohibited ? 'forwarding-refused' : 'tunnel-refused',
            prohibited ? `sshd on ${this.host} does not allow port forwarding (${err.message})` : `nothing answers on ${host}:${port} on ${this.host} (${err.message})`,
            prohibited ? `Allow it for this user in /etc/ssh/sshd_config on ${this.host} (AllowTcpForwarding local), then reload sshd.` : `Check that the service runs on ${this.host} and listens on ${host}:${port}.`,
            this.host,
          ));
        });
      });
      stream.once('close', release);
      return stream;
    } catch (e) {
      release();
      throw e;
    }
  }

  /** Close this connection and its jump hops. */
  close(): void {
    this.shells?.close();
    this.client.end();
    for (const c of [...this.jumpClients].reverse()) c.end();
  }

  /** Tear the TCP connection down without a goodbye (tests use it to simulate a dropped link). */
  destroyForTest(): void {
    this.client.destroy();
  }
}
