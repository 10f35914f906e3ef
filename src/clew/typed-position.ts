/**
 * A typed expression position in a file, for the types domain (docs/braid-types.md): given the
 * range of text to be generated, whether it is an expression whose type the file states, that
 * type, and what can be used there.
 *
 * Positions: the initializer of an annotated variable or field (`const x: T = ⟨range⟩`,
 * `x: T = ⟨range⟩`), an argument of a call to a function of the same file whose parameter is
 * annotated, and the returned expression of a function with a declared return type (TypeScript
 * `async`: the type inside `Promise<…>`; arrow functions with an expression body too).
 *
 * What is in scope: the enclosing function's ScopeFact (Clew's scope bindings, scope-bindings.ts:
 * parameters, locals, outer functions' names, module names), kept only where the syntax tree shows
 * the name is visible at the position (declared before it, in an enclosing block: Clew's scopes
 * have no positions), plus the parameters of anonymous functions around it, `this` in methods
 * (Python's `self` comes typed from Clew), and the module's declarations. Types are those written;
 * an unannotated variable initialized with a literal (or `new C(…)`/`C(…)` of a class of the file)
 * gets that literal's type (`const` keeps the literal type, `let` widens it). A variable whose
 * initializer is `undefined`/`null`/`None` is left out: its type is narrowed there. Functions and
 * types (fields with their optional/readonly/visibility marks, methods, bases, enum members) come
 * from Clew's facts of the file, read again from the tree where the facts do not say enough
 * (TypeScript optional and private fields, Python keyword-only parameters).
 */
import type { Node } from 'web-tree-sitter';
import { AnankeError, type BindingFact, type FileFacts, type FunctionFact, type Language, type ScopeFact, type TypedField, type TypedFunction, type TypedParam } from '../core/index.ts';
import { extractFile } from './extract-file.ts';
import { parse } from './parser.ts';

/** The identifier the range is replaced with before parsing (the range may be empty or broken code). */
export const HOLE = '__ananke_hole__';

/** Parameters, functions and fields as the types domain takes them (core's TypedParam, …). */
export type TypedPositionParam = TypedParam;
export type TypedPositionFunction = TypedFunction;
export type TypedPositionField = TypedField;

export interface TypedPositionType {
  name: string;
  kind: string;
  fields: TypedPositionField[];
  methods: TypedPositionFunction[];
  typeParams: string[];
  aliasOf?: string;
  bases: string[];
  members?: string[];
  abstract?: boolean;
}

export interface TypedPosition {
  language: 'typescript' | 'python';
  /** The expected type, as written in the file. */
  expected: string;
  where: 'initializer' | 'argument' | 'return';
  /** Innermost first; untyped ones included (a consumer must not use them). */
  bindings: BindingFact[];
  functions: TypedPositionFunction[];
  types: TypedPositionType[];
  /** Inside an async function (`await` is allowed). */
  async: boolean;
}

const TS_FUNCTIONS = new Set(['function_declaration', 'generator_function_declaration', 'function_expression', 'function', 'generator_function', 'arrow_function', 'method_definition']);
const PY_FUNCTIONS = new Set(['function_definition', 'lambda']);

function same(a: Node | null | undefined, b: Node | null | undefined): boolean {
  return !!a && !!b && a.startIndex === b.startIndex && a.endIndex === b.endIndex && a.type === b.type;
}

function named(n: Node): Node[] {
  return n.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
}

function annotationText(n: Node | null): string | undefined {
  if (!n) return undefined;
  const t = n.text.replace(/^\s*(:|->)\s*/, '').replace(/\s+/g, ' ').trim();
  return t === '' ? undefined : t;
}

function isAsync(fn: Node): boolean {
  return fn.children.some((c) => c?.type === 'async') || /^async\b/.test(fn.text);
}

/** `Promise<X>` → `X` (an async function's return statement gives an X). */
function unwrapPromise(t: string): string | undefined {
  const m = /^Promise\s*<([\s\S]*)>$/.exec(t.trim());
  return m ? m[1]!.trim() : undefined;
}

// ---- where the hole is ----

interface Context {
  expected: string;
  where: TypedPosition['where'];
}

