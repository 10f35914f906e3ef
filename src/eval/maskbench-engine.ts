/**
 * What MaskBench drives: something that compiles a JSON Schema against a tokenizer into a compiled
 * grammar. The default is Ananke's own schema compiler (src/engine/schema) followed by `compile`;
 * tests and experiments can pass another (e.g. a fixed Lark grammar that ignores the schema).
 */
import { compile, type CompiledGrammar, parseLark, type Grammar, type KeyOrder, type Limits, type Tokenizer, compileJsonSchema, prewalkSchema } from '../engine/index.ts';

/** What an engine made of one schema: the grammar the masks come from, and what decides the rest. */
export interface SchemaCompilation {
  grammar: CompiledGrammar;
  /**
   * Keywords the grammar holds only as a superset (`oneOf at #/…`), decided by `postCheck` on the
   * complete document; absent or empty when the grammar alone decides.
   */
  postChecks?: string[];
  /** Whether a document the grammar accepted (its text) is valid; only with `postChecks`. */
  postCheck?: (text: string) => boolean;
  /**
   * The key order the grammar writes a valid document in (parsed with JSON.parse): lets the
   * benchmark tell a validation error that is only property order from one of content.
   */
  keyOrder?: (value: unknown) => KeyOrder | undefined;
}

export interface SchemaEngine {
  readonly name: string;
  /** Compiles `schema`; a schema the engine cannot enforce throws EngineError (a compile error). */
  compile(schema: unknown, tokenizer: Tokenizer, limits: Limits): SchemaCompilation;
}

/**
 * Ananke's JSON Schema compiler with its defaults (flexible whitespace, which admits the `", "` and
 * `": "` separators MaskBench's instances use; strict: unenforceable keywords are compile errors),
 * except that post-checks are on unless `postChecks: false`: a keyword no grammar rule holds
 * exactly (overlapping `oneOf`, `not` of objects, `uniqueItems` over objects) compiles to a grammar
 * that allows a superset and an exact check of the finished document, as a server using Ananke
 * would run it (docs/engine-maskbench.md, "Post-checks").
 */
export function anankeSchemaEngine(opts: { postChecks?: boolean; prewalk?: boolean } = {}): SchemaEngine {
  const postChecks = opts.postChecks ?? true;
  const prewalk = opts.prewalk ?? true;
  return {
    name: (postChecks ? 'ananke' : 'ananke (no post-checks)') + (prewalk ? '' : ' (no prewalk)'),
    compile(schema: unknown, tokenizer: Tokenizer, limits: Limits): SchemaCompilation {
      const g = compileJsonSchema(schema, { limits, postChecks });
      const grammar = compile(g as Grammar, tokenizer, limits);
      // Part of the compile, so part of TTFM: the model reads the prompt meanwhile.
      if (prewalk) prewalkSchema(grammar, schema);
      const out: SchemaCompilation = { grammar, keyOrder: g.keyOrder };
      if (g.postChecks.length > 0) {
        out.postChecks = g.postChecks.map((c) => `${c.keyword} at ${c.pointer}`);
        out.postCheck = g.postCheck;
      }
      return out;
    },
  };
}

/** A fixed Lark grammar for every schema (ignores the schema): for tests and baselines. */
export function larkSchemaEngine(name: string, larkText: string): SchemaEngine {
  const grammar = parseLark(larkText);
  return {
    name,
    compile: (_schema: unknown, tokenizer: Tokenizer, limits: Limits) => ({ grammar: compile(grammar, tokenizer, limits) }),
  };
}
