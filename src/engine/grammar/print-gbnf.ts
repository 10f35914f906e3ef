import { EngineError } from '../errors.ts';
import { withLimits, type Limits } from '../limits.ts';
import type { Regex } from '../regex/ast.ts';
import { nullable } from '../regex/nullable.ts';
import { lexemeDfa, type DfaEdge } from './gbnf-automaton.ts';
import type { GapKind, Grammar, LexemeDef, Sym } from './ir.ts';
import { portableGrammar, type PortableOptions } from './portable.ts';
import { intersect, MAX_CP, normalizeRanges, subtract } from '../regex/unicode.ts';
import { regexKey, simplifyAlternation } from './regex-key.ts';

export interface PrintGbnfOptions {
  /**
   * Most automaton states a lexeme written as right-linear rules may have (lexemes with `&`, `~`,
   * `lazy`, or a nullable regex with no direct form). Past it: a GRAMMAR error naming the lexeme.
   * Default 2,000.
   */
  maxLexemeStates?: number;
  /**
   * Non-ASCII code points of a character class up to this many are written as string literals
   * (`"é"`), not inside `[…]`: XGrammar up to 0.1.27 (the version web-xgrammar ships) truncates
   * non-ASCII code points in positive classes to one byte and ignores them in negated ones. A
   * class holding every non-ASCII character is written as a negated ASCII class, which it reads
   * right. Larger non-ASCII sets stay ranges in `[…]` (correct GBNF for llama.cpp and later
   * XGrammar). Default 256.
   */
  maxLiteralChars?: number;
  /**
   * Write every string literal as a sequence of one-character strings (`"i" "n" "t"`). The same
   * language for llama.cpp and XGrammar, which read GBNF character by character; needed to read
   * the output back with parseGbnf, which makes each string literal a lexeme with the lexer's
   * longest match (so `"//" [^\n]*` followed by `"int"` would refuse `// singly`). Default false.
   */
  charLiterals?: boolean;
  /**
   * A non-ASCII set larger than maxLiteralChars: `'exact'` (default) writes its ranges in `[…]`;
   * `'widen'` writes every non-ASCII character instead (`[^\x00-\x7F]`), a superset that XGrammar
   * up to 0.1.27 reads right, where it misreads the exact class (code points truncated to a byte,
   * so `[\u0123]` would also match `#`).
   */
  nonAsciiClasses?: 'exact' | 'widen';
  /** Bounds of the indentation expansion (portable.ts) for grammars with the indentation option. */
  portable?: PortableOptions;
  limits?: Partial<Limits>;
}

const DEFAULT_MAX_STATES = 2000;
const DEFAULT_MAX_LITERAL_CHARS = 256;
/** Character classes at least this long print once, as a rule of their own. */
const SHARED_CLASS_CHARS = 200;

/**
 * Grammar IR → GBNF text (llama.cpp's format; XGrammar's EBNF front end reads the same), with
 * `root` as the start rule. docs/engine-grammars.md, "GBNF and XGrammar", says what carries over
 * exactly and what cannot.
 *
 * - Rules print as rules (names of letters, digits and `-`, which every GBNF reader takes); an
 *   empty alternative prints as `""`.
 * - A string lexeme prints inline as a string. Any other lexeme becomes a rule: its regex written
 *   directly (classes, strings, sequences, `|`, `? * + {m,n}`) when it has no `&`/`~`, is not lazy
 *   and does not match the empty string; otherwise its automaton, from the engine's lexer, as
 *   right-linear rules (one per state, bounded by `maxLexemeStates`). Lexemes are never empty, so
 *   a nullable regex is printed without its empty match.
 * - `%ignore`: GBNF has no lexer, so an ignore rule (`( A | B )*`, or `( A | B )?` under
 *   ignore_once) follows every lexeme in every rule, and `root` begins with one: exactly one place
 *   for ignored text between any two lexemes and at both ends.
 * - Indentation is expanded into plain rules first (portable.ts). Gap markers after a lexeme
 *   restrict its ignore rule. Refused (GRAMMAR errors): special tokens (GBNF matches text, not
 *   token ids) and raw-byte regexes. `%json` needs nothing: the IR already holds it as rules.
 *
 * What GBNF cannot say is the lexer's longest match: GBNF splits text between lexemes anywhere,
 * so it accepts a superset (e.g. `intx;` read as `int x;`); see the docs.
 */
