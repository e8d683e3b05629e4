/**
 * `INFO replication` as Redis prints it (2.8 – 7.x): `key:value` lines under `# Replication`. Older servers say
 * `slave`, newer ones still print `role:slave` (the word "replica" exists only in commands and configs).
 * Plain `INFO` (default sections) also gives `uptime_in_seconds` (server) and `loading` (persistence): whether an
 * instance is still starting, which tells a replica being set up from a split brain.
 */
import type { ListedReplica, ReplicationState } from '../types';

export function parseInfoFields(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1));
  }
  return fields;
}

const int = (v: string | undefined): number | undefined => {
  if (v === undefined || !/^-?\d+$/.test(v)) return undefined;
  return Number(v);
};

/** `slave0:ip=10.0.0.2,port=6379,state=online,offset=28,lag=0` */
function parseListedReplica(value: string): ListedReplica | undefined {
  const kv = new Map(value.split(',').map((p) => {
    const eq = p.indexOf('=');
    return [eq > 0 ? p.slice(0, eq) : p, eq > 0 ? p.slice(eq + 1) : ''] as const;
  }));
  const address = kv.get('ip');
  if (!address) return undefined;
  return { address, port: int(kv.get('port')), offset: int(kv.get('offset')), state: kv.get('state') };
}

/** The replication state, or undefined when the text has no `role` (not an INFO reply). */
export function parseReplicationInfo(text: string): ReplicationState | undefined {
  const f = parseInfoFields(text);
  const role = f.get('role');
  // From the server and persistence sections, when the reply has them (plain `INFO` does; `INFO replication` not).
  const uptime = int(f.get('uptime_in_seconds'));
  const common = { ...(uptime !== undefined ? { uptimeSeconds: uptime } : {}), ...(f.has('loading') ? { loading: f.get('loading') === '1' } : {}) };
  if (role === 'master') {
    const replicas = [...f.entries()]
      .filter(([k]) => /^slave\d+$/.test(k))
      .map(([, v]) => parseListedReplica(v))
      .filter((r): r is ListedReplica => r !== undefined);
    return { role: 'primary', offset: int(f.get('master_repl_offset')), replicas, ...common };
  }
  if (role === 'slave' || role === 'replica') {
    return {
      role: 'replica',
      sourceHost: f.get('master_host'),
      sourcePort: int(f.get('master_port')),
      linkUp: f.get('master_link_status') === 'up',
      offset: int(f.get('slave_repl_offset')) ?? int(f.get('master_repl_offset')),
      ...(f.has('master_sync_in_progress') ? { syncInProgress: f.get('master_sync_in_progress') === '1' } : {}),
      ...common,
    };
  }
  return undefined;
}
