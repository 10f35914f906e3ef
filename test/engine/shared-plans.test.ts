/**
 * Walks shared between grammars (matcher/shared-plans.ts) must not change any mask: a plan built by
 * one grammar and taken by another maps its exit groups from roles (positions in the canonical
 * vector of a lexer state) to the taking grammar's own lexeme ids. Checked with the byte vocabulary
 * by the mask/consume law at every position (consume never reads a plan), and with Llama-3 against
 * the same grammars compiled with sharing off. Also: canonical term ids (lexer/canonical-terms.ts)
 * are equal exactly for structurally equal terms of different lexers, and a lazy lexeme is never
 * shared with a greedy one of the same regex.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseLark } from '../../src/engine/grammar/lark.ts';
import { byteTokenizer } from '../../src/engine/matcher/byte-tokenizer.ts';
import { compile } from '../../src/engine/matcher/compiled.ts';
import { compileJsonSchema } from '../../src/engine/schema/index.ts';
import { Lexer } from '../../src/engine/lexer/lexer.ts';
import { withLimits } from '../../src/engine/limits.ts';
import { parseRegex } from '../../src/engine/regex/parse.ts';
import { hasBit, lawHolds, llama3, sameMasks } from './matcher-helpers.ts';
import { ROOT_RANGES, SharedPlans, type SharedPlan } from '../../src/engine/matcher/shared-plans.ts';
import { loadProgramGrammar, type ProgramLanguage } from '../../src/engine/program-grammars.ts';
import { walkText } from '../../src/engine/warm-up/walk-text.ts';

const SCHEMAS: [unknown, string[]][] = [
  [
    { type: 'object', properties: { name: { type: 'string' }, count: { type: 'integer' }, unit: { enum: ['celsius', 'fahrenheit'] } }, required: ['name'] },
    ['{"name": "Zoë", "count": 12, "unit": "celsius"}', '{"name": "a\\"b"}'],
  ],
  [
    // The same property names in another order, other lexemes around them: other lexeme ids, same terms.
    { type: 'object', properties: { unit: { enum: ['fahrenheit', 'kelvin'] }, values: { type: 'array', items: { type: 'number' } }, name: { type: 'string', maxLength: 12 } } },
    ['{"unit": "kelvin", "values": [1.5, -2e3, 0], "name": "short name"}', '{"name": "x"}'],
  ],
  [
    { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, count: { type: 'integer' } }, required: ['count'] } },
    ['[{"name": "one", "count": 1}, {"count": 2}]', '[]'],
  ],
];

test('byte vocabulary: grammars sharing walks obey the mask/consume law at every position', () => {
  const tok = byteTokenizer();
  for (let round = 0; round < 2; round++) {
    for (const [schema, texts] of SCHEMAS) {
      const cg = compile(compileJsonSchema(schema), tok);
      for (const text of texts) lawHolds(cg, tok, text, `${JSON.stringify(schema).slice(0, 40)} ${text}`);
      // From the second grammar on, walks built by earlier grammars are taken.
      if (round > 0) assert.ok(cg.stats().sharedPlanHits > 0, 'a later grammar takes shared walks');
    }
  }
});

test('Llama-3: masks with shared walks equal masks of the same grammars compiled with every cache off', () => {
  const tok = llama3();
  for (let round = 0; round < 2; round++) {
    for (const [schema, texts] of SCHEMAS) {
      const g = compileJsonSchema(schema);
      const cg = compile(g, tok);
      // The reference: every cache off (sharing too: it needs the plan cache).
      const ref = compile(g, tok, { planCacheBytes: 0, fullMaskCacheBytes: 0, internedStateBytes: 0 });
      // Twice: the second walk is served from the full-mask cache (lists gathered from the plans).
      for (const text of [...texts, ...texts]) sameMasks(cg, ref, tok.encode(text), text);
      assert.ok(cg.stats().fullMaskHits > 0);
      assert.equal(ref.stats().sharedPlanHits + ref.stats().sharedPlanPuts, 0, 'sharing off: the store is not touched');
      if (round > 0) assert.ok(cg.stats().sharedPlanHits > 0);
    }
  }
});

test('Llama-3: a store smaller than its plans drops the plans not used lately, masks unchanged', () => {
  const tok = llama3();
  // A budget of a few plans (the tokenizer's store is shared with the tests above: the smallest
  // budget of the grammars adding to it applies while they add).
  const small = { sharedPlanBytes: 200 * 1024 };
  for (let round = 0; round < 2; round++) {
    for (const [schema, texts] of SCHEMAS) {
      const g = compileJsonSchema(schema);
      const cg = compile(g, tok, small);
      const ref = compile(g, tok, { planCacheBytes: 0, fullMaskCacheBytes: 0, internedStateBytes: 0 });
      for (const text of texts) sameMasks(cg, ref, tok.encode(text), text);
    }
  }
});

test('lexemes with the same regexes in another order share walks; exit groups map to the right lexemes', () => {
  const tok = byteTokenizer();
  // The same three lexemes, declared in other orders, under rules that tell them apart.
  const a = parseLark('start: (WORD ":" NUM ";")+\nWORD: /[a-z]+/\nNUM: /[0-9]+/\n');
  const b = parseLark('start: (WORD ":" NUM ";")+\nNUM: /[0-9]+/\nWORD: /[a-z]+/\n%ignore " "\n');
  const ga = compile(a, tok);
  lawHolds(ga, tok, 'ab:12;c:3;', 'a');
  const gb = compile(b, tok);
  lawHolds(gb, tok, 'ab:12; c : 3;', 'b');
  assert.ok(gb.stats().sharedPlanHits > 0, 'the second grammar takes walks of the first');
});

test('states of many lexemes (past the insertion sort of canonicalState) share walks, in any declaration order', () => {
  const tok = llama3();
  // 70 lexemes alive at the start (a two-letter word, then digits), each followed by ";" (even) or
  // "," (odd), declared in two orders: the second grammar's start state (71 lexemes with the
  // ignored space) is named by the sort for long vectors and takes the first one's walk.
  const names = Array.from({ length: 70 }, (_, i) => `L${i}`);
  const word = (i: number): string => String.fromCharCode(97 + (i % 26)) + String.fromCharCode(97 + Math.floor(i / 26));
  const lark = (order: number[]): string =>
    `start: item+\nitem: ${order.map((i) => `${names[i]} "${i % 2 === 0 ? ';' : ','}"`).join(' | ')}\n` + order.map((i) => `${names[i]}: /${word(i)}[0-9]*/\n`).join('') + '%ignore " "\n';
  const forward = names.map((_, i) => i);
  const text = 'aa; ba, ab1; ca22; da7, ea; fa, ga;';
  const off = { planCacheBytes: 0, fullMaskCacheBytes: 0, internedStateBytes: 0 };
  for (const order of [forward, [...forward].reverse()]) {
    const g = parseLark(lark(order));
    const cg = compile(g, tok);
    sameMasks(cg, compile(g, tok, off), tok.encode(text), order[0] === 0 ? 'forward' : 'reversed');
    if (order[0] !== 0) assert.ok(cg.stats().sharedPlanHits > 0, 'the second grammar takes walks of the first');
  }
});

test('literal states are shared by the bytes they still spell, in their own lexeme order; exit groups map to the right lexemes', () => {
  const tok = llama3();
  const off = { planCacheBytes: 0, fullMaskCacheBytes: 0, internedStateBytes: 0 };
  // The start state spells "(" and "[" in every grammar, in other lexeme orders (and one lazy);
  // after "(" comes "if", after "[" "in": the token "(if" crosses the end of "(", and a group
  // scanning the wrong lexeme would refuse it (and allow "(in").
  const grammars = [
    'start: item+\nitem: "(" "if" | "[" "in"\n',
    'start: item+\nitem: "[" "in" | "(" "if"\n',
    'start: item+\nitem: open "if" | "[" "in"\nopen[lazy]: "("\n',
  ];
  for (const text of [...grammars, grammars[1]!]) {
    const g = parseLark(text);
    const cg = compile(g, tok);
    sameMasks(cg, compile(g, tok, off), tok.encode('(if[in(if'), text);
    const bits = new Uint32Array(cg.maskWords);
    cg.matcher().computeMask(bits);
    const ifToken = [...Array(tok.vocabSize).keys()].find((t) => tok.decode([t]) === '(if')!;
    assert.ok(hasBit(bits, ifToken), `${text}: "(if" allowed at the start`);
  }
  const again = compile(parseLark(grammars[1]!), tok);
  again.matcher().computeMask(new Uint32Array(again.maskWords));
  assert.ok(again.stats().sharedPlanHits > 0, 'a later grammar takes the literal walk');
});

test('a lazy lexeme never takes the walks of a greedy one with the same regex', () => {
  const tok = llama3();
  const aa = tok.encode('aa');
  assert.equal(aa.length, 1, 'Llama-3 has a token "aa"');
  const bits = new Uint32Array(Math.ceil(tok.vocabSize / 32) + 1);
  const greedy = compile(parseLark('start: X "!"\nX: /a+/\n'), tok);
  greedy.matcher().computeMask(bits);
  assert.equal(hasBit(bits, aa[0]!), true, 'greedy: "aa" stays inside X');
  const g = parseLark('start: x "!"\nx[lazy]: /a+/\n');
  const lazy = compile(g, tok);
  lazy.matcher().computeMask(bits);
  // The lazy lexeme ends after one "a": a second one would have to start "!".
  assert.equal(hasBit(bits, aa[0]!), false, 'lazy: "aa" refused');
  sameMasks(lazy, compile(g, tok, { planCacheBytes: 0, fullMaskCacheBytes: 0, internedStateBytes: 0 }), tok.encode('a!'), 'lazy');
});

test('canonical term ids: equal for the same regex in two lexers, different for different regexes', () => {
  const limits = withLimits();
  const re = (s: string) => parseRegex(s);
  const x = new Lexer([re('[a-z]+'), re('"(?:[^"\\\\]|\\\\.)*"'), re('ab|cd|ce')], limits);
  const y = new Lexer([re('ce|ab|cd'), re('[0-9]'), re('[a-z]+'), re('"(?:[^"\\\\]|\\\\.)*"')], limits);
  const idsOf = (lx: Lexer, lexeme: number) => {
    const s = lx.startState([lexeme]);
    return lx.canonicalTerm(lx.aliveTerms(s)[0]!);
  };
  assert.equal(idsOf(x, 0), idsOf(y, 2));
  assert.equal(idsOf(x, 1), idsOf(y, 3));
  assert.equal(idsOf(x, 2), idsOf(y, 0), 'alternatives in another order');
  assert.notEqual(idsOf(x, 0), idsOf(y, 1));
  assert.notEqual(idsOf(x, 0), idsOf(x, 2));
  // Derivatives too: after "c", both hold d|e.
  const dx = x.next(x.startState([2]), 'c'.charCodeAt(0));
  const dy = y.next(y.startState([0]), 'c'.charCodeAt(0));
  assert.equal(x.canonicalTerm(x.aliveTerms(dx)[0]!), y.canonicalTerm(y.aliveTerms(dy)[0]!));
});

test('Llama-3: masks in property names and enum values (literal walks) obey the mask/consume law for every token', () => {
  const tok = llama3();
  const schema = { type: 'object', properties: { decay: { type: 'number' }, decay_rate: { enum: ['fast', 'faster', 'fastest'] }, unit: { type: 'string' } }, required: ['decay_rate'] };
  const g = compileJsonSchema(schema);
  for (const limits of [{}, { sharedPlanBytes: 0 }]) {
    const cg = compile(g, tok, limits);
    const ids = tok.encode('{"decay": 1, "decay_rate": "faster", "unit": "u"}');
    const bits = new Uint32Array(cg.maskWords);
    const m = cg.matcher();
    for (let i = 0; i <= ids.length; i++) {
      m.computeMask(bits);
      for (let t = 0; t < tok.vocabSize; t++) {
        const ok = m.consume(t);
        if (ok) m.rollback(1);
        if (ok !== hasBit(bits, t)) assert.fail(`token ${i}: ${JSON.stringify(tok.decode([t]))} mask ${hasBit(bits, t)} consume ${ok}`);
      }
      if (i < ids.length) assert.ok(m.consume(ids[i]!));
    }
    assert.ok(cg.stats().literalPlans > 0, 'literal walks were used');
  }
});

test('literal walks: keywords that are prefixes of each other, a lazy literal; the law for every Llama-3 token', () => {
  const tok = llama3();
  // A lazy "en" beside "end": after "en" the lexeme ends, so "end" can never be read (nor offered).
  // NUM keeps the start state from being all literals: the walk switches to literals below "i",
  // where "i" is complete and the others go on.
  const g = parseLark('start: item+\nitem: "i" | "in" | "int" | "interface" | "inter" NUM | lazyen | "end" | NUM\nlazyen[lazy]: "en"\nNUM: /[0-9]+/\n%ignore " "\n');
  const cg = compile(g, tok);
  const ids = tok.encode('int i in interface inter 5 in en 12 interface');
  const bits = new Uint32Array(cg.maskWords);
  const m = cg.matcher();
  for (let i = 0; i <= ids.length; i++) {
    m.computeMask(bits);
    for (let t = 0; t < tok.vocabSize; t++) {
      const ok = m.consume(t);
      if (ok) m.rollback(1);
      if (ok !== hasBit(bits, t)) assert.fail(`token ${i}: ${JSON.stringify(tok.decode([t]))} mask ${hasBit(bits, t)} consume ${ok}`);
    }
    if (i < ids.length) assert.ok(m.consume(ids[i]!), `token ${i} refused`);
  }
  assert.ok(m.isAccepting());
  assert.ok(cg.stats().literalPlans > 0, 'literal walks were used');
});

test('Llama-3: a top-level state that only spells literals takes a literal walk, not a string slice; masks unchanged', () => {
  const tok = llama3();
  // After "{" only the one property name can come: the first state of the key spells `"code"` alone,
  // a tight case for the slice search (every plain character dies), which the literal walk decides.
  const g = compileJsonSchema({ type: 'object', properties: { code: { enum: ['alpha', 'beta'] } }, required: ['code'], additionalProperties: false });
  const cg = compile(g, tok);
  const ref = compile(g, tok, { planCacheBytes: 0, fullMaskCacheBytes: 0, internedStateBytes: 0 });
  sameMasks(cg, ref, tok.encode('{"code": "beta"}'), 'one key');
  assert.equal(cg.stats().slicedPlans, 0, 'no plan of a literal state takes a slice');
  assert.ok(cg.stats().literalPlans > 0);
});

test('a full store drops the plans not used since its sweep last met them, and keeps the ones in use', () => {
  const store = new SharedPlans(10);
  // Each plan holds 96 + 400 bytes: the budget fits three.
  const plan = (): SharedPlan => ({ dense: null, sparse: new Int32Array(100), groups: [] });
  const budget = 3 * 496 + 10;
  for (let s = 0; s < 3; s++) store.put(ROOT_RANGES, s, false, plan(), budget);
  assert.ok(store.get(ROOT_RANGES, 0, false) !== undefined);
  store.put(ROOT_RANGES, 3, false, plan(), budget);
  assert.deepEqual([0, 1, 2, 3].map((s) => store.get(ROOT_RANGES, s, false) !== undefined), [true, false, true, true]);
  assert.equal(store.size, 3);
  // All three were used just now: each gets its second chance, then the oldest in sweep order goes.
  store.put(ROOT_RANGES, 4, false, plan(), budget);
  assert.equal(store.size, 3);
  assert.ok(store.bytes <= budget);
  assert.ok(store.get(ROOT_RANGES, 4, false) !== undefined);
  // A plan larger than the whole budget is not kept, and drops nothing.
  store.put(ROOT_RANGES, 5, false, { dense: null, sparse: new Int32Array(1000), groups: [] }, budget);
  assert.equal(store.size, 3);
});

/** TypeScript with gap markers at work: line breaks where a statement may end, and where it may not. */
const TS_GAPS = [
  `const total = items
  .map((x) => x.price * x.count)
  .reduce((a, b) => a + b, 0);
