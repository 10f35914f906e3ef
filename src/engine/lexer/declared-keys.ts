import { EMPTY_T, K_AND, K_CONCAT, K_NOT, K_OR, K_REPEAT, K_SET, NEVER_T, type TermStore } from './terms.ts';

/**
 * A key position of an object that allows keys besides its declared names: one lexeme K whose
 * language is p·(A ∧ ¬F)·q, for a literal prefix p (the opening quote at a lexeme's start, nothing
 * after it), a finite set F of names, a one-byte closing q and an A that ends in a star, and beside
 * it only the literals p·w·q of the names w ∈ F (docs/engine-optimizations.md §34). Whatever a trie
 * walk from this state finds, it finds from the state of the free key p·A·q too, except at the
 * paths p·w·q: there the free key ends as K, this state as w's literal, or, for a name
 * with no literal here (declared but not allowed at this position: given already, or out of
 * order), not at all. So the walk's plan is the free key's plan (the same in every schema) with
 * the exits below each w·q moved to the literal's group, or dropped with the tokens spelling w·q.
 */
export interface DeclaredKeys {
  /** K's position in the state's alive lexemes. */
  readonly key: number;
  /** The term p·A·q: K's language without the names. */
  readonly free: number;
  /** Per name in F: the bytes p·w·q, and the positions of the literals spelling them (none: dead here). */
  readonly names: readonly { bytes: number[]; literals: number[] }[];
  /** The key's form (the same object at every key position of the key's term): names in its order. */
  readonly form: KeyForm;
}

/** Names enumerated at most (more: no derivation, the state is walked). */
const MAX_NAMES = 4096;
/** Bytes of a name read at most (a longer one: no derivation). */
const MAX_NAME_BYTES = 1024;

/**
 * The shape above for a state's alive terms (lexer.aliveTerms), or null. Exact where it answers:
 * each p·w·q must take the free key to the empty word (it ends there, as K would have, and no longer
 * key goes on through it); every other term must be the literal of such a name; A's star gives
 * every prefix of a free key infinitely many completions, so removing the finitely many names keeps
 * every path alive that the free key keeps, but the names' own (the argument of §23's endless
 * terms).
 */
export function declaredKeys(store: TermStore, terms: Int32Array, formOf: (term: number) => KeyForm | null): DeclaredKeys | null {
  // The key is the one term with an intersection or complement (literals have none).
  let key = -1;
  for (let i = 0; i < terms.length; i++) {
    if (!store.hasAndNot(terms[i]!)) continue;
    if (key >= 0) return null;
    key = i;
  }
  if (key < 0) return null;
  const form = formOf(terms[key]!);
  if (form === null) return null;
  const names = form.names.map((bytes) => ({ bytes, literals: [] as number[] }));
  for (let i = 0; i < terms.length; i++) {
    if (i === key) continue;
    // Each key position of an object meets the same literal terms: their names are looked up once.
    let at = form.nameOfTerm.get(terms[i]!);
    if (at === undefined) {
      const b = store.literalBytes(terms[i]!, MAX_NAME_BYTES);
      at = (b === null ? undefined : form.index.get(nameKey(b))) ?? -1;
      form.nameOfTerm.set(terms[i]!, at);
    }
    if (at < 0) return null;
    names[at]!.literals.push(i);
  }
  return { key, free: form.free, names, form };
}

/** A name's bytes as a map key (a byte past MAX_NAME_BYTES, -1, never matches a name). */
function nameKey(bytes: readonly number[]): string {
  return String.fromCharCode(...bytes.map((b) => b + 1));
}

/** The key's part of the shape, which depends on its term alone (Lexer caches it per term). */
export interface KeyForm {
  /** The term p·A·q. */
  readonly free: number;
  /** The distinct p·w·q, w ∈ F. */
  readonly names: readonly number[][];
  /** Position in `names` by nameKey. */
  readonly index: ReadonlyMap<string, number>;
  /** Position in `names` of the name a literal term spells (-1: none), filled as terms are met. */
  readonly nameOfTerm: Map<number, number>;
}

