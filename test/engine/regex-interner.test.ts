import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { RegexInterner } from '../../src/engine/grammar/regex-interner.ts';
import { regexKey } from '../../src/engine/grammar/regex-key.ts';
import type { Regex } from '../../src/engine/regex/ast.ts';

// Regex trees over a tiny alphabet, so that different trees often share a normal form: classes
// given as one range or as the same characters apart, empty choices, nested lists of one kind.
const leaf: fc.Arbitrary<Regex> = fc.constantFrom<Regex>(
  { kind: 'empty' },
  { kind: 'never' },
  { kind: 'chars', ranges: [[97, 98]] },
  { kind: 'chars', ranges: [[97, 97]] },
  { kind: 'chars', ranges: [[98, 98]] },
  { kind: 'chars', ranges: [[99, 99]] },
  { kind: 'bytes', ranges: [[0, 127]] },
);
const tree: fc.Arbitrary<Regex> = fc.letrec<{ re: Regex }>((tie) => ({
  re: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('re'), { maxLength: 3 }).map((items): Regex => ({ kind: 'concat', items })),
    fc.array(tie('re'), { minLength: 1, maxLength: 3 }).map((items): Regex => ({ kind: 'alt', items })),
    fc.array(tie('re'), { minLength: 1, maxLength: 2 }).map((items): Regex => ({ kind: 'and', items })),
    fc.tuple(tie('re'), fc.constantFrom([0, 1], [1, 1], [0, Infinity], [2, 3])).map(([item, [min, max]]): Regex => ({ kind: 'repeat', item, min: min!, max: max! })),
    tie('re').map((item): Regex => ({ kind: 'not', item })),
  ),
})).re;

/** The same language by regexKey's normal form, written differently. */
function rewrite(re: Regex, pick: () => number): Regex {
  const r = (x: Regex) => rewrite(x, pick);
  switch (pick()) {
    case 0:
      return { kind: 'concat', items: [{ kind: 'empty' }, r(re)] };
    case 1:
      return { kind: 'repeat', item: r(re), min: 1, max: 1 };
    case 2:
      return { kind: 'alt', items: [r(re)] };
    default:
      break;
  }
  switch (re.kind) {
    case 'concat':
    case 'and':
      return re.items.length >= 2
        ? { kind: re.kind, items: [{ kind: re.kind, items: re.items.slice(0, 1).map(r) }, ...re.items.slice(1).map(r)] }
        : { kind: re.kind, items: re.items.map(r) };
    case 'alt':
      return { kind: 'alt', items: [{ kind: 'alt', items: re.items.slice(0, 1).map(r) }, ...re.items.slice(1).map(r)] };
    case 'repeat':
      return { ...re, item: r(re.item) };
    case 'not':
      return { kind: 'not', item: r(re.item) };
    case 'chars':
      // [ab] as a|b (alt folds single characters back into one class).
      return re.ranges.length === 1 && re.ranges[0]![0] === 97 && re.ranges[0]![1] === 98
        ? { kind: 'alt', items: [{ kind: 'chars', ranges: [[97, 97]] }, { kind: 'chars', ranges: [[98, 98]] }] }
        : re;
    default:
      return re;
  }
}

test('the interner gives two regexes one id exactly when regexKey gives them one key', () => {
  fc.assert(
    fc.property(fc.array(tree, { minLength: 2, maxLength: 8 }), fc.integer({ min: 0, max: 2 ** 30 }), (trees, seed) => {
      let s = seed;
      const pick = () => {
        s = (s * 1103515245 + 12345) % 2 ** 31;
        return s % 6;
      };
      // Each tree, a rewrite of it, and lists of them nested both ways (which flatten to one
      // list), all sharing nodes, in one interner.
      const all = trees.flatMap((t, i): Regex[] => {
        const u = trees[(i + 1) % trees.length]!;
        const nested = (['concat', 'alt', 'and'] as const).flatMap((kind): Regex[] => [
          { kind, items: [t, { kind, items: [u, t] }] },
          { kind, items: [{ kind, items: [t, u] }, t] },
        ]);
        return [t, rewrite(t, pick), ...nested];
      });
      const interner = new RegexInterner();
      const ids = all.map((re) => interner.id(re));
      const keys = all.map((re) => regexKey(re));
      for (let i = 0; i < all.length; i++) {
        for (let j = 0; j < all.length; j++) assert.equal(ids[i] === ids[j], keys[i] === keys[j], `${keys[i]} / ${keys[j]}`);
      }
      // Asked again, the same ids.
      assert.deepEqual(all.map((re) => interner.id(re)), ids);
    }),
    { numRuns: 300, seed: 42 },
  );
});

test('a subtree shared by many regexes is read once', () => {
  const interner = new RegexInterner();
  let shared: Regex = { kind: 'chars', ranges: [[97, 122]] };
  // A DAG of depth 40: 2^40 paths, 40 nodes.
  for (let i = 0; i < 40; i++) shared = { kind: 'concat', items: [shared, { kind: 'alt', items: [shared, { kind: 'empty' }] }] };
  const a = interner.id(shared);
  const b = interner.id({ kind: 'concat', items: [shared, { kind: 'chars', ranges: [[48, 57]] }] });
  assert.notEqual(a, b);
  assert.equal(interner.id({ kind: 'alt', items: [shared] }), a);
});
