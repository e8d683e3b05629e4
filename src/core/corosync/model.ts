/**
 * The meaning of a parsed corosync.conf, as Corosync's cmap would hold it: effective values (the
 * last occurrence of a key wins, sections with the same path merge), the node list, the interface
 * blocks, the effective transport. Rules read this instead of walking the syntax tree.
 */
import type { CsDocument, CsPair, CsSection } from './parser';
import { allSections, pairsOf } from './parser';

export type CorosyncGeneration = 2 | 3;

export interface NodeEntry {
  readonly section: CsSection;
  /** Last occurrence of each key in this node block. */
  readonly pairs: ReadonlyMap<string, CsPair>;
  /** ringX_addr by link number. */
  readonly rings: ReadonlyMap<number, CsPair>;
}

export interface InterfaceEntry {
  readonly section: CsSection;
  readonly pairs: ReadonlyMap<string, CsPair>;
  /** Link this block configures as Corosync `generation` reads it. */
  readonly link: number;
}

export interface CorosyncModel {
  readonly doc: CsDocument;
  readonly generation: CorosyncGeneration;
  /** Whether the generation was guessed from the file's content. */
  readonly generationGuessed: boolean;
  /** Guessed from 1.x markers that Corosync 3 refuses (ringnumber, rrp_mode, member, service blocks). */
  readonly oneX: boolean;
  sections(path: string): CsSection[];
  /** Effective value of `key` in the sections at `path` (last one wins, as in cmap). */
  get(path: string, key: string): CsPair | undefined;
  readonly nodes: readonly NodeEntry[];
  readonly interfaces: readonly InterfaceEntry[];
  /** knet, udpu, udp or whatever unknown string the file says. */
  readonly transport: string;
  readonly transportPair: CsPair | undefined;
}

function lastByKey(section: CsSection): Map<string, CsPair> {
  const m = new Map<string, CsPair>();
  for (const p of pairsOf(section)) m.set(p.key, p);
  return m;
}

/** Which Corosync generation a file is written for, and what in it says so. */
export interface GenerationGuess {
  readonly generation: CorosyncGeneration;
  /** What in the file decided it ("transport udpu, secauth, nodes without nodeid"), or why the default applies. */
  readonly why: string;
  /** 1.x markers Corosync 3 refuses (ringnumber, rrp_mode, member, service/aisexec blocks, compatibility). */
  readonly oneX: boolean;
}

/**
 * Guesses whether a file targets Corosync 1.x/2.x (udp/udpu era) or 3.x (knet). 1.x/2.x markers:
 * `ringnumber`, `rrp_mode`, `member {}`, `service {}`/`aisexec {}`, `compatibility`; and the 2.x shape pcs 0.9
 * writes on CentOS 7: transport udp/udpu with `secauth` or nodes without `nodeid`. 3.x markers: knet,
 * `linknumber`, `link_mode`, `knet_*` keys. Without markers either way: 3.x.
 */
export function guessGenerationWhy(doc: CsDocument): GenerationGuess {
  const oneX = new Set<string>();
  const modern = new Set<string>();
  let transport: string | undefined;
  let secauth = false;
  let nodes = 0;
  let withoutId = 0;
  for (const s of allSections(doc.root)) {
    if (['service', 'aisexec', 'amf', 'member'].includes(s.name)) oneX.add(`a ${s.name} {} section`);
    if (s.path === 'nodelist.node') {
      nodes++;
      if (!pairsOf(s).some((p) => p.key === 'nodeid')) withoutId++;
    }
    for (const p of pairsOf(s)) {
      if (p.key === 'ringnumber' || p.key === 'rrp_mode') oneX.add(p.key);
      if (p.key === 'linknumber' || p.key === 'link_mode' || p.key.startsWith('knet_')) modern.add(p.key);
      if (p.key === 'transport' && s.path === 'totem') transport = p.value;
      if (p.key === 'secauth' && s.path === 'totem') secauth = true;
    }
  }
  if (transport === 'knet') modern.add('transport knet');
  if (pairsOf(doc.root).some((p) => p.key === 'compatibility')) oneX.add('compatibility');
  if (modern.size > 0) return { generation: 3, why: [...modern].join(', '), oneX: false };
  if (oneX.size > 0) return { generation: 2, why: [...oneX].join(', '), oneX: true };
  const udp = transport === 'udp' || transport === 'udpu';
  const twoX = [...(secauth ? ['secauth'] : []), ...(withoutId > 0 ? [withoutId === nodes ? 'nodes without nodeid' : 'a node without nodeid'] : [])];
  if (udp && twoX.length > 0) return { generation: 2, why: [`transport ${transport}`, ...twoX].join(', '), oneX: false };
  return { generation: 3, why: 'nothing in the file says 1.x/2.x (the default)', oneX: false };
}

export function guessGeneration(doc: CsDocument): CorosyncGeneration {
  return guessGenerationWhy(doc).generation;
}

export function buildModel(doc: CsDocument, generation?: CorosyncGeneration): CorosyncModel {
  const guess = generation === undefined ? guessGenerationWhy(doc) : undefined;
  const gen = generation ?? guess!.generation;
  const sections = allSections(doc.root);
  const byPath = new Map<string, CsSection[]>();
  for (const s of sections) byPath.set(s.path, [...(byPath.get(s.path) ?? []), s]);
  const sectionsAt = (path: string): CsSection[] => (path === '' ? [doc.root] : (byPath.get(path) ?? []));

  const get = (path: string, key: string): CsPair | undefined => {
    let found: CsPair | undefined;
    for (const s of sectionsAt(path)) for (const p of pairsOf(s)) if (p.key === key) found = p;
    return found;
  };

  const nodes: NodeEntry[] = sectionsAt('nodelist.node').map((section) => {
    const pairs = lastByKey(section);
    const rings = new Map<number, CsPair>();
    for (const [k, p] of pairs) {
      const m = /^ring(\d+)_addr$/.exec(k);
      if (m) rings.set(Number(m[1]), p);
    }
    return { section, pairs, rings };
  });

  const interfaces: InterfaceEntry[] = sectionsAt('totem.interface').map((section) => {
    const pairs = lastByKey(section);
    // Corosync 3 reads only `linknumber`; 2.x read `ringnumber`. Unparseable → 0 (reported elsewhere).
    const linkKey = gen === 3 ? 'linknumber' : 'ringnumber';
    const raw = pairs.get(linkKey)?.value;
    const link = raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : 0;
    return { section, pairs, link };
  });

  const transportPair = get('totem', 'transport');
  return {
    doc,
    generation: gen,
    generationGuessed: generation === undefined,
    oneX: guess?.oneX ?? false,
    sections: sectionsAt,
    get,
    nodes,
    interfaces,
    transport: transportPair?.value ?? (gen === 3 ? 'knet' : 'udp'),
    transportPair,
  };
}

/** IPv4/IPv6 literal → family; a host name → undefined (resolved at run time). */
export function addressFamily(addr: string): 4 | 6 | undefined {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(addr)) return 4;
  if (addr.includes(':') && /^[0-9a-fA-F:.%a-zA-Z]+$/.test(addr)) return 6;
  return undefined;
}
