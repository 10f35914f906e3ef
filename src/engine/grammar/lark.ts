import { EngineError, type SourcePosition } from '../errors.ts';
import { withLimits, type Limits } from '../limits.ts';
import { literal as literalRegex, NEVER, type Regex } from '../regex/ast.ts';
import { parseRegex } from '../regex/parse.ts';
import { GrammarBuilder, lexSym, ruleSym } from './builder.ts';
import { COMMON_LARK } from './common.ts';
import type { GapKind, GapMarker, Grammar, Sym, TokenSet, UniqueKeysOptions, WordBoundaryOptions } from './ir.ts';
import { parseLarkSyntax, type LarkExpr, type LarkOption, type LarkStatement } from './lark-syntax.ts';

export interface LarkOptions {
  limits?: Partial<Limits>;
  /**
   * Compiles the schema of a `%json { … }` into rules of `builder` and returns the rule id that
   * matches it. Without it, `%json` is an error.
   */
  jsonSchema?: (schema: unknown, builder: GrammarBuilder) => number;
}

/**
 * Compile a grammar in Ananke's Lark dialect (the one llguidance accepts; see
 * docs/engine-grammars.md) to the engine's Grammar IR. Every error is an EngineError with
 * a `position` (line, column): 'GRAMMAR' for malformed or unsupported input, 'LIMIT' when a limit
 * is exceeded.
 */
export function parseLark(text: string, opts?: LarkOptions): Grammar {
  return new LarkCompiler(withLimits(opts?.limits), opts?.jsonSchema).compile(text);
}

interface TerminalEntry {
  name: string;
  body: LarkExpr;
  pos: SourcePosition;
  scope: 'user' | 'common';
  regex?: Regex;
  busy?: boolean;
  /** `%declare NAME`: no regex; a zero-width lexeme (LexemeDef.declared). */
  declared?: boolean;
}

interface RuleEntry {
  name: string;
  id: number;
  options: LarkOption[];
  body: LarkExpr;
  pos: SourcePosition;
}

const LEXEME_OPTIONS = new Set(['lazy', 'stop', 'suffix', 'max_tokens']);
const KNOWN_OPTIONS = new Set(['lazy', 'stop', 'suffix', 'max_tokens', 'temperature', 'capture', 'stop_capture']);
const LLGUIDANCE_OPTIONS = new Set(['ignore_once', 'skip_repetition', 'no_forcing', 'allow_invalid_utf8', 'allow_initial_skip', 'indentation', 'lexeme_fallback', 'gap', 'word_boundary', 'unique_keys']);
const UNIQUE_KEYS_KEYS = ['open_object', 'close_object', 'open_array', 'close_array', 'comma', 'keys'] as const;
const INDENTATION_KEYS = new Set(['newline', 'indent', 'dedent', 'open', 'close', 'tab_width']);
const GAP_KINDS = new Set<GapKind>(['none', 'no_newline', 'newline']);

/** Common terminals, parsed once per process (each compile copies entries, so caches stay per grammar). */
function commonDefinitions(): Map<string, LarkStatement & { k: 'def' }> {
  const out = new Map<string, LarkStatement & { k: 'def' }>();
  for (const st of parseLarkSyntax(COMMON_LARK, { maxNesting: 50 })) if (st.k === 'def') out.set(st.name, st);
  return out;
}
let commonDefs: Map<string, LarkStatement & { k: 'def' }> | undefined;

export function isTerminalName(name: string): boolean {
  return /^_*[A-Z][A-Z0-9_-]*$/.test(name);
}
export function isRuleName(name: string): boolean {
  return /^_*[a-z][a-z0-9_-]*$/.test(name);
}

function at<T>(pos: SourcePosition, f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw withPosition(e, pos);
  }
}

/** An EngineError without a position gets `pos`; anything else is returned as is (to rethrow). */
function withPosition(e: unknown, pos: SourcePosition): unknown {
  if (e instanceof EngineError && !e.position) return new EngineError(e.code, e.message, pos);
  return e;
}

class LarkCompiler {
  private readonly b: GrammarBuilder;
  private readonly terminals = new Map<string, TerminalEntry>();
  private readonly common = new Map<string, TerminalEntry>();
  private readonly rules = new Map<string, RuleEntry>();
  private readonly terminalLexemes = new Map<string, number>();
  private readonly stack: string[] = [];
  private readonly regexCache = new Map<string, Regex>();
  private currentRule = '';
  /** `indentation` and `gap` option values, resolved to lexeme ids once every rule is compiled. */
  private readonly featureOptions: { key: 'indentation' | 'gap' | 'unique_keys'; value: unknown; pos: SourcePosition }[] = [];

