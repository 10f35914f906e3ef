import { compileJsonSchema, jsonSchemaToLark } from './src/engine/schema/index.ts';
import { compile } from './src/engine/matcher/compiled.ts';
import { byteTokenizer } from './src/engine/matcher/byte-tokenizer.ts';
const cases: [unknown, string[], string[]][] = [
  [{ type: 'object', properties: { a: { type: 'integer', minimum: 3, maximum: 120 }, b: { type: 'string', maxLength: 3 } }, required: ['a'] },
   ['{"a": 3}', '{"a":120,"b":"xyz"}', '{"a": 5, "b": "x", "c": null}', '{ "a" : 7 }'], ['{"a": 2}', '{"b":"x"}', '{"a": 121}', '{"a": 5, "b": "abcd"}', '{"a":1.5}']],
  [{ type: 'array', items: { enum: [1, 'x', null] }, minItems: 1, maxItems: 3 }, ['[1]', '[1, "x", null]'], ['[]', '[1,1,1,1]', '[2]']],
  [{ type: 'number', exclusiveMinimum: -1.5, maximum: 2.25 }, ['-1.4', '0', '2.25', '2.250', '-0.5', '1'], ['-1.5', '2.26', '-2', '3']],
  [{ type: 'string', format: 'date' }, ['"2020-02-29"', '"2021-12-31"'], ['"2021-02-29"', '"2021-13-01"']],
  [{ type: 'string', pattern: '^a+$' }, ['"aaa"'], ['"ab"', '""']],
  [{ type: 'string', pattern: 'b' }, ['"aba"', '"b"'], ['"aaa"']],
  [{ $defs: { t: { type: 'object', properties: { c: { type: 'array', items: { $ref: '#/$defs/t' } } }, additionalProperties: false } }, $ref: '#/$defs/t' }, ['{}', '{"c": [{}, {"c": []}]}'], ['{"d": 1}', '{"c": [1]}']],
];
for (const [schema, good, bad] of cases) {
  const g = compileJsonSchema(schema);
  const cg = compile(g, byteTokenizer());
  for (const t of good) if (!cg.matches(t)) console.log('FN', JSON.stringify(schema), t, cg.check(t).message);
  for (const t of bad) if (cg.matches(t)) console.log('FP', JSON.stringify(schema), t);
}
console.log(jsonSchemaToLark(cases[0]![0]));
