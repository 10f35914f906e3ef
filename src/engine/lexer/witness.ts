/**
 * The shortest string a regex matches, or undefined when it matches nothing: emptiness and a
 * witness decided exactly on the derivative automaton the lexer's lazy DFA is built from
 * (terms.ts, lexer.ts), so intersection (`and`) and complement (`not`) are exact. Braid uses it to
 * tell whether constraints that each restrict the output to a regex leave anything generable
 * together (src/braid/conflicts.ts), asking many questions of one list of regexes at once
 * (RegexIntersections).
 *
 * The search is a breadth-first walk from the regex's term over byte classes (bytes no part of the
 * regex tells apart): each state is a hash-consed derivative term, as in the lexer, and the first
 * nullable term reached gives a shortest match in UTF-8 bytes. Among the shortest, the walk prefers
 * readable bytes (letters, then digits, then other printable ASCII), so `[a-z]+\d` gives `a0`.
 * It walks the terms directly rather than through Lexer: the lexer checks every new state for an
 * empty language with a depth-first search of its own (thousands of derivatives per state on
 * intersections), which this search, exhaustive by itself, does not need. Where only whether a
 * match exists matters, a depth-first walk answers the same with far fewer states when every match
 * is long (RegexIntersections.witness with `shortest` false).
 *
 * Strings, not bytes: the language is read as a set of strings (valid UTF-8). Complement and raw
 * byte sets can match byte strings that are not UTF-8 (`~R` contains every invalid sequence,
 * lexer.ts); for those the regex is first intersected with "any string", so `~(?s:.*)` is empty here.
 *
 * Bounded: at most `maxStates` states are visited and `TERMS_PER_STATE × maxStates` terms built;
 * past either the search throws EngineError('LIMIT') instead of running on (a regex like
 * `(a|b)*a(a|b){30}` has 2^31 states before its shortest match is proved). Regexes larger than
 * `maxRegexSize` are refused the same way.
 */
import type { Regex } from '../regex/ast.ts';
import { EngineError } from '../errors.ts';
import { DEFAULT_LIMITS, withLimits } from '../limits.ts';
import { checkRegexSize } from '../regex/size.ts';
import { TermStore, NEVER_T } from './terms.ts';
import { regexToTerm } from './from-regex.ts';

export interface WitnessLimits {
  /**
   * Automaton states (distinct derivatives) the search may visit. Each costs one derivative per
   * byte class, so this bounds the time as well as the memory. Default DEFAULT_WITNESS_STATES.
   */
  maxStates?: number;
  /** Regex AST nodes, counting counted repetition as expanded (Limits.maxRegexSize). */
  maxRegexSize?: number;
}

/**
 * Enough for every real constraint regex (identifier styles, formats, their intersections: tens of
 * states) and for counted repetition up to a few thousand; small enough that the worst case stays
 * well under a second.
 */
export const DEFAULT_WITNESS_STATES = 20_000;

/**
 * Terms the search may build per state it may visit. A derivative of a term of n nodes builds at
 * most a few n new terms, and real regexes build a handful per state; the bound is what stops an
 * intersection of wide counted repetitions from filling memory before the state budget is reached.
 */
const TERMS_PER_STATE = 64;

/** Every valid UTF-8 string: what a complement is intersected with to stay within strings. */
const ANY_STRING: Regex = { kind: 'repeat', item: { kind: 'chars', ranges: [[0, 0x10ffff]] }, min: 0, max: Infinity };

const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * The shortest string `re` matches as a whole (fewest UTF-8 bytes; among those, the most readable),
 * or undefined when its language is empty. Throws EngineError('LIMIT') when deciding it needs more
 * than `limits.maxStates` states (or the terms they allow), or the regex exceeds
 * `limits.maxRegexSize`.
 */
export function regexWitness(re: Regex, limits: WitnessLimits = {}): string | undefined {
  return new RegexIntersections([re], limits).witness([0]);
}