export function printGbnf(g: Grammar, opts?: PrintGbnfOptions): string {
  // Indentation has no GBNF form: expand it into plain rules first, as printLark's portable mode
  // does (which also drops gap markers and lexeme fallback there).
  const plain = g.options?.indentation ? portableGrammar(g, opts?.portable ?? {}) : g;
  return new GbnfPrinter(plain, opts).print();
}

class GbnfPrinter {
  private readonly used = new Set<string>();
  private readonly maxStates: number;
  private readonly maxLiteralChars: number;
  private readonly limits: Limits;
  private readonly lexRef: string[] = [];
  private readonly lexRules: string[] = [];
  private readonly quote: (text: string) => string;
  private readonly charLiterals: boolean;
  private readonly widen: boolean;
  /** Gap marker lexeme id → its kind; the rules printed for each kind's gap. */
  private readonly gapKind = new Map<number, GapKind>();
  private readonly gapRule = new Map<GapKind, string>();
  private ignoreName = '';
  private currentLexeme = '';
  private readonly parts = new Map<string, string>();
  private readonly classes = new Map<string, string>();

  constructor(
    private readonly g: Grammar,
    opts?: PrintGbnfOptions,
  ) {
    this.maxStates = opts?.maxLexemeStates ?? DEFAULT_MAX_STATES;
    this.maxLiteralChars = opts?.maxLiteralChars ?? DEFAULT_MAX_LITERAL_CHARS;
    this.limits = withLimits(opts?.limits);
    this.charLiterals = opts?.charLiterals === true;
    this.widen = opts?.nonAsciiClasses === 'widen';
    this.quote = this.charLiterals ? (t) => [...t].map(quote).join(' ') : quote;
  }

  private unique(base: string): string {
    let name = base;
    for (let k = 2; this.used.has(name); k++) name = `${base}-${k}`;
    this.used.add(name);
    return name;
  }

  print(): string {
    const g = this.g;
    for (const [key, value] of Object.entries(g.options ?? {})) {
      // ignore_once changes the ignore rule; lexeme_fallback only makes our lexer split more like
      // GBNF does; gap markers are translated in sym(); word_boundary is a rule about how a lexer
      // splits, and GBNF has no lexer: dropped, the GBNF then also accepts texts with a word seam
      // (as the portable Lark does). Anything else (indentation) is refused.
      if (key === 'ignoreOnce' || key === 'lexemeFallback' || key === 'gaps' || key === 'wordBoundary' || value === undefined || value === false) continue;
      throw new EngineError('GRAMMAR', key === 'indentation'
        ? 'the indentation option has no GBNF form (a context-free grammar cannot compare columns): expand it into plain rules first with printLark(g, { portable: true }) and parseLark, then print GBNF'
        : `grammar option '${key}' has no GBNF form`);
    }
    for (const m of g.options?.gaps ?? []) this.gapKind.set(m.lexeme, m.kind);
    this.used.add('root');
    const hasIgnore = g.ignore.length > 0;
    const ignoreName = hasIgnore ? this.unique('ignore') : '';
    this.ignoreName = ignoreName;
    const ruleNames = g.rules.map((r, i) => (i === g.start && !hasIgnore ? 'root' : this.unique(ruleNameFor(r.name))));
    g.lexemes.forEach((l, i) => {
      if (!l.declared) this.lexRef[i] = this.lexeme(l, i);
    });

    const lines: string[] = [];
    if (hasIgnore) lines.push(`root ::= ${ignoreName} ${ruleNames[g.start]}`);
    const after = hasIgnore ? ` ${ignoreName}` : '';
    const order = [g.start, ...[...g.rules.keys()].filter((k) => k !== g.start)];
    for (const ri of order) {
      const r = g.rules[ri]!;
      const alts: string[] = [];
      for (const alt of r.alternatives) {
        const text = this.alternative(alt, r.name, ruleNames, after);
        if (text !== undefined) alts.push(text);
      }
      if (alts.length === 0) throw new EngineError('GRAMMAR', `rule '${r.name}' has no alternative GBNF can express (each uses a declared terminal that matches nothing)`);
      lines.push(`${ruleNames[ri]} ::= ${alts.join(' | ')}`);
    }
    lines.push(...this.lexRules);
    if (hasIgnore) {
      const parts = g.ignore.map((id) => this.lexRef[id]!);
      const body = parts.length === 1 ? parts[0]! : `( ${parts.join(' | ')} )`;
      lines.push(`${ignoreName} ::= ${body}${g.options?.ignoreOnce ? '?' : '*'}`);
    }
    return lines.join('\n') + '\n';
  }

