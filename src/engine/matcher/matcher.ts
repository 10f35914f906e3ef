import { EngineError } from '../errors.ts';
import { PLAIN_TEXT } from '../tokenizer/types.ts';
import { Lexer } from '../lexer/lexer.ts';
import { SCAN_FAILED } from '../parser/earley.ts';
import type { GrammarCore } from './core.ts';
import { Cursor, CursorMark } from './cursor.ts';
import type { MaskWalker } from './mask.ts';
import { completionTokens, shortestCompletionBytes } from './completion.ts';
import type { Completion, CompletionOptions, Matcher } from './types.ts';

/** Initial capacity of the per-token history (doubles as needed). */
const INITIAL_HISTORY = 256;
/** Forced fast-forward stops after this many bytes (a grammar can force an unbounded literal run). */
const MAX_FORCED_BYTES = 4096;

/**
 * The per-sequence state: a Cursor plus one history entry per consumed token (parser depth, lexer
 * state, fresh, stopped before the token), so rollback is O(1) and clone copies typed arrays.
 */
export class TokenMatcher implements Matcher {
  private cur: Cursor;
  private histDepth: Int32Array;
  private histLex: Int32Array;
  private histFlags: Uint8Array;
  private n = 0;
  private stopped = false;
  /**
   * The last mask, valid while the parser rows are unchanged: the mask is a function of (parser
   * state, lexer state, fresh), and the parser state only changes when a consume pushes a row (or
   * on rollback). Reading on inside one lexeme (a string, an identifier, a run of spaces) often
   * comes back to the same lexer state, so the next mask is a 16 KB copy.
   */
  private lastMask: Uint32Array | null = null;
  /** The last mask's key in the full-mask cache, or -1 when lastMask holds it. */
  private lastKey = -1;
  private lastValid = false;
  private lastLex = -1;
  private lastFresh = false;
  /**
   * The position computeMask, consume and forcedBytes come back to, and rollback goes to (each
   * fills it on entry; none calls another while it is in use).
   */
  private readonly mark = new CursorMark();

  constructor(
    private readonly core: GrammarCore,
    private readonly walker: MaskWalker,
    cursor?: Cursor,
  ) {
    this.cur = cursor ?? new Cursor(core, core.newParser());
    this.histDepth = new Int32Array(INITIAL_HISTORY);
    this.histLex = new Int32Array(INITIAL_HISTORY);
    this.histFlags = new Uint8Array(INITIAL_HISTORY);
  }

  get position(): number {
    return this.n;
  }

  /**
   * The lexer's position, lexer state × 2 + 1 at a lexeme boundary (+ 0 inside a lexeme): which
   * masks share walks. For the program warm-up (warm-up/program-warm-up.ts), not a stable API.
   */
  get lexerPosition(): number {
    return this.cur.lexState * 2 + (this.cur.fresh ? 1 : 0);
  }

  computeMask(bits: Uint32Array): void {
    const core = this.core;
    if (bits.length < core.vocabWords) {
      throw new EngineError('STATE', `computeMask: mask has ${bits.length} words, the vocabulary needs ${core.vocabWords}`);
    }
    if (this.stopped) {
      bits.fill(0);
      return;
    }
    const cur = this.cur;
    if (this.lastValid && this.lastLex === cur.lexState && this.lastFresh === cur.fresh) {
      if (this.lastKey < 0) bits.set(this.lastMask!);
      else this.walker.fullMaskRead(this.lastKey, bits);
      return;
    }
    const parser = cur.parser;
    // The mask is a function of (parser state, lexer state, fresh): look it up by the interned
    // parser state, which recurs across positions (every statement of a block, every top-level item).
    const key = this.walker.fullMaskKey(parser.stateId(), cur.lexState, cur.fresh);
    if (key >= 0) {
      if (this.walker.fullMaskGet(key, bits)) {
        this.remember(bits, cur.lexState, cur.fresh, key);
        return;
      }
    }
    this.walker.fill(parser, cur.lexState, cur.fresh, bits);
    for (let k = 0; k < core.trie.emptyTokens.length; k++) {
      const t = core.trie.emptyTokens[k]!;
      bits[t >>> 5]! |= 1 << (t & 31);
    }
    // Special tokens and EOS need a lexeme boundary: close the pending lexeme if it is complete.
    cur.save(this.mark);
    if (cur.closeLexeme()) {
      parser.orAllowedTokens(bits);
      if (parser.isAccepting()) {
        const eos = core.tokenizer.eosTokens;
        for (let k = 0; k < eos.length; k++) bits[eos[k]! >>> 5]! |= 1 << (eos[k]! & 31);
      }
    }
    cur.restore(this.mark);
    const stored = key >= 0 && this.walker.fullMaskPut(key, bits);
    this.remember(bits, cur.lexState, cur.fresh, stored ? key : -1);
  }

