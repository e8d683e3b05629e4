// The house's shape: src/core and src/cli run in plain Node (no vscode import, and ESLint refuses one), imports
// follow the layer order written in docs/architecture.md, no import circles, no file over 400 lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join, relative, resolve, sep } from 'node:path';

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

// The layer order of docs/architecture.md ("## Layers"): a folder imports only from folders on lower lines.
type Layers = Map<string, number>;

function layersFromDocs(): Layers {
  const doc = readFileSync(join(root, 'docs', 'architecture.md'), 'utf8');
  const block = doc.split('<!-- layers:')[1]?.split('```')[1] ?? '';
  const layers: Layers = new Map();
  for (const line of block.split('\n')) {
    const m = /^L(\d+)\s+(.+)$/.exec(line.trim());
    if (m) for (const name of m[2]!.split(/\s+/)) layers.set(name, Number(m[1]));
  }
  return layers;
}

/** The layer folder of a file under src/: `extension`, `cli`, or `core/NAME`. */
function folderOf(file: string): string {
  const parts = relative(join(root, 'src'), file).split(sep);
  return parts[0] === 'core' ? `core/${parts.length > 2 ? parts[1] : ''}` : parts[0]!;
}

/** Relative imports of every .ts file in src/, resolved to files. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const f of tsFiles(join(root, 'src'))) {
    const targets: string[] = [];
    for (const m of readFileSync(f, 'utf8').matchAll(/(?:from|import\(|require\()\s*['"](\.[^'"]+)['"]/g)) {
      const base = resolve(dirname(f), m[1]!.replace(/\.js$/, ''));
      const hit = [`${base}.ts`, join(base, 'index.ts')].find((c) => existsSync(c));
      if (hit) targets.push(hit);
    }
    graph.set(f, targets);
  }
  return graph;
}

function arrowsAgainstLayers(graph: Map<string, string[]>, layers: Layers): string[] {
  const bad: string[] = [];
  for (const [from, tos] of graph) {
    for (const to of tos) {
      const a = folderOf(from);
      const b = folderOf(to);
      if (a === b) continue;
      const la = layers.get(a);
      const lb = layers.get(b);
      if (la === undefined || lb === undefined) bad.push(`${relative(root, from)} → ${relative(root, to)}: ${la === undefined ? a : b} is not in docs/architecture.md's layer table`);
      else if (lb >= la) bad.push(`${relative(root, from)} (${a}, L${la}) → ${relative(root, to)} (${b}, L${lb})`);
    }
  }
  return bad;
}

function importCircles(graph: Map<string, string[]>): string[][] {
  // Tarjan's strongly connected components; a component of more than one file is a circle.
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const circles: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      for (let w = stack.pop(); w !== undefined; w = stack.pop()) {
        onStack.delete(w);
        comp.push(relative(root, w));
        if (w === v) break;
      }
      if (comp.length > 1) circles.push(comp.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return circles;
}

test('every import follows the layer order of docs/architecture.md', () => {
  const layers = layersFromDocs();
  assert.ok(layers.size >= 15, `the layer table in docs/architecture.md was not found or is short (${layers.size} folders)`);
  for (const dir of readdirSync(join(root, 'src', 'core'))) {
    if (statSync(join(root, 'src', 'core', dir)).isDirectory()) assert.ok(layers.has(`core/${dir}`), `src/core/${dir} has no line in docs/architecture.md's layer table`);
  }
  assert.deepEqual(arrowsAgainstLayers(importGraph(), layers), []);
});

test('the layer check sees an arrow that goes up (util importing cluster)', () => {
  const graph = new Map([[join(root, 'src', 'core', 'util', 'x.ts'), [join(root, 'src', 'core', 'cluster', 'live.ts')]]]);
  assert.equal(arrowsAgainstLayers(graph, layersFromDocs()).length, 1);
});

test('no import circle between files of src/', () => {
  assert.deepEqual(importCircles(importGraph()), []);
  const a = join(root, 'a.ts');
  const b = join(root, 'b.ts');
  assert.equal(importCircles(new Map([[a, [b]], [b, [a]]])).length, 1, 'the circle check finds a two-file circle');
});

test('no file in src/ is over 400 lines', () => {
  const long = tsFiles(join(root, 'src'))
    .map((f) => [relative(root, f), readFileSync(f, 'utf8').split('\n').length - 1] as const)
    .filter(([, n]) => n > 400);
  assert.deepEqual(long, []);
});

test('vscode is imported only in src/extension', () => {
  const offenders = tsFiles(join(root, 'src'))
    .filter((f) => folderOf(f) !== 'extension')
    .filter((f) => /from ['"]vscode['"]|require\(['"]vscode['"]\)/.test(readFileSync(f, 'utf8')));
  assert.deepEqual(offenders, []);
});