  /**
   * One alternative of a rule; undefined when it can never match (a declared terminal with no
   * role). A gap marker right after a lexeme replaces that lexeme's ignore rule with the gap's
   * (none: nothing; no_newline / newline: the ignore language without / with a line break);
   * after a rule or at the start of an alternative, the gap it constrains ends inside another
   * rule, and the marker is dropped (the GBNF then accepts more, see the docs).
   */
  private alternative(alt: Sym[], ruleName: string, ruleNames: string[], after: string): string | undefined {
    if (alt.length === 0) return '""';
    const parts: string[] = [];
    for (let k = 0; k < alt.length; k++) {
      const s = alt[k]!;
      if (s.kind === 'lexeme' && this.g.lexemes[s.id]!.declared) {
        if (!this.gapKind.has(s.id)) return undefined;
        continue;
      }
      const nx = alt[k + 1];
      const gap = nx?.kind === 'lexeme' ? this.gapKind.get(nx.id) : undefined;
      if (s.kind === 'lexeme' && gap !== undefined) {
        const g = this.gap(gap);
        parts.push(g ? `${this.lexRef[s.id]!} ${g}` : this.lexRef[s.id]!);
      } else parts.push(this.sym(s, ruleName, ruleNames, after));
    }
    return parts.length === 0 ? '""' : parts.join(' ');
  }

  /** The rule (with `?` when it may be empty) for a gap of this kind, or '' for no text at all. */
  private gap(kind: GapKind): string {
    if (kind === 'none' || this.ignoreName === '') return '';
    let name = this.gapRule.get(kind);
    if (name === undefined) {
      const one: Regex = { kind: 'alt', items: this.g.ignore.map((id) => this.g.lexemes[id]!.regex) };
      const ign: Regex = { kind: 'repeat', item: one, min: 0, max: this.g.options?.ignoreOnce ? 1 : Infinity };
      const any: Regex = { kind: 'repeat', item: { kind: 'chars', ranges: [[0, MAX_CP]] }, min: 0, max: Infinity };
      const hasNewline: Regex = { kind: 'concat', items: [any, { kind: 'chars', ranges: [[10, 10]] }, any] };
      const regex: Regex = { kind: 'and', items: [ign, kind === 'newline' ? hasNewline : { kind: 'not', item: hasNewline }] };
      name = this.unique(kind === 'newline' ? 'GAP-NEWLINE' : 'GAP-NO-NEWLINE');
      this.automaton({ name, regex }, name, false);
      this.gapRule.set(kind, name);
    }
    return kind === 'newline' ? name : `${name}?`;
  }

