import Ajv2020Mod from 'ajv/dist/2020.js';
import addFormatsMod from 'ajv-formats';
const Ajv2020 = (Ajv2020Mod as any).default ?? Ajv2020Mod;
const addFormats = (addFormatsMod as any).default ?? addFormatsMod;
const ajv = new Ajv2020({ strict: false });
addFormats(ajv);
console.log(ajv.validate({ type: 'string', format: 'date' }, '2020-02-30'), ajv.validate({ type: 'integer' }, 3));
