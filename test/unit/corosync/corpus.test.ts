// Real upstream corosync.conf files (../shared/corpus/corosync) and our fixtures: no false errors,
// and the formatter is idempotent and changes nothing Corosync reads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { lintCorosync } from '../../../src/core/corosync/lint';
import { formatCorosync } from '../../../src/core/corosync/format';
import { parseCorosync, semanticEntries } from '../../../src/core/corosync/parser';
import { assertReadAll, CORPUS_MINIMUM, corpusFiles, corpusSkip } from '../../corpus';

const repoRoot = resolve(__dirname, '..', '..', '..');
const fixtures = join(repoRoot, 'test', 'fixtures', 'corosync');
const skip = corpusSkip('corosync');

/**
 * Errors that are right for a corpus file, checked against `corosync -t` 3.1.7 (see oracle.test.ts):
 * the upstream example files are templates whose node addresses are commented out ("No interfaces
 * defined"), v3.0.0's example also lacks `version: 2`; the pcs update test uses timers Corosync
 * refuses (token 12 ms, downcheck 1 ms; L35 token 12 ms); the pcs struct test combines two_node with a qdevice,
 * which votequorum refuses at start.
 */
const expectedErrors: Record<string, string[]> = {
  'corosync-HEAD-corosync.conf.example.conf': ['corosync/node-missing-ring0', 'corosync/node-missing-ring0'],
  'corosync-v3.0.0-corosync.conf.example.conf': ['corosync/totem-version', 'corosync/node-missing-ring0', 'corosync/node-missing-ring0'],
  'pcs-inline-test_config_update-L91.conf': ['corosync/timer-minimum', 'corosync/timer-minimum'],
  'pcs-inline-test_config_update-L35.conf': ['corosync/timer-minimum'],
  'pcs-inline-test_get_corosync_conf_struct-L137.conf': ['corosync/two-node-qdevice'],
};

const corosyncFiles = corpusFiles('corosync');
const fixtureFiles = readdirSync(fixtures).sort();

test('corpus: every corosync file gets no errors beyond the verified ones', { skip }, () => {
  let read = 0;
  for (const file of corosyncFiles) {
    const f = basename(file);
    const errors = lintCorosync(readFileSync(file, 'utf8')).diagnostics.filter((d) => d.severity === 'error').map((d) => d.code);
    assert.deepEqual(errors, expectedErrors[f] ?? [], `${f}: ${errors.join(', ')}`);
    read++;
  }
  assertReadAll('corosync corpus', read, corosyncFiles, CORPUS_MINIMUM.corosync);
  // Every verified exception still names a file that exists (a renamed file would hide its errors).
  assert.deepEqual(Object.keys(expectedErrors).filter((f) => !corosyncFiles.some((x) => basename(x) === f)), []);
});

const allInputs = (): [string, string][] => [
  ...corosyncFiles.map((f): [string, string] => [`corpus/${basename(f)}`, readFileSync(f, 'utf8')]),
  ...fixtureFiles.map((f): [string, string] => [`fixtures/${f}`, readFileSync(join(fixtures, f), 'utf8')]),
];

test('formatter: idempotent and parse(format(x)) ≡ parse(x) on every corpus file and fixture', () => {
  let formatted = 0;
  let refused = 0;
  for (const [name, text] of allInputs()) {
    const once = formatCorosync(text);
    if (!once.ok) {
      // Only files with syntax errors are refused.
      assert.ok(parseCorosync(text).problems.length > 0, `${name} refused without a syntax error`);
      refused++;
      continue;
    }
    formatted++;
    assert.deepEqual(semanticEntries(parseCorosync(once.value)), semanticEntries(parseCorosync(text)), `${name}: meaning changed`);
    const twice = formatCorosync(once.value);
    assert.ok(twice.ok);
    assert.equal(twice.value, once.value, `${name}: not idempotent`);
    // Same diagnostics codes before and after (positions move, meaning does not).
    const codes = (t: string): string[] => lintCorosync(t).diagnostics.map((d) => d.code).sort();
    assert.deepEqual(codes(once.value), codes(text), name);
  }
  assert.ok(formatted >= 10 && refused >= 2, `formatted ${formatted}, refused ${refused}`);
  if (!skip) assertReadAll('formatter inputs from the corosync corpus', formatted + refused - fixtureFiles.length, corosyncFiles, CORPUS_MINIMUM.corosync);
});

test('formatter writes pcs layout: 4 spaces, key: value, blank line between sections, comments kept', () => {
  const input = '# head\ntotem{\n\tversion:2\n  cluster_name :  demo\n\n\n\t# why\n}\nquorum {\n\n provider: corosync_votequorum\n\n}\n';
  const out = formatCorosync(input);
  assert.ok(out.ok);
  assert.equal(out.value, '# head\ntotem {\n    version: 2\n    cluster_name: demo\n\n    # why\n}\n\nquorum {\n    provider: corosync_votequorum\n}\n');
  const tabs = formatCorosync(input, { indent: '\t' });
  assert.ok(tabs.ok && tabs.value.includes('\n\tversion: 2\n'));
});

test('formatter keeps a value with "#" verbatim (it is part of the value)', () => {
  const out = formatCorosync('quorum {\n two_node: 1   # note\n}\n');
  assert.ok(out.ok);
  assert.equal(out.value, 'quorum {\n    two_node: 1   # note\n}\n');
});

test('formatter refuses a file with syntax errors with a clear message', () => {
  const out = formatCorosync('totem {\n version: 2\n');
  assert.equal(out.ok, false);
  if (!out.ok) assert.match(out.error.message, /line 1 has a syntax error \(corosync\/syntax-missing-brace\)/);
});
