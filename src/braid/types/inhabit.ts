/**
 * Type inhabitation over the bindings in scope (docs/braid-types.md): which expressions produce a
 * value of the expected type, written as grammar rules (rules.ts).
 *
 * - `val(R, d)`: expressions of exactly type R built from roots (bindings, calls of known
 *   functions, constructors, static methods, enum members) and member steps (fields, methods,
 *   Python subscripts; TypeScript `?.` on nullable receivers). R ranges over a finite universe:
 *   the types reachable from the roots by member steps (bounded by MAX_UNIVERSE).
 * - `atom(T, d)`: primary expressions assignable to T: every `val(R, d)` with R assignable to T,
 *   literals of T (strings, numbers, arrays/lists, tuples, object literals, dicts, templates and
 *   f-strings), `await` of a promise/coroutine of T, `( expr(T, d-1) )`.
 * - `expr(T, d)`: an atom, or an operator expression whose result is assignable to T (arithmetic,
 *   string concatenation, comparisons and logic for booleans, conditionals, TypeScript `??`).
 *
 * `d` bounds nesting: every sub-expression in an argument, element, field value, parentheses or
 * interpolation is at depth d-1, and nothing exists below 0. Member chains and operator chains at
 * one depth are left-recursive rules, so their length is unbounded but the grammar is finite.
 */
import { builtinMembers, type GlobalFn } from './builtins.ts';
import type { Assignability } from './assignable.ts';
import { lit, opt, ref, star, term, type GSym, type RuleSet } from './rules.ts';
import type { TypeTable } from './table.ts';
import {
  isNullable, isNullish, membersOf, named, nonNullable, prim, showType, typeKey, typeSize, unionOf,
  type FieldTy, type LiteralTy, type ParamTy, type SigTy, type Ty, type TypeLanguage,
} from './type.ts';

/** Types in the universe at most: far more than one position reaches in practice; keeps the grammar small. */
export const MAX_UNIVERSE = 160;
/** Types bigger than this (nodes) are not followed: generic methods can build ever larger types. */
const MAX_TYPE_SIZE = 16;
/** The type a Python coroutine of T gets in the universe (only `await` uses it). */
const COROUTINE = '__coroutine__';

export interface ScopeBinding {
  /** The text as lexemes: `user`, or `this` `.` `x`. */
  pieces: string[];
  /** The plain name when the binding is a simple name (object literal shorthand). */
  name: string | undefined;
  type: Ty;
}

export interface Scope {
  lang: TypeLanguage;
  table: TypeTable;
  assign: Assignability;
  bindings: ScopeBinding[];
  functions: GlobalFn[];
  async: boolean;
  notes: string[];
}

type Step =
  | { kind: 'field'; name: string; op: string; result: Ty }
  | { kind: 'method'; name: string; op: string; result: Ty; sig: SigTy }
  | { kind: 'index'; key: Ty | string; result: Ty };

type Root =
  | { kind: 'binding'; pieces: string[]; type: Ty }
  | { kind: 'call'; pieces: string[]; params: ParamTy[]; type: Ty };

interface Item {
  /** `name`, `=` for keyword arguments. */
  prefix: string[];
  type: Ty;
  /** `keyword`: an optional keyword argument (independent of the others). */
  mode: 'required' | 'optional' | 'repeat' | 'keyword';
}

/** Which chains a `val` rule holds (see `val`). */
type ValMode = 'all' | 'ref' | 'call';

export class Inhabitation {
  private readonly universe = new Map<string, { type: Ty; steps: Step[] }>();
  private readonly incoming = new Map<string, Array<{ from: string; step: Step }>>();
  private readonly roots = new Map<string, Root[]>();
  private readonly memo = new Map<string, string>();
  private readonly ts: boolean;
  private readonly T: { str: Ty; num: Ty; bool: Ty; int: Ty; float: Ty };

  constructor(private readonly s: Scope, private readonly rs: RuleSet) {
    this.ts = s.lang === 'typescript';
    this.T = this.ts
      ? { str: prim('string'), num: prim('number'), bool: prim('boolean'), int: prim('number'), float: prim('number') }
      : { str: prim('str'), num: prim('float'), bool: prim('bool'), int: prim('int'), float: prim('float') };
    this.collectRoots();
    this.buildUniverse();
  }

  private key(t: Ty): string {
    return typeKey(this.s.table.expand(t));
  }

  private addRoot(r: Root): void {
    const k = this.key(r.type);
    const list = this.roots.get(k);
    if (list) list.push(r); else this.roots.set(k, [r]);
  }

