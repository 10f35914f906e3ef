import { EngineError } from '../errors.ts';
import { Lexer } from '../lexer/lexer.ts';
import { withLimits, type Limits } from '../limits.ts';
import type { Regex } from '../regex/ast.ts';
import { encodeCodePoint } from '../regex/utf8.ts';
import type { GapKind, Grammar, Sym } from './ir.ts';

/**
 * Random sentences of a grammar (the IR): rules expanded at random under a depth and size budget,
 * lexemes filled with random strings from their regexes, `%ignore` text put between two lexemes
 * where their concatenation could lex differently. Deterministic for a seed.
 *
 * This file only generates. Whether a text is really accepted is decided by the compiled grammar
 * (`CompiledGrammar.check`), which lives in matcher/ — a folder that imports this one — so the
 * caller passes it in as `accepts`; `sampleGrammar` in src/engine/sampling.ts does that with the
 * byte vocabulary. With `accepts`, a sample is retried (bounded) until the verdict is yes.
 */

/** mulberry32: a small, fast, seeded PRNG giving floats in [0, 1). Same seed, same sequence. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SamplerOptions {
  /**
   * Rule nesting depth past which every rule takes an alternative of the shortest derivation
   * (default 24; clike's expression precedence chain alone is 16 levels deep). Before it, longer
   * alternatives lose weight linearly with the depth.
   */
  maxDepth?: number;
  /** Soft size budget in bytes: once the text is this long, every rule left takes its shortest alternative (default 2,000). */
  maxBytes?: number;
  /** Probability of putting ignorable text (a comment, whitespace) at a boundary where none is needed (default 0). */
  ignoreRate?: number;
  /** Tries per sample before giving up with an error (default 50). */
  maxAttempts?: number;
  limits?: Partial<Limits>;
  /** The judge of a whole text; a sample is returned only when it says yes. Without it, nothing is verified. */
  accepts?: (text: string) => boolean;
}

/** What sampling cost so far (all samples of one sampler). */
export interface SamplerStats {
  samples: number;
  /** Every try, including the successful one of each sample. */
  attempts: number;
  /** Tries thrown away because the judge (`accepts`) rejected the text. */
  rejected: number;
  /** Tries thrown away before a text existed (a regex branch with no string, a lexeme that could not be filled). */
  failed: number;
}

export interface Sample {
  text: string;
  seed: number;
  /** Tries this sample took (1 = the first text was accepted). */
  attempts: number;
}

/** Thrown inside one try to start the next one. */
class Retry extends Error {}

/** What a lexeme is to the sampler: text, or one of the zero-width `%declare`d kinds. */
const ROLE_NONE = 0;
const ROLE_INDENT = 1;
const ROLE_GAP = 2;
/** Declared with no role: matches nothing, so derivations through it are impossible. */
const ROLE_DEAD = 3;
const EMPTY_BYTES = new Uint8Array(0);

/** Two gap markers in one gap: both must hold (`none` with `newline` cannot). */
function mergeGap(a: GapKind | undefined, b: GapKind): GapKind {
  if (a === undefined || a === b) return b;
  if (a === 'none' || b === 'none') {
    if (a === 'newline' || b === 'newline') throw new Retry('a gap that must be empty and hold a line break');
    return 'none';
  }
  throw new Retry('a gap that must and must not hold a line break');
}

function gapAllows(gap: GapKind | undefined, text: Uint8Array): boolean {
  if (gap === undefined) return true;
  if (gap === 'none') return text.length === 0;
  return text.includes(0x0a) === (gap === 'newline');
}

