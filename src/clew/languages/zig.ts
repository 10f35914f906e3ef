/**
 * Zig facts from a tree-sitter-zig (tree-sitter-grammars) tree, in one recursive pass.
 *
 * In Zig a type is a value: `const Point = struct { … };` declares the type `Point`, and a function
 * returning `type` whose body returns `struct { … }` is a generic type (`fn List(comptime T: type) type`),
 * recorded as a struct with type parameter `T`. Imports are `@import("…")` bound to a const.
 * `pub` (or `export`) declarations are exported; everything else is private to the file.
 */
import type { Node } from 'web-tree-sitter';
import type {
  BindingFact, FunctionFact, HoleKind, ParamFact, ScopeFact, TypeFact, TypeKind,
} from '../../core/index.ts';
import { SIGNAL, bump } from '../signals.ts';
import {
  NOT_IMPLEMENTED_RE, addIdentifier, docBefore, emptyFacts, lineOf, makeHole, oneLine, spanOf, unquote,
} from './common.ts';
import { ChildWalker } from './child-walker.ts';
import { finishScopes, functionScope, type ScopeTracking } from './scope-bindings.ts';
import type { ExtractedFacts } from './types.ts';

const CONTAINER_KINDS: Record<string, TypeKind> = {
  struct_declaration: 'struct', enum_declaration: 'enum', union_declaration: 'union', opaque_declaration: 'struct',
};

/**
 * `pub`, `const`/`var`, the declared name and the value of a variable_declaration (it has no name
 * field). The name is the first named child and the value the last; the keywords are read from the
 * source between the declaration's start and its name, which avoids materializing keyword nodes.
 */
function readVarDecl(node: Node, source: string): { pub: boolean; isConst: boolean; name: Node | undefined; value: Node | undefined } {
  const n = node.namedChildCount;
  const first = n > 0 ? node.namedChild(0) : null;
  if (!first || first.type !== 'identifier') return { pub: false, isConst: false, name: undefined, value: undefined };
  const head = source.slice(node.startIndex, first.startIndex);
  let value: Node | undefined;
  if (n > 1) {
    const last = node.namedChild(n - 1);
    if (last && last.type !== 'comment' && node.childForFieldName('type')?.id !== last.id) value = last;
  }
  return { pub: /\b(pub|export)\b/.test(head), isConst: /\bconst\b/.test(head), name: first, value };
}

/** The imported path when `value` is `@import("x")` or `@import("x").a.b`, with the member path. */
function importOf(value: Node): { module: string; member?: string } | undefined {
  let node = value;
  const members: string[] = [];
  while (node.type === 'field_expression') {
    const m = node.childForFieldName('member');
    if (m) members.unshift(m.text);
    const o = node.childForFieldName('object');
    if (!o) return undefined;
    node = o;
  }
  if (node.type !== 'builtin_function') return undefined;
  if (node.namedChildren[0]?.text !== '@import') return undefined;
  const arg = node.namedChildren[1]?.namedChildren[0];
  if (!arg || arg.type !== 'string') return undefined;
  const module = unquote(arg.text);
  return members.length > 0 ? { module, member: members.join('.') } : { module };
}

/** `///` doc comments directly above; a `//!` comment documents the file, not the next declaration. */
function zigDoc(node: Node): string | undefined {
  const prev = node.previousSibling;
  if (prev && prev.type === 'comment' && prev.text.startsWith('//!')) return undefined;
  return docBefore(node, true);
}

/** A parameter type that is the container itself: `Self`, `*const Self`, `@This()`, `*Point`. */
function receiverRe(typeName: string): RegExp {
  return new RegExp(`^\\*?(const\\s+)?(Self|@This\\(\\)|${typeName.replace(/[^\w]/g, '')})$`);
}

