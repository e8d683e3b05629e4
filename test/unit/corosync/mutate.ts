/**
 * A deterministic mutation generator for corosync.conf (seeded, like test/unit/crm/mutate.ts): each mutant is
 * its base with ONE mistake, at a line found through our parser:
 *   key        a key misspelt (two_nodes:)
 *   value      a value misspelt (transport: knett, crypto_cipher: aes265, two_node: yse)
 *   integer    an integer that is not one (token: 3000ms)
 *   section    a section name misspelt (totm {)
 *   brace      a closing brace dropped, or one too many
 *   comment    a comment after a value (two_node: 1 # two nodes)
 *   nodeid     a node's nodeid removed, set to 0, or made a copy of another's
 *   address    a node's ring0_addr removed, or made a copy of another's
 */
import { allSections, pairsOf, parseCorosync } from '../../../src/core/corosync/parser';
import { rng, typo } from '../crm/mutate';

export type CsMutationKind = 'key' | 'value' | 'integer' | 'section' | 'brace' | 'comment' | 'nodeid' | 'address';
export const CS_MUTATION_KINDS: readonly CsMutationKind[] = ['key', 'value', 'integer', 'section', 'brace', 'comment', 'nodeid', 'address'];

export interface CsMutant {
  readonly base: string;
  readonly kind: CsMutationKind;
  readonly what: string;
  readonly text: string;
}

type Pick = <T>(xs: readonly T[]) => T | undefined;

function mutateOnce(text: string, kind: CsMutationKind, rand: () => number, pick: Pick): { text: string; what: string } | undefined {
  const doc = parseCorosync(text);
  const lines = text.split('\n');
  const sections = allSections(doc.root).filter((s) => s.line >= 0);
  const pairs = allSections(doc.root).flatMap((s) => pairsOf(s).map((p) => ({ p, s })));
  const setLine = (n: number, to: string | undefined, what: string) => {
    const out = [...lines];
    if (to === undefined) out.splice(n, 1);
    else out[n] = to;
    return { text: out.join('\n'), what: `line ${n + 1}: ${what}` };
  };
  const pathOf = (n: number): string => {
    const x = pairs.find(({ p }) => p.line === n);
    return x ? (x.s.path ? `${x.s.path}.${x.p.key}` : x.p.key) : '?';
  };
  const replaceValue = (n: number, value: string, to: string) => setLine(n, lines[n]!.replace(new RegExp(`:\\s*${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`), `: ${to}`), `${pathOf(n)}: "${value}" → "${to}"`);
  switch (kind) {
    case 'key': {
      const x = pick(pairs);
      return x && setLine(x.p.line, lines[x.p.line]!.replace(x.p.key, typo(x.p.key, rand)), `key "${x.p.key}" misspelt`);
    }
    case 'value': {
      const x = pick(pairs.filter(({ p }) => /^[a-z_]+[a-z0-9_]*$/i.test(p.value) && !/addr$|^name$|cluster_name|logfile|subsys/.test(p.key) && !/^\d+$/.test(p.value)));
      return x && replaceValue(x.p.line, x.p.value, typo(x.p.value, rand));
    }
    case 'integer': {
      const x = pick(pairs.filter(({ p }) => /^\d+$/.test(p.value)));
      const bad = pick(['ms', 'x', '.5', ' 1', 'k']);
      return x && bad !== undefined ? replaceValue(x.p.line, x.p.value, `${x.p.value}${bad}`) : undefined;
    }
    case 'section': {
      const s = pick(sections);
      return s && setLine(s.line, lines[s.line]!.replace(s.name, typo(s.name, rand)), `section "${s.name}" misspelt`);
    }
    case 'brace': {
      const s = pick(sections.filter((x) => x.closeLine !== undefined));
      if (!s) return undefined;
      return rand() < 0.5 ? setLine(s.closeLine!, undefined, `closing brace of ${s.path} dropped`) : setLine(s.closeLine!, `${lines[s.closeLine!]}\n}`, `extra closing brace after ${s.path}`);
    }
    case 'comment': {
      const x = pick(pairs);
      return x && setLine(x.p.line, `${lines[x.p.line]} # ${pick(['why', 'set by pcs', 'two nodes'])}`, `comment after ${pathOf(x.p.line)}: ${x.p.value}`);
    }
    case 'nodeid': {
      const ids = pairs.filter(({ p, s }) => s.path === 'nodelist.node' && p.key === 'nodeid');
      const x = pick(ids);
      if (!x) return undefined;
      const how = Math.floor(rand() * 3);
      if (how === 0) return setLine(x.p.line, undefined, `nodeid ${x.p.value} removed`);
      if (how === 1) return replaceValue(x.p.line, x.p.value, '0');
      const other = pick(ids.filter((y) => y.p.value !== x.p.value));
      return other ? replaceValue(x.p.line, x.p.value, other.p.value) : undefined;
    }
    case 'address': {
      const addrs = pairs.filter(({ p, s }) => s.path === 'nodelist.node' && p.key === 'ring0_addr');
      const x = pick(addrs);
      if (!x) return undefined;
      const other = pick(addrs.filter((y) => y.p.value !== x.p.value));
      return rand() < 0.5 || !other ? setLine(x.p.line, undefined, `ring0_addr ${x.p.value} removed`) : replaceValue(x.p.line, x.p.value, other.p.value);
    }
  }
}

/** `count` distinct mutants of `bases`, round-robin, kind by the seeded PRNG. */
export function csMutants(bases: ReadonlyArray<readonly [string, string]>, count: number, seed: number): CsMutant[] {
  const rand = rng(seed);
  const pick: Pick = (xs) => (xs.length ? xs[Math.floor(rand() * xs.length)] : undefined);
  const out: CsMutant[] = [];
  const seen = new Set(bases.map(([, t]) => t));
  for (let i = 0; out.length < count && i < count * 20; i++) {
    const [base, text] = bases[i % bases.length]!;
    const kind = CS_MUTATION_KINDS[Math.floor(rand() * CS_MUTATION_KINDS.length)]!;
    const m = mutateOnce(text, kind, rand, pick);
    if (!m || seen.has(m.text)) continue;
    seen.add(m.text);
    out.push({ base, kind, what: m.what, text: m.text });
  }
  return out;
}
