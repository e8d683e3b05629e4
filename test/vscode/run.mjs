// Extension tests inside a real VS Code downloaded by @vscode/test-electron — for machines that can download
// it. Here (no internet) the UI suite in test/ui runs the same extension in code-server instead.
//   npm run package && npm run test:vscode
import { runTests } from '@vscode/test-electron';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');

try {
  await runTests({
    version: '1.99.3',
    extensionDevelopmentPath: root,
    extensionTestsPath: resolve(here, 'suite', 'index.cjs'),
    launchArgs: [resolve(root, 'test', 'fixtures', 'workspace'), '--disable-extensions', '--disable-workspace-trust'],
  });
} catch (e) {
  console.error(`test:vscode: ${e instanceof Error ? e.message : String(e)}`);
  console.error('test:vscode needs to download VS Code; where it cannot, run the UI suite: npm run test:ui');
  process.exit(1);
}