  private sym(s: Sym, ruleName: string, ruleNames: string[], after: string): string {
    switch (s.kind) {
      case 'rule':
        return ruleNames[s.id]!;
      case 'lexeme':
        return this.lexRef[s.id]! + after;
      case 'token': {
        const shown = s.ids.names?.[0] ?? `<[${s.ids.negated ? '^' : ''}${s.ids.ranges.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(',')}]>`;
        throw new EngineError('GRAMMAR', `rule '${ruleName}' uses the special token ${shown}: GBNF matches text, not token ids, so special tokens cannot be written in GBNF`);
      }
      default:
        throw new EngineError('GRAMMAR', `rule '${ruleName}' uses a symbol kind GBNF cannot express (${(s as { kind: string }).kind})`);
    }
  }

  /** The reference to lexeme i in rule bodies: an inline string, or the name of its rule. */
  private lexeme(l: LexemeDef, i: number): string {
    if (l.literal !== undefined && l.literal !== '') return this.quote(l.literal);
    if (hasBytes(l.regex)) {
      throw new EngineError('GRAMMAR', `lexeme ${l.name} matches raw bytes (not characters), which GBNF cannot express`);
    }
    const name = this.unique(terminalNameFor(l.name, i));
    this.currentLexeme = name;
    if (!l.lazy) {
      // Written directly, with each `&` / `~` part as an automaton of its own; the whole lexeme
      // from its automaton only when it is lazy or its empty match cannot be removed directly.
      const direct = nonEmpty(prune(l.regex));
      if (direct && direct.kind === 'never') throw new EngineError('GRAMMAR', `lexeme ${l.name} matches only the empty string; lexemes are never empty, so it matches nothing`);
      if (direct && !(direct.kind === 'and' || direct.kind === 'not')) {
        this.lexRules.push(`${name} ::= ${this.rx(direct, 0)}`);
        return name;
      }
    }
    this.automaton(l, name, false);
    return name;
  }

  /** The lexeme's automaton as right-linear rules: `NAME` (the start) and `NAME-k` per state. */
  private automaton(l: LexemeDef, name: string, nullable: boolean): void {
    const dfa = lexemeDfa(l.name, l.regex, l.lazy === true, this.maxStates, this.limits);
    if (dfa.start.length === 0 && !(nullable && dfa.startAccepting)) {
      throw new EngineError('GRAMMAR', `lexeme ${l.name} matches no ${nullable ? '' : 'non-empty '}valid UTF-8 text, so it cannot be written in GBNF`);
    }
    const stateNames = new Map<number, string>();
    const pending: number[] = [];
    const ref = (t: number): string => {
      const st = dfa.states[t]!;
      if (st.edges.length === 0) return ''; // a final state: nothing follows
      let n = stateNames.get(t);
      if (n === undefined) {
        n = this.unique(`${name}-${t}`);
        stateNames.set(t, n);
        pending.push(t);
      }
      return n;
    };
    const body = (edges: DfaEdge[], self: number, accepting: boolean): string => {
      const loop = edges.filter((e) => e.target === self);
      const alts = edges
        .filter((e) => e.target !== self)
        .map((e) => {
          const c = this.chars(e.ranges);
          const next = ref(e.target);
          return next ? `${c.atomic ? c.text : `( ${c.text} )`} ${next}` : c.text;
        });
      if (accepting) alts.push('""');
      if (loop.length === 0) return alts.join(' | ');
      const lc = this.chars(normalizeRanges(loop.flatMap((e) => e.ranges)));
      const star = `${lc.atomic ? lc.text : `( ${lc.text} )`}*`;
      if (alts.length === 1 && alts[0] === '""') return star;
      return `${star} ( ${alts.join(' | ')} )`;
    };
    this.lexRules.push(`${name} ::= ${body(dfa.start, -1, nullable && dfa.startAccepting) || '""'}`);
    while (pending.length > 0) {
      const t = pending.shift()!;
      const st = dfa.states[t]!;
      this.lexRules.push(`${stateNames.get(t)!} ::= ${body(st.edges, t, st.accepting)}`);
    }
  }

