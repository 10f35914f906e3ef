import { EngineError } from '../errors.ts';
import type { Limits } from '../limits.ts';
import { AUX_COLUMN, AUX_NEWLINE, MAX_COLUMN } from '../lexer/lexer.ts';
import { grown } from '../typed-array.ts';
import { GAP_EMPTY, GAP_NEWLINE, gapAfter, MARK_NEWLINE, MARK_NO_NEWLINE, MARK_NONE, VALID_MARKS, type LayoutTables } from './layout.ts';
import { LexemeSetTable } from './lexeme-sets.ts';
import type { PredictionTable } from './predictions.ts';
import type { RowInterner } from './row-intern.ts';
import { SYM_END, type ParserTables } from './tables.ts';
import type { UniqueKeyTables } from './unique-keys.ts';

/**
 * What one compiled grammar's parsers share: the tables, the interned allowed-lexeme sets, and the
 * special-token sets resolved to bitmaps over the vocabulary (bit t of word t>>5).
 */
export interface ParserShared {
  readonly tables: ParserTables;
  readonly lexemeSets: LexemeSetTable;
  readonly tokenSetBits: readonly Uint32Array[];
  readonly limits: Limits;
  readonly predictions: PredictionTable;
  readonly rowInterner: RowInterner;
  /** Indentation and gap markers (layout.ts), or null when the grammar uses neither. */
  readonly layout: LayoutTables | null;
  /** `unique_keys` (unique-keys.ts), or null/absent when the grammar does not use it. */
  readonly keys?: UniqueKeyTables | null;
}

/** rowIds[r] before row r's interned id is computed. */
const ROW_ID_UNKNOWN = -2;
/** Stands for "this row itself" as an origin in an interning key (the initial row's items). */
const ORIGIN_SELF = -3;
/**
 * First entry of the interning key of a row's layout state (its items' id, indentation state, gap
 * class, gap base's id): never a prediction closure id (those are ≥ -1), so these keys never equal
 * a row's key.
 */
const LAYOUT_KEY_TAG = -7;
/** First entry of the interning key of a row's unique_keys state (its items' id, the key state). */
const KEYS_KEY_TAG = -8;
const NO_LEXEMES = new Int32Array(0);

/** Result of a scan: a row was pushed, nothing changed (only %ignore lexemes matched), or no item moved. */
export const SCAN_PUSHED = 1;
export const SCAN_IGNORED = 0;
export const SCAN_FAILED = -1;
/** What a logged read took of its row (EarleyParser.readPart): all of it, or what completions read. */
export const READ_WHOLE = 0;
export const READ_RULES = 1;
let partialReadsOn = true;
/** Turns partial reads (READ_RULES) off or on for parsers made after: for tests and A/B runs. */
export function setPartialReads(on: boolean): void {
  partialReadsOn = on;
}

/** Initial capacity of the item arrays; they double as needed. */
const INITIAL_ITEMS = 1024;
const INITIAL_ROWS = 64;
/** Dedupe hash table starts at this many slots (power of two) and doubles past half full. */
const INITIAL_HASH_SLOTS = 256;
/** predictedDots of a row closed item by item (its predicted items are stored with the others). */
const NO_DOTS = new Int32Array(0);

/**
 * An Earley parser over lexemes with a row stack. Row r holds the items (dot position, origin row)
 * after r scans. Nullable rules are handled as Aycock & Horspool do (predicting a nullable rule also
 * advances over it), which makes completions of empty derivations inside the row unnecessary; left
 * recursion needs nothing special in Earley. Rows can be pushed during a mask walk and popped in
 * O(1) (`popTo`), which is how the matcher rolls back.
 */
export class EarleyParser {
  private readonly t: ParserTables;
  private readonly shared: ParserShared;
  private readonly maxItems: number;

  private itemDot: Int32Array;
  private itemOrigin: Int32Array;
  private itemCount = 0;

  /** rowStart[r] is where row r's items begin; rowStart[rows] == itemCount. */
  private rowStart: Int32Array;
  /** Interned id of the set of lexemes row r allows (lexeme-sets.ts), or -1 when not computed yet. */
  private rowLexemeSet: Int32Array;
  /** 1 when row r expects a special-token symbol somewhere (valid once rowLexemeSet[r] >= 0). */
  private rowExpectsTokens: Uint8Array;
  /** 1 when row r holds the completed start item with origin 0: the text so far is a sentence. */
  private rowAccepts: Uint8Array;
  /**
   * Prediction closure id of row r (the rest of its items, after its stored kernel, are that
   * closure's dots, all with origin r: read from the closure, never stored), or -1 for a row closed
   * item by item (the initial row), whose items are all stored: completions into a row look up the
   * closure's waiting index, scans its index by lexeme (predictions.ts).
   */
  private rowClosure: Int32Array;
  /** Where row r's kernel (items with origins in earlier rows) ends: with a closure, its stored items end there too. */
  private rowKernelEnd: Int32Array;
  /** 1 when row r was reached by an ignored lexeme under ignore_once: it allows no %ignore lexeme. */
  private rowNoIgnore: Uint8Array;
  /** Interned state id of row r (row-intern.ts), ROW_ID_UNKNOWN until computed, -1 = over budget. */
  private rowIds: Int32Array;
  /** With layout (layout.ts): the indentation state id of row r (0 = initial). */
  private rowLayout: Int32Array;
  /** With gap markers: base row × 4 + gap class of row r, or -1 (no marker pending). */
  private rowGap: Int32Array;
  /** With layout: whether the text may end at row r (implicit newline, dedents), -1 not computed. */
  private rowEndAccept: Int8Array;
  private readonly layout: LayoutTables | null;
  /** With unique_keys: the key-tracking state id of row r (unique-keys.ts; 0 = nothing open). */
  private rowKeys: Int32Array;
  private readonly keys: UniqueKeyTables | null;
  /** Rows below this index have their rowIds computed. */
  private internedUpTo = 0;
  private internKey = new Int32Array(64);
  private rows = 0;
  /**
   * The read log of matcher/mask.ts's group memo: pushes log each row below readFloor they read
   * (the top row a scan starts from, the origin rows completions read, the base rows of gap rows
   * and copies), once per row since read number readSince. 0 = nothing is logged.
   */
  readFloor = 0;
  readSince = 0;
  readLog = new Int32Array(256);
  /**
   * Per read logged: what of the row was read, READ_WHOLE (a scan's top row, a gap row's base, a
   * copy) or READ_RULES (what completions read: its items waiting for a rule, traceRow not whole).
   * Partial reads are logged as whole ones when partialReads is off.
   */
  readPart = new Uint8Array(256);
  readLen = 0;
  partialReads: boolean;
  private readSeq = 1;
  private lastRead = new Int32Array(INITIAL_ROWS);
  /** Per row: the part its last logged read took (READ_WHOLE or READ_RULES). */
  private lastReadPart = new Uint8Array(INITIAL_ROWS);
  /** The most items in one row pushed since the mask walker last set it (for limits.maxItemsPerRow). */
  peakItems = 0;
  /** Completed kernel items in the rows traceRow wrote since beginLabels (left out of their keys). */
  traceCompleted = 0;
  private labelGen = 0;
  private labelCount = 0;
  private labelStamp = new Int32Array(INITIAL_ROWS);
  private labelOf = new Int32Array(INITIAL_ROWS);
  private rowOfLabel = new Int32Array(INITIAL_ROWS);

  // Per-row-build scratch.
  private hashDot: Int32Array;
  private hashOrig: Int32Array;
  private hashGen: Int32Array;
  private hashMask: number;
  private gen = 0;
  private readonly predGen: Int32Array;
  private readonly lexMark: Int32Array;
  private lexGen = 0;
  private readonly scratch: Int32Array;
  private readonly allowedKeyBuf: Int32Array;
  private readonly predList: Int32Array;
  private readonly tokMark: Int32Array;
  private readonly isIgnore: Uint8Array;

