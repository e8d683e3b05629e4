/**
 * One persistent SSH connection to one host (ssh2), reused for every command through exec channels.
 *
 * Opening: resolve ssh_config → connect each ProxyJump hop (forwardOut through the previous one) → verify the
 * host key against known_hosts (hostKeyPolicy decides about unknown keys; a changed or revoked key is always
 * refused) → authenticate (agent, key files, passphrase callback). Every expected failure becomes a PcxFailure
 * naming the host, the cause and the fix.
 *
 * Running: `exec(commandLine)` opens a channel, collects stdout/stderr and the exit status. A command timeout
 * closes the channel; a connection that drops mid-command ends in `connection-lost`. At most
 * MAX_CHANNELS channels are open at once (sshd's MaxSessions defaults to 10).
 */
import { Client, type ClientChannel, type ConnectConfig, type ServerHostKeyAlgorithm } from 'ssh2';
import { quoteArgv, type QuotedCommandLine } from '../remote/shellQuote';
import { PcxFailure } from '../util/result';
import { describeAttempts, makeAuthHandler, type AuthAttempt, type PassphraseCallback } from './auth';
import {
  appendKnownHost,
  checkHostKey,
  fingerprintSha256,
  keyTypeLabel,
  keyTypeOf,
  knownHostsName,
  knownKeyTypes,
  readKnownHosts,
  type HostKeyVerdict,
} from './knownHosts';
import { resolveHost, type ResolveEnv, type ResolvedHost, type SshTarget } from './sshConfig';

/** Shown to a host-key policy for an unknown key. */
export interface UnknownHostKey {
  /** The alias the user typed. */
  readonly host: string;
  /** The name the key would be filed under (`host` or `[host]:port`). */
  readonly knownHostsName: string;
  readonly keyType: string;
  /** `SHA256:…` as `ssh` prints it. */
  readonly fingerprint: string;
  /** Where an accepted key is written. */
  readonly knownHostsFile: string;
  /** Types this host is already known with (a different-type key is suspicious). */
  readonly otherKnownTypes: readonly string[];
}
/** 'accept-and-save' appends to known_hosts; 'accept-once' trusts it for this connection only. */
export type HostKeyDecision = 'accept-and-save' | 'accept-once' | 'reject';
export type HostKeyPolicy = (key: UnknownHostKey) => Promise<HostKeyDecision> | HostKeyDecision;

export interface ConnectOptions {
  /** Decides about unknown host keys; default: reject (with the fingerprint and how to accept it). */
  readonly hostKeyPolicy?: HostKeyPolicy;
  /** Asked for the passphrase of an encrypted key file; never stored. */
  readonly passphrase?: PassphraseCallback;
  /** TCP connect + SSH handshake + auth, per hop. Default: ssh_config ConnectTimeout, else 10 s. */
  readonly connectTimeoutMs?: number;
  /** Keepalive: default ssh_config ServerAliveInterval, else 15 s; dropped after keepaliveCountMax misses (3). */
  readonly keepaliveIntervalMs?: number;
  readonly keepaliveCountMax?: number;
  /** Default timeout for each command. Default 30 s. */
  readonly commandTimeoutMs?: number;
  /** HOME, local user name and environment (SSH_AUTH_SOCK) for resolving; defaults to this process's. */
  readonly resolveEnv?: ResolveEnv;
  /** ssh2 debug lines (never contain secrets). */
  readonly debug?: (line: string) => void;
}

export interface ExecOptions {
  readonly timeoutMs?: number;
  readonly stdin?: string | Buffer;
}
export interface ExecResult {
  readonly stdout: string;
  readonly stderr: string;
  /** Exit status; null when the remote side was killed by a signal. */
  readonly code: number | null;
  readonly signal?: string;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
const DEFAULT_KEEPALIVE_MS = 15_000;
const DEFAULT_COMMAND_TIMEOUT_MS = 30_000;
const MAX_CHANNELS = 8;

/** ssh2's default host-key algorithms (lib/protocol/constants.js DEFAULT_SERVER_HOST_KEY). */
const HOST_KEY_ALGORITHMS = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];

