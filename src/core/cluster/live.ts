/**
 * Reading a live cluster: the seam between the SSH transport (src/core/ssh) and the model
 * (src/core/cluster). STUB — the SSH work fills it in; the signature is the contract that
 * `pcx status`, the explorer and tests program against.
 */
import { PcxFailure } from '../util/result';

/** How to reach one cluster. Never holds secrets: keys come from files or the agent. */
export interface ClusterTarget {
  /** User-facing name ("cluster1"); optional for ad-hoc `pcx status --host`. */
  readonly name?: string;
  /** Node hosts as the user wrote them: ssh_config aliases or addresses; tried in order. */
  readonly hosts: readonly string[];
  readonly user?: string;
  readonly port?: number;
  readonly identityFile?: string;
  /** Alternative to ~/.ssh/config (tests use the test cluster's own). */
  readonly sshConfigPath?: string;
  /** Alternative to ~/.ssh/known_hosts. */
  readonly knownHostsPath?: string;
  /** Run cluster commands through `sudo -n` (non-root admins). */
  readonly sudo?: boolean;
}

/** Raw XML as the cluster printed it, plus which host answered. */
export interface ClusterXml {
  readonly host: string;
  readonly crmMonXml: string;
  readonly cibXml: string;
}

export async function fetchClusterXml(target: ClusterTarget): Promise<ClusterXml> {
  throw new PcxFailure('not-implemented', `live status is not implemented yet (hosts: ${target.hosts.join(', ')})`);
}
