/**
 * Getting an operation ready on a live cluster: connect to the first node that answers, detect its tools (once per
 * connection, src/core/remote/capabilities.ts), pick the backend and make the plan. The connection stays open in
 * the caller's pool for executePlan: the operation then runs on the node that was previewed, and a failure while
 * running is reported, never silently retried on another node.
 */
import { onFirstWorkingNode, type ClusterTarget, type LiveOptions } from '../cluster/live';
import { capabilitiesOf } from '../remote/capabilities';
import type { CommandRunner } from '../remote/runner';
import type { SshPool } from '../ssh/pool';
import type { PcxError } from '../util/result';
import { detectDialect } from './backend';
import { planOperation, type OperationPlan } from './preview';
import type { Backend, OperationRequest } from './types';

export interface PreparedOperation {
  readonly plan: OperationPlan;
  readonly runner: CommandRunner;
  /** Hosts tried before the one that answered. */
  readonly skipped: readonly PcxError[];
}

export async function prepareOperation(
  target: ClusterTarget,
  req: OperationRequest,
  options: LiveOptions & { readonly pool: SshPool; readonly backend?: Backend },
): Promise<PreparedOperation> {
  const { value, skipped } = await onFirstWorkingNode(target, options, async (runner) => {
    const dialect = await detectDialect(capabilitiesOf(runner), options.backend);
    return { plan: await planOperation(runner, req, dialect), runner };
  });
  return { ...value, skipped };
}