/** Bytes preferred when the sampler walks a DFA: printable ASCII first, then tab and newline. */
const PREFERRED_BYTES: number[] = [...Array.from({ length: 95 }, (_, i) => 0x20 + i), 0x09, 0x0a];
const ALL_BYTES: number[] = Array.from({ length: 256 }, (_, i) => i);
/** Separator candidates tried first at a boundary that needs one (when some %ignore lexeme matches them). */
const SEPARATORS = [' ', '\n', '\t', '\r\n', '  ', '\n\n'];
const enc = new TextEncoder();
const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * A sampler for one grammar. Build once, then `sample(seed)` as often as wanted: the same seed
 * gives the same text. Costs: a DFA over all lexemes (built lazily, as the matcher's) and the
 * minimal derivation of every rule.
 */
export class GrammarSampler {
  readonly grammar: Grammar;
  readonly stats: SamplerStats = { samples: 0, attempts: 0, rejected: 0, failed: 0 };
  private readonly maxDepth: number;
  private readonly maxBytes: number;
  private readonly ignoreRate: number;
  private readonly maxAttempts: number;
  private readonly limits: Limits;
  private readonly accepts?: (text: string) => boolean;

  /** Lexeme count of the shortest derivation of each rule (Infinity: none without special tokens). */
  private readonly minLexemes: Float64Array;
  /** Tie-breaking cost: lexemes * 2^20 + rule expansions, strictly smaller for every child of a shortest derivation. */
  private readonly minCost: Float64Array;
  /** Per rule, per alternative: the alternative's lexeme count (Infinity when it needs a special token). */
  private readonly altLexemes: Float64Array[];
  private readonly altCost: Float64Array[];
  /** Per rule: the alternatives of least cost. */
  private readonly minAlts: number[][];

  private readonly lexer: Lexer;
  private readonly allStart: number;
  /** Per %ignore lexeme: the separator candidates it matches. */
  private readonly separators: Uint8Array[][];
  /** Per lexeme: ROLE_NONE (has text), ROLE_INDENT, ROLE_GAP, ROLE_DEAD. */
  private readonly role: Uint8Array;
  private readonly gapKind = new Map<number, GapKind>();
  /** Lexers of single `and`/`not` nodes, for rejection sampling. */
  private readonly nodeLexers = new Map<Regex, Lexer>();
  private rand: () => number = Math.random;

  constructor(grammar: Grammar, opts: SamplerOptions = {}) {
    this.grammar = grammar;
    this.maxDepth = opts.maxDepth ?? 24;
    this.maxBytes = opts.maxBytes ?? 2000;
    this.ignoreRate = opts.ignoreRate ?? 0;
    this.maxAttempts = opts.maxAttempts ?? 50;
    this.limits = withLimits(opts.limits);
    this.accepts = opts.accepts;
    if (!(this.maxDepth >= 0) || !(this.maxBytes >= 0) || !(this.maxAttempts >= 1)) {
      throw new EngineError('STATE', 'sampler options: maxDepth and maxBytes must be ≥ 0 and maxAttempts ≥ 1');
    }

    this.role = new Uint8Array(grammar.lexemes.length);
    grammar.lexemes.forEach((l, i) => {
      if (l.declared) this.role[i] = ROLE_DEAD;
    });
    const ind = grammar.options?.indentation;
    if (ind) this.role[ind.indent] = this.role[ind.dedent] = ROLE_INDENT;
    for (const g of grammar.options?.gaps ?? []) {
      this.role[g.lexeme] = ROLE_GAP;
      this.gapKind.set(g.lexeme, g.kind);
    }

    const n = grammar.rules.length;
    this.minLexemes = new Float64Array(n).fill(Infinity);
    this.minCost = new Float64Array(n).fill(Infinity);
    this.altLexemes = grammar.rules.map((r) => new Float64Array(r.alternatives.length).fill(Infinity));
    this.altCost = grammar.rules.map((r) => new Float64Array(r.alternatives.length).fill(Infinity));
    this.computeMinimal();
    if (!Number.isFinite(this.minCost[grammar.start]!)) {
      const tokens = grammar.rules.some((r) => r.alternatives.some((a) => a.some((s) => s.kind === 'token')));
      throw new EngineError(
        'GRAMMAR',
        tokens
          ? 'cannot sample this grammar: every sentence needs a special token (<…>), which has no text'
          : 'cannot sample this grammar: the start rule derives no finite sentence',
      );
    }
    this.minAlts = grammar.rules.map((_, r) => {
      const costs = this.altCost[r]!;
      const best = this.minCost[r]!;
      const out: number[] = [];
      for (let i = 0; i < costs.length; i++) if (costs[i] === best) out.push(i);
      return out;
    });

    this.lexer = new Lexer(grammar.lexemes.map((l) => l.regex), this.limits);
    this.allStart = this.lexer.startState(grammar.lexemes.map((_, i) => i));
    this.separators = grammar.ignore.map((id) =>
      SEPARATORS.map((s) => enc.encode(s)).filter((b) => this.lexemeMatches(id, b)),
    );
  }

  /** One sample for this seed (deterministic), retried until `accepts` says yes. */
  sample(seed: number): Sample {
    this.rand = seededRandom(seed);
    let last = '';
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      this.stats.attempts++;
      let text: string;
      try {
        text = this.generate();
      } catch (e) {
        if (!(e instanceof Retry)) throw e;
        this.stats.failed++;
        last = e.message;
        continue;
      }
      if (this.accepts && !this.accepts(text)) {
        this.stats.rejected++;
        last = `the grammar rejected the text ${JSON.stringify(text.length > 120 ? text.slice(0, 120) + '…' : text)}`;
        continue;
      }
      this.stats.samples++;
      return { text, seed, attempts: attempt };
    }
    throw new EngineError('LIMIT', `no sample for seed ${seed} in ${this.maxAttempts} tries (last: ${last})`);
  }

  // ---- derivations ---------------------------------------------------------------------------

  /** Shortest derivations by fixpoint (Bellman–Ford over rules; special tokens count as impossible). */
  private computeMinimal(): void {
    const rules = this.grammar.rules;
    const lexCost = (id: number): number => (this.role[id] === ROLE_DEAD ? Infinity : 1);
    const symLex = (s: Sym): number => (s.kind === 'lexeme' ? lexCost(s.id) : s.kind === 'rule' ? this.minLexemes[s.id]! : Infinity);
    const symCost = (s: Sym): number => (s.kind === 'lexeme' ? lexCost(s.id) * 2 ** 20 : s.kind === 'rule' ? this.minCost[s.id]! : Infinity);
    for (let changed = true; changed; ) {
      changed = false;
      for (let r = 0; r < rules.length; r++) {
        const alts = rules[r]!.alternatives;
        for (let a = 0; a < alts.length; a++) {
          let lex = 0;
          let cost = 1;
          for (const s of alts[a]!) {
            lex += symLex(s);
            cost += symCost(s);
          }
          this.altLexemes[r]![a] = lex;
          this.altCost[r]![a] = cost;
          if (cost < this.minCost[r]!) {
            this.minCost[r] = cost;
            this.minLexemes[r] = lex;
            changed = true;
          }
        }
      }
    }
  }

  /**
   * The alternative to expand `rule` with, at nesting `depth`. Past maxDepth (or maxBytes): one of
   * the shortest. Before: any alternative with a finite derivation, those longer than the shortest
   * losing weight as the depth grows (1 at the top, 0 at maxDepth), so samples are varied near the
   * root and close off as they nest.
   */
  private pickAlternative(rule: number, depth: number, shortest: boolean): number {
    const r = this.rand;
    if (shortest) {
      const m = this.minAlts[rule]!;
      return m[Math.floor(r() * m.length)]!;
    }
    // Every alternative with a finite derivation; those much longer than the shortest are less
    // likely (x{0,1000} desugars to "0..500 | 501 + 0..499": the second must not be half the draws).
    const lex = this.altLexemes[rule]!;
    const best = this.minLexemes[rule]!;
    let total = 0;
    const w = new Float64Array(lex.length);
    for (let i = 0; i < lex.length; i++) {
      if (!Number.isFinite(lex[i]!)) continue;
      const excess = lex[i]! - best;
      const decay = this.altCost[rule]![i] === this.minCost[rule] ? 1 : 1 - depth / this.maxDepth;
      w[i] = (excess <= 8 ? 1 : 8 / excess) * decay;
      total += w[i]!;
    }
    let x = r() * total;
    for (let i = 0; i < w.length; i++) {
      x -= w[i]!;
      if (w[i]! > 0 && x < 0) return i;
    }
    const m = this.minAlts[rule]!;
    return m[Math.floor(r() * m.length)]!;
  }

  /** One try: a derivation, its lexemes filled, separators where needed. */
  private generate(): string {
    const rules = this.grammar.rules;
    const ids: number[] = [];
    const texts: Uint8Array[] = [];
    let bytes = 0;
    // Explicit stack of symbols to expand, left to right (no recursion: derivations can be deep).
    const stack: { sym: Sym; depth: number }[] = [{ sym: { kind: 'rule', id: this.grammar.start }, depth: 0 }];
    while (stack.length > 0) {
      const { sym, depth } = stack.pop()!;
      if (sym.kind === 'lexeme') {
        const b = this.role[sym.id] === ROLE_NONE ? this.lexemeText(sym.id) : EMPTY_BYTES;
        ids.push(sym.id);
        texts.push(b);
        bytes += b.length;
        continue;
      }
      if (sym.kind === 'token') throw new Retry('a special token was chosen'); // excluded by the costs
      const shortest = depth >= this.maxDepth || bytes >= this.maxBytes;
      const alt = rules[sym.id]!.alternatives[this.pickAlternative(sym.id, depth, shortest)]!;
      for (let i = alt.length - 1; i >= 0; i--) stack.push({ sym: alt[i]!, depth: depth + 1 });
    }
    if (this.grammar.options?.indentation) this.indent(ids, texts);
    return this.join(ids, texts);
  }

  // ---- indentation ---------------------------------------------------------------------------

  /**
   * Writes each `_NEWLINE` outside brackets as a line break and the indentation the next line needs:
   * the `_INDENT`s and `_DEDENT`s that follow it (before the next lexeme with text) push a deeper
   * column or pop levels off the stack, as the engine's indentation state (Lark's Indenter) reads
   * them back. Inside brackets a `_NEWLINE` is ignored text, and keeps its random text.
   */
  private indent(ids: number[], texts: Uint8Array[]): void {
    const ind = this.grammar.options!.indentation!;
    const open = new Set(ind.open);
    const close = new Set(ind.close);
    const levels = [0];
    let brackets = 0;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      if (open.has(id)) brackets++;
      else if (close.has(id)) brackets = Math.max(0, brackets - 1);
      if (id !== ind.newline || brackets > 0) continue;
      let indents = 0;
      let dedents = 0;
      for (let j = i + 1; j < ids.length && this.role[ids[j]!] !== ROLE_NONE; j++) {
        if (ids[j] === ind.indent) indents++;
        else if (ids[j] === ind.dedent) dedents++;
      }
      if (indents > 0 && dedents > 0) throw new Retry('an _INDENT and a _DEDENT after one _NEWLINE');
      if (indents > 1) throw new Retry('two _INDENTs after one _NEWLINE');
      if (dedents >= levels.length) throw new Retry('a _DEDENT below column 0');
      if (indents === 1) levels.push(levels[levels.length - 1]! + (this.rand() < 0.8 ? 4 : 1 + Math.floor(this.rand() * 8)));
      for (let k = 0; k < dedents; k++) levels.pop();
      const col = ' '.repeat(levels[levels.length - 1]!);
      // Now and then a blank line first (blank lines never indent or dedent).
      const candidates = this.rand() < 0.1 ? [`\n\n${col}`, `\n${col}`, `\r\n${col}`] : [`\n${col}`, `\r\n${col}`];
      const found = candidates.map((c) => enc.encode(c)).find((b) => this.lexemeMatches(id, b));
      if (!found) throw new Retry(`the newline terminal ${this.grammar.lexemes[id]!.name} does not match a line break and spaces`);
      texts[i] = found;
    }
  }

  // ---- separators ----------------------------------------------------------------------------

  /**
   * Concatenates lexeme texts, putting a %ignore separator between two of them when the first could
   * continue into the second: from the start state of all lexemes, the DFA after the first text is
   * still alive on the second's first byte. The matcher's lexer allows a subset of the lexemes, so a
   * boundary safe here is safe there (greedy lexing ends the lexeme exactly at that byte).
   *
   * Zero-width lexemes (`%declare`) have no text; a gap marker among them constrains the gap it
   * sits in: `none` — nothing between the two lexemes; `no_newline` — no line break; `newline` — a
   * separator with a line break.
   */
  private join(ids: number[], texts: Uint8Array[]): string {
    const out: Uint8Array[] = [];
    const ignoring = this.grammar.ignore.length > 0;
    const rate = this.ignoreRate;
    let gap: GapKind | undefined;
    let started = false;
    /** Lexeme id of out's last entry when it is a lexeme that may be drawn again, else -1. */
    let lastId = -1;
    for (let i = 0; i < ids.length; i++) {
      const role = this.role[ids[i]!]!;
      if (role !== ROLE_NONE) {
        if (role === ROLE_GAP) gap = mergeGap(gap, this.gapKind.get(ids[i]!)!);
        continue;
      }
      let p = texts[i]!;
      let prev = out[out.length - 1];
      if (started && prev !== undefined && !this.safe(prev, p) && (gap === 'none' || !ignoring || !this.separator(prev, p, gap))) {
        // No separator can keep these two apart (a lexeme ending in a line comment, lexemes that
        // must touch): draw either text again, a few times, before giving up on the whole try.
        const redraw = this.redrawable(ids[i]!);
        const before = out[out.length - 2];
        for (let k = 0; k < 12 && !this.safe(prev!, p); k++) {
          if (k % 2 === 0 && lastId >= 0) {
            const q = this.lexemeText(lastId);
            if (before === undefined || this.safe(before, q)) out[out.length - 1] = prev = q;
          } else if (redraw) p = this.lexemeText(ids[i]!);
        }
      }
      lastId = this.redrawable(ids[i]!) ? ids[i]! : -1;
      if (!started) {
        started = true;
        // Not before the first line of an indented program: it would be indented (Python refuses it).
        if (ignoring && rate > 0 && !this.grammar.options?.indentation && this.rand() < rate) this.pushIgnored(out, undefined, p, undefined);
      } else if (gap === 'none') {
        // The two lexemes touch; if they would lex as one, the judge refuses and the sample is retried.
      } else if (gap === 'newline') {
        const sep = this.separator(prev!, p, 'newline');
        if (!sep) throw new Retry('no %ignore text with a line break for a newline gap');
        out.push(sep);
      } else if (ignoring && !this.safe(prev!, p)) {
        const sep = this.separator(prev!, p, gap);
        if (sep) out.push(sep);
      } else if (ignoring && rate > 0 && this.rand() < rate) {
        this.pushIgnored(out, prev, p, gap);
      }
      gap = undefined;
      out.push(p);
    }
    // A gap marker after the last lexeme constrains the gap before the end of the text.
    const last = out[out.length - 1];
    if (gap === 'newline' && last !== undefined) {
      const sep = this.separator(last, EMPTY_BYTES, 'newline');
      if (!sep) throw new Retry('no %ignore text with a line break for a newline gap at the end');
      out.push(sep);
    } else if (gap !== 'none' && ignoring && rate > 0 && last !== undefined && this.rand() < rate) {
      this.pushIgnored(out, last, undefined, gap);
    }
    let total = 0;
    for (const p of out) total += p.length;
    const all = new Uint8Array(total);
    let k = 0;
    for (const p of out) {
      all.set(p, k);
      k += p.length;
    }
    try {
      return strictDecoder.decode(all);
    } catch {
      throw new Retry('the text is not valid UTF-8');
    }
  }

  /** A lexeme whose text is drawn at random (not a literal, not an indentation newline). */
  private redrawable(id: number): boolean {
    const def = this.grammar.lexemes[id]!;
    return !(def.literal !== undefined && def.literal.length > 0 && !def.lazy) && id !== this.grammar.options?.indentation?.newline;
  }

  /** True when a lexeme reading `a` ends exactly at its end even if `b` follows at once. */
  private safe(a: Uint8Array, b: Uint8Array): boolean {
    if (b.length === 0) return true;
    let s = this.allStart;
    for (let i = 0; i < a.length && s !== Lexer.DEAD; i++) s = this.lexer.next(s, a[i]!);
    return this.lexer.next(s, b[0]!) === Lexer.DEAD;
  }

  /**
   * An ignorable text that keeps both boundaries safe (whitespace first, then random %ignore
   * samples), with a line break when the gap needs one and without when it forbids one.
   */
  private separator(a: Uint8Array, b: Uint8Array, gap: GapKind | undefined): Uint8Array | undefined {
    const fits = (s: Uint8Array): boolean => gapAllows(gap, s) && this.safe(a, s) && this.safe(s, b);
    for (const list of this.separators) for (const s of list) if (fits(s)) return s;
    for (let k = 0; k < 8; k++) {
      const s = this.ignoredText();
      if (s && fits(s)) return s;
    }
    return undefined;
  }

  /**
   * Random ignorable text (e.g. a comment) between `a` and `b`, when both boundaries stay safe. A
   * line comment that would swallow `b` gets a whitespace separator after it, unless one %ignore
   * match must cover the whole gap (`ignoreOnce`).
   */
  private pushIgnored(out: Uint8Array[], a: Uint8Array | undefined, b: Uint8Array | undefined, gap: GapKind | undefined): void {
    const s = this.ignoredText();
    if (!s || !gapAllows(gap, s)) return;
    if (a !== undefined && !this.safe(a, s)) return;
    if (b === undefined || this.safe(s, b)) {
      out.push(s);
      return;
    }
    if (this.grammar.options?.ignoreOnce) return;
    for (const list of this.separators) {
      for (const sep of list) {
        if (gapAllows(gap, sep) && this.safe(s, sep) && this.safe(sep, b)) {
          out.push(s, sep);
          return;
        }
      }
    }
  }

  private ignoredText(): Uint8Array | undefined {
    const ig = this.grammar.ignore;
    if (ig.length === 0) return undefined;
    try {
      return this.lexemeText(ig[Math.floor(this.rand() * ig.length)]!);
    } catch (e) {
      if (e instanceof Retry) return undefined;
      throw e;
    }
  }

  // ---- lexemes -------------------------------------------------------------------------------

  /** A random non-empty text of lexeme `id`, valid UTF-8, checked against the lexeme's DFA. */
  private lexemeText(id: number): Uint8Array {
    const def = this.grammar.lexemes[id]!;
    if (def.literal !== undefined && def.literal.length > 0 && !def.lazy) return enc.encode(def.literal);
    for (let k = 0; k < 16; k++) {
      let b: Uint8Array;
      try {
        b = Uint8Array.from(this.fromRegex(def.regex, 0));
      } catch (e) {
        if (e instanceof Retry) continue;
        throw e;
      }
      if (b.length === 0 || !validUtf8(b)) continue;
      if (def.lazy) b = this.shortestMatchingPrefix(id, b);
      if (this.lexemeMatches(id, b)) return b;
    }
    const start = this.lexer.startState([id]);
    const walked = this.walk(this.lexer, start, true);
    if (walked && validUtf8(walked)) return def.lazy ? this.shortestMatchingPrefix(id, walked) : walked;
    throw new Retry(`no text for lexeme ${def.name}`);
  }

  private lexemeMatches(id: number, b: Uint8Array): boolean {
    let s = this.lexer.startState([id]);
    for (let i = 0; i < b.length && s !== Lexer.DEAD; i++) s = this.lexer.next(s, b[i]!);
    return s !== Lexer.DEAD && this.lexer.isAcceptingState(s);
  }

  /** A lazy lexeme ends at its first match, so its text must have no shorter matching prefix. */
  private shortestMatchingPrefix(id: number, b: Uint8Array): Uint8Array {
    let s = this.lexer.startState([id]);
    for (let i = 0; i < b.length; i++) {
      s = this.lexer.next(s, b[i]!);
      if (s === Lexer.DEAD) return b;
      if (this.lexer.isAcceptingState(s)) return b.subarray(0, i + 1);
    }
    return b;
  }

  /** Bytes of a random string of the regex (short: repetitions stop early). */
  private fromRegex(re: Regex, produced: number): number[] {
    const r = this.rand;
    switch (re.kind) {
      case 'empty':
        return [];
      case 'never':
        throw new Retry('a regex branch matches nothing');
      case 'chars':
        return encodeCodePoint(pickCodePoint(re.ranges, r));
      case 'bytes': {
        const rs = re.ranges;
        const [lo, hi] = rs[Math.floor(r() * rs.length)]!;
        return [lo + Math.floor(r() * (hi - lo + 1))];
      }
      case 'concat': {
        const out: number[] = [];
        for (const it of re.items) for (const b of this.fromRegex(it, produced + out.length)) out.push(b);
        return out;
      }
      case 'alt':
        return this.fromRegex(re.items[Math.floor(r() * re.items.length)]!, produced);
      case 'repeat': {
        let count = re.min;
        const cap = Math.min(re.max, re.min + 12);
        while (count < cap && produced < 48 && r() < 0.6) count++;
        const out: number[] = [];
        for (let i = 0; i < count; i++) for (const b of this.fromRegex(re.item, produced + out.length)) out.push(b);
        return out;
      }
      case 'and':
      case 'not':
        return this.constrained(re, produced);
    }
  }

  /**
   * `A & B & ~C`, `~C`: draw from the first positive part (or from short printable text when there is
   * none) and keep what the node's own DFA accepts; after 24 misses, walk that DFA instead.
   */
  private constrained(re: Regex & { kind: 'and' | 'not' }, produced: number): number[] {
    let lx = this.nodeLexers.get(re);
    if (!lx) {
      lx = new Lexer([re], this.limits);
      this.nodeLexers.set(re, lx);
    }
    const start = lx.startState([0]);
    const positive = re.kind === 'and' ? re.items.find((it) => it.kind !== 'not') : undefined;
    for (let k = 0; k < 24; k++) {
      let cand: number[];
      try {
        cand = positive ? this.fromRegex(positive, produced) : this.anyText();
      } catch (e) {
        if (e instanceof Retry) continue;
        throw e;
      }
      let s = start;
      for (let i = 0; i < cand.length && s !== Lexer.DEAD; i++) s = lx.next(s, cand[i]!);
      if (s !== Lexer.DEAD && lx.isAcceptingState(s)) return cand;
    }
    const walked = this.walk(lx, start, false);
    if (!walked) throw new Retry('no string found for an & / ~ expression');
    return [...walked];
  }

  /** Short printable text, for the positive side of a bare complement. */
  private anyText(): number[] {
    const r = this.rand;
    const n = Math.floor(r() * 7);
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push(PREFERRED_BYTES[Math.floor(r() * 95)]!);
    return out;
  }

  /**
   * A random walk through a DFA: a few random printable steps that keep it alive, then the shortest
   * way to an accepting state (breadth first, printable bytes first, then any byte). Undefined when
   * no accepting state is found within 20,000 states.
   */
  private walk(lx: Lexer, start: number, nonEmpty: boolean): Uint8Array | undefined {
    const r = this.rand;
    const path: number[] = [];
    let s = start;
    const steps = Math.floor(r() * 6);
    for (let i = 0; i < steps; i++) {
      const live = PREFERRED_BYTES.filter((b) => lx.next(s, b) !== Lexer.DEAD);
      if (live.length === 0) break;
      const b = live[Math.floor(r() * live.length)]!;
      path.push(b);
      s = lx.next(s, b);
    }
    for (const alphabet of [PREFERRED_BYTES, ALL_BYTES]) {
      const tail = shortestToAccept(lx, s, alphabet, nonEmpty && path.length === 0);
      if (tail) return Uint8Array.from([...path, ...tail]);
    }
    return undefined;
  }
}

