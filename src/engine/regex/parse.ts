import type { Regex } from './ast.ts';
import { EMPTY, NEVER } from './ast.ts';
import { EngineError } from '../errors.ts';
import type { Limits } from '../limits.ts';
import { DEFAULT_LIMITS } from '../limits.ts';
import { checkRegexSize } from './size.ts';
import {
  caseFold,
  intersect,
  MAX_CP,
  negate,
  normalizeRanges,
  perlClass,
  posixClass,
  subtract,
  symmetricDifference,
  unicodeProperty,
} from './unicode.ts';
import type { CpRanges } from './unicode.ts';

/**
 * Regex syntax → Regex AST (regex/ast.ts).
 *
 * - `rust` (default): the Rust `regex` crate syntax that llguidance and the Lark dialect use.
 *   Perl classes `\d \w \s` are Unicode-aware.
 * - `ecma`: ECMA-262 with the `u` flag, as JSON Schema `pattern` uses it. `\d \w` are ASCII, `.`
 *   excludes line terminators, `[` is literal inside classes, `[^]` is any character.
 *
 * A regex matches a whole lexeme, so `^`/`\A` at the start and `$`/`\z` at the end are accepted
 * and ignored. Unsupported constructs (anchors elsewhere, word boundaries, lookarounds,
 * backreferences, lazy or possessive quantifiers, byte mode) raise RegexSyntaxError
 * (EngineError 'REGEX') naming the construct and its UTF-8 byte offset in the source.
 */
export type RegexFlavor = 'rust' | 'ecma';

export interface ParseRegexOptions {
  flavor?: RegexFlavor;
  /** maxRegexSize bounds the result (counting counted repetition as expanded). */
  limits?: Limits;
  /**
   * Search semantics, as JSON Schema `pattern` means it: the regex may match anywhere in the
   * string, so each top-level alternative gets `(?s:.*)` before it unless it starts with `^`/`\A`
   * and after it unless it ends with `$`/`\z`. Default false: the regex matches the whole lexeme.
   */
  search?: boolean;
}

/** A regex the engine cannot accept, with where and what. */
export class RegexSyntaxError extends EngineError {
  constructor(
    message: string,
    /** UTF-8 byte offset of the construct in the regex source. */
    readonly offset: number,
    /** The construct as written, e.g. `(?=`, `\b`, `*?`. */
    readonly construct: string,
    readonly source: string,
  ) {
    super('REGEX', `${message} at offset ${offset} in regex /${source}/`);
  }
}

/** Group nesting deeper than this is refused (keeps the recursive descent off the stack limit). */
const MAX_GROUP_DEPTH = 1000;
/** Repetition bounds above this are refused outright (the size limit usually bites first). */
const MAX_REPEAT_BOUND = 1_000_000;

export function parseRegex(source: string, opts?: ParseRegexOptions): Regex {
  const limits = opts?.limits ?? DEFAULT_LIMITS;
  const p = new Parser(source, opts?.flavor ?? 'rust');
  const tree = p.parse();
  const regex = opts?.search === true ? lowerSearch(tree, p) : lower(tree, true, true, p);
  checkRegexSize(regex, limits.maxRegexSize);
  return regex;
}

/**
 * The same regex matching case-insensitively (simple case folding on every character set), for
 * front ends that build ASTs directly, e.g. Lark's `"select"i`.
 */
export function caseInsensitive(r: Regex): Regex {
  switch (r.kind) {
    case 'chars':
      return { kind: 'chars', ranges: caseFold(normalizeRanges(r.ranges)) };
    case 'concat':
    case 'alt':
    case 'and':
      return { kind: r.kind, items: r.items.map(caseInsensitive) };
    case 'not':
      return { kind: 'not', item: caseInsensitive(r.item) };
    case 'repeat':
      return { ...r, item: caseInsensitive(r.item) };
    default:
      return r;
  }
}

// ---- internal tree (anchors kept until placement is checked) ---------------------------------

type PNode =
  | { k: 'set'; ranges: CpRanges }
  | { k: 'empty' }
  | { k: 'cat'; items: PNode[] }
  | { k: 'alt'; items: PNode[] }
  | { k: 'rep'; item: PNode; min: number; max: number }
  | { k: 'anchor'; start: boolean; pos: number; text: string };

