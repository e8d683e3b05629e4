/**
 * CIB XML → crm configuration text, in the layout `crm configure show` prints (crmsh/cibconfig.py,
 * cliformat.py): nodes, primitives, groups, clones/ms, tags, constraints sorted by id, then
 * property, rsc_defaults, op_defaults; one attribute list per continuation line, tab-indented.
 * Ids that differ from what the compiler would generate are kept with `$id=`, so
 * `compileCrm(parseCrm(cibToCrm(xml)))` gives the CIB back (test/unit/crm/roundtrip.test.ts).
 * Elements crm syntax (or this renderer) cannot express are listed in `unsupported`.
 */
import type { XmlElement } from '../util/xml';
import { child, parseXmlDocument } from '../util/xml';
import { err, ok, type Result } from '../util/result';
import { formatAgent } from './agentSpec';
import { showAcls } from './acls';
import { showAlert } from './alerts';
import { showBundle } from './bundles';
import { showConstraint } from './showConstraints';
import { pair, quoteValue, showRule } from './showRules';

export interface CrmText {
  readonly text: string;
  /** What was left out, e.g. "<bundle httpd-bundle>"; empty when the text says everything. */
  readonly unsupported: readonly string[];
}

const SET_KEYWORD: Record<string, string> = { instance_attributes: 'params', meta_attributes: 'meta', utilization: 'utilization' };

class Shower {
  readonly unsupported: string[] = [];

  attrSet(s: XmlElement, keyword: string, naturalId: string): string {
    if (s.attrs['id-ref']) return `${keyword} $id-ref=${s.attrs['id-ref']}`;
    const parts = [keyword];
    if (s.attrs.id && s.attrs.id !== naturalId) parts.push(`$id=${s.attrs.id}`);
    if (s.attrs.score) parts.push(`${s.attrs.score.replace(/^\+?INFINITY$/, 'inf').replace(/^-INFINITY$/, '-inf')}:`);
    let r = 0;
    for (const ch of s.children) {
      if (ch.name === 'rule') parts.push(showRule(ch, `${s.attrs.id}-rule${r++ ? `-${r - 2}` : ''}`, this.unsupported));
      else if (ch.name === 'nvpair') parts.push(ch.attrs['id-ref'] ? `@${ch.attrs['id-ref']}` : pair(ch.attrs.name ?? '', ch.attrs.value ?? ''));
    }
    return parts.join(' ');
  }

  sets(e: XmlElement, owner: string): string[] {
    const out: string[] = [];
    const seen: Record<string, number> = {};
    for (const ch of e.children) {
      const kw = SET_KEYWORD[ch.name];
      if (!kw) continue;
      const n = seen[ch.name] ?? -1;
      seen[ch.name] = n + 1;
      out.push(this.attrSet(ch, kw, n < 0 ? `${owner}-${ch.name}` : `${owner}-${ch.name}-${n}`));
    }
    return out;
  }

  op(o: XmlElement, owner: string): string {
    const a = o.attrs;
    const parts = ['op', a.name ?? ''];
    for (const [k, v] of Object.entries(a)) {
      if (k === 'name' || (k === 'id' && v === `${owner}-${a.name}-${a.interval ?? '0'}`)) continue;
      parts.push(pair(k, v));
    }
    const lines = [parts.join(' ')];
    for (const ch of o.children) {
      if (ch.name === 'instance_attributes') lines.push(this.attrSet(ch, 'op_params', `${a.id}-instance_attributes`));
      else if (ch.name === 'meta_attributes') lines.push(this.attrSet(ch, 'op_meta', `${a.id}-meta_attributes`));
    }
    return lines.join(' \\\n\t');
  }

