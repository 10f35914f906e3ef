/**
 * Matcher.shortestCompletion (src/engine/matcher/completion.ts). The law, on the shipped grammars,
 * JSON-Schema grammars and Braid IR grammars, many seeds: from any prefix of a sentence (sampled
 * texts cut at random bytes, real files cut at random tokens), the completion's tokens are taken by the matcher one by
 * one and leave it accepting, and the prefix plus the completion's bytes is a sentence. Hand cases
 * where the shortest completion is obvious pin the minimum; on the arithmetic and JSON grammars an
 * exhaustive search over shorter texts confirms it. Bounds make it return null, never hang.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  byteTokenizer, compile, compileJsonSchema, EngineError, hasBit, loadProgramGrammar, loadTokenizer, parseLark,
  sampleGrammarTexts, type CompiledGrammar, type Grammar, type Matcher, type ProgramLanguage, type Tokenizer,
} from '../../src/engine/index.ts';
import { compileConstraints, type TargetContext } from '../../src/braid/index.ts';
import { describeRule, type Constraint, type Rule } from '../../src/core/index.ts';
import { ROOT } from '../helpers/cli.ts';
import { rng } from './matcher-helpers.ts';

const enc = new TextEncoder();
const grammarFile = (name: string): Grammar => parseLark(readFileSync(path.join(ROOT, 'grammars', name), 'utf8'));
const bytesCg = new Map<string, CompiledGrammar>();
/** A grammar compiled once per test file with the byte vocabulary. */
function byBytes(name: string, make: () => Grammar): CompiledGrammar {
  let cg = bytesCg.get(name);
  if (!cg) bytesCg.set(name, (cg = compile(make(), byteTokenizer())));
  return cg;
}
const program = (lang: ProgramLanguage): CompiledGrammar => byBytes(lang, () => loadProgramGrammar(lang));

/** A matcher that has read `prefix` byte by byte. */
function readBytes(cg: CompiledGrammar, prefix: Uint8Array | string): Matcher {
  const m = cg.matcher();
  const bytes = typeof prefix === 'string' ? enc.encode(prefix) : prefix;
  for (let i = 0; i < bytes.length; i++) assert.ok(m.consume(bytes[i]!), `byte ${i} of the prefix was refused`);
  return m;
}

/**
 * The law at a matcher that has read `prefix`: the completion's tokens are taken one by one by a
 * copy and leave it accepting; prefix + completion bytes, read from scratch, is a sentence; the
 * matcher itself is where it was. Returns the completion's bytes.
 */
function assertCompletes(cg: CompiledGrammar, m: Matcher, prefix: Uint8Array, where: string): Uint8Array {
  const pos = m.position;
  const before = m.isAccepting();
  const c = m.shortestCompletion();
  assert.ok(c !== null, `${where}: no completion`);
  assert.equal(m.position, pos, `${where}: the matcher moved`);
  assert.equal(m.isAccepting(), before, `${where}: the matcher changed`);
  const copy = m.clone();
  for (const t of c.tokens) assert.ok(copy.consume(t), `${where}: completion token ${t} refused (completion ${JSON.stringify(c.text)})`);
  assert.ok(copy.isAccepting(), `${where}: not accepting after the completion ${JSON.stringify(c.text)}`);
  const tok = cg.tokenizer;
  const spelled = c.tokens.flatMap((t) => [...tok.tokenBytes(t)]);
  assert.deepEqual(spelled, [...c.bytes], `${where}: the tokens spell other bytes than the completion's`);
  const whole = cg.matcher();
  const all = [...prefix, ...c.bytes];
  const byteTok = cg.tokenizer.name === 'bytes';
  if (byteTok) {
    for (const b of all) assert.ok(whole.consume(b), `${where}: prefix + completion refused`);
    assert.ok(whole.isAccepting(), `${where}: prefix + completion ${JSON.stringify(c.text)} is not a sentence`);
  }
  return c.bytes;
}

