/**
 * Editor features for corosync.conf as pure functions over text + position (LSP-shaped, 0-based):
 * completion, hover, document symbols and quick fixes. src/extension/languages/corosync adapts
 * them to VS Code; a language server could serve them unchanged.
 */
import type { Diagnostic, Fix, Position, Range } from '../lint/types';
import type { CsDocument, CsSection } from './parser';
import { pairsOf, parseCorosync, sectionAtLine, subsections } from './parser';
import type { KeySpec } from './schema';
import { keySpec, schema, sectionSpec } from './schema';
import { mdCode, mdEscape } from '../text/markdown';

export type CompletionKind = 'section' | 'key' | 'value';

export interface CompletionItem {
  readonly label: string;
  readonly kind: CompletionKind;
  readonly detail?: string;
  /** Markdown. */
  readonly documentation?: string;
  /** Snippet syntax ($1, $0) — the text to insert. */
  readonly insertSnippet: string;
  /** Range the insertion replaces (the word typed so far). */
  readonly replace: Range;
}

function describeKey(path: string, key: string, spec: KeySpec): string {
  const parts = [`**${path ? `${path}.` : ''}${key}**`, '', spec.doc];
  if (spec.values && spec.type !== 'bool01') parts.push('', `Valid values: ${spec.values.map((v) => `\`${v}\``).join(', ')}`);
  else if (spec.type === 'bool01') parts.push('', 'Valid values: `0` (off) or `1` (on)');
  else if (spec.type !== 'string') parts.push('', `Type: ${spec.type === 'uint64' || spec.type === 'uint32' || spec.type === 'uint16' || spec.type === 'uint8' ? 'unsigned integer' : 'integer'}`);
  if (spec.default !== undefined) parts.push('', `Default: \`${spec.default}\``);
  if (spec.obsolete) parts.push('', `⚠ ${spec.obsolete}`);
  return parts.join('\n');
}

/** Completion at `pos`: enum values after `key:`, otherwise keys and subsections valid here. */
export function completeCorosync(text: string, pos: Position): CompletionItem[] {
  const doc = parseCorosync(text);
  const lineText = doc.lines[pos.line] ?? '';
  const before = lineText.slice(0, pos.character);
  const section = sectionAtLine(doc, pos.line);
  const spec = sectionSpec(section.path);

  const colon = before.indexOf(':');
  if (colon >= 0) {
    const key = before.slice(0, colon).trim();
    const ks = keySpec(section.path, key);
    if (!ks) return [];
    const typedStart = colon + 1 + (/^[ \t]*/.exec(before.slice(colon + 1))?.[0].length ?? 0);
    const replace = { start: { line: pos.line, character: typedStart }, end: pos };
    const values = ks.values ?? (ks.example ? [ks.example] : []);
    return values.map((v) => ({
      label: v,
      kind: 'value' as const,
      detail: ks.default === v ? 'default' : undefined,
      documentation: describeKey(section.path, key, ks),
      insertSnippet: v,
      replace,
    }));
  }
  if (before.trim().startsWith('#')) return [];

  const wordStart = before.length - (/[A-Za-z0-9_]*$/.exec(before)?.[0].length ?? 0);
  const replace = { start: { line: pos.line, character: wordStart }, end: pos };
  if (!spec) return [];
  const present = new Set(pairsOf(section).map((p) => p.key));
  const items: CompletionItem[] = [];
  for (const name of spec.sections ?? []) {
    const childPath = section.path ? `${section.path}.${name}` : name;
    const child = sectionSpec(childPath);
    if (child?.obsolete) continue;
    items.push({
      label: name,
      kind: 'section',
      detail: 'section',
      documentation: child?.doc,
      insertSnippet: `${name} {\n\t$0\n}`,
      replace,
    });
  }
  for (const [key, ks] of Object.entries(spec.keys)) {
    if (ks.obsolete || present.has(key)) continue;
    const value = ks.type === 'bool01' ? '${1|1,0|}' : ks.values ? `\${1|${ks.values.join(',')}|}` : ks.example ? `\${1:${ks.example}}` : '$1';
    items.push({
      label: key,
      kind: 'key',
      detail: ks.default !== undefined ? `default ${ks.default}` : ks.type,
      documentation: describeKey(section.path, key, ks),
      insertSnippet: `${key}: ${value}`,
      replace,
    });
  }
  for (const fam of spec.keyPatterns ?? []) {
    const label = fam.label === 'ringX_addr' ? 'ring0_addr' : 'exec_check';
    if (present.has(label)) continue;
    items.push({ label, kind: 'key', detail: fam.label, documentation: describeKey(section.path, fam.label, fam.spec), insertSnippet: `${label}: $1`, replace });
  }
  return items;
}

