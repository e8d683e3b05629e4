// Figures the README and docs state that come from the code itself, asserted against it (docs/figures.md lists
// every figure and where it is printed): the number of lint checks per language (the registry behind
// `pcx lint --list-rules`), and every test or bench file docs/figures.md names exists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lintLanguages } from '../../../src/core/languages/registry';

const root = join(__dirname, '..', '..', '..');
const read = (f: string) => readFileSync(join(root, f), 'utf8');

test('README and docs/crm.md state the number of lint checks the registry has', () => {
  const count = (id: string) => lintLanguages.find((l) => l.id === id)?.rules.length ?? 0;
  const corosync = count('corosync');
  const crm = count('crm');
  process.stdout.write(`# figures: ${corosync} corosync.conf checks, ${crm} crm checks (pcx lint --list-rules)\n`);
  const readme = read('README.md');
  const said = (re: RegExp, text: string) => Number(re.exec(text.replace(/\s+/g, ' '))?.[1]);
  const fix = 'a rule was added or removed: update the figure (README.md "## corosync.conf and crm spec files", docs/crm.md "## Checks")';
  assert.equal(said(/`corosync\.conf` \((\d+) checks/, readme), corosync, `README says ${said(/`corosync\.conf` \((\d+) checks/, readme)} corosync.conf checks, the registry has ${corosync}: ${fix}`);
  assert.equal(said(/crm shell syntax \((\d+) checks/, readme), crm, `README says ${said(/crm shell syntax \((\d+) checks/, readme)} crm checks, the registry has ${crm}: ${fix}`);
  assert.equal(said(/lists all (\d+) rules/, read('docs/crm.md')), crm, `docs/crm.md's "lists all N rules" is not ${crm}: ${fix}`);
});

test('every test and bench file docs/figures.md names exists', () => {
  const named = [...new Set(read('docs/figures.md').match(/\b(?:test|bench)\/[\w./-]+\.(?:ts|sh|mjs)\b/g) ?? [])];
  assert.ok(named.length >= 10, `docs/figures.md names only ${named.length} test/bench files`);
  assert.deepEqual(named.filter((f) => !existsSync(join(root, f))), [], 'docs/figures.md names files that do not exist');
});
