/**
 * Braid end to end on this repository's own code: the constraints Clew extracts from src/, compiled
 * for real functions of src/ as `function:` targets. The real declaration is accepted; the same
 * declaration with `eval(…)` added, a parameter renamed, or a new local that breaks the naming
 * convention is rejected, and the rejection names the constraint. Every candidate text here is
 * derived from the real file at test time.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { compileConstraints, Braid, type TargetContext } from '../../src/braid/index.ts';
import { extractRepo, locateFunction, runPostChecks } from '../../src/clew/index.ts';
import { byteTokenizer, compile, parseLark, printLark, type Grammar } from '../../src/engine/index.ts';
import type { Constraint, ConstraintIR } from '../../src/core/index.ts';
import { ROOT } from '../helpers/cli.ts';

let constraints: Constraint[] = [];

before(async () => {
  const cacheDir = mkdtempSync(path.join(tmpdir(), 'ananke-braid-'));
  try {
    const r = await extractRepo([path.join(ROOT, 'src')], { cacheDir, jobs: 0, minConfidence: 0 });
    constraints = r.constraints;
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
});

/** Real functions of this repository, with a parameter and a local each. */
const FUNCTIONS: Array<{ file: string; name: string; param: string; local: string }> = [
  { file: 'src/core/stats.ts', name: 'percentile', param: 'sorted', local: 'rank' },
  { file: 'src/braid/cache.ts', name: 'canonicalJson', param: 'v', local: 'keys' },
  { file: 'src/braid/target.ts', name: 'parseTarget', param: 'spec', local: 'colon' },
  { file: 'src/clew/post-check.ts', name: 'lineOf', param: 'source', local: 'n' },
];

async function target(file: string, name: string): Promise<{ ctx: TargetContext; text: string; source: string; start: number }> {
  const source = readFileSync(path.join(ROOT, file), 'utf8');
  const fn = await locateFunction('typescript', source, name, file);
  return {
    ctx: { target: { kind: 'function', file, name }, language: 'typescript', fn: { name: fn.name, async: fn.async, kind: fn.kind }, head: source.slice(fn.start, fn.bodyStart) },
    text: source.slice(fn.start, fn.end), source, start: fn.start,
  };
}

function checker(g: Grammar): (t: string) => { accepted: boolean; message?: string } {
  const cg = compile(g, byteTokenizer());
  return (t) => cg.check(t);
}

/** Rename a whole word in the body only (after the head). */
function renameInBody(text: string, head: string, from: string, to: string): string {
  return head + text.slice(head.length).replace(new RegExp(`\\b${from}\\b`, 'g'), to);
}

test('Clew gives hard naming and security constraints for src/', () => {
  const ids = constraints.map((c) => c.id);
  for (const id of ['clew.naming.typescript.variable', 'clew.naming.typescript.parameter', 'clew.security.eval']) assert.ok(ids.includes(id), id);
});

for (const f of FUNCTIONS) {
  test(`function:${f.file}:${f.name}: the real declaration is accepted, violations are rejected`, async () => {
    const t = await target(f.file, f.name);
    const { ir, grammar } = compileConstraints(constraints, t.ctx);
    const check = checker(grammar);
    assert.ok(check(t.text).accepted, `real declaration: ${check(t.text).message}`);

    // eval(…) added as the first statement of the body.
    const brace = t.text.indexOf('{', t.ctx.head!.length - 1);
    const withEval = `${t.text.slice(0, brace + 1)}\n  eval("1");${t.text.slice(brace + 1)}`;
    assert.equal(check(withEval).accepted, false, 'with eval');

    // A parameter renamed (signature and body): the head is forced as written.
    const renamedParam = t.text.replace(new RegExp(`\\b${f.param}\\b`, 'g'), `${f.param}_renamed`);
    assert.equal(check(renamedParam).accepted, false, 'parameter renamed');

    // A local renamed to snake_case breaks the camelCase convention for variables.
    const snake = renameInBody(t.text, t.ctx.head!, f.local, `${f.local}_value`);
    const r = check(snake);
    assert.equal(r.accepted, false, 'snake_case local');
    const variable = ir.enforcement.find((e) => e.id === 'clew.naming.typescript.variable')!;
    assert.equal(variable.mode, 'decode');
    assert.ok(variable.grammarSymbols?.some((s) => r.message?.includes(s)), `the rejection names the variable terminal: ${r.message}`);

    // The same local in camelCase is fine.
    assert.ok(check(renameInBody(t.text, t.ctx.head!, f.local, `${f.local}Value`)).accepted, 'camelCase local');
  });
}

test('every input constraint has exactly one enforcement, in input order', async () => {
  const t = await target(FUNCTIONS[0]!.file, FUNCTIONS[0]!.name);
  const { ir } = compileConstraints(constraints, t.ctx);
  assert.deepEqual(ir.enforcement.map((e) => e.id), constraints.map((c) => c.id));
  for (const e of ir.enforcement) assert.ok(['decode', 'check', 'advisory', 'dropped'].includes(e.mode) && e.reason.length > 0, e.id);
  // Provenance points at terminals the printed grammar defines.
  for (const sym of Object.keys(ir.provenance)) assert.match(ir.grammar, new RegExp(`^${sym}\\b`, 'm'), sym);
});

