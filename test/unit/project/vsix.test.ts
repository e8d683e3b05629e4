// The VSIX carries only what runs: bundles, manifest, grammar/snippets/media, docs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vsixPath } from '../../ui/harness';
import { loadWithStandIn } from '../../vscodeStandIn';

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

/** Files the bundles require by relative path (`./vendor/ssh2.js`, …): they are loaded on first use, not at startup. */
function lazyFilesOf(bundle: string): string[] {
  const text = readFileSync(join(root, 'dist', bundle), 'utf8');
  return [...new Set([...text.matchAll(/require\("\.\/([^"]+)"\)/g)].map((m) => `dist/${m[1]}`))].sort();
}

test('the VSIX carries every file the bundles load later, and the bundles inline none of the heavy dependencies', { timeout: 180_000 }, () => {
  // dist/ is the one the test above built for the VSIX.
  const files = execFileSync(join(root, 'node_modules', '.bin', 'vsce'), ['ls', '--no-dependencies'], { cwd: root, encoding: 'utf8' }).trim().split('\n');
  const lazy = [...new Set([...lazyFilesOf('extension.js'), ...lazyFilesOf('pcx.js')])];
  assert.deepEqual(lazy.filter((f) => !files.includes(f)), []);
  for (const dep of ['dist/vendor/ssh2.js', 'dist/vendor/ioredis.js', 'dist/vendor/fast-xml-parser.js', 'dist/crm-agent-metadata.json']) {
    assert.ok(lazyFilesOf('extension.js').includes(dep), `extension.js should load ${dep} on first use; it requires ${lazyFilesOf('extension.js').join(', ')}`);
  }
});

test('loading and activating the extension bundle reads none of the lazily loaded files', () => {
  const loaded = loadWithStandIn(join(root, 'dist', 'extension.js'));
  try {
    loaded.ext.activate(loaded.stub);
  } finally {
    loaded.stop();
  }
  assert.ok(loaded.requests.includes('vscode'), `the stand-in was used: ${loaded.requests.join(', ')}`);
  assert.deepEqual(loaded.requests.filter((r) => r.startsWith('./')), []);
});

test('pcx lint of a crm file loads the agent metadata but none of the connection stack', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pcx-lazy-'));
  try {
    const spec = join(dir, 'spec.crm');
    writeFileSync(spec, 'primitive vip ocf:heartbeat:IPaddr2 params ip=10.0.0.1 op monitor interval=10s\n');
    // The child (argv: node pcx lint FILE, as pcx.js expects) prints, on exit, which of dist/'s files it loaded.
    const probe = `process.on('exit', () => process.stderr.write('LOADED ' + JSON.stringify(Object.keys(require.cache).filter((f) => f.includes('/dist/')).map((f) => f.slice(f.indexOf('/dist/') + 1)).sort()))); require(${JSON.stringify(join(root, 'dist', 'pcx.js'))});`;
    const child = spawnSync(process.execPath, ['-e', probe, 'pcx', 'lint', spec], { encoding: 'utf8' });
    const line = /LOADED (.*)$/m.exec(child.stderr);
    assert.ok(line, `the probe reported: ${child.stderr}`);
    const loadedFiles = JSON.parse(line[1]!) as string[];
    assert.ok(loadedFiles.includes('dist/crm-agent-metadata.json'), `loaded: ${loadedFiles.join(', ')}`);
    assert.deepEqual(loadedFiles.filter((f) => /vendor\/(ssh2|ioredis)\.js$/.test(f)), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
