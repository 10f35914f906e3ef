import type { Regex } from '../regex/ast.ts';
import type { Limits } from '../limits.ts';
import { EngineError } from '../errors.ts';
import { TermStore, NEVER_T, K_CONCAT, K_OR, K_AND, K_NOT, K_REPEAT, type CharDfa, type PlainBound } from './terms.ts';
import { checkRegexSize } from '../regex/size.ts';
import { regexToTerm } from './from-regex.ts';
import { LengthBounds } from './length-bounds.ts';
import { piecesInTokens, type TrieBytes } from './piece-bound.ts';
import { NO_CANONICAL } from './canonical-terms.ts';
import { derivativeClassesOn } from './derivative-classes.ts';
import { grownToHold } from '../typed-array.ts';
import { declaredKeys, keyForm, type DeclaredKeys, type KeyForm } from './declared-keys.ts';

/** Options for features that need more than the derivative vector in a state (GrammarOptions). */
export interface LexerOptions {
  /**
   * Per lexeme id, 1 when the bytes of that lexeme are tracked in the state's `aux`: the column after
   * the last line break (spaces count 1, tabs `tabWidth`) and whether a line break was read. Used by
   * indentation (the newline lexeme's column) and gap markers (whether an ignored lexeme held a
   * line break). States then differ by aux, so the DFA stays exact and plans stay per state.
   */
  tracked?: Uint8Array;
  /**
   * With `tracked`: whether aux counts the column (indentation needs it). Gap markers only ask
   * whether a line break was read; counting columns for them would split every run of spaces into
   * one state per length, each with its own plans (docs/engine-optimizations.md §14). Default true.
   */
  columns?: boolean;
  tabWidth?: number;
  /** Lexeme fallback: each state remembers the last complete prefix and up to FALLBACK_MAX_TAIL bytes since. */
  fallback?: boolean;
  /**
   * Word boundary (GrammarOptions.wordBoundary): `end[b]` is 1 for word bytes (accepting states
   * record whether the last byte read was one: endsWord), `start[b]` for the bytes that may not start
   * a lexeme right after such a state (word bytes and the extra starters: transitions of the
   * guarded start states, `guarded`, are dead on them).
   */
  word?: { end: Uint8Array; start: Uint8Array };
}

/**
 * Counted repetitions below this maximum get no per-vocabulary piece bound (notePieceBounds): the
 * states they add are few, and each bound is a pass over the token trie.
 */
const COUNTED_MIN = 8;
/**
 * New piece counts one lexer may take (each a pass over the token trie, 5–40 ms): past it, the
 * other counters keep the depth bound of §20 (exact, fewer walks shared). MaskBench's dev set needs
 * at most 2 per grammar; a grammar with hundreds of counters (a request to `ananke serve`) must not
 * turn its compile into hundreds of trie passes.
 */
const MAX_PIECE_COUNTS = 8;

/** Lexer options that steer state extras, by name (Lexer.optionsId). */
const optionsIds = new Map<string, number>();

/** State extras bit: the state accepts and the last byte read is a word byte (LexerOptions.word). */
const X_WORD_END = 1;
/** State extras bit: a guarded start state (no word byte may start the lexeme). */
const X_GUARD = 2;

/** aux bit: a line break was read in the tracked lexeme. */
export const AUX_NEWLINE = 1 << 20;
/** aux & AUX_COLUMN: the column after the last line break (AUX_COLUMN_OVERFLOW past MAX_COLUMN). */
export const AUX_COLUMN = (1 << 20) - 1;
/**
 * Columns above this are not told apart (one state per column: 1,000 columns is far more than any
 * real indentation, and bounds the states a pathological line of spaces can build).
 */
export const MAX_COLUMN = 1000;
export const AUX_COLUMN_OVERFLOW = MAX_COLUMN + 1;
/**
 * Lexeme fallback remembers at most this many bytes after the last complete prefix: enough for `..`
 * after `.` (1), `0..` after `0` (1), `a->` style pairs; each remembered byte multiplies the states
 * that follow a complete prefix, so the bound keeps the DFA small.
 */
export const FALLBACK_MAX_TAIL = 3;

/**
 * The lexer of a compiled grammar: one lazily built DFA over bytes, shared by all lexemes.
 *
 * Each lexeme is compiled to a hash-consed byte-level regex term (see terms.ts). A DFA state is the
 * interned vector of (lexeme id, derivative term) for the lexemes still alive after the bytes read
 * since the lexeme boundary; state 0 is the dead state (no lexeme alive). Transitions are computed
 * on first use (Brzozowski derivatives) and cached in `transitions`, so the matcher's hot loop is a
 * single typed-array read: `let t = lx.transitions[s * lx.classCount + lx.byteClass[b]]; if (t < 0)
 * t = lx.computeNext(s, b);`.
 *
 * Intersection (`and`) and complement (`not`) are exact. Complement is over byte strings: `~R`
 * matches every byte string R does not match as a whole, including invalid UTF-8; intersect it with
 * `(?s:.*)` to stay within valid UTF-8 (docs/engine-grammars.md).
 *
 * Bytes are grouped into equivalence classes (bytes no lexeme can tell apart): one derivative per
 * class, and the table holds one entry per (state, class), not per (state, byte). A JSON Schema
 * grammar has ~50 classes, so its table is a fifth of a 256-wide one, and so is the copy when the
 * table doubles (a 16k-state lexer's doubling took 5 ms inside one mask).
 */
