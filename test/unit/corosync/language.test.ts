// Completion, hover, outline, quick fixes and the `pcx lint` command.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { completeCorosync, fixesAt, hoverCorosync, symbolsCorosync } from '../../../src/core/corosync/language';
import { lintCorosync } from '../../../src/core/corosync/lint';

const repoRoot = resolve(__dirname, '..', '..', '..');
const fixtures = join(repoRoot, 'test', 'fixtures', 'corosync');
const uiFile = 'totem {\n    version: 2\n    transport: udpu\n}\n\nquorum {\n    provider: corosync_votequorum\n    wait_for_all: 0\n\n}\n';

test('completion inside quorum {} offers two_node, not keys already present or of other sections', () => {
  const labels = completeCorosync(uiFile, { line: 8, character: 4 }).map((c) => c.label);
  assert.ok(labels.includes('two_node'));
  assert.ok(labels.includes('device'));
  assert.ok(!labels.includes('provider'));
  assert.ok(!labels.includes('transport'));
});

test('completion of values after "key:" lists the valid values', () => {
  const text = 'totem {\n    transport: \n}\n';
  const items = completeCorosync(text, { line: 1, character: 15 });
  assert.deepEqual(items.map((c) => c.label), ['knet', 'udpu', 'udp']);
  assert.deepEqual(items[0].replace.start, { line: 1, character: 15 });
});

test('top-level completion offers the sections', () => {
  const labels = completeCorosync('\n', { line: 0, character: 0 }).map((c) => c.label);
  for (const s of ['totem', 'quorum', 'nodelist', 'logging']) assert.ok(labels.includes(s), s);
});

test('hover on wait_for_all explains it, with default and valid values', () => {
  const h = hoverCorosync(uiFile, { line: 7, character: 8 });
  assert.ok(h);
  assert.match(h.markdown, /quorum\.wait_for_all/);
  assert.match(h.markdown, /quorate/);
  assert.match(h.markdown, /Default: `0`/);
  assert.deepEqual(h.range.start, { line: 7, character: 4 });
});

test('outline: sections, and nodes by name', () => {
  const syms = symbolsCorosync(readFileSync(join(fixtures, 'good-2node-knet.corosync.conf'), 'utf8'));
  assert.deepEqual(syms.map((s) => s.name), ['totem', 'nodelist', 'quorum', 'logging']);
  assert.deepEqual(syms[1].children.map((n) => [n.name, n.kind, n.detail]), [['node1', 'node', 'nodeid 1, 10.213.0.11'], ['node2', 'node', 'nodeid 2, 10.213.0.12']]);
  assert.equal(syms[3].children[0].name, 'logger_subsys QUORUM');
});

function applyFix(text: string, code: string): string {
  const d = lintCorosync(text).diagnostics.find((x) => x.code === code);
  assert.ok(d, `no ${code}`);
  const [{ fix }] = fixesAt([d], d.range);
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }): number => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  const edits = [...fix.edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of edits) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}

test('quick fixes: add nodeid, ringnumber→linknumber, drop rrp_mode, two_node yes→1, move trailing comment', () => {
  const noId = readFileSync(join(fixtures, 'bad-knet-no-nodeid.corosync.conf'), 'utf8');
  const fixed = applyFix(noId, 'corosync/nodeid-missing');
  assert.match(fixed, /name: node1\n/);
  assert.match(fixed, /node \{\n {8}nodeid: 1\n {8}ring0_addr: 10\.213\.0\.11/);
  assert.ok(!lintCorosync(fixed).diagnostics.some((d) => d.severity === 'error'));

  const legacy = readFileSync(join(fixtures, 'bad-ringnumber-rrp.corosync.conf'), 'utf8');
  assert.match(applyFix(legacy, 'corosync/legacy-ringnumber'), /linknumber: 0/);
  assert.ok(!applyFix(legacy, 'corosync/legacy-rrp-mode').includes('rrp_mode'));

  const yes = readFileSync(join(fixtures, 'bad-two-node-yes.corosync.conf'), 'utf8');
  assert.match(applyFix(yes, 'corosync/integer-value'), /two_node: 1\n/);

  const trailing = readFileSync(join(fixtures, 'bad-trailing-comment.corosync.conf'), 'utf8');
  assert.match(applyFix(trailing, 'corosync/trailing-comment'), / {4}# 2-node cluster\n {4}two_node: 1\n/);
});

const pcx = (args: string[]): { status: number | null; stdout: string; stderr: string } => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'src', 'cli', 'pcx.ts'), 'lint', ...args], { cwd: repoRoot, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
};

