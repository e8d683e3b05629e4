// Connection lifetime and channel limits against a real OpenSSH server on 127.0.0.1 (our own throwaway sshd, with
// sshd's default MaxSessions 10): MAX_CHANNELS, a command that times out waiting for a channel, failing ProxyJump
// hops, and the pool closing connections (close, closeAll while still opening, idle).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_CHANNELS, SshConnection, type ConnectOptions } from '../../../src/core/ssh/connection';
import { SshPool } from '../../../src/core/ssh/pool';
import { CommandRunner } from '../../../src/core/remote/runner';
import { PcxFailure } from '../../../src/core/util/result';
import { freePort, sshdAvailable, startSshd, type Sshd } from './sshdHarness';

const skip = !sshdAvailable && 'needs /usr/sbin/sshd, ssh-keygen and root';
const noAgent: ConnectOptions = { resolveEnv: { env: {} } };
// One channel per command (not the persistent shells), so that every command takes a channel slot of its own.
const execChannels: ConnectOptions = { ...noAgent, commandChannel: 'exec' };

const failsWith = (code: string, pattern?: RegExp) => (e: unknown) => {
  assert.ok(e instanceof PcxFailure, `expected a PcxFailure, got ${String(e)}`);
  assert.equal(e.code, code, `${e.code}: ${e.message}`);
  if (pattern) assert.match(`${e.message}\n${e.hint ?? ''}`, pattern);
  return true;
};

