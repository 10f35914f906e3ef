/**
 * grammars/python.lark: it compiles; our own snippets of every construct are accepted (and CPython
 * 3.12's ast.parse accepts each of them too, checked where a 3.12 is installed); invalid ones are
 * refused, with the position of the error for a few; whole programs
 * (test/fixtures/grammars/python/{accept,reject}/*.txt) by text and token by token with the
 * Llama-3 vocabulary, the mask checked at every token; the portable print (printLark with
 * indentation expanded) gives the same verdict on all of them; and texts sampled from the grammar
 * parse with CPython 3.12's parser (the soundness judge, bench/lib/python-oracle.ts).
 *
 * Snippets live in test/fixtures/grammars/python/snippets.ts: LINE_* need no indented block,
 * BLOCK_* need the engine's indentation option (_INDENT/_DEDENT from an indentation stack,
 * _NEWLINE ignored inside brackets, an implicit final _NEWLINE at the end of the text).
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { byteTokenizer, compile, parseLark, printLark } from '../../src/engine/index.ts';
import { ROOT } from '../helpers/cli.ts';
import { hasBit, llama3 } from '../engine/matcher-helpers.ts';
import {
  BLOCK_ACCEPT, BLOCK_REJECT, LINE_ACCEPT, LINE_REJECT, PARSER_OVER_ACCEPTED, READING_ACCEPT, READING_REJECT, REFUSED_VALID,
} from '../fixtures/grammars/python/snippets.ts';
import { loadProgramGrammar } from '../../src/engine/index.ts';
import { checkGrammarSoundness } from '../../src/eval/index.ts';
import { findPython, pythonSoundnessJudge, startPythonOracle, type PythonOracle } from '../../bench/lib/python-oracle.ts';
import { adjustPythonForCPython, namedEscapes, UNICODE_NAME_SHAPE, UNKNOWN_NAME_REWRITE, unicodeNameLookup } from '../../bench/lib/python-adjustments.ts';
import { grammarChecker } from '../helpers/program-grammar.ts';

const GRAMMAR = path.join(ROOT, 'grammars/python.lark');
const FIXTURES = path.join(ROOT, 'test/fixtures/grammars/python');

/**
 * A skip reason while the engine lacks its indentation option (_INDENT/_DEDENT from an indentation
 * stack, _NEWLINE ignored inside brackets, an implicit final _NEWLINE); `false` once it has it.
 */
const NEEDS_INDENTATION: string | false = false;

const { grammar, verdict } = grammarChecker('python');

/**
 * CPython 3.12's parser (bench/lib/python-oracle.ts: python3.12 on the PATH, a pyenv 3.12, else
 * python3), started once for this file; a skip reason instead where there is no 3.12. An older
 * parser is no judge here: the grammar writes 3.12 syntax (PEP 695 type parameters, PEP 701
 * f-strings) that 3.11 refuses.
 */
let oracle: PythonOracle | undefined;
let noOracle: string | undefined;
function cpython312(): PythonOracle | string {
  if (oracle) return oracle;
  if (noOracle) return noOracle;
  const found = findPython();
  if (!found?.version.startsWith('3.12.')) {
    noOracle = `needs CPython 3.12 (python3.12 on the PATH, or a 3.12 in pyenv); found ${found ? `${found.exe} ${found.version}` : 'no python3'}, whose parser refuses the 3.12 syntax the grammar writes`;
    return noOracle;
  }
  oracle = startPythonOracle(found)!;
  return oracle;
}
after(() => oracle?.close());

test('grammars/python.lark parses and compiles', () => {
  const g = parseLark(readFileSync(GRAMMAR, 'utf8'));
  assert.ok(g.lexemes.length > 50, `lexemes: ${g.lexemes.length}`);
  const cg = compile(g, byteTokenizer());
  assert.equal(cg.check('x = 1\n').accepted, true);
});

test('logical lines: every expression and simple-statement construct is accepted', async (t) => {
  for (const [name, text] of Object.entries(LINE_ACCEPT)) {
    await t.test(name, () => {
      const v = verdict(text);
      assert.ok(v.accepted, `${JSON.stringify(text)}: ${v.message}`);
    });
  }
});

test('logical lines: invalid code is refused', async (t) => {
  for (const [name, text] of Object.entries(LINE_REJECT)) {
    await t.test(name, () => {
      assert.equal(verdict(text).accepted, false, JSON.stringify(text));
    });
  }
});