  primitive(p: XmlElement): string {
    const id = p.attrs.id ?? '';
    const head = [p.name === 'template' ? 'rsc_template' : 'primitive', id];
    head.push(p.attrs.template ? `@${p.attrs.template}` : formatAgent(p.attrs));
    if (p.attrs.description !== undefined) head.push(pair('description', p.attrs.description));
    const lines = [head.join(' '), ...this.sets(p, id)];
    const ops = child(p, 'operations');
    if (ops) {
      if (ops.attrs['id-ref']) lines.push(`operations $id-ref=${ops.attrs['id-ref']}`);
      else if (ops.attrs.id) lines.push(`operations $id=${ops.attrs.id}`);
      for (const o of ops.children) if (o.name === 'op') lines.push(this.op(o, ops.attrs.id ?? id));
    }
    return lines.join(' \\\n\t');
  }

  container(c: XmlElement): string {
    const id = c.attrs.id ?? '';
    const kids = c.children.filter((k) => ['primitive', 'group', 'clone', 'master'].includes(k.name)).map((k) => k.attrs.id ?? '');
    const head = [c.name === 'master' ? 'ms' : c.name, id, ...kids];
    if (c.attrs.description !== undefined) head.push(pair('description', c.attrs.description));
    return [head.join(' '), ...this.sets(c, id)].join(' \\\n\t');
  }

  node(n: XmlElement): string {
    const uname = n.attrs.uname ?? n.attrs.id ?? '';
    const head = ['node'];
    // crmsh's layout for a node whose id is not its name (corosync node ids): `node 1: node1`.
    if (n.attrs.id && n.attrs.id !== uname) head.push(/^[\w.-]+$/.test(n.attrs.id) ? `${n.attrs.id}:` : `$id=${quoteValue(n.attrs.id)}`);
    head.push(n.attrs.type ? `${uname}:${n.attrs.type}` : uname);
    if (n.attrs.description !== undefined) head.push(pair('description', n.attrs.description));
    // A node's own score (the base of every location score on it) has no crm syntax: said, not dropped silently.
    if (n.attrs.score !== undefined) this.unsupported.push(`score="${n.attrs.score}" of node ${uname}`);
    const lines = [head.join(' ')];
    for (const s of n.children) {
      if (s.name === 'instance_attributes') lines.push(this.attrSet(s, 'attributes', `${uname}-instance_attributes`));
      else if (s.name === 'utilization') lines.push(this.attrSet(s, 'utilization', `${uname}-utilization`));
    }
    return lines.join(' \\\n\t');
  }

  propertySet(keyword: string, s: XmlElement): string {
    const id = s.attrs.id ?? '';
    const head = /^[\w.-]+$/.test(id) ? `${keyword} ${id}:` : `${keyword} $id=${quoteValue(id)}`;
    const lines = [s.attrs.score ? `${head} ${s.attrs.score}:` : head];
    let r = 0;
    for (const ch of s.children) {
      if (ch.name === 'rule') lines.push(showRule(ch, `${id}-rule${r++ ? `-${r - 2}` : ''}`, this.unsupported));
      else if (ch.name === 'nvpair') lines.push(pair(ch.attrs.name ?? '', ch.attrs.value ?? ''));
    }
    return lines.join(' \\\n\t');
  }
}

