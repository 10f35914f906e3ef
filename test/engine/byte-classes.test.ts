import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TermStore } from '../../src/engine/lexer/terms.ts';
import { DEFAULT_LIMITS } from '../../src/engine/limits.ts';

const rangesArb = fc.array(
  fc.oneof(
    fc.integer({ min: 0, max: 255 }).map((b) => [b, b] as [number, number]),
    fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 })).map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as [number, number]),
  ),
  { minLength: 1, maxLength: 4 },
);

test('byte classes: two bytes share a class exactly when every byte set holds both or neither; classes are numbered by their first byte', () => {
  fc.assert(
    fc.property(fc.array(rangesArb, { minLength: 0, maxLength: 40 }), (sets) => {
      const store = new TermStore(DEFAULT_LIMITS);
      for (const r of sets) store.byteRanges(r);
      const { byteClass, classBytes } = store.byteClasses();
      const holds = (r: [number, number][], x: number) => r.some(([lo, hi]) => x >= lo && x <= hi);
      // Each byte's signature: which sets hold it. Same signature ⟺ same class.
      const classOfSig = new Map<string, number>();
      const sigOfClass = new Map<number, string>();
      for (let x = 0; x < 256; x++) {
        const sig = sets.map((r) => (holds(r, x) ? '1' : '0')).join('');
        assert.equal(classOfSig.get(sig) ?? byteClass[x], byteClass[x], `byte ${x} is apart from a byte that every set treats alike`);
        assert.equal(sigOfClass.get(byteClass[x]!) ?? sig, sig, `byte ${x} shares a class with a byte some set tells apart`);
        classOfSig.set(sig, byteClass[x]!);
        sigOfClass.set(byteClass[x]!, sig);
      }
      let next = 0;
      for (let x = 0; x < 256; x++) {
        if (byteClass[x]! === next) next++;
        else assert.ok(byteClass[x]! < next, `byte ${x} opens class ${byteClass[x]} before ${next}`);
        assert.ok(classBytes[byteClass[x]!]!.includes(x));
      }
      assert.equal(classBytes.length, next);
    }),
    { numRuns: 300, seed: 3 },
  );
});
