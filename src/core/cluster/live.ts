/**
 * Reading a live cluster: the seam between the SSH transport (src/core/ssh) and the model (src/core/cluster).
 *
 * The target's hosts are tried in order; a host that cannot answer (unreachable, Pacemaker stopped there, not a
 * node, wrong credentials…) is skipped and the next one asked, and the skipped hosts are reported with the
 * answer. A host whose key CHANGED stops everything: that is never something to quietly route around.
 * On the answering host, crm_mon's XML and the CIB are read over ONE connection (two channels in parallel).
 */
import { createHash } from 'node:crypto';
import { err, ok, PcxFailure, type PcxError, type Result } from '../util/result';
import { parseCib } from './cib';
import { parseCrmMon } from './crmMon';
import type { CibConfig, CrmMonStatus } from './types';
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

export interface LiveOptions extends ConnectOptions {
  /** Connections to reuse across calls (explorer, watch). Without one, connections are closed after the call. */
  readonly pool?: SshPool;
}

/** Codes that must stop the walk over hosts instead of being skipped. */
const STOP_CODES: ReadonlySet<string> = new Set(['host-key-changed', 'host-key-revoked']);

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
  try {
    for (const host of target.hosts) {
      try {
        const connection = await pool.get(sshTargetFor(target, host));
        const runner = new CommandRunner(connection, connection.resolved.user, target.sudo ?? false);
        return { value: await work(runner), host, skipped };
      } catch (e) {
        const failure = asError(e, host);
        if (STOP_CODES.has(failure.code)) throw failure;
        // Label it with the host as the user wrote it (with its port, if any), so the list reads back.
        skipped.push(failure.host === host ? failure : new PcxFailure(failure.code, failure.message, failure.hint, host, failure.remedy));
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
    target.hosts.join(', '),
    first.remedy,
  );
}

async function runCommand<T>(runner: CommandRunner, command: RemoteCommand<T>): Promise<T> {
  const result = await runner.run(command.argv, { timeoutMs: command.timeoutMs });
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
export async function readCrmMonXml(runner: CommandRunner): Promise<string> {
  const capabilities = capabilitiesOf(runner);
  const flag = await capabilities.crmMonXmlFlag();
  try {
    return await runCommand(runner, crmMonXmlCommand(flag));
  } catch (e) {
    if (!(e instanceof PcxFailure && e.code === 'option-refused')) throw e;
    return runCommand(runner, crmMonXmlCommand(capabilities.crmMonRefused(flag)));
  }
}

/**
 * crm_mon's XML and the CIB from the first node whose crm_mon answers, over one connection. crm_mon is the runtime
 * state and must work; a CIB read that fails (e.g. a sudoers rule naming crm_mon only) costs only the configuration
 * details, so the answer is crm_mon-only with the reason in `cibFailure` — as for a CIB that does not parse.
 */
export async function fetchClusterXml(target: ClusterTarget, options: LiveOptions = {}): Promise<ClusterXml> {
  const { value, host, skipped } = await onFirstWorkingNode(target, options, async (runner) => {
    // Both at once over the one connection; if both fail, crm_mon's failure is the one to report (deterministic).
    const [mon, cib] = await Promise.allSettled([readCrmMonXml(runner), runCommand(runner, cibXml)]);
    if (mon.status === 'rejected') throw mon.reason;
    if (cib.status === 'rejected' && !(cib.reason instanceof PcxFailure)) throw cib.reason;
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
      return cibVersionKey(await runCommand(runner, cibVersionProbe));
    } catch (e) {
      if (!(e instanceof PcxFailure && CIB_CLOSED_CODES.has(e.code))) throw e;
      return crmMonChangeKey(await readCrmMonXml(runner));
    }
  });
  return { host, key: value };
}

/** The cheap change probe (just the <cib> tag's version counters). */
export async function fetchCibVersion(target: ClusterTarget, options: LiveOptions = {}): Promise<{ host: string; version: CibVersion }> {
  const { value, host } = await onFirstWorkingNode(target, options, (runner) => runCommand(runner, cibVersionProbe));
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
