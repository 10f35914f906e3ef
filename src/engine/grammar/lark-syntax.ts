import { EngineError, type SourcePosition } from '../errors.ts';
import { tokenizeLark, type LarkToken } from './lark-lexer.ts';

/**
 * The Lark dialect's syntax tree, and the parser from tokens to it. Meaning (rules vs terminals,
 * what is allowed where) is checked by the compiler in lark.ts; this file only checks shape.
 */
export type LarkExpr =
  | { k: 'alt'; items: LarkExpr[]; pos: SourcePosition }
  | { k: 'and'; items: LarkExpr[]; pos: SourcePosition }
  | { k: 'seq'; items: LarkExpr[]; pos: SourcePosition }
  | { k: 'not'; item: LarkExpr; pos: SourcePosition }
  /** `?`, `*`, `+`, `[ ]`, `{M,N}`, `~M..N`; max = Infinity when unbounded. */
  | { k: 'rep'; item: LarkExpr; min: number; max: number; pos: SourcePosition }
  | { k: 'str'; value: string; ci: boolean; pos: SourcePosition }
  | { k: 'range'; from: string; to: string; pos: SourcePosition }
  | { k: 'regex'; source: string; flags: string; pos: SourcePosition }
  | { k: 'name'; name: string; pos: SourcePosition }
  | { k: 'special'; text: string; pos: SourcePosition }
  | { k: 'json'; value: unknown; pos: SourcePosition };

export type OptionValue =
  | { k: 'none' }
  | { k: 'str'; value: string }
  | { k: 'regex'; source: string; flags: string }
  | { k: 'number'; value: number }
  | { k: 'name'; name: string };

export interface LarkOption {
  name: string;
  value: OptionValue;
  pos: SourcePosition;
}

export type LarkStatement =
  | { k: 'def'; name: string; options: LarkOption[]; body: LarkExpr; pos: SourcePosition }
  | { k: 'ignore'; body: LarkExpr; pos: SourcePosition }
  | { k: 'import'; names: { name: string; alias: string; pos: SourcePosition }[]; pos: SourcePosition }
  | { k: 'llguidance'; value: unknown; pos: SourcePosition }
  | { k: 'declare'; names: { name: string; pos: SourcePosition }[]; pos: SourcePosition };

export interface ParseOptions {
  maxNesting: number;
}

const STOP_PUNCT = new Set(['|', ')', ']', '}', '->', '&', ':', ',', '=']);

export function parseLarkSyntax(text: string, opts: ParseOptions): LarkStatement[] {
  return new LarkParser(tokenizeLark(text), opts.maxNesting).file();
}

function describe(tok: LarkToken): string {
  switch (tok.t) {
    case 'eof':
      return 'end of input';
    case 'nl':
      return 'end of line';
    case 'string':
      return `string ${JSON.stringify(tok.v)}`;
    case 'regex':
      return `regex /${tok.v}/`;
    case 'directive':
      return `%${tok.v}`;
    default:
      return `'${tok.v}'`;
  }
}

class LarkParser {
  private i = 0;
  private depth = 0;
  constructor(
    private readonly toks: LarkToken[],
    private readonly maxNesting: number,
  ) {}

  private peek(k = 0): LarkToken {
    // Inside ( ) and [ ] newlines are plain whitespace.
    let j = this.i;
    let seen = 0;
    for (;;) {
      const t = this.toks[j]!;
      if (t.t === 'nl' && this.depth > 0) {
        j++;
        continue;
      }
      if (seen === k || t.t === 'eof') return t;
      seen++;
      j++;
    }
  }

  private next(): LarkToken {
    while (this.depth > 0 && this.toks[this.i]!.t === 'nl') this.i++;
    const t = this.toks[this.i]!;
    if (t.t !== 'eof') this.i++;
    return t;
  }

  private isPunct(v: string, k = 0): boolean {
    const t = this.peek(k);
    return t.t === 'punct' && t.v === v;
  }

  private expectPunct(v: string, what: string): LarkToken {
    const t = this.next();
    if (t.t !== 'punct' || t.v !== v) this.fail(`expected '${v}' ${what}, found ${describe(t)}`, t.pos);
    return t;
  }

  private fail(msg: string, pos: SourcePosition): never {
    throw new EngineError('GRAMMAR', msg, pos);
  }