  // Precedence: 0 alternation, 1 sequence element, 2 repetition operand.
  private rx(re: Regex, ctx: number): string {
    const wrap = (s: string, level: number) => (level < ctx ? `( ${s} )` : s);
    switch (re.kind) {
      case 'empty':
        return '""';
      case 'chars': {
        const c = this.chars(re.ranges);
        return c.atomic ? c.text : wrap(c.text, 0);
      }
      case 'concat': {
        const items = re.items.filter((x) => x.kind !== 'empty');
        if (items.length === 0) return '""';
        if (items.length === 1) return this.rx(items[0]!, ctx);
        // Runs of single characters print as one string literal.
        const parts: string[] = [];
        let run = '';
        let splitRun = false;
        for (const it of items) {
          const cp = singleChar(it);
          if (cp !== undefined) {
            run += String.fromCodePoint(cp);
            continue;
          }
          if (run) parts.push(this.quote(run));
          splitRun ||= this.charLiterals && [...run].length > 1;
          run = '';
          parts.push(this.rx(it, 1));
        }
        if (run) parts.push(this.quote(run));
        splitRun ||= this.charLiterals && [...run].length > 1;
        // A split string is several elements: it needs parentheses under a repetition.
        return parts.length === 1 && !splitRun ? parts[0]! : wrap(parts.join(' '), 1);
      }
      case 'alt': {
        const { body, optional } = simplifyAlternation(re.items);
        if (!body) return '""';
        if (optional) return this.rx({ kind: 'repeat', item: body, min: 0, max: 1 }, ctx);
        if (body.kind !== 'alt') return this.rx(body, ctx);
        return wrap(body.items.map((x) => this.rx(x, 0)).join(' | '), 0);
      }
      case 'repeat': {
        if (re.max === 0) return '""';
        if (re.min === 1 && re.max === 1) return this.rx(re.item, ctx);
        return wrap(`${this.rx(re.item, 2)}${count(re.min, re.max)}`, 1);
      }
      case 'and':
      case 'not':
        return this.part(re);
      default:
        throw new EngineError('STATE', `printGbnf: unexpected regex node ${re.kind}`);
    }
  }

  /** An intersection or complement inside a lexeme: a rule from its automaton (shared when equal). */
  private part(re: Regex): string {
    const key = regexKey(re);
    let name = this.parts.get(key);
    if (name === undefined) {
      name = this.unique(`${this.currentLexeme}-PART`);
      this.parts.set(key, name);
      this.automaton({ name: `${this.currentLexeme} (an & or ~ part)`, regex: re }, name, true);
    }
    return name;
  }

  /** A character class used more than once and long (a Unicode category): one rule, shared. */
  private sharedClass(text: string): string {
    if (text.length < SHARED_CLASS_CHARS) return text;
    let name = this.classes.get(text);
    if (name === undefined) {
      name = this.unique('CHARS');
      this.classes.set(text, name);
      this.lexRules.push(`${name} ::= ${text}`);
    }
    return name;
  }

