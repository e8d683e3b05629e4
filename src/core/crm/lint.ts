/**
 * Entry point of the crm linter: parse, build the model, run the rules, apply per-line
 * (`# pcx-disable-next-line CODE`) and per-workspace suppressions, sort. Pure: no file system, no VS Code.
 */
import { applySuppressions, withoutDisabled } from '../lint/suppress';
import type { Diagnostic } from '../lint/types';
import { compareDiagnostics } from '../lint/types';
import type { AgentCatalog } from './agents';
import { bundledAgents, layeredCatalog } from './agents';
import type { ClusterAgentCatalog } from './clusterAgents';
import type { CrmDocument } from './ast';
import type { CrmModel } from './model';
import { buildModel } from './model';
import { parseCrm } from './parser';
import { crmRuleList, crmRules } from './rules/index';
import { makeReporter } from './rules/context';

export interface CrmLintOptions {
  readonly disabledRules?: Iterable<string>;
  /** Agent metadata to check against (a connected cluster's, layered over the bundled data). */
  readonly agents?: AgentCatalog;
  /** A connected cluster's own agents: checked first, and an agent it does not have is reported. */
  readonly cluster?: ClusterAgentCatalog;
}

export interface CrmLintResult {
  readonly doc: CrmDocument;
  readonly model: CrmModel;
  readonly diagnostics: Diagnostic[];
}

export function lintCrm(text: string, options: CrmLintOptions = {}): CrmLintResult {
  const doc = parseCrm(text);
  const model = buildModel(doc);
  const out: Diagnostic[] = doc.problems.map((p) => ({ range: p.range, severity: 'error' as const, code: p.code, message: p.message, source: 'crm' }));
  const report = makeReporter(crmRules, out);
  const base = options.agents ?? bundledAgents;
  const cluster = options.cluster;
  const agents = cluster ? layeredCatalog(cluster, base) : base;
  const absent = (key: string) => {
    const why = cluster?.absent(key);
    return why !== undefined && cluster ? { source: cluster.source, why } : undefined;
  };
  for (const rule of crmRuleList) rule.check({ model, agents, absent, report });
  // A next-line directive applies to the statement's first line; continuation lines are part of it.
  const kept = withoutDisabled(applySuppressions(out.map((d) => anchorToStatement(d, doc)), doc.lines), options.disabledRules ?? []);
  const diagnostics = kept.map(unanchor);
  diagnostics.sort(compareDiagnostics);
  return { doc, model, diagnostics };
}

type Anchored = Diagnostic & { readonly _orig?: Diagnostic };

/** Suppression looks at the line above a statement: map a diagnostic on a continuation line to the statement's first line. */
function anchorToStatement(d: Diagnostic, doc: CrmDocument): Anchored {
  const st = statementAt(doc, d.range.start.line);
  if (!st || st.startLine === d.range.start.line) return d;
  return { ...d, range: { start: { line: st.startLine, character: 0 }, end: { line: st.startLine, character: 0 } }, _orig: d };
}

/** The statement spanning `line`: nodes are in file order and statements do not overlap, so a binary search finds it. */
function statementAt(doc: CrmDocument, line: number): CrmDocument['nodes'][number]['statement'] | undefined {
  let lo = 0;
  let hi = doc.nodes.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (doc.nodes[mid]!.statement.startLine <= line) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  const st = found >= 0 ? doc.nodes[found]!.statement : undefined;
  return st && line <= st.endLine ? st : undefined;
}

function unanchor(d: Anchored): Diagnostic {
  return d._orig ?? d;
}
