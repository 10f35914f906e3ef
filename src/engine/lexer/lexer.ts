import type { Regex } from '../regex/ast.ts';
import type { Limits } from '../limits.ts';
import { EngineError } from '../errors.ts';
import { TermStore, NEVER_T } from './terms.ts';
import { checkRegexSize } from '../regex/size.ts';
import { regexToTerm } from './from-regex.ts';

/**
 * The lexer of a compiled grammar: one lazily built DFA over bytes, shared by all lexemes.
 *
 * Each lexeme is compiled to a hash-consed byte-level regex term (see terms.ts). A DFA state is the
 * interned vector of (lexeme id, derivative term) for the lexemes still alive after the bytes read
 * since the lexeme boundary; state 0 is the dead state (no lexeme alive). Transitions are computed
 * on first use (Brzozowski derivatives) and cached in `transitions`, so the matcher's hot loop is a
 * single typed-array read: `let t = lx.transitions[s * 256 + b]; if (t < 0) t = lx.computeNext(s, b);`.
 *
 * Intersection (`and`) and complement (`not`) are exact. Complement is over byte strings: `~R`
 * matches every byte string R does not match as a whole, including invalid UTF-8; intersect it with
 * `(?s:.*)` to stay within valid UTF-8 (docs/engine-grammars.md).
 *
 * Bytes are grouped into equivalence classes (bytes no lexeme can tell apart), so one derivative
 * computation fills the transitions of every byte in the class.
 */
export class Lexer {
  /** State id 0 is the dead state: every transition from it leads back to it. */
  static readonly DEAD = 0;

  /**
   * transitions[state * 256 + byte]: the next state, or -1 when not computed yet. Re-read this field
   * after computeNext / next / startState (it may be reallocated as states are added).
   */
  transitions: Int32Array;

  private readonly store: TermStore;
  private readonly limits: Limits;
  private readonly lexemeTerms: Int32Array;
  /** byte → byte class; classBytes[c] lists the bytes of class c. */
  private readonly byteClass: Uint8Array;
  private readonly classBytes: Uint8Array[];
  private readonly classCount: number;

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

  // startState cache: hash of the id list → entries (ids, state) to verify against.
  private readonly startCache = new Map<number, Array<{ ids: Int32Array; state: number }>>();

  private static readonly EMPTY_IDS = new Int32Array(0);

  /**
   * Compile the lexemes (index = lexeme id). Throws EngineError('LIMIT') when a lexeme exceeds
   * limits.maxRegexSize (counting counted repetition as expanded, without expanding it).
   */
  constructor(lexemes: readonly Regex[], limits: Limits) {
    this.limits = limits;
    this.store = new TermStore(limits);
    const terms = new Int32Array(lexemes.length);
    for (let i = 0; i < lexemes.length; i++) {
      checkRegexSize(lexemes[i]!, limits.maxRegexSize, `lexeme #${i}`);
      terms[i] = regexToTerm(this.store, lexemes[i]!);
    }
    this.lexemeTerms = terms;
    const { byteClass, classBytes } = this.store.byteClasses();
    this.byteClass = byteClass;
    this.classBytes = classBytes;
    this.classCount = classBytes.length;
    this.store.setByteClasses(byteClass, classBytes.map((b) => b[0]!));

    this.capacity = 64;
    this.transitions = new Int32Array(this.capacity * 256).fill(-1);
    this.acceptFlag = new Uint8Array(this.capacity);
    this.forced = new Int32Array(this.capacity).fill(-2);
    this.extendable = new Int8Array(this.capacity).fill(-1);
    // The dead state: empty vector, loops to itself.
    this.intern(Lexer.EMPTY_IDS, Lexer.EMPTY_IDS, 0);
    this.transitions.fill(0, 0, 256);
  }

  /** Number of lexemes this lexer was built for. */
  get lexemeCount(): number {
    return this.lexemeTerms.length;
  }

  /** Number of DFA states built so far (including the dead state). */
  get stateCount(): number {
    return this.count;
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
    const t = this.transitions[state * 256 + byte]!;
    return t >= 0 ? t : this.computeNext(state, byte);
  }

  /**
   * Compute the transition (and those of every byte in the same byte class), store it in
   * `transitions`, and return the next state. Throws EngineError('LIMIT') past maxLexerStates.
   */
  computeNext(state: number, byte: number): number {
    const cached = this.transitions[state * 256 + byte]!;
    if (cached >= 0) return cached;
    const cls = this.byteClass[byte]!;
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
    const target = m === 0 ? Lexer.DEAD : this.intern(outLex, outTerm, m);
    // intern may have reallocated the table.
    const tr = this.transitions;
    const base = state * 256;
    const bytes = this.classBytes[cls]!;
    for (let i = 0; i < bytes.length; i++) tr[base + bytes[i]!] = target;
    return target;
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
    bucket.push({ ids: Int32Array.from(allowed), state });
    return state;
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

  /** True when some byte leads to a non-dead state. */
  canExtend(state: number): boolean {
    let e = this.extendable[state]!;
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

  /** Whole-string check of one lexeme (for tests and validation). */
  matchesLexeme(lexeme: number, bytes: Uint8Array): boolean {
    let s = this.startState([lexeme]);
    for (let i = 0; i < bytes.length && s !== Lexer.DEAD; i++) {
      const t = this.transitions[s * 256 + bytes[i]!]!;
      s = t >= 0 ? t : this.computeNext(s, bytes[i]!);
    }
    return this.acceptFlag[s] === 1;
  }

  /** Decided on the terms (memoised derivatives), without building successor states. */
  private computeForced(state: number): void {
    const terms = this.stateTerm[state]!;
    const store = this.store;
    let liveClasses = 0;
    let lastClass = -1;
    for (let c = 0; c < this.classCount && liveClasses < 2; c++) {
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

  /** The state for the first `n` entries of (lex, terms), created if new (the arrays are copied). */
  private intern(lexIn: Int32Array, termsIn: Int32Array, n: number): number {
    let h = 0x811c9dc5 | 0;
    for (let i = 0; i < n; i++) {
      h = Math.imul(h ^ lexIn[i]!, 0x01000193);
      h = Math.imul(h ^ termsIn[i]!, 0x01000193);
    }
    const bucket = this.stateIds.get(h);
    if (bucket !== undefined) {
      if (typeof bucket === 'number') {
        if (this.sameState(bucket, lexIn, termsIn, n)) return bucket;
      } else {
        for (let j = 0; j < bucket.length; j++) if (this.sameState(bucket[j]!, lexIn, termsIn, n)) return bucket[j]!;
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
    return id;
  }

  private sameState(id: number, lex: Int32Array, terms: Int32Array, n: number): boolean {
    const l = this.stateLex[id]!;
    if (l.length !== n) return false;
    const t = this.stateTerm[id]!;
    for (let i = 0; i < n; i++) if (l[i] !== lex[i] || t[i] !== terms[i]) return false;
    return true;
  }

  private grow(): void {
    const cap = this.capacity * 2;
    const tr = new Int32Array(cap * 256);
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
    this.capacity = cap;
  }
}