  constructor(shared: ParserShared) {
    this.shared = shared;
    this.t = shared.tables;
    this.partialReads = partialReadsOn;
    this.maxItems = shared.limits.maxItemsPerRow;
    this.itemDot = new Int32Array(INITIAL_ITEMS);
    this.itemOrigin = new Int32Array(INITIAL_ITEMS);
    this.rowStart = new Int32Array(INITIAL_ROWS + 1);
    this.rowLexemeSet = new Int32Array(INITIAL_ROWS);
    this.rowExpectsTokens = new Uint8Array(INITIAL_ROWS);
    this.rowAccepts = new Uint8Array(INITIAL_ROWS);
    this.rowClosure = new Int32Array(INITIAL_ROWS);
    this.rowKernelEnd = new Int32Array(INITIAL_ROWS);
    this.rowNoIgnore = new Uint8Array(INITIAL_ROWS);
    this.rowIds = new Int32Array(INITIAL_ROWS);
    this.rowLayout = new Int32Array(INITIAL_ROWS);
    this.rowGap = new Int32Array(INITIAL_ROWS).fill(-1);
    this.rowEndAccept = new Int8Array(INITIAL_ROWS).fill(-1);
    this.layout = shared.layout;
    this.rowKeys = new Int32Array(INITIAL_ROWS);
    this.keys = shared.keys ?? null;
    this.hashDot = new Int32Array(INITIAL_HASH_SLOTS);
    this.hashOrig = new Int32Array(INITIAL_HASH_SLOTS);
    this.hashGen = new Int32Array(INITIAL_HASH_SLOTS);
    this.hashMask = INITIAL_HASH_SLOTS - 1;
    this.predGen = new Int32Array(this.t.nRules);
    this.lexMark = new Int32Array(this.t.nLexemes);
    this.scratch = new Int32Array(this.t.nLexemes + 1);
    this.allowedKeyBuf = new Int32Array(this.t.nLexemes + 3);
    this.predList = new Int32Array(this.t.nRules);
    this.tokMark = new Int32Array(this.t.nTokenSets);
    this.isIgnore = new Uint8Array(this.t.nLexemes);
    for (let i = 0; i < this.t.ignore.length; i++) this.isIgnore[this.t.ignore[i]!] = 1;
    this.pushInitialRow();
  }

  /** A copy with the same row stack (items are copied; tables are shared). */
  clone(): EarleyParser {
    const p = new EarleyParser(this.shared);
    p.copyFrom(this);
    return p;
  }

  copyFrom(o: EarleyParser): void {
    if (this.itemDot.length < o.itemCount) {
      this.itemDot = new Int32Array(o.itemDot.length);
      this.itemOrigin = new Int32Array(o.itemDot.length);
    }
    this.itemDot.set(o.itemDot.subarray(0, o.itemCount));
    this.itemOrigin.set(o.itemOrigin.subarray(0, o.itemCount));
    this.itemCount = o.itemCount;
    if (this.rowLexemeSet.length < o.rows + 1) this.growRows(o.rows + 1);
    this.rowStart.set(o.rowStart.subarray(0, o.rows + 1));
    this.rowLexemeSet.set(o.rowLexemeSet.subarray(0, o.rows));
    this.rowExpectsTokens.set(o.rowExpectsTokens.subarray(0, o.rows));
    this.rowAccepts.set(o.rowAccepts.subarray(0, o.rows));
    this.rowClosure.set(o.rowClosure.subarray(0, o.rows));
    this.rowKernelEnd.set(o.rowKernelEnd.subarray(0, o.rows));
    this.rowNoIgnore.set(o.rowNoIgnore.subarray(0, o.rows));
    this.rowIds.set(o.rowIds.subarray(0, o.rows));
    this.rowLayout.set(o.rowLayout.subarray(0, o.rows));
    this.rowGap.set(o.rowGap.subarray(0, o.rows));
    this.rowEndAccept.set(o.rowEndAccept.subarray(0, o.rows));
    if (this.keys !== null) this.rowKeys.set(o.rowKeys.subarray(0, o.rows));
    this.internedUpTo = Math.min(o.internedUpTo, o.rows);
    this.rows = o.rows;
  }

  /** Number of rows on the stack (1 after construction). */
  get depth(): number {
    return this.rows;
  }

  /** Pops rows until `depth` remain (depth >= 1). */
  popTo(depth: number): void {
    if (depth < 1 || depth > this.rows) throw new EngineError('STATE', `cannot pop parser to depth ${depth} (have ${this.rows})`);
    this.rows = depth;
    this.itemCount = this.rowStart[depth]!;
    if (this.internedUpTo > depth) this.internedUpTo = depth;
  }

  /**
   * The interned id of the parser state (the top row and, through origins, everything below it):
   * equal ids mean equal futures. -1 when the interner is over its budget.
   */
  stateId(): number {
    const top = this.rows - 1;
    for (let r = this.internedUpTo; r <= top; r++) this.rowIds[r] = this.internRow(r);
    this.internedUpTo = this.rows;
    const id = this.rowIds[top]!;
    if (this.keys !== null && id >= 0 && this.rowKeys[top] !== 0) {
      // The future also depends on the objects open and the keys they hold (unique_keys).
      const key = this.internKey;
      key[0] = KEYS_KEY_TAG;
      key[1] = id;
      key[2] = this.rowKeys[top]!;
      return this.shared.rowInterner.intern(key, 3);
    }
    if (this.layout === null || id < 0) return id;
    // The future also depends on the row's indentation state and gap (base row and class).
    const lay = this.rowLayout[top]!;
    const gap = this.rowGap[top]!;
    if (lay === 0 && gap < 0) return id;
    const key = this.internKey;
    key[0] = LAYOUT_KEY_TAG;
    key[1] = id;
    key[2] = lay;
    key[3] = gap < 0 ? -1 : gap & 3;
    key[4] = gap < 0 ? -1 : this.rowIds[gap >> 2]!;
    if (gap >= 0 && key[4] < 0) return -1;
    return this.shared.rowInterner.intern(key, 5);
  }

  private internRow(r: number): number {
    const closure = this.rowClosure[r]!;
    const from = this.rowStart[r]!;
    const to = closure < 0 ? (r + 1 === this.rows ? this.itemCount : this.rowStart[r + 1]!) : this.rowKernelEnd[r]!;
    const n = 2 + 2 * (to - from);
    if (this.internKey.length < n) this.internKey = new Int32Array(n * 2);
    const key = this.internKey;
    const dotSym = this.t.dotSym;
    key[0] = closure;
    key[1] = this.rowAccepts[r]! | (this.rowNoIgnore[r]! << 1);
    let k = 2;
    for (let i = from; i < to; i++) {
      // A completed item has done its work (its completions are in this row already); only the
      // accept flag (key[1]) remains of it. Leaving it out lets rows after each list element or
      // statement intern equal instead of chaining their origins.
      if (dotSym[this.itemDot[i]!] === SYM_END) continue;
      const o = this.itemOrigin[i]!;
      const oid = o === r ? ORIGIN_SELF : this.rowIds[o]!;
      if (oid === -1) return -1;
      key[k++] = this.itemDot[i]!;
      key[k++] = oid;
    }
    return this.shared.rowInterner.intern(key, k);
  }

