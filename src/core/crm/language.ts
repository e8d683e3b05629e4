/**
 * Completion and hover for crm text as pure functions (LSP-shaped, 0-based). The agent catalog
 * supplies parameters (required ones marked, with defaults), actions and descriptions; node names
 * come from a connected cluster when the caller has one.
 */
import type { Position, Range } from '../lint/types';
import type { PrimitiveNode } from './ast';
import { parseAgent } from './agentSpec';
import type { AgentCatalog, AgentMeta, AgentParam } from './agents';
import { agentKey, bundledAgents, STONITH_COMMON_PARAMS } from './agents';
import { STATEMENT_KEYWORDS } from './lexer';
import { buildModel } from './model';
import { idAt, statementAt } from './navigation';
import { parseCrm } from './parser';
import { CLUSTER_PROPERTIES, RESOURCE_META } from './schema';
import { ACTIONS } from './values';
import { mdCode, mdCodeBlock, mdEscape, mdParagraphs } from '../text/markdown';

export type CrmCompletionKind = 'keyword' | 'agent' | 'param' | 'meta' | 'op' | 'id' | 'role' | 'action' | 'property' | 'node';

export interface CrmCompletion {
  readonly label: string;
  readonly kind: CrmCompletionKind;
  readonly detail?: string;
  /** Markdown. */
  readonly documentation?: string;
  readonly insertText: string;
  /** Sorts required parameters first. */
  readonly sortText?: string;
  readonly replace: Range;
}

export interface CrmLanguageOptions {
  readonly agents?: AgentCatalog;
  /** Node names of a connected cluster, for location constraints. */
  readonly nodeNames?: readonly string[];
}

const SECTION = new Set(['params', 'meta', 'utilization', 'op', 'op_params', 'op_meta', 'operations']);
const ROLES_NOW = ['Promoted', 'Unpromoted', 'Started', 'Stopped'];

export function paramDoc(agent: string, p: AgentParam): string {
  const lines = [`**${mdEscape(p.name)}**${p.required ? ' (required)' : ''} — ${mdEscape(agent)}`, '', mdEscape(p.shortdesc)];
  if (p.longdesc && p.longdesc !== p.shortdesc) lines.push('', mdParagraphs(p.longdesc));
  lines.push('', `Type: ${mdEscape(p.type)}${p.default !== undefined ? ` · default: ${mdCode(p.default)}` : ''}${p.unique ? ' · unique per resource' : ''}${p.deprecated ? ' · deprecated' : ''}`);
  return lines.join('\n');
}

function agentOfPrimitive(p: PrimitiveNode | undefined, agents: AgentCatalog): { key: string; meta: AgentMeta } | undefined {
  if (!p?.agent) return undefined;
  const key = agentKey(parseAgent(p.agent.text));
  const meta = agents.get(key);
  return meta ? { key, meta } : undefined;
}

