// A corosync.conf is judged for the Corosync it is written for (issue 27): --corosync-version, else the
// connected node's `corosync -v`, else what the file says; pcx lint prints which, per file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { lintCorosync } from '../../../src/core/corosync/lint';
import { judgeCorosync, parseCorosyncVersion, readCorosyncVersion } from '../../../src/core/corosync/version';
import type { CommandExecutor } from '../../../src/core/remote/runner';
import { CommandRunner } from '../../../src/core/remote/runner';
import { IN_CI } from '../../corpus';

const repoRoot = resolve(__dirname, '..', '..', '..');
const fixtures = join(repoRoot, 'test', 'fixtures', 'corosync');

/** The reference user's file: Corosync 2.4 on CentOS 7, as pcs 0.9 writes it. */
const CENTOS7 = `totem {
    version: 2
    secauth: off
    cluster_name: redis-ha
    transport: udpu
}

nodelist {
    node {
        ring0_addr: node1
    }

    node {
        ring0_addr: node2
    }
}

quorum {
    provider: corosync_votequorum
    two_node: 1
    wait_for_all: 0
}

logging {
    to_logfile: yes
    logfile: /var/log/cluster/corosync.log
    to_syslog: yes
}
`;

test('the CentOS 7 / pcs 0.9 file is judged as 1.x/2.x from what it says, and gets only the wait_for_all warning', () => {
  const judged = judgeCorosync(CENTOS7);
  assert.equal(judged.generation, 2);
  assert.equal(judged.text, 'Corosync 1.x/2.x (from the file: transport udpu, secauth, nodes without nodeid)');
  assert.deepEqual(lintCorosync(CENTOS7, { generation: judged.generation }).diagnostics.map((d) => `${d.severity} ${d.code}`), ['warning corosync/two-node-wait-for-all']);
  // Unforced, the linter guesses the same by itself (the editor's path).
  assert.deepEqual(lintCorosync(CENTOS7).diagnostics.map((d) => d.code), ['corosync/two-node-wait-for-all']);
  // Judged as Corosync 3 it would be told to drop secauth and prefer knet: the mistake of issue 27.
  assert.deepEqual(lintCorosync(CENTOS7, { generation: 3 }).diagnostics.map((d) => d.code).sort(), ['corosync/obsolete-key', 'corosync/transport-deprecated', 'corosync/two-node-wait-for-all']);
});

test('what in a file says which Corosync it is for', () => {
  const knet = readFileSync(join(fixtures, 'good-2node-knet.corosync.conf'), 'utf8');
  assert.equal(judgeCorosync(knet).text, 'Corosync 3.x (from the file: transport knet)');
  // udpu with nodeids and no secauth: nothing says 2.x, so 3.x (Corosync 3 still has udpu).
  const udpu3 = CENTOS7.replace('    secauth: off\n', '').replace('ring0_addr: node1\n', 'ring0_addr: node1\n        nodeid: 1\n').replace('ring0_addr: node2\n', 'ring0_addr: node2\n        nodeid: 2\n');
  assert.equal(judgeCorosync(udpu3).generation, 3);
  assert.match(judgeCorosync(udpu3).text, /the default/);
  // One node without nodeid is enough; a 1.x marker wins over the shape; a knet marker wins over everything.
  assert.match(judgeCorosync(CENTOS7.replace('    secauth: off\n', '').replace('ring0_addr: node1\n', 'ring0_addr: node1\n        nodeid: 1\n')).text, /transport udpu, a node without nodeid/);
  assert.match(judgeCorosync('totem {\n    version: 2\n    rrp_mode: passive\n}\n').text, /^Corosync 1\.x\/2\.x \(from the file: rrp_mode\)$/);
  assert.equal(judgeCorosync(CENTOS7.replace('transport: udpu', 'transport: knet')).generation, 3);
  // The legacy-config note is for 1.x markers Corosync 3 refuses, not for a valid 2.x udpu file.
  assert.ok(lintCorosync('totem {\n    version: 2\n    rrp_mode: passive\n}\n').diagnostics.some((d) => d.code === 'corosync/legacy-config'));
});

