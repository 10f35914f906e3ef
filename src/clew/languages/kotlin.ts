/**
 * Kotlin facts from a tree-sitter-kotlin (tree-sitter-grammars 1.x) tree, in one recursive pass.
 *
 * The grammar gives few field names, so declarations are read by position: a function is
 * `modifiers? fun typeParams? (receiver .)? name (params) (: returnType)? where? body?`, and a
 * parameter's default value follows it as `= expr` inside the parameter list.
 * `suspend` counts as async; members of a `companion object` are static members of the outer class.
 */
import type { Node } from 'web-tree-sitter';
import type {
  BindingFact, FieldFact, FunctionFact, HoleKind, ParamFact, ScopeFact, TypeFact, TypeKind, Visibility,
} from '../../core/index.ts';
import { SIGNAL, bump } from '../signals.ts';
import {
  NOT_IMPLEMENTED_RE, addIdentifier, docBefore, emptyFacts, lineOf, makeHole, oneLine, qualifiedName, spanOf, unquote,
} from './common.ts';
import { ChildWalker } from './child-walker.ts';
import { finishScopes, functionScope, type ScopeTracking } from './scope-bindings.ts';
import type { ExtractedFacts } from './types.ts';

const TYPE_NODES = new Set([
  'user_type', 'nullable_type', 'function_type', 'parenthesized_type', 'non_nullable_type', 'type_reference', 'dynamic',
]);

interface Modifiers {
  visibility?: Visibility;
  annotations: string[];
  words: Set<string>;
}

/** Reads a `modifiers` node: visibility, annotations (without `@`), and the other modifier words. */
function readModifiers(node: Node | undefined): Modifiers {
  const m: Modifiers = { annotations: [], words: new Set() };
  if (!node) return m;
  for (const c of node.namedChildren) {
    if (c.type === 'annotation') m.annotations.push(oneLine(c.text.replace(/^@/, '')));
    else if (c.type === 'visibility_modifier') m.visibility = c.text as Visibility;
    else m.words.add(c.text);
  }
  return m;
}

function typeParamsOf(node: Node | undefined): string[] {
  if (!node) return [];
  const out: string[] = [];
  for (const c of node.namedChildren) if (c.type === 'type_parameter') out.push(oneLine(c.text));
  return out;
}

/** `Result<…>` / `kotlin.Result<…>` */
const RESULT_RE = /^(kotlin\.)?Result\s*</;

class KotlinWalker extends ChildWalker implements ScopeTracking {
  readonly out: ExtractedFacts = emptyFacts();
  private container: string | undefined;
  private type: TypeFact | undefined;
  private companion = false;
  private fn: FunctionFact | undefined;
  private scope: ScopeFact | undefined;
  readonly moduleBindings: BindingFact[] = [];
  readonly typeOfScope = new Map<ScopeFact, TypeFact>();
  /** Methods in declaration order; their signatures go into TypeFact.methods once bodies are read. */
  readonly methodOwners: { type: TypeFact; fn: FunctionFact }[] = [];

