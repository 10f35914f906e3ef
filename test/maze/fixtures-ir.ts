/**
 * ConstraintIRs for the server-backend tests, compiled by Braid as `ananke generate` compiles them:
 * a `new:` TypeScript function (the IR grammar reads the forced head first) and a `json:` target.
 */
import { compileConstraints } from '../../src/braid/index.ts';
import type { ConstraintIR } from '../../src/core/index.ts';

export const HEAD = 'function add(a: number, b: number): number';
/** A body the TypeScript grammar accepts after HEAD. */
export const GOOD_BODY = ' {\n  return a + b;\n}';

export const SCHEMA = { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'], additionalProperties: false };

let fn: ConstraintIR | undefined;
let json: ConstraintIR | undefined;

export function functionIr(): ConstraintIR {
  fn ??= compileConstraints([], { target: { kind: 'new', file: 'src/add.ts', line: 1, signature: HEAD }, language: 'typescript', head: HEAD }).ir;
  return fn;
}

export function jsonIr(): ConstraintIR {
  json ??= compileConstraints([], { target: { kind: 'json', schemaFile: 'schema.json' }, language: 'json', schema: SCHEMA }).ir;
  return json;
}
