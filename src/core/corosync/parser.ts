/**
 * Error-tolerant corosync.conf parser with exact ranges, keeping comments and blank lines.
 *
 * It follows Corosync's own reader (exec/coroparse.c, parse_section) line by line, because a
 * linter that disagrees with the real parser is worse than none:
 *  - a line is a comment only when its first non-blank character is `#`; a value runs to the end of
 *    the line, so `two_node: 1 # note` has the value "1 # note";
 *  - a line containing `{` opens a section (checked before `:`), the name is the text before it;
 *  - otherwise a line containing `:` is `key: value` (split at the first colon);
 *  - otherwise a line containing `}` must be exactly `}`;
 *  - anything else is "Line is not opening or closing section or key value".
 * Unlike Corosync, which stops at the first error, this parser records the problem and goes on,
 * so an editor can still offer completion and an outline in a half-written file.
 */
import type { Range } from '../lint/types';
import { lineRange, range } from '../lint/types';
import type { CorosyncRuleCode } from './ruleTable';

export interface CsPair {
  readonly kind: 'pair';
  readonly line: number;
  readonly key: string;
  readonly value: string;
  readonly keyRange: Range;
  /** Empty range right after the colon when the value is empty. */
  readonly valueRange: Range;
  readonly range: Range;
}

export interface CsComment {
  readonly kind: 'comment';
  readonly line: number;
  /** The line without its leading indentation. */
  readonly text: string;
  readonly range: Range;
}

export interface CsBlank {
  readonly kind: 'blank';
  readonly line: number;
}

/** A line Corosync would refuse; kept so the formatter and the outline can still see it. */
export interface CsInvalid {
  readonly kind: 'invalid';
  readonly line: number;
  readonly text: string;
  readonly range: Range;
}

export interface CsSection {
  readonly kind: 'section';
  readonly name: string;
  /** Dotted path as Corosync's cmap names it: `quorum.device.net`. Empty for the root. */
  readonly path: string;
  /** Header line; -1 for the root. */
  readonly line: number;
  readonly nameRange: Range;
  /** Line of the closing brace, or undefined when it is missing. */
  closeLine: number | undefined;
  readonly children: CsNode[];
  /** Header to closing brace (or end of file). */
  range: Range;
}

export type CsNode = CsPair | CsComment | CsBlank | CsInvalid | CsSection;

/** The syntax rules of the rule table (core/corosync/ruleTable): the parser reports these. */
export type SyntaxCode = Extract<CorosyncRuleCode, `corosync/syntax-${string}`>;

export interface ParseProblem {
  readonly code: SyntaxCode;
  readonly message: string;
  readonly range: Range;
}

export interface CsDocument {
  readonly root: CsSection;
  readonly lines: readonly string[];
  readonly problems: readonly ParseProblem[];
  /** Line ending to keep when rewriting the file. */
  readonly eol: '\n' | '\r\n';
}

/** Corosync reads lines into a 512-byte buffer: 510 characters plus newline and NUL. */
export const MAX_LINE_BYTES = 510;

const isBlankChar = (c: string): boolean => c === ' ' || c === '\t';

function firstNonBlank(s: string): number {
  let i = 0;
  while (i < s.length && isBlankChar(s[i])) i++;
  return i;
}

function lastNonBlankEnd(s: string): number {
  let i = s.length;
  while (i > 0 && isBlankChar(s[i - 1])) i--;
  return i;
}

