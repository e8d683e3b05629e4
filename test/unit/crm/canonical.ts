/**
 * Canonical form of CIB <configuration> XML for comparing ours with crmsh's: attribute order does
 * not matter; ids that a tool generates (nvpairs, expressions, resource sets, fencing levels) are
 * dropped; top-level children of each section are sorted by tag and id (crmsh's own order depends
 * on its object creation order, which Pacemaker does not care about for these sections).
 */
import type { XmlElement } from '../../../src/core/cluster/xml';

const GENERATED_ID = new Set(['nvpair', 'expression', 'date_expression', 'date_spec', 'duration', 'resource_set', 'fencing-level']);
const SORTED = new Set(['resources', 'constraints', 'crm_config', 'nodes', 'tags', 'rsc_defaults', 'op_defaults', 'fencing-topology']);

export function canonical(e: XmlElement): string {
  const attrs = Object.entries(e.attrs)
    .filter(([k]) => !(k === 'id' && GENERATED_ID.has(e.name)))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  let kids = e.children.map(canonical);
  if (SORTED.has(e.name)) kids = [...kids].sort();
  return `<${e.name} ${attrs.join(' ')}>${kids.join('')}</${e.name}>`;
}

/** Indented rendering of the canonical form for readable diffs in failures. */
export function pretty(e: XmlElement, indent = ''): string {
  const attrs = Object.entries(e.attrs).filter(([k]) => !(k === 'id' && GENERATED_ID.has(e.name))).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => ` ${k}="${v}"`).join('');
  let kids = e.children.map((c) => pretty(c, indent + '  '));
  if (SORTED.has(e.name)) kids = [...kids].sort((a, b) => a.trim().localeCompare(b.trim()));
  return `${indent}<${e.name}${attrs}>\n${kids.join('')}`;
}
