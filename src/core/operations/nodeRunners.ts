/**
 * A shell on a cluster node named as the cluster names it ("node2"), for the steps that must run on that node
 * (stopping or starting its cluster services), also when its cluster stack is down. The cluster's hosts may be
 * names or addresses: a listed host equal to the name is used, else each listed host is asked its node name
 * (`uname -n`, what Corosync and Pacemaker call the node by default), else ssh_config's entry for the name.
 */
import { hostsForMembers, sshTargetFor, type ClusterTarget } from '../cluster/live';
import { CommandRunner } from '../remote/runner';
import type { SshPool } from '../ssh/pool';
import { PcxFailure } from '../util/result';

export interface NodeRunners {
  forNode(name: string): Promise<CommandRunner>;
}

export function nodeRunners(target: ClusterTarget, pool: SshPool): NodeRunners {
  const byName = new Map<string, CommandRunner>();
  const probed = new Set<string>();
  const connect = async (host: string): Promise<CommandRunner> => {
    const c = await pool.get(sshTargetFor(target, host));
    return new CommandRunner(c, c.resolved.user, target.sudo ?? false);
  };
  return {
    async forNode(name) {
      const known = byName.get(name);
      if (known) return known;
      if (target.hosts.includes(name)) {
        const r = await connect(name);
        byName.set(name, r);
        return r;
      }
      for (const host of target.hosts) {
        if (probed.has(host)) continue;
        probed.add(host);
        try {
          const r = await connect(host);
          const uname = (await r.run(['uname', '-n'], { timeoutMs: 10_000 })).stdout.trim();
          if (uname) byName.set(uname, r);
        } catch {
          // an unreachable listed host is reported by the step that needs it
        }
        const found = byName.get(name);
        if (found) return found;
      }
      const [host] = hostsForMembers([{ id: '', name, addresses: [] }], target);
      try {
        const r = await connect(host ?? name);
        byName.set(name, r);
        return r;
      } catch (e) {
        if (e instanceof PcxFailure) {
          throw new PcxFailure(e.code, `cannot reach node ${name} (as ${host ?? name}): ${e.message}`, e.hint ?? `List ${name}'s address among the cluster's hosts (or give it a Host entry in ~/.ssh/config).`, host ?? name, e.remedy);
        }
        throw e;
      }
    },
  };
}