  /**
   * Logs a read of row r (below readFloor) that took `part` of it; not when all of r, or the same
   * part, was logged since readSince.
   */
  noteRead(r: number, part = READ_WHOLE): void {
    if (!this.partialReads) part = READ_WHOLE;
    if (r >= this.lastRead.length) {
      const n = Math.max(r + 1, this.lastRead.length * 2);
      this.lastRead = grown(this.lastRead, n);
      this.lastReadPart = grown(this.lastReadPart, n);
    }
    if (this.lastRead[r]! >= this.readSince && (this.lastReadPart[r] === READ_WHOLE || this.lastReadPart[r] === part)) return;
    this.lastRead[r] = this.readSeq++;
    this.lastReadPart[r] = part;
    if (this.readLen === this.readLog.length) {
      this.readLog = grown(this.readLog, this.readLog.length * 2);
      this.readPart = grown(this.readPart, this.readLog.length);
    }
    this.readPart[this.readLen] = part;
    this.readLog[this.readLen++] = r;
  }

  /** The next read number (a memoised computation starting now sets readSince to it). */
  get nextRead(): number {
    return this.readSeq;
  }

  /** Starts a new read log (before a mask, when no memoised computation is open). */
  resetReads(): void {
    this.readLen = 0;
    this.readFloor = 0;
    if (this.readSeq > 0x3fffffff) {
      this.lastRead.fill(0);
      this.readSeq = 1;
    }
    this.readSince = this.readSeq;
  }

  /**
   * Starts labelling rows for traceRow: the top row is label 0, and each row referenced by a row
   * traceRow writes gets the next label when first referenced.
   */
  beginLabels(): void {
    const rows = this.rows;
    if (this.labelStamp.length < rows) {
      this.labelStamp = new Int32Array(this.rowLexemeSet.length);
      this.labelOf = new Int32Array(this.rowLexemeSet.length);
      this.rowOfLabel = new Int32Array(this.rowLexemeSet.length);
      this.labelGen = 0;
    }
    const gen = ++this.labelGen;
    this.labelStamp[rows - 1] = gen;
    this.labelOf[rows - 1] = 0;
    this.rowOfLabel[0] = rows - 1;
    this.labelCount = 1;
    this.traceCompleted = 0;
  }

  /** The label of row r since beginLabels, or -1. */
  labelOfRow(r: number): number {
    return this.labelStamp[r] === this.labelGen ? this.labelOf[r]! : -1;
  }

  /** The row with label l since beginLabels (l < labels given so far). */
  rowWithLabel(l: number): number {
    return l < this.labelCount ? this.rowOfLabel[l]! : -1;
  }

  /**
   * Writes into out[at…) the key of row r (labelled), labelling the rows it references, and returns
   * where the key ends (-1 when out is too short). Two computations that have read rows with equal
   * keys, in the same order, read the same next row (by label) and do the same: the key holds what
   * a push reads from a row below the new ones (its prediction closure and its kernel items that
   * are not complete, each origin as a label), and for the top row (label 0) what a scan reads from
   * it (allowed lexemes, ignore_once, layout state, gap marker with its base row as a label). Rows
   * are only told apart by labels, never compared by index. Completed items are left out as in
   * internRow: no push reads them except to complete them again into rows that hold their
   * completions already (gap rows and copies); they only make those rows longer, so their number
   * is added to traceCompleted (limits.maxItemsPerRow).
   *
   * Not `whole`: the key of what completions read of r (a read logged as READ_RULES), its closure
   * (the predicted items waiting for a rule come from it, completeFromPredictions) and its kernel
   * items waiting for a rule. Items waiting for a lexeme are left out too: only a scan reads them
   * (of the top row, which is read whole), so rows that differ only there give equal keys.
   */
  traceRow(r: number, out: Int32Array, at: number, whole = true): number {
    const gen = this.labelGen;
    const stamp = this.labelStamp;
    const labelOf = this.labelOf;
    const closure = this.rowClosure[r]!;
    const from = this.rowStart[r]!;
    const to = closure < 0 ? this.rowEnd(r) : this.rowKernelEnd[r]!;
    let n = at;
    if (n + 7 + 2 * (to - from) > out.length) return -1;
    out[n++] = closure;
    if (whole && labelOf[r] === 0 && stamp[r] === gen) {
      const set = this.rowLexemeSet[r]!;
      out[n++] = set >= 0 ? set : this.computeAllowed(r);
      out[n++] = this.rowNoIgnore[r]!;
      // unique_keys: the rows a scan pushes take their key state from this one.
      if (this.keys !== null) out[n++] = this.rowKeys[r]!;
      out[n++] = this.layout === null ? 0 : this.rowLayout[r]!;
      const gap = this.layout === null ? -1 : this.rowGap[r]!;
      out[n++] = gap < 0 ? -1 : gap & 3;
      if (gap >= 0) out[n++] = this.labelFor(gap >> 2);
    }
    const dotSym = this.t.dotSym;
    const nLex = this.t.nLexemes;
    const firstTokenSet = this.t.firstTokenSetSym;
    const itemDot = this.itemDot;
    const itemOrigin = this.itemOrigin;
    let done = 0;
    for (let i = from; i < to; i++) {
      const d = itemDot[i]!;
      const sy = dotSym[d]!;
      if (sy === SYM_END) {
        done++;
        continue;
      }
      if (!whole && (sy < nLex || sy >= firstTokenSet)) continue;
      const o = itemOrigin[i]!;
      out[n++] = d;
      out[n++] = stamp[o] === gen ? labelOf[o]! : this.labelFor(o);
    }
    if (whole) this.traceCompleted += done;
    return n;
  }

  /** The key of a read logged as (r, part): traceRow, whole or not. */
  traceRead(r: number, part: number, out: Int32Array, at: number): number {
    return this.traceRow(r, out, at, part === READ_WHOLE);
  }

  private labelFor(r: number): number {
    if (this.labelStamp[r] === this.labelGen) return this.labelOf[r]!;
    const l = this.labelCount++;
    this.labelStamp[r] = this.labelGen;
    this.labelOf[r] = l;
    this.rowOfLabel[l] = r;
    return l;
  }

  /** Items in the top row, its predicted part included (for tests and diagnostics). */
  get topRowSize(): number {
    return this.itemCount - this.rowStart[this.rows - 1]! + this.predictedDots(this.rows - 1).length;
  }

  // ---- read-only views of the chart (matcher/completion.ts walks it) -----------------------

  /**
   * Index of row r's first stored item (its stored items are [rowFrom(r), rowTo(r)); the rest of
   * the row, its predicted part, is predictedDots(r), each with origin r).
   */
  rowFrom(r: number): number {
    return this.rowStart[r]!;
  }

  /** Index past row r's last stored item. */
  rowTo(r: number): number {
    return this.rowEnd(r);
  }

  /**
   * The dots of row r's predicted part, all with origin r: its prediction closure's (predictions.ts),
   * read from there rather than stored in every row; none for a row closed item by item.
   */
  predictedDots(r: number): Int32Array {
    const closure = this.rowClosure[r]!;
    return closure < 0 ? NO_DOTS : this.shared.predictions.dots[closure]!;
  }

  /** Dot position of item i (ParserTables.dotSym and dotLhs describe it). */
  dotOf(i: number): number {
    return this.itemDot[i]!;
  }

  /** Origin row of item i. */
  originOf(i: number): number {
    return this.itemOrigin[i]!;
  }

  /** With layout: the indentation state id of the top row (IndentStates), 0 without. */
  topLayout(): number {
    return this.layout === null ? 0 : this.rowLayout[this.rows - 1]!;
  }

  /** With gap markers: the gap class (GAP_*) read since the last lexeme, or -1 when no marker is pending. */
  topGapClass(): number {
    if (this.layout === null) return -1;
    const gap = this.rowGap[this.rows - 1]!;
    return gap < 0 ? -1 : gap & 3;
  }

