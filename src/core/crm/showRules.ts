/** CIB XML → crm text for the parts shared by resources and constraints: values, nvpairs, rules, scores. */
import type { XmlElement } from '../util/xml';

const NOQUOTES = /^[\w.-]+$/;

/** crmsh cliformat.quote_wrap: bare when made of word characters, dots and dashes, else double-quoted. */
export function quoteValue(v: string): string {
  if (NOQUOTES.test(v)) return v;
  return `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function pair(name: string, value: string): string {
  // crmsh prints names bare; one with blanks, quotes or "=" (pcs allows them) would not read back.
  const n = /[\s"'=\\]/.test(name) ? quoteValue(name) : name;
  return `${n}=${quoteValue(value)}`;
}

/** Score attribute as crm syntax: `inf`, `-inf`, `100`, or a score attribute's name. */
export function showScore(e: XmlElement): string | undefined {
  const s = e.attrs.score ?? e.attrs['score-attribute'];
  if (s === undefined) return undefined;
  return s.replace(/^\+?INFINITY$/i, 'inf').replace(/^-INFINITY$/i, '-inf');
}

function expression(e: XmlElement): string | undefined {
  const a = e.attrs;
  if (e.name === 'expression') {
    if (a.operation === 'defined' || a.operation === 'not_defined') return `${a.operation} ${quoteValue(a.attribute ?? '')}`;
    const op = a.type ? `${a.type}:${a.operation}` : a.operation;
    const source = a['value-source'];
    const value = source === 'param' || source === 'meta' ? `${source}{${a.value ?? ''}}` : quoteValue(a.value ?? '');
    return `${quoteValue(a.attribute ?? '')} ${op} ${value}`;
  }
  if (e.name === 'date_expression') {
    if (a.operation === 'gt') return `date gt ${quoteValue(a.start ?? '')}`;
    if (a.operation === 'lt') return `date lt ${quoteValue(a.end ?? '')}`;
    const parts: string[] = [];
    if (a.start !== undefined) parts.push(pair('start', a.start));
    if (a.end !== undefined) parts.push(pair('end', a.end));
    for (const ch of e.children) for (const [k, v] of Object.entries(ch.attrs)) if (k !== 'id') parts.push(pair(k, v));
    return `date ${a.operation === 'in_range' ? 'in' : 'spec'} ${parts.join(' ')}`;
  }
  return undefined;
}

/** `rule [$id=] [$role=] score: expr and|or expr…`; `naturalId` is the id our compiler would generate. */
export function showRule(r: XmlElement, naturalId: string | undefined, unsupported: string[]): string {
  if (r.attrs['id-ref']) return `rule $id-ref=${r.attrs['id-ref']}`;
  const parts = ['rule'];
  if (r.attrs.id && r.attrs.id !== naturalId) parts.push(`$id=${r.attrs.id}`);
  if (r.attrs.role) parts.push(`$role=${r.attrs.role}`);
  const score = showScore(r);
  if (score !== undefined) parts.push(`${score}:`);
  const exprs: string[] = [];
  for (const ch of r.children) {
    const x = expression(ch);
    if (x) exprs.push(x);
    else unsupported.push(`<${ch.name}> inside rule ${r.attrs.id ?? ''}`);
  }
  parts.push(exprs.join(` ${r.attrs['boolean-op'] ?? 'and'} `));
  return parts.join(' ');
}