test('--corosync-version and the node\'s corosync -v come before the file', () => {
  assert.deepEqual(judgeCorosync(CENTOS7, { forced: 3 }), { generation: 3, text: 'Corosync 3.x (--corosync-version 3)' });
  assert.deepEqual(judgeCorosync(CENTOS7, { node: { host: 'node1', version: '3.1.7' } }), { generation: 3, text: 'Corosync 3.1.7 (corosync -v on node1)' });
  assert.deepEqual(judgeCorosync(CENTOS7, { node: { host: 'c7-a', version: '2.4.5' } }), { generation: 2, text: 'Corosync 2.4.5 (corosync -v on c7-a)' });
  assert.deepEqual(judgeCorosync(CENTOS7, { forced: 2, node: { host: 'node1', version: '3.1.7' } }).generation, 2);
});

test('corosync -v output is read for its version (2.4 and 3.1 formats; junk is not a version)', () => {
  assert.equal(parseCorosyncVersion("Corosync Cluster Engine, version '2.4.5'\nCopyright (c) 2006-2009 Red Hat, Inc.\n"), '2.4.5');
  assert.equal(parseCorosyncVersion("Corosync Cluster Engine, version '3.1.7'\nCopyright (c) 2006-2021 Red Hat, Inc.\n\nBuilt-in features: dbus\n"), '3.1.7');
  assert.equal(parseCorosyncVersion('bash: corosync: command not found'), undefined);
  assert.equal(parseCorosyncVersion("Corosync Cluster Engine, version 'x'"), undefined);
});

/** Runs the quoted command line on this machine: the same argv the node would get. */
const local: CommandExecutor = {
  host: 'this machine',
  async exec(line) {
    const r = spawnSync('sh', ['-c', line], { encoding: 'utf8' });
    return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
  },
};

test('readCorosyncVersion asks the real corosync -v (installed here and in CI), and says what went wrong otherwise', { skip: existsSync('/usr/sbin/corosync') || IN_CI ? false : '/usr/sbin/corosync absent' }, async () => {
  const expected = /version '([^']+)'/.exec(execFileSync('/usr/sbin/corosync', ['-v'], { encoding: 'utf8' }))![1];
  assert.deepEqual(await readCorosyncVersion(new CommandRunner(local, 'root')), { host: 'this machine', version: expected });
  const missing: CommandExecutor = { host: 'node2', exec: async () => ({ code: 127, stdout: '', stderr: 'sh: 1: corosync: not found\n' }) };
  await assert.rejects(readCorosyncVersion(new CommandRunner(missing, 'root')), /corosync -v on node2 exited with 127: sh: 1: corosync: not found/);
});

test('pcx lint prints which Corosync each file was judged for; the CentOS 7 file gives only the wait_for_all warning', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pcx-cs-version-'));
  try {
    const file = join(dir, 'corosync.conf');
    writeFileSync(file, CENTOS7);
    const pcx = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'src', 'cli', 'pcx.ts'), 'lint', ...args], { cwd: repoRoot, encoding: 'utf8' });
    const r = pcx([file, join(fixtures, 'good-2node-knet.corosync.conf')]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n').map((l) => l.split(' ').slice(1, 3).join(' ')), ['warning corosync/two-node-wait-for-all']);
    assert.match(r.stderr, new RegExp(`pcx lint: ${file}: judged for Corosync 1\\.x/2\\.x \\(from the file: transport udpu, secauth, nodes without nodeid\\)`));
    assert.match(r.stderr, /good-2node-knet\.corosync\.conf: judged for Corosync 3\.x \(from the file: transport knet\)/);
    const forced = pcx(['--corosync-version', '3', file]);
    assert.match(forced.stderr, /judged for Corosync 3\.x \(--corosync-version 3\)/);
    assert.match(forced.stdout, /corosync\/transport-deprecated/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
