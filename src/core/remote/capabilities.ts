/**
 * What a node has, detected once per connection: the Pacemaker version (and so which flags its tools take), pcs,
 * crmsh and journalctl. Every command builder that differs between versions asks here instead of assuming 2.x.
 *
 * Each item is probed lazily, the first time someone needs it, with the tool's own `--version` (run without sudo:
 * printing a version needs no privilege, and a sudoers rule need not name pcs or journalctl). Results are cached
 * per connection (a reconnect may reach an upgraded node); a probe that fails for a transport reason is not cached.
 *
 * Version facts (read in the upstream tags):
 * - crm_mon has `--output-as=xml` from Pacemaker 2.0.3; 1.1.x and 2.0.0–2.0.2 only have `-X`/`--as-xml`.
 * - 1.1's crm_mon answers an unknown long option with getopt's "unrecognized option '--output-as=xml'" on stderr,
 *   its help text on stdout and exit status 0 (tools/crm_mon.c: `case '?': return crm_help(flag, EX_OK)`), so a
 *   refusal must be recognised by its text, not by the exit status.
 * - `crm_mon --version` prints "Pacemaker 1.1.19" (RHEL builds add "-8.el7_6.4") or "Pacemaker 2.1.5".
 */
import type { CommandRunner, RunResult } from './runner';

export interface ToolVersion {
  /** As the tool printed it ("2.1.5", "1.1.19-8.el7_6.4", "0.11.5", "4.4.0"). */
  readonly text: string;
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
}

/** crm_mon's XML flag: `--output-as=xml` (2.0.3+) or the legacy `--as-xml` (1.1, 2.0.0–2.0.2). */
export type CrmMonXmlFlag = '--output-as=xml' | '--as-xml';
export const MODERN_XML_FLAG: CrmMonXmlFlag = '--output-as=xml';
export const LEGACY_XML_FLAG: CrmMonXmlFlag = '--as-xml';

/** Everything detected, for logs and `--json` diagnostics. */
export interface CapabilitySummary {
  readonly pacemaker?: ToolVersion;
  readonly crmMonXmlFlag: CrmMonXmlFlag;
  readonly pcs?: ToolVersion;
  readonly crmsh?: ToolVersion;
  readonly journalctl: boolean;
}

/** "1.1.19-8.el7_6.4" → 1, 1, 19; the first dotted number in `text` after `prefix`. */
export function parseVersion(text: string, prefix: RegExp = /(?:)/): ToolVersion | undefined {
  const re = new RegExp(`${prefix.source}\\s*(\\d+)\\.(\\d+)(?:\\.(\\d+))?([-~+.\\w]*)`);
  const m = re.exec(text);
  if (!m) return undefined;
  const [, major, minor, patch = '0', rest] = m;
  return { text: `${major}.${minor}${m[3] !== undefined ? `.${patch}` : ''}${rest}`, major: Number(major), minor: Number(minor), patch: Number(patch) };
}

/** a ≥ b, comparing major.minor.patch. */
export function atLeast(v: ToolVersion, major: number, minor: number, patch = 0): boolean {
  return (v.major - major || v.minor - minor || v.patch - patch) >= 0;
}

/** The crm_mon XML flag a Pacemaker version takes; unknown version → the modern flag (refusal fallback covers it). */
export function crmMonXmlFlagFor(pacemaker: ToolVersion | undefined): CrmMonXmlFlag {
  return pacemaker && !atLeast(pacemaker, 2, 0, 3) ? LEGACY_XML_FLAG : MODERN_XML_FLAG;
}

/**
 * Did the tool refuse `option` as unknown? getopt's "unrecognized option '--x'" (1.1, any exit status), glib's
 * "Unknown option --x" (2.x, exit 64), or an "invalid option" from either.
 */
export function refusedOption(result: RunResult, option: string): boolean {
  const name = option.split('=')[0];
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(unrecognized|unknown|invalid) option\\W+${escaped}\\b`, 'i').test(result.stderr);
}

/** `tool --version` → its version, or undefined when the tool is missing or printed no version. */
async function probeVersion(runner: CommandRunner, argv: readonly string[], prefix?: RegExp): Promise<ToolVersion | undefined> {
  const result = await runner.run(argv, { sudo: false, timeoutMs: 10_000 });
  if (result.code !== 0) return undefined;
  return parseVersion(`${result.stdout}\n${result.stderr}`, prefix);
}

/** The capabilities of one node, over one connection. Get it with capabilitiesOf(runner). */
export class NodeCapabilities {
  private readonly memo = new Map<string, Promise<unknown>>();
  /** Set when crm_mon refused the flag its version suggested (a build that reports a misleading version). */
  private xmlFlagOverride: CrmMonXmlFlag | undefined;

  constructor(private readonly runner: CommandRunner) {}

  private once<T>(key: string, probe: () => Promise<T>): Promise<T> {
    let p = this.memo.get(key) as Promise<T> | undefined;
    if (!p) {
      p = probe();
      this.memo.set(key, p);
      // A transport failure (dropped connection, timeout) says nothing about the node: ask again next time.
      p.catch(() => this.memo.delete(key));
    }
    return p;
  }

  /** Pacemaker's version as crm_mon reports it; undefined when crm_mon is missing or printed no version. */
  pacemaker(): Promise<ToolVersion | undefined> {
    return this.once('pacemaker', () => probeVersion(this.runner, ['crm_mon', '--version'], /Pacemaker/));
  }

  /** Which flag makes crm_mon print XML on this node. */
  async crmMonXmlFlag(): Promise<CrmMonXmlFlag> {
    return this.xmlFlagOverride ?? crmMonXmlFlagFor(await this.pacemaker());
  }

  /** crm_mon refused `flag`: use the other one from now on (on this connection). */
  crmMonRefused(flag: CrmMonXmlFlag): CrmMonXmlFlag {
    this.xmlFlagOverride = flag === MODERN_XML_FLAG ? LEGACY_XML_FLAG : MODERN_XML_FLAG;
    return this.xmlFlagOverride;
  }

  /** pcs ("0.9.167", "0.11.5"); undefined when not installed. */
  pcs(): Promise<ToolVersion | undefined> {
    return this.once('pcs', () => probeVersion(this.runner, ['pcs', '--version']));
  }

  /** crmsh ("crm 4.4.0"); undefined when not installed. */
  crmsh(): Promise<ToolVersion | undefined> {
    return this.once('crmsh', () => probeVersion(this.runner, ['crm', '--version'], /crm/));
  }

  /** Is journalctl there (systemd's journal, for logs)? */
  journalctl(): Promise<boolean> {
    return this.once('journalctl', async () => (await this.runner.run(['journalctl', '--version'], { sudo: false, timeoutMs: 10_000 })).code === 0);
  }

  /** Every item at once (the probes run in parallel). */
  async summary(): Promise<CapabilitySummary> {
    const [pacemaker, pcs, crmsh, journalctl] = await Promise.all([this.pacemaker(), this.pcs(), this.crmsh(), this.journalctl()]);
    return { pacemaker, crmMonXmlFlag: await this.crmMonXmlFlag(), pcs, crmsh, journalctl };
  }
}

const byConnection = new WeakMap<object, NodeCapabilities>();

/** The capabilities of the node behind `runner`'s connection, shared by every runner on that connection. */
export function capabilitiesOf(runner: CommandRunner): NodeCapabilities {
  let caps = byConnection.get(runner.executor);
  if (!caps) {
    caps = new NodeCapabilities(runner);
    byConnection.set(runner.executor, caps);
  }
  return caps;
}
