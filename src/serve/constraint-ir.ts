/**
 * A request's constraint as the ConstraintIR that Maze enforces, after the engine has compiled its
 * grammar once under the request limits (REQUEST_ENGINE_LIMITS): a grammar, regex or schema that is
 * malformed, too large, nested too deep, or whose lexer blows up, is a 400 here, before the request
 * holds a model sequence. A grammar that admits no text at all is refused too. Results are kept in
 * an LRU by the constraint's canonical hash, so a client that sends the same schema each time pays
 * for this once.
 */
import { IR_VERSION, type ConstraintIR } from '../core/index.ts';
import { canonicalKey, LruCache } from '../braid/index.ts';
import {
  compileJsonSchema, grammarFromRegex, GrammarBuilder, parseGbnf, parseLark, popCount, prewalkSchema, printLark,
  type Grammar, type Limits, type Tokenizer,
} from '../engine/index.ts';
import { anankeIr } from './ananke-field.ts';
import type { ConstraintSpec } from './constraint-fields.ts';
import { badRequest, toHttpError } from './http-error.ts';
import type { ServeLimits } from './limits.ts';
import type { Maze } from '../maze/index.ts';

/** Free text: any string of characters (the end may come anywhere). */
export const FREE_TEXT_GRAMMAR = 'start: /(?s:.*)/';

export interface RequestConstraint {
  ir: ConstraintIR;
  /** The request field the constraint came from (none for free text). */
  field: string | null;
  /** Milliseconds this request spent compiling it (0 when cached). */
  compileMs: number;
}

/**
 * An IR around a grammar that came as it is. ConstraintIR has no target kind for "a grammar the
 * client wrote"; Maze reads only `grammar` (and `prefix`/`suffix`, absent here), so the target is
 * recorded as a JSON value of the request and the grammar is what counts.
 */
function grammarIr(grammar: string, jsonSchema?: unknown): ConstraintIR {
  return {
    version: IR_VERSION, target: { kind: 'json', schemaFile: '(request)' }, language: 'json', grammar,
    ...(jsonSchema !== undefined ? { jsonSchema } : {}),
    tokenRules: [], softBiases: [], postChecks: [], limits: {}, enforcement: [], conflicts: [], provenance: {}, constraints: [],
  };
}

/** A grammar of exactly these strings. */
function choiceGrammar(choices: readonly string[], limits: Partial<Limits>): Grammar {
  const b = new GrammarBuilder(limits);
  return b.build(b.ruleWith('start', choices.map((c) => (c === '' ? [] : [b.literal(c)]))));
}

export class ConstraintCompiler {
  private readonly cache: LruCache<ConstraintIR>;

  constructor(
    private readonly maze: Maze,
    private readonly tokenizer: Tokenizer,
    private readonly limits: ServeLimits,
    private readonly engineLimits: Partial<Limits>,
    capacity = 64,
  ) {
    this.cache = new LruCache(capacity);
  }

  async compile(spec: ConstraintSpec | undefined): Promise<RequestConstraint> {
    if (spec === undefined) return { ir: grammarIr(FREE_TEXT_GRAMMAR), field: null, compileMs: 0 };
    const key = await canonicalKey({ ...spec, ...(spec.form === 'ananke' ? { value: spec.value.obj } : {}) });
    const hit = this.cache.get(key);
    if (hit) return { ir: hit, field: spec.field, compileMs: 0 };
    const t0 = performance.now();
    let ir: ConstraintIR;
    try {
      ({ ir } = await this.toIr(spec));
    } catch (e) {
      throw toHttpError(e, spec.field);
    }
    await this.check(ir, spec.field);
    this.cache.set(key, ir);
    return { ir, field: spec.field, compileMs: performance.now() - t0 };
  }

  private async toIr(spec: ConstraintSpec): Promise<{ ir: ConstraintIR; grammar: Grammar }> {
    const limits = this.engineLimits;
    switch (spec.form) {
      case 'lark': {
        // Kept as written: Maze parses the same text again.
        const grammar = parseLark(spec.text, { limits, json: { limits } });
        return { ir: grammarIr(spec.text), grammar };
      }
      case 'gbnf': {
        const grammar = parseGbnf(spec.text, { limits });
        return { ir: grammarIr(printLark(grammar)), grammar };
      }
      case 'regex': {
        const grammar = grammarFromRegex(spec.pattern, { limits });
        return { ir: grammarIr(printLark(grammar)), grammar };
      }
      case 'json_schema': {
        // strict (OpenAI's flag): a keyword no JSON Schema vocabulary has is an error, not an annotation.
        const grammar = compileJsonSchema(spec.schema, { limits, unknownKeywords: spec.strict ? 'error' : 'ignore' });
        return { ir: grammarIr(printLark(grammar), spec.schema), grammar };
      }
      case 'choice': {
        const grammar = choiceGrammar(spec.choices, limits);
        return { ir: grammarIr(printLark(grammar)), grammar };
      }
      case 'ananke': {
        const ir = await anankeIr(spec.value, this.limits);
        if (ir.grammar.length > this.limits.maxGrammarChars) throw badRequest(`${spec.field}: the compiled grammar is ${ir.grammar.length} characters, over the limit of ${this.limits.maxGrammarChars}`, spec.field, 'limit_exceeded');
        return { ir, grammar: parseLark(ir.grammar, { limits, json: { limits } }) };
      }
    }
  }

  /**
   * Compiles the IR's grammar for the model's vocabulary under the request limits (Maze's, whose
   * cache generation then takes it from) and computes the first mask. A JSON schema's grammar is
   * prewalked first (a likely document walked through it, ≤ ~2 ms: the output's first masks then
   * find their walks made; docs/engine-optimizations.md §37).
   */
  private async check(ir: ConstraintIR, field: string): Promise<void> {
    try {
      const { cg } = await this.maze.compiled(ir, this.tokenizer);
      if (ir.jsonSchema !== undefined) prewalkSchema(cg, ir.jsonSchema);
      const m = cg.matcher();
      const bits = new Uint32Array(cg.maskWords);
      m.computeMask(bits);
      if (!m.isAccepting() && popCount(bits) === 0) throw badRequest(`${field}: the constraint admits no text at all`, field, 'unsatisfiable');
    } catch (e) {
      throw toHttpError(e, field);
    }
  }
}
