/**
 * The fault suite: each fault injected into the real test cluster (cluster.sh fault …), held, then cleared,
 * the way Pacemaker's CTS does it. For each, `pcx status` as a user runs it must answer within its timeouts
 * with a specific message (the cause and a next step) — never a hang or a stack trace — and be right again
 * by itself once the fault clears. Every wait is bounded and says what it waited for. The cluster is put
 * back in the seed state at the end (a powered-off node is rebuilt).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { SSH_CONFIG, STATE_DIR, crmMon, describe as describeState, ensureSeed, fault, nodesInRole, requireCluster, sshOk, waitFor, NODE_ADDR } from './helpers';

const repoRoot = path.join(__dirname, '..', '..');
const tsxLoader = pathToFileURL(require.resolve('tsx')).href;
const PCX = path.join(repoRoot, 'src', 'cli', 'pcx.ts');
/** The suite's own memory of cluster members, so no earlier suite's reads change which node a fallback may use. */
const CACHE_DIR = mkdtempSync(path.join(tmpdir(), 'pcx-faults-cache-'));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  json?: Record<string, unknown>;
}

/** `pcx status ARGS --json` in a child process (async: the slow-link relay lives in this process). */
function pcx(args: readonly string[], timeoutMs = 90_000): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', PCX_CACHE_DIR: CACHE_DIR };
  delete env.SSH_AUTH_SOCK;
  const t0 = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', tsxLoader, PCX, 'status', '--json', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      let json: Record<string, unknown> | undefined;
      try {
        json = JSON.parse(stdout) as Record<string, unknown>;
      } catch {
        json = undefined;
      }
      resolve({ code, stdout, stderr, ms: performance.now() - t0, json });
    });
  });
}

const show = (r: Run) => `exit ${r.code} after ${Math.round(r.ms)} ms\n--- stderr\n${r.stderr}\n--- stdout\n${r.stdout.slice(0, 600)}`;
const both = ['--ssh-config', SSH_CONFIG, '--host', 'node1', '--host', 'node2'];
type StatusJson = { nodes?: { name: string; online: boolean }[]; error?: { code: string; message: string; hint: string | null; host: string | null } };
const nodeOnline = (r: Run, name: string) => (r.json as StatusJson | undefined)?.nodes?.find((n) => n.name === name)?.online;

/** No stack trace, no "internal error": every failure a user sees is an expected one with a fix. */
function assertClean(r: Run): void {
  assert.doesNotMatch(r.stderr, /\n\s+at .+:\d+:\d+\)?\n|internal error|Please report/, show(r));
}

/** Polls `pcx status` until `ok(run)`; for recovery after a fault clears. */
async function untilStatus(what: string, args: readonly string[], ok: (r: Run) => boolean, timeoutMs: number): Promise<Run> {
  let last: Run | undefined;
  return waitFor(what, timeoutMs, async () => {
    last = await pcx(args);
    return ok(last) ? last : undefined;
  }, () => (last ? show(last) : ''), 1000);
}

/** A TCP relay on loopback to a node's sshd that holds every chunk `delayMs` in each direction: a slow link. */
async function slowRelay(target: string, delayMs: number): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = createConnection({ host: target, port: 22 });
    sockets.add(client).add(upstream);
    const pipe = (from: Socket, to: Socket) => from.on('data', (chunk) => setTimeout(() => to.destroyed || to.write(chunk), delayMs));
    pipe(client, upstream);
    pipe(upstream, client);
    const end = () => setTimeout(() => (client.destroy(), upstream.destroy()), delayMs);
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    close: () => new Promise((r) => {
      for (const s of sockets) s.destroy();
      server.close(() => r());
    }),
  };
}

