/**
 * Reading a live cluster: the seam between the SSH transport (src/core/ssh) and the model (src/core/cluster).
 *
 * The target's hosts are tried in order; a host that cannot answer (unreachable, Pacemaker stopped there, not a
 * node, wrong credentials…) is skipped and the next one asked, and the skipped hosts are reported with the
 * answer. A host whose key CHANGED stops everything: that is never something to quietly route around.
 * On the answering host, crm_mon's XML and the CIB are read over ONE connection (two channels in parallel).
 *
 * A command that times out on a connected host means its cluster tools hang: that is 'not-answering', told apart
 * from 'unreachable' (no TCP/SSH at all). Reads are hedged (hedge.ts): a host that has not answered within
 * hedgeDelayMs (1.5 s) gets the next one asked beside it, and the first answer wins. With `fallback` (pcx's
 * default), when the listed hosts are failed or slow the cluster's other nodes are tried too: found in the
 * nodelist of a listed host that still answers over SSH, or remembered from an earlier read (memberMemory.ts).
 */
import { PcxFailure, type PcxError } from '../util/result';
import { crmMonChangeKey, type ClusterXml } from './clusterXml';
import type { MemberMemory } from './memberMemory';

export { crmMonChangeKey, parseClusterXml, type ClusterXml, type ParsedClusterXml } from './clusterXml';
import { SshPool } from '../ssh/pool';
import type { ConnectOptions } from '../ssh/connection';
import { resolveHost, type SshTarget } from '../ssh/sshConfig';
import { CommandRunner, sudoersRule } from '../remote/runner';
import type { QuotedCommandLine } from '../util/shellQuote';
import type { ExecOptions } from '../ssh/connection';
import { DEFAULT_HEDGE_DELAY_MS, exhaustedFailure, HedgeExhausted, hedgedRead, type HedgeCandidate } from './hedge';
import { capabilitiesOf } from '../remote/capabilities';
import {
  cibVersionKey,
  cibVersionProbe,
  cibXml,
  corosyncNodelist,
  crmMonXmlCommand,
  crmNodeList,
  crmNodeName,
  type CibVersion,
  type ClusterMember,
  type RemoteCommand,
} from '../remote/commands';

/** How to reach one cluster. Never holds secrets: keys come from files or the agent. */
export interface ClusterTarget {
  /** User-facing name ("cluster1"); optional for ad-hoc `pcx status --host`. */
  readonly name?: string;
  /** Node hosts as the user wrote them: ssh_config aliases or addresses; tried in order. */
  readonly hosts: readonly string[];
  readonly user?: string;
  readonly port?: number;
  readonly identityFile?: string;
  /** Alternative to ~/.ssh/config (tests use the test cluster's own); null reads no ssh_config at all. */
  readonly sshConfigPath?: string | null;
  /** Alternative to ~/.ssh/known_hosts. */
  readonly knownHostsPath?: string;
  /** Run cluster commands through `sudo -n` (non-root admins). */
  readonly sudo?: boolean;
}

export interface FallbackOptions {
  /** Told before each fallback host is tried, with where it came from (pcx says it on stderr). */
  readonly onFallback?: (host: string, from: string) => void;
  /** Nodes remembered from earlier reads, and where to remember them after a good read. */
  readonly memory?: MemberMemory;
}

export interface LiveOptions extends ConnectOptions {
  /** Connections to reuse across calls (explorer, watch). Without one, connections are closed after the call. */
  readonly pool?: SshPool;
  /** Timeout of each cluster command of the read (default: each command's own, 10–20 s). */
  readonly readTimeoutMs?: number;
  /** When every listed host fails, try the cluster's other nodes too (see the file comment). */
  readonly fallback?: FallbackOptions;
  /** Ask the next host too when one has not answered within this long (status reads: DEFAULT_HEDGE_DELAY_MS; else never). */
  readonly hedgeDelayMs?: number;
  /** Give the whole read up (its commands and connects are cancelled; it fails with 'cancelled'). */
  readonly signal?: AbortSignal;
}

/** Codes that must stop the walk over hosts instead of being skipped. */
const STOP_CODES: ReadonlySet<string> = new Set(['host-key-changed', 'host-key-revoked']);

