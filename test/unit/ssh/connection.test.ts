// The SSH transport against a real OpenSSH server on 127.0.0.1 (our own throwaway sshd; skipped without one).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { SshConnection, type ConnectOptions, type UnknownHostKey } from '../../../src/core/ssh/connection';
import { SshPool } from '../../../src/core/ssh/pool';
import { CommandRunner } from '../../../src/core/remote/runner';
import { fingerprintSha256, knownHostsLine } from '../../../src/core/ssh/knownHosts';
import { fetchClusterXml } from '../../../src/core/cluster/live';
import { PcxFailure } from '../../../src/core/util/result';
import { hostileString } from '../remote/hostileStrings';
import { freePort, sshdAvailable, startAgent, startSilentServer, startSshd, type Sshd } from './sshdHarness';

const skip = !sshdAvailable && 'needs /usr/sbin/sshd, ssh-keygen and root';
// No agent from the developer's environment may leak into these tests.
const noAgent: ConnectOptions = { resolveEnv: { env: {} } };

const failsWith = (code: string, pattern?: RegExp) => (e: unknown) => {
  assert.ok(e instanceof PcxFailure, `expected a PcxFailure, got ${String(e)}`);
  assert.equal(e.code, code, `${e.code}: ${e.message}`);
  if (pattern) assert.match(`${e.message}\n${e.hint ?? ''}`, pattern);
  return true;
};

