import type { Grammar } from '../grammar/ir.ts';
import { Lexer } from '../lexer/lexer.ts';
import { withLimits, type Limits } from '../limits.ts';
import type { Tokenizer } from '../tokenizer/types.ts';
import { GrammarCore } from './core.ts';
import { Cursor, CursorMark } from './cursor.ts';
import { MaskWalker } from './mask.ts';
import { TokenMatcher } from './matcher.ts';
import type { Matcher } from './types.ts';

/** Where a text stops matching (from `CompiledGrammar.check`). */
export interface CheckResult {
  accepted: boolean;
  /** Byte offset of the first byte that cannot be read (the text length when the text ends too early). */
  offset?: number;
  /** 1-based line and column (columns count characters) of that offset. */
  line?: number;
  column?: number;
  /** True when every byte was read but the text is incomplete. */
  incomplete?: boolean;
  /** Names of the lexemes that could start at the point of failure (the current lexeme's start). */
  expected?: string[];
  /** One-line human explanation. */
  message?: string;
}

/** Statistics about a compiled grammar (benchmarks, `ananke grammar check --json`). */
export interface CompiledStats {
  lexemes: number;
  rules: number;
  lexerStates: number;
  maskCacheBytes: number;
  maskCacheHits: number;
  maskCacheMisses: number;
  /** Full masks served from / missed in the cache keyed by interned parser state (mask.ts). */
  fullMaskHits: number;
  fullMaskMisses: number;
  /** Masks the full-mask cache holds (keys, the top memo's included), and the distinct dense bitmaps behind them (each content stored once). */
  fullMaskEntries: number;
  fullMaskBitmaps: number;
  /** Per-lexer-state plans that took a string slice whole (trie/string-slices.ts). */
  slicedPlans: number;
  /** Of those, the plans whose slice holds only the tokens avoiding some characters (string-slices.ts Exclusion). */
  excludedPlans: number;
  /** Plans of key positions beside declared names taken from a free key's plan, not walked (mask.ts declaredKeyPlan). */
  declaredKeyPlans: number;
  /** Distinct parser states interned so far (parser/row-intern.ts). */
  parserStates: number;
  /** Exit groups served from / computed past the group memo (matcher/group-memo.ts), and its entries. */
  groupMemoHits: number;
  groupMemoMisses: number;
  groupMemoEntries: number;
  /** Masks whose exit groups came whole from the top-level memo, and those computed past it (mask.ts applyTop). */
  topMemoHits: number;
  topMemoMisses: number;
  /** Plans taken from / added to the walks shared with other grammars of the tokenizer (matcher/shared-plans.ts). */
  sharedPlanHits: number;
  sharedPlanPuts: number;
  /** Trie nodes visited by the walks that built plans (mask.ts). */
  walkedNodes: number;
  /** Pieces (a walk's tokens and exits below a trie node, per lexer state) taken below the top of a walk's ranges (mask.ts DEEP_PIECE_LEVELS). */
  deepPieceHits: number;
  /** Top-level plans made by a split walk (a bounded string's widened plan, cut, and the deep subtrees: §32). */
  splitPlans: number;
  /** Plans built by literal walks, which build no lexer state (matcher/literal-walk.ts). */
  literalPlans: number;
}

/**
 * A grammar compiled against a tokenizer: lexer, parser tables, trie, special tokens. Compile once,
 * then create cheap matchers; the lazily built lexer DFA and the per-state mask cache are shared by
 * all of them and grow as they are used.
 */
export class CompiledGrammar {
  private readonly core: GrammarCore;
  private readonly walker: MaskWalker;

  constructor(grammar: Grammar, tokenizer: Tokenizer, limits: Limits) {
    this.core = new GrammarCore(grammar, tokenizer, limits);
    this.walker = new MaskWalker(this.core);
  }

  get tokenizer(): Tokenizer {
    return this.core.tokenizer;
  }

  get grammar(): Grammar {
    return this.core.grammar;
  }

  get limits(): Limits {
    return this.core.limits;
  }

  /** Words in a mask for this vocabulary (ceil(vocabSize / 32)). */
  get maskWords(): number {
    return this.core.vocabWords;
  }

  matcher(): Matcher {
    return new TokenMatcher(this.core, this.walker);
  }

  /** True when the whole text is a sentence of the grammar (bytes, no tokenizer involved). */
  matches(text: string): boolean {
    return this.check(text).accepted;
  }

  /** Like matches, but says where and why the text fails. */
  check(text: string): CheckResult {
    const bytes = new TextEncoder().encode(text);
    const core = this.core;
    const cur = new Cursor(core, core.newParser());
    const beforeByte = new CursorMark();
    const lx = core.lexer;
    // Where the lexeme being read began: a byte read from a fresh state, or one that ended the lexeme before it.
    let lexemeStart = 0;
    for (let i = 0; i < bytes.length; i++) {
      cur.save(beforeByte);
      const starts = cur.fresh || lx.next(cur.lexState, bytes[i]!) === Lexer.DEAD;
      if (!cur.stepByte(bytes[i]!)) {
        cur.restore(beforeByte);
        const { line, column } = lineCol(bytes, i);
        const expected = this.expectedAt(cur);
        const ch = JSON.stringify(new TextDecoder().decode(bytes.subarray(i, Math.min(bytes.length, i + 8))));
        const note = this.wordSeamNote(cur, bytes, i) || this.keywordNote(cur, bytes.subarray(lexemeStart, i));
        return {
          accepted: false,
          offset: i,
          line,
          column,
          expected,
          message: `unexpected ${ch} at line ${line}, column ${column} (byte ${i}); expected ${describe(expected)}${note}`,
        };
      }
      if (starts) lexemeStart = i;
    }
    if (cur.isAccepting()) return { accepted: true };
    const { line, column } = lineCol(bytes, bytes.length);
    const expected = this.expectedAt(cur);
    return {
      accepted: false,
      offset: bytes.length,
      line,
      column,
      incomplete: true,
      expected,
      message: `unexpected end of text at line ${line}, column ${column}; expected ${describe(expected)}`,
    };
  }

