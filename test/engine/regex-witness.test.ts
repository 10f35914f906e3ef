import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { EngineError, parseRegex, RegexIntersections, regexIsEmpty, regexWitness, type Regex } from '../../src/engine/index.ts';
import { compileRegexMatcher } from '../../src/engine/lexer/index.ts';
import { literal } from '../../src/engine/regex/ast.ts';

const p = (s: string): Regex => parseRegex(s);
const and = (...xs: Regex[]): Regex => ({ kind: 'and', items: xs });
const not = (x: Regex): Regex => ({ kind: 'not', item: x });

function limitError(e: unknown): boolean {
  assert.ok(e instanceof EngineError, String(e));
  assert.equal(e.code, 'LIMIT');
  assert.match(e.message, /regexWitness/);
  return true;
}

test('the witness is a shortest match, preferring readable characters', () => {
  assert.equal(regexWitness(p('[a-z]+\\d')), 'a0');
  assert.equal(regexWitness(p('x*')), '');
  assert.equal(regexWitness(p('abc|de|f{3}')), 'de');
  assert.equal(regexWitness(p('[^a-z]')), 'A');
  assert.equal(regexWitness(p('é+')), 'é');
  assert.equal(regexWitness(p('\\u{1F600}')), '😀');
  assert.equal(regexWitness(p('a{50}')), 'a'.repeat(50));
});

test('intersections: shared strings found, disjoint languages empty', () => {
  const camel = p('[a-z][a-z0-9]*([A-Z][A-Za-z0-9]*)*');
  const snake = p('[a-z][a-z0-9]*(_[a-z0-9]+)*');
  const pascal = p('[A-Z][A-Za-z0-9]*');
  assert.equal(regexWitness(and(camel, snake)), 'a');
  assert.equal(regexWitness(and(camel, pascal)), undefined);
  assert.equal(regexWitness(and(p('[a-z]+'), p('[0-9]+'))), undefined);
  assert.equal(regexWitness(and(p('.{3,}'), p('[ab]{0,4}'), p('.*b'))), 'aab');
  // Three regexes, each pair sharing a string, no string in all three.
  const r1 = p('ab|cd');
  const r2 = p('ab|ce');
  const r3 = p('cd|ce|xx');
  assert.equal(regexWitness(and(r1, r2)), 'ab');
  assert.equal(regexWitness(and(r1, r3)), 'cd');
  assert.equal(regexWitness(and(r2, r3)), 'ce');
  assert.equal(regexWitness(and(r1, r2, r3)), undefined);
});

test('complements: exact, and within valid strings', () => {
  assert.equal(regexWitness(not(p('[a-z]*'))), 'A');
  assert.equal(regexWitness(and(p('[a-z]+'), not(p('a|b')))), 'c');
  assert.equal(regexWitness(and(p('[ab]{2}'), not(p('aa|ab|ba')))), 'bb');
  // Names that are camelCase and not snake_case.
  assert.equal(regexWitness(and(p('[a-z][a-z0-9]*([A-Z][A-Za-z0-9]*)*'), not(p('[a-z][a-z0-9]*(_[a-z0-9]+)*')))), 'aA');
  // The complement of every string has only invalid UTF-8 in it: empty as a set of strings.
  assert.equal(regexWitness(not(p('(?s:.*)'))), undefined);
  assert.equal(regexWitness(and(p('x'), not(p('x')))), undefined);
  // A complement nested inside a concatenation still yields a valid string.
  const w = regexWitness({ kind: 'concat', items: [p('a'), not(p('(?s:.)*')), p('b')] });
  assert.equal(w, undefined);
  const w2 = regexWitness({ kind: 'concat', items: [p('a'), not(p('[a-z]*')), p('b')] });
  assert.equal(w2, 'aAb');
});

test('empty languages', () => {
  assert.equal(regexWitness({ kind: 'never' }), undefined);
  assert.equal(regexWitness({ kind: 'chars', ranges: [] }), undefined);
  assert.equal(regexWitness({ kind: 'empty' }), '');
  assert.equal(regexIsEmpty(and(p('a+'), p('b+'))), true);
  assert.equal(regexIsEmpty(p('a+')), false);
  // Counted repetitions whose lengths never meet.
  assert.equal(regexWitness(and(p('(aa){1,5}'), p('a(aa){0,5}'))), undefined);
  assert.equal(regexWitness(and(p('(aaa)+'), p('(aa)+'))), 'aaaaaa');
});

