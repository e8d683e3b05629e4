/**
 * One workload read: for every promotable clone a ReplicatedService recognises, each node's own view of its
 * replication (through a tunnel on that node's pooled SSH connection), and for every VIP the addresses each
 * node's interfaces hold (`ip -o -4 addr show`). All nodes are read in parallel; nothing is read at all when the
 * cluster has neither. The caller decides how often (the explorer: on change and at the full-refresh cadence).
 */
import type { ClusterTarget } from '../cluster/live';
import { memberNodeNames, primitivesOf } from '../cluster/snapshot';
import type { CibResource, CloneStatus, ClusterSnapshot } from '../cluster/types';
import type { SshPool } from '../ssh/pool';
import { PcxFailure, type PcxError } from '../util/result';
import { NodeHosts } from './nodes';
import { redisService } from './redis/service';
import { pacemakerRoles, replicationReasons, serviceView, type NodeObservation } from './replication';
import { roleAgesFromHistory, type RoleClock } from './settling';
import { AuthRequired, type NodeReadInfo, type ReplicatedService, type WorkloadReport } from './types';
import { IP_ADDR_ARGV, parseIpAddrShow, vipReasons, vipViews, type InterfaceAddress } from './vip';

/** Where passwords come from. Whatever it returns stays in memory for this read and goes only to the service. */
export interface PasswordSource {
  get(service: ReplicatedService): Promise<string | undefined> | string | undefined;
  /** Asked at most once per read and service, after a refusal; undefined: give up. */
  ask?(request: { readonly service: ReplicatedService; readonly node: string; readonly wrong: boolean }): Promise<string | undefined>;
  /** How the user gives one (shown with workload/…-unreachable). */
  readonly hint: string;
}

export interface WorkloadReadOptions {
  readonly pool: SshPool;
  /** Kept across reads to remember discovered node hosts. */
  readonly hosts?: NodeHosts;
  readonly services?: readonly ReplicatedService[];
  readonly passwords?: PasswordSource;
  /** Default 1 MiB, Redis's default repl-backlog-size: a replica further behind needs a full resync. */
  readonly lagThresholdBytes?: number;
  /** Per node and service. Default 5 s. */
  readonly timeoutMs?: number;
  /** Kept across reads by long-running readers: when each node's Pacemaker role changed (settling.ts). */
  readonly roleClock?: RoleClock;
}

export const DEFAULT_LAG_THRESHOLD_BYTES = 1024 * 1024;

interface Subject {
  readonly service: ReplicatedService;
  readonly clone: CloneStatus;
  readonly primitive: string;
  readonly port: number;
}

function findDefinition(resources: readonly CibResource[] | undefined, id: string): CibResource | undefined {
  return resources?.find((r) => r.id === id);
}

/** Promotable clones a service recognises, with the port from the primitive's parameters. */
export function workloadSubjects(s: ClusterSnapshot, services: readonly ReplicatedService[]): Subject[] {
  const out: Subject[] = [];
  for (const r of s.resources) {
    if (r.kind !== 'clone' || !r.promotable) continue;
    const first = primitivesOf([r])[0];
    if (!first) continue;
    const service = services.find((sv) => sv.matches(first.agent));
    if (!service) continue;
    const def = findDefinition(s.cib?.resources, r.id);
    const child = def?.kind === 'clone' && def.child?.kind === 'primitive' ? def.child : undefined;
    out.push({ service, clone: r, primitive: child?.id ?? first.id.replace(/:\d+$/, ''), port: service.port(child?.params ?? {}) });
  }
  return out;
}

function asProblem(e: unknown, node: string): PcxError {
  if (e instanceof PcxFailure) return { code: e.code, message: e.message, hint: e.hint, host: e.host ?? node };
  return { code: 'internal-error', message: e instanceof Error ? e.message : String(e), host: node };
}

const authProblem = (e: AuthRequired, label: string, hint: string): PcxError => ({
  code: 'auth-needed',
  message: e.wrong ? `${label} refused the password given (WRONGPASS)` : `${label} asks for a password (requirepass) and none was given`,
  hint,
});

/** Does this snapshot have anything for readWorkload to read (a service's promotable clone, or a VIP)? */
export function workloadExpected(snapshot: ClusterSnapshot, services: readonly ReplicatedService[] = [redisService]): boolean {
  return workloadSubjects(snapshot, services).length > 0 || snapshot.vips.some((v) => v.ip);
}

