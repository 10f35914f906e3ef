import { EngineError } from '../errors.ts';
import { PLAIN_TEXT } from '../tokenizer/types.ts';
import { AUX_COLUMN, Lexer } from '../lexer/lexer.ts';
import { MARK_NEWLINE, MARK_NONE, MARK_NO_NEWLINE, VALID_MARKS } from '../parser/layout.ts';
import { SYM_END } from '../parser/tables.ts';
import {
  completionCosts, COST_SCALE, onePerByteClass, readableBytes, ROLE_DEDENT, ROLE_INDENT, ROLE_MARK, ROLE_NEWLINE, ROLE_TEXT, type CompletionCosts,
} from './completion-costs.ts';
import { F_ENDS, type GrammarCore } from './core.ts';
import { Cursor, CursorMark } from './cursor.ts';
import { MinHeap } from './min-heap.ts';
import type { CompletionOptions } from './types.ts';

/**
 * The shortest text that, appended to what a matcher has read, makes the grammar accept
 * (docs/engine-matcher.md, "Shortest completion"). Everything is read on the matcher's own
 * cursor and undone (rows pushed are popped, as a mask does). Four steps, and a fallback:
 *
 * 1. The lexeme being read: a breadth-first walk of the lexer DFA from its state finds, per lexeme
 *    still alive, the fewest bytes that complete it (nothing when it is complete already); each
 *    way of ending it is one start, and the lexeme is closed there.
 * 2. The chart: from a start, Dijkstra over (row, rule) nodes. An item (dot, origin) of the top row
 *    completes its rule from `origin` for the cost of the rest of its production (cheapest
 *    derivations, completion-costs.ts); a rule completed from row o advances every item of row o
 *    waiting for it, for the cost of the rest of that item's production, and so on down to the
 *    start rule completed from row 0. Only rows reached through origins are read.
 * 3. The cheapest path is expanded into lexemes and written out: each lexeme's shortest text, a
 *    separator (`%ignore`d text) where the lexeme before would read on into it or word_boundary
 *    refuses the seam, gap markers respected, and with indentation each `_NEWLINE` written with the
 *    column its `_INDENT`/`_DEDENT`s need (from the row's indentation stack).
 * 4. The text is read byte by byte and kept only when the grammar then accepts (and, with a
 *    suffix, when the suffix then reads to a sentence). A start or path whose text does not check
 *    is dropped and the next cheapest is tried.
 * 5. When none checks, a best-first search writes one lexeme at a time on real positions, ranked by
 *    bytes written plus the chart's estimate from there (stepwise).
 *
 * With a suffix (fill in the middle), every node the chart settles is a candidate, cheapest first:
 * the text that completes that rule, after which the suffix must read to a sentence.
 *
 * Minimal in bytes up to what the costs leave out (separators, columns; completion-costs.ts), and
 * among completions that write each lexeme with its shortest text. Bounded: maxBytes of text,
 * maxSteps of work (chart items read, lexer states visited, bytes read), maxCandidates texts checked.
 */

export const DEFAULT_COMPLETION_OPTIONS: Required<Omit<CompletionOptions, 'suffix'>> = {
  maxBytes: 4096,
  maxSteps: 1_000_000,
  maxCandidates: 32,
};

/** Lexer states the walk that finishes the pending lexeme may visit. */
const MAX_LEXEME_STATES = 4096;
/** Ways of ending the pending lexeme tried (one chart search each). */
const MAX_STARTS = 8;
/** Positions the lexeme-by-lexeme search (stepwise) expands before giving up. */
const MAX_STEPWISE = 64;

/** A path found in the chart: the start's bytes and the dots whose rests it writes, innermost first. */
interface Candidate {
  cost: number;
  start: Uint8Array;
  dots: number[];
}

/** Thrown when the work budget (maxSteps) runs out. */
class OutOfSteps extends Error {}

const EMPTY = new Uint8Array(0);

/**
 * Bytes that complete the text read by `cursor`, or null when none is found within the limits.
 * With `suffix`, the completion is one after which the suffix's bytes read to a sentence. The
 * search reads on the cursor itself and puts it back where it was (rows pushed are popped, as a
 * mask does): copying the chart of a long text would cost more than the search.
 */
