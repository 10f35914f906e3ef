import { Lexer } from '../lexer/lexer.ts';
import { SLICE_BOUNDS, UNBOUNDED, type StringSlices } from '../trie/string-slices.ts';
import { F_ENDS, type GrammarCore } from './core.ts';

/**
 * Pairs (plain-string DFA state, lexer state) one search visits at most, and lexer transitions it
 * may compute: past either, it settles for the bound proven so far. Each pair costs one pass over
 * ≤ 190 live bytes, so a search stays well under the cost of the walk it saves.
 */
const MAX_PAIRS = 1024;
const MAX_NEW_TRANSITIONS = 4096;

/**
 * The largest slice bound k (one of SLICE_BOUNDS) such that every plain string of at most k
 * characters, read from lexer state `s`, stays inside the current lexeme: no byte kills it and the
 * lexeme is never forced to end before the string does. Then every token of slice k is allowed in
 * `s` and none of them leaves the lexeme, so a mask walk may take the slice whole. 0 when none.
 *
 * A search over pairs (plain-DFA state, lexer state) by characters read (a 0-1 BFS: a lead byte
 * costs one character, a continuation byte none) finds the fewest characters of a string that
 * fails. The string-slices file explains what the slices are.
 */
export function sliceBound(core: GrammarCore, slices: StringSlices, s: number): number {
  const lx = core.lexer;
  const next = slices.next;
  const live = slices.liveBytes;
  const nq = live.length;
  const visited = new Set<number>([s * nq + slices.start]);
  let level: number[] = [slices.start, s];
  let chars = 0;
  let minFail = Infinity;
  let computed = 0;
  let exhausted = false;
  while (level.length > 0 && !exhausted) {
    const later: number[] = [];
    // Pairs at `chars` characters; continuation bytes add pairs to this same level.
    while (level.length > 0) {
      const ls = level.pop()!;
      const q = level.pop()!;
      const ends = (core.stateFlags(ls) & F_ENDS) !== 0;
      const bytes = live[q]!;
      for (let j = 0; j < bytes.length; j++) {
        const b = bytes[j]!;
        const lead = (b & 0xc0) === 0x80 ? 0 : 1;
        if (ends) {
          minFail = Math.min(minFail, chars + lead);
          break;
        }
        let t = lx.transitions[ls * 256 + b]!;
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
        const q2 = next[q * 256 + b]!;
        const key = t * nq + q2;
        if (visited.has(key)) continue;
        if (visited.size >= MAX_PAIRS) {
          exhausted = true;
          break;
        }
        visited.add(key);
        if (lead === 0) level.push(q2, t);
        else later.push(q2, t);
      }
      if (exhausted) break;
    }
    // Every failure found from here on needs more than chars + 1 characters.
    if (minFail <= chars + 1) break;
    if (exhausted) break;
    level = later;
    chars++;
  }
  // Proven: no string of fewer than `limit` characters fails (when the search stopped early, only
  // strings whose prefixes were all expanded, i.e. of fewer than `chars` characters).
  const limit = exhausted ? Math.min(minFail, chars) : minFail;
  for (const k of SLICE_BOUNDS) {
    if (k === UNBOUNDED ? limit === Infinity : k < limit) return k;
  }
  return 0;
}