/** Splits text into lines the way fgets + Corosync's CR stripping see them. */
export function splitLines(text: string): string[] {
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export function parseCorosync(text: string): CsDocument {
  const lines = splitLines(text);
  const problems: ParseProblem[] = [];
  const root: CsSection = {
    kind: 'section',
    name: '',
    path: '',
    line: -1,
    nameRange: lineRange(0, 0, 0),
    closeLine: undefined,
    children: [],
    range: range(0, 0, Math.max(0, lines.length - 1), lines.length ? lines[lines.length - 1].length : 0),
  };
  const stack: CsSection[] = [root];
  const top = (): CsSection => stack[stack.length - 1];

  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n];
    const start = firstNonBlank(raw);
    const end = lastNonBlankEnd(raw);
    const whole = lineRange(n, start, Math.max(start, end));

    if (Buffer.byteLength(raw, 'utf8') > MAX_LINE_BYTES) {
      problems.push({
        code: 'corosync/syntax-line-too-long',
        message: `Line too long: Corosync reads at most ${MAX_LINE_BYTES} bytes per line. Shorten the value or split it.`,
        range: whole,
      });
    }

    if (start >= end) {
      top().children.push({ kind: 'blank', line: n });
      continue;
    }
    if (raw[start] === '#') {
      top().children.push({ kind: 'comment', line: n, text: raw.slice(start, end), range: whole });
      continue;
    }

    const brace = raw.indexOf('{');
    if (brace >= 0) {
      // Section name: text before `{`, trimmed; Corosync also drops trailing ':' (as in "totem: {").
      let nameEnd = brace;
      while (nameEnd > start && (isBlankChar(raw[nameEnd - 1]) || raw[nameEnd - 1] === ':')) nameEnd--;
      const name = raw.slice(start, nameEnd);
      const after = raw.slice(brace + 1, end);
      if (name === '') {
        problems.push({
          code: 'corosync/syntax-missing-section-name',
          message: "Missing section name before opening bracket '{': write e.g. `totem {`.",
          range: whole,
        });
      }
      if (after.trim() !== '') {
        problems.push({
          code: 'corosync/syntax-extra-characters',
          message: `Extra characters after opening bracket '{': "${after.trim()}". Put each key on its own line after the \`{\`.`,
          range: lineRange(n, brace + 1, end),
        });
      }
      const parent = top();
      const section: CsSection = {
        kind: 'section',
        name,
        path: parent.path ? `${parent.path}.${name}` : name,
        line: n,
        nameRange: lineRange(n, start, start + name.length),
        closeLine: undefined,
        children: [],
        range: range(n, start, n, end),
      };
      parent.children.push(section);
      stack.push(section);
      continue;
    }

    const colon = raw.indexOf(':');
    if (colon >= 0) {
      let keyEnd = colon;
      while (keyEnd > start && isBlankChar(raw[keyEnd - 1])) keyEnd--;
      let valueStart = colon + 1;
      while (valueStart < end && isBlankChar(raw[valueStart])) valueStart++;
      const valueEnd = Math.max(valueStart, end);
      top().children.push({
        kind: 'pair',
        line: n,
        key: raw.slice(start, keyEnd),
        value: raw.slice(valueStart, valueEnd),
        keyRange: lineRange(n, start, keyEnd),
        valueRange: lineRange(n, valueStart, valueEnd),
        range: whole,
      });
      continue;
    }

    if (raw.includes('}')) {
      const trimmed = raw.slice(start, end);
      if (trimmed !== '}') {
        problems.push({
          code: 'corosync/syntax-extra-characters',
          message: `Extra characters before or after closing bracket '}': "${trimmed}". A closing brace must be alone on its line.`,
          range: whole,
        });
      }
      if (stack.length === 1) {
        problems.push({
          code: 'corosync/syntax-unexpected-brace',
          message: 'Unexpected closing brace: no section is open here. Remove it or add the missing `name {` line.',
          range: whole,
        });
        top().children.push({ kind: 'invalid', line: n, text: trimmed, range: whole });
        continue;
      }
      const closed = stack.pop() as CsSection;
      closed.closeLine = n;
      closed.range = range(closed.line, closed.range.start.character, n, end);
      continue;
    }

    problems.push({
      code: 'corosync/syntax-invalid-line',
      message: `Line is not opening or closing section or key value: "${raw.slice(start, end)}". Write \`key: value\`, \`name {\` or \`}\`.`,
      range: whole,
    });
    top().children.push({ kind: 'invalid', line: n, text: raw.slice(start, end), range: whole });
  }

  const lastLine = Math.max(0, lines.length - 1);
  while (stack.length > 1) {
    const open = stack.pop() as CsSection;
    open.range = range(open.line, open.range.start.character, lastLine, lines.length ? lines[lastLine].length : 0);
    problems.push({
      code: 'corosync/syntax-missing-brace',
      message: `Missing closing brace for section '${open.name}' opened on line ${open.line + 1}. Add a \`}\` line where the section ends.`,
      range: open.nameRange,
    });
  }

  return { root, lines, problems, eol: text.includes('\r\n') ? '\r\n' : '\n' };
}

/** Every section in document order (depth first), root excluded. */
export function allSections(section: CsSection): CsSection[] {
  const out: CsSection[] = [];
  for (const c of section.children) {
    if (c.kind === 'section') out.push(c, ...allSections(c));
  }
  return out;
}

export function pairsOf(section: CsSection): CsPair[] {
  return section.children.filter((c): c is CsPair => c.kind === 'pair');
}

export function subsections(section: CsSection, name?: string): CsSection[] {
  return section.children.filter((c): c is CsSection => c.kind === 'section' && (name === undefined || c.name === name));
}

/** Innermost section whose body contains `line` (header and closing lines belong to the parent). */
export function sectionAtLine(doc: CsDocument, line: number): CsSection {
  let current = doc.root;
  for (;;) {
    const inner = subsections(current).find(
      (s) => line > s.line && (s.closeLine === undefined ? true : line < s.closeLine),
    );
    if (!inner) return current;
    current = inner;
  }
}

/**
 * What Corosync ends up with, as an ordered list of (section path, key, value): the semantic
 * content used to prove that formatting changes nothing Corosync reads.
 */
export function semanticEntries(doc: CsDocument): string[] {
  const out: string[] = [];
  const walk = (s: CsSection): void => {
    for (const c of s.children) {
      if (c.kind === 'pair') out.push(`${s.path}\t${c.key}\t${c.value}`);
      else if (c.kind === 'section') {
        out.push(`${c.path}\t{`);
        walk(c);
        out.push(`${c.path}\t}`);
      }
    }
  };
  walk(doc.root);
  return out;
}
