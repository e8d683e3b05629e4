/**
 * Formatter in crmsh's `configure show` layout: the statement head on the first line, then one
 * continuation line (`\` + tab) per params/meta/utilization/op/rule section; property and
 * *_defaults put one name=value per line. Words keep their spelling (quotes included), comments
 * stay above their statement, one blank line between statements is kept where the file had one.
 * Idempotent: formatting formatted text changes nothing. Files with syntax errors are refused,
 * so nothing the user wrote is rearranged by a guess.
 */
import { err, ok, type Result } from '../util/result';
import type { CrmNode } from './ast';
import { parseCrm } from './parser';

const BREAK_BEFORE = new Set(['params', 'meta', 'utilization', 'attributes', 'op', 'operations']);
const ATTACHED = new Set(['op_params', 'op_meta']);

function layout(n: CrmNode): string {
  const words = n.statement.tokens.map((t) => t.raw);
  const kw = n.keyword.text;
  const lines: string[][] = [[]];
  const push = (w: string): void => void lines[lines.length - 1]!.push(w);
  const breakLine = (): void => {
    if (lines[lines.length - 1]!.length) lines.push([]);
  };
  if (kw === 'property' || kw === 'rsc_defaults' || kw === 'op_defaults') {
    // `property [id:]` then one pair (or rule) per line.
    let i = 0;
    push(words[i++]!);
    if (n.type === 'property' || n.type === 'rsc_defaults' || n.type === 'op_defaults') {
      if (n.setId && words[i] && (words[i] === `${n.setId}:` || words[i]!.startsWith('$id='))) push(words[i++]!);
    }
    // Without a set id, the first pair stays on the head line: `property stonith-enabled=false \`.
    const bare = i === 1;
    for (let first = true; i < words.length; i++, first = false) {
      const w = words[i]!;
      if (!(bare && first) && (w === 'rule' || (w.includes('=') && !lines[lines.length - 1]![0]?.startsWith('rule')))) breakLine();
      push(w);
    }
  } else if (kw === 'location') {
    for (const w of words) {
      if (w === 'rule') breakLine();
      push(w);
    }
  } else if (kw === 'role') {
    // crmsh's show: one permission per line.
    for (const w of words) {
      if (['read', 'write', 'deny'].includes(w.toLowerCase())) breakLine();
      push(w);
    }
  } else if (kw === 'acl_target' || kw === 'acl_group') {
    // One role per line after the id.
    for (const [i, w] of words.entries()) {
      if (i > 1) breakLine();
      push(w);
    }
  } else if (kw === 'bundle') {
    // crmsh's show: a line per container, network (with its port-mappings), storage (with its mappings), set, primitive.
    for (const w of words) {
      if (['docker', 'podman', 'rkt', 'network', 'storage', 'primitive', 'meta', 'utilization'].includes(w)) breakLine();
      push(w);
    }
  } else if (kw === 'alert') {
    // crmsh's show: a line per top-level attributes/meta/select/to; a recipient's own sets stay on its line,
    // and so do the names of `select attributes { … }`.
    let inRecipient = false;
    let depth = 0;
    for (const w of words) {
      if (depth === 0 && (w === 'select' || w === 'to' || (!inRecipient && (w === 'attributes' || w === 'meta') && lines[lines.length - 1]![0] !== 'select'))) {
        breakLine();
        inRecipient = w === 'to';
      }
      if (w === '{') depth++;
      if (w === '}') depth--;
      push(w);
    }
  } else if (kw === 'fencing_topology') {
    for (const [i, w] of words.entries()) {
      if (i > 0 && w.endsWith(':')) breakLine();
      push(w);
    }
  } else {
    for (const w of words) {
      if (BREAK_BEFORE.has(w) || ATTACHED.has(w)) breakLine();
      push(w);
    }
  }
  return lines.map((l, i) => (i === 0 ? '' : '\t') + l.join(' ')).join(' \\\n');
}

export function formatCrm(text: string): Result<string> {
  const doc = parseCrm(text);
  const bad = doc.problems[0];
  if (bad) {
    return err({ code: 'crm-format-syntax', message: `line ${bad.range.start.line + 1}: ${bad.message}`, hint: 'fix the syntax error first; the formatter leaves files it cannot parse alone' });
  }
  const out: string[] = [];
  let prevEnd = -1;
  for (const n of doc.nodes) {
    const st = n.statement;
    // Blank lines before the comment block (or the statement) are kept as one.
    if (out.length && doc.lines.slice(prevEnd + 1, st.startLine).some((l) => l.trim() === '')) out.push('');
    out.push(...st.comments, layout(n));
    prevEnd = st.endLine;
  }
  if (doc.trailingComments.length) {
    if (out.length) out.push('');
    out.push(...doc.trailingComments);
  }
  return ok(out.length ? out.join('\n') + '\n' : '');
}