/** Statements for a `<configuration>` element (or a whole `<cib>`). */
export function configurationToCrm(root: XmlElement): CrmText {
  const conf = root.name === 'configuration' ? root : child(root, 'configuration');
  if (!conf) return { text: '', unsupported: ['no <configuration> element'] };
  const s = new Shower();
  const nodes: string[] = [];
  const prims: string[] = [];
  const groups: string[] = [];
  const clones: string[] = [];
  const bundles: string[] = [];
  const walk = (e: XmlElement): void => {
    if (e.name === 'primitive' || e.name === 'template') prims.push(s.primitive(e));
    else if (e.name === 'group') {
      groups.push(s.container(e));
      e.children.forEach(walk);
    } else if (e.name === 'clone' || e.name === 'master') {
      clones.push(s.container(e));
      e.children.forEach(walk);
    } else if (e.name === 'bundle') {
      bundles.push(showBundle(e, (x, owner) => s.sets(x, owner), s.unsupported));
      for (const ch of e.children) if (ch.name === 'primitive') walk(ch);
    } else if (!['meta_attributes', 'instance_attributes', 'utilization'].includes(e.name)) s.unsupported.push(`<${e.name} ${e.attrs.id ?? ''}>`);
  };
  for (const n of child(conf, 'nodes')?.children ?? []) if (n.name === 'node') nodes.push(s.node(n));
  for (const r of child(conf, 'resources')?.children ?? []) walk(r);
  const tags = (child(conf, 'tags')?.children ?? []).map((t) => `tag ${t.attrs.id} ${t.children.map((o) => o.attrs.id).join(' ')}`);
  const constraints = [...(child(conf, 'constraints')?.children ?? [])]
    .sort((a, b) => (a.attrs.id ?? '').localeCompare(b.attrs.id ?? ''))
    .map((c) => showConstraint(c, s.unsupported))
    .filter((x): x is string => x !== undefined);
  const fencing = child(conf, 'fencing-topology');
  const fencingLines: string[] = [];
  const byTarget = new Map<string, XmlElement[]>();
  for (const l of fencing?.children ?? []) {
    const a = l.attrs;
    const t = a.target ?? (a['target-pattern'] !== undefined ? `pattern:${a['target-pattern']}` : `attr:${a['target-attribute']}=${a['target-value']}`);
    byTarget.set(t, [...(byTarget.get(t) ?? []), l]);
  }
  for (const [t, levels] of byTarget) {
    levels.sort((x, y) => Number(x.attrs.index) - Number(y.attrs.index));
    fencingLines.push(`${t}: ${levels.map((l) => l.attrs.devices).join(' ')}`);
  }
  if (fencingLines.length) fencingLines.unshift('fencing_topology');
  const props = (child(conf, 'crm_config')?.children ?? []).map((p) => s.propertySet('property', p));
  const rscDefaults = (child(conf, 'rsc_defaults')?.children ?? []).map((p) => s.propertySet('rsc_defaults', p));
  const opDefaults = (child(conf, 'op_defaults')?.children ?? []).map((p) => s.propertySet('op_defaults', p));
  const acls = showAcls(child(conf, 'acls'), s.unsupported);
  const alerts = (child(conf, 'alerts')?.children ?? []).filter((a) => a.name === 'alert').map((a) => showAlert(a, (set, kw, natural) => s.attrSet(set, kw, natural), s.unsupported))
    .sort((a, b) => a.split(/\s/)[1]!.localeCompare(b.split(/\s/)[1]!)); // crmsh shows them by id
  const sortById = (a: string, b: string): number => a.split(/\s/)[1]!.localeCompare(b.split(/\s/)[1]!);
  const all = [...nodes, ...prims.sort(sortById), ...bundles.sort(sortById), ...groups.sort(sortById), ...clones.sort(sortById), ...tags, ...constraints, ...(fencingLines.length ? [fencingLines.join(' \\\n\t')] : []), ...props, ...rscDefaults, ...opDefaults, ...acls, ...alerts];
  return { text: all.length ? all.join('\n') + '\n' : '', unsupported: s.unsupported };
}

/** Parse CIB XML text and render it; XML errors come back as a PcxError naming the line. */
export function cibXmlToCrm(xml: string): Result<CrmText> {
  const doc = parseXmlDocument(xml, 'CIB XML');
  if (!doc.ok) return doc;
  if (doc.value.name !== 'cib' && doc.value.name !== 'configuration') {
    return err({ code: 'cib-not-cib', message: `the XML's root element is <${doc.value.name}>, not <cib> or <configuration>`, hint: 'pass a CIB (cibadmin -Q) or its <configuration> section' });
  }
  return ok(configurationToCrm(doc.value));
}
