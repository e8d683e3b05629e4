/** What every crm lint rule gets, and the helper that stamps a diagnostic with its rule's severity. */
import type { Diagnostic, Fix, Range, RuleInfo } from '../../lint/types';
import type { AgentCatalog } from '../agents';
import type { CrmModel } from '../model';

export interface RuleContext {
  readonly model: CrmModel;
  readonly agents: AgentCatalog;
  /** Whether a connected cluster said it does not have an agent (and its words). */
  readonly absent: (key: string) => { readonly source: string; readonly why: string } | undefined;
  readonly report: (code: string, range: Range, message: string, fixes?: readonly Fix[]) => void;
}

export interface CrmRule extends RuleInfo {
  readonly check: (ctx: RuleContext) => void;
}

export function makeReporter(rules: readonly RuleInfo[], out: Diagnostic[]): RuleContext['report'] {
  const severity = new Map(rules.map((r) => [r.code, r.severity]));
  return (code, range, message, fixes) => {
    out.push({ range, severity: severity.get(code) ?? 'warning', code, message, source: 'crm', ...(fixes && fixes.length ? { fixes } : {}) });
  };
}

/** Levenshtein distance, for "did you mean" suggestions. */
export function distance(a: string, b: string): number {
  const d: number[] = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0]!;
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = d[j]!;
      d[j] = Math.min(d[j]! + 1, d[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return d[b.length]!;
}

export function closest(name: string, candidates: Iterable<string>): string | undefined {
  const wanted = name.toLowerCase();
  const limit = Math.max(2, Math.floor(name.length / 4));
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const lower = c.toLowerCase();
    // The distance is at least the difference in length: skip a candidate that could neither beat the best
    // so far nor come within the limit (the answer is the same, without the quadratic work).
    const atLeast = Math.abs(lower.length - wanted.length);
    if (atLeast >= bestD || atLeast > limit) continue;
    const dd = distance(wanted, lower);
    if (dd < bestD) {
      bestD = dd;
      best = c;
    }
  }
  return best !== undefined && bestD <= limit ? best : undefined;
}
