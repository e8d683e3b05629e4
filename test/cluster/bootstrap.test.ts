/**
 * `pcx bootstrap` against the real test cluster in its bare state (sshd only, nothing of a cluster running):
 * one run from a cluster folder reaches the reference state (redis Promoted on node1, Unpromoted on node2, VIP
 * on node1, replication up); a second run has nothing to do; a folder that differs from the running cluster is
 * refused without touching it; the authkey's bytes are nowhere on this machine. Restores the seed state.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeClusterFolder } from './clusterFolder';
import { SSH_CONFIG, VIP, crmMon, describe as describeState, ensureSeed, ipv4Addresses, nodesInRole, replicationInfo, requireCluster, sshOk } from './helpers';

const repoRoot = path.join(__dirname, '..', '..');
const tsxLoader = pathToFileURL(require.resolve('tsx')).href;

function pcx(args: readonly string[], timeoutMs = 400_000): { code: number | null; stdout: string; stderr: string; ms: number } {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.SSH_AUTH_SOCK;
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--import', tsxLoader, path.join(repoRoot, 'src', 'cli', 'pcx.ts'), ...args], { encoding: 'utf8', timeout: timeoutMs, env, input: '' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, ms: performance.now() - t0 };
}
const show = (r: { code: number | null; stdout: string; stderr: string }) => `exit ${r.code}\n--- stderr\n${r.stderr.slice(-3000)}\n--- stdout\n${r.stdout.slice(0, 3000)}`;

function clusterSh(...args: string[]): void {
  const r = spawnSync('bash', [path.join(__dirname, 'cluster.sh'), ...args], { encoding: 'utf8', timeout: 400_000 });
  if (r.status !== 0) throw new Error(`cluster.sh ${args.join(' ')}: ${(r.stderr || r.stdout).slice(-2000)}`);
}

/** Every regular file under `dir` (bounded), for the authkey search. */
function filesUnder(dir: string, out: string[] = [], limit = 20_000): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const n of names) {
    if (out.length >= limit) break;
    const p = path.join(dir, n);
    let st;
    try {
      st = statSync(p, { throwIfNoEntry: false });
    } catch {
      continue;
    }
    if (!st) continue;
    if (st.isDirectory() && !/node_modules|\.git$|\.tools|pcx-test-cluster/.test(p)) filesUnder(p, out, limit);
    else if (st.isFile() && st.size < 5_000_000) out.push(p);
  }
  return out;
}

