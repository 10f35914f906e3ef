import { EngineError, type SourcePosition } from '../errors.ts';
import { withLimits, type Limits } from '../limits.ts';
import { literal as literalRegex, type Regex } from '../regex/ast.ts';
import { checkRegexSize } from '../regex/size.ts';
import type { Grammar, GrammarOptions, LexemeDef, RuleDef, Sym, TokenSet } from './ir.ts';
import { RegexInterner } from './regex-interner.ts';

/**
 * Symbols are immutable values, so the ones for small ids are shared: a big grammar mentions the
 * same few hundred lexemes and rules thousands of times, and building fewer objects is most of
 * what makes front ends fast (allocation and GC dominated the 200-rule Lark parse). Ids from
 * SHARED_SYM_IDS on get fresh objects.
 */
const SHARED_SYM_IDS = 1 << 16;
const lexSyms: Sym[] = [];
const ruleSyms: Sym[] = [];

/** A lexeme symbol (shared for small ids: do not mutate). */
export function lexSym(id: number): Sym {
  if (id >= 0 && id < SHARED_SYM_IDS && Number.isInteger(id)) return (lexSyms[id] ??= Object.freeze({ kind: 'lexeme', id }) as Sym);
  return { kind: 'lexeme', id };
}

/** A rule symbol (shared for small ids: do not mutate). */
export function ruleSym(id: number): Sym {
  if (id >= 0 && id < SHARED_SYM_IDS && Number.isInteger(id)) return (ruleSyms[id] ??= Object.freeze({ kind: 'rule', id }) as Sym);
  return { kind: 'rule', id };
}

/** What `build` does with rules that can derive no finite string. */
export type UnproductivePolicy =
  /** Raise EngineError('GRAMMAR') naming the first reachable unproductive rule (for hand-written grammars). */
  | 'error'
  /** Drop every alternative that mentions one; fail only if the start rule itself matches nothing. */
  | 'prune';

export interface BuildOptions {
  unproductive?: UnproductivePolicy;
}

export interface EmbedOptions {
  /**
   * The IR has one global `%ignore` set. 'merge' (default) adds the embedded grammar's ignore
   * lexemes to this grammar's (so the embedded part behaves as it does alone, and the host also
   * skips them); 'drop' discards them.
   */
  ignore?: 'merge' | 'drop';
  /**
   * 'keep': the embedded grammar's options (indentation, gap markers, word boundary) become this
   * grammar's, renumbered, for an edited copy of a whole grammar (Braid). Default 'drop': a grammar
   * embedded into a host (`%json`) brings no options of its own.
   */
  options?: 'keep' | 'drop';
}

/** Regexes up to this expanded size are deduplicated by structure, larger ones by identity. */
const STRUCTURAL_KEY_MAX_SIZE = 512;

/**
 * Builds a `Grammar` (ir.ts) incrementally. Used by every front end (Lark, GBNF, regex) and by the
 * JSON Schema compiler.
 *
 * - `lexeme(def)` deduplicates: lexemes with the same regex (structurally, as regex-key.ts says,
 *   by the ids of regex-interner.ts; by object identity past STRUCTURAL_KEY_MAX_SIZE), the same
 *   `lazy` and the same `maxTokens` get one id; the first name given wins.
 * - `newRule(name)` + `addAlternative(rule, syms)` define context-free rules; an empty `syms` is ε.
 * - `optional`, `star`, `plus`, `repeat` desugar to helper rules (shared when asked twice for the
 *   same symbol). Repetition is left-recursive; counted repetition uses O(log N) rules.
 * - `build(start)` validates (undefined and unproductive rules), drops unreachable rules and unused
 *   lexemes, renumbers, and returns the Grammar.
 *
 * Size is checked as the grammar grows (rules + alternatives + symbols against
 * limits.maxGrammarSize), so a runaway construction fails with EngineError('LIMIT') early.
 */
