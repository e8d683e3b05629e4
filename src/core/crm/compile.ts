/**
 * Compiler: crm configuration → CIB `<configuration>` XML, as crmsh 4.4's `configure load update`
 * writes it (crmsh/parse.py, cibconfig.py): same elements and values, and — where the spec names
 * none — the same generated ids. Containers take their children inside them (a grouped primitive
 * moves into its group, a cloned group into its clone). Checked against crmsh in test/unit/crm/oracle.test.ts.
 * Statements crmsh knows but we don't compile (the old ACL `user`, `schema`) are reported by `unsupported`.
 */
import type { BundleNode, ContainerNode, CrmDocument, CrmNode, PrimitiveNode } from './ast';
import { compileAcl } from './acls';
import { compileAlert } from './alerts';
import { compileBundle } from './bundles';
import { Compiler } from './compileParts';
import type { OutElement } from './xmlOut';
import { el, serialize } from './xmlOut';

export interface CompileResult {
  readonly configuration: OutElement;
  readonly xml: string;
  /** Statements left out of the XML (kind and line), for a warning. */
  readonly unsupported: readonly { readonly kind: string; readonly line: number }[];
}

const DEFAULT_SET_ID: Record<string, string> = { property: 'cib-bootstrap-options', rsc_defaults: 'rsc-options', op_defaults: 'op-options' };

export function compileCrm(doc: CrmDocument): CompileResult {
  const c = new Compiler();
  // Ids the spec names are taken before any id is generated (crmsh checks them first too).
  for (const n of doc.nodes) {
    if (n.id && n.type !== 'node' && n.type !== 'other') c.ids.reserve(n.id.text);
    if (n.type === 'property' || n.type === 'rsc_defaults' || n.type === 'op_defaults') c.ids.reserve(n.setId ?? DEFAULT_SET_ID[n.type]!);
  }
  const crmConfig = el('crm_config');
  const nodes = el('nodes');
  const resources = el('resources');
  const constraints = el('constraints');
  const tags = el('tags');
  const fencing = el('fencing-topology');
  const rscDefaults = el('rsc_defaults');
  const opDefaults = el('op_defaults');
  const alerts = el('alerts');
  const acls = el('acls');
  const unsupported: { kind: string; line: number }[] = [];
  const built = new Map<string, OutElement>();
  const containers: ContainerNode[] = [];
  const bundles: BundleNode[] = [];
  const order: string[] = [];
  const propertySets = new Map<string, OutElement>();

  for (const n of doc.nodes) compileNode(n);

  function compileNode(n: CrmNode): void {
    switch (n.type) {
      case 'primitive':
      case 'rsc_template': {
        if (!n.id) return;
        built.set(n.id.text, c.primitive(n as PrimitiveNode));
        order.push(n.id.text);
        return;
      }
      case 'group':
      case 'clone':
      case 'ms':
        if (!n.id) return;
        containers.push(n);
        built.set(n.id.text, el(n.type === 'ms' ? 'master' : n.type, { id: n.id.text, description: n.description }));
        order.push(n.id.text);
        return;
      case 'node': {
        if (!n.id) return;
        const out = el('node', { id: n.nodeId ?? n.id.text, uname: n.id.text, type: n.nodeType, description: n.description });
        for (const s of n.sets) out.children.push(c.attrSet(s, n.id.text, s.kind === 'utilization' ? 'utilization' : 'instance_attributes'));
        nodes.children.push(out);
        return;
      }
      case 'property':
      case 'rsc_defaults':
      case 'op_defaults': {
        const id = n.setId ?? DEFAULT_SET_ID[n.type]!;
        const section = n.type === 'property' ? crmConfig : n.type === 'rsc_defaults' ? rscDefaults : opDefaults;
        const setName = n.type === 'property' ? 'cluster_property_set' : 'meta_attributes';
        const set = n.sets[0]!;
        let out = propertySets.get(`${n.type}/${id}`);
        if (!out) {
          out = el(setName, { id });
          if (set.score) out.attrs.push(['score', set.score.text.slice(0, -1)]);
          propertySets.set(`${n.type}/${id}`, out);
          section.children.push(out);
        }
        for (const r of set.rules) out.children.push(c.rule(r, id, true));
        c.nvpairs(out, id, set.pairs);
        return;
      }
      case 'location':
        if (n.id) constraints.children.push(c.location(n));
        return;
      case 'colocation':
      case 'order':
      case 'rsc_ticket':
        if (n.id) constraints.children.push(c.constraint(n));
        return;
      case 'tag':
        if (n.id) tags.children.push(el('tag', { id: n.id.text }, n.refs.map((r) => el('obj_ref', { id: r.text }))));
        return;
      case 'fencing_topology': {
        const perTarget = new Map<string, number>();
        for (const level of n.levels) {
          const target = level.target?.text;
          const targets = target !== undefined ? [target] : doc.nodes.filter((x) => x.type === 'node' && x.id).map((x) => x.id!.text);
          for (const t of targets) {
            // Each device list (a,b) after a target is one level, numbered in order.
            for (const dev of level.devices) {
              const index = (perTarget.get(t) ?? 0) + 1;
              perTarget.set(t, index);
              const attrs: Record<string, string> = t.startsWith('attr:')
                ? { 'target-attribute': t.slice(5).split('=')[0]!, 'target-value': t.slice(5).split('=').slice(1).join('=') }
                : t.startsWith('pattern:') ? { 'target-pattern': t.slice(8) } : { target: t };
              fencing.children.push(el('fencing-level', { ...attrs, index: String(index), devices: dev.text, id: c.ids.next('fencing') }));
            }
          }
        }
        return;
      }
      case 'bundle': {
        const out = compileBundle(c, n);
        if (!out) return;
        bundles.push(n);
        built.set(n.id!.text, out);
        order.push(n.id!.text);
        return;
      }
      case 'acl': {
        const out = compileAcl(c, n);
        if (out) acls.children.push(out);
        return;
      }
      case 'alert': {
        const out = compileAlert(c, n);
        if (out) alerts.children.push(out);
        return;
      }
      case 'other':
        unsupported.push({ kind: n.kind, line: n.statement.startLine });
    }
  }

  // Nest children into containers; anything placed inside another element leaves the top level.
  const nested = new Set<string>();
  for (const k of containers) {
    const out = built.get(k.id!.text)!;
    for (const s of k.sets) out.children.push(c.attrSet(s, k.id!.text));
    for (const ch of k.children) {
      const child = built.get(ch.text);
      if (child && !nested.has(ch.text) && ch.text !== k.id!.text) {
        out.children.push(child);
        nested.add(ch.text);
      }
    }
  }
  for (const b of bundles) {
    // The bundle's resource sits after its container/network/storage and before its meta (crmsh's order).
    const out = built.get(b.id!.text)!;
    const inner = b.primitive && built.get(b.primitive.text);
    if (inner && !nested.has(b.primitive!.text)) {
      const at = out.children.findIndex((ch) => ['meta_attributes', 'utilization', 'instance_attributes'].includes(ch.name));
      out.children.splice(at < 0 ? out.children.length : at, 0, inner);
      nested.add(b.primitive!.text);
    }
  }
  for (const id of order) if (!nested.has(id)) resources.children.push(built.get(id)!);

  const configuration = el('configuration', {}, [crmConfig, nodes, resources, constraints]);
  for (const optional of [acls, tags, fencing, rscDefaults, opDefaults, alerts]) if (optional.children.length) configuration.children.push(optional);
  return { configuration, xml: serialize(configuration), unsupported };
}