  /**
   * Keeps the mask for the next call: as its full-mask cache key when the cache holds it (no copy,
   * and no 16 KB buffer for a matcher used for one short output), else as a copy.
   */
  private remember(bits: Uint32Array, lexState: number, fresh: boolean, key: number): void {
    this.lastKey = key;
    if (key < 0) {
      const words = this.core.vocabWords;
      this.lastMask ??= new Uint32Array(words);
      this.lastMask.set(bits.subarray(0, words));
    }
    this.lastValid = true;
    this.lastLex = lexState;
    this.lastFresh = fresh;
  }

  consume(token: number): boolean {
    const core = this.core;
    if (!Number.isInteger(token) || token < 0 || token >= core.tokenizer.vocabSize) {
      throw new EngineError('TOKENIZER', `token id ${token} is out of range (vocabulary of ${core.tokenizer.vocabSize})`);
    }
    if (this.stopped) return false;
    const cur = this.cur;
    const parser = cur.parser;
    const before = cur.save(this.mark);
    let ok = true;
    let stop = false;
    if ((core.anyTokenSet[token >>> 5]! >>> (token & 31)) & 1 && cur.allowsToken(token)) {
      // A special-token symbol of the grammar: scanned by id.
      cur.closeLexeme();
      ok = parser.scanToken(token) !== SCAN_FAILED;
      if (ok) {
        cur.lexState = core.startOf(parser);
        cur.fresh = true;
      }
    } else if (core.tokenizer.isSpecial[token] || core.isEos[token]) {
      if (!core.isEos[token] || !cur.isAccepting()) return false;
      stop = true;
    } else {
      const tk = core.tokenizer;
      const bytes = tk.bytes;
      const end = tk.offsets[token + 1]!;
      for (let i = tk.offsets[token]!; i < end && ok; i++) ok = cur.stepByte(bytes[i]!);
    }
    if (!ok) {
      cur.restore(before);
      return false;
    }
    this.record(before);
    if (stop) this.stopped = true;
    // A pushed row changes the parser state (pushes are the only change a consume makes to it).
    if (parser.depth !== before.depth) this.lastValid = false;
    return true;
  }

  rollback(n: number): void {
    if (!Number.isInteger(n) || n < 0 || n > this.n) {
      throw new EngineError('STATE', `rollback(${n}): only ${this.n} tokens have been consumed`);
    }
    if (n === 0) return;
    this.lastValid = false;
    const k = this.n - n;
    const f = this.histFlags[k]!;
    const before = this.mark;
    before.depth = this.histDepth[k]!;
    before.lexState = this.histLex[k]!;
    before.fresh = (f & 1) !== 0;
    this.cur.restore(before);
    this.stopped = (f & 2) !== 0;
    this.n = k;
  }

