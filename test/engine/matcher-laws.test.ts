/**
 * Laws of the matcher, checked on random grammars and texts with the real Llama-3 vocabulary:
 *  1. a token is in the mask exactly when consume(token) succeeds;
 *  2. EOS is in the mask exactly when the matcher accepts;
 *  3. token-by-token acceptance equals byte-level acceptance (`matches`) for every tokenization of
 *     the same text: canonical, single-byte tokens, and random splits into vocabulary tokens.
 * Laws 1 and 2 are also checked with every cache budget at 0, so each mask takes the uncached
 * paths (plans built and dropped, no full-mask cache, no interned parser states).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { EngineError } from '../../src/engine/errors.ts';
import { parseLark } from '../../src/engine/grammar/lark.ts';
import type { Limits } from '../../src/engine/limits.ts';
import { compile, type CompiledGrammar } from '../../src/engine/matcher/compiled.ts';
import { acceptsTokens, assertMaskAgrees, byteSplit, llama3, randomSplit, rng, tokenSample } from './matcher-helpers.ts';

const tok = llama3();
const SAMPLE = tokenSample(tok, 1500, 7);

/** Every cache off: masks are computed the slow way each time. */
const NO_CACHES: Partial<Limits> = { planCacheBytes: 0, fullMaskCacheBytes: 0, internedStateBytes: 0 };
const CACHE_SETTINGS: { name: string; limits: Partial<Limits>; runs: number }[] = [
  { name: 'default cache budgets', limits: {}, runs: 25 },
  { name: 'cache budgets at 0', limits: NO_CACHES, runs: 10 },
];

/** Terminals random grammars draw from, with example texts for generating sentences. */
const TERMINALS: Record<string, { def?: string; samples: string[] }> = {
  '"a"': { samples: ['a'] },
  '"ab"': { samples: ['ab'] },
  '"if"': { samples: ['if'] },
  '"("': { samples: ['('] },
  '")"': { samples: [')'] },
  '","': { samples: [','] },
  '"+"': { samples: ['+'] },
  ID: { def: 'ID: /[a-z_][a-z0-9_]*/', samples: ['x', 'if', 'ab', 'abc', 'a1'] },
  NUM: { def: 'NUM: /[0-9]+(\\.[0-9]+)?/', samples: ['1', '42', '3.25', '007'] },
  STR: { def: 'STR: /"[^"\\n]*"/', samples: ['"hi"', '""', '"a b"', '"if"'] },
};
const TERM_NAMES = Object.keys(TERMINALS);
const RULES = ['r0', 'r1', 'r2', 'r3'];

interface GSym {
  name: string;
  suffix: '' | '?' | '*' | '+';
}
interface GSpec {
  rules: GSym[][][];
  ignore: boolean;
  seed: number;
}

const symArb: fc.Arbitrary<GSym> = fc.record({
  name: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...TERM_NAMES) }, { weight: 2, arbitrary: fc.constantFrom(...RULES) }),
  suffix: fc.constantFrom('' as const, '' as const, '?' as const, '*' as const, '+' as const),
});
const specArb: fc.Arbitrary<GSpec> = fc.record({
  rules: fc.array(fc.array(fc.array(symArb, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }), { minLength: 4, maxLength: 4 }),
  ignore: fc.boolean(),
  seed: fc.integer({ min: 1, max: 1_000_000 }),
});

function larkOf(spec: GSpec): string {
  const lines = ['start: r0'];
  spec.rules.forEach((alts, i) => {
    // The last alternative of every rule is made terminal-only so each rule is productive.
    lines.push(`r${i}: ${alts.map((a) => a.map((s) => s.name + s.suffix).join(' ')).join(' | ')} | "a"`);
  });
  for (const n of TERM_NAMES) if (TERMINALS[n]!.def) lines.push(TERMINALS[n]!.def!);
  if (spec.ignore) lines.push('%ignore /[ ]+/');
  return lines.join('\n');
}

/** Random sentences of the grammar (bounded), to have texts that mostly parse. */
function sentences(spec: GSpec, n: number): string[] {
  const r = rng(spec.seed);
  const out: string[] = [];
  const gen = (sym: string, depth: number, parts: string[]): boolean => {
    if (parts.length > 30) return false;
    if (sym in TERMINALS) {
      const s = TERMINALS[sym]!.samples;
      parts.push(s[Math.floor(r() * s.length)]!);
      if (spec.ignore && r() < 0.5) parts.push(' ');
      return true;
    }
    const alts = [...spec.rules[Number(sym.slice(1))]!, [{ name: '"a"', suffix: '' as const }]];
    const alt = depth > 5 ? alts[alts.length - 1]! : alts[Math.floor(r() * alts.length)]!;
    for (const s of alt) {
      const reps = s.suffix === '' ? 1 : s.suffix === '?' ? Math.floor(r() * 2) : s.suffix === '*' ? Math.floor(r() * 3) : 1 + Math.floor(r() * 2);
      for (let k = 0; k < reps; k++) if (!gen(s.name, depth + 1, parts)) return false;
    }
    return true;
  };
  for (let k = 0; k < n * 3 && out.length < n; k++) {
    const parts: string[] = [];
    if (gen('r0', 0, parts)) out.push(parts.join(''));
  }
  return out;
}