  private collectRoots(): void {
    const { table } = this.s;
    for (const b of this.s.bindings) this.addRoot({ kind: 'binding', pieces: b.pieces, type: b.type });
    for (const f of this.s.functions) {
      if (!f.sig.ret) continue;
      const ret = f.sig.async && !this.ts ? named(COROUTINE, [f.sig.ret]) : f.sig.ret;
      this.addRoot({ kind: 'call', pieces: f.path.flatMap((p, i) => (i === 0 ? [p] : ['.', p])), params: f.sig.params, type: ret });
    }
    const shadowed = new Set(this.s.bindings.map((b) => b.pieces[0]!));
    for (const name of table.names()) {
      if (shadowed.has(name) || !/^[\p{L}_$][\p{L}\p{N}_$]*$/u.test(name)) continue;
      const info = table.info(name);
      if (!info) continue;
      if (info.ctor) {
        this.addRoot({ kind: 'call', pieces: this.ts ? ['new', name] : [name], params: info.ctor, type: named(name) });
      }
      for (const st of info.statics) {
        if (!st.ret || st.typeParams.length > 0) continue;
        const ret = st.async && !this.ts ? named(COROUTINE, [st.ret]) : st.ret;
        this.addRoot({ kind: 'call', pieces: [name, '.', st.name], params: st.params, type: ret });
      }
      for (const m of info.enumMembers) {
        if (!/^[\p{L}_$][\p{L}\p{N}_$]*$/u.test(m)) continue;
        const t: LiteralTy = { kind: 'literal', base: 'enum', text: `${name}.${m}`, enumName: name };
        this.addRoot({ kind: 'binding', pieces: [name, '.', m], type: t });
      }
    }
  }

  private buildUniverse(): void {
    const queue: Ty[] = [this.T.str, this.T.num];
    if (!this.ts) queue.push(this.T.int, this.T.bool);
    for (const list of this.roots.values()) for (const r of list) queue.push(r.type);
    let dropped = 0;
    while (queue.length) {
      const t = this.s.table.expand(queue.shift()!);
      const k = typeKey(t);
      if (this.universe.has(k)) continue;
      if (this.universe.size >= MAX_UNIVERSE || typeSize(t) > MAX_TYPE_SIZE) { dropped++; continue; }
      const steps = this.stepsOf(t);
      this.universe.set(k, { type: t, steps });
      for (const st of steps) {
        const rk = this.key(st.result);
        const list = this.incoming.get(rk);
        if (list) list.push({ from: k, step: st }); else this.incoming.set(rk, [{ from: k, step: st }]);
        queue.push(st.result);
      }
    }
    if (dropped > 0) this.s.notes.push(`${dropped} member types beyond the first ${MAX_UNIVERSE} reachable types (or too large) are not followed`);
  }

  private readField(f: FieldTy): Ty {
    return f.optional && this.ts ? unionOf([f.type, prim('undefined')], 'typescript') : f.type;
  }

  private stepsOf(t: Ty): Step[] {
    const { lang, table } = this.s;
    if (t.kind === 'union') {
      if (!this.ts || !isNullable(t, lang)) return [];
      const base = table.expand(nonNullable(t, lang));
      if (base.kind === 'union' || isNullish(base, lang)) return [];
      return this.stepsOf(base).flatMap((st): Step[] => {
        if (st.kind === 'index') return [];
        return [{ ...st, op: '?.', result: unionOf([st.result, prim('undefined')], lang) }];
      });
    }
    const out: Step[] = [];
    const seen = new Set<string>();
    const methodStep = (name: string, sig: SigTy): void => {
      if (!sig.ret || sig.typeParams.length > 0 || seen.has(name)) return;
      seen.add(name);
      const result = sig.async && !this.ts ? named(COROUTINE, [sig.ret]) : sig.ret;
      out.push({ kind: 'method', name, op: '.', result, sig });
    };
    for (const f of table.fieldsOf(t) ?? []) {
      if (seen.has(f.name) || !/^[\p{L}_$][\p{L}\p{N}_$]*$/u.test(f.name)) continue;
      seen.add(f.name);
      out.push({ kind: 'field', name: f.name, op: '.', result: this.readField(f) });
    }
    for (const m of table.methodsOf(t)) methodStep(m.name, m);
    for (const m of builtinMembers(t, lang)) {
      if (m.kind === 'index') out.push({ kind: 'index', key: m.key, result: m.type });
      else if (m.kind === 'method') methodStep(m.name, m.sig);
      else if (!seen.has(m.name)) { seen.add(m.name); out.push({ kind: 'field', name: m.name, op: '.', result: m.type }); }
    }
    return out;
  }

  // ---- rules ----

  private rule(memoKey: string, base: string, comment: string, fill: (name: string) => void): string {
    const known = this.memo.get(memoKey);
    if (known !== undefined) return known;
    const name = this.rs.create(base, comment);
    this.memo.set(memoKey, name);
    fill(name);
    return name;
  }

  private show(t: Ty): string {
    return showType(t, this.s.lang);
  }

  /** The universe's types assignable to `t`. */
  private fitting(t: Ty): string[] {
    const out: string[] = [];
    for (const [k, u] of this.universe) if (this.s.assign.ok(u.type, t)) out.push(k);
    return out;
  }

