/**
 * The source options every verb that talks to a cluster shares (--host, --cluster, --ssh-config, --sudo, …),
 * and turning them into a ClusterTarget plus connect options. One table, so `pcx status`, the operations and
 * `pcx logs` accept exactly the same spellings.
 */
import { DEFAULT_CLUSTERS_FILE, loadClusterDefinitions, targetFor } from '../core/cluster/clusterConfig';
import type { ClusterTarget, LiveOptions } from '../core/cluster/live';
import { fileMemberMemory } from '../core/cluster/memberMemory';
import { quoteArgv } from '../core/util/shellQuote';
import type { HostKeyPolicy, UnknownHostKey } from '../core/ssh/connection';
import { keyTypeLabel } from '../core/ssh/knownHosts';
import { PcxFailure, type PcxError, type Result } from '../core/util/result';
import { validatePort, type OptionTable, type Values } from './args';
import { terminalPassphrase } from './terminal';

export const SOURCE_OPTIONS = {
  host: { type: 'string', short: 'H', value: 'H', multiple: true, help: 'a cluster node (ssh_config alias or address); repeat for fallbacks' },
  cluster: { type: 'string', short: 'c', value: 'NAME', help: 'a cluster from .pacemaker/clusters.json (or --clusters FILE)' },
  clusters: { type: 'string', value: 'FILE', help: 'cluster definitions file (default: .pacemaker/clusters.json)' },
  'ssh-config': { type: 'string', value: 'FILE', help: 'ssh_config to use instead of ~/.ssh/config' },
  'known-hosts': { type: 'string', value: 'FILE', help: 'known_hosts to use instead of ~/.ssh/known_hosts' },
  user: { type: 'string', value: 'U', help: 'log in as U (with --cluster: instead of the definition\'s)' },
  port: { type: 'string', value: 'N', validate: validatePort, help: 'SSH port' },
  identity: { type: 'string', value: 'FILE', help: 'private key file' },
  sudo: { type: 'boolean', help: 'run the cluster tools through `sudo -n` (non-root admins; see docs/connections.md)' },
  'no-fallback': {
    type: 'boolean',
    help: 'read only the hosts given: do not also try the cluster\'s other nodes (from a\nlisted node\'s nodelist, or remembered from an earlier read) when they fail',
  },
  'hedge-delay': {
    type: 'string',
    value: 'MS',
    validate: (v: string) => (/^\d+$/.test(v) && Number(v) <= 600_000 ? undefined : `not a delay in milliseconds (0-600000): ${v}`),
    help: 'when the node asked has not answered within MS ms, ask the next one too;\nthe first answer wins (default 1500)',
  },
  'accept-new-host-key': {
    type: 'boolean',
    help: 'trust a node whose host key is not in known_hosts yet: print its SHA256\nfingerprint and save it (a CHANGED key is always refused)',
  },
} as const satisfies OptionTable;

export type SourceValues = Values<typeof SOURCE_OPTIONS>;

/** Whether any live source (--host or --cluster) was given. */
export function hasLiveSource(v: SourceValues): boolean {
  return v.host.length > 0 || v.cluster !== undefined;
}

/** Which usage error a bad combination of source options is, if any. */
export function sourceProblem(v: SourceValues): string | undefined {
  if (v.host.length > 0 && v.cluster !== undefined) return 'use only one of --host and --cluster';
  if (!hasLiveSource(v)) return 'say which cluster: --host H or --cluster NAME';
  return undefined;
}

function unwrap<T>(r: Result<T>, where: string): T {
  if (r.ok) return r.value;
  const e: PcxError = r.error;
  throw new PcxFailure(e.code, `${where}: ${e.message}`, e.hint, e.host);
}

