// One entry point for every test suite, so README, CI and developers run the same thing.
//   unit    — plain Node, fixtures and ../shared/corpus; no cluster, no network.
//   cluster — against the real 2-node test cluster (brought up in the seed state when it is not up).
//   ui      — a real VS Code (code-server) in Chromium against the real test cluster.
//   all     — the three, in that order.
// Prints one closing line "tests: N passed, N failed, N skipped" summed over the suites.
// Every skipped test is listed with its reason; in CI (CI=true) a skip fails the run unless its
// reason is on the short allow-list in scripts/skip-policy.mjs (docs/testing.md).
// PCX_TEST_DIR (default: test/) is where the suites' folders are; the run-tests unit test uses it.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeSkip, disallowedSkips } from './skip-policy.mjs';

const mode = process.argv[2] ?? 'unit';
const extraArgs = process.argv.slice(3);
const root = new URL('..', import.meta.url).pathname;
const testDir = process.env.PCX_TEST_DIR ?? join(root, 'test');
const inCi = process.env.CI === 'true' || process.env.CI === '1';
const skipLogDir = mkdtempSync(join(tmpdir(), 'pcx-skips-'));

function findTests(dir) {
  const out = [];
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...findTests(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status}`);
}

const totals = { pass: 0, fail: 0, skipped: 0 };
const skips = [];

function runSuite(name, files, { concurrency }) {
  return new Promise((resolve) => {
    if (files.length === 0) {
      console.log(`[${name}] no test files`);
      resolve(0);
      return;
    }
    console.log(`\n=== ${name} tests (${files.length} files) ===`);
    const skipLog = join(skipLogDir, `${name}.jsonl`);
    const reporters = ['--test-reporter=spec', '--test-reporter-destination=stdout', `--test-reporter=${join(root, 'scripts', 'skip-reporter.mjs')}`, `--test-reporter-destination=${skipLog}`];
    // A default per-test timeout, so a hung test fails with its name instead of eating CI's 90 minutes
    // (a unit test hung once under load); tests that need longer say so themselves.
    const timeout = `--test-timeout=${name === 'unit' ? 180_000 : 900_000}`;
    const args = ['--import', 'tsx', '--test', ...reporters, `--test-concurrency=${concurrency}`, timeout, ...extraArgs, ...files];
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env: process.env });
    let tail = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      tail = (tail + chunk.toString()).slice(-4000);
    });
    child.on('close', (code) => {
      for (const key of ['pass', 'fail', 'skipped']) {
        const m = tail.match(new RegExp(`^\\S*\\s*${key} (\\d+)$`, 'm'));
        if (m) totals[key] += Number(m[1]);
      }
      if (existsSync(skipLog)) {
        for (const line of readFileSync(skipLog, 'utf8').split('\n')) if (line.trim()) skips.push(JSON.parse(line));
      }
      resolve(code ?? 1);
    });
  });
}

let failed = false;
const suites = mode === 'all' ? ['unit', 'cluster', 'ui'] : [mode];
for (const suite of suites) {
  const files = findTests(join(testDir, suite));
  if (suite === 'cluster' && files.length) run('bash', ['test/cluster/cluster.sh', 'ensure', 'seed']);
  if (suite === 'ui' && files.length) {
    run('bash', ['test/cluster/cluster.sh', 'ensure', 'seed']);
    run('node', ['scripts/package.mjs', '--quiet']);
  }
  const code = await runSuite(suite, files, { concurrency: suite === 'unit' ? 2 : 1 });
  if (code !== 0) failed = true;
}
rmSync(skipLogDir, { recursive: true, force: true });
if (skips.length > 0) {
  console.log(`\nskipped tests:`);
  for (const s of skips) console.log(`  - ${describeSkip(s, root)}`);
}
const refused = inCi ? disallowedSkips(skips) : [];
if (refused.length > 0) {
  console.log(`\nCI: ${refused.length} skipped test(s) count as failures (a skip in CI means a test did not run; allowed reasons: scripts/skip-policy.mjs):`);
  for (const s of refused) console.log(`  ✖ ${describeSkip(s, root)}`);
  failed = true;
}
console.log(`\ntests: ${totals.pass} passed, ${totals.fail + refused.length} failed, ${totals.skipped} skipped`);
process.exit(failed ? 1 : 0);
