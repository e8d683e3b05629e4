/**
 * `pcx status --watch` against the real test cluster: it redraws when the cluster changes (maintenance-mode set
 * and cleared with crm_attribute, as an admin does), marks the lines that changed, prints one JSON object per
 * change with --json, and ends cleanly on SIGINT (Ctrl-C). The cluster is back in the seed state at the end.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { SSH_CONFIG, requireCluster, sshOk } from './helpers';

const repoRoot = path.join(__dirname, '..', '..');
const tsxLoader = pathToFileURL(require.resolve('tsx')).href;

interface Watch {
  readonly child: ChildProcess;
  output(): string;
  /** Resolves with the output once `predicate` holds for it; rejects after `ms` saying what it waited for. */
  until(what: string, predicate: (out: string) => boolean, ms: number): Promise<string>;
  exit(): Promise<number | null>;
}

function watch(args: readonly string[]): Watch {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.SSH_AUTH_SOCK;
  const child = spawn(process.execPath, ['--import', tsxLoader, path.join(repoRoot, 'src', 'cli', 'pcx.ts'), 'status', '--watch', '--ssh-config', SSH_CONFIG, '--host', 'node1', '--interval', '0.5', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const waiters: Array<() => void> = [];
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    for (const w of waiters.splice(0)) w();
  });
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    output: () => out,
    until: (what, predicate, ms) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`pcx status --watch: no ${what} within ${ms} ms. stderr: ${err}\nstdout tail: ${out.slice(-1500)}`)), ms);
        const check = () => {
          if (predicate(out)) {
            clearTimeout(timer);
            resolve(out);
          } else waiters.push(check);
        };
        check();
      }),
    exit: () => exited,
  };
}

const reports = (out: string) => out.split(/\n\n(?= {2}Cluster )/).filter((r) => r.includes('updated '));

describe('pcx status --watch on the test cluster', () => {
  const children: ChildProcess[] = [];
  before(() => requireCluster());
  after(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await sshOk('node1', ['crm_attribute', '--name', 'maintenance-mode', '--delete']);
  });

  test('redraws within a second of a change, marks the changed lines with », and exits 0 on Ctrl-C', async () => {
    const w = watch([]);
    children.push(w.child);
    await w.until('first report', (o) => reports(o).length >= 1, 20_000);
    assert.doesNotMatch(reports(w.output())[0], /^» /m, 'nothing is marked in the first report');

    const t0 = Date.now();
    await sshOk('node1', ['crm_attribute', '--name', 'maintenance-mode', '--update', 'true']);
    const seen = await w.until('report showing maintenance-mode', (o) => /^» .*maintenance/m.test(reports(o).at(-1) ?? ''), 10_000);
    const latency = Date.now() - t0;
    const last = reports(seen).at(-1)!;
    assert.match(last, /updated \d\d:\d\d:\d\d from node1 \(changed, CIB \d+:\d+:\d+\)/);
    // Unchanged lines keep a plain gutter.
    assert.match(last, /^ {2}Nodes$/m);
    assert.ok(latency < 3000, `the change showed after ${latency} ms`);

    await sshOk('node1', ['crm_attribute', '--name', 'maintenance-mode', '--delete']);
    await w.until('report without maintenance-mode', (o) => !/maintenance/.test(reports(o).at(-1) ?? 'maintenance'), 10_000);

    w.child.kill('SIGINT');
    const code = await Promise.race([w.exit(), new Promise<string>((r) => setTimeout(() => r('still running 5 s after SIGINT'), 5000))]);
    assert.equal(code, 0);
  });

  test('--json: one status object per change, newline-delimited', async () => {
    const w = watch(['--json']);
    children.push(w.child);
    await w.until('first JSON line', (o) => o.split('\n').filter(Boolean).length >= 1, 20_000);
    await sshOk('node1', ['crm_attribute', '--name', 'maintenance-mode', '--update', 'true']);
    const out = await w.until('a JSON line with maintenance-mode', (o) => o.split('\n').some((l) => l.includes('"maintenanceMode":true')), 10_000);
    const lines = out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { host: string; reason: string; status: { cluster: { options: { maintenanceMode: boolean | null } } } });
    assert.equal(lines[0].reason, 'initial');
    assert.equal(lines.at(-1)!.reason, 'changed');
    assert.equal(lines.at(-1)!.host, 'node1');
    assert.equal(lines.at(-1)!.status.cluster.options.maintenanceMode, true);
    await sshOk('node1', ['crm_attribute', '--name', 'maintenance-mode', '--delete']);
    w.child.kill('SIGINT');
    assert.equal(await w.exit(), 0);
  });
});