export class GrammarBuilder {
  readonly limits: Limits;
  private readonly lexemes: LexemeDef[] = [];
  private readonly lexemeIndex = new Map<string, number>();
  /** Plain string literal → lexeme id: big grammars repeat "(" and ";" thousands of times. */
  private readonly literalIds = new Map<string, number>();
  /**
   * Per regex object, its deduplication key (front ends reuse regex objects). A Map for this build,
   * not a process-wide WeakMap, whose entries every major garbage collection would revisit.
   */
  private readonly regexKeys = new Map<Regex, string>();
  /** Normal forms of the regexes seen, by node (shared subtrees read once per build). */
  private readonly interner = new RegexInterner();
  /** Expanded sizes of the regex nodes measured so far (shared subtrees measured once per build). */
  private readonly sizes = new Map<Regex, number>();
  private readonly rules: { name: string; alternatives: Sym[][]; position?: SourcePosition; capture?: string; temperature?: number }[] = [];
  private readonly helperCache = new Map<string, Sym>();
  private readonly ignoreIds: number[] = [];
  private options: GrammarOptions | undefined;
  private size = 0;

  constructor(limits?: Partial<Limits>) {
    this.limits = withLimits(limits);
  }

  /** Current size in the units of limits.maxGrammarSize (rules + alternatives + symbols). */
  get currentSize(): number {
    return this.size;
  }

  get ruleCount(): number {
    return this.rules.length;
  }

  get lexemeCount(): number {
    return this.lexemes.length;
  }

  /** Add (or find) a lexeme; returns its id. */
  lexeme(def: LexemeDef): number {
    let regexKeyOf = this.regexKeys.get(def.regex);
    if (regexKeyOf === undefined) {
      // Measured once per regex object (a key seen before passed this check); sizes and normal
      // forms are kept per node for the build, so shared subtrees are read once. Structural keys
      // only for small regexes (literals, punctuation, formats); a large regex (a key that must
      // differ from an object's hundred property names) is shared by identity, which is how front
      // ends reuse it; `#` never starts a structural key.
      const size = checkRegexSize(def.regex, this.limits.maxRegexSize, `lexeme ${def.name}`, this.sizes);
      regexKeyOf = size > STRUCTURAL_KEY_MAX_SIZE ? `#${this.regexKeys.size}` : `S${this.interner.id(def.regex)}`;
      this.regexKeys.set(def.regex, regexKeyOf);
    }
    // Declared terminals all have the regex `never`: one lexeme per name.
    const key = def.declared ? `D|${def.name}` : `${def.lazy ? 'L' : 'G'}${def.maxTokens ?? ''}|${regexKeyOf}`;
    const found = this.lexemeIndex.get(key);
    if (found !== undefined) return found;
    const id = this.lexemes.length;
    const copy: LexemeDef = { name: def.name, regex: def.regex };
    if (def.literal !== undefined) copy.literal = def.literal;
    if (def.lazy) copy.lazy = true;
    if (def.maxTokens !== undefined) copy.maxTokens = def.maxTokens;
    if (def.declared) copy.declared = true;
    this.lexemes.push(copy);
    this.lexemeIndex.set(key, id);
    return id;
  }

  /** The lexeme for a plain string literal, named `"text"` (JSON-quoted). */
  literal(text: string): Sym {
    let id = this.literalIds.get(text);
    if (id === undefined) {
      id = this.lexeme({ name: JSON.stringify(text), regex: literalRegex(text), literal: text });
      this.literalIds.set(text, id);
    }
    return lexSym(id);
  }

  /** A lexeme from a regex with the given display name. */
  regex(name: string, regex: Regex, opts?: { lazy?: boolean; maxTokens?: number }): Sym {
    const def: LexemeDef = { name, regex };
    if (opts?.lazy) def.lazy = true;
    if (opts?.maxTokens !== undefined) def.maxTokens = opts.maxTokens;
    return lexSym(this.lexeme(def));
  }