test('the error is reported where the invalid code starts', () => {
  const cases: Array<[string, number, number]> = [
    ['x = = 1\n', 1, 5],
    ['y = 2\ndef f(:\n    pass\n', 2, 7],
    ['z = f(a=1, b)\n', 1, 13],
    ['w = 0777\n', 1, 9], // 0777 could still become the float 0777.0 until the line ends
    ['v = b"caf\u00e9"\n', 1, 10],
  ];
  for (const [text, line, column] of cases) {
    const r = grammar().check(text);
    assert.equal(r.accepted, false, JSON.stringify(text));
    assert.deepEqual([r.line, r.column], [line, column], `${JSON.stringify(text)}: ${r.message}`);
  }
});

test('soft keywords: match, case, type and _ are names where a name fits', () => {
  for (const text of ['match = 1\n', 'case(1)\n', 'type.x = 2\n', '_ = [match, case, type]\n', 'print(match.case)\n']) {
    assert.ok(verdict(text).accepted, text);
  }
  for (const text of ['if = 1\n', 'x.class = 1\n', 'def None(): pass\n', 'import await\n']) {
    assert.equal(verdict(text).accepted, false, text);
  }
});

test('blocks: every compound statement, indented', { skip: NEEDS_INDENTATION }, async (t) => {
  for (const [name, text] of Object.entries(BLOCK_ACCEPT)) {
    await t.test(name, () => {
      const v = verdict(text);
      assert.ok(v.accepted, `${JSON.stringify(text)}: ${v.message}`);
    });
  }
});

test('blocks: bad indentation and misplaced clauses are refused', { skip: NEEDS_INDENTATION }, async (t) => {
  for (const [name, text] of Object.entries(BLOCK_REJECT)) {
    await t.test(name, () => {
      assert.equal(verdict(text).accepted, false, JSON.stringify(text));
    });
  }
});

test('bad dedent is reported at the dedented line', { skip: NEEDS_INDENTATION }, () => {
  const r = grammar().check('if x:\n    a = 1\n  b = 2\n');
  assert.equal(r.accepted, false);
  assert.equal(r.line, 3);
});

test('whole programs: accept/reject fixtures, by text and token by token (Llama-3)', { skip: NEEDS_INDENTATION }, () => {
  const tok = llama3();
  const eos = tok.eosTokens[0]!;
  const cg = compile(parseLark(readFileSync(GRAMMAR, 'utf8')), tok);
  const bits = new Uint32Array(cg.maskWords);
  let cases = 0;
  for (const kind of ['accept', 'reject'] as const) {
    const dir = path.join(FIXTURES, kind);
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.txt')).sort()) {
      const text = readFileSync(path.join(dir, file), 'utf8');
      const want = kind === 'accept';
      const where = `python/${kind}/${file}`;
      const check = cg.check(text);
      assert.equal(check.accepted, want, `${where}: ${check.message ?? ''}`);
      const m = cg.matcher();
      let ok = true;
      for (const id of tok.encode(text)) {
        m.computeMask(bits);
        const inMask = hasBit(bits, id);
        const consumed = m.consume(id);
        assert.equal(inMask, consumed, `${where}: mask and consume disagree on token ${id}`);
        if (!consumed) {
          ok = false;
          break;
        }
      }
      if (ok) {
        m.computeMask(bits);
        ok = hasBit(bits, eos) && m.consume(eos);
      }
      assert.equal(ok, want, `${where}: token by token`);
      cases++;
    }
  }
  assert.ok(cases >= 8, `only ${cases} fixture files`);
});

test('the portable print (indentation expanded for servers) gives the same verdicts', { skip: NEEDS_INDENTATION }, () => {
  const text = printLark(parseLark(readFileSync(GRAMMAR, 'utf8')), { portable: true });
  assert.doesNotMatch(text, /%declare|"indentation"/);
  const portable = compile(parseLark(text), byteTokenizer());
  const cases: Array<[string, string]> = [
    ...Object.entries(LINE_ACCEPT),
    ...Object.entries(LINE_REJECT),
    ...Object.entries(BLOCK_ACCEPT),
    ...Object.entries(BLOCK_REJECT),
  ];
  for (const kind of ['accept', 'reject']) {
    const dir = path.join(FIXTURES, kind);
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.txt'))) cases.push([`${kind}/${file}`, readFileSync(path.join(dir, file), 'utf8')]);
  }
  for (const [name, source] of cases) {
    assert.equal(portable.check(source).accepted, grammar().check(source).accepted, `${name}: ${JSON.stringify(source.slice(0, 80))}`);
  }
});