export function shortestCompletionBytes(core: GrammarCore, cursor: Cursor, options: CompletionOptions = {}): Uint8Array | null {
  const home = cursor.save(new CursorMark());
  try {
    return new CompletionSearch(core, cursor, home, options).run();
  } catch (e) {
    if (e instanceof OutOfSteps) return null;
    throw e;
  } finally {
    cursor.restore(home);
  }
}

/** A bound of CompletionOptions: an integer ≥ 0 (EngineError STATE otherwise). */
function bound(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 0) throw new EngineError('STATE', `shortestCompletion: ${name} must be an integer ≥ 0, not ${v}`);
  return v;
}

class CompletionSearch {
  private readonly costs: CompletionCosts;

  private readonly maxBytes: number;
  private readonly maxCandidates: number;
  private readonly maxCost: number;
  private readonly suffix: Uint8Array | null;
  private steps: number;
  /** Bytes written since `home` (the text being built). */
  private out: number[] = [];

  // Chart search nodes (row, rule), reused between starts.
  private nodeIds = new Map<number, number>();
  private nodeRow: number[] = [];
  private nodeRule: number[] = [];
  private nodeCost: number[] = [];
  private nodePred: number[] = [];
  private nodeDot: number[] = [];
  private nodeDone: number[] = [];
  private readonly heap = new MinHeap();

  constructor(
    private readonly core: GrammarCore,
    private readonly work: Cursor,
    private readonly home: CursorMark,
    options: CompletionOptions,
  ) {
    this.costs = completionCosts(core);
    this.maxBytes = bound('maxBytes', options.maxBytes ?? DEFAULT_COMPLETION_OPTIONS.maxBytes);
    this.steps = bound('maxSteps', options.maxSteps ?? DEFAULT_COMPLETION_OPTIONS.maxSteps);
    this.maxCandidates = bound('maxCandidates', options.maxCandidates ?? DEFAULT_COMPLETION_OPTIONS.maxCandidates);
    this.maxCost = (this.maxBytes + 1) * COST_SCALE;
    if (options.suffix !== undefined && typeof options.suffix !== 'string') throw new EngineError('STATE', 'shortestCompletion: suffix must be a string');
    this.suffix = options.suffix !== undefined ? new TextEncoder().encode(options.suffix) : null;
  }

  run(): Uint8Array | null {
    if (this.accepts()) return EMPTY;
    const cut = this.suffix !== null;
    const homeFresh = this.home.fresh;
    const tried = new Set<string>();
    let checked = 0;
    // First the ways of ending each alive lexeme soonest; when none of them can be written on
    // (the lexeme would read on into every next text: a line comment before a word), more ways.
    for (const more of [false, true]) {
      const candidates: Candidate[] = [];
      for (const start of this.starts(more)) {
        this.work.restore(this.home);
        if (!this.stepAll(start) || !this.work.closeLexeme()) continue;
        this.chart(start, cut, candidates);
      }
      candidates.sort((a, b) => a.cost - b.cost);
      for (const c of candidates) {
        const lexemes = this.expand(c.dots);
        const key = `${c.start.join(',')}|${lexemes.join(',')}`;
        if (tried.has(key)) continue;
        tried.add(key);
        if (checked++ >= this.maxCandidates) return null;
        const bytes = this.render(c.start, lexemes);
        if (bytes !== null && bytes.length <= this.maxBytes) return bytes;
      }
      if (homeFresh) break;
    }
    return this.stepwise();
  }

  // ---- when no plan checks: one lexeme at a time -------------------------------------------