function compileSpec(spec: GSpec, limits: Partial<Limits> = {}): CompiledGrammar | undefined {
  try {
    return compile(parseLark(larkOf(spec)), tok, limits);
  } catch (e) {
    if (e instanceof EngineError && e.code === 'GRAMMAR') return undefined;
    throw e;
  }
}

function mutate(text: string, r: () => number): string {
  if (text.length === 0) return 'a';
  const i = Math.floor(r() * text.length);
  const pool = 'a(),+ "1x';
  const c = pool[Math.floor(r() * pool.length)]!;
  return r() < 0.5 ? text.slice(0, i) + c + text.slice(i) : text.slice(0, i) + text.slice(i + 1);
}

for (const { name, limits, runs } of CACHE_SETTINGS) {
  test(`law: the mask agrees with consume, and EOS with isAccepting, on random grammars (${name})`, () => {
    let masks = 0;
    fc.assert(
      fc.property(specArb, (spec) => {
        const cg = compileSpec(spec, limits);
        fc.pre(cg !== undefined);
        const bits = new Uint32Array(cg!.maskWords);
        const r = rng(spec.seed + 1);
        for (const text of sentences(spec, 2)) {
          const path = r() < 0.5 ? tok.encode(text) : randomSplit(tok, text, r);
          const m = cg!.matcher();
          for (let i = 0; i <= path.length; i++) {
            assertMaskAgrees(m, tok, bits, SAMPLE, 300, `grammar:\n${larkOf(spec)}\ntext ${JSON.stringify(text)} after ${i} tokens`);
            masks++;
            if (i === path.length || !m.consume(path[i]!)) break;
          }
        }
        if (limits === NO_CACHES) assert.equal(cg!.stats().maskCacheBytes, 0, 'nothing is cached at budget 0');
      }),
      { numRuns: runs },
    );
    assert.ok(masks > runs, `${masks} masks checked`);
  });
}

test('law: token-by-token acceptance equals matches() for canonical, byte and random tokenizations', () => {
  let accepted = 0;
  let rejected = 0;
  fc.assert(
    fc.property(specArb, (spec) => {
      const cg = compileSpec(spec);
      fc.pre(cg !== undefined);
      const r = rng(spec.seed + 2);
      const texts = sentences(spec, 3);
      texts.push(...texts.map((t) => mutate(t, r)));
      for (const text of texts) {
        const expected = cg!.matches(text);
        if (expected) accepted++;
        else rejected++;
        const where = `grammar:\n${larkOf(spec)}\ntext ${JSON.stringify(text)}`;
        assert.equal(acceptsTokens(cg!, tok.encode(text)), expected, `${where} (canonical tokens)`);
        assert.equal(acceptsTokens(cg!, byteSplit(tok, text)), expected, `${where} (single-byte tokens)`);
        assert.equal(acceptsTokens(cg!, randomSplit(tok, text, r)), expected, `${where} (random split)`);
      }
    }),
    { numRuns: 40 },
  );
  // The generated texts exercise both outcomes.
  assert.ok(accepted > 20 && rejected > 5, `accepted ${accepted}, rejected ${rejected}`);
});

const JSON_GRAMMAR = String.raw`
start: value
?value: object | array | STRING | NUMBER | "true" | "false" | "null"
object: "{" [pair ("," pair)*] "}"
pair: STRING ":" value
array: "[" [value ("," value)*] "]"
STRING: /"([^"\\\x00-\x1f]|\\["\\\/bfnrt]|\\u[0-9a-fA-F]{4})*"/
NUMBER: /-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/
%ignore /[ \t\n\r]+/
`;

for (const { name, limits } of CACHE_SETTINGS) {
  test(`law: the mask agrees with consume at every position of real JSON documents (${name})`, () => {
    const cg = compile(parseLark(JSON_GRAMMAR), tok, limits);
    const docs = [
      JSON.stringify({ name: 'Ananke', tags: ['a', 'b c'], n: -12.5e3, ok: true, none: null, nested: { deep: [1, [2, {}]] } }),
      JSON.stringify({ text: 'quote \" and \\ backslash, unicode é ☃ and \u0001' }, null, 2),
    ];
    const bits = new Uint32Array(cg.maskWords);
    const r = rng(11);
    for (const doc of docs) {
      assert.equal(cg.matches(doc), true);
      for (const path of [tok.encode(doc), randomSplit(tok, doc, r)]) {
        const m = cg.matcher();
        for (let i = 0; i <= path.length; i++) {
          assertMaskAgrees(m, tok, bits, SAMPLE, 200, `${JSON.stringify(doc)} after ${i} tokens`);
          if (i < path.length) assert.ok(m.consume(path[i]!), `token ${i} of a valid document is consumed`);
        }
        assert.ok(m.isAccepting());
      }
    }
    const stats = cg.stats();
    if (limits === NO_CACHES) assert.deepEqual([stats.maskCacheBytes, stats.fullMaskHits, stats.parserStates], [0, 0, 0]);
    else assert.ok(stats.maskCacheBytes > 0 && stats.fullMaskHits > 0, 'the caches were used');
  });
}