/** Established TCP connections from this machine to sshd's port (ss, client side). */
function connectionsTo(port: number): number {
  return execFileSync('ss', ['-Htn', 'state', 'established', `( dport = :${port} )`], { encoding: 'utf8' }).split('\n').filter(Boolean).length;
}
async function waitUntil(what: string, cond: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('channels and connection lifetime (loopback sshd)', { skip }, () => {
  let sshd: Sshd;
  let target: { host: string; sshConfigPath: string; knownHostsPath: string };
  before(async () => {
    sshd = await startSshd();
    target = { host: 'loop', sshConfigPath: sshd.sshConfig, knownHostsPath: sshd.knownHosts };
  });
  after(async () => sshd?.stop());

  test(`MAX_CHANNELS: 16 commands at once on one connection all succeed (sshd allows 10 sessions); at most ${MAX_CHANNELS} run at a time`, async () => {
    const conn = await SshConnection.open(target, execChannels);
    const dir = mkdtempSync(join(tmpdir(), 'pcx-channels-'));
    try {
      const runner = new CommandRunner(conn, 'root');
      // Each command marks itself running in `dir`, holds its channel a while, counts the marks, unmarks.
      const script = 'touch "$0/$$"; sleep 1.5; n=$(ls "$0" | wc -l); rm "$0/$$"; echo "$n"';
      const results = await Promise.all(Array.from({ length: 16 }, () => runner.run(['sh', '-c', script, dir])));
      assert.deepEqual(results.map((r) => r.code), Array(16).fill(0), results.map((r) => r.stderr).join(''));
      const peak = Math.max(...results.map((r) => Number(r.stdout.trim())));
      // Exactly MAX_CHANNELS on an idle machine; sshd forks per session, so a loaded one may see fewer at once.
      assert.ok(peak <= MAX_CHANNELS && peak >= 2, `peak concurrency seen on the server: ${peak}`);
    } finally {
      conn.close();
    }
  });

  test(`a command waiting for a channel behind ${MAX_CHANNELS} hung ones times out at its own timeout (it used to wait for them)`, async () => {
    const conn = await SshConnection.open(target, execChannels);
    try {
      const runner = new CommandRunner(conn, 'root');
      const hung = Array.from({ length: MAX_CHANNELS }, () => runner.run(['sleep', '3'], { timeoutMs: 10_000 }));
      await new Promise((r) => setTimeout(r, 300));
      const t0 = performance.now();
      await assert.rejects(runner.run(['echo', 'late'], { timeoutMs: 400 }), failsWith('timeout', new RegExp(`waited 0\\.4 s for a free channel: ${MAX_CHANNELS} channels were still in use`)));
      const waited = performance.now() - t0;
      assert.ok(waited >= 350 && waited < 1500, `gave up after ${Math.round(waited)} ms`);
      await Promise.all(hung);
      // The slot it never took is not lost: the connection still runs commands.
      assert.equal((await runner.run(['echo', 'after'])).stdout, 'after\n');
    } finally {
      conn.close();
    }
  });

  test('ProxyJump: an unreachable jump host → unreachable, the message names the jump host', async () => {
    const dead = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'pcx-jump-'));
    const config = join(dir, 'ssh_config');
    writeFileSync(config, `${readFileSync(sshd.sshConfig, 'utf8')}\nHost deadjump\n  HostName 127.0.0.1\n  Port ${dead}\n  User root\nHost viadead\n  HostName 127.0.0.1\n  Port ${sshd.port}\n  User root\n  ProxyJump deadjump\n`);
    await assert.rejects(
      SshConnection.open({ host: 'viadead', sshConfigPath: config, knownHostsPath: sshd.knownHosts }, noAgent),
      failsWith('unreachable', new RegExp(`^jump host deadjump \\(ProxyJump for viadead\\): connection refused on 127\\.0\\.0\\.1:${dead}`)),
    );
  });

  test('ProxyJump: the jump host is up but cannot reach the target → unreachable naming both', async () => {
    const closed = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'pcx-jump-'));
    const config = join(dir, 'ssh_config');
    writeFileSync(config, `${readFileSync(sshd.sshConfig, 'utf8')}\nHost behind\n  HostName 127.0.0.1\n  Port ${closed}\n  User root\n  ProxyJump loop\n`);
    const before = connectionsTo(sshd.port);
    await assert.rejects(
      SshConnection.open({ host: 'behind', sshConfigPath: config, knownHostsPath: sshd.knownHosts }, noAgent),
      failsWith('unreachable', new RegExp(`jump host loop could not reach 127\\.0\\.0\\.1:${closed}[\\s\\S]*AllowTcpForwarding`)),
    );
    // The jump host's own connection is not left open.
    await waitUntil('the jump connection to be closed', () => connectionsTo(sshd.port) <= before);
  });

  test('pool.close(target) closes its connection; the next get() opens a new one', async () => {
    await waitUntil('earlier tests\' connections to close', () => connectionsTo(sshd.port) === 0);
    const pool = new SshPool(noAgent);
    try {
      const before = 0;
      const conn = await pool.get(target);
      assert.equal(connectionsTo(sshd.port), before + 1);
      pool.close(target);
      await waitUntil('the connection to be closed', () => conn.closed && connectionsTo(sshd.port) === before);
      assert.equal(pool.size, 0);
      const again = await pool.get(target);
      assert.notEqual(again, conn);
      assert.equal((await new CommandRunner(again, 'root').run(['echo', 'new'])).stdout, 'new\n');
    } finally {
      pool.closeAll();
    }
  });

  test('closeAll while a connection is still opening: it is closed once ready and its get() fails with connection-closed', async () => {
    // This sshd serves this file only: once earlier tests' connections are gone, none may be left afterwards.
    await waitUntil('earlier tests\' connections to close', () => connectionsTo(sshd.port) === 0);
    const pool = new SshPool(noAgent);
    const opening = pool.get(target);
    pool.closeAll();
    await assert.rejects(opening, failsWith('connection-closed', /closed while it was opening/));
    await waitUntil('no connection left to sshd', () => connectionsTo(sshd.port) === 0);
    assert.equal(pool.size, 0);
  });

  test('idleCloseMs: a connection nobody asks for is closed; one running a command is kept until it is done', async () => {
    const pool = new SshPool(noAgent, { idleCloseMs: 300 });
    try {
      const conn = await pool.get(target);
      await waitUntil('the idle connection to be closed', () => conn.closed, 3000);
      const busy = await pool.get(target);
      assert.notEqual(busy, conn);
      const t0 = performance.now();
      await new CommandRunner(busy, 'root').run(['sleep', '0.9']);
      assert.equal(busy.closed, false, `closed while its command ran (${Math.round(performance.now() - t0)} ms)`);
      await waitUntil('the connection to be closed after its command', () => busy.closed, 3000);
    } finally {
      pool.closeAll();
    }
  });
});
