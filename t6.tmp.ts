import { compileJsonSchema } from './src/engine/schema/index.ts';
import { compile } from './src/engine/matcher/compiled.ts';
import { byteTokenizer } from './src/engine/matcher/byte-tokenizer.ts';
const s = { type: 'object', properties: { a: { type: 'integer' }, b: { type: 'string' }, c: {type:'null'} }, required: ['a', 'b'], dependentRequired: { c: ['a'] }, maxProperties: 3 };
const cg = compile(compileJsonSchema(s, { propertyOrder: 'any' }), byteTokenizer());
for (const t of ['{"b":"x","a":1}', '{"a":1,"b":"x"}', '{"z":1,"b":"x","a":1}', '{"b":"x"}', '{"a":1,"a":1,"b":"x"}', '{"c":null,"b":"x","a":1}', '{"c":null,"b":"x","a":1,"z":2}', '{}']) console.log(t, cg.matches(t));
