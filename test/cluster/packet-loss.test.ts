/**
 * Packet loss between us and node1 (`cluster.sh fault node1 loss 30`: 30 % of the packets each way, dropped by a
 * tc classifier on node1's host-side veth; the nodes' own traffic is spared). `pcx status` as a user runs it must
 * either answer (TCP retransmits: slower) or fail with a timeout that says so — within a bound, never a hang or a
 * stack trace; with both hosts it gives the status one way or another; once the loss stops, node1 answers again.
 * Read-only on the cluster; the loss is removed at the end.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { fault, requireCluster, SSH_CONFIG, waitFor } from './helpers';

const repoRoot = path.join(__dirname, '..', '..');
const tsxLoader = pathToFileURL(require.resolve('tsx')).href;
const PCX = path.join(repoRoot, 'src', 'cli', 'pcx.ts');
/** pcx's own bounds (connect 10 s, a command 20 s, one fallback) stay well inside this. */
const BOUND_MS = 75_000;

interface Run { code: number | null; stdout: string; stderr: string; ms: number; source?: string }

function pcxStatus(args: readonly string[]): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.SSH_AUTH_SOCK;
  const t0 = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', tsxLoader, PCX, 'status', '--json', '--ssh-config', SSH_CONFIG, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), BOUND_MS + 30_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      let source: string | undefined;
      try {
        source = (JSON.parse(stdout) as { source?: string }).source;
      } catch {
        source = undefined;
      }
      resolve({ code, stdout, stderr, ms: performance.now() - t0, ...(source ? { source } : {}) });
    });
  });
}
const show = (r: Run) => `exit ${r.code} after ${Math.round(r.ms)} ms\n--- stderr\n${r.stderr}\n--- stdout\n${r.stdout.slice(0, 400)}`;

/**
 * Answered (0, or 1 with a note such as Redis slow to answer through the loss), or a timeout or a dropped connection
 * that says so and names the lossy network as a cause (hedged reads drop a connection sshd stopped answering on).
 */
function assertAnswerOrTimeout(r: Run, source: RegExp): string {
  assert.ok(r.ms < BOUND_MS, `no answer and no failure within ${BOUND_MS} ms: ${show(r)}`);
  assert.doesNotMatch(r.stderr, /\n\s+at .+:\d+:\d+\)?\n|internal error|Please report/, show(r));
  if (r.code === 0 || r.code === 1) {
    assert.match(r.source ?? '', source, show(r));
    return `answered from ${r.source} (exit ${r.code}) in ${Math.round(r.ms)} ms`;
  }
  assert.equal(r.code, 2, show(r));
  assert.match(r.stderr, /node1/, show(r));
  assert.match(r.stderr, /within \d+ s|did not finish|no SSH handshake|timed out|connection to node1 dropped/i, show(r));
  if (/dropped/.test(r.stderr)) assert.match(r.stderr, /losing packets/, `a dropped connection names the lossy network: ${show(r)}`);
  assert.match(r.stderr, /→ /, `a next step is given: ${show(r)}`);
  return `gave up (timeout or dropped connection) in ${Math.round(r.ms)} ms: ${r.stderr.split('\n')[0]}`;
}

describe('packet loss (30 % each way) between us and node1 (read-only; the loss is removed)', { timeout: 400_000 }, () => {
  before(() => {
    requireCluster();
    fault('node1', 'noloss');
  });
  after(() => fault('node1', 'noloss'));

  test('node1 alone: pcx status answers (slower) or says it timed out — bounded, each of 2 tries; both hosts: the status arrives; loss gone → node1 answers', async (t) => {
    const t0 = Date.now();
    fault('node1', 'loss', '30');
    try {
      for (let i = 1; i <= 2; i++) {
        const r = await pcxStatus(['--host', 'node1', '--no-fallback']);
        t.diagnostic(`node1 alone, try ${i}: ${assertAnswerOrTimeout(r, /^node1$/)}`);
      }
      const both = await pcxStatus(['--host', 'node1', '--host', 'node2']);
      assert.ok(both.code === 0 || both.code === 1, `with node2 beside it the status arrives: ${show(both)}`);
      t.diagnostic(`node1 + node2: ${assertAnswerOrTimeout(both, /^node[12]$/)}`);
    } finally {
      fault('node1', 'noloss');
    }
    let last: Run | undefined;
    const back = await waitFor('node1 answering quickly once the loss is gone', 60_000, async () => {
      last = await pcxStatus(['--host', 'node1', '--no-fallback']);
      return last.code === 0 && last.source === 'node1' ? last : undefined;
    }, () => (last ? show(last) : ''), 1000);
    t.diagnostic(`loss removed → node1 answered in ${Math.round(back.ms)} ms (whole test ${Math.round((Date.now() - t0) / 1000)} s)`);
  });
});
