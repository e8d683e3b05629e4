/**
 * One command on its own SSH exec channel: sshd starts the login shell with the command line, we collect
 * stdout/stderr and the exit status. Used where the persistent shell (shellChannel.ts) cannot be: a forced
 * command or restricted shell on the node, and long-running streams.
 *
 * A timeout asks sshd to kill the session's process group (the "signal" channel request, OpenSSH ≥ 7.9; sshd
 * refuses it for forced-command sessions) and closes the channel. A channel that opens only after the command
 * already timed out is closed at once, so late channels never pile up against sshd's MaxSessions.
 */
import type { Client, ClientChannel } from 'ssh2';
import type { QuotedCommandLine } from '../util/shellQuote';
import { PcxFailure } from '../util/result';

export interface ExecOptions {
  readonly timeoutMs?: number;
  readonly stdin?: string | Buffer;
  /** Give the command up (another node answered first): its channel or shell is closed, it fails with 'cancelled'. */
  readonly signal?: AbortSignal;
}

export function commandCancelled(host: string): PcxFailure {
  return new PcxFailure('cancelled', `the command on ${host} was given up (another node answered first, or the read ended)`, 'Nothing to do.', host);
}
export interface ExecResult {
  readonly stdout: string;
  readonly stderr: string;
  /** The same output, byte for byte (stdout/stderr above are these decoded as UTF-8). */
  readonly stdoutBytes?: Buffer;
  readonly stderrBytes?: Buffer;
  /** Exit status; null when the remote side was killed by a signal (exec channels only; see shellChannel.ts). */
  readonly code: number | null;
  readonly signal?: string;
}

/** What a channel needs to know about the connection it runs on. */
export interface ChannelHost {
  readonly host: string;
  readonly closed: boolean;
  /** Call `listener` once when the connection is gone; returns a function that unsubscribes it. */
  onClose(listener: () => void): () => void;
  /** The failure for "the connection dropped `when`". */
  lost(when: string): PcxFailure;
  /** sshd stopped answering: give the connection up (the next request reconnects); the failure to report. */
  drop(why: string): PcxFailure;
}

export function commandTimeout(host: string, timeoutMs: number, endedOnNode: boolean): PcxFailure {
  return new PcxFailure(
    'timeout',
    `a command on ${host} did not finish within ${Math.round(timeoutMs / 100) / 10} s${endedOnNode ? ' and was stopped there' : ''}`,
    'The node may be overloaded or Pacemaker is hanging; try again, or look at the node directly.',
    host,
  );
}

export function channelRefused(host: string, err: Error): PcxFailure {
  return new PcxFailure('channel-failed', `${host} refused to open a command channel: ${err.message}`, 'sshd may limit sessions (MaxSessions) or forbid commands for this user (ForceCommand).', host);
}

/** Run `commandLine` on a new channel; `endedOnNode`: the line is wrapped in the node's `timeout` (for the message). */
export function runOnExecChannel(client: Client, on: ChannelHost, commandLine: QuotedCommandLine, options: ExecOptions, timeoutMs: number, endedOnNode = false): Promise<ExecResult> {
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
        if (!channel) {
          // sshd did not even open a channel: the connection itself is dead, not the command.
          reject(on.drop(`(no answer from sshd within ${Math.round(timeoutMs / 100) / 10} s)`));
          return;
        }
        killAndClose(channel);
        reject(commandTimeout(on.host, timeoutMs, endedOnNode));
      });
    }, timeoutMs);
    // Unsubscribed when the command ends, so a long-lived connection does not collect one listener per command.
    const unsubscribeClose = on.onClose(() => finish(() => reject(on.lost('while a command was running'))));
    const onAbort = (): void => finish(() => {
      if (channel) killAndClose(channel);
      reject(commandCancelled(on.host));
    });
    options.signal?.addEventListener('abort', onAbort, { once: true });
    unsubscribe = () => {
      unsubscribeClose();
      options.signal?.removeEventListener('abort', onAbort);
    };
    if (options.signal?.aborted) onAbort();

    try {
      client.exec(commandLine, (err, stream) => {
        if (err) {
          finish(() => reject(on.closed ? on.lost('while opening a channel') : channelRefused(on.host, err)));
          return;
        }
        if (settled) {
          // Opened after the command already timed out (or the connection went): nobody will read it.
          killAndClose(stream);
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
          if (!exited && on.closed) {
            finish(() => reject(on.lost('while a command was running')));
            return;
          }
          const out = Buffer.concat(stdout);
          const errOut = Buffer.concat(stderr);
          finish(() => resolve({ stdout: out.toString('utf8'), stderr: errOut.toString('utf8'), stdoutBytes: out, stderrBytes: errOut, code: exited ? code : null, signal }));
        });
        if (options.stdin !== undefined) stream.end(options.stdin);
        else stream.end();
      });
    } catch (e) {
      finish(() => reject(on.closed ? on.lost('before the command started') : e));
    }
  });
}

/** Ask sshd to SIGKILL the session's processes, then close the channel (either may be refused; both are tried). */
export function killAndClose(channel: ClientChannel): void {
  try {
    channel.signal('KILL');
  } catch {
    // the channel is already going away
  }
  channel.close();
}
