/** Token cursor and small helpers shared by the statement parsers. */
import type { Range } from '../lint/types';
import { lineRange } from '../lint/types';
import type { CrmProblem, NvPair, ResourceRef } from './ast';
import type { Token } from './lexer';

export class Cursor {
  i = 0;
  constructor(
    readonly tokens: readonly Token[],
    readonly problems: CrmProblem[],
  ) {}
  get atEnd(): boolean {
    return this.i >= this.tokens.length;
  }
  peek(offset = 0): Token | undefined {
    return this.tokens[this.i + offset];
  }
  next(): Token | undefined {
    return this.tokens[this.i++];
  }
  /** The last token, for problems "at the end of the statement". */
  last(): Token | undefined {
    return this.tokens[this.tokens.length - 1];
  }
  problem(range: Range, message: string, code = 'crm/syntax'): void {
    this.problems.push({ range, code, message });
  }
}

export function isPair(t: Token | undefined): boolean {
  return !!t && t.text.indexOf('=') > 0 && !/^[([{]/.test(t.raw);
}

export function toPair(t: Token): NvPair {
  const eq = t.text.indexOf('=');
  const rawEq = t.raw.indexOf('=');
  const line = t.range.start.line;
  const s = t.range.start.character;
  return {
    name: t.text.slice(0, eq),
    value: t.text.slice(eq + 1),
    token: t,
    nameRange: lineRange(line, s, s + Math.max(rawEq, 0)),
    valueRange: lineRange(line, s + rawEq + 1, t.range.end.character),
  };
}

/** `$id=x` / `id=x` style pair with one of the given names, else undefined (cursor unchanged). */
export function takeSpecial(c: Cursor, ...names: string[]): string | undefined {
  const t = c.peek();
  if (!t || !isPair(t)) return undefined;
  const p = toPair(t);
  if (!names.includes(p.name)) return undefined;
  c.next();
  return p.value;
}

/** `rsc[:suffix]` as written in constraints. */
export function toRef(t: Token): ResourceRef {
  const colon = t.text.indexOf(':');
  const line = t.range.start.line;
  const s = t.range.start.character;
  if (colon < 0) return { kind: 'ref', token: t, id: t.text, idRange: t.range };
  return {
    kind: 'ref',
    token: t,
    id: t.text.slice(0, colon),
    idRange: lineRange(line, s, s + colon),
    suffix: t.text.slice(colon + 1),
    suffixRange: lineRange(line, s + colon + 1, t.range.end.character),
  };
}

/** A score token `100:`, `inf:`, `Mandatory:`, `ticket-A:` (the text before the colon). */
export function isScoreToken(t: Token | undefined): boolean {
  return !!t && !t.quoted && t.text.length > 1 && t.text.endsWith(':') && !t.text.slice(0, -1).includes(':');
}

export function scoreText(t: Token): string {
  return t.text.endsWith(':') ? t.text.slice(0, -1) : t.text;
}

/** Range covering tokens a..b. */
export function span(a: Token, b: Token): Range {
  return { start: a.range.start, end: b.range.end };
}
