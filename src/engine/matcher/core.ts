import { EngineError } from '../errors.ts';
import type { Grammar, TokenSet, WordBoundaryOptions } from '../grammar/ir.ts';
import { Lexer, type LexerOptions } from '../lexer/lexer.ts';
import { LayoutTables } from '../parser/layout.ts';
import type { Limits } from '../limits.ts';
import { EarleyParser, SCAN_FAILED, type ParserShared } from '../parser/earley.ts';
import { LexemeSetTable } from '../parser/lexeme-sets.ts';
import { PredictionTable } from '../parser/predictions.ts';
import { RowInterner } from '../parser/row-intern.ts';
import { UniqueKeyTables } from '../parser/unique-keys.ts';
import { buildParserTables, type ParserTables } from '../parser/tables.ts';
import type { Tokenizer } from '../tokenizer/types.ts';
import { tokenTrie, type TokenTrie } from '../trie/token-trie.ts';

/** Per-lexer-state flags (lazily filled; 0 = not computed yet). */
export const F_KNOWN = 1;
/** Some lexeme matches exactly the bytes read since the boundary. */
export const F_ACC = 2;
/**
 * The lexeme ends right here: the state accepts and either accepts a `lazy` lexeme (lazy lexemes
 * end at the first match) or no byte can extend it (a greedy lexeme that cannot grow ends now; this
 * is the same language as waiting for the next byte, and keeps states canonical for EOS and forcing).
 */
export const F_ENDS = 4;

/**
 * Everything a compiled grammar's matchers share: lexer, parser tables, trie, resolved special
 * tokens, and small per-state caches. Internal to the matcher folder.
 */
export class GrammarCore {
  readonly lexer: Lexer;
  readonly tables: ParserTables;
  readonly shared: ParserShared;
  readonly tokenizer: Tokenizer;
  readonly trie: TokenTrie;
  readonly limits: Limits;
  readonly vocabWords: number;
  readonly lazy: Uint8Array;
  /** Union of all special-token sets (tokens that can be scanned by id somewhere). */
  readonly anyTokenSet: Uint32Array;
  /** Per token id, 1 for the tokenizer's end-of-sequence ids (one table per tokenizer). */
  readonly isEos: Uint8Array;
  readonly grammar: Grammar;
  /** Indentation or gap markers: scans go through EarleyParser.scanLayout. */
  readonly layoutOn: boolean;
  /** Lexeme fallback (GrammarOptions.lexemeFallback): a dying lexeme may end at its last complete prefix. */
  readonly fallback: boolean;
  /** Word boundary (GrammarOptions.wordBoundary): after a lexeme ending with a word byte, the next start state is guarded. */
  readonly wordBoundary: boolean;

  /** flags[state]: F_* bits; re-read after stateFlags() (the array grows). */
  flags: Uint8Array;
  /** Lexer start state per interned allowed-lexeme set, -1 = not computed. */
  private setStart: Int32Array;

  constructor(grammar: Grammar, tokenizer: Tokenizer, limits: Limits) {
    this.grammar = grammar;
    this.limits = limits;
    this.tokenizer = tokenizer;
    this.tables = buildParserTables(grammar, limits);
    const opts = grammar.options;
    const layout = opts?.indentation || (opts?.gaps?.length ?? 0) > 0
      ? new LayoutTables(grammar.lexemes.length, opts?.indentation, opts?.gaps)
      : null;
    const lexerOptions: LexerOptions = { fallback: opts?.lexemeFallback === true };
    if (layout !== null) {
      // Tracked lexemes (lexer aux): the newline lexeme's column; line breaks in ignored lexemes.
      const tracked = new Uint8Array(grammar.lexemes.length);
      if (opts?.indentation) tracked[opts.indentation.newline] = 1;
      if (opts?.gaps?.some((g) => g.kind !== 'none')) for (const id of grammar.ignore) tracked[id] = 1;
      lexerOptions.tracked = tracked;
      lexerOptions.tabWidth = opts?.indentation?.tabWidth ?? 8;
      // Only indentation reads the column; gap markers need the line break alone.
      lexerOptions.columns = Boolean(opts?.indentation);
    }
    if (opts?.wordBoundary) lexerOptions.word = wordBytes(opts.wordBoundary);
    this.fallback = lexerOptions.fallback === true;
    this.wordBoundary = lexerOptions.word !== undefined;
    this.lexer = new Lexer(grammar.lexemes.map((l) => l.regex), limits, lexerOptions);
    this.vocabWords = (tokenizer.vocabSize + 31) >>> 5;
    this.lazy = new Uint8Array(grammar.lexemes.length);
    for (let i = 0; i < grammar.lexemes.length; i++) if (grammar.lexemes[i]!.lazy) this.lazy[i] = 1;
    const tokenSetBits = this.tables.tokenSets.map((s) => resolveTokenSet(s, tokenizer));
    // Most grammars have no token sets: they share one empty union per tokenizer (read only).
    const vocab = perTokenizer(tokenizer);
    this.anyTokenSet = tokenSetBits.length === 0 ? vocab.noTokens : new Uint32Array(this.vocabWords);
    for (const b of tokenSetBits) for (let w = 0; w < b.length; w++) this.anyTokenSet[w]! |= b[w]!;
    this.isEos = vocab.isEos;
    // unique_keys keeps a state per row beside the layout's; the two are not combined (no grammar needs both).
    if (opts?.uniqueKeys && layout !== null) throw new EngineError('GRAMMAR', 'unique_keys cannot be combined with indentation or gap markers');
    const keys = opts?.uniqueKeys ? new UniqueKeyTables(grammar.lexemes.length, opts.uniqueKeys) : null;
    this.shared = { tables: this.tables, lexemeSets: new LexemeSetTable(), tokenSetBits, limits, predictions: new PredictionTable(this.tables), rowInterner: new RowInterner(limits.internedStateBytes), layout, keys };
    this.layoutOn = layout !== null;
    this.trie = tokenTrie(tokenizer);
    this.flags = new Uint8Array(256);
    this.setStart = new Int32Array(64).fill(-1);
  }