  /**
   * Arguments of a call: comma-separated expressions at depth d (d < 0: only calls needing none).
   * Positional arguments in order (an optional one left out leaves out every later positional one;
   * a rest parameter takes any number), then Python keyword-only arguments `name=value` in declared
   * order, each optional one on its own. A positional parameter without a type ends what can be
   * passed positionally; a required one makes the call impossible.
   */
  private args(params: readonly ParamTy[], d: number): GSym[] | null {
    const items: Item[] = [];
    let positionalDone = false;
    for (const p of params) {
      if (p.rest === 'kwargs') continue;
      if (p.rest === 'unknown') { positionalDone = true; continue; }
      if (p.keywordOnly) {
        if (p.type) items.push({ prefix: [p.name, '='], type: p.type, mode: p.optional ? 'keyword' : 'required' });
        else if (!p.optional) return null;
        continue;
      }
      if (p.rest === 'args') {
        if (!positionalDone && p.type) items.push({ prefix: [], type: p.type, mode: 'repeat' });
        positionalDone = true;
        continue;
      }
      if (positionalDone || !p.type) {
        if (!p.optional) return null;
        positionalDone = true;
        continue;
      }
      items.push({ prefix: [], type: p.type, mode: p.optional ? 'optional' : 'required' });
    }
    const required = (from: number): boolean => items.slice(from).some((i) => i.mode === 'required');
    if (d < 0) return required(0) || items.some((i) => i.mode === 'keyword') ? null : [];
    if (items.length === 0) return [];
    const key = `args|${items.map((i) => `${i.prefix.join('')}${i.mode}:${this.key(i.type)}`).join(',')}|${d}`;
    const firstKeyword = (from: number): number => {
      const k = items.findIndex((i, j) => j >= from && i.prefix.length > 0);
      return k < 0 ? items.length : k;
    };
    // runs[i]: a non-empty comma-separated run of the items from i on, with every required one.
    const runs: string[] = [];
    for (let i = items.length - 1; i >= 0; i--) {
      const it = items[i]!;
      runs[i] = this.rule(`${key}|${i}`, 'args', `arguments ${i + 1}.., depth ${d}`, (name) => {
        const e = [...it.prefix.map(lit), ref(this.expr(it.type, d))];
        const head = it.mode === 'repeat' ? [...e, star([lit(','), ...e])] : e;
        if (!required(i + 1)) this.rs.add(name, head);
        if (i + 1 < items.length) this.rs.add(name, [...head, lit(','), ref(runs[i + 1]!)]);
        if (it.mode !== 'required') {
          // Leaving out a positional argument leaves out the later positional ones too.
          const next = it.prefix.length > 0 ? i + 1 : firstKeyword(i + 1);
          if (next < items.length) this.rs.add(name, [ref(runs[next]!)]);
        }
      });
    }
    return required(0) ? [ref(runs[0]!)] : [opt([ref(runs[0]!)])];
  }

  private rootSyms(r: Root, d: number): GSym[] | null {
    if (r.kind === 'binding') return r.pieces.map(lit);
    const a = this.args(r.params, d - 1);
    return a ? [...r.pieces.map(lit), lit('('), ...a, lit(')')] : null;
  }

  private stepSyms(st: Step, d: number): GSym[] | null {
    if (st.kind === 'field') return [lit(st.op), lit(st.name)];
    if (st.kind === 'method') {
      const a = this.args(st.sig.params, d - 1);
      return a ? [lit(st.op), lit(st.name), lit('('), ...a, lit(')')] : null;
    }
    if (typeof st.key === 'string') return [lit('['), lit(st.key), lit(']')];
    return d >= 1 ? [lit('['), ref(this.expr(st.key, d - 1)), lit(']')] : null;
  }

  /**
   * Expressions of exactly the universe type `k`. Mode `ref`: references only (names and field
   * accesses: what TypeScript narrows, and what an f-string may hold); `call`: only chains with a
   * call, constructor or subscript somewhere (never narrowed); `all`: both.
   */
  val(k: string, d: number, mode: ValMode = 'all'): string {
    const u = this.universe.get(k);
    const base = mode === 'ref' ? 'path' : mode === 'call' ? 'call' : 'val';
    return this.rule(`val|${k}|${d}|${mode}`, base, `${u ? this.show(u.type) : k} (${mode === 'all' ? 'chains' : mode === 'ref' ? 'references' : 'chains with a call'}, depth ${d})`, (name) => {
      for (const r of this.roots.get(k) ?? []) {
        if ((mode === 'ref' && r.kind !== 'binding') || (mode === 'call' && r.kind !== 'call')) continue;
        const syms = this.rootSyms(r, d);
        if (syms) this.rs.add(name, syms);
      }
      for (const { from, step } of this.incoming.get(k) ?? []) {
        if (mode === 'ref' && step.kind !== 'field') continue;
        const syms = this.stepSyms(step, d);
        if (!syms) continue;
        // A call or subscript step makes any receiver a non-reference; a field step keeps the receiver's kind.
        const recvMode: ValMode = mode === 'call' && step.kind !== 'field' ? 'all' : mode;
        this.rs.add(name, [ref(this.recv(from, d, recvMode)), ...syms]);
      }
    });
  }

  /** Receivers of member steps: chains, and (not references) string literals / parenthesized primitives. */
  private recv(k: string, d: number, mode: ValMode): string {
    const u = this.universe.get(k)!;
    return this.rule(`recv|${k}|${d}|${mode}`, 'recv', `receiver ${this.show(u.type)} (${mode}), depth ${d}`, (name) => {
      this.rs.add(name, [ref(this.val(k, d, mode))]);
      if (mode === 'ref') return;
      const t = u.type;
      if (t.kind !== 'prim') return;
      const isStr = t.name === (this.ts ? 'string' : 'str');
      if (isStr) {
        this.rs.add(name, [term('STRING')]);
        this.rs.add(name, [ref(this.ts ? this.template(d) : this.fstring())]);
      }
      if (d >= 1 && (isStr || t.name === 'number' || t.name === 'int' || t.name === 'float')) {
        this.rs.add(name, [lit('('), ref(this.expr(t, d - 1)), lit(')')]);
      }
    });
  }

