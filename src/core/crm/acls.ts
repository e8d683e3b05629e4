/**
 * ACLs in crm syntax, both ways, as crmsh 4.4 reads and shows them for Pacemaker's ACL schema 2.0 (crmsh
 * parse.py parse_role/_add_permission, cliformat find_acl_shortcut):
 *
 *   role ID [description=…] {read|write|deny [$id=…] [description=…] SPEC…}…
 *   acl_target ID ROLE…     acl_group ID ROLE…
 *
 * SPEC is xpath:X, ref:ID (reference:), type:T (tag:) with an optional attr:A (attribute:), or a shortcut
 * for an XPath (meta:RSC[:NAME], params:…, utilization:RSC, location:RSC, property[:NAME], nodeattr[:NAME],
 * nodeutil[:NODE], node[:NODE], status, cib). One permission with several kinds of spec becomes one
 * <acl_permission> per kind, ids ROLE-0, ROLE-1… as crmsh generates them. The old `user` statement (ACL
 * schema 1) is not compiled.
 */
import type { XmlElement } from '../util/xml';
import type { AclNode, AclPermission } from './ast';
import type { Compiler } from './compileParts';
import { takeSpecial, type Cursor } from './cursor';
import type { Token } from './lexer';
import { quoteValue } from './showRules';
import type { OutElement } from './xmlOut';
import { el } from './xmlOut';

const KINDS = new Set(['read', 'write', 'deny']);
const SPEC_NAMES: Record<string, 'xpath' | 'reference' | 'object-type' | 'attribute'> = {
  xpath: 'xpath', ref: 'reference', reference: 'reference', tag: 'object-type', type: 'object-type', attr: 'attribute', attribute: 'attribute',
};

/** crmsh constants.acl_shortcuts, in its order: each part after the first is used only when an argument is left for it. */
const SHORTCUTS: readonly (readonly [string, readonly string[]])[] = [
  ['meta', ["//primitive[@id='@@']/meta_attributes", "/nvpair[@name='@@']"]],
  ['params', ["//primitive[@id='@@']/instance_attributes", "/nvpair[@name='@@']"]],
  ['utilization', ["//primitive[@id='@@']/utilization"]],
  ['location', ["//rsc_location[@id='cli-prefer-@@' and @rsc='@@']"]],
  ['property', ['//crm_config/cluster_property_set', "/nvpair[@name='@@']"]],
  ['nodeattr', ['//nodes/node/instance_attributes', "/nvpair[@name='@@']"]],
  ['nodeutil', ['//nodes/node/utilization', "[@uname='@@']"]],
  ['node', ['//nodes/node', "[@uname='@@']"]],
  ['status', ['/cib/status']],
  ['cib', ['/cib']],
];
const SHORTCUT = new Map(SHORTCUTS);

function isSpec(t: Token | undefined): boolean {
  if (!t) return false;
  const name = t.text.split(':', 1)[0]!;
  return name in SPEC_NAMES || SHORTCUT.has(name);
}

/** A shortcut's XPath, or why it cannot be expanded. */
export function expandShortcut(name: string, args: readonly string[]): string | { error: string } {
  const parts = SHORTCUT.get(name)!;
  if (args.length === 0) return parts[0]!.includes('@@') ? { error: `The ACL shortcut ${name} needs an argument, e.g. ${name}:rsc1.` } : parts[0]!;
  let xpath = '';
  let part = 0;
  for (const arg of args) {
    if (part < parts.length && !parts[part]!.includes('@@')) xpath += parts[part++]!;
    if (part >= parts.length) return { error: `Too many arguments to the ACL shortcut ${name}.` };
    xpath += parts[part++]!.replace(/@@/g, arg);
  }
  return xpath;
}

/** The shortcut an XPath is, as crmsh shows it (`meta:d0:target-role`), if any. */
export function shortcutOf(xpath: string): string | undefined {
  const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  for (const [name, parts] of SHORTCUTS) {
    for (let k = 1; k <= parts.length; k++) {
      const re = new RegExp(`^${parts.slice(0, k).map((p) => p.split('@@').map(esc).join("([^'\\]]+)")).join('')}$`);
      const m = re.exec(xpath);
      if (!m) continue;
      const args = m.slice(1);
      // "location" names the resource twice: both must agree.
      if (name === 'location' && args[0] !== args[1]) continue;
      const shown = name === 'location' ? args.slice(0, 1) : args;
      return [name, ...shown].join(':');
    }
  }
  return undefined;
}

type Base = Pick<AclNode, 'statement' | 'keyword' | 'range'>;

