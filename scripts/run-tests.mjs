// One entry point for every test suite, so README, CI and developers run the same thing.
//   unit    — plain Node, fixtures and ../shared/corpus; no cluster, no network.
//   cluster — against the real 2-node test cluster (brought up in the seed state when it is not up).
//   ui      — a real VS Code (code-server) in Chromium against the real test cluster.
//   all     — the three, in that order.
// Prints one closing line "tests: N passed, N failed, N skipped" summed over the suites.
// Every skipped test is listed with its reason; in CI (CI=true) a skip fails the run unless its
// reason is on the short allow-list in scripts/skip-policy.mjs (docs/testing.md).
// PCX_TEST_DIR (default: test/) is where the suites' folders are; the run-tests unit test uses it.
//
// The cluster suite is the long one (its tests wait on Pacemaker, not on the CPU), so it runs on several
// independent copies of the test cluster at once (cluster.sh's PCX_CLUSTER_INSTANCE): each copy takes the next
// test file from one queue, longest first, and is put back in the seed state (`cluster.sh ensure seed`, ~1 s when
// it already is) before each file. PCX_CLUSTER_INSTANCES="0,8" names the copies (default: "0,8"; a developer
// whose shell sets PCX_CLUSTER_INSTANCE=N gets that one copy only). The UI suite runs on the first copy, one
// file at a time. Each file's output is printed whole when it ends, under a header that names the file, its copy
// and its time; a table of the files' times closes the run.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describeSkip, disallowedSkips } from './skip-policy.mjs';

const mode = process.argv[2] ?? 'unit';
const extraArgs = process.argv.slice(3);
const root = new URL('..', import.meta.url).pathname;
const testDir = process.env.PCX_TEST_DIR ?? join(root, 'test');
const inCi = process.env.CI === 'true' || process.env.CI === '1';
const skipLogDir = mkdtempSync(join(tmpdir(), 'pcx-skips-'));
const instances = (process.env.PCX_CLUSTER_INSTANCES ?? process.env.PCX_CLUSTER_INSTANCE ?? '0,8')
  .split(',')
  .map((s) => s.trim())
  .filter((s) => /^[0-9]$/.test(s));
if (instances.length === 0) instances.push('0');

/**
 * How long each file took in a full run here (seconds, 2 cores), so the queue starts with the longest and the
 * copies end together. A file not listed counts as 60 s. Only the order depends on these numbers.
 */
const WEIGHTS = {
  'cluster/operations.test.ts': 250,
  'cluster/services.test.ts': 120,
  'cluster/faults.test.ts': 150,
  'cluster/workload.test.ts': 110,
  'cluster/status.test.ts': 100,
  'cluster/bootstrap.test.ts': 110,
  'cluster/lifecycle.test.ts': 80,
  'cluster/logs-faults.test.ts': 70,
  'cluster/fallback.test.ts': 60,
  'cluster/apply.test.ts': 60,
  'cluster/logs.test.ts': 50,
  'cluster/packet-loss.test.ts': 50,
};

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

function runAsync(cmd, args, opts = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

const totals = { pass: 0, fail: 0, skipped: 0 };
const skips = [];
const timings = [];
let skipLogs = 0;

/**
 * The runner's own summary ("ℹ pass 12") of one node --test process, read line by line as the output streams (the
 * last one wins): a long failure report printed after it can be far longer than any tail window.
 */
function summaryReader() {
  const last = {};
  let partial = '';
  return {
    take(chunk) {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        const m = /^\S*\s*(pass|fail|skipped) (\d+)$/.exec(line);
        if (m) last[m[1]] = Number(m[2]);
      }
    },
    addTo(sum) {
      this.take('\n');
      for (const key of ['pass', 'fail', 'skipped']) sum[key] += last[key] ?? 0;
    },
  };
}

function collectSkips(skipLog) {
  if (!existsSync(skipLog)) return;
  for (const line of readFileSync(skipLog, 'utf8').split('\n')) if (line.trim()) skips.push(JSON.parse(line));
}