test('RegexIntersections: many questions over one list, shortest or any', () => {
  const res = [p('[a-z]+'), p('[0-9]+'), p('.{5,}'), p('(?s:.*[;\\n])?'), not(p('[a-z]*'))];
  const set = new RegexIntersections(res);
  // Whether `text` matches every regex of `which`: the intersection with the text alone is not empty.
  const matchesAll = (which: number[], text: string) => regexWitness(and(...which.map((i) => res[i]!), literal(text))) === text;
  assert.equal(set.witness([0]), 'a');
  assert.equal(set.witness([0, 1]), undefined);
  assert.equal(set.witness([0, 2]), 'aaaaa');
  assert.equal(set.witness([2, 3]), 'aaaa;');
  assert.equal(set.witness([1, 4]), '0');
  assert.equal(set.witness([0, 4]), undefined);
  assert.equal(set.witness([]), '');
  // Depth first: the same answer to whether a match exists, any match, found without a
  // breadth-first walk of every shorter text.
  for (const which of [[0], [0, 1], [0, 2], [2, 3], [1, 4], [0, 4], [0, 2, 3]]) {
    const any = set.witness(which, false);
    const shortest = set.witness(which);
    assert.equal(any === undefined, shortest === undefined, `[${which}]`);
    if (any !== undefined) assert.ok(matchesAll(which, any), `${JSON.stringify(any)} for [${which}]`);
  }
  assert.equal(set.witness([2, 3], false), 'aaaa;');
  assert.throws(() => set.witness([9]), (e: unknown) => e instanceof EngineError && e.code === 'STATE');
  // Long matches: depth first finds one where breadth first runs out of states.
  const long = new RegexIntersections([p('(?s:.){300,}'), p('(?s:.*[;}])?'), p('[^\\n]*(\\n[^\\n]*){0,40}')], { maxStates: 10_000 });
  assert.throws(() => long.witness(), limitError);
  const w = long.witness(undefined, false);
  assert.ok(w !== undefined && [...w].length >= 300 && /[;}]$/.test(w));
});

test('pathological inputs fail with LIMIT instead of running on', () => {
  // 2^31 states before the shortest match is proved.
  assert.throws(() => regexWitness(p('(a|b)*a(a|b){30}'), { maxStates: 5_000 }), limitError);
  // Empty, but only an exhaustive walk of 2^21 states proves it.
  assert.throws(() => regexWitness(and(p('(a|b)*a(a|b){20}'), p('(a|b)*b(a|b){20}'), p('.{0,30}')), { maxStates: 5_000 }), limitError);
  // A long shortest match needs one state per character.
  assert.throws(() => regexWitness(p('a{10000}'), { maxStates: 1_000 }), limitError);
  assert.equal(regexWitness(p('a{900}'), { maxStates: 1_000 })?.length, 900);
  // The regex size limit.
  assert.throws(() => regexWitness(p('(a{1000}){1000}'), { maxRegexSize: 10_000 }), limitError);
  assert.throws(() => regexWitness(p('a'), { maxStates: 0 }), limitError);
});

test('property: the witness matches, and nothing shorter does', () => {
  const atom = fc.constantFrom('a', 'b', '[ab]', '.', 'c?', '');
  const reArb: fc.Arbitrary<string> = fc.letrec((tie) => ({
    re: fc.oneof(
      { depthSize: 'small' },
      atom,
      fc.tuple(tie('re'), tie('re')).map(([x, y]) => `${x}${y}`),
      fc.tuple(tie('re'), tie('re')).map(([x, y]) => `(?:${x}|${y})`),
      fc.tuple(tie('re'), fc.constantFrom('*', '+', '?', '{2}', '{1,3}')).map(([x, q]) => `(?:${x})${q}`),
    ),
  })).re as fc.Arbitrary<string>;
  // All strings over {a, b, c} up to length 4, shortest first.
  const all: string[] = [''];
  for (let len = 1, from = 0; len <= 4; len++) {
    const to = all.length;
    for (let i = from; i < to; i++) for (const ch of 'abc') all.push(all[i]! + ch);
    from = to;
  }
  fc.assert(
    fc.property(reArb, reArb, fc.boolean(), (x, y, negate) => {
      const rx = p(x || 'a');
      const ry = p(y || 'b');
      const re = and(rx, negate ? not(ry) : ry);
      const w = regexWitness(re);
      const mx = compileRegexMatcher(x || 'a');
      const my = compileRegexMatcher(y || 'b');
      const inLang = (s: string) => mx.matches(s) && my.matches(s) !== negate;
      const first = all.find(inLang);
      if (w === undefined) {
        assert.equal(first, undefined, `empty for ${x} & ${negate ? '~' : ''}${y}, but ${JSON.stringify(first)} matches`);
        return;
      }
      assert.ok(inLang(w), `witness ${JSON.stringify(w)} does not match ${x} & ${negate ? '~' : ''}${y}`);
      if (first !== undefined) assert.ok(new TextEncoder().encode(w).length <= first.length, `${JSON.stringify(w)} is longer than ${JSON.stringify(first)}`);
    }),
    { numRuns: 300 },
  );
});