describe('fault suite: pcx status on the real cluster under faults (restores seed)', { timeout: 900_000 }, () => {
  let dir: string;
  before(() => {
    requireCluster();
    ensureSeed();
    dir = mkdtempSync(path.join(tmpdir(), 'pcx-faults-'));
  });
  after(() => {
    for (const n of ['node1', 'node2'] as const) {
      for (const clear of ['restore-from-host', 'heal', 'link-up', 'sshd-start'] as const) {
        try {
          fault(n, clear);
        } catch {
          // the node may be gone (power-off): ensure seed rebuilds it
        }
      }
    }
    ensureSeed();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the path to both nodes cut → exit 2 within the connect timeout, each host named as unreachable; restored → status again', async () => {
    fault('node1', 'cut-from-host');
    fault('node2', 'cut-from-host');
    let r: Run;
    try {
      r = await pcx(both);
    } finally {
      fault('node1', 'restore-from-host');
      fault('node2', 'restore-from-host');
    }
    assert.equal(r.code, 2, show(r));
    assert.ok(r.ms < 40_000, `answered in ${Math.round(r.ms)} ms (connect timeout 5 s per host): ${show(r)}`);
    assert.match(r.stderr, /node1/, show(r));
    assert.match(r.stderr, /node2/, show(r));
    assert.match(r.stderr, /did not answer|unreachable|no SSH handshake|timed out|no route|not answer/i, show(r));
    assert.match(r.stderr, /→/, `a next step is given: ${show(r)}`);
    assertClean(r);
    const back = await untilStatus('status again once the path is restored', both, (x) => x.code === 0, 30_000);
    assert.equal(back.code, 0);
  });

  test('sshd stopped on node1 → read through node2, node1 named with "connection refused" and what to check; sshd back → node1 answers', async () => {
    fault('node1', 'sshd-stop');
    let viaNode2: Run;
    let alone: Run;
    try {
      viaNode2 = await pcx(both);
      // --no-fallback: node1 alone (without it pcx would read through node2, remembered from an earlier good read).
      alone = await pcx(['--ssh-config', SSH_CONFIG, '--host', 'node1', '--no-fallback']);
    } finally {
      fault('node1', 'sshd-start');
    }
    assert.ok(viaNode2.code === 0 || viaNode2.code === 1, show(viaNode2));
    assert.match(viaNode2.stderr, /node1.*(refused|ECONNREFUSED)/i, show(viaNode2));
    assert.equal(nodeOnline(viaNode2, 'node1'), true, 'node1 is still a cluster member: only its sshd is down');
    assert.equal(alone.code, 2, show(alone));
    assert.match(alone.stderr, /refused/i, show(alone));
    assert.match(alone.stderr, /sshd|port/i, `the fix names sshd or the port: ${show(alone)}`);
    assert.ok(alone.ms < 20_000, show(alone));
    assertClean(viaNode2);
    assertClean(alone);
    const back = await untilStatus('node1 answering again', ['--ssh-config', SSH_CONFIG, '--host', 'node1'], (x) => x.code === 0, 30_000);
    assert.equal(back.code, 0);
  });

  test('a slow link (every chunk held 300 ms) still gives the status; 4 s per chunk ends in a timeout that says so, not a hang', async () => {
    const relay = await slowRelay(NODE_ADDR.node1, 300);
    const config = path.join(dir, 'ssh_config_slow');
    // Through the relay the address and port are the relay's; HostKeyAlias makes ssh (and pcx) check node1's key.
    const write = (port: number) =>
      writeFileSync(config, `Host slow1\n  HostName 127.0.0.1\n  Port ${port}\n  HostKeyAlias node1\n  User root\n  IdentityFile ${STATE_DIR}/id_ed25519\n  IdentitiesOnly yes\n  UserKnownHostsFile ${STATE_DIR}/known_hosts\n  StrictHostKeyChecking yes\n  ConnectTimeout 20\n`);
    try {
      write(relay.port);
      const slow = await pcx(['--ssh-config', config, '--host', 'slow1', '--no-fallback']);
      // The status arrives (0 healthy, or 1 when an earlier suite left a note such as a fail count).
      assert.ok(slow.code === 0 || slow.code === 1, show(slow));
      assert.equal((slow.json as { source?: string } | undefined)?.source, 'slow1', show(slow));
      console.log(`# slow link 300 ms/chunk: pcx status ${Math.round(slow.ms)} ms`);
    } finally {
      await relay.close();
    }
    const stalled = await slowRelay(NODE_ADDR.node1, 4000);
    try {
      write(stalled.port);
      const r = await pcx(['--ssh-config', config, '--host', 'slow1', '--no-fallback']);
      assert.equal(r.code, 2, show(r));
      assert.ok(r.ms < 60_000, `gave up in ${Math.round(r.ms)} ms: ${show(r)}`);
      assert.match(r.stderr, /within \d+ s|timed out|did not finish|no SSH handshake/i, show(r));
      assertClean(r);
      console.log(`# stalled link 4 s/chunk: pcx status gave up after ${Math.round(r.ms)} ms`);
    } finally {
      await stalled.close();
    }
  });

  test('corosync killed on node2 → node1 reports node2 OFFLINE (exit 1); node2 alone says its cluster stack is down; corosync back → healthy', async () => {
    await sshOk('node2', ['pkill', '-KILL', '-x', 'corosync']);
    try {
      const fromNode1 = await untilStatus('node1 to see node2 OFFLINE', ['--ssh-config', SSH_CONFIG, '--host', 'node1'], (x) => nodeOnline(x, 'node2') === false, 60_000);
      assert.equal(fromNode1.code, 1, show(fromNode1));
      const node2 = await pcx(['--ssh-config', SSH_CONFIG, '--host', 'node2']);
      // Either node2 answers "not running" itself, or it is skipped and node1 speaks for it: both must say why.
      if (node2.code === 2) assert.match(node2.stderr, /pacemaker|corosync|cluster/i, show(node2));
      else assert.match(node2.stderr, /node2/, show(node2));
      assertClean(node2);
    } finally {
      await sshOk('node2', ['pcs', 'cluster', 'start'], { timeoutMs: 60_000 }).catch(() => undefined);
    }
    await waitFor('node2 back as Unpromoted', 90_000, async () => {
      const s = await crmMon('node1');
      return s.nodes.every((n) => n.online) && nodesInRole(s, 'redis', 'Unpromoted').includes('node2') ? s : undefined;
    });
  });

  test('a partition between the nodes (each still answers us) → each side reports the other OFFLINE; healed → both online again', async () => {
    fault('node1', 'partition');
    try {
      const n1 = await untilStatus('node1 to see node2 OFFLINE', ['--ssh-config', SSH_CONFIG, '--host', 'node1'], (x) => nodeOnline(x, 'node2') === false, 60_000);
      const n2 = await untilStatus('node2 to see node1 OFFLINE', ['--ssh-config', SSH_CONFIG, '--host', 'node2'], (x) => nodeOnline(x, 'node1') === false, 60_000);
      assert.equal(n1.code, 1, show(n1));
      assert.equal(n2.code, 1, show(n2));
      assertClean(n1);
      assertClean(n2);
    } finally {
      fault('node1', 'heal');
    }
    await untilStatus('both nodes online again after the heal', both, (x) => nodeOnline(x, 'node1') === true && nodeOnline(x, 'node2') === true, 90_000);
    ensureSeed();
  });

  test('node2 powered off (every process killed) → node2 skipped as unreachable, node1 reports it OFFLINE; rebuilt → seed', async () => {
    fault('node2', 'power-off');
    const r = await untilStatus('node1 to report node2 OFFLINE', ['--ssh-config', SSH_CONFIG, '--host', 'node2', '--host', 'node1'], (x) => nodeOnline(x, 'node2') === false, 60_000);
    assert.equal(r.code, 1, show(r));
    assert.match(r.stderr, /node2/, `the dead node is named: ${show(r)}`);
    assertClean(r);
    ensureSeed();
    const s = await crmMon('node1');
    assert.deepEqual(nodesInRole(s, 'redis', 'Promoted'), ['node1'], describeState(s));
  });
});
