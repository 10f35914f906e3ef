/**
 * TypeScript type annotations, as written, into the domain's types (type.ts): primitives, literal
 * types, `T[]`, `readonly T[]`, `Array<T>`, `ReadonlyArray<T>`, tuples, unions, object type
 * literals (fields, optional and readonly fields, method signatures, an index signature alone),
 * `Record<K, V>`, type predicates (`x is T` is `boolean`) and named types with arguments. Function
 * types, intersections, conditional, mapped, indexed and `keyof`/`typeof` types become opaque
 * (equal only to the same text); so does anything that does not parse.
 */
import { named, opaque, prim, unionOf, type FieldTy, type ParamTy, type SigTy, type Ty } from './type.ts';

const TS_PRIMS = new Set(['string', 'number', 'boolean', 'bigint', 'symbol', 'null', 'undefined', 'void', 'never', 'unknown', 'any', 'object']);

interface Tok {
  t: 'id' | 'str' | 'num' | 'tpl' | 'p';
  v: string;
  start: number;
  end: number;
}

class Fail extends Error {}

const PUNCT3 = ['...'];
const PUNCT2 = ['=>', '?.'];

function tokenize(text: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) { i++; continue; }
    const start = i;
    if (/[\p{L}_$]/u.test(c)) {
      i++;
      while (i < text.length && /[\p{L}\p{N}_$]/u.test(text[i]!)) i++;
      out.push({ t: 'id', v: text.slice(start, i), start, end: i });
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
      const m = /^(0[xXbBoO][0-9a-fA-F_]+|[0-9_]*\.?[0-9_]+(?:[eE][+-]?[0-9]+)?n?)/.exec(text.slice(i));
      i += m ? m[0].length : 1;
      out.push({ t: 'num', v: text.slice(start, i), start, end: i });
    } else if (c === '"' || c === "'") {
      i++;
      while (i < text.length && text[i] !== c) i += text[i] === '\\' ? 2 : 1;
      if (i >= text.length) throw new Fail('unterminated string');
      i++;
      out.push({ t: 'str', v: text.slice(start, i), start, end: i });
    } else if (c === '`') {
      i++;
      while (i < text.length && text[i] !== '`') i += text[i] === '\\' ? 2 : 1;
      if (i >= text.length) throw new Fail('unterminated template');
      i++;
      out.push({ t: 'tpl', v: text.slice(start, i), start, end: i });
    } else {
      const three = text.slice(i, i + 3);
      const two = text.slice(i, i + 2);
      const v = PUNCT3.includes(three) ? three : PUNCT2.includes(two) ? two : c;
      i += v.length;
      out.push({ t: 'p', v, start, end: i });
    }
  }
  return out;
}

/** The value of a string literal's text (JavaScript escapes). */
export function stringLiteralValue(text: string): string | undefined {
  const q = text[0];
  if ((q !== '"' && q !== "'") || text[text.length - 1] !== q) return undefined;
  let out = '';
  for (let i = 1; i < text.length - 1; i++) {
    const c = text[i]!;
    if (c !== '\\') { out += c; continue; }
    const n = text[++i];
    if (n === undefined) return undefined;
    const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', v: '\v', 0: '\0' };
    if (n in simple) out += simple[n];
    else if (n === 'x') { out += String.fromCharCode(parseInt(text.slice(i + 1, i + 3), 16)); i += 2; }
    else if (n === 'u' && text[i + 1] === '{') { const e = text.indexOf('}', i); out += String.fromCodePoint(parseInt(text.slice(i + 2, e), 16)); i = e; }
    else if (n === 'u') { out += String.fromCharCode(parseInt(text.slice(i + 1, i + 5), 16)); i += 4; }
    else out += n;
  }
  return out;
}

/** Canonical text of a numeric literal type (`1.50` → `1.5`); undefined for bigint and odd forms. */
function numberText(v: string, negative: boolean): string | undefined {
  if (/n$/.test(v)) return undefined;
  const n = Number(v.replace(/_/g, ''));
  if (!Number.isFinite(n)) return undefined;
  return String(negative ? -n : n);
}