export class Lexer {
  /** State id 0 is the dead state: every transition from it leads back to it. */
  static readonly DEAD = 0;

  /**
   * transitions[state * classCount + byteClass[byte]]: the next state, or -1 when not computed yet.
   * Re-read this field after computeNext / next / startState (it may be reallocated as states are
   * added).
   */
  transitions: Int32Array;
  /** byte → byte class (bytes of one class have the same transitions from every state). */
  readonly byteClass: Uint8Array;
  /** Number of byte classes: the width of a state's row in `transitions`. */
  readonly classCount: number;

  private readonly store: TermStore;
  private readonly limits: Limits;
  private readonly lexemeTerms: Int32Array;
  /** classBytes[c] lists the bytes of class c. */
  private readonly classBytes: Uint8Array[];

  // Per state (index = state id).
  private stateLex: Int32Array[] = [];
  private stateTerm: Int32Array[] = [];
  private stateAccepting: Int32Array[] = [];
  private acceptFlag: Uint8Array;
  /** -2: not computed yet; -1: zero or several bytes extend; else the single byte. */
  private forced: Int32Array;
  /** -1: not computed yet; 0/1. */
  private extendable: Int8Array;
  private capacity: number;
  private count = 0;
  /** Hash of a state's (lexeme, term) vector → state ids with that hash. */
  private readonly stateIds = new Map<number, number | number[]>();
  private scratchLex = new Int32Array(16);
  private scratchTerm = new Int32Array(16);
  /** Per state: 1 once its dead bytes were marked (prime). */
  private primed: Uint8Array;
  /** Per state: its derivative classes' partition (statePartition), -1 until computed; plain lexers only. */
  private statePart = new Int32Array(0);
  /** Per state: transitions derived so far, up to 2 (computeNext). */
  private stateDerived = new Uint8Array(0);
  private readonly liveScratch = new Uint32Array(8);

  // Optional per-state extras (LexerOptions); all zero / -1 when the features are off.
  private readonly tracked: Uint8Array | null;
  private readonly tabWidth: number;
  private readonly columns: boolean;
  private readonly fallbackOn: boolean;
  private stateAux: Int32Array;
  /** The last complete prefix's state (fallback point), or -1. */
  private stateFbAcc: Int32Array;
  /** Bytes read since the fallback point: length in bits 24–25, byte k in bits 8k…8k+7. */
  private stateFbTail: Int32Array;
  /** 1 for states returned by startState (never a fallback point: lexemes are not empty). */
  private startFlag: Uint8Array;
  /** Word boundary (LexerOptions.word), null when off. */
  private readonly wordEnd: Uint8Array | null;
  private readonly wordBan: Uint8Array | null;
  /** Per state: X_WORD_END, X_GUARD (all 0 without word boundary). */
  private stateX: Uint8Array;
  /** Per start state: its guarded state (DEAD when no allowed byte is left), -1 not computed yet. */
  private guardOf: Int32Array;

  // startState cache: hash of the id list → entries (ids, state) to verify against.
  private readonly startCache = new Map<number, Array<{ ids: Int32Array; state: number }>>();

  private static readonly EMPTY_IDS = new Int32Array(0);

  /**
   * Compile the lexemes (index = lexeme id). Throws EngineError('LIMIT') when a lexeme exceeds
   * limits.maxRegexSize (counting counted repetition as expanded, without expanding it).
   */
  constructor(lexemes: readonly Regex[], limits: Limits, options: LexerOptions = {}) {
    this.limits = limits;
    this.tracked = options.tracked ?? null;
    this.tabWidth = options.tabWidth ?? 8;
    this.columns = options.columns ?? true;
    this.fallbackOn = options.fallback === true;
    this.wordEnd = options.word?.end ?? null;
    this.wordBan = options.word?.start ?? null;
    this.store = new TermStore(limits);
    const terms = new Int32Array(lexemes.length);
    // Memos for every lexeme: a subtree they share (a schema's string classes) is measured and
    // converted once.
    const sizes = new Map<Regex, number>();
    const converted = new Map<Regex, number>();
    for (let i = 0; i < lexemes.length; i++) {
      checkRegexSize(lexemes[i]!, limits.maxRegexSize, `lexeme #${i}`, sizes);
      terms[i] = regexToTerm(this.store, lexemes[i]!, converted);
    }
    this.lexemeTerms = terms;
    let { byteClass, classBytes } = this.store.byteClasses();
    // aux steps by \n (and, counting columns, space and tab): each must be its own class (finer classes are always sound).
    if (this.tracked !== null) ({ byteClass, classBytes } = isolateBytes(byteClass, classBytes, this.columns ? [0x0a, 0x20, 0x09] : [0x0a]));
    // Word boundary: word bytes, the other banned starters and the rest never share a class.
    if (this.wordEnd !== null) {
      const kind = new Uint8Array(256);
      for (let b = 0; b < 256; b++) kind[b] = this.wordEnd[b]! | (this.wordBan![b]! << 1);
      ({ byteClass, classBytes } = splitClasses(byteClass, classBytes, kind));
    }
    this.byteClass = byteClass;
    this.classBytes = classBytes;
    this.classCount = classBytes.length;
    this.store.setByteClasses(byteClass, classBytes.map((b) => b[0]!));

    this.capacity = 64;
    this.transitions = new Int32Array(this.capacity * this.classCount).fill(-1);
    this.acceptFlag = new Uint8Array(this.capacity);
    this.forced = new Int32Array(this.capacity).fill(-2);
    this.extendable = new Int8Array(this.capacity).fill(-1);
    this.stateAux = new Int32Array(this.capacity);
    this.stateFbAcc = new Int32Array(this.capacity).fill(-1);
    this.stateFbTail = new Int32Array(this.capacity);
    this.startFlag = new Uint8Array(this.capacity);
    this.stateX = new Uint8Array(this.capacity);
    this.guardOf = new Int32Array(this.capacity).fill(-1);
    this.primed = new Uint8Array(this.capacity);
    // The dead state: empty vector, loops to itself.
    this.intern(Lexer.EMPTY_IDS, Lexer.EMPTY_IDS, 0);
    this.transitions.fill(0, 0, this.classCount);
  }