  /** True when the text may end here (with layout: after an implicit newline and dedents to column 0). */
  isAccepting(): boolean {
    if (this.layout === null) return this.rowAccepts[this.rows - 1] === 1;
    const top = this.rows - 1;
    let a = this.rowEndAccept[top]!;
    if (a < 0) {
      a = this.layoutAcceptsAtEnd() ? 1 : 0;
      this.rowEndAccept[top] = a;
    }
    return a === 1;
  }

  /** Interned id of the sorted set of lexemes the top row allows (expected ∪ %ignore). */
  allowedSet(): number {
    const r = this.rows - 1;
    const cached = this.rowLexemeSet[r]!;
    if (cached >= 0) return cached;
    return this.computeAllowed(r);
  }

  /** True when the top row expects some special-token symbol. */
  expectsTokens(): boolean {
    const r = this.rows - 1;
    if (this.rowLexemeSet[r]! < 0) this.computeAllowed(r);
    return this.rowExpectsTokens[r] === 1;
  }

  /** Whether special token `token` can be scanned in the top row. */
  allowsToken(token: number): boolean {
    if (!this.expectsTokens()) return false;
    for (let i = this.rowStart[this.rows - 1]!; i < this.itemCount; i++) if (this.dotTakesToken(this.itemDot[i]!, token)) return true;
    const pd = this.predictedDots(this.rows - 1);
    for (let k = 0; k < pd.length; k++) if (this.dotTakesToken(pd[k]!, token)) return true;
    return false;
  }

  /** Whether the symbol after dot d is a special-token set holding `token`. */
  private dotTakesToken(d: number, token: number): boolean {
    const s = this.t.dotSym[d]! - this.t.firstTokenSetSym;
    return s >= 0 && ((this.shared.tokenSetBits[s]![token >>> 5]! >>> (token & 31)) & 1) === 1;
  }

  /** ORs into `bits` every special token the top row can scan by id. */
  orAllowedTokens(bits: Uint32Array): void {
    if (!this.expectsTokens()) return;
    const t = this.t;
    const firstTokenSet = t.firstTokenSetSym;
    const sets = this.shared.tokenSetBits;
    const seen = ++this.lexGen;
    const top = this.rows - 1;
    const pd = this.predictedDots(top);
    const stored = this.itemCount - this.rowStart[top]!;
    for (let k = 0; k < stored + pd.length; k++) {
      const d = k < stored ? this.itemDot[this.rowStart[top]! + k]! : pd[k - stored]!;
      const s = t.dotSym[d]! - firstTokenSet;
      if (s < 0 || this.tokMark[s] === seen) continue;
      this.tokMark[s] = seen;
      const b = sets[s]!;
      for (let w = 0; w < b.length; w++) bits[w]! |= b[w]!;
    }
  }

  /**
   * Scans every lexeme in ids[0..n) at once (several lexemes can match the same bytes). Lexemes
   * that are only %ignore'd leave the parse state as it is; a lexeme both expected and ignored keeps
   * both readings. `carryClass` (gap markers pending, scanLayout): the gap class the ignore reading
   * leaves, which settles its items at markers (carryIgnored).
   */
  scanLexemes(ids: Int32Array, n: number, carryClass = -1): number {
    const lexGen = ++this.lexGen;
    const lexMark = this.lexMark;
    let ignoreHit = false;
    for (let i = 0; i < n; i++) {
      const id = ids[i]!;
      lexMark[id] = lexGen;
      if (this.isIgnore[id]) ignoreHit = true;
    }
    const top = this.rows - 1;
    if (top < this.readFloor) this.noteRead(top);
    const from = this.rowStart[top]!;
    const to = this.itemCount;
    const nLex = this.t.nLexemes;
    const dotSym = this.t.dotSym;
    this.beginRow();
    const closure = this.rowClosure[top]!;
    // The kernel item by item; the predicted part (the closure's dots, origin top) through the
    // closure's index by lexeme (predictions.ts), unless the row was closed item by item.
    const kernelEnd = closure < 0 ? to : this.rowKernelEnd[top]!;
    for (let i = from; i < kernelEnd; i++) {
      const d = this.itemDot[i]!;
      const s = dotSym[d]!;
      if (s >= 0 && s < nLex && lexMark[s] === lexGen) this.add(d + 1, this.itemOrigin[i]!);
    }
    if (closure >= 0) {
      const preds = this.shared.predictions;
      const lexes = preds.scanLex[closure]!;
      const off = preds.scanOff[closure]!;
      const dots = preds.scanDot[closure]!;
      for (let j = 0; j < n; j++) {
        const id = ids[j]!;
        // Binary search for id among the closure's expected lexemes.
        let lo = 0;
        let hi = lexes.length - 1;
        while (lo <= hi) {
          const mid = (lo + hi) >> 1;
          const v = lexes[mid]!;
          if (v < id) lo = mid + 1;
          else if (v > id) hi = mid - 1;
          else {
            for (let k = off[mid]!; k < off[mid + 1]!; k++) this.add(dots[k]! + 1, top);
            break;
          }
        }
      }
    }
    // ignore_once: an ignored lexeme may not follow another one.
    if (ignoreHit && this.rowNoIgnore[top] === 1) ignoreHit = false;
    if (this.itemCount === to) {
      if (!ignoreHit) return SCAN_FAILED;
      if (!this.t.ignoreOnce) return SCAN_IGNORED;
      // Same items, but no %ignore lexeme allowed next: a row that copies the top row's items
      // (their origins kept, so completions reach the same rows).
      this.copyRow(top, to);
      this.finishScannedRow(to, 1);
      this.copyAccept(top);
      if (this.keys !== null) this.keyRow(this.rowKeys[top]!);
      return SCAN_PUSHED;
    }
    if (ignoreHit) {
      // Both readings in one row. Under ignore_once the ignore reading should forbid a second
      // ignored lexeme; one row cannot say so per item, so it allows it (only for lexemes that are
      // both used and ignored).
      if (carryClass >= 0) this.carryIgnored(top, carryClass);
      else this.copyRow(top, to);
      this.finishScannedRow(to, 0);
      this.copyAccept(top);
      return this.keys === null ? SCAN_PUSHED : this.keyScan(top, ids, n);
    }
    this.finishScannedRow(to, 0);
    return this.keys === null ? SCAN_PUSHED : this.keyScan(top, ids, n);
  }

  // ---- unique_keys (unique-keys.ts) ----------------------------------------------------------

  /**
   * The row just pushed above `top` by scanning ids[0..n): its key state follows from top's; a key
   * repeated in its object pops the row and fails the scan (the allowed sets keep the lexer from
   * reading one, so this is only a guard).
   */
  private keyScan(top: number, ids: Int32Array, n: number): number {
    const next = this.keys!.next(this.rowKeys[top]!, ids, n);
    if (next < 0) {
      this.popTo(top + 1);
      return SCAN_FAILED;
    }
    this.keyRow(next);
    return SCAN_PUSHED;
  }

  /** Sets the top row's key state; where a key comes next, the keys its object holds leave the allowed set. */
  private keyRow(state: number): void {
    const row = this.rows - 1;
    this.rowKeys[row] = state;
    if (state === 0) return;
    const set = this.rowLexemeSet[row]! >= 0 ? this.rowLexemeSet[row]! : this.computeAllowed(row);
    this.rowLexemeSet[row] = this.keys!.allowed(state, set, this.shared.lexemeSets);
  }

  // ---- layout: indentation and gap markers (docs/engine-grammars.md) ------------------------