/** How `host` of `target` is reached: the key of its pooled connection (SshPool.key). */
export function sshTargetFor(target: ClusterTarget, host: string): SshTarget {
  return {
    host,
    user: target.user,
    port: target.port,
    identityFile: target.identityFile,
    sshConfigPath: target.sshConfigPath,
    knownHostsPath: target.knownHostsPath,
  };
}

function asError(e: unknown, host: string): PcxFailure {
  if (e instanceof PcxFailure) return e.host ? e : new PcxFailure(e.code, e.message, e.hint, host, e.remedy);
  // A bug, not an expected failure: keep it visible but still name the host.
  return new PcxFailure('internal-error', `unexpected error while talking to ${host}: ${e instanceof Error ? e.message : String(e)}`, 'Please report this with the log.', host);
}

/** A timeout of a command (not of the connect) on a connected host: its cluster tools do not answer. */
function notAnswering(e: unknown, host: string): unknown {
  if (!(e instanceof PcxFailure) || e.code !== 'timeout') return e;
  return new PcxFailure(
    'not-answering',
    `${host} is reachable but its cluster tools do not answer (${e.message})`,
    `Pacemaker may be hung on ${host} (a stopped or overloaded pacemaker-based?): look at the node (systemctl status pacemaker, journalctl -u pacemaker). Or the network to it is losing packets: check with ping -c 20 ${host}. The other nodes can still be read.`,
    e.host ?? host,
    e.remedy,
  );
}

/** The key under which a target's nodes are remembered: how the user named the cluster. */
export function memberMemoryKey(target: ClusterTarget): string {
  return JSON.stringify([[...target.hosts].sort(), target.user ?? '', target.port ?? '', target.sshConfigPath ?? '']);
}

/** Failure codes that mean no SSH at all (the dead-host memory's `transport`). */
const TRANSPORT_CODES: ReadonlySet<string> = new Set(['unreachable', 'timeout', 'connection-lost', 'dns-failed']);

/** Put a host found failed or slow into the pool's dead-host memory (transport, or only its cluster tools). */
export function markFoundDead(pool: SshPool, t: SshTarget, f: PcxFailure): void {
  if (TRANSPORT_CODES.has(f.code) || f.code === 'not-answering') pool.markDead(t, f, TRANSPORT_CODES.has(f.code));
}

/**
 * Fallbacks once the listed hosts are failed or slow: the nodelist of a listed host that is connected over SSH
 * (its cluster tools hang or Pacemaker is down, but corosync may answer; asked on a channel of its own, not behind
 * the hung commands), then remembered nodes.
 */
async function fallbackHosts(target: ClusterTarget, options: LiveOptions, pool: SshPool, failed: readonly PcxFailure[], running: readonly string[]): Promise<HedgeCandidate[]> {
  const out: HedgeCandidate[] = [];
  const add = (hosts: readonly string[], from: string): void => {
    for (const h of hosts) if (!target.hosts.includes(h) && !out.some((o) => o.host === h)) out.push({ host: h, from });
  };
  const askable = [
    ...failed.filter((f) => (f.code === 'not-answering' || f.code === 'pacemaker-down') && f.host).map((f) => f.host!),
    ...running.filter((h) => pool.stage(sshTargetFor(target, h)) === 'ready'),
  ];
  for (const host of askable) {
    try {
      const connection = await pool.get(sshTargetFor(target, host), { evenIfDead: true });
      const ownChannel = { host: connection.host, exec: (line: QuotedCommandLine, o?: ExecOptions) => connection.exec(line, { ...o, ownChannel: true }) };
      const runner = new CommandRunner(ownChannel, connection.resolved.user, target.sudo ?? false);
      const members = await runCommand(runner, corosyncNodelist, 2_000);
      add(hostsForMembers(members, target), `from ${host}'s corosync nodelist`);
    } catch {
      // this host cannot tell us either; remembered nodes may
    }
  }
  const remembered = options.fallback?.memory?.recall(memberMemoryKey(target));
  if (remembered) add(remembered.hosts, `remembered from an earlier read, ${remembered.at}`);
  return out;
}

/**
 * What a host still running when another answered has done so far, in the words of hostProblem.ts: no TCP →
 * unreachable; TCP but no SSH session, or connected with the cluster tools hanging → not answering; a connection
 * made earlier (`reused`) whose sshd no longer answers → unreachable (it is dropped). Exported for the explorer.
 */
