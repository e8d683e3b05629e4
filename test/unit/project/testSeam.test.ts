// Test plumbing stays out of the shipped extension: one seam (src/extension/testSeam.ts) loads a
// module named by PCX_TEST_HOOK; the poll-stats file writer is that module, in test/ui.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attachTestHook, TEST_HOOK_ENV } from '../../../src/extension/testSeam';

const root = join(__dirname, '..', '..', '..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)]));
}

test('no file in src/ writes poll stats for tests (the writer is test/ui/pollStatsHook.mjs)', () => {
  const offenders = files(join(root, 'src')).filter((f) => /POLL_STATS/.test(readFileSync(f, 'utf8')));
  assert.deepEqual(offenders, []);
  assert.match(readFileSync(join(root, 'test', 'ui', 'pollStatsHook.mjs'), 'utf8'), /PCX_POLL_STATS_FILE/);
});

function fakeLog(): { lines: string[]; log: never } {
  const lines: string[] = [];
  const put = (level: string) => (m: string) => lines.push(`${level} ${m}`);
  return { lines, log: { info: put('info'), warn: put('warn'), error: put('error') } as never };
}

async function until(what: string, ok: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !ok(); i++) await new Promise((r) => setTimeout(r, 20));
  assert.ok(ok(), `waited 2 s for ${what}`);
}

test('the seam gives the hook module the probes, and dispose detaches it; without the variable nothing is loaded', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pcx-hook-'));
  const hook = join(dir, 'hook.mjs');
  writeFileSync(hook, 'export function attach(p) { globalThis.__pcxHook = { stats: p.pollStats(), detached: false }; return () => { globalThis.__pcxHook.detached = true; }; }\n');
  const g = globalThis as { __pcxHook?: { stats: unknown; detached: boolean } };
  const probes = { pollStats: () => ({ cluster1: { probes: 3, fetches: 1, visible: true } as never }) };
  const saved = process.env[TEST_HOOK_ENV];
  try {
    delete process.env[TEST_HOOK_ENV];
    const none = fakeLog();
    attachTestHook(probes, none.log).dispose();
    assert.deepEqual(none.lines, []);

    process.env[TEST_HOOK_ENV] = hook;
    const { lines, log } = fakeLog();
    const seam = attachTestHook(probes, log);
    await until('the hook to attach', () => g.__pcxHook !== undefined);
    assert.deepEqual(g.__pcxHook?.stats, { cluster1: { probes: 3, fetches: 1, visible: true } });
    seam.dispose();
    assert.equal(g.__pcxHook?.detached, true);
    assert.deepEqual(lines, [`info test hook ${hook} attached`]);

    process.env[TEST_HOOK_ENV] = 'relative/hook.mjs';
    const rel = fakeLog();
    attachTestHook(probes, rel.log);
    assert.match(rel.lines.join('\n'), /must be an absolute path/);
  } finally {
    if (saved === undefined) delete process.env[TEST_HOOK_ENV];
    else process.env[TEST_HOOK_ENV] = saved;
    delete g.__pcxHook;
  }
});
