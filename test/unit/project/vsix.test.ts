// The VSIX carries only what runs: bundles, manifest, grammar/snippets/media, docs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { vsixPath } from '../../ui/harness';

const root = join(__dirname, '..', '..', '..');

test('the VSIX holds no sources, tests, maps or node_modules and stays small', { timeout: 180_000 }, () => {
  execFileSync('node', ['scripts/package.mjs', '--quiet'], { cwd: root, stdio: 'pipe' });
  const files = execFileSync(join(root, 'node_modules', '.bin', 'vsce'), ['ls', '--no-dependencies'], { cwd: root, encoding: 'utf8' })
    .trim()
    .split('\n');
  assert.ok(files.includes('dist/extension.js') && files.includes('dist/pcx.js'), `bundles listed: ${files.join(', ')}`);
  const stray = files.filter((f) => /^(src|test|node_modules|scripts|bench|\.tools)\//.test(f) || f.endsWith('.map') || f.endsWith('.ts'));
  assert.deepEqual(stray, []);
  const size = statSync(vsixPath()).size;
  assert.ok(size < 2 * 1024 * 1024, `VSIX is ${size} bytes; expected under 2 MiB`);
});