  newParser(): EarleyParser {
    return new EarleyParser(this.shared);
  }

  /** F_* flags of a lexer state. */
  stateFlags(s: number): number {
    if (s < this.flags.length) {
      const f = this.flags[s]!;
      if (f !== 0) return f;
    } else {
      let n = this.flags.length;
      while (n <= s) n *= 2;
      const g = new Uint8Array(n);
      g.set(this.flags);
      this.flags = g;
    }
    const lx = this.lexer;
    let f = F_KNOWN;
    if (s !== Lexer.DEAD && lx.isAcceptingState(s)) {
      f |= F_ACC;
      const acc = lx.accepting(s);
      let ends = !lx.canExtend(s);
      for (let i = 0; i < acc.length && !ends; i++) if (this.lazy[acc[i]!]) ends = true;
      if (ends) f |= F_ENDS;
    }
    this.flags[s] = f;
    return f;
  }

  /** Lexer start state for the parser's top row. */
  startOf(parser: EarleyParser): number {
    const id = parser.allowedSet();
    if (id < this.setStart.length) {
      const s = this.setStart[id]!;
      if (s >= 0) return s;
    } else {
      let n = this.setStart.length;
      while (n <= id) n *= 2;
      const g = new Int32Array(n).fill(-1);
      g.set(this.setStart);
      this.setStart = g;
    }
    const s = this.lexer.startState(this.shared.lexemeSets.sets[id]!);
    this.setStart[id] = s;
    return s;
  }

  /**
   * Lexer start state for the next lexeme after the lexeme read in state `ended` was scanned (the
   * parser's top row is the row after it): with word boundary, guarded when `ended` ends with a word
   * byte.
   */
  startAfter(parser: EarleyParser, ended: number): number {
    return this.startNext(parser, this.lexer.endsWord(ended));
  }

  /** startAfter for a lexeme known by whether it ended with a word byte (an exit group from the store of shared walks). */
  startNext(parser: EarleyParser, wordEnd: boolean): number {
    const s = this.startOf(parser);
    return this.wordBoundary && wordEnd ? this.lexer.guarded(s) : s;
  }

  /** Scans the lexemes accepted in lexer state `s` (which must accept); false if the parser refuses. */
  scanAccepted(parser: EarleyParser, s: number): boolean {
    return this.scanRead(parser, this.lexer.accepting(s), this.lexer.aux(s));
  }

  /**
   * scanAccepted for lexemes known by their ids (sorted) and the aux their state left (read only
   * with layout: an exit group from the store of shared walks, or a literal walk's).
   */
  scanRead(parser: EarleyParser, lexemes: Int32Array, aux: number): boolean {
    if (this.layoutOn) return parser.scanLayout(lexemes, lexemes.length, aux) !== SCAN_FAILED;
    return parser.scanLexemes(lexemes, lexemes.length) !== SCAN_FAILED;
  }

