/**
 * A small, uniform element tree on top of fast-xml-parser, shared by the crm_mon and CIB parsers.
 *
 * Why a tree of our own: crm_mon and the CIB reuse tag names at different depths (`<node>` is a
 * cluster node, a resource's location and a node_history entry), so fast-xml-parser's default
 * object form — where "is this an array?" depends on the tag name — is error-prone. Its
 * `preserveOrder` form is converted once into `{name, attrs, children}` and the parsers walk that.
 *
 * Malformed input never throws: `parseXmlDocument` returns a PcxError naming the line and what
 * is wrong, and recognises the common "output was cut off" case (unclosed elements at the end).
 */
import type { XMLParser } from 'fast-xml-parser';
import type * as FastXmlParser from 'fast-xml-parser';
import { err, ok, type PcxError, type Result } from './result';

export interface XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  /** Concatenated direct text content (rarely used: crm_mon `<error>` messages). */
  readonly text: string;
}

let fxp: typeof FastXmlParser | undefined;
/** fast-xml-parser, loaded on the first document rather than at startup (its own file in the bundles: scripts/build.mjs). */
export function fastXmlParser(): typeof FastXmlParser {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (fxp ??= require('fast-xml-parser') as typeof FastXmlParser);
}

let orderedParser: XMLParser | undefined;
const parser = (): XMLParser => (orderedParser ??= new (fastXmlParser().XMLParser)({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseAttributeValue: false,
  parseTagValue: false,
  trimValues: true,
  processEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
}));

type OrderedNode = Record<string, unknown> & { ':@'?: Record<string, unknown> };

function convert(nodes: readonly OrderedNode[]): { elements: XmlElement[]; text: string } {
  const elements: XmlElement[] = [];
  let text = '';
  for (const node of nodes) {
    for (const key of Object.keys(node)) {
      if (key === ':@') continue;
      const value = node[key];
      if (key === '#text') {
        text += String(value);
        continue;
      }
      if (key.startsWith('?') || key === '#comment') continue;
      const attrsIn = node[':@'] ?? {};
      const attrs: Record<string, string> = {};
      for (const [k, v] of Object.entries(attrsIn)) attrs[k] = String(v);
      const inner = convert(Array.isArray(value) ? (value as OrderedNode[]) : []);
      elements.push({ name: key, attrs, children: inner.elements, text: inner.text });
    }
  }
  return { elements, text };
}

/** What the caller is parsing, for messages: "crm_mon XML", "CIB XML". */
export type XmlKind = string;

/**
 * Parse one XML document into an element tree. Errors carry code `xml-empty`, `xml-truncated`
 * or `xml-malformed`, with the line number when the parser reports one.
 */
export function parseXmlDocument(xml: string, kind: XmlKind): Result<XmlElement> {
  if (typeof xml !== 'string' || xml.trim() === '') {
    return err({
      code: 'xml-empty',
      message: `${kind} is empty`,
      hint: 'check that the command printed XML (e.g. `crm_mon -1 --output-as=xml`, `cibadmin -Q`) and that the file is the right one',
    });
  }
  const validation = fastXmlParser().XMLValidator.validate(xml);
  if (validation !== true) return err(describeValidationError(validation.err, kind));
  let tree: OrderedNode[];
  try {
    tree = parser().parse(xml) as OrderedNode[];
  } catch (e) {
    // The validator accepted it, so this is unexpected; still a value, not a stack trace.
    return err({ code: 'xml-malformed', message: `${kind} could not be parsed: ${e instanceof Error ? e.message : String(e)}` });
  }
  const { elements } = convert(tree);
  if (elements.length === 0) {
    return err({ code: 'xml-malformed', message: `${kind} has no root element`, hint: 'the input holds no XML element at all' });
  }
  if (elements.length > 1) {
    return err({
      code: 'xml-malformed',
      message: `${kind} has ${elements.length} root elements (<${elements.map((e) => e.name).join('>, <')}>); expected one document`,
      hint: 'pass one crm_mon or CIB document per file',
    });
  }
  return ok(elements[0]!);
}

