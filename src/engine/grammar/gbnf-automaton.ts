import { EngineError } from '../errors.ts';
import type { Limits } from '../limits.ts';
import { Lexer } from '../lexer/lexer.ts';
import type { Regex } from '../regex/ast.ts';
import { mergeRanges } from './regex-key.ts';

/**
 * A lexeme's language as a deterministic automaton over Unicode code points, built from the
 * engine's own byte-level lexer DFA (so `&`, `~` and lazy lexemes mean exactly what the lexer
 * makes them mean), for printing as right-linear GBNF rules (print-gbnf.ts).
 *
 * - Only valid UTF-8 is followed: overlong forms, surrogates and stray bytes, which a complement
 *   (`~R`, over byte strings) would also match, are left out, because GBNF cannot spell them.
 * - Lexemes are never empty: the start state is its own entry (`start`), never accepting.
 * - Lazy lexemes end at their first match: accepting states lose their outgoing edges.
 * - States that cannot reach an accepting state over valid UTF-8 are dropped.
 */
export interface CodepointDfa {
  /** states[i]: accepting flag and edges (sorted disjoint code point ranges → target state). */
  states: DfaState[];
  /** The start state's edges (as a lexeme, the start is never accepting: lexemes are never empty). */
  start: DfaEdge[];
  /** Whether the regex matches the empty string (for automata of parts of a lexeme). */
  startAccepting: boolean;
}

export interface DfaState {
  accepting: boolean;
  edges: DfaEdge[];
}

export interface DfaEdge {
  ranges: [number, number][];
  target: number;
}

/** Bounds and ranges of valid UTF-8: lead byte ranges per length, and the code points they cover. */
const LEADS: ReadonlyArray<{ lo: number; hi: number; k: number; mask: number }> = [
  { lo: 0xc2, hi: 0xdf, k: 1, mask: 0x1f },
  { lo: 0xe0, hi: 0xef, k: 2, mask: 0x0f },
  { lo: 0xf0, hi: 0xf4, k: 3, mask: 0x07 },
];

/** A segment of continuation values (k × 6 bits) leading to one lexer state. */
interface Segment {
  lo: number;
  hi: number;
  state: number;
}