let n = total as number;
n++;
if (n > 10) throw new Error('too many');
export default class Cart<T extends { id: string }> {
  private readonly byId = new Map<string, T>();
  add(item: T): this {
    this.byId.set(item.id, item);
    return this;
  }
}
`,
  `function sum(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}
const label = sum([1, 2, 3]) satisfies number;
type Pair<A, B> = [A, B];
export const pairs: Pair<string, number>[] = [['a', 1], ['b', 2]];
`,
];

/** The start of a fixture file, cut before a line at the top level (column 0) so that it stays a whole file, at most `max` characters. */
function programFixture(lang: string, name: string, max: number): string {
  const text = readFileSync(new URL(`../fixtures/grammars/${lang}/accept/${name}.txt`, import.meta.url), 'utf8');
  if (text.length <= max) return text;
  let cut = text.lastIndexOf('\n', max);
  while (cut > 0 && /[\s#/}\])]/.test(text[cut + 1] ?? ' ')) cut = text.lastIndexOf('\n', cut - 1);
  return text.slice(0, cut + 1);
}

test('Llama-3: program grammars (gap markers, indentation, word boundary) take walks an earlier compile built; masks equal those with every cache off', () => {
  const tok = llama3();
  const off = { planCacheBytes: 0, fullMaskCacheBytes: 0, internedStateBytes: 0 };
  const cases: [string, string, string][] = [
    ['typescript', TS_GAPS[0]!, TS_GAPS[1]!],
    ['python', programFixture('python', 'inventory', 1800), programFixture('python', 'text-tools', 1500)],
    ['rust', programFixture('rust', 'exprs', 4000), programFixture('rust', 'patterns', 2000)],
  ];
  for (const [lang, first, second] of cases) {
    const g = loadProgramGrammar(lang as ProgramLanguage);
    // The first compile walks a text (building walks and offering them to the store) ...
    const a = compile(g, tok);
    walked(a, first, lang);
    assert.ok(a.stats().sharedPlanPuts > 0, `${lang}: walks offered to the store`);
    // ... the second, fresh, takes them on another text, and masks as with no cache at all.
    const b = compile(g, tok);
    sameMasks(b, compile(g, tok, off), tok.encode(second), lang);
    assert.ok(b.stats().sharedPlanHits > 0, `${lang}: a fresh compile takes walks of the first`);
  }
});

test('byte vocabulary: program grammars sharing walks obey the mask/consume law at every position', () => {
  const tok = byteTokenizer();
  for (const [lang, text] of [['typescript', TS_GAPS[1]!], ['python', programFixture('python', 'generics', 1000)]] as const) {
    const g = loadProgramGrammar(lang);
    walked(compile(g, tok), text, lang);
    const b = compile(g, tok);
    lawHolds(b, tok, text, lang);
    assert.ok(b.stats().sharedPlanHits > 0, `${lang}: walks taken from the store`);
  }
});

test('Llama-3: indentation with another tab width never takes walks whose line-break columns were counted with the first', () => {
  const tok = llama3();
  const off = { planCacheBytes: 0, fullMaskCacheBytes: 0, internedStateBytes: 0 };
  // A tab is 8 columns in one grammar and 4 in the other. Their states at a line break are the same
  // vectors with the same extras; only the lexer options tell them apart. Named alike, the width-4
  // grammar would read "\treturn" after "\n" at column 8 and refuse it inside the block.
  const text = 'def f(a):\n\tb = a\n\treturn b\n\nwhile x:\n    pass\n';
  const hits: number[] = [];
  for (const width of [8, 8, 4, 4]) {
    const g = parseLark(PY_INDENT(width));
    const cg = compile(g, tok);
    sameMasks(cg, compile(g, tok, off), tok.encode(text), `tab width ${width}`);
    hits.push(cg.stats().sharedPlanHits);
  }
  // A grammar also takes walks it offered itself (two of its states with the same name): the first
  // of each width takes only those.
  assert.ok(hits[1]! > hits[0]! + 10, `a second tab width 8 grammar takes the first one's walks (${hits})`);
  assert.equal(hits[2], hits[0], `the first tab width 4 grammar takes none of theirs (${hits})`);
  assert.ok(hits[3]! > hits[2]! + 10, `a second tab width 4 grammar takes the first one's (${hits})`);
});

