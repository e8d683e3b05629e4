/**
 * A deterministic mutation generator for crm spec files (seeded; same seed → same mutants, byte for byte).
 * Each mutant is its base with ONE mistake a user makes, at a site found through our parser's tokens:
 *   keyword   a statement keyword misspelt (primitve, colocaton)
 *   score     a constraint score misspelt (infinty:, -infnity:, 10O:)
 *   role      a role misspelt (redis-clone:Promotd, role=Slav)
 *   ref       a constraint names a resource id that is misspelt
 *   child     a constraint names a clone's child instead of the clone (redis:Promoted for redis-clone:Promoted)
 *   id-missing   a constraint without its id (colocation inf: a b)
 *   id-dup    a resource takes the id of another object
 *   id-invalid   an id that starts with a digit
 *   op        an operation name misspelt (op monitr)
 *   kind      an order kind misspelt (Mandtory:)
 * Sites come from the AST only to know WHERE a word is; the verdict on the mutant is Pacemaker's.
 */
import type { Range } from '../../../src/core/lint/types';
import type { Token } from '../../../src/core/crm/lexer';
import { buildModel } from '../../../src/core/crm/model';
import { parseCrm } from '../../../src/core/crm/parser';

export type MutationKind = 'keyword' | 'score' | 'role' | 'ref' | 'child' | 'id-missing' | 'id-dup' | 'id-invalid' | 'op' | 'kind';
export const MUTATION_KINDS: readonly MutationKind[] = ['keyword', 'score', 'role', 'ref', 'child', 'id-missing', 'id-dup', 'id-invalid', 'op', 'kind'];

export interface Mutant {
  readonly base: string;
  readonly kind: MutationKind;
  /** What changed, e.g. `line 12: "inf:" → "infinty:"`. */
  readonly what: string;
  /** 0-based line of the change in the mutant. */
  readonly line: number;
  readonly text: string;
}

/** mulberry32: a small seeded PRNG (no Math.random). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Edit {
  readonly range: Range;
  readonly newText: string;
}

type Pick = <T>(xs: readonly T[]) => T | undefined;

/** One typo in a word: drop, double, swap or replace a letter (never the identity). */
export function typo(word: string, rand: () => number): string {
  const letters = [...word].map((c, i) => (/[A-Za-z]/.test(c) ? i : -1)).filter((i) => i >= 0);
  if (letters.length === 0) return `${word}x`;
  const i = letters[Math.floor(rand() * letters.length)]!;
  const how = Math.floor(rand() * 4);
  let out: string;
  if (how === 0 && letters.length > 2) out = word.slice(0, i) + word.slice(i + 1);
  else if (how === 1) out = word.slice(0, i + 1) + word[i] + word.slice(i + 1);
  else if (how === 2 && i + 1 < word.length && word[i] !== word[i + 1]) out = word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
  else out = word.slice(0, i) + (word[i] === 'e' ? 'a' : 'e') + word.slice(i + 1);
  return out === word ? `${word}x` : out;
}

function applyEdit(text: string, e: Edit): string {
  const lines = text.split('\n');
  const at = (l: number, c: number): number => lines.slice(0, l).reduce((n, x) => n + x.length + 1, 0) + c;
  return text.slice(0, at(e.range.start.line, e.range.start.character)) + e.newText + text.slice(at(e.range.end.line, e.range.end.character));
}

const tokEdit = (t: Token, newText: string): Edit => ({ range: t.range, newText });

