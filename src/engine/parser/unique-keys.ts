import { EngineError } from '../errors.ts';
import type { UniqueKeysOptions } from '../grammar/ir.ts';
import type { LexemeSetTable } from './lexeme-sets.ts';
import { grown } from '../typed-array.ts';

/** Lexeme roles (UniqueKeyTables.role). */
const ROLE_NONE = 0;
const ROLE_OPEN_OBJECT = 1;
const ROLE_CLOSE = 2;
const ROLE_OPEN_ARRAY = 3;
const ROLE_COMMA = 4;

/** Frame kinds. */
const FRAME_ARRAY = 0;
const FRAME_OBJECT = 1;

/**
 * Interned key-tracking states (and key sets) at most this many each: every new state costs a few
 * numbers, and a text creates at most one per lexeme, so a long run of generations could grow them
 * without end. Past it a scan fails with EngineError('LIMIT').
 */
export const MAX_KEY_STATES = 1 << 21;

/**
 * `unique_keys` (docs/engine-grammars.md): in every JSON object of the text, each tracked key
 * lexeme appears at most once as a key. The state is the stack of open objects and arrays, each
 * object with the set of tracked keys it holds so far and whether a key comes next (after `{` or
 * a comma). It is a function of the text, not of the parse (braces, brackets and commas tell
 * objects, arrays and key positions apart), so one state per parser row is exact whatever the
 * grammar's ambiguity, like the indentation state. States are interned (id 0: nothing open), so a
 * row carries one number and the parser state interns with it.
 *
 * What it gives a grammar: a permutation of n keys, which any context-free grammar writes with
 * 2^Ω(n) rules, becomes "n members, each key once": the JSON Schema compiler counts required
 * members in the grammar and lets this state refuse repeats (src/engine/schema/emit.ts).
 */
export class UniqueKeyTables {
  /** Per lexeme: ROLE_*. */
  private readonly role: Uint8Array;
  /** Per lexeme: index among the tracked keys, or -1. */
  readonly keyIndex: Int32Array;
  /** Lexeme id of each tracked key. */
  readonly keyLexeme: Int32Array;

  // States: a frame on top of a parent state (state 0 has no frame).
  private parent: Int32Array = new Int32Array(64);
  private kind: Uint8Array = new Uint8Array(64);
  private keySet: Int32Array = new Int32Array(64);
  private expect: Uint8Array = new Uint8Array(64);
  private nStates = 1;
  private readonly stateIds = new Map<string, number>();
  private readonly transitions = new Map<number, number>();

  // Key sets: sorted key indices, interned (id 0 = empty).
  private readonly sets: Int32Array[] = [new Int32Array(0)];
  private readonly setIds = new Map<string, number>([['', 0]]);
  private readonly setAdds = new Map<number, number>();
  /** (allowed lexeme set, key set) → allowed set without those keys. */
  private readonly filtered = new Map<string, number>();

  constructor(nLexemes: number, opts: UniqueKeysOptions) {
    this.role = new Uint8Array(nLexemes);
    this.keyIndex = new Int32Array(nLexemes).fill(-1);
    const mark = (ids: readonly number[], r: number, what: string) => {
      for (const id of ids) {
        if (id < 0 || id >= nLexemes) throw new EngineError('GRAMMAR', `unique_keys: ${what} names no lexeme (${id})`);
        if (this.role[id] !== ROLE_NONE && this.role[id] !== r) throw new EngineError('GRAMMAR', `unique_keys: a lexeme has two roles (${what} and another)`);
        this.role[id] = r;
      }
    };
    mark(opts.openObject, ROLE_OPEN_OBJECT, 'open_object');
    mark(opts.closeObject, ROLE_CLOSE, 'close_object');
    mark(opts.openArray, ROLE_OPEN_ARRAY, 'open_array');
    mark(opts.closeArray, ROLE_CLOSE, 'close_array');
    mark(opts.comma, ROLE_COMMA, 'comma');
    const keys: number[] = [];
    for (const id of opts.keys) {
      if (id < 0 || id >= nLexemes) throw new EngineError('GRAMMAR', `unique_keys: keys names no lexeme (${id})`);
      if (this.role[id] !== ROLE_NONE) throw new EngineError('GRAMMAR', 'unique_keys: a key lexeme is also punctuation');
      if (this.keyIndex[id]! >= 0) continue;
      this.keyIndex[id] = keys.length;
      keys.push(id);
    }
    this.keyLexeme = Int32Array.from(keys);
  }

