import { EngineError } from '../errors.ts';
import type { Regex } from '../regex/ast.ts';
import type { Grammar, LexemeDef, Sym, TokenSet } from './ir.ts';
import { DEFAULT_WORD_SET } from './lark.ts';
import { portableGrammar, type PortableOptions } from './portable.ts';
import { simplifyAlternation } from './regex-key.ts';

export interface PrintLarkOptions {
  /**
   * Start with `%llguidance {…}` (default true). llama.cpp's server reads a grammar as Lark only when
   * it starts with this line; llguidance elsewhere accepts it. Grammar options go in it.
   */
  header?: boolean;
  /**
   * For servers without Ananke's extensions (docs/engine-grammars.md, "Features for program
   * grammars"): lexeme fallback and gap markers are dropped and indentation is expanded into plain
   * rules (portable.ts; `true` or the expansion's bounds).
   */
  portable?: boolean | PortableOptions;
}

/**
 * Grammar IR → Lark-dialect text that llguidance (vLLM, SGLang, llama.cpp) and parseLark accept.
 *
 * - Rules print one per line, alternatives as plain sequences (helper rules stay rules); an empty
 *   alternative prints as nothing between bars (`r: a | | b`).
 * - Plain string lexemes print inline as "…"; other lexemes print as terminals (`NAME: /…/`) or
 *   inline /…/ when unnamed. Regexes print in Rust `regex` syntax; intersection and complement
 *   print as the dialect's `&` and `~` operators outside `/…/`.
 * - A lazy lexeme or one with max_tokens prints as a rule with options (`name[lazy]: /…/`),
 *   because terminals cannot carry options.
 * parseLark(printLark(g)) is structurally equivalent to g (see compare.ts).
 */