/** The ClusterTarget the options name. What the user typed wins over a --cluster definition. */
export async function targetFromSource(v: SourceValues): Promise<ClusterTarget> {
  const overrides = { sshConfigPath: v['ssh-config'], knownHostsPath: v['known-hosts'] };
  const port = v.port !== undefined ? Number(v.port) : undefined;
  if (v.cluster !== undefined) {
    const defs = unwrap(await loadClusterDefinitions(v.clusters ?? DEFAULT_CLUSTERS_FILE), 'cluster definitions');
    const defined = unwrap(targetFor(defs, v.cluster, overrides), 'cluster definitions');
    return {
      ...defined,
      user: v.user ?? defined.user,
      port: port ?? defined.port,
      identityFile: v.identity ?? defined.identityFile,
      sudo: v.sudo || defined.sudo,
    };
  }
  return { hosts: v.host, user: v.user, port, identityFile: v.identity, sudo: v.sudo || undefined, ...overrides };
}

/**
 * --accept-new-host-key: say which key is being trusted (host, type, SHA256 fingerprint, file) on stderr, then
 * save it. A host already known with a key of another type presenting a new type is refused: that is how a
 * changed key can look, and the flag is only for hosts never seen before.
 */
export function acceptNewHostKeyPolicy(write: (line: string) => void, verb = 'status'): HostKeyPolicy {
  return (key: UnknownHostKey) => {
    if (key.otherKnownTypes.length > 0) {
      throw new PcxFailure(
        'host-key-unknown',
        `known_hosts (${key.knownHostsFile}) holds ${key.otherKnownTypes.map(keyTypeLabel).join('/')} host key(s) for ${key.knownHostsName}, but the host now presents an unknown ${keyTypeLabel(key.keyType)} key ${key.fingerprint}; --accept-new-host-key only trusts hosts never seen before`,
        `Verify the new key on the host (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub); if it is right, remove the old entry with ${quoteArgv(['ssh-keygen', '-R', key.knownHostsName, '-f', key.knownHostsFile])} and run again.`,
        key.host,
      );
    }
    const where = key.knownHostsName === key.host ? key.host : `${key.host} (${key.knownHostsName})`;
    write(`pcx ${verb}: ${where} is not in known_hosts; trusting its ${keyTypeLabel(key.keyType)} host key ${key.fingerprint} (--accept-new-host-key) and saving it to ${key.knownHostsFile}\n`);
    return 'accept-and-save';
  };
}

/**
 * Host-key policy, passphrase prompt and node fallback as the options ask for them. Fallback (unless
 * --no-fallback): when every given host fails, the cluster's other nodes are tried, each announced on stderr.
 */
export function connectOptionsFromSource(v: SourceValues, verb: string): Pick<LiveOptions, 'hostKeyPolicy' | 'passphrase' | 'fallback' | 'hedgeDelayMs'> {
  return {
    ...(v['hedge-delay'] !== undefined ? { hedgeDelayMs: Number(v['hedge-delay']) } : {}),
    hostKeyPolicy: v['accept-new-host-key'] ? acceptNewHostKeyPolicy((line) => process.stderr.write(line), verb) : undefined,
    passphrase: terminalPassphrase(),
    fallback: v['no-fallback']
      ? undefined
      : {
          memory: fileMemberMemory(),
          onFallback: (host, from) => process.stderr.write(`pcx ${verb}: trying ${host}, another node of the cluster (${from}); --no-fallback turns this off\n`),
        },
  };
}

/** A host-key refusal's hint names the exact command that accepts the key, not a generic "pcx …". */
export function withExactRetryHint(e: unknown, verb: string, argv: readonly string[]): unknown {
  const accept = e instanceof PcxFailure && e.code === 'host-key-unknown' ? e.remedy?.acceptHostKey : undefined;
  if (!accept || !(e instanceof PcxFailure)) return e;
  const again = quoteArgv(['pcx', verb, ...argv, '--accept-new-host-key']);
  return new PcxFailure(e.code, e.message, `${accept.verify} If it matches, accept it: ${again}, or run ${accept.sshCommand} once and answer "yes".`, e.host, e.remedy);
}
