// Keepalive against a real OpenSSH server on 127.0.0.1: an idle connection whose sshd stops answering is
// noticed and closed by the keepalives alone (no command running), and only with keepalives on.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SshConnection, type ConnectOptions } from '../../../src/core/ssh/connection';
import { CommandRunner } from '../../../src/core/remote/runner';
import { sshdAvailable, startSshd, type Sshd } from './sshdHarness';

const skip = !sshdAvailable && 'needs /usr/sbin/sshd, ssh-keygen and root';
const noAgent: ConnectOptions = { resolveEnv: { env: {} } };

describe('keepalive (loopback sshd)', { skip }, () => {
  let sshd: Sshd;
  let target: { host: string; sshConfigPath: string; knownHostsPath: string };
  before(async () => {
    sshd = await startSshd();
    target = { host: 'loop', sshConfigPath: sshd.sshConfig, knownHostsPath: sshd.knownHosts };
  });
  after(async () => sshd?.stop());

  const descendants = (pid: string): string[] => {
    let kids: string[] = [];
    try {
      kids = execFileSync('pgrep', ['-P', pid], { encoding: 'utf8' }).split('\n').filter(Boolean);
    } catch {
      // pgrep exits 1 when there are none
    }
    return kids.flatMap((k) => [k, ...descendants(k)]);
  };

  /** Opens a connection, freezes the sshd processes serving it for `ms`, and says whether it was closed by then. */
  async function idleThroughFrozenPeer(options: ConnectOptions, ms: number): Promise<{ closed: boolean; closedAfterMs?: number }> {
    const listener = readFileSync(join(sshd.dir, 'sshd.pid'), 'utf8').trim();
    const before = new Set(descendants(listener));
    const conn = await SshConnection.open(target, { ...noAgent, ...options });
    // A round trip first: the session is fully set up before its sshd is frozen.
    assert.equal((await new CommandRunner(conn, 'root').run(['echo', 'up'])).stdout, 'up\n');
    const frozen = descendants(listener).filter((p) => !before.has(p));
    assert.ok(frozen.length > 0, 'found the sshd processes serving this connection');
    const t0 = performance.now();
    let closedAfterMs: number | undefined;
    conn.onClose(() => (closedAfterMs ??= performance.now() - t0));
    try {
      for (const p of frozen) process.kill(Number(p), 'SIGSTOP');
      await new Promise((r) => setTimeout(r, ms));
      return { closed: conn.closed, closedAfterMs };
    } finally {
      for (const p of frozen) process.kill(Number(p), 'SIGCONT');
      conn.close();
    }
  }

  test('keepalive every 200 ms, 2 misses: an idle connection to a peer that stopped answering is closed within ~1 s', async () => {
    const r = await idleThroughFrozenPeer({ keepaliveIntervalMs: 200, keepaliveCountMax: 2 }, 2_500);
    assert.equal(r.closed, true, 'the keepalives noticed the dead peer');
    assert.ok(r.closedAfterMs !== undefined && r.closedAfterMs < 2_000, `closed after ${r.closedAfterMs?.toFixed(0)} ms`);
  });

  test('control: with keepalive off the same idle connection is still open after the same wait (keepalive is what closed it)', async () => {
    const r = await idleThroughFrozenPeer({ keepaliveIntervalMs: 0 }, 2_500);
    assert.equal(r.closed, false);
  });
});