function tsContext(hole: Node, facts: FileFacts, ts: TsTree): Context | undefined {
  const p = hole.parent;
  if (!p) return undefined;
  if ((p.type === 'variable_declarator' || p.type === 'public_field_definition') && same(p.childForFieldName('value'), hole)) {
    const t = annotationText(p.childForFieldName('type'));
    return t ? { expected: t, where: 'initializer' } : undefined;
  }
  const fnReturn = (fn: Node | null): Context | undefined => {
    if (!fn || fn.type.startsWith('generator') || /^(async\s+)?function\s*\*/.test(fn.text) || /^\s*(async\s+)?\*/.test(fn.text)) return undefined;
    const t = annotationText(fn.childForFieldName('return_type'));
    if (!t) return undefined;
    if (isAsync(fn)) {
      const inner = unwrapPromise(t);
      return inner ? { expected: inner, where: 'return' } : undefined;
    }
    return { expected: t, where: 'return' };
  };
  if (p.type === 'return_statement') return fnReturn(ts.enclosingFunction(p));
  if (p.type === 'arrow_function' && same(p.childForFieldName('body'), hole)) return fnReturn(p);
  if (p.type === 'arguments' && p.parent?.type === 'call_expression') {
    const callee = p.parent.childForFieldName('function');
    if (!callee || callee.type !== 'identifier') return undefined;
    const args = named(p);
    const index = args.findIndex((a) => same(a, hole));
    if (index < 0 || args.slice(0, index).some((a) => a.type === 'spread_element')) return undefined;
    const fns = facts.functions.filter((f) => f.container === undefined && f.kind === 'function' && f.name === callee.text);
    if (fns.length !== 1 || fns[0]!.overloads?.length || fns[0]!.typeParams?.length) return undefined;
    const params = fns[0]!.params;
    let type: string | undefined;
    for (let i = 0; i < params.length; i++) {
      const prm = params[i]!;
      if (prm.variadic) {
        if (i <= index && prm.type) type = /^(?:readonly\s+)?\(?(.+?)\)?\[\]$/.exec(prm.type)?.[1] ?? /^(?:Readonly)?Array<(.+)>$/.exec(prm.type)?.[1];
        break;
      }
      if (i === index) { type = prm.type; break; }
    }
    return type ? { expected: type, where: 'argument' } : undefined;
  }
  return undefined;
}

interface PyParam { name: string; type?: string; optional: boolean; kind: 'pos' | 'kwonly' | 'args' | 'kwargs' | 'posonly' }

/** A Python `def`'s parameters as written, with their kinds (Clew's facts drop the `*` and `/` markers). */
function pyParams(fn: Node): PyParam[] {
  const list = fn.childForFieldName('parameters');
  if (!list) return [];
  const out: PyParam[] = [];
  let kwonly = false;
  for (const p of named(list)) {
    switch (p.type) {
      case 'keyword_separator': kwonly = true; continue;
      case 'positional_separator': for (const q of out) q.kind = 'posonly'; continue;
      case 'list_splat_pattern': case 'dictionary_splat_pattern': {
        const kwargs = p.type === 'dictionary_splat_pattern';
        out.push({ name: p.text.replace(/^\*+/, ''), optional: true, kind: kwargs ? 'kwargs' : 'args' });
        if (!kwargs) kwonly = true;
        continue;
      }
      default: break;
    }
    const first = p.type === 'identifier' ? p : (p.childForFieldName('name') ?? p.namedChild(0));
    if (!first) continue;
    const type = annotationText(p.childForFieldName('type'));
    if (first.type === 'list_splat_pattern' || first.type === 'dictionary_splat_pattern') {
      const kwargs = first.type === 'dictionary_splat_pattern';
      const q: PyParam = { name: first.text.replace(/^\*+/, ''), optional: true, kind: kwargs ? 'kwargs' : 'args' };
      if (type) q.type = type;
      out.push(q);
      if (!kwargs) kwonly = true;
      continue;
    }
    const q: PyParam = { name: first.text, optional: p.type === 'default_parameter' || p.type === 'typed_default_parameter', kind: kwonly ? 'kwonly' : 'pos' };
    if (type) q.type = type;
    out.push(q);
  }
  return out;
}

function toTypedParams(ps: readonly PyParam[]): TypedPositionParam[] {
  const out: TypedPositionParam[] = [];
  let marked = false;
  for (const p of ps) {
    if (p.kind === 'kwonly' && !marked) { out.push({ name: '*' }); marked = true; }
    const name = p.kind === 'args' ? `*${p.name}` : p.kind === 'kwargs' ? `**${p.name}` : p.name;
    const q: TypedPositionParam = { name };
    if (p.type !== undefined) q.type = p.type;
    if (p.optional) q.optional = true;
    if (p.kind === 'args' || p.kind === 'kwargs') { q.variadic = true; marked = true; }
    if (p.kind === 'kwargs') q.kwargs = true;
    if (p.kind === 'kwonly') q.keywordOnly = true;
    out.push(q);
  }
  return out;
}