  /**
   * Scans the lexemes accepted in a lexer state whose aux (lexer.ts) is `aux`, applying indentation
   * (a `_NEWLINE` records the next line's column; the next other lexeme first scans the INDENT or
   * DEDENTs it implies; newlines inside brackets are ignored) and gap markers (after a lexeme, the
   * items past a marker hold only while the ignored gap since fits the marker). May push several
   * rows; on failure the rows it pushed are popped.
   */
  scanLayout(ids: Int32Array, n: number, aux: number): number {
    const L = this.layout!;
    const ind = L.indent;
    const entry = this.rows;
    const top = entry - 1;
    if (top < this.readFloor) this.noteRead(top);
    const isIgnore = this.isIgnore;
    let hasNewline = false;
    let onlyIgnored = true;
    let anyIgnored = false;
    let bracket = 0;
    for (let i = 0; i < n; i++) {
      const id = ids[i]!;
      if (ind !== null && id === ind.newline) hasNewline = true;
      else if (isIgnore[id] === 0) {
        onlyIgnored = false;
        bracket += L.bracket[id]!;
      } else anyIgnored = true;
    }
    const lay = this.rowLayout[top]!;
    const states = L.states;
    if (hasNewline) {
      if (states.depth(lay) > 0) {
        // Inside brackets a newline is ignored text.
        if (onlyIgnored) return this.scanGap(ids, n, true);
      } else if (onlyIgnored) {
        const col = aux & AUX_COLUMN;
        if (col > MAX_COLUMN) return SCAN_FAILED;
        if (states.pending(lay) >= 0) {
          // Another newline before any other lexeme (blank or comment-only lines): only the last counts.
          this.pushCopy(top, this.rowEnd(top));
          this.rowLayout[entry] = states.withPending(lay, col);
          this.finishLayoutRow(entry);
          return SCAN_PUSHED;
        }
        const r = this.scanLexemes(ids, n);
        if (r === SCAN_FAILED) return r;
        this.rowLayout[this.rows - 1] = states.withPending(lay, col);
        this.afterRealScan();
        return SCAN_PUSHED;
      }
    }
    if (onlyIgnored) return this.scanGap(ids, n, (aux & AUX_NEWLINE) !== 0);
    // A lexeme that is not ignored: first the INDENT/DEDENTs of a pending newline.
    let resolved = lay;
    if (ind !== null && states.pending(lay) >= 0) {
      resolved = this.applyResolve(lay);
      if (resolved < 0) {
        if (this.rows !== entry) this.popTo(entry);
        return SCAN_FAILED;
      }
    }
    // Both readings (a lexeme and ignored text over the same bytes) with a marker pending: the
    // ignore reading's gap goes on through these bytes (carryIgnored).
    const gap = this.rowGap[this.rows - 1]!;
    let carry = -1;
    if (anyIgnored && gap >= 0) carry = gapAfter(gap & 3, (aux & AUX_NEWLINE) !== 0);
    const r = this.scanLexemes(ids, n, carry);
    if (r !== SCAN_PUSHED) {
      if (this.rows !== entry) this.popTo(entry);
      return r;
    }
    if (bracket !== 0) resolved = states.withBracket(resolved, bracket > 0 ? 1 : -1);
    this.rowLayout[this.rows - 1] = resolved;
    this.afterRealScan();
    return SCAN_PUSHED;
  }

  /**
   * Scans INDENT or DEDENTs for the pending column of indentation state `lay` (pushing their rows);
   * returns the resolved state, or -1 (inconsistent dedent, or the grammar refuses them).
   */
  private applyResolve(lay: number): number {
    const states = this.layout!.states;
    const ind = this.layout!.indent!;
    const out = states.resolve(lay);
    if (out < 0) return -1;
    const moves = states.moves(lay);
    const one = this.oneLexeme;
    one[0] = moves > 0 ? ind.indent : ind.dedent;
    for (let k = moves > 0 ? 1 : -moves; k > 0; k--) {
      if (this.scanLexemes(one, 1) !== SCAN_PUSHED) return -1;
      this.rowLayout[this.rows - 1] = out;
    }
    return out;
  }

  private readonly oneLexeme = new Int32Array(1);

  /** End of row r's items. */
  private rowEnd(r: number): number {
    return r + 1 === this.rows ? this.itemCount : this.rowStart[r + 1]!;
  }

  /** After a real lexeme pushed the top row: its allowed set with layout, and pending gap markers. */
  private afterRealScan(): void {
    const row = this.rows - 1;
    this.finishLayoutRow(row);
    const L = this.layout!;
    if (!L.hasGaps) return;
    const set = this.allowedSet();
    if (L.marksOfSet(set, this.shared.lexemeSets.sets[set]!) === 0) return;
    this.rowGap[row] = row * 4 + GAP_EMPTY;
    this.pushGapRow(row, GAP_EMPTY);
  }

  /** Only %ignore'd text (or a newline inside brackets): moves the gap class of pending markers. */
  private scanGap(ids: Int32Array, n: number, newline: boolean): number {
    const top = this.rows - 1;
    const gap = this.rowGap[top]!;
    if (gap < 0) {
      // With indentation, a newline inside brackets may be the only lexeme: nothing changes.
      let anyIgnore = false;
      for (let i = 0; i < n && !anyIgnore; i++) if (this.isIgnore[ids[i]!] === 1) anyIgnore = true;
      return anyIgnore ? this.scanLexemes(ids, n) : SCAN_IGNORED;
    }
    const cls = gap & 3;
    const next = gapAfter(cls, newline);
    if (next === cls) return SCAN_IGNORED;
    this.pushGapRow(gap >> 2, next);
    return SCAN_PUSHED;
  }

  /**
   * Pushes the row for base row `base` after a gap of class `cls`: base's items, plus the items past
   * each marker that class allows (then closed as a scanned row).
   */
  private pushGapRow(base: number, cls: number): void {
    const L = this.layout!;
    const valid = VALID_MARKS[cls]!;
    if (base < this.readFloor) this.noteRead(base);
    const from = this.rowStart[base]!;
    const to = this.rowEnd(base);
    const kernelEnd = this.copiedEnd(base, to);
    const lay = this.rowLayout[this.rows - 1]!;
    const begin = this.itemCount;
    this.beginRow();
    const dotSym = this.t.dotSym;
    const nLex = this.t.nLexemes;
    for (let i = from; i < to; i++) {
      const d = this.itemDot[i]!;
      const sy = dotSym[d]!;
      // Completed items are not copied (copyOpen says why).
      if (i < kernelEnd && sy !== SYM_END) this.add(d, this.itemOrigin[i]!);
      if (sy >= 0 && sy < nLex && (L.markerBit[sy]! & valid) !== 0) this.add(d + 1, this.itemOrigin[i]!);
    }
    // The predicted part is predicted again from the copied kernel; only its items at a marker move.
    const pd = this.predictedDots(base);
    for (let k = 0; k < pd.length; k++) {
      const sy = dotSym[pd[k]!]!;
      if (sy >= 0 && sy < nLex && (L.markerBit[sy]! & valid) !== 0) this.add(pd[k]! + 1, base);
    }
    this.finishScannedRow(begin, 0);
    this.copyAccept(base);
    const row = this.rows - 1;
    this.rowLayout[row] = lay;
    this.rowGap[row] = base * 4 + cls;
    this.finishLayoutRow(row);
  }