export function completeCrm(text: string, pos: Position, options: CrmLanguageOptions = {}): CrmCompletion[] {
  const agents = options.agents ?? bundledAgents;
  const doc = parseCrm(text);
  const model = buildModel(doc);
  const line = doc.lines[pos.line] ?? '';
  const before = line.slice(0, pos.character);
  const word = /[^\s]*$/.exec(before)![0];
  const replace: Range = { start: { line: pos.line, character: pos.character - word.length }, end: pos };
  const item = (label: string, kind: CrmCompletionKind, extra: Partial<CrmCompletion> = {}): CrmCompletion => ({ label, kind, insertText: label, replace, ...extra });
  // A statement ending in "\" continues on the (still empty) line being typed.
  const node = statementAt(doc, pos.line) ?? (pos.line > 0 && /\\\s*$/.test(doc.lines[pos.line - 1] ?? '') ? statementAt(doc, pos.line - 1) : undefined);
  // Tokens of this statement before the word being typed.
  const start = replace.start;
  const prior = node
    ? node.statement.tokens.filter((t) => t.range.end.line < start.line || (t.range.end.line === start.line && t.range.start.character < start.character && t.range.end.character <= start.character))
    : [];
  const continuing = node !== undefined && prior.length > 0;
  if (!continuing) return [...STATEMENT_KEYWORDS].filter((k) => !['master', 'collocation', 'schema'].includes(k)).map((k) => item(k, 'keyword'));
  const kw = prior[0]!.text;
  const lastSection = [...prior].reverse().find((t) => SECTION.has(t.text))?.text;
  const ids = (filter: (kind: string) => boolean) =>
    [...model.defs.values()].filter((d) => filter(d.kind)).map((d) => item(d.id, 'id', { detail: d.kind === 'primitive' ? (d.node as PrimitiveNode).agent?.text ?? 'primitive' : d.kind }));

  if ((kw === 'primitive' || kw === 'rsc_template') && prior.length === 2) {
    return agents.keys().map((k) => item(k, 'agent', { detail: agents.get(k)!.shortdesc }));
  }
  if (kw === 'primitive' || kw === 'rsc_template') {
    const p = node!.type === 'primitive' || node!.type === 'rsc_template' ? node : undefined;
    const a = agentOfPrimitive(p, agents);
    if (lastSection === 'op' && prior[prior.length - 1]!.text === 'op') {
      const actions = a ? [...new Set(a.meta.actions.map((x) => x.name))] : ['monitor', 'start', 'stop', 'promote', 'demote'];
      return actions.map((n) => {
        const adv = a?.meta.actions.find((x) => x.name === n);
        const insert = n === 'monitor' ? `monitor interval=${adv?.interval ?? '10s'} timeout=${adv?.timeout ?? '20s'}` : adv?.timeout ? `${n} timeout=${adv.timeout} interval=0s` : n;
        return item(n, 'op', { detail: adv?.timeout ? `advised timeout ${adv.timeout}` : undefined, insertText: insert });
      });
    }
    if (lastSection === 'op') return ['interval=', 'timeout=', 'role=', 'on-fail=', 'start-delay=', 'OCF_CHECK_LEVEL='].map((x) => item(x, 'op'));
    if (lastSection === 'meta') return Object.entries(RESOURCE_META).map(([k, v]) => item(k, 'meta', { documentation: v, insertText: `${k}=` }));
    if (lastSection === 'params' && a) {
      const given = new Set(p && 'sets' in p ? p.sets.flatMap((s) => s.pairs.map((x) => x.name)) : []);
      const params = a.meta.parameters.filter((x) => !given.has(x.name) && !x.deprecated);
      const out = params.map((x) => item(x.name, 'param', {
        detail: `${x.required ? 'required' : 'optional'}${x.default !== undefined ? ` · default ${x.default}` : ''} — ${x.shortdesc}`,
        documentation: paramDoc(a.key, x), insertText: `${x.name}=`, sortText: `${x.required ? '0' : '1'}${x.name}`,
      }));
      if (a.key.startsWith('stonith:')) for (const s of STONITH_COMMON_PARAMS) if (!given.has(s)) out.push(item(s, 'param', { detail: 'optional — Pacemaker fencing parameter', insertText: `${s}=`, sortText: `2${s}` }));
      return out;
    }
    return ['params', 'meta', 'utilization', 'op'].map((x) => item(x, 'keyword'));
  }
  if (kw === 'group' || kw === 'clone' || kw === 'ms') {
    if (prior.length >= 2) {
      if (lastSection === 'meta') return Object.entries(RESOURCE_META).map(([k, v]) => item(k, 'meta', { documentation: v, insertText: `${k}=` }));
      return [...ids((k) => (kw === 'group' ? k === 'primitive' : k === 'primitive' || k === 'group')), item('meta', 'keyword')];
    }
    return [];
  }
  if (kw === 'property') return [...CLUSTER_PROPERTIES].map((p) => item(p, 'property', { insertText: `${p}=` }));
  if (['colocation', 'collocation', 'order', 'location', 'rsc_ticket', 'tag'].includes(kw) && prior.length >= 2) {
    const colon = word.indexOf(':');
    if (colon > 0 && kw !== 'tag') {
      const r: Range = { start: { line: pos.line, character: replace.start.character + colon + 1 }, end: pos };
      const list = kw === 'order' ? [...ACTIONS] : ROLES_NOW;
      return list.map((x) => ({ label: x, kind: kw === 'order' ? 'action' : 'role', insertText: x, replace: r }));
    }
    const out = ids((k) => ['primitive', 'group', 'clone', 'ms', 'tag'].includes(k));
    if (kw === 'location' && prior.length >= 3) {
      const names = new Set([...model.nodeNames, ...(options.nodeNames ?? [])]);
      for (const n of names) out.push(item(n, 'node', { detail: 'node' }));
      out.push(item('rule', 'keyword'));
    }
    return out;
  }
  return [];
}

export interface CrmHover {
  readonly markdown: string;
  readonly range: Range;
}

export function hoverCrm(text: string, pos: Position, options: CrmLanguageOptions = {}): CrmHover | undefined {
  const agents = options.agents ?? bundledAgents;
  const doc = parseCrm(text);
  const model = buildModel(doc);
  const node = statementAt(doc, pos.line);
  if (!node) return undefined;
  if (node.type === 'primitive') {
    const a = agentOfPrimitive(node, agents);
    if (node.agent && inRange(node.agent.range, pos)) {
      return a ? { markdown: `**${mdEscape(a.key)}** — ${mdEscape(a.meta.shortdesc)}\n\n${mdParagraphs(a.meta.longdesc)}`, range: node.agent.range } : undefined;
    }
    for (const s of node.sets) for (const p of s.pairs) {
      if (!inRange(p.token.range, pos)) continue;
      if (s.kind === 'params' && a) {
        const param = a.meta.parameters.find((x) => x.name === p.name);
        if (param) return { markdown: paramDoc(a.key, param), range: p.nameRange };
      }
      if (s.kind === 'meta' && RESOURCE_META[p.name]) return { markdown: `**${mdEscape(p.name)}** (meta attribute)\n\n${RESOURCE_META[p.name]}`, range: p.nameRange };
    }
    for (const o of node.ops) if (inRange(o.action.range, pos) && a) {
      const adv = a.meta.actions.filter((x) => x.name === o.action.text);
      if (adv.length) return { markdown: `**${mdEscape(o.action.text)}** — ${mdEscape(a.key)} advises ${adv.map((x) => mdEscape(`timeout ${x.timeout ?? '?'}${x.interval ? `, interval ${x.interval}` : ''}${x.role ? ` (role ${x.role})` : ''}`)).join('; ')}`, range: o.action.range };
    }
  }
  const at = idAt(model, pos);
  if (at) {
    const def = model.defs.get(at.id);
    if (!def) return { markdown: `**${mdEscape(at.id)}** is not defined in this file.`, range: at.range };
    const st = def.node.statement;
    const source = doc.lines.slice(st.startLine, st.endLine + 1).join('\n');
    return { markdown: `${mdCodeBlock(source, 'crm')}\nDefined on line ${st.startLine + 1}.`, range: at.range };
  }
  return undefined;
}

function inRange(r: Range, p: Position): boolean {
  return p.line === r.start.line && p.character >= r.start.character && p.character <= r.end.character;
}