  constructor(
    private readonly limits: Limits,
    private readonly jsonSchema: LarkOptions['jsonSchema'],
  ) {
    this.b = new GrammarBuilder(limits);
  }

  compile(text: string): Grammar {
    const statements = parseLarkSyntax(text, { maxNesting: this.limits.maxNesting });
    const ignores: (LarkStatement & { k: 'ignore' })[] = [];

    // Pass 1: collect definitions, so rules may be used before they are defined.
    for (const st of statements) {
      if (st.k === 'def') {
        if (isTerminalName(st.name)) {
          const opt = st.options[0];
          if (opt) throw new EngineError('GRAMMAR', `option '${opt.name}' is not allowed on terminal ${st.name}; put lexeme options on a rule (name[${opt.name}]: ${st.name})`, opt.pos);
          this.defineTerminal(st.name, { name: st.name, body: st.body, pos: st.pos, scope: 'user' }, st.pos);
        } else if (isRuleName(st.name)) {
          const prev = this.rules.get(st.name) ?? this.terminals.get(st.name);
          if (prev) throw new EngineError('GRAMMAR', `rule '${st.name}' is defined twice (first at line ${prev.pos.line})`, st.pos);
          const id = this.b.newRule(st.name, st.pos);
          this.rules.set(st.name, { name: st.name, id, options: st.options, body: st.body, pos: st.pos });
        } else {
          throw new EngineError('GRAMMAR', `'${st.name}' is neither a rule name (lowercase) nor a terminal name (UPPERCASE)`, st.pos);
        }
      } else if (st.k === 'import') {
        for (const imp of st.names) this.importCommon(imp.name, imp.alias, imp.pos);
      } else if (st.k === 'ignore') {
        ignores.push(st);
      } else if (st.k === 'declare') {
        for (const d of st.names) {
          if (!isTerminalName(d.name)) throw new EngineError('GRAMMAR', `%declare takes terminal names (UPPERCASE), not '${d.name}'`, d.pos);
          this.defineTerminal(d.name, { name: d.name, body: { k: 'name', name: d.name, pos: d.pos }, pos: d.pos, scope: 'user', declared: true }, d.pos);
        }
      } else {
        this.llguidanceOptions(st.value, st.pos);
      }
    }

    // Pass 2: compile. Every terminal is compiled (so errors in unused ones are reported too).
    for (const t of this.terminals.values()) if (t.scope === 'user' && !t.declared) this.terminalRegex(t.name, t.pos, 'user');
    for (const r of this.rules.values()) this.compileRule(r);
    for (const ig of ignores) {
      this.currentRule = '%ignore';
      const body = ig.body;
      const regex = this.termExpr(body, 'user');
      const name = body.k === 'name' ? body.name : body.k === 'regex' ? `/${body.source}/${body.flags}` : body.k === 'str' ? JSON.stringify(body.value) : '%ignore';
      at(ig.pos, () => this.b.addIgnore(this.b.lexeme({ name, regex })));
    }

    this.resolveFeatureOptions();

    let start = this.rules.get('start');
    if (!start) {
      if (this.rules.size === 1) start = [...this.rules.values()][0]!;
      else if (this.rules.size === 0) throw new EngineError('GRAMMAR', 'the grammar has no rules; define a start rule (start: …)', { line: 1, column: 1 });
      else throw new EngineError('GRAMMAR', `no 'start' rule; the grammar has ${this.rules.size} rules, so name the entry rule 'start'`, { line: 1, column: 1 });
    }
    const startPos = start.pos;
    return at(startPos, () => this.b.build(start.id));
  }

  private defineTerminal(name: string, entry: TerminalEntry, pos: SourcePosition): void {
    const prev = this.terminals.get(name) ?? this.rules.get(name);
    if (prev) throw new EngineError('GRAMMAR', `terminal ${name} is defined twice (first at line ${prev.pos.line})`, pos);
    this.terminals.set(name, entry);
  }