/** Known key types first (an ssh-rsa key is offered as rsa-sha2-512/256 too), then the rest, as ssh orders them. */
export function hostKeyAlgorithmOrder(knownTypes: readonly string[]): ServerHostKeyAlgorithm[] {
  const preferred = knownTypes.flatMap((t) => (t === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [t]));
  const known = preferred.filter((a) => HOST_KEY_ALGORITHMS.includes(a));
  return [...new Set([...known, ...HOST_KEY_ALGORITHMS])] as ServerHostKeyAlgorithm[];
}

/** Translate a socket/ssh2 error during connect into a failure a user can act on. */
export function connectFailure(e: unknown, hop: ResolvedHost, attempts: readonly AuthAttempt[], timeoutMs: number): PcxFailure {
  if (e instanceof PcxFailure) return e;
  const err = e as NodeJS.ErrnoException & { level?: string };
  const where = `${hop.hostName}:${hop.port}`;
  const host = hop.alias;
  switch (err.code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return new PcxFailure('dns-failed', `cannot resolve host name "${hop.hostName}"`, `Check the spelling, or add a HostName for ${host} in ~/.ssh/config.`, host);
    case 'ECONNREFUSED':
      return new PcxFailure('unreachable', `connection refused on ${where}`, 'sshd is not listening there: is it running, and is the port right (Port in ~/.ssh/config)?', host);
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EHOSTDOWN':
      return new PcxFailure('unreachable', `no route to ${where} (${err.code})`, 'The host is down or the network path to it is broken; try another node of the cluster.', host);
    case 'ETIMEDOUT':
      return new PcxFailure('timeout', `connecting to ${where} timed out`, 'The host does not answer: is it up, and does a firewall drop port ' + String(hop.port) + '?', host);
    case 'ECONNRESET':
    case 'EPIPE':
      return new PcxFailure('connection-lost', `${where} closed the connection during the SSH handshake`, 'sshd may limit connections (MaxStartups) or refuse this client; see its log (journalctl -u ssh).', host);
  }
  if (err.level === 'client-timeout') {
    return new PcxFailure('timeout', `no SSH handshake from ${where} within ${Math.round(timeoutMs / 1000)} s`, 'The host accepted TCP but sshd did not answer; it may be overloaded, or this is not an SSH port.', host);
  }
  if (err.level === 'client-authentication') {
    // Nothing was refused by the server: the only key is locked and nobody could be asked for its passphrase.
    const locked = attempts.filter((a) => /no passphrase prompt/.test(a.outcome));
    if (locked.length > 0 && !attempts.some((a) => a.outcome === 'rejected by server')) {
      const others = attempts.filter((a) => !locked.includes(a));
      const files = locked.map((a) => a.what).join(', ');
      return new PcxFailure(
        'auth-failed',
        `cannot log in to ${hop.user}@${host}: ${files} ${locked.length > 1 ? 'are' : 'is'} passphrase-protected and no passphrase could be asked for (no terminal)` +
          (others.length > 0 ? `. Also tried: ${describeAttempts(others)}` : ''),
        `Load the key into ssh-agent once (${quoteArgv(['ssh-add', locked[0].what])}) and run pcx again, or run it from a terminal, where it asks for the passphrase.`,
        host,
      );
    }
    return new PcxFailure(
      'auth-failed',
      `${hop.user}@${host} refused every key offered. Tried: ${describeAttempts(attempts)}`,
      `Install your public key in ~${hop.user}/.ssh/authorized_keys on ${host} (${quoteArgv(['ssh-copy-id', `${hop.user}@${host}`])}), load it into ssh-agent, or set IdentityFile/User for ${host} in ~/.ssh/config.`,
      host,
    );
  }
  if (err.level === 'protocol' || err.level === 'handshake') {
    return new PcxFailure('ssh-protocol', `SSH negotiation with ${where} failed: ${err.message}`, 'This may not be an SSH server, or it offers no algorithm in common with pcx.', host);
  }
  return new PcxFailure('unreachable', `cannot connect to ${where}: ${err.message}`, 'Check that the host is up and sshd is running.', host);
}

