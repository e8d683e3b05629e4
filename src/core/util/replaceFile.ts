/**
 * Replacing a user's file from the CLI (pcx pull) without ever losing it: first a full backup beside it
 * (FILE.pcx-backup-STAMP), then the new text into a temporary file in the same folder, then a rename over the
 * original — so the original is either untouched or replaced whole, never truncated. When the disk is full (or
 * anything else fails) at either step, what was made is removed again and the failure says that nothing changed.
 */
import { constants } from 'node:fs';
import { copyFile, chmod, rename, rm, stat, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { PcxFailure } from './result';

/** Why a write failed, in words, and what to do about it. */
function writeProblem(e: unknown, file: string): { why: string; hint: string } {
  const code = (e as NodeJS.ErrnoException).code;
  const dir = path.dirname(file);
  if (code === 'ENOSPC' || code === 'EDQUOT') return { why: code === 'EDQUOT' ? 'disk quota exceeded' : 'no space left on the device', hint: `Free some space where ${dir} is (df -h ${dir}), then run the command again.` };
  if (code === 'EACCES' || code === 'EPERM') return { why: 'permission denied', hint: `Check that you may write in ${dir} (ls -ld ${dir}).` };
  if (code === 'EROFS') return { why: 'the filesystem is read-only', hint: `Remount ${dir}'s filesystem read-write, or work on a copy of the folder.` };
  return { why: (e as Error).message ?? String(e), hint: `Check ${dir}, then run the command again.` };
}

/** Replace `file` with `text`, keeping `FILE.pcx-backup-STAMP`; returns the backup's path. Throws PcxFailure. */
export async function replaceWithBackup(file: string, text: string, stamp: string): Promise<string> {
  const backup = `${file}.pcx-backup-${stamp}`;
  const fresh = `${file}.pcx-new-${process.pid}`;
  const { mode } = await stat(file);
  try {
    await copyFile(file, backup, constants.COPYFILE_EXCL);
  } catch (e) {
    // EEXIST: a backup of that name is someone else's file: not ours to remove.
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') await rm(backup, { force: true });
    const p = writeProblem(e, backup);
    throw new PcxFailure('backup-failed', `cannot keep a backup of ${file} as ${backup} (${p.why}), so nothing was written: ${file} is unchanged`, p.hint);
  }
  try {
    await writeFile(fresh, text, { flag: 'wx' });
    await chmod(fresh, mode & 0o7777);
    await rename(fresh, file);
  } catch (e) {
    await rm(fresh, { force: true });
    await rm(backup, { force: true });
    const p = writeProblem(e, file);
    throw new PcxFailure('write-failed', `cannot write the new ${path.basename(file)} in ${path.dirname(file)} (${p.why}): ${file} is unchanged and no backup was left`, p.hint);
  }
  return backup;
}