  /**
   * A best-first search over real positions, one lexeme written at a time, each position ranked by
   * the bytes written plus the chart's cost from there (the plan's estimate; 0 with a suffix). For
   * the rare plan that cannot be written where it is: a lexeme the lexeme before would read on
   * into, with no separator allowed between them (a Go `;` that takes the line break after it),
   * where an equally short plan can. At most MAX_STEPWISE positions are expanded.
   */
  private stepwise(): Uint8Array | null {
    const nodes: Uint8Array[] = [];
    const heap = new MinHeap();
    const seen = new Set<string>();
    const add = (bytes: Uint8Array): void => {
      const key = bytes.join(',');
      if (seen.has(key) || bytes.length > this.maxBytes) return;
      seen.add(key);
      const h = this.estimate();
      if (h === Infinity) return;
      nodes.push(bytes);
      heap.push(bytes.length * COST_SCALE + h, nodes.length - 1);
    };
    for (const more of [false, true]) {
      for (const start of this.starts(more)) {
        this.work.restore(this.home);
        this.out.length = 0;
        if (this.stepAll(start)) add(start);
      }
    }
    const cur = this.work;
    const mark = new CursorMark();
    for (let expanded = 0; heap.size > 0 && expanded < MAX_STEPWISE; expanded++) {
      const bytes = nodes[heap.pop()]!;
      cur.restore(this.home);
      this.out.length = 0;
      if (!this.stepAll(bytes)) continue;
      if (this.accepts()) return bytes;
      cur.save(mark);
      const len = this.out.length;
      for (const text of this.nextTexts()) {
        cur.restore(mark);
        this.out.length = len;
        if (this.writeLexeme(text, 0)) add(Uint8Array.from(this.out));
      }
    }
    return null;
  }

  /** The chart's cost to a sentence from the work cursor (0 with a suffix), Infinity when there is none. */
  private estimate(): number {
    if (this.suffix !== null) return 0;
    const cur = this.work;
    const mark = cur.save(new CursorMark());
    let cost = Infinity;
    if (cur.closeLexeme()) {
      const found: Candidate[] = [];
      this.chart(EMPTY, false, found);
      if (found.length > 0) cost = found[0]!.cost;
    }
    cur.restore(mark);
    return cost;
  }

