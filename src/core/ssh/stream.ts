/**
 * A long-running command on its own exec channel (`tail -F`, `journalctl --follow`): output is handed over chunk
 * by chunk as it arrives instead of being collected, and the caller ends it with stop(). The channel holds one of
 * the connection's channel slots for as long as it runs.
 */
import type { Client, ClientChannel } from 'ssh2';
import type { QuotedCommandLine } from '../util/shellQuote';
import { PcxFailure } from '../util/result';

export interface StreamHandlers {
  readonly onStdout: (chunk: Buffer) => void;
  readonly onStderr: (chunk: Buffer) => void;
}

/** How a stream ended: the command exited (code/signal), we stopped it, or the connection dropped (failure). */
export interface StreamEnd {
  readonly code: number | null;
  readonly signal?: string;
  readonly stopped: boolean;
  readonly failure?: PcxFailure;
}

export interface ExecStream {
  /** Settles once, when the channel is closed for whatever reason; never rejects. */
  readonly ended: Promise<StreamEnd>;
  /** Close the channel (the remote command gets SIGHUP/EOF and sshd kills it). Idempotent. */
  stop(): void;
}

/** Open `commandLine` on a new channel of `client`. `onGone` subscribes to the connection's close. */
export function openExecStream(
  client: Client,
  host: string,
  commandLine: QuotedCommandLine,
  handlers: StreamHandlers,
  onGone: (listener: () => void) => () => void,
): ExecStream {
  let channel: ClientChannel | undefined;
  let stopped = false;
  let settle: (end: StreamEnd) => void = () => undefined;
  const ended = new Promise<StreamEnd>((resolve) => {
    let done = false;
    settle = (end) => {
      if (done) return;
      done = true;
      unsubscribe();
      resolve(end);
    };
  });
  const lost = (): PcxFailure =>
    new PcxFailure('connection-lost', `the SSH connection to ${host} dropped while following its log`, 'pcx reconnects and resumes the stream; if it keeps happening, check the host and the network.', host);
  const unsubscribe = onGone(() => settle({ code: null, stopped, failure: stopped ? undefined : lost() }));
  let code: number | null = null;
  let signal: string | undefined;
  try {
    client.exec(commandLine, (err, stream) => {
      if (err) {
        settle({ code: null, stopped, failure: new PcxFailure('channel-failed', `${host} refused to open a channel for the log stream: ${err.message}`, 'sshd may limit sessions (MaxSessions); close other pcx windows following this cluster, or raise MaxSessions.', host) });
        return;
      }
      channel = stream;
      if (stopped) stream.close();
      stream.on('data', (d: Buffer) => handlers.onStdout(d));
      stream.stderr.on('data', (d: Buffer) => handlers.onStderr(d));
      stream.on('exit', (c: number | null, sig?: string) => {
        code = c;
        signal = sig ?? undefined;
      });
      stream.on('close', () => settle({ code, ...(signal ? { signal } : {}), stopped }));
      stream.end();
    });
  } catch (e) {
    settle({ code: null, stopped, failure: e instanceof PcxFailure ? e : lost() });
  }
  return {
    ended,
    stop: () => {
      if (stopped) return;
      stopped = true;
      if (channel) {
        channel.signal('TERM');
        channel.close();
      }
    },
  };
}
