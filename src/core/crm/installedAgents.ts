/**
 * The agents a node lists as installed, and the rule built on it: a node is asked about an agent (its
 * meta-data, which makes Pacemaker EXECUTE the agent) only when the node lists that agent itself.
 *
 * Why: for `stonith:NAME`, `crm_resource --show-metadata` runs `/usr/sbin/NAME` (Pacemaker's fence-agent
 * directory) as root with no check that it is a fence agent, so a spec file naming `stonith:reboot` would run
 * reboot. The listing runs nothing: Pacemaker's own `crm_resource --list-agents stonith` (the same list as
 * `stonith_admin --list-installed`) is, for RHCS-style agents, the `fence_*` files in that directory
 * (ClusterLabs/pacemaker lib/fencing/st_rhcs.c, stonith__list_rhcs_agents: "Essentially: ls -1
 * @sbin_dir@/fence_*") plus the cluster-glue plugins it knows; `--list-ocf-providers` and `--list-agents
 * ocf:PROVIDER` read the OCF resource.d directories. One listing per cluster is kept by the callers.
 */
import type { CommandRunner } from '../remote/runner';
import { PcxFailure } from '../util/result';
import { agentKey } from './agents';
import { parseAgent } from './agentSpec';

export interface InstalledAgents {
  /** The node that listed them. */
  readonly host: string;
  /** `stonith:TYPE`, `ocf:PROVIDER:TYPE` and, when asked for, `CLASS:TYPE` of the other standards. */
  readonly keys: ReadonlySet<string>;
  /** The standards that were listed (an agent of another class is never "installed"). */
  readonly classes: ReadonlySet<string>;
}

const LIST_TIMEOUT_MS = 15_000;
/** Standards besides ocf and stonith that may be listed on request (bootstrap's folder can name them). */
const OTHER_CLASSES = new Set(['lsb', 'service', 'systemd', 'upstart', 'nagios']);
const NAME = /^[A-Za-z0-9_.-]+$/;

function lines(s: string): string[] {
  return s.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
}

/** `crm_resource --list-agents X` (or another listing); "No agents found" is an empty list, anything else a failure. */
async function list(runner: CommandRunner, argv: readonly string[]): Promise<string[]> {
  const r = await runner.run(argv, { timeoutMs: LIST_TIMEOUT_MS });
  if (r.code === 0) return lines(r.stdout);
  if (/No agents found|No providers found/i.test(r.stderr)) return [];
  const why = lines(r.stderr)[0] ?? `exit ${r.code}`;
  throw new PcxFailure('agent-list-failed', `${argv.join(' ')} failed on ${runner.host}: ${why}`, `Check that pacemaker-cli-utils works on ${runner.host} (run ${argv.join(' ')} there); no agent was asked about meanwhile.`, runner.host);
}

/**
 * What the node lists: stonith agents, every OCF provider's agents, and the `extraClasses` asked for (only known
 * standard names; anything else is simply not listed). Runs listings only — never an agent.
 */
export async function listInstalledAgents(runner: CommandRunner, extraClasses: Iterable<string> = []): Promise<InstalledAgents> {
  const keys = new Set<string>();
  const classes = new Set<string>(['stonith', 'ocf']);
  for (const t of await list(runner, ['crm_resource', '--list-agents', 'stonith'])) keys.add(`stonith:${t}`);
  const providers = (await list(runner, ['crm_resource', '--list-ocf-providers'])).filter((p) => NAME.test(p));
  for (const p of providers) for (const t of await list(runner, ['crm_resource', '--list-agents', `ocf:${p}`])) keys.add(`ocf:${p}:${t}`);
  for (const c of new Set(extraClasses)) {
    if (!OTHER_CLASSES.has(c)) continue;
    classes.add(c);
    for (const t of await list(runner, ['crm_resource', '--list-agents', c]).catch(() => [])) keys.add(`${c}:${t}`);
  }
  return { host: runner.host, keys, classes };
}

/** Is the agent (a spec's text: `IPaddr2`, `ocf:heartbeat:IPaddr2`, `stonith:fence_xvm`…) among those the node listed? */
export function isInstalled(installed: InstalledAgents, agent: string): boolean {
  return installed.keys.has(agentKey(parseAgent(agent)));
}

/** Why an agent counts as not installed on the node, in words (for diagnostics: nothing was run for it). */
export function notListedReason(installed: InstalledAgents, agent: string): string {
  const a = parseAgent(agent);
  const listing = a.class === 'ocf' ? `crm_resource --list-agents ocf:${a.provider ?? 'heartbeat'}` : installed.classes.has(a.class) ? `crm_resource --list-agents ${a.class}` : 'crm_resource --list-agents';
  return `not among the agents ${listing} lists there, so pcx did not ask about it`;
}