class Parser {
  private i = 0;
  constructor(private readonly text: string, private readonly toks: Tok[]) {}

  private peek(k = 0): Tok | undefined { return this.toks[this.i + k]; }
  private is(v: string, k = 0): boolean { const t = this.peek(k); return t !== undefined && (t.t === 'p' || t.t === 'id') && t.v === v; }
  private eat(v: string): boolean { if (this.is(v)) { this.i++; return true; } return false; }
  private expect(v: string): void { if (!this.eat(v)) throw new Fail(`expected ${v}`); }
  private startOf(): number { return this.peek()?.start ?? this.text.length; }
  private endOfPrev(): number { return this.toks[this.i - 1]?.end ?? 0; }
  private span(start: number): Ty { return opaque(this.text.slice(start, this.endOfPrev())); }
  atEnd(): boolean { return this.i >= this.toks.length; }

  /** Index of the token closing the bracket at token index `at`. */
  private matching(at: number): number {
    const open = this.toks[at]!.v;
    const close = ({ '(': ')', '[': ']', '{': '}', '<': '>' } as Record<string, string>)[open]!;
    let depth = 0;
    for (let j = at; j < this.toks.length; j++) {
      const t = this.toks[j]!;
      if (t.t !== 'p') continue;
      if (t.v === open) depth++;
      else if (t.v === close && --depth === 0) return j;
    }
    throw new Fail('unbalanced');
  }

  type(): Ty {
    const start = this.startOf();
    const t = this.union();
    if (this.is('extends')) {
      // A conditional type: skip it whole.
      this.i++;
      this.union();
      this.expect('?');
      this.type();
      this.expect(':');
      this.type();
      return this.span(start);
    }
    return t;
  }

  private union(): Ty {
    this.eat('|');
    const members = [this.intersection()];
    while (this.eat('|')) members.push(this.intersection());
    return members.length === 1 ? members[0]! : unionOf(members, 'typescript');
  }

  private intersection(): Ty {
    const start = this.startOf();
    this.eat('&');
    const first = this.operator();
    if (!this.is('&')) return first;
    while (this.eat('&')) this.operator();
    return this.span(start);
  }