  file(): LarkStatement[] {
    const out: LarkStatement[] = [];
    for (;;) {
      const t = this.peek();
      if (t.t === 'eof') return out;
      if (t.t === 'nl') {
        this.next();
        continue;
      }
      out.push(this.statement());
      const end = this.next();
      if (end.t !== 'nl' && end.t !== 'eof') this.fail(`unexpected ${describe(end)}; expected the end of the line`, end.pos);
    }
  }

  private statement(): LarkStatement {
    const t = this.peek();
    if (t.t === 'directive') return this.directive();
    let pos = t.pos;
    if (t.t === 'punct' && (t.v === '?' || t.v === '!')) {
      // Lark's `?rule` (inline) and `!rule` (keep tokens) shape trees only; recognition is the same.
      this.next();
      pos = this.peek().pos;
    }
    const nameTok = this.next();
    if (nameTok.t !== 'name') this.fail(`expected a rule or terminal definition, found ${describe(nameTok)}`, nameTok.pos);
    const name = nameTok.v;
    if (this.isPunct('{')) this.fail(`templates are not supported (${name}{…})`, this.peek().pos);
    let options: LarkOption[] = [];
    if (this.isPunct('[')) options = this.options();
    if (this.isPunct('.')) {
      const dot = this.next();
      const num = this.next();
      if (num.t !== 'number') this.fail(`expected a priority number after '.'`, num.pos);
      if (/^[A-Z_]/.test(name) && name.toUpperCase() === name) {
        this.fail(`terminal priorities are not supported (${name}.${num.v})`, dot.pos);
      }
      // Rule priorities only choose between parse trees; recognition ignores them.
    }
    this.expectPunct(':', `after '${name}'`);
    const body = this.alternatives();
    return { k: 'def', name, options, body, pos };
  }

  private options(): LarkOption[] {
    this.expectPunct('[', 'to open options');
    const out: LarkOption[] = [];
    for (;;) {
      const t = this.next();
      if (t.t !== 'name') this.fail(`expected an option name, found ${describe(t)}`, t.pos);
      let value: OptionValue = { k: 'none' };
      if (this.isPunct('=')) {
        this.next();
        const v = this.next();
        if (v.t === 'string') value = { k: 'str', value: v.v };
        else if (v.t === 'regex') value = { k: 'regex', source: v.v, flags: v.flags };
        else if (v.t === 'number') value = { k: 'number', value: Number(v.v) };
        else if (v.t === 'name') value = { k: 'name', name: v.v };
        else this.fail(`expected a value for option '${t.v}', found ${describe(v)}`, v.pos);
      }
      out.push({ name: t.v, value, pos: t.pos });
      const sep = this.next();
      if (sep.t === 'punct' && sep.v === ']') return out;
      if (sep.t !== 'punct' || sep.v !== ',') this.fail(`expected ',' or ']' in options, found ${describe(sep)}`, sep.pos);
    }
  }

  private directive(): LarkStatement {
    const t = this.next() as Extract<LarkToken, { t: 'directive' }>;
    switch (t.v) {
      case 'ignore':
        return { k: 'ignore', body: this.alternatives(), pos: t.pos };
      case 'import':
        return this.importStatement(t.pos);
      case 'llguidance':
        return { k: 'llguidance', value: t.json, pos: t.pos };
      case 'declare': {
        // %declare NAME …: terminals with no regex (zero-width; GrammarOptions gives them a role).
        const names: { name: string; pos: SourcePosition }[] = [];
        while (this.peek().t === 'name') {
          const nt = this.next() as Extract<LarkToken, { t: 'name' }>;
          names.push({ name: nt.v, pos: nt.pos });
        }
        if (names.length === 0) this.fail(`expected terminal names after %declare, found ${describe(this.peek())}`, this.peek().pos);
        return { k: 'declare', names, pos: t.pos };
      }
      case 'override':
      case 'extend':
        return this.fail(`%${t.v} is not supported`, t.pos);
      case 'regex':
        return this.fail('%regex { … } (structured regexes) is not supported', t.pos);
      case 'json':
        return this.fail('%json { … } must be the body of a rule (name: %json { … })', t.pos);
      default:
        return this.fail(`unknown directive %${t.v}`, t.pos);
    }
  }

