import { LexemeSetTable } from './lexeme-sets.ts';
import { SYM_END, type ParserTables } from './tables.ts';

/**
 * The predicted part of an Earley row, memoized. In a row built by a scan, the items fall in two
 * parts: the kernel (scanned items, completions and nullable advances, all with origins in earlier
 * rows) and the predictions (origin = this row). The predictions depend only on WHICH rules the
 * kernel predicts, not on origins, so for each set of predicted rules we compute once: their dots
 * (closed under prediction, with Aycock–Horspool advances over nullable rules), the lexemes those
 * dots expect, and whether any expects a special token. A row push then names the closure instead
 * of re-running prediction: its predicted items are the closure's dots, read from here and never
 * copied into the row (EarleyParser.predictedDots), and its allowed lexemes need no pass over them.
 */
export class PredictionTable {
  private readonly sets = new LexemeSetTable();
  /** Per interned rule set: predicted dots, sorted expected lexemes, special-token flag (0/1). */
  readonly dots: Int32Array[] = [];
  readonly lexemes: Int32Array[] = [];
  readonly expectsTokens: number[] = [];
  /** Allowed-lexeme set id of a row whose kernel expects no lexeme (predicted ∪ %ignore), -1 = not yet. */
  readonly allowedAlone: number[] = [];
  /**
   * Per interned rule set, the predicted dots grouped by the rule after the dot, so completing rule
   * R into a row looks up R's waiting dots instead of scanning the whole predicted part (in a C
   * expression chain, ~15 completions per scan, each over a ~150-item row): `waitRule` is sorted
   * (binary-searched), the dots waiting for waitRule[k] are waitDot[waitOff[k] .. waitOff[k+1]).
   */
  readonly waitRule: Int32Array[] = [];
  readonly waitOff: Int32Array[] = [];
  readonly waitDot: Int32Array[] = [];
  /**
   * The same grouping by the lexeme after the dot, so scanning a lexeme from a row looks up the
   * predicted dots that expect it instead of testing every predicted item (a Rust expression row
   * predicts ~90 dots, and a mask scans from such rows hundreds of times): the dots expecting
   * lexeme scanLex[k] are scanDot[scanOff[k] .. scanOff[k+1]), scanLex sorted.
   */
  readonly scanLex: Int32Array[] = [];
  readonly scanOff: Int32Array[] = [];
  readonly scanDot: Int32Array[] = [];

  /**
   * Allowed-lexeme set ids of rows whose kernel expects lexemes, by (closure, ignore_once flag, the
   * kernel's expected lexemes, sorted) interned as one list: the set is those lexemes ∪ the
   * closure's ∪ %ignore (unless the flag is set), so a row push looks it up instead of merging,
   * sorting and interning ~50–100 lexemes.
   */
  private readonly allowedKeys = new LexemeSetTable();
  private readonly allowedIds: number[] = [];

  constructor(private readonly t: ParserTables) {}

  /** The id of allowed-set key key[0..n) (see allowedKeys). */
  allowedKey(key: Int32Array, n: number): number {
    const id = this.allowedKeys.intern(key, n);
    while (this.allowedIds.length <= id) this.allowedIds.push(-1);
    return id;
  }

  /** The allowed-lexeme set id stored for an allowedKey id, or -1. */
  allowedOf(keyId: number): number {
    return this.allowedIds[keyId]!;
  }

  setAllowed(keyId: number, setId: number): void {
    this.allowedIds[keyId] = setId;
  }

