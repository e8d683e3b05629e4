/**
 * `pcx logs --follow` when its stream is cut on the real test cluster: the remote `tail` killed, the SSH
 * connection dropped (the sshd session serving the tail killed), and the path between us and node1 cut while
 * following (a blackhole route on node1 to this machine: node1 keeps its peer, so the cluster does not split).
 * Each time, marker lines in Pacemaker's format are appended to node1's pacemaker.log before, during and after
 * the outage; the follower must name node1 and what happened, resume by itself, and deliver every marker exactly
 * once (none lost, none repeated). An outage longer than the read-back is said as 'log-gap', not hidden.
 * The first backlog is one line (--lines 1): the resume must not be sized by it. The cluster is left as it was
 * (only node1's log grows; the route is put back).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createInterface } from 'node:readline';
import { fault, requireCluster, sshOk, SSH_CONFIG, waitFor } from './helpers';

const repoRoot = path.join(__dirname, '..', '..');
const tsxLoader = pathToFileURL(require.resolve('tsx')).href;
const PCX = path.join(repoRoot, 'src', 'cli', 'pcx.ts');
const LOG = '/var/log/pacemaker/pacemaker.log';
const CLUSTER_SH = path.join(__dirname, 'cluster.sh');

interface Out { kind: string; node: string; message: string; code?: string; severity?: string; hint?: string }

/**
 * Appends `count` lines `pcx-fault-test TAG i` to node1's pacemaker.log, each stamped now, as Pacemaker writes them.
 * Through `cluster.sh exec` (nsenter), so it works while the path to node1 is cut.
 */
async function writeMarkers(tag: string, count: number): Promise<void> {
  const script = [
    'import sys, datetime',
    'tag, n, log = sys.argv[1], int(sys.argv[2]), sys.argv[3]',
    'with open(log, "a") as f:',
    '    for i in range(n):',
    '        t = datetime.datetime.now()',
    '        f.write(t.strftime("%b %d %H:%M:%S.") + "%03d" % (t.microsecond // 1000) + f" node1 pacemaker-controld  [99] (pcx_test) notice: pcx-fault-test {tag} {i}\\n")',
  ].join('\n');
  const r = spawnSync('bash', [CLUSTER_SH, 'exec', 'node1', 'python3', '-c', script, tag, String(count), LOG], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.status, 0, `writing markers on node1: ${r.stderr}`);
}

