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
 *    Each of `pcx history --host node1` and `--host node2` alone shows the failed monitor on node1 AND the promotion
 *    on node2, and `pcx logs --host node1` / `--host node2` each read both nodes (the other one found in the
 *    nodelist, issue 19), saying so in its first JSON object.
 * 3. No output lost: 6000 synthetic lines appended to node1's pacemaker.log (stamped 20-30 min ago, removed again
 *    after) make `pcx logs --json` and `pcx history --json` print over 1 MiB; through a real pipe that starts reading
 *    late it equals the same run written to a file, and `pcx logs … --json | head -1` exits 0 without an error.
 * 4. Nothing left behind: after `pcx logs --follow` ends by SIGINT or SIGTERM, no `tail` runs on either node.
 * Mutates the cluster; the seed state is restored at the end (`cluster.sh reset`).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createInterface } from 'node:readline';
import { readFileSync, rmSync } from 'node:fs';
import { crmMon, describe as describeMon, nodesInRole, requireCluster, ssh, sshOk, SSH_CONFIG, waitFor, type MonState } from './helpers';

const repoRoot = path.join(__dirname, '..', '..');
const CLUSTER_SH = path.join(__dirname, 'cluster.sh');
const tsxLoader = pathToFileURL(require.resolve('tsx')).href;
const PCX = [process.execPath, '--import', tsxLoader, path.join(repoRoot, 'src', 'cli', 'pcx.ts')];
const HOSTS = ['--host', 'node1', '--host', 'node2', '--ssh-config', SSH_CONFIG];
const ONE = (node: string) => ['--host', node, '--ssh-config', SSH_CONFIG];
/** Our own cache of remembered members: the test must find the other node in the nodelist, not in a memory. */
const ENV = { ...process.env, PCX_CACHE_DIR: `/tmp/pcx-logs-test-cache-${process.pid}` };

/** `tail` processes running on each node (ours are the only ones: the nodes run nothing else that tails). */
async function tails(): Promise<number[]> {
  return Promise.all(['node1', 'node2'].map(async (n) => Number((await ssh(n, ['pgrep', '-c', '-x', 'tail'])).stdout.trim() || '0')));
}