/** One `node --test` process over `files`; its output is streamed (live) or handed back whole (buffered). */
function nodeTest(name, files, { concurrency, env = process.env, live }) {
  return new Promise((resolve) => {
    const skipLog = join(skipLogDir, `${name}-${skipLogs++}.jsonl`);
    const reporters = ['--test-reporter=spec', '--test-reporter-destination=stdout', `--test-reporter=${join(root, 'scripts', 'skip-reporter.mjs')}`, `--test-reporter-destination=${skipLog}`];
    // A default per-test timeout, so a hung test fails with its name instead of eating CI's 90 minutes
    // (a unit test hung once under load); tests that need longer say so themselves.
    const timeout = `--test-timeout=${name === 'unit' ? 180_000 : 900_000}`;
    const args = ['--import', 'tsx', '--test', ...reporters, `--test-concurrency=${concurrency}`, timeout, ...extraArgs, ...files];
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env });
    const summary = summaryReader();
    let whole = '';
    const take = (chunk) => {
      if (live) process.stdout.write(chunk);
      else whole += chunk;
      summary.take(chunk);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', (c) => (live ? process.stderr.write(c) : (whole += c)));
    child.on('close', (code) => {
      summary.addTo(totals);
      collectSkips(skipLog);
      resolve({ code: code ?? 1, out: whole });
    });
  });
}

function ensureSeed(instance) {
  return runAsync('bash', ['test/cluster/cluster.sh', 'ensure', 'seed'], { env: { ...process.env, PCX_CLUSTER_INSTANCE: instance } });
}

/** The files of a cluster-backed suite, shared out over the test-cluster copies (see the file comment). */
async function runQueued(name, files, copies) {
  const key = (f) => relative(testDir, f);
  const queue = [...files].sort((a, b) => (WEIGHTS[key(b)] ?? 60) - (WEIGHTS[key(a)] ?? 60) || a.localeCompare(b));
  console.log(`\n=== ${name} tests (${files.length} files on test-cluster cop${copies.length > 1 ? 'ies' : 'y'} ${copies.join(', ')}) ===`);
  let failed = false;
  const worker = async (instance) => {
    for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
      const started = Date.now();
      const seed = await ensureSeed(instance);
      if (seed.code !== 0) {
        console.log(`\n--- ${key(file)} [copy ${instance}]: cluster.sh ensure seed failed, file not run ---\n${seed.out}`);
        totals.fail += 1;
        failed = true;
        continue;
      }
      console.log(`[${name}] copy ${instance}: ${key(file)} started`);
      const env = { ...process.env, PCX_CLUSTER_INSTANCE: instance };
      const r = await nodeTest(name, [file], { concurrency: 1, env, live: false });
      const secs = (Date.now() - started) / 1000;
      timings.push({ file: key(file), instance, secs, code: r.code });
      console.log(`\n--- ${key(file)} [copy ${instance}, ${secs.toFixed(1)} s, ${r.code === 0 ? 'ok' : 'FAILED'}] ---\n${r.out}`);
      if (r.code !== 0) failed = true;
    }
  };
  await Promise.all(copies.map(worker));
  return failed ? 1 : 0;
}

let failed = false;
const suites = mode === 'all' ? ['unit', 'cluster', 'ui'] : [mode];
const needsCluster = suites.some((s) => s !== 'unit' && findTests(join(testDir, s)).length > 0);
const clusterCopies = suites.includes('cluster') ? instances : instances.slice(0, 1);
// The copies come up while the unit suite runs (their start is mostly waiting on Pacemaker).
const bringUp = needsCluster ? Promise.all(clusterCopies.map(ensureSeed)) : Promise.resolve([]);
for (const suite of suites) {
  const files = findTests(join(testDir, suite));
  if (suite === 'unit' || files.length === 0) {
    if (files.length === 0) console.log(`[${suite}] no test files`);
    else {
      console.log(`\n=== ${suite} tests (${files.length} files) ===`);
      // Times are shown in the user's zone (src/core/util/time.ts): the unit suite pins it, so expected texts hold anywhere.
      const r = await nodeTest(suite, files, { concurrency: 2, live: true, env: { ...process.env, TZ: 'UTC' } });
      if (r.code !== 0) failed = true;
    }
    continue;
  }
  for (const [i, r] of (await bringUp).entries()) {
    if (r.code !== 0) {
      console.log(`cluster.sh ensure seed (copy ${clusterCopies[i]}) failed:\n${r.out}`);
      throw new Error('the test cluster could not be brought up');
    }
  }
  if (suite === 'ui') run('node', ['scripts/package.mjs', '--quiet']);
  const code = await runQueued(suite, files, suite === 'ui' ? clusterCopies.slice(0, 1) : clusterCopies);
  if (code !== 0) failed = true;
}
rmSync(skipLogDir, { recursive: true, force: true });
if (timings.length > 0) {
  console.log('\nfile times (s):');
  for (const t of [...timings].sort((a, b) => b.secs - a.secs)) console.log(`  ${t.secs.toFixed(1).padStart(7)}  copy ${t.instance}  ${t.file}${t.code === 0 ? '' : '  FAILED'}`);
}
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
// exitCode, not exit(): CI reads this through a pipe, and exit() can cut what stdout still holds.
process.exitCode = failed ? 1 : 0;