describe('loopback sshd', { skip }, () => {
  let sshd: Sshd;
  let target: { host: string; sshConfigPath: string; knownHostsPath: string };
  before(async () => {
    sshd = await startSshd({ debugLog: true });
    target = { host: 'loop', sshConfigPath: sshd.sshConfig, knownHostsPath: sshd.knownHosts };
  });
  after(async () => sshd?.stop());

  test('connects through an ssh_config alias and runs commands over one connection', async () => {
    const conn = await SshConnection.open(target, noAgent);
    try {
      assert.equal(conn.host, 'loop');
      assert.equal(conn.resolved.port, sshd.port);
      const runner = new CommandRunner(conn, 'root');
      const [a, b] = await Promise.all([runner.run(['sh', '-c', 'echo out; echo err >&2; exit 3']), runner.run(['printf', '%s', 'x'])]);
      assert.deepEqual([a.stdout, a.stderr, a.code], ['out\n', 'err\n', 3]);
      assert.equal(b.stdout, 'x');
      const piped = await runner.run(['cat'], { stdin: 'from stdin\n' });
      assert.equal(piped.stdout, 'from stdin\n');
      // A long-lived connection must not collect a close listener per finished command.
      assert.equal((conn as unknown as { closeListeners: unknown[] }).closeListeners.length, 0);
    } finally {
      conn.close();
    }
  });

  test('property: hostile argv comes back byte for byte through sshd and the login shell (200 runs, one connection)', async () => {
    const conn = await SshConnection.open(target, noAgent);
    const runner = new CommandRunner(conn, 'root');
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(hostileString, { minLength: 1, maxLength: 4 }), async (args) => {
          const r = await runner.run(['printf', '%s\\0', ...args]);
          assert.equal(r.code, 0, r.stderr);
          assert.deepEqual(r.stdout.split('\0').slice(0, -1), args);
        }),
        { numRuns: 200 },
      );
    } finally {
      conn.close();
    }
  });

  test('host key: unknown → host-key-unknown with the SHA256 fingerprint and how to accept', async () => {
    const empty = join(sshd.dir, 'kh_empty');
    writeFileSync(empty, '');
    const fp = fingerprintSha256(Buffer.from(sshd.hostKeyPub.split(' ')[1], 'base64'));
    await assert.rejects(
      SshConnection.open({ ...target, knownHostsPath: empty }, noAgent),
      failsWith('host-key-unknown', new RegExp(`ED25519 key ${fp.replace(/[+/]/g, '\\$&')}[\\s\\S]*--accept-new-host-key`)),
    );
  });

  test('host key: a policy sees the fingerprint; accept-and-save writes known_hosts, next time it is known', async () => {
    const file = join(sshd.dir, 'kh_accept');
    writeFileSync(file, '');
    const seen: UnknownHostKey[] = [];
    const conn = await SshConnection.open({ ...target, knownHostsPath: file }, { ...noAgent, hostKeyPolicy: (k) => (seen.push(k), 'accept-and-save') });
    conn.close();
    assert.equal(seen.length, 1);
    assert.equal(seen[0].knownHostsName, `[127.0.0.1]:${sshd.port}`);
    assert.equal(seen[0].fingerprint, fingerprintSha256(Buffer.from(sshd.hostKeyPub.split(' ')[1], 'base64')));
    assert.match(readFileSync(file, 'utf8'), new RegExp(`^\\[127\\.0\\.0\\.1\\]:${sshd.port} ssh-ed25519 `));
    const again = await SshConnection.open({ ...target, knownHostsPath: file }, { ...noAgent, hostKeyPolicy: () => assert.fail('asked twice') });
    again.close();
  });

  test('host key: changed → host-key-changed naming the known_hosts line; no policy is even asked', async () => {
    const file = join(sshd.dir, 'kh_changed');
    const other = readFileSync(`${sshd.strangerKey}.pub`, 'utf8').split(' ')[1];
    writeFileSync(file, `# first line\n[127.0.0.1]:${sshd.port} ssh-ed25519 ${other}\n`);
    await assert.rejects(
      SshConnection.open({ ...target, knownHostsPath: file }, { ...noAgent, hostKeyPolicy: () => assert.fail('policy asked about a changed key') }),
      failsWith('host-key-changed', new RegExp(`CHANGED[\\s\\S]*${file.replace(/[/.]/g, '\\$&')}:2[\\s\\S]*ssh-keygen -R`)),
    );
  });

  test('host key: hashed entry is accepted; @revoked key is refused', async () => {
    const key = Buffer.from(sshd.hostKeyPub.split(' ')[1], 'base64');
    const hashed = join(sshd.dir, 'kh_hashed');
    writeFileSync(hashed, `${knownHostsLine('127.0.0.1', sshd.port, key, true)}\n`);
    (await SshConnection.open({ ...target, knownHostsPath: hashed }, noAgent)).close();
    appendFileSync(hashed, `@revoked * ssh-ed25519 ${key.toString('base64')}\n`);
    await assert.rejects(SshConnection.open({ ...target, knownHostsPath: hashed }, noAgent), failsWith('host-key-revoked'));
  });

  test('auth: a key the server does not know → auth-failed listing what was tried', async () => {
    await assert.rejects(
      SshConnection.open({ ...target, identityFile: sshd.strangerKey }, noAgent),
      failsWith('auth-failed', new RegExp(`root@loop refused[\\s\\S]*${sshd.strangerKey.replace(/[/.]/g, '\\$&')} — rejected by server[\\s\\S]*authorized_keys`)),
    );
    await assert.rejects(
      SshConnection.open({ ...target, identityFile: join(sshd.dir, 'no-such-key') }, noAgent),
      failsWith('auth-failed', /no-such-key — could not be read \(ENOENT\)/),
    );
  });

  test('auth: passphrase-protected key asks the callback (again after a wrong answer); without one it says so', async () => {
    const asked: number[] = [];
    const conn = await SshConnection.open(
      { ...target, identityFile: sshd.encryptedKey },
      { ...noAgent, passphrase: ({ attempt, keyFile }) => (asked.push(attempt), assert.equal(keyFile, sshd.encryptedKey), attempt === 1 ? 'wrong' : sshd.passphrase) },
    );
    conn.close();
    assert.deepEqual(asked, [1, 2]);
    await assert.rejects(SshConnection.open({ ...target, identityFile: sshd.encryptedKey }, noAgent), failsWith('auth-failed', /passphrase-protected/));
  });

  test('auth: keys from ssh-agent (SSH_AUTH_SOCK) are used first', async () => {
    const agent = await startAgent([sshd.encryptedKey.replace('client_enc', 'client')]);
    try {
      // The only configured key file is the stranger; the agent holds the authorized key.
      const conn = await SshConnection.open({ ...target, identityFile: sshd.strangerKey }, { resolveEnv: { env: { SSH_AUTH_SOCK: agent.socket } } });
      conn.close();
    } finally {
      await agent.stop();
    }
  });

  test('ProxyJump: the target is reached through a forwarded channel of the jump host', async () => {
    const before = readFileSync(sshd.logFile, 'utf8').split('\n').filter((l) => /direct-tcpip/.test(l)).length;
    const conn = await SshConnection.open({ host: 'jumped', sshConfigPath: sshd.sshConfig, knownHostsPath: sshd.knownHosts }, noAgent);
    try {
      assert.equal(conn.resolved.jumps.length, 1);
      assert.equal((await new CommandRunner(conn, 'root').run(['echo', 'via jump'])).stdout, 'via jump\n');
    } finally {
      conn.close();
    }
    const afterCount = readFileSync(sshd.logFile, 'utf8').split('\n').filter((l) => /direct-tcpip/.test(l)).length;
    assert.ok(afterCount > before, 'sshd logged a direct-tcpip forward');
  });

  test('command timeout → timeout; the connection stays usable', async () => {
    const conn = await SshConnection.open(target, { ...noAgent });
    try {
      const runner = new CommandRunner(conn, 'root');
      await assert.rejects(runner.run(['sleep', '5'], { timeoutMs: 300 }), failsWith('timeout', /did not finish within 0\.3 s/));
      assert.equal((await runner.run(['echo', 'still here'])).stdout, 'still here\n');
    } finally {
      conn.close();
    }
  });

  test('an open connection whose sshd stops answering → connection-lost at the command timeout (not a command timeout), and the pool reconnects', async () => {
    const pool = new SshPool(noAgent);
    // The sshd processes serving connections are the listener's descendants; freezing them is a frozen host / cut link
    // as this client sees it: the TCP connection stays open, nothing answers.
    const listener = readFileSync(join(sshd.dir, 'sshd.pid'), 'utf8').trim();
    const descendants = (pid: string): string[] => {
      let kids: string[] = [];
      try {
        kids = execFileSync('pgrep', ['-P', pid], { encoding: 'utf8' }).split('\n').filter(Boolean);
      } catch {
        // pgrep exits 1 when there are none
      }
      return kids.flatMap((k) => [k, ...descendants(k)]);
    };
    const before = new Set(descendants(listener));
    const conn = await pool.get(target);
    const frozen = descendants(listener).filter((p) => !before.has(p));
    assert.ok(frozen.length > 0, 'found the sshd processes serving this connection');
    try {
      for (const p of frozen) process.kill(Number(p), 'SIGSTOP');
      const t0 = performance.now();
      await assert.rejects(new CommandRunner(conn, 'root').run(['true'], { timeoutMs: 500 }), failsWith('connection-lost', /no answer from sshd within 0\.5 s/));
      assert.ok(performance.now() - t0 < 2000, 'gave up at the command timeout');
      assert.equal(conn.closed, true, 'the dead connection was dropped');
    } finally {
      for (const p of frozen) process.kill(Number(p), 'SIGCONT');
    }
    try {
      const again = await pool.get(target);
      assert.notEqual(again, conn);
      assert.equal((await new CommandRunner(again, 'root').run(['echo', 'back'])).stdout, 'back\n');
    } finally {
      pool.closeAll();
    }
  });

  test('connection dropped mid-command → connection-lost; the pool reconnects', async () => {
    const pool = new SshPool(noAgent);
    try {
      const conn = await pool.get(target);
      const running = new CommandRunner(conn, 'root').run(['sleep', '5']);
      setTimeout(() => conn.destroyForTest(), 200);
      await assert.rejects(running, failsWith('connection-lost', /dropped while a command was running/));
      const again = await pool.get(target);
      assert.notEqual(again, conn);
      assert.equal((await new CommandRunner(again, 'root').run(['echo', 'back'])).stdout, 'back\n');
    } finally {
      pool.closeAll();
    }
  });

  test('pacemaker not running on the host → pacemaker-down (real crm_mon, exit 102)', async () => {
    await assert.rejects(
      fetchClusterXml({ hosts: ['loop'], sshConfigPath: sshd.sshConfig, knownHostsPath: sshd.knownHosts }, noAgent),
      failsWith('pacemaker-down', /not running on loop[\s\S]*Connection to cluster failed/),
    );
  });
});

