/**
 * corosync.conf checking: pcx's linter in-process vs `corosync -t -c FILE` (the real parser, a new process each
 * time — which is how an admin or CI runs it), over the corpus's corosync files. Also one-shot `pcx lint` as a
 * process against the same, since that is what a CI job pays.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { lintCorosync } from '../src/core/corosync/lint';
import { crmToCibXml, lintCrm } from '../src/core/crm/index';
import { spec } from './crm.bench';
import { medianMs, type BenchRow } from './lib';
import { CORPUS_DIR } from '../test/corpus';

const repoRoot = resolve(__dirname, '..');
const corpus = join(CORPUS_DIR, 'corosync');
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
  rows.push(...(await largeCorosyncRow()), await crmRow());
  const bundled = join(repoRoot, 'dist', 'pcx.js');
  if (existsSync(bundled)) {
    const cli = await medianMs(3, () => spawnSync(process.execPath, [bundled, 'lint', '--lang', 'corosync', ...files], { stdio: 'ignore' }));
    rows.push({ name: `pcx lint (one process, ${files.length} files)`, value: cli, baselineName: `corosync -t -c FILE × ${files.length}`, baseline: oracle });
  }
  return rows;
}

/** A large corosync.conf (a 2,000-node nodelist, ~10,000 lines): our linter vs `corosync -t` on the same file. */
export function largeCorosyncConf(nodes = 2000): string {
  const list = Array.from({ length: nodes }, (_, i) => `    node {\n        ring0_addr: 10.${Math.floor(i / 250)}.${i % 250}.1\n        name: node${i + 1}\n        nodeid: ${i + 1}\n    }`);
  return `totem {\n    version: 2\n    cluster_name: big\n    transport: knet\n    crypto_cipher: aes256\n    crypto_hash: sha256\n}\n\nnodelist {\n${list.join('\n')}\n}\n\nquorum {\n    provider: corosync_votequorum\n}\n\nlogging {\n    to_syslog: yes\n}\n`;
}

async function largeCorosyncRow(): Promise<BenchRow[]> {
  const text = largeCorosyncConf();
  const dir = mkdtempSync(join(tmpdir(), 'pcx-bench-lint-'));
  try {
    const file = join(dir, 'corosync.conf');
    writeFileSync(file, text);
    const ours = await medianMs(10, () => lintCorosync(text));
    const oracle = await medianMs(3, () => spawnSync('unshare', ['--net', corosync, '-t', '-c', file], { stdio: 'ignore' }));
    return [{ name: `lint a ${text.split('\n').length}-line corosync.conf (2,000-node nodelist), in-process`, value: ours, baselineName: 'corosync -t -c FILE', baseline: oracle }];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Lint of a generated 10,000-line crm spec vs crm_verify on the CIB it compiles to (issue 9, row 4). */
async function crmRow(): Promise<BenchRow> {
  const text = spec(2500);
  const lines = text.split('\n').length;
  const lint = await medianMs(3, () => lintCrm(text));
  const xml = crmToCibXml(text);
  let verify: number | undefined;
  if (xml.ok && spawnSync('crm_verify', ['--version']).status === 0) {
    const dir = mkdtempSync(join(tmpdir(), 'pcx-crm-lint-'));
    try {
      const cib = join(dir, 'cib.xml');
      writeFileSync(cib, xml.value.xml);
      verify = await medianMs(3, () => spawnSync('crm_verify', ['--xml-file', cib]));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return { name: `lint a ${lines}-line crm spec`, value: lint, baselineName: 'crm_verify --xml-file on the compiled CIB', baseline: verify, target: '≤ 100 ms', met: lint <= 100 };
}