function hostKeyFailure(verdict: HostKeyVerdict, hop: ResolvedHost, key: Buffer): PcxFailure {
  const fp = fingerprintSha256(key);
  const label = keyTypeLabel(keyTypeOf(key));
  const name = knownHostsName(hop.hostKeyName, hop.port);
  if (verdict.kind === 'revoked') {
    return new PcxFailure(
      'host-key-revoked',
      `the ${label} host key of ${hop.alias} (${fp}) is marked @revoked in ${verdict.entry.file}:${verdict.entry.line}; refusing to connect`,
      'Someone revoked this key on purpose. Ask the host\'s administrator which key is current.',
      hop.alias,
    );
  }
  if (verdict.kind === 'changed') {
    const where = verdict.entries.map((e) => `${e.file}:${e.line}`).join(', ');
    const firstEntry = verdict.entries[0];
    return new PcxFailure(
      'host-key-changed',
      `WARNING: the ${label} host key of ${hop.alias} has CHANGED — now ${fp}, which differs from the key in ${where}. ` +
        'Someone may be intercepting the connection (man-in-the-middle), or the host was reinstalled. Refusing to connect.',
      `Verify the new fingerprint with the host's administrator or on its console (ssh-keygen -lf /etc/ssh/ssh_host_${label.toLowerCase()}_key.pub). ` +
        `Only then remove the old key: ${quoteArgv(['ssh-keygen', '-R', name, '-f', firstEntry.file])} (or delete line ${firstEntry.line} of ${firstEntry.file}), and connect again.`,
      hop.alias,
    );
  }
  const other = verdict.kind === 'unknown' && verdict.otherTypes.length > 0
    ? ` It is already known with a ${verdict.otherTypes.join('/')} key but presents ${keyTypeOf(key)}, which is unusual.`
    : '';
  const ca = verdict.kind === 'unknown' && verdict.hasCertAuthority ? ' (known_hosts trusts a @cert-authority for it; pcx does not check host certificates.)' : '';
  return new PcxFailure(
    'host-key-unknown',
    `the authenticity of ${hop.alias} (${hop.hostName}:${hop.port}) cannot be established: its ${label} key ${fp} is not in ${hop.userKnownHostsFiles[0]}.${other}${ca}`,
    `Check the fingerprint out of band (on the host: ssh-keygen -lf /etc/ssh/ssh_host_${label.toLowerCase()}_key.pub). If it matches, accept it: pcx … --accept-new-host-key, or run ${quoteArgv(['ssh', `${hop.user}@${hop.alias}`])} once and answer "yes".`,
    hop.alias,
  );
}