  /**
   * The ignore reading of a scan that also read a lexeme over the same bytes (TypeScript's NL and
   * white space), with gap markers pending in `top`: the open items of top's gap base, each item at
   * a marker settled for the gap class `next` that the ignored text leaves. The row starts a new gap
   * after the lexeme (afterRealScan), so an item left before its marker would be judged by that gap
   * alone: `none` can no longer hold (text was read) and `no_newline` cannot after a line break, so
   * they are dropped; `newline` always will after one, so it moves past; otherwise the gap after
   * the lexeme decides, as it would have. Items that the row's closure predicts anew from the
   * carried ones (a rule that starts with a marker) still take the new gap (docs/engine-grammars.md).
   */
  private carryIgnored(top: number, next: number): void {
    const L = this.layout!;
    const base = this.rowGap[top]! >> 2;
    if (base < this.readFloor) this.noteRead(base);
    const dotSym = this.t.dotSym;
    const nLex = this.t.nLexemes;
    const to = this.rowEnd(base);
    // Past what a copy takes of base (copiedEnd) only the items a line break moves past a `newline`
    // marker are carried: the others are predicted again, their markers then judged by the new gap,
    // as the new row's predictions are.
    const kernelEnd = this.copiedEnd(base, to);
    const moves = next === GAP_NEWLINE && L.hasNewlineMarks;
    const end = moves ? to : kernelEnd;
    for (let i = this.rowStart[base]!; i < end; i++) {
      const d = this.itemDot[i]!;
      const sy = dotSym[d]!;
      if (sy === SYM_END) continue;
      const mark = sy >= 0 && sy < nLex ? L.markerBit[sy]! : 0;
      if (i >= kernelEnd && mark !== MARK_NEWLINE) continue;
      if (mark === MARK_NONE || (mark === MARK_NO_NEWLINE && next === GAP_NEWLINE)) continue;
      this.add(mark === MARK_NEWLINE && next === GAP_NEWLINE ? d + 1 : d, this.itemOrigin[i]!);
    }
    if (moves) {
      // The predicted part (not stored): its items at a `newline` marker move past it.
      const pd = this.predictedDots(base);
      for (let k = 0; k < pd.length; k++) {
        const sy = dotSym[pd[k]!]!;
        if (sy >= 0 && sy < nLex && L.markerBit[sy] === MARK_NEWLINE) this.add(pd[k]! + 1, base);
      }
    }
  }

  /** Pushes a copy of row r's items [rowStart[r], to) (origins kept), closed as a scanned row. */
  private pushCopy(r: number, to: number): void {
    if (r < this.readFloor) this.noteRead(r);
    const begin = this.itemCount;
    this.beginRow();
    this.copyRow(r, to);
    this.finishScannedRow(begin, 0);
    this.copyAccept(r);
  }

  /** copyOpen of row r's items [rowStart[r], to), as far as a copy takes them (copiedEnd). */
  private copyRow(r: number, to: number): void {
    this.copyOpen(this.rowStart[r]!, this.copiedEnd(r, to));
  }

  /**
   * Where a row built from row r's items [rowStart[r], to) stops copying them: with a closure index,
   * at the end of r's kernel. The new row predicts r's predicted rules again from the copied kernel
   * when it is closed (a memoised closure, origin the new row). Copied, they would be kernel items
   * of the new row, which every completion reaching it scans one by one (a Python statement context
   * predicts hundreds of items, and a comment or blank line copies the row).
   */
  private copiedEnd(r: number, to: number): number {
    return this.rowClosure[r]! >= 0 ? this.rowKernelEnd[r]! : to;
  }

  /**
   * Adds the items [from, to) that are not complete to the row being built (origins kept). A
   * completed item of a row has done its work when the row was closed: its completions are items of
   * that row, copied too, so completing it again in the copy adds nothing; what is left of it is
   * whether the text may end (copyAccept). Leaving completed items out keeps a copy from reading
   * their origin rows (the read log of the group memo in matcher/mask.ts).
   */
  private copyOpen(from: number, to: number): void {
    const dotSym = this.t.dotSym;
    for (let i = from; i < to; i++) {
      const d = this.itemDot[i]!;
      if (dotSym[d] !== SYM_END) this.add(d, this.itemOrigin[i]!);
    }
  }

  /** The row just pushed as a copy of row `src` accepts where src does (copyOpen). */
  private copyAccept(src: number): void {
    if (this.rowAccepts[src] === 1) this.rowAccepts[this.rows - 1] = 1;
  }

  /**
   * The allowed lexemes of a row with layout: inside brackets, also the newline lexeme; with a
   * newline pending, the newline lexeme, the ignored ones, and what the row allows once the
   * pending INDENT/DEDENTs are scanned (nothing when the dedent is inconsistent).
   */
  private finishLayoutRow(row: number): void {
    const L = this.layout!;
    const ind = L.indent;
    if (ind === null) return;
    const lay = this.rowLayout[row]!;
    const states = L.states;
    const sets = this.shared.lexemeSets;
    if (states.depth(lay) > 0) {
      const ids = sets.sets[this.allowedSet()]!;
      this.rowLexemeSet[row] = sets.intern(withId(ids, ind.newline, this.scratch), ids.length + (ids.includes(ind.newline) ? 0 : 1));
      return;
    }
    if (states.pending(lay) < 0) return;
    const entry = this.rows;
    let after: Int32Array | null = null;
    if (this.applyResolve(lay) >= 0) after = sets.sets[this.allowedSet()]!;
    if (this.rows !== entry) this.popTo(entry);
    const out = this.scratch;
    const lexGen = ++this.lexGen;
    const mark = this.lexMark;
    let n = 0;
    mark[ind.newline] = lexGen;
    out[n++] = ind.newline;
    n = addUnmarked(this.t.ignore, out, n, mark, lexGen);
    if (after !== null) n = addUnmarked(after, out, n, mark, lexGen);
    sortSmall(out, n);
    this.rowLexemeSet[row] = sets.intern(out, n);
  }

  /**
   * Whether the text may end at the top row: the bracket depth is 0 and, after dedenting to column
   * 0 (with or without an implicit final newline), the start rule is complete.
   */
  private layoutAcceptsAtEnd(): boolean {
    const top = this.rows - 1;
    const L = this.layout!;
    const ind = L.indent;
    if (ind === null) return this.rowAccepts[top] === 1;
    const states = L.states;
    const lay = this.rowLayout[top]!;
    if (states.depth(lay) > 0) return false;
    const entry = this.rows;
    let ok = false;
    // At the end, a pending column (trailing whitespace) counts as column 0.
    if (this.applyResolve(states.withPending(lay, 0)) >= 0) ok = this.rowAccepts[this.rows - 1] === 1;
    if (this.rows !== entry) this.popTo(entry);
    if (!ok && states.pending(lay) < 0) {
      const one = this.oneLexeme;
      one[0] = ind.newline;
      if (this.scanLexemes(one, 1) === SCAN_PUSHED && this.applyResolve(states.withPending(lay, 0)) >= 0) ok = this.rowAccepts[this.rows - 1] === 1;
      if (this.rows !== entry) this.popTo(entry);
    }
    return ok;
  }

  /** Scans a special token by id. */
  scanToken(token: number): number {
    const top = this.rows - 1;
    const from = this.rowStart[top]!;
    const to = this.itemCount;
    this.beginRow();
    for (let i = from; i < to; i++) {
      const d = this.itemDot[i]!;
      if (this.dotTakesToken(d, token)) this.add(d + 1, this.itemOrigin[i]!);
    }
    const pd = this.predictedDots(top);
    for (let k = 0; k < pd.length; k++) if (this.dotTakesToken(pd[k]!, token)) this.add(pd[k]! + 1, top);
    if (this.itemCount === to) return SCAN_FAILED;
    this.finishScannedRow(to, 0);
    if (this.keys !== null) this.keyRow(this.rowKeys[top]!);
    return SCAN_PUSHED;
  }

  /** Names of the lexemes the top row allows, for error messages. */
  expectedLexemeNames(): string[] {
    const ids = this.shared.lexemeSets.sets[this.allowedSet()]!;
    const out: string[] = [];
    for (let i = 0; i < ids.length; i++) out.push(this.t.lexemeNames[ids[i]!]!);
    return out;
  }

  // ---- row construction -------------------------------------------------------------------

  private pushInitialRow(): void {
    this.rows = 0;
    this.itemCount = 0;
    this.rowStart[0] = 0;
    this.beginRow();
    const p0 = this.t.ruleProdStart[this.t.augmentedRule]!;
    this.add(this.t.prodDot0[p0]!, 0);
    this.finishRow(0);
  }

