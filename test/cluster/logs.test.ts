/**
 * `pcx logs --follow` and `pcx history` against the real test cluster.
 *
 * 1. Following: with `pcx logs --follow --json` running on both nodes, `crm_resource --refresh -r VIP` makes each
 *    node probe the VIP and log the result. Each node's result line must arrive within 2 s of the time it carries,
 *    labelled with its node, and the lines must come out in time order.
 * 2. Failover: killing redis-server on the Promoted node (node1 in the seed) — `pcx history --json` must show, in
 *    this order, the failed monitor on node1, the transition that promotes node2 and moves the VIP, and then the
 *    promotion on node2 and the VIP started on node2. (The VIP starts before redis is promoted: the seed has a
 *    colocation but no order constraint, and Pacemaker's own log shows it that way too.)
 * Mutates the cluster; the seed state is restored at the end (`cluster.sh reset`).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createInterface } from 'node:readline';
import { crmMon, describe as describeMon, nodesInRole, requireCluster, sshOk, SSH_CONFIG, waitFor, type MonState } from './helpers';

const repoRoot = path.join(__dirname, '..', '..');
const CLUSTER_SH = path.join(__dirname, 'cluster.sh');
const tsxLoader = pathToFileURL(require.resolve('tsx')).href;
const PCX = [process.execPath, '--import', tsxLoader, path.join(repoRoot, 'src', 'cli', 'pcx.ts')];
const HOSTS = ['--host', 'node1', '--host', 'node2', '--ssh-config', SSH_CONFIG];

interface JsonLine { kind: string; time: string; node: string; daemon: string; level: string; message: string; parsed: boolean; }

function clusterSh(...args: string[]): void {
  const r = spawnSync('bash', [CLUSTER_SH, ...args], { encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0) throw new Error(`cluster.sh ${args.join(' ')} failed (exit ${r.status}): ${(r.stderr || r.stdout).slice(-1500)}`);
}

const isSeed = (m: MonState) => nodesInRole(m, 'redis', 'Promoted').join() === 'node1' && nodesInRole(m, 'VIP', 'Started').join() === 'node1' && m.failures.length === 0;

describe('pcx logs --follow and pcx history on the real cluster (mutates it; restores seed)', () => {
  before(async () => {
    requireCluster();
    const m = await crmMon('node1').catch(() => undefined);
    if (!m || !isSeed(m)) clusterSh('reset');
  });
  after(() => clusterSh('reset'));

  test('follow: a probe result logged on each node arrives within 2 s, prefixed by its node, in time order', async (t) => {
    const child = spawn(PCX[0]!, [...PCX.slice(1), 'logs', ...HOSTS, '--follow', '--json', '--lines', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const arrived: { line: JsonLine; at: number }[] = [];
    createInterface({ input: child.stdout }).on('line', (text) => arrived.push({ line: JSON.parse(text) as JsonLine, at: Date.now() }));
    try {
      // Started: the one backlog line of each node's Pacemaker log has come through.
      await waitFor('pcx logs --follow to deliver its backlog from both nodes', 20_000, async () =>
        new Set(arrived.filter((a) => a.line.kind === 'line').map((a) => a.line.node)).size === 2 ? true : undefined, () => `${arrived.length} lines; stderr: ${stderr}`, 200);
      const from = arrived.length;
      await sshOk('node1', ['crm_resource', '--refresh', '--resource', 'VIP']);
      const probe = (node: string) => (a: { line: JsonLine }) => a.line.kind === 'line' && a.line.node === node && /^Result of probe operation for VIP on /.test(a.line.message);
      await waitFor('a VIP probe result from each node', 30_000, async () =>
        arrived.slice(from).some(probe('node1')) && arrived.slice(from).some(probe('node2')) ? true : undefined, () => arrived.slice(from).map((a) => `${a.line.node} ${a.line.message.slice(0, 60)}`).slice(-5).join(' | '), 100);
      for (const node of ['node1', 'node2']) {
        const a = arrived.slice(from).find(probe(node))!;
        const latency = a.at - Date.parse(a.line.time);
        t.diagnostic(`${node}: "${a.line.message.slice(0, 60)}…" arrived ${latency} ms after its own time stamp`);
        assert.ok(latency <= 2000, `${node}'s line took ${latency} ms`);
      }
      const lines = arrived.slice(from).filter((a) => a.line.kind === 'line').map((a) => Date.parse(a.line.time));
      const outOfOrder = lines.filter((time, i) => i > 0 && time < lines[i - 1]!).length;
      t.diagnostic(`${lines.length} lines after the refresh, ${outOfOrder} out of time order`);
      assert.equal(outOfOrder, 0);
    } finally {
      child.kill('SIGINT');
    }
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 0, `pcx logs --follow ends cleanly on Ctrl-C; stderr: ${stderr}`);
  });

  test('failover: failed monitor on node1, then the transition, then promotion on node2 and the VIP on node2 — in pcx history', async (t) => {
    const since = new Date(Date.now() - 5000).toISOString();
    await sshOk('node1', ['pkill', '-KILL', '-x', 'redis-server']);
    const t0 = Date.now();
    let last: MonState | undefined;
    await waitFor('redis Promoted on node2 and the VIP started there', 120_000, async () => {
      last = await crmMon('node1');
      return nodesInRole(last, 'redis', 'Promoted').join() === 'node2' && nodesInRole(last, 'VIP', 'Started').join() === 'node2' ? true : undefined;
    }, () => (last ? describeMon(last) : 'nothing yet'), 1000);
    t.diagnostic(`failover took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const r = spawnSync(PCX[0]!, [...PCX.slice(1), 'history', ...HOSTS, '--since', since, '--json'], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { time: string; kind: string; subject: string; seenBy: string; summary: string; operation: string | null; resource: string | null; severity: string; transition: { planned: { verb: string; resource: string; detail: string }[] } | null });
    const oldest = [...events].reverse();
    for (let i = 1; i < events.length; i++) assert.ok(Date.parse(events[i - 1]!.time) >= Date.parse(events[i]!.time), 'newest first');
    const at = (what: string, pred: (e: (typeof events)[number]) => boolean) => {
      const i = oldest.findIndex(pred);
      assert.ok(i >= 0, `${what} is missing; the history says:\n${oldest.map((e) => `${e.time} ${e.seenBy} ${e.summary}`).join('\n')}`);
      return i;
    };
    const failed = at('the failed monitor on node1', (e) => e.kind === 'action' && e.resource === 'redis' && e.operation === 'monitor' && e.subject === 'node1' && e.severity === 'error');
    const transition = at('the transition promoting node2 and moving VIP', (e) => e.kind === 'transition' && !!e.transition?.planned.some((p) => p.verb === 'Promote' && /node2/.test(p.detail)) && !!e.transition?.planned.some((p) => p.resource === 'VIP'));
    const promoted = at('the promotion on node2', (e) => e.kind === 'action' && e.resource === 'redis' && e.operation === 'promote' && e.subject === 'node2' && e.severity === 'info');
    const vip = at('the VIP started on node2', (e) => e.kind === 'action' && e.resource === 'VIP' && e.operation === 'start' && e.subject === 'node2');
    for (const e of oldest.slice(failed, Math.max(promoted, vip) + 1)) t.diagnostic(`${e.time.slice(11, 23)} ${e.seenBy} ${e.summary}`);
    assert.ok(failed < transition, 'failed monitor before the transition');
    assert.ok(transition < promoted && transition < vip, 'the transition before the promotion and the VIP move');
    assert.equal(oldest[promoted]!.seenBy, 'node2', "the promotion comes from node2's own log");
    // The text form says the same, newest first.
    const text = spawnSync(PCX[0]!, [...PCX.slice(1), 'history', ...HOSTS, '--since', since], { encoding: 'utf8', timeout: 60_000 });
    const lines = text.stdout.split('\n');
    const idx = (re: RegExp) => lines.findIndex((l) => re.test(l));
    assert.ok(idx(/redis promoted on node2/) < idx(/transition \d+ planned by node1: .*promote redis:\d \(Unpromoted -> Promoted node2\)/), text.stdout);
    assert.ok(idx(/transition \d+ planned/) < idx(/✗ redis monitor on node1 failed: not running/), text.stdout);
  });
});
