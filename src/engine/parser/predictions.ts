import { LexemeSetTable } from './lexeme-sets.ts';
import { SYM_END, type ParserTables } from './tables.ts';

/**
 * The predicted part of an Earley row, memoized. In a row built by a scan, the items fall in two
 * parts: the kernel (scanned items, completions and nullable advances, all with origins in earlier
 * rows) and the predictions (origin = this row). The predictions depend only on WHICH rules the
 * kernel predicts, not on origins, so for each set of predicted rules we compute once: their dots
 * (closed under prediction, with Aycock–Horspool advances over nullable rules), the lexemes those
 * dots expect, and whether any expects a special token. A row push then appends a stored list
 * instead of re-running prediction, and the row's allowed lexemes need no pass over it.
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
    const seenRule = new Uint8Array(t.nRules);
    const seenDot = new Set<number>();
    const dots: number[] = [];
    const addDot = (d: number): void => {
      if (!seenDot.has(d)) {
        seenDot.add(d);
        dots.push(d);
      }
    };
    const predict = (r: number): void => {
      if (seenRule[r]) return;
      seenRule[r] = 1;
      for (let p = t.ruleProdStart[r]!; p < t.ruleProdStart[r + 1]!; p++) addDot(t.prodDot0[p]!);
    };
    for (let i = 0; i < n; i++) predict(rules[i]!);
    const lex = new Set<number>();
    let expectsTokens = 0;
    for (let k = 0; k < dots.length; k++) {
      const d = dots[k]!;
      const s = t.dotSym[d]!;
      if (s === SYM_END) continue;
      if (s < nLex) lex.add(s);
      else if (s < firstTokenSet) {
        predict(s - nLex);
        if (t.nullable[s - nLex]) addDot(d + 1);
      } else expectsTokens = 1;
    }
    this.indexWaiting(dots);
    this.indexScans(dots);
    this.dots.push(Int32Array.from(dots));
    this.lexemes.push(Int32Array.from([...lex].sort((a, b) => a - b)));
    this.expectsTokens.push(expectsTokens);
    this.allowedAlone.push(-1);
    return id;
  }

  private indexScans(dots: readonly number[]): void {
    const t = this.t;
    const nLex = t.nLexemes;
    const byLex = new Map<number, number[]>();
    for (const d of dots) {
      const s = t.dotSym[d]!;
      if (s < 0 || s >= nLex) continue;
      const list = byLex.get(s);
      if (list) list.push(d);
      else byLex.set(s, [d]);
    }
    const lexes = [...byLex.keys()].sort((a, b) => a - b);
    const off = new Int32Array(lexes.length + 1);
    const out: number[] = [];
    for (let k = 0; k < lexes.length; k++) {
      off[k] = out.length;
      for (const d of byLex.get(lexes[k]!)!) out.push(d);
    }
    off[lexes.length] = out.length;
    this.scanLex.push(Int32Array.from(lexes));
    this.scanOff.push(off);
    this.scanDot.push(Int32Array.from(out));
  }

  private indexWaiting(dots: readonly number[]): void {
    const t = this.t;
    const nLex = t.nLexemes;
    const firstTokenSet = t.firstTokenSetSym;
    const byRule = new Map<number, number[]>();
    for (const d of dots) {
      const s = t.dotSym[d]!;
      if (s < nLex || s >= firstTokenSet) continue;
      const list = byRule.get(s - nLex);
      if (list) list.push(d);
      else byRule.set(s - nLex, [d]);
    }
    const rules = [...byRule.keys()].sort((a, b) => a - b);
    const off = new Int32Array(rules.length + 1);
    const out: number[] = [];
    for (let k = 0; k < rules.length; k++) {
      off[k] = out.length;
      for (const d of byRule.get(rules[k]!)!) out.push(d);
    }
    off[rules.length] = out.length;
    this.waitRule.push(Int32Array.from(rules));
    this.waitOff.push(off);
    this.waitDot.push(Int32Array.from(out));
  }
}