  /** Number of lexemes this lexer was built for. */
  get lexemeCount(): number {
    return this.lexemeTerms.length;
  }

  /** Number of DFA states built so far (including the dead state). */
  get stateCount(): number {
    return this.count;
  }

  /** Derivatives its term store has computed so far (derivative-classes.ts): for tests. */
  get derivativesComputed(): number {
    return this.store.derivativesComputed;
  }

  /** Number of byte equivalence classes (bytes no lexeme distinguishes share a class). */
  get byteClassCount(): number {
    return this.classCount;
  }

  /** The byte class of b: bytes of one class have the same transitions from every state. */
  byteClassOf(b: number): number {
    return this.byteClass[b]!;
  }

  /** Cached lookup, computing the transition on a miss. */
  next(state: number, byte: number): number {
    const t = this.transitions[state * this.classCount + this.byteClass[byte]!]!;
    return t >= 0 ? t : this.computeNext(state, byte);
  }

  /**
   * Compute the transition of the byte's class, store it in `transitions`, and return the next
   * state. Throws EngineError('LIMIT') past maxLexerStates.
   */
  computeNext(state: number, byte: number): number {
    const cls = this.byteClass[byte]!;
    const at = state * this.classCount + cls;
    const cached = this.transitions[at]!;
    if (cached >= 0) return cached;
    if (this.primed[state] === 0) {
      this.prime(state);
      const t = this.transitions[at]!;
      if (t >= 0) return t;
    }
    if (this.wordBan !== null && (this.stateX[state]! & X_GUARD) !== 0 && this.wordBan[byte] === 1) {
      // A guarded start state: this byte may not start a lexeme right after a word (its class
      // holds only such bytes: splitClasses).
      this.transitions[at] = Lexer.DEAD;
      return Lexer.DEAD;
    }
    if (derivativeClassesOn && this.tracked === null && !this.fallbackOn && this.wordEnd === null) {
      // A class the state's terms do not tell from a smaller one leads where that one does; from
      // the third transition derived (literal states derive one or two).
      this.stateDerived = grownToHold(this.stateDerived, state);
      if (this.stateDerived[state]! < 2) this.stateDerived[state]++;
      else {
        const rep = this.store.derivativeClasses!.rep(this.statePartition(state), cls);
        if (rep !== cls) {
          const target = this.computeNext(state, this.classBytes[rep]![0]!);
          this.transitions[at] = target;
          return target;
        }
      }
    }
    const lex = this.stateLex[state]!;
    const terms = this.stateTerm[state]!;
    const n = lex.length;
    if (this.scratchLex.length < n) {
      this.scratchLex = new Int32Array(n * 2);
      this.scratchTerm = new Int32Array(n * 2);
    }
    const outLex = this.scratchLex;
    const outTerm = this.scratchTerm;
    const store = this.store;
    let m = 0;
    for (let i = 0; i < n; i++) {
      const d = store.derive(terms[i]!, cls);
      if (d !== NEVER_T && !store.isEmptyLanguage(d)) {
        outLex[m] = lex[i]!;
        outTerm[m] = d;
        m++;
      }
    }
    let target: number;
    if (m === 0) target = Lexer.DEAD;
    else if (this.tracked === null && !this.fallbackOn && this.wordEnd === null) target = this.intern(outLex, outTerm, m);
    else target = this.internExtended(state, this.classBytes[cls]![0]!, outLex, outTerm, m);
    // intern may have reallocated the table.
    this.transitions[at] = target;
    return target;
  }

  /** The derivative classes' partition of a state: the common refinement of its terms' (derivative-classes.ts). */
  private statePartition(state: number): number {
    if (state < this.statePart.length && this.statePart[state]! >= 0) return this.statePart[state]!;
    const dc = this.store.derivativeClasses!;
    const terms = this.stateTerm[state]!;
    let p = 0;
    for (let i = 0; i < terms.length; i++) p = dc.refine(p, this.store.partitionOf(terms[i]!));
    this.statePart = grownToHold(this.statePart, state, -1);
    this.statePart[state] = p;
    return p;
  }

  /**
   * Marks dead, in one pass, every byte no alive lexeme of `state` can start with
   * (TermStore.firstBytes), before the first transition of the state is derived: inside a literal
   * one byte class lives out of dozens, and a trie walk reads most of them.
   */
  private prime(state: number): void {
    this.primed[state] = 1;
    const live = this.liveScratch;
    live.fill(0);
    this.liveBytes(state, live);
    const tr = this.transitions;
    const base = state * this.classCount;
    // Bytes of one class are live or dead together: its first byte decides.
    for (let c = 0; c < this.classCount; c++) {
      const b = this.classBytes[c]![0]!;
      if (((live[b >>> 5]! >>> (b & 31)) & 1) === 0 && tr[base + c]! < 0) tr[base + c] = Lexer.DEAD;
    }
  }