export function printLark(grammar: Grammar, opts?: PrintLarkOptions): string {
  const portable = opts?.portable !== undefined && opts.portable !== false;
  const g = portable ? portableGrammar(grammar, opts!.portable === true ? {} : opts!.portable as PortableOptions) : grammar;
  const lines: string[] = [];
  const header = optionsJson(g);
  if ((opts?.header ?? true) || header !== '{}') lines.push(`%llguidance ${header}`);

  const used = new Set<string>();
  const nextSuffix = new Map<string, number>();
  const unique = (base: string): string => {
    let name = base;
    let k = nextSuffix.get(base) ?? 2;
    while (used.has(name)) name = `${base}_${k++}`;
    nextSuffix.set(base, k);
    used.add(name);
    return name;
  };

  // Rule names: the start rule is `start`; others become valid lowercase names.
  used.add('start');
  const ruleNames = g.rules.map((r, i) => (i === g.start ? 'start' : unique(ruleNameFor(r.name))));

  // Lexemes: inline string, inline /regex/, a terminal, or a wrapper rule with options.
  const lexRef: string[] = [];
  const definitions: string[] = [];
  const usedLex = new Uint8Array(g.lexemes.length);
  for (const r of g.rules) for (const a of r.alternatives) for (const sy of a) if (sy.kind === 'lexeme') usedLex[sy.id] = 1;
  for (const id of g.ignore) usedLex[id] = 1;
  for (const id of optionLexemeIds(g)) usedLex[id] = 1;
  // unique_keys names its lexemes: they print as terminals, literals included.
  const named = new Set(uniqueKeysLexemes(g));
  g.lexemes.forEach((l, i) => {
    if (!usedLex[i]) return;
    if (l.declared) {
      lexRef[i] = unique(terminalNameFor(l.name, i));
      // llguidance refuses `%declare` ("declare statement not supported yet"); after the portable
      // expansion a declared terminal has no role left, only "matches nothing": say that as a regex.
      if (portable) definitions.push(`${lexRef[i]}: ${lexemeExpr(l)}`);
      return;
    }
    const expr = lexemeExpr(l);
    if (l.lazy || l.maxTokens !== undefined) {
      const opt: string[] = [];
      if (l.lazy) opt.push('lazy');
      if (l.maxTokens !== undefined) opt.push(`max_tokens=${l.maxTokens}`);
      const name = unique(ruleNameFor(`${l.name}_lexeme`));
      definitions.push(`${name}[${opt.join(', ')}]: ${expr}`);
      lexRef[i] = name;
    } else if (named.has(i)) {
      const name = unique(terminalNameFor(l.name, i));
      definitions.push(`${name}: ${expr}`);
      lexRef[i] = name;
    } else if (l.literal !== undefined && l.literal !== '') {
      lexRef[i] = quote(l.literal);
    } else if (/^_?[A-Z][A-Z0-9_]*$/.test(l.name) || hasAndNot(l.regex) || i === g.options?.indentation?.newline) {
      const name = unique(terminalNameFor(l.name, i));
      definitions.push(`${name}: ${expr}`);
      lexRef[i] = name;
    } else {
      lexRef[i] = expr;
    }
  });

  const declaredNames = portable ? [] : g.lexemes.flatMap((l, i) => (l.declared && usedLex[i] ? [lexRef[i]!] : []));
  if (declaredNames.length > 0) lines.push(`%declare ${declaredNames.join(' ')}`);
  // The options name lexemes as printed: patch the header now that names are known.
  if (lines[0]?.startsWith('%llguidance')) lines[0] = `%llguidance ${optionsJson(g, lexRef)}`;
  for (const id of g.ignore) {
    const l = g.lexemes[id]!;
    const ref = lexRef[id]!;
    // A lazy ignore lexeme would print as a rule, which %ignore cannot take: print its regex.
    lines.push(`%ignore ${l.lazy || l.maxTokens !== undefined ? lexemeExpr(l) : ref}`);
  }

  const order = [g.start, ...[...g.rules.keys()].filter((k) => k !== g.start)];
  for (const ri of order) {
    const r = g.rules[ri]!;
    const alts = r.alternatives.map((alt) => alt.map((s) => symText(s, ruleNames, lexRef)).join(' '));
    const ann: string[] = [];
    if (r.capture !== undefined) ann.push(r.capture === ruleNames[ri] ? 'capture' : `capture=${quote(r.capture)}`);
    if (r.temperature !== undefined) ann.push(`temperature=${r.temperature}`);
    const head = ann.length > 0 ? `${ruleNames[ri]}[${ann.join(', ')}]` : ruleNames[ri];
    lines.push(`${head}: ${alts.join(' | ')}`.trimEnd());
  }
  lines.push(...definitions);
  return lines.join('\n') + '\n';
}

/** Lexeme ids the grammar options name. */
function optionLexemeIds(g: Grammar): number[] {
  const o = g.options;
  const out: number[] = [];
  if (o?.indentation) out.push(o.indentation.newline, o.indentation.indent, o.indentation.dedent, ...o.indentation.open, ...o.indentation.close);
  for (const m of o?.gaps ?? []) out.push(m.lexeme);
  out.push(...uniqueKeysLexemes(g));
  return out;
}

function uniqueKeysLexemes(g: Grammar): number[] {
  const u = g.options?.uniqueKeys;
  return u ? [...u.openObject, ...u.closeObject, ...u.openArray, ...u.closeArray, ...u.comma, ...u.keys] : [];
}