/** True when the regex matches no string at all (regexWitness is undefined); same limits. */
export function regexIsEmpty(re: Regex, limits?: WitnessLimits): boolean {
  return regexWitness(re, limits) === undefined;
}

/**
 * Witnesses of intersections of subsets of one list of regexes, for a caller that asks many (Braid
 * intersects each new regex with those it kept): the regexes are compiled once into one term store,
 * and derivatives computed for one question are reused by the next. `witness(which)` is
 * regexWitness of the intersection of `regexes[i]` for i in `which`; the limits apply to each
 * question (states visited, terms built while answering it).
 */
export class RegexIntersections {
  private readonly store: TermStore;
  private readonly terms: Int32Array;
  private readonly leavesUtf8: Uint8Array;
  private readonly anyString: number;
  private readonly reps: Uint8Array;
  private readonly classOf: Uint8Array;
  private readonly maxStates: number;
  private readonly maxTerms: number;

  /** Throws EngineError('LIMIT') when a regex exceeds `limits.maxRegexSize`. */
  constructor(readonly regexes: readonly Regex[], limits: WitnessLimits = {}) {
    const maxStates = limits.maxStates ?? DEFAULT_WITNESS_STATES;
    if (!(maxStates >= 1) || !Number.isFinite(maxStates)) {
      throw new EngineError('LIMIT', `regexWitness: maxStates must be a finite number of at least 1 (got ${maxStates})`);
    }
    this.maxStates = maxStates;
    this.maxTerms = maxStates * TERMS_PER_STATE;
    const maxSize = limits.maxRegexSize ?? DEFAULT_LIMITS.maxRegexSize;
    this.store = new TermStore(withLimits({ maxLexerStates: maxStates }));
    this.terms = new Int32Array(regexes.length);
    this.leavesUtf8 = new Uint8Array(regexes.length);
    guarded(() => {
      regexes.forEach((re, i) => {
        checkRegexSize(re, maxSize);
        this.terms[i] = regexToTerm(this.store, re);
        this.leavesUtf8[i] = mayLeaveUtf8(re) ? 1 : 0;
      });
    });
    this.anyString = regexToTerm(this.store, ANY_STRING);
    // Byte classes are fixed here: everything later is built from these terms' sets.
    ({ reps: this.reps, classOf: this.classOf } = classRepresentatives(this.store));
  }

  /**
   * The shortest string matching every `regexes[i]`, i in `which` (all of them by default), or
   * undefined when none does. With `shortest` false: some string, found depth first (the most
   * readable byte first, and a step that completes a match taken as soon as it is seen): the same
   * answer to whether one exists, usually after far fewer states where every match is long (a
   * minimum length, say), though not the shortest.
   */
  witness(which: readonly number[] = this.regexes.map((_, i) => i), shortest = true): string | undefined {
    const parts: number[] = [];
    let leaves = false;
    for (const i of which) {
      if (!(i >= 0 && i < this.terms.length)) throw new EngineError('STATE', `RegexIntersections.witness: no regex #${i}`);
      parts.push(this.terms[i]!);
      if (this.leavesUtf8[i] === 1) leaves = true;
    }
    if (leaves) parts.push(this.anyString);
    return guarded(() => {
      const t0 = parts.length === 1 ? parts[0]! : this.store.and(parts);
      const bytes = searchBytes(this.store, t0, this.reps, this.classOf, this.maxStates, this.store.termCount + this.maxTerms, shortest);
      return bytes === undefined ? undefined : decoder.decode(bytes);
    });
  }
}

/** Runs `f`, naming regexWitness in the engine's LIMIT messages. */
function guarded<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof EngineError && e.code === 'LIMIT' && !e.message.startsWith('regexWitness')) {
      throw new EngineError('LIMIT', `regexWitness: ${e.message}`);
    }
    throw e;
  }
}

