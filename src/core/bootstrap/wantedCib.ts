/**
 * The CIB `pcx apply` wants: the live CIB with only what differs from the spec changed in it. Compared as drift
 * compares (crm statements per id; the spec's properties and defaults by name), then spliced into the live XML
 * text, so everything else — Pacemaker's ids, the order of elements, unchanged members of a changed clone or
 * group, the status section — stays as it is and `crm_diff` between the two is exactly the change.
 */
import { OPTION_SECTIONS, crmStatements } from './drift';
import { appendChild, applyEdits, childNamed, descendants, parseXmlRanges, textOf, type XmlEdit, type XmlNode } from './xmlSplice';
import { PcxFailure } from '../util/result';

export interface SpecChange {
  readonly action: 'create' | 'replace' | 'delete' | 'set';
  /** "primitive redis", "rsc_defaults migration-threshold". */
  readonly what: string;
  /** The crm statement (or value) the cluster will have; absent for delete. */
  readonly want?: string;
  /** What it has now; absent for create. */
  readonly live?: string;
}

export interface WantedCib {
  readonly xml: string;
  readonly changes: readonly SpecChange[];
}

const OPTION_KEYWORD: Record<string, string> = { crm_config: 'property', rsc_defaults: 'rsc_defaults', op_defaults: 'op_defaults' };
const idOf = (n: XmlNode) => n.attrs.get('id');

/** `node`'s text with edits given in offsets of the whole text. */
function spliced(text: string, node: XmlNode, edits: readonly XmlEdit[]): string {
  return applyEdits(textOf(text, node), edits.map((e) => ({ ...e, start: e.start - node.start, end: e.end - node.start })));
}

