/**
 * Accuracy oracle: Clew's Python functions (qualified name + parameter names) against Python's own
 * `ast` module, on a fixed list of standard-library modules of this machine's python3.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { extractFile } from '../../src/clew/extract-file.ts';
import { qualifiedName } from '../../src/clew/languages/common.ts';

const ORACLE = fileURLToPath(new URL('../helpers/python-ast-oracle.py', import.meta.url));
/** The first 60 stdlib modules by sorted file name between 2 kB and 80 kB (skips stubs and huge files). */
const MODULES = 60;
const MIN_BYTES = 2_000;
const MAX_BYTES = 80_000;

function python(args: string[]): string {
  return execFileSync('python3', [ORACLE, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

function key(name: string, params: string[]): string {
  return `${name}(${params.join(',')})`;
}

/** Multiset intersection size. */
function matched(a: string[], b: string[]): number {
  const counts = new Map<string, number>();
  for (const k of b) counts.set(k, (counts.get(k) ?? 0) + 1);
  let n = 0;
  for (const k of a) {
    const c = counts.get(k) ?? 0;
    if (c > 0) {
      n++;
      counts.set(k, c - 1);
    }
  }
  return n;
}

/** Whether `python3` can be run here (the oracle needs it; the test says so when it cannot). */
function hasPython(): boolean {
  try {
    execFileSync('python3', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

test('python functions and parameters agree with the ast module on 60 stdlib modules (P, R >= 0.98)', { skip: hasPython() ? false : 'python3 is not installed: the ast oracle needs it' }, async (t) => {
  const files = JSON.parse(python(['--pick', String(MODULES), String(MIN_BYTES), String(MAX_BYTES)])) as string[];
  assert.ok(files.length >= 50, `expected at least 50 stdlib modules, found ${files.length}`);
  const oracle = JSON.parse(python(files)) as { files: Record<string, [string, string[]][]>; errors: Record<string, string> };
  let ours = 0;
  let theirs = 0;
  let hits = 0;
  const misses: string[] = [];
  for (const file of files) {
    const expected = oracle.files[file];
    if (!expected) continue; // the oracle could not parse it (reported below)
    const facts = await extractFile(file, readFileSync(file, 'utf8'), 'python');
    const got = facts.functions.map((f) => key(qualifiedName(f), f.params.map((p) => p.name)));
    const want = expected.map(([name, params]) => key(name, params));
    ours += got.length;
    theirs += want.length;
    const m = matched(got, want);
    hits += m;
    if (m < Math.max(got.length, want.length) && misses.length < 10) {
      const wantSet = new Set(want);
      const gotSet = new Set(got);
      misses.push(`${file}: extra ${got.filter((k) => !wantSet.has(k)).slice(0, 3).join(' ')} | missing ${want.filter((k) => !gotSet.has(k)).slice(0, 3).join(' ')}`);
    }
  }
  const precision = hits / ours;
  const recall = hits / theirs;
  const summary = `python accuracy on ${Object.keys(oracle.files).length} stdlib modules: ${theirs} functions (ast), ` +
    `${ours} (clew), precision ${precision.toFixed(4)}, recall ${recall.toFixed(4)}`;
  t.diagnostic(summary);
  console.log(summary);
  for (const m of misses) t.diagnostic(m);
  assert.ok(theirs > 500, `too few functions to measure (${theirs})`);
  assert.ok(precision >= 0.98, `precision ${precision} < 0.98\n${misses.join('\n')}`);
  assert.ok(recall >= 0.98, `recall ${recall} < 0.98\n${misses.join('\n')}`);
});
