/**
 * Helpers for the integration tests against the real test cluster (test/cluster/cluster.sh).
 *
 * Everything goes over SSH with the system `ssh` client and the state dir's ssh_config: the test key,
 * the nodes' real host keys in a test known_hosts, StrictHostKeyChecking yes. Remote commands are argv
 * arrays quoted by the project's one quoting function. Waits are polls with a deadline whose timeout
 * message says what was awaited and what was last seen.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { XMLParser } from 'fast-xml-parser';
import { quoteArgv } from '../../src/core/util/shellQuote';

/** Which copy of the test cluster (cluster.sh's PCX_CLUSTER_INSTANCE, 0-9): its own namespaces and 10.213.N.0/24. */
export const CLUSTER_INSTANCE = Number(process.env.PCX_CLUSTER_INSTANCE ?? '0');
const NET = `10.213.${CLUSTER_INSTANCE}`;
export const STATE_DIR = process.env.PCX_CLUSTER_STATE ?? (CLUSTER_INSTANCE === 0 ? '/var/lib/pcx-test-cluster' : `/var/lib/pcx-test-cluster-${CLUSTER_INSTANCE}`);
export const SSH_CONFIG = `${STATE_DIR}/ssh_config`;
export const NODES = ['node1', 'node2'] as const;
export type NodeName = (typeof NODES)[number];
export const NODE_ADDR: Record<NodeName, string> = { node1: `${NET}.11`, node2: `${NET}.12` };
export const VIP = `${NET}.100`;
/** An address in the test subnet that no node has: for "unreachable" cases. */
export const UNUSED_ADDR = `${NET}.99`;

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface SshOptions {
  /** Extra `-o Key=Value` options, e.g. a different UserKnownHostsFile. */
  sshOptions?: string[];
  user?: string;
  timeoutMs?: number;
}

/** Throws a readable error when the cluster state is missing, so a bare `node --test` run says what to do. */
export function requireCluster(): void {
  if (!existsSync(SSH_CONFIG)) {
    throw new Error(`no test cluster: ${SSH_CONFIG} is missing. Run as root: bash test/cluster/cluster.sh ensure seed`);
  }
}

/** Runs argv on a node over ssh. Never rejects for a non-zero exit; rejects only on timeout. */
export function ssh(node: string, argv: readonly string[], opts: SshOptions = {}): Promise<RunResult> {
  const args = ['-F', SSH_CONFIG];
  for (const o of opts.sshOptions ?? []) args.push('-o', o);
  if (opts.user) args.push('-l', opts.user);
  args.push(node, '--', quoteArgv(argv));
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn('ssh', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`ssh ${node} ${quoteArgv(argv)}: no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`could not run ssh: ${e.message}`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** Like ssh() but throws with the command, exit code and stderr when the command fails. */
export async function sshOk(node: string, argv: readonly string[], opts: SshOptions = {}): Promise<string> {
  const r = await ssh(node, argv, opts);
  if (r.code !== 0) {
    throw new Error(`on ${node}: \`${quoteArgv(argv)}\` exited ${r.code}: ${r.stderr.trim() || r.stdout.trim()}`);
  }
  return r.stdout;
}

export interface MonNode {
  name: string;
  online: boolean;
  standby: boolean;
  maintenance: boolean;
}
export interface MonResource {
  id: string;
  agent: string;
  role: string;
  failed: boolean;
  nodes: string[];
}
export interface MonFailure {
  opKey: string;
  node: string;
  task: string;
  exitstatus: string;
  exitreason: string;
}
export interface MonState {
  dc: string | undefined;
  nodes: MonNode[];
  resources: MonResource[];
  failures: MonFailure[];
  xml: string;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseAttributeValue: false,
  isArray: (name) => ['node', 'resource', 'clone', 'group', 'bundle', 'failure'].includes(name),
});

type XmlObj = Record<string, unknown>;
const asObj = (v: unknown): XmlObj => (v && typeof v === 'object' ? (v as XmlObj) : {});
const asList = (v: unknown): XmlObj[] => (Array.isArray(v) ? v.map(asObj) : v === undefined ? [] : [asObj(v)]);
const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

/** Parses `crm_mon --output-as=xml` (Pacemaker 2.x `<pacemaker-result>`). Throws when it is something else. */
export function parseCrmMon(xml: string): MonState {
  const doc = asObj(parser.parse(xml));
  const result = asObj(doc['pacemaker-result']);
  if (!doc['pacemaker-result']) throw new Error(`not crm_mon 2.x XML: ${xml.slice(0, 120)}`);
  const dcEl = asObj(asObj(result.summary).current_dc);
  const nodes = asList(asObj(result.nodes).node).map((n) => ({
    name: str(n.name),
    online: n.online === 'true',
    standby: n.standby === 'true',
    maintenance: n.maintenance === 'true',
  }));
  const resources: MonResource[] = [];
  const walk = (container: XmlObj): void => {
    for (const r of asList(container.resource)) {
      resources.push({
        id: str(r.id),
        agent: str(r.resource_agent),
        role: str(r.role),
        failed: r.failed === 'true',
        nodes: asList(r.node).map((n) => str(n.name)),
      });
    }
    for (const kind of ['clone', 'group', 'bundle']) for (const c of asList(container[kind])) walk(c);
  };
  walk(asObj(result.resources));
  const failures = asList(asObj(result.failures).failure).map((f) => ({
    opKey: str(f.op_key),
    node: str(f.node),
    task: str(f.task),
    exitstatus: str(f.exitstatus),
    exitreason: str(f.exitreason),
  }));
  return { dc: dcEl.present === 'true' ? str(dcEl.name) : undefined, nodes, resources, failures, xml };
}

