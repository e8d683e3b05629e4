/**
 * Element ranges in an XML text, and edits by range: what `pcx apply` needs to build the wanted CIB from the
 * live one without re-serialising it. Everything the edits don't touch stays byte for byte as Pacemaker wrote
 * it, so crm_diff sees only the real changes. Handles the XML Pacemaker writes (elements, attributes, text,
 * comments, processing instructions); no DTDs or CDATA in a CIB.
 */
import { PcxFailure } from '../util/result';

export interface XmlNode {
  readonly name: string;
  readonly attrs: ReadonlyMap<string, string>;
  /** Offset of '<' of the start tag, and just after the end tag's '>' (or the '/>'). */
  readonly start: number;
  end: number;
  /** Just after the start tag's '>' (where children begin); equals end for a self-closing element. */
  readonly innerStart: number;
  /** Offset of the end tag's '<' (where a new last child goes); equals end for a self-closing element. */
  innerEnd: number;
  readonly selfClosing: boolean;
  readonly children: XmlNode[];
  readonly parent?: XmlNode;
}

const TAG = /<(\/?)([A-Za-z_][\w.:-]*)((?:[^>"']|"[^"]*"|'[^']*')*?)(\/?)>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>/g;
const ATTR = /([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

/** The element tree of `xml` (its root element), with offsets into the text. */
export function parseXmlRanges(xml: string): XmlNode {
  const stack: XmlNode[] = [];
  let root: XmlNode | undefined;
  for (const m of xml.matchAll(TAG)) {
    if (m[2] === undefined) continue; // comment or processing instruction
    const at = m.index;
    if (m[1] === '/') {
      const open = stack.pop();
      if (!open || open.name !== m[2]) throw new PcxFailure('xml-invalid', `unbalanced XML: </${m[2]}> at offset ${at}`, 'The CIB read from the node is not well-formed; read it with cibadmin -Q.');
      open.innerEnd = at;
      open.end = at + m[0].length;
      continue;
    }
    const attrs = new Map([...m[3]!.matchAll(ATTR)].map((a) => [a[1]!, a[2] ?? a[3] ?? '']));
    const selfClosing = m[4] === '/';
    const end = at + m[0].length;
    const node: XmlNode = { name: m[2], attrs, start: at, end, innerStart: end, innerEnd: end, selfClosing, children: [], parent: stack.at(-1) };
    if (node.parent) node.parent.children.push(node);
    else if (!root) root = node;
    if (!selfClosing) stack.push(node);
  }
  if (!root || stack.length) throw new PcxFailure('xml-invalid', 'unbalanced or empty XML', 'The CIB read from the node is not well-formed; read it with cibadmin -Q.');
  return root;
}

export function childNamed(node: XmlNode | undefined, name: string): XmlNode | undefined {
  return node?.children.find((c) => c.name === name);
}

/** Every element below `node` (depth first), itself excluded. */
export function descendants(node: XmlNode): XmlNode[] {
  return node.children.flatMap((c) => [c, ...descendants(c)]);
}

export interface XmlEdit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** `text` with the edits applied (they must not overlap; insertions at one offset keep their order). */
export function applyEdits(text: string, edits: readonly XmlEdit[]): string {
  const sorted = edits.map((e, i) => ({ ...e, i })).sort((a, b) => a.start - b.start || a.i - b.i);
  let out = '';
  let at = 0;
  for (const e of sorted) {
    if (e.start < at) throw new PcxFailure('internal', 'overlapping XML edits', 'Report this as a pcx bug, with the spec and the live CIB.');
    out += text.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + text.slice(at);
}

/** Edit: put `xml` as the last child of `parent` (a self-closing parent is opened). */
export function appendChild(text: string, parent: XmlNode, xml: string): XmlEdit {
  if (!parent.selfClosing) return { start: parent.innerEnd, end: parent.innerEnd, text: xml };
  const open = text.slice(parent.start, parent.end).replace(/\s*\/>$/, '>');
  return { start: parent.start, end: parent.end, text: `${open}${xml}</${parent.name}>` };
}

export const textOf = (text: string, node: XmlNode): string => text.slice(node.start, node.end);