/** Candidate edits of one kind for `text` (each a whole mutant); the generator picks among them. */
function sites(text: string, kind: MutationKind, rand: () => number, pick: Pick): { edit: Edit; what: string } | undefined {
  const doc = parseCrm(text);
  const model = buildModel(doc);
  const nodes = doc.nodes;
  const show = (e: Edit, old: string): { edit: Edit; what: string } => ({ edit: e, what: `line ${e.range.start.line + 1}: "${old}" → "${e.newText}"` });
  const constraintRefs = nodes.flatMap((n) =>
    n.type === 'colocation' || n.type === 'order' || n.type === 'location' || n.type === 'rsc_ticket' ? n.items.flatMap((i) => (i.kind === 'ref' ? [i] : i.refs)) : [],
  );
  switch (kind) {
    case 'keyword': {
      const n = pick(nodes.filter((x) => x.type !== 'other'));
      return n && show(tokEdit(n.keyword, typo(n.keyword.text, rand)), n.keyword.text);
    }
    case 'score': {
      const n = pick(nodes.filter((x) => (x.type === 'colocation' || x.type === 'location') && x.score));
      if (!n || !('score' in n) || !n.score) return undefined;
      const s = n.score.text.slice(0, -1);
      const bad = /inf/i.test(s) ? `${s.replace(/inf(inity)?/i, pick(['infinty', 'infnity', 'inifinity', 'INFINTY'])!)}:` : /^[+-]?\d+$/.test(s) ? `${s.replace(/0/, 'O').replace(/^(\d)$/, '$1l')}:` : `${typo(s, rand)}:`;
      return show(tokEdit(n.score, bad), n.score.text);
    }
    case 'role': {
      const refs = constraintRefs.filter((r) => r.suffix && /^(Promoted|Unpromoted|Started|Stopped|Master|Slave)$/.test(r.suffix) && r.suffixRange);
      const ops = nodes.flatMap((n) => (n.type === 'primitive' ? n.ops.flatMap((o) => o.attrs.filter((a) => a.name === 'role')) : []));
      const all: { range: Range; old: string }[] = [...refs.map((r) => ({ range: r.suffixRange!, old: r.suffix! })), ...ops.map((a) => ({ range: a.valueRange, old: a.value }))];
      const s = pick(all);
      return s && show({ range: s.range, newText: typo(s.old, rand) }, s.old);
    }
    case 'ref': {
      const r = pick(constraintRefs);
      return r && show({ range: r.idRange, newText: typo(r.id, rand) }, r.id);
    }
    case 'child': {
      const r = pick(constraintRefs.filter((x) => model.defs.get(x.id)?.kind === 'clone' || model.defs.get(x.id)?.kind === 'ms'));
      const clone = r && nodes.find((n) => (n.type === 'clone' || n.type === 'ms') && n.id?.text === r.id);
      const inner = clone && 'children' in clone ? clone.children[0] : undefined;
      return r && inner ? show({ range: r.idRange, newText: inner.text }, r.id) : undefined;
    }
    case 'id-missing': {
      const n = pick(nodes.filter((x) => (x.type === 'colocation' || x.type === 'order' || x.type === 'location') && x.id));
      return n?.id && show({ range: { start: n.keyword.range.end, end: n.id.range.end }, newText: '' }, `${n.keyword.text} ${n.id.text}`);
    }
    case 'id-dup': {
      const ids = [...model.defs.keys()];
      const n = pick(nodes.filter((x) => (x.type === 'primitive' || x.type === 'group' || x.type === 'clone') && x.id));
      const other = pick(ids.filter((i) => i !== n?.id?.text));
      return n?.id && other ? show(tokEdit(n.id, other), n.id.text) : undefined;
    }
    case 'id-invalid': {
      const n = pick(nodes.filter((x) => (x.type === 'primitive' || x.type === 'colocation' || x.type === 'order' || x.type === 'location') && x.id));
      return n?.id && show(tokEdit(n.id, `${Math.floor(rand() * 9) + 1}${n.id.text}`), n.id.text);
    }
    case 'op': {
      const o = pick(nodes.flatMap((n) => (n.type === 'primitive' ? n.ops : [])));
      return o && show(tokEdit(o.action, typo(o.action.text, rand)), o.action.text);
    }
    case 'kind': {
      const n = pick(nodes.filter((x) => x.type === 'order' && x.score && /^(mandatory|optional|serialize)$/i.test(x.score.text.slice(0, -1))));
      if (!n || !('score' in n) || !n.score) return undefined;
      return show(tokEdit(n.score, `${typo(n.score.text.slice(0, -1), rand)}:`), n.score.text);
    }
  }
}

/**
 * `count` distinct mutants of `bases` (name → text), round-robin over the bases, kind chosen by the seeded
 * PRNG; a kind with no site in a base, or a mutant already made, is skipped (bounded tries).
 */
export function mutants(bases: ReadonlyArray<readonly [string, string]>, count: number, seed: number): Mutant[] {
  const rand = rng(seed);
  const pick: Pick = (xs) => (xs.length ? xs[Math.floor(rand() * xs.length)] : undefined);
  const out: Mutant[] = [];
  const seen = new Set(bases.map(([, t]) => t));
  let tries = 0;
  for (let i = 0; out.length < count && tries < count * 20; i++, tries++) {
    const [base, text] = bases[i % bases.length]!;
    const kind = MUTATION_KINDS[Math.floor(rand() * MUTATION_KINDS.length)]!;
    const s = sites(text, kind, rand, pick);
    if (!s) continue;
    const mutated = applyEdit(text, s.edit);
    if (seen.has(mutated)) continue;
    seen.add(mutated);
    out.push({ base, kind, what: s.what, line: s.edit.range.start.line, text: mutated });
  }
  return out;
}