  /** A special-token symbol (matched by token id, not bytes). */
  token(ids: TokenSet): Sym {
    return { kind: 'token', ids };
  }

  getLexeme(id: number): LexemeDef {
    const l = this.lexemes[id];
    if (!l) throw new EngineError('STATE', `no lexeme ${id}`);
    return l;
  }

  /**
   * Create a rule with no alternatives yet. `position` is where it is defined (or first used);
   * it is reported by `build` if the rule is never given an alternative.
   */
  newRule(name: string, position?: SourcePosition): number {
    this.grow(1);
    const id = this.rules.length;
    this.rules.push(position ? { name, alternatives: [], position } : { name, alternatives: [] });
    return id;
  }

  ruleName(id: number): string {
    return this.checkRule(id).name;
  }

  /** Record where a rule is defined (for error messages). */
  setRulePosition(id: number, position: SourcePosition): void {
    this.checkRule(id).position = position;
  }

  /** `[capture]` / `[capture="x"]` and `[temperature=T]`: recorded on the rule, not enforced. */
  setRuleAnnotations(id: number, ann: { capture?: string; temperature?: number }): void {
    const r = this.checkRule(id);
    if (ann.capture !== undefined) r.capture = ann.capture;
    if (ann.temperature !== undefined) r.temperature = ann.temperature;
  }

  /** Append one alternative (a sequence of symbols; empty = ε). */
  addAlternative(rule: number, syms: readonly Sym[]): void {
    const r = this.checkRule(rule);
    this.grow(1 + syms.length);
    for (const s of syms) this.checkSym(s);
    r.alternatives.push(syms.slice());
  }

  /** Shorthand: a new rule with the given alternatives. */
  ruleWith(name: string, alternatives: readonly (readonly Sym[])[], position?: SourcePosition): number {
    const id = this.newRule(name, position);
    for (const alt of alternatives) this.addAlternative(id, alt);
    return id;
  }

  /** One symbol standing for a sequence: the symbol itself when there is one, else a new rule. */
  seq(name: string, syms: readonly Sym[]): Sym {
    if (syms.length === 1) return syms[0]!;
    return ruleSym(this.ruleWith(name, [syms]));
  }

  /** One symbol standing for a choice between sequences. */
  choice(name: string, alternatives: readonly (readonly Sym[])[]): Sym {
    if (alternatives.length === 1 && alternatives[0]!.length === 1) return alternatives[0]![0]!;
    return ruleSym(this.ruleWith(name, alternatives));
  }

  /** A rule matching only the empty string (shared). */
  epsilon(): Sym {
    return this.cached('eps', () => ruleSym(this.ruleWith('ε', [[]])));
  }

  /** `sym?` */
  optional(sym: Sym): Sym {
    return this.cached(`opt:${this.symKey(sym)}`, () => ruleSym(this.ruleWith(`${this.symName(sym)}?`, [[sym], []])));
  }

  /** `sym*`, left-recursive: R → R sym | ε */
  star(sym: Sym): Sym {
    return this.cached(`star:${this.symKey(sym)}`, () => {
      const r = this.newRule(`${this.symName(sym)}*`);
      this.addAlternative(r, [ruleSym(r), sym]);
      this.addAlternative(r, []);
      return ruleSym(r);
    });
  }

  /** `sym+`, left-recursive: R → R sym | sym */
  plus(sym: Sym): Sym {
    return this.cached(`plus:${this.symKey(sym)}`, () => {
      const r = this.newRule(`${this.symName(sym)}+`);
      this.addAlternative(r, [ruleSym(r), sym]);
      this.addAlternative(r, [sym]);
      return ruleSym(r);
    });
  }