  visit(node: Node): void {
    switch (node.type) {
      case 'import': return this.importDecl(node);
      case 'class_declaration': case 'object_declaration': return this.typeDecl(node);
      case 'companion_object': return this.companionObject(node);
      case 'type_alias': return this.typeAlias(node);
      case 'function_declaration': return this.func(node);
      case 'secondary_constructor': return this.func(node);
      case 'property_declaration': this.property(node); break;
      case 'call_expression': this.call(node); break;
      case 'try_expression': bump(this.out.signals, SIGNAL.TRY); break;
      case 'for_statement': case 'lambda_parameters': this.loopVars(node); break;
      case 'catch_block': {
        // `catch (e: IOException)`: a local typed by the caught class.
        const id = node.namedChild(0);
        const t = node.namedChild(1);
        if (this.scope && id && id.type === 'identifier') {
          this.scope.bindings.push(t && TYPE_NODES.has(t.type) ? { name: id.text, type: oneLine(t.text), kind: 'local' } : { name: id.text, kind: 'local' });
          addIdentifier(this.out.identifiers, id.text, 'variable', id);
        }
        break;
      }
      case 'throw_expression': this.throwExpr(node); break;
      case 'unary_expression': case 'postfix_expression':
        if (node.child(node.childCount - 1)?.type === '!!' || node.childForFieldName('operator')?.type === '!!') bump(this.out.signals, SIGNAL.UNWRAP);
        break;
      case 'ERROR': return this.recover(node);
      // Leaves, literals and types hold nothing to extract; returning early saves the child lookup.
      case 'line_comment': case 'block_comment': case 'string_literal': case 'number_literal': case 'package_header':
      case 'identifier': case 'user_type': case 'nullable_type': case 'function_type': case 'boolean_literal':
      case 'this_expression': case 'character_literal': return;
      default: break;
    }
    this.visitChildren(node);
  }

  private importDecl(node: Node): void {
    let path = '';
    let alias: string | undefined;
    let wildcard = false;
    for (const c of node.children) {
      if (c.type === 'qualified_identifier') path = c.text;
      else if (c.type === 'identifier' && path.length > 0) alias = c.text;
      else if (c.type === '*') wildcard = true;
    }
    if (path.length === 0) return;
    // `import a.b.C as D` → module `a.b`, names [C as D]; `import a.b.*` → module `a.b`, wildcard.
    const cut = path.lastIndexOf('.');
    if (wildcard || cut < 0) {
      this.out.imports.push({ module: path, names: [], wildcard, line: lineOf(node) });
      return;
    }
    const name = path.slice(cut + 1);
    this.moduleBindings.push({ name: alias ?? name, kind: 'import' });
    this.out.imports.push({
      module: path.slice(0, cut), names: [alias ? { name, alias } : { name }], wildcard: false, line: lineOf(node),
    });
  }

  /**
   * An ERROR node keeps the well-formed parts as children. When a class header lost its structure
   * (`class Name(…) {` with a broken member), the keyword and name are still there: what follows
   * them inside the ERROR node is read as that class's body.
   */
  private recover(node: Node): void {
    let keyword: string | undefined;
    const saved = [this.container, this.type] as const;
    for (const c of node.children) {
      if (c.type === 'class' || c.type === 'interface' || c.type === 'object') { keyword = c.type; continue; }
      if (keyword && c.type === 'identifier' && !this.fn) {
        const fact: TypeFact = {
          name: c.text, kind: keyword === 'interface' ? 'interface' : keyword === 'object' ? 'object' : 'class',
          fields: [], methods: [], typeParams: [], bases: [], exported: true, ...spanOf(c),
        };
        if (this.container) fact.container = this.container;
        this.out.types.push(fact);
        this.container = this.container ? `${this.container}.${c.text}` : c.text;
        this.type = fact;
        keyword = undefined;
        continue;
      }
      keyword = undefined;
      if (c.type === 'primary_constructor' && this.type) this.primaryConstructor(c, this.type);
      else if (c.isNamed) this.visit(c);
    }
    [this.container, this.type] = saved;
  }

