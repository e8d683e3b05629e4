/**
 * What pcx remembers between runs about a cluster's nodes, so `pcx status --host node1` can still read the
 * cluster through node2 when node1 is gone (and so cannot tell us about node2). One small JSON file in the
 * user's cache directory: host names and addresses only, nothing secret, keyed by how the cluster was named
 * (hosts, user, port, ssh_config). A cache that cannot be read or written only means no remembered fallbacks.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

export interface RememberedNodes {
  readonly hosts: readonly string[];
  /** ISO time of the read that saw them. */
  readonly at: string;
}

export interface MemberMemory {
  recall(key: string): RememberedNodes | undefined;
  remember(key: string, hosts: readonly string[]): void;
}

/** $PCX_CACHE_DIR, else $XDG_CACHE_HOME/pcx, else ~/.cache/pcx; the file is cluster-nodes.json. */
export function defaultMemberMemoryFile(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env['PCX_CACHE_DIR'] || join(env['XDG_CACHE_HOME'] || join(homedir(), '.cache'), 'pcx');
  return join(dir, 'cluster-nodes.json');
}

export function fileMemberMemory(file = defaultMemberMemoryFile(), now: () => Date = () => new Date()): MemberMemory {
  const load = (): Record<string, RememberedNodes> => {
    try {
      const data = JSON.parse(readFileSync(file, 'utf8')) as unknown;
      return typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, RememberedNodes>) : {};
    } catch {
      return {}; // missing or damaged: nothing remembered (it is rewritten on the next successful read)
    }
  };
  return {
    recall(key) {
      const entry = load()[key];
      return entry && Array.isArray(entry.hosts) && entry.hosts.every((h) => typeof h === 'string') ? entry : undefined;
    },
    remember(key, hosts) {
      const all = load();
      const before = all[key];
      if (before && before.hosts.join('\n') === hosts.join('\n')) return;
      all[key] = { hosts: [...hosts], at: now().toISOString() };
      try {
        mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
        const tmp = `${file}.${process.pid}.tmp`;
        writeFileSync(tmp, JSON.stringify(all, null, 2) + '\n', { mode: 0o600 });
        renameSync(tmp, file);
      } catch {
        // A read-only home only costs the remembered fallbacks; the status itself is not affected.
      }
    },
  };
}
