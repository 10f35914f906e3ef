/**
 * The architecture's import rules (docs/architecture.md), read from the import lines of src/:
 * each part imports only the parts below it, the engine nothing at all, and no module imports
 * itself back through a cycle.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './helpers/cli.ts';

const SRC = path.join(ROOT, 'src');

/** What each part may import (besides itself). `index` is src/index.ts, the package's main entry. */
const MAY_IMPORT: Record<string, readonly string[]> = {
  core: [],
  engine: [],
  clew: ['core'],
  ariadne: ['core'],
  braid: ['core', 'engine'],
  maze: ['core', 'engine', 'braid'],
  eval: ['core', 'engine', 'clew', 'braid', 'maze'],
  serve: ['core', 'engine', 'clew', 'braid', 'maze'],
  cli: ['core', 'engine', 'clew', 'ariadne', 'braid', 'maze', 'eval', 'serve'],
  index: ['core', 'engine', 'clew', 'ariadne', 'braid', 'maze'],
};

function sources(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) sources(p, out);
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out;
}

function partOf(file: string): string {
  const rel = path.relative(SRC, file).split(path.sep);
  return rel.length === 1 ? 'index' : rel[0]!;
}

/** Relative imports of a file, static and dynamic, resolved to absolute paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+'(\.{1,2}\/[^']+)'|import\(\s*'(\.{1,2}\/[^']+)'\s*\)/g)) {
    out.push(path.resolve(path.dirname(file), (m[1] ?? m[2])!));
  }
  return out;
}

const files = sources(SRC);
const graph = new Map(files.map((f) => [f, importsOf(f)]));

test('every part imports only what the architecture allows', () => {
  const wrong: string[] = [];
  for (const [file, imports] of graph) {
    const from = partOf(file);
    const allowed = MAY_IMPORT[from];
    assert.ok(allowed, `${path.relative(ROOT, file)}: src/${from} is not a part of the architecture (add it to docs/architecture.md and this test)`);
    for (const target of imports) {
      if (!target.startsWith(SRC + path.sep)) {
        wrong.push(`${path.relative(ROOT, file)} imports ${path.relative(ROOT, target)}, outside src/`);
        continue;
      }
      const to = partOf(target);
      if (to !== from && !allowed.includes(to)) wrong.push(`${path.relative(ROOT, file)} (${from}) imports ${path.relative(ROOT, target)} (${to})`);
    }
  }
  assert.deepEqual(wrong, []);
});

test('the CLI and the other parts reach a part only through its public index.ts', () => {
  const wrong: string[] = [];
  for (const [file, imports] of graph) {
    const from = partOf(file);
    for (const target of imports) {
      const to = partOf(target);
      if (to !== from && to !== 'index' && path.relative(path.join(SRC, to), target) !== 'index.ts') {
        wrong.push(`${path.relative(ROOT, file)} imports ${path.relative(ROOT, target)}`);
      }
    }
  }
  assert.deepEqual(wrong, []);
});

test('no module imports itself back through a cycle', () => {
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (f: string): void => {
    state.set(f, 'open');
    stack.push(f);
    for (const t of graph.get(f) ?? []) {
      if (!graph.has(t)) continue;
      if (state.get(t) === 'open') cycles.push(stack.slice(stack.indexOf(t)).concat(t).map((x) => path.relative(SRC, x)).join(' → '));
      else if (!state.has(t)) visit(t);
    }
    stack.pop();
    state.set(f, 'done');
  };
  for (const f of files) if (!state.has(f)) visit(f);
  assert.deepEqual(cycles, []);
});

test('inside a part, no two subfolders import each other (the part\'s own root files are shared by all)', () => {
  const folders = new Map<string, Set<string>>();
  for (const [file, imports] of graph) {
    const from = path.dirname(file);
    for (const t of imports) {
      const to = path.dirname(t);
      const isRoot = (d: string): boolean => path.dirname(d) === SRC || d === SRC;
      if (to === from || isRoot(from) || isRoot(to) || partOf(file) !== partOf(t)) continue;
      let set = folders.get(from);
      if (!set) folders.set(from, (set = new Set()));
      set.add(to);
    }
  }
  const both: string[] = [];
  for (const [a, tos] of folders) for (const b of tos) if (a < b && folders.get(b)?.has(a)) both.push(`${path.relative(SRC, a)} ↔ ${path.relative(SRC, b)}`);
  assert.deepEqual(both, []);
});

test('the reader of import lines sees every kind of import', () => {
  // Guards the regex above: a file importing in each form is read completely.
  const probe = path.join(SRC, 'cli/main.ts');
  const seen = importsOf(probe).map((t) => path.relative(SRC, t));
  assert.ok(seen.includes('core/index.ts') && seen.includes('cli/commands/index.ts'), seen.join(', '));
  const lazy = importsOf(path.join(SRC, 'cli/commands/index.ts')).map((t) => path.relative(SRC, t));
  assert.ok(lazy.includes('cli/commands/extract.ts'), `dynamic imports: ${lazy.join(', ')}`);
});
