/**
 * crmsh as an oracle: renders many crm files to CIB XML in ONE crm process (about 0.4 s per file
 * instead of ~1 s per separate `crm configure load update` call), each into its own shadow CIB:
 *   cib new fN empty --force / cib use fN / configure load update FILE / configure commit force
 * `-F` makes crmsh commit even where crm_verify objects (we compare what it writes, not what it thinks
 * of the result). A file crmsh refuses leaves its shadow CIB empty.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function crmshAvailable(): boolean {
  return spawnSync('crm', ['--version'], { encoding: 'utf8' }).status === 0;
}

export interface CrmshRender {
  /** Full CIB XML of the shadow, or undefined when crmsh wrote nothing (it refused or crashed on the file). */
  readonly cib?: string;
}

export function renderWithCrmsh(files: readonly string[]): Map<string, CrmshRender> {
  const out = new Map<string, CrmshRender>();
  let start = 0;
  // crmsh 4.4 can crash on a file it refuses (a NameError in its error reporting), which ends the
  // batch: a marker shadow after each file shows how far it got; the rest runs in a new batch.
  while (start < files.length) {
    start += runBatch(files.slice(start), out);
  }
  return out;
}

/** Runs one crm process over `files`; returns how many it used up (the finished ones and the one that crashed it). */
function runBatch(files: readonly string[], out: Map<string, CrmshRender>): number {
  const dir = mkdtempSync(join(tmpdir(), 'pcx-crmsh-'));
  try {
    const script = ['options check-frequency never', 'options check-mode relaxed', ...files.map((f, i) =>
      [`cib new f${i} empty --force`, `cib use f${i}`, `configure load update ${f}`, 'configure commit force', `cib new done${i} empty --force`].join('\n'))].join('\n');
    writeFileSync(join(dir, 'batch.crm'), script + '\nquit\n');
    const res = spawnSync('crm', ['-F', '-f', join(dir, 'batch.crm')], {
      encoding: 'utf8',
      env: { ...process.env, CIB_shadow_dir: dir, HOME: dir },
      // Generous: a loaded 2-core machine makes crmsh (Python start-up, one cibadmin per commit) many times slower.
      timeout: 120_000 + files.length * 10_000,
    });
    if (res.error) throw res.error;
    let done = 0;
    files.forEach((f, i) => {
      const finished = existsSync(join(dir, `shadow.done${i}`));
      if (finished) done = i + 1;
      if (!finished && i > done) return; // not reached
      const p = join(dir, `shadow.f${i}`);
      out.set(f, { cib: finished && existsSync(p) ? readFileSync(p, 'utf8') : undefined });
    });
    return done < files.length ? done + 1 : done;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
