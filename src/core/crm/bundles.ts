/**
 * `bundle` statements, both ways, as crmsh 4.4 reads and shows them (crmsh parse.py BundleParser, cliformat):
 *
 *   bundle ID docker|podman|rkt NAME=VALUE… [network NAME=VALUE… [port-mapping NAME=VALUE…]…]
 *             [storage [storage-mapping NAME=VALUE…]…] [primitive RSC] [meta …] [utilization …]
 *
 * ↔ `<bundle id><docker …/><network …><port-mapping/>…</network><storage><storage-mapping/>…</storage>
 *    <primitive …/><meta_attributes/></bundle>`. The primitive is defined by its own statement and moves
 * inside the bundle, as a grouped primitive moves into its group.
 */
import type { XmlElement } from '../util/xml';
import type { AttrSet, BundleNode, NvPair } from './ast';
import type { Compiler } from './compileParts';
import { isPair, toPair, type Cursor } from './cursor';
import { pair } from './showRules';
import type { OutElement } from './xmlOut';
import { el } from './xmlOut';

export const CONTAINER_KINDS = new Set(['docker', 'podman', 'rkt']);

type Base = Pick<BundleNode, 'statement' | 'keyword' | 'range'>;

function pairs(c: Cursor): NvPair[] {
  const out: NvPair[] = [];
  while (isPair(c.peek())) out.push(toPair(c.next()!));
  return out;
}

/** After `bundle`; `parseSet` reads one `meta …`/`utilization …` set (the parser's own reader). */
export function parseBundle(c: Cursor, base: Base, parseSet: (c: Cursor) => AttrSet): BundleNode {
  const id = c.next();
  if (!id) c.problem(base.keyword.range, 'A bundle needs an id and a container, e.g. "bundle httpd docker image=pcmk:httpd replicas=2 primitive httpd-apache".');
  let container: BundleNode['container'];
  let network: BundleNode['network'];
  let storage: BundleNode['storage'];
  let primitive: BundleNode['primitive'];
  const sets: AttrSet[] = [];
  while (!c.atEnd) {
    const t = c.peek()!;
    if (CONTAINER_KINDS.has(t.text)) {
      c.next();
      container = { kind: t, pairs: pairs(c) };
    } else if (t.text === 'network') {
      c.next();
      const attrs = pairs(c);
      const portMappings: NvPair[][] = [];
      while (c.peek()?.text === 'port-mapping') {
        c.next();
        portMappings.push(pairs(c));
      }
      network = { keyword: t, pairs: attrs, portMappings };
    } else if (t.text === 'storage') {
      c.next();
      const mappings: NvPair[][] = [];
      while (c.peek()?.text === 'storage-mapping') {
        c.next();
        mappings.push(pairs(c));
      }
      storage = { keyword: t, mappings };
    } else if (t.text === 'primitive') {
      c.next();
      primitive = c.next();
      if (!primitive || isPair(primitive)) c.problem(t.range, 'Expected the id of the bundle\'s resource after "primitive".');
    } else if (t.text === 'meta' || t.text === 'utilization') {
      sets.push(parseSet(c));
    } else {
      c.next();
      c.problem(t.range, `Unexpected "${t.raw}" in a bundle: expected docker, podman, rkt, network, storage, primitive or meta.`);
    }
  }
  if (id && !container) c.problem(id.range, `Bundle ${id.text} names no container: add "docker image=…" (or podman, rkt).`);
  return { statement: base.statement, keyword: base.keyword, range: base.range, type: 'bundle', id, container, network, storage, primitive, sets };
}

const attrsOf = (ps: readonly NvPair[]): Record<string, string> => Object.fromEntries(ps.map((p) => [p.name, p.value]));

/** The bundle element without its primitive (compile.ts nests that, as for groups). */
export function compileBundle(c: Compiler, n: BundleNode): OutElement | undefined {
  if (!n.id) return undefined;
  const id = n.id.text;
  const out = el('bundle', { id });
  if (n.container) out.children.push(el(n.container.kind.text, attrsOf(n.container.pairs)));
  // A mapping without an id gets ID-0, ID-1… in order (crmsh; Pacemaker's schema requires one).
  const mapping = (name: string, m: readonly NvPair[]): OutElement => {
    const attrs = attrsOf(m);
    if (attrs.id === undefined) return el(name, { id: c.ids.next(id), ...attrs });
    c.ids.reserve(attrs.id);
    return el(name, attrs);
  };
  if (n.network) out.children.push(el('network', attrsOf(n.network.pairs), n.network.portMappings.map((m) => mapping('port-mapping', m))));
  if (n.storage) out.children.push(el('storage', {}, n.storage.mappings.map((m) => mapping('storage-mapping', m))));
  for (const s of n.sets) out.children.push(c.attrSet(s, id));
  return out;
}

/** `<bundle>` → crm text in crmsh's layout (its primitive is shown by its own statement). */
export function showBundle(b: XmlElement, sets: (e: XmlElement, owner: string) => string[], unsupported: string[]): string {
  const id = b.attrs.id ?? '';
  const lines = [`bundle ${id}`];
  const words = (e: XmlElement): string[] => Object.entries(e.attrs).map(([k, v]) => pair(k, v));
  let primitive: string | undefined;
  for (const ch of b.children) {
    if (CONTAINER_KINDS.has(ch.name)) lines.push([ch.name, ...words(ch)].join(' '));
    else if (ch.name === 'network') lines.push(['network', ...words(ch), ...ch.children.filter((m) => m.name === 'port-mapping').flatMap((m) => ['port-mapping', ...words(m)])].join(' '));
    else if (ch.name === 'storage') lines.push(['storage', ...ch.children.filter((m) => m.name === 'storage-mapping').flatMap((m) => ['storage-mapping', ...words(m)])].join(' '));
    else if (ch.name === 'primitive') primitive = ch.attrs.id;
    else if (!['meta_attributes', 'instance_attributes', 'utilization'].includes(ch.name)) unsupported.push(`<${ch.name}> in bundle ${id}`);
  }
  // crmsh shows the bundle's sets before its primitive.
  lines.push(...sets(b, id));
  if (primitive) lines.push(`primitive ${primitive}`);
  return lines.join(' \\\n\t');
}
