/**
 * No output lost through a pipe (issue 19): each pcx verb that can print a lot is run twice, once writing to a
 * file and once into a real shell pipeline whose reader starts late (`(sleep 0.3; cat) > file`, so pcx fills the
 * 64 KiB pipe and holds the rest), and the two outputs must be equal and over 1 MiB. Before the fix pcx called
 * process.exit() with output still queued and a pipe got exactly 131,072 bytes. A reader that goes away
 * (`| head -1`) ends pcx quietly with exit 0. logs/history go through the same exit path; their pipe test is in
 * test/cluster/logs.test.ts (they need the cluster).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { largeCib } from '../../../bench/large.bench';
import { corpusFiles, corpusSkip, CORPUS_DIR, IN_CI } from '../../corpus';

const repoRoot = resolve(__dirname, '..', '..', '..');
const PCX = [process.execPath, '--import', pathToFileURL(require.resolve('tsx')).href, join(repoRoot, 'src', 'cli', 'pcx.ts')];
const CRM_MON = '/usr/sbin/crm_mon';
const MIB = 1 << 20;

interface Run { code: number; bytes: Buffer; stderr: string }

/** `pcx ARGS > out`, and `pcx ARGS | (sleep 0.3; cat) > out` with pcx's own exit code (PIPESTATUS). */
function runBoth(dir: string, name: string, args: string[]): { file: Run; pipe: Run } {
  const run = (script: string, out: string): Run => {
    const r = spawnSync('bash', ['-c', script, 'pcx', ...PCX, ...args], { encoding: 'utf8', timeout: 120_000, cwd: repoRoot });
    assert.equal(r.error, undefined, `${name}: ${String(r.error)}`);
    const code = Number(readFileSync(`${out}.code`, 'utf8').trim());
    return { code, bytes: readFileSync(out), stderr: r.stderr };
  };
  const f = join(dir, `${name}.file`);
  const p = join(dir, `${name}.pipe`);
  return {
    file: run(`"$@" > ${f} 2>/dev/null; echo $? > ${f}.code`, f),
    pipe: run(`"$@" 2>/dev/null | (sleep 0.3; cat) > ${p}; echo "\${PIPESTATUS[0]}" > ${p}.code`, p),
  };
}

function assertSame(name: string, r: { file: Run; pipe: Run }, t: { diagnostic: (s: string) => void }): void {
  t.diagnostic(`${name}: ${r.file.bytes.length} bytes to a file (exit ${r.file.code}), ${r.pipe.bytes.length} through a pipe (exit ${r.pipe.code})`);
  assert.ok(r.file.bytes.length > MIB, `${name}: the file run printed only ${r.file.bytes.length} bytes; the test needs over 1 MiB to mean anything`);
  assert.equal(r.pipe.bytes.length, r.file.bytes.length, `${name}: the pipe got ${r.pipe.bytes.length} of ${r.file.bytes.length} bytes`);
  assert.ok(r.pipe.bytes.equals(r.file.bytes), `${name}: same length, different bytes`);
  assert.equal(r.pipe.code, r.file.code, `${name}: exit ${r.pipe.code} through a pipe, ${r.file.code} to a file`);
}

/** A CIB whose crm rendering is over 1 MiB (no CIB of the corpus is: the largest, params-6.xml, gives 175 KB). */
function bigCib(primitives: number): string {
  const res = Array.from({ length: primitives }, (_, i) => {
    const id = `res${i}`;
    const params = ['ip', 'port', 'config'].map((n, k) => `<nvpair id="${id}-ia-${n}" name="${n}" value="${n}-${i}-${k * 7}"/>`).join('');
    const ops = ['start', 'stop', 'monitor'].map((o) => `<op id="${id}-${o}" name="${o}" interval="${o === 'monitor' ? '10s' : '0s'}" timeout="${o === 'start' ? 120 : 60}s"/>`).join('');
    return `<primitive id="${id}" class="ocf" provider="heartbeat" type="Dummy"><instance_attributes id="${id}-ia">${params}</instance_attributes><operations>${ops}</operations></primitive>`;
  });
  const cons = Array.from({ length: primitives / 2 }, (_, i) => `<rsc_colocation id="col${i}" rsc="res${2 * i}" with-rsc="res${2 * i + 1}" score="INFINITY"/>`);
  return [
    '<cib crm_feature_set="3.16.2" validate-with="pacemaker-3.9" epoch="1" num_updates="0" admin_epoch="0">',
    '<configuration><crm_config/><nodes><node id="1" uname="node1"/><node id="2" uname="node2"/></nodes>',
    `<resources>${res.join('\n')}</resources><constraints>${cons.join('\n')}</constraints></configuration><status/></cib>`,
  ].join('\n');
}

