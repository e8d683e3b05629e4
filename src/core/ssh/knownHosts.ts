/**
 * known_hosts, as sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT" describes it: optional marker (@revoked,
 * @cert-authority), comma-separated host patterns (wildcards * and ?, negation !, `[host]:port` for ports other
 * than 22) or one hashed entry `|1|base64(salt)|base64(HMAC-SHA1(salt, name))`, key type, base64 key, comment.
 *
 * The verdict mirrors OpenSSH: a matching key is known; a revoked key is refused whatever else matches; a host
 * known with a different key of the same type has CHANGED (possible man-in-the-middle) and is refused; a host
 * with no key of that type is unknown (the caller may ask the user). Certificate authorities are not supported
 * (ssh2 does not hand us host certificates), so @cert-authority lines only improve the "unknown" message.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { PcxFailure } from '../util/result';

export interface KnownHostEntry {
  readonly file: string;
  /** 1-based line number, for "remove line N of FILE". */
  readonly line: number;
  readonly marker?: 'revoked' | 'cert-authority';
  /** The host field as written (patterns or a hashed entry). */
  readonly hosts: string;
  /** Key type from the key blob itself (ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256, …). */
  readonly keyType: string;
  readonly key: Buffer;
}

export type HostKeyVerdict =
  | { readonly kind: 'known'; readonly entry: KnownHostEntry }
  | { readonly kind: 'revoked'; readonly entry: KnownHostEntry }
  | { readonly kind: 'changed'; readonly entries: readonly KnownHostEntry[] }
  /** `otherTypes`: key types this host IS known with (ssh would warn about them too). */
  | { readonly kind: 'unknown'; readonly otherTypes: readonly string[]; readonly hasCertAuthority: boolean };

/** The name a host is filed under: `host` on port 22, `[host]:port` otherwise (lower-cased, as ssh does). */
export function knownHostsName(host: string, port: number): string {
  const h = host.toLowerCase();
  return port === 22 ? h : `[${h}]:${port}`;
}

/** The type string at the start of an SSH public key blob. */
export function keyTypeOf(blob: Buffer): string {
  if (blob.length < 4) return 'unknown';
  const len = blob.readUInt32BE(0);
  if (len <= 0 || len > 64 || blob.length < 4 + len) return 'unknown';
  return blob.subarray(4, 4 + len).toString('latin1');
}

/** OpenSSH's fingerprint format: `SHA256:` + base64 of the SHA-256 of the key blob, without padding. */
export function fingerprintSha256(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** "ED25519", "RSA", "ECDSA" — as ssh names a key type in its prompts. */
export function keyTypeLabel(keyType: string): string {
  if (keyType === 'ssh-ed25519') return 'ED25519';
  if (keyType === 'ssh-rsa') return 'RSA';
  if (keyType.startsWith('ecdsa-')) return 'ECDSA';
  if (keyType === 'ssh-dss') return 'DSA';
  return keyType;
}

/** Parse one known_hosts file's text. Lines that are not entries (comments, garbage) are skipped, as ssh does. */
export function parseKnownHosts(text: string, file: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '').trim();
    if (!line || line.startsWith('#')) return;
    const fields = line.split(/\s+/);
    let marker: KnownHostEntry['marker'];
    if (fields[0].startsWith('@')) {
      const m = fields.shift()!;
      if (m === '@revoked') marker = 'revoked';
      else if (m === '@cert-authority') marker = 'cert-authority';
      else return; // unknown marker: ssh ignores the line
    }
    if (fields.length < 3) return;
    const [hosts, , b64] = fields;
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return;
    const key = Buffer.from(b64, 'base64');
    entries.push({ file, line: i + 1, marker, hosts, keyType: keyTypeOf(key), key });
  });
  return entries;
}

/**
 * Read and parse known_hosts files; missing files are simply empty. One that exists but cannot be read is a
 * failure with a fix (not a raw EACCES): treating it as empty would make every host look "unknown".
 */
