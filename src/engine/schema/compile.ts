import { EngineError } from '../errors.ts';
import { GrammarBuilder } from '../grammar/builder.ts';
import type { Grammar, Sym } from '../grammar/ir.ts';
import { printLark } from '../grammar/print-lark.ts';
import { withLimits } from '../limits.ts';
import { detectDraft } from './draft.ts';
import { Emitter } from './emit.ts';
import type { IgnoredKeyword, JsonSchemaOptions, PostCheckReport, Relaxation } from './options.ts';
import { DEFAULT_BASE, SchemaRegistry } from './registry.ts';
import { Translator } from './translate.ts';
import { validate } from './validate.ts';
import { firstInexactNumber } from './exact-numbers.ts';
import { keyOrder, type KeyOrder } from './key-order.ts';
import { punctuation } from './whitespace.ts';

/**
 * The grammar, the keywords relaxed (lenient mode), the unknown keywords ignored as annotations,
 * and the post-checks (only with `postChecks: true`): constraints the grammar holds as a superset,
 * decided by `postCheck` on the parsed document.
 */
export type JsonSchemaGrammar = Grammar & {
  relaxations: Relaxation[];
  ignored: IgnoredKeyword[];
  postChecks: PostCheckReport[];
  /**
   * Whether a document the grammar accepted (its JSON text) also passes the post-checks; always
   * true when `postChecks` is empty. The whole document is checked against the schema, so a
   * post-check sees which branch of an anyOf a value took. A document with a number no double
   * holds exactly (`1e400`, `9007199254740993`) is refused: the check decides on doubles
   * (exact-numbers.ts).
   */
  postCheck: (text: string) => boolean;
  /**
   * The key order the schema-order grammar writes a (valid, parsed) document in (key-order.ts):
   * to tell a document refused only for its key order from one refused for its content.
   */
  keyOrder: (value: unknown) => KeyOrder | undefined;
};

interface Compiled {
  sym: Sym | null;
  relaxations: Relaxation[];
  ignored: IgnoredKeyword[];
  postChecks: PostCheckReport[];
  postCheck: (text: string) => boolean;
  keyOrder: (value: unknown) => KeyOrder | undefined;
}

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
function compileInto(b: GrammarBuilder, schema: unknown, opts: JsonSchemaOptions, outer: boolean): Compiled {
  const root = schemaValue(schema);
  const draft = detectDraft(root);
  let base = DEFAULT_BASE;
  if (opts.baseUri !== undefined) {
    try {
      base = new URL(opts.baseUri).href;
    } catch {
      throw new EngineError('SCHEMA', `baseUri ${JSON.stringify(opts.baseUri)} is not an absolute URI`);
    }
  }
  const registry = new SchemaRegistry(root, draft, opts.documents, base);
  const tr = new Translator(registry, draft, opts.lenient === true, b.limits, opts.annotations, opts.unknownKeywords !== 'error', opts.postChecks === true, opts.refSiblings ?? 'draft');
  const rootLoc = registry.locate(root, { schema: root, base, pointer: '' });
  const p = punctuation(b, opts);
  const em = new Emitter(b, tr, p, opts.propertyOrder !== 'any' ? 'schema' : opts.portable ? 'portable' : 'engine');
  const rootKey = tr.refTo(rootLoc);
  const v = em.value({ k: 'ref', key: rootKey });
  if (em.trackedKeys.size > 0) {
    const id = (s: Sym): number[] => (s.kind === 'lexeme' ? [s.id] : []);
    b.setOptions({ uniqueKeys: { openObject: id(p.open), closeObject: id(p.close), openArray: id(p.openArray), closeArray: id(p.closeArray), comma: id(p.comma), keys: [...em.trackedKeys] } });
  }
  const postCheck = tr.postChecks.length === 0 ? () => true : (text: string) => firstInexactNumber(text) === undefined && validate(tr.refNode(rootKey), JSON.parse(text) as unknown, tr.resolve);
  // Reported in schema order (by pointer), whichever phase found them (translation or emission).
  const byPointer = <T extends { pointer: string; keyword: string }>(list: T[]): T[] => list.sort((a, b) => (a.pointer < b.pointer ? -1 : a.pointer > b.pointer ? 1 : a.keyword < b.keyword ? -1 : a.keyword > b.keyword ? 1 : 0));
  const order = (value: unknown) => keyOrder(tr.refNode(rootKey), value, tr);
  const out = { relaxations: byPointer(tr.relaxations), ignored: tr.ignored, postChecks: byPointer(tr.postChecks), postCheck, keyOrder: order };
  if (v === null || !outer || p.outer === null) return { sym: v, ...out };
  const ws = b.optional(p.outer);
  return { sym: b.seq('json', [ws, v, ws]), ...out };
}

/**
 * JSON Schema (draft 2020-12, and draft-04/06/07 forms) → Grammar for exactly the JSON texts that
 * are valid instances (see docs/engine-jsonschema.md for keywords, spellings and options).
 * Errors: EngineError('SCHEMA') (a JsonSchemaError with `pointer` and `keyword`) for invalid or
 * unenforceable schemas; EngineError('LIMIT') when a limit is exceeded.
 */
export function compileJsonSchema(schema: unknown, opts: JsonSchemaOptions = {}): JsonSchemaGrammar {
  const b = new GrammarBuilder(withLimits(opts.limits));
  const { sym, relaxations, ignored, postChecks, postCheck, keyOrder: order } = compileInto(b, schema, opts, true);
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
  return { ...g, relaxations, ignored, postChecks, postCheck, keyOrder: order };
}

/** The schema as Lark-dialect text (llguidance, vLLM, SGLang, llama.cpp); relaxations as trailing comments. */
export function jsonSchemaToLark(schema: unknown, opts: JsonSchemaOptions = {}): string {
  const g = compileJsonSchema(schema, { ...opts, portable: true });
  let text = printLark(g);
  for (const r of g.relaxations) text += `// relaxed: ${r.keyword} at ${r.pointer}: ${r.reason.replace(/\n/g, ' ')}\n`;
  for (const k of g.ignored) text += `// ignored: ${k.keyword} at ${k.pointer}: ${k.detail ?? 'not a JSON Schema keyword (an annotation)'}\n`;
  for (const c of g.postChecks) text += `// post-check (not in this grammar): ${c.keyword} at ${c.pointer}: ${c.reason.replace(/\n/g, ' ')}\n`;
  return text;
}

/**
 * The `jsonSchema` option of parseLark: compiles the schema of a `%json { … }` into the host
 * grammar's builder and returns the rule matching it. Strict unless `opts.lenient`.
 */
export function larkJsonHook(opts: JsonSchemaOptions = {}): (schema: unknown, builder: GrammarBuilder) => number {
  return (schema, builder) => {
    // The host grammar's own braces and commas would move a unique_keys state: plain rules only.
    const { sym } = compileInto(builder, schema, { ...opts, portable: true, postChecks: false }, false);
    const r = builder.newRule('json');
    builder.addAlternative(r, [sym ?? builder.regex('NOTHING', { kind: 'never' })]);
    return r;
  };
}