  private typeDecl(node: Node): void {
    const nameNode = node.childForFieldName('name');
    if (!nameNode || nameNode.text.length === 0) {
      this.visitChildren(node);
      return;
    }
    const name = nameNode.text;
    let mods: Modifiers = readModifiers(undefined);
    let kind: TypeKind = node.type === 'object_declaration' ? 'object' : 'class';
    let typeParams: string[] = [];
    const bases: string[] = [];
    let body: Node | undefined;
    let ctor: Node | undefined;
    for (const c of node.children) {
      switch (c.type) {
        case 'modifiers': mods = readModifiers(c); break;
        case 'interface': kind = 'interface'; break;
        case 'type_parameters': typeParams = typeParamsOf(c); break;
        case 'primary_constructor': ctor = c; break;
        case 'delegation_specifiers':
          for (const d of c.namedChildren) {
            const inner = d.namedChildren[0];
            const t = inner?.type === 'constructor_invocation' ? inner.namedChildren[0] : inner;
            if (t) bases.push(oneLine(t.text));
          }
          break;
        case 'class_body': case 'enum_class_body': body = c; break;
        default: break;
      }
    }
    if (kind === 'class' && mods.words.has('enum')) kind = 'enum';
    const visibility = mods.visibility ?? 'public';
    const fact: TypeFact = {
      name, kind, fields: [], methods: [], typeParams, bases, exported: visibility === 'public' || visibility === 'internal', ...spanOf(node),
    };
    if (this.container) fact.container = this.container;
    const doc = docBefore(node, true);
    if (doc !== undefined) fact.doc = doc;
    this.out.types.push(fact);
    if (!this.container && !this.fn && visibility !== 'private') this.out.exports.push({ name, kind: 'type', line: fact.line });

    const saved = [this.container, this.type, this.companion, this.fn, this.scope] as const;
    this.container = this.container ? `${this.container}.${name}` : name;
    this.type = fact;
    this.companion = false;
    this.fn = undefined;
    this.scope = undefined;
    if (ctor) this.primaryConstructor(ctor, fact);
    if (body) {
      for (const c of body.namedChildren) {
        if (c.type === 'enum_entry') {
          const m = c.namedChildren.find((x) => x.type === 'identifier');
          if (m) (fact.members ??= []).push(m.text);
        } else this.visit(c);
      }
    }
    [this.container, this.type, this.companion, this.fn, this.scope] = saved;
  }

  /**
   * `class A @Inject constructor(val x: Int, y: Int = 0)`: a constructor fact with those parameters;
   * `val`/`var` parameters are properties too.
   */
  private primaryConstructor(ctor: Node, fact: TypeFact): void {
    let list: Node | undefined;
    let mods = readModifiers(undefined);
    for (const c of ctor.namedChildren) {
      if (c.type === 'class_parameters') list = c;
      else if (c.type === 'modifiers') mods = readModifiers(c);
    }
    if (!list) return;
    const params: ParamFact[] = [];
    for (const p of list.namedChildren) {
      if (p.type !== 'class_parameter') continue;
      let name = '';
      let type: string | undefined;
      let isProp = false;
      let afterEq = false;
      let dflt: string | undefined;
      for (const c of p.children) {
        if (c.type === 'val' || c.type === 'var') isProp = true;
        else if (c.type === '=') afterEq = true;
        else if (afterEq && c.isNamed && dflt === undefined) dflt = oneLine(c.text);
        else if (c.type === 'identifier' && name.length === 0) name = c.text;
        else if (TYPE_NODES.has(c.type) && type === undefined) type = oneLine(c.text);
      }
      if (name.length === 0) continue;
      const param: ParamFact = { name };
      if (type !== undefined) param.type = type;
      if (dflt !== undefined) { param.default = dflt; param.optional = true; }
      params.push(param);
      if (isProp) {
        fact.fields.push(type !== undefined ? { name, type, line: lineOf(p) } : { name, line: lineOf(p) });
        addIdentifier(this.out.identifiers, name, 'field', p);
      } else addIdentifier(this.out.identifiers, name, 'parameter', p);
    }
    const visibility = mods.visibility ?? 'public';
    const fn: FunctionFact = {
      name: 'constructor', kind: 'constructor', params, async: false, generator: false,
      exported: fact.exported && (visibility === 'public' || visibility === 'internal'),
      visibility, decorators: mods.annotations, ...spanOf(ctor),
    };
    if (this.container) fn.container = this.container;
    this.out.functions.push(fn);
    this.methodOwners.push({ type: fact, fn });
    for (const p of params) bump(this.out.signals, p.type !== undefined ? SIGNAL.PARAM_ANNOTATED : SIGNAL.PARAM_UNANNOTATED);
    const scope: ScopeFact = {
      function: qualifiedName(fn), line: fn.line,
      bindings: params.map((p) => (p.type !== undefined ? { name: p.name, type: p.type, kind: 'parameter' as const } : { name: p.name, kind: 'parameter' as const })),
    };
    this.out.scopes.push(scope);
    this.typeOfScope.set(scope, fact);
  }