export function readKnownHosts(files: readonly string[]): KnownHostEntry[] {
  return files.flatMap((f) => {
    try {
      return parseKnownHosts(readFileSync(f, 'utf8'), f);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return [];
      throw new PcxFailure(
        'known-hosts-unreadable',
        `cannot read known_hosts file ${f}: ${code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : (e as Error).message}`,
        `Make ${f} a file readable by this user (chmod 600, owned by you), or point UserKnownHostsFile / --known-hosts / pacemaker.ssh.knownHostsFile at another file.`,
      );
    }
  });
}

function wildcardMatch(pattern: string, name: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\[/g, '\\[').replace(/\]/g, '\\]').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return re.test(name);
}

/** Does an entry's host field cover `name` (as made by knownHostsName)? */
export function hostFieldMatches(hosts: string, name: string): boolean {
  if (hosts.startsWith('|1|')) {
    const [, , salt64, hash64] = hosts.split('|');
    if (!salt64 || !hash64) return false;
    const mac = createHmac('sha1', Buffer.from(salt64, 'base64')).update(name).digest('base64');
    return mac === hash64;
  }
  let matched = false;
  for (const raw of hosts.split(',')) {
    const negated = raw.startsWith('!');
    const pattern = (negated ? raw.slice(1) : raw).toLowerCase();
    if (wildcardMatch(pattern, name)) {
      if (negated) return false; // a negated match rejects the entry outright
      matched = true;
    }
  }
  return matched;
}

/** Decide about a presented host key. `host`/`port` are where we connected (HostKeyAlias already applied). */
export function checkHostKey(entries: readonly KnownHostEntry[], host: string, port: number, key: Buffer): HostKeyVerdict {
  const name = knownHostsName(host, port);
  const forHost = entries.filter((e) => hostFieldMatches(e.hosts, name));
  const revoked = entries.find((e) => e.marker === 'revoked' && e.key.equals(key) && (e.hosts === '*' || hostFieldMatches(e.hosts, name)));
  if (revoked) return { kind: 'revoked', entry: revoked };
  const plain = forHost.filter((e) => e.marker === undefined);
  const same = plain.find((e) => e.key.equals(key));
  if (same) return { kind: 'known', entry: same };
  const type = keyTypeOf(key);
  const sameType = plain.filter((e) => e.keyType === type);
  if (sameType.length > 0) return { kind: 'changed', entries: sameType };
  return {
    kind: 'unknown',
    otherTypes: [...new Set(plain.map((e) => e.keyType))],
    hasCertAuthority: forHost.some((e) => e.marker === 'cert-authority'),
  };
}

/** Key types this host is known with, in file order: offered first in the handshake, as ssh does. */
export function knownKeyTypes(entries: readonly KnownHostEntry[], host: string, port: number): string[] {
  const name = knownHostsName(host, port);
  return [...new Set(entries.filter((e) => e.marker === undefined && hostFieldMatches(e.hosts, name)).map((e) => e.keyType))];
}

/** The known_hosts line for a key; hashed like `ssh-keygen -H` when asked. */
export function knownHostsLine(host: string, port: number, key: Buffer, hashed = false, salt = randomBytes(20)): string {
  const name = knownHostsName(host, port);
  const field = hashed ? `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}` : name;
  return `${field} ${keyTypeOf(key)} ${key.toString('base64')}`;
}

/** Append an accepted key, creating ~/.ssh (0700) and the file (0600) if needed. */
export function appendKnownHost(file: string, host: string, port: number, key: Buffer, hashed = false): string {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const line = knownHostsLine(host, port, key, hashed);
  let prefix = '';
  if (existsSync(file) && statSync(file).size > 0) {
    const text = readFileSync(file);
    if (text[text.length - 1] !== 0x0a) prefix = '\n';
  }
  appendFileSync(file, `${prefix}${line}\n`, { mode: 0o600 });
  return line;
}
