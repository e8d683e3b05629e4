/**
 * Lexer for crm shell configuration syntax (`crm configure` text, `*.crm`): splits a file into
 * logical statements (joining `\` continuation lines) made of tokens with exact ranges.
 *
 * Follows crmsh's reading of a file (crmsh/parse.py, ui_configure.py): `#` starts a comment only as the
 * first non-blank character of a line (`#uname` inside a rule is a word), a line ending in `\`
 * continues on the next one, words are split on blanks with shell-like quotes (`"a b"`, `'a b'`).
 * Brackets of resource sets (`( ) [ ] { }`) are tokens of their own even when written against a word.
 * Never throws: an unterminated quote is a problem and the token runs to the end of the line.
 */
import type { Range } from '../lint/types';
import { lineRange } from '../lint/types';

export interface Token {
  /** The word with quotes removed and escapes resolved. */
  readonly text: string;
  /** The word as written (with quotes). */
  readonly raw: string;
  readonly range: Range;
  readonly quoted: boolean;
}

export interface Statement {
  readonly tokens: readonly Token[];
  /** First and last physical line (0-based) of the statement, continuations included. */
  readonly startLine: number;
  readonly endLine: number;
  /** Comment lines directly above the statement (kept by the formatter). */
  readonly comments: readonly string[];
}

export interface LexProblem {
  readonly range: Range;
  readonly code: string;
  readonly message: string;
}

export interface LexResult {
  readonly statements: Statement[];
  readonly lines: readonly string[];
  /** Comments after the last statement. */
  readonly trailingComments: readonly string[];
  readonly problems: LexProblem[];
}

const BRACKETS = new Set(['(', ')', '[', ']', '{', '}']);

/** Words that begin a statement: a continuation line starting with one was probably not meant to continue. */
export const STATEMENT_KEYWORDS = new Set([
  'node', 'primitive', 'group', 'clone', 'ms', 'master', 'rsc_template', 'bundle', 'location', 'colocation',
  'collocation', 'order', 'rsc_ticket', 'property', 'rsc_defaults', 'op_defaults', 'tag', 'fencing_topology',
  'alert', 'role', 'user', 'acl_target', 'acl_group', 'schema',
]);

function tokenizeLine(line: string, lineNo: number, problems: LexProblem[]): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (BRACKETS.has(c)) {
      tokens.push({ text: c, raw: c, range: lineRange(lineNo, i, i + 1), quoted: false });
      i++;
      continue;
    }
    const start = i;
    // Fast path, most words: only plain characters up to a blank or a closing bracket glued to the end, so the
    // text is the slice itself. Quotes, backslashes and brackets opened inside the word take the loop below.
    let j = i;
    let plain = true;
    while (j < line.length) {
      const ch = line.charCodeAt(j);
      if (ch === 32 || ch === 9 || ch === 13 || ch === 41 || ch === 93 || ch === 125) break; // blank, tab, CR, ) ] }
      if (ch === 34 || ch === 39 || ch === 92 || ch === 40 || ch === 91 || ch === 123) {
        plain = false; // " ' \ ( [ {
        break;
      }
      j++;
    }
    if (plain) {
      const word = line.slice(i, j);
      tokens.push({ text: word, raw: word, range: lineRange(lineNo, i, j), quoted: false });
      i = j;
      continue;
    }
    let text = '';
    let quoted = false;
    // Brackets opened inside the word (`/^rsc[0-9]$/`, `param{fake}`) are part of it, and so are their closers.
    let depth = 0;
    while (i < line.length) {
      const ch = line[i]!;
      if (ch === ' ' || ch === '\t' || ch === '\r') break;
      if ((ch === '(' || ch === '[' || ch === '{') && !quoted) depth++;
      // A closing bracket glued to the end of a word ends it: `( a b)`.
      if ((ch === ')' || ch === ']' || ch === '}') && text.length > 0 && !quoted) {
        if (depth === 0) break;
        depth--;
      }
      if (ch === '"' || ch === "'") {
        quoted = true;
        const close = line.indexOf(ch, i + 1);
        let end = close;
        if (ch === '"') {
          // Backslash escapes inside double quotes.
          end = -1;
          for (let j = i + 1; j < line.length; j++) {
            if (line[j] === '\\') {
              j++;
              continue;
            }
            if (line[j] === '"') {
              end = j;
              break;
            }
          }
        }
        if (end < 0) {
          problems.push({ range: lineRange(lineNo, i, line.length), code: 'crm/syntax', message: `Unterminated ${ch} quote: close it on the same line.` });
          text += line.slice(i + 1);
          i = line.length;
          break;
        }
        const inner = line.slice(i + 1, end);
        text += ch === '"' ? inner.replace(/\\(.)/g, '$1') : inner;
        i = end + 1;
        continue;
      }
      if (ch === '\\' && i + 1 < line.length) {
        text += line[i + 1];
        i += 2;
        continue;
      }
      text += ch;
      i++;
    }
    tokens.push({ text, raw: line.slice(start, i), range: lineRange(lineNo, start, i), quoted });
  }
  return tokens;
}

/** True when the line ends with an unescaped continuation backslash (outside quotes is assumed). */
function continues(line: string): boolean {
  const t = line.replace(/[ \t\r]+$/, '');
  if (!t.endsWith('\\')) return false;
  let n = 0;
  for (let j = t.length - 1; j >= 0 && t[j] === '\\'; j--) n++;
  return n % 2 === 1;
}

function stripContinuation(line: string): string {
  const t = line.replace(/[ \t\r]+$/, '');
  return t.slice(0, -1) + ' '.repeat(line.length - t.length + 1);
}

export function lexCrm(text: string): LexResult {
  const lines = text.split('\n');
  const statements: Statement[] = [];
  const problems: LexProblem[] = [];
  let pendingComments: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    const trimmed = line.trim();
    if (trimmed === '') {
      i++;
      continue;
    }
    if (trimmed.startsWith('#')) {
      pendingComments.push(trimmed);
      i++;
      continue;
    }
    const startLine = i;
    const tokens: Token[] = [];
    for (;;) {
      const cur = lines[i]!;
      const cont = continues(cur);
      tokens.push(...tokenizeLine(cont ? stripContinuation(cur) : cur, i, problems));
      if (!cont) break;
      if (i + 1 >= lines.length) {
        problems.push({ range: lineRange(i, cur.trimEnd().length - 1, cur.trimEnd().length), code: 'crm/trailing-continuation', message: 'The file ends with a continuation "\\": remove it.' });
        break;
      }
      const next = lines[i + 1]!;
      // Only a line starting in column 0 can begin a new statement; the next round tokenizes it for real.
      const nextTokens = /^\s/.test(next) ? [] : tokenizeLine(next, i + 1, []);
      if (next.trim() === '' || (nextTokens.length > 0 && STATEMENT_KEYWORDS.has(nextTokens[0]!.text))) {
        problems.push({
          range: lineRange(i, cur.trimEnd().length - 1, cur.trimEnd().length),
          code: 'crm/trailing-continuation',
          message: next.trim() === ''
            ? 'A "\\" at the end of this line continues onto a blank line: remove the trailing "\\".'
            : `The "\\" at the end of this line swallows the next statement ("${nextTokens[0]!.text} …"): remove the trailing "\\".`,
        });
        if (next.trim() === '') break;
      }
      i++;
    }
    if (tokens.length > 0) {
      statements.push({ tokens, startLine, endLine: i, comments: pendingComments });
      pendingComments = [];
    }
    i++;
  }
  return { statements, lines, trailingComments: pendingComments, problems };
}
