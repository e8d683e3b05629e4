/**
 * `pcx status`: the cluster at a glance, from a live cluster over SSH (--host / --cluster) or from
 * saved XML (--file crm_mon.xml [--cib cib.xml]). Text tree by default, the documented JSON form
 * with --json (docs/status-json.md). Exit codes: 0 healthy, 1 degraded, 2 could not get status.
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { DEFAULT_CLUSTERS_FILE, loadClusterDefinitions, targetFor } from '../../core/cluster/clusterConfig';
import { parseCib } from '../../core/cluster/cib';
import { parseCrmMon } from '../../core/cluster/crmMon';
import { assessHealth } from '../../core/cluster/health';
import { fetchClusterXml, parseClusterXml, type ClusterTarget } from '../../core/cluster/live';
import { buildSnapshot } from '../../core/cluster/snapshot';
import { STATUS_JSON_SCHEMA_VERSION, toStatusJson } from '../../core/cluster/statusJson';
import { renderStatusText } from '../../core/cluster/statusText';
import type { CibConfig, CrmMonStatus } from '../../core/cluster/types';
import { quoteArgv } from '../../core/remote/shellQuote';
import type { PassphraseCallback } from '../../core/ssh/auth';
import type { HostKeyPolicy, UnknownHostKey } from '../../core/ssh/connection';
import { keyTypeLabel } from '../../core/ssh/knownHosts';
import { describeError, PcxFailure, type PcxError } from '../../core/util/result';

export const EXIT_HEALTHY = 0;
export const EXIT_DEGRADED = 1;
export const EXIT_NO_STATUS = 2;

const USAGE = `usage: pcx status [source] [options]

Show nodes, resources with their role on each node, where the virtual IPs are, failed actions
and leftover move/ban constraints, each with what to do, and a verdict.

source (one of):
  --host H            a cluster node (ssh_config alias or address); repeat for fallbacks
  --cluster NAME      a cluster from .pacemaker/clusters.json (or --clusters FILE)
  --file FILE         saved \`crm_mon -1 --output-as=xml\` output (use - for stdin)
    --cib FILE        with --file: saved \`cibadmin -Q\` output, for VIP addresses, definitions
                      and leftover constraints

options:
  --clusters FILE     cluster definitions file (default: .pacemaker/clusters.json)
  --ssh-config FILE   ssh_config to use instead of ~/.ssh/config
  --known-hosts FILE  known_hosts to use instead of ~/.ssh/known_hosts
  --user U, --port N, --identity FILE   how to log in (with --cluster: instead of the definition's)
  --sudo              run the cluster tools through \`sudo -n\` (non-root admins; see docs/connections.md)
  --accept-new-host-key  trust a node whose host key is not in known_hosts yet: print its SHA256
                      fingerprint and save it (a CHANGED key is always refused)
  --json              the documented JSON form (docs/status-json.md)
  --no-color          no colours (also when NO_COLOR is set or output is not a terminal)

exit codes: 0 healthy, 1 degraded, 2 could not get status`;

interface StatusArgs {
  file?: string;
  cib?: string;
  hosts: string[];
  cluster?: string;
  clustersFile?: string;
  sshConfig?: string;
  knownHosts?: string;
  user?: string;
  port?: number;
  identity?: string;
  sudo: boolean;
  acceptNewHostKey: boolean;
  json: boolean;
  noColor: boolean;
  help: boolean;
}

function usageError(message: string): PcxError {
  return { code: 'usage', message, hint: 'see `pcx status --help`' };
}

export function parseStatusArgs(args: readonly string[]): { ok: true; value: StatusArgs } | { ok: false; error: PcxError } {
  const a: StatusArgs = { hosts: [], sudo: false, acceptNewHostKey: false, json: false, noColor: false, help: false };
  for (let i = 0; i < args.length; i++) {
    const raw = args[i]!;
    const eq = raw.startsWith('--') ? raw.indexOf('=') : -1;
    const flag = eq > 0 ? raw.slice(0, eq) : raw;
    const inline = eq > 0 ? raw.slice(eq + 1) : undefined;
    const value = (): string | undefined => {
      if (inline !== undefined) return inline;
      const v = args[i + 1];
      if (v === undefined || (v.startsWith('--') && v !== '-')) return undefined;
      i++;
      return v;
    };
    const need = (): string => {
      const v = value();
      if (v === undefined || v === '') throw usageError(`${flag} needs a value`);
      return v;
    };
    try {
      switch (flag) {
        case '--file': case '-f': a.file = need(); break;
        case '--cib': a.cib = need(); break;
        case '--host': case '-H': a.hosts.push(need()); break;
        case '--cluster': case '-c': a.cluster = need(); break;
        case '--clusters': a.clustersFile = need(); break;
        case '--ssh-config': a.sshConfig = need(); break;
        case '--known-hosts': a.knownHosts = need(); break;
        case '--user': a.user = need(); break;
        case '--identity': a.identity = need(); break;
        case '--port': {
          const v = need();
          const n = Number(v);
          if (!Number.isInteger(n) || n < 1 || n > 65535) throw usageError(`--port: not a port number: ${v}`);
          a.port = n;
          break;
        }
        case '--sudo': a.sudo = true; break;
        case '--accept-new-host-key': a.acceptNewHostKey = true; break;
        case '--json': a.json = true; break;
        case '--no-color': case '--no-colour': a.noColor = true; break;
        case '--help': case '-h': a.help = true; break;
        default:
          throw usageError(raw.startsWith('-') ? `unknown option ${flag}` : `unexpected argument ${JSON.stringify(raw)}`);
      }
    } catch (e) {
      return { ok: false, error: e as PcxError };
    }
  }
  const sources = [a.file !== undefined, a.hosts.length > 0, a.cluster !== undefined].filter(Boolean).length;
  if (!a.help && sources === 0) return { ok: false, error: usageError('say where to read the status from: --host H, --cluster NAME or --file FILE') };
  if (sources > 1) return { ok: false, error: usageError('use only one of --host, --cluster and --file') };
  if (a.cib !== undefined && a.file === undefined) return { ok: false, error: usageError('--cib goes with --file (live status reads the CIB itself)') };
  if (a.file !== undefined && (a.acceptNewHostKey || a.sudo)) return { ok: false, error: usageError(`${a.sudo ? '--sudo' : '--accept-new-host-key'} is for a live cluster (--host or --cluster), not --file`) };
  return { ok: true, value: a };
}

async function readInput(file: string, what: string): Promise<string> {
  try {
    if (file === '-') {
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(c as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    }
    return await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new PcxFailure(
      code === 'ENOENT' ? 'file-missing' : 'file-unreadable',
      code === 'ENOENT' ? `${what} file not found: ${file}` : `cannot read ${what} file ${file}: ${(e as Error).message}`,
      code === 'ENOENT' ? 'check the path' : 'check that it is a readable file',
    );
  }
}

function unwrap<T>(r: { ok: true; value: T } | { ok: false; error: PcxError }, where: string): T {
  if (r.ok) return r.value;
  throw new PcxFailure(r.error.code, `${where}: ${r.error.message}`, r.error.hint, r.error.host);
}

/**
 * --accept-new-host-key: say which key is being trusted (host, type, SHA256 fingerprint, file) on stderr, then
 * save it. A host already known with a key of another type presenting a new type is refused: that is how a
 * changed key can look, and the flag is only for hosts never seen before.
 */