/** Builds the wanted CIB from the live one (`cibadmin -Q`) and the spec's compiled `<configuration>`. */
export function wantedCib(liveCib: string, wantConfiguration: string): WantedCib {
  const liveRoot = parseXmlRanges(liveCib);
  const conf = liveRoot.name === 'configuration' ? liveRoot : childNamed(liveRoot, 'configuration');
  const want = parseXmlRanges(wantConfiguration);
  if (!conf || want.name !== 'configuration') throw new PcxFailure('cib-invalid', 'no <configuration> in the CIB or the compiled spec', 'Read the CIB with cibadmin -Q; check the spec with pcx lint.');
  const byId = (m: Map<string, string> | undefined) => new Map([...(m ?? new Map<string, string>())].map(([k, v]) => [k.split(' ')[1]!, { key: k, text: v }]));
  const liveStatements = byId(crmStatements(textOf(liveCib, conf)));
  const wantStatements = byId(crmStatements(wantConfiguration));
  const changes: SpecChange[] = [];
  const edits: XmlEdit[] = [];
  const allIds = new Set(descendants(liveRoot).map(idOf).filter(Boolean));

  const attrsEqual = (a: XmlNode, b: XmlNode) => a.attrs.size === b.attrs.size && [...a.attrs].every(([k, v]) => b.attrs.get(k) === v);
  /** `w`'s text, reusing `l`'s wherever they agree (a start tag with the same attributes, matching children). */
  const reuse = (l: XmlNode, w: XmlNode): string => {
    if (w.selfClosing || l.selfClosing) return w.selfClosing && l.selfClosing && attrsEqual(l, w) ? textOf(liveCib, l) : textOf(wantConfiguration, w);
    const inner: XmlEdit[] = attrsEqual(l, w) ? [{ start: w.start, end: w.innerStart, text: liveCib.slice(l.start, l.innerStart) }] : [];
    const used = new Set<XmlNode>();
    for (const wc of w.children) {
      const cid = idOf(wc);
      const lc = l.children.find((c) => !used.has(c) && c.name === wc.name && idOf(c) === cid);
      if (!lc) continue;
      used.add(lc);
      inner.push({ start: wc.start, end: wc.end, text: cid && wantStatements.has(cid) ? merged(lc, wc) : reuse(lc, wc) });
    }
    return spliced(wantConfiguration, w, inner);
  };

  /**
   * The text element `l` (live) must have to say what `w` (wanted) says: the live text where the statement is
   * the same (its members merged in turn), else the wanted text with every part that agrees taken from the live.
   */
  const merged = (l: XmlNode, w: XmlNode): string => {
    const id = idOf(w)!;
    if (liveStatements.get(id)?.text === wantStatements.get(id)?.text) {
      const inner: XmlEdit[] = [];
      for (const wc of w.children) {
        const cid = idOf(wc);
        const lc = cid && wantStatements.has(cid) ? l.children.find((c) => idOf(c) === cid && c.name === wc.name) : undefined;
        if (lc) inner.push({ start: lc.start, end: lc.end, text: merged(lc, wc) });
      }
      return spliced(liveCib, l, inner);
    }
    changes.push({ action: 'replace', what: wantStatements.get(id)?.key ?? `${w.name} ${id}`, want: wantStatements.get(id)?.text, live: liveStatements.get(id)?.text });
    for (const wc of w.children) {
      const cid = idOf(wc);
      if (cid && wantStatements.has(cid) && !l.children.some((c) => idOf(c) === cid && c.name === wc.name)) changes.push({ action: 'create', what: wantStatements.get(cid)!.key, want: wantStatements.get(cid)!.text });
    }
    return reuse(l, w);
  };

  for (const section of ['resources', 'constraints']) {
    const ls = childNamed(conf, section);
    const ws = childNamed(want, section);
    const wantIds = new Set(ws ? descendants(ws).map(idOf).filter(Boolean) : []);
    const liveById = new Map(ls ? descendants(ls).filter((n) => idOf(n)).map((n) => [idOf(n)!, n]) : []);
    const appended: string[] = [];
    for (const w of ws?.children ?? []) {
      const id = idOf(w);
      if (!id) continue;
      const l = liveById.get(id);
      if (l && l.parent === ls && l.name === w.name) {
        const text = merged(l, w);
        if (text !== textOf(liveCib, l)) edits.push({ start: l.start, end: l.end, text });
        continue;
      }
      if (l) {
        // The same id elsewhere (moved into or out of a group or clone) or of another kind: the old one goes.
        edits.push({ start: l.start, end: l.end, text: '' });
        changes.push({ action: 'delete', what: liveStatements.get(id)?.key ?? `${l.name} ${id}`, live: liveStatements.get(id)?.text });
      }
      appended.push(textOf(wantConfiguration, w));
      for (const n of [w, ...descendants(w)]) {
        const s = wantStatements.get(idOf(n) ?? '');
        if (s && !liveById.has(idOf(n)!)) changes.push({ action: 'create', what: s.key, want: s.text });
      }
    }
    for (const l of ls?.children ?? []) {
      const id = idOf(l);
      if (id && !wantIds.has(id)) {
        edits.push({ start: l.start, end: l.end, text: '' });
        changes.push({ action: 'delete', what: liveStatements.get(id)?.key ?? `${l.name} ${id}`, live: liveStatements.get(id)?.text });
      }
    }
    if (appended.length) edits.push(ls ? appendChild(liveCib, ls, appended.join('')) : appendChild(liveCib, conf, `<${section}>${appended.join('')}</${section}>`));
  }

  for (const section of OPTION_SECTIONS) {
    const ws = childNamed(want, section);
    if (!ws) continue;
    const ls = childNamed(conf, section);
    const livePairs = new Map<string, XmlNode>();
    for (const n of ls ? descendants(ls) : []) if (n.name === 'nvpair' && !livePairs.has(n.attrs.get('name') ?? '')) livePairs.set(n.attrs.get('name') ?? '', n);
    const added: { name: string; value: string }[] = [];
    for (const w of descendants(ws).filter((n) => n.name === 'nvpair')) {
      const name = w.attrs.get('name') ?? '';
      const value = w.attrs.get('value') ?? '';
      const l = livePairs.get(name);
      if (l && l.attrs.get('value') === value) continue;
      changes.push({ action: 'set', what: `${OPTION_KEYWORD[section]} ${name}`, want: value, live: l?.attrs.get('value') });
      if (l) edits.push({ start: l.start, end: l.end, text: `<nvpair id="${idOf(l) ?? `${section}-${name}`}" name="${name}" value="${value}"/>` });
      else added.push({ name, value });
    }
    if (!added.length) continue;
    const set = ls?.children.find((c) => idOf(c) === 'cib-bootstrap-options') ?? ls?.children.find((c) => c.name === 'cluster_property_set' || c.name === 'meta_attributes');
    if (set) {
      const pairs = added.map(({ name, value }) => {
        let id = `${idOf(set)}-${name}`;
        for (let i = 1; allIds.has(id); i++) id = `${idOf(set)}-${name}-${i}`;
        allIds.add(id);
        return `<nvpair id="${id}" name="${name}" value="${value}"/>`;
      });
      edits.push(appendChild(liveCib, set, pairs.join('')));
    } else if (ls) edits.push(appendChild(liveCib, ls, ws.children.map((c) => textOf(wantConfiguration, c)).join('')));
    else edits.push(appendChild(liveCib, conf, textOf(wantConfiguration, ws)));
  }
  return { xml: applyEdits(liveCib, edits), changes };
}
