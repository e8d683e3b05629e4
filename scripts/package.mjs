// Builds the production bundles and the VSIX, then prints its size and file list length.
import { execFileSync } from 'node:child_process';
import { statSync, readFileSync } from 'node:fs';

const quiet = process.argv.includes('--quiet');
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const vsix = `${pkg.name}-${pkg.version}.vsix`;
const stdio = quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit';
execFileSync('node', ['scripts/build.mjs', '--production'], { stdio });
// Everything the extension runs is bundled into dist/, so the VSIX needs no node_modules.
// The VSIX carries a short README of its own: the project README's screenshots are repository files, which vsce
// refuses to link without a public repository URL.
execFileSync('npx', ['vsce', 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--readme-path', 'docs/extension-readme.md', '-o', vsix], { stdio });
const files = execFileSync('npx', ['vsce', 'ls', '--no-dependencies'], { encoding: 'utf8' }).trim().split('\n');
console.log(`${vsix}: ${(statSync(vsix).size / 1024).toFixed(1)} KiB, ${files.length} files`);