  clone(): TokenMatcher {
    const m = new TokenMatcher(this.core, this.walker, this.cur.clone());
    if (m.histDepth.length < this.n) m.growHistory(this.n);
    m.histDepth.set(this.histDepth.subarray(0, this.n));
    m.histLex.set(this.histLex.subarray(0, this.n));
    m.histFlags.set(this.histFlags.subarray(0, this.n));
    m.n = this.n;
    m.stopped = this.stopped;
    return m;
  }

  isAccepting(): boolean {
    return this.stopped || this.cur.isAccepting();
  }

  isStopped(): boolean {
    if (this.stopped) return true;
    const cur = this.cur;
    if (!cur.fresh) return false;
    // Nothing but EOS can follow: no lexeme can start and no special token can be scanned.
    return cur.lexState === Lexer.DEAD && !cur.parser.expectsTokens();
  }

  forcedTokens(): number[] {
    if (this.stopped) return [];
    const bytes = this.forcedBytes();
    if (bytes.length === 0) return [];
    // Cut an incomplete UTF-8 character at the end: encode() works on text.
    let end = bytes.length;
    let k = end - 1;
    while (k >= 0 && k > end - 4 && (bytes[k]! & 0xc0) === 0x80) k--;
    if (k >= 0) {
      const lead = bytes[k]!;
      const need = lead < 0x80 ? 1 : lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
      if (end - k < need) end = k;
    }
    if (end === 0) return [];
    const text = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(Uint8Array.from(bytes.slice(0, end)));
    const tokens = this.core.tokenizer.encode(text, PLAIN_TEXT);
    // Keep the last token only when nothing can follow the forced text: otherwise the next bytes
    // could merge with it into a longer token in the canonical tokenization.
    const probe = this.clone();
    const out: number[] = [];
    for (let i = 0; i < tokens.length; i++) {
      if (!probe.consume(tokens[i]!)) break;
      out.push(tokens[i]!);
    }
    if (out.length === tokens.length && end === bytes.length && probe.isStopped()) return out;
    if (out.length === tokens.length) out.pop();
    return out;
  }

  shortestCompletion(options?: CompletionOptions): Completion | null {
    if (this.stopped) return { text: '', bytes: new Uint8Array(0), tokens: [] };
    const bytes = shortestCompletionBytes(this.core, this.cur, options);
    if (bytes === null) return null;
    const tokens = completionTokens(this.core, bytes);
    if (tokens === null) return null;
    return { text: new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(bytes), bytes, tokens };
  }

  /** The bytes that must come next (the only continuation), up to MAX_FORCED_BYTES. */
  private forcedBytes(): number[] {
    const core = this.core;
    const cur = this.cur;
    const parser = cur.parser;
    cur.save(this.mark);
    const out: number[] = [];
    try {
      while (out.length < MAX_FORCED_BYTES) {
        if (cur.fresh) {
          // A special token or EOS could come here instead of bytes.
          if (parser.expectsTokens() || parser.isAccepting()) break;
        } else if (core.lexer.isAcceptingState(cur.lexState)) {
          break; // the lexeme may end here or go on
        }
        const b = core.lexer.forcedByte(cur.lexState);
        if (b < 0 || !cur.stepByte(b)) break;
        out.push(b);
      }
    } finally {
      cur.restore(this.mark);
    }
    return out;
  }

  /** Appends the position before a consumed token to the history. */
  private record(before: CursorMark): void {
    const k = this.n;
    if (k === this.histDepth.length) this.growHistory(k + 1);
    this.histDepth[k] = before.depth;
    this.histLex[k] = before.lexState;
    this.histFlags[k] = (before.fresh ? 1 : 0) | (this.stopped ? 2 : 0);
    this.n = k + 1;
  }

  private growHistory(min: number): void {
    let n = this.histDepth.length;
    while (n < min) n *= 2;
    const d = new Int32Array(n);
    d.set(this.histDepth);
    this.histDepth = d;
    const l = new Int32Array(n);
    l.set(this.histLex);
    this.histLex = l;
    const f = new Uint8Array(n);
    f.set(this.histFlags);
    this.histFlags = f;
  }
}
