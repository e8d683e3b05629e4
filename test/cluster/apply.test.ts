/**
 * `pcx apply` against the real test cluster in its seed state: a folder pulled from the live cluster, then
 * manual changes on the nodes (pcs resource update redis op monitor interval=7s, a changed property, a changed
 * corosync.conf key on node2) → pcx diff reports each → apply --dry-run shows the plan and changes nothing →
 * apply brings the cluster back as one CIB patch (redis keeps running where it ran: nothing is recreated) and
 * corosync.conf is rewritten with a backup and reloaded → pcx diff is clean. Restores the seed state.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { restoreSeedConfiguration, sshWithInput, writeClusterFolder } from './clusterFolder';
import { SSH_CONFIG, crmMon, describe as describeState, ensureSeed, nodesInRole, requireCluster, sshOk } from './helpers';

const repoRoot = path.join(__dirname, '..', '..');
const tsxLoader = pathToFileURL(require.resolve('tsx')).href;
const login = ['--ssh-config', SSH_CONFIG];

function pcx(args: readonly string[], timeoutMs = 200_000): { code: number | null; stdout: string; stderr: string; ms: number } {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.SSH_AUTH_SOCK;
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--import', tsxLoader, path.join(repoRoot, 'src', 'cli', 'pcx.ts'), ...args], { encoding: 'utf8', timeout: timeoutMs, env, input: '' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, ms: performance.now() - t0 };
}
const show = (r: { code: number | null; stdout: string; stderr: string }) => `exit ${r.code}\n--- stderr\n${r.stderr.slice(-3000)}\n--- stdout\n${r.stdout.slice(0, 4000)}`;

describe('pcx apply: manual changes on the nodes are brought back to the folder, only what differs (restores seed)', { timeout: 400_000 }, () => {
  let dir: string;
  let node2Corosync: string;
  let node1Corosync: string;
  const folder = () => path.join(dir, 'cluster1');
  const redisPids = async () => Promise.all(['node1', 'node2'].map(async (n) => (await sshOk(n, ['pgrep', '-x', 'redis-server'])).trim()));

  before(async () => {
    requireCluster();
    ensureSeed();
    dir = mkdtempSync(path.join(tmpdir(), 'pcx-apply-'));
    writeClusterFolder(folder());
    node2Corosync = await sshOk('node2', ['cat', '/etc/corosync/corosync.conf']);
    node1Corosync = await sshOk('node1', ['cat', '/etc/corosync/corosync.conf']);
    // The folder says what the seed cluster runs (pcx pull), plus one property the seed leaves at its default.
    const pulled = pcx(['pull', folder(), ...login]);
    assert.equal(pulled.code, 0, show(pulled));
    const spec = path.join(folder(), 'redis.crm');
    writeFileSync(spec, readFileSync(spec, 'utf8') + 'property no-quorum-policy=stop\n');
  });
  after(async () => {
    // Back to the seed: its resources and constraints as seeded, the property gone, node2's own corosync.conf.
    restoreSeedConfiguration();
    await sshOk('node1', ['crm_attribute', '--type', 'crm_config', '--name', 'no-quorum-policy', '--delete']);
    await sshOk('node1', ['crm_attribute', '--type', 'rsc_defaults', '--name', 'migration-threshold', '--update', '1']);
    sshWithInput('node1', 'cat > /etc/corosync/corosync.conf && rm -f /etc/corosync/corosync.conf.pcx-backup-*', node1Corosync);
    sshWithInput('node2', 'cat > /etc/corosync/corosync.conf && rm -f /etc/corosync/corosync.conf.pcx-backup-* && corosync-cfgtool -R', node2Corosync);
    ensureSeed();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a property the spec adds is applied as one patch; then pcx diff is clean', () => {
    const before = pcx(['diff', folder(), ...login]);
    assert.equal(before.code, 1, show(before));
    assert.match(before.stdout, /redis\.crm:\d+: property no-quorum-policy \(spec: stop; live: \(none\)\)/);
    const r = pcx(['apply', folder(), ...login, '--yes']);
    assert.equal(r.code, 0, show(r));
    assert.match(r.stdout, /CIB: 1 change\(s\), sent to node1 as one patch/);
    assert.match(r.stdout, /set property no-quorum-policy: \(unset\) → stop/);
    const after = pcx(['diff', folder(), ...login]);
    assert.equal(after.code, 0, show(after));
  });

  test('manual changes (pcs op monitor interval=7s, a property, node2 corosync.conf) → diff names each → apply previews, applies, verifies → diff clean, redis never restarted', async () => {
    await sshOk('node1', ['pcs', 'resource', 'update', 'redis', 'op', 'monitor', 'interval=7s'], { timeoutMs: 60_000 });
    await sshOk('node1', ['pcs', 'property', 'set', 'no-quorum-policy=freeze'], { timeoutMs: 60_000 });
    await sshOk('node2', ['sed', '-i', 's/^\\(\\s*timestamp:\\) on/\\1 off/', '/etc/corosync/corosync.conf']);
    const pidsBefore = await redisPids();

    const spec = readFileSync(path.join(folder(), 'redis.crm'), 'utf8').split('\n');
    const conf = readFileSync(path.join(folder(), 'corosync.conf'), 'utf8').split('\n');
    const lineOf = (lines: string[], re: RegExp) => lines.findIndex((l) => re.test(l)) + 1;
    const drift = pcx(['diff', folder(), ...login]);
    assert.equal(drift.code, 1, show(drift));
    assert.match(drift.stdout, new RegExp(`redis\\.crm:${lineOf(spec, /^primitive redis /)}: primitive redis differs live \\(spec: .*interval=5s.*; live: .*interval=7s`));
    assert.match(drift.stdout, new RegExp(`redis\\.crm:${lineOf(spec, /^property no-quorum-policy/)}: property no-quorum-policy \\(spec: stop; live: freeze\\)`));
    assert.match(drift.stdout, new RegExp(`corosync\\.conf:${lineOf(conf, /timestamp:/)}: logging\\.timestamp on node2 \\(spec: on; live: off\\)`));

    // --dry-run: the plan (changes, commands, prediction), nothing changed.
    const dry = pcx(['apply', folder(), ...login, '--dry-run']);
    assert.equal(dry.code, 0, show(dry));
    assert.match(dry.stdout, /CIB: 2 change\(s\), sent to node1 as one patch/);
    assert.match(dry.stdout, /replace primitive redis\n\s+live: .*interval=7s.*\n\s+spec: .*interval=5s/);
    assert.match(dry.stdout, /set property no-quorum-policy: freeze → stop/);
    assert.match(dry.stdout, /node1# cibadmin --patch --xml-pipe/);
    assert.match(dry.stdout, /node2# sh -c .*corosync\.conf/);
    assert.match(dry.stdout, /node1# corosync-cfgtool -R/);
    assert.match(dry.stdout, /Pacemaker predicts \(crm_simulate on a copy of the live CIB with the patch\):\n\s+no change of roles or locations/);
    assert.doesNotMatch(dry.stdout, /NEEDS A RESTART/, 'logging.timestamp reloads');
    // Without a terminal and without --yes: refused, nothing changed.
    const refused = pcx(['apply', folder(), ...login]);
    assert.equal(refused.code, 2, show(refused));
    assert.match(refused.stderr, /not asking without a terminal/);
    assert.equal(pcx(['diff', folder(), ...login]).code, 1, 'still drifted after --dry-run and the refusal');
    const json = JSON.parse(pcx(['apply', folder(), ...login, '--dry-run', '--json']).stdout) as { plan: { changes: { action: string; what: string }[]; patch: string; corosync: { host: string }[] } };
    assert.deepEqual(json.plan.changes.map((c) => `${c.action} ${c.what}`), ['replace primitive redis', 'set property no-quorum-policy']);
    assert.match(json.plan.patch, /<diff format="2">/);
    assert.deepEqual(json.plan.corosync.map((c) => c.host), ['node2']);

    const applied = pcx(['apply', folder(), ...login, '--yes']);
    assert.equal(applied.code, 0, show(applied));
    console.log(`# pcx apply (2 CIB changes + node2 corosync.conf): ${Math.round(applied.ms)} ms`);
    assert.match(applied.stdout, /backup: node2:\/etc\/corosync\/corosync\.conf\.pcx-backup-\d{4}-\d\d-\d\dT\d{6}Z/);
    assert.match(applied.stdout, /Applied and verified: no drift\./);
    const clean = pcx(['diff', folder(), ...login]);
    assert.equal(clean.code, 0, show(clean));
    assert.match(clean.stdout, /No drift/);

    assert.match(await sshOk('node1', ['cibadmin', '-Q', '--xpath', "//primitive[@id='redis']//op[@name='monitor' and not(@role)]"]), /interval="5s"/);
    assert.equal((await sshOk('node2', ['corosync-cmapctl', 'logging.timestamp'])).trim(), 'logging.timestamp (str) = on', 'Corosync reloaded the file');
    assert.deepEqual(await redisPids(), pidsBefore, 'redis-server kept running on both nodes: nothing was recreated');
    const s = await crmMon('node1');
    assert.deepEqual(nodesInRole(s, 'redis', 'Promoted'), ['node1'], describeState(s));
    assert.deepEqual(nodesInRole(s, 'redis', 'Unpromoted'), ['node2'], describeState(s));

    const again = pcx(['apply', folder(), ...login, '--yes']);
    assert.equal(again.code, 0, show(again));
    assert.match(again.stdout, /Nothing to apply/);
  });

  test("corosync.conf keys Corosync reads only at start: a file edited on disk only is just rewritten; a value the running Corosync lacks is flagged NEEDS A RESTART (exit 1), nothing restarted", async () => {
    // node2's file says crypto_hash sha1, but its running Corosync has sha256 (the folder's value): no restart needed.
    await sshOk('node2', ['sed', '-i', 's/crypto_hash: sha256/crypto_hash: sha1/', '/etc/corosync/corosync.conf']);
    const onDisk = pcx(['apply', folder(), ...login, '--yes']);
    assert.equal(onDisk.code, 0, show(onDisk));
    assert.match(onDisk.stdout, /totem\.crypto_hash on node2 \(spec: sha256; live: sha1\)/);
    assert.doesNotMatch(onDisk.stdout, /NEEDS A RESTART|needs a restart/);

    // The folder adds totem.netmtu, which no running Corosync has: written on both nodes, flagged, exit 1.
    const confFile = path.join(folder(), 'corosync.conf');
    const original = readFileSync(confFile, 'utf8');
    writeFileSync(confFile, original.replace(/(cluster_name: \S+\n)/, '$1    netmtu: 1400\n'));
    try {
      const pidsBefore = await Promise.all(['node1', 'node2'].map(async (n) => (await sshOk(n, ['pgrep', '-x', 'corosync'])).trim()));
      const r = pcx(['apply', folder(), ...login, '--yes']);
      assert.equal(r.code, 1, show(r));
      assert.match(r.stdout, /NEEDS A RESTART on node1: Corosync reads totem\.netmtu only at start; apply writes the file but restarts nothing/);
      assert.match(r.stdout, /needs a restart: totem\.netmtu on node1/);
      assert.match(r.stdout, /needs a restart: totem\.netmtu on node2/);
      assert.match(await sshOk('node1', ['cat', '/etc/corosync/corosync.conf']), /netmtu: 1400/);
      const pidsAfter = await Promise.all(['node1', 'node2'].map(async (n) => (await sshOk(n, ['pgrep', '-x', 'corosync'])).trim()));
      assert.deepEqual(pidsAfter, pidsBefore, 'Corosync was not restarted');
    } finally {
      writeFileSync(confFile, original);
    }
  });
});