  private importStatement(pos: SourcePosition): LarkStatement {
    // %import common.NAME [-> ALIAS]   |   %import common (A, B)
    const parts: string[] = [];
    if (this.isPunct('.')) this.fail('relative imports are not supported; only %import common.NAME', this.peek().pos);
    const first = this.next();
    if (first.t !== 'name') this.fail(`expected a module name after %import, found ${describe(first)}`, first.pos);
    parts.push(first.v);
    const lastPos: SourcePosition[] = [first.pos];
    while (this.isPunct('.')) {
      this.next();
      const p = this.next();
      if (p.t !== 'name') this.fail(`expected a name after '.', found ${describe(p)}`, p.pos);
      parts.push(p.v);
      lastPos.push(p.pos);
    }
    if (this.isPunct('(')) {
      if (parts.length !== 1 || parts[0] !== 'common') {
        this.fail(`imports other than common are not supported (%import ${parts.join('.')})`, first.pos);
      }
      this.next();
      const names: { name: string; alias: string; pos: SourcePosition }[] = [];
      for (;;) {
        const nt = this.next();
        if (nt.t !== 'name') this.fail(`expected a name in the import list, found ${describe(nt)}`, nt.pos);
        names.push({ name: nt.v, alias: nt.v, pos: nt.pos });
        const sep = this.next();
        if (sep.t === 'punct' && sep.v === ')') break;
        if (sep.t !== 'punct' || sep.v !== ',') this.fail(`expected ',' or ')' in the import list, found ${describe(sep)}`, sep.pos);
      }
      return { k: 'import', names, pos };
    }
    if (parts.length !== 2 || parts[0] !== 'common') {
      this.fail(`imports other than common are not supported (%import ${parts.join('.')})`, first.pos);
    }
    let alias = parts[1]!;
    if (this.isPunct('->')) {
      this.next();
      const a = this.next();
      if (a.t !== 'name') this.fail(`expected a name after '->', found ${describe(a)}`, a.pos);
      alias = a.v;
    }
    return { k: 'import', names: [{ name: parts[1]!, alias, pos: lastPos[1]! }], pos };
  }

  /** alternatives := alias ('|' alias)*, where a '|' may begin the next line. */
  private alternatives(): LarkExpr {
    const pos = this.peek().pos;
    const items = [this.alias()];
    for (;;) {
      if (this.isPunct('|')) {
        this.next();
        items.push(this.alias());
        continue;
      }
      if (this.depth === 0) {
        let j = this.i;
        while (this.toks[j]!.t === 'nl') j++;
        const t = this.toks[j]!;
        if (j > this.i && t.t === 'punct' && t.v === '|') {
          this.i = j + 1;
          items.push(this.alias());
          continue;
        }
      }
      break;
    }
    return items.length === 1 ? items[0]! : { k: 'alt', items, pos };
  }

  /** alias := conjunction ('->' name)? — the alias only names a tree node, so it is dropped. */
  private alias(): LarkExpr {
    const e = this.conjunction();
    if (this.isPunct('->')) {
      this.next();
      const a = this.next();
      if (a.t !== 'name') this.fail(`expected an alias name after '->', found ${describe(a)}`, a.pos);
    }
    return e;
  }

  /** conjunction := sequence ('&' sequence)* — `&` binds tighter than `|`, looser than juxtaposition. */
  private conjunction(): LarkExpr {
    const pos = this.peek().pos;
    const items = [this.sequence()];
    while (this.isPunct('&')) {
      this.next();
      items.push(this.sequence());
    }
    return items.length === 1 ? items[0]! : { k: 'and', items, pos };
  }

  private sequence(): LarkExpr {
    const pos = this.peek().pos;
    const items: LarkExpr[] = [];
    for (;;) {
      const t = this.peek();
      if (t.t === 'nl' || t.t === 'eof') break;
      if (t.t === 'punct' && STOP_PUNCT.has(t.v)) break;
      items.push(this.postfix());
    }
    return items.length === 1 ? items[0]! : { k: 'seq', items, pos };
  }