export interface HoverResult {
  readonly markdown: string;
  readonly range: Range;
}

/** Hover on a key (meaning, valid values, default) or a section name. */
export function hoverCorosync(text: string, pos: Position): HoverResult | undefined {
  const doc = parseCorosync(text);
  const containing = sectionAtLine(doc, pos.line);
  const within = (r: Range): boolean => r.start.line === pos.line && pos.character >= r.start.character && pos.character <= r.end.character;
  for (const p of pairsOf(containing)) {
    if (p.line !== pos.line || !(within(p.keyRange) || within(p.valueRange))) continue;
    const ks = keySpec(containing.path, p.key);
    if (!ks) return { markdown: `**${mdEscape(p.key)}** — not a key Corosync uses in ${mdCode(containing.path || 'top level')}; it is stored and ignored.`, range: p.keyRange };
    return { markdown: describeKey(containing.path, p.key, ks), range: within(p.keyRange) ? p.keyRange : p.valueRange };
  }
  for (const s of subsections(containing)) {
    if (s.line === pos.line && within(s.nameRange)) {
      const spec = sectionSpec(s.path);
      const doc = spec ? `**${s.path}** section\n\n${spec.doc}${spec.obsolete ? `\n\n⚠ ${spec.obsolete}` : ''}` : `**${mdEscape(s.path)}** — not a section Corosync uses; it is stored and ignored.`;
      return { markdown: doc, range: s.nameRange };
    }
  }
  return undefined;
}

export interface DocumentSymbol {
  readonly name: string;
  readonly detail: string;
  readonly kind: 'section' | 'node' | 'key';
  readonly range: Range;
  readonly selectionRange: Range;
  readonly children: DocumentSymbol[];
}

function sectionSymbol(s: CsSection): DocumentSymbol {
  const pairs = pairsOf(s);
  const value = (k: string): string | undefined => pairs.filter((p) => p.key === k).pop()?.value;
  let name = s.name || '(unnamed)';
  let kind: DocumentSymbol['kind'] = 'section';
  let detail = s.path;
  if (s.path === 'nodelist.node') {
    kind = 'node';
    name = value('name') ?? value('ring0_addr') ?? 'node';
    const id = value('nodeid');
    detail = [id ? `nodeid ${id}` : undefined, value('ring0_addr')].filter(Boolean).join(', ');
  } else if (s.path === 'logging.logger_subsys' && value('subsys')) {
    name = `logger_subsys ${value('subsys')}`;
  } else if (s.path === 'totem.interface') {
    const link = value('linknumber') ?? value('ringnumber');
    if (link !== undefined) name = `interface ${link}`;
  }
  return { name, detail, kind, range: s.range, selectionRange: s.nameRange, children: subsections(s).map(sectionSymbol) };
}

/** Outline: sections, nodes by name. */
export function symbolsCorosync(text: string): DocumentSymbol[] {
  return subsections(parseCorosync(text).root).map(sectionSymbol);
}

/** Quick fixes of the diagnostics that touch `range`. */
export function fixesAt(diagnostics: readonly Diagnostic[], range: Range): { diagnostic: Diagnostic; fix: Fix }[] {
  const overlaps = (a: Range): boolean => !(a.end.line < range.start.line || a.start.line > range.end.line);
  return diagnostics.filter((d) => d.fixes && overlaps(d.range)).flatMap((d) => (d.fixes ?? []).map((fix) => ({ diagnostic: d, fix })));
}

export type { CsDocument };
export { schema };
