/**
 * Resolving a host the way `ssh` would: the caller's explicit settings win, then ssh_config, then OpenSSH's
 * defaults. Where the machine has OpenSSH, ssh_config is read by `ssh -G` itself (openssh.ts: Include, Match,
 * /etc/ssh/ssh_config, tokens — exactly as ssh does). Only without an `ssh` binary is it parsed here, by the
 * maintained `ssh-config` package plus what it does not do: `Include` (relative to ~/.ssh, or /etc/ssh for the
 * system file; globs in any path part; inside a Host/Match block it stays conditional, as in ssh), the system
 * file after the user's, `~` and the common `%` tokens, and ProxyJump lists. There, `Match exec` is never run
 * and `Match host` compares the alias only (the package's rule).
 */
import type SSHConfigModule from 'ssh-config' with { 'resolution-mode': 'import' };
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { PcxFailure } from '../util/result';
import { findSshBinary, openSshLookup, type ConfigValues } from './openssh';

// ssh-config ships CommonJS (dist/) beside ESM (lib/) but types only the ESM build, so TypeScript in this
// CommonJS project refuses a plain import; the require below loads the CommonJS build it types — on first use,
// since with OpenSSH present it is never needed (a file of its own in the bundles: scripts/build.mjs).
let sshConfigModule: typeof SSHConfigModule | undefined;
function sshConfigParser(): typeof SSHConfigModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (sshConfigModule ??= (require('ssh-config') as { default: typeof SSHConfigModule }).default);
}
type SSHConfig = SSHConfigModule;

/** What a caller knows about a host; anything left out comes from ssh_config or the defaults. */
export interface SshTarget {
  /** An ssh_config alias, a host name or an address, optionally `user@host` or `host:port`. */
  readonly host: string;
  readonly user?: string;
  readonly port?: number;
  /** Used instead of the IdentityFile lines of ssh_config. */
  readonly identityFile?: string;
  /** ssh_config to read instead of ~/.ssh/config; `null` reads none. */
  readonly sshConfigPath?: string | null;
  /** known_hosts to use instead of ssh_config's UserKnownHostsFile / ~/.ssh/known_hosts. */
  readonly knownHostsPath?: string;
}

/** One hop of a ProxyJump chain, already resolved through ssh_config itself. */
export interface ResolvedHost {
  /** What the user typed (alias); used in every message. */
  readonly alias: string;
  /** Where to connect (ssh_config HostName, else the alias). */
  readonly hostName: string;
  readonly port: number;
  readonly user: string;
  /** Key files to offer, in order; `explicitIdentities` says whether they came from the user or are defaults. */
  readonly identityFiles: readonly string[];
  readonly explicitIdentities: boolean;
  /** IdentitiesOnly yes: offer only the files above, not every key in the agent. */
  readonly identitiesOnly: boolean;
  /** Agent socket to use, or undefined for none. */
  readonly agentSocket?: string;
  /** known_hosts files to read; the first one is where an accepted key is written. */
  readonly userKnownHostsFiles: readonly string[];
  readonly globalKnownHostsFiles: readonly string[];
  /** Name looked up in known_hosts (HostKeyAlias, else HostName). */
  readonly hostKeyName: string;
  /** Port of that name in known_hosts: HostKeyAlias replaces host and port (OpenSSH writes the alias bare). */
  readonly hostKeyPort: number;
  readonly hashKnownHosts: boolean;
  readonly connectTimeoutMs?: number;
  readonly serverAliveIntervalMs?: number;
  readonly serverAliveCountMax?: number;
  /** Jump hosts, outermost first. */
  readonly jumps: readonly ResolvedHost[];
}

export interface ResolveEnv {
  readonly home?: string;
  readonly localUser?: string;
  /** Process environment (SSH_AUTH_SOCK, PATH). */
  readonly env?: NodeJS.ProcessEnv;
  /** The ssh program whose `ssh -G` resolves ssh_config; default `ssh` on PATH; null: the built-in parser. */
  readonly sshBinary?: string | null;
}

const DEFAULT_IDENTITIES = ['id_rsa', 'id_ecdsa', 'id_ecdsa_sk', 'id_ed25519', 'id_ed25519_sk', 'id_dsa'];
const MAX_INCLUDE_DEPTH = 16;
const MAX_JUMPS = 8;

