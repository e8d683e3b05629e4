/**
 * Cross-statement view of a crm document for the linter and the editor: what each id is, where it
 * is defined and referenced, which container holds which resource. Built once per lint pass.
 */
import type { Range } from '../lint/types';
import type { ContainerNode, CrmDocument, CrmNode, PrimitiveNode, RscItem } from './ast';

export type IdKind = 'primitive' | 'rsc_template' | 'group' | 'clone' | 'ms' | 'bundle' | 'alert' | 'acl' | 'constraint' | 'tag' | 'property' | 'node';

export interface IdDef {
  readonly id: string;
  readonly kind: IdKind;
  readonly node: CrmNode;
  readonly range: Range;
}

export interface IdUse {
  readonly id: string;
  readonly range: Range;
  readonly node: CrmNode;
  /** Where it occurs: a container's child list, a constraint, a tag, fencing_topology. */
  readonly context: 'child' | 'constraint' | 'tag' | 'fencing' | 'template' | 'acl';
}

export interface CrmModel {
  readonly doc: CrmDocument;
  /** First definition of each resource/constraint/tag id. */
  readonly defs: ReadonlyMap<string, IdDef>;
  /** Every definition in order, duplicates included. */
  readonly allDefs: readonly IdDef[];
  readonly uses: readonly IdUse[];
  /** Child id → the container that holds it. */
  readonly parentOf: ReadonlyMap<string, ContainerNode>;
  readonly primitives: readonly PrimitiveNode[];
  readonly containers: readonly ContainerNode[];
  readonly nodeNames: ReadonlySet<string>;
  /** Property name → value (last one wins), from every `property` statement. */
  readonly properties: ReadonlyMap<string, string>;
  readonly rscDefaults: ReadonlyMap<string, string>;
}

export function refsOf(items: readonly RscItem[]): { id: string; range: Range; suffix?: string }[] {
  return items.flatMap((i) => (i.kind === 'ref' ? [i] : i.refs)).map((r) => ({ id: r.id, range: r.idRange, suffix: r.suffix }));
}

export function buildModel(doc: CrmDocument): CrmModel {
  const defs = new Map<string, IdDef>();
  const allDefs: IdDef[] = [];
  const uses: IdUse[] = [];
  const parentOf = new Map<string, ContainerNode>();
  const primitives: PrimitiveNode[] = [];
  const containers: ContainerNode[] = [];
  const nodeNames = new Set<string>();
  const properties = new Map<string, string>();
  const rscDefaults = new Map<string, string>();
  const define = (id: string, kind: IdKind, node: CrmNode, range: Range): void => {
    const d = { id, kind, node, range };
    allDefs.push(d);
    if (!defs.has(id)) defs.set(id, d);
  };
  for (const n of doc.nodes) {
    switch (n.type) {
      case 'primitive':
      case 'rsc_template':
        if (n.id) define(n.id.text, n.type, n, n.id.range);
        if (n.template) uses.push({ id: n.template.text.slice(1), range: n.template.range, node: n, context: 'template' });
        primitives.push(n);
        break;
      case 'group':
      case 'clone':
      case 'ms':
        if (n.id) define(n.id.text, n.type, n, n.id.range);
        containers.push(n);
        for (const ch of n.children) {
          uses.push({ id: ch.text, range: ch.range, node: n, context: 'child' });
          if (!parentOf.has(ch.text)) parentOf.set(ch.text, n);
        }
        break;
      case 'bundle':
        if (n.id) define(n.id.text, 'bundle', n, n.id.range);
        if (n.primitive) uses.push({ id: n.primitive.text, range: n.primitive.range, node: n, context: 'child' });
        break;
      case 'alert':
        if (n.id) define(n.id.text, 'alert', n, n.id.range);
        break;
      case 'acl':
        // Roles, targets and groups share the ACL id space; a target's roles are uses (rename follows them).
        if (n.id) define(n.id.text, 'acl', n, n.id.range);
        for (const r of n.roles) uses.push({ id: r.text, range: r.range, node: n, context: 'acl' });
        for (const p of n.permissions) {
          for (const sp of p.specs) {
            if (sp.kind !== 'reference' || sp.token.quoted) continue;
            // The id's part of `ref:ID`, so a rename keeps the prefix.
            const at = sp.token.range.start.character + sp.token.raw.indexOf(':') + 1;
            uses.push({ id: sp.value, range: { start: { line: sp.token.range.start.line, character: at }, end: sp.token.range.end }, node: n, context: 'acl' });
          }
        }
        break;
      case 'node':
        if (n.id) {
          nodeNames.add(n.id.text);
          define(n.nodeId ?? n.id.text, 'node', n, n.id.range);
        }
        break;
      case 'location':
      case 'colocation':
      case 'order':
      case 'rsc_ticket':
        if (n.id) define(n.id.text, 'constraint', n, n.id.range);
        for (const r of refsOf(n.items)) uses.push({ id: r.id, range: r.range, node: n, context: 'constraint' });
        break;
      case 'tag':
        if (n.id) define(n.id.text, 'tag', n, n.id.range);
        for (const r of n.refs) uses.push({ id: r.text, range: r.range, node: n, context: 'tag' });
        break;
      case 'property':
      case 'rsc_defaults':
      case 'op_defaults':
        if (n.setId) define(n.setId, 'property', n, n.range);
        for (const p of n.sets[0]?.pairs ?? []) (n.type === 'property' ? properties : n.type === 'rsc_defaults' ? rscDefaults : new Map()).set(p.name, p.value);
        break;
      case 'fencing_topology':
        for (const l of n.levels) for (const d of l.devices) for (const dev of d.text.split(',')) uses.push({ id: dev, range: d.range, node: n, context: 'fencing' });
        break;
      default:
        break;
    }
  }
  return { doc, defs, allDefs, uses, parentOf, primitives, containers, nodeNames, properties, rscDefaults };
}

/** The primitive an id resolves to, following a container down to its only/first primitive. */
export function primitiveUnder(model: CrmModel, id: string, depth = 0): PrimitiveNode | undefined {
  const d = model.defs.get(id);
  if (!d || depth > 5) return undefined;
  if (d.kind === 'primitive') return d.node as PrimitiveNode;
  if (d.kind === 'clone' || d.kind === 'ms' || d.kind === 'group') {
    const first = (d.node as ContainerNode).children[0];
    return first ? primitiveUnder(model, first.text, depth + 1) : undefined;
  }
  return undefined;
}

/** Is `id` a promotable clone (`clone … meta promotable=true`) or an `ms`? */
export function isPromotable(model: CrmModel, id: string): boolean {
  const d = model.defs.get(id);
  if (!d) return false;
  if (d.kind === 'ms') return true;
  if (d.kind !== 'clone') return false;
  return (d.node as ContainerNode).sets.some((s) => s.kind === 'meta' && s.pairs.some((p) => p.name === 'promotable' && /^(true|yes|1|on)$/i.test(p.value)));
}
