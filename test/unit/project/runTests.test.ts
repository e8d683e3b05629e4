// scripts/run-tests.mjs: in CI a skipped test fails the run unless its reason is on the allow-list.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');

function runSuite(ci: boolean, source?: string): { code: number | null; out: string } {
  const dir = mkdtempSync(join(tmpdir(), 'pcx-run-tests-'));
  try {
    mkdirSync(join(dir, 'unit'));
    writeFileSync(
      join(dir, 'unit', 'probe.test.ts'),
      source ??
        [
          "import { test } from 'node:test';",
          "test('runs', () => {});",
          "test('needs a tool CI has', { skip: 'frobnicator absent' }, () => {});",
          "test('the electron harness', { skip: '@vscode/test-electron: no VS Code download' }, () => {});",
        ].join('\n'),
    );
    const env: NodeJS.ProcessEnv = { ...process.env, PCX_TEST_DIR: dir };
    delete env['CI'];
    delete env['NODE_TEST_CONTEXT']; // else the child's node --test thinks it runs inside this test and runs nothing
    if (ci) env['CI'] = 'true';
    const r = spawnSync(process.execPath, [join(root, 'scripts', 'run-tests.mjs'), 'unit'], { cwd: root, env, encoding: 'utf8', timeout: 60_000 });
    return { code: r.status, out: r.stdout + r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('CI=true: a skip with an unlisted reason fails the run and is named; an allow-listed one does not', () => {
  const r = runSuite(true);
  assert.equal(r.code, 1, r.out);
  assert.match(r.out, /CI: 1 skipped test\(s\) count as failures/);
  assert.match(r.out, /✖ .*probe\.test\.ts › needs a tool CI has: frobnicator absent/);
  assert.doesNotMatch(r.out, /✖ .*the electron harness/);
  assert.match(r.out, /\ntests: 1 passed, 1 failed, 2 skipped\n/);
});

test('outside CI the same skips pass, each listed with its reason', () => {
  const r = runSuite(false);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /skipped tests:\n {2}- .*needs a tool CI has: frobnicator absent\n {2}- .*the electron harness: @vscode\/test-electron/);
  assert.match(r.out, /\ntests: 1 passed, 0 failed, 2 skipped\n/);
});

test('a failure whose report is long (printed after the summary) is still counted', () => {
  const r = runSuite(false, [
    "import { test } from 'node:test';",
    "import assert from 'node:assert/strict';",
    "test('passes', () => {});",
    "test('fails with a long report', () => assert.equal('x'.repeat(9000), 'y'.repeat(9000)));",
  ].join('\n'));
  assert.equal(r.code, 1, r.out);
  assert.match(r.out, /\ntests: 1 passed, 1 failed, 0 skipped\n/);
});