export function parseAcl(c: Cursor, base: Base): AclNode {
  const kw = base.keyword.text as AclNode['aclKind'];
  const id = c.next();
  if (!id) c.problem(base.keyword.range, kw === 'role' ? 'A role needs an id and permissions, e.g. "role readers read cib".' : `An ${kw} needs an id and roles, e.g. "${kw} alice readers".`);
  if (kw !== 'role') {
    const roles: Token[] = [];
    while (!c.atEnd) roles.push(c.next()!);
    return { statement: base.statement, keyword: base.keyword, range: base.range, type: 'acl', aclKind: kw, id, roles, permissions: [] };
  }
  const description = takeSpecial(c, 'description');
  const permissions: AclPermission[] = [];
  while (!c.atEnd) {
    const kind = c.next()!;
    if (!KINDS.has(kind.text.toLowerCase())) {
      c.problem(kind.range, `Expected read, write or deny in role ${id?.text ?? ''}, not "${kind.raw}".`);
      while (isSpec(c.peek())) c.next(); // its specs go with it
      continue;
    }
    const permId = takeSpecial(c, '$id');
    const permDescription = takeSpecial(c, 'description');
    const specs: { kind: 'xpath' | 'reference' | 'object-type' | 'attribute'; value: string; token: Token }[] = [];
    let written = 0;
    while (isSpec(c.peek())) {
      written++;
      const t = c.next()!;
      const [name, ...rest] = t.text.split(':');
      const value = rest.join(':');
      if (SHORTCUT.has(name!) && !(name! in SPEC_NAMES)) {
        const x = expandShortcut(name!, value === '' && rest.length === 0 ? [] : value.split(':'));
        if (typeof x !== 'string') c.problem(t.range, x.error);
        else specs.push({ kind: 'xpath', value: x, token: t });
      } else if (rest.length === 0 || value === '') {
        c.problem(t.range, `Expected ${name}:<value>, e.g. ${name === 'xpath' ? 'xpath:/cib/status' : `${name}:rsc1`}.`);
      } else {
        specs.push({ kind: SPEC_NAMES[name!]!, value, token: t });
      }
    }
    if (written === 0) c.problem(kind.range, `"${kind.raw}" needs what it applies to, e.g. "${kind.text} ref:rsc1" or "${kind.text} xpath:/cib/status".`);
    if (specs.some((s) => s.kind === 'attribute') && !specs.some((s) => s.kind === 'object-type')) {
      c.problem(kind.range, 'attr: is valid only together with type: (e.g. "read attr:uname type:node").');
    }
    permissions.push({ kind, id: permId, description: permDescription, specs });
  }
  return { statement: base.statement, keyword: base.keyword, range: base.range, type: 'acl', aclKind: kw, id, description, roles: [], permissions };
}

export function compileAcl(c: Compiler, n: AclNode): OutElement | undefined {
  if (!n.id) return undefined;
  const id = n.id.text;
  if (n.aclKind !== 'role') return el(n.aclKind, { id }, n.roles.map((r) => el('role', { id: r.text })));
  const out = el('acl_role', { id, description: n.description });
  for (const p of n.permissions) {
    // The last value of each kind counts (crmsh keeps a dict); xpath, reference and object-type each make a permission.
    const last = (k: string): string | undefined => [...p.specs].reverse().find((s) => s.kind === k)?.value;
    const make = (attrs: Record<string, string | undefined>): void => {
      out.children.push(el('acl_permission', { kind: p.kind.text.toLowerCase(), ...attrs, description: p.description, id: p.id ?? c.ids.next(id) }));
    };
    if (last('xpath') !== undefined) make({ xpath: last('xpath') });
    if (last('reference') !== undefined) make({ reference: last('reference') });
    if (last('object-type') !== undefined) make({ 'object-type': last('object-type'), attribute: last('attribute') });
  }
  return out;
}

/** `<acls>` → crm text: roles by id, then targets and groups together by id (crmsh's show). */
export function showAcls(acls: XmlElement | undefined, unsupported: string[]): string[] {
  const byId = (a: string, b: string): number => a.split(/\s/)[1]!.localeCompare(b.split(/\s/)[1]!);
  const roles: string[] = [];
  const members: string[] = [];
  for (const e of acls?.children ?? []) {
    const id = e.attrs.id ?? '';
    if (e.name === 'acl_role') {
      const lines = [[`role ${id}`, ...(e.attrs.description !== undefined ? [`description=${quoteValue(e.attrs.description)}`] : [])].join(' ')];
      let n = 0;
      for (const p of e.children) {
        if (p.name !== 'acl_permission') continue;
        const a = p.attrs;
        const words = [a.kind ?? 'read'];
        if (a.id !== undefined && a.id !== (n === 0 ? `${id}-0` : `${id}-${n}`)) words.push(`$id=${a.id}`);
        n++;
        if (a.description !== undefined) words.push(`description=${quoteValue(a.description)}`);
        if (a.xpath !== undefined) words.push(shortcutOf(a.xpath) ?? `xpath:${quoteValue(a.xpath)}`);
        if (a.reference !== undefined) words.push(`ref:${a.reference}`);
        if (a.attribute !== undefined) words.push(`attr:${a.attribute}`);
        if (a['object-type'] !== undefined) words.push(`type:${a['object-type']}`);
        lines.push(words.join(' '));
      }
      roles.push(lines.join(' \\\n\t'));
    } else if (e.name === 'acl_target' || e.name === 'acl_group') {
      const line = [`${e.name} ${id}`, ...e.children.filter((r) => r.name === 'role').map((r) => r.attrs.id ?? '')].join(' \\\n\t');
      members.push(line);
    } else {
      unsupported.push(`<${e.name} ${id}> (ACL schema 1: crm syntax "user")`);
    }
  }
  return [...roles.sort(byId), ...members.sort(byId)];
}
