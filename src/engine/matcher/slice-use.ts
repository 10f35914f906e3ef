import { Lexer } from '../lexer/lexer.ts';
import type { PlainBound } from '../lexer/terms.ts';
import { Exclusion, MIN_SLICE_BOUND, UNBOUNDED, type StringSlices } from '../trie/string-slices.ts';
import type { SliceSet } from '../trie/slice-set.ts';
import { F_ACC, F_ENDS, type GrammarCore } from './core.ts';

/**
 * Pairs (plain-string DFA state, lexer state) one search visits at most, and lexer transitions it
 * may compute: past either, it settles for the bound proven so far. Each pair costs one pass over
 * one byte per class, so a search stays well under the cost of the walk it saves.
 */
const MAX_PAIRS = 1024;
const MAX_NEW_TRANSITIONS = 16384;
/**
 * Characters a search looks ahead. Slice 32 skips nearly as much of the trie as the unbounded one
 * (few tokens are longer), so proving more is not worth the lexer states it would build: a string
 * with 500 characters left is searched 32 characters deep, and its next position one more.
 */
const MAX_DEPTH = 32;
/**
 * A state whose limit (below) was inherited from an earlier search is taken as it is when the limit
 * is at least this; below it the state is searched again (it may be near the end of a string).
 */
const REUSE_MIN_LIMIT = 24;

/** How a walk from the root uses the string slices in one lexer state. */
export interface SliceUse {
  /** Take the tokens of slice `take` (plain tokens of at most `take` characters) whole. */
  take: number;
  /** Skip every trie subtree whose tokens are all plain with at most `skip` characters. */
  skip: number;
  /**
   * Also skip every subtree whose subtreeMaxCtrl is at most this (-1: none): control bytes are
   * proven to kill the lexeme, with no exit, after up to this many plain characters.
   */
  ctrl: number;
  /** The slice family: every plain token (the StringSlices), or those avoiding an Exclusion. */
  set: SliceSet;
}

/** What a search proved about a lexer state, passed on to the states it met (see sliceUse). */
export interface Proven {
  /** Plain strings of fewer characters than this stay inside. */
  limit: number;
  /** After up to this many plain characters, a control byte kills the lexeme with no exit. */
  ctrl: number;
}

/**
 * One byte per pair of classes (grammar lexer class, plain-DFA class) that some plain string uses:
 * bytes of one pair step alike in both automata, so the search below tries only these. With an
 * exclusion, only the bytes it keeps (the search then follows the strings that avoid it).
 */
export function sliceSearchBytes(core: GrammarCore, slices: StringSlices, x: Exclusion | null = null): Uint8Array {
  const seen = new Set<number>();
  const out: number[] = [];
  for (let b = 0; b < 256; b++) {
    if (x !== null && x.bytes[b] === 1) continue;
    let live = false;
    for (let q = 1; q < slices.states && !live; q++) live = slices.next[q * 256 + b] !== Lexer.DEAD;
    const key = core.lexer.byteClassOf(b) * 256 + slices.byteClass[b]!;
    if (live && !seen.has(key)) {
      seen.add(key);
      out.push(b);
    }
  }
  return Uint8Array.from(out);
}

/** The bytes a plain string (one avoiding `x`) may start with (8 words: bit b for byte b). */
export function plainLeadBytes(slices: StringSlices, x: Exclusion | null = null): Uint32Array {
  const out = new Uint32Array(8);
  for (let b = 0; b < 256; b++) if (slices.next[slices.start * 256 + b] !== Lexer.DEAD && (x === null || x.bytes[b] === 0)) out[b >> 5]! |= 1 << (b & 31);
  return out;
}

const liveScratch = new Uint32Array(8);

/**
 * Whether a search from lexer state `s` can find a slice at all, decided on the bytes s can read
 * (Lexer.liveBytes) without building a state: every slice needs all plain first characters to stay
 * inside (a bound k ≥ 1), or all of them to die (the tight case with no character left). A state
 * where some do and some do not (inside a literal, a number, a keyword) never has one; its search
 * would derive a transition per byte class to find that out.
 */
function maySlice(core: GrammarCore, s: number, lead: Uint32Array): boolean {
  const live = liveScratch;
  live.fill(0);
  core.lexer.liveBytes(s, live);
  let all = true;
  let none = true;
  for (let w = 0; w < 8; w++) {
    const x = (live[w]! & lead[w]!) >>> 0;
    if (x !== lead[w]) all = false;
    if (x !== 0) none = false;
  }
  return all || none;
}

let endlessOn = true;
/** Turns the proof on the terms (endlessHere) off or on for every grammar: for tests and A/B runs. */
export function setEndlessSlices(on: boolean): void {
  endlessOn = on;
}