  private importCommon(name: string, alias: string, pos: SourcePosition): void {
    commonDefs ??= commonDefinitions();
    const def = commonDefs.get(name);
    if (!def) throw new EngineError('GRAMMAR', `common has no terminal named ${name}`, pos);
    if (!isTerminalName(alias)) throw new EngineError('GRAMMAR', `cannot import terminal ${name} as '${alias}': terminal names are UPPERCASE`, pos);
    const entry = this.commonEntry(name)!;
    this.defineTerminal(alias, entry, pos);
  }

  private commonEntry(name: string): TerminalEntry | undefined {
    let e = this.common.get(name);
    if (e) return e;
    commonDefs ??= commonDefinitions();
    const def = commonDefs.get(name);
    if (!def) return undefined;
    e = { name, body: def.body, pos: def.pos, scope: 'common' };
    this.common.set(name, e);
    return e;
  }

  private llguidanceOptions(value: unknown, pos: SourcePosition): void {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new EngineError('GRAMMAR', '%llguidance must be followed by a JSON object', pos);
    }
    for (const [k, v] of Object.entries(value)) {
      if (!LLGUIDANCE_OPTIONS.has(k)) throw new EngineError('GRAMMAR', `unknown %llguidance option '${k}'`, pos);
      if (k === 'ignore_once') {
        if (typeof v !== 'boolean') throw new EngineError('GRAMMAR', '%llguidance option ignore_once must be true or false', pos);
        if (v) this.b.setOptions({ ignoreOnce: true });
      } else if (k === 'skip_repetition') {
        if (v !== 'once' && v !== 'repeat') throw new EngineError('GRAMMAR', `%llguidance option skip_repetition must be "once" or "repeat"`, pos);
        if (v === 'once') this.b.setOptions({ ignoreOnce: true });
      } else if (k === 'lexeme_fallback') {
        if (typeof v !== 'boolean') throw new EngineError('GRAMMAR', '%llguidance option lexeme_fallback must be true or false', pos);
        if (v) this.b.setOptions({ lexemeFallback: true });
      } else if (k === 'word_boundary') {
        const wb = wordBoundaryOption(v, pos);
        if (wb !== null) this.b.setOptions({ wordBoundary: wb });
      } else if (k === 'indentation' || k === 'gap' || k === 'unique_keys') {
        this.featureOptions.push({ key: k, value: v, pos });
      }
      // no_forcing, allow_invalid_utf8, allow_initial_skip: accepted for compatibility, no effect here.
    }
  }

  /** Resolves the `indentation` and `gap` options (names and literals → lexeme ids). */
  private resolveFeatureOptions(): void {
    for (const { key, value, pos } of this.featureOptions) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new EngineError('GRAMMAR', `%llguidance option ${key} must be a JSON object`, pos);
      }
      const o = value as Record<string, unknown>;
      if (key === 'unique_keys') {
        this.b.setOptions({ uniqueKeys: this.uniqueKeysOption(o, pos) });
        continue;
      }
      if (key === 'gap') {
        const gaps: GapMarker[] = [];
        for (const [name, kind] of Object.entries(o)) {
          if (!GAP_KINDS.has(kind as GapKind)) throw new EngineError('GRAMMAR', `gap marker ${name} must be "none", "no_newline" or "newline"`, pos);
          gaps.push({ lexeme: this.declaredLexeme(name, 'gap marker', pos), kind: kind as GapKind });
        }
        this.b.setOptions({ gaps });
        continue;
      }
      for (const k of Object.keys(o)) if (!INDENTATION_KEYS.has(k)) throw new EngineError('GRAMMAR', `unknown indentation option '${k}'`, pos);
      const nameOf = (k: string): string => {
        const v = o[k];
        if (typeof v !== 'string') throw new EngineError('GRAMMAR', `indentation option ${k} must be a terminal name`, pos);
        return v;
      };
      const literals = (k: string): number[] => {
        const v = o[k] ?? [];
        if (!Array.isArray(v) || !v.every((x) => typeof x === 'string' && x.length > 0)) {
          throw new EngineError('GRAMMAR', `indentation option ${k} must be a list of non-empty strings`, pos);
        }
        return v.map((x: string) => {
          const sym = this.b.literal(x);
          return (sym as { id: number }).id;
        });
      };
      const newlineName = nameOf('newline');
      const nl = this.terminals.get(newlineName);
      if (!nl || nl.declared) throw new EngineError('GRAMMAR', `indentation option newline must name a terminal with a regex (${newlineName})`, pos);
      const tabWidth = o['tab_width'] ?? 8;
      if (typeof tabWidth !== 'number' || !Number.isInteger(tabWidth) || tabWidth < 1 || tabWidth > 64) {
        throw new EngineError('GRAMMAR', 'indentation option tab_width must be an integer from 1 to 64', pos);
      }
      const open = literals('open');
      const close = literals('close');
      if (open.length !== close.length) throw new EngineError('GRAMMAR', 'indentation options open and close must have the same length', pos);
      this.b.setOptions({
        indentation: {
          newline: (this.terminalLexeme(newlineName, pos) as { id: number }).id,
          indent: this.declaredLexeme(nameOf('indent'), 'indentation option indent', pos),
          dedent: this.declaredLexeme(nameOf('dedent'), 'indentation option dedent', pos),
          open,
          close,
          tabWidth,
        },
      });
    }
  }

  /** `unique_keys`: each field a list of terminal names (terminals with a regex, not %declare'd). */
  private uniqueKeysOption(o: Record<string, unknown>, pos: SourcePosition): UniqueKeysOptions {
    for (const k of Object.keys(o)) {
      if (!(UNIQUE_KEYS_KEYS as readonly string[]).includes(k)) throw new EngineError('GRAMMAR', `unknown unique_keys option '${k}' (${UNIQUE_KEYS_KEYS.join(', ')})`, pos);
    }
    const names = (k: (typeof UNIQUE_KEYS_KEYS)[number]): number[] => {
      const v = o[k] ?? [];
      if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new EngineError('GRAMMAR', `unique_keys option ${k} must be a list of terminal names`, pos);
      return v.map((name: string) => {
        const t = this.terminals.get(name);
        if (!t || t.declared) throw new EngineError('GRAMMAR', `unique_keys option ${k}: ${name} must name a terminal with a regex`, pos);
        return (this.terminalLexeme(name, pos) as { id: number }).id;
      });
    };
    return { openObject: names('open_object'), closeObject: names('close_object'), openArray: names('open_array'), closeArray: names('close_array'), comma: names('comma'), keys: names('keys') };
  }

  private declaredLexeme(name: string, what: string, pos: SourcePosition): number {
    if (!this.terminals.get(name)?.declared) throw new EngineError('GRAMMAR', `${what} ${name} must be a %declare'd terminal`, pos);
    return (this.terminalLexeme(name, pos) as { id: number }).id;
  }

  // ---- terminals: each compiles to one Regex ----

  /** Regex literals repeat a lot in big grammars; parse each distinct one once. */
  private regexLiteral(source: string, flags: string, pos: SourcePosition): Regex {
    const key = `${flags}/${source}`;
    let re = this.regexCache.get(key);
    if (!re) {
      re = compileRegexLiteral(source, flags, pos, this.limits);
      this.regexCache.set(key, re);
    }
    return re;
  }

  private terminalRegex(name: string, refPos: SourcePosition, scope: 'user' | 'common'): Regex {
    const entry = scope === 'common' ? this.commonEntry(name) : this.terminals.get(name);
    if (!entry) {
      if (isRuleName(name)) throw new EngineError('GRAMMAR', `terminals cannot refer to rules: '${name}' is a rule (terminals are regular; make '${name}' a terminal or the referring terminal a rule)`, refPos);
      throw new EngineError('GRAMMAR', `undefined terminal ${name}`, refPos);
    }
    if (entry.regex) return entry.regex;
    if (entry.declared) throw new EngineError('GRAMMAR', `declared terminal ${name} has no regex, so it cannot be used inside a terminal`, refPos);
    if (entry.busy) {
      const from = this.stack.indexOf(entry.name);
      const cycle = [...this.stack.slice(from), entry.name].join(' -> ');
      throw new EngineError('GRAMMAR', `terminals cannot be recursive: ${cycle}`, entry.pos);
    }
    if (this.stack.length >= this.limits.maxNesting) {
      throw new EngineError('LIMIT', `terminal definitions nested deeper than limits.maxNesting (${this.limits.maxNesting})`, refPos);
    }
    entry.busy = true;
    this.stack.push(entry.name);
    try {
      entry.regex = this.termExpr(entry.body, entry.scope);
    } finally {
      this.stack.pop();
      entry.busy = false;
    }
    return entry.regex;
  }

  private termExpr(e: LarkExpr, scope: 'user' | 'common'): Regex {
    switch (e.k) {
      case 'str':
        return e.ci ? caseInsensitiveLiteral(e.value) : literalRegex(e.value);
      case 'range':
        return charRange(e.from, e.to, e.pos);
      case 'regex':
        return this.regexLiteral(e.source, e.flags, e.pos);
      case 'name':
        return this.terminalRegex(e.name, e.pos, scope);
      case 'seq':
        return e.items.length === 0 ? { kind: 'empty' } : e.items.length === 1 ? this.termExpr(e.items[0]!, scope) : { kind: 'concat', items: e.items.map((x) => this.termExpr(x, scope)) };
      case 'alt':
        return { kind: 'alt', items: e.items.map((x) => this.termExpr(x, scope)) };
      case 'and':
        return { kind: 'and', items: e.items.map((x) => this.termExpr(x, scope)) };
      case 'not':
        return { kind: 'not', item: this.termExpr(e.item, scope) };
      case 'rep':
        return { kind: 'repeat', item: this.termExpr(e.item, scope), min: e.min, max: e.max };
      case 'special':
        throw new EngineError('GRAMMAR', `special tokens (${e.text}) are only allowed in rules, not in terminals`, e.pos);
      case 'json':
        throw new EngineError('GRAMMAR', '%json is only allowed in rules, not in terminals', e.pos);
    }
  }

  private terminalLexeme(name: string, pos: SourcePosition): Sym {
    let id = this.terminalLexemes.get(name);
    if (id === undefined && this.terminals.get(name)?.declared) {
      id = this.b.lexeme({ name, regex: NEVER, declared: true });
      this.terminalLexemes.set(name, id);
    }
    if (id === undefined) {
      const regex = this.terminalRegex(name, pos, 'user');
      id = at(pos, () => this.b.lexeme({ name, regex }));
      this.terminalLexemes.set(name, id);
    }
    return lexSym(id);
  }

  // ---- rules ----

  private compileRule(r: RuleEntry): void {
    this.currentRule = r.name;
    const opts = this.ruleOptions(r);
    if (opts.lexeme) {
      // The whole body is one lexeme (it may only use terminals, strings and regexes).
      let regex = this.lexemeBody(r);
      let lazy = opts.lazy;
      if (opts.stopLike && !(opts.stopLike.kind === 'empty')) {
        regex = { kind: 'concat', items: [regex, opts.stopLike] };
        lazy = true;
      }
      const def: { name: string; regex: Regex; lazy?: boolean; maxTokens?: number } = { name: r.name, regex };
      if (lazy) def.lazy = true;
      if (opts.maxTokens !== undefined) def.maxTokens = opts.maxTokens;
      at(r.pos, () => this.b.addAlternative(r.id, [lexSym(this.b.lexeme(def))]));
    } else {
      const alts = r.body.k === 'alt' ? r.body.items : [r.body];
      for (const alt of alts) {
        const syms = this.ruleSeq(alt);
        at(alt.pos, () => this.b.addAlternative(r.id, syms));
      }
    }
    if (opts.capture !== undefined || opts.temperature !== undefined) {
      const ann: { capture?: string; temperature?: number } = {};
      if (opts.capture !== undefined) ann.capture = opts.capture;
      if (opts.temperature !== undefined) ann.temperature = opts.temperature;
      this.b.setRuleAnnotations(r.id, ann);
    }
  }

  private lexemeBody(r: RuleEntry): Regex {
    const check = (e: LarkExpr): void => {
      if (e.k === 'name' && isRuleName(e.name)) {
        throw new EngineError('GRAMMAR', `rule '${r.name}' has lexeme options (lazy, stop, suffix, max_tokens), so its body must be made of terminals, strings and regexes only; '${e.name}' is a rule`, e.pos);
      }
      if (e.k === 'special' || e.k === 'json') {
        throw new EngineError('GRAMMAR', `rule '${r.name}' has lexeme options (lazy, stop, suffix, max_tokens), so its body must be made of terminals, strings and regexes only`, e.pos);
      }
      if (e.k === 'seq' || e.k === 'alt' || e.k === 'and') e.items.forEach(check);
      else if (e.k === 'rep' || e.k === 'not') check(e.item);
    };
    check(r.body);
    return this.termExpr(r.body, 'user');
  }

  private ruleOptions(r: RuleEntry) {
    const out: { lexeme: boolean; lazy: boolean; stopLike?: Regex; maxTokens?: number; capture?: string; temperature?: number } = { lexeme: false, lazy: false };
    const seen = new Set<string>();
    for (const o of r.options) {
      if (!KNOWN_OPTIONS.has(o.name)) throw new EngineError('GRAMMAR', `unknown rule option '${o.name}' (known: ${[...KNOWN_OPTIONS].join(', ')})`, o.pos);
      if (seen.has(o.name)) throw new EngineError('GRAMMAR', `option '${o.name}' given twice`, o.pos);
      seen.add(o.name);
      if (LEXEME_OPTIONS.has(o.name)) out.lexeme = true;
      const v = o.value;
      switch (o.name) {
        case 'lazy':
          if (v.k !== 'none') throw new EngineError('GRAMMAR', "option 'lazy' takes no value", o.pos);
          out.lazy = true;
          break;
        case 'stop':
        case 'suffix': {
          if (seen.has('stop') && seen.has('suffix')) throw new EngineError('GRAMMAR', "use either 'stop' or 'suffix', not both", o.pos);
          if (v.k === 'str') out.stopLike = v.value === '' ? { kind: 'empty' } : literalRegex(v.value);
          else if (v.k === 'regex') out.stopLike = this.regexLiteral(v.source, v.flags, o.pos);
          else if (v.k === 'name' && isTerminalName(v.name)) out.stopLike = this.terminalRegex(v.name, o.pos, 'user');
          else throw new EngineError('GRAMMAR', `option '${o.name}' needs a string, a /regex/ or a TERMINAL`, o.pos);
          break;
        }
        case 'max_tokens':
          if (v.k !== 'number' || !Number.isInteger(v.value) || v.value < 1) throw new EngineError('GRAMMAR', "option 'max_tokens' needs a whole number ≥ 1", o.pos);
          out.maxTokens = v.value;
          break;
        case 'temperature':
          if (v.k !== 'number') throw new EngineError('GRAMMAR', "option 'temperature' needs a number", o.pos);
          out.temperature = v.value;
          break;
        case 'capture':
          if (v.k === 'none') out.capture = r.name;
          else if (v.k === 'str') out.capture = v.value;
          else throw new EngineError('GRAMMAR', "option 'capture' takes no value or a string", o.pos);
          break;
        case 'stop_capture':
          if (v.k !== 'str') throw new EngineError('GRAMMAR', "option 'stop_capture' needs a string", o.pos);
          break;
      }
    }
    return out;
  }

  private ruleSeq(e: LarkExpr): Sym[] {
    const out: Sym[] = [];
    this.ruleItem(e, out);
    return out;
  }

  /** Appends the symbols of `e` to `out` (one array per alternative: big grammars have thousands). */
  private ruleItem(e: LarkExpr, out: Sym[]): void {
    switch (e.k) {
      case 'str': {
        if (e.ci) out.push(lexSym(at(e.pos, () => this.b.lexeme({ name: `${JSON.stringify(e.value)}i`, regex: caseInsensitiveLiteral(e.value) }))));
        else if (e.value !== '') {
          // The most frequent item: no closure for `at`.
          try {
            out.push(this.b.literal(e.value));
          } catch (err) {
            throw withPosition(err, e.pos);
          }
        }
        return;
      }
      case 'range':
        out.push(lexSym(at(e.pos, () => this.b.lexeme({ name: `${JSON.stringify(e.from)}..${JSON.stringify(e.to)}`, regex: charRange(e.from, e.to, e.pos) }))));
        return;
      case 'regex': {
        const regex = this.regexLiteral(e.source, e.flags, e.pos);
        out.push(lexSym(at(e.pos, () => this.b.lexeme({ name: `/${e.source}/${e.flags}`, regex }))));
        return;
      }
      case 'name': {
        if (isTerminalName(e.name)) {
          out.push(this.terminalLexeme(e.name, e.pos));
          return;
        }
        const r = this.rules.get(e.name);
        if (!r) {
          if (!isRuleName(e.name)) throw new EngineError('GRAMMAR', `'${e.name}' is neither a rule name (lowercase) nor a terminal name (UPPERCASE)`, e.pos);
          throw new EngineError('GRAMMAR', `undefined rule '${e.name}'`, e.pos);
        }
        out.push(ruleSym(r.id));
        return;
      }
      case 'special':
        out.push(this.b.token(parseSpecialToken(e.text, e.pos)));
        return;
      case 'json': {
        const cb = this.jsonSchema;
        if (!cb) throw new EngineError('GRAMMAR', 'JSON Schema support not available (%json needs the jsonSchema option of parseLark)', e.pos);
        out.push(ruleSym(at(e.pos, () => cb(e.value, this.b))));
        return;
      }
      case 'seq':
        for (let i = 0; i < e.items.length; i++) this.ruleItem(e.items[i]!, out);
        return;
      case 'alt': {
        const alts: Sym[][] = [];
        for (let i = 0; i < e.items.length; i++) alts.push(this.ruleSeq(e.items[i]!));
        out.push(at(e.pos, () => this.b.choice(`${this.currentRule}_group`, alts)));
        return;
      }
      case 'rep': {
        const item = this.ruleSingle(e.item);
        out.push(at(e.pos, () => this.b.repeat(item, e.min, e.max)));
        return;
      }
      case 'and':
      case 'not':
        throw new EngineError('GRAMMAR', `the ${e.k === 'and' ? '&' : '~'} operator is only allowed in terminal definitions (UPPERCASE), not in rules`, e.pos);
    }
  }

  private ruleSingle(e: LarkExpr): Sym {
    const syms = this.ruleSeq(e);
    return at(e.pos, () => this.b.seq(`${this.currentRule}_group`, syms));
  }
}

