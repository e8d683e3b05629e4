/**
 * Text for a terminal: the one function every text pcx writes passes through (the stream guard in
 * src/cli/terminal.ts), and that the log reader uses for each line. Text from a cluster, a file or a user can
 * hold ESC sequences (clear the screen, set the title, move the cursor, OSC 8 links), C1 controls (U+0080–U+009F:
 * U+009B is a CSI on terminals that take 8-bit controls), CR (overwrites the line), and bidi overrides (reorder
 * what is shown). Each becomes a visible escape: `\x1b`, `\x0d`, `\u009b`, `\u202e` — a `\u` escape is also what
 * the same character means inside a JSON string, so --json output stays valid JSON.
 *
 * The only sequences left as they are: SGR colour codes pcx itself uses (bold, dim, reverse, the 8 colours and
 * their resets), and only when the caller says colour is on; so with --no-color, NO_COLOR or a pipe, no ESC at all
 * reaches the terminal. Screen control of `pcx status --watch` bypasses this (writeControl), never with data in it.
 */

/** C0 but TAB and LF, DEL, C1, line/paragraph separators, bidi embeddings/overrides/isolates and marks. */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex
const SGR = /\u001b\[([0-9;]*)m/g;
/** The SGR parameters pcx paints with (src/core/cluster/statusText.ts, src/cli/commands/statusWatch.ts). */
const OWN_SGR = new Set(['', '0', '1', '2', '7', '22', '27', '39', '31', '32', '33', '34', '35', '36', '90']);

export interface TerminalTextOptions {
  /** Keep LF (a whole output); false escapes it too (one log line). Default true. */
  readonly newlines?: boolean;
  /** Let pcx's own SGR colour codes through (colour on). Default false. */
  readonly color?: boolean;
}

function visible(c: string): string {
  const n = c.charCodeAt(0);
  return n < 0x80 ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
}

/** `text` with every control character, escape sequence and bidi control made visible (see the file comment). */
export function terminalText(text: string, o: TerminalTextOptions = {}): string {
  const escapeAll = (s: string): string => s.replace(UNSAFE, visible).replace(o.newlines === false ? /\n/g : /(?!)/g, visible);
  if (!o.color || !text.includes('\u001b')) return escapeAll(text);
  let out = '';
  let last = 0;
  for (const m of text.matchAll(SGR)) {
    if (!m[1]!.split(';').every((p) => OWN_SGR.has(p))) continue;
    out += escapeAll(text.slice(last, m.index)) + m[0];
    last = m.index + m[0].length;
  }
  return out + escapeAll(text.slice(last));
}