interface Flags {
  i: boolean;
  s: boolean;
  x: boolean;
  m: boolean;
  R: boolean;
}

function lower(n: PNode, atStart: boolean, atEnd: boolean, p: Parser): Regex {
  switch (n.k) {
    case 'set':
      return n.ranges.length === 0 ? NEVER : { kind: 'chars', ranges: n.ranges };
    case 'empty':
      return EMPTY;
    case 'anchor':
      if (n.start ? atStart : atEnd) return EMPTY;
      throw p.error(
        `${n.start ? 'start' : 'end'} anchor '${n.text}' is only supported at the ${n.start ? 'start' : 'end'} of the regex (lexemes always match whole)`,
        n.pos,
        n.text,
      );
    case 'rep': {
      const item = lower(n.item, false, false, p);
      if (item.kind === 'empty') return EMPTY;
      if (n.min === 1 && n.max === 1) return item;
      return { kind: 'repeat', item, min: n.min, max: n.max };
    }
    case 'alt': {
      const items = n.items.map((it) => lower(it, atStart, atEnd, p));
      return items.length === 1 ? items[0]! : { kind: 'alt', items };
    }
    case 'cat': {
      const items: Regex[] = [];
      const len = n.items.length;
      // Zero-width prefix/suffix: items before i (after i) that are all anchors or empty.
      let firstReal = 0;
      while (firstReal < len && isZeroWidth(n.items[firstReal]!)) firstReal++;
      let lastReal = len - 1;
      while (lastReal >= 0 && isZeroWidth(n.items[lastReal]!)) lastReal--;
      for (let i = 0; i < len; i++) {
        const r = lower(n.items[i]!, atStart && i <= firstReal, atEnd && i >= lastReal, p);
        if (r.kind === 'empty') continue;
        if (r.kind === 'concat') items.push(...r.items);
        else items.push(r);
      }
      if (items.length === 0) return EMPTY;
      return items.length === 1 ? items[0]! : { kind: 'concat', items };
    }
  }
}

const ANY_STRING: Regex = { kind: 'repeat', item: { kind: 'chars', ranges: [[0, MAX_CP]] }, min: 0, max: Infinity };

/** Search semantics: pad each top-level alternative with `.*` where it is not anchored. */
function lowerSearch(tree: PNode, p: Parser): Regex {
  const branches = tree.k === 'alt' ? tree.items : [tree];
  const out: Regex[] = [];
  for (const b of branches) {
    const start = anchoredAt(b, true);
    const end = anchoredAt(b, false);
    if (start === null || end === null) {
      const a = firstAnchor(b)!;
      throw p.error(`anchor '${a.text}' on only some paths of an alternative is not supported in search mode`, a.pos, a.text);
    }
    const core = lower(b, true, true, p);
    const items: Regex[] = [];
    if (!start) items.push(ANY_STRING);
    if (core.kind === 'concat') items.push(...core.items);
    else if (core.kind !== 'empty') items.push(core);
    if (!end) items.push(ANY_STRING);
    out.push(items.length === 0 ? EMPTY : items.length === 1 ? items[0]! : { kind: 'concat', items });
  }
  return out.length === 1 ? out[0]! : { kind: 'alt', items: out };
}

/** Whether every path through n starts (ends) with an anchor: true, false, or null when mixed. */
function anchoredAt(n: PNode, start: boolean): boolean | null {
  switch (n.k) {
    case 'anchor':
      return n.start === start ? true : false;
    case 'cat': {
      const items = start ? n.items : [...n.items].reverse();
      for (const it of items) {
        if (it.k === 'empty') continue;
        if (it.k === 'anchor' && it.start !== start) continue; // `^$`: the other anchor is zero-width
        return anchoredAt(it, start);
      }
      return false;
    }
    case 'alt': {
      const rs = n.items.map((it) => anchoredAt(it, start));
      if (rs.every((r) => r === true)) return true;
      if (rs.every((r) => r === false)) return false;
      return null;
    }
    default:
      return false;
  }
}