class ZigWalker extends ChildWalker implements ScopeTracking {
  readonly out: ExtractedFacts = emptyFacts();
  private container: string | undefined;
  private type: TypeFact | undefined;
  private fn: FunctionFact | undefined;
  private scope: ScopeFact | undefined;
  readonly moduleBindings: BindingFact[] = [];
  readonly typeOfScope = new Map<ScopeFact, TypeFact>();
  /** Methods in declaration order; their signatures go into TypeFact.methods once bodies are read. */
  readonly methodOwners: { type: TypeFact; fn: FunctionFact }[] = [];
  /** Bodies already walked as a recovered function's body (see `function_signature`). */
  private readonly consumed = new Set<number>();
  /** Source ranges of function bodies, to find the function around an `unreachable` hole. */
  private readonly fnRanges: { start: number; end: number; fact: FunctionFact }[] = [];

  constructor(private readonly source: string) {
    super();
  }

  visit(node: Node): void {
    switch (node.type) {
      case 'initializer_list': if (this.consumed.has(node.id)) { this.consumed.delete(node.id); return; } break;
      case 'variable_declaration': return this.varDecl(node);
      case 'function_declaration': return this.func(node, node.childForFieldName('body'));
      case 'function_signature':
        // Error recovery can leave `fn name(…) T` as a signature whose body is the next sibling.
        if (node.childForFieldName('name')) {
          const next = node.nextNamedSibling;
          const body = next && next.type === 'initializer_list' ? next : null;
          if (body) this.consumed.add(body.id);
          return this.func(node, body);
        }
        break;
      case 'test_declaration': return this.testDecl(node);
      case 'ERROR': return this.recover(node);
      case 'container_field': return this.field(node);
      case 'struct_declaration': case 'enum_declaration': case 'union_declaration': case 'opaque_declaration':
        return this.anonymousContainer(node);
      case 'builtin_function': this.builtin(node); break;
      case 'try_expression': bump(this.out.signals, SIGNAL.QUESTION_OP); break;
      case 'catch_expression':
        bump(this.out.signals, this.lastChildIs(node, 'unreachable') ? SIGNAL.UNWRAP : SIGNAL.TRY);
        break;
      case 'payload':
        // `|item, i|`, `|*p|`, `|err|`: captures are locals of the function.
        if (this.scope) {
          const n = node.namedChildCount;
          for (let i = 0; i < n; i++) {
            const c = node.namedChild(i);
            if (c && c.type === 'identifier' && c.text !== '_') {
              this.scope.bindings.push({ name: c.text, kind: 'local' });
              addIdentifier(this.out.identifiers, c.text, 'variable', c);
            }
          }
        }
        return;
      case 'null_coercion_expression': bump(this.out.signals, SIGNAL.UNWRAP); break; // `x.?`
      case 'return_expression':
        if (node.namedChild(0)?.type === 'error_type') bump(this.out.signals, SIGNAL.THROW);
        break;
      // Leaves, literals and types hold nothing to extract; returning early saves the child lookup.
      case 'comment': case 'string': case 'integer': case 'float': case 'identifier': case 'builtin_type':
      case 'pointer_type': case 'slice_type': case 'nullable_type': case 'error_union_type': case 'array_type':
      case 'boolean': return;
      default: break;
    }
    this.visitChildren(node);
  }

  private lastChildIs(node: Node, type: string): boolean {
    const n = node.childCount;
    return n > 0 && node.child(n - 1)?.type === type;
  }

  /**
   * `unreachable; // TODO …`: an `unreachable` whose line says TODO / not implemented is a hole.
   * Found by one regex pass over the source (the keyword is rare), then checked against the tree
   * and attached to the innermost function around it.
   */
  private unreachableHoles(root: Node): void {
    const re = /\bunreachable\b[^\n]*/g;
    for (let m = re.exec(this.source); m; m = re.exec(this.source)) {
      const rest = m[0].slice('unreachable'.length);
      const said = NOT_IMPLEMENTED_RE.exec(rest);
      if (!said || !rest.includes('//')) continue;
      const node = root.descendantForIndex(m.index, m.index + 'unreachable'.length);
      if (!node || node.type !== 'unreachable') continue;
      let enclosing: FunctionFact | undefined;
      for (const r of this.fnRanges) if (r.start <= m.index && m.index < r.end && (!enclosing || r.fact.line >= enclosing.line)) enclosing = r.fact;
      const kind: HoleKind = /todo/i.test(said[0]) ? 'todo' : 'not_implemented';
      this.out.holes.push(makeHole(kind, node, `unreachable ${rest.replace(/^[\s;,]*\/\/\s*/, '// ')}`.trim(), enclosing));
    }
  }