/** Split `user@host:port` (or `[v6]:port`) the way ProxyJump and `ssh` destinations are written. */
export function parseDestination(spec: string): { user?: string; host: string; port?: number } {
  let rest = spec.trim();
  let user: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at > 0) {
    user = rest.slice(0, at);
    rest = rest.slice(at + 1);
  }
  let port: number | undefined;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(rest);
  if (bracketed) {
    rest = bracketed[1];
    if (bracketed[2]) port = Number(bracketed[2]);
  } else {
    const m = /^([^:]+):(\d+)$/.exec(rest);
    if (m) {
      rest = m[1];
      port = Number(m[2]);
    }
  }
  if (!rest) throw new PcxFailure('bad-host', `"${spec}" names no host`, 'Write a host as host, user@host or host:port.');
  if (port !== undefined && !(port > 0 && port < 65536)) {
    throw new PcxFailure('bad-host', `"${spec}" has an invalid port`, 'Ports are 1–65535.');
  }
  return { user, host: rest, port };
}

function expandHome(p: string, home: string): string {
  if (p === '~') return home;
  if (p.startsWith('~/')) return join(home, p.slice(2));
  return p;
}

/** The ssh_config(5) TOKENS we support; unknown ones are left as they are. */
function expandTokens(value: string, t: { h: string; p: number; r: string; u: string; n: string; d: string }): string {
  return value.replace(/%([%hprund])/g, (_, c: string) => (c === '%' ? '%' : String(t[c as keyof typeof t])));
}

function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

/** Every existing path matching `pattern`, with `*`/`?` in any of its parts (ssh uses glob(3)), sorted. */
function expandGlob(pattern: string): string[] {
  if (!/[*?]/.test(pattern)) return [pattern];
  const parts = pattern.split('/');
  let paths = [parts[0] === '' ? '/' : parts[0]];
  for (const part of parts.slice(1)) {
    if (part === '') continue;
    if (!/[*?]/.test(part)) {
      paths = paths.map((p) => join(p, part));
      continue;
    }
    const re = globToRegExp(part);
    paths = paths.flatMap((dir) => {
      try {
        return readdirSync(dir).filter((f) => re.test(f) && !(f.startsWith('.') && !part.startsWith('.'))).sort().map((f) => join(dir, f));
      } catch {
        return [];
      }
    });
  }
  return paths.filter((p) => existsSync(p));
}

/**
 * Inline `Include` lines (ssh-config parses but does not follow them), relative ones from `base` (~/.ssh, or
 * /etc/ssh for the system file). An Include inside a Host or Match block is conditional in ssh, and the lines
 * after it still belong to that block: the block's header is repeated after the included text, so a Host line
 * in the included file cannot capture them.
 */
function loadConfigText(file: string, home: string, base: string, depth = 0): string {
  if (depth > MAX_INCLUDE_DEPTH) {
    throw new PcxFailure('ssh-config', `${file}: Include nested more than ${MAX_INCLUDE_DEPTH} deep`, 'Look for an Include loop.');
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw new PcxFailure('ssh-config', `cannot read ${file}: ${(e as Error).message}`, 'Check the file permissions.');
  }
  let block: string | undefined;
  return text
    .split(/\r?\n/)
    .map((line) => {
      if (/^\s*(host|match)\s*[=\s]/i.test(line)) block = line.trim();
      const m = /^\s*include\s*[=\s]\s*(.+?)\s*$/i.exec(line);
      if (!m) return line;
      const parts = m[1].split(/\s+/).map((p) => p.replace(/^"(.*)"$/, '$1'));
      const chunks: string[] = [];
      for (const part of parts) {
        const expanded = expandHome(part, home);
        const pattern = isAbsolute(expanded) ? expanded : join(base, expanded);
        for (const f of expandGlob(pattern)) chunks.push(loadConfigText(f, home, base, depth + 1));
      }
      if (block !== undefined) chunks.push(block);
      return chunks.join('\n');
    })
    .join('\n');
}

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
function all(v: string | string[] | undefined): string[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}
function yes(v: string | string[] | undefined): boolean {
  return /^(yes|true)$/i.test(first(v) ?? '');
}
function seconds(v: string | string[] | undefined): number | undefined {
  const s = first(v);
  if (s === undefined || !/^\d+$/.test(s)) return undefined;
  return Number(s) * 1000;
}

