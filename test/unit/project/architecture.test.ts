// src/core and src/cli must run in plain Node: no vscode import, and ESLint must refuse one if added.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, writeFileSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

test('no file in src/core or src/cli imports vscode', () => {
  const offenders = [...tsFiles(join(root, 'src', 'core')), ...tsFiles(join(root, 'src', 'cli'))].filter((f) =>
    /from ['"]vscode['"]|require\(['"]vscode['"]\)/.test(readFileSync(f, 'utf8')),
  );
  assert.deepEqual(offenders, []);
});

test('ESLint rejects a vscode import added to src/core', () => {
  const probe = join(root, 'src', 'core', '__lint_probe__.ts');
  writeFileSync(probe, "import * as vscode from 'vscode';\nexport const probe = vscode;\n");
  try {
    let output = '';
    try {
      execFileSync(join(root, 'node_modules', '.bin', 'eslint'), [probe], { cwd: root, encoding: 'utf8' });
    } catch (e) {
      output = String((e as { stdout?: string }).stdout);
    }
    assert.match(output, /no-restricted-imports/);
  } finally {
    rmSync(probe, { force: true });
  }
});