test('the IR grammar reparses to the same verdicts, and its portable print has no Ananke-only options', async () => {
  const t = await target(FUNCTIONS[0]!.file, FUNCTIONS[0]!.name);
  const { ir, grammar } = compileConstraints(constraints, t.ctx);
  const again = checker(parseLark(ir.grammar));
  const direct = checker(grammar);
  for (const text of [t.text, t.text.replace('return', 'return eval("x") ||'), t.text.replace('const rank', 'const my_rank')]) {
    assert.equal(again(text).accepted, direct(text).accepted, text);
  }
  const portable = printLark(grammar, { portable: true });
  assert.doesNotMatch(portable.split('\n')[0]!, /indentation|lexeme_fallback|gap/);
  assert.ok(checker(parseLark(portable))(t.text).accepted);
});

test('post-generation checks on the candidate put back in its file', async () => {
  const t = await target(FUNCTIONS[0]!.file, FUNCTIONS[0]!.name);
  const { ir } = compileConstraints(constraints, t.ctx);
  const run = async (candidate: string) => {
    const source = t.source.slice(0, t.start) + candidate + t.source.slice(t.start + t.text.length);
    return runPostChecks(ir.postChecks, ir.constraints, { source, language: 'typescript', start: t.start, end: t.start + candidate.length });
  };
  const ok = await run(t.text);
  assert.deepEqual(ok.filter((p) => p.checked && !p.satisfied), []);
  const bad = await run(t.text.replace(/\bconst rank\b/, 'const my_rank').replace(/\[rank\]/, '[my_rank]').replace('return', 'eval("1");\n  return'));
  const failed = bad.filter((p) => !p.satisfied).map((p) => p.constraintId).sort();
  assert.ok(failed.includes('clew.naming.typescript.variable'), failed.join());
  assert.ok(failed.includes('clew.security.eval'), failed.join());
});

test('hardness thresholds are options: below them naming is advisory', async () => {
  const t = await target(FUNCTIONS[0]!.file, FUNCTIONS[0]!.name);
  const { ir } = compileConstraints(constraints, t.ctx, { minConfidence: 1.01 });
  const v = ir.enforcement.find((e) => e.id === 'clew.naming.typescript.variable')!;
  assert.equal(v.mode, 'advisory');
  assert.equal(v.hard, false);
  const eval_ = ir.enforcement.find((e) => e.id === 'clew.security.eval')!;
  assert.equal(eval_.mode, 'decode', 'severity error stays hard');
});

test('Braid cache: an unchanged request is a hit; a soft change reuses the grammar; LRU evicts', async () => {
  const braid = await Braid.create(2);
  const t = await target(FUNCTIONS[0]!.file, FUNCTIONS[0]!.name);
  const a = braid.compile(constraints, t.ctx);
  const b = braid.compile(constraints, t.ctx);
  assert.equal(a.cached, false);
  assert.equal(b.cached, true);
  assert.equal(b.ir, a.ir);
  // A soft constraint changed: a new IR, the same grammar (no emission).
  const soft = constraints.map((c) => (c.id === 'clew.async_style.typescript' ? { ...c, confidence: 0.5 } : c));
  const c = braid.compile(soft, t.ctx);
  assert.equal(c.cached, false);
  assert.equal(c.grammar, a.grammar);
  assert.deepEqual(braid.stats().grammars, { hits: 1, misses: 1, evictions: 0, size: 1, capacity: 2 });
  // A third distinct request evicts the least recently used IR.
  braid.compile(constraints.slice(1), t.ctx);
  assert.equal(braid.stats().ir.evictions, 1);
});

test('a new local in a module target: constants may be SCREAMING_SNAKE_CASE at module level', () => {
  const naming = constraints.filter((c) => c.rule.type === 'naming' && c.id.startsWith('clew.naming.typescript.'));
  const { ir, grammar } = compileConstraints(naming, { target: { kind: 'module', language: 'typescript' }, language: 'typescript' });
  const check = checker(grammar);
  assert.ok(check('export const MAX_SIZE = 10;\nexport const maxSize = 10;\n').accepted);
  assert.equal(check('export const max_size = 10;\n').accepted, false);
  assert.equal(ir.enforcement.find((e) => e.id === 'clew.naming.typescript.constant')!.mode, 'decode');
});

test('constraints for another language are dropped with the reason', () => {
  const py: Constraint = { ...constraints.find((c) => c.id === 'clew.naming.typescript.variable')!, id: 'py.var', rule: { type: 'naming', identifierKind: 'variable', style: 'snake_case', language: 'python' } };
  const { ir } = compileConstraints([py], { target: { kind: 'module', language: 'typescript' }, language: 'typescript' });
  assert.equal(ir.enforcement[0]!.mode, 'dropped');
  assert.match(ir.enforcement[0]!.reason, /python/);
});

test('a json target compiles the schema; its IR carries the schema for servers that take JSON Schema', () => {
  const schema = { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] };
  const { ir, grammar } = compileConstraints([], { target: { kind: 'json', schemaFile: 's.json' }, language: 'json', schema });
  assert.deepEqual(ir.jsonSchema, schema);
  const check = checker(grammar);
  assert.ok(check('{"n": 3}').accepted);
  assert.equal(check('{"n": "x"}').accepted, false);
});

test('IR shape: versioned, JSON round trip', async () => {
  const t = await target(FUNCTIONS[0]!.file, FUNCTIONS[0]!.name);
  const { ir } = compileConstraints(constraints, t.ctx);
  const back = JSON.parse(JSON.stringify(ir)) as ConstraintIR;
  assert.equal(back.version, 1);
  assert.deepEqual(back, ir);
});
