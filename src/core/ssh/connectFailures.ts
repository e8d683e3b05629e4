/**
 * Why a connection could not be opened, in words a user can act on: socket and ssh2 errors during connect, and
 * host keys that are unknown, changed or revoked. Each names the host, the cause and the fix.
 */
import type { ServerHostKeyAlgorithm } from 'ssh2';
import { quoteArgv } from '../util/shellQuote';
import { PcxFailure } from '../util/result';
import { describeAttempts, type AuthAttempt } from './auth';
import { fingerprintSha256, keyTypeLabel, keyTypeOf, knownHostsName, type HostKeyVerdict } from './knownHosts';
import type { ResolvedHost } from './sshConfig';


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
  const err = e as NodeJS.ErrnoException & { level?: string; tcp?: boolean };
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
  if (err.level === 'client-timeout' && err.tcp === false) {
    return new PcxFailure('timeout', `unreachable: no TCP connection to ${where} within ${Math.round(timeoutMs / 1000)} s`, `The host is down or the network path to it is cut (or a firewall drops port ${hop.port}): check with ping ${hop.hostName}.`, host);
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

export function hostKeyFailure(verdict: HostKeyVerdict, hop: ResolvedHost, key: Buffer): PcxFailure {
  const fp = fingerprintSha256(key);
  const label = keyTypeLabel(keyTypeOf(key));
  const name = knownHostsName(hop.hostKeyName, hop.hostKeyPort);
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
  const verify = `Check the fingerprint out of band (on the host: ssh-keygen -lf /etc/ssh/ssh_host_${label.toLowerCase()}_key.pub).`;
  const sshCommand = quoteArgv(['ssh', `${hop.user}@${hop.alias}`]);
  return new PcxFailure(
    'host-key-unknown',
    `the authenticity of ${hop.alias} (${hop.hostName}:${hop.port}) cannot be established: its ${label} key ${fp} is not in ${hop.userKnownHostsFiles[0]}.${other}${ca}`,
    `${verify} If it matches, accept it: pcx … --accept-new-host-key, or run ${sshCommand} once and answer "yes".`,
    hop.alias,
    // As data, so that a caller names its own way to accept (the exact pcx command line) without editing this text.
    { acceptHostKey: { fingerprint: fp, knownHostsFile: hop.userKnownHostsFiles[0], verify, sshCommand } },
  );
}