  /**
   * ORs into `out` (8 words) every byte that may lead from `state` to a live state: exactly the
   * bytes whose transition is not dead when no alive lexeme uses intersection or complement, a
   * superset otherwise (TermStore.firstBytes). Builds no state.
   */
  liveBytes(state: number, out: Uint32Array): void {
    const terms = this.stateTerm[state]!;
    for (let i = 0; i < terms.length; i++) this.store.firstBytes(terms[i]!, out);
  }

  /**
   * A state that answers like `state` for every byte string of at most `depth` bytes (which lexemes
   * are alive and which accept after it), with each length bound of a pattern's intersection
   * dropped where that is exact (LengthBounds.widened): a walk from every position of a `maxLength`
   * string with a pattern then starts from a state of the pattern alone, without emptiness checks
   * and shared with the other positions. `state` itself when nothing widens, and for states with
   * extras (aux, fallback point, word boundary), which carry more than terms.
   */
  widened(state: number, depth: number, pieces: ReadonlyMap<number, number> | null = null): number {
    if (this.widenedDepth === depth && this.widenedPieces === pieces && state < this.widenedOf.length && this.widenedOf[state]! >= 0) return this.widenedOf[state]!;
    if (this.tracked !== null || this.fallbackOn || this.wordEnd !== null) return state;
    if (this.widenedDepth !== depth || this.widenedPieces !== pieces) {
      this.widenedDepth = depth;
      this.widenedPieces = pieces;
      this.widenedOf = new Int32Array(0);
    }
    let w = state;
    if (this.hasAndNot(state)) {
      this.lengthBounds ??= new LengthBounds(this.store);
      w = this.widenedWith(this.lengthBounds, state, depth, pieces);
    }
    // intern may have added states: grow after it.
    this.widenedOf = grownToHold(this.widenedOf, Math.max(state, w), -1);
    this.widenedOf[state] = w;
    return w;
  }

  /**
   * `widened` for walks that read at most `depth` bytes with depth below the trie's (split walks,
   * MaskWalker.splitPlan): the same answer, computed with a LengthBounds of its own and not cached
   * here, so that trying several depths for one state leaves `widened`'s cache alone.
   */
  widenedShort(state: number, depth: number, pieces: ReadonlyMap<number, number> | null = null): number {
    if (this.tracked !== null || this.fallbackOn || this.wordEnd !== null || !this.hasAndNot(state)) return state;
    const bounds = (this.shortBounds ??= new LengthBounds(this.store));
    if (!this.stateTerm[state]!.some((t) => bounds.hasCounter(t))) return state;
    return this.widenedWith(bounds, state, depth, pieces);
  }

  /** The state with each alive lexeme's term widened by `bounds` (interned), or `state` itself when none changes. */
  private widenedWith(bounds: LengthBounds, state: number, depth: number, pieces: ReadonlyMap<number, number> | null): number {
    const lex = this.stateLex[state]!;
    const terms = this.stateTerm[state]!;
    const wide = terms.map((t) => bounds.widened(t, depth, pieces));
    return wide.every((t, i) => t === terms[i]) ? state : this.intern(lex, wide, lex.length);
  }

  /**
   * Adds to `bounds` (piece-bound.ts: canonical id of r → p, the most pieces of r one walk of
   * `trie` reads, counting one for the byte after the token; -c when only known to be at least c)
   * every r of a counted repetition r{m,n}, COUNTED_MIN ≤ n ≤ the trie's depth, reached from `term`
   * (below intersections and complements too: a length bound dropped for walks uncovers them), with
   * r free of intersection and complement. A count stops at the largest n met (a bound that large
   * widens nothing). Call before naming `term` widened with these bounds: a bound added later would
   * not reach ids already named.
   */
  notePieceBounds(term: number, trie: TrieBytes, bounds: Map<number, number>): void {
    const s = this.store;
    if (this.scannedFor !== trie) {
      this.scannedFor = trie;
      this.pieceScanned = new Uint8Array(0);
    }
    const stack = [term];
    while (stack.length > 0) {
      const t = stack.pop()!;
      this.pieceScanned = grownToHold(this.pieceScanned, t);
      if (this.pieceScanned[t] === 1) continue;
      this.pieceScanned[t] = 1;
      const k = s.kindOf(t);
      if (k === K_CONCAT) stack.push(s.first(t), s.second(t));
      else if (k === K_OR || k === K_AND) for (const x of s.items(t)) stack.push(x);
      else if (k === K_NOT) stack.push(s.first(t));
      else if (k === K_REPEAT) {
        const item = s.first(t);
        const max = s.third(t);
        if (max >= COUNTED_MIN && max <= trie.maxDepth && !s.hasAndNot(item)) {
          const c = s.canonical(item);
          const known = bounds.get(c);
          // Unknown, or known only to be at least a smaller count than this one.
          if (c !== NO_CANONICAL && (known === undefined || (known < 0 && -known < max)) && this.pieceCountsLeft > 0) {
            this.pieceCountsLeft--;
            const p = piecesInTokens(s, this.byteClass, item, trie, max) + 1;
            bounds.set(c, p > max ? -max : p);
          }
        }
        stack.push(item);
      }
    }
  }

  /** notePieceBounds for every lexeme's term: done when a grammar is compiled, not in a mask. */
  notePieceBoundsOfLexemes(trie: TrieBytes, bounds: Map<number, number>): void {
    for (const t of this.lexemeTerms) this.notePieceBounds(t, trie, bounds);
  }

