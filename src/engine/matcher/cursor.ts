import { Lexer } from '../lexer/lexer.ts';
import type { EarleyParser } from '../parser/earley.ts';
import { F_ACC, F_ENDS, type GrammarCore } from './core.ts';

/**
 * A position in the text: the parser's row stack plus the lexer state of the lexeme being read.
 * `fresh` means no byte of the current lexeme has been read (lexState is the start state of the
 * parser's top row). This is the byte-level semantics that consume, check and forcing share; the
 * mask walk (mask.ts) inlines exactly the same steps.
 *
 * Lexing (llguidance's): a greedy lexeme continues while the next byte keeps the DFA alive; when a
 * byte kills it and the state accepts, every allowed lexeme matching those bytes is scanned and the
 * byte starts the next lexeme. A lazy lexeme (or one that cannot grow) ends as soon as it matches.
 * Lexemes are never empty.
 */
export class Cursor {
  lexState: number;
  fresh = true;

  constructor(
    readonly core: GrammarCore,
    readonly parser: EarleyParser,
  ) {
    this.lexState = core.startOf(parser);
  }

  clone(): Cursor {
    const c = new Cursor(this.core, this.parser.clone());
    c.lexState = this.lexState;
    c.fresh = this.fresh;
    return c;
  }

  /** Advances by one byte; false when the byte is not allowed (state is then unspecified: restore it). */
  stepByte(b: number): boolean {
    const core = this.core;
    const lx = core.lexer;
    const s = this.lexState;
    let t = lx.transitions[s * 256 + b]!;
    if (t < 0) t = lx.computeNext(s, b);
    if (t === Lexer.DEAD) {
      if (this.fresh || (core.stateFlags(s) & F_ACC) === 0) return false;
      if (!core.scanAccepted(this.parser, s)) return false;
      const s0 = core.startOf(this.parser);
      t = lx.transitions[s0 * 256 + b]!;
      if (t < 0) t = lx.computeNext(s0, b);
      if (t === Lexer.DEAD) return false;
    }
    if (core.stateFlags(t) & F_ENDS) {
      if (!core.scanAccepted(this.parser, t)) return false;
      this.lexState = core.startOf(this.parser);
      this.fresh = true;
    } else {
      this.lexState = t;
      this.fresh = false;
    }
    return true;
  }

  /**
   * Closes the pending lexeme, if any, so the parser's top row is the state at a lexeme boundary.
   * Returns false when the pending bytes are not a complete lexeme. Pushes at most one row.
   */
  closeLexeme(): boolean {
    if (this.fresh) return true;
    if ((this.core.stateFlags(this.lexState) & F_ACC) === 0) return false;
    if (!this.core.scanAccepted(this.parser, this.lexState)) return false;
    this.lexState = this.core.startOf(this.parser);
    this.fresh = true;
    return true;
  }

  /** True when the text so far is a sentence (pending lexeme complete and the parser accepting). */
  isAccepting(): boolean {
    if (this.fresh) return this.parser.isAccepting();
    const depth = this.parser.depth;
    const saved = this.lexState;
    let ok = false;
    if (this.closeLexeme()) ok = this.parser.isAccepting();
    this.parser.popTo(depth);
    this.lexState = saved;
    this.fresh = false;
    return ok;
  }

  /** Whether special token `token` can be scanned by id here (at a lexeme boundary). */
  allowsToken(token: number): boolean {
    if (this.fresh) return this.parser.allowsToken(token);
    const depth = this.parser.depth;
    const saved = this.lexState;
    let ok = false;
    if (this.closeLexeme()) ok = this.parser.allowsToken(token);
    this.parser.popTo(depth);
    this.lexState = saved;
    this.fresh = false;
    return ok;
  }
}