function firstAnchor(n: PNode): Extract<PNode, { k: 'anchor' }> | null {
  if (n.k === 'anchor') return n;
  if (n.k === 'cat' || n.k === 'alt') {
    for (const it of n.items) {
      const a = firstAnchor(it);
      if (a !== null) return a;
    }
  }
  if (n.k === 'rep') return firstAnchor(n.item);
  return null;
}

function isZeroWidth(n: PNode): boolean {
  return n.k === 'anchor' || n.k === 'empty';
}

// ---- the parser ------------------------------------------------------------------------------

const HEX = /^[0-9a-fA-F]+$/;

/** UTF-8 byte length of a string (lone surrogates count as U+FFFD, 3 bytes, as TextEncoder does). */
function utf8Length(s: string): number {
  let n = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return n;
}

class Parser {
  private pos = 0;
  private flags: Flags = { i: false, s: false, x: false, m: false, R: false };
  private depth = 0;

  constructor(
    readonly src: string,
    readonly flavor: RegexFlavor,
  ) {}

  error(message: string, pos: number, construct: string): RegexSyntaxError {
    const offset = utf8Length(this.src.slice(0, pos));
    return new RegexSyntaxError(message, offset, construct, this.src);
  }

  parse(): PNode {
    const n = this.parseAlt();
    if (this.pos < this.src.length) {
      // Only an unmatched ')' stops parseAlt early.
      throw this.error("unmatched ')'", this.pos, ')');
    }
    return n;
  }

  private peek(off = 0): string {
    return this.src[this.pos + off] ?? '';
  }

  private eof(): boolean {
    return this.pos >= this.src.length;
  }

  /** In (?x) mode, skip whitespace and # comments. */
  private skipExtended(): void {
    if (!this.flags.x) return;
    for (;;) {
      const c = this.peek();
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v') this.pos++;
      else if (c === '#') {
        while (!this.eof() && this.peek() !== '\n') this.pos++;
      } else return;
    }
  }

  private parseAlt(): PNode {
    const saved = { ...this.flags };
    const branches: PNode[] = [this.parseConcat()];
    while (this.peek() === '|') {
      this.pos++;
      branches.push(this.parseConcat());
    }
    this.flags = saved;
    return branches.length === 1 ? branches[0]! : { k: 'alt', items: branches };
  }

  private parseConcat(): PNode {
    const items: PNode[] = [];
    for (;;) {
      this.skipExtended();
      if (this.eof()) break;
      const c = this.peek();
      if (c === '|' || c === ')') break;
      const atom = this.parseAtom();
      if (atom === null) continue; // a flag group like (?i)
      items.push(this.parseQuantifiers(atom));
    }
    if (items.length === 0) return { k: 'empty' };
    return items.length === 1 ? items[0]! : { k: 'cat', items };
  }

  private parseQuantifiers(atom: PNode): PNode {
    let node = atom;
    for (;;) {
      this.skipExtended();
      const c = this.peek();
      const start = this.pos;
      let min: number;
      let max: number;
      if (c === '*' || c === '+' || c === '?') {
        this.pos++;
        min = c === '+' ? 1 : 0;
        max = c === '?' ? 1 : Infinity;
      } else if (c === '{') {
        const q = this.tryCountedRepetition();
        if (q === null) {
          if (this.flavor === 'rust') throw this.error("invalid counted repetition (expected '{n}', '{n,}' or '{n,m}')", start, '{');
          return node; // ECMA: parseAtom will report the stray '{'
        }
        [min, max] = q;
      } else return node;
      if (node.k === 'anchor') throw this.error(`repetition of the anchor '${node.text}'`, start, this.src.slice(start, this.pos));
      const quant = this.src.slice(start, this.pos);
      if (this.peek() === '?') throw this.error(`lazy quantifier '${quant}?' is not supported (lexemes match whole; use the greedy form)`, start, `${quant}?`);
      if (this.peek() === '+') throw this.error(`possessive quantifier '${quant}+' is not supported`, start, `${quant}+`);
      node = { k: 'rep', item: node, min, max };
    }
  }

