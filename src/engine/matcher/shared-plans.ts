/**
 * Trie walks shared between grammars: one store per tokenizer, for the life of the process.
 *
 * What a walk from a lexer state yields (a plan, mask.ts: the tokens that stay inside the lexeme,
 * and the exits grouped by the lexemes they complete) depends only on the languages of the lexemes
 * alive in that state, whether each is lazy, and where the walk starts in the trie. Every JSON
 * Schema grammar has the same string body, number and punctuation lexemes, and function-calling
 * schemas repeat property names ("name", "location", "unit"), so most lexer states of a new grammar
 * hold terms an earlier grammar's states held. A state is named here by its canonical vector: the
 * canonical ids of its terms (lexer/canonical-terms.ts) with a lazy bit, sorted; position k of the
 * vector is the state's role k, and a plan's exit groups name the lexemes they complete by role, so
 * each grammar maps them back to its own lexeme ids. A state that only spells literals (inside a
 * property name) is named by the bytes its lexemes still spell instead, its roles in alive order.
 * The first mask in a new lexer state then copies a plan an earlier grammar built instead of
 * walking the trie and building the lexer states below.
 *
 * Lexers whose states carry extras (indentation, gap markers, word boundary) share too: their
 * states are named by the vector (each role also saying whether its lexeme is tracked in aux) and
 * then the extras (aux, word bits) and the lexer options that steer them, and their exit groups
 * carry the aux and word end their scan reads. Lexers with lexeme fallback do not share (a fallback
 * point names an earlier state of that lexer), and none shares once an emptiness check of the lexer
 * was answered without proof (TermStore.approximate). The store holds at most the `sharedPlanBytes` budget of the
 * grammar adding to it: past it, plans not used lately are dropped (a grammar that took one
 * keeps it). Over maskbench-dev's 2,035 schemas an unbounded store grows to 178 MB (31k plans), most
 * of it dense plans of string states with length constraints, which recur rarely.
 */
import type { Tokenizer } from '../tokenizer/types.ts';
import { RowInterner } from '../parser/row-intern.ts';

/** Trie node ranges a walk restarts at below an exit group (mask.ts ExitRanges), by content. */
export interface SharedRanges {
  first: Int32Array;
  end: Int32Array;
  parentDepth: Int32Array;
  /** rangesHash of the three (a grammar taking them interns them by it without hashing again). */
  hash: number;
}

export interface SharedGroup {
  /** The roles (positions in the start state's canonical vector) of the lexemes the group completes, ascending. */
  roles: Int32Array;
  /** Its ranges' id in the store. */
  ranges: number;
  /**
   * Lexers with extras (gap markers, indentation, word boundary): the aux the group's scan reads × 2
   * + 1 where the lexeme ended on a word byte (the next start is guarded); 0 for plain lexers.
   */
  extras: number;
}

export interface SharedPlan {
  dense: Uint32Array | null;
  sparse: Int32Array | null;
  groups: SharedGroup[];
}

/** The ranges id of a walk over the whole trie from its root. */
export const ROOT_RANGES = 0;
/** Shared ranges ids stay below this, so that plan keys stay exact as doubles. */
const MAX_RANGES = 1 << 21;
/** Canonical state ids stay below this (plan key = (ranges × 2^31 + state) × 2 + fresh). */
const MAX_STATES = 2 ** 31;
/** Bytes charged per entry on top of its arrays (map slot, objects). */
const ENTRY_OVERHEAD = 96;

export class SharedPlans {
  /** Memory held by plans, ranges and state names, in bytes. */
  bytes = 0;
  /** State vectors and their ids (an exact interner of int vectors; the budget is checked here). */
  private readonly stateIds = new RowInterner(Infinity);
  /** Whether the last stateId call found its vector already there (a grammar named it before). */
  namedBefore = false;
  /**
   * Plans by key, in the order the eviction sweep meets them (put order, then second chances), each
   * with a bit set when it is used (a flag, not a move in the map: hits are frequent).
   */
  private readonly plans = new Map<number, { plan: SharedPlan; bytes: number; used: boolean }>();
  private readonly ranges: SharedRanges[] = [];
  private readonly rangesByHash = new Map<number, number[]>();

  constructor(nodeCount: number) {
    const first = Int32Array.of(1);
    const end = Int32Array.of(nodeCount);
    const parentDepth = new Int32Array(1);
    this.ranges.push({ first, end, parentDepth, hash: rangesHash(first, end, parentDepth) });
  }

  /**
   * The id of the state vector keys[0…n), or -1 past `budget`: a canonical state (mask.ts
   * canonicalState: sorted (canonical term × 2 + lazy) numbers, then for a lexer with extras -2 and
   * the extras) or a state that only spells
   * literals (literalState: -1, then per lexeme the bytes it still needs and its lazy bit; every
   * schema that spells the same property names from the same point takes its walks). Interned by a
   * hash of the numbers: naming a state is on the path of every first visit of a fresh grammar,
   * where building and hashing a string per state cost more.
   */
  stateId(keys: Int32Array, n: number, budget: number): number {
    const known = this.stateIds.intern(keys, n, false);
    this.namedBefore = known >= 0;
    if (known >= 0) return known;
    if (this.bytes >= budget || this.stateIds.size >= MAX_STATES) return -1;
    this.bytes += ENTRY_OVERHEAD + n * 4;
    return this.stateIds.intern(keys, n);
  }