function describeValidationError(e: { code: string; msg: string; line: number; col?: number }, kind: XmlKind): PcxError {
  // fast-xml-parser reports elements left open at end of input as "Invalid '[ "a", "b" ]' found."
  const unclosed = /^Invalid '\[(.*)\]' found/s.exec(e.msg);
  if (unclosed) {
    const names = [...unclosed[1]!.matchAll(/"([^"]+)"/g)].map((m) => `<${m[1]}>`);
    return {
      code: 'xml-truncated',
      message: `${kind} ends before ${names.length === 1 ? 'element' : 'elements'} ${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} closed — the output looks cut off`,
      hint: 'capture the output again (the command may have been interrupted, or the file was truncated)',
    };
  }
  const where = e.line ? ` at line ${e.line}${e.col ? `, column ${e.col}` : ''}` : '';
  const truncatedTag = /Unclosed tag|closing tag|Start tag expected/i.test(e.msg);
  return {
    code: truncatedTag && /Unclosed/i.test(e.msg) ? 'xml-truncated' : 'xml-malformed',
    message: `${kind} is not well-formed${where}: ${e.msg}`,
    hint: 'capture the output again; if it came from a file, check that it is the complete, unedited XML',
  };
}

/* ---------- small accessors used by both parsers ---------- */

export function child(el: XmlElement | undefined, name: string): XmlElement | undefined {
  return el?.children.find((c) => c.name === name);
}

export function childrenNamed(el: XmlElement | undefined, ...names: string[]): XmlElement[] {
  return el ? el.children.filter((c) => names.includes(c.name)) : [];
}

/** Pacemaker booleans: true/yes/on/y/1 (case-insensitive), as crm_is_true() accepts. */
export function parseBool(v: string | undefined): boolean | undefined {
  if (v == null) return undefined;
  const s = v.trim().toLowerCase();
  if (['true', 'yes', 'on', 'y', '1'].includes(s)) return true;
  if (['false', 'no', 'off', 'n', '0'].includes(s)) return false;
  return undefined;
}

export function bool(el: XmlElement, name: string, fallback = false): boolean {
  return parseBool(el.attrs[name]) ?? fallback;
}

/** An integer attribute; undefined when absent or not a number ("", "unknown"). */
export function int(el: XmlElement, name: string): number | undefined {
  const v = el.attrs[name];
  if (v == null || v.trim() === '') return undefined;
  const n = Number.parseInt(v, 10);
  return Number.isFinite(n) ? n : undefined;
}

/** Pacemaker's score infinity (CRM_SCORE_INFINITY). */
export const SCORE_INFINITY = 1_000_000;

/** A Pacemaker score: integer, or ±INFINITY (also "+INFINITY"), clamped to ±1000000. */
export function parseScore(v: string | undefined): number | undefined {
  if (v == null) return undefined;
  const s = v.trim().toUpperCase();
  if (s === 'INFINITY' || s === '+INFINITY') return SCORE_INFINITY;
  if (s === '-INFINITY') return -SCORE_INFINITY;
  const n = Number.parseInt(s, 10);
  if (!Number.isFinite(n)) return undefined;
  return Math.max(-SCORE_INFINITY, Math.min(SCORE_INFINITY, n));
}

/** "10000ms" / "10s" / "10" (seconds) / "1min" / "1h" → milliseconds; undefined when unparseable. */
export function parseDurationMs(v: string | undefined): number | undefined {
  if (v == null) return undefined;
  const m = /^\s*(\d+)\s*(ms|msec|s|sec|m|min|h|hr)?\s*$/i.exec(v);
  if (!m) return undefined;
  const n = Number(m[1]);
  switch ((m[2] ?? 's').toLowerCase()) {
    case 'ms':
    case 'msec':
      return n;
    case 's':
    case 'sec':
      return n * 1000;
    case 'm':
    case 'min':
      return n * 60_000;
    default:
      return n * 3_600_000;
  }
}

/** Copy of the attributes without the listed keys (to keep unknown attributes visible as `extra`). */
export function otherAttrs(el: XmlElement, known: readonly string[]): Readonly<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(el.attrs)) if (!known.includes(k)) out[k] = v;
  return out;
}