  /**
   * Primary expressions assignable to `t`. `paren`: `full` allows `( expr )`; `none` nothing that
   * starts with `(`; `cond` only a narrowing-free boolean inside (see `logic`).
   */
  atom(t0: Ty, d: number, paren: 'full' | 'none' | 'cond' = 'full'): string {
    const t = this.s.table.expand(t0);
    const k = typeKey(t);
    return this.rule(`atom|${k}|${d}|${paren}`, 'atom', `${this.show(t)} (primary, depth ${d}${paren === 'full' ? '' : `, ${paren === 'none' ? 'no leading (' : 'condition'}`})`, (name) => {
      for (const uk of this.fitting(t)) this.rs.add(name, [ref(this.val(uk, d))]);
      if (this.s.async) {
        for (const [uk, u] of this.universe) {
          const w = u.type;
          if (w.kind === 'named' && w.args.length === 1 && w.name === (this.ts ? 'Promise' : COROUTINE) && this.s.assign.ok(w.args[0]!, t)) {
            this.rs.add(name, [lit('await'), ref(this.val(uk, d))]);
          }
        }
      }
      for (const alt of this.literalForms(t, d)) this.rs.add(name, alt);
      if (paren !== 'none' && d >= 1) this.rs.add(name, [lit('('), ref(paren === 'cond' ? this.condition(d - 1) : this.expr(t, d - 1)), lit(')')]);
    });
  }

  /** What may follow `??` (TypeScript narrows its left operand to null/undefined there): literals without sub-expressions, and non-nullable references. */
  private fallback(t: Ty): string {
    return this.rule(`fallback|${typeKey(t)}`, 'fallback', `${this.show(t)} after ??`, (name) => {
      for (const alt of this.literalForms(t, 0)) this.rs.add(name, alt);
      for (const uk of this.fitting(t)) {
        if (!isNullable(this.universe.get(uk)!.type, this.s.lang)) this.rs.add(name, [ref(this.val(uk, 0, 'ref'))]);
      }
    });
  }

  /** Every expression assignable to `t` at depth `d`. */
  expr(t0: Ty, d: number): string {
    const t = this.s.table.expand(t0);
    const k = typeKey(t);
    return this.rule(`expr|${k}|${d}`, 'expr', `${this.show(t)} (depth ${d})`, (name) => {
      const ok = (x: Ty): boolean => this.s.assign.ok(x, t);
      this.rs.add(name, [ref(this.atom(t, d))]);
      if (this.ts) {
        if (ok(this.T.num)) this.rs.add(name, [ref(this.arith(d, false))]);
      } else {
        // Float arithmetic takes int operands too; int arithmetic only where a float would not fit.
        if (ok(this.T.float)) this.rs.add(name, [ref(this.arith(d, false, 'float'))]);
        else if (ok(this.T.int)) this.rs.add(name, [ref(this.arith(d, false, 'int'))]);
      }
      if (ok(this.T.str)) this.rs.add(name, [ref(this.concat(d))]);
      if (ok(this.T.bool)) this.rs.add(name, [ref(this.logic(d))]);
      if (d >= 1) {
        const e = ref(this.expr(t, d - 1));
        // The condition is an `||` chain: a `?:` there would re-associate (`a ? b : c ? d : e`).
        const c = ref(this.ts ? this.orCond(d - 1) : this.logic(d - 1));
        this.rs.add(name, this.ts ? [c, lit('?'), e, lit(':'), e] : [e, lit('if'), c, lit('else'), e]);
      }
      if (this.ts) {
        for (const [uk, u] of this.universe) {
          if (isNullable(u.type, 'typescript') && !ok(u.type) && ok(nonNullable(u.type, 'typescript'))) {
            this.rs.add(name, [ref(this.val(uk, d)), lit('??'), ref(this.fallback(t))]);
          }
        }
      }
    });
  }

  // ---- literals ----

  private quote(value: string, q: '"' | "'"): string {
    const json = JSON.stringify(value);
    if (q === '"') return json;
    return `'${json.slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`;
  }