/** Whether `re` can match a byte string that is not valid UTF-8 (it has a complement or raw bytes). */
function mayLeaveUtf8(re: Regex): boolean {
  const stack: Regex[] = [re];
  while (stack.length > 0) {
    const r = stack.pop()!;
    switch (r.kind) {
      case 'not':
      case 'bytes':
        return true;
      case 'concat':
      case 'alt':
      case 'and':
        for (const x of r.items) stack.push(x);
        break;
      case 'repeat':
        stack.push(r.item);
        break;
      default:
        break;
    }
  }
  return false;
}

/**
 * Readability rank of a byte, lower first: lower-case letters, upper-case, digits, `_`, other
 * printable ASCII, space, other ASCII, then non-ASCII bytes (parts of multi-byte characters).
 */
function rank(b: number): number {
  if (b >= 0x61 && b <= 0x7a) return 0;
  if (b >= 0x41 && b <= 0x5a) return 1;
  if (b >= 0x30 && b <= 0x39) return 2;
  if (b === 0x5f) return 3;
  if (b > 0x20 && b < 0x7f) return 4;
  if (b === 0x20) return 5;
  if (b < 0x80) return 6;
  return 7;
}

/** Byte classes of the store's sets, and one representative byte per class in rank order. */
function classRepresentatives(store: TermStore): { reps: Uint8Array; classOf: Uint8Array } {
  const { byteClass, classBytes } = store.byteClasses();
  const best = classBytes.map((bytes) => {
    let b = bytes[0]!;
    for (const x of bytes) if (rank(x) < rank(b)) b = x;
    return b;
  });
  // The store derives by class index; its representative must be a member of the class.
  store.setByteClasses(byteClass, best);
  const reps = [...best].sort((x, y) => rank(x) - rank(y) || x - y);
  return { reps: Uint8Array.from(reps), classOf: byteClass };
}

function tooMany(what: string, n: number): EngineError {
  return new EngineError('LIMIT', `regexWitness: deciding whether the regex matches anything needs more than ${n} ${what}; simplify the regex or raise maxStates`);
}

/**
 * Search for a nullable derivative of t0; the bytes on the way, or undefined when none is reachable.
 * Breadth first (the nearest: a shortest match) or, with `shortest` false, depth first. Either way
 * each state reached is expanded once, so the search ends when all are, and a state's successors
 * are all generated (and checked for a match) before any of them is expanded.
 * `termLimit`: the store's term count past which the search gives up.
 */
function searchBytes(store: TermStore, t0: number, reps: Uint8Array, classOf: Uint8Array, maxStates: number, termLimit: number, shortest: boolean): Uint8Array | undefined {
  if (t0 === NEVER_T) return undefined;
  if (store.nullable(t0)) return new Uint8Array(0);
  // Per term reached: the term it was first reached from and the byte read.
  const parent = new Map<number, number>([[t0, -1]]);
  const via = new Map<number, number>();
  // Breadth first: a queue read from the front. Depth first: a stack, each state's successors pushed
  // in reverse so the most readable is expanded next.
  const work: number[] = [t0];
  let head = 0;
  while (shortest ? head < work.length : work.length > 0) {
    const s = shortest ? work[head++]! : work.pop()!;
    const before = work.length;
    for (let k = 0; k < reps.length; k++) {
      const b = reps[k]!;
      const t = store.derive(s, classOf[b]!);
      if (store.termCount > termLimit) throw tooMany('regex terms', maxStates * TERMS_PER_STATE);
      if (t === NEVER_T || parent.has(t)) continue;
      parent.set(t, s);
      via.set(t, b);
      if (store.nullable(t)) {
        const out: number[] = [];
        for (let x = t; x !== t0; x = parent.get(x)!) out.push(via.get(x)!);
        return Uint8Array.from(out.reverse());
      }
      if (parent.size > maxStates) throw tooMany('automaton states', maxStates);
      work.push(t);
    }
    if (!shortest) {
      for (let i = before, j = work.length - 1; i < j; i++, j--) [work[i], work[j]] = [work[j]!, work[i]!];
    }
  }
  return undefined;
}
