/**
 * Reading a live cluster: the seam between the SSH transport (src/core/ssh) and the model (src/core/cluster).
 *
 * The target's hosts are tried in order; a host that cannot answer (unreachable, Pacemaker stopped there, not a
 * node, wrong credentials…) is skipped and the next one asked, and the skipped hosts are reported with the
 * answer. A host whose key CHANGED stops everything: that is never something to quietly route around.
 * On the answering host, crm_mon's XML and the CIB are read over ONE connection (two channels in parallel).
 *
 * A command that times out on a connected host means its cluster tools hang: that is 'not-answering', told apart
 * from 'unreachable' (no TCP/SSH at all). With `fallback` (pcx's default), when every listed host fails the
 * cluster's other nodes are tried too: found in the nodelist of a listed host that still answers over SSH, or
 * remembered from an earlier read (memberMemory.ts).
 */
import { createHash } from 'node:crypto';
import { err, ok, PcxFailure, type PcxError, type Result } from '../util/result';
import { parseCib } from './cib';
import { parseCrmMon } from './crmMon';
import type { CibConfig, CrmMonStatus } from './types';
import type { MemberMemory } from './memberMemory';
import { SshPool } from '../ssh/pool';
import type { ConnectOptions } from '../ssh/connection';
import { resolveHost, type SshTarget } from '../ssh/sshConfig';
import { CommandRunner, sudoersRule } from '../remote/runner';
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