// What CPython's compiler refuses after parsing (compile(), not ast.parse): the statement rules
// come in context copies (module, class body, def, async def, each inside a loop or not) and
// expressions in three (`yield` only inside a function or lambda, `await` and `async for` only
// inside `async def`). Each text below was
// checked with CPython 3.12.1's compile().
const COMPILER_ACCEPT = [
  "x = (i async for i in y)\n",
  "def f():\n    return ([j async for j in i] async for i in y if await j)\n",
  "x = lambda: (yield)\n",
  "def f():\n    with (yield):\n        pass\n    x = f\"{(yield)}\"\n    return (yield)\n",
  "def f():\n    return 1\n",
  "def f():\n    nonlocal_x = 1\n    def g():\n        nonlocal nonlocal_x\n",
  "for x in y:\n    if x:\n        break\n    try:\n        continue\n    finally:\n        continue\nelse:\n    pass\n",
  "while x:\n    with a:\n        match x:\n            case 1:\n                break\n",
  "async def f():\n    async for x in y:\n        await x\n    async with a as b:\n        return [await z async for z in b]\n",
  "async def f():\n    def g(a=x):\n        return 1\n    x = lambda: 1\n    y = (await a for a in b)\n",
  "def f():\n    x = yield\n    y += yield 1\n    class C:\n        nonlocal x\n",
  "for x in y:\n    def f():\n        for z in x:\n            break\n        return\n",
  "x = *a, *b\nfor x in *a, b:\n    pass\n",
  "try:\n    pass\nexcept E:\n    pass\nexcept:\n    pass\n",
  "with a as (b, c), d as e[0]:\n    pass\n",
  "def f():\n    yield from g()\n",
];
const COMPILER_REJECT = [
  "def f():\n    return (i for i in await y)\n",
  "def f():\n    return [i async for i in y]\n",
  "(yield)\n",
  "type X = (yield)\n",
  "def f():\n    class C:\n        x = (yield)\n",
  "x = f\"{(yield)}\"\n",
  "x = lambda: await y\n",
  "async def f():\n    x = lambda: await y\n",
  "return 1\n",
  "x = yield 1\n",
  "yield\n",
  "break\n",
  "continue\n",
  "nonlocal x\n",
  "await x\n",
  "x = await y\n",
  "for x in y:\n    pass\nelse:\n    break\n",
  "while x:\n    def f():\n        break\n",
  "while x:\n    class C:\n        continue\n",
  "def f():\n    class C:\n        return 1\n",
  "def f():\n    await x\n",
  "def f():\n    async for x in y:\n        pass\n",
  "def f():\n    async with x:\n        pass\n",
  "async def f():\n    class C:\n        await x\n",
  "async def f():\n    g = lambda: await x\n",
  "async def f():\n    def g():\n        await x\n",
  "async def f():\n    yield from g()\n",
  "def f():\n    [x async for x in y]\n",
  "*a\n",
  "x = *a\n",
  "for x in *a:\n    pass\n",
  "def f():\n    return *a\n",
  "with a as *b:\n    pass\n",
  "try:\n    pass\nexcept:\n    pass\nexcept E:\n    pass\n",
  "async for x in y:\n    pass\n",
  "async with x:\n    pass\n",
];

test('compiler checks: return, yield, break, continue, nonlocal, await, async and starred expressions only where CPython compiles them', () => {
  for (const text of COMPILER_ACCEPT) {
    const v = verdict(text);
    assert.ok(v.accepted, `${JSON.stringify(text)}: ${v.message}`);
  }
  for (const text of COMPILER_REJECT) assert.equal(verdict(text).accepted, false, JSON.stringify(text));
});

// Where CPython reads the text differently from a plain reading of its tokens (line continuation,
// form feeds, `_` in patterns, lambdas in f-string fields, `\N{…}` and f-string escapes): the
// grammar fixes of the soundness work, each checked against CPython's parser where a 3.12 is
// installed; and what is still refused although valid, or accepted although invalid (each listed
// in docs/grammars.md).
test("CPython's reading: continuation, form feeds, patterns, f-string fields and escapes", async (t) => {
  const judge = cpython312();
  for (const [list, want] of [[READING_ACCEPT, true], [READING_REJECT, false], [REFUSED_VALID, false], [PARSER_OVER_ACCEPTED, true]] as const) {
    for (const [name, text] of Object.entries(list)) {
      await t.test(name, async () => {
        const v = verdict(text);
        assert.equal(v.accepted, want, `${JSON.stringify(text)}: ${v.message}`);
        if (typeof judge === 'string') return;
        const valid = list === READING_ACCEPT || list === REFUSED_VALID;
        const p = (await judge.judge(text)).parse;
        assert.equal(!p.hasError, valid, `CPython's parser on ${JSON.stringify(text)}: ${p.what ?? 'accepted'}`);
      });
    }
  }
});

