/** Canonical forms crmsh writes for scores, roles and actions (crmsh/parse.py validate_score, validator.canonize). */
export const ROLES = ['Stopped', 'Started', 'Promoted', 'Unpromoted', 'Master', 'Slave'] as const;
export const ACTIONS = ['start', 'stop', 'promote', 'demote'] as const;

const SCORE_RE = /^[+-]?(inf(inity)?|INF(INITY)?|[0-9]+)$/;

export function isNumericScore(s: string): boolean {
  return SCORE_RE.test(s);
}

/** `100` → score=100, `inf` → score=INFINITY, `mandatory` → INFINITY, anything else names a score attribute. */
export function scoreAttr(s: string): [string, string] {
  const kw: Record<string, string> = { advisory: '0', mandatory: 'INFINITY' };
  if (kw[s.toLowerCase()] !== undefined) return ['score', kw[s.toLowerCase()]!];
  if (SCORE_RE.test(s)) return ['score', s.replace(/inf(inity)?|INF(INITY)?/, 'INFINITY')];
  return ['score-attribute', s];
}

export function canonicalRole(r: string): string {
  return ROLES.find((x) => x.toLowerCase() === r.toLowerCase()) ?? r;
}

export function canonicalAction(a: string): string {
  return ACTIONS.find((x) => x === a.toLowerCase()) ?? a;
}