  /** New piece counts this lexer may still take (MAX_PIECE_COUNTS). */
  private pieceCountsLeft = MAX_PIECE_COUNTS;
  private scannedFor: TrieBytes | null = null;
  /** Per term: 1 once notePieceBounds went through it for scannedFor. */
  private pieceScanned = new Uint8Array(0);
  private lengthBounds: LengthBounds | null = null;
  /** widenedShort's own (its depths vary from call to call; LengthBounds keeps one depth's memo). */
  private shortBounds: LengthBounds | null = null;
  private widenedDepth = -1;
  private widenedPieces: ReadonlyMap<number, number> | null = null;
  /** Per state: widened(state, widenedDepth, widenedPieces), -1 unknown. */
  private widenedOf = new Int32Array(0);

  /** Whether some alive lexeme of `state` uses intersection or complement. */
  hasAndNot(state: number): boolean {
    const terms = this.stateTerm[state]!;
    for (let i = 0; i < terms.length; i++) if (this.store.hasAndNot(terms[i]!)) return true;
    return false;
  }

  /**
   * Whether some lexeme of `state` has a term that stays alive and extendable after every prefix of
   * a string of `chars`' characters (TermStore.endless). Builds no state.
   */
  hasEndlessLexeme(state: number, chars: CharDfa): boolean {
    const terms = this.stateTerm[state]!;
    for (let i = 0; i < terms.length; i++) if (this.store.endless(terms[i]!, chars)) return true;
    return false;
  }

  /**
   * With one lexeme alive, TermStore.plainBound of its term: the characters that still fit before
   * a length bound that the next one exceeds; null when not proven (or several lexemes are alive).
   */
  plainBound(state: number, chars: CharDfa): PlainBound | null {
    const terms = this.stateTerm[state]!;
    return terms.length === 1 ? this.store.plainBound(terms[0]!, chars) : null;
  }

  /**
   * Start state at a lexeme boundary where only the `allowed` lexemes (sorted ids, no duplicates)
   * may start. Cached per set; the lookup hashes the ids and allocates nothing on a hit.
   */
  startState(allowed: readonly number[] | Int32Array): number {
    let h = 0x811c9dc5 | 0;
    const n = allowed.length;
    for (let i = 0; i < n; i++) h = Math.imul(h ^ (allowed[i]! + 1), 0x01000193);
    h = Math.imul(h ^ n, 0x01000193);
    let bucket = this.startCache.get(h);
    if (bucket !== undefined) {
      for (let j = 0; j < bucket.length; j++) {
        const e = bucket[j]!;
        if (e.ids.length !== n) continue;
        let same = true;
        for (let i = 0; i < n; i++) {
          if (e.ids[i] !== allowed[i]) {
            same = false;
            break;
          }
        }
        if (same) return e.state;
      }
    } else {
      bucket = [];
      this.startCache.set(h, bucket);
    }
    if (this.scratchLex.length < n) {
      this.scratchLex = new Int32Array(n * 2);
      this.scratchTerm = new Int32Array(n * 2);
    }
    const lex = this.scratchLex;
    const terms = this.scratchTerm;
    let m = 0;
    let prev = -1;
    for (let i = 0; i < n; i++) {
      const id = allowed[i]!;
      if (!(id >= 0 && id < this.lexemeTerms.length) || !Number.isInteger(id)) {
        throw new EngineError('STATE', `startState: lexeme id ${id} is out of range (0..${this.lexemeTerms.length - 1})`);
      }
      if (id <= prev) throw new EngineError('STATE', 'startState: lexeme ids must be sorted and distinct');
      prev = id;
      const t = this.lexemeTerms[id]!;
      if (t !== NEVER_T && !this.store.isEmptyLanguage(t)) {
        lex[m] = id;
        terms[m] = t;
        m++;
      }
    }
    const state = m === 0 ? Lexer.DEAD : this.intern(lex, terms, m);
    this.startFlag[state] = 1;
    bucket.push({ ids: Int32Array.from(allowed), state });
    return state;
  }

  /**
   * Word boundary: the state that reads like start state `start` except that no byte of
   * LexerOptions.word.start may come first (where the lexeme before ended with a word byte), or
   * DEAD when no other byte can start a lexeme there. Cached per start state.
   */
  guarded(start: number): number {
    if (start === Lexer.DEAD) return Lexer.DEAD;
    const known = this.guardOf[start]!;
    if (known >= 0) return known;
    const lex = this.stateLex[start]!;
    let g = this.intern(lex, this.stateTerm[start]!, lex.length, this.stateAux[start]!, -1, 0, X_GUARD);
    this.startFlag[g] = 1;
    if (!this.canExtend(g)) g = Lexer.DEAD;
    this.guardOf[start] = g;
    return g;
  }

  /** Word boundary: the state accepts and the last byte read is a word byte. */
  endsWord(state: number): boolean {
    return (this.stateX[state]! & X_WORD_END) !== 0;
  }

  /** True when at least one lexeme matches exactly the bytes read so far. */
  isAcceptingState(state: number): boolean {
    return this.acceptFlag[state] === 1;
  }

  /**
   * Sorted ids of the lexemes that match exactly the bytes read so far (empty if none). Cached per
   * state: repeat calls return the same array, so do not modify it.
   */
  accepting(state: number): Int32Array {
    return this.stateAccepting[state]!;
  }

