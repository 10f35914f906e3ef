/**
 * Braid with its caches: compiled IRs by the xxhash of their canonical inputs (an unchanged request
 * returns the same IR without work), and emitted grammars by the canonical form of what the grammar
 * carries (a changed constraint that does not change the grammar — a soft one, a post-check, one of
 * many forbidden names already excluded… — reuses it: incremental recompilation).
 */
import type { Constraint } from '../core/index.ts';
import { canonicalKeySync, loadHasher, LruCache, type CacheStats } from './cache.ts';
import { compileConstraints, type BraidOptions, type BraidResult, type EmittedGrammar, type TargetContext } from './compile.ts';
import type { EmitRequest } from './emit.ts';

export interface BraidStats {
  ir: CacheStats;
  grammars: CacheStats;
}

export interface CachedCompile extends BraidResult {
  cached: boolean;
  key: string;
}

export class Braid {
  private readonly irs: LruCache<BraidResult>;
  private readonly grammars: LruCache<EmittedGrammar>;

  private constructor(capacity: number) {
    this.irs = new LruCache(capacity);
    this.grammars = new LruCache(capacity);
  }

  /** A Braid with caches of `capacity` entries each (the hasher is WebAssembly: loaded once here). */
  static async create(capacity = 64): Promise<Braid> {
    await loadHasher();
    return new Braid(capacity);
  }

  /** Each constraint's hash, by object identity: an incremental request re-hashes only the constraints that are new objects. */
  private readonly constraintKeys = new WeakMap<Constraint, string>();

  /** The cache key of a compile request: the hashes of its constraints, the target, the options. */
  key(constraints: readonly Constraint[], ctx: TargetContext, opts: BraidOptions = {}): string {
    const { emitMemo: _, ...rest } = opts;
    const keys = constraints.map((c) => {
      let k = this.constraintKeys.get(c);
      if (k === undefined) {
        k = canonicalKeySync(c);
        this.constraintKeys.set(c, k);
      }
      return k;
    });
    return canonicalKeySync({ constraints: keys.join(','), ctx, opts: rest });
  }

  /** The cached result for a key (from `key()`), without compiling. */
  lookup(key: string): BraidResult | undefined {
    return this.irs.get(key);
  }

  compile(constraints: readonly Constraint[], ctx: TargetContext, opts: BraidOptions = {}): CachedCompile {
    const key = this.key(constraints, ctx, opts);
    const hit = this.irs.get(key);
    if (hit) return { ...hit, cached: true, key };
    const emitMemo = (req: EmitRequest, make: () => EmittedGrammar): EmittedGrammar => {
      const k = canonicalKeySync({ ...req, naming: [...req.naming], forbiddenNames: [...req.forbiddenNames].sort((a, b) => (a[0] < b[0] ? -1 : 1)) });
      const known = this.grammars.get(k);
      if (known) return known;
      const made = make();
      this.grammars.set(k, made);
      return made;
    };
    const r = compileConstraints(constraints, ctx, { ...opts, emitMemo });
    this.irs.set(key, r);
    return { ...r, cached: false, key };
  }

  stats(): BraidStats {
    return { ir: this.irs.stats(), grammars: this.grammars.stats() };
  }
}