/** The form p·(A ∧ ¬F)·q of a key's term (see DeclaredKeys), checked as declaredKeys says, or null. */
export function keyForm(store: TermStore, term: number, byteClass: Uint8Array): KeyForm | null {
  // A literal prefix p first (the opening quote, at a lexeme's start), one byte per head.
  const heads: number[] = [];
  const prefix: number[] = [];
  let t = term;
  for (;;) {
    if (store.kindOf(t) !== K_CONCAT) return null;
    const head = store.first(t);
    if (store.kindOf(head) !== K_SET) break;
    const b = store.literalBytes(head, 2);
    if (b === null || b.length !== 1) return null;
    heads.push(head);
    prefix.push(b[0]!);
    t = store.second(t);
  }
  const x = store.first(t);
  const q = store.literalBytes(store.second(t), 2);
  if (q === null || q.length !== 1 || store.kindOf(x) !== K_AND) return null;
  const items = store.items(x);
  if (items.length !== 2) return null;
  const notAt = store.kindOf(items[0]!) === K_NOT ? 0 : store.kindOf(items[1]!) === K_NOT ? 1 : -1;
  if (notAt < 0) return null;
  const a = items[1 - notAt]!;
  if (!endsInStar(store, a)) return null;
  const words: number[][] = [];
  if (!finiteWords(store, store.first(items[notAt]!), [], words)) return null;
  let free = store.concat(a, store.second(t));
  for (let h = heads.length - 1; h >= 0; h--) free = store.concat(heads[h]!, free);
  const names: number[][] = [];
  const index = new Map<string, number>();
  const single = singleByteChars(store, a, q[0]!);
  for (const w of words) {
    const bytes = [...prefix, ...w, q[0]!];
    // The free key must end exactly at p·w·q (no longer key goes on through it): at once when every
    // byte of w is a whole character of A's star, else by deriving (a grammar's first derivatives
    // of a key cost more than the rest of the shape).
    if (single === null || !w.every((b) => hasByte(single, b))) {
      let d = free;
      for (let k = 0; k < bytes.length && d !== NEVER_T; k++) d = store.derive(d, byteClass[bytes[k]!]!);
      if (d !== EMPTY_T) return null;
    }
    const name = nameKey(bytes);
    if (index.has(name)) continue;
    index.set(name, names.length);
    names.push(bytes);
  }
  return { free, names, index, nameOfTerm: new Map() };
}

/**
 * When a is r* itself, the bytes that are a whole word of r and start no other word of r, provided
 * q starts none: a string of them then leaves a at r* after each byte, and q after it takes a·q to
 * the empty word. Null when a has another form.
 */
function singleByteChars(store: TermStore, a: number, q: number): Uint32Array | null {
  const r = starred(store, a);
  if (r < 0) return null;
  const items = store.kindOf(r) === K_OR ? store.items(r) : Int32Array.of(r);
  // An alternation merges its one-byte sets into one item (TermStore.or).
  const single = new Uint32Array(8);
  const other = new Uint32Array(8);
  for (const x of items) store.firstBytes(x, store.kindOf(x) === K_SET ? single : other);
  if (hasByte(single, q) || hasByte(other, q)) return null;
  for (let k = 0; k < 8; k++) single[k]! &= ~other[k]!;
  return single;
}

/** Whether byte b is in the 8-word byte set (the token-mask layout; trie/ is not imported from lexer/). */
function hasByte(set: Uint32Array, b: number): boolean {
  return ((set[b >>> 5]! >>> (b & 31)) & 1) === 1;
}

/** r when t is r{0,} (r*), else -1. */
function starred(store: TermStore, t: number): number {
  return store.kindOf(t) === K_REPEAT && store.second(t) === 0 && store.third(t) === -1 ? store.first(t) : -1;
}

/**
 * Whether a ends in r* (a concatenation's last item, or a itself) with r holding a non-empty word
 * and no intersection or complement: then every prefix of a word of a has infinitely many
 * completions in a.
 */
function endsInStar(store: TermStore, a: number): boolean {
  let t = a;
  while (store.kindOf(t) === K_CONCAT) t = store.second(t);
  const r = starred(store, t);
  return r >= 0 && r !== NEVER_T && r !== EMPTY_T && !store.hasAndNot(r);
}

/** Appends to `out` every word of t (prefixed by `prefix`) when t is a finite union of byte strings; false otherwise. */
function finiteWords(store: TermStore, t: number, prefix: number[], out: number[][]): boolean {
  if (out.length > MAX_NAMES || prefix.length > MAX_NAME_BYTES) return false;
  if (t === NEVER_T) return true;
  // Most items are one name spelled byte by byte (EMPTY_T included: the name read to its end).
  const word = store.literalBytes(t, MAX_NAME_BYTES);
  if (word !== null) {
    if (word[word.length - 1] === -1) return false;
    out.push(prefix.concat(word));
    return true;
  }
  switch (store.kindOf(t)) {
    case K_SET: {
      // One-character names merged into a set by the alternation.
      const set = new Uint32Array(8);
      store.firstBytes(t, set);
      for (let b = 0; b < 256; b++) if (hasByte(set, b)) out.push([...prefix, b]);
      return true;
    }
    case K_OR: {
      for (const item of store.items(t)) if (!finiteWords(store, item, prefix, out)) return false;
      return true;
    }
    case K_CONCAT: {
      const heads: number[][] = [];
      if (!finiteWords(store, store.first(t), prefix, heads)) return false;
      for (const h of heads) if (!finiteWords(store, store.second(t), h, out)) return false;
      return true;
    }
    default:
      return false;
  }
}
