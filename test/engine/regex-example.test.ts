import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { regexExample } from '../../src/engine/regex/example.ts';
import { parseRegex } from '../../src/engine/regex/parse.ts';
import { regexArbitrary } from './regex-arbitrary.ts';

const regexArb = regexArbitrary(['a', 'b', 'é', '😀', '0', '.', '[a-c]', '[^a]', '[^a-z]', '\\d', '\\n', ' ', '"', '\\\\', '[\\x00-\\x1f]', '[^\\s\\S]']);

test('regexExample: what it writes, the regex matches (JavaScript RegExp, whole string)', () => {
  let written = 0;
  fc.assert(
    fc.property(regexArb, (src) => {
      const example = regexExample(parseRegex(src));
      if (example === undefined) return;
      written++;
      assert.ok(new RegExp(`^(?:${src})$`, 'u').test(example), `/${src}/ and ${JSON.stringify(example)}`);
    }),
    { numRuns: 400, seed: 11 },
  );
  assert.ok(written > 300, `${written} of 400 written`);
});

test('regexExample: readable characters, repetitions at their minimum, undefined where one pass cannot tell', () => {
  assert.equal(regexExample(parseRegex('[^/#]+/[0-9]{2}#\\w*')), 'a/00#');
  assert.equal(regexExample(parseRegex('(?:[A-Z]|x)-\\d')), 'A-0');
  assert.equal(regexExample(parseRegex('["\\\\]')), '"', 'a quote when nothing else is there');
  assert.equal(regexExample(parseRegex('[\\x00-\\x1f]')), undefined, 'control characters only');
  assert.equal(regexExample(parseRegex('a{100}')), undefined, 'past the length bound');
  assert.equal(regexExample({ kind: 'and', items: [parseRegex('a+'), parseRegex('a')] }), undefined, 'an intersection');
  assert.equal(regexExample({ kind: 'alt', items: [{ kind: 'never' }, parseRegex('b')] }), 'b');
});