export async function pendingFailure(target: ClusterTarget, pool: SshPool, host: string, runningMs: number, reused: boolean): Promise<PcxFailure> {
  const t = sshTargetFor(target, host);
  const waited = `${(runningMs / 1000).toFixed(1)} s`;
  const stage = pool.stage(t);
  if (stage === 'ready') {
    // A connection made earlier may be dead without knowing it (network cut): ask sshd itself, briefly.
    const alive = !reused || (await (await pool.get(t, { evenIfDead: true })).answers(1_000));
    if (alive) {
      return new PcxFailure('not-answering', `${host} is reachable but its cluster tools did not answer within ${waited}`, `Pacemaker may be hung on ${host} (a stopped or overloaded pacemaker-based?): look at the node (systemctl status pacemaker, journalctl -u pacemaker). The other nodes can still be read.`, host);
    }
    return new PcxFailure('unreachable', `the SSH connection to ${host} stopped answering (no reply from sshd within ${waited}); dropped`, `The host is down or the network path to it is cut: check with ping ${host}. The other nodes can still be read.`, host);
  }
  if (stage === 'tcp') {
    return new PcxFailure('not-answering', `${host} accepted the TCP connection but sshd did not complete the SSH handshake within ${waited}`, `sshd on ${host} may be overloaded or hung; look at the node (journalctl -u ssh). The other nodes can still be read.`, host);
  }
  return new PcxFailure('unreachable', `no TCP connection to ${host}'s SSH port within ${waited}`, `The host is down or the network path to it is cut (a firewall dropping port 22?): check with ping ${host}. The other nodes can still be read.`, host);
}

/** The short status reads (crm_mon + CIB, the change probe, discovery) are hedged by default. */
function hedged(options: LiveOptions): LiveOptions {
  return options.hedgeDelayMs !== undefined ? options : { ...options, hedgeDelayMs: DEFAULT_HEDGE_DELAY_MS };
}

/**
 * Run `work` on the first host of the cluster that can do it, hedged (hedge.ts) when `hedgeDelayMs` is given: a
 * host that has not answered within it gets the next host asked beside it; the first answer wins and the slower ones are
 * cancelled and named (unreachable / not answering). Hosts found dead go into the pool's dead-host memory, so
 * the readers after this one (workload, logs) do not wait on them again; hosts already marked dead are asked last.
 * The value is the winner's: an operation runs its change on the node that answered its preview, never another.
 * Returns its value, the host, and the hosts skipped. Throws the failure when no host could (all the reasons in
 * one message when there were several hosts).
 */
export async function onFirstWorkingNode<T>(
  target: ClusterTarget,
  options: LiveOptions,
  work: (runner: CommandRunner) => Promise<T>,
): Promise<{ value: T; host: string; skipped: PcxError[] }> {
  if (target.hosts.length === 0) {
    throw new PcxFailure('no-hosts', `cluster ${target.name ?? '(unnamed)'} lists no hosts`, 'Add at least one node host to the cluster configuration.');
  }
  const pool = options.pool ?? new SshPool(options, { attempts: 1 });
  const isDead = (h: string): boolean => pool.dead.get(SshPool.key(sshTargetFor(target, h))) !== undefined;
  const reused = new Set<string>();
  try {
    const result = await hedgedRead<T>({
      hosts: [...target.hosts.filter((h) => !isDead(h)), ...target.hosts.filter(isDead)],
      // Hedged only where the caller says (the short status reads below): long work (an operation's preview, agent
      // metadata) may take seconds on a busy node and must not be duplicated on another node or called slow.
      delayMs: options.hedgeDelayMs ?? Infinity,
      signal: options.signal,
      run: async (host, signal) => {
        const t = sshTargetFor(target, host);
        if (pool.stage(t) === 'ready') reused.add(host);
        const connection = await pool.get(t, { evenIfDead: true });
        const runner = new CommandRunner(connection, connection.resolved.user, target.sudo ?? false, signal);
        try {
          return await work(runner);
        } catch (e) {
          throw notAnswering(e, host);
        }
      },
      more: options.fallback ? ({ failed, running }) => fallbackHosts(target, options, pool, failed, running) : undefined,
      onFallback: (host, from) => options.fallback?.onFallback?.(host, from),
      stops: (f) => STOP_CODES.has(f.code),
      // Labelled with the host as the user wrote it (with its port, if any), so the list reads back.
      asFailure: (e, host) => {
        const f = asError(e, host);
        return f.host === host || STOP_CODES.has(f.code) ? f : new PcxFailure(f.code, f.message, f.hint, host, f.remedy);
      },
      pending: (host, ms) => pendingFailure(target, pool, host, ms, reused.has(host)),
      found: (host, f) => markFoundDead(pool, sshTargetFor(target, host), f),
    });
    return { value: result.value, host: result.host, skipped: result.skipped };
  } catch (e) {
    throw e instanceof HedgeExhausted ? exhaustedFailure(e, target.name) : e;
  } finally {
    if (!options.pool) pool.closeAll();
  }
}

