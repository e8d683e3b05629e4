/**
 * After a start of the cluster services: is the replicated service really up, not only Promoted/Unpromoted in
 * Pacemaker's eyes? The workload read (src/core/workload: Redis INFO replication through an SSH tunnel, the VIP's
 * real location) is polled until it finds nothing wrong or the bound runs out (a replica needs a few seconds to
 * sync after it started); what is still wrong becomes the outcome's unmet checks.
 */
import type { ClusterTarget } from '../cluster/live';
import type { ClusterSnapshot } from '../cluster/types';
import type { SshPool } from '../ssh/pool';
import { readWorkload, type PasswordSource } from '../workload/read';

export type WorkloadCheck = (after: ClusterSnapshot, signal?: AbortSignal) => Promise<string[]>;

export function workloadCheck(target: ClusterTarget, pool: SshPool, o: { readonly passwords?: PasswordSource; readonly timeoutMs?: number; readonly pollMs?: number } = {}): WorkloadCheck {
  return async (after, signal) => {
    const deadline = Date.now() + (o.timeoutMs ?? 30_000);
    for (;;) {
      let problems: string[];
      try {
        const report = await readWorkload(after, target, { pool, passwords: o.passwords });
        problems = report.reasons.filter((r) => r.severity !== 'info').map((r) => r.message);
      } catch (e) {
        problems = [`the workload could not be read: ${e instanceof Error ? e.message : String(e)}`];
      }
      if (problems.length === 0 || Date.now() >= deadline || signal?.aborted) return problems;
      await new Promise((r) => setTimeout(r, o.pollMs ?? 1000));
    }
  };
}
