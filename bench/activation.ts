/**
 * One activation of the built extension (dist/extension.js) in this fresh process: load the bundle and call
 * activate() against the vscode stand-in, then print {"loadMs", "activateMs"} as JSON. footprint.bench.ts runs it
 * in several new processes (a bundle loads only once per process, and the first load is the one users pay).
 */
import { join } from 'node:path';
import { loadWithStandIn } from '../test/vscodeStandIn';

const loaded = loadWithStandIn(process.env['PCX_BENCH_BUNDLE'] ?? join(__dirname, '..', 'dist', 'extension.js'));
try {
  const t0 = performance.now();
  loaded.ext.activate(loaded.stub);
  const activateMs = performance.now() - t0;
  process.stdout.write(JSON.stringify({ loadMs: loaded.loadMs, activateMs }) + '\n');
  try {
    loaded.ext.deactivate?.();
  } catch {
    // the stand-in cannot dispose for real
  }
} finally {
  loaded.stop();
}
