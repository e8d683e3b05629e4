/**
 * Rows for the hosts a cluster could not be read through: "node1 not answering", "node2 host key not trusted",
 * each with the reason, the host that answered instead, and for an unknown or refused host key a
 * "Review Host Key…" action (a changed or revoked key has no such action: that is never trusted from here).
 */
import { hostProblemsText, type HostProblem } from '../../cluster/hostProblem';
import { mdCode, mdEscape } from '../../text/markdown';
import { COLORS, contextValueOf, segment, type ClusterViewState, type ExplorerNode } from '../model';

const REVIEWABLE: ReadonlySet<string> = new Set(['host-key-unknown', 'host-key-not-trusted']);

const ICONS: Readonly<Record<HostProblem['kind'], string>> = {
  unreachable: 'debug-disconnect',
  'not-answering': 'watch',
  'stack-down': 'debug-stop',
  'host-key': 'key',
  login: 'lock',
  'not-a-node': 'question',
  failed: 'warning',
};

/**
 * The rows, one per failed host (plus its Review Host Key… action), to put first under the cluster. With
 * `actionsOnly` (the error row above already names every host's cause) just the Review Host Key… actions.
 */
export function hostProblemRows(root: string, state: ClusterViewState, actionsOnly = false): ExplorerNode[] {
  const problems = state.hostProblems ?? [];
  return problems.flatMap((p): ExplorerNode[] => {
    const id = `${root}/hosts/${segment(p.host)}`;
    // "instead" only when a host the user configured failed (an unusable fallback changes nothing about the read).
    const instead = state.host && state.host !== p.host && !state.error && state.hosts.includes(p.host) ? `read through ${state.host} instead` : undefined;
    const row: ExplorerNode = {
      kind: 'message',
      id,
      label: `${p.host} ${p.words}`,
      description: [instead, p.message].filter(Boolean).join(' · '),
      tooltip: [`**${mdEscape(p.host)}: ${mdEscape(p.words)}**`, mdEscape(p.message), p.hint && mdEscape(p.hint), instead && mdEscape(`The cluster is ${instead}.`), `(code ${mdCode(p.code)})`].filter(Boolean).join('\n\n'),
      icon: { id: ICONS[p.kind], color: p.code === 'host-key-changed' || p.code === 'host-key-revoked' ? COLORS.error : COLORS.warning },
      contextValue: contextValueOf('message', ['host-problem', p.kind, p.code]),
      children: [],
    };
    if (!REVIEWABLE.has(p.code)) return actionsOnly ? [] : [row];
    const review: ExplorerNode = {
      kind: 'action',
      id: `${id}/review`,
      label: 'Review Host Key…',
      description: p.host,
      icon: { id: 'key' },
      contextValue: contextValueOf('action', ['review-host-key']),
      command: { command: 'pacemaker.explorer.reviewHostKey', title: 'Review Host Key…', args: [state.name, p.host] },
      children: [],
    };
    return actionsOnly ? [review] : [row, review];
  });
}

/** "node1 not answering · read through node2" for the cluster row and the status bar; undefined when all is well. */
export function hostProblemsSummary(state: ClusterViewState): string | undefined {
  const problems = state.hostProblems ?? [];
  if (problems.length === 0) return undefined;
  const through = state.host && state.host !== state.hosts[0] && !problems.some((p) => p.host === state.host) ? ` · read through ${state.host}` : '';
  return `${hostProblemsText(problems)}${state.error ? '' : through}`;
}