  private operator(): Ty {
    const start = this.startOf();
    if (this.is('keyof') || this.is('unique') || this.is('infer')) {
      this.i++;
      this.operator();
      return this.span(start);
    }
    if (this.is('typeof')) {
      this.i++;
      this.dotted();
      if (this.is('<')) this.typeArgs();
      this.postfixOn(opaque(''));
      return this.span(start);
    }
    const next = this.peek(1);
    if (this.is('readonly') && next && !(next.t === 'p' && /^[,)\]};|&>=]$/.test(next.v))) {
      this.i++;
      const t = this.operator();
      if (t.kind === 'array' || t.kind === 'tuple') return { ...t, readonly: true };
      return this.span(start);
    }
    return this.postfixOn(this.primary());
  }

  private postfixOn(t: Ty): Ty {
    const start = this.startOf();
    let out = t;
    while (this.is('[')) {
      if (this.is(']', 1)) {
        this.i += 2;
        out = { kind: 'array', elem: out, readonly: false };
      } else {
        this.i++;
        this.type();
        this.expect(']');
        out = opaque(this.text.slice(start, this.endOfPrev()));
      }
    }
    return out;
  }

  private dotted(): string {
    const t = this.peek();
    if (!t || t.t !== 'id') throw new Fail('expected a name');
    this.i++;
    let name = t.v;
    while (this.is('.') && this.peek(1)?.t === 'id') {
      name += `.${this.peek(1)!.v}`;
      this.i += 2;
    }
    return name;
  }

  private typeArgs(): Ty[] {
    this.expect('<');
    const args: Ty[] = [];
    if (!this.is('>')) {
      args.push(this.type());
      while (this.eat(',')) {
        if (this.is('>')) break;
        args.push(this.type());
      }
    }
    this.expect('>');
    return args;
  }

  private primary(): Ty {
    const tok = this.peek();
    if (!tok) throw new Fail('expected a type');
    const start = tok.start;
    if (tok.t === 'str') {
      this.i++;
      const v = stringLiteralValue(tok.v);
      if (v === undefined) throw new Fail('bad string');
      return { kind: 'literal', base: 'string', text: JSON.stringify(v) };
    }
    if (tok.t === 'num') {
      this.i++;
      const txt = numberText(tok.v, false);
      return txt === undefined ? this.span(start) : { kind: 'literal', base: 'number', text: txt };
    }
    if (tok.t === 'tpl') { this.i++; return this.span(start); }
    if (tok.t === 'p') {
      switch (tok.v) {
        case '-': {
          const n = this.peek(1);
          if (n?.t !== 'num') throw new Fail('expected a number');
          this.i += 2;
          const txt = numberText(n.v, true);
          return txt === undefined ? this.span(start) : { kind: 'literal', base: 'number', text: txt };
        }
        case '(': {
          const close = this.matching(this.i);
          if (this.toks[close + 1]?.v === '=>') {
            this.i = close + 2;
            this.type();
            return this.span(start);
          }
          this.i++;
          const t = this.type();
          this.expect(')');
          return t;
        }
        case '<': {
          this.i = this.matching(this.i) + 1;
          if (!this.is('(')) throw new Fail('expected (');
          this.i = this.matching(this.i) + 1;
          this.expect('=>');
          this.type();
          return this.span(start);
        }
        case '{': return this.objectType();
        case '[': return this.tuple();
        default: throw new Fail(`unexpected ${tok.v}`);
      }
    }
    // identifiers
    if (tok.v === 'true' || tok.v === 'false') { this.i++; return { kind: 'literal', base: 'boolean', text: tok.v }; }
    if ((tok.v === 'new' || tok.v === 'abstract') && (this.is('(', 1) || this.is('<', 1) || this.is('new', 1))) {
      this.i++;
      if (this.is('new')) this.i++;
      if (this.is('<')) this.i = this.matching(this.i) + 1;
      if (!this.is('(')) throw new Fail('expected (');
      this.i = this.matching(this.i) + 1;
      this.expect('=>');
      this.type();
      return this.span(start);
    }
    if (tok.v === 'asserts' && this.peek(1)?.t === 'id') {
      this.i += 2;
      if (this.eat('is')) this.type();
      return this.span(start);
    }
    if (this.peek(1)?.t === 'id' && this.peek(1)!.v === 'is' && this.peek(2)) {
      // `x is T`: a type predicate, a boolean to its callers.
      this.i += 2;
      this.type();
      return prim('boolean');
    }
    if (tok.v === 'this') { this.i++; return this.span(start); }
    const name = this.dotted();
    const args = this.is('<') ? this.typeArgs() : [];
    return this.namedType(name, args, start);
  }

  private namedType(name: string, args: Ty[], start: number): Ty {
    if (args.length === 0 && TS_PRIMS.has(name)) return prim(name);
    if (name === 'Array' && args.length === 1) return { kind: 'array', elem: args[0]!, readonly: false };
    if (name === 'ReadonlyArray' && args.length === 1) return { kind: 'array', elem: args[0]!, readonly: true };
    if (name === 'Record' && args.length === 2) {
      const [k, v] = args as [Ty, Ty];
      const keys = k.kind === 'union' ? k.members : [k];
      if (keys.every((m) => m.kind === 'literal' && m.base === 'string')) {
        return { kind: 'object', methods: [], fields: keys.map((m) => ({ name: JSON.parse((m as { text: string }).text) as string, type: v, optional: false, readonly: false })) };
      }
      if (k.kind === 'prim' && (k.name === 'string' || k.name === 'number')) return { kind: 'map', key: k, value: v, readonly: false };
      return this.span(start);
    }
    if (/^(Partial|Required|Readonly|Pick|Omit|Exclude|Extract|NonNullable|ReturnType|Parameters|InstanceType|Awaited|Uppercase|Lowercase|Capitalize|Uncapitalize|ThisType|ConstructorParameters)$/.test(name)) {
      return this.span(start);
    }
    return named(name, args);
  }

  private tuple(): Ty {
    const start = this.startOf();
    this.expect('[');
    const items: Ty[] = [];
    let plain = true;
    while (!this.is(']')) {
      if (this.eat('...')) plain = false;
      if (this.peek()?.t === 'id' && (this.is(':', 1) || (this.is('?', 1) && this.is(':', 2)))) {
        this.i++;
        if (this.eat('?')) plain = false;
        this.expect(':');
      }
      items.push(this.type());
      if (this.eat('?')) plain = false;
      if (!this.eat(',')) break;
    }
    this.expect(']');
    return plain ? { kind: 'tuple', items, readonly: false } : this.span(start);
  }

  private memberName(): string | undefined {
    const t = this.peek();
    if (!t) return undefined;
    if (t.t === 'id') { this.i++; return t.v; }
    if (t.t === 'str') { this.i++; return stringLiteralValue(t.v); }
    if (t.t === 'num') { this.i++; return String(Number(t.v)); }
    if (t.t === 'p' && t.v === '#' && this.peek(1)?.t === 'id') { this.i += 2; return undefined; }
    return undefined;
  }

  private objectType(): Ty {
    const start = this.startOf();
    this.expect('{');
    const fields: FieldTy[] = [];
    const methods: SigTy[] = [];
    let index: { key: Ty; value: Ty; readonly: boolean } | undefined;
    let opaqueMember = false;
    while (!this.is('}')) {
      if (this.atEnd()) throw new Fail('unterminated object type');
      let readonly = false;
      if (this.is('+') || this.is('-')) { this.skipMember(); opaqueMember = true; continue; }
      if (this.is('readonly') && !this.is(':', 1) && !this.is('?', 1) && !this.is('(', 1)) { this.i++; readonly = true; }
      if (this.is('[')) {
        if (this.peek(1)?.t === 'id' && this.is(':', 2)) {
          this.i += 3;
          const key = this.type();
          this.expect(']');
          this.expect(':');
          const value = this.type();
          index = { key, value, readonly };
        } else {
          this.skipMember();
          opaqueMember = true;
        }
        this.eat(';') || this.eat(',');
        continue;
      }
      if (this.is('(') || this.is('<') || (this.is('new') && (this.is('(', 1) || this.is('<', 1)))) { this.skipMember(); opaqueMember = true; continue; }
      if ((this.is('get') || this.is('set')) && this.peek(1) && !this.is(':', 1) && !this.is('(', 1) && !this.is('?', 1) && !this.is(';', 1)) {
        const isGet = this.is('get');
        this.i++;
        const name = this.memberName();
        const sig = this.signatureRest(name ?? '');
        if (isGet && name !== undefined && sig.ret) fields.push({ name, type: sig.ret, optional: false, readonly: true });
        this.eat(';') || this.eat(',');
        continue;
      }
      const name = this.memberName();
      if (name === undefined) { this.skipMember(); opaqueMember = true; continue; }
      const optional = this.eat('?');
      if (this.is('(') || this.is('<')) {
        const sig = this.signatureRest(name);
        if (optional) opaqueMember = true;
        else methods.push(sig);
      } else if (this.eat(':')) {
        const fieldStart = this.i;
        let type: Ty;
        try {
          type = this.type();
        } catch (e) {
          if (!(e instanceof Fail)) throw e;
          this.i = fieldStart;
          this.skipMember();
          type = opaque(this.text.slice(this.toks[fieldStart]?.start ?? 0, this.endOfPrev()).replace(/[;,]\s*$/, ''));
          fields.push({ name, type, optional, readonly });
          continue;
        }
        fields.push({ name, type, optional, readonly });
      } else {
        fields.push({ name, type: prim('any'), optional, readonly });
      }
      this.eat(';') || this.eat(',');
    }
    this.expect('}');
    if (index && (fields.length > 0 || methods.length > 0)) return this.span(start);
    if (index) {
      const k = index.key;
      if (k.kind === 'prim' && (k.name === 'string' || k.name === 'number')) return { kind: 'map', key: k, value: index.value, readonly: index.readonly };
      return this.span(start);
    }
    if (opaqueMember) return this.span(start);
    return { kind: 'object', fields, methods };
  }

  /** Skips to the end of the current member (`;`, `,` at depth 0, or before the closing `}`). */
  private skipMember(): void {
    while (!this.atEnd()) {
      if (this.is('}')) return;
      if (this.is(';') || this.is(',')) { this.i++; return; }
      if (this.is('(') || this.is('[') || this.is('{')) { this.i = this.matching(this.i) + 1; continue; }
      if (this.is('<')) {
        try { this.i = this.matching(this.i) + 1; } catch { this.i++; }
        continue;
      }
      this.i++;
    }
  }

  /** After a method's name: `<T>(params): R`. */
  signatureRest(name: string): SigTy {
    const typeParams: string[] = [];
    if (this.is('<')) {
      const close = this.matching(this.i);
      let depth = 0;
      let expectName = true;
      for (let j = this.i + 1; j < close; j++) {
        const t = this.toks[j]!;
        if (t.t === 'p' && (t.v === '<' || t.v === '(' || t.v === '[' || t.v === '{')) depth++;
        else if (t.t === 'p' && (t.v === '>' || t.v === ')' || t.v === ']' || t.v === '}')) depth--;
        else if (depth === 0 && t.t === 'p' && t.v === ',') expectName = true;
        else if (depth === 0 && expectName && t.t === 'id' && t.v !== 'const' && t.v !== 'in' && t.v !== 'out') { typeParams.push(t.v); expectName = false; }
      }
      this.i = close + 1;
    }
    const params = this.params();
    let ret: Ty | undefined;
    if (this.eat(':')) ret = this.type();
    return { name, params, ret, typeParams, async: false };
  }

  params(): ParamTy[] {
    this.expect('(');
    const out: ParamTy[] = [];
    while (!this.is(')')) {
      if (this.atEnd()) throw new Fail('unterminated parameters');
      const rest = this.eat('...');
      while (/^(public|private|protected|readonly|override)$/.test(this.peek()?.v ?? '') && this.peek(1)?.t === 'id') this.i++;
      let name: string;
      if (this.is('{') || this.is('[')) {
        const s = this.startOf();
        this.i = this.matching(this.i) + 1;
        name = this.text.slice(s, this.endOfPrev());
      } else {
        const t = this.peek();
        if (!t || t.t !== 'id') throw new Fail('expected a parameter name');
        this.i++;
        name = t.v;
      }
      const optional = this.eat('?');
      let type: Ty | undefined;
      if (this.eat(':')) type = this.type();
      let hasDefault = false;
      if (this.eat('=')) {
        hasDefault = true;
        let depth = 0;
        while (!this.atEnd()) {
          if (depth === 0 && (this.is(',') || this.is(')'))) break;
          if (this.is('(') || this.is('[') || this.is('{')) depth++;
          else if (this.is(')') || this.is(']') || this.is('}')) depth--;
          this.i++;
        }
      }
      if (name !== 'this') {
        if (rest) {
          const elem = type === undefined ? undefined : type.kind === 'array' ? type.elem : undefined;
          out.push({ name, type: elem, optional: true, rest: elem ? 'args' : 'unknown', keywordOnly: false });
        } else {
          out.push({ name, type, optional: optional || hasDefault, rest: 'none', keywordOnly: false });
        }
      }
      if (!this.eat(',')) break;
    }
    this.expect(')');
    return out;
  }
}

/** A TypeScript type annotation (without the leading `:`); opaque when it does not parse. */
export function parseTsType(text: string): Ty {
  const src = text.trim().replace(/^:\s*/, '');
  try {
    const p = new Parser(src, tokenize(src));
    const t = p.type();
    if (!p.atEnd()) return opaque(src);
    return t;
  } catch (e) {
    if (e instanceof Fail) return opaque(src);
    throw e;
  }
}

/** A parameter list written in TypeScript (`(a: string, b?: number, ...rest: T[])`); undefined when it does not parse. */
export function parseTsParams(text: string): ParamTy[] | undefined {
  try {
    const p = new Parser(text, tokenize(text));
    const ps = p.params();
    return p.atEnd() ? ps : undefined;
  } catch (e) {
    if (e instanceof Fail) return undefined;
    throw e;
  }
}

