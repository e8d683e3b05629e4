/**
 * Remote commands as data: each descriptor is an argv (quoted later by quoteArgv) plus a `parse` that turns the
 * exit status and output into a value or a specific PcxFailure. Exit codes are Pacemaker's crm_exit_t
 * (include/crm/common/results.h): 4 insufficient privileges, 102 not connected, 105 no such object, …
 *
 * Parsers do not validate XML: well-formed or not, crm_mon's and cibadmin's stdout goes to the model parser,
 * which reports what is wrong with it in its own terms.
 */
import { PcxFailure } from '../util/result';
import type { RunResult } from './runner';
import { MODERN_XML_FLAG, refusedOption, type CrmMonXmlFlag } from './capabilities';

export interface RemoteCommand<T> {
  /** Short name for messages ("crm_mon"). */
  readonly name: string;
  readonly argv: readonly string[];
  /** Default timeout for this command. */
  readonly timeoutMs?: number;
  parse(result: RunResult, host: string): T;
}

/** Pacemaker exit codes we react to (crm_exit_t). */
export const CRM_EX = { OK: 0, INSUFFICIENT_PRIV: 4, NOT_CONNECTED: 102, NOSUCH: 105 } as const;

function firstLines(text: string, max = 3): string {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.slice(0, max).join(' / ') || '(no output)';
}

/** Failures every cluster tool shares: missing program, no permission, Pacemaker not running. */
export function clusterToolFailure(result: RunResult, name: string, host: string): PcxFailure | undefined {
  // Success is success: a healthy status may well mention "Could not connect" in some failed action's text.
  if (result.code === 0) return undefined;
  const text = `${result.stderr}\n${result.stdout}`;
  if (result.code === 127) {
    return new PcxFailure(
      'not-a-cluster-node',
      `${name} is not installed on ${host}, so it is not a Pacemaker cluster node`,
      'Check the host name (is it a node of this cluster?), or install pacemaker-cli-utils there.',
      host,
    );
  }
  if (result.code === 126 || result.code === CRM_EX.INSUFFICIENT_PRIV || /Permission denied|Access denied|insufficient privileges/i.test(result.stderr)) {
    return new PcxFailure(
      'permission-denied',
      `${host} refused ${name}: ${firstLines(result.stderr || extractXmlErrors(result.stdout))}`,
      'Connect as root, add the user to the haclient group, or enable sudo for this cluster (see docs/connections.md for the sudoers rule).',
      host,
    );
  }
  if (result.code === CRM_EX.NOT_CONNECTED || /Could not connect|Connection to cluster failed|Transport endpoint is not connected|CS_ERR_LIBRARY/.test(text)) {
    return new PcxFailure(
      'pacemaker-down',
      `the cluster stack is not running on ${host} (${name}: ${firstLines(result.stderr || extractXmlErrors(result.stdout))})`,
      `Start it on ${host} (pcs cluster start, or systemctl start pacemaker), or read the status from another node.`,
      host,
    );
  }
  return undefined;
}

/** crm_mon's XML error block <errors><error>…</error></errors>, as text. */
function extractXmlErrors(xml: string): string {
  return [...xml.matchAll(/<error>([^<]*)<\/error>/g)].map((m) => m[1]).join(' / ') || xml;
}

function requireSuccess(result: RunResult, name: string, host: string): void {
  const known = clusterToolFailure(result, name, host);
  if (known) throw known;
  if (result.code !== 0) {
    throw new PcxFailure(
      'command-failed',
      `${name} failed on ${host} (exit ${result.code ?? `signal ${result.signal ?? '?'}`}): ${firstLines(result.stderr || result.stdout)}`,
      'Run the same command on the node to see the full output.',
      host,
    );
  }
}

/**
 * The whole status as XML with the flag this node's crm_mon takes (capabilities.ts): 2.0.3+ `--output-as=xml`
 * prints `<pacemaker-result>`, 1.1's `--as-xml` the legacy `<crm_mon version="1.1.x">`; the parser reads both.
 * A refusal of the flag itself is a failure of its own ('option-refused'), so the caller can retry with the other.
 */
export function crmMonXmlCommand(flag: CrmMonXmlFlag = MODERN_XML_FLAG): RemoteCommand<string> {
  return {
    name: 'crm_mon',
    argv: ['crm_mon', '--one-shot', '--inactive', flag],
    timeoutMs: 20_000,
    parse(result, host) {
      // Before requireSuccess: 1.1 refuses with exit status 0 (and its help text on stdout).
      if (refusedOption(result, flag)) {
        throw new PcxFailure('option-refused', `crm_mon on ${host} does not know ${flag}: ${firstLines(result.stderr)}`, 'pcx retries with the flag older Pacemaker versions take; if this persists, report the crm_mon --version output.', host);
      }
      requireSuccess(result, 'crm_mon', host);
      return result.stdout;
    },
  };
}

/** crm_mon XML with the 2.x flag (for callers that know they talk to 2.x; live reads use crmMonXmlCommand). */
export const crmMonXml: RemoteCommand<string> = crmMonXmlCommand(MODERN_XML_FLAG);

/** The CIB as this node has it (`--local`: no round trip through the DC). */
export const cibXml: RemoteCommand<string> = {
  name: 'cibadmin',
  argv: ['cibadmin', '--query', '--local'],
  timeoutMs: 20_000,
  parse(result, host) {
    requireSuccess(result, 'cibadmin', host);
    return result.stdout;
  },
};