  private literalForms(t: Ty, d: number): GSym[][] {
    const out: GSym[][] = [];
    const { table } = this.s;
    for (const m0 of membersOf(t)) {
      const m = table.expand(m0);
      if (m.kind === 'prim') {
        if (this.ts) {
          switch (m.name) {
            case 'string': out.push([term('STRING')], [ref(this.template(d))]); break;
            case 'number': out.push([term('NUMBER')]); break;
            case 'boolean': out.push([lit('true')], [lit('false')]); break;
            case 'bigint': out.push([term('BIGINT')]); break;
            case 'null': out.push([lit('null')]); break;
            case 'undefined': case 'void': out.push([lit('undefined')]); break;
            case 'object': out.push([lit('{'), lit('}')], [lit('['), lit(']')]); break;
          }
        } else {
          switch (m.name) {
            case 'str': out.push([term('STRING')], [ref(this.fstring())]); break;
            case 'int': out.push([term('INT')]); break;
            case 'float': out.push([term('FLOAT')], [term('INT')]); break;
            case 'bool': out.push([lit('True')], [lit('False')]); break;
            case 'None': out.push([lit('None')]); break;
          }
        }
        continue;
      }
      switch (m.kind) {
        case 'literal':
          if (m.base === 'string') {
            const v = JSON.parse(m.text) as string;
            out.push([lit(this.quote(v, '"'))], [lit(this.quote(v, "'"))]);
          } else if (m.base === 'number') {
            if (!m.text.startsWith('-')) out.push([lit(m.text)]);
          } else if (m.base === 'boolean') {
            out.push([lit(this.ts ? m.text : m.text === 'true' ? 'True' : 'False')]);
          }
          break;
        case 'array': out.push([ref(this.arrayLiteral(m.elem, d))]); break;
        case 'tuple': { const r = this.tupleLiteral(m.items, d); if (r) out.push([ref(r)]); break; }
        case 'object': if (this.ts && m.methods.length === 0) out.push([ref(this.objectLiteral(m, m.fields, d))]); break;
        case 'map': { const r = this.mapLiteral(m.key, m.value, d); if (r) out.push([ref(r)]); break; }
        case 'named': {
          const inst = table.instance(m);
          if (this.ts && inst?.info.literalOk) {
            const fields = table.fieldsOf(m);
            if (fields) out.push([ref(this.objectLiteral(m, fields, d))]);
          } else if (!this.ts && m.name === 'set' && m.args.length === 1 && d >= 1) {
            const e = ref(this.expr(m.args[0]!, d - 1));
            out.push([lit('{'), e, star([lit(','), e]), opt([lit(',')]), lit('}')]);
          }
          break;
        }
        default: break;
      }
    }
    return out;
  }

  private arrayLiteral(elem: Ty, d: number): string {
    return this.rule(`arr|${this.key(elem)}|${d}`, 'list', `list of ${this.show(elem)}, depth ${d}`, (name) => {
      this.rs.add(name, [lit('['), lit(']')]);
      if (d >= 1) {
        const e = ref(this.expr(elem, d - 1));
        this.rs.add(name, [lit('['), e, star([lit(','), e]), opt([lit(',')]), lit(']')]);
      }
    });
  }

  private tupleLiteral(items: Ty[], d: number): string | undefined {
    if (items.length > 0 && d < 1) return undefined;
    const [open, close] = this.ts ? ['[', ']'] : ['(', ')'];
    return this.rule(`tuple|${items.map((i) => this.key(i)).join(',')}|${d}`, 'tuple', `tuple (${items.map((i) => this.show(i)).join(', ')}), depth ${d}`, (name) => {
      const syms: GSym[] = [lit(open)];
      items.forEach((it, i) => {
        if (i > 0) syms.push(lit(','));
        syms.push(ref(this.expr(it, d - 1)));
      });
      if (!this.ts && items.length === 1) syms.push(lit(','));
      else if (items.length > 0) syms.push(opt([lit(',')]));
      syms.push(lit(close));
      this.rs.add(name, syms);
    });
  }

  /** `{ a: …, b: … }` in declared order; optional fields may be left out; shorthand `{ a }` from a binding `a`. */
  private objectLiteral(owner: Ty, fields: readonly FieldTy[], d: number): string {
    return this.rule(`obj|${this.key(owner)}|${d}`, 'object', `object literal ${this.show(owner)}, depth ${d}`, (name) => {
      const entries = fields.map((f) => this.rule(`entry|${this.key(owner)}|${f.name}|${d}`, 'entry', `${f.name} of ${this.show(owner)}, depth ${d}`, (en) => {
        const keys = /^[\p{L}_$][\p{L}\p{N}_$]*$/u.test(f.name) ? [f.name, JSON.stringify(f.name)] : [JSON.stringify(f.name)];
        if (d >= 1) {
          const v = ref(this.expr(f.type, d - 1));
          for (const k of keys) this.rs.add(en, [lit(k), lit(':'), v]);
        }
        const b = this.s.bindings.find((x) => x.name === f.name);
        if (b && this.s.assign.ok(b.type, f.type)) this.rs.add(en, [lit(f.name)]);
      }));
      // lists[i]: a non-empty comma-separated run of entries i.., keeping every required one.
      const n = fields.length;
      const reqAfter = (i: number): boolean => fields.slice(i).some((f) => !f.optional);
      const lists: string[] = [];
      for (let i = n - 1; i >= 0; i--) {
        lists[i] = this.rule(`entries|${this.key(owner)}|${i}|${d}`, 'entries', `fields ${i + 1}.. of ${this.show(owner)}`, (ln) => {
          if (!reqAfter(i + 1)) this.rs.add(ln, [ref(entries[i]!)]);
          if (i + 1 < n) this.rs.add(ln, [ref(entries[i]!), lit(','), ref(lists[i + 1]!)]);
          if (fields[i]!.optional && i + 1 < n) this.rs.add(ln, [ref(lists[i + 1]!)]);
        });
      }
      if (!reqAfter(0)) this.rs.add(name, [lit('{'), lit('}')]);
      if (n > 0) this.rs.add(name, [lit('{'), ref(lists[0]!), opt([lit(',')]), lit('}')]);
    });
  }