  /** At '{': parse {n}, {n,}, {n,m}, {,m}; null (position unchanged) when it is not one. */
  private tryCountedRepetition(): [number, number] | null {
    // ECMA allows neither spaces nor a missing minimum: `a{,5}` is literal text there.
    const re = this.flavor === 'ecma' ? /^\{(\d+)(,(\d*))?\}/ : /^\{\s*(\d*)\s*(,\s*(\d*)\s*)?\}/;
    const m = re.exec(this.src.slice(this.pos, this.pos + 40));
    if (m === null || (m[1] === '' && (m[2] === undefined || m[3] === ''))) return null;
    const start = this.pos;
    const min = m[1] === '' ? 0 : Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
    if (min > MAX_REPEAT_BOUND || (max !== Infinity && max > MAX_REPEAT_BOUND)) {
      throw this.error(`repetition bound in '${m[0]}' exceeds ${MAX_REPEAT_BOUND}`, start, m[0]);
    }
    if (max < min) throw this.error(`invalid repetition range '${m[0]}' (min > max)`, start, m[0]);
    this.pos += m[0].length;
    return [min, max];
  }

  /** One atom, or null for a flag-setting group `(?i)`. */
  private parseAtom(): PNode | null {
    const start = this.pos;
    const c = this.peek();
    switch (c) {
      case '(':
        return this.parseGroup();
      case '[':
        return this.set(this.parseClass());
      case '.':
        this.pos++;
        return this.set(this.dot());
      case '^':
        this.pos++;
        return { k: 'anchor', start: true, pos: start, text: '^' };
      case '$':
        this.pos++;
        return { k: 'anchor', start: false, pos: start, text: '$' };
      case '\\':
        return this.parseEscapeAtom();
      case '*':
      case '+':
      case '?':
        throw this.error(`repetition operator '${c}' has nothing to repeat`, start, c);
      case '{':
        if (this.tryCountedRepetition() !== null) {
          this.pos = start;
          throw this.error("counted repetition '{…}' has nothing to repeat", start, '{');
        }
        if (this.flavor === 'rust') throw this.error("unescaped '{' (write '\\{' for a literal brace)", start, '{');
        this.pos++;
        return this.literal(0x7b);
      default: {
        const cp = this.src.codePointAt(this.pos)!;
        this.pos += cp > 0xffff ? 2 : 1;
        return this.literal(cp);
      }
    }
  }

  private set(ranges: CpRanges): PNode {
    return { k: 'set', ranges };
  }

  private literal(cp: number): PNode {
    const r: CpRanges = [[cp, cp]];
    return { k: 'set', ranges: this.flags.i ? caseFold(r) : r };
  }

  private dot(): CpRanges {
    if (this.flags.s) return [[0, MAX_CP]];
    if (this.flavor === 'ecma') return negate(normalizeRanges([[0x0a, 0x0a], [0x0d, 0x0d], [0x2028, 0x2029]]));
    return this.flags.R ? negate([[0x0a, 0x0a], [0x0d, 0x0d]]) : negate([[0x0a, 0x0a]]);
  }