  rangesOf(id: number): SharedRanges {
    return this.ranges[id]!;
  }

  /** The id of ranges with this content, interned; -1 past `budget`. */
  rangesId(first: Int32Array, end: Int32Array, parentDepth: Int32Array, budget: number): number {
    const n = first.length;
    const h = rangesHash(first, end, parentDepth);
    const bucket = this.rangesByHash.get(h);
    if (bucket !== undefined) {
      for (let b = 0; b < bucket.length; b++) if (sameRanges(this.ranges[bucket[b]!]!, first, end, parentDepth)) return bucket[b]!;
    }
    if (this.bytes >= budget || this.ranges.length >= MAX_RANGES) return -1;
    const id = this.ranges.length;
    this.ranges.push({ first, end, parentDepth, hash: h });
    if (bucket !== undefined) bucket.push(id);
    else this.rangesByHash.set(h, [id]);
    this.bytes += ENTRY_OVERHEAD + n * 12;
    return id;
  }

  get(ranges: number, state: number, fresh: boolean): SharedPlan | undefined {
    const e = this.plans.get(planKey(ranges, state, fresh));
    if (e === undefined) return undefined;
    e.used = true;
    return e.plan;
  }

  /**
   * Keeps a plan (its arrays are shared with the grammar that built it: never modified). Past
   * `budget`, plans are dropped in sweep order until this one fits, each plan used since the sweep
   * last met it getting a second chance at the end of the order (the clock algorithm: close to
   * dropping the least recently used, with no sort: sorting 30k plans by use cost 6 ms inside one
   * mask, each time the store filled up).
   */
  put(ranges: number, state: number, fresh: boolean, plan: SharedPlan, budget: number): void {
    const key = planKey(ranges, state, fresh);
    if (this.plans.has(key)) return;
    let bytes = ENTRY_OVERHEAD + (plan.dense?.byteLength ?? 0) + (plan.sparse?.byteLength ?? 0);
    for (const g of plan.groups) bytes += 32 + g.roles.byteLength;
    if (bytes > budget) return;
    for (const [k, e] of this.plans) {
      if (this.bytes + bytes <= budget) break;
      this.plans.delete(k);
      if (e.used) {
        e.used = false;
        this.plans.set(k, e);
      } else this.bytes -= e.bytes;
    }
    if (this.bytes + bytes > budget) return;
    this.plans.set(key, { plan, bytes, used: false });
    this.bytes += bytes;
  }

  get size(): number {
    return this.plans.size;
  }
}

function planKey(ranges: number, state: number, fresh: boolean): number {
  return (ranges * MAX_STATES + state) * 2 + (fresh ? 1 : 0);
}

const stores = new WeakMap<Tokenizer, SharedPlans>();

/** The shared store of a tokenizer (walks are in its trie's node numbers and token ids). */
export function sharedPlans(tok: Tokenizer, nodeCount: number): SharedPlans {
  let s = stores.get(tok);
  if (s === undefined) {
    s = new SharedPlans(nodeCount);
    stores.set(tok, s);
  }
  return s;
}

/**
 * Drops a tokenizer's store: the next grammar starts one afresh. For benchmarks that measure a
 * grammar without the walks earlier grammars of the process left (bench/grammars.ts).
 */
export function resetSharedPlans(tok: Tokenizer): void {
  stores.delete(tok);
}

/** FNV-1a over trie ranges (first, end, parent depth per range): the key their interners bucket by. */
export function rangesHash(first: Int32Array, end: Int32Array, parentDepth: Int32Array): number {
  const n = first.length;
  let h = 0x811c9dc5 ^ n;
  for (let j = 0; j < n; j++) {
    h = Math.imul(h ^ first[j]!, 0x01000193);
    h = Math.imul(h ^ end[j]!, 0x01000193);
    h = Math.imul(h ^ parentDepth[j]!, 0x01000193);
  }
  return h;
}

/** Whether `r` holds exactly these ranges. */
export function sameRanges(r: Omit<SharedRanges, 'hash'>, first: Int32Array, end: Int32Array, parentDepth: Int32Array): boolean {
  // Ranges taken from the store keep its arrays: the same objects are the same ranges.
  if (r.first === first && r.end === end && r.parentDepth === parentDepth) return true;
  const n = first.length;
  if (r.first.length !== n) return false;
  for (let j = 0; j < n; j++) if (r.first[j] !== first[j] || r.end[j] !== end[j] || r.parentDepth[j] !== parentDepth[j]) return false;
  return true;
}