  /**
   * The state after scanning the lexemes ids[0..n) (the lexemes a lexer state accepts) in state
   * `s`, or -1 when a key is repeated in its object. Punctuation roles win over keys (their texts
   * never match a key's); two tracked keys in one scan are both added.
   */
  next(s: number, ids: Int32Array, n: number): number {
    let role = ROLE_NONE;
    let key = -1;
    let keys2: number[] | null = null;
    for (let i = 0; i < n; i++) {
      const id = ids[i]!;
      const r = this.role[id]!;
      if (r !== ROLE_NONE) {
        role = r;
        break;
      }
      const k = this.keyIndex[id]!;
      if (k >= 0) {
        if (key < 0) key = k;
        else (keys2 ??= [key]).push(k);
      }
    }
    if (role === ROLE_NONE && keys2 !== null) {
      let t = s;
      for (const k of keys2) {
        t = this.step(t, ROLE_NONE, k);
        if (t < 0) return -1;
      }
      return t;
    }
    const code = role === ROLE_NONE ? (key < 0 ? 5 : 6 + key) : role;
    const ck = s * (this.keyLexeme.length + 6) + code;
    const cached = this.transitions.get(ck);
    if (cached !== undefined) return cached;
    const t = this.step(s, role, key);
    this.transitions.set(ck, t);
    return t;
  }

  private step(s: number, role: number, key: number): number {
    switch (role) {
      case ROLE_OPEN_OBJECT:
        return this.state(s, FRAME_OBJECT, 0, 1);
      case ROLE_OPEN_ARRAY:
        return this.state(s, FRAME_ARRAY, 0, 0);
      case ROLE_CLOSE:
        return s === 0 ? 0 : this.parent[s]!;
      case ROLE_COMMA:
        if (s === 0 || this.kind[s] !== FRAME_OBJECT || this.expect[s] === 1) return s;
        return this.state(this.parent[s]!, FRAME_OBJECT, this.keySet[s]!, 1);
    }
    // Any other lexeme: a key when the top object expects one, else a value (no change).
    if (s === 0 || this.kind[s] !== FRAME_OBJECT || this.expect[s] === 0) return s;
    let set = this.keySet[s]!;
    if (key >= 0) {
      set = this.withKey(set, key);
      if (set < 0) return -1;
    }
    return this.state(this.parent[s]!, FRAME_OBJECT, set, 0);
  }

  /** Key set `set` plus key `k`, or -1 when it holds k already. */
  private withKey(set: number, k: number): number {
    const ck = set * this.keyLexeme.length + k;
    const cached = this.setAdds.get(ck);
    if (cached !== undefined) return cached;
    const old = this.sets[set]!;
    let out: number;
    if (old.includes(k)) out = -1;
    else {
      const arr = Int32Array.from([...old, k]).sort();
      const name = arr.join(',');
      let id = this.setIds.get(name);
      if (id === undefined) {
        if (this.sets.length >= MAX_KEY_STATES) throw new EngineError('LIMIT', `unique_keys: more than ${MAX_KEY_STATES} distinct key sets`);
        id = this.sets.length;
        this.sets.push(arr);
        this.setIds.set(name, id);
      }
      out = id;
    }
    this.setAdds.set(ck, out);
    return out;
  }

  private state(parent: number, kind: number, set: number, expect: number): number {
    const name = `${parent},${kind},${set},${expect}`;
    const found = this.stateIds.get(name);
    if (found !== undefined) return found;
    if (this.nStates >= MAX_KEY_STATES) throw new EngineError('LIMIT', `unique_keys: more than ${MAX_KEY_STATES} key-tracking states`);
    const id = this.nStates++;
    if (id >= this.parent.length) {
      const n = this.parent.length * 2;
      this.parent = grown(this.parent, n);
      this.kind = grown(this.kind, n);
      this.keySet = grown(this.keySet, n);
      this.expect = grown(this.expect, n);
    }
    this.parent[id] = parent;
    this.kind[id] = kind;
    this.keySet[id] = set;
    this.expect[id] = expect;
    this.stateIds.set(name, id);
    return id;
  }

  /**
   * The lexemes a row in state `s` allows, given `setId` (what its items expect): where a key comes
   * next, the keys its object holds already are taken out, so the lexer never reads a repeat and
   * masks never allow a token that starts one.
   */
  allowed(s: number, setId: number, lexemeSets: LexemeSetTable): number {
    if (s === 0 || this.kind[s] !== FRAME_OBJECT || this.expect[s] === 0 || this.keySet[s] === 0) return setId;
    const ck = `${setId},${this.keySet[s]}`;
    const cached = this.filtered.get(ck);
    if (cached !== undefined) return cached;
    const held = this.sets[this.keySet[s]!]!;
    const ids = lexemeSets.sets[setId]!;
    const out = new Int32Array(ids.length);
    let n = 0;
    for (let i = 0; i < ids.length; i++) {
      const k = this.keyIndex[ids[i]!]!;
      if (k < 0 || !held.includes(k)) out[n++] = ids[i]!;
    }
    const id = n === ids.length ? setId : lexemeSets.intern(out, n);
    this.filtered.set(ck, id);
    return id;
  }

  /** Number of states interned so far (for tests and diagnostics). */
  get size(): number {
    return this.nStates;
  }
}
