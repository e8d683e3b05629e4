/**
 * Resource agent metadata: what parameters an agent takes (required, unique, defaults), which
 * actions it has and the timeouts it advises. Bundled data comes from scripts/gen-agent-metadata.mjs
 * (crm_resource --show-metadata on the installed resource-agents and fence-agents); a connected
 * cluster's own metadata can be layered on top with `layeredCatalog`.
 */
import type { AgentSpec } from './agentSpec';

export interface AgentParam {
  readonly name: string;
  readonly required?: boolean;
  readonly unique?: boolean;
  readonly deprecated?: boolean;
  readonly type: string;
  readonly default?: string;
  readonly shortdesc: string;
  readonly longdesc: string;
}

export interface AgentAction {
  readonly name: string;
  readonly timeout?: string;
  readonly interval?: string;
  readonly role?: string;
}

export interface AgentMeta {
  readonly shortdesc: string;
  readonly longdesc: string;
  readonly parameters: readonly AgentParam[];
  readonly actions: readonly AgentAction[];
}

export interface AgentCatalog {
  /** Metadata by `class:provider:type` (or `class:type`). */
  get(key: string): AgentMeta | undefined;
  keys(): readonly string[];
}

export function agentKey(a: AgentSpec): string {
  return a.provider ? `${a.class}:${a.provider}:${a.type}` : `${a.class}:${a.type}`;
}

export function mapCatalog(entries: Record<string, AgentMeta>): AgentCatalog {
  const map = new Map(Object.entries(entries));
  return { get: (k) => map.get(k), keys: () => [...map.keys()] };
}

let bundledCatalog: AgentCatalog | undefined;
/** Read on first use, not at startup: 170 KB that only crm files need (dist/crm-agent-metadata.json in the bundles). */
function bundled(): AgentCatalog {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (bundledCatalog ??= mapCatalog(require('./agents/metadata.json') as Record<string, AgentMeta>));
}

export const bundledAgents: AgentCatalog = { get: (k) => bundled().get(k), keys: () => bundled().keys() };

/** Agents from a connected cluster first, then the bundled ones. */
export function layeredCatalog(first: AgentCatalog, then: AgentCatalog): AgentCatalog {
  return {
    get: (k) => first.get(k) ?? then.get(k),
    keys: () => [...new Set([...first.keys(), ...then.keys()])],
  };
}

/** The catalog key that differs from `key` only in letter case (`IPAddr2` → `ocf:heartbeat:IPaddr2`). */
export function caseInsensitiveMatch(catalog: AgentCatalog, key: string): string | undefined {
  const lower = key.toLowerCase();
  return catalog.keys().find((k) => k.toLowerCase() === lower && k !== key);
}

/** Pacemaker's parameters every stonith device takes (pacemaker-fenced meta-data), besides the agent's own. */
export const STONITH_COMMON_PARAMS = new Set([
  'pcmk_host_map', 'pcmk_host_list', 'pcmk_host_check', 'pcmk_delay_max', 'pcmk_delay_base', 'pcmk_action_limit',
  'pcmk_host_argument', 'pcmk_reboot_action', 'pcmk_reboot_timeout', 'pcmk_reboot_retries', 'pcmk_off_action',
  'pcmk_off_timeout', 'pcmk_off_retries', 'pcmk_list_action', 'pcmk_list_timeout', 'pcmk_list_retries',
  'pcmk_monitor_action', 'pcmk_monitor_timeout', 'pcmk_monitor_retries', 'pcmk_status_action', 'pcmk_status_timeout',
  'pcmk_status_retries', 'priority',
]);