  /**
   * `(syms){min,max}`. Unbounded, it is one left-recursive rule R → (syms){min} | R syms, with the
   * sequence written inside R rather than as a rule of its own (R → R G, G → syms): each copy's
   * items then take their origin from R's start, not from the previous copy's end, so the parser
   * states inside the copies repeat from the first copy on, where a rule of its own made the first
   * and second differ (docs/engine-optimizations.md §46). Bounded, it is `repeat` of the sequence.
   */
  repeatSeq(name: string, syms: readonly Sym[], min: number, max: number): Sym {
    if (max !== Infinity || syms.length <= 1) return this.repeat(this.seq(name, syms), min, max);
    if (!Number.isInteger(min) || min < 0) throw new EngineError('GRAMMAR', `invalid repetition bounds {${min},}`);
    const key = `repseq:${syms.map((x) => this.symKey(x)).join(',')}:${min}`;
    return this.cached(key, () => {
      const r = this.newRule(`${name}{${min},}`);
      this.addAlternative(r, min === 0 ? [] : [this.repeat(this.seq(name, syms), min, min)]);
      this.addAlternative(r, [ruleSym(r), ...syms]);
      return ruleSym(r);
    });
  }

  /**
   * `item (sep item)*` with at least `min` ≥ 1 items, as one left-recursive rule
   * R → item (sep item){min-1} | R sep item: every item after the first reads from R's start, so
   * the parser state after each item, and inside every item from the second on, is one state
   * (JSON arrays and objects' extra members; docs/engine-optimizations.md §46).
   */
  separated(item: Sym, sep: Sym, min = 1): Sym {
    if (!Number.isInteger(min) || min < 1) throw new EngineError('GRAMMAR', `invalid separated-list minimum ${min}`);
    return this.cached(`sep:${this.symKey(item)}:${this.symKey(sep)}:${min}`, () => {
      const r = this.newRule(`${this.symName(item)}(${this.symName(sep)} ${this.symName(item)})*`);
      const first: Sym[] = [item];
      if (min > 1) first.push(this.repeat(this.seq(`${this.symName(item)}_next`, [sep, item]), min - 1, min - 1));
      this.addAlternative(r, first);
      this.addAlternative(r, [ruleSym(r), sep, item]);
      return ruleSym(r);
    });
  }

  /**
   * `sym{min,max}` (max may be Infinity). Built from "exactly k" and "at most k" rules that halve k
   * at each level, so the number of rules is O(log max), never O(max). The decomposition is
   * unambiguous (each count has one parse), which keeps Earley rows small.
   */
  repeat(sym: Sym, min: number, max: number): Sym {
    if (!Number.isInteger(min) || min < 0 || !(max === Infinity || (Number.isInteger(max) && max >= min))) {
      throw new EngineError('GRAMMAR', `invalid repetition bounds {${min},${max === Infinity ? '' : max}}`);
    }
    if (max === Infinity) {
      if (min === 0) return this.star(sym);
      if (min === 1) return this.plus(sym);
      return this.cached(`rep:${this.symKey(sym)}:${min}:`, () =>
        ruleSym(this.ruleWith(`${this.symName(sym)}{${min},}`, [[this.exact(sym, min - 1), this.plus(sym)]])),
      );
    }
    if (max === 0) return this.epsilon();
    if (min === max) return this.exact(sym, min);
    if (min === 0) return this.upTo(sym, max);
    return this.cached(`rep:${this.symKey(sym)}:${min}:${max}`, () =>
      ruleSym(this.ruleWith(`${this.symName(sym)}{${min},${max}}`, [[this.exact(sym, min), this.upTo(sym, max - min)]])),
    );
  }

  /** Exactly n copies (n ≥ 1): E(2k) = E(k) E(k), E(2k+1) = E(2k) sym. */
  private exact(sym: Sym, n: number): Sym {
    if (n === 1) return sym;
    return this.cached(`exact:${this.symKey(sym)}:${n}`, () => {
      const body = n % 2 === 0 ? [this.exact(sym, n / 2), this.exact(sym, n / 2)] : [this.exact(sym, n - 1), sym];
      return ruleSym(this.ruleWith(`${this.symName(sym)}{${n}}`, [body]));
    });
  }

