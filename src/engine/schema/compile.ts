import { EngineError } from '../errors.ts';
import { GrammarBuilder } from '../grammar/builder.ts';
import type { Grammar, Sym } from '../grammar/ir.ts';
import { printLark } from '../grammar/print-lark.ts';
import { withLimits } from '../limits.ts';
import { detectDraft } from './draft.ts';
import { Emitter } from './emit.ts';
import type { IgnoredKeyword, JsonSchemaOptions, Relaxation } from './options.ts';
import { DEFAULT_BASE, SchemaRegistry } from './registry.ts';
import { Translator } from './translate.ts';
import { punctuation } from './whitespace.ts';

/** A compiled schema: the grammar, plus what lenient mode relaxed (empty in strict mode). */
/** The grammar, the keywords relaxed (lenient mode) and the unknown keywords ignored as annotations. */
export type JsonSchemaGrammar = Grammar & { relaxations: Relaxation[]; ignored: IgnoredKeyword[] };

/** Parse a schema given as text (JSON) or take it as a value. */
function schemaValue(schema: unknown): unknown {
  if (typeof schema !== 'string') return schema;
  try {
    return JSON.parse(schema) as unknown;
  } catch (e) {
    throw new EngineError('SCHEMA', `schema is not valid JSON: ${(e as Error).message}`);
  }
}

/**
 * Compile the schema into rules of `b`; returns the symbol matching one JSON value (with outer
 * whitespace in flexible mode when `outer` is set), or null when the schema allows nothing.
 */
function compileInto(b: GrammarBuilder, schema: unknown, opts: JsonSchemaOptions, outer: boolean): { sym: Sym | null; relaxations: Relaxation[]; ignored: IgnoredKeyword[] } {
  const root = schemaValue(schema);
  const draft = detectDraft(root);
  const registry = new SchemaRegistry(root, draft);
  const tr = new Translator(registry, draft, opts.lenient === true, b.limits, opts.annotations, opts.unknownKeywords !== 'error');
  const rootLoc = registry.locate(root, { schema: root, base: DEFAULT_BASE, pointer: '' });
  const p = punctuation(b, opts);
  const em = new Emitter(b, tr, p, opts.propertyOrder === 'any');
  const v = em.value({ k: 'ref', key: tr.refTo(rootLoc) });
  if (v === null || !outer || p.outer === null) return { sym: v, relaxations: tr.relaxations, ignored: tr.ignored };
  const ws = b.optional(p.outer);
  return { sym: b.seq('json', [ws, v, ws]), relaxations: tr.relaxations, ignored: tr.ignored };
}

/**
 * JSON Schema (draft 2020-12, and draft-04/06/07 forms) → Grammar for exactly the JSON texts that
 * are valid instances (see docs/engine-jsonschema.md for keywords, spellings and options).
 * Errors: EngineError('SCHEMA') (a JsonSchemaError with `pointer` and `keyword`) for invalid or
 * unenforceable schemas; EngineError('LIMIT') when a limit is exceeded.
 */
export function compileJsonSchema(schema: unknown, opts: JsonSchemaOptions = {}): JsonSchemaGrammar {
  const b = new GrammarBuilder(withLimits(opts.limits));
  const { sym, relaxations, ignored } = compileInto(b, schema, opts, true);
  const start = b.newRule('start');
  // A schema that allows nothing still compiles: to a grammar that accepts no text.
  b.addAlternative(start, [sym ?? b.regex('NOTHING', { kind: 'never' })]);
  let g: Grammar;
  try {
    g = b.build(start, { unproductive: 'prune' });
  } catch (e) {
    if (e instanceof EngineError && e.code === 'GRAMMAR') {
      const s2 = b.newRule('start');
      b.addAlternative(s2, [b.regex('NOTHING', { kind: 'never' })]);
      g = b.build(s2, { unproductive: 'prune' });
    } else throw e;
  }
  return { ...g, relaxations, ignored };
}

/** The schema as Lark-dialect text (llguidance, vLLM, SGLang, llama.cpp); relaxations as trailing comments. */
export function jsonSchemaToLark(schema: unknown, opts: JsonSchemaOptions = {}): string {
  const g = compileJsonSchema(schema, opts);
  let text = printLark(g);
  for (const r of g.relaxations) text += `// relaxed: ${r.keyword} at ${r.pointer}: ${r.reason.replace(/\n/g, ' ')}\n`;
  for (const k of g.ignored) text += `// ignored: ${k.keyword} at ${k.pointer}: ${k.detail ?? 'not a JSON Schema keyword (an annotation)'}\n`;
  return text;
}

/**
 * The `jsonSchema` option of parseLark: compiles the schema of a `%json { … }` into the host
 * grammar's builder and returns the rule matching it. Strict unless `opts.lenient`.
 */
export function larkJsonHook(opts: JsonSchemaOptions = {}): (schema: unknown, builder: GrammarBuilder) => number {
  return (schema, builder) => {
    const { sym } = compileInto(builder, schema, opts, false);
    const r = builder.newRule('json');
    builder.addAlternative(r, [sym ?? builder.regex('NOTHING', { kind: 'never' })]);
    return r;
  };
}