export async function readWorkload(snapshot: ClusterSnapshot, target: ClusterTarget, options: WorkloadReadOptions): Promise<WorkloadReport> {
  const t0 = performance.now();
  const services = options.services ?? [redisService];
  const subjects = workloadSubjects(snapshot, services);
  const vips = snapshot.vips.filter((v) => v.ip);
  if (subjects.length === 0 && vips.length === 0) return { services: [], vips: [], reasons: [], nodes: [], ms: 0 };

  const timeoutMs = options.timeoutMs ?? 5_000;
  const passwordHint = options.passwords?.hint ?? 'give the password to pcx in REDISCLI_AUTH';
  const nodes = memberNodeNames(snapshot);
  const offline = new Set(snapshot.nodes.filter((n) => !n.online).map((n) => n.name));
  const access = options.hosts ?? new NodeHosts(target, options.pool);
  const hosts = await access.hostsFor(nodes);
  const passwords = new Map<ReplicatedService, string | undefined>();
  for (const s of new Set(subjects.map((x) => x.service))) passwords.set(s, await options.passwords?.get(s));

  const addresses = new Map<string, InterfaceAddress[] | undefined>();
  const observed = subjects.map(() => new Map<string, NodeObservation>());
  const infos: NodeReadInfo[] = [];

  const readService = async (node: string, subject: Subject): Promise<NodeObservation> => {
    const host = hosts.get(node)!;
    try {
      const connection = await access.connection(host);
      let stream;
      try {
        stream = await connection.forwardOut('127.0.0.1', subject.port, timeoutMs);
      } catch (e) {
        const p = asProblem(e, node);
        return p.code === 'tunnel-refused'
          ? { kind: 'not-listening', problem: { ...p, message: `nothing listens on port ${subject.port} (${subject.service.label} is not running there)` } }
          : { kind: 'failed', problem: p };
      }
      return { kind: 'read', replication: await subject.service.read(stream, { password: passwords.get(subject.service) }, timeoutMs) };
    } catch (e) {
      if (e instanceof AuthRequired) return { kind: 'auth-needed', problem: authProblem(e, subject.service.label, passwordHint) };
      return { kind: 'failed', problem: asProblem(e, node), nodeOffline: offline.has(node) };
    }
  };

  await Promise.all(nodes.map(async (node) => {
    const started = performance.now();
    const host = hosts.get(node);
    if (!host) {
      const problem: PcxError = { code: 'no-host', message: `no way to reach node ${node} is known`, hint: `add a host for ${node} to the cluster definition, or a Host entry for it to ssh_config` };
      addresses.set(node, undefined);
      subjects.forEach((_, i) => observed[i]!.set(node, { kind: 'failed', problem, nodeOffline: offline.has(node) }));
      infos.push({ node, ms: 0, problem });
      return;
    }
    let problem: PcxError | undefined;
    const ipRead = vips.length === 0 ? Promise.resolve() : (async () => {
      try {
        const result = await NodeHosts.runner(await access.connection(host)).run(IP_ADDR_ARGV, { timeoutMs });
        if (result.code !== 0) throw new PcxFailure('command-failed', `\`ip -o -4 addr show\` failed on ${node} (exit ${result.code}): ${result.stderr.trim()}`, 'Is iproute2 installed there?', node);
        addresses.set(node, parseIpAddrShow(result.stdout));
      } catch (e) {
        addresses.set(node, undefined);
        problem = asProblem(e, node);
      }
    })();
    await Promise.all([ipRead, ...subjects.map(async (subject, i) => observed[i]!.set(node, await readService(node, subject)))]);
    infos.push({ node, host, ms: performance.now() - started, ...(problem ? { problem } : {}) });
  }));

  // A refusal for want of a password: ask once per service, then read the refusing nodes again.
  if (options.passwords?.ask) {
    for (const [i, subject] of subjects.entries()) {
      const refused = [...observed[i]!].filter(([, o]) => o.kind === 'auth-needed').map(([n]) => n);
      if (refused.length === 0) continue;
      const given = await options.passwords.ask({ service: subject.service, node: refused[0]!, wrong: passwords.get(subject.service) !== undefined });
      if (given === undefined) continue;
      passwords.set(subject.service, given);
      await Promise.all(refused.map(async (node) => observed[i]!.set(node, await readService(node, subject))));
    }
  }

  const nodeAddresses = new Map([...addresses].map(([n, list]) => [n, (list ?? []).map((a) => a.address)]));
  const views = subjects.map((s, i) => serviceView(s.service, s.clone, s.primitive, s.port, observed[i]!, nodeAddresses, new Map([...roleAgesFromHistory(snapshot, s.primitive), ...(options.roleClock?.observe(s.clone.id, pacemakerRoles(s.clone, nodes)) ?? [])])));
  const vipList = vipViews(vips, new Map(nodes.map((n) => [n, addresses.get(n)])));
  const reasons = [
    ...views.flatMap((v, i) => replicationReasons(subjects[i]!.service, v, { lagThresholdBytes: options.lagThresholdBytes ?? DEFAULT_LAG_THRESHOLD_BYTES, passwordHint, offlineNodes: offline })),
    ...vipReasons(vipList),
  ];
  infos.sort((a, b) => nodes.indexOf(a.node) - nodes.indexOf(b.node));
  return { services: views, vips: vipList, reasons, nodes: infos, ms: performance.now() - t0 };
}
