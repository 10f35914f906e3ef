/**
 * Braid with its caches (docs/braid.md, "Caches and incremental compiles"): compiled IRs by their
 * request (an unchanged request returns the same IR without work); emitted grammars by what the
 * grammar carries (a changed constraint that does not change the grammar — a soft one, a
 * post-check, a priority — reuses it); conflict decisions by group of constraints (conflicts.ts,
 * ConflictMemo: a changed constraint re-decides only its own group); per constraint object, a name
 * for its content and the enforcement entries made for it; per target, its last compile (a request
 * with the same ids in the same order takes over what did not change). Together they make
 * recompiling after a small change cost little more than hashing the changed constraints: incremental
 * recompilation. Constraints are taken as immutable values: each is hashed once per object.
 */
import type { Constraint } from '../core/index.ts';
import { canonicalJson, canonicalKeySync, loadHasher, LruCache, textKeySync, type CacheStats } from './cache.ts';
import { compileConstraints, type BraidOptions, type BraidResult, type CompileMemo, type ConstraintMemo, type EmittedGrammar, type TargetContext } from './compile.ts';
import type { EmitRequest } from './emit.ts';
import type { GroupDecisions } from './conflicts.ts';

export interface BraidStats {
  ir: CacheStats;
  grammars: CacheStats;
  /** Conflict decisions by group of constraints (conflicts.ts, ConflictMemo). */
  decisions: CacheStats;
  /** Compiles that took over the last compile of their target (CompileMemo.session). */
  takenOver: number;
}

export interface CachedCompile extends BraidResult {
  cached: boolean;
  key: string;
}

/** Targets whose last compile is kept (each holds its constraint lists: a few arrays per target). */
const SESSIONS_MAX = 16;

/** The target and the options, as the part of a request key after its constraints (and a session's key). */
function targetKey(ctx: TargetContext, opts: BraidOptions): string {
  const { emitMemo: _e, memo: _m, ...rest } = opts;
  return canonicalJson({ ctx, opts: rest });
}

/** Short names kept before the table starts again (a name costs a few dozen bytes). */
const SHORT_NAMES_MAX = 1 << 16;

export class Braid {
  private readonly irs: LruCache<BraidResult>;
  private readonly grammars: LruCache<EmittedGrammar>;
  /** Conflict decisions by group (conflicts.ts, ConflictMemo): a changed constraint re-decides only its own group. */
  private readonly decisions: LruCache<GroupDecisions>;
  /** Per target and options, the last compile (CompileMemo.session): the next one takes over what did not change. */
  private readonly sessions: LruCache<NonNullable<CompileMemo['session']>>;
  private takenOver = 0;

  private constructor(capacity: number) {
    this.irs = new LruCache(capacity);
    this.grammars = new LruCache(capacity);
    // A request has a group per naming subject and four more: room for the groups of `capacity` requests.
    this.decisions = new LruCache(capacity * 16);
    this.sessions = new LruCache(Math.min(capacity, SESSIONS_MAX));
  }

  /** A Braid with caches of `capacity` entries each (the hasher is WebAssembly: loaded once here). */
  static async create(capacity = 64): Promise<Braid> {
    await loadHasher();
    return new Braid(capacity);
  }

  /**
   * Per constraint object (an incremental request hashes only the constraints that are new
   * objects): a short name for its content, one per distinct xxhash of its canonical form and
   * never reused, so as exact as the hashes and a fraction of their length in the keys that list
   * constraints; and the entries compiles made for it (ConstraintMemo).
   */
  private readonly records = new WeakMap<Constraint, ConstraintMemo>();
  private readonly shortNames = new Map<string, string>();
  private shortCount = 0;

  private record(c: Constraint): ConstraintMemo {
    let r = this.records.get(c);
    if (r === undefined) {
      const hash = canonicalKeySync(c);
      let short = this.shortNames.get(hash);
      if (short === undefined) {
        // When the table is emptied, the names it held are not given again: what was stored under
        // them is just never found again.
        if (this.shortNames.size >= SHORT_NAMES_MAX) this.shortNames.clear();
        short = (this.shortCount++).toString(36);
        this.shortNames.set(hash, short);
      }
      r = { short };
      this.records.set(c, r);
    }
    return r;
  }

  /** The cache key of a compile request (for this Braid's caches): its constraints, the target, the options. */
  key(constraints: readonly Constraint[], ctx: TargetContext, opts: BraidOptions = {}): string {
    return this.requestKey(constraints.map((c) => this.record(c)), targetKey(ctx, opts));
  }

  /** The constraints by their short names, then the target and the options, hashed. */
  private requestKey(records: readonly ConstraintMemo[], target: string): string {
    let text = '';
    for (const r of records) text += `${r.short},`;
    return textKeySync(`${text}\u0000${target}`);
  }

  /** The cached result for a key (from `key()`), without compiling. */
  lookup(key: string): BraidResult | undefined {
    return this.irs.get(key);
  }

  compile(constraints: readonly Constraint[], ctx: TargetContext, opts: BraidOptions = {}): CachedCompile {
    const records = constraints.map((c) => this.record(c));
    const target = targetKey(ctx, opts);
    const key = this.requestKey(records, target);
    const hit = this.irs.get(key);
    if (hit) return { ...hit, cached: true, key };
    const emitMemo = (req: EmitRequest, make: () => EmittedGrammar): EmittedGrammar => {
      // The request as it is, in its order: the order of the forbidden names is the order of the
      // alternation in the grammar and of the provenance.
      const k = textKeySync(JSON.stringify({ ...req, naming: [...req.naming], forbiddenNames: [...req.forbiddenNames] }));
      const known = this.grammars.get(k);
      if (known) return known;
      const made = make();
      this.grammars.set(k, made);
      return made;
    };
    let session = this.sessions.get(target);
    if (!session) this.sessions.set(target, (session = {}));
    const before = session.takenOver ?? 0;
    const r = compileConstraints(constraints, ctx, { ...opts, emitMemo, memo: { constraints: records, decisions: this.decisions, session } });
    this.takenOver += (session.takenOver ?? 0) - before;
    this.irs.set(key, r);
    return { ...r, cached: false, key };
  }

  stats(): BraidStats {
    return { ir: this.irs.stats(), grammars: this.grammars.stats(), decisions: this.decisions.stats(), takenOver: this.takenOver };
  }
}