  private beginRow(): void {
    this.gen++;
    if (this.gen === 0x7fffffff) {
      this.hashGen.fill(0);
      this.predGen.fill(0);
      this.gen = 1;
    }
  }

  /** Adds (dot, origin) to the row being built unless it is already there. */
  private add(dot: number, origin: number): void {
    const mask = this.hashMask;
    let h = (Math.imul(dot, 0x9e3779b1) ^ Math.imul(origin + 1, 0x85ebca77)) >>> 0;
    h = (h ^ (h >>> 15)) & mask;
    const gen = this.gen;
    const hashGen = this.hashGen;
    while (hashGen[h] === gen) {
      if (this.hashDot[h] === dot && this.hashOrig[h] === origin) return;
      h = (h + 1) & mask;
    }
    hashGen[h] = gen;
    this.hashDot[h] = dot;
    this.hashOrig[h] = origin;
    const n = this.itemCount;
    if (n === this.itemDot.length) this.growItems();
    this.itemDot[n] = dot;
    this.itemOrigin[n] = origin;
    this.itemCount = n + 1;
    const rowItems = n + 1 - this.rowStart[this.rows]!;
    if (rowItems * 2 > mask) this.growHash();
  }

  /** Predicts and completes until the row is closed, then makes it the top row. */
  private finishRow(rowBegin: number): void {
    const t = this.t;
    const dotSym = t.dotSym;
    const dotLhs = t.dotLhs;
    const nLex = t.nLexemes;
    const firstTokenSet = t.firstTokenSetSym;
    const row = this.rows;
    this.rowStart[row] = rowBegin;
    const gen = this.gen;
    let accepts = 0;
    for (let i = rowBegin; i < this.itemCount; i++) {
      const d = this.itemDot[i]!;
      const s = dotSym[d]!;
      if (s === SYM_END) {
        const origin = this.itemOrigin[i]!;
        if (d === t.acceptDot && origin === 0) accepts = 1;
        const code = dotLhs[d]! + nLex;
        const from = this.rowStart[origin]!;
        const to = origin === row ? this.itemCount : this.rowStart[origin + 1]!;
        for (let j = from; j < to; j++) {
          const dj = this.itemDot[j]!;
          if (dotSym[dj] === code) this.add(dj + 1, this.itemOrigin[j]!);
        }
      } else if (s >= nLex && s < firstTokenSet) {
        const r = s - nLex;
        if (this.predGen[r] !== gen) {
          this.predGen[r] = gen;
          for (let p = t.ruleProdStart[r]!; p < t.ruleProdStart[r + 1]!; p++) this.add(t.prodDot0[p]!, row);
        }
        if (t.nullable[r]) this.add(d + 1, this.itemOrigin[i]!);
      }
      if (this.itemCount - rowBegin > this.maxItems) {
        this.itemCount = rowBegin;
        throw new EngineError('LIMIT', `an Earley row grew past limits.maxItemsPerRow (${this.maxItems} items)`);
      }
    }
    if (row + 1 >= this.rowLexemeSet.length) this.growRows(row + 2);
    this.rowLexemeSet[row] = -1;
    this.rowClosure[row] = -1;
    this.rowNoIgnore[row] = 0;
    this.rowAccepts[row] = accepts;
    this.rowLayout[row] = 0;
    this.rowGap[row] = -1;
    this.rowEndAccept[row] = -1;
    this.rowKeys[row] = 0;
    this.rows = row + 1;
    this.rowStart[this.rows] = this.itemCount;
  }

  /**
   * Closes a row built by a scan. The kernel (items with origins in earlier rows: scanned items,
   * their completions and nullable advances) is closed here; the predictions (origin = this row)
   * come whole from the PredictionTable, keyed by the set of rules the kernel predicts. The row's
   * allowed lexemes are computed on the way (kernel lexemes ∪ predicted lexemes ∪ %ignore).
   */
  private finishScannedRow(rowBegin: number, noIgnore: number): void {
    const t = this.t;
    const dotSym = t.dotSym;
    const dotLhs = t.dotLhs;
    const nLex = t.nLexemes;
    const firstTokenSet = t.firstTokenSetSym;
    const row = this.rows;
    this.rowStart[row] = rowBegin;
    const gen = this.gen;
    const predList = this.predList;
    let nPred = 0;
    let accepts = 0;
    for (let i = rowBegin; i < this.itemCount; i++) {
      const d = this.itemDot[i]!;
      const s = dotSym[d]!;
      if (s === SYM_END) {
        // Kernel items have origin < row, whose rows are complete.
        const origin = this.itemOrigin[i]!;
        if (d === t.acceptDot && origin === 0) accepts = 1;
        const lhs = dotLhs[d]!;
        const code = lhs + nLex;
        // What is read of the origin row: its items waiting for a rule (traceRow, not whole).
        if (origin < this.readFloor) this.noteRead(origin, READ_RULES);
        const originClosure = this.rowClosure[origin]!;
        const to = originClosure < 0 ? this.rowStart[origin + 1]! : this.rowKernelEnd[origin]!;
        for (let j = this.rowStart[origin]!; j < to; j++) {
          const dj = this.itemDot[j]!;
          if (dotSym[dj] === code) this.add(dj + 1, this.itemOrigin[j]!);
        }
        if (originClosure >= 0) this.completeFromPredictions(originClosure, lhs, origin);
      } else if (s >= nLex && s < firstTokenSet) {
        const r = s - nLex;
        if (this.predGen[r] !== gen) {
          this.predGen[r] = gen;
          predList[nPred++] = r;
        }
        if (t.nullable[r]) this.add(d + 1, this.itemOrigin[i]!);
      }
      if (this.itemCount - rowBegin > this.maxItems) this.overLimit(rowBegin);
    }
    const kernelEnd = this.itemCount;
    // Predictions: sorted rule set → memoized closure.
    sortSmall(predList, nPred);
    const preds = this.shared.predictions;
    const closure = preds.closureOf(predList, nPred);
    // The predicted part (the closure's dots, origin row) is not stored: readers take it from the
    // closure (predictedDots). It is counted in the row's size for the limits.
    const total = kernelEnd + preds.dots[closure]!.length;
    if (row + 1 >= this.rowLexemeSet.length) this.growRows(row + 2);
    this.rowClosure[row] = closure;
    this.rowKernelEnd[row] = kernelEnd;
    this.rowNoIgnore[row] = noIgnore;
    // Layout defaults: the row below's indentation state, no gap marker pending (scanLayout sets them).
    this.rowLayout[row] = row > 0 ? this.rowLayout[row - 1]! : 0;
    if (this.keys !== null) this.rowKeys[row] = row > 0 ? this.rowKeys[row - 1]! : 0;
    this.rowGap[row] = -1;
    this.rowEndAccept[row] = -1;
    if (total - rowBegin > this.maxItems) this.overLimit(rowBegin);
    if (total - rowBegin > this.peakItems) this.peakItems = total - rowBegin;

    // Allowed lexemes: kernel's, then the predicted ones, then %ignore.
    const lexGen = ++this.lexGen;
    const mark = this.lexMark;
    const out = this.scratch;
    let n = 0;
    let expectsTokens = preds.expectsTokens[closure]!;
    for (let i = rowBegin; i < kernelEnd; i++) {
      const s = dotSym[this.itemDot[i]!]!;
      if (s >= 0 && s < nLex) {
        if (mark[s] !== lexGen) {
          mark[s] = lexGen;
          out[n++] = s;
        }
      } else if (s >= firstTokenSet) expectsTokens = 1;
    }
    if (row + 1 >= this.rowLexemeSet.length) this.growRows(row + 2);
    // The memo includes %ignore lexemes: not for a row that allows none.
    const alone = n === 0 && noIgnore === 0 ? preds.allowedAlone[closure]! : -1;
    if (alone >= 0) {
      // The kernel expects no lexeme: the allowed set is the predictions' (memoized).
      this.rowLexemeSet[row] = alone;
      this.rowExpectsTokens[row] = expectsTokens;
      this.rowAccepts[row] = accepts;
      this.rows = row + 1;
      this.rowStart[this.rows] = this.itemCount;
      return;
    }
    const kernelLexemes = n;
    // The set is the kernel's lexemes ∪ the closure's ∪ %ignore: memoised by the first two.
    let keyId = -1;
    if (n > 0) {
      sortSmall(out, n);
      const key = this.allowedKeyBuf;
      key[0] = closure;
      key[1] = noIgnore;
      for (let i = 0; i < n; i++) key[i + 2] = out[i]!;
      keyId = preds.allowedKey(key, n + 2);
      const known = preds.allowedOf(keyId);
      if (known >= 0) {
        this.rowLexemeSet[row] = known;
        this.rowExpectsTokens[row] = expectsTokens;
        this.rowAccepts[row] = accepts;
        this.rows = row + 1;
        this.rowStart[this.rows] = this.itemCount;
        return;
      }
    }
    n = addUnmarked(preds.lexemes[closure]!, out, n, mark, lexGen);
    n = addUnmarked(noIgnore === 0 ? t.ignore : NO_LEXEMES, out, n, mark, lexGen);
    sortSmall(out, n);
    this.rowLexemeSet[row] = this.shared.lexemeSets.intern(out, n);
    if (keyId >= 0) preds.setAllowed(keyId, this.rowLexemeSet[row]!);
    if (kernelLexemes === 0 && noIgnore === 0) preds.allowedAlone[closure] = this.rowLexemeSet[row]!;
    this.rowExpectsTokens[row] = expectsTokens;
    this.rowAccepts[row] = accepts;
    this.rows = row + 1;
    this.rowStart[this.rows] = this.itemCount;
  }