/** Lark regex literal → Regex, via the Rust-flavored regex parser. Flags: i, s. */
function compileRegexLiteral(source: string, flags: string, pos: SourcePosition, limits: Limits): Regex {
  for (const f of flags) {
    if (f !== 'i' && f !== 's') throw new EngineError('GRAMMAR', `regex flag '${f}' is not supported (only i and s)`, pos);
  }
  const uniq = [...new Set(flags)].join('');
  const text = uniq ? `(?${uniq}:${source})` : source;
  try {
    return parseRegex(text, { flavor: 'rust', limits });
  } catch (e) {
    if (e instanceof EngineError && e.code === 'REGEX') {
      // Point at the offending construct: the literal is on one line, one column per byte for ASCII.
      const offset = (e as EngineError & { offset?: unknown }).offset;
      const shift = uniq ? uniq.length + 4 : 0;
      const column = typeof offset === 'number' ? pos.column + 1 + Math.max(0, offset - shift) : pos.column;
      const hint = /lazy quantifier/.test(e.message) ? '; to make a whole terminal lazy, write a rule name[lazy]: /…/' : '';
      throw new EngineError('GRAMMAR', `unsupported or malformed regex: ${e.message}${hint}`, { line: pos.line, column });
    }
    if (e instanceof EngineError && !e.position) throw new EngineError(e.code, e.message, pos);
    throw e;
  }
}

