/**
 * Reaching every node by its Pacemaker name, over the same pooled connections the status reads use.
 *
 * A node is reached as a host the user listed under that name, else as its name when ssh_config has a Host
 * entry for it; only when some node is neither is the cluster asked for its members once (corosync's nodelist,
 * docs/connections.md) and the answer kept for later reads.
 */
import { discoverNodes, hostsForMembers, sshTargetFor, type ClusterTarget } from '../cluster/live';
import { CommandRunner } from '../remote/runner';
import type { SshConnection } from '../ssh/connection';
import type { SshPool } from '../ssh/pool';
import { resolveHost } from '../ssh/sshConfig';

export class NodeHosts {
  private discovered: Map<string, string> | undefined;

  constructor(
    private readonly target: ClusterTarget,
    private readonly pool: SshPool,
    /** Told every host it hands out (the explorer closes those connections with the cluster's session). */
    private readonly onHost?: (host: string) => void,
  ) {}

  private direct(node: string): string | undefined {
    const listed = this.target.hosts.find((h) => h === node);
    if (listed) return listed;
    try {
      if (resolveHost({ host: node, sshConfigPath: this.target.sshConfigPath }).hostName !== node) return node;
    } catch {
      // unreadable ssh_config: the connect reports it
    }
    return undefined;
  }

  /** The host to connect to for each node name (a node without one is missing from the map). */
  async hostsFor(nodes: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const missing: string[] = [];
    for (const n of nodes) {
      const h = this.direct(n) ?? this.discovered?.get(n);
      if (h) out.set(n, h);
      else missing.push(n);
    }
    if (missing.length === 0) return this.told(out);
    try {
      const d = await discoverNodes(this.target, { pool: this.pool });
      const hosts = hostsForMembers(d.members, this.target);
      this.discovered = new Map(d.members.map((m, i) => [m.name, hosts[i]!]));
    } catch {
      // not discoverable now: those nodes are reported as unreachable by the caller
      return this.told(out);
    }
    for (const n of missing) {
      const h = this.discovered.get(n);
      if (h) out.set(n, h);
    }
    return this.told(out);
  }

  private told(map: Map<string, string>): Map<string, string> {
    if (this.onHost) for (const h of map.values()) this.onHost(h);
    return map;
  }

  async connection(host: string): Promise<SshConnection> {
    return this.pool.get(sshTargetFor(this.target, host));
  }

  /** Commands that need no root (ip addr) run without sudo even on a sudo cluster. */
  static runner(connection: SshConnection): CommandRunner {
    return new CommandRunner(connection, connection.resolved.user, false);
  }
}
