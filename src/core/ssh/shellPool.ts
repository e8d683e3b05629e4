/**
 * Up to `max` persistent shells per connection (shellChannel.ts), each running one command at a time; further
 * commands wait in one FIFO queue. With max = 1 this is a plain fair queue; with 2, the crm_mon and cibadmin of
 * one refresh run side by side (bench/channel.bench.ts measures both).
 *
 * Shells are opened on demand and reused; a shell that dies or hangs is dropped and the next command that needs
 * one opens a fresh one. When not even one shell can be opened, the queued commands fail with ShellUnavailable
 * and the connection runs them on exec channels instead.
 */
import type { QuotedCommandLine } from '../util/shellQuote';
import { commandCancelled, commandTimeout, type ExecOptions, type ExecResult } from './execChannel';
import { ShellUnavailable, type ShellChannel, type ShellRunOptions } from './shellChannel';

interface Job {
  readonly commandLine: QuotedCommandLine;
  readonly options: ShellRunOptions & { readonly askedAt: number };
  readonly resolve: (r: ExecResult) => void;
  readonly reject: (e: unknown) => void;
  /** Fails the job if no shell took it before its deadline. */
  readonly queueTimer: NodeJS.Timeout;
}

export class ShellPool {
  private readonly shells: ShellChannel[] = [];
  private readonly queue: Job[] = [];
  private opening = 0;
  /** Shells being opened whose channel sshd has not confirmed yet. */
  private unanswered = 0;
  private closedFlag = false;

  constructor(
    private readonly host: string,
    /** A command waited its whole timeout for a shell sshd never opened: the failure to report (and act on). */
    private readonly stalled: (timeoutMs: number) => unknown,
    /** Opens one more shell; `changed` must be called when it becomes idle or dies, `answered` when sshd opened its channel. */
    private readonly openShell: (changed: () => void, answered: () => void) => Promise<ShellChannel>,
    private max: number,
  ) {
    if (max < 1) throw new Error('ShellPool: max must be at least 1');
  }

  /** Live shells (for tests and diagnostics). */
  get size(): number {
    return this.shells.filter((s) => !s.dead).length;
  }

  run(commandLine: QuotedCommandLine, options: ExecOptions & { readonly timeoutMs: number }): Promise<ExecResult> {
    return new Promise<ExecResult>((resolve, reject) => {
      const queueTimer = setTimeout(() => {
        const i = this.queue.indexOf(job);
        if (i < 0) return;
        this.queue.splice(i, 1);
        // Waiting for a shell that sshd never opened (and none alive): the connection is dead, not the command.
        const stalled = this.unanswered > 0 && this.size === 0;
        reject(stalled ? this.stalled(options.timeoutMs) : commandTimeout(this.host, options.timeoutMs, false));
      }, options.timeoutMs);
      const job: Job = { commandLine, options: { ...options, askedAt: Date.now() }, resolve, reject, queueTimer };
      const signal = options.signal;
      if (signal) {
        // Given up while waiting: leave the queue. (Once on a shell, pump() kills that shell instead.)
        const onAbort = (): void => {
          const i = this.queue.indexOf(job);
          if (i < 0) return;
          this.queue.splice(i, 1);
          clearTimeout(queueTimer);
          reject(commandCancelled(this.host));
        };
        if (signal.aborted) return reject(commandCancelled(this.host));
        signal.addEventListener('abort', onAbort, { once: true });
      }
      this.queue.push(job);
      this.pump();
    });
  }

  /** Close every shell; queued commands fail with ShellUnavailable (the caller falls back or reports). */
  close(): void {
    this.closedFlag = true;
    for (const s of this.shells.splice(0)) s.kill();
    for (const job of this.queue.splice(0)) {
      clearTimeout(job.queueTimer);
      job.reject(new ShellUnavailable('the connection is closing', true));
    }
  }

  private pump(): void {
    for (let i = this.shells.length - 1; i >= 0; i--) if (this.shells[i].dead) this.shells.splice(i, 1);
    while (this.queue.length > 0) {
      const idle = this.shells.find((s) => !s.busy && !s.dead);
      if (!idle) break;
      const job = this.queue.shift()!;
      clearTimeout(job.queueTimer);
      const signal = job.options.signal;
      // A command given up while it runs: its shell (and, if sshd agrees, what it runs) is closed; the next
      // command gets a fresh shell. The command fails with 'cancelled'.
      const onAbort = (): void => {
        idle.kill();
        job.reject(commandCancelled(this.host));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      idle.run(job.commandLine, job.options).then(
        (r) => {
          signal?.removeEventListener('abort', onAbort);
          job.resolve(r);
        },
        (e: unknown) => {
          signal?.removeEventListener('abort', onAbort);
          job.reject(e);
        },
      );
    }
    const waiting = this.queue.length - this.opening;
    if (waiting > 0 && !this.closedFlag && this.shells.length + this.opening < this.max) this.grow();
  }

  private grow(): void {
    this.opening++;
    this.unanswered++;
    let answered = false;
    const answer = () => {
      if (answered) return;
      answered = true;
      this.unanswered--;
    };
    this.openShell(() => this.pump(), answer).then(
      (shell) => {
        answer();
        this.opening--;
        if (this.closedFlag) {
          shell.kill();
          return;
        }
        this.shells.push(shell);
        this.pump();
      },
      (e: unknown) => {
        answer();
        this.opening--;
        if (this.shells.length > 0 || this.opening > 0) {
          // The node allows fewer sessions than we hoped: live with the shells there are.
          this.max = Math.max(1, this.shells.length + this.opening);
          this.pump();
          return;
        }
        for (const job of this.queue.splice(0)) {
          clearTimeout(job.queueTimer);
          job.reject(e);
        }
      },
    );
  }
}
