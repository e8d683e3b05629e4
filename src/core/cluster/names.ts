/**
 * Name normalisation shared by the crm_mon and CIB parsers: roles (Master/Slave → Promoted/Unpromoted,
 * the rename of Pacemaker 2.1) and resource agent spellings ("ocf::heartbeat:IPaddr2" from 1.1).
 */
import type { Agent, Role } from './types';

const ROLE_ALIASES: Readonly<Record<string, Role>> = {
  master: 'Promoted',
  promoted: 'Promoted',
  slave: 'Unpromoted',
  unpromoted: 'Unpromoted',
  started: 'Started',
  stopped: 'Stopped',
  unknown: 'Unknown',
};

/** Normalise a role as printed by any Pacemaker version; unknown spellings are returned as given. */
export function normalizeRole(role: string): Role;
export function normalizeRole(role: string | undefined): Role | undefined;
export function normalizeRole(role: string | undefined): Role | undefined {
  if (role == null) return undefined;
  return ROLE_ALIASES[role.trim().toLowerCase()] ?? role;
}

/** Parse "ocf:heartbeat:IPaddr2", "ocf::heartbeat:IPaddr2" (1.1), "stonith:fence_xvm", "systemd:redis@x". */
export function parseAgent(raw: string): Agent {
  const s = raw.trim();
  const first = s.indexOf(':');
  if (first < 0) return { standard: '', type: s, name: s };
  const standard = s.slice(0, first);
  let rest = s.slice(first + 1);
  if (standard.toLowerCase() === 'ocf') {
    if (rest.startsWith(':')) rest = rest.slice(1); // 1.1 printed "ocf::provider:type"
    const second = rest.indexOf(':');
    if (second >= 0) {
      const provider = rest.slice(0, second);
      const type = rest.slice(second + 1);
      return { standard, provider, type, name: `${standard}:${provider}:${type}` };
    }
  }
  return { standard, type: rest, name: `${standard}:${rest}` };
}

export function agentFromParts(standard: string | undefined, provider: string | undefined, type: string | undefined): Agent {
  const std = standard ?? '';
  const t = type ?? '';
  if (provider) return { standard: std, provider, type: t, name: `${std}:${provider}:${t}` };
  return { standard: std, type: t, name: std ? `${std}:${t}` : t };
}

/** "redis:0" → "redis": the configured id of a clone instance. */
export function baseResourceId(id: string): string {
  const i = id.lastIndexOf(':');
  return i > 0 && /^\d+$/.test(id.slice(i + 1)) ? id.slice(0, i) : id;
}

const TASKS_WITH_UNDERSCORE = ['migrate_to', 'migrate_from'];

/** Split an operation key "redis_monitor_10000" into resource, task and interval (ms). */
export function parseOpKey(opKey: string): { resource: string; task: string; intervalMs: number } | undefined {
  const m = /^(.+)_(\d+)$/.exec(opKey);
  if (!m) return undefined;
  const head = m[1]!;
  const intervalMs = Number(m[2]);
  for (const t of TASKS_WITH_UNDERSCORE) {
    if (head.endsWith(`_${t}`)) return { resource: head.slice(0, -t.length - 1), task: t, intervalMs };
  }
  const i = head.lastIndexOf('_');
  if (i <= 0) return undefined;
  return { resource: head.slice(0, i), task: head.slice(i + 1), intervalMs };
}