test("every snippet gets CPython 3.12's verdict (ast.parse)", async (t) => {
  const judge = cpython312();
  if (typeof judge === 'string') {
    t.skip(judge);
    return;
  }
  const wrong: string[] = [];
  for (const [list, valid] of [[LINE_ACCEPT, true], [BLOCK_ACCEPT, true], [LINE_REJECT, false], [BLOCK_REJECT, false]] as const) {
    for (const [name, text] of Object.entries(list)) {
      const p = (await judge.judge(text)).parse;
      if (p.hasError === valid) wrong.push(`${name}: ${JSON.stringify(text)}: ${p.what ?? 'accepted'}`);
    }
  }
  assert.deepEqual(wrong, []);
});

test('adjustPythonForCPython: an unknown \\N{…} name becomes BULLET, only where the escape is one', () => {
  const known = new Set(['BULLET', 'EM DASH']);
  const adjust = adjustPythonForCPython((n) => known.has(n));
  const cases: Array<[string, string]> = [
    ["s = '\\N{NO SUCH NAME}'\n", "s = '\\N{BULLET}'\n"],
    ["s = u'''a\\N{NO SUCH}b'''\n", "s = u'''a\\N{BULLET}b'''\n"],
    ["s = f'{x}\\N{NO SUCH}{y:>{w}}\\N{NOR THIS}'\n", "s = f'{x}\\N{BULLET}{y:>{w}}\\N{BULLET}'\n"],
    ["s = f'{f\"\\N{NO SUCH}\"}'\n", "s = f'{f\"\\N{BULLET}\"}'\n"],
    ["s = f'{d[\"k\"]!r:{w}}\\N{NO SUCH}'\n", "s = f'{d[\"k\"]!r:{w}}\\N{BULLET}'\n"],
  ];
  for (const [text, want] of cases) assert.deepEqual(adjust(text), { text: want, applied: [UNKNOWN_NAME_REWRITE] }, JSON.stringify(text));
  // Left alone: known names; raw strings, bytes, comments, raw f-strings (where `\N{A B}` is a
  // field, and its refusal must stay one); an escaped backslash; names of another shape.
  for (const text of [
    "s = '\\N{EM DASH}'\n",
    "s = r'\\N{NO SUCH}' + b'\\N{NO SUCH}'  # '\\N{NO SUCH}'\n",
    "s = rf'\\N{NO SUCH}' + Rf'{x}\\N{NO SUCH}'\n",
    "s = '\\\\N{NO SUCH}'\n",
    "s = '\\N{no such}'\n",
  ]) assert.deepEqual(adjust(text), { text, applied: [] }, JSON.stringify(text));
  assert.deepEqual(namedEscapes("a = '\\N{A}' if f'{b:{c}}\\N{D}' else \"\"\"\\N{E}\"\"\"").map((e) => e.name), ['A', 'D', 'E']);
  for (const name of ['LATIN SMALL LETTER A', 'HANGUL JUNGSEONG O-E', 'TIBETAN MARK BSKA- SHOG GI MGO RGYAN', 'TIBETAN LETTER -A']) assert.match(name, UNICODE_NAME_SHAPE);
  for (const name of ['7', 'bullet', ' A', '-A', 'A_B', '']) assert.doesNotMatch(name, UNICODE_NAME_SHAPE);
});

// Sampled texts judged by CPython 3.12's parser (ast.parse), the soundness judge of record; the
// unknown `\N{…}` names are rewritten (counted). compile() judges the same texts in the same round
// trip: its refusals (bindings and scopes, docs/grammars.md "Python" / "Soundness") are not syntax,
// but none may be one of the classes the context copies removed.
test("soundness: 200 sampled texts parse with CPython 3.12's parser; compile() refuses only binding and scope checks", async (t) => {
  const judge = cpython312();
  if (typeof judge === 'string') {
    t.skip(judge);
    return;
  }
  const j = pythonSoundnessJudge(judge, 200);
  const r = await checkGrammarSoundness(loadProgramGrammar('python'), j.parse, {
    n: 200, seed: 1, maxListed: 200, adjust: adjustPythonForCPython(unicodeNameLookup(judge.python)),
  });
  assert.deepEqual(r.unsampled, []);
  assert.deepEqual(r.failures.map((f) => `${f.seed}: ${f.what}: ${f.excerpt}`), []);
  assert.equal(r.parsed, 200);
  const c = j.report(r, 1);
  const fixed = /outside (async )?function|asynchronous comprehension outside|outside loop|not properly in loop|at module level|must be in a list or tuple|'yield from' inside async|must be last|await expression/;
  assert.deepEqual(c.examples.filter((e) => e.what && fixed.test(e.what) && !/import \*/.test(e.what)).map((e) => `${e.seed}: ${e.what}: ${e.excerpt}`), []);
  assert.ok(c.accepted >= 190, `${c.accepted} of ${c.judged} compile`);
});