export async function crmMon(node: string): Promise<MonState> {
  return parseCrmMon(await sshOk(node, ['crm_mon', '-1', '--output-as=xml']));
}

/** Nodes on which instances of `id` (e.g. "redis") run in `role`. */
export function nodesInRole(state: MonState, id: string, role: string): string[] {
  return state.resources
    .filter((r) => r.id.split(':')[0] === id && r.role === role)
    .flatMap((r) => r.nodes)
    .sort();
}

/** One-line description of a crm_mon state, for failure messages. */
export function describe(state: MonState): string {
  const online = state.nodes.filter((n) => n.online).map((n) => n.name);
  const res = state.resources.map((r) => `${r.id}=${r.role}@${r.nodes.join('+') || '-'}`);
  const fails = state.failures.map((f) => `${f.opKey}@${f.node}(${f.exitreason || f.exitstatus})`);
  return `online [${online.join(',')}] resources [${res.join(' ')}] failures [${fails.join(' ')}]`;
}

export async function replicationInfo(node: string): Promise<Record<string, string>> {
  const out = await sshOk(node, ['redis-cli', 'info', 'replication']);
  const info: Record<string, string> = {};
  for (const line of out.split(/\r?\n/)) {
    const m = /^([a-z_0-9]+):(.*)$/.exec(line);
    if (m) info[m[1]] = m[2];
  }
  return info;
}

/** IPv4 addresses (with prefix) on a node's interface, from `ip -o addr`. */
export async function ipv4Addresses(node: string, dev = 'eth0'): Promise<string[]> {
  const out = await sshOk(node, ['ip', '-o', '-4', 'addr', 'show', 'dev', dev]);
  return [...out.matchAll(/\binet (\S+)/g)].map((m) => m[1]);
}

/**
 * Polls `probe` every `intervalMs` until it returns something other than undefined, or the deadline passes.
 * `lastSeen` describes the most recent observation for the timeout message.
 */
export async function waitFor<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined>,
  lastSeen: () => string = () => '',
  intervalMs = 500,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let lastError = '';
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      lastError = e instanceof Error ? e.message : String(e);
    }
    if (Date.now() >= deadline) {
      const seen = [lastSeen(), lastError].filter(Boolean).join('; ');
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${seen ? `; last seen: ${seen}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * `cluster.sh standin NODE KIND`: swap one thing inside one node's own mount namespace (KIND 'pacemaker-1.1' —
 * a STAND-IN for Pacemaker 1.1's crm_mon —, 'sudo-crm_mon-only', or 'off' to remove them). Throws with the
 * script's output when it fails.
 */
export function standin(node: NodeName, kind: 'pacemaker-1.1' | 'sudo-crm_mon-only' | 'off'): void {
  const r = spawnSync('bash', [`${__dirname}/cluster.sh`, 'standin', node, kind], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`cluster.sh standin ${node} ${kind} exited ${r.status}: ${(r.stderr || r.stdout).trim()}`);
}

export type FaultKind =
  | 'sshd-stop' | 'sshd-start' | 'link-down' | 'link-up' | 'partition' | 'heal' | 'cut-from-host' | 'restore-from-host' | 'power-off'
  | 'loss' | 'noloss';

/** `cluster.sh fault NODE KIND [ARG]` (loss takes a percentage): inject or clear one fault (see cluster.sh). Throws with the script's output. */
export function fault(node: NodeName, kind: FaultKind, ...args: string[]): void {
  const r = spawnSync('bash', [`${__dirname}/cluster.sh`, 'fault', node, kind, ...args], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`cluster.sh fault ${node} ${kind} exited ${r.status}: ${(r.stderr || r.stdout).trim()}`);
}

/** `cluster.sh ensure seed`: back to the reference state, rebuilding what a fault broke. */
export function ensureSeed(): void {
  const r = spawnSync('bash', [`${__dirname}/cluster.sh`, 'ensure', 'seed'], { encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) throw new Error(`cluster.sh ensure seed exited ${r.status}: ${(r.stderr || r.stdout).trim().slice(-2000)}`);
}

/** What one `pcx` run did: exit code, output, and its wall time. */
export interface PcxRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/**
 * `pcx status --ssh-config <the test cluster's> ARGS` as a child process, without blocking this one (so runs can
 * overlap): its own member memory in `cacheDir`, killed after `timeoutMs`.
 */
export function pcxStatusAsync(args: readonly string[], cacheDir: string, timeoutMs = 90_000): Promise<PcxRun> {
  const repoRoot = resolve(__dirname, '..', '..');
  const t0 = Date.now();
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', pathToFileURL(require.resolve('tsx')).href, join(repoRoot, 'src', 'cli', 'pcx.ts'), 'status', '--ssh-config', SSH_CONFIG, ...args], {
      env: { ...process.env, NO_COLOR: '1', PCX_CACHE_DIR: cacheDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr, ms: Date.now() - t0 });
    });
  });
}
