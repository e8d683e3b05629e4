/**
 * What the user asked to see: nodes, resources, a minimum level, a text. Unparsed lines have no level, so a
 * level filter leaves them out; every other filter treats them like any line (their raw text is searched).
 */
import { LEVEL_ORDER, type LogLevel, type LogLine } from './types';

export interface LogFilter {
  readonly nodes?: readonly string[];
  readonly resources?: readonly string[];
  /** Keep this level and more severe ones. */
  readonly level?: LogLevel;
  /** Case-insensitive substring. */
  readonly grep?: string;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A regex for the ways Pacemaker and the agents write a resource's name: `redis`, `redis:0` (clone instance),
 * `redis_monitor_5000` (operation key), `redis-clone`, `IPaddr2(VIP)` (agent prefix) — not `redis-server`.
 */
export function resourcePattern(resource: string): RegExp {
  const base = resource.replace(/-(clone|master)$/, '');
  return new RegExp(`(^|[^\\w.-])(${escape(base)}|${escape(resource)})(-clone|-master)?([:_]\\w*)?(?=$|[^\\w-])`, 'i');
}

export function levelAtLeast(level: LogLevel, min: LogLevel): boolean {
  if (level === 'unknown') return false;
  return LEVEL_ORDER.indexOf(level) <= LEVEL_ORDER.indexOf(min);
}

export function compileFilter(filter: LogFilter): (line: LogLine) => boolean {
  const nodes = filter.nodes && filter.nodes.length > 0 ? new Set(filter.nodes.map((n) => n.toLowerCase())) : undefined;
  const resources = filter.resources && filter.resources.length > 0 ? filter.resources.map(resourcePattern) : undefined;
  const grep = filter.grep ? filter.grep.toLowerCase() : undefined;
  return (line) => {
    if (nodes && !nodes.has(line.node.toLowerCase())) return false;
    if (filter.level && !levelAtLeast(line.level, filter.level)) return false;
    const text = line.parsed ? `${line.daemon} ${line.message}` : line.raw;
    if (resources && !resources.some((r) => r.test(text))) return false;
    if (grep && !text.toLowerCase().includes(grep) && !line.raw.toLowerCase().includes(grep)) return false;
    return true;
  };
}
