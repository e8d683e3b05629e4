// Bundles the extension and the pcx CLI with esbuild. `tsc --noEmit` (npm run check) does the type checking.
//
// Startup cost is mostly reading and compiling JavaScript, so what only some paths need is kept out of the entry
// bundles (issue 9: activation ≤ 50 ms). The source loads these with a lazy `require` on first use; here each
// becomes a file of its own beside the bundles, which the bundles require by relative path:
//   dist/vendor/<package>.js   the runtime dependencies (ssh2 on the first connection, ioredis on the first
//                              workload read, fast-xml-parser on the first XML document, ssh-config without OpenSSH)
//   dist/crm-agent-metadata.json  the resource agents' metadata (crm files only)
// They are leaves (they import nothing of ours), so no module of ours exists twice.
import * as esbuild from 'esbuild';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const require = createRequire(import.meta.url);

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

export const VENDOR = ['ssh2', 'ioredis', 'fast-xml-parser', 'ssh-config'];
const AGENT_METADATA = 'src/core/crm/agents/metadata.json';

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

/** The entry bundles require the vendor files and the agent metadata beside them instead of inlining them. */
const lazyFiles = {
  name: 'lazy-files',
  setup(build) {
    const names = new RegExp(`^(${VENDOR.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})$`);
    build.onResolve({ filter: names }, (args) => ({ path: `./vendor/${args.path}.js`, external: true }));
    build.onResolve({ filter: /\/agents\/metadata\.json$/ }, () => ({ path: './crm-agent-metadata.json', external: true }));
  },
};

const targets = [
  { ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: [...common.external, 'vscode'], plugins: [lazyFiles] },
  { ...common, entryPoints: ['src/cli/pcx.ts'], outfile: 'dist/pcx.js', banner: { js: '#!/usr/bin/env node' }, plugins: [lazyFiles] },
  ...VENDOR.map((name) => ({ ...common, entryPoints: [require.resolve(name)], outfile: `dist/vendor/${name}.js` })),
];

function writeAgentMetadata() {
  mkdirSync('dist', { recursive: true });
  writeFileSync('dist/crm-agent-metadata.json', JSON.stringify(JSON.parse(readFileSync(AGENT_METADATA, 'utf8'))));
}

writeAgentMetadata();
if (watch) {
  for (const t of targets) await (await esbuild.context(t)).watch();
} else {
  await Promise.all(targets.map((t) => esbuild.build(t)));
  chmodSync('dist/pcx.js', 0o755);
}
