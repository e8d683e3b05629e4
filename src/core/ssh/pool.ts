/**
 * One persistent connection per (user, host, port, config): opened on first use, reused for every command,
 * reopened when it drops.
 *
 * Reconnect with backoff: a failed connect to a host is remembered; until its backoff delay has passed, get()
 * fails at once with that same failure instead of waiting out another timeout (a poller must not hang on a
 * dead node every few seconds). The delay doubles per consecutive failure (initialDelayMs … maxDelayMs) and is
 * forgotten on the first success. Failures that retrying cannot fix (host key, auth, DNS) are not retried
 * within one get() at all; transient ones (refused, timeout, dropped) are retried `attempts` times.
 *
 * Closing: close(target) and closeAll() close open connections AND ones still opening (those are closed the moment
 * they are ready, and their get() fails with 'connection-closed'). With idleCloseMs, a connection no get() asked
 * for during that long (and running no command) is closed; the next get() opens a new one.
 *
 * Dead hosts (deadHosts.ts): a host a reader found dead (markDead) fails get() at once with what it did, for
 * every later reader of the pool, instead of being waited on again; meanwhile it is retried in the background
 * (the connect already under way goes on, or a new one is started) and forgotten as soon as it connects.
 * stage() tells how far a connect got (TCP made or not), so a slow host is named for what it really did.
 */
import { PcxFailure } from '../util/result';
import { SshConnection, type ConnectOptions } from './connection';
import { DeadHosts } from './deadHosts';
import type { SshTarget } from './sshConfig';

export interface BackoffOptions {
  /** Connect attempts within one get() for transient failures. Default 2. */
  readonly attempts?: number;
  readonly initialDelayMs?: number;
  readonly maxDelayMs?: number;
  /** Close a connection nobody asked for during this long. Default: never (callers close). */
  readonly idleCloseMs?: number;
  /** How long a host marked dead is not waited on (default DEAD_HOST_TTL_MS). */
  readonly deadHostTtlMs?: number;
}

/** How far the connection to a host got: open, TCP made but no SSH session yet, TCP not made, or not asked. */
export type ConnectStage = 'ready' | 'tcp' | 'connecting' | 'none';

/** Failure codes worth trying again: the network or the host may come back. */
export const TRANSIENT_CODES: ReadonlySet<string> = new Set(['unreachable', 'timeout', 'connection-lost']);

interface Entry {
  connection?: SshConnection;
  opening?: Promise<SshConnection>;
  failures: number;
  lastFailure?: PcxFailure;
  retryAt: number;
  idleTimer?: ReturnType<typeof setTimeout>;
  /** While opening: whether TCP is made yet, and how to give the connect up. */
  tcp?: boolean;
  abort?: AbortController;
}

export class SshPool {
  private readonly entries = new Map<string, Entry>();
  private readonly attempts: number;
  private readonly initialDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly idleCloseMs: number | undefined;
  /** Hosts found dead by some reader of this pool (see the file comment). */
  readonly dead: DeadHosts;

  constructor(
    private readonly options: ConnectOptions = {},
    backoff: BackoffOptions = {},
    /** Injected for tests. */
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
    private readonly now: () => number = Date.now,
  ) {
    this.attempts = Math.max(1, backoff.attempts ?? 2);
    this.initialDelayMs = backoff.initialDelayMs ?? 500;
    this.maxDelayMs = backoff.maxDelayMs ?? 30_000;
    this.idleCloseMs = backoff.idleCloseMs;
    this.dead = new DeadHosts(backoff.deadHostTtlMs, now);
  }

  static key(target: SshTarget): string {
    return JSON.stringify([target.user ?? '', target.host, target.port ?? '', target.identityFile ?? '', target.sshConfigPath ?? '', target.knownHostsPath ?? '']);
  }