  /** Sorted ids of the lexemes still possible (some continuation completes them). Do not modify. */
  alive(state: number): Int32Array {
    return this.stateLex[state]!;
  }

  /** The derivative term of each lexeme of alive(state), in the same order. Do not modify. */
  aliveTerms(state: number): Int32Array {
    return this.stateTerm[state]!;
  }

  /**
   * Whether a state is fully described by its (lexeme, term) vector, so that what a walk from it
   * yields can be shared with another grammar's state holding the same terms
   * (canonical-terms.ts): no extras (aux, fallback point, word boundary), and no emptiness check
   * answered without proof so far.
   */
  get shareable(): boolean {
    return this.tracked === null && !this.fallbackOn && this.wordEnd === null && !this.store.approximate;
  }

  /**
   * Whether what a walk from a state yields is a function of its (lexeme, term) vector, which
   * lexemes of it are tracked (`tracks`), its extras (`aux`, `extras`) and the options that steer
   * them (`optionsId`): true without lexeme fallback (a fallback point names an earlier state of
   * this lexer) while no emptiness check was answered without proof. Gap markers, indentation and
   * word boundary then share walks too, named with their extras (mask.ts canonicalState).
   */
  get shareableWithExtras(): boolean {
    return !this.fallbackOn && !this.store.approximate;
  }

  /** Whether lexeme `l`'s bytes are tracked in aux (LexerOptions.tracked). */
  tracks(l: number): boolean {
    return this.tracked !== null && this.tracked[l] === 1;
  }

  /** A state's word-boundary bits (X_WORD_END, X_GUARD; 0 without word boundary). */
  extras(state: number): number {
    return this.stateX[state]!;
  }

  /**
   * The options that change how extras evolve (counting columns, tab width, word bytes, banned
   * starters), as a process-wide number: equal for lexers built with the same options.
   */
  get optionsId(): number {
    if (this.optionsIdCache < 0) {
      const bytes = (b: Uint8Array | null): string => (b === null ? '-' : Array.from(b).join(''));
      const name = `${this.tracked === null ? '-' : this.columns ? `c${this.tabWidth}` : 'n'}|${bytes(this.wordEnd)}|${bytes(this.wordBan)}`;
      let id = optionsIds.get(name);
      if (id === undefined) optionsIds.set(name, (id = optionsIds.size));
      this.optionsIdCache = id;
    }
    return this.optionsIdCache;
  }
  private optionsIdCache = -1;

  /**
   * When every lexeme alive in `state` has exactly one way to go on, spelled byte by byte (inside a
   * property name or an enum value, after its first distinguishing bytes), the bytes each still
   * needs (in alive(state) order; TermStore.literalBytes: past `max` bytes a list ends with -1),
   * else null. Builds no state.
   */
  literalsOf(state: number, max: number): number[][] | null {
    const terms = this.stateTerm[state]!;
    if (terms.length === 0) return null;
    const out: number[][] = [];
    for (let i = 0; i < terms.length; i++) {
      const w = this.store.literalBytes(terms[i]!, max);
      if (w === null) return null;
      out.push(w);
    }
    return out;
  }

  /**
   * When `state` is a key position beside declared names whose walk is a free key's with a few
   * exits moved (declared-keys.ts), that shape; else null. Builds no state.
   */
  declaredKeys(state: number): DeclaredKeys | null {
    return declaredKeys(this.store, this.stateTerm[state]!, this.formOf);
  }

  /** declared-keys.ts keyForm per term: the key term recurs at every key position of its object. */
  private readonly keyForms = new Map<number, KeyForm | null>();
  private readonly formOf = (t: number): KeyForm | null => {
    let f = this.keyForms.get(t);
    if (f === undefined) this.keyForms.set(t, (f = keyForm(this.store, t, this.byteClass)));
    return f;
  };

  /**
   * The state holding one lexeme at the given term (a term of this lexer's store), created if new:
   * the free key a key position's plan is derived from (declared-keys.ts), whose plan comes from the
   * shared store or a walk like any state's. Plain lexers only (no extras).
   */
  stateOf(lexeme: number, term: number): number {
    return this.intern(Int32Array.of(lexeme), Int32Array.of(term), 1);
  }

  /** The process-wide canonical id of a term of this lexer (canonical-terms.ts), or NO_CANONICAL. */
  canonicalTerm(term: number): number {
    return this.store.canonical(term);
  }

  /** True when some byte leads to a non-dead state. */
  canExtend(state: number): boolean {
    let e = this.extendable[state]!;
    if (e < 0 && (this.stateX[state]! & X_GUARD) !== 0) {
      // A guarded start state: only the bytes it allows count.
      this.computeForced(state);
      e = this.extendable[state]!;
    }
    if (e < 0) {
      // Decided on the terms, without building successor states.
      const terms = this.stateTerm[state]!;
      e = 0;
      for (let i = 0; i < terms.length && e === 0; i++) if (this.store.canExtend(terms[i]!)) e = 1;
      this.extendable[state] = e;
    }
    return e === 1;
  }

  /**
   * The only byte that leads to a non-dead state, or -1 when zero or several do (used for forced
   * token fast-forward).
   */
  forcedByte(state: number): number {
    if (this.forced[state] === -2) this.computeForced(state);
    return this.forced[state]!;
  }