async function runCommand<T>(runner: CommandRunner, command: RemoteCommand<T>, timeoutMs = command.timeoutMs): Promise<T> {
  const result = await runner.run(command.argv, { timeoutMs });
  try {
    return command.parse(result, runner.host);
  } catch (e) {
    // cibadmin and crm_node answer "not connected" (102) also when the user may not talk to Pacemaker at all
    // (seen with 2.1.5 as a user outside haclient); say so when that is possible.
    if (!(e instanceof PcxFailure) || runner.user === 'root' || runner.sudo) throw e;
    const remedy = { ...e.remedy, sudo: { user: runner.user, rule: sudoersRule(runner.user) } };
    if (e.code === 'pacemaker-down') {
      throw new PcxFailure(
        e.code,
        `${e.message}; or ${runner.user} may not talk to Pacemaker (not root, not in haclient, no sudo)`,
        `${e.hint ?? ''} If Pacemaker runs on ${runner.host}, add ${runner.user} to the haclient group or enable sudo for this cluster.`.trim(),
        e.host,
        remedy,
      );
    }
    if (e.code === 'permission-denied') throw new PcxFailure(e.code, e.message, e.hint, e.host, remedy);
    throw e;
  }
}

/**
 * crm_mon's XML with the flag this node's Pacemaker takes (detected once per connection); should crm_mon refuse
 * it anyway (a build whose version misleads), once more with the other flag, which is then remembered.
 */
export async function readCrmMonXml(runner: CommandRunner, timeoutMs?: number): Promise<string> {
  const capabilities = capabilitiesOf(runner);
  const flag = await capabilities.crmMonXmlFlag();
  try {
    const command = crmMonXmlCommand(flag);
    return await runCommand(runner, command, timeoutMs ?? command.timeoutMs);
  } catch (e) {
    if (!(e instanceof PcxFailure && e.code === 'option-refused')) throw e;
    const command = crmMonXmlCommand(capabilities.crmMonRefused(flag));
    return runCommand(runner, command, timeoutMs ?? command.timeoutMs);
  }
}

/**
 * crm_mon's XML and the CIB from the first node whose crm_mon answers, over one connection. crm_mon is the runtime
 * state and must work; a CIB read that fails (e.g. a sudoers rule naming crm_mon only) costs only the configuration
 * details, so the answer is crm_mon-only with the reason in `cibFailure` — as for a CIB that does not parse.
 */
export async function fetchClusterXml(target: ClusterTarget, options: LiveOptions = {}): Promise<ClusterXml> {
  const memory = options.fallback?.memory;
  const t = options.readTimeoutMs;
  const { value, host, skipped } = await onFirstWorkingNode(target, hedged(options), async (runner) => {
    // Both at once over the one connection; if both fail, crm_mon's failure is the one to report (deterministic).
    // With a member memory, the nodelist rides along (a third channel, ~10 ms) to remember the fallbacks.
    const [mon, cib, nodes] = await Promise.allSettled([
      readCrmMonXml(runner, t),
      runCommand(runner, cibXml, t ?? cibXml.timeoutMs),
      memory ? runCommand(runner, corosyncNodelist, t ?? corosyncNodelist.timeoutMs) : Promise.resolve([]),
    ]);
    if (mon.status === 'rejected') throw mon.reason;
    // A CIB read that timed out, or found the CIB daemon gone, while crm_mon printed something is a hung or dead
    // stack (crm_mon's answer is then an empty "no DC" status), not a CIB closed to us: fail over, do not degrade.
    if (cib.status === 'rejected' && (!(cib.reason instanceof PcxFailure) || cib.reason.code === 'timeout' || cib.reason.code === 'pacemaker-down')) throw cib.reason;
    if (memory && nodes.status === 'fulfilled' && nodes.value.length > 0) memory.remember(memberMemoryKey(target), hostsForMembers(nodes.value, target));
    return { crmMonXml: mon.value, ...(cib.status === 'fulfilled' ? { cibXml: cib.value } : { cibFailure: asError(cib.reason, runner.host) }) };
  });
  return { host, ...value, ...(skipped.length > 0 ? { skipped } : {}) };
}

