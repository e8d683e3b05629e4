/**
 * A throwaway OpenSSH server on 127.0.0.1 for tests: its own host keys, client keys, authorized_keys,
 * known_hosts and ssh_config in a temp dir; killed (by its pid) and removed by stop().
 *
 * `hideClusterTools` runs it in a private mount namespace with an empty tmpfs over /usr/sbin, so crm_mon and
 * friends do not exist for its sessions: a host that is "not a cluster node".
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { createServer, connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SSHD = '/usr/sbin/sshd';
export const sshdAvailable = existsSync(SSHD) && existsSync('/usr/bin/ssh-keygen') && process.getuid?.() === 0;

export interface Sshd {
  readonly dir: string;
  readonly port: number;
  /** ssh_config with `Host loop` (plain), `Host jumped` (ProxyJump loop) pointing at this server. */
  readonly sshConfig: string;
  /** known_hosts holding this server's ed25519 key for [127.0.0.1]:port. */
  readonly knownHosts: string;
  /** Client key (no passphrase) that is authorized. */
  readonly clientKey: string;
  /** Client key protected by `passphrase`, also authorized. */
  readonly encryptedKey: string;
  readonly passphrase: string;
  /** A key that is NOT authorized. */
  readonly strangerKey: string;
  readonly hostKeyPub: string;
  /** sshd's log (LogLevel DEBUG1 when asked). */
  readonly logFile: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, timeoutMs: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`sshd exited with ${child.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.on('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('sshd did not start listening');
}

function keygen(path: string, type: string, passphrase = ''): void {
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', passphrase, '-C', 'pcx-test', '-f', path], { stdio: 'ignore' });
}

export async function startSshd(opts: { hideClusterTools?: boolean; debugLog?: boolean; extraConfig?: string } = {}): Promise<Sshd> {
  // sshd's privilege-separation directory; Debian's service unit normally creates it.
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const dir = mkdtempSync(join(tmpdir(), 'pcx-sshd-'));
  chmodSync(dir, 0o700);
  const port = await freePort();
  keygen(join(dir, 'host_ed25519'), 'ed25519');
  keygen(join(dir, 'client'), 'ed25519');
  keygen(join(dir, 'client_enc'), 'ed25519', 'correct horse');
  keygen(join(dir, 'stranger'), 'ed25519');
  writeFileSync(
    join(dir, 'authorized_keys'),
    readFileSync(join(dir, 'client.pub'), 'utf8') + readFileSync(join(dir, 'client_enc.pub'), 'utf8'),
  );
  const hostKeyPub = readFileSync(join(dir, 'host_ed25519.pub'), 'utf8').trim();
  const [type, b64] = hostKeyPub.split(' ');
  writeFileSync(join(dir, 'known_hosts'), `[127.0.0.1]:${port} ${type} ${b64}\n`);
  writeFileSync(
    join(dir, 'ssh_config'),
    [
      'Host loop',
      '  HostName 127.0.0.1',
      `  Port ${port}`,
      '  User root',
      `  IdentityFile ${join(dir, 'client')}`,
      'Host jumped',
      '  HostName 127.0.0.1',
      `  Port ${port}`,
      '  User root',
      `  IdentityFile ${join(dir, 'client')}`,
      '  ProxyJump loop',
      '',
    ].join('\n'),
  );
  const logFile = join(dir, 'sshd.log');
  writeFileSync(
    join(dir, 'sshd_config'),
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${join(dir, 'host_ed25519')}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'StrictModes no',
      'UsePAM no',
      'PermitRootLogin prohibit-password',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'AllowTcpForwarding yes',
      'MaxStartups 50',
      `LogLevel ${opts.debugLog ? 'DEBUG1' : 'INFO'}`,
      opts.extraConfig ?? '',
      '',
    ].join('\n'),
  );

  let child: ChildProcess;
  const sshdArgs = ['-D', '-f', join(dir, 'sshd_config'), '-E', logFile];
  if (opts.hideClusterTools) {
    // sshd re-executes itself by absolute path, so run a copy that lives outside the hidden /usr/sbin.
    const copy = join(dir, 'sshd');
    copyFileSync(SSHD, copy);
    chmodSync(copy, 0o755);
    child = spawn('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', 'mount -t tmpfs pcx-empty /usr/sbin && exec "$0" "$@"', copy, ...sshdArgs], { stdio: 'ignore' });
  } else {
    child = spawn(SSHD, sshdArgs, { stdio: 'ignore' });
  }
  try {
    await waitForPort(port, 10_000, child);
  } catch (e) {
    const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`${(e as Error).message}\n${log}`, { cause: e });
  }

  return {
    dir,
    port,
    sshConfig: join(dir, 'ssh_config'),
    knownHosts: join(dir, 'known_hosts'),
    clientKey: join(dir, 'client'),
    encryptedKey: join(dir, 'client_enc'),
    passphrase: 'correct horse',
    strangerKey: join(dir, 'stranger'),
    hostKeyPub,
    logFile,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An ssh-agent holding `keys`, on a socket in its own temp dir. */
export async function startAgent(keys: readonly string[]): Promise<{ socket: string; stop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'pcx-agent-'));
  const socket = join(dir, 'agent.sock');
  const child = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
  const deadline = Date.now() + 5000;
  while (!existsSync(socket)) {
    if (Date.now() > deadline) throw new Error('ssh-agent did not start');
    await new Promise((r) => setTimeout(r, 20));
  }
  for (const k of keys) execFileSync('ssh-add', ['-q', k], { env: { ...process.env, SSH_AUTH_SOCK: socket }, stdio: 'ignore' });
  return {
    socket,
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A TCP listener that accepts and then says nothing: an SSH handshake that never comes. */
export async function startSilentServer(): Promise<{ port: number; stop(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const srv = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const address = srv.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise((r) => srv.close(r));
    },
  };
}
