/**
 * Bad input against the real test cluster's sshd: each case ends in one specific PcxFailure naming the host,
 * the cause and the fix — no stack trace, no hang. Read-only: known_hosts and keys are temp copies.
 * (Pacemaker-not-running and not-a-cluster-node are met on our own loopback sshd in test/unit/ssh, so the
 * shared cluster is never stopped.)
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STATE_DIR, SSH_CONFIG, NODE_ADDR, UNUSED_ADDR, requireCluster } from './helpers';
import { fetchClusterXml } from '../../src/core/cluster/live';
import { SshConnection } from '../../src/core/ssh/connection';
import { PcxFailure } from '../../src/core/util/result';

const noAgent = { resolveEnv: { env: {} } };
const failsWith = (code: string, host: string, pattern: RegExp) => (e: unknown) => {
  assert.ok(e instanceof PcxFailure, `expected a PcxFailure, got ${String(e)}`);
  assert.equal(e.code, code, `${e.code}: ${e.message}`);
  assert.equal(e.host, host);
  assert.ok(e.hint, 'a failure says what to do');
  assert.match(`${e.message}\n${e.hint}`, pattern);
  assert.doesNotMatch(e.message, /\n\s+at /, 'no stack trace in the message');
  return true;
};
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

describe('bad input on the test cluster', () => {
  let dir: string;
  before(() => {
    requireCluster();
    dir = mkdtempSync(join(tmpdir(), 'pcx-bad-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('unknown host key → host-key-unknown with the same SHA256 fingerprint ssh-keygen prints on the node', async () => {
    const empty = join(dir, 'known_hosts_empty');
    writeFileSync(empty, '');
    const fp = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', join(STATE_DIR, 'node1', 'hostkeys', 'ssh_host_ed25519_key.pub')], { encoding: 'utf8' }).split(' ')[1];
    await assert.rejects(
      fetchClusterXml({ hosts: ['node1'], sshConfigPath: SSH_CONFIG, knownHostsPath: empty }, noAgent),
      failsWith('host-key-unknown', 'node1', new RegExp(`ED25519 key ${escape(fp)}[\\s\\S]*--accept-new-host-key`)),
    );
  });

  test('accepting the new key writes it to known_hosts; the next connection needs no question', async () => {
    const file = join(dir, 'known_hosts_accept');
    writeFileSync(file, '');
    const conn = await SshConnection.open({ host: 'node1', sshConfigPath: SSH_CONFIG, knownHostsPath: file }, { ...noAgent, hostKeyPolicy: () => 'accept-and-save' });
    conn.close();
    assert.ok(readFileSync(file, 'utf8').startsWith(`${NODE_ADDR.node1} ssh-ed25519 `));
    // OpenSSH itself accepts what we wrote.
    execFileSync('ssh', ['-F', SSH_CONFIG, '-o', `UserKnownHostsFile=${file}`, 'node1', 'true']);
  });

  test('changed host key → host-key-changed naming the known_hosts line; never falls back to the other node', async () => {
    const file = join(dir, 'known_hosts_changed');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'impostor')]);
    const impostor = readFileSync(join(dir, 'impostor.pub'), 'utf8').split(' ').slice(0, 2).join(' ');
    const node2Line = readFileSync(join(STATE_DIR, 'known_hosts'), 'utf8').split('\n').find((l) => l.startsWith('node2'))!;
    writeFileSync(file, `${node2Line}\nnode1,${NODE_ADDR.node1} ${impostor}\n`);
    await assert.rejects(
      fetchClusterXml({ hosts: ['node1', 'node2'], sshConfigPath: SSH_CONFIG, knownHostsPath: file }, { ...noAgent, hostKeyPolicy: () => assert.fail('asked about a changed key') }),
      failsWith('host-key-changed', 'node1', new RegExp(`CHANGED[\\s\\S]*${escape(file)}:2[\\s\\S]*Verify the new fingerprint`)),
    );
  });

  test('a key the node does not accept → auth-failed listing the key tried and how to install one', async () => {
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'unknown_user_key')]);
    await assert.rejects(
      fetchClusterXml({ hosts: ['node1'], sshConfigPath: SSH_CONFIG, identityFile: join(dir, 'unknown_user_key') }, noAgent),
      failsWith('auth-failed', 'node1', new RegExp(`root@node1 refused every key offered\\. Tried: ${escape(join(dir, 'unknown_user_key'))} — rejected by server[\\s\\S]*ssh-copy-id`)),
    );
  });

  test('an address in the cluster network where nothing lives → unreachable within the connect timeout', async () => {
    const t0 = performance.now();
    await assert.rejects(
      fetchClusterXml({ hosts: [UNUSED_ADDR], sshConfigPath: null, knownHostsPath: join(STATE_DIR, 'known_hosts') }, { ...noAgent, connectTimeoutMs: 6000 }),
      (e: unknown) => e instanceof PcxFailure && ['unreachable', 'timeout'].includes(e.code) && e.host === UNUSED_ADDR && e.message.includes(`${UNUSED_ADDR}:22`),
    );
    assert.ok(performance.now() - t0 < 9000);
  });
});