  private parseGroup(): PNode | null {
    const start = this.pos;
    this.pos++; // (
    if (this.peek() === '?') {
      const rest = this.src.slice(this.pos, this.pos + 4);
      if (rest.startsWith('?=') || rest.startsWith('?!')) {
        throw this.error(`lookahead '(${rest.slice(0, 2)}' is not supported`, start, `(${rest.slice(0, 2)}`);
      }
      if (rest.startsWith('?<=') || rest.startsWith('?<!')) {
        throw this.error(`lookbehind '(${rest.slice(0, 3)}' is not supported`, start, `(${rest.slice(0, 3)}`);
      }
      if (rest.startsWith('?P=')) throw this.error("backreference '(?P=' is not supported", start, '(?P=');
      if (rest.startsWith('?P>') || /^\?\d/.test(rest)) {
        throw this.error('recursive pattern is not supported', start, this.src.slice(start, start + 3));
      }
      if (rest.startsWith('?#')) {
        throw this.error("comment group '(?#' is not supported (use (?x) and #)", start, '(?#');
      }
      if (rest.startsWith('?P<') || rest.startsWith('?<')) {
        this.pos += rest.startsWith('?P<') ? 3 : 2;
        const close = this.src.indexOf('>', this.pos);
        const name = close < 0 ? '' : this.src.slice(this.pos, close);
        if (close < 0 || !/^[A-Za-z_][A-Za-z0-9_.[\]]*$/.test(name)) throw this.error('invalid capture group name', start, this.src.slice(start, this.pos));
        this.pos = close + 1;
        return this.groupBody(start);
      }
      // Flags: (?flags) or (?flags:…)
      this.pos++;
      const fstart = this.pos;
      const flags = { ...this.flags };
      let negated = false;
      for (;;) {
        const f = this.peek();
        if (f === ')' || f === ':') break;
        if (f === '') throw this.error("unclosed group '(?'", start, '(?');
        if (f === '-') {
          if (negated) throw this.error("repeated '-' in flag group", this.pos, '-');
          negated = true;
        } else if (f === 'i' || f === 's' || f === 'x' || f === 'm' || f === 'R') {
          flags[f] = !negated;
        } else if (f === 'u') {
          if (negated) throw this.error("byte mode '(?-u)' is not supported", start, this.src.slice(start, this.pos + 1));
        } else if (f === 'U') {
          if (!negated) throw this.error("swap-greed flag 'U' makes quantifiers lazy, which is not supported", this.pos, 'U');
        } else {
          throw this.error(`unknown flag '${f}' in group`, this.pos, this.src.slice(start, this.pos + 1));
        }
        this.pos++;
      }
      if (this.pos === fstart && this.peek() === ')') throw this.error("empty flag group '(?)'", start, '(?)');
      if (this.peek() === ')') {
        // (?flags): applies to the rest of the enclosing group.
        this.pos++;
        this.flags = flags;
        return null;
      }
      this.pos++; // ':'
      const saved = this.flags;
      this.flags = flags;
      const body = this.groupBody(start);
      this.flags = saved;
      return body;
    }
    return this.groupBody(start);
  }

  private groupBody(start: number): PNode {
    if (++this.depth > MAX_GROUP_DEPTH) throw this.error(`groups nested deeper than ${MAX_GROUP_DEPTH}`, start, '(');
    const saved = { ...this.flags };
    const body = this.parseAlt();
    this.flags = saved;
    if (this.peek() !== ')') throw this.error("unclosed group '('", start, '(');
    this.pos++;
    this.depth--;
    return body;
  }

  // ---- escapes -------------------------------------------------------------------------------

  private parseEscapeAtom(): PNode {
    const start = this.pos;
    const c = this.peek(1);
    if (c === '') throw this.error('trailing backslash', start, '\\');
    switch (c) {
      case 'A':
        this.pos += 2;
        return { k: 'anchor', start: true, pos: start, text: '\\A' };
      case 'z':
        this.pos += 2;
        return { k: 'anchor', start: false, pos: start, text: '\\z' };
      case '<':
      case '>':
        // ECMA (legacy syntax) and Python read these as the characters themselves.
        if (this.flavor === 'ecma') break;
        throw this.error(`word boundary assertion '\\${c}' is not supported`, start, `\\${c}`);
      case 'b':
      case 'B':
        throw this.error(`word boundary assertion '\\${c}' is not supported`, start, `\\${c}`);
      case 'Z':
      case 'G':
        throw this.error(`anchor '\\${c}' is not supported`, start, `\\${c}`);
    }
    const r = this.parseEscape(false);
    return { k: 'set', ranges: this.flags.i ? caseFold(r) : r };
  }