test('hand cases: the obvious shortest completion', () => {
  const json = byBytes('json', () => grammarFile('json.lark'));
  const cases: Array<[CompiledGrammar, string, string]> = [
    [json, '{"a": [1', ']}'],
    [json, '[', ']'],
    [json, '{"a": "x\\', 'b"}'],
    [json, '{"a": tr', 'ue}'],
    [program('typescript'), 'foo(1, bar(2', '))'],
    [program('typescript'), 'if (x) {', '}'],
    [program('typescript'), 'const s = `a${b', '}`'],
    [program('python'), 'if x:\n    if y:\n        z = [1,', ']'],
    [program('python'), 'x = f"a{b', '}"'],
    [program('go'), 'package main\nfunc main() {\n\tfmt.Println("hi', '")}'],
    [program('rust'), 'fn main() { let x = vec![1, 2', '];}'],
    [program('rust'), 'struct A { x: Vec<Option<u8', '>>}'],
  ];
  for (const [cg, prefix, expected] of cases) {
    const m = readBytes(cg, prefix);
    const c = m.shortestCompletion();
    assert.equal(c?.text, expected, `after ${JSON.stringify(prefix)}`);
    assertCompletes(cg, m, enc.encode(prefix), JSON.stringify(prefix));
  }
  // ignore_once: one separator between two words that would otherwise read as one.
  const once = compile(parseLark('%llguidance {"ignore_once": true}\n%ignore /[ ]+/\nstart: WORD WORD\nWORD: /[a-z]+/'), byteTokenizer());
  assert.equal(readBytes(once, 'x').shortestCompletion()?.text, ' a');
  assert.equal(readBytes(once, 'x ').shortestCompletion()?.text, 'a');
  // A complete text needs nothing.
  assert.deepEqual(readBytes(json, '{"a": 1}').shortestCompletion()?.tokens, []);
  // A leading U+FEFF is text like any other: the decoder must not drop it as a byte-order mark.
  const bom = compile(parseLark('start: "\\uFEFFab"'), byteTokenizer());
  assert.equal(bom.matcher().shortestCompletion()?.text, '\uFEFFab');
});

test('Python: inside an indented block the completion indents, dedents at the end are implicit', () => {
  const py = program('python');
  const expect = (prefix: string, text: RegExp | string): void => {
    const m = readBytes(py, prefix);
    const c = m.shortestCompletion();
    if (typeof text === 'string') assert.equal(c?.text, text, JSON.stringify(prefix));
    else assert.match(c?.text ?? '(none)', text, JSON.stringify(prefix));
    assertCompletes(py, m, enc.encode(prefix), JSON.stringify(prefix));
  };
  // A block must follow: one statement one level deeper (4 columns when the file shows no unit).
  expect('def f():\n', /^ {4}\S$/);
  // The file's own unit: two columns per level.
  expect('if a:\n  if b:\n', /^ {4}\S$/);
  // Two levels in, a statement open: only the bracket; the end of the text dedents by itself.
  expect('class A:\n    def f(self):\n        return [1,', ']');
  // A line break read already, the block complete: nothing.
  expect('def f():\n    x = 1\n', '');
  // Spaces read after the line break: the column is completed, not started again.
  expect('def f():\n  ', /^\S$/);
});

test('a plan that cannot be written where it is: a cheaper-looking path is replaced by one that reads', () => {
  // In Go `;` takes the line break after it into its own lexeme, so the plan "\n{}}" (a newline as
  // the loop's second semicolon) cannot be written; ";{}}" can.
  const go = program('go');
  const prefix = 'package main\nfunc f() {\n\tfor w := 0;';
  const m = readBytes(go, prefix);
  assert.equal(m.shortestCompletion()?.text, ';{}}');
  // A line comment before the package clause: the clause must start on the next line.
  assert.equal(readBytes(go, '// Package calc').shortestCompletion()?.text, '\npackage a');
});

