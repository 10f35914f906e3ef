import { compileJsonSchema } from './src/engine/schema/index.ts';
for (const s of [{ type: 'integer' }, { type: 'integer', minimum: 3 }, {type:'number'}, {type:'string'}, {type:'object'}, {}]) {
  try { compileJsonSchema(s); console.log('ok', JSON.stringify(s)); } catch (e) { console.log('ERR', JSON.stringify(s), String(e).slice(0, 200)); }
}