  /**
   * The texts that may come next at the work cursor: the shortest text of each lexeme the parser
   * allows after the pending one (those only %ignore'd left out), and for the indentation newline a line break
   * to each column that can follow (one level deeper, the current level, each level below).
   */
  private nextTexts(): Uint8Array[] {
    const core = this.core;
    const costs = this.costs;
    const cur = this.work;
    const mark = cur.save(new CursorMark());
    const out: Uint8Array[] = [];
    if (cur.closeLexeme()) {
      const p = cur.parser;
      const ids = core.shared.lexemeSets.sets[p.allowedSet()]!;
      const used = core.tables.lexemeUsed;
      const ind = core.grammar.options?.indentation;
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i]!;
        if (used[id] === 0 || costs.text[id] === null) continue;
        if (ind && id === ind.newline) {
          const stack = core.shared.layout!.states.stack(p.topLayout());
          const top = stack[stack.length - 1]!;
          const cols = [top + (stack.length >= 2 ? top - stack[stack.length - 2]! : 4), ...Array.from(stack).reverse()];
          for (const c of cols) out.push(Uint8Array.from([...costs.text[id]!, ...new Array<number>(c).fill(0x20)]));
        } else out.push(costs.text[id]!);
      }
    }
    cur.restore(mark);
    return out;
  }

  // ---- 1. the lexeme being read ------------------------------------------------------------

  /**
   * The ways of ending the pending lexeme, shortest first: bytes after which some alive lexeme
   * matches (one per lexeme first completed there), or with `more` the other matching states met
   * on the way (MAX_STARTS in all). Nothing pending: one empty start.
   */
  private starts(more: boolean): Uint8Array[] {
    const core = this.core;
    const cur = this.work;
    cur.restore(this.home);
    if (cur.fresh) return more ? [] : [EMPTY];
    const lx = core.lexer;
    const s0 = cur.lexState;
    const out: Uint8Array[] = [];
    const covered = new Set<number>();
    const alive = lx.alive(s0).length;
    let firstOnes = 0;
    const note = (state: number, path: Uint8Array): void => {
      const acc = lx.accepting(state);
      let fresh = false;
      for (let i = 0; i < acc.length; i++) {
        if (!covered.has(acc[i]!)) {
          covered.add(acc[i]!);
          fresh = true;
        }
      }
      if (fresh) firstOnes++;
      if (fresh !== more) out.push(path);
    };
    if (lx.isAcceptingState(s0)) note(s0, EMPTY);
    // Lexeme fallback: a state that does not match but has a complete prefix ends there.
    else if (core.fallback && lx.fallbackAccept(s0) >= 0) {
      firstOnes++;
      if (!more) out.push(EMPTY);
    }
    // Printable ASCII first (readable, valid UTF-8 after a complete character); all bytes only
    // when that finds nothing (the text ends inside a multi-byte character).
    for (const reps of [this.asciiReps(), this.allReps()]) {
      if (reps !== this.asciiRepsCache && firstOnes > 0) break;
      const prev = new Map<number, number>();
      const via = new Map<number, number>();
      const queue = [s0];
      prev.set(s0, -1);
      for (let qi = 0; qi < queue.length && qi < MAX_LEXEME_STATES && out.length < MAX_STARTS && (more || covered.size < alive); qi++) {
        const s = queue[qi]!;
        // A lexeme that ends here (lazy, or cannot grow) is never extended by the cursor.
        if (s !== s0 && (core.stateFlags(s) & F_ENDS) !== 0) continue;
        for (let k = 0; k < reps.length; k++) {
          const b = reps[k]!;
          const t = lx.next(s, b);
          this.spend(1);
          if (t === Lexer.DEAD || prev.has(t)) continue;
          prev.set(t, s);
          via.set(t, b);
          queue.push(t);
          if (lx.isAcceptingState(t)) {
            const path: number[] = [];
            for (let x = t; x !== s0; x = prev.get(x)!) path.push(via.get(x)!);
            if (path.length <= this.maxBytes) note(t, Uint8Array.from(path.reverse()));
          }
        }
      }
    }
    return out;
  }

  private asciiRepsCache: number[] | null = null;
  private allRepsCache: number[] | null = null;

  /** One printable (or tab, newline) ASCII byte per lexer byte class, most readable first. */
  private asciiReps(): number[] {
    this.asciiRepsCache ??= readableBytes(this.core.lexer);
    return this.asciiRepsCache;
  }

  /** One byte per lexer byte class, readable ASCII first. */
  private allReps(): number[] {
    if (this.allRepsCache === null) {
      const order = [...this.asciiReps()];
      for (let b = 0; b < 256; b++) order.push(b);
      this.allRepsCache = this.byClass(order);
    }
    return this.allRepsCache;
  }

  private byClass(order: number[]): number[] {
    return onePerByteClass(this.core.lexer, order);
  }

  // ---- 2. the chart ------------------------------------------------------------------------

  /**
   * Dijkstra over (row, rule) from the work cursor's top row (a lexeme boundary). Adds the
   * cheapest path to the accepted start rule, or with `cut` every node settled in cost order
   * (each one a place where a suffix may take over).
   */
  private chart(start: Uint8Array, cut: boolean, out: Candidate[]): void {
    const p = this.work.parser;
    const t = this.core.tables;
    const { dotSym, dotLhs } = t;
    const nLex = t.nLexemes;
    const rest = this.costs.restCost;
    const base = start.length * COST_SCALE;
    this.resetNodes();
    const top = p.depth - 1;
    const gapCls = p.topGapClass();
    const from = p.rowFrom(top);
    const to = p.rowTo(top);
    const predicted = p.predictedDots(top);
    this.spend(to - from + predicted.length);
    for (let k = from; k < to + predicted.length; k++) {
      // The stored items, then the predicted part (origin: the row itself).
      const d = k < to ? p.dotOf(k) : predicted[k - to]!;
      const c = rest[d]!;
      if (c === Infinity || !this.markerFits(dotSym[d]!, gapCls)) continue;
      this.relax(k < to ? p.originOf(k) : top, dotLhs[d]!, base + c, -1, d);
    }
    const goal = t.augmentedRule;
    let settled = 0;
    while (this.heap.size > 0) {
      const n = this.heap.pop();
      if (this.nodeDone[n] === 1) continue;
      this.nodeDone[n] = 1;
      const c = this.nodeCost[n]!;
      if (c > this.maxCost) break;
      const rule = this.nodeRule[n]!;
      if (cut) {
        if (settled++ >= this.maxCandidates * 8) break;
        out.push({ cost: c, start, dots: this.pathOf(n) });
      }
      if (rule === goal) {
        if (!cut) out.push({ cost: c, start, dots: this.pathOf(n) });
        break;
      }
      const row = this.nodeRow[n]!;
      const code = nLex + rule;
      const rf = p.rowFrom(row);
      const rt = p.rowTo(row);
      const predicted = p.predictedDots(row);
      this.spend(rt - rf + predicted.length);
      const noText = c - base < COST_SCALE;
      for (let k = rf; k < rt + predicted.length; k++) {
        const d = k < rt ? p.dotOf(k) : predicted[k - rt]!;
        if (dotSym[d] !== code) continue;
        const r = rest[d + 1]!;
        if (r === Infinity) continue;
        // A marker right after a rule completed with no text yet applies to the gap read already.
        if (noText && !this.markerFits(dotSym[d + 1]!, gapCls)) continue;
        this.relax(k < rt ? p.originOf(k) : row, dotLhs[d]!, c + r, n, d + 1);
      }
    }
  }

  /** Whether symbol s, when it is a gap marker, can hold after the gap of class gapCls (-1: no lexeme before). */
  private markerFits(s: number, gapCls: number): boolean {
    const costs = this.costs;
    if (s < 0 || s >= costs.role.length || costs.role[s] !== ROLE_MARK) return true;
    if (gapCls < 0) return false;
    // A line break can still be written into the gap; the other kinds must hold for what was read.
    return costs.mark[s] === MARK_NEWLINE || (costs.mark[s]! & VALID_MARKS[gapCls]!) !== 0;
  }

  private resetNodes(): void {
    this.nodeIds.clear();
    this.nodeRow.length = 0;
    this.nodeRule.length = 0;
    this.nodeCost.length = 0;
    this.nodePred.length = 0;
    this.nodeDot.length = 0;
    this.nodeDone.length = 0;
    this.heap.clear();
  }

  private relax(row: number, rule: number, cost: number, pred: number, dot: number): void {
    if (cost > this.maxCost) return;
    const key = row * this.core.tables.nRules + rule;
    let n = this.nodeIds.get(key);
    if (n === undefined) {
      n = this.nodeRow.length;
      this.nodeIds.set(key, n);
      this.nodeRow.push(row);
      this.nodeRule.push(rule);
      this.nodeCost.push(cost);
      this.nodePred.push(pred);
      this.nodeDot.push(dot);
      this.nodeDone.push(0);
    } else {
      if (this.nodeDone[n] === 1 || cost >= this.nodeCost[n]!) return;
      this.nodeCost[n] = cost;
      this.nodePred[n] = pred;
      this.nodeDot[n] = dot;
    }
    this.heap.push(cost, n);
  }

  /** The dots whose rests lead to node n, innermost (the top row's item) first. */
  private pathOf(n: number): number[] {
    const dots: number[] = [];
    for (let x = n; x >= 0; x = this.nodePred[x]!) dots.push(this.nodeDot[x]!);
    return dots.reverse();
  }

  // ---- 3. lexemes and their text ---------------------------------------------------------

  /** The lexemes of the rests of `dots`, each rule expanded by its cheapest derivation. */
  private expand(dots: number[]): number[] {
    const t = this.core.tables;
    const { dotSym, prodDot0 } = t;
    const nLex = t.nLexemes;
    const ruleProd = this.costs.ruleProd;
    const out: number[] = [];
    const stack: number[] = [];
    for (const d0 of dots) {
      stack.push(d0);
      while (stack.length > 0) {
        const d = stack.pop()!;
        const s = dotSym[d]!;
        if (s === SYM_END) continue;
        stack.push(d + 1);
        if (s < nLex) out.push(s);
        else stack.push(prodDot0[ruleProd[s - nLex]!]!);
      }
    }
    return out;
  }

  /**
   * Writes the start's bytes and the lexemes on the work cursor (from home) and returns the bytes
   * when the grammar then accepts (with the suffix after them, if any); null otherwise.
   */
  private render(start: Uint8Array, lexemes: number[]): Uint8Array | null {
    const core = this.core;
    const costs = this.costs;
    const cur = this.work;
    cur.restore(this.home);
    this.out.length = 0;
    if (!this.stepAll(start)) return null;
    const ind = core.grammar.options?.indentation;
    // Indentation: the stack as the rows have it, and a newline read but not compared yet.
    let stack: number[] = [];
    let nlPending = false;
    let openCol = -1;
    if (ind) {
      const probe = cur.save(new CursorMark());
      if (cur.closeLexeme()) {
        const layout = core.shared.layout!;
        const lay = cur.parser.topLayout();
        stack = [...layout.states.stack(lay)];
        nlPending = layout.states.pending(lay) >= 0;
      }
      cur.restore(probe);
      // The newline lexeme still being read: spaces written now extend its column.
      if (nlPending && !cur.fresh && core.lexer.accepting(cur.lexState).includes(ind.newline)) openCol = core.lexer.aux(cur.lexState) & AUX_COLUMN;
    }
    let nlWritten = false;
    let indents = 0;
    let dedents = 0;
    let marks = 0;
    for (const id of lexemes) {
      const role = costs.role[id]!;
      if (role === ROLE_MARK) {
        marks |= costs.mark[id]!;
        continue;
      }
      if (role === ROLE_INDENT) {
        indents++;
        continue;
      }
      if (role === ROLE_DEDENT) {
        dedents++;
        continue;
      }
      if (role === ROLE_NEWLINE) {
        nlPending = true;
        nlWritten = true;
        continue;
      }
      if (role !== ROLE_TEXT) return null;
      if (ind && (nlPending || indents > 0 || dedents > 0)) {
        // The line break before this lexeme, with the column its INDENT/DEDENTs need.
        if (stack.length === 0 || indents > 1 || (indents > 0 && dedents > 0) || dedents >= stack.length) return null;
        const topCol = stack[stack.length - 1]!;
        let col = topCol;
        if (indents === 1) {
          // Deeper: the column read already when it is deeper, else one more of the file's unit.
          col = !nlWritten && openCol > topCol ? openCol : topCol + (stack.length >= 2 ? topCol - stack[stack.length - 2]! : 4);
          stack.push(col);
        } else if (dedents > 0) {
          stack.length -= dedents;
          col = stack[stack.length - 1]!;
        }
        const spaces = (n: number): number[] => new Array<number>(n).fill(0x20);
        const nl = costs.text[ind.newline]!;
        const text = !nlWritten && openCol >= 0 && openCol <= col ? spaces(col - openCol) : [...nl, ...spaces(col)];
        if (!this.stepAll(Uint8Array.from(text))) return null;
        nlPending = nlWritten = false;
        indents = dedents = 0;
        openCol = -1;
        marks = 0;
      }
      if (!this.writeLexeme(costs.text[id]!, marks)) return null;
      marks = 0;
    }
    if (this.accepts()) return Uint8Array.from(this.out);
    // A line break the path ends with (and the dedents after it) is implicit at the end of the
    // text; where it is not (a gap marker asking for one), write it.
    if (ind && nlPending && this.stepAll(costs.text[ind.newline]!) && this.accepts()) return Uint8Array.from(this.out);
    return null;
  }

  /**
   * Writes one lexeme's text, with a separator before it where needed: the gap must hold a line
   * break, the lexeme before would read on into this text, or the text is refused at the seam
   * (word_boundary). `marks`: MARK_* bits of the gap markers before it.
   */
  private writeLexeme(text: Uint8Array, marks: number): boolean {
    const cur = this.work;
    const mark = cur.save(new CursorMark());
    const len = this.out.length;
    const mustBreak = (marks & MARK_NEWLINE) !== 0;
    if (!mustBreak) {
      if (!this.absorbs(text[0]!) && this.stepAll(text)) return true;
      cur.restore(mark);
      this.out.length = len;
    }
    if ((marks & MARK_NONE) !== 0) return false;
    for (const sep of this.costs.separators) {
      const hasBreak = sep.includes(0x0a);
      if ((mustBreak && !hasBreak) || ((marks & MARK_NO_NEWLINE) !== 0 && hasBreak)) continue;
      if (this.stepAll(sep) && !this.absorbs(text[0]!) && this.stepAll(text)) return true;
      cur.restore(mark);
      this.out.length = len;
    }
    return false;
  }

  /** Whether the lexeme being read would take byte b (greedy lexing: it continues while it can). */
  private absorbs(b: number): boolean {
    const cur = this.work;
    return !cur.fresh && this.core.lexer.next(cur.lexState, b) !== Lexer.DEAD;
  }

  // ---- 4. checking -------------------------------------------------------------------------

  /** Whether the text so far is a sentence; with a suffix, whether the suffix then reads to one. */
  private accepts(): boolean {
    const cur = this.work;
    if (this.suffix === null) return cur.isAccepting();
    const mark = cur.save(new CursorMark());
    const ok = this.stepAll(this.suffix, false) && cur.isAccepting();
    cur.restore(mark);
    return ok;
  }

  /** Reads bytes on the work cursor (recording them unless `record` is false); false when one is refused. */
  private stepAll(bytes: Uint8Array, record = true): boolean {
    this.spend(bytes.length);
    const cur = this.work;
    for (let i = 0; i < bytes.length; i++) {
      if (!cur.stepByte(bytes[i]!)) return false;
      if (record) this.out.push(bytes[i]!);
    }
    return true;
  }

  private spend(n: number): void {
    this.steps -= n;
    if (this.steps < 0) throw new OutOfSteps();
  }
}

