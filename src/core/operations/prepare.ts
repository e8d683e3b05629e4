/**
 * Getting an operation ready on a live cluster: connect to the first node that answers, detect its tools (once per
 * connection, src/core/remote/capabilities.ts), pick the backend and make the plan. The connection stays open in
 * the caller's pool for executePlan: the operation then runs on the node that was previewed, and a failure while
 * running is reported, never silently retried on another node. Steps that must run on another node (stopping or
 * starting its cluster services) reach it through `nodes`.
 */
import { onFirstWorkingNode, type ClusterTarget, type LiveOptions } from '../cluster/live';
import { capabilitiesOf } from '../remote/capabilities';
import type { CommandRunner } from '../remote/runner';
import type { SshPool } from '../ssh/pool';
import { REQUEST_VERDICTS } from '../util/failures';
import { PcxFailure, type PcxError } from '../util/result';
import { detectDialect } from './backend';
import { nodeRunners, type NodeRunners } from './nodeRunners';
import { planOperation, type OperationPlan } from './preview';
import { planClusterStart } from './startPlan';
import type { Backend, OperationRequest } from './types';

export interface PreparedOperation {
  readonly plan: OperationPlan;
  readonly runner: CommandRunner;
  /** A shell on any node by its cluster name (for steps with `runOn`/`settleOn`). */
  readonly nodes: NodeRunners;
  /** Hosts tried before the one that answered. */
  readonly skipped: readonly PcxError[];
}


/** Stopping a node: read and wait through another node, so the plan's host is not the one that goes away. */
function readingOrder(target: ClusterTarget, req: OperationRequest): ClusterTarget {
  if (req.kind !== 'node-stop' || !req.node || !target.hosts.includes(req.node)) return target;
  return { ...target, hosts: [...target.hosts.filter((h) => h !== req.node), req.node] };
}

export async function prepareOperation(
  target: ClusterTarget,
  req: OperationRequest,
  options: LiveOptions & { readonly pool: SshPool; readonly backend?: Backend },
): Promise<PreparedOperation> {
  const nodes = nodeRunners(target, options.pool);
  const { value, skipped } = await onFirstWorkingNode(readingOrder(target, req), options, async (runner) => {
    const dialect = await detectDialect(capabilitiesOf(runner), options.backend);
    try {
      const plan = req.kind === 'cluster-start' ? await planClusterStart(runner, nodes, req, dialect) : await planOperation(runner, req, dialect);
      return { plan, runner };
    } catch (e) {
      // A verdict on the request holds for every node: say it once instead of asking the next node too.
      if (e instanceof PcxFailure && REQUEST_VERDICTS.has(e.code)) return { verdict: e };
      throw e;
    }
  });
  if ('verdict' in value) throw value.verdict;
  return { ...value, nodes, skipped };
}