/** Open the connection for one hop, optionally over `sock` (a forwardOut stream from the previous hop). */
async function connectHop(hop: ResolvedHost, options: ConnectOptions, sock?: NodeJS.ReadableStream): Promise<Client> {
  const knownEntries = readKnownHosts([...hop.userKnownHostsFiles, ...hop.globalKnownHostsFiles]);
  const preferredTypes = knownKeyTypes(knownEntries, hop.hostKeyName, hop.port);
  const attempts: AuthAttempt[] = [];
  const timeoutMs = options.connectTimeoutMs ?? hop.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  let hostKeyProblem: PcxFailure | undefined;

  // The connect deadline measures the network, not a person: it stops while a host-key policy or a passphrase
  // prompt waits for an answer (as ssh's ConnectTimeout does), and the rest of the handshake gets it afresh.
  let onDeadline: () => void = () => undefined;
  let deadline: NodeJS.Timeout | undefined;
  let humans = 0;
  const settledFlag = { value: false };
  const armDeadline = (): void => {
    clearTimeout(deadline);
    deadline = setTimeout(() => onDeadline(), timeoutMs);
  };
  const stopDeadline = (): void => {
    clearTimeout(deadline);
    deadline = undefined;
  };
  const whileAsking = async <T>(ask: () => Promise<T> | T): Promise<T> => {
    if (humans++ === 0) stopDeadline();
    try {
      return await ask();
    } finally {
      if (--humans === 0 && deadline === undefined && !settledFlag.value) armDeadline();
    }
  };
  const passphrase: PassphraseCallback | undefined = options.passphrase
    ? (request) => whileAsking(() => options.passphrase!(request))
    : undefined;

  const hostVerifier = (key: Buffer, verify: (ok: boolean) => void): void => {
    const verdict = checkHostKey(knownEntries, hop.hostKeyName, hop.port, key);
    if (verdict.kind === 'known') return verify(true);
    hostKeyProblem = hostKeyFailure(verdict, hop, key);
    if (verdict.kind !== 'unknown' || !options.hostKeyPolicy) return verify(false);
    const unknown: UnknownHostKey = {
      host: hop.alias,
      knownHostsName: knownHostsName(hop.hostKeyName, hop.port),
      keyType: keyTypeOf(key),
      fingerprint: fingerprintSha256(key),
      knownHostsFile: hop.userKnownHostsFiles[0],
      otherKnownTypes: verdict.otherTypes,
    };
    const policy = options.hostKeyPolicy;
    // One chain, so a throwing policy OR a failing known_hosts write both end in verify(false) — never a hang.
    whileAsking(() => policy(unknown))
      .then((decision) => {
        if (decision === 'reject') return false;
        if (decision === 'accept-and-save') {
          try {
            appendKnownHost(hop.userKnownHostsFiles[0], hop.hostKeyName, hop.port, key, hop.hashKnownHosts);
          } catch (e) {
            throw new PcxFailure('host-key-unknown', `could not record the host key of ${hop.alias} in ${hop.userKnownHostsFiles[0]}: ${e instanceof Error ? e.message : String(e)}`, `Check that ${hop.userKnownHostsFiles[0]} (and its directory) is writable, or pass another file with --known-hosts.`, hop.alias);
          }
        }
        return true;
      })
      .then(
        (accepted) => {
          if (accepted) hostKeyProblem = undefined;
          verify(accepted);
        },
        (e: unknown) => {
          // A policy may refuse with its own explanation (a PcxFailure); anything else is reported as is.
          hostKeyProblem = e instanceof PcxFailure
            ? (e.host ? e : new PcxFailure(e.code, e.message, e.hint, hop.alias))
            : new PcxFailure('host-key-unknown', `could not decide about the host key of ${hop.alias}: ${e instanceof Error ? e.message : String(e)}`, 'Accept the key with ssh once, then try again.', hop.alias);
          verify(false);
        },
      );
  };

  const client = new Client();
  const config: ConnectConfig = {
    host: hop.hostName,
    port: hop.port,
    username: hop.user,
    // ssh2's own handshake timer cannot be paused for a prompt; ours (above) does its job.
    readyTimeout: 0,
    keepaliveInterval: options.keepaliveIntervalMs ?? hop.serverAliveIntervalMs ?? DEFAULT_KEEPALIVE_MS,
    keepaliveCountMax: options.keepaliveCountMax ?? hop.serverAliveCountMax ?? 3,
    hostVerifier,
    authHandler: makeAuthHandler(hop, passphrase, attempts),
    debug: options.debug,
    ...(sock ? { sock: sock as ConnectConfig['sock'] } : {}),
  };
  // Like ssh: prefer the host-key types we already know for this host, so a known host is not "unknown".
  if (preferredTypes.length > 0) config.algorithms = { serverHostKey: hostKeyAlgorithmOrder(preferredTypes) };

  return new Promise<Client>((resolve, reject) => {
    onDeadline = () => fail(Object.assign(new Error('timed out'), { level: 'client-timeout' }));
    armDeadline();
    const fail = (e: unknown) => {
      if (settledFlag.value) return;
      settledFlag.value = true;
      stopDeadline();
      client.removeAllListeners('ready');
      client.on('error', () => undefined);
      // destroy, not end: a socket still waiting for a SYN-ACK must not linger after we gave up.
      client.destroy();
      reject(hostKeyProblem ?? connectFailure(e, hop, attempts, timeoutMs));
    };
    client.on('error', (e: Error & { level?: string }) => {
      // Agent trouble is not fatal: ssh2 moves on to the next method. Record it for the auth-failed message.
      if (e.level === 'agent') {
        const a = [...attempts].reverse().find((x) => x.method === 'agent');
        if (a) a.outcome = `agent error: ${e.message}`;
        return;
      }
      fail(e);
    });
    client.on('close', () => fail(Object.assign(new Error('connection closed'), { code: 'ECONNRESET' })));
    client.on('ready', () => {
      if (settledFlag.value) return;
      settledFlag.value = true;
      stopDeadline();
      client.removeAllListeners('error');
      client.removeAllListeners('close');
      // From here on a failure shows as 'close' (SshConnection watches it); an unheard 'error' event must not
      // crash the process — jump-host clients have no other listener.
      client.on('error', () => undefined);
      resolve(client);
    });
    try {
      client.connect(config);
    } catch (e) {
      fail(e);
    }
  });
}