  /**
   * 0..n copies. U(2m+1) = U(m) | E(m+1) U(m); U(2m) = U(m) | E(m+1) U(m-1). The two alternatives
   * cover disjoint counts (0..m and m+1..n). Each level needs at most two consecutive values of U.
   */
  private upTo(sym: Sym, n: number): Sym {
    if (n === 0) return this.epsilon();
    if (n === 1) return this.optional(sym);
    return this.cached(`upto:${this.symKey(sym)}:${n}`, () => {
      const m = Math.floor(n / 2);
      const rest = n % 2 === 1 ? m : m - 1;
      const high: Sym[] = [this.exact(sym, m + 1)];
      if (rest > 0) high.push(this.upTo(sym, rest));
      return ruleSym(this.ruleWith(`${this.symName(sym)}{0,${n}}`, [[this.upTo(sym, m)], high]));
    });
  }

  /** Lexemes that may appear between any two lexemes (`%ignore`). */
  addIgnore(lexemeId: number): void {
    this.getLexeme(lexemeId);
    if (!this.ignoreIds.includes(lexemeId)) this.ignoreIds.push(lexemeId);
  }

  setOptions(opts: GrammarOptions): void {
    this.options = { ...this.options, ...opts };
  }

  /**
   * Copy another grammar's lexemes and rules into this one (renumbered, lexemes deduplicated) and
   * return the id its start rule now has. Used for `%json` and for composing grammars.
   */
  embed(other: Grammar, opts?: EmbedOptions): number {
    const lexMap = other.lexemes.map((l) => this.lexeme(l));
    const base = this.rules.length;
    for (const r of other.rules) this.newRule(r.name);
    const mapSym = (s: Sym): Sym => {
      if (s.kind === 'lexeme') {
        const id = lexMap[s.id];
        if (id === undefined) throw new EngineError('GRAMMAR', `embedded grammar refers to missing lexeme ${s.id}`);
        return lexSym(id);
      }
      if (s.kind === 'rule') {
        if (s.id < 0 || s.id >= other.rules.length) throw new EngineError('GRAMMAR', `embedded grammar refers to missing rule ${s.id}`);
        return ruleSym(base + s.id);
      }
      return s;
    };
    other.rules.forEach((r, i) => {
      for (const alt of r.alternatives) this.addAlternative(base + i, alt.map(mapSym));
      if (r.capture !== undefined || r.temperature !== undefined) {
        const ann: { capture?: string; temperature?: number } = {};
        if (r.capture !== undefined) ann.capture = r.capture;
        if (r.temperature !== undefined) ann.temperature = r.temperature;
        this.setRuleAnnotations(base + i, ann);
      }
    });
    if ((opts?.ignore ?? 'merge') === 'merge') {
      for (const id of other.ignore) {
        const mapped = lexMap[id];
        if (mapped !== undefined) this.addIgnore(mapped);
      }
      if (other.options?.ignoreOnce) this.setOptions({ ignoreOnce: true });
    }
    if (opts?.options === 'keep' && other.options) this.setOptions(remapOptions(other.options, Int32Array.from(lexMap)));
    if (other.start < 0 || other.start >= other.rules.length) throw new EngineError('GRAMMAR', 'embedded grammar has no valid start rule');
    return base + other.start;
  }

