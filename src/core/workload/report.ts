/**
 * The workload report in every front end's terms: merged into the health report (the checks are health
 * reasons like Pacemaker's own), as text lines for `pcx status`, as short per-instance labels for the tree and
 * as the `workload` object of `pcx status --json` (docs/status-json.md).
 */
import { assessHealth, type HealthReport } from '../cluster/health';
import type { ClusterSnapshot } from '../cluster/types';
import type { Palette } from '../cluster/statusText';
import { settlingOf } from './settling';
import type { InstanceView, ServiceView, VipView, WorkloadReport } from './types';

/** Pacemaker's reasons plus the workload's; the verdict is recomputed from all of them. */
/** The one health of a moment: Pacemaker's verdict on the snapshot joined with the workload read of the same moment. */
export function healthWithWorkload(snapshot: ClusterSnapshot, report: WorkloadReport | undefined): HealthReport {
  return withWorkload(assessHealth(snapshot), report);
}

export function withWorkload(health: HealthReport, report: WorkloadReport | undefined): HealthReport {
  if (!report || report.reasons.length === 0) return health;
  const reasons = [...health.reasons, ...report.reasons];
  return { verdict: reasons.some((r) => r.severity !== 'info') ? 'degraded' : 'healthy', reasons };
}

/** "master · 1 replica", "replica of node1 · link up · lag 0 B", "down", "needs a password". */
export function instanceLabel(v: ServiceView, i: InstanceView): string {
  if (i.state === 'down') return `${v.label} down`;
  if (i.state === 'auth-needed') return `${v.label} needs a password`;
  if (i.state === 'unreachable') return `${v.label} unreadable`;
  const r = i.replication!;
  const settling = settlingOf(i);
  if (r.role === 'primary') {
    const n = r.replicas?.length ?? 0;
    return `${v.words.primary} · ${n} replica${n === 1 ? '' : 's'}${settling ? ` · ${settling.words}` : ''}`;
  }
  const parts = [`${v.words.replica} of ${i.sourceNode ?? r.sourceHost ?? '?'}`, settling ? settling.words : r.linkUp ? 'link up' : 'link DOWN'];
  if (i.lagBytes !== undefined) parts.push(`lag ${i.lagBytes} B`);
  return parts.join(' · ');
}

/** "node1 (eth0)" for each node that holds the address. */
export function vipLabel(v: VipView): string {
  const on = v.actual.map((a) => `${a.node} (${a.nic})`);
  const unknown = v.unknown.length > 0 ? `; not readable on ${v.unknown.join(', ')}` : '';
  return `${on.length > 0 ? `on ${on.join(', ')}` : 'on no node'}${unknown}`;
}

export function workloadTextLines(report: WorkloadReport, pal: Palette): string[] {
  if (report.services.length === 0 && report.vips.length === 0) return [];
  const out = [pal.bold('Workload') + pal.dim(`  (read in ${Math.round(report.ms)} ms)`)];
  const bad = new Set(report.reasons.map((r) => r.subject));
  for (const v of report.services) {
    out.push(`  ${pal.bold(v.resource)}  ${pal.dim(`${v.label}, port ${v.port}`)}`);
    const width = Math.max(...v.instances.map((i) => i.node.length));
    for (const i of v.instances) {
      const label = instanceLabel(v, i);
      const mark = bad.has(i.node) || (i.state === 'up' && i.replication?.role === 'primary' && bad.has(v.resource)) ? pal.yellow('!') : i.state === 'up' ? pal.green('✓') : pal.dim('·');
      out.push(`    ${mark} ${i.node.padEnd(width)}  ${i.pacemakerRole.padEnd(10)}  ${label}`);
    }
  }
  for (const v of report.vips) {
    const ok = !bad.has(v.resource);
    out.push(`  ${ok ? pal.green('✓') : pal.red('✗')} ${pal.bold(v.resource)} ${v.ip}  Pacemaker: ${v.pacemakerNodes.join(', ') || 'stopped'} · really ${vipLabel(v)}`);
  }
  return out;
}

/** The `workload` object of `pcx status --json` (null when not read: --file, --no-workload). */
export function workloadJson(report: WorkloadReport) {
  return {
    readMs: Math.round(report.ms),
    services: report.services.map((v) => ({
      kind: v.kind,
      resource: v.resource,
      primitive: v.primitive,
      port: v.port,
      instances: v.instances.map((i) => ({
        node: i.node,
        pacemakerRole: i.pacemakerRole,
        state: i.state,
        role: i.replication ? v.words[i.replication.role] : null,
        sourceHost: i.replication?.sourceHost ?? null,
        sourceNode: i.sourceNode ?? null,
        linkUp: i.replication?.role === 'replica' ? (i.replication.linkUp ?? null) : null,
        offset: i.replication?.offset ?? null,
        lagBytes: i.lagBytes ?? null,
        settling: settlingOf(i)?.words ?? null,
        replicas: i.replication?.role === 'primary' ? (i.replication.replicas ?? []).map((r) => ({ address: r.address, port: r.port ?? null, offset: r.offset ?? null, state: r.state ?? null })) : null,
        problem: i.problem ? { code: i.problem.code, message: i.problem.message, hint: i.problem.hint ?? null } : null,
      })),
    })),
    vips: report.vips.map((v) => ({ resource: v.resource, ip: v.ip, pacemakerNodes: v.pacemakerNodes, actualNodes: v.actual.map((a) => ({ node: a.node, nic: a.nic })), unreadNodes: v.unknown })),
  };
}

export type WorkloadJson = ReturnType<typeof workloadJson>;
