/**
 * Drift: how a running cluster differs from its cluster folder, statement by statement, each difference at the
 * line of the folder's file it concerns. Resources and constraints are compared as crm text (one statement per
 * `primitive`/`clone`/`colocation`… id, rendered by the same printer on both sides, so layout and attribute order
 * don't count); properties and defaults the spec sets must have their value live, while what the cluster writes
 * itself (dc-version, the redis agent's replication info) is not drift; corosync.conf is compared as Corosync
 * reads it (section path, key, value).
 */
import { cibXmlToCrm } from '../crm/fromCib';
import { parseCrm } from '../crm/parser';
import { parseCorosync, semanticEntries, type CsSection } from '../corosync/parser';

export interface Drift {
  /** The folder's file the difference concerns. */
  readonly file: string;
  /** 0-based line in that file (the statement or key), or undefined when the file lacks it altogether. */
  readonly line?: number;
  readonly kind: 'changed' | 'missing-live' | 'extra-live';
  readonly what: string;
  readonly want?: string;
  readonly live?: string;
  /** On which host (corosync.conf is per node). */
  readonly host?: string;
  /** corosync.conf's key as section path and name ("totem.token"). */
  readonly key?: string;
}

const SECTION = (name: string) => new RegExp(`<${name}\\b[^>]*/>|<${name}\\b[^>]*>[\\s\\S]*?</${name}>`);
export const OPTION_SECTIONS = ['crm_config', 'rsc_defaults', 'op_defaults'] as const;

/** crm statements keyed by "keyword id", joined continuation lines collapsed to one line. */
function statements(crmText: string): Map<string, string> {
  const out = new Map<string, string>();
  const joined = crmText.replace(/\\\n\s*/g, ' ');
  for (const line of joined.split('\n')) {
    const m = /^(\S+)\s+(?:\$id=\S+\s+)?(\S+)/.exec(line);
    if (!m || line.startsWith('#') || m[1] === 'node' || m[1] === 'property' || m[1] === 'rsc_defaults' || m[1] === 'op_defaults') continue;
    out.set(`${m[1]} ${m[2]}`, line.replace(/\s+/g, ' ').trim());
  }
  return out;
}

function nvpairs(xml: string, section: string): Map<string, string> {
  return new Map([...(SECTION(section).exec(xml)?.[0] ?? '').matchAll(/<nvpair\b[^>]*\bname="([^"]*)"[^>]*\bvalue="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
}

const OPTION_KEYWORD: Record<(typeof OPTION_SECTIONS)[number], string> = { crm_config: 'property', rsc_defaults: 'rsc_defaults', op_defaults: 'op_defaults' };

/** Differences between the spec (its text and compiled XML) and the live `<configuration>` XML. */
/**
 * The resources and constraints of a `<configuration>` (or whole CIB) as crm statements keyed "keyword id", each
 * on one line: what drift compares and what `pcx apply` changes. Undefined when they cannot be rendered.
 */
export function crmStatements(configurationXml: string): Map<string, string> | undefined {
  const part = `<configuration>${['resources', 'constraints'].map((n) => SECTION(n).exec(configurationXml)?.[0] ?? '').join('')}</configuration>`;
  const rendered = cibXmlToCrm(part);
  return rendered.ok ? statements(rendered.value.text) : undefined;
}

export function specDrift(specFile: string, specText: string, wantXml: string, liveXml: string): Drift[] {
  const doc = parseCrm(specText);
  const lineOf = (keyword: string, id: string) => doc.nodes.find((n) => n.id?.text === id && (n.keyword.text === keyword || keyword === '*'))?.range.start.line;
  const w = crmStatements(wantXml);
  const l = crmStatements(liveXml);
  const out: Drift[] = [];
  if (!w || !l) return [{ file: specFile, kind: 'changed', what: 'the live resources or constraints cannot be read back as crm' }];
  for (const [key, text] of w) {
    const [keyword, id] = key.split(' ') as [string, string];
    const line = lineOf(keyword, id) ?? lineOf('*', id);
    if (!l.has(key)) out.push({ file: specFile, line, kind: 'missing-live', what: `${key} is not in the live cluster`, want: text });
    else if (l.get(key) !== text) out.push({ file: specFile, line, kind: 'changed', what: `${key} differs live`, want: text, live: l.get(key) });
  }
  for (const [key, text] of l) if (!w.has(key)) out.push({ file: specFile, kind: 'extra-live', what: `${key} runs in the cluster but is not in the spec`, live: text });
  for (const section of OPTION_SECTIONS) {
    const wanted = nvpairs(wantXml, section);
    const have = nvpairs(liveXml, section);
    for (const [name, value] of wanted) {
      if (have.get(name) === value) continue;
      const line = doc.nodes.find((n) => n.keyword.text === OPTION_KEYWORD[section] && doc.lines[n.range.start.line] !== undefined && specText.split('\n').slice(n.range.start.line, n.range.end.line + 1).join('\n').includes(name))?.range.start.line;
      out.push({ file: specFile, line, kind: have.has(name) ? 'changed' : 'missing-live', what: `${OPTION_KEYWORD[section]} ${name}`, want: value, live: have.get(name) });
    }
  }
  return out;
}

function pairLines(text: string): Map<string, number> {
  const out = new Map<string, number>();
  const walk = (s: CsSection): void => {
    for (const c of s.children) {
      if (c.kind === 'pair') out.set(`${s.path}\t${c.key}`, c.line);
      else if (c.kind === 'section') walk(c);
    }
  };
  walk(parseCorosync(text).root);
  return out;
}

/** Differences between the folder's corosync.conf and one node's, as Corosync reads them. */
export function corosyncDrift(file: string, wantText: string, liveText: string, host: string): Drift[] {
  const entries = (t: string) => new Map(semanticEntries(parseCorosync(t)).filter((e) => !e.endsWith('\t{') && !e.endsWith('\t}')).map((e) => {
    const [path, key, value] = e.split('\t') as [string, string, string];
    return [`${path}\t${key}`, value];
  }));
  const want = entries(wantText);
  const live = entries(liveText);
  const lines = pairLines(wantText);
  const out: Drift[] = [];
  const name = (k: string) => k.replace('\t', k.startsWith('\t') ? '' : '.');
  for (const [k, v] of want) {
    if (live.get(k) !== v) out.push({ file, line: lines.get(k), host, key: name(k), kind: live.has(k) ? 'changed' : 'missing-live', what: `${name(k)} on ${host}`, want: v, live: live.get(k) });
  }
  for (const [k, v] of live) if (!want.has(k)) out.push({ file, host, key: name(k), kind: 'extra-live', what: `${name(k)} on ${host} is not in the folder's corosync.conf`, live: v });
  return out;
}

/** One line per difference, as a compiler prints them: `file:line: what (spec: …, live: …)`. */
export function formatDrift(d: Drift): string {
  const where = d.line !== undefined ? `${d.file}:${d.line + 1}` : d.file;
  const values = [d.want !== undefined ? `spec: ${d.want}` : '', d.live !== undefined ? `live: ${d.live}` : d.kind === 'missing-live' ? 'live: (none)' : ''].filter(Boolean).join('; ');
  return `${where}: ${d.what}${values ? ` (${values})` : ''}`;
}
