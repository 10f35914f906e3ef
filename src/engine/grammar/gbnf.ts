import { EngineError, type SourcePosition } from '../errors.ts';
import { withLimits, type Limits } from '../limits.ts';
import type { Regex } from '../regex/ast.ts';
import { MAX_CP, normalizeRanges, subtract } from '../regex/unicode.ts';
import { GrammarBuilder, lexSym, ruleSym } from './builder.ts';
import type { Grammar, Sym } from './ir.ts';

/**
 * llama.cpp GBNF → Grammar IR.
 *
 * GBNF has no lexer: it is a context-free grammar over characters. We make every string literal
 * and every character class (and `.`) its own lexeme, with no `%ignore`. Each such lexeme matches
 * strings of one fixed length, so lexing never has to guess where a lexeme ends except between a
 * literal and a longer literal it prefixes. The cost is speed: `[a-z]+` is parsed one character
 * (one Earley step) at a time, where a Lark terminal `/[a-z]+/` is one lexeme. Translate hot
 * grammars to the Lark dialect with UPPERCASE terminals for speed.
 */
export function parseGbnf(text: string, opts?: { limits?: Partial<Limits> }): Grammar {
  return new GbnfParser(text, withLimits(opts?.limits)).parse();
}

type Tok =
  | { t: 'name'; v: string; pos: SourcePosition }
  | { t: 'def'; pos: SourcePosition }
  | { t: 'string'; v: string; pos: SourcePosition }
  | { t: 'class'; ranges: [number, number][]; src: string; pos: SourcePosition }
  | { t: 'punct'; v: string; pos: SourcePosition }
  | { t: 'number'; v: number; pos: SourcePosition }
  | { t: 'eof'; pos: SourcePosition };

/** Every Unicode scalar value (surrogates excluded: they cannot be encoded in UTF-8). */
const ANY: [number, number][] = [
  [0, 0xd7ff],
  [0xe000, MAX_CP],
];

function fail(msg: string, pos: SourcePosition): never {
  throw new EngineError('GRAMMAR', msg, pos);
}

