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
import { addFile, assertPrecisionRecall, emptyScore } from '../helpers/precision-recall.ts';

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
  const score = emptyScore();
  for (const file of files) {
    const expected = oracle.files[file];
    if (!expected) continue; // the oracle could not parse it (reported below)
    const facts = await extractFile(file, readFileSync(file, 'utf8'), 'python');
    const got = facts.functions.map((f) => key(qualifiedName(f), f.params.map((p) => p.name)));
    const want = expected.map(([name, params]) => key(name, params));
    addFile(score, file, got, want, 10);
  }
  assertPrecisionRecall(t, score, (precision, recall) =>
    `python accuracy on ${Object.keys(oracle.files).length} stdlib modules: ${score.theirs} functions (ast), ` +
    `${score.ours} (clew), precision ${precision.toFixed(4)}, recall ${recall.toFixed(4)}`, 500);
});