export function acceptNewHostKeyPolicy(write: (line: string) => void): HostKeyPolicy {
  return (key: UnknownHostKey) => {
    if (key.otherKnownTypes.length > 0) {
      throw new PcxFailure(
        'host-key-unknown',
        `known_hosts (${key.knownHostsFile}) holds ${key.otherKnownTypes.map(keyTypeLabel).join('/')} host key(s) for ${key.knownHostsName}, but the host now presents an unknown ${keyTypeLabel(key.keyType)} key ${key.fingerprint}; --accept-new-host-key only trusts hosts never seen before`,
        `Verify the new key on the host (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub); if it is right, remove the old entry with ${quoteArgv(['ssh-keygen', '-R', key.knownHostsName, '-f', key.knownHostsFile])} and run again.`,
        key.host,
      );
    }
    const where = key.knownHostsName === key.host ? key.host : `${key.host} (${key.knownHostsName})`;
    write(`pcx status: ${where} is not in known_hosts; trusting its ${keyTypeLabel(key.keyType)} host key ${key.fingerprint} (--accept-new-host-key) and saving it to ${key.knownHostsFile}\n`);
    return 'accept-and-save';
  };
}

/**
 * Read a line from a terminal without echoing it (for a key's passphrase). Backspace and Ctrl-U edit, Enter
 * ends, Ctrl-D on an empty line gives up (undefined: the key is skipped), Ctrl-C interrupts pcx as usual.
 * The text lives only in this closure and the caller's hands; it is never written anywhere.
 */
export function readHidden(prompt: string, input: NodeJS.ReadStream, output: NodeJS.WritableStream): Promise<string | undefined> {
  return new Promise((resolve) => {
    let text = '';
    const wasRaw = input.isRaw === true;
    output.write(prompt);
    input.setRawMode?.(true);
    input.setEncoding('utf8');
    const done = (value: string | undefined, interrupted = false): void => {
      input.removeListener('data', onData);
      input.setRawMode?.(wasRaw);
      input.pause();
      output.write('\n');
      if (interrupted) process.kill(process.pid, 'SIGINT');
      resolve(value);
    };
    const onData = (chunk: string): void => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done(text);
        if (ch === '\u0003') return done(undefined, true);
        if (ch === '\u0004') {
          if (text === '') return done(undefined);
          continue;
        }
        if (ch === '\u007f' || ch === '\b') text = text.slice(0, -1);
        else if (ch === '\u0015') text = '';
        else if (ch >= ' ') text += ch;
      }
    };
    input.on('data', onData);
    input.resume();
  });
}

