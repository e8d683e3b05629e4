/** A minimal mutable XML element for building CIB XML, and its serialisation (2-space indent, like cibadmin). */
export interface OutElement {
  readonly name: string;
  readonly attrs: [string, string][];
  readonly children: OutElement[];
}

export function el(name: string, attrs: Record<string, string | undefined> = {}, children: OutElement[] = []): OutElement {
  const list: [string, string][] = [];
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) list.push([k, v]);
  return { name, attrs: list, children };
}

export function setAttr(e: OutElement, name: string, value: string | undefined): void {
  if (value === undefined) return;
  const i = e.attrs.findIndex(([k]) => k === name);
  if (i >= 0) e.attrs[i] = [name, value];
  else e.attrs.push([name, value]);
}

export function getAttr(e: OutElement, name: string): string | undefined {
  return e.attrs.find(([k]) => k === name)?.[1];
}

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function serialize(e: OutElement, indent = ''): string {
  const attrs = e.attrs.map(([k, v]) => ` ${k}="${escapeXml(v)}"`).join('');
  if (e.children.length === 0) return `${indent}<${e.name}${attrs}/>\n`;
  return `${indent}<${e.name}${attrs}>\n${e.children.map((c) => serialize(c, indent + '  ')).join('')}${indent}</${e.name}>\n`;
}

/** crmsh's id generator: `base`, then `base-0`, `base-1`… for ids already taken. */
export class IdAllocator {
  private readonly used = new Set<string>();
  reserve(id: string): void {
    this.used.add(id);
  }
  has(id: string): boolean {
    return this.used.has(id);
  }
  next(base: string): string {
    const clean = base.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^([^A-Za-z_])/, '_$1');
    let id = clean;
    for (let n = 0; this.used.has(id); n++) id = `${clean}-${n}`;
    this.used.add(id);
    return id;
  }
}