  /** `@panic("TODO")`, `@panic("not implemented")`, `@compileError("unimplemented")`. */
  private builtin(node: Node): void {
    const name = node.namedChild(0)?.text;
    if (name !== '@panic' && name !== '@compileError') return;
    const arg = node.namedChildren[1]?.namedChildren[0];
    if (!arg || arg.type !== 'string') return;
    const msg = unquote(arg.text);
    if (!NOT_IMPLEMENTED_RE.test(msg)) return;
    this.out.holes.push(makeHole(/\btodo\b/i.test(msg) ? 'todo' : 'not_implemented', node, node.text, this.fn));
  }

  private varDecl(node: Node): void {
    const { pub, isConst, name, value } = readVarDecl(node, this.source);
    const nameText = name?.text ?? '';
    if (nameText.length === 0 || nameText === '_') {
      if (value) this.visit(value);
      return;
    }
    const line = lineOf(node);
    if (value) {
      const imp = this.fn ? undefined : importOf(value);
      if (imp) {
        // `const std = @import("std");` → module std bound as `std`; `const A = @import("m.zig").A;` → name A.
        if (imp.member === undefined) this.out.imports.push({ module: imp.module, names: [], alias: nameText, wildcard: false, line });
        else {
          const last = imp.member.slice(imp.member.lastIndexOf('.') + 1);
          this.out.imports.push({
            module: imp.module, names: [last === nameText ? { name: imp.member } : { name: imp.member, alias: nameText }], wildcard: false, line,
          });
        }
        if (!this.type) this.moduleBindings.push({ name: nameText, kind: 'import' });
        if (pub && !this.container) this.out.exports.push({ name: nameText, kind: 'reexport', from: imp.module, line });
        return;
      }
      const kind = CONTAINER_KINDS[value.type];
      if (kind || value.type === 'error_set_declaration') {
        this.namedType(node, nameText, value.type === 'error_set_declaration' ? 'enum' : kind!, value, pub, []);
        return;
      }
    }
    const typeNode = node.childForFieldName('type');
    const type = typeNode ? oneLine(typeNode.text) : undefined;
    const binding = (k: BindingFact['kind']): BindingFact => (type !== undefined ? { name: nameText, type, kind: k } : { name: nameText, kind: k });
    if (this.scope) {
      this.scope.bindings.push(binding('local'));
      addIdentifier(this.out.identifiers, nameText, 'variable', node);
    } else {
      addIdentifier(this.out.identifiers, nameText, isConst ? 'constant' : 'variable', node);
      if (!this.type && !this.fn) {
        this.moduleBindings.push(binding('module'));
        if (pub) this.out.exports.push({ name: nameText, kind: 'variable', line });
      }
    }
    if (value) this.visit(value);
  }

  /** A struct/enum/union/opaque/error set bound to a name (or returned from a type function). */
  private namedType(declNode: Node, name: string, kind: TypeKind, value: Node, pub: boolean, typeParams: string[], listExport = true): void {
    const fact: TypeFact = {
      name, kind, fields: [], methods: [], typeParams, bases: [], exported: pub, ...spanOf(declNode),
    };
    if (this.container) fact.container = this.container;
    const doc = zigDoc(declNode);
    if (doc !== undefined) fact.doc = doc;
    this.out.types.push(fact);
    if (listExport && pub && !this.container && !this.fn) this.out.exports.push({ name, kind: 'type', line: fact.line });
    if (value.type === 'error_set_declaration') {
      fact.members = value.namedChildren.filter((c) => c.type === 'identifier').map((c) => c.text);
      return;
    }
    // `union(enum)` / `enum(u8)`: the tag type is a base.
    let afterKeyword = false;
    for (const c of value.children) {
      if (c.type === '{') break;
      if (c.type === '(') afterKeyword = true;
      else if (afterKeyword && c.type !== ')') fact.bases.push(c.text);
    }
    const saved = [this.container, this.type, this.fn, this.scope] as const;
    this.container = this.container ? `${this.container}.${name}` : name;
    this.type = fact;
    this.fn = undefined;
    this.scope = undefined;
    this.visitChildren(value);
    [this.container, this.type, this.fn, this.scope] = saved;
  }

