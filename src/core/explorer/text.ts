/** The tree as text: "Copy Status as Text" and the status bar item. */
import type { ClusterViewState, ExplorerNode } from './model';
import { hostProblemsText } from '../cluster/hostProblem';
import { hostProblemsSummary } from './rows/hosts';
import { healthOf, summarize } from './summary';

/** The tree as indented text ("Copy Status as Text"): every row, expanded, label — description. */
export function treeToText(roots: readonly ExplorerNode[]): string {
  const lines: string[] = [];
  const walk = (n: ExplorerNode, depth: number): void => {
    if (n.kind === 'action') return;
    lines.push(`${'  '.repeat(depth)}${n.label}${n.description ? ` — ${n.description}` : ''}`);
    n.children.forEach((c) => walk(c, depth + 1));
  };
  roots.forEach((r) => walk(r, 0));
  return lines.join('\n') + '\n';
}

/** The status bar text: "cluster1 ✓ 2/2 nodes · redis Promoted on node1". */
export function statusBarText(state: ClusterViewState): { text: string; level: 'ok' | 'warning' | 'error' | 'loading'; tooltip: string } {
  const snapshot = state.snapshot;
  if (!snapshot) {
    if (state.error) {
      const words = state.hostProblems?.length ? hostProblemsText(state.hostProblems) : 'unreachable';
      return { text: `${state.name} ✗ ${words}`, level: 'error', tooltip: `${state.error.message}${state.error.hint ? `\n${state.error.hint}` : ''}` };
    }
    return { text: `${state.name} …`, level: 'loading', tooltip: `Connecting to ${state.hosts.join(', ')}` };
  }
  const sum = summarize(snapshot, healthOf({ ...state, snapshot }));
  const degraded = sum.health.verdict === 'degraded';
  // A host that could not be read while another answered: a warning, and said which and why.
  const hosts = state.error ? undefined : hostProblemsSummary(state);
  // Not "✓" while the workload read of this moment is not in (say only what is known).
  const pending = !degraded && !hosts && !state.error && state.workloadPending === true;
  const mark = degraded ? '⚠' : pending ? '…' : '✓';
  // What we cannot see comes first: a lost node nobody fenced may still run what it ran.
  const lost = sum.health.reasons.filter((r) => r.code === 'node-lost-not-fenced').map((r) => r.subject);
  const lostWords = lost.length > 0 ? `${lost.join(', ')} lost, not fenced: split brain possible · ` : '';
  const text = state.error
    ? `${state.name} ✗ unreachable (last: ${sum.headline})`
    : hosts
      ? `${state.name} ⚠ ${lostWords}${hosts} · ${sum.onlineNodes}/${sum.totalNodes} nodes · ${sum.headline}`
      : `${state.name} ${mark} ${lostWords}${sum.onlineNodes}/${sum.totalNodes} nodes · ${sum.headline}`;
  const problems = sum.health.reasons.filter((r) => r.severity !== 'info').map((r) => `• ${r.message}`);
  const unread = hosts ? (state.hostProblems ?? []).map((p) => `• ${p.host} ${p.words}: ${p.message}`) : [];
  const tooltip = [
    state.error ? `Last read failed: ${state.error.message}` : undefined,
    ...(unread.length > 0 ? ['Not read:', ...unread] : []),
    degraded ? 'Degraded:' : pending ? 'Pacemaker is fine; reading Redis and the VIPs…' : 'Healthy',
    ...problems,
    state.updatedAt ? `Updated ${state.updatedAt} from ${state.host ?? '?'}` : undefined,
  ]
    .filter(Boolean)
    .join('\n');
  return { text, level: state.error || lost.length > 0 ? 'error' : degraded || hosts ? 'warning' : pending ? 'loading' : 'ok', tooltip };
}
