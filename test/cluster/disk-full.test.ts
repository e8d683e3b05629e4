/**
 * A full disk where pcx keeps its backup: `pcx pull` on a cluster folder that lives on a tiny tmpfs (mounted here
 * for the test), against the real cluster. Read-only on the cluster: the folder's spec differs from the live
 * configuration (VIP monitor interval), so pull wants to rewrite it.
 *  - no room for the backup → refused with exit 2, the cause and what to do; the spec byte for byte unchanged,
 *    no partial backup or temporary file left;
 *  - room for the backup but not for the new spec → the same: unchanged, the backup removed again;
 *  - room again → pulled, the backup holds the old text.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeClusterFolder } from './clusterFolder';
import { requireCluster, SSH_CONFIG } from './helpers';

const repoRoot = path.join(__dirname, '..', '..');
const tsxLoader = pathToFileURL(require.resolve('tsx')).href;
const PAGE = 4096;

function pcx(args: readonly string[]): { code: number | null; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.SSH_AUTH_SOCK;
  const r = spawnSync(process.execPath, ['--import', tsxLoader, path.join(repoRoot, 'src', 'cli', 'pcx.ts'), ...args], { encoding: 'utf8', timeout: 120_000, env, input: '' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const show = (r: { code: number | null; stdout: string; stderr: string }) => `exit ${r.code}\n--- stderr\n${r.stderr}\n--- stdout\n${r.stdout}`;

describe('pcx pull when the disk is full for its backup (a tmpfs of 256 KiB; the cluster is only read)', () => {
  let mount: string;
  let folder: string;
  let spec: string;
  let original: Buffer;
  const fillers: string[] = [];

  /** Fill the tmpfs with one-page files until it refuses: afterwards not one page is free. */
  function fill(): void {
    for (let i = fillers.length; ; i++) {
      const f = path.join(mount, `filler-${i}`);
      try {
        writeFileSync(f, Buffer.alloc(PAGE, 1));
        fillers.push(f);
      } catch (e) {
        assert.equal((e as NodeJS.ErrnoException).code, 'ENOSPC');
        rmSync(f, { force: true });
        return;
      }
    }
  }
  const freePages = (n: number) => {
    for (let i = 0; i < n; i++) rmSync(fillers.pop()!);
  };
  const leftovers = () => readdirSync(folder).filter((n) => /pcx-backup|pcx-new/.test(n));

  before(() => {
    requireCluster();
    mount = mkdtempSync(path.join(tmpdir(), 'pcx-diskfull-'));
    const m = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'pcx-diskfull', mount], { encoding: 'utf8' });
    assert.equal(m.status, 0, `mounting a tmpfs needs root: ${m.stderr}`);
    folder = path.join(mount, 'cluster1');
    writeClusterFolder(folder);
    spec = path.join(folder, 'redis.crm');
    // Differs from the live configuration (10s), so pull rewrites the spec.
    writeFileSync(spec, readFileSync(spec, 'utf8').replace(/(params ip=\S+ cidr_netmask=24 nic=eth0 \\\n\top monitor interval=)10s/, '$120s'));
    original = readFileSync(spec);
    assert.match(original.toString(), /interval=20s/);
    assert.ok(original.length < PAGE, 'the spec fits one page (the second case counts pages)');
  });
  after(() => {
    spawnSync('umount', [mount]);
    rmdirSync(mount);
  });

  test('no room for the backup → exit 2 "cannot keep a backup … (no space left on the device), so nothing was written", the spec unchanged, nothing left behind', () => {
    fill();
    const r = pcx(['pull', folder, '--ssh-config', SSH_CONFIG]);
    assert.equal(r.code, 2, show(r));
    assert.match(r.stderr, /cannot keep a backup of \S+redis\.crm as \S+redis\.crm\.pcx-backup-\d{8}T\d{6}Z \(no space left on the device\), so nothing was written: \S+redis\.crm is unchanged/, show(r));
    assert.match(r.stderr, /Free some space where \S+cluster1 is \(df -h \S+cluster1\)/, show(r));
    assert.doesNotMatch(r.stderr, /\n\s+at .+:\d+:\d+\)?\n|internal error/, show(r));
    assert.deepEqual(readFileSync(spec), original, 'the spec is byte for byte what it was');
    assert.deepEqual(leftovers(), [], 'no partial backup or temporary file');
  });

  test('room for the backup only → exit 2 "cannot write the new redis.crm … no backup was left", the spec unchanged', () => {
    freePages(1);
    const r = pcx(['pull', folder, '--ssh-config', SSH_CONFIG]);
    assert.equal(r.code, 2, show(r));
    assert.match(r.stderr, /cannot write the new redis\.crm in \S+cluster1 \(no space left on the device\): \S+redis\.crm is unchanged and no backup was left/, show(r));
    assert.deepEqual(readFileSync(spec), original);
    assert.deepEqual(leftovers(), []);
  });

  test('room again → pulled: the spec says interval=10s, the backup holds the old text', () => {
    freePages(4);
    const r = pcx(['pull', folder, '--ssh-config', SSH_CONFIG]);
    assert.equal(r.code, 0, show(r));
    const backups = leftovers();
    assert.equal(backups.length, 1, backups.join());
    assert.deepEqual(readFileSync(path.join(folder, backups[0]!)), original);
    assert.match(readFileSync(spec, 'utf8'), /\top monitor interval=10s id=VIP-monitor-interval-10s/);
  });
});