function forwardOut(via: Client, hop: ResolvedHost, viaHost: ResolvedHost): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    via.forwardOut('127.0.0.1', 0, hop.hostName, hop.port, (err, stream) => {
      if (err) {
        reject(new PcxFailure('unreachable', `jump host ${viaHost.alias} could not reach ${hop.hostName}:${hop.port}: ${err.message}`, `Check that ${hop.alias} is reachable from ${viaHost.alias} and that AllowTcpForwarding is enabled there.`, hop.alias));
      } else resolve(stream);
    });
  });
}

export class SshConnection {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  private closedFlag = false;
  private readonly closeListeners: Array<() => void> = [];

  private constructor(
    private readonly client: Client,
    /** Jump-host clients, outermost first; closed with this connection. */
    private readonly jumpClients: readonly Client[],
    readonly resolved: ResolvedHost,
    /** Milliseconds from the first TCP connect to a ready session (all hops). */
    readonly connectMs: number,
    private readonly defaultTimeoutMs: number,
  ) {
    const onGone = () => this.markGone();
    client.on('close', onGone);
    client.on('end', onGone);
    // After 'ready', errors (keepalive timeout, reset) surface as a close; swallow them here so they never crash.
    client.on('error', onGone);
  }

  private markGone(): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    for (const l of this.closeListeners.splice(0)) l();
  }

  /** The alias the user typed; used in every message. */
  get host(): string {
    return this.resolved.alias;
  }
  get closed(): boolean {
    return this.closedFlag;
  }
  /** Call `listener` once when the connection is gone; returns a function that unsubscribes it. */
  onClose(listener: () => void): () => void {
    if (this.closedFlag) {
      listener();
      return () => undefined;
    }
    this.closeListeners.push(listener);
    return () => {
      const i = this.closeListeners.indexOf(listener);
      if (i >= 0) this.closeListeners.splice(i, 1);
    };
  }

  /** Resolve `target` through ssh_config and connect (through any ProxyJump hops). */
  static async open(target: SshTarget, options: ConnectOptions = {}): Promise<SshConnection> {
    const resolved = resolveHost(target, options.resolveEnv);
    const t0 = performance.now();
    const jumpClients: Client[] = [];
    try {
      let previous: { client: Client; hop: ResolvedHost } | undefined;
      for (const hop of [...resolved.jumps, resolved]) {
        const sock = previous ? await forwardOut(previous.client, hop, previous.hop) : undefined;
        const client = await connectHop(hop, options, sock);
        if (hop !== resolved) jumpClients.push(client);
        previous = { client, hop };
      }
      return new SshConnection(previous!.client, jumpClients, resolved, performance.now() - t0, options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS);
    } catch (e) {
      for (const c of jumpClients) c.end();
      throw e;
    }
  }

  private async acquire(): Promise<void> {
    if (this.active < MAX_CHANNELS) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }
  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }

  /** Run one shell command line (already quoted by quoteArgv) and collect its output and exit status. */
  async exec(commandLine: QuotedCommandLine, options: ExecOptions = {}): Promise<ExecResult> {
    if (this.closedFlag) throw this.lost('before the command started');
    await this.acquire();
    try {
      return await this.execChannel(commandLine, options);
    } finally {
      this.release();
    }
  }

  private lost(when: string): PcxFailure {
    return new PcxFailure('connection-lost', `the SSH connection to ${this.host} dropped ${when}`, 'The host or network went away; pcx reconnects on the next request. If it keeps happening, check the host and ServerAliveInterval.', this.host);
  }

  private execChannel(commandLine: QuotedCommandLine, options: ExecOptions): Promise<ExecResult> {
    const timeoutMs = options.timeoutMs ?? this.defaultTimeoutMs;
    return new Promise<ExecResult>((resolve, reject) => {
      let settled = false;
      let channel: ClientChannel | undefined;
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      let code: number | null = null;
      let signal: string | undefined;
      let exited = false;

      let unsubscribe: () => void = () => undefined;
      const finish = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        unsubscribe();
        fn();
      };
      const timer = setTimeout(() => {
        finish(() => {
          const seconds = Math.round(timeoutMs / 100) / 10;
          if (!channel) {
            // sshd did not even open a channel: the connection itself is dead (network cut, host frozen), not the
            // command. Drop it, so the next request reconnects and says what is really wrong ("no route", timeout).
            reject(this.lost(`(no answer from sshd within ${seconds} s)`));
            this.markGone();
            this.client.destroy();
            return;
          }
          channel.signal('KILL');
          channel.close();
          reject(new PcxFailure('timeout', `a command on ${this.host} did not finish within ${seconds} s`, 'The node may be overloaded or Pacemaker is hanging; try again, or look at the node directly.', this.host));
        });
      }, timeoutMs);
      // Unsubscribed when the command ends, so a long-lived connection does not collect one listener per command.
      unsubscribe = this.onClose(() => finish(() => reject(this.lost('while a command was running'))));

      try {
        this.client.exec(commandLine, (err, stream) => {
          if (err) {
            finish(() => reject(this.closedFlag ? this.lost('while opening a channel') : new PcxFailure('channel-failed', `${this.host} refused to open a command channel: ${err.message}`, 'sshd may limit sessions (MaxSessions) or forbid commands for this user (ForceCommand).', this.host)));
            return;
          }
          channel = stream;
          stream.on('data', (d: Buffer) => stdout.push(d));
          stream.stderr.on('data', (d: Buffer) => stderr.push(d));
          stream.on('exit', (c: number | null, sig?: string) => {
            exited = true;
            code = c;
            signal = sig ?? undefined;
          });
          stream.on('close', () => {
            if (!exited && this.closedFlag) {
              finish(() => reject(this.lost('while a command was running')));
              return;
            }
            finish(() => resolve({
              stdout: Buffer.concat(stdout).toString('utf8'),
              stderr: Buffer.concat(stderr).toString('utf8'),
              code: exited ? code : null,
              signal,
            }));
          });
          if (options.stdin !== undefined) stream.end(options.stdin);
          else stream.end();
        });
      } catch (e) {
        finish(() => reject(this.closedFlag ? this.lost('before the command started') : e));
      }
    });
  }

  /** Close this connection and its jump hops. */
  close(): void {
    this.client.end();
    for (const c of [...this.jumpClients].reverse()) c.end();
  }

  /** Tear the TCP connection down without a goodbye (tests use it to simulate a dropped link). */
  destroyForTest(): void {
    this.client.destroy();
  }
}