  /** expr := '~'* atom postfix? — `~` binds tighter than the postfix operators. */
  private postfix(): LarkExpr {
    const start = this.peek();
    let nots = 0;
    while (this.isPunct('~')) {
      this.next();
      if (++nots > this.maxNesting) throw new EngineError('LIMIT', `grammar expression nested deeper than limits.maxNesting (${this.maxNesting})`, start.pos);
    }
    let e = this.atom();
    for (let k = 0; k < nots; k++) e = { k: 'not', item: e, pos: start.pos };
    const t = this.peek();
    if (t.t !== 'punct') return e;
    const pos = t.pos;
    switch (t.v) {
      case '?':
        this.next();
        return { k: 'rep', item: e, min: 0, max: 1, pos };
      case '*':
        this.next();
        return { k: 'rep', item: e, min: 0, max: Infinity, pos };
      case '+':
        this.next();
        return { k: 'rep', item: e, min: 1, max: Infinity, pos };
      case '~': {
        // `expr~M` / `expr~M..N` (a '~' before anything but a number is a prefix of the next item).
        const num = this.peek(1);
        if (num.t !== 'number') return e;
        this.next();
        this.next();
        const min = this.count(num);
        let max = min;
        if (this.isPunct('..')) {
          this.next();
          max = this.count(this.next());
        }
        return this.range(e, min, max, pos);
      }
      case '{': {
        this.next();
        let min = 0;
        let max: number;
        if (!this.isPunct(',')) min = this.count(this.next());
        if (this.isPunct(',')) {
          this.next();
          max = this.isPunct('}') ? Infinity : this.count(this.next());
        } else {
          max = min;
        }
        this.expectPunct('}', 'to close the repetition count');
        return this.range(e, min, max, pos);
      }
      default:
        return e;
    }
  }

  private count(t: LarkToken): number {
    if (t.t !== 'number' || !/^\d+$/.test(t.v)) this.fail(`expected a whole number, found ${describe(t)}`, t.pos);
    const v = Number(t.v);
    if (!Number.isSafeInteger(v)) this.fail(`repetition count ${t.v} is too large`, t.pos);
    return v;
  }

  private range(item: LarkExpr, min: number, max: number, pos: SourcePosition): LarkExpr {
    if (max === 0) this.fail('repetition with an upper bound of 0 is not allowed', pos);
    if (max < min) this.fail(`repetition bounds are reversed ({${min},${max}})`, pos);
    return { k: 'rep', item, min, max, pos };
  }

  private nested<T>(pos: SourcePosition, f: () => T): T {
    if (this.depth >= this.maxNesting) {
      throw new EngineError('LIMIT', `grammar expression nested deeper than limits.maxNesting (${this.maxNesting})`, pos);
    }
    this.depth++;
    try {
      return f();
    } finally {
      this.depth--;
    }
  }

  private atom(): LarkExpr {
    const t = this.next();
    switch (t.t) {
      case 'punct':
        if (t.v === '(' || t.v === '[') {
          const close = t.v === '(' ? ')' : ']';
          const inner = this.nested(t.pos, () => {
            const e = this.alternatives();
            this.expectPunct(close, `to close the '${t.v}' opened at line ${t.pos.line}, column ${t.pos.column}`);
            return e;
          });
          return t.v === '(' ? inner : { k: 'rep', item: inner, min: 0, max: 1, pos: t.pos };
        }
        return this.fail(`unexpected ${describe(t)}`, t.pos);
      case 'string': {
        if (this.isPunct('..')) {
          this.next();
          const to = this.next();
          if (to.t !== 'string') this.fail(`expected a string after '..', found ${describe(to)}`, to.pos);
          if (t.ci || to.ci) this.fail('the i flag is not allowed on a character range', t.pos);
          return { k: 'range', from: t.v, to: to.v, pos: t.pos };
        }
        return { k: 'str', value: t.v, ci: t.ci, pos: t.pos };
      }
      case 'regex':
        return { k: 'regex', source: t.v, flags: t.flags, pos: t.pos };
      case 'name': {
        if (this.isPunct('{')) {
          const after = this.peek(1);
          if (!(after.t === 'number' || (after.t === 'punct' && after.v === ','))) {
            this.fail(`templates are not supported (${t.v}{…})`, this.peek().pos);
          }
        }
        return { k: 'name', name: t.v, pos: t.pos };
      }
      case 'special':
        return { k: 'special', text: t.v, pos: t.pos };
      case 'directive':
        if (t.v === 'json') return { k: 'json', value: t.json, pos: t.pos };
        if (t.v === 'regex') return this.fail('%regex { … } (structured regexes) is not supported', t.pos);
        return this.fail(`%${t.v} cannot appear inside an expression`, t.pos);
      case 'grammarRef':
        return this.fail(`subgrammar references are not supported (${t.v})`, t.pos);
      case 'number':
        return this.fail(`unexpected number ${t.v}`, t.pos);
      default:
        return this.fail(`expected an expression, found ${describe(t)}`, t.pos);
    }
  }
}