  /**
   * The open connection for `target`, (re)connecting if needed. A host marked dead (transport) fails at once
   * unless `evenIfDead` (the one reader that has nobody else to ask), and is retried in the background.
   */
  async get(target: SshTarget, options: { readonly evenIfDead?: boolean } = {}): Promise<SshConnection> {
    if (this.shut) throw new PcxFailure('connection-closed', `not connecting to ${target.host}: the SSH connections were shut down (the window or extension is closing)`, 'Nothing to do.', target.host);
    const key = SshPool.key(target);
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { failures: 0, retryAt: 0 };
      this.entries.set(key, entry);
    }
    if (entry.connection && !entry.connection.closed) {
      this.touch(key, entry);
      return entry.connection;
    }
    const dead = options.evenIfDead ? undefined : this.dead.get(key);
    if (dead?.transport) {
      if (!entry.opening && !(entry.lastFailure && this.now() < entry.retryAt)) {
        // Later, not now: resolving the host (ssh -G) is synchronous and this caller must not wait for it.
        // Not after close()/closeAll(): the entry must still be this one.
        const e = entry;
        setTimeout(() => {
          if (this.entries.get(key) === e && !e.opening) void this.get(target, { evenIfDead: true }).catch(() => undefined);
        }, 0).unref?.();
      }
      throw this.dead.failureFor(key)!;
    }
    if (entry.opening) return entry.opening;
    if (entry.lastFailure && this.now() < entry.retryAt) {
      const seconds = Math.ceil((entry.retryAt - this.now()) / 1000);
      const f = entry.lastFailure;
      throw new PcxFailure(f.code, `${f.message} (retrying in ${seconds} s)`, f.hint, f.host);
    }
    const e = entry;
    e.tcp = false;
    e.abort = new AbortController();
    e.opening = this.connectWithRetry(target, e).then(
      (connection) => {
        if (this.entries.get(key) !== e) {
          // close()/closeAll() ran while this one was opening: it must not outlive them.
          connection.close();
          throw new PcxFailure('connection-closed', `the connection to ${target.host} was closed while it was opening`, 'The cluster was removed or redefined, or the window is closing; nothing to do.', target.host);
        }
        e.connection = connection;
        this.touch(key, e);
        e.opening = undefined;
        e.abort = undefined;
        e.failures = 0;
        e.lastFailure = undefined;
        this.dead.clear(key);
        return connection;
      },
      (failure: unknown) => {
        e.opening = undefined;
        e.abort = undefined;
        e.failures++;
        if (failure instanceof PcxFailure) {
          e.lastFailure = failure;
          e.retryAt = this.now() + this.delay(e.failures);
        }
        throw failure;
      },
    );
    return e.opening;
  }

  /** Backoff delay after `failures` consecutive failures. */
  delay(failures: number): number {
    return Math.min(this.maxDelayMs, this.initialDelayMs * 2 ** Math.max(0, failures - 1));
  }

  private async connectWithRetry(target: SshTarget, e: Entry): Promise<SshConnection> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await SshConnection.open(target, this.options, { onTcp: () => (e.tcp = true), signal: e.abort?.signal });
      } catch (err) {
        const transient = err instanceof PcxFailure && TRANSIENT_CODES.has(err.code);
        if (!transient || attempt >= this.attempts || e.abort?.signal.aborted) throw err;
        await this.sleep(this.delay(attempt));
      }
    }
  }

  /** How far the connection to `target` got (see ConnectStage). */
  stage(target: SshTarget): ConnectStage {
    const e = this.entries.get(SshPool.key(target));
    if (e?.connection && !e.connection.closed) return 'ready';
    if (e?.opening) return e.tcp ? 'tcp' : 'connecting';
    return 'none';
  }

  /** A reader found `target` dead: later readers fail at once instead of waiting (see the file comment). */
  markDead(target: SshTarget, failure: PcxFailure, transport: boolean): void {
    this.dead.mark(SshPool.key(target), failure, transport);
  }

  /** Forget a host's failure history (e.g. the user pressed "retry now"). */
  resetBackoff(target: SshTarget): void {
    this.dead.clear(SshPool.key(target));
    const entry = this.entries.get(SshPool.key(target));
    if (entry) {
      entry.failures = 0;
      entry.lastFailure = undefined;
      entry.retryAt = 0;
    }
  }

  /** (Re)start the idle clock of an entry whose connection was just handed out. */
  private touch(key: string, entry: Entry): void {
    if (this.idleCloseMs === undefined) return;
    clearTimeout(entry.idleTimer);
    const idleMs = this.idleCloseMs;
    const check = (): void => {
      if (this.entries.get(key) !== entry) return;
      // A command still running (a long log read) keeps the connection; look again later.
      if (entry.connection?.busy) {
        entry.idleTimer = setTimeout(check, idleMs);
        entry.idleTimer.unref?.();
        return;
      }
      this.closeEntry(key, entry);
    };
    entry.idleTimer = setTimeout(check, idleMs);
    // An idle timer alone must not keep a process (pcx, a test) alive.
    entry.idleTimer.unref?.();
  }

  private closeEntry(key: string, entry: Entry): void {
    clearTimeout(entry.idleTimer);
    if (this.entries.get(key) === entry) this.entries.delete(key);
    // A connect still waiting for a SYN-ACK or a handshake is given up now, not left to its own deadline.
    entry.abort?.abort();
    entry.connection?.close();
  }

  /** Close the connection for `target`, also one still opening. The next get() opens a new one. */
  close(target: SshTarget): void {
    const key = SshPool.key(target);
    const entry = this.entries.get(key);
    if (entry) this.closeEntry(key, entry);
  }

  /** How many connections are open or opening (for tests and the log). */
  get size(): number {
    return [...this.entries.values()].filter((e) => e.opening || (e.connection && !e.connection.closed)).length;
  }

  /** Close every connection, also those still opening. */
  closeAll(): void {
    for (const [key, entry] of [...this.entries]) this.closeEntry(key, entry);
  }

  private shut = false;

  /** closeAll() for good: a read still in flight cannot open a new connection afterwards (deactivate). */
  shutdown(): void {
    this.shut = true;
    this.closeAll();
  }
}