  private companionObject(node: Node): void {
    const saved = this.companion;
    this.companion = true;
    const body = node.namedChildren.find((c) => c.type === 'class_body');
    if (body) this.visitChildren(body);
    this.companion = saved;
  }

  private typeAlias(node: Node): void {
    const nameNode = node.childForFieldName('type');
    if (!nameNode) return;
    let typeParams: string[] = [];
    let aliasOf: string | undefined;
    let mods = readModifiers(undefined);
    for (const c of node.namedChildren) {
      if (c.type === 'type_parameters') typeParams = typeParamsOf(c);
      else if (c.type === 'modifiers') mods = readModifiers(c);
      else if (c !== nameNode && c.startIndex > nameNode.startIndex && aliasOf === undefined && c.type !== 'type_parameters') aliasOf = oneLine(c.text);
    }
    const visibility = mods.visibility ?? 'public';
    const fact: TypeFact = {
      name: nameNode.text, kind: 'type_alias', fields: [], methods: [], typeParams, bases: [],
      exported: visibility === 'public' || visibility === 'internal', ...spanOf(node),
    };
    if (aliasOf !== undefined) fact.aliasOf = aliasOf;
    if (this.container) fact.container = this.container;
    const doc = docBefore(node, true);
    if (doc !== undefined) fact.doc = doc;
    this.out.types.push(fact);
    if (!this.container && visibility !== 'private') this.out.exports.push({ name: fact.name, kind: 'type', line: fact.line });
  }

  private func(node: Node): void {
    const isCtor = node.type === 'secondary_constructor';
    const nameNode = isCtor ? null : node.childForFieldName('name');
    if (!isCtor && (!nameNode || nameNode.text.length === 0)) return;
    const name = isCtor ? 'constructor' : nameNode!.text;
    let mods = readModifiers(undefined);
    let typeParams: string[] = [];
    let paramsNode: Node | undefined;
    let returnNode: Node | undefined;
    let receiver: string | undefined;
    let body: Node | undefined;
    for (const c of node.namedChildren) {
      switch (c.type) {
        case 'modifiers': mods = readModifiers(c); break;
        case 'type_parameters': typeParams = typeParamsOf(c); break;
        case 'function_value_parameters': paramsNode = c; break;
        case 'function_body': case 'block': body = c; break;
        default:
          if (TYPE_NODES.has(c.type)) {
            if (paramsNode) returnNode ??= c;
            else if (nameNode && c.startIndex < nameNode.startIndex) receiver = oneLine(c.text);
          }
          break;
      }
    }
    const params = this.params(paramsNode);
    const inType = this.type !== undefined;
    const visibility = mods.visibility ?? 'public';
    const fact: FunctionFact = {
      name,
      kind: isCtor ? 'constructor' : inType ? 'method' : 'function',
      params,
      async: mods.words.has('suspend'),
      generator: false,
      exported: !this.fn && (visibility === 'public' || visibility === 'internal'),
      visibility,
      decorators: mods.annotations,
      ...spanOf(node),
    };
    if (returnNode) fact.returnType = oneLine(returnNode.text);
    if (typeParams.length > 0) fact.typeParams = typeParams;
    if (this.companion) fact.static = true;
    // Extension functions live on their receiver: `fun String.ext()` → container `String`.
    const container = this.container ?? receiver;
    if (container) fact.container = container;
    const doc = docBefore(node, true);
    if (doc !== undefined) fact.doc = doc;
    this.out.functions.push(fact);
    if (this.type) this.methodOwners.push({ type: this.type, fn: fact });
    if (!this.container && !this.fn && visibility !== 'private') this.out.exports.push({ name, kind: 'function', line: fact.line });

    const s = this.out.signals;
    if (fact.async) bump(s, SIGNAL.ASYNC_FN);
    for (const p of params) {
      bump(s, p.type !== undefined ? SIGNAL.PARAM_ANNOTATED : SIGNAL.PARAM_UNANNOTATED);
      if (p.type === 'Any' || p.type === 'Any?') bump(s, SIGNAL.ANY);
    }
    if (!isCtor) {
      bump(s, returnNode ? SIGNAL.RETURN_ANNOTATED : SIGNAL.RETURN_UNANNOTATED);
      if (returnNode?.type === 'nullable_type') bump(s, SIGNAL.OPTION_RETURN);
      if (fact.returnType !== undefined && RESULT_RE.test(fact.returnType)) bump(s, SIGNAL.RESULT_RETURN);
    }

    const scope = functionScope(this.out, this, fact, params, node, this.type);

    const saved = [this.fn, this.scope] as const;
    this.fn = fact;
    this.scope = scope;
    if (body) this.visit(body);
    for (const c of node.namedChildren) if (c.type === 'constructor_delegation_call') this.visit(c);
    [this.fn, this.scope] = saved;
  }