  private mapLiteral(key: Ty, value: Ty, d: number): string | undefined {
    return this.rule(`map|${this.key(key)}|${this.key(value)}|${d}`, 'dict', `map ${this.show(key)} → ${this.show(value)}, depth ${d}`, (name) => {
      this.rs.add(name, [lit('{'), lit('}')]);
      if (d < 1) return;
      const v = ref(this.expr(value, d - 1));
      if (this.ts) {
        // One entry only: two could repeat a key, which TypeScript refuses in an object literal.
        const k = this.s.table.expand(key);
        const keyTerms = k.kind === 'prim' && k.name === 'number' ? [term('NUMBER')] : [term('PROPKEY'), term('STRING')];
        for (const kt of keyTerms) this.rs.add(name, [lit('{'), kt, lit(':'), v, opt([lit(',')]), lit('}')]);
      } else {
        const entry: GSym[] = [ref(this.expr(key, d - 1)), lit(':'), v];
        this.rs.add(name, [lit('{'), ...entry, star([lit(','), ...entry]), opt([lit(',')]), lit('}')]);
      }
    });
  }

  /** TypeScript template literals; substitutions of strings, numbers and booleans at depth d-1. */
  private template(d: number): string {
    return this.rule(`tpl|${d}`, 'template', `template literal, depth ${d}`, (name) => {
      this.rs.add(name, [term('TEMPLATE_NOSUB')]);
      if (d >= 1) {
        const e = ref(this.expr(unionOf([this.T.str, this.T.num, this.T.bool], 'typescript'), d - 1));
        this.rs.add(name, [term('TEMPLATE_HEAD'), e, star([term('TEMPLATE_MIDDLE'), e]), term('TEMPLATE_TAIL')]);
      }
    });
  }

  /** Python f-strings; replacement fields are names and attribute paths of str/int/float/bool (no quotes inside, any Python 3). */
  private fstring(): string {
    return this.rule('fstr', 'fstring', 'f-string', (name) => {
      const fv = this.rule('fval', 'fstring_value', 'f-string replacement field', (vn) => {
        const scalar = unionOf([this.T.str, this.T.float, this.T.bool], 'python');
        for (const uk of this.fitting(scalar)) this.rs.add(vn, [ref(this.val(uk, 0, 'ref'))]);
      });
      for (const [q, chars] of [['"', 'FSTRING_DQ'], ["'", 'FSTRING_SQ']] as const) {
        const part = this.rule(`fpart|${q}`, 'fstring_part', `f-string part (${q})`, (pn) => {
          this.rs.add(pn, [term(chars)]);
          this.rs.add(pn, [lit('{{')]);
          this.rs.add(pn, [lit('}}')]);
          this.rs.add(pn, [lit('{'), ref(fv), lit('}')]);
        });
        this.rs.add(name, [lit(`f${q}`), star([ref(part)]), lit(q)]);
      }
    });
  }

  // ---- operators ----

  /**
   * Arithmetic at depth d: `lead (addop term)*` where the lead may start with a unary minus and the
   * later terms may not (`a - -b` would read as `a--b`). `noParen`: the first operand does not
   * start with `(` (TypeScript `a < b, c > (d)` reads as a call with type arguments).
   */
  private arith(d: number, noParen: boolean, kind: 'int' | 'float' | 'number' = 'number'): string {
    const opnd = kind === 'int' ? this.T.int : kind === 'float' ? this.T.float : this.T.num;
    const mul = this.ts ? ['*', '/', '%'] : kind === 'int' ? ['*', '//', '%'] : ['*', '/', '//', '%'];
    const mulop = this.ops(`mulop_${kind}`, mul);
    const addop = this.ops('addop', ['+', '-']);
    const unit = ref(this.atom(opnd, d));
    const term = this.rule(`term|${kind}|${d}`, 'term', `${kind} product, depth ${d}`, (name) => {
      this.rs.add(name, [ref(name), ref(mulop), unit]);
      this.rs.add(name, [unit]);
    });
    const lead = this.rule(`lead|${kind}|${d}|${noParen}`, 'lead', `${kind} first product, depth ${d}`, (name) => {
      this.rs.add(name, [ref(name), ref(mulop), unit]);
      this.rs.add(name, [lit('-'), unit]);
      this.rs.add(name, [noParen ? ref(this.atom(opnd, d, 'none')) : unit]);
    });
    return this.rule(`sum|${kind}|${d}|${noParen}`, 'sum', `${kind} arithmetic, depth ${d}`, (name) => {
      this.rs.add(name, [ref(name), ref(addop), ref(term)]);
      this.rs.add(name, [ref(lead)]);
    });
  }

  private ops(key: string, ops: readonly string[]): string {
    return this.rule(`ops|${key}`, 'op', ops.join(' '), (name) => {
      for (const o of ops) this.rs.add(name, o.split(' ').map(lit));
    });
  }

  /** String concatenation. TypeScript: `s + n` is a string too (left to right: once a string, always a string). */
  private concat(d: number): string {
    const s = ref(this.atom(this.T.str, d));
    return this.rule(`cat|${d}`, 'concat', `string concatenation, depth ${d}`, (name) => {
      this.rs.add(name, [s]);
      if (this.ts) {
        const termRule = ref(this.arithTerm(d));
        this.rs.add(name, [ref(name), lit('+'), s]);
        this.rs.add(name, [ref(name), lit('+'), termRule]);
        this.rs.add(name, [ref(this.arith(d, false)), lit('+'), s]);
      } else {
        this.rs.add(name, [ref(name), lit('+'), s]);
      }
    });
  }

