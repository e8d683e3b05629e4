/**
 * The one test-only seam in the shipped extension. UI tests and the bench need numbers from inside
 * the running extension host (how often the poller ran, whether the view counts as visible) that
 * no UI shows. When PCX_TEST_HOOK names a JavaScript module (an absolute path), it is loaded and
 * given read-only probes; what it does with them (test/ui/pollStatsHook.mjs writes them to a file)
 * lives with the tests. Without the variable nothing here runs.
 */
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as vscode from 'vscode';
import type { PollerStats } from '../core/watch/poller';

export interface TestProbes {
  /** Poll counters per configured cluster, with whether the explorer view is visible. */
  pollStats(): Record<string, PollerStats & { readonly visible: boolean }>;
}

interface TestHookModule {
  /** Returns a function that stops whatever the hook started. */
  attach?(probes: TestProbes): (() => void) | void;
}

export const TEST_HOOK_ENV = 'PCX_TEST_HOOK';

export function attachTestHook(probes: TestProbes, log: vscode.LogOutputChannel): vscode.Disposable {
  let detach: (() => void) | void;
  let disposed = false;
  const path = process.env[TEST_HOOK_ENV];
  if (path) {
    if (!isAbsolute(path)) {
      log.warn(`${TEST_HOOK_ENV}=${path} ignored: it must be an absolute path`);
    } else {
      import(pathToFileURL(path).href).then(
        (mod: TestHookModule) => {
          if (!disposed) detach = mod.attach?.(probes);
          log.info(`test hook ${path} attached`);
        },
        (e: unknown) => log.error(`test hook ${path} could not be loaded: ${e instanceof Error ? e.message : String(e)}`),
      );
    }
  }
  return {
    dispose: () => {
      disposed = true;
      detach?.();
    },
  };
}