  /** Advances the predicted dots of row `origin` (closure `closure`) that wait for rule `lhs`. */
  private completeFromPredictions(closure: number, lhs: number, origin: number): void {
    const preds = this.shared.predictions;
    const rules = preds.waitRule[closure]!;
    let lo = 0;
    let hi = rules.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const r = rules[mid]!;
      if (r < lhs) lo = mid + 1;
      else if (r > lhs) hi = mid - 1;
      else {
        const off = preds.waitOff[closure]!;
        const wd = preds.waitDot[closure]!;
        const end = off[mid + 1]!;
        for (let k = off[mid]!; k < end; k++) this.add(wd[k]! + 1, origin);
        return;
      }
    }
  }

  private overLimit(rowBegin: number): never {
    this.itemCount = rowBegin;
    throw new EngineError('LIMIT', `an Earley row grew past limits.maxItemsPerRow (${this.maxItems} items)`);
  }

  private computeAllowed(r: number): number {
    const t = this.t;
    const dotSym = t.dotSym;
    const nLex = t.nLexemes;
    const firstTokenSet = t.firstTokenSetSym;
    const lexGen = ++this.lexGen;
    const mark = this.lexMark;
    const out = this.scratch;
    let n = 0;
    let expectsTokens = 0;
    const end = this.rowEnd(r);
    for (let i = this.rowStart[r]!; i < end; i++) {
      const s = dotSym[this.itemDot[i]!]!;
      if (s >= 0 && s < nLex) {
        if (mark[s] !== lexGen) {
          mark[s] = lexGen;
          out[n++] = s;
        }
      } else if (s >= firstTokenSet) expectsTokens = 1;
    }
    // The predicted part (not stored): its lexemes and special-token flag, as its closure keeps them.
    const closure = this.rowClosure[r]!;
    if (closure >= 0) {
      const preds = this.shared.predictions;
      n = addUnmarked(preds.lexemes[closure]!, out, n, mark, lexGen);
      expectsTokens |= preds.expectsTokens[closure]!;
    }
    n = addUnmarked(t.ignore, out, n, mark, lexGen);
    sortSmall(out, n);
    const id = this.shared.lexemeSets.intern(out, n);
    this.rowLexemeSet[r] = id;
    this.rowExpectsTokens[r] = expectsTokens;
    return id;
  }

  private growItems(): void {
    const n = this.itemDot.length * 2;
    this.itemDot = grown(this.itemDot, n);
    this.itemOrigin = grown(this.itemOrigin, n);
  }

  private growRows(min: number): void {
    let n = this.rowLexemeSet.length;
    while (n < min) n *= 2;
    this.rowStart = grown(this.rowStart, n + 1);
    this.rowLexemeSet = grown(this.rowLexemeSet, n);
    this.rowExpectsTokens = grown(this.rowExpectsTokens, n);
    this.rowAccepts = grown(this.rowAccepts, n);
    this.rowClosure = grown(this.rowClosure, n);
    this.rowKernelEnd = grown(this.rowKernelEnd, n);
    this.rowNoIgnore = grown(this.rowNoIgnore, n);
    this.rowIds = grown(this.rowIds, n);
    this.rowLayout = grown(this.rowLayout, n);
    this.rowKeys = grown(this.rowKeys, n);
    const g = new Int32Array(n).fill(-1);
    g.set(this.rowGap);
    this.rowGap = g;
    const e = new Int8Array(n).fill(-1);
    e.set(this.rowEndAccept);
    this.rowEndAccept = e;
  }

  private growHash(): void {
    const size = (this.hashMask + 1) * 2;
    this.hashDot = new Int32Array(size);
    this.hashOrig = new Int32Array(size);
    this.hashGen = new Int32Array(size);
    this.hashMask = size - 1;
    const gen = this.gen;
    const mask = this.hashMask;
    for (let i = this.rowStart[this.rows]!; i < this.itemCount; i++) {
      const dot = this.itemDot[i]!;
      const origin = this.itemOrigin[i]!;
      let h = (Math.imul(dot, 0x9e3779b1) ^ Math.imul(origin + 1, 0x85ebca77)) >>> 0;
      h = (h ^ (h >>> 15)) & mask;
      while (this.hashGen[h] === gen) h = (h + 1) & mask;
      this.hashGen[h] = gen;
      this.hashDot[h] = dot;
      this.hashOrig[h] = origin;
    }
  }
}

/** Appends the ids of `list` not yet marked with `gen` to out[n…], marking them; returns the new n. */
function addUnmarked(list: ArrayLike<number>, out: Int32Array, n: number, mark: Int32Array, gen: number): number {
  for (let i = 0; i < list.length; i++) {
    const s = list[i]!;
    if (mark[s] !== gen) {
      mark[s] = gen;
      out[n++] = s;
    }
  }
  return n;
}

/** Sorts out[0…n) ascending: insertion sort, for the small sets of a row (lexemes, predicted rules). */
function sortSmall(out: Int32Array, n: number): void {
  for (let i = 1; i < n; i++) {
    const v = out[i]!;
    let j = i - 1;
    while (j >= 0 && out[j]! > v) {
      out[j + 1] = out[j]!;
      j--;
    }
    out[j + 1] = v;
  }
}

/** ids (sorted) with `id` added, written into out (returned). */
function withId(ids: Int32Array, id: number, out: Int32Array): Int32Array {
  let n = 0;
  let placed = false;
  for (let i = 0; i < ids.length; i++) {
    const x = ids[i]!;
    if (!placed && id <= x) {
      if (id !== x) out[n++] = id;
      placed = true;
    }
    out[n++] = x;
  }
  if (!placed) out[n++] = id;
  return out;
}
