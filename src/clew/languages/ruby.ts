/**
 * Ruby facts from a tree-sitter-ruby tree, in one recursive pass.
 *
 * Ruby has no type annotations, so types are only what the structure says: classes, modules,
 * `Struct.new`/`Data.define` constants, `attr_*` and `@ivar` fields, `include`/`extend` mixins as bases.
 * Visibility follows `private`/`protected`/`public` sections, `private def …` and `private :name`.
 */
import type { Node } from 'web-tree-sitter';
import type {
  BindingFact, FieldFact, FunctionFact, ParamFact, ScopeFact, TypeFact, Visibility,
} from '../../core/index.ts';
import { SIGNAL, bump } from '../signals.ts';
import {
  NOT_IMPLEMENTED_RE, addIdentifier, docBefore, emptyFacts, lineOf, makeHole, qualifiedName, signatureText, spanOf, unquote,
} from './common.ts';
import { ChildWalker } from './child-walker.ts';
import { completeScope, fieldBindings } from './scope-bindings.ts';
import type { ExtractedFacts } from './types.ts';

const VISIBILITY_WORDS: Record<string, Visibility> = { private: 'private', protected: 'protected', public: 'public' };
const ATTR_CALLS = new Set(['attr_reader', 'attr_writer', 'attr_accessor', 'attr']);
const MIXIN_CALLS = new Set(['include', 'extend', 'prepend']);
const IMPORT_CALLS = new Set(['require', 'require_relative', 'load', 'autoload']);

/** The doc comment above a declaration; the first statement of a body has its comment before the body node. */
function rubyDoc(node: Node): string | undefined {
  const doc = docBefore(node);
  if (doc !== undefined) return doc;
  const parent = node.parent;
  if (parent && parent.type === 'body_statement' && node.previousSibling === null) return docBefore(parent);
  return undefined;
}

function symbolName(node: Node): string | undefined {
  if (node.type === 'simple_symbol') return node.text.slice(1);
  if (node.type === 'string') return unquote(node.text);
  if (node.type === 'delimited_symbol') return node.text.slice(2, -1);
  return undefined;
}

/** `Foo::Bar` → `Foo.Bar`, the dotted form containers use. */
function dotted(name: string): string {
  return name.replace(/::/g, '.');
}


class RubyWalker extends ChildWalker {
  readonly out: ExtractedFacts = emptyFacts();
  private container: string | undefined;
  private type: TypeFact | undefined;
  private visibility: Visibility = 'public';
  private singleton = false;
  private fn: FunctionFact | undefined;
  private scope: ScopeFact | undefined;
  /** Top-level constants, visible in every method. */
  private readonly moduleBindings: BindingFact[] = [];
  private readonly seenOuterLocals = new Set<string>();
  private readonly typesByName = new Map<string, TypeFact>();
  /** Methods in declaration order; their signatures go into TypeFact.methods once bodies are read. */
  private readonly methodOwners: { type: TypeFact; fn: FunctionFact }[] = [];
  /** `private :a, :b` after the fact: container → name → visibility. */
  private readonly lateVisibility: { container: string | undefined; name: string; vis: Visibility }[] = [];

  /** Visits one node and, unless its handler took the whole subtree (returns true), its children. */
  visit(node: Node): boolean {
    switch (node.type) {
      case 'class': case 'module': { this.typeDecl(node); return true; }
      case 'singleton_class': { this.singletonClass(node); return true; }
      case 'method': case 'singleton_method': { this.method(node, undefined, node); return true; }
      case 'identifier':
        // A bare `private` / `protected` / `public` line opens a visibility section.
        if (this.type && !this.fn && node.parent?.type === 'body_statement') {
          const v = VISIBILITY_WORDS[node.text];
          if (v) this.visibility = v;
        }
        return true;
      case 'call': if (this.call(node)) return true; break;
      case 'assignment': case 'operator_assignment': if (this.assignment(node)) return true; break;
      case 'begin': bump(this.out.signals, SIGNAL.TRY); break;
      case 'rescue':
        // `def … rescue … end` is a begin block of its own; a `begin` was counted already.
        if (node.parent?.type === 'body_statement' && node.previousNamedSibling?.type !== 'rescue') bump(this.out.signals, SIGNAL.TRY);
        break;
      case 'rescue_modifier': bump(this.out.signals, SIGNAL.TRY); break;
      case 'ERROR': { this.recover(node); return true; }
      // Leaves and literals hold nothing to extract; returning early saves the child lookup.
      case 'comment': case 'string': case 'integer': case 'float': case 'simple_symbol': case 'constant':
      case 'instance_variable': case 'self': case 'nil': case 'true': case 'false': return true;
      default: break;
    }
    this.visitChildren(node);
    return false;
  }

