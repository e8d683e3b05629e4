/**
 * Hostile text in the real cluster's data (issue 29 §2, §3): a node attribute set with crm_attribute, a Redis
 * REPLICAOF host (the replica's master_host) and a line in node1's Pacemaker log hold markdown (emphasis, link,
 * image, theme icon) and terminal control sequences (title, screen clear, colour, C1 CSI). Read through the real
 * sshd, they reach the explorer's tooltips only as text (no link, image or icon once rendered), and `pcx status`,
 * `pcx logs` and `pcx history` print them only as visible escapes. The attribute, replication and Redis maintenance
 * are put back and the seed state restored at the end.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { fetchClusterXml, parseClusterXml, type ClusterTarget } from '../../src/core/cluster/live';
import { assessHealth } from '../../src/core/cluster/health';
import { buildSnapshot } from '../../src/core/cluster/snapshot';
import { buildClusterTree, type ExplorerNode } from '../../src/core/explorer/tree';
import { SshPool } from '../../src/core/ssh/pool';
import { readWorkload } from '../../src/core/workload/read';
import { withWorkload } from '../../src/core/workload/report';
import { assertInert, HOSTILE as MD_HOSTILE, mdText } from '../unit/explorer/markdownText';
import { assertPrintable } from '../unit/cli/terminalCheck';
import { crmMon, ensureSeed, requireCluster, ssh, sshOk, SSH_CONFIG, waitFor } from './helpers';

const repoRoot = path.join(__dirname, '..', '..');
const tsxLoader = pathToFileURL(require.resolve('tsx')).href;
const TARGET: ClusterTarget = { name: 'test', hosts: ['node1', 'node2'], sshConfigPath: SSH_CONFIG };
/** Markdown and terminal control in one value (no space or newline: a Redis host and a log field must stay one word). */
const HOSTILE = 'x**Cluster_verified_OK**[Open_runbook](https://evil.example/r)![](https://evil.example/p.png)$(pass-filled)\u001b]0;owned\u0007\u001b[2J\u001b[31mFAKE\u009b2J';

function pcx(args: readonly string[]) {
  const r = spawnSync(process.execPath, ['--import', tsxLoader, path.join(repoRoot, 'src', 'cli', 'pcx.ts'), ...args], { encoding: 'utf8', timeout: 90_000, env: { ...process.env, NO_COLOR: '1', REDISCLI_AUTH: '' }, input: '' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const HOSTS = ['--ssh-config', SSH_CONFIG, '--host', 'node1', '--host', 'node2'];

function walk(n: ExplorerNode): ExplorerNode[] {
  return [n, ...n.children.flatMap(walk)];
}

describe('hostile markdown and terminal sequences in the real cluster\'s data (mutates it; restores seed)', { timeout: 600_000 }, () => {
  let pool: SshPool;
  before(() => {
    requireCluster();
    pool = new SshPool({}, { attempts: 2 });
  });
  after(async () => {
    pool?.closeAll();
    await ssh('node1', ['crm_attribute', '-N', 'node2', '-n', 'site', '-D']);
    await ssh('node2', ['redis-cli', 'REPLICAOF', 'node1', '6379']);
    await ssh('node1', ['pcs', 'resource', 'meta', 'redis-clone', 'maintenance=']);
    ensureSeed();
  });

  test('crm_attribute site=<hostile> on node2 and REPLICAOF <hostile> on the replica: tooltips inert; pcx status, logs and history printable', async () => {
    const t0 = Date.now();
    // The CIB is XML: it cannot hold ESC, so the attribute carries the markdown (the value and more).
    await sshOk('node1', ['crm_attribute', '-N', 'node2', '-n', 'site', '-v', MD_HOSTILE]);
    // Without maintenance Pacemaker's monitor would re-point the replica before we read it.
    await sshOk('node1', ['pcs', 'resource', 'meta', 'redis-clone', 'maintenance=true']);
    await waitFor('redis-clone unmanaged', 60_000, async () => (/<clone id="redis-clone"[^>]*managed="false"/.test((await crmMon('node1')).xml) ? true : undefined));
    await sshOk('node2', ['redis-cli', 'REPLICAOF', HOSTILE, '6379']);
    const since = new Date(Date.now() - 60_000);
    const stamp = `${since.toString().slice(4, 10)} ${new Date().toTimeString().slice(0, 8)}.000`;
    await sshOk('node1', ['sh', '-c', 'printf "%s\\n" "$1" >> /var/log/pacemaker/pacemaker.log', 'sh', `${stamp} node1 pacemaker-controld  [77] (log_executor_event) \tnotice: Result of monitor operation for VIP on node1: ${HOSTILE}`]);

    const { tree, withHost } = await waitFor('the hostile attribute and master_host in the tree', 60_000, async () => {
      const xml = await fetchClusterXml(TARGET, { pool });
      const parsed = parseClusterXml(xml);
      if (!parsed.ok) throw new Error(parsed.error.message);
      const snapshot = buildSnapshot(parsed.value.crmMon, parsed.value.cib);
      const workload = await readWorkload(snapshot, TARGET, { pool });
      const tree = buildClusterTree({ name: 'test', hosts: TARGET.hosts, snapshot, workload, health: withWorkload(assessHealth(snapshot), workload), host: 'node1' });
      const withHost = walk(tree).filter((n) => n.tooltip && /Open_runbook|Open runbook/.test(mdText(n.tooltip)));
      return withHost.length >= 3 ? { tree, withHost } : undefined;
    });
    const tips = walk(tree).filter((n) => n.tooltip);
    for (const n of tips) assertInert(n.tooltip!, n.id);
    const ids = withHost.map((n) => n.id);
    assert.ok(ids.some((id) => id.endsWith('/node/node2/attr/p/site')), `the attribute row shows it: ${ids.join(', ')}`);
    assert.ok(ids.some((id) => id.includes('redis-clone')), `a Redis row shows master_host: ${ids.join(', ')}`);

    const status = pcx(['status', ...HOSTS, '--no-color']);
    assert.ok(status.code === 1, `pcx status: degraded (link down), exit ${status.code}\n${status.stdout}${status.stderr}`);
    assert.ok(status.stdout.includes('FAKE'), `the hostile master_host is shown, as text:\n${status.stdout}`);
    assertPrintable(status.stdout, 'pcx status');
    assertPrintable(status.stderr, 'pcx status stderr');
    const json = pcx(['status', ...HOSTS, '--json']);
    assertPrintable(json.stdout, 'pcx status --json');
    assert.ok(JSON.stringify(JSON.parse(json.stdout)).includes('FAKE'));
    const logs = pcx(['logs', ...HOSTS, '--lines', '50']);
    assert.ok(logs.stdout.includes('FAKE'), `pcx logs shows the line:\n${logs.stdout.slice(-2000)}\n${logs.stderr}`);
    assertPrintable(logs.stdout, 'pcx logs');
    const history = pcx(['history', ...HOSTS, '--since', since.toISOString()]);
    assertPrintable(history.stdout, 'pcx history');
    assertPrintable(history.stderr, 'pcx history stderr');
    console.log(`hostile text through the real cluster: ${tips.length} tooltips inert, ${withHost.length} show the value; status/json/logs/history printable; ${Date.now() - t0} ms`);
  });
});