  /** An escape that stands for a set of code points (a class or one character). */
  private parseEscape(inClass: boolean): CpRanges {
    const start = this.pos;
    this.pos++; // backslash
    const c = this.peek();
    this.pos++;
    const one = (cp: number): CpRanges => [[cp, cp]];
    switch (c) {
      case 'n':
        return one(0x0a);
      case 't':
        return one(0x09);
      case 'r':
        return one(0x0d);
      case 'f':
        return one(0x0c);
      case 'v':
        return one(0x0b);
      case 'a':
        if (this.flavor === 'rust') return one(0x07);
        break;
      case 'b':
        if (inClass && this.flavor === 'ecma') return one(0x08);
        throw this.error(`'\\b' inside a class is not supported`, start, '\\b');
      case '0':
        if (/[0-9]/.test(this.peek())) throw this.error('octal escape is not supported', start, this.src.slice(start, this.pos + 1));
        return one(0);
      case 'x':
        return one(this.hexEscape(start, 'x', 2));
      case 'u':
        return one(this.hexEscape(start, 'u', 4));
      case 'U':
        if (this.flavor === 'rust') return one(this.hexEscape(start, 'U', 8));
        break;
      case 'c':
        if (this.flavor === 'ecma' && /[A-Za-z]/.test(this.peek())) {
          const l = this.peek().toUpperCase().charCodeAt(0);
          this.pos++;
          return one(l - 0x40);
        }
        break;
      case 'd':
      case 'w':
      case 's':
        return perlClass(c, this.flavor === 'rust');
      case 'D':
      case 'W':
      case 'S':
        return negate(perlClass(c.toLowerCase() as 'd' | 'w' | 's', this.flavor === 'rust'));
      case 'p':
      case 'P':
        return this.unicodeClass(start, c === 'P');
      case 'k':
        throw this.error("backreference '\\k' is not supported", start, '\\k');
    }
    if (/[1-9]/.test(c)) throw this.error(`backreference '\\${c}' is not supported`, start, `\\${c}`);
    if (c.length === 1 && c.charCodeAt(0) < 0x80 && !/[0-9A-Za-z]/.test(c)) return one(c.charCodeAt(0));
    const shown = this.src.slice(start, this.pos);
    throw this.error(`unrecognized escape '${shown}'`, start, shown);
  }

  private hexEscape(start: number, letter: string, width: number): number {
    let digits: string;
    if (this.peek() === '{' && (this.flavor === 'rust' || letter === 'u')) {
      const close = this.src.indexOf('}', this.pos);
      digits = close < 0 ? '' : this.src.slice(this.pos + 1, close);
      if (close < 0 || !HEX.test(digits) || digits.length > 8) throw this.error(`invalid escape '\\${letter}{…}'`, start, this.src.slice(start, close < 0 ? this.pos : close + 1));
      this.pos = close + 1;
    } else {
      digits = this.src.slice(this.pos, this.pos + width);
      if (digits.length !== width || !HEX.test(digits)) throw this.error(`invalid escape '\\${letter}' (expected ${width} hex digits)`, start, this.src.slice(start, this.pos + width));
      this.pos += width;
    }
    let cp = parseInt(digits, 16);
    // ECMA: a \uHHHH surrogate pair is one code point.
    if (letter === 'u' && cp >= 0xd800 && cp <= 0xdbff && /^\\u[dD][c-fC-F][0-9a-fA-F]{2}/.test(this.src.slice(this.pos, this.pos + 6))) {
      const low = parseInt(this.src.slice(this.pos + 2, this.pos + 6), 16);
      cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
      this.pos += 6;
    }
    if (cp > MAX_CP || (cp >= 0xd800 && cp <= 0xdfff)) throw this.error(`escape '${this.src.slice(start, this.pos)}' is not a Unicode scalar value`, start, this.src.slice(start, this.pos));
    return cp;
  }

  private unicodeClass(start: number, negated: boolean): CpRanges {
    let name: string;
    if (this.peek() === '{') {
      const close = this.src.indexOf('}', this.pos);
      if (close < 0) throw this.error("unclosed Unicode class '\\p{'", start, this.src.slice(start, this.pos + 1));
      name = this.src.slice(this.pos + 1, close);
      this.pos = close + 1;
    } else {
      if (this.flavor === 'ecma' || this.eof()) throw this.error("Unicode class needs braces '\\p{…}'", start, this.src.slice(start, this.pos));
      name = this.peek();
      this.pos++;
    }
    let neg = negated;
    if (name.startsWith('^')) {
      neg = !neg;
      name = name.slice(1);
    }
    const r = unicodeProperty(name);
    if (r === null) throw this.error(`unknown Unicode class '${name}'`, start, this.src.slice(start, this.pos));
    return neg ? negate(r) : r;
  }

  // ---- classes -------------------------------------------------------------------------------

