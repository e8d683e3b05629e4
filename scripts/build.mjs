// Bundles the extension and the pcx CLI with esbuild. `tsc --noEmit` (npm run check) does the type checking.
import * as esbuild from 'esbuild';
import { chmodSync, readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  define: { PCX_VERSION: JSON.stringify(pkg.version) },
  // ssh2 tries optional native helpers inside try/catch; the pure-JS paths are used without them.
  external: ['cpu-features', '*.node'],
};

const targets = [
  { ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: [...common.external, 'vscode'] },
  { ...common, entryPoints: ['src/cli/pcx.ts'], outfile: 'dist/pcx.js', banner: { js: '#!/usr/bin/env node' } },
];

if (watch) {
  for (const t of targets) await (await esbuild.context(t)).watch();
} else {
  await Promise.all(targets.map((t) => esbuild.build(t)));
  chmodSync('dist/pcx.js', 0o755);
}
