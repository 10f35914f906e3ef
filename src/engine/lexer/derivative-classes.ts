/**
 * Derivative classes (Owens, Reppy and Turon, "Regular-expression derivatives re-examined"): per
 * term, a partition of its lexer's byte classes such that every class of one block gives the same
 * derivative. A lexer's classes are the common refinement of all its lexemes, so a term usually
 * tells few of them apart: inside a JSON string with a pattern of 17 words, the lexer has 63
 * classes, and the string's `.*` reads only UTF-8 structure and the escapes. The derivative is then
 * computed once per block and the other classes of the block take it (TermStore.derive), and a
 * state's transitions once per block of its terms (Lexer.computeNext).
 *
 * A partition is stored as its representative array: rep[c] is the smallest class of c's block,
 * which names the partition uniquely. Partitions are interned; 0 is the trivial one (one block).
 */
import { IntArrayTable } from '../int-array-table.ts';

/** Whether derive and computeNext use the partitions (read at each call); off only for tests and A/B runs. */
export let derivativeClassesOn = true;
/** Turns derivative classes off or on for every lexer: for tests and A/B runs. */
export function setDerivativeClasses(on: boolean): void {
  derivativeClassesOn = on;
}

/**
 * Scratch for refine, shared by every instance (one refine runs at a time): per pair (block of p,
 * block of q), the first class seen with it, stamped by generation so nothing is cleared.
 */
const pairStamp = new Int32Array(256 * 256);
const pairFirst = new Uint8Array(256 * 256);
let generation = 0;

export class DerivativeClasses {
  /** Interned partitions, by their representative arrays. */
  private readonly partitions = new IntArrayTable();
  /** refine memo, keyed by the pair of partition ids (smaller first). */
  private readonly refined = new Map<number, number>();
  private readonly scratch: Int32Array;

  constructor(readonly classCount: number) {
    if (classCount < 1 || classCount > 256) throw new Error(`internal: ${classCount} byte classes`);
    this.scratch = new Int32Array(classCount);
    this.intern(this.scratch); // 0: every class alike
  }

  /** Number of distinct partitions met so far. */
  get count(): number {
    return this.partitions.sets.length;
  }

  /** The representative of class `cls` in partition `p`: the smallest class whose derivatives equal its own. */
  rep(p: number, cls: number): number {
    return this.partitions.sets[p]![cls]!;
  }

  /** The partition of a byte set: the classes in it (by their representative bytes `classBytes`), and the others. */
  ofSet(words: Uint32Array, base: number, classBytes: readonly number[]): number {
    const r = this.scratch;
    let firstIn = -1;
    let firstOut = -1;
    for (let c = 0; c < this.classCount; c++) {
      const x = classBytes[c]!;
      if (((words[base + (x >> 5)]! >>> (x & 31)) & 1) === 1) {
        if (firstIn < 0) firstIn = c;
        r[c] = firstIn;
      } else {
        if (firstOut < 0) firstOut = c;
        r[c] = firstOut;
      }
    }
    return this.intern(r);
  }

  /** The common refinement of p and q: classes share a block when they share one in both. */
  refine(p: number, q: number): number {
    if (p === q || q === 0) return p;
    if (p === 0) return q;
    const key = p < q ? p * 0x200000 + q : q * 0x200000 + p;
    const known = this.refined.get(key);
    if (known !== undefined) return known;
    const rp = this.partitions.sets[p]!;
    const rq = this.partitions.sets[q]!;
    if (generation === 0x7fffffff) {
      pairStamp.fill(0);
      generation = 0;
    }
    const gen = ++generation;
    const r = this.scratch;
    for (let c = 0; c < this.classCount; c++) {
      const k = (rp[c]! << 8) | rq[c]!;
      if (pairStamp[k] !== gen) {
        pairStamp[k] = gen;
        pairFirst[k] = c;
      }
      r[c] = pairFirst[k]!;
    }
    const id = this.intern(r);
    this.refined.set(key, id);
    return id;
  }

  private intern(r: Int32Array): number {
    return this.partitions.intern(r, this.classCount);
  }
}
