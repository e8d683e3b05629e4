/** What every corosync.conf check shares: the report sink, quick-fix edit builders and small helpers on the model. */
import type { Fix, Range, TextEdit } from '../lint/types';
import { lineRange } from '../lint/types';
import type { CorosyncModel, NodeEntry } from './model';
import type { CsDocument, CsPair, CsSection } from './parser';
import { pairsOf } from './parser';
import type { CorosyncRuleCode } from './ruleTable';
import { parseCorosyncInteger } from './schema';

export interface Ctx {
  readonly model: CorosyncModel;
  readonly doc: CsDocument;
  report(code: CorosyncRuleCode, at: Range, message: string, fixes?: Fix[]): void;
}

// ---------- edit helpers ----------

export function indentOf(doc: CsDocument, line: number): string {
  return /^[ \t]*/.exec(doc.lines[line] ?? '')?.[0] ?? '';
}

export function deleteLineEdit(doc: CsDocument, line: number): TextEdit {
  return line + 1 < doc.lines.length
    ? { range: { start: { line, character: 0 }, end: { line: line + 1, character: 0 } }, newText: '' }
    : { range: lineRange(line, 0, doc.lines[line].length), newText: '' };
}

/** Indentation for a new key inside `section`: that of a sibling, else the header's plus 4 spaces. */
export function childIndent(doc: CsDocument, section: CsSection): string {
  const sibling = section.children.find((c) => c.kind === 'pair' || c.kind === 'section');
  if (sibling && 'line' in sibling) return indentOf(doc, sibling.line);
  return indentOf(doc, section.line) + '    ';
}

/** Inserts `key: value` as the first line of `section`'s body. */
export function insertPairFix(doc: CsDocument, section: CsSection, key: string, value: string, title: string): Fix {
  const line = section.line + 1;
  return {
    title,
    preferred: true,
    edits: [{ range: lineRange(line, 0, 0), newText: `${childIndent(doc, section)}${key}: ${value}${doc.eol}` }],
  };
}

export function replaceValueFix(pair: CsPair, value: string, title: string, preferred = true): Fix {
  return { title, preferred, edits: [{ range: pair.valueRange, newText: value }] };
}

// ---------- helpers on the model ----------

export const intOf = (p: CsPair | undefined): bigint | undefined => (p ? parseCorosyncInteger(p.value) : undefined);
export const isOne = (p: CsPair | undefined): boolean => {
  const v = intOf(p);
  return v !== undefined && v !== 0n;
};
export const hasTrailingComment = (p: CsPair): boolean => /[ \t]#/.test(p.value);

export function quorumDevice(model: CorosyncModel): CsSection | undefined {
  return model.sections('quorum.device').find((s) => pairsOf(s).some((p) => p.key === 'model'));
}

export function nodeLabel(n: NodeEntry): string {
  const name = n.pairs.get('name')?.value ?? n.rings.get(0)?.value;
  return name ? `node '${name}'` : `node on line ${n.section.line + 1}`;
}