  /**
   * True when `lexeme` is alive in `state` and some non-empty continuation still completes it
   * (for lazy lexemes: an accepting lexeme that cannot extend must end here).
   */
  lexemeCanExtend(state: number, lexeme: number): boolean {
    const lex = this.stateLex[state]!;
    for (let i = 0; i < lex.length; i++) if (lex[i] === lexeme) return this.store.canExtend(this.stateTerm[state]![i]!);
    return false;
  }

  /** The state's aux (LexerOptions.tracked): column after the last line break, AUX_NEWLINE. */
  aux(state: number): number {
    return this.stateAux[state]!;
  }

  /** The fallback point of a state (the last complete prefix's state), or -1 (LexerOptions.fallback). */
  fallbackAccept(state: number): number {
    return this.stateFbAcc[state]!;
  }

  /** Number of bytes read since the fallback point. */
  fallbackTailLength(state: number): number {
    return (this.stateFbTail[state]! >>> 24) & 3;
  }

  /** Byte k (0-based) read since the fallback point (a representative of its byte class). */
  fallbackTailByte(state: number, k: number): number {
    return (this.stateFbTail[state]! >>> (8 * k)) & 0xff;
  }

  /** Whole-string check of one lexeme (for tests and validation). */
  matchesLexeme(lexeme: number, bytes: Uint8Array): boolean {
    let s = this.startState([lexeme]);
    for (let i = 0; i < bytes.length && s !== Lexer.DEAD; i++) {
      s = this.next(s, bytes[i]!);
    }
    return this.acceptFlag[s] === 1;
  }

  /** Decided on the terms (memoised derivatives), without building successor states. */
  private computeForced(state: number): void {
    const terms = this.stateTerm[state]!;
    const store = this.store;
    let liveClasses = 0;
    let lastClass = -1;
    const ban = (this.stateX[state]! & X_GUARD) !== 0 ? this.wordBan : null;
    for (let c = 0; c < this.classCount && liveClasses < 2; c++) {
      if (ban !== null && ban[this.classBytes[c]![0]!] === 1) continue;
      for (let i = 0; i < terms.length; i++) {
        const d = store.derive(terms[i]!, c);
        if (d !== NEVER_T && !store.isEmptyLanguage(d)) {
          liveClasses++;
          lastClass = c;
          break;
        }
      }
    }
    const bytes = lastClass >= 0 ? this.classBytes[lastClass]! : null;
    this.forced[state] = liveClasses === 1 && bytes!.length === 1 ? bytes![0]! : -1;
    if (this.extendable[state]! < 0) this.extendable[state] = liveClasses > 0 ? 1 : 0;
  }

  /**
   * The target of a transition from `from` by `byte` when states carry extras: aux (tracked lexemes
   * alive) and the fallback point and tail (the target does not accept).
   */
  private internExtended(from: number, byte: number, lexIn: Int32Array, termsIn: Int32Array, n: number): number {
    let aux = 0;
    const tracked = this.tracked;
    if (tracked !== null) {
      let any = false;
      for (let i = 0; i < n && !any; i++) if (tracked[lexIn[i]!] === 1) any = true;
      if (any) aux = this.auxStep(this.stateAux[from]!, byte);
    }
    let fbAcc = -1;
    let fbTail = 0;
    if (this.fallbackOn) {
      let accepts = false;
      for (let i = 0; i < n && !accepts; i++) if (this.store.nullable(termsIn[i]!)) accepts = true;
      if (!accepts) {
        if (this.acceptFlag[from] === 1 && this.startFlag[from] === 0) {
          fbAcc = from;
          fbTail = (1 << 24) | byte;
        } else if (this.stateFbAcc[from]! >= 0) {
          const len = (this.stateFbTail[from]! >>> 24) & 3;
          if (len < FALLBACK_MAX_TAIL) {
            fbAcc = this.stateFbAcc[from]!;
            fbTail = ((len + 1) << 24) | (this.stateFbTail[from]! & 0xffffff) | (byte << (8 * len));
          }
        }
      }
    }
    let x = 0;
    if (this.wordEnd !== null && this.wordEnd[byte] === 1) {
      // Only where the lexeme can end (an accepting state) does the last byte matter.
      for (let i = 0; i < n && x === 0; i++) if (this.store.nullable(termsIn[i]!)) x = X_WORD_END;
    }
    return this.intern(lexIn, termsIn, n, aux, fbAcc, fbTail, x);
  }

  private auxStep(aux: number, byte: number): number {
    if (byte === 0x0a) return AUX_NEWLINE;
    if (!this.columns) return aux;
    const col = aux & AUX_COLUMN;
    if (byte === 0x20) return (aux & AUX_NEWLINE) | Math.min(col + 1, AUX_COLUMN_OVERFLOW);
    if (byte === 0x09) return (aux & AUX_NEWLINE) | Math.min(col + this.tabWidth, AUX_COLUMN_OVERFLOW);
    return aux;
  }