/** Start `pcx logs --follow`, wait for both nodes' backlog, end it with `signal`; the tails it ran on the nodes must be gone. */
async function followAndEnd(t: { diagnostic: (s: string) => void }, signal: NodeJS.Signals, hosts: string[]): Promise<void> {
  const child = spawn(PCX[0]!, [...PCX.slice(1), 'logs', ...hosts, '--follow', '--json', '--lines', '1'], { stdio: ['ignore', 'pipe', 'pipe'], env: ENV });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const nodes = new Set<string>();
  createInterface({ input: child.stdout }).on('line', (text) => {
    const l = JSON.parse(text) as JsonLine;
    if (l.kind === 'line') nodes.add(l.node);
  });
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  try {
    await waitFor('pcx logs --follow to deliver lines from both nodes', 20_000, async () => (nodes.size === 2 ? true : undefined), () => `nodes ${[...nodes].join(',')}; stderr: ${stderr}`, 200);
    const running = await tails();
    t.diagnostic(`${signal}: tails while following: node1 ${running[0]}, node2 ${running[1]}`);
    assert.ok(running[0]! >= 1 && running[1]! >= 1, `pcx logs --follow runs tail on both nodes (seen ${running.join('/')})`);
  } finally {
    child.kill(signal);
  }
  const code = await closed;
  assert.equal(code, 0, `pcx logs --follow ends cleanly on ${signal}; stderr: ${stderr}`);
  const t0 = Date.now();
  const left = await waitFor(`no tail left on the nodes after ${signal}`, 5000, async () => ((await tails()).every((n) => n === 0) ? true : undefined), () => '', 250);
  t.diagnostic(`${signal}: every tail gone ${Date.now() - t0} ms after pcx ended (${String(left)})`);
}

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
  after(() => {
    rmSync(ENV.PCX_CACHE_DIR, { recursive: true, force: true });
    clusterSh('reset');
  });

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
    await waitFor('no tail left on the nodes after Ctrl-C', 5000, async () => ((await tails()).every((n) => n === 0) ? true : undefined), () => '', 250);
  });

  test('follow ended by SIGTERM (one host given): the tails on both nodes are gone within seconds', async (t) => {
    await followAndEnd(t, 'SIGTERM', ONE('node1'));
  });

  test('no output lost: logs and history --json over 1 MiB through a pipe equal the file run; | head -1 exits 0', async (t) => {
    // 6000 lines in Pacemaker's own format, 20-30 min old (outside the other tests' windows), removed afterwards.
    const MARK = 'pcx-pipe-test';
    const start = Date.now() - 30 * 60_000;
    const stamp = (ms: number) => {
      const d = new Date(ms);
      const p = (n: number, w = 2) => String(n).padStart(w, '0');
      return `${d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' })} ${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(d.getUTCMilliseconds(), 3)}`;
    };
    const synthetic = Array.from({ length: 6000 }, (_, i) => `${stamp(start + i * 100)} node1 pacemaker-controld  [82] (log_executor_event) \tnotice: Result of start operation for pipe${i} on node1: ok | ${MARK} call=${i} key=pipe${i}_start_0 rc=0`).join('\n') + '\n';
    const log = '/var/log/pacemaker/pacemaker.log';
    const tz = (await sshOk('node1', ['date', '+%z'])).trim();
    assert.equal(tz, '+0000', 'the synthetic lines are stamped in UTC like the node');
    await new Promise<void>((resolve, reject) => {
      const c = spawn('ssh', ['-F', SSH_CONFIG, 'node1', '--', `cat >> ${log}`], { stdio: ['pipe', 'ignore', 'inherit'] });
      c.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`appending to ${log} on node1 exited ${code}`))));
      c.stdin.end(synthetic);
    });
    try {
      const dir = `/tmp/pcx-logs-pipe-${process.pid}`;
      spawnSync('mkdir', ['-p', dir]);
      const cmd = (verb: string) => [...PCX, verb, ...ONE('node1'), '--since', '40m', '--lines', '20000', '--json'].map((a) => `'${a}'`).join(' ');
      for (const verb of ['logs', 'history']) {
        const f = spawnSync('bash', ['-c', `${cmd(verb)} > ${dir}/${verb}.file 2>${dir}/${verb}.err; echo $?`], { encoding: 'utf8', timeout: 120_000, env: ENV });
        const p = spawnSync('bash', ['-c', `${cmd(verb)} 2>/dev/null | (sleep 0.3; cat) > ${dir}/${verb}.pipe; echo "\${PIPESTATUS[0]}"`], { encoding: 'utf8', timeout: 120_000, env: ENV });
        const file = readFileSync(`${dir}/${verb}.file`);
        const pipe = readFileSync(`${dir}/${verb}.pipe`);
        t.diagnostic(`pcx ${verb} --json: ${file.length} bytes to a file (exit ${f.stdout.trim()}), ${pipe.length} through a pipe (exit ${p.stdout.trim()})`);
        assert.ok(file.length > 1 << 20, `pcx ${verb} printed ${file.length} bytes; stderr: ${readFileSync(`${dir}/${verb}.err`, 'utf8')}`);
        // The runs are two reads of a live log: lines logged between them may differ; the synthetic ones may not.
        const ours = (b: Buffer) => b.toString().split('\n').filter((l) => (verb === 'logs' ? l.includes(MARK) : /"resource":"pipe\d+"/.test(l))).length;
        assert.equal(ours(pipe), ours(file), `pcx ${verb}: the pipe got ${ours(pipe)} of the ${ours(file)} synthetic lines/events`);
        assert.ok(ours(file) >= 6000, `pcx ${verb}: ${ours(file)} synthetic lines/events of 6000`);
        assert.ok(Math.abs(pipe.length - file.length) < 64 * 1024, `pcx ${verb}: ${pipe.length} bytes through the pipe vs ${file.length} to a file`);
        assert.equal(p.stdout.trim(), f.stdout.trim(), `pcx ${verb}: same exit code through the pipe`);
      }
      const head = spawnSync('bash', ['-c', `${cmd('logs')} 2>${dir}/head.err | head -1 > /dev/null; echo "\${PIPESTATUS[0]}"`], { encoding: 'utf8', timeout: 120_000, env: ENV });
      const err = readFileSync(`${dir}/head.err`, 'utf8');
      assert.equal(head.stdout.trim(), '0', `pcx logs --json | head -1 exited ${head.stdout.trim()}: ${err}`);
      assert.doesNotMatch(err, /EPIPE|internal error|Error\b|^\s+at /m, 'no error on stderr');
      spawnSync('rm', ['-rf', dir]);
    } finally {
      // Same inode (Pacemaker keeps appending to it): rewrite the file without our lines.
      await sshOk('node1', ['sh', '-c', `grep -v ${MARK} ${log} > ${log}.pcx-test; cat ${log}.pcx-test > ${log}; rm -f ${log}.pcx-test`]);
    }
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
    // Each host alone tells the whole story: the other node is found in its nodelist.
    for (const host of ['node2', 'node1']) {
      const one = spawnSync(PCX[0]!, [...PCX.slice(1), 'history', ...ONE(host), '--since', since, '--json'], { encoding: 'utf8', timeout: 60_000, env: ENV });
      assert.equal(one.status, 0, one.stderr);
      const evs = one.stdout.trim().split('\n').map((l) => JSON.parse(l) as { kind: string; subject: string; seenBy: string; resource: string | null; operation: string | null; severity: string });
      assert.ok(evs.some((e) => e.kind === 'action' && e.resource === 'redis' && e.operation === 'monitor' && e.subject === 'node1' && e.severity === 'error'), `pcx history --host ${host}: the failed monitor on node1 is missing`);
      assert.ok(evs.some((e) => e.kind === 'action' && e.resource === 'redis' && e.operation === 'promote' && e.subject === 'node2' && e.seenBy === 'node2'), `pcx history --host ${host}: the promotion on node2 is missing`);
      assert.match(one.stderr, /pcx history: read 2 of 2 node\(s\)/, `pcx history --host ${host} says it read both nodes: ${one.stderr}`);
      t.diagnostic(`pcx history --host ${host}: ${evs.length} events, both nodes' (${one.stderr.split('\n')[0]})`);
      const logs = spawnSync(PCX[0]!, [...PCX.slice(1), 'logs', ...ONE(host), '--since', since, '--json'], { encoding: 'utf8', timeout: 60_000, env: ENV, maxBuffer: 1 << 28 });
      assert.equal(logs.status, 0, logs.stderr);
      const objs = logs.stdout.trim().split('\n').map((l) => JSON.parse(l) as { kind: string; node?: string; nodes?: { node: string; read: boolean }[] });
      const read = new Set(objs.filter((o) => o.kind === 'line').map((o) => o.node));
      assert.deepEqual([...read].sort(), ['node1', 'node2'], `pcx logs --host ${host} has lines of both nodes`);
      const coverage = objs.find((o) => o.kind === 'nodes');
      assert.deepEqual(coverage?.nodes?.filter((n) => n.read).map((n) => n.node).sort(), ['node1', 'node2'], `pcx logs --host ${host} says which nodes it read`);
    }
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