test('the law on sampled sentences of every shipped grammar, cut at random bytes (byte vocabulary)', () => {
  const grammars: Array<[string, () => Grammar, number]> = [
    ['json', () => grammarFile('json.lark'), 25],
    ['arithmetic', () => grammarFile('arithmetic.lark'), 25],
    ['clike', () => grammarFile('clike.lark'), 15],
    ['typescript', () => loadProgramGrammar('typescript'), 25],
    ['python', () => loadProgramGrammar('python'), 25],
    ['go', () => loadProgramGrammar('go'), 25],
    ['rust', () => loadProgramGrammar('rust'), 25],
  ];
  for (const [name, make, n] of grammars) {
    const cg = byBytes(name, make);
    const rand = rng(4242);
    let seed = 0;
    for (const text of sampleGrammarTexts(cg.grammar, { seed: 100, n, maxBytes: 500 })) {
      seed++;
      const bytes = enc.encode(text);
      for (let k = 0; k < 3; k++) {
        const cut = Math.floor(rand() * (bytes.length + 1));
        const prefix = bytes.subarray(0, cut);
        const m = readBytes(cg, prefix);
        const done = assertCompletes(cg, m, prefix, `${name} sample ${seed} cut at ${cut}: ${JSON.stringify(new TextDecoder().decode(prefix.subarray(Math.max(0, cut - 60))))}`);
        // What the sampler wrote after the cut is one completion; the shortest is never longer.
        assert.ok(done.length <= bytes.length - cut + 8, `${name} sample ${seed}: a ${done.length}-byte completion where ${bytes.length - cut} bytes complete it`);
      }
    }
  }
});

test('the law with a real vocabulary: files and samples cut at random tokens (Llama-3)', () => {
  const tok = loadTokenizer('llama3');
  const rand = rng(7);
  const files: Array<[ProgramLanguage, string]> = [
    ['typescript', 'src/engine/matcher/cursor.ts'],
    ['python', 'test/fixtures/grammars/python/accept/' + firstFile('test/fixtures/grammars/python/accept')],
    ['go', 'test/fixtures/grammars/go/accept/' + firstFile('test/fixtures/grammars/go/accept')],
    ['rust', 'test/fixtures/grammars/rust/accept/' + firstFile('test/fixtures/grammars/rust/accept')],
  ];
  for (const [lang, file] of files) {
    const cg = compile(loadProgramGrammar(lang), tok);
    const ids = tok.encode(readFileSync(path.join(ROOT, file), 'utf8'));
    const m = cg.matcher();
    let checked = 0;
    for (let i = 0; i < ids.length; i++) {
      if (rand() < 0.08) {
        assertCompletes(cg, m, new Uint8Array(0), `${file} at token ${i}: ${JSON.stringify(tok.decode(ids.slice(Math.max(0, i - 12), i)))}`);
        checked++;
      }
      assert.ok(m.consume(ids[i]!), `${file}: token ${i} refused after completions were computed`);
    }
    assert.ok(checked > 10, `${file}: ${checked} positions checked`);
    // Sampled sentences, canonically tokenized, cut at a random token.
    for (const text of sampleGrammarTexts(cg.grammar, { seed: 31, n: 8, maxBytes: 400 })) {
      const sids = tok.encode(text);
      const cut = Math.floor(rand() * (sids.length + 1));
      const sm = cg.matcher();
      for (let i = 0; i < cut; i++) assert.ok(sm.consume(sids[i]!), `${lang} sample: token ${i} refused`);
      assertCompletes(cg, sm, new Uint8Array(0), `${lang} sample cut at token ${cut}: ${JSON.stringify(tok.decode(sids.slice(Math.max(0, cut - 12), cut)))}`);
    }
  }
  // JSON Schema grammars: instances cut at every token.
  const schema = { type: 'object', properties: { ok: { type: 'boolean' }, tags: { type: 'array', items: { type: 'string', maxLength: 5 }, minItems: 2 }, n: { type: 'integer', minimum: 3 } }, required: ['ok', 'tags'], additionalProperties: false };
  const cg = compile(compileJsonSchema(schema), tok);
  for (const doc of ['{"ok":true,"tags":["alpha","b"]}', '{"ok":false,"tags":["x","y","z"],"n":12}']) {
    const ids = tok.encode(doc);
    const m = cg.matcher();
    for (let i = 0; i <= ids.length; i++) {
      assertCompletes(cg, m, new Uint8Array(0), `${doc} at token ${i}`);
      if (i < ids.length) assert.ok(m.consume(ids[i]!), `${doc}: token ${i} refused`);
    }
  }
  assert.equal(readBytes(byBytes('schema', () => compileJsonSchema(schema)), '{').shortestCompletion()?.text, '"ok":true,"tags":["",""]}');
});