  private params(list: Node | undefined): ParamFact[] {
    const out: ParamFact[] = [];
    if (!list) return out;
    let vararg = false;
    let expectDefault = false;
    for (const c of list.children) {
      if (c.type === 'parameter_modifiers') {
        if (c.text.includes('vararg')) vararg = true;
      } else if (c.type === 'parameter') {
        let name = '';
        let type: string | undefined;
        for (const x of c.namedChildren) {
          if (x.type === 'identifier' && name.length === 0) name = x.text;
          else if (TYPE_NODES.has(x.type) && type === undefined) type = oneLine(x.text);
        }
        if (name.length > 0) {
          const p: ParamFact = { name };
          if (type !== undefined) p.type = type;
          if (vararg) p.variadic = true;
          out.push(p);
        }
        vararg = false;
      } else if (c.type === '=') expectDefault = true;
      else if (expectDefault && c.isNamed) {
        const last = out[out.length - 1];
        if (last) { last.default = oneLine(c.text); last.optional = true; }
        expectDefault = false;
      }
    }
    return out;
  }

  private property(node: Node): void {
    let mods = readModifiers(undefined);
    const decls: { name: string; type?: string; node: Node }[] = [];
    for (const c of node.namedChildren) {
      if (c.type === 'modifiers') mods = readModifiers(c);
      else if (c.type === 'variable_declaration') decls.push(this.varDecl(c));
      else if (c.type === 'multi_variable_declaration') {
        for (const v of c.namedChildren) if (v.type === 'variable_declaration') decls.push(this.varDecl(v));
      }
    }
    const isConst = mods.words.has('const');
    // Where the declaration sits decides what it is: a class member, a top-level property, or a local
    // (also inside `init { }` blocks and lambdas at class level, which have no scope of their own).
    const parent = node.parent?.type;
    const isMember = this.type !== undefined && (parent === 'class_body' || parent === 'enum_class_body');
    const isTop = parent === 'source_file';
    for (const d of decls) {
      if (d.name.length === 0) continue;
      if (!isMember && !isTop) {
        if (this.scope) this.scope.bindings.push(d.type !== undefined ? { name: d.name, type: d.type, kind: 'local' } : { name: d.name, kind: 'local' });
        addIdentifier(this.out.identifiers, d.name, 'variable', d.node);
      } else if (this.scope) {
        this.scope.bindings.push(d.type !== undefined ? { name: d.name, type: d.type, kind: 'local' } : { name: d.name, kind: 'local' });
        addIdentifier(this.out.identifiers, d.name, 'variable', d.node);
      } else if (isMember && this.type) {
        const f: FieldFact = d.type !== undefined ? { name: d.name, type: d.type, line: lineOf(d.node) } : { name: d.name, line: lineOf(d.node) };
        this.type.fields.push(f);
        addIdentifier(this.out.identifiers, d.name, isConst ? 'constant' : 'field', d.node);
      } else {
        this.moduleBindings.push(d.type !== undefined ? { name: d.name, type: d.type, kind: 'module' } : { name: d.name, kind: 'module' });
        addIdentifier(this.out.identifiers, d.name, isConst ? 'constant' : 'variable', d.node);
        if (mods.visibility !== 'private') this.out.exports.push({ name: d.name, kind: 'variable', line: lineOf(d.node) });
      }
    }
  }

