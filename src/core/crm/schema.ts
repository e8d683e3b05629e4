/**
 * Names Pacemaker 2.1 knows, for "unknown meta attribute / property" checks and completion.
 * Cluster properties: `pacemaker-schedulerd metadata`, `pacemaker-controld metadata`,
 * `pacemaker-based metadata` (Pacemaker 2.1.5); resource meta: Pacemaker Explained, "Resource Meta-Attributes".
 */
export const CLUSTER_PROPERTIES = new Set([
  'no-quorum-policy', 'symmetric-cluster', 'maintenance-mode', 'start-failure-is-fatal', 'enable-startup-probes', 'shutdown-lock',
  'shutdown-lock-limit', 'stonith-enabled', 'fencing-enabled', 'stonith-action', 'stonith-timeout', 'have-watchdog', 'concurrent-fencing',
  'startup-fencing', 'priority-fencing-delay', 'cluster-delay', 'batch-limit', 'migration-limit', 'stop-all-resources',
  'stop-orphan-resources', 'stop-orphan-actions', 'remove-after-stop', 'pe-error-series-max', 'pe-warn-series-max',
  'pe-input-series-max', 'node-health-strategy', 'node-health-base', 'node-health-green', 'node-health-yellow', 'node-health-red',
  'placement-strategy', 'dc-version', 'cluster-infrastructure', 'cluster-name', 'dc-deadtime', 'cluster-recheck-interval',
  'load-threshold', 'node-action-limit', 'fence-reaction', 'election-timeout', 'shutdown-escalation', 'join-integration-timeout',
  'join-finalization-timeout', 'transition-delay', 'stonith-watchdog-timeout', 'stonith-max-attempts', 'enable-acl',
  'cluster-ipc-limit', 'last-lrm-refresh', 'default-resource-stickiness', 'is-managed-default', 'default-action-timeout',
]);

/** Resource meta attributes (primitives, groups, clones, bundles) and what they do, for hover and completion. */
export const RESOURCE_META: Record<string, string> = {
  priority: 'If not all resources can be active, lower-priority ones are stopped first.',
  'target-role': 'What state the cluster should keep the resource in: Stopped, Started, Unpromoted, Promoted.',
  'is-managed': 'false: the cluster neither starts nor stops the resource (maintenance of one resource).',
  maintenance: 'true: the resource is unmanaged and not monitored.',
  'resource-stickiness': 'How much the resource prefers to stay where it is running.',
  requires: 'What must hold before the resource can start: nothing, quorum, fencing or unfencing.',
  'migration-threshold': 'After this many failures on a node the resource is banned from it (until failure-timeout or a cleanup).',
  'failure-timeout': 'Seconds after which a failure is forgotten, letting the resource return to the node.',
  'multiple-active': 'What to do if the resource is found active on more than one node: block, stop_only, stop_start, stop_unexpected.',
  'allow-migrate': 'Allow live migration (migrate_to/migrate_from) instead of stop/start.',
  'allow-unhealthy-nodes': 'Allow the resource on nodes whose health is red.',
  'container-attribute-target': 'For bundles: where node attributes are set (host).',
  'remote-node': 'Name of the Pacemaker Remote guest node this resource runs.',
  'remote-port': 'Port of the guest node connection.', 'remote-addr': 'Address of the guest node.',
  'remote-connect-timeout': 'How long to wait for a guest node connection.', 'remote-allow-migrate': 'Allow migration of the guest node connection.',
  'critical': 'false: the resource\'s failure does not affect colocated resources\' placement.',
  description: 'Free text.', 'add-host': 'For bundles.', 'interleave': 'Clones: depend on the peer clone\'s instance on the same node only.',
  'clone-max': 'How many copies of the clone to run (default: number of nodes).', 'clone-node-max': 'Copies per node.',
  'clone-min': 'Copies that must be running before dependent resources may start.', notify: 'Send pre/post notifications to all instances (needed by redis, drbd).',
  globally_unique: 'Whether each clone instance is different.', ordered: 'Start instances one after another.',
  promotable: 'The clone has Promoted/Unpromoted instances (Pacemaker 2.x replacement for ms).',
  'promoted-max': 'How many instances may be Promoted (Pacemaker 2.1; formerly master-max).',
  'promoted-node-max': 'Promoted instances per node (formerly master-node-max).',
  'master-max': 'Deprecated name of promoted-max.', 'master-node-max': 'Deprecated name of promoted-node-max.',
  'resource-discovery': 'Location constraints only.', 'restart-type': 'Deprecated.',
  'target-role-group': 'Unused.',
};

export const DEPRECATED_META: Record<string, string> = { 'master-max': 'promoted-max', 'master-node-max': 'promoted-node-max' };

/** Meta attributes of operations (op_defaults, op … k=v): Pacemaker Explained "Operation Properties". */
export const OP_META = new Set(['id', 'name', 'interval', 'description', 'start-delay', 'interval-origin', 'timeout', 'enabled', 'record-pending', 'role', 'requires', 'on-fail', 'OCF_CHECK_LEVEL']);

/** `10`, `10s`, `500ms`, `2min`, `1h`, or ISO 8601 `PT10S`. */
export const TIME_RE = /^(\d+(\.\d+)?\s*(ms|msec|us|usec|s|sec|m|min|h|hr)?|P(\d+[YMWD])*(T(\d+[HMS])+)?)$/i;

export function timeToMs(v: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|msec|us|usec|s|sec|m|min|h|hr)?$/i.exec(v.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = (m[2] ?? 's').toLowerCase();
  const factor: Record<string, number> = { ms: 1, msec: 1, us: 0.001, usec: 0.001, s: 1000, sec: 1000, m: 60000, min: 60000, h: 3600000, hr: 3600000 };
  return n * factor[unit]!;
}
