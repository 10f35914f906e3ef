import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRegex } from '../../src/engine/regex/parse.ts';
import { matchesEverything } from '../../src/engine/regex/universal.ts';
import { compileJsonSchema, jsonSchemaToLark } from '../../src/engine/schema/index.ts';
import { compile } from '../../src/engine/matcher/compiled.ts';
import { byteTokenizer } from '../../src/engine/matcher/byte-tokenizer.ts';

const search = (src: string) => parseRegex(src, { flavor: 'ecma', search: true });

test('matchesEverything: a search that finds an empty match at one end matches every string; others are not proven', () => {
  for (const src of ['.*', 'x?', '^x?', 'x?$', '[^a]*$', '(?:a|.*)', '[\\s\\S]*', '^[\\s\\S]*$', '^(?:[\\s\\S]*)']) assert.equal(matchesEverything(search(src)), true, src);
  // `.` leaves out line terminators: `^.*$` does not match "\n".
  for (const src of ['^.*$', '.+', 'a*b', 'hipchat', '^$', '^[^a]*$', '^x?$']) assert.equal(matchesEverything(search(src)), false, src);
});

test('patternProperties with `.*`: key languages without it are dropped, documents keep their verdicts', () => {
  const schema = {
    type: 'object',
    patternProperties: { hipchat: { type: 'integer' }, github: { type: 'string' }, '.*': { type: ['integer', 'string'] } },
    additionalProperties: false,
  };
  const cg = compile(compileJsonSchema(schema), byteTokenizer());
  const ok = [{}, { hipchat: 1 }, { github: 'x' }, { other: 'y', n: 2 }, { 'my-hipchat': 3 }];
  // `hipchat-github` must be an integer and a string: no value.
  const bad = [{ hipchat: 'x' }, { github: 1 }, { other: null }, { 'a-github': 2 }, { 'hipchat-github': 'x' }, { 'hipchat-github': 1 }];
  for (const v of ok) assert.equal(cg.matches(JSON.stringify(v)), true, JSON.stringify(v));
  for (const v of bad) assert.equal(cg.matches(JSON.stringify(v)), false, JSON.stringify(v));
  // Of the eight key languages, the four without `.*` are empty and the one with both names has no
  // value: three keys are left, none of them intersected with `.*` itself.
  const keys = jsonSchemaToLark(schema).match(/^KEY\w*:/gm) ?? [];
  assert.deepEqual(keys, ['KEY:', 'KEY_2:', 'KEY_3:']);
});