/** The `%llguidance` object of a grammar's options (lexemes named as printed in `lexRef`). */
function optionsJson(g: Grammar, lexRef?: string[]): string {
  const o = g.options;
  const parts: string[] = [];
  if (o?.ignoreOnce) parts.push('"skip_repetition": "once"');
  if (o?.lexemeFallback) parts.push('"lexeme_fallback": true');
  const name = (id: number): string => lexRef?.[id] ?? g.lexemes[id]!.name;
  const lit = (id: number): string => JSON.stringify(g.lexemes[id]!.literal ?? g.lexemes[id]!.name);
  if (o?.indentation) {
    const ind = o.indentation;
    parts.push(`"indentation": {"newline": ${JSON.stringify(name(ind.newline))}, "indent": ${JSON.stringify(name(ind.indent))}, "dedent": ${JSON.stringify(name(ind.dedent))}, "open": [${ind.open.map(lit).join(', ')}], "close": [${ind.close.map(lit).join(', ')}], "tab_width": ${ind.tabWidth}}`);
  }
  if (o?.gaps && o.gaps.length > 0) parts.push(`"gap": {${o.gaps.map((m) => `${JSON.stringify(name(m.lexeme))}: ${JSON.stringify(m.kind)}`).join(', ')}}`);
  if (o?.uniqueKeys) {
    const u = o.uniqueKeys;
    const list = (ids: number[]) => `[${ids.map((id) => JSON.stringify(name(id))).join(', ')}]`;
    parts.push(`"unique_keys": {"open_object": ${list(u.openObject)}, "close_object": ${list(u.closeObject)}, "open_array": ${list(u.openArray)}, "close_array": ${list(u.closeArray)}, "comma": ${list(u.comma)}, "keys": ${list(u.keys)}}`);
  }
  if (o?.wordBoundary) {
    const wb = o.wordBoundary;
    if (wb.word === DEFAULT_WORD_SET && !wb.nonAscii && wb.extraStart === '') parts.push('"word_boundary": true');
    else {
      const fields = [`"chars": ${JSON.stringify(charRanges(wb.word))}`];
      if (wb.nonAscii) fields.push('"non_ascii": true');
      if (wb.extraStart !== '') fields.push(`"extra_start": ${JSON.stringify(charRanges(wb.extraStart))}`);
      parts.push(`"word_boundary": {${fields.join(', ')}}`);
    }
  }
  return `{${parts.join(', ')}}`;
}

function symText(s: Sym, ruleNames: string[], lexRef: string[]): string {
  if (s.kind === 'rule') return ruleNames[s.id]!;
  if (s.kind === 'lexeme') return lexRef[s.id]!;
  return tokenSetText(s.ids);
}

function tokenSetText(t: TokenSet): string {
  const parts: string[] = [];
  for (const n of t.names ?? []) parts.push(n);
  if (t.ranges.length > 0 || t.negated || parts.length === 0) {
    if (t.negated && t.ranges.length === 0) parts.push('<[*]>');
    else parts.push(`<[${t.negated ? '^' : ''}${t.ranges.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(',')}]>`);
  }
  return parts.length === 1 ? parts[0]! : `(${parts.join(' | ')})`;
}

function ruleNameFor(name: string): string {
  // Helper rules from the builder are named like `item+` or `"x"{2,7}`: spell the operator out.
  const spelled = name.replace(/\?/g, '_opt').replace(/\*/g, '_star').replace(/\+/g, '_plus').replace(/\{/g, '_rep_').replace(/,/g, '_');
  let s = spelled.toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/_+/g, '_').replace(/^_+|_+$/g, '');
  if (!/^[a-z]/.test(s)) s = `r_${s}`.replace(/_+$/, '');
  return s === 'start' ? 'start_' : s;
}

function terminalNameFor(name: string, i: number): string {
  let s = name.toUpperCase().replace(/[^A-Z0-9_]+/g, '_').replace(/_+/g, '_').replace(/^_+|_+$/g, '');
  if (!/^[A-Z]/.test(s)) s = `T${i}`;
  return s;
}

/** A Lark string literal (JSON escapes, which both llguidance and parseLark read). */
function quote(text: string): string {
  return JSON.stringify(text);
}

function lexemeExpr(l: LexemeDef): string {
  return regexToLarkTerminal(l.regex);
}

export function hasAndNot(re: Regex): boolean {
  switch (re.kind) {
    case 'and':
    case 'not':
      return true;
    case 'concat':
    case 'alt':
      return re.items.some(hasAndNot);
    case 'repeat':
      return hasAndNot(re.item);
    default:
      return false;
  }
}

