import type { Regex } from '../regex/ast.ts';
import { EngineError } from '../errors.ts';
import { utf8Sequences, encodeCodePoint } from '../regex/utf8.ts';
import type { ByteSequence } from '../regex/utf8.ts';
import { NEVER_T, EMPTY_T } from './terms.ts';
import type { TermStore } from './terms.ts';

/**
 * Compile a code point regex into a byte-level term (UTF-8). `memo` keeps the term of each node
 * converted with it: a caller converting many regexes that share subtrees (a lexer's lexemes: a
 * schema's string classes in every key) converts each shared node once.
 */
export function regexToTerm(store: TermStore, r: Regex, memo?: Map<Regex, number>): number {
  return toTerm(store, r, memo ?? null);
}

function toTerm(store: TermStore, r: Regex, memo: Map<Regex, number> | null): number {
  if (memo !== null) {
    const known = memo.get(r);
    if (known !== undefined) return known;
    const t = convert(store, r, memo);
    memo.set(r, t);
    return t;
  }
  return convert(store, r, null);
}

function convert(store: TermStore, r: Regex, memo: Map<Regex, number> | null): number {
  switch (r.kind) {
    case 'empty':
      return EMPTY_T;
    case 'never':
      return NEVER_T;
    case 'chars':
      return charsTerm(store, r.ranges);
    case 'bytes':
      return store.byteRanges(r.ranges);
    case 'concat': {
      let acc = EMPTY_T;
      for (let i = r.items.length - 1; i >= 0; i--) {
        const t = toTerm(store, r.items[i]!, memo);
        acc = store.concat(t, acc);
        if (acc === NEVER_T) return NEVER_T;
      }
      return acc;
    }
    case 'alt': {
      // Plain string alternatives (enums, keyword lists) share prefixes as one byte trie.
      const literals: number[][] = [];
      const rest: number[] = [];
      for (const it of r.items) {
        const bytes = literalBytes(it);
        if (bytes !== null && bytes.length <= MAX_TRIE_LITERAL) literals.push(bytes);
        else rest.push(toTerm(store, it, memo));
      }
      if (literals.length > 0) rest.push(literalTrie(store, literals));
      return store.or(rest);
    }
    case 'and':
      return store.and(r.items.map((it) => toTerm(store, it, memo)));
    case 'not':
      return store.not(toTerm(store, r.item, memo));
    case 'repeat': {
      const { min, max } = r;
      if (!Number.isInteger(min) || min < 0 || !(max === Infinity || (Number.isInteger(max) && max >= min))) {
        throw new EngineError('REGEX', `invalid repetition bounds {${min},${max}}`);
      }
      if (min > 0x7fffffff || (max !== Infinity && max > 0x7fffffff)) {
        throw new EngineError('REGEX', `repetition bound too large {${min},${max}}`);
      }
      return store.repeat(toTerm(store, r.item, memo), min, max === Infinity ? -1 : max);
    }
  }
}

/** Longer string alternatives are compiled as plain concatenations (bounds trie recursion). */
const MAX_TRIE_LITERAL = 4096;

/** A prefix-sharing trie of byte strings: sort, then group by the byte at each depth. */
function literalTrie(store: TermStore, words: number[][]): number {
  words.sort((p, q) => {
    const n = Math.min(p.length, q.length);
    for (let i = 0; i < n; i++) if (p[i] !== q[i]) return p[i]! - q[i]!;
    return p.length - q.length;
  });
  const build = (lo: number, hi: number, depth: number): number => {
    const alts: number[] = [];
    let i = lo;
    if (words[i]!.length === depth) {
      alts.push(EMPTY_T);
      while (i < hi && words[i]!.length === depth) i++;
    }
    const byChild = new Map<number, Array<[number, number]>>();
    while (i < hi) {
      const b = words[i]![depth]!;
      let j = i + 1;
      while (j < hi && words[j]![depth] === b) j++;
      const child = build(i, j, depth + 1);
      let rs = byChild.get(child);
      if (rs === undefined) byChild.set(child, (rs = []));
      rs.push([b, b]);
      i = j;
    }
    for (const [child, rs] of byChild) alts.push(store.concat(store.byteRanges(rs), child));
    return store.or(alts);
  };
  return build(0, words.length, 0);
}

