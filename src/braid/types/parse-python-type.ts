/**
 * Python annotations, as written, into the domain's types (type.ts): `int float complex str bytes
 * bool None object Any`, `list[T]`/`List[T]`, `dict[K, V]`/`Dict`, `tuple[A, B]`, `set[T]`,
 * `Optional[T]`, `Union[A, B]`, `A | B`, `Literal[…]`, `Sequence`/`Iterable`/`Collection`
 * (read-only, covariant lists), `Mapping`, `Final[T]`/`ClassVar[T]`/`Annotated[T, …]` (their `T`),
 * quoted forward references, and named classes with arguments. `typing.`, `t.`,
 * `typing_extensions.` and `collections.abc.` prefixes are dropped from the names they qualify.
 * `Callable`, `type[…]`, `tuple[T, ...]` and what does not parse are opaque.
 */
import { named, opaque, prim, unionOf, type Ty } from './type.ts';

const PY_PRIMS = new Set(['int', 'float', 'complex', 'str', 'bytes', 'bool', 'None', 'object', 'Any']);
const TYPING_PREFIX = /^(typing|t|typing_extensions|collections\.abc|builtins)\./;

interface Tok { t: 'id' | 'str' | 'num' | 'p'; v: string; start: number; end: number }
class Fail extends Error {}

function tokenize(text: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) { i++; continue; }
    const start = i;
    if (/[\p{L}_]/u.test(c)) {
      i++;
      while (i < text.length && /[\p{L}\p{N}_]/u.test(text[i]!)) i++;
      while (text[i] === '.' && /[\p{L}_]/u.test(text[i + 1] ?? '')) {
        i += 2;
        while (i < text.length && /[\p{L}\p{N}_]/u.test(text[i]!)) i++;
      }
      out.push({ t: 'id', v: text.slice(start, i), start, end: i });
    } else if (/[0-9-]/.test(c) && /[0-9]/.test(c === '-' ? text[i + 1] ?? '' : c)) {
      i++;
      while (i < text.length && /[0-9._eE]/.test(text[i]!)) i++;
      out.push({ t: 'num', v: text.slice(start, i), start, end: i });
    } else if (c === '"' || c === "'") {
      i++;
      while (i < text.length && text[i] !== c) i += text[i] === '\\' ? 2 : 1;
      if (i >= text.length) throw new Fail('unterminated string');
      i++;
      out.push({ t: 'str', v: text.slice(start, i), start, end: i });
    } else if (text.startsWith('...', i)) {
      i += 3;
      out.push({ t: 'p', v: '...', start, end: i });
    } else {
      i++;
      out.push({ t: 'p', v: c, start, end: i });
    }
  }
  return out;
}

/** The value of a simple Python string literal (no prefixes; common escapes). */
export function pyStringValue(text: string): string | undefined {
  const q = text[0];
  if ((q !== '"' && q !== "'") || text[text.length - 1] !== q || text.length < 2) return undefined;
  const body = text.slice(1, -1);
  if (!body.includes('\\')) return body;
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|.)/g, (_, e: string) => {
    if (e.length > 1) return String.fromCharCode(parseInt(e.slice(1), 16));
    return ({ n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', v: '\v', 0: '\0', a: '\x07' } as Record<string, string>)[e] ?? e;
  });
}

class Parser {
  private i = 0;
  constructor(private readonly text: string, private readonly toks: Tok[], private readonly depth: number) {}
  private peek(k = 0): Tok | undefined { return this.toks[this.i + k]; }
  private is(v: string): boolean { const t = this.peek(); return t !== undefined && t.t === 'p' && t.v === v; }
  private eat(v: string): boolean { if (this.is(v)) { this.i++; return true; } return false; }
  private expect(v: string): void { if (!this.eat(v)) throw new Fail(`expected ${v}`); }
  atEnd(): boolean { return this.i >= this.toks.length; }

  type(): Ty {
    const members = [this.primary()];
    while (this.eat('|')) members.push(this.primary());
    return members.length === 1 ? members[0]! : unionOf(members, 'python');
  }

  private args(): Ty[] {
    this.expect('[');
    const out: Ty[] = [];
    while (!this.is(']')) {
      if (this.atEnd()) throw new Fail('unterminated [');
      if (this.is('[')) {
        // Callable[[A, B], R]: a parameter list, only for opaque types.
        let depth = 0;
        do {
          if (this.is('[')) depth++;
          else if (this.is(']')) depth--;
          this.i++;
        } while (depth > 0 && !this.atEnd());
        out.push(opaque('[…]'));
      } else if (this.eat('...')) {
        out.push(opaque('...'));
      } else {
        out.push(this.type());
      }
      if (!this.eat(',')) break;
    }
    this.expect(']');
    return out;
  }