  /**
   * Validate and produce the Grammar. Errors (EngineError('GRAMMAR')):
   * - a reachable rule with no alternatives ("used but never defined"), with its recorded position;
   * - a reachable rule that derives no finite string (policy 'error', the default), or a start rule
   *   that matches nothing (policy 'prune').
   * Unreachable rules and unused lexemes are dropped; ids are renumbered.
   */
  build(start: number, opts?: BuildOptions): Grammar {
    this.checkRule(start);
    const policy = opts?.unproductive ?? 'error';
    const n = this.rules.length;
    const reach0 = this.reachable(start, null);
    if (policy === 'error') {
      for (let i = 0; i < n; i++) {
        const r = this.rules[i]!;
        if (reach0[i] && r.alternatives.length === 0) {
          throw new EngineError('GRAMMAR', `rule '${r.name}' is used but never defined`, r.position);
        }
      }
    }
    const productive = this.productive();
    if (policy === 'error') {
      // Name a rule other than the start when there is one: it is closer to the cause.
      const bad = [...reach0.keys()].filter((i) => reach0[i] && !productive[i]);
      const culprit = bad.find((i) => i !== start) ?? bad[0];
      if (culprit !== undefined) {
        const r = this.rules[culprit]!;
        throw new EngineError('GRAMMAR', `rule '${r.name}' can never finish: every alternative needs an infinite derivation (unproductive rule)`, r.position);
      }
    }
    if (!productive[start]) {
      const r = this.rules[start]!;
      throw new EngineError('GRAMMAR', `start rule '${r.name}' matches nothing (every alternative needs an infinite derivation)`, r.position);
    }
    const reach = this.reachable(start, productive);
    const ruleMap = new Int32Array(n).fill(-1);
    let nr = 0;
    for (let i = 0; i < n; i++) if (reach[i]) ruleMap[i] = nr++;
    const lexUsed = new Uint8Array(this.lexemes.length);
    for (const id of this.ignoreIds) lexUsed[id] = 1;
    for (const id of optionLexemes(this.options)) lexUsed[id] = 1;
    const liveAlts: Sym[][][] = [];
    for (let i = 0; i < n; i++) {
      if (!reach[i]) continue;
      const alts = this.rules[i]!.alternatives.filter((alt) => alt.every((s) => s.kind !== 'rule' || productive[s.id]));
      for (const alt of alts) for (const s of alt) if (s.kind === 'lexeme') lexUsed[s.id] = 1;
      liveAlts.push(alts);
    }
    const lexMap = new Int32Array(this.lexemes.length).fill(-1);
    const lexemes: LexemeDef[] = [];
    for (let i = 0; i < this.lexemes.length; i++) {
      if (lexUsed[i]) {
        lexMap[i] = lexemes.length;
        lexemes.push(this.lexemes[i]!);
      }
    }
    const rules: RuleDef[] = [];
    let k = 0;
    for (let i = 0; i < n; i++) {
      if (!reach[i]) continue;
      const src = this.rules[i]!;
      const def: RuleDef = {
        name: src.name,
        alternatives: liveAlts[k++]!.map((alt) =>
          alt.map((s): Sym => (s.kind === 'lexeme' ? lexSym(lexMap[s.id]!) : s.kind === 'rule' ? ruleSym(ruleMap[s.id]!) : s)),
        ),
      };
      if (src.capture !== undefined) def.capture = src.capture;
      if (src.temperature !== undefined) def.temperature = src.temperature;
      rules.push(def);
    }
    const g: Grammar = { lexemes, rules, start: ruleMap[start]!, ignore: this.ignoreIds.map((id) => lexMap[id]!) };
    if (this.options) g.options = remapOptions(this.options, lexMap);
    return g;
  }

  private reachable(start: number, productive: Uint8Array | null): Uint8Array {
    const seen = new Uint8Array(this.rules.length);
    const stack = [start];
    seen[start] = 1;
    while (stack.length > 0) {
      const r = this.rules[stack.pop()!]!;
      for (const alt of r.alternatives) {
        if (productive && !alt.every((s) => s.kind !== 'rule' || productive[s.id])) continue;
        for (const s of alt) {
          if (s.kind === 'rule' && !seen[s.id]) {
            seen[s.id] = 1;
            stack.push(s.id);
          }
        }
      }
    }
    return seen;
  }