/** UTF-8 bytes of a regex that matches exactly one string, or null. */
function literalBytes(r: Regex): number[] | null {
  if (r.kind === 'empty') return [];
  if (r.kind === 'chars') {
    if (r.ranges.length !== 1 || r.ranges[0]![0] !== r.ranges[0]![1]) return null;
    const cp = r.ranges[0]![0];
    return cp >= 0xd800 && cp <= 0xdfff ? null : encodeCodePoint(cp);
  }
  if (r.kind === 'concat') {
    const out: number[] = [];
    for (const it of r.items) {
      const b = literalBytes(it);
      if (b === null) return null;
      out.push(...b);
    }
    return out;
  }
  return null;
}

/** Per-store memo of chars nodes already compiled (literals repeat a lot across lexemes). */
const charsMemo = new WeakMap<TermStore, Map<string, number>>();

function charsTerm(store: TermStore, ranges: ReadonlyArray<readonly [number, number]>): number {
  if (ranges.length === 0) return NEVER_T;
  // Fast paths: one code point is a fixed byte string; an ASCII-only set is one byte set.
  if (ranges.length === 1 && ranges[0]![0] === ranges[0]![1] && !(ranges[0]![0] >= 0xd800 && ranges[0]![0] <= 0xdfff) && ranges[0]![0] <= 0x10ffff) {
    const bytes = encodeCodePoint(ranges[0]![0]);
    let acc = EMPTY_T;
    for (let i = bytes.length - 1; i >= 0; i--) acc = store.concat(store.byteRanges([[bytes[i]!, bytes[i]!]]), acc);
    return acc;
  }
  if (ranges[ranges.length - 1]![1] <= 0x7f) return store.byteRanges(ranges);
  let memo = charsMemo.get(store);
  if (memo === undefined) charsMemo.set(store, (memo = new Map()));
  const key = ranges.map(([a, b]) => `${a}-${b}`).join(',');
  const hit = memo.get(key);
  if (hit !== undefined) return hit;
  const t = byteTrie(store, utf8Sequences(ranges), 0, new Map());
  memo.set(key, t);
  return t;
}

/**
 * Tries over at most this many sequences, each with at most 3 bytes left (UTF-8 continuation
 * tails, which repeat a lot in Unicode classes), are memoised by content.
 */
const TRIE_MEMO_MAX = 16;

/**
 * The byte sequences (from position `at` on) as a trie: an alternation over disjoint first-byte
 * sets, each followed by the trie of the tails. Equal tails are the same hash-consed term, so they
 * share one branch: a large Unicode class becomes a narrow alternation, and string alternatives
 * share their prefixes.
 */
function byteTrie(store: TermStore, seqs: readonly ByteSequence[], at: number, memo: Map<string, number>): number {
  let key: string | null = null;
  if (seqs.length <= TRIE_MEMO_MAX && seqs.every((q) => q.length - at <= 3)) {
    key = seqs.map((q) => q.slice(at).map(([a, b]) => `${a}-${b}`).join(' ')).join('|');
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
  }
  const alts: number[] = [];
  const points = new Set<number>();
  const nonEmpty: ByteSequence[] = [];
  for (const q of seqs) {
    if (q.length === at) alts.push(EMPTY_T);
    else {
      nonEmpty.push(q);
      points.add(q[at]![0]);
      points.add(q[at]![1] + 1);
    }
  }
  const cuts = [...points].sort((x, y) => x - y);
  // child term id → byte ranges leading to it
  const byChild = new Map<number, Array<[number, number]>>();
  // Sweep the elementary intervals in order, keeping the sequences whose range at `at` covers them.
  nonEmpty.sort((p, q) => p[at]![0] - q[at]![0]);
  let active: ByteSequence[] = [];
  let nextSeq = 0;
  for (let i = 0; i + 1 < cuts.length; i++) {
    const lo = cuts[i]!;
    const hi = cuts[i + 1]! - 1;
    while (nextSeq < nonEmpty.length && nonEmpty[nextSeq]![at]![0] <= lo) active.push(nonEmpty[nextSeq++]!);
    active = active.filter((q) => q[at]![1] >= lo);
    const tails: ByteSequence[] = [];
    for (const q of active) if (q[at]![1] >= hi) tails.push(q);
    if (tails.length === 0) continue;
    const child = byteTrie(store, tails, at + 1, memo);
    let rs = byChild.get(child);
    if (rs === undefined) byChild.set(child, (rs = []));
    rs.push([lo, hi]);
  }
  for (const [child, rs] of byChild) alts.push(store.concat(store.byteRanges(rs), child));
  const t = store.or(alts);
  if (key !== null) memo.set(key, t);
  return t;
}
