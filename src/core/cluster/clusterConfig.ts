/**
 * Named cluster definitions, kept in a workspace file `.pacemaker/clusters.json` (or any file
 * given with `--clusters`):
 *
 *   { "clusters": [ { "name": "redis-ha", "hosts": ["node1", "node2"], "user": "admin",
 *                     "port": 22, "identityFile": "~/.ssh/id_ed25519", "sudo": true } ] }
 *
 * `hosts` are ssh_config aliases or addresses, tried in order. No secrets: passwords and
 * passphrases are refused (keys come from files or the agent). Validation is strict and says
 * where the problem is (`clusters[1].hosts[0]`), because this file is written by hand.
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { err, ok, type Result } from '../util/result';
import type { ClusterTarget } from './live';

export interface ClusterDefinition {
  readonly name: string;
  readonly hosts: readonly string[];
  readonly user?: string;
  readonly port?: number;
  readonly identityFile?: string;
  readonly sudo?: boolean;
}

export interface ClusterDefinitions {
  readonly clusters: readonly ClusterDefinition[];
  /** The file they came from (for messages). */
  readonly file?: string;
}

export const DEFAULT_CLUSTERS_FILE = path.join('.pacemaker', 'clusters.json');

const SECRET_KEYS = ['password', 'passphrase', 'passwd', 'secret', 'privateKey', 'key'];
const KNOWN_KEYS = ['name', 'hosts', 'user', 'port', 'identityFile', 'sudo'];

export const MAX_CLUSTER_NAME_LENGTH = 64;

/**
 * Why a cluster name can't be used, or undefined when it can. A name is a tree label, a `--cluster`
 * argument and a path segment of the XML documents: no control characters (a newline would split
 * a label or a log line), no leading `-` (it would read as an option), at most 64 characters.
 * Everything else (spaces, `%`, `/`, non-ASCII) is allowed and encoded where a URI needs it.
 */
export function clusterNameProblem(name: string): string | undefined {
  const n = name.trim();
  if (n === '') return 'missing or empty';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/.test(n)) return `contains a control character (${JSON.stringify(n)}): use printable characters only`;
  if (n.startsWith('-')) return `starts with "-" (${JSON.stringify(n)}), which reads as an option on the pcx command line`;
  if ([...n].length > MAX_CLUSTER_NAME_LENGTH) return `longer than ${MAX_CLUSTER_NAME_LENGTH} characters`;
  return undefined;
}

/** Validate parsed JSON as cluster definitions. */
export function parseClusterDefinitions(data: unknown, file = 'clusters.json'): Result<ClusterDefinitions> {
  const bad = (where: string, what: string, hint?: string) =>
    err({ code: 'clusters-invalid' as const, message: `${file}: ${where}: ${what}`, hint: hint ?? 'expected { "clusters": [ { "name": "…", "hosts": ["node1", "node2"] } ] }' });
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return bad('top level', 'not a JSON object');
  const list = (data as Record<string, unknown>)['clusters'];
  if (!Array.isArray(list)) return bad('"clusters"', 'missing or not an array');
  const clusters: ClusterDefinition[] = [];
  const names = new Set<string>();
  for (const [i, raw] of list.entries()) {
    const at = `clusters[${i}]`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return bad(at, 'not an object');
    const c = raw as Record<string, unknown>;
    for (const k of Object.keys(c)) {
      if (SECRET_KEYS.includes(k)) {
        return bad(`${at}.${k}`, 'secrets do not belong in this file', 'remove it: use an SSH key (identityFile) or the ssh-agent; passphrase-protected keys are unlocked by the agent');
      }
      if (!KNOWN_KEYS.includes(k)) return bad(`${at}.${k}`, `unknown setting (known: ${KNOWN_KEYS.join(', ')})`);
    }
    if (typeof c['name'] !== 'string') return bad(`${at}.name`, 'missing or not a string');
    const nameProblem = clusterNameProblem(c['name']);
    if (nameProblem) return bad(`${at}.name`, nameProblem, 'give the cluster a short printable name, e.g. "redis-ha"');
    const name = c['name'].trim();
    if (names.has(name)) return bad(`${at}.name`, `duplicate cluster name "${name}"`);
    names.add(name);
    const hosts = c['hosts'];
    if (!Array.isArray(hosts) || hosts.length === 0) return bad(`${at}.hosts`, 'must be a non-empty array of host names');
    for (const [j, h] of hosts.entries()) {
      if (typeof h !== 'string' || h.trim() === '' || /\s/.test(h.trim()) || h.trim().startsWith('-')) {
        return bad(`${at}.hosts[${j}]`, `not a host name: ${JSON.stringify(h)}`);
      }
    }
    if (c['user'] !== undefined && (typeof c['user'] !== 'string' || c['user'] === '')) return bad(`${at}.user`, 'must be a non-empty string');
    if (c['port'] !== undefined && (typeof c['port'] !== 'number' || !Number.isInteger(c['port']) || c['port'] < 1 || c['port'] > 65535)) {
      return bad(`${at}.port`, 'must be an integer from 1 to 65535');
    }
    if (c['identityFile'] !== undefined && (typeof c['identityFile'] !== 'string' || c['identityFile'] === '')) return bad(`${at}.identityFile`, 'must be a path');
    if (c['sudo'] !== undefined && typeof c['sudo'] !== 'boolean') return bad(`${at}.sudo`, 'must be true or false');
    clusters.push({
      name,
      hosts: (hosts as string[]).map((h) => h.trim()),
      user: c['user'] as string | undefined,
      port: c['port'] as number | undefined,
      identityFile: c['identityFile'] as string | undefined,
      sudo: c['sudo'] as boolean | undefined,
    });
  }
  return ok({ clusters, file });
}

/** Read and validate a clusters file. */
export async function loadClusterDefinitions(file: string): Promise<Result<ClusterDefinitions>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return err({
      code: code === 'ENOENT' ? 'clusters-file-missing' : 'clusters-file-unreadable',
      message: code === 'ENOENT' ? `no cluster definitions: ${file} does not exist` : `cannot read ${file}: ${(e as Error).message}`,
      hint: code === 'ENOENT'
        ? `create it with { "clusters": [ { "name": "mycluster", "hosts": ["node1", "node2"] } ] }, pass --clusters FILE, or use --host`
        : 'check the file permissions',
    });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return err({ code: 'clusters-invalid' as const, message: `${file} is not valid JSON: ${(e as Error).message}`, hint: 'fix the JSON syntax (no comments or trailing commas)' });
  }
  return parseClusterDefinitions(data, file);
}

/** The target for a named cluster, with the caller's ssh_config/known_hosts overrides. */
export function targetFor(
  defs: ClusterDefinitions,
  name: string,
  overrides: { sshConfigPath?: string; knownHostsPath?: string } = {},
): Result<ClusterTarget> {
  const c = defs.clusters.find((x) => x.name === name);
  if (!c) {
    const known = defs.clusters.map((x) => x.name);
    return err({
      code: 'cluster-unknown',
      message: `no cluster named "${name}" in ${defs.file ?? 'the cluster definitions'}`,
      hint: known.length ? `known clusters: ${known.join(', ')}` : 'the file defines no clusters yet',
    });
  }
  return ok({ name: c.name, hosts: c.hosts, user: c.user, port: c.port, identityFile: c.identityFile, sudo: c.sudo, ...overrides });
}