/** Raw XML as the cluster printed it, plus which host answered. */
export interface ClusterXml {
  readonly host: string;
  readonly crmMonXml: string;
  /** The CIB; absent when it could not be read (cibFailure says why): the read is crm_mon-only then. */
  readonly cibXml?: string;
  readonly cibFailure?: PcxError;
  /** Hosts tried before `host` and why each did not answer (show them as warnings). */
  readonly skipped?: readonly PcxError[];
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

/**
 * Fallbacks for a target whose listed hosts all failed: the nodelist of a listed host that is still reachable
 * over SSH (its cluster tools hang or Pacemaker is down, but corosync may answer), then remembered nodes.
 */
async function fallbackHosts(target: ClusterTarget, options: LiveOptions, pool: SshPool, failed: readonly PcxFailure[]): Promise<{ host: string; from: string }[]> {
  const out: { host: string; from: string }[] = [];
  const add = (hosts: readonly string[], from: string): void => {
    for (const h of hosts) if (!target.hosts.includes(h) && !out.some((o) => o.host === h)) out.push({ host: h, from });
  };
  for (const f of failed) {
    if ((f.code !== 'not-answering' && f.code !== 'pacemaker-down') || !f.host) continue;
    try {
      const connection = await pool.get(sshTargetFor(target, f.host));
      const runner = new CommandRunner(connection, connection.resolved.user, target.sudo ?? false);
      const members = await runCommand(runner, corosyncNodelist, 5_000);
      add(hostsForMembers(members, target), `from ${f.host}'s corosync nodelist`);
    } catch {
      // this host cannot tell us either; remembered nodes may
    }
  }
  const remembered = options.fallback?.memory?.recall(memberMemoryKey(target));
  if (remembered) add(remembered.hosts, `remembered from an earlier read, ${remembered.at}`);
  return out;
}

/**
 * Run `work` on the first host of the cluster that can do it. Returns its value, the host, and the hosts skipped.
 * Throws the failure when no host could (all the reasons in one message when there were several hosts).
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
  const skipped: PcxFailure[] = [];
  const attempt = async (host: string): Promise<{ value: T } | undefined> => {
    try {
      const connection = await pool.get(sshTargetFor(target, host));
      const runner = new CommandRunner(connection, connection.resolved.user, target.sudo ?? false);
      try {
        return { value: await work(runner) };
      } catch (e) {
        throw notAnswering(e, host);
      }
    } catch (e) {
      const failure = asError(e, host);
      if (STOP_CODES.has(failure.code)) throw failure;
      // Label it with the host as the user wrote it (with its port, if any), so the list reads back.
      skipped.push(failure.host === host ? failure : new PcxFailure(failure.code, failure.message, failure.hint, host, failure.remedy));
      return undefined;
    }
  };
  let hosts: readonly string[] = target.hosts;
  try {
    for (const host of target.hosts) {
      const done = await attempt(host);
      if (done) return { value: done.value, host, skipped };
    }
    if (options.fallback) {
      const extra = await fallbackHosts(target, options, pool, skipped);
      hosts = [...target.hosts, ...extra.map((e) => e.host)];
      for (const { host, from } of extra) {
        options.fallback.onFallback?.(host, from);
        const done = await attempt(host);
        if (done) return { value: done.value, host, skipped };
      }
    }
  } finally {
    if (!options.pool) pool.closeAll();
  }
  if (skipped.length === 1) throw skipped[0];
  const first = skipped[0];
  throw new PcxFailure(
    first.code,
    `no node of ${target.name ?? 'the cluster'} answered: ${skipped.map((f) => `${f.host}: ${f.message}`).join('; ')}`,
    skipped.map((f) => f.hint).filter(Boolean).join(' / '),
    hosts.join(', '),
    first.remedy,
  );
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
  const { value, host, skipped } = await onFirstWorkingNode(target, options, async (runner) => {
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
 * A change key for a crm_mon-only read (no CIB version to go by): a digest of crm_mon's XML without the parts that
 * change on every call.
 */
export function crmMonChangeKey(crmMonXml: string): string {
  // <last_update time> is the time of the call; 2.1's <pacemakerd last_updated> moves with every call too.
  const stable = crmMonXml.replace(/<last_update\b[^>]*\/>/g, '').replace(/(<pacemakerd\b[^>]*?)\s+last_updated="[^"]*"/g, '$1');
  return `crm_mon:${createHash('sha256').update(stable).digest('hex').slice(0, 32)}`;
}

/**
 * What the poller compares between ticks: the CIB version triple (cibVersionKey); where the CIB cannot be read
 * (a sudoers rule naming crm_mon only), crmMonChangeKey of a crm_mon read instead — dearer, but the view stays live.
 */
export async function fetchChangeKey(target: ClusterTarget, options: LiveOptions = {}): Promise<{ host: string; key: string }> {
  const { value, host } = await onFirstWorkingNode(target, options, async (runner) => {
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
  const { value, host } = await onFirstWorkingNode(target, options, (runner) => runCommand(runner, cibVersionProbe, options.readTimeoutMs ?? cibVersionProbe.timeoutMs));
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
  const { value, host, skipped } = await onFirstWorkingNode(target, options, async (runner) => {
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

/** What a live read parses into; `cibProblem` says why `cib` is missing when the CIB could not be parsed. */
export interface ParsedClusterXml {
  readonly crmMon: CrmMonStatus;
  readonly cib?: CibConfig;
  readonly cibProblem?: PcxError;
}

/**
 * One policy for every reader of a live cluster (pcx status, the explorer): crm_mon's XML must parse — it is the
 * runtime state — while a CIB that could not be read or doesn't parse only costs the configuration details, so it degrades to
 * crm_mon-only with the reason instead of hiding the whole status.
 */
export function parseClusterXml(xml: ClusterXml): Result<ParsedClusterXml> {
  const crmMon = parseCrmMon(xml.crmMonXml);
  if (!crmMon.ok) return err({ ...crmMon.error, host: crmMon.error.host ?? xml.host });
  if (xml.cibXml === undefined) {
    const reason = xml.cibFailure ?? { code: 'cib-unavailable', message: `the CIB of ${xml.host} was not read`, hint: 'Run cibadmin --query --local on the node to see why.' };
    // Field by field: a PcxFailure is an Error, whose message a spread would drop.
    return ok({ crmMon: crmMon.value, cibProblem: { code: reason.code, message: reason.message, hint: reason.hint, host: reason.host ?? xml.host } });
  }
  const cib = parseCib(xml.cibXml);
  return ok(cib.ok ? { crmMon: crmMon.value, cib: cib.value } : { crmMon: crmMon.value, cibProblem: { ...cib.error, host: cib.error.host ?? xml.host } });
}
