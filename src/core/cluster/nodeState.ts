/**
 * What state a node is in, decided once for every output: the explorer row, `pcx status` text and
 * `pcx status --json` all read it from here, so a node in standby and maintenance is described the
 * same way everywhere.
 */
import type { NodeStatus } from './types';

/** One word, most serious first (the order documented for `nodes[].state` in docs/status-json.md). */
export type NodeState = 'unclean' | 'offline' | 'pending' | 'standby' | 'maintenance' | 'shutdown' | 'online';

export interface NodeCondition {
  readonly state: NodeState;
  /** How outputs print it: upper case when the node is gone ("OFFLINE"), lower case otherwise. */
  readonly word: string;
  readonly severity: 'ok' | 'info' | 'warning' | 'error';
}

function liveness(n: NodeStatus): NodeCondition {
  if (n.unclean) return { state: 'unclean', word: 'UNCLEAN', severity: 'error' };
  if (!n.online) return { state: 'offline', word: 'OFFLINE', severity: 'error' };
  if (n.pending) return { state: 'pending', word: 'pending', severity: 'info' };
  return { state: 'online', word: 'online', severity: 'ok' };
}

/**
 * Everything that applies to a node, in a fixed order: first whether it is up (unclean, OFFLINE,
 * pending, online), then standby, maintenance and shutting down. Never empty.
 */
export function nodeConditionsOf(n: NodeStatus): NodeCondition[] {
  const out = [liveness(n)];
  if (n.standby) out.push({ state: 'standby', word: 'standby', severity: 'warning' });
  else if (n.standbyOnFail) out.push({ state: 'standby', word: 'standby (on-fail)', severity: 'warning' });
  if (n.maintenance) out.push({ state: 'maintenance', word: 'maintenance', severity: 'warning' });
  if (n.shutdown) out.push({ state: 'shutdown', word: 'shutting down', severity: 'warning' });
  return out;
}

const RANK: readonly NodeState[] = ['unclean', 'offline', 'pending', 'standby', 'maintenance', 'shutdown', 'online'];

/** The one state that best describes a node: the most serious of its conditions. */
export function nodeStateOf(n: NodeStatus): NodeState {
  return nodeConditionsOf(n)
    .map((c) => c.state)
    .reduce((a, b) => (RANK.indexOf(b) < RANK.indexOf(a) ? b : a));
}
