/**
 * Talking to the person at the terminal: a hidden line for a passphrase, a plain line for a confirmation.
 * Both go through stderr, so stdout stays clean for --json and pipes.
 */
import { createInterface } from 'node:readline';
import type { PassphraseCallback } from '../core/ssh/auth';
import { terminalText } from '../core/text/terminalText';

/**
 * Read a line from a terminal without echoing it (for a key's passphrase). Backspace and Ctrl-U edit, Enter
 * ends, Ctrl-D on an empty line gives up (undefined: the key is skipped), Ctrl-C interrupts pcx as usual.
 * The text lives only in this closure and the caller's hands; it is never written anywhere.
 */
export function readHidden(prompt: string, input: NodeJS.ReadStream, output: NodeJS.WritableStream): Promise<string | undefined> {
  return new Promise((resolve) => {
    let text = '';
    const wasRaw = input.isRaw === true;
    output.write(prompt);
    input.setRawMode?.(true);
    input.setEncoding('utf8');
    const done = (value: string | undefined, interrupted = false): void => {
      input.removeListener('data', onData);
      input.setRawMode?.(wasRaw);
      input.pause();
      output.write('\n');
      if (interrupted) process.kill(process.pid, 'SIGINT');
      resolve(value);
    };
    const onData = (chunk: string): void => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done(text);
        if (ch === '\u0003') return done(undefined, true);
        if (ch === '\u0004') {
          if (text === '') return done(undefined);
          continue;
        }
        if (ch === '\u007f' || ch === '\b') text = text.slice(0, -1);
        else if (ch === '\u0015') text = '';
        else if (ch >= ' ') text += ch;
      }
    };
    input.on('data', onData);
    input.resume();
  });
}

/** Asks on the terminal for a key's passphrase; undefined (no prompt at all) when stdin is not a terminal. */
export function terminalPassphrase(): PassphraseCallback | undefined {
  if (!process.stdin.isTTY) return undefined;
  return ({ keyFile, host, attempt }) =>
    readHidden(`${attempt > 1 ? 'Wrong passphrase, try again. ' : ''}Enter passphrase for key '${keyFile}' (logging in to ${host}): `, process.stdin, process.stderr);
}

/** One line typed at the terminal (echoed), or undefined on end of input. */
export function askLine(prompt: string, input: NodeJS.ReadableStream = process.stdin, output: NodeJS.WritableStream = process.stderr): Promise<string | undefined> {
  return new Promise((resolve) => {
    const rl = createInterface({ input, output, terminal: false });
    let answered = false;
    output.write(prompt);
    rl.once('line', (line) => {
      answered = true;
      rl.close();
      resolve(line);
    });
    rl.once('close', () => {
      if (!answered) resolve(undefined);
    });
  });
}

/**
 * Every text pcx writes to stdout and stderr passes through terminalText (src/core/text/terminalText.ts): installed
 * once in pcx.ts before any verb runs, so a verb cannot forget it. Colour (pcx's own SGR codes only) is let through
 * after a verb decided it is on (allowColor); screen control goes through writeControl.
 */
const rawWrite = new Map<NodeJS.WriteStream, (chunk: string) => boolean>();
let colorOn = false;

export function allowColor(on: boolean): void {
  colorOn = on;
}

export function installTerminalGuard(streams: readonly NodeJS.WriteStream[] = [process.stdout, process.stderr]): void {
  for (const s of streams) {
    if (rawWrite.has(s)) continue;
    const original = s.write.bind(s) as (chunk: unknown, ...rest: unknown[]) => boolean;
    rawWrite.set(s, (chunk) => original(chunk));
    const guarded = (chunk: unknown, ...rest: unknown[]): boolean => {
      const text = typeof chunk === 'string' ? chunk : chunk instanceof Uint8Array ? Buffer.from(chunk).toString('utf8') : undefined;
      if (text === undefined) return original(chunk, ...rest);
      // An encoding argument only made sense for the original chunk; the text is a JS string now.
      return original(terminalText(text, { color: colorOn }), ...rest.filter((r) => typeof r === 'function'));
    };
    s.write = guarded as typeof s.write;
  }
}

/** Our own screen-control sequences (pcx status --watch), past the guard; never with data in them. */
export function writeControl(stream: NodeJS.WritableStream, sequence: string): void {
  const raw = rawWrite.get(stream as NodeJS.WriteStream);
  if (raw) raw(sequence);
  else stream.write(sequence);
}
