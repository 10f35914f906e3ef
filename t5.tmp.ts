import { formatTest, FORMATS } from './src/engine/schema/formats.ts';
import { parseRegex } from './src/engine/regex/parse.ts';
for (const f of Object.keys(FORMATS)) { try { parseRegex(FORMATS[f]!.pattern, { flavor: 'ecma' }); } catch (e) { console.log(f, String(e).slice(0, 200)); } }
console.log(formatTest('uri-template', 'http://example.com/dictionary/{term:1}/{term}'), formatTest('uri-template', '{a,}'), formatTest('uri-reference', '?query=1'), formatTest('uri-reference', '1:b'), formatTest('relative-json-pointer', '0#'));
