/**
 * Opening one SSH hop: TCP (or a forwardOut stream through the previous hop) → host key checked against
 * known_hosts (the hostKeyPolicy decides about unknown keys; a changed or revoked key is always refused) →
 * authentication (agent, key files, passphrase callback), all within the connect deadline, which stops while a
 * person is being asked something.
 */
import { askingPerson } from './asking';
import type { Client, ClientChannel, ConnectConfig } from 'ssh2';
import { PcxFailure } from '../util/result';
import { makeAuthHandler, type AuthAttempt, type PassphraseCallback } from './auth';
import { connectFailure, hostKeyAlgorithmOrder, hostKeyFailure } from './connectFailures';
import { loadSsh2 } from './ssh2';
import { appendKnownHost, checkHostKey, fingerprintSha256, keyTypeOf, knownHostsName, knownKeyTypes, readKnownHosts } from './knownHosts';
import type { ResolveEnv, ResolvedHost } from './sshConfig';


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
  /** Things worth one line in the user's log (e.g. falling back to one channel per command). */
  readonly log?: (message: string) => void;
  /**
   * 'shell' (default): commands go to persistent shells on the connection (shellChannel.ts); 'exec': one SSH
   * exec channel per command, as before.
   */
  readonly commandChannel?: 'shell' | 'exec';
  /** Persistent shells per connection (default 2; 1 queues every command on one shell). */
  readonly maxShells?: number;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
const DEFAULT_KEEPALIVE_MS = 15_000;

/** What the caller may follow of one connect: TCP established (before the SSH handshake), and giving up on it. */
export interface ConnectProgress {
  /** The TCP connection is made (sshd's port answered); the SSH handshake follows. */
  readonly onTcp?: () => void;
  /** Abort the connect: the socket is destroyed at once and the connect fails with 'connection-closed'. */
  readonly signal?: AbortSignal;
}

/** Open the connection for one hop, optionally over `sock` (a forwardOut stream from the previous hop). */
export async function connectHop(hop: ResolvedHost, options: ConnectOptions, sock?: NodeJS.ReadableStream, progress: ConnectProgress = {}): Promise<Client> {
  const knownEntries = readKnownHosts([...hop.userKnownHostsFiles, ...hop.globalKnownHostsFiles]);
  const preferredTypes = knownKeyTypes(knownEntries, hop.hostKeyName, hop.hostKeyPort);
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
      return await askingPerson(ask);
    } finally {
      if (--humans === 0 && deadline === undefined && !settledFlag.value) armDeadline();
    }
  };
  const passphrase: PassphraseCallback | undefined = options.passphrase
    ? (request) => whileAsking(() => options.passphrase!(request))
    : undefined;

  const hostVerifier = (key: Buffer, verify: (ok: boolean) => void): void => {
    const verdict = checkHostKey(knownEntries, hop.hostKeyName, hop.hostKeyPort, key);
    if (verdict.kind === 'known') return verify(true);
    hostKeyProblem = hostKeyFailure(verdict, hop, key);
    if (verdict.kind !== 'unknown' || !options.hostKeyPolicy) return verify(false);
    const unknown: UnknownHostKey = {
      host: hop.alias,
      knownHostsName: knownHostsName(hop.hostKeyName, hop.hostKeyPort),
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
            appendKnownHost(hop.userKnownHostsFiles[0], hop.hostKeyName, hop.hostKeyPort, key, hop.hashKnownHosts);
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

  const client = new (loadSsh2().Client)();
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
    let tcp = false;
    // Whether TCP was made tells "the host or path is gone" from "sshd accepted but does not speak".
    onDeadline = () => fail(Object.assign(new Error('timed out'), { level: 'client-timeout', tcp }));
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
    client.on('connect', () => {
      tcp = true;
      progress.onTcp?.();
    });
    const onAbort = (): void => fail(new PcxFailure('connection-closed', `the connection to ${hop.alias} was closed while it was opening (another node answered first, the read ended, or the cluster was removed)`, 'Nothing to do: it is tried again on the next read.', hop.alias));
    if (progress.signal?.aborted) return onAbort();
    progress.signal?.addEventListener('abort', onAbort, { once: true });
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

export function forwardOut(via: Client, hop: ResolvedHost, viaHost: ResolvedHost): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    via.forwardOut('127.0.0.1', 0, hop.hostName, hop.port, (err, stream) => {
      if (err) {
        reject(new PcxFailure('unreachable', `jump host ${viaHost.alias} could not reach ${hop.hostName}:${hop.port}: ${err.message}`, `Check that ${hop.alias} is reachable from ${viaHost.alias} and that AllowTcpForwarding is enabled there.`, hop.alias));
      } else resolve(stream);
    });
  });
}