export interface CibVersion {
  readonly adminEpoch: number;
  readonly epoch: number;
  readonly numUpdates: number;
}

/**
 * The cheap change probe: just the `<cib …/>` tag (its admin_epoch/epoch/num_updates), ~8 ms on a node.
 * `--xpath /cib --no-children` prints the root element without its children on Pacemaker 2.1.5.
 */
export const cibVersionProbe: RemoteCommand<CibVersion> = {
  name: 'cibadmin',
  argv: ['cibadmin', '--query', '--local', '--xpath', '/cib', '--no-children'],
  timeoutMs: 10_000,
  parse(result, host) {
    requireSuccess(result, 'cibadmin', host);
    const version = cibVersionFromText(result.stdout);
    if (!version) {
      throw new PcxFailure('bad-output', `cibadmin on ${host} printed no <cib epoch=… num_updates=…> tag: ${firstLines(result.stdout)}`, 'Check the Pacemaker version on the node (pcx needs 1.1 or later).', host);
    }
    return version;
  },
};

/**
 * The version counters from the first `<cib …>` start tag in `text` (the probe's output or a whole CIB), in any
 * attribute order and quote style; undefined when there is no such tag or a counter is missing.
 */
export function cibVersionFromText(text: string): CibVersion | undefined {
  const tag = /<cib\b[^>]*>/.exec(text)?.[0];
  if (!tag) return undefined;
  const attr = (name: string): number | undefined => {
    const v = new RegExp(`\\s${name}\\s*=\\s*["'](\\d+)["']`).exec(tag)?.[1];
    return v === undefined ? undefined : Number(v);
  };
  const adminEpoch = attr('admin_epoch');
  const epoch = attr('epoch');
  const numUpdates = attr('num_updates');
  if (adminEpoch === undefined || epoch === undefined || numUpdates === undefined) return undefined;
  return { adminEpoch, epoch, numUpdates };
}

/** "admin_epoch:epoch:num_updates": equal keys mean an unchanged CIB. */
export function cibVersionKey(v: CibVersion): string {
  return `${v.adminEpoch}:${v.epoch}:${v.numUpdates}`;
}

/** Compare two CIB versions the way Pacemaker does: admin_epoch, then epoch, then num_updates. */
export function compareCibVersions(a: CibVersion, b: CibVersion): number {
  return a.adminEpoch - b.adminEpoch || a.epoch - b.epoch || a.numUpdates - b.numUpdates;
}

/** This node's name as the cluster knows it. */
export const crmNodeName: RemoteCommand<string> = {
  name: 'crm_node',
  argv: ['crm_node', '--name'],
  timeoutMs: 10_000,
  parse(result, host) {
    requireSuccess(result, 'crm_node', host);
    const name = result.stdout.trim();
    if (!name) throw new PcxFailure('bad-output', `crm_node --name printed nothing on ${host}`, 'Check the node\'s cluster configuration.', host);
    return name;
  },
};

export interface ClusterMember {
  readonly id: string;
  readonly name: string;
  /** "member", "lost", … as crm_node prints it. */
  readonly state?: string;
  /** Addresses from corosync's nodelist (ring0_addr, ring1_addr, …). */
  readonly addresses: readonly string[];
}

/** `crm_node -l`: "ID NAME STATE" per line. */
export const crmNodeList: RemoteCommand<ClusterMember[]> = {
  name: 'crm_node',
  argv: ['crm_node', '--list'],
  timeoutMs: 10_000,
  parse(result, host) {
    requireSuccess(result, 'crm_node', host);
    return parseCrmNodeList(result.stdout);
  },
};

export function parseCrmNodeList(text: string): ClusterMember[] {
  return text
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length >= 2 && /^\d+$/.test(f[0]))
    .map(([id, name, state]) => ({ id, name, state, addresses: [] }));
}

/** `corosync-cmapctl -b nodelist`: the configured nodes with their ring addresses. */
export const corosyncNodelist: RemoteCommand<ClusterMember[]> = {
  name: 'corosync-cmapctl',
  argv: ['corosync-cmapctl', '-b', 'nodelist'],
  timeoutMs: 10_000,
  parse(result, host) {
    requireSuccess(result, 'corosync-cmapctl', host);
    return parseCmapNodelist(result.stdout);
  },
};

/** Lines like `nodelist.node.0.ring0_addr (str) = 10.0.0.1`. */
export function parseCmapNodelist(text: string): ClusterMember[] {
  const nodes = new Map<string, { id?: string; name?: string; addresses: Map<number, string> }>();
  for (const line of text.split('\n')) {
    const m = /^nodelist\.node\.(\d+)\.(\w+) \([a-z0-9]+\) = (.*)$/.exec(line.trim());
    if (!m) continue;
    const [, index, key, value] = m;
    const node = nodes.get(index) ?? { addresses: new Map<number, string>() };
    nodes.set(index, node);
    if (key === 'nodeid') node.id = value;
    else if (key === 'name') node.name = value;
    else {
      const ring = /^ring(\d+)_addr$/.exec(key);
      if (ring) node.addresses.set(Number(ring[1]), value);
    }
  }
  return [...nodes.entries()]
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([index, n]) => {
      const addresses = [...n.addresses.entries()].sort(([a], [b]) => a - b).map(([, v]) => v);
      return { id: n.id ?? String(Number(index) + 1), name: n.name ?? addresses[0] ?? `node${index}`, addresses };
    });
}
