/**
 * One persistent connection per (user, host, port, config): opened on first use, reused for every command,
 * reopened when it drops.
 *
 * Reconnect with backoff: a failed connect to a host is remembered; until its backoff delay has passed, get()
 * fails at once with that same failure instead of waiting out another timeout (a poller must not hang on a
 * dead node every few seconds). The delay doubles per consecutive failure (initialDelayMs … maxDelayMs) and is
 * forgotten on the first success. Failures that retrying cannot fix (host key, auth, DNS) are not retried
 * within one get() at all; transient ones (refused, timeout, dropped) are retried `attempts` times.
 */
import { PcxFailure } from '../util/result';
import { SshConnection, type ConnectOptions } from './connection';
import type { SshTarget } from './sshConfig';

export interface BackoffOptions {
  /** Connect attempts within one get() for transient failures. Default 2. */
  readonly attempts?: number;
  readonly initialDelayMs?: number;
  readonly maxDelayMs?: number;
}

/** Failure codes worth trying again: the network or the host may come back. */
export const TRANSIENT_CODES: ReadonlySet<string> = new Set(['unreachable', 'timeout', 'connection-lost']);

interface Entry {
  connection?: SshConnection;
  opening?: Promise<SshConnection>;
  failures: number;
  lastFailure?: PcxFailure;
  retryAt: number;
}

export class SshPool {
  private readonly entries = new Map<string, Entry>();
  private readonly attempts: number;
  private readonly initialDelayMs: number;
  private readonly maxDelayMs: number;

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
  }

  static key(target: SshTarget): string {
    return JSON.stringify([target.user ?? '', target.host, target.port ?? '', target.identityFile ?? '', target.sshConfigPath ?? '', target.knownHostsPath ?? '']);
  }

  /** The open connection for `target`, (re)connecting if needed. */
  async get(target: SshTarget): Promise<SshConnection> {
    const key = SshPool.key(target);
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { failures: 0, retryAt: 0 };
      this.entries.set(key, entry);
    }
    if (entry.connection && !entry.connection.closed) return entry.connection;
    if (entry.opening) return entry.opening;
    if (entry.lastFailure && this.now() < entry.retryAt) {
      const seconds = Math.ceil((entry.retryAt - this.now()) / 1000);
      const f = entry.lastFailure;
      throw new PcxFailure(f.code, `${f.message} (retrying in ${seconds} s)`, f.hint, f.host);
    }
    const e = entry;
    e.opening = this.connectWithRetry(target).then(
      (connection) => {
        e.connection = connection;
        e.opening = undefined;
        e.failures = 0;
        e.lastFailure = undefined;
        return connection;
      },
      (failure: unknown) => {
        e.opening = undefined;
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

  private async connectWithRetry(target: SshTarget): Promise<SshConnection> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await SshConnection.open(target, this.options);
      } catch (e) {
        const transient = e instanceof PcxFailure && TRANSIENT_CODES.has(e.code);
        if (!transient || attempt >= this.attempts) throw e;
        await this.sleep(this.delay(attempt));
      }
    }
  }

  /** Forget a host's failure history (e.g. the user pressed "retry now"). */
  resetBackoff(target: SshTarget): void {
    const entry = this.entries.get(SshPool.key(target));
    if (entry) {
      entry.failures = 0;
      entry.lastFailure = undefined;
      entry.retryAt = 0;
    }
  }

  /** Close every connection. */
  closeAll(): void {
    for (const entry of this.entries.values()) entry.connection?.close();
    this.entries.clear();
  }
}