/** Failures of the CIB probe that still leave crm_mon worth asking (the CIB is closed to us, not the cluster). */
const CIB_CLOSED_CODES: ReadonlySet<string> = new Set(['permission-denied', 'sudo-password', 'command-failed', 'bad-output']);

/**
 * What the poller compares between ticks: the CIB version triple (cibVersionKey); where the CIB cannot be read
 * (a sudoers rule naming crm_mon only), crmMonChangeKey of a crm_mon read instead — dearer, but the view stays live.
 */
export async function fetchChangeKey(target: ClusterTarget, options: LiveOptions = {}): Promise<{ host: string; key: string }> {
  const { value, host } = await onFirstWorkingNode(target, hedged(options), async (runner) => {
    try {
      return cibVersionKey(await runCommand(runner, cibVersionProbe, options.readTimeoutMs ?? cibVersionProbe.timeoutMs));
    } catch (e) {
      if (!(e instanceof PcxFailure && CIB_CLOSED_CODES.has(e.code))) throw e;
      return crmMonChangeKey(await readCrmMonXml(runner, options.readTimeoutMs));
    }
  });
  return { host, key: value };
}

/** The cheap change probe (just the <cib> tag's version counters). */
export async function fetchCibVersion(target: ClusterTarget, options: LiveOptions = {}): Promise<{ host: string; version: CibVersion }> {
  const { value, host } = await onFirstWorkingNode(target, hedged(options), (runner) => runCommand(runner, cibVersionProbe, options.readTimeoutMs ?? cibVersionProbe.timeoutMs));
  return { host, version: value };
}

export interface DiscoveredCluster {
  /** The host that answered. */
  readonly host: string;
  /** That host's cluster node name. */
  readonly localName: string;
  readonly members: readonly ClusterMember[];
  /** For each member, the host to connect to (an existing alias or address, else ring0 address, else name). */
  readonly hosts: readonly string[];
  readonly skipped?: readonly PcxError[];
}

/**
 * From one reachable node, the cluster's members: corosync's nodelist (names and addresses) when readable,
 * else `crm_node -l` (names only).
 */
export async function discoverNodes(target: ClusterTarget, options: LiveOptions = {}): Promise<DiscoveredCluster> {
  const { value, host, skipped } = await onFirstWorkingNode(target, hedged(options), async (runner) => {
    const localName = await runCommand(runner, crmNodeName);
    let members: ClusterMember[];
    try {
      members = await runCommand(runner, corosyncNodelist);
      if (members.length === 0) members = await runCommand(runner, crmNodeList);
    } catch {
      // cmap may be closed to non-root users; crm_node only needs the cluster.
      members = await runCommand(runner, crmNodeList);
    }
    return { localName, members };
  });
  return {
    host,
    localName: value.localName,
    members: value.members,
    hosts: hostsForMembers(value.members, target),
    ...(skipped.length > 0 ? { skipped } : {}),
  };
}

/**
 * Pick how to reach each member: a host the user already listed for it (by name or address), else its name
 * when ssh_config knows that name (Host block with a HostName), else its first ring address, else its name.
 */
export function hostsForMembers(members: readonly ClusterMember[], target: ClusterTarget): string[] {
  return members.map((m) => {
    const listed = target.hosts.find((h) => h === m.name || m.addresses.includes(h));
    if (listed) return listed;
    try {
      const resolved = resolveHost({ host: m.name, sshConfigPath: target.sshConfigPath });
      if (resolved.hostName !== m.name) return m.name;
    } catch {
      // an unreadable ssh_config is reported when connecting; here we just fall back
    }
    return m.addresses[0] ?? m.name;
  });
}