/** The system-wide file ssh reads after the user's (unless -F names a file). */
export const SYSTEM_SSH_CONFIG = '/etc/ssh/ssh_config';

/** Parsed ~/.ssh/config then /etc/ssh/ssh_config (as ssh reads them: first value wins), or just `path`. */
export function loadSshConfig(path: string | null | undefined, home: string, systemFile: string | null = SYSTEM_SSH_CONFIG): SSHConfig {
  const file = path === undefined ? join(home, '.ssh', 'config') : path;
  if (file === null) return sshConfigParser().parse('');
  try {
    const system = path === undefined && systemFile ? `\nHost *\n${loadConfigText(systemFile, home, '/etc/ssh')}` : '';
    return sshConfigParser().parse(loadConfigText(file, home, join(home, '.ssh')) + system);
  } catch (e) {
    if (e instanceof PcxFailure) throw e;
    throw new PcxFailure('ssh-config', `${file} could not be parsed: ${(e as Error).message}`, 'Fix the line `ssh -G <host>` complains about.');
  }
}

/** The account's own home (passwd), which is where ssh looks, whatever HOME says. */
function accountHome(): string | undefined {
  try {
    return userInfo().homedir;
  } catch {
    return undefined;
  }
}

/**
 * Resolve `target` into everything needed to connect: address, port, user, keys, known_hosts files and the
 * ProxyJump chain (each jump resolved through the same ssh_config, as `ssh` does).
 */
export function resolveHost(target: SshTarget, renv: ResolveEnv = {}): ResolvedHost {
  const home = renv.home ?? homedir();
  const env = renv.env ?? process.env;
  const localUser = renv.localUser ?? userInfo().username;
  const ssh = renv.sshBinary === undefined ? findSshBinary(env) : (renv.sshBinary ?? undefined);
  let lookup: Lookup;
  if (ssh) {
    // -F for an explicit file (none when it does not exist, as the parser reads it as empty); a HOME other than
    // the account's (tests) names that home's config, since ssh reads the account's own.
    // (HOME set to another directory than the account's — a test, a sandbox, `sudo -H` — counts as "another home".)
    const otherHome = renv.home !== undefined || home !== accountHome();
    let configFile: string | null | undefined = target.sshConfigPath !== undefined ? target.sshConfigPath : otherHome ? join(home, '.ssh', 'config') : undefined;
    if (typeof configFile === 'string' && !existsSync(configFile)) configFile = null;
    lookup = (alias, user, port) => openSshLookup(ssh, { alias, user, port, configFile });
  } else {
    const config = loadSshConfig(target.sshConfigPath, home);
    lookup = (alias, user) => config.compute(user ? { Host: alias, User: user } : { Host: alias }, { ignoreCase: true, matchExec: false }) as ConfigValues;
  }
  return resolveWith(lookup, target, { home, env, localUser }, 0);
}

/** ssh_config values for a host, by either reader. */
type Lookup = (alias: string, user: string | undefined, port: number | undefined) => ConfigValues;

function configuredPort(value: string | undefined, alias: string): number | undefined {
  if (value === undefined) return undefined;
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(n > 0 && n < 65536)) {
    throw new PcxFailure('ssh-config', `ssh_config sets Port "${value}" for ${alias}, which is not a port number`, 'Ports are 1–65535: fix the Port line (ssh -G shows what ssh makes of it).', alias);
  }
  return n;
}