describe('pcx output through a real pipe equals the same run written to a file', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'pcx-pipe-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('render both ways: a big CIB → crm, that crm → CIB XML', (t) => {
    writeFileSync(join(dir, 'big.xml'), bigCib(5000));
    const toCrm = runBoth(dir, 'render-crm', ['render', join(dir, 'big.xml'), '--to', 'crm']);
    assertSame('render --to crm', toCrm, t);
    writeFileSync(join(dir, 'big.crm'), toCrm.file.bytes);
    assertSame('render --to cib', runBoth(dir, 'render-cib', ['render', join(dir, 'big.crm'), '--to', 'cib']), t);
  });

  test('render of the issue\'s CIB (params-6.xml, 175 KB): the whole of it, not 131,072 bytes', { skip: corpusSkip('scheduler-full') }, (t) => {
    const r = runBoth(dir, 'params-6', ['render', join(CORPUS_DIR, 'scheduler-full', 'params-6.xml'), '--to', 'crm']);
    t.diagnostic(`params-6.xml: ${r.file.bytes.length} bytes to a file, ${r.pipe.bytes.length} through a pipe`);
    assert.ok(r.file.bytes.length > 131_072, `params-6.xml rendered to ${r.file.bytes.length} bytes`);
    assert.ok(r.pipe.bytes.equals(r.file.bytes), `the pipe got ${r.pipe.bytes.length} of ${r.file.bytes.length} bytes`);
  });

  test('lint --format sarif and json over the corpus\'s crm files', { skip: corpusSkip('crm') }, (t) => {
    const files = corpusFiles('crm', '.crm');
    assert.ok(files.length >= 27, `${files.length} *.crm files in the corpus, expected at least 27`);
    // The corpus lints to ~57 KB of SARIF and less JSON: the list is given many times over to pass 1 MiB.
    for (const [format, times] of [['sarif', 24], ['json', 25]] as const) {
      const many = Array.from({ length: times }, () => files).flat();
      assertSame(`lint --format ${format}`, runBoth(dir, `lint-${format}`, ['lint', '--format', format, ...many]), t);
    }
  });

  test('status --json on the bench\'s 32-node cluster (crm_mon XML of its CIB)', { skip: existsSync(CRM_MON) || IN_CI ? false : `${CRM_MON} absent (install pacemaker-cli-utils): the 32-node status is made with it` }, (t) => {
    const cib = join(dir, 'large-cib.xml');
    writeFileSync(cib, largeCib(0));
    const mon = spawnSync(CRM_MON, ['--one-shot', '--inactive', '--output-as=xml'], { env: { ...process.env, CIB_file: cib }, encoding: 'utf8', maxBuffer: 1 << 30 });
    assert.equal(mon.status, 0, `CIB_file=${cib} crm_mon: ${mon.stderr}`);
    writeFileSync(join(dir, 'large-mon.xml'), mon.stdout);
    assertSame('status --json', runBoth(dir, 'status', ['status', '--file', join(dir, 'large-mon.xml'), '--cib', cib, '--json']), t);
  });

  test('a reader that goes away (| head -1) ends pcx with exit 0 and nothing on stderr', () => {
    const big = join(dir, 'head.xml');
    writeFileSync(big, bigCib(3000));
    const r = spawnSync('bash', ['-c', `"$@" 2>${big}.err | head -1 > /dev/null; echo "\${PIPESTATUS[0]}"`, 'pcx', ...PCX, 'render', big, '--to', 'crm'], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.stdout.trim(), '0', `pcx render | head -1 exited ${r.stdout.trim()}; stderr: ${readFileSync(`${big}.err`, 'utf8')}`);
    assert.equal(readFileSync(`${big}.err`, 'utf8'), '', 'nothing on stderr (no EPIPE stack trace)');
  });
});