/**
 * Tokens that spell exactly `bytes` (a completion the search read byte by byte, so any spelling of
 * them is taken by the matcher the same way): the tokenizer's own encoding when it gives back
 * exactly these bytes, else the longest vocabulary token at each position. Special tokens, and
 * tokens the grammar scans by id (`<[…]>` sets), are never used. Null when some byte has no token.
 */
export function completionTokens(core: GrammarCore, bytes: Uint8Array): number[] | null {
  const tok = core.tokenizer;
  // Bytes that continue a character begun before the completion cannot go through encode(text).
  let lead = 0;
  while (lead < bytes.length && lead < 3 && (bytes[lead]! & 0xc0) === 0x80) lead++;
  let text: string | null = null;
  try {
    text = strictDecoder.decode(bytes.subarray(lead));
  } catch {
    text = null;
  }
  if (text !== null) {
    const first = lead > 0 ? longestTokens(core, bytes.subarray(0, lead)) : [];
    const rest = tok.encode(text, PLAIN_TEXT);
    if (first !== null && spells(core, rest, bytes.subarray(lead))) return [...first, ...rest];
  }
  return longestTokens(core, bytes);
}

const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Whether the tokens' bytes, joined, are exactly `bytes`, with no token special or scanned by id. */
function spells(core: GrammarCore, ids: number[], bytes: Uint8Array): boolean {
  const tok = core.tokenizer;
  let k = 0;
  for (const id of ids) {
    if (!usable(core, id)) return false;
    const end = tok.offsets[id + 1]!;
    for (let i = tok.offsets[id]!; i < end; i++) if (k >= bytes.length || tok.bytes[i] !== bytes[k++]) return false;
  }
  return k === bytes.length;
}