  /**
   * An ERROR node keeps the well-formed parts as children; a `class Name` / `module Name` whose `end`
   * went missing shows up as the keyword, the constant and then its body, which we still read as the type.
   */
  private recover(node: Node): void {
    let pending: { keyword: string; name: Node } | undefined;
    let keyword: string | undefined;
    for (const c of node.children) {
      if (c.type === 'class' || c.type === 'module') { keyword = c.type; continue; }
      if (keyword && (c.type === 'constant' || c.type === 'scope_resolution')) { pending = { keyword, name: c }; keyword = undefined; continue; }
      keyword = undefined;
      if (pending && c.type === 'body_statement') {
        const fact = this.openType(pending.name, pending.name.text, pending.keyword === 'class' ? 'class' : 'module', [], pending.name);
        this.inType(fact, dotted(pending.name.text), c);
        pending = undefined;
        continue;
      }
      if (c.isNamed) this.visit(c);
    }
  }

  private typeDecl(node: Node): void {
    const nameNode = node.childForFieldName('name');
    if (!nameNode || nameNode.isMissing || nameNode.text.length === 0) {
      this.visitChildren(node);
      return;
    }
    const name = nameNode.text;
    const bases: string[] = [];
    const sup = node.childForFieldName('superclass');
    if (sup) { const b = sup.namedChildren[0]; if (b) bases.push(b.text); }
    const fact = this.openType(node, name, node.type === 'class' ? 'class' : 'module', bases, node);
    const body = node.childForFieldName('body');
    this.inType(fact, dotted(name), body);
  }

  private openType(node: Node, name: string, kind: TypeFact['kind'], bases: string[], docNode: Node): TypeFact {
    const fact: TypeFact = {
      name, kind, fields: [], methods: [], typeParams: [], bases, exported: true, ...spanOf(node),
    };
    if (this.container) fact.container = this.container;
    const doc = rubyDoc(docNode);
    if (doc !== undefined) fact.doc = doc;
    this.out.types.push(fact);
    this.typesByName.set(this.container ? `${this.container}.${dotted(name)}` : dotted(name), fact);
    if (!this.container && !this.fn) this.out.exports.push({ name, kind: kind === 'module' ? 'module' : 'type', line: fact.line });
    return fact;
  }

  /** Walks a type body with that type as the container, restoring the outer state afterwards. */
  private inType(fact: TypeFact, localName: string, body: Node | null): void {
    const saved = [this.container, this.type, this.visibility, this.singleton, this.fn, this.scope] as const;
    this.container = this.container ? `${this.container}.${localName}` : localName;
    this.type = fact;
    this.visibility = 'public';
    this.singleton = false;
    this.fn = undefined;
    this.scope = undefined;
    if (body) this.visitChildren(body);
    [this.container, this.type, this.visibility, this.singleton, this.fn, this.scope] = saved;
  }

  private singletonClass(node: Node): void {
    const saved = this.singleton;
    this.singleton = true;
    const body = node.childForFieldName('body');
    if (body) this.visitChildren(body);
    this.singleton = saved;
  }

  private method(node: Node, vis: Visibility | undefined, docNode: Node): void {
    const nameNode = node.childForFieldName('name');
    if (!nameNode || nameNode.isMissing || nameNode.text.length === 0) return;
    const name = nameNode.text;
    const isStatic = node.type === 'singleton_method' || this.singleton;
    const params = this.params(node.childForFieldName('parameters'));
    const inType = this.type !== undefined;
    const visibility = vis ?? (inType ? this.visibility : undefined);
    const fact: FunctionFact = {
      name,
      kind: name === 'initialize' && inType ? 'constructor' : inType ? 'method' : 'function',
      params,
      async: false,
      generator: false,
      exported: visibility === undefined || visibility === 'public',
      decorators: [],
      ...spanOf(node),
    };
    if (visibility) fact.visibility = visibility;
    if (isStatic) fact.static = true;
    if (this.container) fact.container = this.container;
    const doc = rubyDoc(docNode);
    if (doc !== undefined) fact.doc = doc;
    this.out.functions.push(fact);
    if (this.type) this.methodOwners.push({ type: this.type, fn: fact });
    if (!this.container && !this.fn) this.out.exports.push({ name, kind: 'function', line: fact.line });

    const bindings: BindingFact[] = [];
    for (const p of params) {
      // `*args` → args; `(a, b)` → a, b; `...` and bare `*` bind nothing.
      for (const bare of p.name.match(/[A-Za-z_][A-Za-z0-9_]*[?!]?/g) ?? []) {
        bindings.push({ name: bare, kind: 'parameter' });
        addIdentifier(this.out.identifiers, bare, 'parameter', node);
      }
    }
    const scope: ScopeFact = { function: qualifiedName(fact), line: fact.line, bindings };
    this.out.scopes.push(scope);

    const saved = [this.fn, this.scope] as const;
    this.fn = fact;
    this.scope = scope;
    const body = node.childForFieldName('body');
    if (body) this.visit(body);
    [this.fn, this.scope] = saved;
  }

