/**
 * `alert` statements, both ways, as crmsh 4.4 reads and shows them (crmsh parse.py AlertParser, cliformat):
 *
 *   alert ID PATH [attributes …] [meta …] [select nodes|fencing|resources|attributes [{ NAME … }] …]
 *         [to [{] RECIPIENT [attributes …] [meta …] [}]] …
 *
 * ↔ `<alerts><alert id path><instance_attributes/><meta_attributes/><select>…</select><recipient id value>…`.
 * Generated ids follow crmsh: `ID-instance_attributes`, `ID-recipient-N`, select attributes `ID-0`, `ID-1`….
 */
import type { XmlElement } from '../util/xml';
import type { AlertNode, AlertRecipient, AttrSet } from './ast';
import type { Compiler } from './compileParts';
import type { Cursor } from './cursor';
import type { Token } from './lexer';
import { quoteValue } from './showRules';
import type { OutElement } from './xmlOut';
import { el } from './xmlOut';

const SELECT_KINDS = new Set(['nodes', 'fencing', 'resources', 'attributes']);

type Base = Pick<AlertNode, 'statement' | 'keyword' | 'range'>;

/** After `alert`; `parseSets` reads `attributes …`/`meta …` runs (the parser's own attribute-set reader). */
export function parseAlert(c: Cursor, base: Base, parseSets: (c: Cursor) => AttrSet[]): AlertNode {
  const id = c.next();
  const path = c.next();
  if (!id || !path) c.problem(id?.range ?? base.keyword.range, 'An alert needs an id and the path of its agent, e.g. "alert snmp /usr/share/pacemaker/alerts/alert_snmp.sh".');
  const sets = parseSets(c);
  const select: Token[] = [];
  const selectAttributes: Token[] = [];
  const recipients: AlertRecipient[] = [];
  while (!c.atEnd) {
    const t = c.next()!;
    if (t.text === 'select') {
      while (c.peek() && SELECT_KINDS.has(c.peek()!.text)) {
        const kind = c.next()!;
        select.push(kind);
        if (kind.text === 'attributes' && c.peek()?.text === '{') {
          c.next();
          while (c.peek() && c.peek()!.text !== '}') selectAttributes.push(c.next()!);
          if (!c.next()) c.problem(kind.range, 'Missing "}" after the attribute names of "select attributes {".');
        }
      }
      if (select.length === 0) c.problem(t.range, 'Expected nodes, fencing, resources or attributes after "select".');
    } else if (t.text === 'to') {
      const braced = c.peek()?.text === '{';
      if (braced) c.next();
      const value = c.next();
      if (!value || value.text === '}') {
        c.problem(t.range, 'Expected a recipient after "to", e.g. "to 192.0.2.1" or "to /var/log/alerts.log".');
        break;
      }
      const rsets = parseSets(c);
      if (braced && c.next()?.text !== '}') c.problem(value.range, 'Missing "}" after the recipient.');
      recipients.push({ value, sets: rsets });
    } else {
      c.problem(t.range, `Unexpected "${t.raw}" in an alert: expected attributes, meta, select or to.`);
    }
  }
  return { statement: base.statement, keyword: base.keyword, range: base.range, type: 'alert', id, path, sets, select, selectAttributes, recipients };
}

export function compileAlert(c: Compiler, n: AlertNode): OutElement | undefined {
  if (!n.id || !n.path) return undefined;
  const id = n.id.text;
  const out = el('alert', { id, path: n.path.text });
  for (const s of n.sets) out.children.push(c.attrSet(s, id));
  if (n.select.length) {
    const select = el('select');
    for (const k of n.select) {
      const kind = el(`select_${k.text}`);
      if (k.text === 'attributes') for (const a of n.selectAttributes) kind.children.push(el('attribute', { name: a.text, id: c.ids.next(id) }));
      select.children.push(kind);
    }
    out.children.push(select);
  }
  n.recipients.forEach((r, i) => {
    const rid = c.ids.next(`${id}-recipient-${i + 1}`);
    const recipient = el('recipient', { id: rid, value: r.value.text });
    for (const s of r.sets) recipient.children.push(c.attrSet(s, rid));
    out.children.push(recipient);
  });
  return out;
}

/** `<alert>` → crm text; `showSet` renders an attribute set with its natural (generated) id left out. */
export function showAlert(a: XmlElement, showSet: (s: XmlElement, keyword: string, naturalId: string) => string, unsupported: string[]): string {
  const id = a.attrs.id ?? '';
  const lines = [`alert ${id} ${quoteValue(a.attrs.path ?? '')}`];
  const sets = (owner: XmlElement, base: string): string[] =>
    owner.children.flatMap((s) =>
      s.name === 'instance_attributes' ? [showSet(s, 'attributes', `${base}-instance_attributes`)] : s.name === 'meta_attributes' ? [showSet(s, 'meta', `${base}-meta_attributes`)] : [],
    );
  lines.push(...sets(a, id));
  let n = 0;
  for (const ch of a.children) {
    if (ch.name === 'select') {
      const kinds = ch.children.map((k) => {
        const kind = k.name.replace(/^select_/, '');
        const names = k.children.filter((x) => x.name === 'attribute').map((x) => quoteValue(x.attrs.name ?? ''));
        return names.length ? `${kind} { ${names.join(' ')} }` : kind;
      });
      lines.push(`select ${kinds.join(' ')}`);
    } else if (ch.name === 'recipient') {
      n++;
      const rid = ch.attrs.id ?? '';
      if (rid !== `${id}-recipient-${n}`) unsupported.push(`id="${rid}" of a recipient of alert ${id} (crm syntax numbers them)`);
      lines.push([`to ${quoteValue(ch.attrs.value ?? '')}`, ...sets(ch, rid)].join(' '));
    } else if (!['instance_attributes', 'meta_attributes'].includes(ch.name)) {
      unsupported.push(`<${ch.name}> in alert ${id}`);
    }
  }
  for (const [k, v] of Object.entries(a.attrs)) if (!['id', 'path'].includes(k)) unsupported.push(`${k}="${v}" of alert ${id}`);
  return lines.join(' \\\n\t');
}