/** A token that is consumed by its bytes: in the vocabulary, not special, not in a special-token set of the grammar. */
function usable(core: GrammarCore, id: number): boolean {
  if (!(id >= 0 && id < core.tokenizer.vocabSize) || core.tokenizer.isSpecial[id]) return false;
  return ((core.anyTokenSet[id >>> 5]! >>> (id & 31)) & 1) === 0;
}

/** The longest usable trie token at each position; null when a position has none. */
function longestTokens(core: GrammarCore, bytes: Uint8Array): number[] | null {
  const trie = core.trie;
  const offsets = core.tokenizer.offsets;
  const out: number[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    let node = 0;
    let taken = -1;
    for (let k = pos; k < bytes.length; k++) {
      const b = bytes[k]!;
      const end = node + trie.subtreeSize[node]!;
      let child = node + 1;
      while (child < end && trie.byte[child] !== b) child += trie.subtreeSize[child]!;
      if (child >= end) break;
      node = child;
      for (let t = trie.tokenId[node]!; t >= 0; t = trie.nextSameBytes[t]!) {
        if (usable(core, t)) {
          taken = t;
          break;
        }
      }
    }
    if (taken < 0) return null;
    out.push(taken);
    pos += offsets[taken + 1]! - offsets[taken]!;
  }
  return out;
}
