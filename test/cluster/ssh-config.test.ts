/**
 * `pcx status` through an ssh_config that uses what ssh users write: an Include inside a Host block (whose
 * included file opens a Host block of its own), a glob in a directory part of the Include path, and a
 * `Match host` block that holds the key and known_hosts — none of which the old parser read correctly.
 * pcx resolves it with OpenSSH's `ssh -G`; the built-in parser (the fallback without an ssh binary) is run
 * against the cluster too, on the same config with the Match block also naming the alias (its Match host
 * compares the alias only). Read-only; temp files only.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { NODE_ADDR, STATE_DIR, requireCluster } from './helpers';
import { fetchClusterXml } from '../../src/core/cluster/live';
import { findSshBinary } from '../../src/core/ssh/openssh';

const PCX = [process.execPath, '--import', pathToFileURL(require.resolve('tsx')).href, path.join(__dirname, '..', '..', 'src', 'cli', 'pcx.ts'), 'status'];

function config(dir: string, matchPatterns: string): string {
  mkdirSync(path.join(dir, 'parts', 'team'), { recursive: true });
  // Its own Host block would capture `HostName`/`User` below the Include, were the Include inlined blindly.
  writeFileSync(path.join(dir, 'parts', 'team', 'extra.conf'), 'ConnectTimeout 5\nHost unrelated\n  User nobody\n');
  const file = path.join(dir, `ssh_config-${matchPatterns.length}`);
  writeFileSync(
    file,
    [
      'Host pcx-n2',
      `  Include ${dir}/parts/*/extra.conf`,
      `  HostName ${NODE_ADDR.node2}`,
      '  User root',
      `Match host ${matchPatterns}`,
      `  IdentityFile ${STATE_DIR}/id_ed25519`,
      '  IdentitiesOnly yes',
      `  UserKnownHostsFile ${STATE_DIR}/known_hosts`,
      '  GlobalKnownHostsFile /dev/null',
      '',
    ].join('\n'),
  );
  return file;
}

describe('ssh_config with Include inside Host and Match host, against the test cluster', () => {
  let dir: string;
  before(() => {
    requireCluster();
    dir = mkdtempSync(path.join(tmpdir(), 'pcx-sshconfig-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('pcx status --host pcx-n2 (resolved by ssh -G): reads node2', { skip: !findSshBinary() && 'no ssh binary' }, () => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    delete env.SSH_AUTH_SOCK;
    const r = spawnSync(PCX[0], [...PCX.slice(1), '--ssh-config', config(dir, NODE_ADDR.node2), '--host', 'pcx-n2', '--json'], { encoding: 'utf8', timeout: 60_000, env });
    assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}: ${r.stderr}`);
    const status = JSON.parse(r.stdout) as { source: string; nodes: Array<{ name: string }> };
    assert.equal(status.source, 'pcx-n2');
    assert.deepEqual(status.nodes.map((n) => n.name).sort(), ['node1', 'node2']);
  });

  test('the built-in parser (no ssh binary) reads the same config and reaches node2', async () => {
    const live = await fetchClusterXml({ hosts: ['pcx-n2'], sshConfigPath: config(dir, `pcx-n2,${NODE_ADDR.node2}`) }, { resolveEnv: { env: {}, sshBinary: null } });
    assert.equal(live.host, 'pcx-n2');
    assert.match(live.crmMonXml, /<pacemaker-result/);
  });
});