function charRange(from: string, to: string, pos: SourcePosition): Regex {
  const a = [...from];
  const b = [...to];
  if (a.length !== 1 || b.length !== 1) throw new EngineError('GRAMMAR', `a range "a".."z" needs one character on each side (got ${JSON.stringify(from)}..${JSON.stringify(to)})`, pos);
  const lo = a[0]!.codePointAt(0)!;
  const hi = b[0]!.codePointAt(0)!;
  if (lo > hi) throw new EngineError('GRAMMAR', `range ${JSON.stringify(from)}..${JSON.stringify(to)} is reversed`, pos);
  return { kind: 'chars', ranges: [[lo, hi]] };
}

/** `"…"i`: each character matches its lower- and upper-case forms (simple one-to-one case mapping). */
export function caseInsensitiveLiteral(text: string): Regex {
  const items: Regex[] = [];
  for (const ch of text) {
    const cps = new Set<number>([ch.codePointAt(0)!]);
    for (const v of [ch.toLowerCase(), ch.toUpperCase()]) if ([...v].length === 1) cps.add(v.codePointAt(0)!);
    const sorted = [...cps].sort((x, y) => x - y);
    items.push({ kind: 'chars', ranges: sorted.map((c) => [c, c] as const) });
  }
  if (items.length === 0) return { kind: 'empty' };
  return items.length === 1 ? items[0]! : { kind: 'concat', items };
}