describe('unreachable and silent hosts', { skip }, () => {
  test('nothing listening → unreachable (connection refused); the pool then backs off without reconnecting', async () => {
    const port = await freePort();
    const pool = new SshPool({ ...noAgent, connectTimeoutMs: 3000 }, { attempts: 1, initialDelayMs: 60_000, maxDelayMs: 60_000 });
    const t = { host: '127.0.0.1', port, sshConfigPath: null, knownHostsPath: '/dev/null' };
    await assert.rejects(pool.get(t), failsWith('unreachable', /connection refused on 127\.0\.0\.1:\d+/));
    const t0 = performance.now();
    await assert.rejects(pool.get(t), failsWith('unreachable', /retrying in 60 s/));
    assert.ok(performance.now() - t0 < 50, 'the second call failed at once');
    pool.resetBackoff(t);
    await assert.rejects(pool.get(t), failsWith('unreachable', /connection refused/));
    pool.closeAll();
  });

  test('a port that accepts but never speaks SSH → timeout after the connect timeout', async () => {
    const silent = await startSilentServer();
    try {
      const t0 = performance.now();
      await assert.rejects(
        SshConnection.open({ host: '127.0.0.1', port: silent.port, sshConfigPath: null, knownHostsPath: '/dev/null' }, { ...noAgent, connectTimeoutMs: 700 }),
        failsWith('timeout', /no SSH handshake from 127\.0\.0\.1:\d+ within 1 s/),
      );
      const took = performance.now() - t0;
      assert.ok(took >= 650 && took < 3000, `took ${took} ms`);
    } finally {
      await silent.stop();
    }
  });

  test('fetchClusterXml falls back to the next host and reports every reason', async () => {
    const sshd = await startSshd();
    const port = await freePort();
    try {
      await assert.rejects(
        fetchClusterXml({ hosts: [`127.0.0.1:${port}`, 'loop'], sshConfigPath: sshd.sshConfig, knownHostsPath: sshd.knownHosts }, noAgent),
        failsWith('unreachable', new RegExp(`127\\.0\\.0\\.1:${port}: connection refused[\\s\\S]*loop: the cluster stack is not running`)),
      );
    } finally {
      await sshd.stop();
    }
  });
});

describe('a host without Pacemaker (crm_mon missing)', { skip }, () => {
  let sshd: Sshd;
  before(async () => {
    sshd = await startSshd({ hideClusterTools: true });
  });
  after(async () => sshd?.stop());

  test('→ not-a-cluster-node naming the host', async () => {
    await assert.rejects(
      fetchClusterXml({ hosts: ['loop'], sshConfigPath: sshd.sshConfig, knownHostsPath: sshd.knownHosts }, noAgent),
      failsWith('not-a-cluster-node', /crm_mon is not installed on loop, so it is not a Pacemaker cluster node/),
    );
  });
});