function resolveWith(
  lookup: Lookup,
  target: SshTarget,
  ctx: { home: string; env: NodeJS.ProcessEnv; localUser: string },
  depth: number,
): ResolvedHost {
  const dest = parseDestination(target.host);
  const alias = dest.host;
  const wantedUser = target.user ?? dest.user;
  const wantedPort = target.port ?? dest.port;
  const c = lookup(alias, wantedUser, wantedPort);

  const port = wantedPort ?? configuredPort(first(c.port), alias) ?? 22;
  const user = wantedUser ?? first(c.user) ?? ctx.localUser;
  const rawHostName = first(c.hostname) ?? alias;
  const hostName = expandTokens(rawHostName, { h: alias, p: port, r: user, u: ctx.localUser, n: alias, d: ctx.home });
  const tokens = { h: hostName, p: port, r: user, u: ctx.localUser, n: alias, d: ctx.home };
  const pathOf = (p: string) => expandHome(expandTokens(p, tokens), ctx.home);

  const configured = all(c.identityfile).map(pathOf);
  const explicitIdentities = target.identityFile !== undefined || configured.length > 0;
  const identityFiles = target.identityFile !== undefined
    ? [expandHome(target.identityFile, ctx.home)]
    : configured.length > 0
      ? configured
      : DEFAULT_IDENTITIES.map((n) => join(ctx.home, '.ssh', n));

  const identityAgent = first(c.identityagent);
  let agentSocket: string | undefined;
  if (identityAgent === undefined || identityAgent === 'SSH_AUTH_SOCK') agentSocket = ctx.env.SSH_AUTH_SOCK || undefined;
  else if (identityAgent.toLowerCase() !== 'none') agentSocket = pathOf(identityAgent.replace(/^\$\{?SSH_AUTH_SOCK\}?$/, ctx.env.SSH_AUTH_SOCK ?? ''));

  const userKnownHostsFiles = target.knownHostsPath
    ? [expandHome(target.knownHostsPath, ctx.home)]
    : all(c.userknownhostsfile).flatMap((v) => v.split(/\s+/)).filter(Boolean).map(pathOf);
  const knownFiles = userKnownHostsFiles.length > 0
    ? userKnownHostsFiles
    : [join(ctx.home, '.ssh', 'known_hosts'), join(ctx.home, '.ssh', 'known_hosts2')];
  const globalKnownHostsFiles = target.knownHostsPath
    ? []
    : all(c.globalknownhostsfile).flatMap((v) => v.split(/\s+/)).filter(Boolean).map(pathOf);

  const jumps: ResolvedHost[] = [];
  const proxyJump = first(c.proxyjump);
  if (proxyJump && proxyJump.toLowerCase() !== 'none') {
    if (depth >= MAX_JUMPS) {
      throw new PcxFailure('ssh-config', `ProxyJump for ${alias} nests more than ${MAX_JUMPS} hops`, 'Look for a ProxyJump loop in ssh_config.');
    }
    for (const hop of proxyJump.split(',')) {
      // A jump host gets its own ssh_config settings, but the same known_hosts override as its target.
      const resolved = resolveWith(lookup, { host: hop.trim(), knownHostsPath: target.knownHostsPath }, ctx, depth + 1);
      // A jump's own ProxyJump chain comes first (ssh does the same).
      jumps.push(...resolved.jumps, { ...resolved, jumps: [] });
    }
  }
  if (first(c.proxycommand) && jumps.length === 0 && first(c.proxycommand)!.toLowerCase() !== 'none') {
    throw new PcxFailure(
      'ssh-config',
      `ssh_config sets a ProxyCommand for ${alias}, which pcx does not run`,
      'Use ProxyJump instead (ssh -J); pcx supports it directly.',
      alias,
    );
  }

  return {
    alias,
    hostName,
    port,
    user,
    identityFiles,
    explicitIdentities,
    identitiesOnly: yes(c.identitiesonly),
    agentSocket,
    userKnownHostsFiles: knownFiles,
    globalKnownHostsFiles: globalKnownHostsFiles.length > 0 || target.knownHostsPath
      ? globalKnownHostsFiles
      : ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2'],
    hostKeyName: first(c.hostkeyalias) ?? hostName,
    hostKeyPort: first(c.hostkeyalias) ? 22 : port,
    hashKnownHosts: yes(c.hashknownhosts),
    connectTimeoutMs: seconds(c.connecttimeout),
    serverAliveIntervalMs: seconds(c.serveraliveinterval),
    serverAliveCountMax: first(c.serveralivecountmax) ? Number(first(c.serveralivecountmax)) : undefined,
    jumps,
  };
}