  /** `return struct { … };` inside `fn List(comptime T: type) type` is the generic type `List(T)`. */
  private anonymousContainer(node: Node): void {
    const fn = this.fn;
    if (fn && fn.returnType === 'type' && node.parent?.type === 'return_expression') {
      const typeParams = fn.params.filter((p) => p.type === 'type').map((p) => p.name);
      const saved = [this.fn, this.scope, this.container] as const;
      this.container = fn.container;
      this.fn = undefined;
      this.scope = undefined;
      this.namedType(node, fn.name, CONTAINER_KINDS[node.type]!, node, fn.exported, typeParams, false);
      [this.fn, this.scope, this.container] = saved;
      return;
    }
    // An anonymous container elsewhere: walk it for holes and signals, but its members belong to no named type.
    const saved = [this.type, this.fn, this.scope] as const;
    this.type = undefined;
    for (const c of node.namedChildren) if (c.type !== 'container_field') this.visit(c);
    [this.type, this.fn, this.scope] = saved;
  }

  private field(node: Node): void {
    const name = node.childForFieldName('name')?.text ?? '';
    if (!this.type || name.length === 0) return;
    if (this.type.kind === 'enum') {
      (this.type.members ??= []).push(name);
      return;
    }
    const t = node.childForFieldName('type');
    this.type.fields.push(t ? { name, type: oneLine(t.text), line: lineOf(node) } : { name, line: lineOf(node) });
    addIdentifier(this.out.identifiers, name, 'field', node);
  }

  /** A `test "…" { }` block: its locals belong to no function and are not module bindings. */
  private testDecl(node: Node): void {
    const saved = [this.fn, this.scope] as const;
    this.fn = undefined;
    this.scope = { function: '', line: lineOf(node), bindings: [] };
    this.visitChildren(node);
    [this.fn, this.scope] = saved;
  }

  /**
   * An ERROR node keeps the well-formed parts as children. `fn name(params…` whose signature broke
   * still shows as the `fn` keyword, the name and the parameters: record that function from them.
   */
  private recover(node: Node): void {
    let sawFn = false;
    for (const c of node.children) {
      if (c.type === 'fn') { sawFn = true; continue; }
      if (sawFn && c.type === 'identifier' && !this.fn) {
        const params: ParamFact[] = [];
        for (let p = c.nextSibling; p && (p.type === 'parameter' || !p.isNamed); p = p.nextSibling) {
          const n = p.type === 'parameter' ? p.childForFieldName('name') : null;
          if (n) params.push({ name: n.text });
        }
        const fact: FunctionFact = {
          name: c.text, kind: this.type ? 'method' : 'function', params, async: false, generator: false,
          exported: false, visibility: 'private', decorators: [], ...spanOf(c),
        };
        if (this.container) fact.container = this.container;
        this.out.functions.push(fact);
        sawFn = false;
        continue;
      }
      sawFn = false;
      if (c.isNamed) this.visit(c);
    }
  }

