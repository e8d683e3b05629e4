/**
 * Compiler parts: crm configuration (syntax tree) → CIB `<configuration>` XML, producing what crmsh 4.4's
 * `configure load update` writes (crmsh/parse.py, cibconfig.py): same elements, values and — where
 * the spec does not name them — the same generated ids (`<rsc>-instance_attributes`, `<rsc>-monitor-10s`,
 * `base-0` on collision). Checked against crmsh itself in test/unit/crm/oracle.test.ts.
 */
import type { AttrSet, ConstraintNode, LocationNode, NvPair, Op, PrimitiveNode, RscItem, Rule } from './ast';
import { parseAgent } from './agentSpec';
import { canonicalRole, canonicalAction, scoreAttr } from './values';
import type { OutElement } from './xmlOut';
import { el, IdAllocator, setAttr } from './xmlOut';

const OP_ATTRS = new Set(['id', 'name', 'interval', 'description', 'start-delay', 'interval-origin', 'timeout', 'enabled', 'record-pending', 'role', 'requires', 'on-fail']);
const SET_ELEMENT: Record<string, string> = {
  params: 'instance_attributes', attributes: 'instance_attributes', op_params: 'instance_attributes',
  meta: 'meta_attributes', op_meta: 'meta_attributes', utilization: 'utilization',
};

class Compiler {
  readonly ids = new IdAllocator();

  nvpairs(parent: OutElement, setId: string, pairs: readonly NvPair[]): void {
    for (const p of pairs) parent.children.push(el('nvpair', { name: p.name, value: p.value, id: this.ids.next(`${setId}-${p.name}`) }));
  }

  rule(r: Rule, base: string, defaultScore: boolean): OutElement {
    if (r.idRef) return el('rule', { 'id-ref': r.idRef, role: r.role ? canonicalRole(r.role.text.split('=')[1] ?? '') : undefined });
    const id = r.id ?? this.ids.next(`${base}-rule`);
    if (r.id) this.ids.reserve(r.id);
    const out = el('rule', { id });
    if (r.role) setAttr(out, 'role', canonicalRole(r.role.text.slice(r.role.text.indexOf('=') + 1)));
    if (r.score) {
      const [k, v] = scoreAttr(r.score.text.slice(0, -1));
      setAttr(out, k, v);
    } else if (defaultScore) setAttr(out, 'score', 'INFINITY');
    if (r.booleanOp === 'or') setAttr(out, 'boolean-op', 'or');
    for (const e of r.exprs) {
      const eid = this.ids.next(`${id}-expression`);
      if (e.kind === 'defined') out.children.push(el('expression', { operation: e.op, attribute: e.attribute.text, id: eid }));
      else if (e.kind === 'attr') {
        const colon = e.op.text.indexOf(':');
        // `param{name}` / `meta{name}`: the value is the resource's parameter or meta attribute of that name.
        const source = /^(param|meta)\{(.*)\}$/.exec(e.value.text);
        out.children.push(el('expression', {
          operation: colon > 0 ? e.op.text.slice(colon + 1) : e.op.text, attribute: e.attribute.text,
          type: e.type, value: source ? source[2] : e.value.text, 'value-source': source?.[1], id: eid,
        }));
      } else if (e.op === 'gt' || e.op === 'lt') {
        out.children.push(el('date_expression', { operation: e.op, [e.op === 'lt' ? 'end' : 'start']: e.value?.text ?? '', id: eid }));
      } else {
        const d = el('date_expression', { operation: e.op, id: eid });
        const rest: NvPair[] = [];
        for (const p of e.pairs) {
          if (e.op === 'in_range' && (p.name === 'start' || p.name === 'end')) setAttr(d, p.name, p.value);
          else rest.push(p);
        }
        if (rest.length) {
          const kind = e.op === 'in_range' ? 'duration' : 'date_spec';
          const child = el(kind, {});
          for (const p of rest) setAttr(child, p.name, p.value);
          setAttr(child, 'id', this.ids.next(`${eid}-${kind}`));
          d.children.push(child);
        }
        out.children.push(d);
      }
    }
    return out;
  }

  attrSet(s: AttrSet, owner: string, elementName?: string): OutElement {
    const name = elementName ?? SET_ELEMENT[s.kind]!;
    if (s.idRef) return el(name, { 'id-ref': s.idRef });
    const id = s.id ?? this.ids.next(`${owner}-${name}`);
    if (s.id) this.ids.reserve(s.id);
    const out = el(name, { id });
    if (s.score) setAttr(out, 'score', scoreAttr(s.score.text.slice(0, -1))[1]);
    for (const r of s.rules) out.children.push(this.rule(r, id, true));
    for (const ref of s.refs) out.children.push(el('nvpair', { 'id-ref': ref.text.slice(1) }));
    this.nvpairs(out, id, s.pairs);
    return out;
  }

  op(o: Op, owner: string): OutElement {
    const attrs: NvPair[] = [...o.attrs];
    const out = el('op', { name: o.action.text });
    if (!attrs.some((a) => a.name === 'interval')) attrs.push({ ...attrs[0]!, name: 'interval', value: '0' });
    const inst: NvPair[] = [];
    for (const a of attrs) {
      if (OP_ATTRS.has(a.name)) setAttr(out, a.name, a.name === 'role' ? canonicalRole(a.value) : a.value);
      else inst.push(a);
    }
    const given = attrs.find((a) => a.name === 'id')?.value;
    const id = given ?? this.ids.next(`${owner}-${o.action.text}-${attrs.find((a) => a.name === 'interval')!.value}`);
    if (given) this.ids.reserve(given);
    setAttr(out, 'id', id);
    if (inst.length) {
      const set = el('instance_attributes', { id: this.ids.next(`${id}-instance_attributes`) });
      this.nvpairs(set, set.attrs[0]![1], inst);
      out.children.push(set);
    }
    for (const s of o.sets) out.children.push(this.attrSet(s, id));
    return out;
  }