/** The first file (by name) of a fixture folder. */
function firstFile(dir: string): string {
  return readdirSync(path.join(ROOT, dir)).sort()[0]!;
}

test('the law on Braid IR grammars (program grammars with naming rules, forbidden calls, a forced head)', () => {
  const rule = (id: string, r: Rule): Constraint => ({ id, kind: 'syntactic', severity: 'error', priority: 10, confidence: 1, source: 'user_defined', rule: r, description: describeRule(r) });
  for (const language of ['typescript', 'python'] as const) {
    const style = language === 'python' ? 'snake_case' : 'camelCase';
    const rules = [
      rule('vars', { type: 'naming', identifierKind: 'variable', style, language }),
      rule('fns', { type: 'naming', identifierKind: 'function', style, language }),
      rule('no-eval', { type: 'forbidden_calls', calls: ['eval', 'exec'] }),
    ];
    const head = language === 'python' ? 'def total_of(values: list[int]) -> int:' : 'function totalOf(values: number[]): number ';
    const targets: TargetContext[] = [
      { target: { kind: 'module', language }, language },
      { target: { kind: 'new', file: 'x', line: 1, signature: head }, language, head, fn: { name: '', async: false, kind: 'function' } },
    ];
    for (const ctx of targets) {
      const { grammar } = compileConstraints(rules, ctx);
      const cg = compile(grammar, byteTokenizer());
      const rand = rng(11);
      let seed = 0;
      for (const text of sampleGrammarTexts(grammar, { seed: 3, n: 15, maxBytes: 400 })) {
        seed++;
        const bytes = enc.encode(text);
        const cut = Math.floor(rand() * (bytes.length + 1));
        const prefix = bytes.subarray(0, cut);
        assertCompletes(cg, readBytes(cg, prefix), prefix, `${language} ${ctx.target.kind} sample ${seed} cut at ${cut}`);
      }
    }
  }
});

test('minimal: no shorter text completes (exhaustive search on the arithmetic and JSON grammars)', () => {
  for (const [name, make] of [['arithmetic', () => grammarFile('arithmetic.lark')], ['json', () => grammarFile('json.lark')]] as const) {
    const cg = byBytes(name, make);
    const rand = rng(99);
    let compared = 0;
    for (const text of sampleGrammarTexts(cg.grammar, { seed: 5, n: 30, maxBytes: 200 })) {
      const bytes = enc.encode(text);
      const cut = Math.floor(rand() * (bytes.length + 1));
      const m = readBytes(cg, bytes.subarray(0, cut));
      const c = m.shortestCompletion()!;
      if (c.bytes.length === 0 || c.bytes.length > 3) continue;
      compared++;
      assert.ok(!completesWithin(m, c.bytes.length - 1), `${name}: a completion shorter than ${JSON.stringify(c.text)} exists after ${JSON.stringify(new TextDecoder().decode(bytes.subarray(0, cut)))}`);
    }
    assert.ok(compared >= 10, `${name}: ${compared} completions compared`);
  }
});

/** Whether some text of at most `n` bytes (byte vocabulary) completes the matcher's text: every allowed byte, depth first. */
function completesWithin(m: Matcher, n: number): boolean {
  if (m.isAccepting()) return true;
  if (n === 0) return false;
  const bits = new Uint32Array(9);
  m.computeMask(bits);
  for (let b = 0; b < 256; b++) {
    if (!hasBit(bits, b)) continue;
    assert.ok(m.consume(b), `byte ${b} is in the mask but refused`);
    const found = completesWithin(m, n - 1);
    m.rollback(1);
    if (found) return true;
  }
  return false;
}