describe('pcx bootstrap on the bare test cluster (restores seed)', { timeout: 900_000 }, () => {
  let dir: string;
  const folder = () => path.join(dir, 'cluster1');
  const login = ['--ssh-config', SSH_CONFIG];
  before(() => {
    requireCluster();
    clusterSh('ensure', 'bare');
    dir = mkdtempSync(path.join(tmpdir(), 'pcx-bootstrap-'));
    writeClusterFolder(folder());
  });
  after(() => {
    // The drift test changed the cluster by hand: rebuild the seed from scratch rather than trust a patch-up.
    clusterSh('down');
    ensureSeed();
    rmSync(dir, { recursive: true, force: true });
  });

  test('--dry-run prints the plan (files, start order, the CIB to load) and changes nothing', async () => {
    const r = pcx(['bootstrap', folder(), ...login, '--dry-run']);
    assert.equal(r.code, 0, show(r));
    assert.match(r.stdout, /Bootstrap cluster1 on node1, node2/);
    assert.match(r.stdout, /start Pacemaker on node1 and wait until it is DC/);
    assert.match(r.stdout, /start Pacemaker on node2 and wait until they joined/);
    assert.match(r.stdout, /cibadmin --replace --scope configuration --xml-pipe/);
    assert.equal((await sshOk('node1', ['sh', '-c', 'pgrep -x corosync || echo none'])).trim(), 'none', 'nothing started');
  });

  test('bootstrap from the folder reaches the reference state; a second run has nothing to do', async () => {
    const r = pcx(['bootstrap', folder(), ...login, '--yes']);
    assert.equal(r.code, 0, show(r));
    console.log(`# bootstrap: ${Math.round(r.ms / 1000)} s\n${r.stderr.split('\n').filter((l) => /✓|✗/.test(l)).map((l) => `#   ${l}`).join('\n')}`);
    const s = await crmMon('node1');
    assert.deepEqual(nodesInRole(s, 'redis', 'Promoted'), ['node1'], describeState(s));
    assert.deepEqual(nodesInRole(s, 'redis', 'Unpromoted'), ['node2'], describeState(s));
    assert.ok((await ipv4Addresses('node1')).some((a) => a.startsWith(`${VIP}/`)), 'VIP on node1');
    const rep = await replicationInfo('node2');
    assert.equal(rep.role, 'slave');
    assert.equal(rep.master_link_status, 'up');
    assert.match(r.stdout, /redis-clone: Promoted on node1; Unpromoted on node2/);

    const again = pcx(['bootstrap', folder(), ...login, '--yes']);
    assert.equal(again.code, 0, show(again));
    assert.match(again.stdout, /Nothing to do/);
  });

  test('a folder that differs from the running cluster is refused and nothing is touched', async () => {
    const other = path.join(dir, 'other');
    writeClusterFolder(other, VIP.replace(/\.\d+$/, '.101'));
    const before = (await sshOk('node1', ['cibadmin', '-Q', '--scope', 'configuration'])).length;
    const r = pcx(['bootstrap', other, ...login, '--yes']);
    assert.equal(r.code, 2, show(r));
    assert.match(r.stderr, /node1 already runs corosync and pacemakerd: bootstrap never overwrites a live cluster/);
    assert.match(r.stderr, /redis\.crm:\d+: primitive VIP differs live/);
    assert.equal((await sshOk('node1', ['cibadmin', '-Q', '--scope', 'configuration'])).length, before, 'the CIB is unchanged');
  });

  test('drift: a manual change on a node (pcs resource update … op monitor interval=7s, a default) → pcx diff names each at its line; pcx pull brings the spec to the cluster, comments kept, and the drift is gone', async () => {
    const clean = pcx(['diff', folder(), ...login]);
    assert.equal(clean.code, 0, show(clean));
    assert.match(clean.stdout, /No drift/);
    await sshOk('node1', ['pcs', 'resource', 'update', 'redis', 'op', 'monitor', 'interval=7s'], { timeoutMs: 60_000 });
    await sshOk('node1', ['crm_attribute', '--type', 'rsc_defaults', '--name', 'migration-threshold', '--update', '3']);
    const drift = pcx(['diff', folder(), ...login]);
    assert.equal(drift.code, 1, show(drift));
    const spec = readFileSync(path.join(folder(), 'redis.crm'), 'utf8').split('\n');
    const lineOf = (re: RegExp) => spec.findIndex((l) => re.test(l)) + 1;
    assert.match(drift.stdout, new RegExp(`redis\\.crm:${lineOf(/^primitive redis /)}: primitive redis differs live \\(spec: .*interval=5s.*; live: .*interval=7s`), show(drift));
    assert.match(drift.stdout, new RegExp(`redis\\.crm:${lineOf(/^rsc_defaults /)}: rsc_defaults migration-threshold \\(spec: 1; live: 3\\)`), show(drift));
    const json = JSON.parse(pcx(['diff', folder(), ...login, '--json']).stdout) as { drift: { kind: string }[] };
    assert.equal(json.drift.length, 2, JSON.stringify(json));

    // Pull brings the spec to the cluster instead: a backup, comments kept, and no drift afterwards.
    const pulled = pcx(['pull', folder(), ...login]);
    assert.equal(pulled.code, 0, show(pulled));
    assert.match(pulled.stdout, /previous file: .*redis\.crm\.pcx-backup-/);
    const text = readFileSync(path.join(folder(), 'redis.crm'), 'utf8');
    assert.match(text, /# The reference Redis pair[^\n]*\nprimitive redis /, 'the comment above redis stays above it');
    assert.match(text, /# pcx-disable-next-line crm\/stonith-disabled\nproperty /);
    assert.match(text, /interval=7s/);
    assert.doesNotMatch(text, /dc-version|_REPL_INFO|have-watchdog/, 'what the cluster writes itself stays out');
    const after = pcx(['diff', folder(), ...login]);
    assert.equal(after.code, 0, `no drift after pull: ${show(after)}`);
    const lint = pcx(['lint', path.join(folder(), 'redis.crm')]);
    assert.ok(lint.code === 0, `the pulled spec lints without errors: ${show(lint)}`);
  });

  test("the authkey's bytes appear in no local file: workspace, temp dir, the project, the logs", async () => {
    const key = Buffer.from((await sshOk('node1', ['base64', '-w0', '/etc/corosync/authkey'])).trim(), 'base64');
    assert.ok(key.length >= 128, `an authkey of ${key.length} bytes`);
    const needle = key.subarray(0, 32);
    const b64 = key.toString('base64').slice(0, 40);
    const places = [dir, tmpdir(), repoRoot, '/var/log'];
    let searched = 0;
    for (const place of places) {
      for (const f of filesUnder(place)) {
        let content: Buffer;
        try {
          content = readFileSync(f);
        } catch {
          continue;
        }
        searched++;
        assert.ok(!content.includes(needle) && !content.includes(b64), `authkey bytes found in ${f}`);
      }
    }
    assert.ok(searched > 100, `searched ${searched} files`);
  });
});
