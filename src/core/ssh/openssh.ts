/**
 * ssh_config as OpenSSH itself reads it: `ssh -G HOST` prints the configuration ssh would use for HOST after
 * every Host and Match block, Include, /etc/ssh/ssh_config (and Debian's ssh_config.d), canonicalisation and
 * token expansion. Where the machine has an `ssh` binary, resolveHost asks it; the parser in sshConfig.ts is
 * only the fallback for machines without one.
 *
 * `ssh -G` is a local process started with an argument array (no shell). It evaluates `Match exec` as ssh
 * would for the same host: that is the user's own configuration doing what it says.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { PcxFailure } from '../util/result';

/** ssh_config values by lower-case keyword, every occurrence in order (as sshConfig.ts's compute gives them). */
export type ConfigValues = Record<string, string | string[] | undefined>;

/** OpenSSH's default IdentityFile list as `ssh -G` prints it when none is configured (9.x; older lack some). */
const DEFAULT_IDENTITY_NAMES = new Set(['id_rsa', 'id_ecdsa', 'id_ecdsa_sk', 'id_ed25519', 'id_ed25519_sk', 'id_xmss', 'id_dsa']);

/** The `ssh` program on PATH, or undefined when there is none. */
export function findSshBinary(env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '/usr/bin:/bin').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, 'ssh');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export interface OpenSshQuery {
  readonly alias: string;
  readonly user?: string;
  readonly port?: number;
  /** `-F`: a file instead of ~/.ssh/config and /etc/ssh/ssh_config; null → `-F none` (no file at all). */
  readonly configFile?: string | null;
}

/** Parse `ssh -G` output: one `keyword value` per line; repeated keywords (identityfile) collect in order. */
export function parseSshG(text: string): ConfigValues {
  const values: Record<string, string[]> = {};
  for (const line of text.split('\n')) {
    const m = /^(\S+)\s+(.*)$/.exec(line.trim());
    if (!m) continue;
    (values[m[1].toLowerCase()] ??= []).push(m[2]);
  }
  const out: ConfigValues = {};
  for (const [k, v] of Object.entries(values)) out[k] = v.length === 1 ? v[0] : v;
  // What -G prints for settings nobody configured, which sshConfig.ts reads as "not set" (pcx's own defaults).
  if (out.connecttimeout === 'none') delete out.connecttimeout;
  if (out.serveraliveinterval === '0') delete out.serveraliveinterval;
  if (out.proxyjump === 'none') delete out.proxyjump;
  if (out.proxycommand === 'none') delete out.proxycommand;
  const identities = out.identityfile === undefined ? [] : Array.isArray(out.identityfile) ? out.identityfile : [out.identityfile];
  if (identities.length > 0 && identities.every((f) => /^~\/\.ssh\/[^/]+$/.test(f) && DEFAULT_IDENTITY_NAMES.has(f.slice(7)))) delete out.identityfile;
  return out;
}

/** The configuration `ssh` would use for one host. Throws 'ssh-config' with ssh's own complaint when it refuses the config. */
export function openSshLookup(ssh: string, q: OpenSshQuery): ConfigValues {
  const argv = ['-G'];
  if (q.configFile !== undefined) argv.push('-F', q.configFile ?? 'none');
  if (q.user !== undefined) argv.push('-l', q.user);
  if (q.port !== undefined) argv.push('-p', String(q.port));
  // `--` so that a host spelled like an option can never become one.
  argv.push('--', q.alias);
  try {
    return parseSshG(execFileSync(ssh, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000 }));
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string; signal?: string };
    const why = (err.stderr ?? '').split('\n').map((l) => l.trim()).filter((l) => l && !/^Pseudo-terminal/.test(l)).join(' / ') || err.message;
    throw new PcxFailure(
      'ssh-config',
      `ssh -G ${q.alias} refused the ssh configuration${q.configFile ? ` (${q.configFile})` : ''}: ${why}`,
      'Fix the line ssh names (run the same ssh -G to check); pcx reads ssh_config exactly as ssh does.',
      q.alias,
    );
  }
}
