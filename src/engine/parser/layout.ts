import type { GapMarker, IndentationOptions } from '../grammar/ir.ts';

/** Gap classes of the %ignore'd text read since the last lexeme (gap markers, earley.ts). */
export const GAP_EMPTY = 0;
export const GAP_SPACES = 1;
export const GAP_NEWLINE = 2;

/** The gap class once more ignored text (holding a line break or not) is read after a gap of class `cls`. */
export function gapAfter(cls: number, newline: boolean): number {
  return newline ? GAP_NEWLINE : cls === GAP_EMPTY ? GAP_SPACES : cls;
}

/** Marker kind bits (per lexeme in LayoutTables.markerBit). */
export const MARK_NONE = 1;
export const MARK_NO_NEWLINE = 2;
export const MARK_NEWLINE = 4;

/** Marker kinds whose items hold after a gap of each class (index = GAP_*). */
export const VALID_MARKS: readonly number[] = [MARK_NONE | MARK_NO_NEWLINE, MARK_NO_NEWLINE, MARK_NEWLINE];

/**
 * Indentation states, interned: the indentation stack (columns, bottom 0), the bracket depth and
 * the pending column (the column of the line after a `_NEWLINE` not yet compared with the stack, or
 * -1). Id 0 is the initial state ([0], depth 0, nothing pending). Each parser row carries one id
 * (earley.ts `rowLayout`), so popping rows restores it and the interned parser state includes it.
 * Transitions are cached per (state, operation).
 */
export class IndentStates {
  private readonly stacks: Int32Array[] = [];
  private readonly depths: number[] = [];
  private readonly pends: number[] = [];
  private readonly ids = new Map<string, number>();
  private readonly cache = new Map<number, number>();
  /** Per state: the resolved state (pending compared with the stack), -1 inconsistent, -2 not computed. */
  private resolvedId = new Int32Array(16).fill(-2);
  /** Per state: +1 (one INDENT), -k (k DEDENTs) or 0, for resolvedId. */
  private resolvedMoves = new Int32Array(16);

  constructor() {
    this.intern(Int32Array.of(0), 0, -1);
  }

  depth(id: number): number {
    return this.depths[id]!;
  }

  pending(id: number): number {
    return this.pends[id]!;
  }

  /** The indentation stack of a state (columns, bottom 0). Do not modify. */
  stack(id: number): Int32Array {
    return this.stacks[id]!;
  }

  get size(): number {
    return this.stacks.length;
  }

  /** The state with `col` pending (a `_NEWLINE` outside brackets). */
  withPending(id: number, col: number): number {
    const key = id * 4096 + col;
    let r = this.cache.get(key);
    if (r === undefined) {
      r = this.intern(this.stacks[id]!, this.depths[id]!, col);
      this.cache.set(key, r);
    }
    return r;
  }

  /** The state after an open (+1) or close (-1) bracket; depth never goes below 0. */
  withBracket(id: number, delta: 1 | -1): number {
    const key = -(id * 4 + (delta > 0 ? 1 : 2));
    let r = this.cache.get(key);
    if (r === undefined) {
      r = this.intern(this.stacks[id]!, Math.max(0, this.depths[id]! + delta), this.pends[id]!);
      this.cache.set(key, r);
    }
    return r;
  }

  /**
   * Compares the pending column with the stack: returns the resolved state (nothing pending) or -1
   * for an inconsistent dedent; `moves(id)` then says how many INDENT (+1) or DEDENT (-k) tokens.
   */
  resolve(id: number): number {
    if (id >= this.resolvedId.length) this.growResolved(id + 1);
    const cached = this.resolvedId[id]!;
    if (cached !== -2) return cached;
    const stack = this.stacks[id]!;
    const col = this.pends[id]!;
    const top = stack[stack.length - 1]!;
    let out: number;
    let moves = 0;
    if (col < 0 || col === top) out = col < 0 ? id : this.intern(stack, this.depths[id]!, -1);
    else if (col > top) {
      const s = new Int32Array(stack.length + 1);
      s.set(stack);
      s[stack.length] = col;
      out = this.intern(s, this.depths[id]!, -1);
      moves = 1;
    } else {
      let n = stack.length;
      while (n > 1 && stack[n - 1]! > col) n--;
      if (stack[n - 1] !== col) out = -1;
      else {
        out = this.intern(stack.subarray(0, n), this.depths[id]!, -1);
        moves = -(stack.length - n);
      }
    }
    if (id >= this.resolvedId.length) this.growResolved(id + 1);
    this.resolvedId[id] = out;
    this.resolvedMoves[id] = moves;
    return out;
  }

  /** INDENT (+1) / DEDENT (-k) count of resolve(id) (call resolve first). */
  moves(id: number): number {
    return this.resolvedMoves[id]!;
  }

  private growResolved(min: number): void {
    let n = this.resolvedId.length;
    while (n < min) n *= 2;
    const a = new Int32Array(n).fill(-2);
    a.set(this.resolvedId);
    this.resolvedId = a;
    const b = new Int32Array(n);
    b.set(this.resolvedMoves);
    this.resolvedMoves = b;
  }

  private intern(stack: Int32Array, depth: number, pend: number): number {
    const key = `${stack.join(',')}|${depth}|${pend}`;
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.stacks.length;
      this.stacks.push(Int32Array.from(stack));
      this.depths.push(depth);
      this.pends.push(pend);
      this.ids.set(key, id);
    }
    return id;
  }
}

/** What the parser needs for indentation and gap markers (null in ParserShared when neither is used). */
export class LayoutTables {
  readonly indent: IndentationOptions | null;
  readonly states = new IndentStates();
  /** Per lexeme: +1 open bracket, -1 close bracket, 0 other. */
  readonly bracket: Int8Array;
  /** Per lexeme: MARK_* bit of a gap marker, 0 other. */
  readonly markerBit: Uint8Array;
  readonly hasGaps: boolean;
  /** Whether some gap marker is a `newline` one (carryIgnored moves items past them). */
  readonly hasNewlineMarks: boolean;
  /** Per interned lexeme set: OR of the MARK_* bits of its lexemes, or -1 not computed. */
  setMarks = new Int8Array(64).fill(-1);

  constructor(nLexemes: number, indent: IndentationOptions | undefined, gaps: readonly GapMarker[] | undefined) {
    this.indent = indent ?? null;
    this.bracket = new Int8Array(nLexemes);
    this.markerBit = new Uint8Array(nLexemes);
    if (indent) {
      for (const o of indent.open) this.bracket[o] = 1;
      for (const c of indent.close) this.bracket[c] = -1;
    }
    for (const g of gaps ?? []) this.markerBit[g.lexeme] = g.kind === 'none' ? MARK_NONE : g.kind === 'no_newline' ? MARK_NO_NEWLINE : MARK_NEWLINE;
    this.hasGaps = (gaps?.length ?? 0) > 0;
    this.hasNewlineMarks = (gaps ?? []).some((g) => g.kind === 'newline');
  }

  /** MARK_* bits of the markers in lexeme set `setId` (`ids` its members). */
  marksOfSet(setId: number, ids: Int32Array): number {
    if (setId >= this.setMarks.length) {
      let n = this.setMarks.length;
      while (n <= setId) n *= 2;
      const a = new Int8Array(n).fill(-1);
      a.set(this.setMarks);
      this.setMarks = a;
    }
    let m = this.setMarks[setId]!;
    if (m < 0) {
      m = 0;
      for (let i = 0; i < ids.length; i++) m |= this.markerBit[ids[i]!]!;
      this.setMarks[setId] = m;
    }
    return m;
  }
}
