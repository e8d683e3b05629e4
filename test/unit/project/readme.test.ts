// The README's two commands are promises to a newcomer; CI must run the very same test command.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

function commandUnder(heading: string): string {
  const section = readme.split(/^## /m).find((s) => s.startsWith(heading));
  assert.ok(section, `README has a "## ${heading}" section`);
  const m = section.match(/```sh\n([^\n]+)\n```/);
  assert.ok(m, `README "## ${heading}" has a one-line sh block`);
  return m[1].trim();
}

test('CI runs the README test command verbatim', () => {
  const cmd = commandUnder('Test it');
  const ci = readFileSync(join(root, '.ci', 'run'), 'utf8');
  assert.ok(ci.split('\n').some((line) => line.includes(cmd)), `.ci/run contains "${cmd}"`);
});

test('the README run command names a script that exists', () => {
  const cmd = commandUnder('Run it');
  const script = cmd.split(/\s+/).find((w) => w.endsWith('.sh'));
  assert.ok(script && existsSync(join(root, script)), `${script} exists`);
});
