/**
 * Nothing a user types, a file holds or a cluster reports reaches a shell unquoted — checked through the real sshd:
 * resource ids, node names, attribute-like values, log filters, host names and file names full of shell
 * metacharacters go to pcx verbs (operations, logs, status, diff), and a marker file that any of them would create
 * when executed must appear neither on the nodes nor on this machine. Read-only for the cluster: the verbs refuse
 * unknown resources and nodes before changing anything.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { SSH_CONFIG, crmMon, describe as describeState, nodesInRole, requireCluster, sshOk } from './helpers';

const repoRoot = path.join(__dirname, '..', '..');
const tsxLoader = pathToFileURL(require.resolve('tsx')).href;
const MARK = `/tmp/pcx-pwned-${process.pid}`;

/** Every way a shell could be talked into running `touch MARK-n`. */
const hostile = (n: number): string[] => [
  `$(touch ${MARK}-${n}a)`,
  `\`touch ${MARK}-${n}b\``,
  `x; touch ${MARK}-${n}c`,
  `x' ; touch ${MARK}-${n}d ; '`,
  `x" ; touch ${MARK}-${n}e ; "`,
  `x|touch ${MARK}-${n}f`,
  `x&&touch ${MARK}-${n}g`,
  `x\ntouch ${MARK}-${n}h`,
];

function pcx(args: readonly string[]): { code: number | null; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.SSH_AUTH_SOCK;
  const r = spawnSync(process.execPath, ['--import', tsxLoader, path.join(repoRoot, 'src', 'cli', 'pcx.ts'), ...args], { encoding: 'utf8', timeout: 90_000, env, input: '' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function markersOn(node: string): Promise<string> {
  return (await sshOk(node, ['sh', '-c', 'ls -d "$1"-* 2>/dev/null || true', 'sh', MARK])).trim();
}

describe('shell metacharacters through the real sshd never execute (read-only)', { timeout: 600_000 }, () => {
  let dir: string;
  const src = ['--ssh-config', SSH_CONFIG, '--host', 'node1'];
  before(() => {
    requireCluster();
    dir = mkdtempSync(path.join(tmpdir(), 'pcx-inject-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('resource ids, node names, log filters and host names: refused or matched literally, no marker anywhere', async () => {
    let n = 0;
    const runs: { args: string[]; code: number | null; stderr: string }[] = [];
    const run = (args: string[]) => {
      const r = pcx(args);
      runs.push({ args, code: r.code, stderr: r.stderr });
      return r;
    };
    for (const s of hostile(n++)) run(['cleanup', s, ...src, '--yes']);
    for (const s of hostile(n++)) run(['switchover', 'redis-clone', '--to', s, ...src, '--yes']);
    for (const s of hostile(n++)) run(['standby', s, ...src, '--yes']);
    for (const s of hostile(n++)) run(['ban', s, '--from', 'node2', ...src, '--dry-run']);
    for (const s of hostile(n++)) run(['logs', ...src, '--no-fallback', '--resource', s, '--grep', s, '--lines', '20']);
    for (const s of hostile(n++)) run(['status', '--ssh-config', SSH_CONFIG, '--host', s, '--no-fallback']);
    for (const r of runs) {
      assert.ok(r.code !== null, `pcx ${r.args.join(' ')} finished`);
      assert.doesNotMatch(r.stderr, /internal error|\n\s+at .+:\d+:\d+/, `no crash: pcx ${JSON.stringify(r.args)}\n${r.stderr}`);
    }
    // Operations on things that do not exist are refused, never run.
    for (const r of runs.filter((x) => ['cleanup', 'standby', 'switchover'].includes(x.args[0]!))) assert.equal(r.code, 2, `refused: ${JSON.stringify(r.args)}\n${r.stderr}`);
    assert.equal(await markersOn('node1'), '', 'no marker on node1');
    assert.equal(await markersOn('node2'), '', 'no marker on node2');
    for (let i = 0; i < n; i++) for (const c of 'abcdefgh') assert.ok(!existsSync(`${MARK}-${i}${c}`), `no marker on this machine (${MARK}-${i}${c})`);
    const s = await crmMon('node1');
    assert.deepEqual(nodesInRole(s, 'redis', 'Promoted'), ['node1'], `the cluster is untouched: ${describeState(s)}`);
    assert.ok(s.nodes.every((x) => !x.standby), 'no node went into standby');
  });

  test('a cluster folder with hostile file and node names: refused with a message, nothing runs', async () => {
    // File names can't hold '/', so these markers are relative: they would land in the shell's working directory.
    const rel = `pcx-pwned-${process.pid}`;
    const folder = path.join(dir, `c$(touch ${rel}-fa)`);
    mkdirSync(folder);
    writeFileSync(path.join(folder, 'corosync.conf'), `totem {\n    version: 2\n    cluster_name: c\n    transport: knet\n}\nnodelist {\n    node {\n        ring0_addr: 10.0.0.1\n        name: n1$(touch ${MARK}-fb)\n        nodeid: 1\n    }\n}\nquorum {\n    provider: corosync_votequorum\n}\n`);
    writeFileSync(path.join(folder, `x;touch ${rel}-fc.crm`), 'property stonith-enabled=false\n');
    for (const verb of ['diff', 'bootstrap', 'pull']) {
      const r = pcx([verb, folder, '--ssh-config', SSH_CONFIG, ...(verb === 'bootstrap' ? ['--dry-run'] : [])]);
      assert.equal(r.code, 2, `${verb}: ${r.stderr}`);
      assert.doesNotMatch(r.stderr, /internal error/);
    }
    for (const c of ['fa', 'fc']) for (const where of [process.cwd(), dir, folder]) assert.ok(!existsSync(path.join(where, `${rel}-${c}`)), `no marker ${c} in ${where}`);
    assert.ok(!existsSync(`${MARK}-fb`), 'no marker fb on this machine');
    assert.equal(await markersOn('node1'), '');
    assert.equal((await sshOk('node1', ['sh', '-c', 'ls -d "$HOME/$1"-* 2>/dev/null || true', 'sh', rel])).trim(), '', 'no relative marker in root\'s home on node1');
  });
});