  private func(node: Node, body: Node | null): void {
    const nameNode = node.childForFieldName('name');
    if (!nameNode || nameNode.text.length === 0) return;
    const name = nameNode.text;
    let pub = false;
    let isExport = false;
    for (const c of node.children) {
      if (c.type === 'pub') pub = true;
      else if (c.type === 'export') isExport = true;
    }
    let paramList: Node | null = null;
    for (const c of node.namedChildren) if (c.type === 'parameters') { paramList = c; break; }
    const params = this.params(paramList);
    const ret = node.childForFieldName('type');
    const inType = this.type !== undefined;
    const fact: FunctionFact = {
      name,
      kind: inType ? 'method' : 'function',
      params,
      async: false,
      generator: false,
      exported: pub || isExport,
      visibility: pub || isExport ? 'public' : 'private',
      decorators: isExport ? ['export'] : [],
      ...spanOf(node),
    };
    if (ret) fact.returnType = oneLine(ret.text);
    const typeParams = params.filter((p) => p.type === 'type').map((p) => p.name);
    if (typeParams.length > 0) fact.typeParams = typeParams;
    if (this.container) fact.container = this.container;
    const doc = zigDoc(node);
    if (doc !== undefined) fact.doc = doc;
    this.out.functions.push(fact);
    if (this.type) this.methodOwners.push({ type: this.type, fn: fact });
    if ((pub || isExport) && !this.container) this.out.exports.push({ name, kind: 'function', line: fact.line });

    const s = this.out.signals;
    for (const p of params) {
      bump(s, p.type !== undefined ? SIGNAL.PARAM_ANNOTATED : SIGNAL.PARAM_UNANNOTATED);
      if (p.type === 'anytype') bump(s, SIGNAL.ANY);
    }
    if (ret) {
      bump(s, SIGNAL.RETURN_ANNOTATED);
      if (ret.type === 'error_union_type') bump(s, SIGNAL.ERR_RETURN);
      const ok = ret.type === 'error_union_type' ? ret.childForFieldName('ok') : ret;
      if (ok?.type === 'nullable_type') bump(s, SIGNAL.OPTION_RETURN);
    }

    const scope = functionScope(this.out, this, fact, params, node, this.type);

    if (!body) return;
    this.fnRanges.push({ start: body.startIndex, end: body.endIndex, fact });
    const saved = [this.fn, this.scope] as const;
    this.fn = fact;
    this.scope = scope;
    if (body.type === 'initializer_list') this.visitChildren(body);
    else this.visit(body);
    [this.fn, this.scope] = saved;
  }

  private params(list: Node | null): ParamFact[] {
    const out: ParamFact[] = [];
    if (!list) return out;
    for (const p of list.namedChildren) {
      if (p.type === 'ERROR') {
        // The grammar has no rule for C varargs (`args: ...` in extern fns): mark the parameter before.
        const last = out[out.length - 1];
        if (last && p.text.includes('...')) {
          last.variadic = true;
          if (last.name.length === 0 && last.type !== undefined) { last.name = last.type; delete last.type; }
        }
        continue;
      }
      if (p.type !== 'parameter') continue;
      const nameNode = p.childForFieldName('name');
      const typeNode = p.childForFieldName('type');
      const param: ParamFact = { name: nameNode ? nameNode.text : '' };
      if (typeNode) param.type = oneLine(typeNode.text);
      // `comptime T: type` is a compile-time parameter; the type text says so for signatures.
      if (p.children.some((c) => c.type === 'comptime') && param.type !== undefined && param.type !== 'type') param.type = `comptime ${param.type}`;
      if (p.text === '...') param.variadic = true;
      out.push(param);
    }
    return out.filter((p, i) => p.name.length > 0 || (i === out.length - 1 && p.variadic === true));
  }

  finish(root: Node): ExtractedFacts {
    if (this.source.includes('unreachable')) this.unreachableHoles(root);
    // Fields are reached through the receiver (`self: *Self`, `p: Point`): bound as `self.x`.
    return finishScopes(this.out, this, (scope, type) => {
      const recv = scope.bindings[0];
      return recv && recv.kind === 'parameter' && recv.type !== undefined && receiverRe(type.name).test(recv.type) ? (f) => `${recv.name}.${f}` : null;
    });
  }
}

export function extractZig(root: Node, source: string): ExtractedFacts {
  const w = new ZigWalker(source);
  w.visit(root);
  return w.finish(root);
}