  /** The product rule of TypeScript arithmetic (a term without a leading minus). */
  private arithTerm(d: number): string {
    this.arith(d, false);
    return this.memo.get(`term|number|${d}`)!;
  }

  /**
   * Booleans: `||`/`&&`/`!` (Python `or`/`and`/`not`) over comparisons and boolean atoms.
   *
   * TypeScript narrows references in conditions (the left operand of `&&`/`||`, a `?:` condition,
   * under `!`), and a narrowed reference can then fail to type-check later in the same expression
   * (`s === "a" && s === "b"`: no overlap; `x === undefined && x?.y`: `y` on never). So conditions
   * are narrowing-free (`condition`): comparisons there have a call on their left, `!` applies to
   * primitives and to chains with a call, boolean references are used as they are (their
   * narrowing to true/false is never compared: booleans are not compared with `===` at all). A
   * comparison that narrows a reference comes only last in its `&&`/`||` chain, where nothing
   * follows it. Python's checkers do not reject what narrowing would make unreachable here.
   */
  private logic(d: number): string {
    if (!this.ts) {
      return this.rule(`or|${d}`, 'or', `boolean, depth ${d}`, (orName) => {
        const and = this.rule(`and|${d}`, 'and', `conjunction, depth ${d}`, (andName) => {
          const not = this.rule(`not|${d}`, 'not', `negation, depth ${d}`, (notName) => {
            this.rs.add(notName, [lit('not'), ref(notName)]);
            this.rs.add(notName, [lit('not'), ref(this.truthy(d))]);
            this.rs.add(notName, [ref(this.atom(this.T.bool, d))]);
            this.rs.add(notName, [ref(this.compare(d, 'all'))]);
          });
          this.rs.add(andName, [ref(andName), lit('and'), ref(not)]);
          this.rs.add(andName, [ref(not)]);
        });
        this.rs.add(orName, [ref(orName), lit('or'), ref(and)]);
        this.rs.add(orName, [ref(and)]);
      });
    }
    return this.rule(`or|${d}`, 'or', `boolean, depth ${d}`, (orName) => {
      const andCond = this.andCond(d);
      const orCond = this.orCond(d);
      const last = this.rule(`last|${d}`, 'last', `last operand of a boolean chain, depth ${d}`, (ln) => {
        this.rs.add(ln, [ref(this.notCond(d))]);
        this.rs.add(ln, [ref(this.compare(d, 'all'))]);
      });
      const andFull = this.rule(`and|${d}`, 'and', `conjunction, depth ${d}`, (an) => {
        this.rs.add(an, [ref(andCond), lit('&&'), ref(last)]);
        this.rs.add(an, [ref(last)]);
      });
      this.rs.add(orName, [ref(orCond), lit('||'), ref(andFull)]);
      this.rs.add(orName, [ref(andFull)]);
    });
  }

  /** A narrowing-free boolean (TypeScript): a condition, or a `?:` of booleans (its value narrows nothing). */
  private condition(d: number): string {
    if (!this.ts) return this.logic(d);
    return this.rule(`condexpr|${d}`, 'condition', `narrowing-free boolean, depth ${d}`, (name) => {
      this.rs.add(name, [ref(this.orCond(d))]);
      if (d >= 1) {
        const e = ref(this.expr(this.T.bool, d - 1));
        this.rs.add(name, [ref(this.orCond(d - 1)), lit('?'), e, lit(':'), e]);
      }
    });
  }

  private orCond(d: number): string {
    return this.rule(`or_cond|${d}`, 'or_cond', `narrowing-free disjunction, depth ${d}`, (name) => {
      this.rs.add(name, [ref(name), lit('||'), ref(this.andCond(d))]);
      this.rs.add(name, [ref(this.andCond(d))]);
    });
  }

  private andCond(d: number): string {
    return this.rule(`and_cond|${d}`, 'and_cond', `narrowing-free conjunction, depth ${d}`, (name) => {
      this.rs.add(name, [ref(name), lit('&&'), ref(this.notCond(d))]);
      this.rs.add(name, [ref(this.notCond(d))]);
    });
  }

  private notCond(d: number): string {
    return this.rule(`not_cond|${d}`, 'not_cond', `narrowing-free operand, depth ${d}`, (name) => {
      const bang = this.rule(`bang|${d}`, 'bang', `negation, depth ${d}`, (bn) => {
        this.rs.add(bn, [lit('!'), ref(bn)]);
        this.rs.add(bn, [lit('!'), ref(this.truthy(d))]);
        this.rs.add(bn, [ref(this.atom(this.T.bool, d, 'cond'))]);
      });
      this.rs.add(name, [ref(bang)]);
      this.rs.add(name, [ref(this.compare(d, 'call'))]);
    });
  }