class Follower {
  readonly out: Out[] = [];
  stderr = '';
  private readonly child: ChildProcess;
  constructor(sshConfig: string) {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    delete env.SSH_AUTH_SOCK;
    this.child = spawn(process.execPath, ['--import', tsxLoader, PCX, 'logs', '--host', 'node1', '--ssh-config', sshConfig, '--follow', '--json', '--lines', '1'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    createInterface({ input: this.child.stdout! }).on('line', (text) => this.out.push(JSON.parse(text) as Out));
  }
  markers(tag: string): string[] {
    return this.out.filter((o) => o.kind === 'line' && o.message.startsWith(`pcx-fault-test ${tag} `)).map((o) => o.message);
  }
  statuses(from = 0): Out[] {
    return this.out.slice(from).filter((o) => o.kind === 'status');
  }
  async waitMarkers(tag: string, count: number, timeoutMs: number): Promise<void> {
    await waitFor(`${count} '${tag}' markers from node1`, timeoutMs, async () => (this.markers(tag).length >= count ? true : undefined), () => `${this.markers(tag).length} so far; stderr: ${this.stderr.slice(-800)}`, 200);
    await new Promise((r) => setTimeout(r, 1500)); // a duplicate would come right behind
  }
  async waitStatus(what: string, from: number, re: RegExp, timeoutMs: number): Promise<Out> {
    return waitFor(what, timeoutMs, async () => this.statuses(from).find((s) => re.test(`${s.code} ${s.message}`)), () => `statuses: ${this.statuses(from).map((s) => `${s.code}: ${s.message}`).join(' | ')}`, 200);
  }
  async stop(): Promise<number | null> {
    if (this.child.exitCode !== null) return this.child.exitCode;
    const closed = new Promise<number | null>((r) => this.child.on('close', r));
    this.child.kill('SIGINT');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    const code = await closed;
    clearTimeout(timer);
    return code;
  }
}

/** Every marker of `tag` 0..count-1 exactly once, in order. */
function assertExactlyOnce(f: Follower, tag: string, count: number): void {
  const got = f.markers(tag);
  const expected = Array.from({ length: count }, (_, i) => `pcx-fault-test ${tag} ${i}`);
  assert.deepEqual(got, expected, `'${tag}' markers: ${got.length} delivered for ${count} written`);
}

/** The pid of the sshd session process whose child is node1's `tail -F … pacemaker.log`. */
async function tailSessionPid(): Promise<string> {
  const ps = await sshOk('node1', ['ps', '-eo', 'ppid=,args=']);
  const line = ps.split('\n').find((l) => /\btail -n \d+ -F (-- )?\/var\/log\/pacemaker\/pacemaker\.log/.test(l));
  assert.ok(line, `no tail of pacemaker.log on node1:\n${ps}`);
  return line.trim().split(/\s+/)[0]!;
}

describe('pcx logs --follow survives its stream being cut (real cluster)', { timeout: 300_000 }, () => {
  let dir: string;
  let fastKeepalive: string;
  before(() => {
    requireCluster();
    dir = mkdtempSync(path.join(tmpdir(), 'pcx-logs-faults-'));
    // The path-cut case needs the dead connection noticed in seconds: ServerAliveInterval, as a user would set it.
    fastKeepalive = path.join(dir, 'ssh_config');
    writeFileSync(fastKeepalive, `Host *\n  ServerAliveInterval 1\n  ServerAliveCountMax 3\n\n${readFileSync(SSH_CONFIG, 'utf8')}`);
  });
  after(() => {
    try {
      fault('node1', 'restore-from-host');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('tail killed on node1 → "node1: pacemaker.log stream stopped (tail … was killed)", resumed; every marker once', async (t) => {
    const f = new Follower(SSH_CONFIG);
    try {
      await waitFor('the one backlog line from node1', 20_000, async () => (f.out.some((o) => o.kind === 'line') ? true : undefined), () => f.stderr, 200);
      await writeMarkers('before-kill', 3);
      await f.waitMarkers('before-kill', 3, 10_000);
      const from = f.out.length;
      const t0 = Date.now();
      await sshOk('node1', ['pkill', '-x', 'tail']);
      await writeMarkers('during-kill', 20);
      const stopped = await f.waitStatus('the stopped stream named', from, /^log-stream-stopped node1: pacemaker\.log stream stopped \(tail on the node was killed \(SIGTERM\)\); reconnecting/, 10_000);
      assert.equal(stopped.node, 'node1');
      await f.waitStatus('the stream resumed', from, /^log-stream-resumed node1: pacemaker\.log stream resumed/, 15_000);
      t.diagnostic(`tail killed → resumed in ${Date.now() - t0} ms`);
      await writeMarkers('after-kill', 3);
      await f.waitMarkers('after-kill', 3, 10_000);
      assertExactlyOnce(f, 'before-kill', 3);
      assertExactlyOnce(f, 'during-kill', 20);
      assertExactlyOnce(f, 'after-kill', 3);
      assert.equal(f.statuses(from).filter((s) => s.code === 'log-gap').length, 0);
    } finally {
      assert.equal(await f.stop(), 0, `pcx logs ends cleanly on Ctrl-C; stderr: ${f.stderr}`);
    }
  });

  test('the SSH connection dropped under the tail → "the SSH connection dropped", reconnected; 300 lines written meanwhile all arrive once; 6000 → log-gap', async (t) => {
    const f = new Follower(SSH_CONFIG);
    try {
      await waitFor('the one backlog line from node1', 20_000, async () => (f.out.some((o) => o.kind === 'line') ? true : undefined), () => f.stderr, 200);
      let from = f.out.length;
      let t0 = Date.now();
      await sshOk('node1', ['kill', await tailSessionPid()]);
      await writeMarkers('during-drop', 300);
      await f.waitStatus('the dropped connection named', from, /^log-stream-stopped node1: pacemaker\.log stream stopped \(the SSH connection dropped\)/, 10_000);
      await f.waitStatus('the stream resumed', from, /^log-stream-resumed node1: pacemaker\.log/, 15_000);
      await f.waitMarkers('during-drop', 300, 15_000);
      t.diagnostic(`connection dropped → resumed and 300 lines in ${Date.now() - t0} ms`);
      assertExactlyOnce(f, 'during-drop', 300);

      // More than a restart reads back (5000 lines): the loss is said, with where to read it.
      from = f.out.length;
      t0 = Date.now();
      await sshOk('node1', ['kill', await tailSessionPid()]);
      await writeMarkers('flood', 6000);
      const gap = await f.waitStatus('the gap reported', from, /^log-gap node1: more than 5000 lines were written to pacemaker\.log while its stream was down/, 20_000);
      assert.equal(gap.severity, 'warning');
      assert.match(gap.hint ?? '', /--node node1 --since \d{4}-\d\d-\d\dT[\d:.]+Z --lines 20000/);
      await f.waitMarkers('flood', 5000, 20_000);
      const flood = f.markers('flood');
      t.diagnostic(`6000 lines during the outage: ${flood.length} delivered, gap said after ${Date.now() - t0} ms`);
      assert.equal(new Set(flood).size, flood.length, 'no flood line twice');
      assert.equal(flood.at(-1), 'pcx-fault-test flood 5999');
    } finally {
      assert.equal(await f.stop(), 0, `pcx logs ends cleanly on Ctrl-C; stderr: ${f.stderr.slice(-2000)}`);
    }
  });

  test('the path to node1 cut while following → dropped within the keepalive, retries say why, resumes when the path is back; every marker once', async (t) => {
    const f = new Follower(fastKeepalive);
    try {
      await waitFor('the one backlog line from node1', 20_000, async () => (f.out.some((o) => o.kind === 'line') ? true : undefined), () => f.stderr, 200);
      const from = f.out.length;
      const t0 = Date.now();
      fault('node1', 'cut-from-host');
      await writeMarkers('during-cut', 10);
      const dropped = await f.waitStatus('the dropped connection named', from, /^log-stream-stopped node1: pacemaker\.log stream stopped \(the SSH connection dropped\)/, 15_000);
      const droppedMs = Date.now() - t0;
      await f.waitStatus('a failed reconnect that says why', from, /node1: still cannot read its logs: /, 30_000);
      fault('node1', 'restore-from-host');
      const t1 = Date.now();
      await f.waitStatus('the stream resumed', from, /^log-stream-resumed node1: pacemaker\.log/, 40_000);
      await f.waitMarkers('during-cut', 10, 10_000);
      t.diagnostic(`path cut → '${dropped.message}' after ${droppedMs} ms; path back → resumed after ${Date.now() - t1} ms; retries: ${f.statuses(from).filter((s) => /still cannot/.test(s.message)).map((s) => s.message).join(' | ')}`);
      assertExactlyOnce(f, 'during-cut', 10);
    } finally {
      fault('node1', 'restore-from-host');
      assert.equal(await f.stop(), 0, `pcx logs ends cleanly on Ctrl-C; stderr: ${f.stderr.slice(-2000)}`);
    }
  });
});