test('fill in the middle: the completion lets the fixed suffix follow', () => {
  const cases: Array<[ProgramLanguage, string, string, string]> = [
    ['typescript', 'const x = f(a, g(1', ', b);\n', ')'],
    ['typescript', 'const o = {a: 1, b: [', ', c: 3};\n', ']'],
    ['python', 'def f(x):\n    if x:\n        y = [1,', '\n    return y\n', ']'],
    ['rust', 'fn main() {\n    let v = vec![1, 2', ';\n    println!("{:?}", v);\n}\n', ']'],
  ];
  for (const [lang, prefix, suffix, expected] of cases) {
    const cg = program(lang);
    const m = readBytes(cg, prefix);
    const c = m.shortestCompletion({ suffix });
    assert.equal(c?.text, expected, `${lang}: ${JSON.stringify(prefix)} … ${JSON.stringify(suffix)}`);
    assert.ok(cg.matches(prefix + c!.text + suffix), `${lang}: prefix + completion + suffix is a sentence`);
  }
  // Without the suffix the whole file is closed instead.
  assert.equal(readBytes(program('typescript'), 'const x = f(a, g(1').shortestCompletion()?.text, '))');
  // A suffix that can follow nothing: null.
  assert.equal(readBytes(program('typescript'), 'const x = 1').shortestCompletion({ suffix: ')))' }), null);
});

test('bounds: null past maxBytes, maxSteps or maxCandidates, never a hang; bad options are errors', () => {
  const json = byBytes('json', () => grammarFile('json.lark'));
  const m = readBytes(json, '[[[[[[');
  assert.equal(m.shortestCompletion()?.text, ']]]]]]');
  assert.equal(m.shortestCompletion({ maxBytes: 5 }), null);
  assert.equal(m.shortestCompletion({ maxSteps: 10 }), null);
  assert.equal(m.shortestCompletion({ maxCandidates: 0 }), null);
  assert.equal(m.shortestCompletion({ maxBytes: 6 })?.text, ']]]]]]');
  for (const bad of [{ maxBytes: -1 }, { maxSteps: 1.5 }, { maxCandidates: Number.NaN }, { suffix: 3 as unknown as string }]) {
    assert.throws(() => m.shortestCompletion(bad), (e: unknown) => e instanceof EngineError && e.code === 'STATE');
  }
  // A deep prefix: bounded work, the matcher still usable afterwards.
  const deep = readBytes(json, '['.repeat(3000));
  assert.equal(deep.shortestCompletion({ maxBytes: 100 }), null);
  assert.equal(deep.shortestCompletion()?.text, ']'.repeat(3000));
  assert.ok(deep.consume(']'.charCodeAt(0)), 'the matcher reads on after the searches');
});

test('a sentence that needs a special token has no text completion; the matcher is unchanged after a search', () => {
  const tok: Tokenizer = loadTokenizer('llama3');
  const cg = compile(parseLark('start: "a" <|eot_id|> "b"'), tok);
  const m = cg.matcher();
  assert.ok(m.consume(tok.encode('a')[0]!), '"a" is taken');
  assert.equal(m.shortestCompletion(), null);
  // The mask is the same before and after a completion was computed.
  const ts = compile(loadProgramGrammar('typescript'), tok);
  const t = ts.matcher();
  for (const id of tok.encode('function f(a: number) { return g(a')) assert.ok(t.consume(id), 'the TypeScript prefix is taken');
  const before = new Uint32Array(ts.maskWords);
  t.computeMask(before);
  assert.equal(t.shortestCompletion()?.text, ')}');
  const after = new Uint32Array(ts.maskWords);
  t.computeMask(after);
  assert.deepEqual(after, before);
});