/** Asks on the terminal for a key's passphrase; undefined (no prompt at all) when stdin is not a terminal. */
function terminalPassphrase(): PassphraseCallback | undefined {
  if (!process.stdin.isTTY) return undefined;
  return ({ keyFile, host, attempt }) =>
    readHidden(`${attempt > 1 ? 'Wrong passphrase, try again. ' : ''}Enter passphrase for key '${keyFile}' (logging in to ${host}): `, process.stdin, process.stderr);
}

async function gather(a: StatusArgs, argv: readonly string[]): Promise<{ crmMon: CrmMonStatus; cib?: CibConfig; source: string }> {
  if (a.file !== undefined) {
    const crmMon = unwrap(parseCrmMon(await readInput(a.file, 'crm_mon XML')), a.file === '-' ? 'stdin' : a.file);
    const cib = a.cib !== undefined ? unwrap(parseCib(await readInput(a.cib, 'CIB')), a.cib) : undefined;
    return { crmMon, cib, source: a.file === '-' ? 'stdin' : path.basename(a.file) };
  }
  let target: ClusterTarget;
  const overrides = { sshConfigPath: a.sshConfig, knownHostsPath: a.knownHosts };
  if (a.cluster !== undefined) {
    const file = a.clustersFile ?? DEFAULT_CLUSTERS_FILE;
    const defs = unwrap(await loadClusterDefinitions(file), 'cluster definitions');
    const defined = unwrap(targetFor(defs, a.cluster, overrides), 'cluster definitions');
    // What the user typed wins over the definition (e.g. trying another login without editing the file).
    target = {
      ...defined,
      user: a.user ?? defined.user,
      port: a.port ?? defined.port,
      identityFile: a.identity ?? defined.identityFile,
      sudo: a.sudo || defined.sudo,
    };
  } else {
    target = { hosts: a.hosts, user: a.user, port: a.port, identityFile: a.identity, sudo: a.sudo || undefined, ...overrides };
  }
  let xml: Awaited<ReturnType<typeof fetchClusterXml>>;
  try {
    xml = await fetchClusterXml(target, {
      hostKeyPolicy: a.acceptNewHostKey ? acceptNewHostKeyPolicy((line) => process.stderr.write(line)) : undefined,
      passphrase: terminalPassphrase(),
    });
  } catch (e) {
    // Name the exact command that accepts the key, not a generic "pcx …".
    if (e instanceof PcxFailure && e.code === 'host-key-unknown' && e.hint?.includes('pcx … --accept-new-host-key')) {
      const again = quoteArgv(['pcx', 'status', ...argv, '--accept-new-host-key']);
      throw new PcxFailure(e.code, e.message, e.hint.replace('pcx … --accept-new-host-key', again), e.host);
    }
    throw e;
  }
  // Hosts that did not answer before one did: the read worked, but the user should know (stderr, not the report).
  for (const s of xml.skipped ?? []) process.stderr.write(`pcx status: warning: skipped ${s.host ?? '?'}: ${s.message}\n`);
  const { crmMon, cib, cibProblem } = unwrap(parseClusterXml(xml), `${xml.host}: crm_mon`);
  // A bad CIB does not hide the runtime status: crm_mon-only, and said on stderr.
  if (cibProblem) process.stderr.write(`pcx status: ${xml.host}: CIB ignored: ${cibProblem.message}\n`);
  return { crmMon, cib, source: xml.host };
}

function fail(e: PcxError, json: boolean): number {
  if (json) {
    process.stdout.write(JSON.stringify({ schemaVersion: STATUS_JSON_SCHEMA_VERSION, error: { code: e.code, message: e.message, hint: e.hint ?? null, host: e.host ?? null } }, null, 2) + '\n');
  }
  process.stderr.write(`pcx status: ${describeError(e)}\n`);
  return EXIT_NO_STATUS;
}

export async function run(args: string[]): Promise<number> {
  const parsed = parseStatusArgs(args);
  if (!parsed.ok) {
    process.stderr.write(`pcx status: ${describeError(parsed.error)}\n\n${USAGE}\n`);
    return EXIT_NO_STATUS;
  }
  const a = parsed.value;
  if (a.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  let gathered: Awaited<ReturnType<typeof gather>>;
  try {
    gathered = await gather(a, args);
  } catch (e) {
    if (e instanceof PcxFailure) return fail(e, a.json);
    throw e;
  }
  const snapshot = buildSnapshot(gathered.crmMon, gathered.cib, { source: gathered.source });
  const health = assessHealth(snapshot);
  if (a.json) {
    process.stdout.write(JSON.stringify(toStatusJson(snapshot, health), null, 2) + '\n');
  } else {
    const color = !a.noColor && !process.env['NO_COLOR'] && process.stdout.isTTY === true;
    process.stdout.write(renderStatusText(snapshot, health, { color }));
  }
  return health.verdict === 'healthy' ? EXIT_HEALTHY : EXIT_DEGRADED;
}
