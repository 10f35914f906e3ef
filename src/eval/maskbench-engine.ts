/**
 * What MaskBench drives: something that compiles a JSON Schema against a tokenizer into a compiled
 * grammar. The default is Ananke's own schema compiler (src/engine/schema) followed by `compile`;
 * tests and experiments can pass another (e.g. a fixed Lark grammar that ignores the schema).
 */
import { compile, type CompiledGrammar, parseLark, type Grammar, type Limits, type Tokenizer, compileJsonSchema } from '../engine/index.ts';

export interface SchemaEngine {
  readonly name: string;
  /** Compiles `schema`; a schema the engine cannot enforce throws EngineError (a compile error). */
  compile(schema: unknown, tokenizer: Tokenizer, limits: Limits): CompiledGrammar;
}

/**
 * Ananke's JSON Schema compiler with its defaults (flexible whitespace, which admits the `", "` and
 * `": "` separators MaskBench's instances use; strict: unenforceable keywords are compile errors).
 */
export function anankeSchemaEngine(): SchemaEngine {
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
