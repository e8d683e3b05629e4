/**
 * Talking to the person at the terminal: a hidden line for a passphrase, a plain line for a confirmation.
 * Both go through stderr, so stdout stays clean for --json and pipes.
 */
import { createInterface } from 'node:readline';
import type { PassphraseCallback } from '../core/ssh/auth';

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