function pyContext(hole: Node, py: PyTree): Context | undefined {
  const p = hole.parent;
  if (!p) return undefined;
  if (p.type === 'assignment' && same(p.childForFieldName('right'), hole)) {
    const t = annotationText(p.childForFieldName('type'));
    return t ? { expected: t, where: 'initializer' } : undefined;
  }
  if (p.type === 'return_statement') {
    const fn = py.enclosingFunction(p);
    if (!fn || fn.type !== 'function_definition') return undefined;
    const t = annotationText(fn.childForFieldName('return_type'));
    return t ? { expected: t, where: 'return' } : undefined;
  }
  let list: Node | null = null;
  let keyword: string | undefined;
  if (p.type === 'argument_list') list = p;
  else if (p.type === 'keyword_argument' && same(p.childForFieldName('value'), hole) && p.parent?.type === 'argument_list') {
    list = p.parent;
    keyword = p.childForFieldName('name')?.text;
  }
  if (!list || list.parent?.type !== 'call') return undefined;
  const callee = list.parent.childForFieldName('function');
  if (!callee || callee.type !== 'identifier') return undefined;
  const def = py.moduleFunction(callee.text);
  if (!def || def.childForFieldName('type_parameters')) return undefined;
  const params = pyParams(def);
  let type: string | undefined;
  if (keyword !== undefined) {
    type = params.find((q) => q.name === keyword && (q.kind === 'pos' || q.kind === 'kwonly'))?.type;
  } else {
    const args = named(list);
    const index = args.findIndex((a) => same(a, hole));
    if (index < 0 || args.slice(0, index).some((a) => a.type !== 'identifier' && /splat|keyword_argument/.test(a.type))) return undefined;
    const positional = params.filter((q) => q.kind === 'pos' || q.kind === 'posonly');
    if (index < positional.length) type = positional[index]!.type;
    else type = params.find((q) => q.kind === 'args')?.type;
  }
  return type ? { expected: type, where: 'argument' } : undefined;
}

// ---- what is visible ----

interface Seen {
  name: string;
  type?: string;
  kind: BindingFact['kind'];
  /** Excluded even if Clew lists it (initialized to undefined/null/None: narrowed). */
  narrowed?: boolean;
}

/** What an unannotated initializer's type can be read from: the file's classes and its functions' declared return types. */
interface Known {
  classes: ReadonlySet<string>;
  /** Functions of the file with one non-generic signature and a declared return type (Python: and whether `async def`). */
  returns: ReadonlyMap<string, { type: string; async: boolean }>;
}

/**
 * The type of an unannotated initializer: a literal's (a `const` keeps the literal type), a
 * construction of a class of the file, or a call of a function of the file with a declared return
 * type (awaited: the type inside `Promise<…>`, or a Python coroutine's result). What the checkers
 * infer there is exactly that type.
 */