/**
 * A regex as a Lark terminal expression: `/…/` where possible, with `|`, `&`, `~`, juxtaposition
 * and postfix operators outside `/…/` around the parts that use intersection or complement.
 * Operands of `&` are always atoms or parenthesized, so the text reads the same whichever way a
 * reader ranks `&` against juxtaposition.
 */
export function regexToLarkTerminal(re: Regex): string {
  return term(re, 0);
}

// Lark precedence levels: 0 alternation, 1 intersection, 2 sequence, 3 postfix, 4 atom.
function term(re: Regex, ctx: number): string {
  if (!hasAndNot(re)) return `/${regexToRust(re).replace(/\//g, '\\/')}/`;
  const wrap = (s: string, level: number) => (level < ctx ? `(${s})` : s);
  switch (re.kind) {
    case 'alt':
      return wrap(re.items.map((x) => term(x, 1)).join(' | '), 0);
    case 'and':
      return wrap(re.items.map((x) => term(x, 4)).join(' & '), 1);
    case 'concat':
      return wrap(re.items.map((x) => term(x, 3)).join(' '), 2);
    case 'not':
      return `~${term(re.item, 4)}`;
    case 'repeat': {
      if (re.max === 0) return '/(?:)/';
      return wrap(`${term(re.item, 4)}${larkCount(re.min, re.max)}`, 3);
    }
    default:
      throw new EngineError('STATE', 'unreachable');
  }
}

function larkCount(min: number, max: number): string {
  if (min === 0 && max === 1) return '?';
  if (min === 0 && max === Infinity) return '*';
  if (min === 1 && max === Infinity) return '+';
  if (max === Infinity) return `{${min},}`;
  if (min === max) return `{${min}}`;
  return `{${min},${max}}`;
}

const MAX_CP = 0x10ffff;
const META = new Set('\\.+*?()|[]{}^$#&-~');
const CLASS_META = new Set('\\[]-^&~');

/**
 * A regex (without `and`/`not`) in Rust `regex` crate syntax. Characters outside printable ASCII
 * print as `\x{…}`; `bytes` print in `(?-u:…)` byte mode (which our own regex parser does not read).
 */
export function regexToRust(re: Regex): string {
  return rx(re, 0);
}

// Precedence: 0 alternation, 1 concatenation, 2 repetition operand (must be an atom).
function rx(re: Regex, ctx: number): string {
  const group = (s: string, level: number) => (level < ctx ? `(?:${s})` : s);
  switch (re.kind) {
    case 'empty':
      return '(?:)';
    case 'never':
      return '[^\\x{0}-\\x{10FFFF}]';
    case 'chars':
      return charsText(re.ranges);
    case 'bytes':
      return `(?-u:${byteClass(re.ranges)})`;
    case 'concat': {
      const items = re.items.filter((x) => x.kind !== 'empty');
      if (items.length === 0) return '(?:)';
      if (items.length === 1) return rx(items[0]!, ctx);
      return group(items.map((x) => rx(x, 1)).join(''), 1);
    }
    case 'alt': {
      if (re.items.length === 0) return '[^\\x{0}-\\x{10FFFF}]';
      // Readability: one class for the single-character choices (`[Ee]`, not `E|e`), and `x?`
      // for a choice that includes the empty string.
      const { body, optional } = simplifyAlternation(re.items);
      if (!body) return '(?:)';
      if (optional) return rx({ kind: 'repeat', item: body, min: 0, max: 1 }, ctx);
      if (body.kind !== 'alt') return rx(body, ctx);
      return group(body.items.map((x) => rx(x, 0)).join('|'), 0);
    }
    case 'repeat': {
      if (re.max === 0) return '(?:)';
      if (re.min === 1 && re.max === 1) return rx(re.item, ctx);
      const base = rx(re.item, 2);
      const atomic = isAtomText(base);
      return group(`${atomic ? base : `(?:${base})`}${larkCount(re.min, re.max)}`, 1);
    }
    case 'and':
    case 'not':
      throw new EngineError('GRAMMAR', 'intersection (&) and complement (~) cannot be written inside a /regex/; use regexToLarkTerminal');
  }
}