  /**
   * With word boundary, when byte i is refused only because it would start a lexeme right after one
   * ending with a word character: a note saying so (else '').
   */
  private wordSeamNote(cur: Cursor, bytes: Uint8Array, i: number): string {
    const core = this.core;
    if (!core.wordBoundary || i === 0) return '';
    const mark = cur.save(new CursorMark());
    let note = '';
    if (cur.closeLexeme() && cur.fresh) {
      // The start state is guarded, and the byte would be allowed by the unguarded one.
      const s = core.startOf(cur.parser);
      if (s !== cur.lexState && cur.lexState === core.lexer.guarded(s) && core.lexer.next(s, bytes[i]!) !== Lexer.DEAD) {
        note = ' (word_boundary: after a lexeme ending with a word character, the next may not start with one; add a space)';
      }
    }
    cur.restore(mark);
    return note;
  }

  /**
   * When the lexeme being read has spelled a literal of the grammar (a keyword) that the parser does
   * not allow here, so that only a longer lexeme was alive (Rust's `if let` guard: after `if` an
   * expression, so `let` was read as the start of an identifier, "expected the rest of IDENT"): a
   * note naming it (else '').
   */
  private keywordNote(cur: Cursor, read: Uint8Array): string {
    if (cur.fresh || read.length === 0) return '';
    // A keyword that closes here was allowed: what failed is the byte after it.
    const mark = cur.save(new CursorMark());
    const closes = cur.closeLexeme();
    cur.restore(mark);
    if (closes) return '';
    const text = new TextDecoder().decode(read);
    const lexemes = this.core.grammar.lexemes;
    for (let k = 0; k < lexemes.length; k++) {
      if (lexemes[k]!.literal !== text) continue;
      return /^\w+$/.test(text) ? ` (${JSON.stringify(text)} is a keyword, not allowed here)` : ` (${JSON.stringify(text)} is not allowed here)`;
    }
    return '';
  }

  /**
   * What could come next at the cursor: the rest of the lexeme being read ("the rest of X"), and the
   * lexemes the parser allows after it when it is complete.
   */
  private expectedAt(cur: Cursor): string[] {
    const out: string[] = [];
    const names = this.core.tables.lexemeNames;
    if (!cur.fresh) {
      const alive = this.core.lexer.alive(cur.lexState);
      for (let i = 0; i < alive.length; i++) out.push(`the rest of ${names[alive[i]!]}`);
    }
    const mark = cur.save(new CursorMark());
    if (cur.closeLexeme()) {
      for (const n of cur.parser.expectedLexemeNames()) out.push(n);
      if (cur.parser.expectsTokens()) out.push('a special token');
    }
    cur.restore(mark);
    return out;
  }

  stats(): CompiledStats {
    return {
      lexemes: this.core.grammar.lexemes.length,
      rules: this.core.grammar.rules.length,
      lexerStates: this.core.lexer.stateCount,
      maskCacheBytes: this.walker.cachedBytes,
      maskCacheHits: this.walker.cacheHits,
      maskCacheMisses: this.walker.cacheMisses,
      fullMaskHits: this.walker.fullMaskHits,
      fullMaskMisses: this.walker.fullMaskMisses,
      fullMaskEntries: this.walker.fullMaskEntries,
      fullMaskBitmaps: this.walker.fullMaskBitmaps,
      slicedPlans: this.walker.sliced,
      excludedPlans: this.walker.excluded,
      declaredKeyPlans: this.walker.derivedKeys,
      parserStates: this.core.shared.rowInterner.size,
      groupMemoHits: this.walker.memoHits,
      groupMemoMisses: this.walker.memoMisses,
      groupMemoEntries: this.walker.memoEntries,
      topMemoHits: this.walker.topHits,
      topMemoMisses: this.walker.topMisses,
      sharedPlanHits: this.walker.sharedHits,
      sharedPlanPuts: this.walker.sharedPuts,
      walkedNodes: this.walker.walkedNodes,
      deepPieceHits: this.walker.deepPieceHits,
      splitPlans: this.walker.splitPlans,
      literalPlans: this.walker.literalPlans,
    };
  }
}

function describe(names: string[]): string {
  if (names.length === 0) return 'nothing more (the text should end here)';
  const shown = names.slice(0, 12).join(', ');
  return names.length > 12 ? `one of: ${shown}, … (${names.length} in all)` : names.length === 1 ? shown : `one of: ${shown}`;
}

function lineCol(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let column = 1;
  for (let i = 0; i < offset; i++) {
    const b = bytes[i]!;
    if (b === 0x0a) {
      line++;
      column = 1;
    } else if ((b & 0xc0) !== 0x80) column++;
  }
  return { line, column };
}

/** Compiles a grammar for a tokenizer. Reusable and shareable; see CompiledGrammar. */
export function compile(grammar: Grammar, tokenizer: Tokenizer, limits?: Partial<Limits>): CompiledGrammar {
  return new CompiledGrammar(grammar, tokenizer, withLimits(limits));
}