  private params(list: Node | null): ParamFact[] {
    const out: ParamFact[] = [];
    if (!list) return out;
    for (const p of list.namedChildren) {
      const nameText = p.childForFieldName('name')?.text ?? '';
      switch (p.type) {
        case 'identifier': out.push({ name: p.text }); break;
        case 'optional_parameter': {
          const v = p.childForFieldName('value');
          out.push({ name: nameText, optional: true, ...(v ? { default: v.text } : {}) });
          break;
        }
        case 'keyword_parameter': {
          const v = p.childForFieldName('value');
          out.push(v ? { name: nameText, optional: true, default: v.text } : { name: nameText });
          break;
        }
        // Splats are variadic and named without their stars (as Python's *args/**kwargs are);
        // anonymous `*` / `**` keep the star as their name.
        case 'splat_parameter': out.push({ name: nameText || '*', variadic: true }); break;
        case 'hash_splat_parameter': out.push({ name: nameText || '**', variadic: true }); break;
        case 'block_parameter': out.push({ name: `&${nameText}`, optional: true }); break;
        case 'forward_parameter': out.push({ name: '...', variadic: true }); break;
        case 'destructured_parameter': out.push({ name: p.text }); break;
        default: break; // hash_splat_nil (`**nil`) takes nothing; ERROR nodes are skipped
      }
    }
    return out;
  }

  /** Handles a call; true when it took the whole subtree (`private def …`, `attr_reader`, `require`, …). */
  private call(node: Node): boolean {
    const method = node.childForFieldName('method');
    const receiver = node.childForFieldName('receiver');
    const args = node.childForFieldName('arguments');
    const name = method?.text ?? '';
    if (!receiver) {
      const vis = VISIBILITY_WORDS[name] ?? (name === 'private_class_method' ? 'private' : undefined);
      if (vis && args) {
        // `private def foo … end` or `private :foo, :bar`
        for (const a of args.namedChildren) {
          if (a.type === 'method' || a.type === 'singleton_method') this.method(a, vis, node);
          else {
            const s = symbolName(a);
            if (s !== undefined) this.lateVisibility.push({ container: this.container, name: s, vis });
          }
        }
        return true;
      }
      if (ATTR_CALLS.has(name) && args && this.type) {
        for (const a of args.namedChildren) {
          const s = symbolName(a);
          if (s !== undefined) this.addField(this.type, s, a);
        }
        return true;
      }
      if (MIXIN_CALLS.has(name) && args && this.type && !this.fn) {
        for (const a of args.namedChildren) if (a.type === 'constant' || a.type === 'scope_resolution') this.type.bases.push(a.text);
        return true;
      }
      if (IMPORT_CALLS.has(name) && args) {
        const first = args.namedChildren[name === 'autoload' ? 1 : 0];
        if (first && first.type === 'string') {
          this.out.imports.push({ module: unquote(first.text), names: [], wildcard: false, line: lineOf(node) });
          if (name === 'autoload') {
            const sym = args.namedChildren[0];
            const s = sym ? symbolName(sym) : undefined;
            if (s !== undefined) this.out.imports[this.out.imports.length - 1]!.names.push({ name: s });
          }
        }
        return true;
      }
      if (name === 'raise' || name === 'fail') {
        bump(this.out.signals, SIGNAL.THROW);
        const first = args?.namedChildren[0];
        if (first && this.isNotImplemented(first)) {
          this.out.holes.push(makeHole('not_implemented', node, node.text, this.fn));
        }
      }
    }
    return false;
  }