  /** `for (x in xs)`, `for ((a, b) in pairs)`, `{ y -> … }`: loop and lambda variables are locals. */
  private loopVars(node: Node): void {
    if (!this.scope) return;
    const n = node.namedChildCount;
    for (let i = 0; i < n; i++) {
      const c = node.namedChild(i);
      if (!c) continue;
      const decls = c.type === 'variable_declaration' ? [c]
        : c.type === 'multi_variable_declaration' ? c.namedChildren.filter((x) => x.type === 'variable_declaration') : [];
      for (const v of decls) {
        const d = this.varDecl(v);
        if (d.name.length === 0 || d.name === '_') continue;
        this.scope.bindings.push(d.type !== undefined ? { name: d.name, type: d.type, kind: 'local' } : { name: d.name, kind: 'local' });
        addIdentifier(this.out.identifiers, d.name, 'variable', v);
      }
    }
  }

  private varDecl(v: Node): { name: string; type?: string; node: Node } {
    let name = '';
    let type: string | undefined;
    for (const x of v.namedChildren) {
      if (x.type === 'identifier' && name.length === 0) name = x.text;
      else if (TYPE_NODES.has(x.type) && type === undefined) type = oneLine(x.text);
    }
    return type !== undefined ? { name, type, node: v } : { name, node: v };
  }

  private call(node: Node): void {
    const callee = node.namedChild(0);
    if (!callee) return;
    if (callee.type === 'identifier' && callee.text === 'TODO') {
      this.out.holes.push(makeHole('todo', node, node.text, this.fn));
    } else if (callee.type === 'navigation_expression') {
      const last = callee.namedChild(callee.namedChildCount - 1);
      if (last && last.text === 'await') bump(this.out.signals, SIGNAL.AWAIT);
    }
  }

  /** `throw NotImplementedError()`, `throw UnsupportedOperationException("Not implemented")`. */
  private throwExpr(node: Node): void {
    bump(this.out.signals, SIGNAL.THROW);
    const created = node.namedChildren[0];
    if (!created || created.type !== 'call_expression') return;
    const cls = created.namedChildren[0]?.text ?? '';
    const args = created.namedChildren.find((c) => c.type === 'value_arguments');
    const first = args?.namedChildren[0]?.namedChildren[0];
    const message = first && first.type === 'string_literal' ? unquote(first.text) : undefined;
    const msgSays = message !== undefined && NOT_IMPLEMENTED_RE.test(message);
    if (!(/NotImplemented/.test(cls) || (msgSays && /(Exception|Error)$/.test(cls)))) return;
    const kind: HoleKind = message !== undefined && /\btodo\b/i.test(message) ? 'todo' : 'not_implemented';
    this.out.holes.push(makeHole(kind, node, node.text, this.fn));
  }

  finish(): ExtractedFacts {
    return finishScopes(this.out, this);
  }
}

export function extractKotlin(root: Node, _source: string): ExtractedFacts {
  const w = new KotlinWalker();
  w.visit(root);
  return w.finish();
}
