/**
 * What MaskBench drives: something that compiles a JSON Schema against a tokenizer into a compiled
 * grammar. The default is Ananke's own schema compiler (src/engine/schema) followed by `compile`;
 * tests and experiments can pass another (e.g. a fixed Lark grammar that ignores the schema).
 */
import { compile, type CompiledGrammar } from '../matcher/compiled.ts';
import { parseLark } from '../grammar/lark.ts';
import type { Grammar } from '../grammar/ir.ts';
import type { Limits } from '../limits.ts';
import type { Tokenizer } from '../tokenizer/types.ts';

export interface SchemaEngine {
  readonly name: string;
  /** Compiles `schema`; a schema the engine cannot enforce throws EngineError (a compile error). */
  compile(schema: unknown, tokenizer: Tokenizer, limits: Limits): CompiledGrammar;
}

/** Ananke's JSON Schema compiler, with MaskBench's layout (compact JSON as Python prints it). */
export async function anankeSchemaEngine(): Promise<SchemaEngine> {
  // TEMPORARY dynamic import while src/engine/schema is being written.
  const spec = '../schema/index.ts';
  const mod = (await import(spec)) as { compileJsonSchema: (schema: unknown, opts: { limits: Limits }) => Grammar };
  const compileJsonSchema = mod.compileJsonSchema;
  return {
    name: 'ananke',
    compile(schema: unknown, tokenizer: Tokenizer, limits: Limits): CompiledGrammar {
      const grammar: Grammar = compileJsonSchema(schema, { limits });
      return compile(grammar, tokenizer, limits);
    },
  };
}

/** A fixed Lark grammar for every schema (ignores the schema): for tests and baselines. */
export function larkSchemaEngine(name: string, larkText: string): SchemaEngine {
  const grammar = parseLark(larkText);
  return {
    name,
    compile: (_schema: unknown, tokenizer: Tokenizer, limits: Limits) => compile(grammar, tokenizer, limits),
  };
}