  primitive(n: PrimitiveNode): OutElement {
    const id = n.id!.text;
    const out = el(n.type === 'rsc_template' ? 'template' : 'primitive', { id });
    if (n.template) setAttr(out, 'template', n.template.text.slice(1));
    else if (n.agent) {
      const a = parseAgent(n.agent.text);
      setAttr(out, 'class', a.class);
      setAttr(out, 'provider', a.provider);
      setAttr(out, 'type', a.type);
    }
    setAttr(out, 'description', n.description);
    for (const s of n.sets) out.children.push(this.attrSet(s, id));
    if (n.ops.length || n.operationsId || n.operationsIdRef) {
      const ops = el('operations', n.operationsIdRef ? { 'id-ref': n.operationsIdRef } : { id: n.operationsId });
      if (n.operationsId) this.ids.reserve(n.operationsId);
      for (const o of n.ops) ops.children.push(this.op(o, n.operationsId ?? id));
      out.children.push(ops);
    }
    return out;
  }

  resourceSets(out: OutElement, cid: string, items: readonly RscItem[], qualifier: 'role' | 'action'): void {
    // crmsh's ResourceSet: unbracketed refs form one sequential set; a role/action change starts a new set.
    let current: OutElement | undefined;
    let bracket: string | undefined;
    let extra: readonly NvPair[] = [];
    let prevQ: string | undefined;
    const flush = (): void => {
      if (!current) return;
      if (bracket === '[') setAttr(current, 'require-all', 'false');
      if (bracket === '(' || bracket === '[') setAttr(current, 'sequential', 'false');
      for (const a of extra) setAttr(current, a.name, canonicalBool(a.value));
      if (prevQ) setAttr(current, qualifier, qualifier === 'role' ? canonicalRole(prevQ) : canonicalAction(prevQ));
      setAttr(current, 'id', this.ids.next(cid));
      out.children.push(current);
      current = undefined;
    };
    for (const item of items) {
      const inSet = item.kind === 'set';
      if (inSet || bracket !== undefined) flush();
      bracket = inSet ? item.bracket : undefined;
      extra = inSet ? item.attrs : [];
      for (const r of inSet ? item.refs : [item]) {
        if (current && r.suffix !== prevQ) flush();
        if (!current) current = el('resource_set', {});
        prevQ = r.suffix;
        current.children.push(el('resource_ref', { id: r.id }));
      }
      if (inSet) flush();
    }
    flush();
  }

  location(n: LocationNode): OutElement {
    const id = n.id!.text;
    const out = el('rsc_location', { id });
    const first = n.items[0];
    if (n.rscPattern) setAttr(out, 'rsc-pattern', n.rscPattern.value);
    else if (first?.kind === 'ref') setAttr(out, 'rsc', first.token.text);
    if (n.role) setAttr(out, 'role', canonicalRole(n.role.value));
    for (const a of n.attrs) setAttr(out, a.name, a.value);
    if (n.score) {
      const [k, v] = scoreAttr(n.score.text.slice(0, -1));
      setAttr(out, k, v);
      setAttr(out, 'node', n.node?.text);
    }
    if (first?.kind === 'set') this.resourceSets(out, id, first.refs, 'role');
    for (const r of n.rules) out.children.push(this.rule(r, id, true));
    return out;
  }

  constraint(n: ConstraintNode): OutElement {
    const id = n.id!.text;
    const tag = n.type === 'colocation' ? 'rsc_colocation' : n.type === 'order' ? 'rsc_order' : 'rsc_ticket';
    const out = el(tag, { id });
    const s = n.score?.text.slice(0, -1);
    if (s !== undefined) {
      if (n.type === 'rsc_ticket') setAttr(out, 'ticket', s);
      else if (n.type === 'order') {
        const kind = ['Mandatory', 'Optional', 'Serialize'].find((k) => k.toLowerCase() === s.toLowerCase());
        setAttr(out, 'kind', kind ?? (/^[+-]?0+$/.test(s) ? 'Optional' : 'Mandatory'));
      } else setAttr(out, ...scoreAttr(s));
    }
    for (const a of n.attrs) {
      const v = a.name === 'node-attribute' ? a.value.toLowerCase() : a.name === 'symmetrical' ? canonicalBool(a.value) : a.value;
      setAttr(out, a.name, v);
    }
    const simple = n.type === 'rsc_ticket' ? 1 : 2;
    const plain = n.items.every((i) => i.kind === 'ref');
    if (plain && n.items.length === simple) {
      const names = n.type === 'order' ? ['first', 'then'] : ['rsc', 'with-rsc'];
      n.items.forEach((item, i) => {
        if (item.kind !== 'ref') return;
        setAttr(out, names[i]!, item.id);
        if (item.suffix) {
          const suffixName = n.type === 'order' ? 'action' : 'role';
          setAttr(out, `${names[i]}-${suffixName}`, n.type === 'order' ? canonicalAction(item.suffix) : canonicalRole(item.suffix));
        }
      });
    } else this.resourceSets(out, id, n.items, n.type === 'order' ? 'action' : 'role');
    return out;
  }
}

function canonicalBool(v: string): string {
  return /^(true|yes|on|1)$/i.test(v) ? 'true' : /^(false|no|off|0)$/i.test(v) ? 'false' : v;
}

export { Compiler, canonicalBool };
