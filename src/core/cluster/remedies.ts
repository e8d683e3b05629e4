/**
 * The commands that fix the two most common leftovers, written once for every output (health fixes,
 * explorer rows and tooltips): `resource cleanup` after a failure, `resource clear` after a move/ban.
 * pcs first, crmsh in brackets — both call crm_resource underneath.
 */
import { baseResourceId } from './names';

export interface Remedy {
  readonly pcs: string;
  readonly crm: string;
}

/** Forget failures (and fail counts) of a resource, on one node or everywhere. Clone instance ids ("redis:0") name their clone's resource. */
export function cleanupCommand(resource: string, node?: string): Remedy {
  const rsc = baseResourceId(resource);
  return node ? { pcs: `pcs resource cleanup ${rsc} node=${node}`, crm: `crm resource cleanup ${rsc} ${node}` } : { pcs: `pcs resource cleanup ${rsc}`, crm: `crm resource cleanup ${rsc}` };
}

/** Remove the cli-ban/cli-prefer constraints a move or ban left behind. */
export function clearCommand(resource: string): Remedy {
  const rsc = baseResourceId(resource);
  return { pcs: `pcs resource clear ${rsc}`, crm: `crm resource clear ${rsc}` };
}

/** "`pcs …` (or `crm …`)" for Markdown and health fixes; plain "pcs … (or crm …)" for tree descriptions. */
export function remedyText(r: Remedy, style: 'markdown' | 'plain' = 'markdown'): string {
  return style === 'markdown' ? `\`${r.pcs}\` (or \`${r.crm}\`)` : `${r.pcs} (or ${r.crm})`;
}
