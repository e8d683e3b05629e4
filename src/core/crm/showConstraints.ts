/** CIB constraints → crm text (`location`, `colocation`, `order`, `rsc_ticket`), crmsh's layout. */
import type { XmlElement } from '../util/xml';
import { pair, showRule, showScore } from './showRules';

const SET_FLAGS = new Set(['id', 'sequential', 'require-all', 'role', 'action']);

/** Resource sets as crm items: `( a b )` sequential=false, `[ a b ]` require-all=false, plain refs otherwise. */
function showSets(sets: readonly XmlElement[], qualifier: 'role' | 'action', braces = false, simpleCount = 0): string {
  const only = sets[0];
  if (!braces && sets.length === 1 && only && Object.keys(only.attrs).every((k) => k === 'id' || k === qualifier) &&
      only.children.length === simpleCount) {
    // One plain set of exactly the "simple" size would compile back to rsc/with-rsc attributes.
    const q = only.attrs[qualifier];
    return `( ${only.children.map((r) => (q ? `${r.attrs.id}:${q}` : r.attrs.id ?? '')).join(' ')} sequential=true )`;
  }
  const out: string[] = [];
  let prevPlainQ: string | null = null;
  for (const s of sets) {
    const q = s.attrs[qualifier];
    const refs = s.children.filter((r) => r.name === 'resource_ref').map((r) => (q ? `${r.attrs.id}:${q}` : r.attrs.id ?? ''));
    const extra = Object.entries(s.attrs).filter(([k]) => !SET_FLAGS.has(k)).map(([k, v]) => pair(k, v));
    const seqFalse = s.attrs.sequential === 'false' || s.attrs.sequential === '0';
    const reqFalse = s.attrs['require-all'] === 'false' || s.attrs['require-all'] === '0';
    if (braces) {
      out.push(`{ ${refs.join(' ')} }`);
      continue;
    }
    if (reqFalse) out.push(`[ ${[...refs, ...(seqFalse ? [] : ['sequential=true']), ...extra].join(' ')} ]`);
    else if (seqFalse) out.push(`( ${[...refs, ...extra].join(' ')} )`);
    else if (extra.length || s.attrs.sequential !== undefined || prevPlainQ === (q ?? '')) {
      // A plain set next to another plain one would merge with it when compiled again: keep it apart.
      out.push(`( ${[...refs, 'sequential=true', ...extra].join(' ')} )`);
    } else out.push(refs.join(' '));
    prevPlainQ = !reqFalse && !seqFalse && !extra.length && s.attrs.sequential === undefined ? (q ?? '') : null;
  }
  return out.join(' ');
}

function ref(id: string | undefined, suffix: string | undefined): string {
  return suffix ? `${id}:${suffix}` : (id ?? '');
}

export function showConstraint(c: XmlElement, unsupported: string[]): string | undefined {
  const a = c.attrs;
  const sets = c.children.filter((ch) => ch.name === 'resource_set');
  const id = a.id ?? '';
  switch (c.name) {
    case 'rsc_location': {
      const head = ['location', id];
      if (a['rsc-pattern'] !== undefined) head.push(`/${a['rsc-pattern']}/`);
      else if (sets.length) head.push(showSets(sets, 'role', true));
      else head.push(a.rsc ?? '');
      if (a.role) head.push(`role=${a.role}`);
      if (a['resource-discovery']) head.push(pair('resource-discovery', a['resource-discovery']));
      const score = showScore(c);
      if (a.node !== undefined) return [...head, `${score ?? 'inf'}:`, a.node].join(' ');
      const rules = c.children.filter((ch) => ch.name === 'rule');
      let r = 0;
      return [head.join(' '), ...rules.map((rule) => showRule(rule, `${id}-rule${r++ ? `-${r - 2}` : ''}`, unsupported))].join(' \\\n\t');
    }
    case 'rsc_colocation': {
      // No score means 0 to Pacemaker (pcmk__unpack_colocation), not INFINITY.
      const head = ['colocation', id, `${showScore(c) ?? '0'}:`];
      if (sets.length) head.push(showSets(sets, 'role', false, 2));
      else head.push(ref(a.rsc, a['rsc-role']), ref(a['with-rsc'], a['with-rsc-role']));
      for (const [k, v] of Object.entries(a)) if (!['id', 'score', 'score-attribute', 'rsc', 'with-rsc', 'rsc-role', 'with-rsc-role'].includes(k)) head.push(pair(k, v));
      return head.join(' ');
    }
    case 'rsc_order': {
      const head = ['order', id];
      // A kind Pacemaker does not know (its schema refuses it) would read back as another: said, not guessed.
      if (a.kind && !['Mandatory', 'Optional', 'Serialize'].includes(a.kind)) unsupported.push(`kind="${a.kind}" of order ${id} (not Mandatory, Optional or Serialize)`);
      if (a.kind) head.push(`${a.kind}:`);
      else if (a.score !== undefined) head.push(`${showScore(c)}:`);
      if (sets.length) head.push(showSets(sets, 'action', false, 2));
      else head.push(ref(a.first, a['first-action']), ref(a.then, a['then-action']));
      for (const [k, v] of Object.entries(a)) if (!['id', 'kind', 'score', 'first', 'then', 'first-action', 'then-action'].includes(k)) head.push(pair(k, v));
      return head.join(' ');
    }
    case 'rsc_ticket': {
      const head = ['rsc_ticket', id, `${a.ticket}:`];
      if (sets.length) head.push(showSets(sets, 'role', false, 1));
      else head.push(ref(a.rsc, a['rsc-role']));
      for (const [k, v] of Object.entries(a)) if (!['id', 'ticket', 'rsc', 'rsc-role'].includes(k)) head.push(pair(k, v));
      return head.join(' ');
    }
    default:
      unsupported.push(`<${c.name} ${id}>`);
      return undefined;
  }
}
