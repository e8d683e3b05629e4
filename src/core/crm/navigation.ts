/**
 * Editor navigation over crm text as pure functions (LSP-shaped, 0-based): the id under the cursor,
 * go to definition, find references, rename, outline and folding ranges.
 */
import type { Position, Range, TextEdit } from '../lint/types';
import type { CrmDocument, CrmNode } from './ast';
import type { Token } from './lexer';
import type { CrmModel } from './model';
import { buildModel } from './model';
import { ID_PATTERN, parseCrm } from './parser';

const within = (r: Range, p: Position): boolean =>
  (p.line > r.start.line || (p.line === r.start.line && p.character >= r.start.character)) &&
  (p.line < r.end.line || (p.line === r.end.line && p.character <= r.end.character));

export function statementAt(doc: CrmDocument, line: number): CrmNode | undefined {
  return doc.nodes.find((n) => n.statement.startLine <= line && line <= n.statement.endLine);
}

export function tokenAt(doc: CrmDocument, pos: Position): { node: CrmNode; token: Token; index: number } | undefined {
  const node = statementAt(doc, pos.line);
  if (!node) return undefined;
  const index = node.statement.tokens.findIndex((t) => within(t.range, pos));
  return index < 0 ? undefined : { node, token: node.statement.tokens[index]!, index };
}

/** The resource/constraint id at `pos` (a definition or a reference) with its exact range. */
export function idAt(model: CrmModel, pos: Position): { id: string; range: Range } | undefined {
  for (const d of model.allDefs) if (d.kind !== 'node' && d.kind !== 'property' && within(d.range, pos)) return { id: d.id, range: d.range };
  for (const u of model.uses) if (within(u.range, pos)) return { id: u.id, range: u.range };
  return undefined;
}

export function definitionOf(text: string, pos: Position): Range | undefined {
  const model = buildModel(parseCrm(text));
  const at = idAt(model, pos);
  return at ? model.defs.get(at.id)?.range : undefined;
}

/** Every range naming the id at `pos`: its definition (when `includeDeclaration`) and its uses. */
export function referencesOf(text: string, pos: Position, includeDeclaration = true): Range[] {
  const model = buildModel(parseCrm(text));
  const at = idAt(model, pos);
  if (!at) return [];
  return rangesOf(model, at.id, includeDeclaration);
}

function rangesOf(model: CrmModel, id: string, includeDeclaration: boolean): Range[] {
  const out: Range[] = [];
  if (includeDeclaration) for (const d of model.allDefs) if (d.id === id && d.kind !== 'node' && d.kind !== 'property') out.push(d.range);
  for (const u of model.uses) {
    if (u.id !== id) continue;
    if (u.context === 'fencing') {
      // One token may list several devices (a,b): narrow to this one.
      const tok = u.range;
      const line = model.doc.lines[tok.start.line] ?? '';
      const text = line.slice(tok.start.character, tok.end.character);
      let offset = 0;
      for (const part of text.split(',')) {
        if (part === id) out.push({ start: { line: tok.start.line, character: tok.start.character + offset }, end: { line: tok.start.line, character: tok.start.character + offset + part.length } });
        offset += part.length + 1;
      }
    } else out.push(u.range);
  }
  return out;
}

export type RenameResult = { ok: true; edits: TextEdit[] } | { ok: false; message: string };

export function renameAt(text: string, pos: Position, newName: string): RenameResult {
  const model = buildModel(parseCrm(text));
  const at = idAt(model, pos);
  if (!at) return { ok: false, message: 'Put the cursor on a resource, constraint or tag id to rename it.' };
  if (!ID_PATTERN.test(newName)) return { ok: false, message: `"${newName}" is not a valid id: start with a letter or "_", then letters, digits, ".", "_" or "-".` };
  if (newName !== at.id && model.defs.has(newName)) return { ok: false, message: `"${newName}" is already used on line ${model.defs.get(newName)!.range.start.line + 1}.` };
  return { ok: true, edits: rangesOf(model, at.id, true).map((range) => ({ range, newText: newName })) };
}

export interface CrmSymbol {
  readonly name: string;
  readonly detail: string;
  readonly kind: 'resource' | 'container' | 'constraint' | 'property' | 'node' | 'other';
  readonly range: Range;
  readonly selectionRange: Range;
  readonly children: CrmSymbol[];
}

/** Outline: one symbol per statement; a group/clone lists its children's statements inside it. */
export function symbolsCrm(text: string): CrmSymbol[] {
  const doc = parseCrm(text);
  const model = buildModel(doc);
  const byId = new Map<string, CrmSymbol>();
  const top: CrmSymbol[] = [];
  for (const n of doc.nodes) {
    const st = n.statement;
    const last = st.tokens[st.tokens.length - 1]!;
    const range = { start: { line: st.startLine, character: 0 }, end: last.range.end };
    const kind: CrmSymbol['kind'] =
      n.type === 'primitive' || n.type === 'rsc_template' ? 'resource'
        : n.type === 'group' || n.type === 'clone' || n.type === 'ms' ? 'container'
          : n.type === 'location' || n.type === 'colocation' || n.type === 'order' || n.type === 'rsc_ticket' ? 'constraint'
            : n.type === 'node' ? 'node' : n.type === 'property' || n.type === 'rsc_defaults' || n.type === 'op_defaults' ? 'property' : 'other';
    const name = n.type === 'property' || n.type === 'rsc_defaults' || n.type === 'op_defaults' ? `${n.keyword.text}${n.setId ? ` ${n.setId}` : ''}` : n.id?.text ?? n.keyword.text;
    const detail = n.type === 'primitive' ? (n.agent?.text ?? n.template?.text ?? 'primitive') : n.keyword.text;
    const sym: CrmSymbol = { name, detail, kind, range, selectionRange: n.id?.range ?? n.keyword.range, children: [] };
    if (n.id) byId.set(n.id.text, sym);
    top.push(sym);
  }
  // Nest children under their containers (outline mirrors the CIB's resource tree).
  const nested = new Set<CrmSymbol>();
  for (const k of model.containers) {
    const parent = k.id ? byId.get(k.id.text) : undefined;
    if (!parent) continue;
    for (const ch of k.children) {
      const c = byId.get(ch.text);
      if (c && c !== parent && !nested.has(c)) {
        parent.children.push(c);
        nested.add(c);
      }
    }
  }
  return top.filter((s) => !nested.has(s));
}

/** Folding: every statement that spans lines, and runs of two or more comment lines. */
export function foldingRanges(text: string): { start: number; end: number; kind?: 'comment' }[] {
  const doc = parseCrm(text);
  const out: { start: number; end: number; kind?: 'comment' }[] = doc.nodes
    .filter((n) => n.statement.endLine > n.statement.startLine)
    .map((n) => ({ start: n.statement.startLine, end: n.statement.endLine }));
  let start = -1;
  doc.lines.forEach((l, i) => {
    const comment = /^\s*#/.test(l);
    if (comment && start < 0) start = i;
    if (!comment && start >= 0) {
      if (i - 1 > start) out.push({ start, end: i - 1, kind: 'comment' });
      start = -1;
    }
  });
  return out;
}