  /**
   * A set of code points as GBNF: a class for the ASCII part; the non-ASCII part as string
   * literals when small, folded into a negated class when it is every non-ASCII character, or as
   * class ranges otherwise (see maxLiteralChars). `atomic`: usable as one element as it is.
   */
  private chars(rangesIn: ReadonlyArray<readonly [number, number]>): { text: string; atomic: boolean } {
    const ranges = normalizeRanges(rangesIn);
    if (ranges.length === 1 && ranges[0]![0] === ranges[0]![1]) return { text: quote(String.fromCodePoint(ranges[0]![0])), atomic: true };
    const ascii = intersect(ranges, [[0, 0x7f]]);
    const nonAscii = subtract(intersect(ranges, [[0x80, MAX_CP]]), [[0xd800, 0xdfff]]);
    const allNonAscii = subtract([[0x80, 0xd7ff], [0xe000, MAX_CP]], nonAscii).length === 0;
    if (allNonAscii) {
      const missing = subtract([[0, 0x7f]], ascii);
      if (missing.length > 0) return { text: classText(missing, true), atomic: true };
      return { text: `${classText([[0, 0x7f]], false)} | ${classText([[0, 0x7f]], true)}`, atomic: false };
    }
    const size = nonAscii.reduce((n, [a, b]) => n + b - a + 1, 0);
    if (size === 0) return { text: classText(ascii, false), atomic: true };
    if (size > this.maxLiteralChars && this.widen) {
      const missing = subtract([[0, 0x7f]], ascii);
      if (missing.length > 0) return { text: classText(missing, true), atomic: true };
      return { text: `${classText([[0, 0x7f]], false)} | ${classText([[0, 0x7f]], true)}`, atomic: false };
    }
    if (size > this.maxLiteralChars) {
      // The non-ASCII part (a Unicode category, often) once, as a rule; the ASCII part beside it.
      const big = this.sharedClass(classText(nonAscii, false));
      if (ascii.length === 0) return { text: big, atomic: true };
      return { text: `${classText(ascii, false)} | ${big}`, atomic: false };
    }
    const parts: string[] = [];
    if (ascii.length > 0) parts.push(ascii.length === 1 && ascii[0]![0] === ascii[0]![1] ? quote(String.fromCodePoint(ascii[0]![0])) : classText(ascii, false));
    for (const [a, b] of nonAscii) for (let cp = a; cp <= b; cp++) parts.push(quote(String.fromCodePoint(cp)));
    return parts.length === 1 ? { text: parts[0]!, atomic: true } : { text: parts.join(' | '), atomic: false };
  }
}

/** A regex with `never` folded away (an alternative that can never match is dropped). */
function prune(re: Regex): Regex {
  switch (re.kind) {
    case 'chars':
      return re.ranges.length === 0 ? { kind: 'never' } : re;
    case 'concat': {
      const items = re.items.map(prune);
      return items.some((x) => x.kind === 'never') ? { kind: 'never' } : { kind: 'concat', items };
    }
    case 'alt': {
      const items = re.items.map(prune).filter((x) => x.kind !== 'never');
      return items.length === 0 ? { kind: 'never' } : items.length === 1 ? items[0]! : { kind: 'alt', items };
    }
    case 'repeat': {
      const item = prune(re.item);
      if (item.kind === 'never' || re.max === 0) return re.min === 0 ? { kind: 'empty' } : { kind: 'never' };
      return { ...re, item };
    }
    default:
      return re;
  }
}

/**
 * The regex without its empty match, written directly where that is simple (`x*` → `x+`, `x?` →
 * `x`, in alternatives); undefined where it is not (then the automaton is printed). `never` when
 * only the empty string was matched.
 */
function nonEmpty(re: Regex): Regex | undefined {
  if (!nullable(re)) return re;
  switch (re.kind) {
    case 'empty':
      return { kind: 'never' };
    case 'repeat':
      if (nullable(re.item)) return undefined;
      return { kind: 'repeat', item: re.item, min: 1, max: re.max };
    case 'alt': {
      const items: Regex[] = [];
      for (const it of re.items) {
        const x = nonEmpty(it);
        if (x === undefined) return undefined;
        if (x.kind !== 'never') items.push(x);
      }
      return items.length === 0 ? { kind: 'never' } : items.length === 1 ? items[0]! : { kind: 'alt', items };
    }
    default:
      return undefined;
  }
}

function hasBytes(re: Regex): boolean {
  switch (re.kind) {
    case 'bytes':
      return true;
    case 'concat':
    case 'alt':
    case 'and':
      return re.items.some(hasBytes);
    case 'repeat':
    case 'not':
      return hasBytes(re.item);
    default:
      return false;
  }
}

function singleChar(re: Regex): number | undefined {
  return re.kind === 'chars' && re.ranges.length === 1 && re.ranges[0]![0] === re.ranges[0]![1] ? re.ranges[0]![0] : undefined;
}