/**
 * `<|name|>` / `<think>` → a named token (resolved against the tokenizer later);
 * `<[1,5-7]>`, `<[^…]>`, `<[*]>` → ids.
 */
export function parseSpecialToken(text: string, pos: SourcePosition): TokenSet {
  if (!(text.startsWith('<[') && text.endsWith(']>'))) {
    if (text.length <= 2) throw new EngineError('GRAMMAR', 'empty special token <>', pos);
    return { ranges: [], negated: false, names: [text] };
  }
  let body = text.slice(2, -2).replace(/\s+/g, '');
  if (body === '*') return { ranges: [], negated: true };
  let negated = false;
  if (body.startsWith('^')) {
    negated = true;
    body = body.slice(1);
  }
  if (body === '') throw new EngineError('GRAMMAR', `empty token id list in ${text}`, pos);
  const ranges: [number, number][] = [];
  for (const part of body.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) throw new EngineError('GRAMMAR', `bad token id or range '${part}' in ${text} (expected N or N-M)`, pos);
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi) || lo > hi) throw new EngineError('GRAMMAR', `bad token range '${part}' in ${text}`, pos);
    ranges.push([lo, hi]);
  }
  ranges.sort((x, y) => x[0] - y[0]);
  const merged: [number, number][] = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1] + 1) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return { ranges: merged, negated };
}