  /** Linear-time productivity: count each alternative's not-yet-productive rule symbols. */
  private productive(): Uint8Array {
    const n = this.rules.length;
    const prod = new Uint8Array(n);
    const pending: number[] = [];
    const altRule: number[] = [];
    const users: number[][] = Array.from({ length: n }, () => []);
    const queue: number[] = [];
    for (let i = 0; i < n; i++) {
      for (const alt of this.rules[i]!.alternatives) {
        const a = pending.length;
        let c = 0;
        for (const s of alt) {
          if (s.kind === 'rule') {
            c++;
            users[s.id]!.push(a);
          }
        }
        pending.push(c);
        altRule.push(i);
        if (c === 0 && !prod[i]) {
          prod[i] = 1;
          queue.push(i);
        }
      }
    }
    while (queue.length > 0) {
      const r = queue.pop()!;
      for (const a of users[r]!) {
        if (--pending[a]! === 0) {
          const owner = altRule[a]!;
          if (!prod[owner]) {
            prod[owner] = 1;
            queue.push(owner);
          }
        }
      }
    }
    return prod;
  }

  private grow(by: number): void {
    this.size += by;
    if (this.size > this.limits.maxGrammarSize) {
      throw new EngineError('LIMIT', `grammar is larger than limits.maxGrammarSize (${this.limits.maxGrammarSize} rules + alternatives + symbols)`);
    }
  }

  private cached(key: string, make: () => Sym): Sym {
    const found = this.helperCache.get(key);
    if (found) return found;
    const s = make();
    this.helperCache.set(key, s);
    return s;
  }

  private symKey(s: Sym): string {
    if (s.kind === 'lexeme') return `l${s.id}`;
    if (s.kind === 'rule') return `r${s.id}`;
    return `t${JSON.stringify(s.ids)}`;
  }

  private symName(s: Sym): string {
    if (s.kind === 'lexeme') return this.lexemes[s.id]!.name;
    if (s.kind === 'rule') return this.rules[s.id]!.name;
    return s.ids.names?.join('|') ?? '<token>';
  }

  private checkRule(id: number) {
    const r = this.rules[id];
    if (!r) throw new EngineError('STATE', `no rule ${id}`);
    return r;
  }

  private checkSym(s: Sym): void {
    if (s.kind === 'lexeme') this.getLexeme(s.id);
    else if (s.kind === 'rule') this.checkRule(s.id);
  }
}

/** Lexeme ids the grammar options refer to (kept by build even when no rule uses them). */
function optionLexemes(o: GrammarOptions | undefined): number[] {
  const out: number[] = [];
  if (o?.indentation) {
    const ind = o.indentation;
    out.push(ind.newline, ind.indent, ind.dedent, ...ind.open, ...ind.close);
  }
  for (const g of o?.gaps ?? []) out.push(g.lexeme);
  return out;
}

function remapOptions(o: GrammarOptions, lexMap: Int32Array): GrammarOptions {
  const r: GrammarOptions = { ...o };
  const m = (id: number): number => lexMap[id]!;
  if (o.indentation) {
    const ind = o.indentation;
    r.indentation = { ...ind, newline: m(ind.newline), indent: m(ind.indent), dedent: m(ind.dedent), open: ind.open.map(m), close: ind.close.map(m) };
  }
  if (o.gaps) r.gaps = o.gaps.map((g) => ({ lexeme: m(g.lexeme), kind: g.kind }));
  if (o.uniqueKeys) {
    // Lexemes no rule uses are dropped by build (-1 here): a key that cannot appear needs no tracking.
    const u = o.uniqueKeys;
    const ms = (ids: number[]): number[] => ids.map(m).filter((id) => id !== undefined && id >= 0);
    r.uniqueKeys = { openObject: ms(u.openObject), closeObject: ms(u.closeObject), openArray: ms(u.openArray), closeArray: ms(u.closeArray), comma: ms(u.comma), keys: ms(u.keys) };
  }
  return r;
}