/**
 * Whether every plain string stays inside the lexeme in state `s`, proven on the terms without a
 * search: a lexeme with intersection or complement is alive whose term stays alive and extendable
 * after any plain string (TermStore.endless), and no alive lexeme is lazy (a lazy one could end the
 * lexeme where it accepts). Then nothing dies and nothing is forced to end, whatever the other
 * lexemes do. Used for states with intersection or complement only, where a search would build a
 * state per prefix of each excluded name (a key that must differ from the declared names); a
 * plain string's search is cheap and also proves where control bytes kill the lexeme.
 */
function endlessHere(core: GrammarCore, slices: StringSlices, s: number): boolean {
  const lx = core.lexer;
  if (!endlessOn || !lx.hasAndNot(s)) return false;
  const alive = lx.alive(s);
  for (let i = 0; i < alive.length; i++) if (core.lazy[alive[i]!] === 1) return false;
  return lx.hasEndlessLexeme(s, slices);
}

let boundedOn = true;
/** Turns the tight case proven on the terms (boundedHere) off or on for every grammar: for tests and A/B runs. */
export function setBoundedSlices(on: boolean): void {
  boundedOn = on;
}

/**
 * How many plain characters still fit in state `s`, proven on the terms (TermStore.plainBound: one
 * lexeme alive, a length counter beside items that take any string, a closing part no plain
 * character starts), or null. Then every plain string of at most that many characters stays
 * inside, every longer one dies there, and nothing accepts on the way (and, when controlDies, a
 * control byte kills it after any of them): the search's tight case, without its lexer state per
 * character and UTF-8 position up to the bound (300 of them, 4–11 ms, after `"1.0.0` under
 * `maxLength` 32). Not for lazy lexemes or with lexeme fallback.
 */
function boundedHere(core: GrammarCore, slices: StringSlices, s: number): PlainBound | null {
  if (!boundedOn || core.fallback) return null;
  const lx = core.lexer;
  const alive = lx.alive(s);
  if (alive.length !== 1 || core.lazy[alive[0]!] === 1) return null;
  return lx.plainBound(s, slices);
}

/** One control byte (U+0000–U+001F) per grammar lexer class. */
export function controlSearchBytes(core: GrammarCore): Uint8Array {
  const seen = new Set<number>();
  const out: number[] = [];
  for (let b = 0; b < 0x20; b++) {
    const c = core.lexer.byteClassOf(b);
    if (!seen.has(c)) {
      seen.add(c);
      out.push(b);
    }
  }
  return Uint8Array.from(out);
}

/**
 * How a walk from lexer state `s` may use the string slices, or null (`bytes` from
 * sliceSearchBytes; `limits` holds, per lexer state, what earlier searches proved, and this one
 * adds to it). Two cases:
 *  - every plain string of at most k characters (k ≥ MIN_SLICE_BOUND, as large as proven, up to 32
 *    characters ahead, or unbounded) stays inside the current lexeme: no byte kills it and the
 *    lexeme is never forced to end before the string does. Then slice k is allowed whole and none
 *    of its tokens leaves the lexeme;
 *  - tight: plain strings of at most b characters stay inside in non-accepting states, and every
 *    plain string of b + 1 characters dies there (a string with b characters left before its
 *    maxLength). Then slice b is allowed whole and every other plain token is refused with no exit
 *    from the lexeme, so the walk skips every subtree of plain tokens.
 *
 * A search over pairs (plain-DFA state, lexer state) by characters read (a 0-1 BFS: a lead byte
 * costs one character, a continuation byte none) finds the fewest characters of a string that
 * fails. The string-slices file explains what the slices are.
 *
 * `bytes`, `lead` and `limits` may be those of an exclusion (the search then follows only the
 * strings that avoid it); `family` gives the slices a use then takes, asked only once a slice is
 * proven (an exclusion's family is built on first use).
 */