  private isNotImplemented(arg: Node): boolean {
    if (arg.type === 'constant') return arg.text === 'NotImplementedError';
    // `raise NotImplementedError.new("…")`
    if (arg.type === 'call') return arg.childForFieldName('receiver')?.text === 'NotImplementedError';
    // `raise "not implemented"`
    if (arg.type === 'string') return NOT_IMPLEMENTED_RE.test(arg.text);
    return false;
  }

  private addField(type: TypeFact, name: string, node: Node): void {
    if (type.fields.some((f: FieldFact) => f.name === name)) return;
    type.fields.push({ name, line: lineOf(node) });
    addIdentifier(this.out.identifiers, name, 'field', node);
  }

  /** Records the assignment's targets; true when it declared a type whose body was walked already. */
  private assignment(node: Node): boolean {
    const left = node.childForFieldName('left');
    if (!left) return false;
    let walked = false;
    const targets = left.type === 'left_assignment_list' ? left.namedChildren : [left];
    for (const t of targets) {
      if (t.type === 'identifier') this.local(t.text, t);
      else if (t.type === 'instance_variable') {
        if (this.type && this.fn) this.addField(this.type, t.text.slice(1), t);
      } else if (t.type === 'constant') {
        addIdentifier(this.out.identifiers, t.text, 'constant', t);
        // Top-level constants are visible in every method (unlike top-level locals).
        if (!this.type && !this.fn && !this.moduleBindings.some((b) => b.name === t.text)) this.moduleBindings.push({ name: t.text, kind: 'module' });
        if (node.type === 'assignment' && this.constantType(node, t)) walked = true;
      }
    }
    return walked;
  }

  private local(name: string, node: Node): void {
    if (!this.scope) {
      // `def` is a scope gate: locals of the file or a class body are visible to no method.
      if (this.seenOuterLocals.has(name)) return;
      this.seenOuterLocals.add(name);
      addIdentifier(this.out.identifiers, name, 'variable', node);
      return;
    }
    if (this.scope.bindings.some((b) => b.name === name)) return;
    this.scope.bindings.push({ name, kind: 'local' });
    addIdentifier(this.out.identifiers, name, 'variable', node);
  }

  /** `Point = Struct.new(:x, :y) do … end`, `Coord = Data.define(:lat)`, `Err = Class.new(StandardError)`. */
  private constantType(node: Node, target: Node): boolean {
    const right = node.childForFieldName('right');
    if (!right || right.type !== 'call') return false;
    const recv = right.childForFieldName('receiver')?.text;
    const m = right.childForFieldName('method')?.text;
    const isStruct = (recv === 'Struct' && m === 'new') || (recv === 'Data' && m === 'define');
    const isClass = (recv === 'Class' || recv === 'Module') && m === 'new';
    if (!isStruct && !isClass) return false;
    const args = right.childForFieldName('arguments');
    const bases: string[] = [];
    const fact = this.openType(node, target.text, isStruct ? 'struct' : recv === 'Module' ? 'module' : 'class', bases, node);
    if (args) {
      for (const a of args.namedChildren) {
        const s = symbolName(a);
        if (isStruct && s !== undefined) this.addField(fact, s, a);
        else if (isClass && (a.type === 'constant' || a.type === 'scope_resolution')) bases.push(a.text);
      }
    }
    const block = right.childForFieldName('block');
    if (!block) return false;
    this.inType(fact, target.text, block.childForFieldName('body'));
    return true;
  }

  finish(): ExtractedFacts {
    for (const m of this.methodOwners) m.type.methods.push(signatureText({ ...m.fn, container: undefined }));
    for (const late of this.lateVisibility) {
      for (const f of this.out.functions) {
        if (f.name === late.name && f.container === late.container && !f.static) {
          f.visibility = late.vis;
          f.exported = late.vis === 'public';
        }
      }
    }
    // Every scope sees the module's locals and, for methods, the enclosing type's fields.
    for (const scope of this.out.scopes) {
      const dot = scope.function.lastIndexOf('.');
      const type = dot > 0 ? this.typesByName.get(scope.function.slice(0, dot)) : undefined;
      completeScope(scope, [type ? fieldBindings(type, (f) => `@${f}`) : undefined, this.moduleBindings]);
    }
    return this.out;
  }
}

export function extractRuby(root: Node, _source: string): ExtractedFacts {
  const w = new RubyWalker();
  w.visit(root);
  return w.finish();
}
