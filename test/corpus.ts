/**
 * The shared upstream corpus (../shared/corpus beside the checkout; PCX_SHARED_DIR names another
 * ../shared, e.g. for a git worktree) and the one rule for tests that read it:
 *   - outside CI, where it is absent, they skip with a reason that says so;
 *   - in CI (CI=true) they always run, so a missing corpus FAILS them (and scripts/run-tests.mjs
 *     fails any unexpected skip anyway);
 *   - a test that loops over corpus files asserts how many it read (`assertReadAll`), so a
 *     directory that is suddenly empty or half there cannot pass by looping over nothing.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const repoRoot = resolve(__dirname, '..');
export const SHARED_DIR = resolve(process.env['PCX_SHARED_DIR'] ?? join(repoRoot, '..', 'shared'));
export const CORPUS_DIR = join(SHARED_DIR, 'corpus');
export const IN_CI = process.env['CI'] === 'true' || process.env['CI'] === '1';

/** `{ skip }` for a corpus test: false when the corpus is there or in CI (where it must be); else the reason. */
export function corpusSkip(sub = ''): false | string {
  if (IN_CI || existsSync(join(CORPUS_DIR, sub))) return false;
  return `${join(CORPUS_DIR, sub)} absent (../shared is not beside this checkout; PCX_SHARED_DIR names it): upstream corpus test skipped`;
}

/** How many files each corpus folder held when its tests were written: a test reads at least these. */
export const CORPUS_MINIMUM = {
  crm_mon: 36,
  cib: 51,
  crmExpectedCib: 4,
  corosync: 23,
  /** Pacemaker's cts/scheduler/xml, whole (corpus/scheduler-full). */
  schedulerFull: 854,
} as const;

/** Files under corpus/<sub> (recursively, sorted) whose names end with `ext`; [] when absent (the count assertion then fails). */
export function corpusFiles(sub: string, ext = ''): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir)
      .sort()
      .flatMap((f) => {
        const p = join(dir, f);
        return statSync(p).isDirectory() ? walk(p) : f.endsWith(ext) ? [p] : [];
      });
  const dir = join(CORPUS_DIR, sub);
  return existsSync(dir) ? walk(dir) : [];
}

/** A corpus loop read every file it listed, and the folder still has at least the expected count. */
export function assertReadAll(what: string, read: number, listed: readonly string[], minimum: number): void {
  assert.ok(listed.length >= minimum, `${what}: ${listed.length} file(s) in ${CORPUS_DIR}, expected at least ${minimum}${existsSync(CORPUS_DIR) ? '' : ' (the corpus is missing)'}`);
  assert.equal(read, listed.length, `${what}: read ${read} of ${listed.length} files`);
}
