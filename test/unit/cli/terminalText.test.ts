// Terminal control sequences from a cluster or a file never reach the terminal from pcx (issue 29 §3): the one
// function (core/text/terminalText) and the stream guard every verb writes through, checked on the real CLI in a
// child process for status --file (text and --json, exit reason and node attribute), lint and render. Logs and
// history go through the same guard; test/cluster/hostile-text.test.ts runs them against the real cluster.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { terminalText } from '../../../src/core/text/terminalText';
import { printable } from '../../../src/core/logs/parse';
import { assertPrintable, HOSTILE_TERMINAL } from './terminalCheck';

const repoRoot = path.join(__dirname, '..', '..', '..');
const tsxLoader = pathToFileURL(require.resolve('tsx')).href;

function pcx(args: readonly string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, ['--import', tsxLoader, path.join(repoRoot, 'src', 'cli', 'pcx.ts'), ...args], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1', ...env }, input: '' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

// eslint-disable-next-line no-control-regex
const xmlAttr = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/[\u0000-\u001f]/g, (c) => `&#${c.charCodeAt(0)};`);

test('terminalText: ESC, C0, C1, CR and bidi controls become visible escapes; LF and TAB stay; the text stays readable', () => {
  const t = terminalText(`${HOSTILE_TERMINAL}\n\tnext`);
  assertPrintable(t, 'terminalText');
  assert.ok(t.includes('FAKE: cluster healthy'), t);
  assert.ok(t.includes('\\x1b[2J') && t.includes('\\u009b') && t.includes('\\x0d') && t.includes('\\u202e'), t);
  assert.ok(t.endsWith('\n\tnext'));
  // With colour on, only pcx's own SGR codes pass: never a screen clear, title, link or conceal.
  const c = terminalText('\u001b[31mred\u001b[39m \u001b[8mhidden\u001b[0m \u001b[2J \u001b]0;t\u0007', { color: true });
  assert.ok(c.startsWith('\u001b[31mred\u001b[39m '), JSON.stringify(c));
  assert.ok(c.includes('\\x1b[8mhidden') && c.includes('\\x1b[2J') && c.includes('\\x1b]0;t\\x07'), JSON.stringify(c));
  // A log line: LF escaped too, and the log reader uses the same function (C1 included).
  assert.equal(printable('a\u0085b\nc\u001b[2Jd\te'), 'a\\u0085b\\x0ac\\x1b[2Jd\te');
});

test('the check can fail: the log sanitizer before this change let C1 and bidi controls through', () => {
  // eslint-disable-next-line no-control-regex
  const old = (text: string) => text.replace(/[\x00-\x08\x0a-\x1f\x7f]/g, (c) => (c === '\t' ? c : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
  assert.throws(() => assertPrintable(old(HOSTILE_TERMINAL), 'old printable'));
});

test('pcx status --file / --json, lint and render: hostile exit reasons, attributes and file text come out printable', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'pcx-term-'));
  try {
    const live = path.join(repoRoot, 'test', 'fixtures', 'live');
    const mon = readFileSync(path.join(live, 'failed-action.crm_mon.xml'), 'utf8')
      .replace('exitreason=""', `exitreason="${xmlAttr(HOSTILE_TERMINAL)}"`)
      .replace('<attribute name="master-redis" value="2"/>', `<attribute name="master-redis" value="2"/><attribute name="site" value="${xmlAttr(HOSTILE_TERMINAL)}"/>`);
    const cib = readFileSync(path.join(live, 'failed-action.cib.xml'), 'utf8').replace('name="ip" value="10.213.0.100"', `name="ip" value="${xmlAttr(HOSTILE_TERMINAL)}"`);
    writeFileSync(path.join(dir, 'mon.xml'), mon);
    writeFileSync(path.join(dir, 'cib.xml'), cib);
    const crm = `primitive ${'bad\u001b[2Jid'} ocf:heartbeat:IPaddr2 params ip="${HOSTILE_TERMINAL.replace(/"/g, '')}"\n`;
    writeFileSync(path.join(dir, 'evil.crm'), crm);
    const runs = [
      { name: 'status --file (text, --no-color)', r: pcx(['status', '--file', path.join(dir, 'mon.xml'), '--cib', path.join(dir, 'cib.xml'), '--no-color']), shows: 'FAKE: cluster healthy' },
      { name: 'status --file (text, colour asked for)', r: pcx(['status', '--file', path.join(dir, 'mon.xml'), '--cib', path.join(dir, 'cib.xml')], { NO_COLOR: '' }), shows: 'FAKE: cluster healthy' },
      { name: 'status --file --json', r: pcx(['status', '--file', path.join(dir, 'mon.xml'), '--cib', path.join(dir, 'cib.xml'), '--json']), shows: 'FAKE: cluster healthy' },
      { name: 'lint', r: pcx(['lint', path.join(dir, 'evil.crm')]), shows: 'evil.crm' },
      { name: 'render', r: pcx(['render', path.join(dir, 'evil.crm')]), shows: '' },
      { name: 'render (CIB → crm)', r: pcx(['render', path.join(dir, 'cib.xml')]), shows: 'FAKE' },
    ];
    for (const { name, r, shows } of runs) {
      assert.ok(r.code !== null && r.code <= 2, `${name}: exit ${r.code}\n${r.stderr}`);
      assert.doesNotMatch(r.stderr, /internal error/, `${name}: ${r.stderr}`);
      assertPrintable(r.stdout, `${name} stdout`);
      assertPrintable(r.stderr, `${name} stderr`);
      assert.ok((r.stdout + r.stderr).includes(shows), `${name} shows ${shows}:\n${r.stdout}${r.stderr}`);
    }
    const json = JSON.parse(runs[2]!.r.stdout) as unknown;
    assert.ok(JSON.stringify(json).includes('FAKE: cluster healthy'), '--json stays valid JSON with the reason in it');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