  /** What `!`/`not` may apply to besides booleans. */
  private truthy(d: number): string {
    return this.rule(`truthy|${d}`, 'truthy', `value tested for truth, depth ${d}`, (name) => {
      const lang = this.s.lang;
      if (!this.ts) {
        this.rs.add(name, [ref(this.atom(unionOf([this.T.str, this.T.num], lang), d))]);
        for (const [uk, u] of this.universe) {
          const t = u.type;
          if ((isNullable(t, lang) && membersOf(t).length > 1) || t.kind === 'array' || t.kind === 'map' || t.kind === 'tuple') this.rs.add(name, [ref(this.val(uk, d))]);
        }
        return;
      }
      // TypeScript: no literals (`!""` is "always truthy", an error); references only where their
      // narrowing is harmless (primitives: `!s` leaves `s` a string; an object reference would
      // become `undefined` and its `?.` members errors); chains with a call are never narrowed.
      const isPrim = (t: Ty): boolean => (t.kind === 'prim' && ['string', 'number', 'boolean', 'bigint'].includes(t.name)) || (t.kind === 'literal' && t.base !== 'enum');
      for (const [uk, u] of this.universe) {
        const t = u.type;
        const base = nonNullable(t, lang);
        const nullable = isNullable(t, lang) && membersOf(t).length > 1;
        if (nullable || isPrim(t)) this.rs.add(name, [ref(this.val(uk, d, 'call'))]);
        if ((t.kind === 'prim' && isPrim(t)) || (nullable && base.kind === 'prim' && isPrim(base))) this.rs.add(name, [ref(this.val(uk, d, 'ref'))]);
      }
    });
  }

  /**
   * Comparisons. `mode` is what the left operand of an equality may be: `call` (never narrowed:
   * safe in a condition) or `all`. Relational operators never narrow. TypeScript compares exact
   * `number`/`string` values with numbers/strings, literal unions with their members, nullable
   * values with `null`/`undefined` (members they have); booleans are not compared with `===`.
   */
  private compare(d: number, mode: 'all' | 'call'): string {
    return this.rule(`cmp|${d}|${mode}`, 'compare', `comparison${mode === 'call' ? ' (narrowing-free)' : ''}, depth ${d}`, (name) => {
      const eq = this.ops(this.ts ? 'eq_ts' : 'eq_py', this.ts ? ['===', '!==', '==', '!='] : ['==', '!=']);
      const has = (t: Ty): string | undefined => (this.universe.has(typeKey(t)) ? typeKey(t) : undefined);
      const left = (k: string): GSym => ref(this.val(k, d, mode));
      if (this.ts) {
        const sum = ref(this.arith(d, false));
        this.rs.add(name, [sum, ref(this.ops('rel_lt', ['<', '<='])), sum]);
        // `a < b, c > (d)` reads as a call with type arguments: after `>`, no leading `(`.
        this.rs.add(name, [sum, ref(this.ops('rel_gt', ['>', '>='])), ref(this.arith(d, true))]);
        // Exact numbers and strings, and their nullable forms (`x?.length === 3`), against numbers and strings.
        for (const [uk, u] of this.universe) {
          const base = typeKey(nonNullable(u.type, 'typescript'));
          if (base !== 'number' && base !== 'string') continue;
          if (uk !== base && !isNullable(u.type, 'typescript')) continue;
          this.rs.add(name, [left(uk), ref(eq), base === 'number' ? sum : ref(this.concat(d))]);
        }
      } else {
        const sum = ref(this.arith(d, false, 'float'));
        this.rs.add(name, [sum, ref(this.ops('rel_py', ['<', '<=', '>', '>='])), sum]);
        for (const t of [this.T.int, this.T.float]) {
          const n = has(t);
          if (n) this.rs.add(name, [left(n), ref(eq), sum]);
        }
        const s = has(this.T.str);
        if (s) this.rs.add(name, [left(s), ref(eq), ref(this.concat(d))]);
        const b = has(this.T.bool);
        if (b) this.rs.add(name, [left(b), ref(eq), ref(this.atom(this.T.bool, d))]);
        const inop = this.ops('in_py', ['in', 'not in']);
        for (const [uk, u] of this.universe) {
          const t = u.type;
          const elem = t.kind === 'array' ? t.elem : t.kind === 'map' ? t.key : t.kind === 'named' && t.name === 'set' && t.args.length === 1 ? t.args[0]! : t.kind === 'prim' && t.name === 'str' ? t : undefined;
          if (elem) this.rs.add(name, [ref(this.atom(elem, d)), ref(inop), ref(this.val(uk, d))]);
        }
      }
      // Literal unions against their own members; nullable values against null/undefined/None.
      for (const [uk, u] of this.universe) {
        const ms = membersOf(u.type);
        const lits = ms.filter((m): m is LiteralTy => m.kind === 'literal' && m.base !== 'enum');
        if (lits.length > 0 && ms.every((m) => m.kind === 'literal' || isNullish(m, this.s.lang))) {
          for (const l of lits) for (const alt of this.literalForms(l, d)) this.rs.add(name, [left(uk), ref(eq), ...alt]);
        }
        if (ms.length > 1 || isNullish(u.type, this.s.lang)) {
          for (const m of ms) {
            if (!isNullish(m, this.s.lang) || m.kind !== 'prim') continue;
            if (this.ts) this.rs.add(name, [left(uk), ref(eq), lit(m.name)]);
            else {
              this.rs.add(name, [left(uk), lit('is'), lit('None')]);
              this.rs.add(name, [left(uk), lit('is'), lit('not'), lit('None')]);
            }
          }
        }
      }
    });
  }
}
