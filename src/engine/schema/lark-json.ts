import type { Grammar } from '../grammar/ir.ts';
import { parseLark, type LarkOptions } from '../grammar/lark.ts';
import { larkJsonHook } from './compile.ts';
import type { JsonSchemaOptions } from './options.ts';

/**
 * parseLark with `%json { … }` wired to the schema compiler (strict unless `json.lenient`).
 * Meant to be what the engine's public `parseLark` does by default.
 */
export function parseLarkWithJson(text: string, opts?: LarkOptions & { json?: JsonSchemaOptions }): Grammar {
  const { json, ...lark } = opts ?? {};
  return parseLark(text, { ...lark, jsonSchema: lark.jsonSchema ?? larkJsonHook(json) });
}