export function sliceUse(core: GrammarCore, slices: StringSlices, bytes: Uint8Array, ctrlBytes: Uint8Array, lead: Uint32Array, s: number, limits: Map<number, Proven>, family: () => SliceSet = () => slices): SliceUse | null {
  // A search from an earlier state proved this one too: every plain string of fewer than `limit`
  // characters from there stays inside, so from a state c characters on, fewer than limit - c do
  // (and the control bytes' proof shrinks the same way).
  const inherited = limits.get(s);
  if (inherited !== undefined && inherited.limit >= REUSE_MIN_LIMIT) return useOfLimit(inherited.limit, inherited.ctrl, family);
  if (!maySlice(core, s, lead)) return null;
  // Plain strings of any length stay inside; control bytes are not looked at (see endlessHere).
  if (endlessHere(core, slices, s)) return { take: UNBOUNDED, skip: UNBOUNDED, ctrl: -1, set: slices };
  // The tight case proven on the terms: a string's last n characters before its maxLength.
  const bound = boundedHere(core, slices, s);
  if (bound !== null && bound.chars >= 1) {
    const ctrl = bound.controlDies ? UNBOUNDED : -1;
    if (bound.chars >= UNBOUNDED) return useOfLimit(bound.chars + 1, ctrl, family);
    return { take: bound.chars, skip: UNBOUNDED, ctrl, set: family() };
  }
  const lx = core.lexer;
  const next = slices.next;
  const nq = slices.states;
  // Pair → the characters read when first reached (its fewest).
  const visited = new Map<number, number>([[s * nq + slices.start, 0]]);
  let level: number[] = [slices.start, s];
  let chars = 0;
  let minFail = Infinity;
  let computed = 0;
  let exhausted = false;
  let accepting = false;
  // A pair reached again with another count of characters: strings of several lengths meet there.
  let multiLevel = false;
  let later: number[] = [];
  // The fewest characters after which a state accepts or a control byte does not kill the lexeme,
  // and how many levels were expanded whole.
  let ctrlBad = Infinity;
  let fullLevels = 0;
  while (level.length > 0 && !exhausted) {
    later = [];
    // Pairs at `chars` characters; continuation bytes add pairs to this same level.
    while (level.length > 0) {
      const ls = level.pop()!;
      const q = level.pop()!;
      const flags = core.stateFlags(ls);
      // With lexeme fallback, a state with a complete prefix behind it exits when it dies, as an
      // accepting state does.
      const exitsOnDeath = (flags & F_ACC) !== 0 || (core.fallback && lx.fallbackAccept(ls) >= 0);
      if (exitsOnDeath) accepting = true;
      if (chars < ctrlBad && q === slices.start) {
        let bad = exitsOnDeath;
        for (let j = 0; j < ctrlBytes.length && !bad; j++) {
          const b = ctrlBytes[j]!;
          let t = lx.transitions[ls * lx.classCount + lx.byteClass[b]!]!;
          // Past the budget, assume the worst: the control byte may live.
          if (t < 0 && ++computed > MAX_NEW_TRANSITIONS) bad = true;
          else {
            if (t < 0) t = lx.computeNext(ls, b);
            bad = t !== Lexer.DEAD;
          }
        }
        if (bad) ctrlBad = chars;
      }
      const ends = (flags & F_ENDS) !== 0;
      for (let j = 0; j < bytes.length; j++) {
        const b = bytes[j]!;
        const q2 = next[q * 256 + b]!;
        if (q2 === Lexer.DEAD) continue;
        const lead = (b & 0xc0) === 0x80 ? 0 : 1;
        if (ends) {
          minFail = Math.min(minFail, chars + lead);
          break;
        }
        let t = lx.transitions[ls * lx.classCount + lx.byteClass[b]!]!;
        if (t < 0) {
          if (++computed > MAX_NEW_TRANSITIONS) {
            exhausted = true;
            break;
          }
          t = lx.computeNext(ls, b);
        }
        if (t === Lexer.DEAD) {
          minFail = Math.min(minFail, chars + lead);
          continue;
        }
        const key = t * nq + q2;
        const seen = visited.get(key);
        if (seen !== undefined) {
          if (seen !== chars + lead) multiLevel = true;
          continue;
        }
        if (visited.size >= MAX_PAIRS) {
          exhausted = true;
          break;
        }
        visited.set(key, chars + lead);
        if (q2 === slices.start && endlessHere(core, slices, t)) {
          // No plain string fails past t: not searched further (a key past the first byte of the
          // names it must differ from). What it accepts and does with control bytes is not known.
          accepting = true;
          ctrlBad = Math.min(ctrlBad, chars + lead);
          continue;
        }
        if (lead === 0) level.push(q2, t);
        else later.push(q2, t);
      }
      if (exhausted) break;
    }
    if (exhausted) break;
    fullLevels = chars + 1;
    // Every failure found from here on needs more than chars + 1 characters.
    if (minFail <= chars + 1) break;
    level = later;
    chars++;
    if (chars > MAX_DEPTH && level.length > 0) exhausted = true;
  }
  // Control bytes are proven to kill for levels below ctrlBad that were expanded whole (all of them
  // when no pair is left unexpanded).
  const allSeen = !exhausted && level.length === 0 && later.length === 0;
  const ctrlOk = allSeen ? ctrlBad - 1 : Math.min(ctrlBad, fullLevels) - 1;
  // Tight: level `chars` fully expanded, nothing accepts, and every pair has one length (so with no
  // pair at chars + 1, every plain string of chars + 1 characters dies).
  if (!exhausted && minFail === chars + 1 && later.length === 0 && !multiLevel && !accepting && chars < UNBOUNDED) {
    return { take: chars, skip: UNBOUNDED, ctrl: ctrlOk >= chars ? UNBOUNDED : -1, set: family() };
  }
  // Proven: no string of fewer than `limit` characters fails (when the search stopped early, only
  // strings whose prefixes were all expanded, i.e. of fewer than `chars` characters).
  const limit = exhausted ? Math.min(minFail, chars) : minFail;
  // Pass the proof on to the states met at character boundaries (the next positions of a string).
  for (const [key, c] of visited) {
    const q = key % nq;
    if (q !== slices.start || c === 0) continue;
    const t = (key - q) / nq;
    const known = limits.get(t);
    if (known === undefined || limit - c > known.limit) limits.set(t, { limit: limit - c, ctrl: ctrlOk - c });
  }
  return useOfLimit(limit, ctrlOk, family);
}