/** An indentation grammar with tab width `w`. */
const PY_INDENT = (w: number): string => String.raw`
%llguidance {"indentation": {"newline": "_NEWLINE", "indent": "_INDENT", "dedent": "_DEDENT", "open": ["(", "[", "{"], "close": [")", "]", "}"], "tab_width": ${w}}}
%declare _INDENT _DEDENT
start: (_NEWLINE | stmt)*
stmt: simple | compound
simple: small _NEWLINE
small: "pass" | NAME "=" expr | "return" [expr]
compound: "def" NAME "(" [NAME ("," NAME)*] ")" ":" suite | "while" expr ":" suite
suite: simple | _NEWLINE _INDENT stmt+ _DEDENT
expr: NAME | NUMBER
NAME: /[a-zA-Z_][a-zA-Z0-9_]*/ & ~("def" | "while" | "pass" | "return")
NUMBER: /[0-9]+/
_NEWLINE: /(\r?\n[\t ]*)+/
%ignore /[\t ]+/
`;

/** Walks `text` through `cg` as a generation would (warm-up/walk-text.ts), building its walks; every token accepted. */
function walked(cg: ReturnType<typeof compile>, text: string, what: string): void {
  const w = walkText(cg, text, new Uint32Array(cg.maskWords));
  assert.equal(w.refused, false, `${what}: every token accepted`);
}
