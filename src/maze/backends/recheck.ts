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
import { byteTokenizer, compile, parseLark, type CheckResult, type CompiledGrammar } from '../../engine/index.ts';

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

  stats(): CacheStats {
    return this.grammars.stats();
  }
}