  /**
   * Lexeme fallback from lexer state `s` (not accepting, with a fallback point): scans the last
   * complete prefix, then lexes the bytes read since then again from the next start state, moving
   * `pos` (lexState, fresh). False when the parser refuses or a replayed byte dies.
   */
  fallBack(parser: EarleyParser, s: number, pos: { lexState: number; fresh: boolean }): boolean {
    const lx = this.lexer;
    const acc = lx.fallbackAccept(s);
    if (!this.scanAccepted(parser, acc)) return false;
    pos.lexState = this.startAfter(parser, acc);
    pos.fresh = true;
    const n = lx.fallbackTailLength(s);
    for (let k = 0; k < n; k++) if (!this.stepByte(parser, pos, lx.fallbackTailByte(s, k))) return false;
    return true;
  }

  /**
   * One byte of lexing with the parser (Cursor.stepByte's semantics, on any position): false when
   * the byte is not allowed (the position is then unspecified).
   */
  stepByte(parser: EarleyParser, pos: { lexState: number; fresh: boolean }, b: number): boolean {
    const lx = this.lexer;
    const s = pos.lexState;
    let t = lx.transitions[s * lx.classCount + lx.byteClass[b]!]!;
    if (t < 0) t = lx.computeNext(s, b);
    if (t === Lexer.DEAD) {
      if (pos.fresh) return false;
      if ((this.stateFlags(s) & F_ACC) === 0) {
        // Fallback to the last complete prefix, then this byte again.
        if (!this.fallback || lx.fallbackAccept(s) < 0) return false;
        return this.fallBack(parser, s, pos) && this.stepByte(parser, pos, b);
      }
      // The byte ends the lexeme and starts the next one.
      if (!this.scanAccepted(parser, s)) return false;
      const nextStart = this.startAfter(parser, s);
      t = lx.transitions[nextStart * lx.classCount + lx.byteClass[b]!]!;
      if (t < 0) t = lx.computeNext(nextStart, b);
      if (t === Lexer.DEAD) return false;
    }
    if (this.stateFlags(t) & F_ENDS) {
      if (!this.scanAccepted(parser, t)) return false;
      pos.lexState = this.startAfter(parser, t);
      pos.fresh = true;
    } else {
      pos.lexState = t;
      pos.fresh = false;
    }
    return true;
  }
}

/** The word-boundary byte tables of LexerOptions.word. */
function wordBytes(wb: WordBoundaryOptions): { end: Uint8Array; start: Uint8Array } {
  const end = new Uint8Array(256);
  for (let i = 0; i < wb.word.length; i++) end[wb.word.charCodeAt(i)] = 1;
  if (wb.nonAscii) end.fill(1, 0x80, 0x100);
  const start = end.slice();
  for (let i = 0; i < wb.extraStart.length; i++) start[wb.extraStart.charCodeAt(i)] = 1;
  return { end, start };
}

/** A special-token set as a bitmap over the vocabulary. */
export function resolveTokenSet(set: TokenSet, tok: Tokenizer): Uint32Array {
  const words = (tok.vocabSize + 31) >>> 5;
  const bits = new Uint32Array(words);
  const setRange = (lo: number, hi: number): void => {
    const a = Math.max(0, lo);
    const b = Math.min(tok.vocabSize - 1, hi);
    for (let i = a; i <= b; i++) bits[i >>> 5]! |= 1 << (i & 31);
  };
  for (const [lo, hi] of set.ranges) setRange(lo, hi);
  for (const name of set.names ?? []) {
    const id = tok.specialId(name);
    if (id === undefined) {
      throw new EngineError('GRAMMAR', `special token ${name} is not in the ${tok.name} vocabulary`);
    }
    bits[id >>> 5]! |= 1 << (id & 31);
  }
  if (set.negated) {
    for (let w = 0; w < words; w++) bits[w] = ~bits[w]!;
    const extra = words * 32 - tok.vocabSize;
    if (extra > 0) bits[words - 1]! &= 0xffffffff >>> extra;
  }
  return bits;
}

/**
 * Tables every grammar compiled for one tokenizer reads alike, built once per tokenizer: a compile
 * used to allocate and fill them (128 KB for Llama-3's end-of-sequence table), which TTFM paid.
 */
interface VocabularyTables {
  isEos: Uint8Array;
  /** All zero: the token-set union of a grammar with none. */
  noTokens: Uint32Array;
}
const vocabularyTables = new WeakMap<Tokenizer, VocabularyTables>();

function perTokenizer(tok: Tokenizer): VocabularyTables {
  let t = vocabularyTables.get(tok);
  if (t === undefined) {
    const isEos = new Uint8Array(tok.vocabSize);
    for (const e of tok.eosTokens) isEos[e] = 1;
    t = { isEos, noTokens: new Uint32Array((tok.vocabSize + 31) >>> 5) };
    vocabularyTables.set(tok, t);
  }
  return t;
}