/**
 * The slice use when plain strings of fewer than `limit` characters are proven to stay inside, and
 * control bytes to kill the lexeme after up to `ctrlOk` plain characters.
 */
function useOfLimit(limit: number, ctrlOk: number, family: () => SliceSet): SliceUse | null {
  if (limit === Infinity) return { take: UNBOUNDED, skip: UNBOUNDED, ctrl: Math.min(ctrlOk, UNBOUNDED), set: family() };
  // Any bound below the limit serves; the largest skips the most (bitmaps are built per bound).
  const k = Math.min(limit - 1, UNBOUNDED - 1);
  return k >= MIN_SLICE_BOUND ? { take: k, skip: k, ctrl: Math.min(k, ctrlOk), set: family() } : null;
}

/**
 * Plain ASCII characters that must lead to one live state for an exclusion to be tried: with fewer,
 * few tokens avoid the rest and a walk of them is short anyway (`[0-9]+`, hex digits).
 */
const MIN_KEPT_ASCII = 24;
/** UTF-8 lead bytes of characters outside ASCII. */
const FIRST_LEAD = 0xc2;
const LAST_LEAD = 0xf4;

/**
 * The exclusions worth a search from lexer state `s` once the plain search found no slice, in the
 * order to try them (docs/engine-optimizations.md §33). Inside `[^/]+/[^/]+` or near the word limit
 * of `(\S+\s+){0,9}\S+`, plain strings leave or end the lexeme within a few characters, but only
 * through a few characters: the plain ASCII characters that lead elsewhere than most of them do
 * (or die) are excluded, with every character outside ASCII when a lead byte of one dies here, and
 * then again with them. None when fewer than MIN_KEPT_ASCII characters lead to one live state
 * (a number, a literal, a punctuation state). A guess: the search proves or refutes each.
 *
 * First, when it is smaller, the exclusion of the characters that die here or that lead the state
 * most characters reach somewhere else: in `^([^:]+:[a-fA-F0-9]+|[a-fA-F0-9]{32}|)$` the hex digits
 * lead apart from the other letters (they may be the start of the 32), yet every string without `:`
 * stays inside, and `:` is what leads the other letters' state on. Excluding the hex digits too kept
 * only the few tokens without any of them, and the walk visited most of the trie (200,000 nodes,
 * 7–35 ms).
 */
export function exclusionsAt(core: GrammarCore, s: number): Exclusion[] {
  const lx = core.lexer;
  const targets = new Int32Array(0x80);
  const count = new Map<number, number>();
  let best = Lexer.DEAD;
  let bestN = 0;
  for (let b = 0x20; b < 0x80; b++) {
    if (b === 0x22 || b === 0x5c) continue;
    const t = lx.next(s, b);
    targets[b] = t;
    if (t === Lexer.DEAD) continue;
    const n = (count.get(t) ?? 0) + 1;
    count.set(t, n);
    if (n > bestN) {
      best = t;
      bestN = n;
    }
  }
  if (bestN < MIN_KEPT_ASCII) return [];
  const ascii: number[] = [];
  // The smaller guess: the characters that die here or lead `best` itself elsewhere.
  const narrow: number[] = [];
  for (let b = 0x20; b < 0x80; b++) {
    if (b === 0x22 || b === 0x5c) continue;
    if (targets[b] !== best) ascii.push(b);
    if (targets[b] === Lexer.DEAD || lx.next(best, b) !== best) narrow.push(b);
  }
  const live = liveScratch;
  live.fill(0);
  lx.liveBytes(s, live);
  let leadDies = false;
  for (let b = FIRST_LEAD; b <= LAST_LEAD && !leadDies; b++) leadDies = ((live[b >>> 5]! >>> (b & 31)) & 1) === 0;
  const out: Exclusion[] = [];
  if (narrow.length > 0 && narrow.length < ascii.length) out.push(new Exclusion(narrow, leadDies));
  if (ascii.length > 0 || leadDies) out.push(new Exclusion(ascii, leadDies));
  if (!leadDies) out.push(new Exclusion(ascii, true));
  return out;
}
