/**
 * The explorer tree as plain data: the row type every builder returns, the state of one configured
 * cluster that the tree is built from, and the one place contextValues are made.
 *
 * The VS Code layer only maps ExplorerNode → TreeItem, so everything in core/explorer is unit-tested
 * in plain Node, and `Copy Status as Text` renders the same tree. Icons are codicon ids; colours are
 * theme colour ids (they follow the user's theme).
 */
import type { HealthReport } from '../cluster/health';
import type { HostProblem } from '../cluster/hostProblem';
import type { ClusterSnapshot } from '../cluster/types';
import type { WorkloadReport } from '../workload/types';

export type ExplorerKind =
  | 'cluster'
  | 'section'
  | 'node'
  | 'attribute'
  | 'placement'
  | 'resource'
  | 'instance'
  | 'constraint'
  | 'failure'
  | 'failcount'
  | 'property'
  | 'message'
  | 'action';

export interface ExplorerIcon {
  /** Codicon id ("vm-running", "star-full", "loading~spin"). */
  readonly id: string;
  /** Theme colour id ("testing.iconPassed"); undefined = the theme's default foreground. */
  readonly color?: string;
}

export interface ExplorerCommand {
  readonly command: string;
  readonly title: string;
  readonly args?: readonly unknown[];
}

/** What a row is about, for the operations its context menu offers (a clone instance: the clone and its node). */
export interface ExplorerSubject {
  readonly resource?: string;
  readonly node?: string;
}

export interface ExplorerNode {
  readonly kind: ExplorerKind;
  /** Stable: `cluster/<name>/…`. */
  readonly id: string;
  readonly label: string;
  readonly description?: string;
  /** Markdown. */
  readonly tooltip?: string;
  readonly icon: ExplorerIcon;
  readonly contextValue: string;
  /** Initial state when the node has children (VS Code keeps the user's choice afterwards, by id). */
  readonly expanded?: boolean;
  readonly command?: ExplorerCommand;
  readonly subject?: ExplorerSubject;
  readonly children: readonly ExplorerNode[];
}

export interface ClusterViewState {
  /** Configured name (the tree key; may differ from cluster-name in the CIB). */
  readonly name: string;
  readonly hosts: readonly string[];
  readonly snapshot?: ClusterSnapshot;
  /**
   * assessHealth(snapshot), made once when the snapshot arrived: the tree and the status bar render
   * many times per snapshot and all read this. Computed on the spot only when absent.
   */
  readonly health?: HealthReport;
  /**
   * What the services say themselves (Redis replication, where the VIPs really are), read after the snapshot
   * at the full-refresh cadence; `health` then includes its workload/* reasons (core/workload/report.ts).
   */
  readonly workload?: WorkloadReport;
  /**
   * The snapshot has Redis or VIPs to read and their read of this moment is not in yet: the cluster is not shown
   * as healthy until it is (say only what is known).
   */
  readonly workloadPending?: boolean;
  /** Which host answered the last successful read. */
  readonly host?: string;
  /** Last successful read, preformatted ("21:03:12"). */
  readonly updatedAt?: string;
  /** The last read failed (all hosts): shown in place, with actions. */
  readonly error?: { readonly code: string; readonly message: string; readonly hint?: string };
  /** The view is waiting for the first answer. */
  readonly loading?: boolean;
  /**
   * Hosts whose last read failed (unreachable, not answering, cluster stack down, host key not trusted…),
   * while `host` answered or nothing did. A cluster read with such a host is never shown as plainly healthy.
   */
  readonly hostProblems?: readonly HostProblem[];
}

export const COLORS = {
  ok: 'testing.iconPassed',
  error: 'testing.iconFailed',
  warning: 'editorWarning.foreground',
  info: 'charts.blue',
  muted: 'disabledForeground',
} as const;

/**
 * The one place contextValues are made: the kind first, then flags in a fixed order, space-separated
 * (`resource clone promotable failed`). `when` clauses match with anchored regexes:
 * `viewItem =~ /^resource\b/`, `viewItem =~ /\bpromotable\b/`.
 */
export function contextValueOf(kind: ExplorerKind, flags: readonly (string | false | undefined)[] = []): string {
  const clean = flags.filter((f): f is string => typeof f === 'string' && f.length > 0);
  return [kind, ...clean].join(' ');
}

/** Ids are joined with "/": each part is encoded so the separator stays unambiguous. */
export function segment(s: string): string {
  return encodeURIComponent(s);
}

/** The id of a configured cluster's row; every row below it starts with this. */
export function clusterRootId(name: string): string {
  return `cluster/${segment(name)}`;
}
