/**
 * Loading the built extension bundle (dist/extension.js) outside VS Code, against a do-nothing stand-in for the
 * vscode API: the activation bench times it, the VSIX test checks what it loads. Every property, call and `new`
 * of the stand-in gives the stand-in back; never a thenable. esbuild's CommonJS interop copies the module's own
 * property names, so the stand-in lists every name the vscode module exports (from @types/vscode: the production
 * bundle is minified).
 */
import { readFileSync } from 'node:fs';
import Module from 'node:module';
import { join } from 'node:path';

const root = join(__dirname, '..');

export function vscodeStandIn(names: readonly string[] = vscodeApiNames()): unknown {
  const keys = new Set(names);
  const stub: unknown = new Proxy(function () {}, {
    get: (_t, p) => (p === 'then' ? undefined : p === Symbol.toPrimitive ? () => '' : p === Symbol.iterator ? function* () {} : stub),
    apply: () => stub,
    construct: () => stub as object,
    // Writes go nowhere (the target is a function, whose own `name` is read-only).
    set: () => true,
    defineProperty: () => true,
    ownKeys: (t) => [...new Set([...Reflect.ownKeys(t), ...keys])],
    getOwnPropertyDescriptor: (t, p) => Reflect.getOwnPropertyDescriptor(t, p) ?? (typeof p === 'string' && keys.has(p) ? { configurable: true, enumerable: true, writable: true, value: stub } : undefined),
  });
  return stub;
}

function vscodeApiNames(): string[] {
  const dts = readFileSync(join(root, 'node_modules', '@types', 'vscode', 'index.d.ts'), 'utf8');
  return [...dts.matchAll(/^\s*export (?:class|enum|namespace|function|const|let|var) ([A-Za-z_$][\w$]*)/gm)].map((m) => m[1]!);
}

export interface LoadedExtension {
  readonly ext: { activate(context: unknown): unknown; deactivate?(): unknown };
  readonly stub: unknown;
  /** Every module request made while `during` ran (loading the bundle, then whatever the caller does). */
  readonly requests: string[];
  /** Milliseconds spent in require() of the bundle. */
  readonly loadMs: number;
}

/** Require `bundle` with `vscode` answered by the stand-in; requests are recorded until `stop()`. */
export function loadWithStandIn(bundle: string): LoadedExtension & { stop(): void } {
  const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const original = loader._load;
  const stub = vscodeStandIn();
  const requests: string[] = [];
  loader._load = (request: string, ...rest: unknown[]) => {
    requests.push(request);
    return request === 'vscode' ? stub : original(request, ...rest);
  };
  const stop = () => {
    loader._load = original;
  };
  try {
    const t0 = performance.now();
    const ext = Module.createRequire(__filename)(bundle) as LoadedExtension['ext'];
    return { ext, stub, requests, loadMs: performance.now() - t0, stop };
  } catch (e) {
    stop();
    throw e;
  }
}
