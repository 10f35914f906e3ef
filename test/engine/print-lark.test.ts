import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { parseLark } from '../../src/engine/grammar/lark.ts';
import { parseGbnf } from '../../src/engine/grammar/gbnf.ts';
import { printLark, regexToLarkTerminal, regexToRust } from '../../src/engine/grammar/print-lark.ts';
import { grammarDifference } from '../../src/engine/grammar/compare.ts';
import { GrammarBuilder, ruleSym } from '../../src/engine/grammar/builder.ts';
import { parseRegex } from '../../src/engine/regex/parse.ts';
import { literal, type Regex } from '../../src/engine/regex/ast.ts';
import type { Grammar } from '../../src/engine/grammar/ir.ts';
import { regexMatches } from './grammar-test-utils.ts';

const read = (p: string) => readFileSync(new URL(`../../${p}`, import.meta.url), 'utf8');

function roundTrip(g: Grammar): Grammar {
  const text = printLark(g);
  let back: Grammar;
  try {
    back = parseLark(text);
  } catch (e) {
    assert.fail(`printed grammar does not parse: ${(e as Error).message}\n${text}`);
  }
  assert.equal(grammarDifference(g, back), null, text);
  return back;
}

test('shipped grammars round-trip: parseLark(printLark(g)) is structurally equivalent', () => {
  for (const name of ['json', 'arithmetic', 'clike']) roundTrip(parseLark(read(`grammars/${name}.lark`)));
  roundTrip(parseGbnf(read('grammars/json.gbnf')));
});

test('every construct round-trips: options, special tokens, & and ~, case-insensitive strings, counted repetition', () => {
  const g = parseLark(`
%llguidance {"ignore_once": true}
%import common (WS, CNAME, ESCAPED_STRING)
%ignore WS
%ignore /\\/\\/[^\\n]*/
start: item+ | <|eot_id|> <[1,5-7]> <[^3]> <[*]> | empty |
item: ID "="i value ";" | "x"{2,700} | lazy_text | stopped | capped
value: ESCAPED_STRING | /[0-9]+(\\.[0-9]+)?/ | "é\\u{1F600}\\"\\\\"
empty:
ID: CNAME & ~("if" | "else") | "_" ~/[0-9]+/* & /[a-z_]+/
lazy_text[lazy]: /(?s:.*)/ "*/"
stopped[stop="END", capture="s"]: /[A-Z]+/
capped[max_tokens=3, temperature=0.5]: /[a-z]+/
`);
  const back = roundTrip(g);
  assert.equal(back.options?.ignoreOnce, true);
  const text = printLark(g);
  assert.match(text, /^%llguidance \{"skip_repetition": "once"\}\n/);
  assert.match(text, /\[lazy\]: /);
  assert.match(text, /\[capture="s"\]/);
  assert.match(text, /\[max_tokens=3\]/);
  assert.match(text, /temperature=0.5/);
  assert.match(text, /<\|eot_id\|> <\[1,5-7\]> <\[\^3\]> <\[\*\]>/);
});

test('builder-made grammars with arbitrary names print as valid Lark and round-trip', () => {
  const b = new GrammarBuilder();
  const s = b.regex('string value', { kind: 'concat', items: [literal('"'), { kind: 'repeat', item: { kind: 'chars', ranges: [[0x20, 0x21], [0x23, 0x5b], [0x5d, 0x10ffff]] }, min: 0, max: Infinity }, literal('"')] });
  const n = b.regex('NUMBER', { kind: 'repeat', item: { kind: 'chars', ranges: [[48, 57]] }, min: 1, max: 20 });
  const pair = b.ruleWith('Pair (key/value)', [[s, b.literal(':'), n]]);
  const list = b.ruleWith('start', [[b.literal('{'), b.repeat(ruleSym(pair), 0, 50), b.literal('}')], [b.token({ ranges: [], negated: false, names: ['<|end|>'] })]]);
  const other = b.ruleWith('start', [[ruleSym(list), b.literal('\u0000\n/')]]);
  const g = b.build(other);
  const text = printLark(g);
  assert.match(text, /^start: /m);
  assert.match(text, /^start_: /m, 'a second rule named start is renamed');
  assert.match(text, /^pair_key_value: /m);
  assert.match(text, /"\\u0000\\n\/"/);
  roundTrip(g);
});

