/**
 * Why a host could not be read, in one of a few words a person can act on: the transport failed (unreachable),
 * the node is there but its cluster tools hang (not answering), Pacemaker/Corosync is not running there (cluster
 * stack down), or SSH refused us (host key, login). The explorer and pcx use the same words.
 */
import { PcxFailure } from '../util/result';

export type HostProblemKind = 'unreachable' | 'not-answering' | 'stack-down' | 'host-key' | 'login' | 'not-a-node' | 'failed';

export interface HostProblem {
  readonly host: string;
  readonly kind: HostProblemKind;
  /** "unreachable", "not answering", "cluster stack down", … */
  readonly words: string;
  readonly code: string;
  readonly message: string;
  readonly hint?: string;
}

const KIND_OF_CODE: Readonly<Record<string, HostProblemKind>> = {
  unreachable: 'unreachable',
  timeout: 'unreachable', // a connect timeout: command timeouts are 'not-answering' (live.ts)
  'connection-lost': 'unreachable',
  'dns-failed': 'unreachable',
  'ssh-protocol': 'unreachable',
  'not-answering': 'not-answering',
  'pacemaker-down': 'stack-down',
  'host-key-unknown': 'host-key',
  'host-key-not-trusted': 'host-key',
  'host-key-changed': 'host-key',
  'host-key-revoked': 'host-key',
  'auth-failed': 'login',
  'permission-denied': 'login',
  'sudo-password': 'login',
  'not-a-cluster-node': 'not-a-node',
};

export const HOST_PROBLEM_WORDS: Readonly<Record<HostProblemKind, string>> = {
  unreachable: 'unreachable',
  'not-answering': 'not answering',
  'stack-down': 'cluster stack down',
  'host-key': 'host key not trusted',
  login: 'login refused',
  'not-a-node': 'not a cluster node',
  failed: 'read failed',
};

export function hostProblemOf(host: string, e: unknown): HostProblem {
  const code = e instanceof PcxFailure ? e.code : 'internal-error';
  const kind = KIND_OF_CODE[code] ?? 'failed';
  const words = code === 'host-key-changed' ? 'host key CHANGED' : code === 'host-key-revoked' ? 'host key revoked' : HOST_PROBLEM_WORDS[kind];
  const message = e instanceof Error ? e.message : String(e);
  return { host, kind, words, code, message, ...(e instanceof PcxFailure && e.hint ? { hint: e.hint } : {}) };
}

/** "node1 not answering", "node1 unreachable and node3 cluster stack down". */
export function hostProblemsText(problems: readonly HostProblem[]): string {
  return problems.map((p) => `${p.host} ${p.words}`).join(', ');
}