function tokenize(text: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const posAt = (k: number): SourcePosition => ({ line, column: k - lineStart + 1 });
  const n = text.length;

  // One character (code point) of a literal or class, with GBNF's escapes.
  const readChar = (): number => {
    const c = text[i]!;
    if (c !== '\\') {
      const cp = text.codePointAt(i)!;
      i += cp > 0xffff ? 2 : 1;
      return cp;
    }
    const at = posAt(i);
    const e = text[i + 1];
    i += 2;
    const hex = (len: number): number => {
      const h = text.slice(i, i + len);
      if (h.length !== len || !/^[0-9a-fA-F]+$/.test(h)) fail(`\\${e} must be followed by ${len} hex digits`, at);
      i += len;
      const v = parseInt(h, 16);
      if (v > MAX_CP) fail(`escape \\${e}${h} is beyond U+10FFFF`, at);
      return v;
    };
    switch (e) {
      case 'x': return hex(2);
      case 'u': return hex(4);
      case 'U': return hex(8);
      case 'n': return 10;
      case 'r': return 13;
      case 't': return 9;
      case '\\': return 92;
      case '"': return 34;
      case '[': return 91;
      case ']': return 93;
      case '-': return 45;
      case '^': return 94;
      case '/': return 47;
      default:
        return fail(`unknown escape \\${e ?? ''}`, at);
    }
  };

  while (i < n) {
    const c = text[i]!;
    if (c === '\n') {
      i++;
      line++;
      lineStart = i;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    const pos = posAt(i);
    if (text.startsWith('::=', i)) {
      out.push({ t: 'def', pos });
      i += 3;
      continue;
    }
    if (/[A-Za-z0-9_-]/.test(c) && !(/[0-9]/.test(c) && out[out.length - 1]?.t === 'punct' && /[{,]/.test((out[out.length - 1] as { v: string }).v))) {
      let j = i;
      while (j < n && /[A-Za-z0-9_-]/.test(text[j]!)) j++;
      out.push({ t: 'name', v: text.slice(i, j), pos });
      i = j;
      continue;
    }
    if (/[0-9]/.test(c)) {
      let j = i;
      while (j < n && /[0-9]/.test(text[j]!)) j++;
      out.push({ t: 'number', v: Number(text.slice(i, j)), pos });
      i = j;
      continue;
    }
    if (c === '"') {
      i++;
      let v = '';
      for (;;) {
        if (i >= n || text[i] === '\n') fail('unterminated string literal', pos);
        if (text[i] === '"') break;
        v += String.fromCodePoint(readChar());
      }
      i++;
      out.push({ t: 'string', v, pos });
      continue;
    }
    if (c === '[') {
      const start = i;
      i++;
      let negated = false;
      if (text[i] === '^') {
        negated = true;
        i++;
      }
      const ranges: [number, number][] = [];
      for (;;) {
        if (i >= n || text[i] === '\n') fail('unterminated character class', pos);
        if (text[i] === ']') break;
        const lo = readChar();
        let hi = lo;
        if (text[i] === '-' && text[i + 1] !== ']' && i + 1 < n) {
          i++;
          hi = readChar();
          if (hi < lo) fail('character class range is reversed', pos);
        }
        ranges.push([lo, hi]);
      }
      i++;
      let merged = normalizeRanges(ranges);
      if (negated) merged = subtract(ANY, merged);
      out.push({ t: 'class', ranges: merged, src: text.slice(start, i), pos });
      continue;
    }
    if ('|()*+?{},.'.includes(c)) {
      out.push({ t: 'punct', v: c, pos });
      i++;
      continue;
    }
    fail(`unexpected character ${JSON.stringify(c)}`, pos);
  }
  out.push({ t: 'eof', pos: posAt(i) });
  return out;
}


class GbnfParser {
  private readonly toks: Tok[];
  private i = 0;
  private depth = 0;
  private readonly b: GrammarBuilder;
  private readonly rules = new Map<string, { id: number; defined: boolean; firstUse: SourcePosition }>();
  private current = '';

  constructor(
    text: string,
    private readonly limits: Limits,
  ) {
    this.toks = tokenize(text);
    this.b = new GrammarBuilder(limits);
  }

  private peek(k = 0): Tok {
    return this.toks[Math.min(this.i + k, this.toks.length - 1)]!;
  }

  private next(): Tok {
    const t = this.toks[this.i]!;
    if (t.t !== 'eof') this.i++;
    return t;
  }

  private ruleId(name: string, pos: SourcePosition): number {
    let r = this.rules.get(name);
    if (!r) {
      r = { id: this.b.newRule(name, pos), defined: false, firstUse: pos };
      this.rules.set(name, r);
    }
    return r.id;
  }

  parse(): Grammar {
    while (this.peek().t !== 'eof') {
      const nameTok = this.next();
      if (nameTok.t !== 'name') fail(`expected a rule definition (name ::= …), found ${this.describe(nameTok)}`, nameTok.pos);
      const def = this.next();
      if (def.t !== 'def') fail(`expected '::=' after '${nameTok.v}', found ${this.describe(def)}`, def.pos);
      const id = this.ruleId(nameTok.v, nameTok.pos);
      const entry = this.rules.get(nameTok.v)!;
      if (entry.defined) fail(`rule '${nameTok.v}' is defined twice`, nameTok.pos);
      entry.defined = true;
      this.b.setRulePosition(id, nameTok.pos);
      this.current = nameTok.v;
      for (const alt of this.alternatives()) this.at(nameTok.pos, () => this.b.addAlternative(id, alt));
    }
    for (const [name, r] of this.rules) {
      if (!r.defined) fail(`undefined rule '${name}'`, r.firstUse);
    }
    const root = this.rules.get('root');
    if (!root) fail("the grammar has no 'root' rule (GBNF starts at root ::= …)", { line: 1, column: 1 });
    return this.at({ line: 1, column: 1 }, () => this.b.build(root.id));
  }

  private at<T>(pos: SourcePosition, f: () => T): T {
    try {
      return f();
    } catch (e) {
      if (e instanceof EngineError && !e.position) throw new EngineError(e.code, e.message, pos);
      throw e;
    }
  }

  private describe(t: Tok): string {
    switch (t.t) {
      case 'eof': return 'end of input';
      case 'def': return "'::='";
      case 'string': return `string ${JSON.stringify(t.v)}`;
      case 'class': return `character class ${t.src}`;
      case 'number': return `number ${t.v}`;
      default: return `'${t.v}'`;
    }
  }

  private atSequenceEnd(): boolean {
    const t = this.peek();
    if (t.t === 'eof') return true;
    if (t.t === 'punct' && (t.v === '|' || t.v === ')')) return true;
    // The next rule starts at `name ::=`.
    return t.t === 'name' && this.peek(1).t === 'def';
  }

  private alternatives(): Sym[][] {
    const alts: Sym[][] = [this.sequence()];
    while (this.peek().t === 'punct' && (this.peek() as { v: string }).v === '|') {
      this.next();
      alts.push(this.sequence());
    }
    return alts;
  }

  private sequence(): Sym[] {
    const out: Sym[] = [];
    while (!this.atSequenceEnd()) out.push(...this.postfix());
    return out;
  }

  private postfix(): Sym[] {
    const atomPos = this.peek().pos;
    const items = this.atom();
    const t = this.peek();
    if (t.t !== 'punct' || !'*+?{'.includes(t.v)) return items;
    this.next();
    const single = this.at(atomPos, () => this.b.seq(`${this.current}_group`, items));
    let min: number;
    let max: number;
    if (t.v === '*') [min, max] = [0, Infinity];
    else if (t.v === '+') [min, max] = [1, Infinity];
    else if (t.v === '?') [min, max] = [0, 1];
    else {
      min = 0;
      const a = this.peek();
      if (a.t === 'number') {
        min = a.v;
        this.next();
      }
      max = min;
      const c = this.peek();
      if (c.t === 'punct' && c.v === ',') {
        this.next();
        const d = this.peek();
        if (d.t === 'number') {
          max = d.v;
          this.next();
        } else max = Infinity;
      } else if (a.t !== 'number') fail("expected a count in { }", a.pos);
      const close = this.next();
      if (close.t !== 'punct' || close.v !== '}') fail(`expected '}' to close the repetition, found ${this.describe(close)}`, close.pos);
      if (max < min) fail(`repetition bounds are reversed ({${min},${max}})`, t.pos);
    }
    return [this.at(t.pos, () => this.b.repeat(single, min, max))];
  }

  private atom(): Sym[] {
    const t = this.next();
    switch (t.t) {
      case 'string':
        if (t.v === '') return [];
        return [this.at(t.pos, () => this.b.literal(t.v))];
      case 'class':
        if (t.ranges.length === 0) fail(`character class ${t.src} matches nothing`, t.pos);
        return [lexSym(this.at(t.pos, () => this.b.lexeme({ name: t.src, regex: { kind: 'chars', ranges: t.ranges } satisfies Regex })))];
      case 'name':
        return [ruleSym(this.ruleId(t.v, t.pos))];
      case 'punct':
        if (t.v === '.') return [lexSym(this.at(t.pos, () => this.b.lexeme({ name: '.', regex: { kind: 'chars', ranges: ANY } })))];
        if (t.v === '(') {
          if (this.depth >= this.limits.maxNesting) throw new EngineError('LIMIT', `grammar expression nested deeper than limits.maxNesting (${this.limits.maxNesting})`, t.pos);
          this.depth++;
          const alts = this.alternatives();
          this.depth--;
          const close = this.next();
          if (close.t !== 'punct' || close.v !== ')') fail(`expected ')' to close the group opened at line ${t.pos.line}, column ${t.pos.column}, found ${this.describe(close)}`, close.pos);
          if (alts.length === 1) return alts[0]!;
          return [this.at(t.pos, () => this.b.choice(`${this.current}_group`, alts))];
        }
        return fail(`unexpected ${this.describe(t)}`, t.pos);
      default:
        return fail(`unexpected ${this.describe(t)}`, t.pos);
    }
  }
}