export function lexemeDfa(name: string, regex: Regex, lazy: boolean, maxStates: number, limits: Limits): CodepointDfa {
  // Each code point expands to at most 4 byte states; bound the lexer accordingly so a huge
  // automaton is refused by the state bound below, never by a LIMIT deep inside the lexer.
  const lx = new Lexer([regex], { ...limits, maxLexerStates: Math.min(limits.maxLexerStates, maxStates * 64 + 1024) });
  const memo = new Map<number, Segment[]>();

  const tooBig = (): never => {
    throw new EngineError('GRAMMAR', `lexeme ${name} cannot be written in GBNF: its automaton has more than ${maxStates} states (raise maxLexemeStates, or simplify the terminal)`);
  };
  const next = (s: number, b: number): number => {
    try {
      return lx.next(s, b);
    } catch (e) {
      if (e instanceof EngineError && e.code === 'LIMIT') tooBig();
      throw e;
    }
  };

  // Continuations of k bytes from lexer state s, as segments of their 6k-bit values.
  const walk = (s: number, k: number): Segment[] => {
    const key = s * 4 + k;
    const hit = memo.get(key);
    if (hit) return hit;
    const out: Segment[] = [];
    for (let b = 0x80; b <= 0xbf; b++) {
      const t = next(s, b);
      if (t === Lexer.DEAD) continue;
      const v = b & 0x3f;
      if (k === 1) {
        const last = out[out.length - 1];
        if (last && last.state === t && last.hi === v - 1) last.hi = v;
        else out.push({ lo: v, hi: v, state: t });
        continue;
      }
      for (const seg of walk(t, k - 1)) {
        const lo = (v << (6 * (k - 1))) | seg.lo;
        const hi = (v << (6 * (k - 1))) | seg.hi;
        const last = out[out.length - 1];
        if (last && last.state === seg.state && last.hi === lo - 1) last.hi = hi;
        else out.push({ lo, hi, state: seg.state });
      }
    }
    memo.set(key, out);
    return out;
  };

  // Code point edges of lexer state s, grouped by target lexer state.
  const edgesOf = (s: number): Map<number, [number, number][]> => {
    const byTarget = new Map<number, [number, number][]>();
    const add = (lo: number, hi: number, t: number): void => {
      let list = byTarget.get(t);
      if (!list) byTarget.set(t, (list = []));
      list.push([lo, hi]);
    };
    for (let b = 0; b < 0x80; b++) {
      const t = next(s, b);
      if (t !== Lexer.DEAD) add(b, b, t);
    }
    for (const lead of LEADS) {
      for (let b = lead.lo; b <= lead.hi; b++) {
        const t = next(s, b);
        if (t === Lexer.DEAD) continue;
        const base = (b & lead.mask) << (6 * lead.k);
        const min = lead.k === 1 ? 0x80 : lead.k === 2 ? 0x800 : 0x10000;
        for (const seg of walk(t, lead.k)) {
          // Clip away overlong forms, surrogates and values past U+10FFFF.
          for (const [a, z] of clip(base | seg.lo, base | seg.hi, min)) add(a, z, seg.state);
        }
      }
    }
    for (const [t, list] of byTarget) byTarget.set(t, mergeRanges(list));
    return byTarget;
  };

  // Breadth-first over lexer states reachable by valid UTF-8.
  const index = new Map<number, number>();
  const lexState: number[] = [];
  const raw: { accepting: boolean; edges: { ranges: [number, number][]; target: number }[] }[] = [];
  const idOf = (s: number): number => {
    let i = index.get(s);
    if (i === undefined) {
      if (lexState.length >= maxStates) tooBig();
      i = lexState.length;
      index.set(s, i);
      lexState.push(s);
    }
    return i;
  };
  const start = lx.startState([0]);
  if (start === Lexer.DEAD) return { states: [], start: [], startAccepting: false };
  idOf(start);
  let startRaw: { ranges: [number, number][]; target: number }[] = [];
  for (let i = 0; i < lexState.length; i++) {
    const s = lexState[i]!;
    const accepting = lx.isAcceptingState(s);
    const edges: { ranges: [number, number][]; target: number }[] = [];
    for (const [t, ranges] of edgesOf(s)) edges.push({ ranges, target: idOf(t) });
    if (i === 0) startRaw = edges;
    // A lazy lexeme ends at its first match. (The start entry keeps its edges: it is never a match.)
    raw.push({ accepting, edges: lazy && accepting ? [] : edges });
  }

  // Keep only states from which an accepting state is reachable.
  const n = raw.length;
  const live = new Uint8Array(n);
  for (let changed = true; changed; ) {
    changed = false;
    for (let i = 0; i < n; i++) {
      if (live[i]) continue;
      const r = raw[i]!;
      if (r.accepting || r.edges.some((e) => live[e.target])) {
        live[i] = 1;
        changed = true;
      }
    }
  }
  const startEdges = startRaw.filter((e) => live[e.target]);
  const states: DfaState[] = raw.map((r, i) => ({
    accepting: r.accepting,
    edges: live[i] ? r.edges.filter((e) => live[e.target]) : [],
  }));
  return { states, start: startEdges, startAccepting: raw[0]!.accepting };
}

function clip(lo: number, hi: number, min: number): [number, number][] {
  const out: [number, number][] = [];
  const push = (a: number, z: number): void => {
    if (a <= z) out.push([a, z]);
  };
  lo = Math.max(lo, min);
  hi = Math.min(hi, 0x10ffff);
  push(lo, Math.min(hi, 0xd7ff));
  push(Math.max(lo, 0xe000), hi);
  return out;
}
