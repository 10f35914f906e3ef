/**
 * A server's text checked again by Ananke's engine, exactly as the local backend checks its own:
 * the IR grammar reads prefix + text + suffix (the text alone for a typed fim hole). Whatever the
 * server claims to enforce (an older vLLM ignores fields it does not know and answers 200; XGrammar
 * reads GBNF without the lexer's longest match), this is the verdict Maze reports.
 *
 * The check is on bytes, so the grammar is compiled once for the byte vocabulary, whatever model
 * the server runs, and kept in an LRU keyed by the grammar text's hash.
 */
import type { ConstraintIR } from '../../core/index.ts';
import { canonicalKey, LruCache, type CacheStats } from '../../braid/index.ts';
import { byteTokenizer, compile, EngineError, parseLark, type CheckResult, type CompiledGrammar, type Completion } from '../../engine/index.ts';

export interface Recheck {
  result: CheckResult;
  /** Time to compile the grammar (0 on a cache hit). */
  compileMs: number;
  checkMs: number;
}

export class GrammarRecheck {
  private readonly grammars: LruCache<CompiledGrammar>;

  constructor(capacity = 16) {
    this.grammars = new LruCache(capacity);
  }

  async check(ir: ConstraintIR, text: string): Promise<Recheck> {
    const key = await canonicalKey({ grammar: ir.grammar, vocab: 'bytes' });
    let cg = this.grammars.get(key);
    const t0 = performance.now();
    if (!cg) {
      cg = compile(parseLark(ir.grammar), byteTokenizer());
      this.grammars.set(key, cg);
    }
    const t1 = performance.now();
    const whole = ir.rangeOnly === true ? text : `${ir.prefix ?? ''}${text}${ir.suffix ?? ''}`;
    const result = cg.check(whole);
    return { result, compileMs: t1 - t0, checkMs: performance.now() - t1 };
  }

  /**
   * The grammar's shortest completion of a text a server cut off (finish_reason `length`): the
   * matcher reads prefix + text, and the engine's shortest completion (Matcher.shortestCompletion,
   * the same the local backend's budget steering appends) is returned when it is at most
   * `maxBytes`. Null when the text is not a prefix of a sentence (a rejection, reported as such),
   * when no completion is found within the engine's bounds, or when it is longer than `maxBytes`.
   */
  async complete(ir: ConstraintIR, text: string, maxBytes: number): Promise<{ text: string; bytes: number; ms: number } | null> {
    const t0 = performance.now();
    const cg = await this.compiled(ir);
    const m = cg.matcher();
    const rangeOnly = ir.rangeOnly === true;
    const before = rangeOnly ? text : `${ir.prefix ?? ''}${text}`;
    for (const b of new TextEncoder().encode(before)) if (!m.consume(b)) return null;
    const suffix = !rangeOnly && ir.suffix ? ir.suffix : undefined;
    let c: Completion | null;
    try {
      c = m.shortestCompletion({ maxBytes, ...(suffix !== undefined ? { suffix } : {}) });
    } catch (e) {
      // An engine limit met while looking: no completion, as past the search's own bounds.
      if (!(e instanceof EngineError && e.code === 'LIMIT')) throw e;
      c = null;
    }
    if (c === null || c.bytes.length === 0 || c.bytes.length > maxBytes) return null;
    return { text: c.text, bytes: c.bytes.length, ms: performance.now() - t0 };
  }

  private async compiled(ir: ConstraintIR): Promise<CompiledGrammar> {
    const key = await canonicalKey({ grammar: ir.grammar, vocab: 'bytes' });
    let cg = this.grammars.get(key);
    if (!cg) {
      cg = compile(parseLark(ir.grammar), byteTokenizer());
      this.grammars.set(key, cg);
    }
    return cg;
  }

  stats(): CacheStats {
    return this.grammars.stats();
  }
}