function shortestToAccept(lx: Lexer, from: number, alphabet: number[], nonEmpty: boolean): number[] | undefined {
  if (!nonEmpty && lx.isAcceptingState(from)) return [];
  const prev = new Map<number, { state: number; byte: number }>();
  const queue = [from];
  const seen = new Set<number>([from]);
  for (let qi = 0; qi < queue.length && seen.size < 20_000; qi++) {
    const s = queue[qi]!;
    for (const b of alphabet) {
      const t = lx.next(s, b);
      if (t === Lexer.DEAD) continue;
      if (lx.isAcceptingState(t)) {
        const out = [b];
        for (let x = s; x !== from; ) {
          const p = prev.get(x)!;
          out.push(p.byte);
          x = p.state;
        }
        return out.reverse();
      }
      if (!seen.has(t)) {
        seen.add(t);
        prev.set(t, { state: s, byte: b });
        queue.push(t);
      }
    }
  }
  return undefined;
}

/**
 * A code point from sorted ranges: mostly printable ASCII when the ranges have some (texts stay
 * readable), sometimes anything else they allow (whitespace, controls, non-ASCII), never a surrogate.
 */
function pickCodePoint(ranges: ReadonlyArray<readonly [number, number]>, r: () => number): number {
  const ascii: Array<readonly [number, number]> = [];
  for (const [lo, hi] of ranges) {
    const a = Math.max(lo, 0x20);
    const b = Math.min(hi, 0x7e);
    if (a <= b) ascii.push([a, b]);
  }
  const useAscii = ascii.length > 0 && r() < 0.9;
  const from = useAscii ? ascii : ranges;
  // Weight each range by its size, capped so one huge range (`.`) does not drown the others.
  let total = 0;
  for (const [lo, hi] of from) total += Math.min(hi - lo + 1, 256);
  for (let k = 0; k < 8; k++) {
    let x = r() * total;
    for (const [lo, hi] of from) {
      const w = Math.min(hi - lo + 1, 256);
      if (x < w) {
        // Inside a big range, favour its start (the two-byte forms) half the time.
        const span = hi - lo + 1;
        const cp = lo + Math.floor((span > 256 && r() < 0.5 ? Math.min(span, 2048) : span) * r());
        if (cp < 0xd800 || cp > 0xdfff) return cp;
        break;
      }
      x -= w;
    }
  }
  // Surrogates only after 8 draws: take the first non-surrogate code point of the ranges.
  for (const [lo, hi] of from) {
    if (lo < 0xd800) return lo;
    if (hi > 0xdfff) return Math.max(lo, 0xe000);
  }
  throw new Retry('a character class holds only surrogates');
}

function validUtf8(b: Uint8Array): boolean {
  try {
    strictDecoder.decode(b);
    return true;
  } catch {
    return false;
  }
}