  /** At '[': a bracketed class, folded when (?i), negation applied last. */
  private parseClass(): CpRanges {
    const start = this.pos;
    if (++this.depth > MAX_GROUP_DEPTH) throw this.error(`classes nested deeper than ${MAX_GROUP_DEPTH}`, start, '[');
    this.pos++;
    let negated = false;
    if (this.peek() === '^') {
      negated = true;
      this.pos++;
    }
    let set: CpRanges;
    if (this.flavor === 'ecma') {
      set = this.parseClassItems(start, true);
    } else {
      set = this.parseClassItems(start, true);
      for (;;) {
        const two = this.src.slice(this.pos, this.pos + 2);
        if (two !== '&&' && two !== '--' && two !== '~~') break;
        this.pos += 2;
        const rhs = this.parseClassItems(start, false);
        set = two === '&&' ? intersect(set, rhs) : two === '--' ? subtract(set, rhs) : symmetricDifference(set, rhs);
      }
    }
    if (this.peek() !== ']') throw this.error("unclosed character class '['", start, '[');
    this.pos++;
    this.depth--;
    if (this.flags.i) set = caseFold(set);
    return negated ? negate(set) : set;
  }

  /** Class items up to ']' (or a Rust set operator). `first`: a leading ']' is literal (Rust). */
  private parseClassItems(classStart: number, first: boolean): CpRanges {
    const acc: Array<[number, number]> = [];
    let atStart = first;
    for (;;) {
      if (this.flags.x && this.flavor === 'rust') this.skipClassSpace();
      if (this.eof()) throw this.error("unclosed character class '['", classStart, '[');
      const c = this.peek();
      if (c === ']') {
        if (!(atStart && this.flavor === 'rust')) break;
      }
      if (this.flavor === 'rust' && !atStart) {
        const two = this.src.slice(this.pos, this.pos + 2);
        if (two === '&&' || two === '--' || two === '~~') break;
      }
      atStart = false;
      const itemStart = this.pos;
      const lo = this.parseClassAtom();
      // Range?
      if (this.peek() === '-' && this.peek(1) !== ']' && this.peek(1) !== '' && !(this.flavor === 'rust' && this.peek(1) === '-')) {
        const dashPos = this.pos;
        this.pos++;
        if (this.flags.x && this.flavor === 'rust') this.skipClassSpace();
        const hi = this.parseClassAtom();
        const loCp = single(lo);
        const hiCp = single(hi);
        if (loCp === null || hiCp === null) {
          if (this.flavor === 'ecma') {
            acc.push(...lo, [0x2d, 0x2d], ...hi);
            continue;
          }
          throw this.error('a class range endpoint must be a single character', itemStart, this.src.slice(itemStart, this.pos));
        }
        if (loCp > hiCp) throw this.error(`invalid class range '${this.src.slice(itemStart, this.pos)}' (start > end)`, dashPos, this.src.slice(itemStart, this.pos));
        acc.push([loCp, hiCp]);
        continue;
      }
      acc.push(...lo);
    }
    return normalizeRanges(acc);
  }

  private skipClassSpace(): void {
    while (/[ \t\n\r\f\v]/.test(this.peek()) && this.peek() !== '') this.pos++;
  }

  /** One class item: a character, an escape, or (Rust) a POSIX class or a nested class. */
  private parseClassAtom(): CpRanges {
    const start = this.pos;
    const c = this.peek();
    if (c === '[' && this.flavor === 'ecma') {
      this.pos++;
      return [[0x5b, 0x5b]];
    }
    if (c === '[') {
      const posix = /^\[:(\^?)([a-z]+):\]/.exec(this.src.slice(this.pos, this.pos + 16));
      if (posix !== null) {
        const r = posixClass(posix[2]!);
        if (r === null) throw this.error(`unknown POSIX class '[:${posix[2]}:]'`, start, posix[0]);
        this.pos += posix[0].length;
        return posix[1] === '^' ? negate(r) : r;
      }
      return this.parseClass();
    }
    if (c === '\\') return this.parseEscape(true);
    const cp = this.src.codePointAt(this.pos)!;
    this.pos += cp > 0xffff ? 2 : 1;
    return [[cp, cp]];
  }
}

function single(r: CpRanges): number | null {
  return r.length === 1 && r[0]![0] === r[0]![1] ? r[0]![0] : null;
}

