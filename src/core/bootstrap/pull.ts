/**
 * Pull: the live configuration rendered into the spec file's crm syntax, keeping the user's comments where the
 * statement they sit above still exists (and naming the ones that can't be placed). What the cluster writes
 * itself (dc-version, cluster-infrastructure, have-watchdog, agents' *_REPL_INFO) stays out of the spec, as does
 * Pacemaker's node list.
 */
import { cibXmlToCrm } from '../crm/fromCib';
import { PcxFailure } from '../util/result';

const CLUSTER_WRITTEN = /<nvpair\b[^>]*\bname="(?:dc-version|cluster-infrastructure|have-watchdog|last-lrm-refresh|[^"]*_REPL_INFO)"[^>]*\/>/g;
const OPTION_KEYWORDS = new Set(['property', 'rsc_defaults', 'op_defaults']);

/** "primitive redis", "colocation c1", or just "property" (option sets are matched by keyword). */
function statementKey(line: string): string | undefined {
  const m = /^([a-z_]+)\s+(?:\$id=\S+\s+)?([^\s:\\]+)/.exec(line);
  if (!m) return undefined;
  return OPTION_KEYWORDS.has(m[1]!) ? m[1]! : `${m[1]} ${m[2]}`;
}

/** Statements of a crm text with the comment lines right above each (continuation lines stay with theirs). */
function statementsWithComments(text: string): { key: string | undefined; comments: string[]; lines: string[] }[] {
  const out: { key: string | undefined; comments: string[]; lines: string[] }[] = [];
  let comments: string[] = [];
  let current: { key: string | undefined; comments: string[]; lines: string[] } | undefined;
  for (const line of text.split('\n')) {
    const continues = current && current.lines[current.lines.length - 1]!.trimEnd().endsWith('\\');
    if (continues) current!.lines.push(line);
    else if (/^\s*#/.test(line)) comments.push(line);
    else if (line.trim() === '') {
      if (comments.length) comments.push(line);
    } else {
      current = { key: statementKey(line), comments, lines: [line] };
      out.push(current);
      comments = [];
    }
  }
  if (comments.some((c) => c.trim())) out.push({ key: undefined, comments, lines: [] });
  return out;
}

export interface PulledSpec {
  readonly text: string;
  /** Comment blocks whose statement is gone from the live cluster: not placed, said so. */
  readonly droppedComments: readonly string[];
  readonly unsupported: readonly string[];
}

export function pullSpec(oldSpecText: string, liveConfigurationXml: string): PulledSpec {
  const filtered = liveConfigurationXml
    .replace(CLUSTER_WRITTEN, '')
    .replace(/<nodes\b[^>]*\/>|<nodes\b[^>]*>[\s\S]*?<\/nodes>/, '<nodes/>')
    .replace(/<cluster_property_set\b[^>]*>\s*<\/cluster_property_set>|<cluster_property_set\b[^>]*\/>/g, '');
  const rendered = cibXmlToCrm(filtered);
  if (!rendered.ok) throw new PcxFailure(rendered.error.code, `the live configuration cannot be rendered as crm: ${rendered.error.message}`, rendered.error.hint);
  const old = statementsWithComments(oldSpecText);
  const commentsByKey = new Map<string, string[]>();
  for (const s of old) if (s.key && s.comments.length) commentsByKey.set(s.key, [...(commentsByKey.get(s.key) ?? []), ...s.comments]);
  const out: string[] = [];
  const placed = new Set<string>();
  for (const s of statementsWithComments(rendered.value.text)) {
    if (s.key && commentsByKey.has(s.key) && !placed.has(s.key)) {
      out.push(...commentsByKey.get(s.key)!);
      placed.add(s.key);
    }
    out.push(...s.lines);
  }
  const dropped = old.filter((s) => s.comments.some((c) => c.trim()) && (!s.key || !placed.has(s.key))).map((s) => s.comments.join('\n').trim());
  // Comments at the end of the file, after the last statement, stay at the end.
  const trailing = old.find((s) => s.key === undefined);
  if (trailing) {
    out.push(...trailing.comments);
    dropped.splice(dropped.indexOf(trailing.comments.join('\n').trim()), 1);
  }
  return { text: out.join('\n').replace(/\n*$/, '\n'), droppedComments: dropped, unsupported: rendered.value.unsupported };
}