test('pcx lint: compiler-style text, exit 1 on errors, 0 on warnings only, 2 for unreadable files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pcx-lint-'));
  try {
    const badFile = join(dir, 'corosync.conf');
    writeFileSync(badFile, readFileSync(join(fixtures, 'bad-two-node-yes.corosync.conf')));
    const r = pcx([badFile]);
    assert.equal(r.status, 1);
    assert.match(r.stdout, new RegExp(`^${badFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:22:15: error corosync/integer-value Value of key "quorum.two_node"`, 'm'));

    const warnOnly = join(dir, 'site.corosync.conf');
    writeFileSync(warnOnly, readFileSync(join(fixtures, 'bad-two-node-no-wfa.corosync.conf')));
    const w = pcx([warnOnly]);
    assert.equal(w.status, 0, w.stdout + w.stderr);
    assert.match(w.stdout, /warning corosync\/two-node-wait-for-all/);
    assert.equal(pcx(['--disable', 'corosync/two-node-wait-for-all', warnOnly]).stdout, '');

    const missing = pcx([join(dir, 'nope', 'corosync.conf')]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /cannot read .*nope\/corosync\.conf: no such file/);

    const unknownName = pcx([join(dir, 'notes.txt')]);
    assert.equal(unknownName.status, 2);
    assert.match(unknownName.stderr, /--lang corosync/);
    assert.equal(pcx(['--format', 'xml', badFile]).status, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('pcx lint --format json and sarif (SARIF 2.1.0 shape, 1-based regions)', () => {
  const file = join(fixtures, 'bad-udpu-crypto.corosync.conf');
  const json = JSON.parse(pcx(['--format', 'json', file]).stdout);
  const crypto = json.files[0].diagnostics.find((d: { code: string }) => d.code === 'corosync/crypto-requires-knet');
  assert.equal(crypto.range.start.line, 5);
  assert.equal(json.summary.error, 1);
  const sarifRun = pcx(['--format', 'sarif', '--lang', 'corosync', file]);
  assert.equal(sarifRun.status, 1);
  const sarif = JSON.parse(sarifRun.stdout);
  assert.equal(sarif.version, '2.1.0');
  const run = sarif.runs[0];
  assert.ok(run.tool.driver.rules.length >= 20);
  // One SARIF result per JSON diagnostic, same rule, same message, same place (1-based).
  type SarifResult = { ruleId: string; ruleIndex: number; level: string; message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }[] };
  const diagnostics = json.files[0].diagnostics as { code: string; message: string; range: { start: { line: number; character: number } } }[];
  assert.deepEqual((run.results as SarifResult[]).map((r) => r.ruleId), diagnostics.map((d) => d.code));
  const result = (run.results as SarifResult[]).find((r) => r.ruleId === 'corosync/crypto-requires-knet');
  assert.ok(result, 'a SARIF result for corosync/crypto-requires-knet');
  assert.equal(result.level, 'error');
  assert.equal(run.tool.driver.rules[result.ruleIndex]?.id, 'corosync/crypto-requires-knet', 'ruleIndex points at its rule');
  assert.equal(result.message.text, crypto.message);
  assert.match(result.locations[0]!.physicalLocation.artifactLocation.uri, /bad-udpu-crypto\.corosync\.conf$/);
  assert.deepEqual(result.locations[0]!.physicalLocation.region.startLine, crypto.range.start.line + 1);
  assert.deepEqual(result.locations[0]!.physicalLocation.region.startColumn, crypto.range.start.character + 1);
});
