import { Lexer } from '../lexer/lexer.ts';
import type { EarleyParser } from '../parser/earley.ts';
import { F_ACC, F_ENDS, type GrammarCore } from './core.ts';

/**
 * A saved Cursor position (parser depth, lexer state, fresh), for trying a step or closing the
 * pending lexeme and going back: `cur.save(mark)` … `cur.restore(mark)`. Each caller keeps one and
 * reuses it, so saving allocates nothing.
 */
export class CursorMark {
  depth = 1;
  lexState = 0;
  fresh = true;
}

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
  /** Where isAccepting and allowsToken come back to after closing the pending lexeme. */
  private readonly probe = new CursorMark();

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
    let t = lx.transitions[s * lx.classCount + lx.byteClass[b]!]!;
    if (t < 0) t = lx.computeNext(s, b);
    if (t === Lexer.DEAD) {
      if (this.fresh) return false;
      if ((core.stateFlags(s) & F_ACC) === 0) {
        // Lexeme fallback (opt-in): end at the last complete prefix, lex the rest and this byte again.
        if (!core.fallback || lx.fallbackAccept(s) < 0) return false;
        return core.fallBack(this.parser, s, this) && core.stepByte(this.parser, this, b);
      }
      // The byte ends the lexeme and starts the next one.
      if (!core.scanAccepted(this.parser, s)) return false;
      const nextStart = core.startAfter(this.parser, s);
      t = lx.transitions[nextStart * lx.classCount + lx.byteClass[b]!]!;
      if (t < 0) t = lx.computeNext(nextStart, b);
      if (t === Lexer.DEAD) return false;
    }
    if (core.stateFlags(t) & F_ENDS) {
      if (!core.scanAccepted(this.parser, t)) return false;
      this.lexState = core.startAfter(this.parser, t);
      this.fresh = true;
    } else {
      this.lexState = t;
      this.fresh = false;
    }
    return true;
  }

  /**
   * Closes the pending lexeme, if any, so the parser's top row is the state at a lexeme boundary.
   * Returns false when the pending bytes are not a complete lexeme. Pushes one row (more with
   * lexeme fallback or layout).
   */
  closeLexeme(): boolean {
    if (this.fresh) return true;
    if ((this.core.stateFlags(this.lexState) & F_ACC) === 0) {
      const core = this.core;
      if (!core.fallback || core.lexer.fallbackAccept(this.lexState) < 0) return false;
      return core.fallBack(this.parser, this.lexState, this) && this.closeLexeme();
    }
    if (!this.core.scanAccepted(this.parser, this.lexState)) return false;
    this.lexState = this.core.startAfter(this.parser, this.lexState);
    this.fresh = true;
    return true;
  }

  /** Records the position in `mark` (returned for convenience). */
  save(mark: CursorMark): CursorMark {
    mark.depth = this.parser.depth;
    mark.lexState = this.lexState;
    mark.fresh = this.fresh;
    return mark;
  }

  /** Goes back to a position saved earlier (rows pushed since are popped). */
  restore(mark: CursorMark): void {
    if (this.parser.depth !== mark.depth) this.parser.popTo(mark.depth);
    this.lexState = mark.lexState;
    this.fresh = mark.fresh;
  }

  /** True when the text so far is a sentence (pending lexeme complete and the parser accepting). */
  isAccepting(): boolean {
    if (this.fresh) return this.parser.isAccepting();
    this.save(this.probe);
    const ok = this.closeLexeme() && this.parser.isAccepting();
    this.restore(this.probe);
    return ok;
  }

  /** Whether special token `token` can be scanned by id here (at a lexeme boundary). */
  allowsToken(token: number): boolean {
    if (this.fresh) return this.parser.allowsToken(token);
    this.save(this.probe);
    const ok = this.closeLexeme() && this.parser.allowsToken(token);
    this.restore(this.probe);
    return ok;
  }
}