test('regexToRust escapes metacharacters, slashes inside classes and non-ASCII', () => {
  const cases: [Regex, string][] = [
    [literal('a.b*c'), 'a\\.b\\*c'],
    [literal('(x|y)'), '\\(x\\|y\\)'],
    [{ kind: 'chars', ranges: [[45, 45], [93, 94]] }, '[\\-\\]\\^]'],
    [{ kind: 'chars', ranges: [[0, 0x10ffff]] }, '(?s:.)'],
    [{ kind: 'chars', ranges: [[0, 9], [11, 0x10ffff]] }, '.'],
    [{ kind: 'chars', ranges: [[0, 33], [35, 0x10ffff]] }, '[^"]'],
    [{ kind: 'chars', ranges: [[0xe9, 0xe9]] }, '\\x{E9}'],
    [{ kind: 'repeat', item: literal('ab'), min: 2, max: 5 }, '(?:ab){2,5}'],
    [{ kind: 'repeat', item: { kind: 'alt', items: [literal('a'), literal('bc')] }, min: 0, max: Infinity }, '(?:a|bc)*'],
    [{ kind: 'concat', items: [{ kind: 'alt', items: [literal('a'), literal('b')] }, literal('c')] }, '[ab]c'],
    [{ kind: 'concat', items: [{ kind: 'alt', items: [literal('a'), literal('bc')] }, literal('c')] }, '(?:a|bc)c'],
    [{ kind: 'alt', items: [literal('ab'), { kind: 'empty' }] }, '(?:ab)?'],
    [{ kind: 'empty' }, '(?:)'],
    [{ kind: 'never' }, '[^\\x{0}-\\x{10FFFF}]'],
  ];
  for (const [re, text] of cases) {
    assert.equal(regexToRust(re), text);
    const back = parseRegex(text, { flavor: 'rust' });
    for (const s of ['a.b*c', '(x|y)', '-', ']', '^', '\n', 'é', 'ab', 'ababab', 'abc', 'bc', 'ac', '']) {
      assert.equal(regexMatches(back, s), regexMatches(re, s), `${text} on ${JSON.stringify(s)}`);
    }
  }
  assert.equal(regexToLarkTerminal({ kind: 'chars', ranges: [[47, 47]] }), '/\\//');
  assert.throws(() => regexToRust({ kind: 'not', item: literal('a') }), /cannot be written inside a \/regex\//);
});

test('intersection and complement print as Lark operators with explicit grouping', () => {
  const re: Regex = {
    kind: 'concat',
    items: [
      literal('<'),
      { kind: 'and', items: [{ kind: 'repeat', item: { kind: 'chars', ranges: [[97, 122]] }, min: 1, max: Infinity }, { kind: 'not', item: { kind: 'alt', items: [literal('if'), literal('do')] } }] },
      { kind: 'repeat', item: { kind: 'not', item: literal('x') }, min: 0, max: 1 },
    ],
  };
  const text = regexToLarkTerminal(re);
  assert.equal(text, '/</ (/[a-z]+/ & ~/if|do/) ~/x/?');
  const g = parseLark(`start: T\nT: ${text}\n`);
  assert.equal(g.lexemes[0]!.regex.kind, 'concat');
  for (const s of ['<ab', '<abx', '<if', '<ifx', '<a', '<']) assert.equal(regexMatches(g.lexemes[0]!.regex, s), regexMatches(re, s), s);
});

// Random regex trees over a small alphabet: printing then parsing must keep the language.
const alphabet = ['a', 'b', '/', '.', '-', ']'];
const regexArb: fc.Arbitrary<Regex> = fc.letrec<{ re: Regex }>((tie) => ({
  re: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom<Regex>(...alphabet.map((c) => literal(c)), { kind: 'chars', ranges: [[45, 47]] }, { kind: 'chars', ranges: [[0, 96], [98, 0x10ffff]] }, { kind: 'empty' }),
    fc.array(tie('re'), { minLength: 2, maxLength: 3 }).map((items): Regex => ({ kind: 'concat', items })),
    fc.array(tie('re'), { minLength: 2, maxLength: 3 }).map((items): Regex => ({ kind: 'alt', items })),
    fc.array(tie('re'), { minLength: 2, maxLength: 2 }).map((items): Regex => ({ kind: 'and', items })),
    tie('re').map((item): Regex => ({ kind: 'not', item })),
    fc.tuple(tie('re'), fc.integer({ min: 0, max: 2 }), fc.constantFrom(1, 2, 3, Infinity)).map(([item, min, extra]): Regex => ({ kind: 'repeat', item, min, max: extra === Infinity ? Infinity : min + extra })),
  ),
})).re;

test('property: a printed terminal parses back to a regex with the same language', () => {
  const samples = ['', 'a', 'b', '/', '.', '-', ']', 'ab', 'ba', 'a/', '//', 'a.b', 'aab', 'abab', '-]', 'aaa', 'b/a.'];
  fc.assert(
    fc.property(regexArb, (re) => {
      const text = regexToLarkTerminal(re);
      const g = parseLark(`start: T\nT: ${text}\n`);
      const back = g.lexemes[0]!.regex;
      for (const s of samples) {
        if (regexMatches(back, s) !== regexMatches(re, s)) return false;
      }
      return true;
    }),
    { numRuns: 300, seed: 7 },
  );
});

test('header option', () => {
  const g = parseLark('start: "a"\n');
  assert.equal(printLark(g), '%llguidance {}\nstart: "a"\n');
  assert.equal(printLark(g, { header: false }), 'start: "a"\n');
});