  /** Id of the prediction closure of rules[0..n) (sorted, distinct). */
  closureOf(rules: Int32Array, n: number): number {
    const id = this.sets.intern(rules, n);
    if (id < this.dots.length) return id;
    const t = this.t;
    const nLex = t.nLexemes;
    const firstTokenSet = t.firstTokenSetSym;
    const dotSym = t.dotSym;
    const prodStart = t.ruleProdStart;
    const prodDot0 = t.prodDot0;
    // Marks stamped with a generation, so a closure computed for the first time in a grammar (most
    // of what a mask costs then) allocates nothing per rule, dot or lexeme of the grammar.
    const g = this.nextGen();
    const ruleMark = this.ruleMark;
    const dotMark = this.dotMark;
    const lexMark = this.lexMark;
    let dots = this.dotBuf;
    let nd = 0;
    const lex: number[] = [];
    let expectsTokens = 0;
    for (let k = -n; k < nd; k++) {
      // Rules to predict: first the given ones (k < 0), then those after each dot met.
      let r = -1;
      if (k < 0) r = rules[k + n]!;
      else {
        const d = dots[k]!;
        const s = dotSym[d]!;
        if (s === SYM_END) continue;
        if (s < nLex) {
          if (lexMark[s] !== g) {
            lexMark[s] = g;
            lex.push(s);
          }
          continue;
        }
        if (s >= firstTokenSet) {
          expectsTokens = 1;
          continue;
        }
        r = s - nLex;
      }
      if (ruleMark[r] !== g) {
        ruleMark[r] = g;
        for (let p = prodStart[r]!; p < prodStart[r + 1]!; p++) {
          const d0 = prodDot0[p]!;
          if (dotMark[d0] === g) continue;
          dotMark[d0] = g;
          if (nd === dots.length) dots = this.growDots();
          dots[nd++] = d0;
        }
      }
      // Aycock–Horspool: a nullable rule after the dot may be skipped.
      if (k >= 0 && t.nullable[r]) {
        const d1 = dots[k]! + 1;
        if (dotMark[d1] !== g) {
          dotMark[d1] = g;
          if (nd === dots.length) dots = this.growDots();
          dots[nd++] = d1;
        }
      }
    }
    const list = dots.slice(0, nd);
    this.indexBySymbol(list, 0, nLex, this.scanLex, this.scanOff, this.scanDot);
    this.indexBySymbol(list, nLex, firstTokenSet, this.waitRule, this.waitOff, this.waitDot);
    this.dots.push(list);
    this.lexemes.push(Int32Array.from(lex).sort());
    this.expectsTokens.push(expectsTokens);
    this.allowedAlone.push(-1);
    return id;
  }

  // Scratch of closureOf: generation-stamped marks per rule, dot and lexeme, and the dots found.
  private ruleMark = new Int32Array(0);
  private dotMark = new Int32Array(0);
  private lexMark = new Int32Array(0);
  private markGen = 0;
  private dotBuf: Int32Array = new Int32Array(64);

  private nextGen(): number {
    const t = this.t;
    if (this.ruleMark.length < t.nRules) this.ruleMark = new Int32Array(t.nRules);
    if (this.dotMark.length < t.dotSym.length + 1) this.dotMark = new Int32Array(t.dotSym.length + 1);
    if (this.lexMark.length < t.nLexemes) this.lexMark = new Int32Array(t.nLexemes);
    if (this.markGen === 0x7fffffff) {
      this.ruleMark.fill(0);
      this.dotMark.fill(0);
      this.lexMark.fill(0);
      this.markGen = 0;
    }
    return ++this.markGen;
  }

  private growDots(): Int32Array {
    const g = new Int32Array(this.dotBuf.length * 2);
    g.set(this.dotBuf);
    this.dotBuf = g;
    return g;
  }

  /**
   * Groups the dots whose symbol lies in [lo, hi) by that symbol (minus lo): the sorted symbols, the
   * offsets of their groups, and the dots in each group in the order given (appended to the three
   * per-closure lists).
   */
  private indexBySymbol(dots: Int32Array, lo: number, hi: number, keysOut: Int32Array[], offOut: Int32Array[], dotsOut: Int32Array[]): void {
    const dotSym = this.t.dotSym;
    // (symbol, position) pairs packed in doubles: one numeric sort groups them in order.
    const pairs: number[] = [];
    for (let k = 0; k < dots.length; k++) {
      const s = dotSym[dots[k]!]!;
      if (s >= lo && s < hi) pairs.push((s - lo) * 0x100000000 + k);
    }
    const sorted = Float64Array.from(pairs).sort();
    const keys: number[] = [];
    const off: number[] = [];
    const out = new Int32Array(sorted.length);
    for (let j = 0; j < sorted.length; j++) {
      const key = Math.floor(sorted[j]! / 0x100000000);
      if (keys.length === 0 || keys[keys.length - 1] !== key) {
        keys.push(key);
        off.push(j);
      }
      out[j] = dots[sorted[j]! - key * 0x100000000]!;
    }
    off.push(sorted.length);
    keysOut.push(Int32Array.from(keys));
    offOut.push(Int32Array.from(off));
    dotsOut.push(out);
  }
}