/** Default ASCII word characters of `word_boundary` (docs/engine-grammars.md). */
export const DEFAULT_WORD_CHARS = 'A-Za-z0-9_$';
/** The same, as WordBoundaryOptions.word holds it (each character once, in byte order). */
export const DEFAULT_WORD_SET = '$0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz';

/**
 * `word_boundary`: `true`, `false`, or `{"chars": "A-Za-z0-9_$", "non_ascii": false,
 * "extra_start": "'#"}` (every key optional). Null when off.
 */
function wordBoundaryOption(v: unknown, pos: SourcePosition): WordBoundaryOptions | null {
  if (v === false) return null;
  if (v === true) return { word: DEFAULT_WORD_SET, nonAscii: false, extraStart: '' };
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new EngineError('GRAMMAR', '%llguidance option word_boundary must be true, false or a JSON object', pos);
  }
  const o = v as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (key !== 'chars' && key !== 'non_ascii' && key !== 'extra_start') throw new EngineError('GRAMMAR', `unknown word_boundary option '${key}' (chars, non_ascii, extra_start)`, pos);
  }
  const chars = o.chars ?? DEFAULT_WORD_CHARS;
  const extra = o.extra_start ?? '';
  if (typeof chars !== 'string') throw new EngineError('GRAMMAR', 'word_boundary chars must be a string such as "A-Za-z0-9_$"', pos);
  if (typeof extra !== 'string') throw new EngineError('GRAMMAR', 'word_boundary extra_start must be a string of characters such as "\'#"', pos);
  if (o.non_ascii !== undefined && typeof o.non_ascii !== 'boolean') throw new EngineError('GRAMMAR', 'word_boundary non_ascii must be true or false', pos);
  const word = charSet(chars, 'chars', pos);
  const extraStart = [...charSet(extra, 'extra_start', pos)].filter((c) => !word.includes(c)).join('');
  return { word, nonAscii: o.non_ascii === true, extraStart };
}

/**
 * The ASCII characters of a set written as in a regex class body without brackets: characters and
 * ranges `a-z`; a `-` first or last is itself. Returned each once, in byte order.
 */
function charSet(text: string, what: string, pos: SourcePosition): string {
  const codes = [...text].map((c) => c.codePointAt(0)!);
  const on = new Uint8Array(128);
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i]!;
    if (c >= 128) throw new EngineError('GRAMMAR', `word_boundary ${what} must be ASCII characters (use "non_ascii": true for the others)`, pos);
    if (i + 2 < codes.length && codes[i + 1] === 0x2d) {
      const hi = codes[i + 2]!;
      if (hi >= 128 || hi < c) throw new EngineError('GRAMMAR', `word_boundary ${what}: bad range ${String.fromCodePoint(c)}-${String.fromCodePoint(hi)}`, pos);
      for (let x = c; x <= hi; x++) on[x] = 1;
      i += 2;
    } else on[c] = 1;
  }
  let out = '';
  for (let c = 0; c < 128; c++) if (on[c]) out += String.fromCharCode(c);
  return out;
}
