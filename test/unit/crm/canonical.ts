/**
 * Canonical form of CIB <configuration> XML, for comparing ours with crmsh's or with the original:
 *  - attribute order does not matter; `boolean-op="and"` (the default, which crmsh never writes) is dropped;
 *  - empty optional sections (<op_defaults/>, <tags/>…) are dropped;
 *  - ids that tools generate (nvpairs, expressions, resource sets, fencing levels) are dropped;
 *  - children of configuration and its sections are sorted (crmsh's order follows its object creation
 *    order, which Pacemaker does not care about), and inside a resource its attribute sets and
 *    operations come before its child resources, whose order is kept (it is significant in groups).
 */
import type { XmlElement } from '../../../src/core/util/xml';

const GENERATED_ID = new Set(['nvpair', 'expression', 'date_expression', 'date_spec', 'duration', 'resource_set', 'fencing-level']);
const SORTED = new Set(['configuration', 'resources', 'constraints', 'crm_config', 'nodes', 'tags', 'rsc_defaults', 'op_defaults', 'fencing-topology']);
const RESOURCE = new Set(['primitive', 'template', 'group', 'clone', 'master', 'bundle']);

function attrsOf(e: XmlElement): [string, string][] {
  return Object.entries(e.attrs)
    .filter(([k, v]) => !(k === 'id' && GENERATED_ID.has(e.name)) && !(k === 'boolean-op' && v === 'and'))
    .sort(([a], [b]) => a.localeCompare(b));
}

const DROPPED_WHEN_EMPTY = new Set(['tags', 'rsc_defaults', 'op_defaults', 'fencing-topology', 'alerts', 'acls']);

function orderedKids(e: XmlElement, render: (c: XmlElement) => string): string[] {
  const kids = e.children.filter((c) => !(DROPPED_WHEN_EMPTY.has(c.name) && c.children.length === 0)).map((c) => ({ c, s: render(c) }));
  if (SORTED.has(e.name)) return kids.map((k) => k.s).sort();
  if (RESOURCE.has(e.name)) {
    const own = kids.filter((k) => !RESOURCE.has(k.c.name)).map((k) => k.s).sort();
    return [...own, ...kids.filter((k) => RESOURCE.has(k.c.name)).map((k) => k.s)];
  }
  return kids.map((k) => k.s);
}

export function canonical(e: XmlElement): string {
  const attrs = attrsOf(e).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return `<${e.name} ${attrs.join(' ')}>${orderedKids(e, canonical).join('')}</${e.name}>`;
}

/** Indented rendering of the canonical form, for readable diffs in failures. */
export function pretty(e: XmlElement, indent = ''): string {
  const attrs = attrsOf(e).map(([k, v]) => ` ${k}="${v}"`).join('');
  return `${indent}<${e.name}${attrs}>\n${orderedKids(e, (c) => pretty(c, indent + '  ')).join('')}`;
}
