/**
 * Which backend speaks for an operation, and how it spells things on this node's versions. Detected once per
 * connection from the node's capabilities (Pacemaker, pcs and crmsh versions); the user can force one.
 * Default order: pcs (what the reference user types), crmsh, then Pacemaker's own tools (always there).
 */
import { PcxFailure } from '../util/result';
import { BACKENDS, type Backend, type Dialect } from './types';

interface Version {
  readonly text: string;
  readonly major: number;
  readonly minor: number;
}

/** What the node has (NodeCapabilities in src/core/remote/capabilities.ts answers this). */
export interface ToolProbe {
  pacemaker(): Promise<Version | undefined>;
  pcs(): Promise<Version | undefined>;
  crmsh(): Promise<Version | undefined>;
}

export interface DetectedTools {
  readonly pacemaker?: Version;
  readonly pcs?: Version;
  readonly crmsh?: Version;
}

export function isBackend(s: string): s is Backend {
  return (BACKENDS as readonly string[]).includes(s);
}

/** Pacemaker 2.1 renamed Master/Slave to Promoted/Unpromoted (and crm_resource's --master to --promoted). */
const before21 = (v: Version | undefined): boolean => v !== undefined && (v.major < 2 || (v.major === 2 && v.minor < 1));

export function chooseDialect(tools: DetectedTools, forced?: Backend): Dialect {
  const present: Record<Backend, boolean> = { pcs: tools.pcs !== undefined, crmsh: tools.crmsh !== undefined, pacemaker: true };
  if (forced && !present[forced]) {
    const have = BACKENDS.filter((b) => present[b]);
    throw new PcxFailure('backend-missing', `${forced === 'crmsh' ? 'crmsh (crm)' : forced} is not installed on this node`, `Use one the node has: ${have.join(', ')} (--backend ${have[0]}), or leave --backend out to pick one.`);
  }
  const backend = forced ?? (present.pcs ? 'pcs' : present.crmsh ? 'crmsh' : 'pacemaker');
  const legacy = before21(tools.pacemaker);
  return {
    backend,
    promotedFlag: legacy ? '--master' : '--promoted',
    promotedRole: legacy ? 'Master' : 'Promoted',
    ...(backend === 'pcs' && tools.pcs ? { pcsVersion: [tools.pcs.major, tools.pcs.minor] as const } : {}),
  };
}

export async function detectDialect(probe: ToolProbe, forced?: Backend): Promise<Dialect> {
  const [pacemaker, pcs, crmsh] = await Promise.all([probe.pacemaker(), probe.pcs(), probe.crmsh()]);
  return chooseDialect({ pacemaker, pcs, crmsh }, forced);
}

/** "pcs 0.11 on Pacemaker 2.1 (--promoted)" for previews and logs. */
export function describeDialect(d: Dialect): string {
  const tool = d.backend === 'pcs' ? `pcs${d.pcsVersion ? ` ${d.pcsVersion.join('.')}` : ''}` : d.backend === 'crmsh' ? 'crmsh' : "Pacemaker's tools";
  return `${tool}, role option ${d.promotedFlag}`;
}