  /** The state for the first `n` entries of (lex, terms) and the extras, created if new (the arrays are copied). */
  private intern(lexIn: Int32Array, termsIn: Int32Array, n: number, aux = 0, fbAcc = -1, fbTail = 0, x = 0): number {
    let h = 0x811c9dc5 | 0;
    for (let i = 0; i < n; i++) {
      h = Math.imul(h ^ lexIn[i]!, 0x01000193);
      h = Math.imul(h ^ termsIn[i]!, 0x01000193);
    }
    if (aux !== 0 || fbAcc !== -1 || x !== 0) {
      h = Math.imul(h ^ aux, 0x01000193);
      h = Math.imul(h ^ fbAcc, 0x01000193);
      h = Math.imul(h ^ fbTail, 0x01000193);
      h = Math.imul(h ^ x, 0x01000193);
    }
    const bucket = this.stateIds.get(h);
    if (bucket !== undefined) {
      if (typeof bucket === 'number') {
        if (this.sameState(bucket, lexIn, termsIn, n, aux, fbAcc, fbTail, x)) return bucket;
      } else {
        for (let j = 0; j < bucket.length; j++) if (this.sameState(bucket[j]!, lexIn, termsIn, n, aux, fbAcc, fbTail, x)) return bucket[j]!;
      }
    }
    const id = this.count;
    if (id >= this.limits.maxLexerStates) {
      throw new EngineError('LIMIT', `lexer DFA exceeded maxLexerStates (${this.limits.maxLexerStates} states); simplify the grammar's terminals or raise the limit`);
    }
    if (id >= this.capacity) this.grow();
    this.count++;
    if (bucket === undefined) this.stateIds.set(h, id);
    else if (typeof bucket === 'number') this.stateIds.set(h, [bucket, id]);
    else bucket.push(id);
    const lex = lexIn.slice(0, n);
    const terms = termsIn.slice(0, n);
    this.stateLex.push(lex);
    this.stateTerm.push(terms);
    let nAcc = 0;
    for (let i = 0; i < terms.length; i++) if (this.store.nullable(terms[i]!)) nAcc++;
    let acc = Lexer.EMPTY_IDS;
    if (nAcc > 0) {
      acc = new Int32Array(nAcc);
      let j = 0;
      for (let i = 0; i < terms.length; i++) if (this.store.nullable(terms[i]!)) acc[j++] = lex[i]!;
    }
    this.stateAccepting.push(acc);
    this.acceptFlag[id] = nAcc > 0 ? 1 : 0;
    this.stateAux[id] = aux;
    this.stateFbAcc[id] = fbAcc;
    this.stateFbTail[id] = fbTail;
    this.stateX[id] = x;
    return id;
  }

  private sameState(id: number, lex: Int32Array, terms: Int32Array, n: number, aux: number, fbAcc: number, fbTail: number, x: number): boolean {
    const l = this.stateLex[id]!;
    if (l.length !== n) return false;
    if (this.stateAux[id] !== aux || this.stateFbAcc[id] !== fbAcc || this.stateFbTail[id] !== fbTail || this.stateX[id] !== x) return false;
    const t = this.stateTerm[id]!;
    for (let i = 0; i < n; i++) if (l[i] !== lex[i] || t[i] !== terms[i]) return false;
    return true;
  }

  private grow(): void {
    const cap = this.capacity * 2;
    const tr = new Int32Array(cap * this.classCount);
    tr.set(this.transitions);
    tr.fill(-1, this.transitions.length);
    this.transitions = tr;
    const acc = new Uint8Array(cap);
    acc.set(this.acceptFlag);
    this.acceptFlag = acc;
    const f = new Int32Array(cap).fill(-2);
    f.set(this.forced);
    this.forced = f;
    const e = new Int8Array(cap).fill(-1);
    e.set(this.extendable);
    this.extendable = e;
    const ax = new Int32Array(cap);
    ax.set(this.stateAux);
    this.stateAux = ax;
    const fa = new Int32Array(cap).fill(-1);
    fa.set(this.stateFbAcc);
    this.stateFbAcc = fa;
    const ft = new Int32Array(cap);
    ft.set(this.stateFbTail);
    this.stateFbTail = ft;
    const sf = new Uint8Array(cap);
    sf.set(this.startFlag);
    this.startFlag = sf;
    const sx = new Uint8Array(cap);
    sx.set(this.stateX);
    this.stateX = sx;
    const go = new Int32Array(cap).fill(-1);
    go.set(this.guardOf);
    this.guardOf = go;
    const pr = new Uint8Array(cap);
    pr.set(this.primed);
    this.primed = pr;
    this.capacity = cap;
  }
}

/** Byte classes refined so that each byte of `bytes` is alone in its class. */
function isolateBytes(byteClass: Uint8Array, classBytes: Uint8Array[], bytes: number[]): { byteClass: Uint8Array; classBytes: Uint8Array[] } {
  const members = classBytes.map((m) => Array.from(m));
  for (const b of bytes) {
    const c = byteClass[b]!;
    if (members[c]!.length === 1) continue;
    members[c] = members[c]!.filter((x) => x !== b);
    members.push([b]);
  }
  const out = new Uint8Array(256);
  members.forEach((m, c) => {
    for (const x of m) out[x] = c;
  });
  return { byteClass: out, classBytes: members.map((m) => Uint8Array.from(m)) };
}

/** Byte classes refined so that bytes of different `kind` never share a class. */
function splitClasses(byteClass: Uint8Array, classBytes: Uint8Array[], kind: Uint8Array): { byteClass: Uint8Array; classBytes: Uint8Array[] } {
  const members: number[][] = [];
  for (const m of classBytes) {
    const byKind = new Map<number, number[]>();
    for (const b of m) {
      const k = kind[b]!;
      const list = byKind.get(k);
      if (list) list.push(b);
      else byKind.set(k, [b]);
    }
    for (const list of byKind.values()) members.push(list);
  }
  const out = new Uint8Array(256);
  members.forEach((m, c) => {
    for (const x of m) out[x] = c;
  });
  return { byteClass: out, classBytes: members.map((m) => Uint8Array.from(m)) };
}