function inferredType(value0: Node | null, isConst: boolean, lang: 'typescript' | 'python', known: Known): string | undefined {
  if (!value0) return undefined;
  let value = value0;
  const awaited = value.type === 'await_expression' || value.type === 'await';
  if (awaited) {
    const inner = value.namedChildren.find((c) => c !== null && c.type !== 'comment');
    if (!inner) return undefined;
    value = inner;
  }
  const t = value.type;
  const text = value.text;
  const callee = t === 'call_expression' || t === 'call' ? value.childForFieldName('function') : null;
  if (callee?.type === 'identifier' && !value.childForFieldName('type_arguments')) {
    const r = known.returns.get(callee.text);
    if (r) {
      if (lang === 'typescript') return awaited ? unwrapPromise(r.type) : r.type;
      return r.async === awaited ? r.type : undefined;
    }
  }
  if (awaited) return undefined;
  const classes = known.classes;
  if (lang === 'typescript') {
    if (t === 'string' && !/[\\\n]/.test(text)) return isConst ? text : 'string';
    if (t === 'template_string' && !text.includes('${') && !/[\\`]/.test(text.slice(1, -1))) return isConst ? JSON.stringify(text.slice(1, -1)) : 'string';
    if (t === 'number' && /^[0-9][0-9_]*(\.[0-9_]+)?([eE][+-]?[0-9]+)?$/.test(text)) return isConst ? text.replace(/_/g, '') : 'number';
    if (t === 'unary_expression' && /^-\s*[0-9][0-9_]*(\.[0-9_]+)?$/.test(text)) return isConst ? text.replace(/[\s_]/g, '') : 'number';
    if (t === 'true' || t === 'false') return isConst ? t : 'boolean';
    if (t === 'new_expression') {
      const c = value.childForFieldName('constructor');
      if (c?.type === 'identifier' && classes.has(c.text) && !value.childForFieldName('type_arguments')) return c.text;
    }
    return undefined;
  }
  if (t === 'string' && !/^[a-zA-Z]*[fFbB]/.test(text)) return 'str';
  if (t === 'integer') return 'int';
  if (t === 'float') return 'float';
  if (t === 'true' || t === 'false') return 'bool';
  if (t === 'call') {
    const c = value.childForFieldName('function');
    if (c?.type === 'identifier' && classes.has(c.text)) return c.text;
  }
  return undefined;
}

function isNullInit(value: Node | null): boolean {
  return !!value && /^(undefined|null|None)$/.test(value.text.trim());
}

class TsTree {
  constructor(readonly root: Node, readonly known: Known) {}

  enclosingFunction(n: Node): Node | null {
    for (let a = n.parent; a; a = a.parent) if (TS_FUNCTIONS.has(a.type)) return a;
    return null;
  }

  /** Declarations of one statement (names, written or inferred types). */
  declarations(s0: Node, kind: BindingFact['kind'], out: Seen[]): void {
    const s = s0.type === 'export_statement' ? (s0.childForFieldName('declaration') ?? s0) : s0;
    if (s.type === 'lexical_declaration' || s.type === 'variable_declaration') {
      const isConst = /^const\b/.test(s.text);
      for (const d of named(s)) {
        if (d.type !== 'variable_declarator') continue;
        const nameNode = d.childForFieldName('name');
        if (!nameNode) continue;
        const value = d.childForFieldName('value');
        if (nameNode.type !== 'identifier') {
          for (const id of identifiersIn(nameNode)) out.push({ name: id, kind });
          continue;
        }
        const written = annotationText(d.childForFieldName('type'));
        const type = written ?? inferredType(value, isConst, 'typescript', this.known);
        const seen: Seen = { name: nameNode.text, kind };
        if (type !== undefined) seen.type = type;
        if (!isConst && isNullInit(value)) seen.narrowed = true;
        out.push(seen);
      }
    } else if (['function_declaration', 'generator_function_declaration', 'class_declaration', 'abstract_class_declaration', 'enum_declaration'].includes(s.type)) {
      const n = s.childForFieldName('name');
      if (n) out.push({ name: n.text, kind });
    } else if (s.type === 'import_statement') {
      for (const id of s.descendantsOfType(['identifier']).filter((x): x is Node => x !== null)) {
        if (id.parent?.type === 'import_specifier' && same(id.parent.childForFieldName('name'), id) && id.parent.childForFieldName('alias')) continue;
        out.push({ name: id.text, kind: 'import' });
      }
    }
  }

  /** Parameters of a function node (annotated ones with their types). */
  params(fn: Node, out: Seen[]): void {
    const single = fn.childForFieldName('parameter');
    if (single) { out.push({ name: single.text, kind: 'parameter' }); return; }
    const list = fn.childForFieldName('parameters');
    if (!list) return;
    for (const p of named(list)) {
      const pattern = p.childForFieldName('pattern') ?? p;
      if (pattern.type === 'this') continue;
      if (pattern.type !== 'identifier') { for (const id of identifiersIn(pattern)) out.push({ name: id, kind: 'parameter' }); continue; }
      const type = annotationText(p.childForFieldName('type'));
      // An optional parameter without `undefined` in its annotation still holds undefined.
      const optional = p.type === 'optional_parameter' && !p.childForFieldName('value');
      const seen: Seen = { name: pattern.text, kind: 'parameter' };
      if (type !== undefined) seen.type = optional && !/\bundefined\b/.test(type) ? `${type} | undefined` : type;
      out.push(seen);
    }
  }

  /** What is visible at `hole`, innermost first, and `this`'s class when there is one. */
  visible(hole: Node): { seen: Seen[]; thisType?: string; inFunction: boolean } {
    const seen: Seen[] = [];
    let thisType: string | undefined;
    let thisDecided = false;
    let inFunction = false;
    let child: Node = hole;
    for (let a = hole.parent; a; child = a, a = a.parent) {
      if (TS_FUNCTIONS.has(a.type)) {
        inFunction = true;
        this.params(a, seen);
        if (!thisDecided && a.type !== 'arrow_function') {
          thisDecided = true;
          if (a.type === 'method_definition' && !/^\s*(?:[\w@]+\s+)*static\b/.test(a.text.slice(0, (a.childForFieldName('name')?.startIndex ?? a.startIndex) - a.startIndex))) {
            const cls = a.parent?.parent;
            const cname = cls && /class/.test(cls.type) ? cls.childForFieldName('name') : null;
            if (cname && !cls!.childForFieldName('type_parameters')) thisType = cname.text;
          }
        }
        continue;
      }
      if (a.type === 'statement_block' || a.type === 'program' || a.type === 'switch_case' || a.type === 'switch_default') {
        const atModule = a.type === 'program';
        for (const s of named(a)) {
          if (s.startIndex <= hole.startIndex && hole.endIndex <= s.endIndex) continue; // the statement holding the hole
          const before = s.endIndex <= hole.startIndex;
          const hoisted = /^(export_statement|function_declaration|generator_function_declaration)$/.test(s.type) && /function/.test((s.childForFieldName('declaration') ?? s).type);
          if (before || hoisted || (atModule && inFunction)) this.declarations(s, atModule ? (s.type === 'import_statement' ? 'import' : 'module') : 'local', seen);
        }
      } else if ((a.type === 'for_statement' || a.type === 'for_in_statement') && !same(child, a.childForFieldName('initializer'))) {
        const init = a.childForFieldName('initializer');
        if (init) this.declarations(init, 'local', seen);
        const left = a.type === 'for_in_statement' ? a.childForFieldName('left') : null;
        if (left) for (const id of identifiersIn(left)) seen.push({ name: id, kind: 'local' });
      } else if (a.type === 'catch_clause') {
        const prm = a.childForFieldName('parameter');
        if (prm) for (const id of identifiersIn(prm)) seen.push({ name: id, kind: 'local' });
      }
    }
    return thisType ? { seen, thisType, inFunction } : { seen, inFunction };
  }
}

class PyTree {
  constructor(readonly root: Node, readonly known: Known) {}

  enclosingFunction(n: Node): Node | null {
    for (let a = n.parent; a; a = a.parent) if (PY_FUNCTIONS.has(a.type)) return a;
    return null;
  }

  moduleFunction(name: string): Node | undefined {
    for (const s of named(this.root)) {
      const d = s.type === 'decorated_definition' ? s.childForFieldName('definition') : s;
      if (d?.type === 'function_definition' && d.childForFieldName('name')?.text === name) return d;
    }
    return undefined;
  }

  /** Names bound by statements of a body that end before `limit` (not inside nested scopes). */
  private bound(body: Node, limit: number, kind: BindingFact['kind'], out: Seen[]): void {
    const visit = (n: Node): void => {
      for (const c of named(n)) {
        if (c.startIndex >= limit) return;
        switch (c.type) {
          case 'function_definition': case 'class_definition': {
            const nm = c.childForFieldName('name');
            if (nm && c.endIndex <= limit) out.push({ name: nm.text, kind });
            continue;
          }
          case 'decorated_definition': visit(c); continue;
          case 'lambda': case 'list_comprehension': case 'dictionary_comprehension': case 'set_comprehension': case 'generator_expression': continue;
          case 'assignment': {
            if (c.endIndex > limit) { visit(c); continue; }
            const left = c.childForFieldName('left');
            const value = c.childForFieldName('right');
            if (left?.type === 'identifier') {
              const type = annotationText(c.childForFieldName('type')) ?? inferredType(value, false, 'python', this.known);
              const s: Seen = { name: left.text, kind };
              if (type !== undefined) s.type = type;
              if (isNullInit(value) && !c.childForFieldName('type')) s.narrowed = true;
              out.push(s);
            } else if (left) {
              for (const id of identifiersIn(left)) out.push({ name: id, kind });
            }
            continue;
          }
          case 'for_statement': {
            const left = c.childForFieldName('left');
            if (left) for (const id of identifiersIn(left)) out.push({ name: id, kind });
            visit(c);
            continue;
          }
          case 'import_statement': case 'import_from_statement': {
            for (const id of c.descendantsOfType(['identifier', 'dotted_name']).filter((x): x is Node => x !== null)) {
              if (id.type === 'identifier' && id.parent?.type === 'dotted_name') continue;
              if (id.parent?.type === 'aliased_import' && !same(id.parent.childForFieldName('alias'), id)) continue;
              if (c.type === 'import_from_statement' && same(c.childForFieldName('module_name'), id)) continue;
              out.push({ name: id.text.split('.')[0]!, kind: 'import' });
            }
            continue;
          }
          default: visit(c);
        }
      }
    };
    visit(body);
  }

  visible(hole: Node): { seen: Seen[]; inFunction: boolean } {
    const seen: Seen[] = [];
    let inFunction = false;
    for (let a = hole.parent; a; a = a.parent) {
      if (a.type === 'lambda') {
        const ps = a.childForFieldName('parameters');
        if (ps) for (const id of identifiersIn(ps)) seen.push({ name: id, kind: 'parameter' });
      } else if (a.type === 'function_definition') {
        const ps = pyParams(a);
        for (const p of ps) {
          const s: Seen = { name: p.name, kind: 'parameter' };
          if (p.type !== undefined) s.type = p.kind === 'args' ? `tuple[${p.type}, ...]` : p.kind === 'kwargs' ? `dict[str, ${p.type}]` : p.type;
          seen.push(s);
        }
        const body = a.childForFieldName('body');
        if (body) this.bound(body, inFunction ? body.endIndex : hole.startIndex, 'local', seen);
        inFunction = true;
      } else if (a.type === 'module') {
        this.bound(a, inFunction ? a.endIndex : hole.startIndex, 'module', seen);
      }
    }
    return { seen, inFunction };
  }
}

/** Identifiers bound by a pattern (`a`, `{ a, b: c }`, `[x, ...ys]`, `(a, b)`). */
function identifiersIn(n: Node): string[] {
  if (n.type === 'identifier' || n.type === 'shorthand_property_identifier_pattern') return [n.text];
  const out: string[] = [];
  for (const c of named(n)) {
    if (c.type === 'pair_pattern') { const v = c.childForFieldName('value'); if (v) out.push(...identifiersIn(v)); continue; }
    if (/type_annotation|^type$/.test(c.type) || c.type.endsWith('_type')) continue;
    out.push(...identifiersIn(c));
  }
  return out;
}

// ---- types and functions from Clew's facts ----

function methodOf(f: FunctionFact, lang: 'typescript' | 'python', pyNode: Node | undefined): TypedPositionFunction {
  const m: TypedPositionFunction = {
    name: f.kind === 'constructor' && lang === 'typescript' ? 'constructor' : f.name,
    params: lang === 'python' && pyNode ? toTypedParams(pyParams(pyNode)) : f.params.map((p) => {
      const q: TypedPositionParam = { name: p.name };
      if (p.type !== undefined) q.type = p.type;
      if (p.optional) q.optional = true;
      if (p.variadic) q.variadic = true;
      return q;
    }),
  };
  if (f.returnType !== undefined) m.returnType = f.returnType;
  if (f.typeParams?.length) m.typeParams = f.typeParams;
  if (f.async) m.async = true;
  if (f.static || (lang === 'python' && f.decorators.includes('classmethod'))) m.static = true;
  if (f.visibility !== undefined) m.visibility = f.visibility;
  return m;
}

/** TypeScript fields read from the declaration (Clew's FieldFact has no optional or visibility marks). */
function tsFields(decl: Node, source: string): TypedPositionField[] {
  const body = decl.childForFieldName('body');
  if (!body) return [];
  const out: TypedPositionField[] = [];
  for (const m of named(body)) {
    if (m.type === 'public_field_definition' || m.type === 'property_signature') {
      const nameNode = m.childForFieldName('name') ?? m.childForFieldName('property');
      if (!nameNode || !/^(property_identifier|private_property_identifier|string)$/.test(nameNode.type)) continue;
      const typeNode = m.childForFieldName('type');
      const head = source.slice(m.startIndex, nameNode.startIndex);
      const between = source.slice(nameNode.endIndex, typeNode?.startIndex ?? nameNode.endIndex + 1);
      const f: TypedPositionField = { name: nameNode.type === 'string' ? nameNode.text.slice(1, -1) : nameNode.text };
      const type = annotationText(typeNode);
      if (type !== undefined) f.type = type;
      if (between.includes('?')) f.optional = true;
      if (/\breadonly\b/.test(head)) f.readonly = true;
      if (/\bstatic\b/.test(head)) f.static = true;
      const vis = /\b(private|protected|public)\b/.exec(head)?.[1] ?? (nameNode.type === 'private_property_identifier' ? 'private' : undefined);
      if (vis) f.visibility = vis;
      if (/\bdeclare\b|\babstract\b/.test(head) && !f.type) continue;
      out.push(f);
    } else if (m.type === 'method_definition' && m.childForFieldName('name')?.text === 'constructor') {
      // Parameter properties: `constructor(private readonly x: T, public y?: U)`.
      const list = m.childForFieldName('parameters');
      for (const p of list ? named(list) : []) {
        const mod = p.namedChildren.find((c) => c?.type === 'accessibility_modifier');
        const ro = p.children.some((c) => c?.type === 'readonly');
        if (!mod && !ro) continue;
        const pattern = p.childForFieldName('pattern');
        if (!pattern || pattern.type !== 'identifier') continue;
        const f: TypedPositionField = { name: pattern.text };
        const type = annotationText(p.childForFieldName('type'));
        if (type !== undefined) f.type = type;
        if (p.type === 'optional_parameter') f.optional = true;
        if (ro) f.readonly = true;
        if (mod) f.visibility = mod.text;
        out.push(f);
      }
    }
  }
  return out;
}

/** TypeScript members that are not plain methods: getters (read as fields), setters and optional methods (not called). */
function tsMemberMarks(decl: Node): { getters: Map<string, string | undefined>; hidden: Set<string> } {
  const getters = new Map<string, string | undefined>();
  const hidden = new Set<string>();
  const body = decl.childForFieldName('body');
  for (const m of body ? named(body) : []) {
    if (m.type !== 'method_definition' && m.type !== 'method_signature' && m.type !== 'abstract_method_signature') continue;
    const name = m.childForFieldName('name')?.text;
    if (!name) continue;
    const kinds = m.children.map((c) => c?.type);
    if (kinds.includes('get')) getters.set(name, annotationText(m.childForFieldName('return_type')));
    else if (kinds.includes('set') || kinds.includes('?')) hidden.add(name);
  }
  for (const g of getters.keys()) hidden.delete(g);
  return { getters, hidden };
}

function typesOf(facts: FileFacts, lang: 'typescript' | 'python', root: Node, source: string, pyDefs: Map<string, Node>): TypedPositionType[] {
  const decls = new Map<string, Node>();
  if (lang === 'typescript') {
    for (const s0 of named(root)) {
      const s = s0.type === 'export_statement' ? (s0.childForFieldName('declaration') ?? s0) : s0;
      const n = s.childForFieldName('name');
      if (n && /class_declaration|interface_declaration/.test(s.type)) decls.set(n.text, s);
    }
  }
  const out: TypedPositionType[] = [];
  for (const t of facts.types) {
    if (t.container !== undefined || t.kind === 'module' || t.kind === 'impl' || !/^[\p{L}_$][\p{L}\p{N}_$]*$/u.test(t.name)) continue;
    const decl = decls.get(t.name);
    const marks = decl ? tsMemberMarks(decl) : { getters: new Map<string, string | undefined>(), hidden: new Set<string>() };
    const fields: TypedPositionField[] = decl ? tsFields(decl, source) : t.fields.map((f) => (f.type !== undefined ? { name: f.name, type: f.type } : { name: f.name }));
    const methods: TypedPositionFunction[] = [];
    for (const f of facts.functions) {
      if (f.container !== t.name || (f.kind !== 'method' && f.kind !== 'constructor') || f.overloads?.length) continue;
      // Accessors are read as fields (`get x()`, Python `@property`); setters, optional and overloaded methods are not called.
      if (marks.hidden.has(f.name) || f.decorators.some((d) => /(^|\.)(overload|\w+\.(setter|deleter))$/.test(d))) continue;
      if (marks.getters.has(f.name) || f.decorators.some((d) => /(^|\.)(property|cached_property)$/.test(d))) {
        if (fields.some((x) => x.name === f.name)) continue;
        const type = marks.getters.get(f.name) ?? f.returnType;
        fields.push(type !== undefined ? { name: f.name, type, readonly: true } : { name: f.name, readonly: true });
        continue;
      }
      methods.push(methodOf(f, lang, pyDefs.get(`${f.container}.${f.name}@${f.endLine}`)));
    }
    const ty: TypedPositionType = { name: t.name, kind: t.kind, fields, methods, typeParams: t.typeParams, bases: t.bases };
    if (t.aliasOf !== undefined) ty.aliasOf = t.aliasOf;
    if (t.members) ty.members = t.members;
    if (decl?.type === 'abstract_class_declaration') ty.abstract = true;
    if (lang === 'python' && (t.bases.some((b) => /\bABC\b|ABCMeta|Protocol/.test(b)) || facts.functions.some((f) => f.container === t.name && f.decorators.some((d) => /abstractmethod/.test(d))))) ty.abstract = true;
    out.push(ty);
  }
  return out;
}

/** Every Python `def` of the tree by `Container.name@endLine`, to read its parameters again. */
function pythonDefs(root: Node): Map<string, Node> {
  const out = new Map<string, Node>();
  const visit = (n: Node, chain: string[]): void => {
    for (const c of named(n)) {
      const d = c.type === 'decorated_definition' ? c.childForFieldName('definition') : c;
      if (!d) continue;
      if (d.type === 'function_definition' || d.type === 'class_definition') {
        const name = d.childForFieldName('name')?.text ?? '';
        if (d.type === 'function_definition') out.set(`${chain.join('.') || 'undefined'}.${name}@${d.endPosition.row + 1}`, d);
        const body = d.childForFieldName('body');
        if (body) visit(body, [...chain, name]);
      } else if (c.type !== 'decorated_definition') {
        visit(c, chain);
      }
    }
  };
  visit(root, []);
  return out;
}

/** The ScopeFact of the innermost named function around the hole (Clew names arrows assigned to a variable). */
function scopeOf(hole: Node, facts: FileFacts, lang: 'typescript' | 'python'): ScopeFact | undefined {
  const fnTypes = lang === 'python' ? PY_FUNCTIONS : TS_FUNCTIONS;
  for (let a = hole.parent; a; a = a.parent) {
    if (!fnTypes.has(a.type)) continue;
    let anchor: Node = a;
    let name = a.childForFieldName('name')?.text;
    if (!name && a.parent && /variable_declarator|public_field_definition/.test(a.parent.type)) {
      anchor = a.parent;
      name = a.parent.childForFieldName('name')?.text;
    }
    if (a.parent?.type === 'decorated_definition') anchor = a.parent;
    if (!name) continue;
    const line = anchor.startPosition.row + 1;
    const hit = facts.scopes.find((s) => s.line === line && (s.function === name || s.function.endsWith(`.${name}`)));
    if (hit) return hit;
  }
  return undefined;
}

export async function typedPositionAt(language: Language, source: string, start: number, end: number): Promise<TypedPosition | undefined> {
  if (language !== 'typescript' && language !== 'tsx' && language !== 'python') return undefined;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end > source.length) {
    throw new AnankeError('USAGE', `typed position ${start}-${end} is not a range of the source (0-${source.length})`);
  }
  const lang: 'typescript' | 'python' = language === 'python' ? 'python' : 'typescript';
  const text = source.slice(0, start) + HOLE + source.slice(end);
  const facts = await extractFile('<typed-position>', text, language);
  const tree = await parse(language, text);
  try {
    const root = tree.rootNode;
    const hole = root.descendantForIndex(start, start + HOLE.length);
    if (!hole || hole.type !== 'identifier' || hole.text !== HOLE) return undefined;
    const classes = new Set(facts.types.filter((t) => t.kind === 'class' || t.kind === 'record').map((t) => t.name));
    const returns = new Map<string, { type: string; async: boolean }>();
    const byName = new Map<string, number>();
    for (const f of facts.functions) if (f.container === undefined && f.kind === 'function') byName.set(f.name, (byName.get(f.name) ?? 0) + 1);
    for (const f of facts.functions) {
      if (f.container !== undefined || f.kind !== 'function' || byName.get(f.name) !== 1 || f.overloads?.length || f.typeParams?.length || f.returnType === undefined || f.generator) continue;
      returns.set(f.name, { type: f.returnType, async: f.async });
    }
    // A name some function binds as a parameter or local may shadow the module function there.
    for (const sc of facts.scopes) for (const b of sc.bindings) if (b.kind === 'local' || b.kind === 'parameter') returns.delete(b.name);
    const known: Known = { classes, returns };
    const ts = new TsTree(root, known);
    const py = new PyTree(root, known);
    const ctx = lang === 'python' ? pyContext(hole, py) : tsContext(hole, facts, ts);
    if (!ctx) return undefined;

    // Bindings: what the tree shows visible, typed from the tree, else from Clew's scope.
    const vis = lang === 'python' ? py.visible(hole) : ts.visible(hole);
    const scope = scopeOf(hole, facts, lang);
    const clewTypes = new Map<string, string>();
    for (const b of scope?.bindings ?? []) if (b.type !== undefined && !b.name.includes('.') && !clewTypes.has(b.name)) clewTypes.set(b.name, b.type);
    const bindings: BindingFact[] = [];
    const names = new Set<string>();
    const thisType = (vis as { thisType?: string }).thisType;
    if (thisType !== undefined) { bindings.push({ name: 'this', type: thisType, kind: 'parameter' }); names.add('this'); }
    for (const s of vis.seen) {
      if (names.has(s.name) || s.name === HOLE) continue;
      names.add(s.name);
      if (s.narrowed) continue;
      const type = s.type ?? (s.kind === 'parameter' || s.kind === 'local' ? clewTypes.get(s.name) : undefined);
      bindings.push(type !== undefined ? { name: s.name, type, kind: s.kind } : { name: s.name, kind: s.kind });
    }

    // Functions callable by name: the module's (and functions of enclosing blocks, when visible).
    const pyDefs = lang === 'python' ? pythonDefs(root) : new Map<string, Node>();
    const enclosing = scope ? [scope.function] : [];
    const functions: TypedPositionFunction[] = [];
    const shadowed = new Set(bindings.filter((b) => b.kind === 'local' || b.kind === 'parameter').map((b) => b.name));
    const holeLine = hole.startPosition.row + 1;
    for (const f of facts.functions) {
      if (f.kind !== 'function' || f.overloads?.length) continue;
      const local = f.container !== undefined && enclosing.includes(f.container);
      if (f.container !== undefined && !local) continue;
      if (local ? !names.has(f.name) : shadowed.has(f.name)) continue;
      // At module level, only what is defined before (TypeScript function declarations are hoisted).
      if (!vis.inFunction && f.line >= holeLine && !(lang === 'typescript' && isFunctionDeclaration(root, f.name))) continue;
      const fn = methodOf(f, lang, pyDefs.get(`${f.container ?? 'undefined'}.${f.name}@${f.endLine}`));
      delete fn.static;
      delete fn.visibility;
      functions.push(fn);
    }
    let async = false;
    for (let a = hole.parent; a; a = a.parent) {
      if ((lang === 'python' ? PY_FUNCTIONS : TS_FUNCTIONS).has(a.type)) { async = isAsync(a); break; }
    }
    return { language: lang, expected: ctx.expected, where: ctx.where, bindings, functions, types: typesOf(facts, lang, root, text, pyDefs), async };
  } finally {
    tree.delete();
  }
}

function isFunctionDeclaration(root: Node, name: string): boolean {
  return named(root).some((s0) => {
    const s = s0.type === 'export_statement' ? (s0.childForFieldName('declaration') ?? s0) : s0;
    return s.type === 'function_declaration' && s.childForFieldName('name')?.text === name;
  });
}