/** Whether rx's text is a single atom a quantifier can follow (a character, class, or group). */
function isAtomText(text: string): boolean {
  if (text.length === 1) return !META.has(text) || text === '.';
  if (/^\\(x\{[0-9A-F]+\}|[^x])$/.test(text)) return true;
  if (text.startsWith('(')) return matchingParen(text) === text.length - 1;
  if (text.startsWith('[')) {
    for (let i = 1; i < text.length; i++) {
      if (text[i] === '\\') i++;
      else if (text[i] === ']') return i === text.length - 1;
    }
  }
  return false;
}

function matchingParen(text: string): number {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return -1;
}

function charsText(ranges: ReadonlyArray<readonly [number, number]>): string {
  if (ranges.length === 0) return '[^\\x{0}-\\x{10FFFF}]';
  if (ranges.length === 1 && ranges[0]![0] === 0 && ranges[0]![1] === MAX_CP) return '(?s:.)';
  if (ranges.length === 2 && ranges[0]![0] === 0 && ranges[0]![1] === 9 && ranges[1]![0] === 11 && ranges[1]![1] === MAX_CP) return '.';
  if (ranges.length === 1 && ranges[0]![0] === ranges[0]![1]) return charText(ranges[0]![0], false);
  const complement: [number, number][] = [];
  let next = 0;
  for (const [lo, hi] of ranges) {
    if (lo > next) complement.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX_CP) complement.push([next, MAX_CP]);
  const useNeg = complement.length > 0 && complement.length < ranges.length;
  const body = (useNeg ? complement : ranges).map(([lo, hi]) => (lo === hi ? charText(lo, true) : hi === lo + 1 ? charText(lo, true) + charText(hi, true) : `${charText(lo, true)}-${charText(hi, true)}`)).join('');
  return `[${useNeg ? '^' : ''}${body}]`;
}

function charText(cp: number, inClass: boolean): string {
  if (cp < 0x20 || cp > 0x7e) {
    switch (cp) {
      case 9: return '\\t';
      case 10: return '\\n';
      case 13: return '\\r';
      default: return `\\x{${cp.toString(16).toUpperCase()}}`;
    }
  }
  const c = String.fromCharCode(cp);
  if (inClass ? CLASS_META.has(c) : META.has(c)) return `\\${c}`;
  return c;
}

function byteClass(ranges: ReadonlyArray<readonly [number, number]>): string {
  const hex = (b: number) => `\\x${b.toString(16).toUpperCase().padStart(2, '0')}`;
  return `[${ranges.map(([lo, hi]) => (lo === hi ? hex(lo) : `${hex(lo)}-${hex(hi)}`)).join('')}]`;
}

/**
 * A character set (ASCII, each once, in byte order) written back as `word_boundary` reads it:
 * runs of 3 or more as ranges, letters and digits first as in the default, `-` last.
 */
function charRanges(chars: string): string {
  const on = new Uint8Array(128);
  for (const c of chars) on[c.charCodeAt(0)] = 1;
  const order: [number, number][] = [[0x41, 0x5a], [0x61, 0x7a], [0x30, 0x39], [0, 0x2c], [0x2e, 0x2f], [0x3a, 0x40], [0x5b, 0x60], [0x7b, 0x7f], [0x2d, 0x2d]];
  let out = '';
  for (const [lo, hi] of order) {
    for (let c = lo; c <= hi; c++) {
      if (!on[c]) continue;
      let e = c;
      while (e + 1 <= hi && on[e + 1]) e++;
      if (e - c >= 2 && c !== 0x2d) {
        out += `${String.fromCharCode(c)}-${String.fromCharCode(e)}`;
        c = e;
      } else out += String.fromCharCode(c);
    }
  }
  return out;
}
