/**
 * corosync.conf checking: pcx's linter in-process vs `corosync -t -c FILE` (the real parser, a new process each
 * time — which is how an admin or CI runs it), over the corpus's corosync files. Also one-shot `pcx lint` as a
 * process against the same, since that is what a CI job pays.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { lintCorosync } from '../src/core/corosync/lint';
import { medianMs, type BenchRow } from './lib';

const repoRoot = resolve(__dirname, '..');
const corpus = resolve(repoRoot, '..', 'shared', 'corpus', 'corosync');
const corosync = '/usr/sbin/corosync';

export async function bench(): Promise<BenchRow[]> {
  if (!existsSync(corpus) || !existsSync(corosync)) {
    process.stderr.write(`bench lint: skipped (${existsSync(corpus) ? corosync : corpus} absent)\n`);
    return [];
  }
  const files = readdirSync(corpus).map((f) => join(corpus, f));
  const texts = files.map((f) => readFileSync(f, 'utf8'));
  const inProcess = await medianMs(20, () => texts.forEach((t) => lintCorosync(t)));
  // In a network namespace of its own: corpus files name hosts, and corosync would resolve them over DNS.
  const oracle = await medianMs(3, () => files.forEach((f) => spawnSync('unshare', ['--net', corosync, '-t', '-c', f], { stdio: 'ignore' })));
  const rows: BenchRow[] = [
    {
      name: `lint ${files.length} corpus files, in-process`,
      value: inProcess,
      baselineName: `corosync -t -c FILE × ${files.length}`,
      baseline: oracle,
      note: 'corosync -t also stops early on files whose local node is not here',
    },
  ];
  const bundled = join(repoRoot, 'dist', 'pcx.js');
  if (existsSync(bundled)) {
    const cli = await medianMs(3, () => spawnSync(process.execPath, [bundled, 'lint', '--lang', 'corosync', ...files], { stdio: 'ignore' }));
    rows.push({ name: `pcx lint (one process, ${files.length} files)`, value: cli, baselineName: `corosync -t -c FILE × ${files.length}`, baseline: oracle });
  }
  return rows;
}