  private literalArg(): Ty {
    const t = this.peek();
    if (!t) throw new Fail('expected a literal');
    this.i++;
    if (t.t === 'str') {
      const v = pyStringValue(t.v);
      if (v === undefined) throw new Fail('bad string');
      return { kind: 'literal', base: 'string', text: JSON.stringify(v) };
    }
    if (t.t === 'num') return { kind: 'literal', base: 'number', text: String(Number(t.v.replace(/_/g, ''))) + (/[.eE]/.test(t.v) && Number.isInteger(Number(t.v)) ? '.0' : '') };
    if (t.t === 'id' && (t.v === 'True' || t.v === 'False')) return { kind: 'literal', base: 'boolean', text: t.v === 'True' ? 'true' : 'false' };
    if (t.t === 'id' && t.v === 'None') return prim('None');
    if (t.t === 'id' && t.v.includes('.')) {
      const dot = t.v.lastIndexOf('.');
      return { kind: 'literal', base: 'enum', text: t.v, enumName: t.v.slice(0, dot) };
    }
    throw new Fail('unsupported literal');
  }

  private primary(): Ty {
    const tok = this.peek();
    if (!tok) throw new Fail('expected a type');
    const start = tok.start;
    if (tok.t === 'str') {
      this.i++;
      const inner = pyStringValue(tok.v);
      if (inner === undefined || this.depth > 4) throw new Fail('bad forward reference');
      return parseAt(inner, this.depth + 1);
    }
    if (tok.t === 'p' && tok.v === '(') {
      this.i++;
      const t = this.type();
      this.expect(')');
      return t;
    }
    if (tok.t !== 'id') throw new Fail(`unexpected ${tok.v}`);
    this.i++;
    const name = tok.v.replace(TYPING_PREFIX, '');
    if (name === 'Literal' && this.is('[')) {
      this.i++;
      const lits = [this.literalArg()];
      while (this.eat(',')) if (!this.is(']')) lits.push(this.literalArg());
      this.expect(']');
      return unionOf(lits, 'python');
    }
    const args = this.is('[') ? this.args() : undefined;
    const span = (): Ty => opaque(this.text.slice(start, this.toks[this.i - 1]!.end));
    const one = (): Ty => { if (!args || args.length !== 1) throw new Fail(`${name} takes one argument`); return args[0]!; };
    if (!args) {
      if (PY_PRIMS.has(name)) return prim(name);
      if (/^(list|List|dict|Dict|set|Set|tuple|Tuple|Sequence|Iterable|Mapping|Optional|Union|Callable|type|Type|frozenset|FrozenSet)$/.test(name)) return opaque(name);
      return named(name);
    }
    if (args.some((a) => a.kind === 'opaque' && (a.text === '...' || a.text === '[…]'))) {
      return span();
    }
    switch (name) {
      case 'Optional': return unionOf([one(), prim('None')], 'python');
      case 'Union': return unionOf(args, 'python');
      case 'list': case 'List': return { kind: 'array', elem: one(), readonly: false };
      case 'Sequence': case 'Iterable': case 'Collection': case 'Reversible':
        return { kind: 'array', elem: one(), readonly: true };
      case 'dict': case 'Dict': case 'Mapping': {
        if (args.length !== 2) throw new Fail('dict takes two arguments');
        return { kind: 'map', key: args[0]!, value: args[1]!, readonly: name === 'Mapping' };
      }
      case 'tuple': case 'Tuple': return { kind: 'tuple', items: args, readonly: true };
      case 'set': case 'Set': return named('set', [one()]);
      case 'frozenset': case 'FrozenSet': return named('frozenset', [one()]);
      case 'Final': case 'ClassVar': case 'Required': case 'NotRequired': case 'ReadOnly': return one();
      case 'Annotated': if (args.length < 1) throw new Fail('Annotated needs a type'); return args[0]!;
      case 'Callable': case 'type': case 'Type': case 'TypeGuard': case 'TypeIs': return span();
      default: return named(name, args);
    }
  }
}

function parseAt(text: string, depth: number): Ty {
  const p = new Parser(text, tokenize(text), depth);
  const t = p.type();
  if (!p.atEnd()) throw new Fail('trailing text');
  return t;
}

/** A Python annotation (without the leading `:` or `->`); opaque when it does not parse. */
export function parsePythonType(text: string): Ty {
  const src = text.trim().replace(/^(:|->)\s*/, '');
  try {
    return parseAt(src, 0);
  } catch (e) {
    if (e instanceof Fail) return opaque(src);
    throw e;
  }
}