function count(min: number, max: number): string {
  if (min === 0 && max === 1) return '?';
  if (min === 0 && max === Infinity) return '*';
  if (min === 1 && max === Infinity) return '+';
  if (max === Infinity) return `{${min},}`;
  if (min === max) return `{${min}}`;
  return `{${min},${max}}`;
}


/** A GBNF string literal; only printable ASCII is written as itself. */
function quote(text: string): string {
  let s = '"';
  for (const ch of text) s += escapeChar(ch.codePointAt(0)!, false);
  return `${s}"`;
}

function classText(rangesIn: ReadonlyArray<readonly [number, number]>, negated: boolean): string {
  // '-' is written first, as itself (every reader takes a leading '-' literally; XGrammar reads an
  // escaped \x2D as a range operator), and '^' never first (llama.cpp has no \^ escape).
  const hasDash = rangesIn.some(([a, b]) => a <= 0x2d && 0x2d <= b);
  const ranges = hasDash ? subtract(normalizeRanges(rangesIn), [[0x2d, 0x2d]]) : rangesIn.map(([a, b]) => [a, b] as [number, number]);
  if (!hasDash && ranges.length > 1 && ranges[0]![0] === 0x5e) ranges.push(ranges.shift()!);
  let s = negated ? '[^' : '[';
  if (hasDash) s += '-';
  for (const [lo, hi] of ranges) {
    if (lo === hi) s += escapeChar(lo, true);
    else if (hi === lo + 1) s += escapeChar(lo, true) + escapeChar(hi, true);
    else s += `${escapeChar(lo, true)}-${escapeChar(hi, true)}`;
  }
  return `${s}]`;
}

/**
 * One character in a GBNF string or class, with only the escapes llama.cpp, XGrammar and
 * parseGbnf all read: `\" \\ \[ \] \t \n \r \xHH \uHHHH \UHHHHHHHH` (in classes `-` is
 * written first, see classText).
 */
function escapeChar(cp: number, inClass: boolean): string {
  switch (cp) {
    case 9: return '\\t';
    case 10: return '\\n';
    case 13: return '\\r';
    case 0x5c: return '\\\\';
  }
  if (cp < 0x20 || cp === 0x7f) return `\\x${hex(cp, 2)}`;
  if (cp > 0x7f) return cp <= 0xffff ? `\\u${hex(cp, 4)}` : `\\U${hex(cp, 8)}`;
  const c = String.fromCharCode(cp);
  if (inClass) {
    if (c === ']' || c === '[') return `\\${c}`;
    if (c === '-') return `\\x${hex(cp, 2)}`;
    return c;
  }
  return c === '"' ? '\\"' : c;
}

function hex(n: number, width: number): string {
  return n.toString(16).toUpperCase().padStart(width, '0');
}

/** A rule name of lowercase letters, digits and `-` (helper names like `item+` spelled out). */
function ruleNameFor(name: string): string {
  const spelled = name.replace(/\?/g, '-opt').replace(/\*/g, '-star').replace(/\+/g, '-plus').replace(/\{/g, '-rep-').replace(/,/g, '-');
  let s = spelled.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/-+/g, '-').replace(/^-+|-+$/g, '');
  if (!/^[a-z]/.test(s)) s = `r-${s}`.replace(/-+$/, '');
  return s;
}

/** A lexeme rule name of uppercase letters, digits and `-` (`IDENT`, `SH-COMMENT`, `T7`). */
function terminalNameFor(name: string, i: number): string {
  if (!/^_?[A-Z][A-Za-z0-9_]*$/.test(name)) return `T${i}`;
  const s = name.toUpperCase().replace(/[^A-Z0-9]+/g, '-').replace(/-+/g, '-').replace(/^-+|-+$/g, '');
  return /^[A-Z]/.test(s) ? s : `T${i}`;
}
