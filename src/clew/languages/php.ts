/**
 * PHP facts from a tree-sitter-php tree, in one recursive pass.
 *
 * Names are recorded without the `$` sigil (`$userId` → `userId`), so naming conventions compare
 * like with like. Containers are the class (`User`), or the namespace (`App\Models`) for functions
 * declared directly in one; types carry their namespace as `container`.
 */
import type { Node } from 'web-tree-sitter';
import type {
  BindingFact, FunctionFact, HoleKind, ImportFact, ParamFact, ScopeFact, TypeFact, TypeKind, Visibility,
} from '../../core/index.ts';
import { SIGNAL, bump } from '../signals.ts';
import {
  NOT_IMPLEMENTED_RE, addIdentifier, docBefore, emptyFacts, lineOf, makeHole, oneLine, qualifiedName, spanOf, unquote,
} from './common.ts';
import { ChildWalker } from './child-walker.ts';
import { finishScopes, type ScopeTracking } from './scope-bindings.ts';
import type { ExtractedFacts } from './types.ts';

const TYPE_KINDS: Record<string, TypeKind> = {
  class_declaration: 'class', interface_declaration: 'interface', trait_declaration: 'trait', enum_declaration: 'enum',
};
const INCLUDES = new Set(['include_expression', 'include_once_expression', 'require_expression', 'require_once_expression']);

/** `$name` → `name` (variable_name nodes hold a `name` child after the `$`). */
function varName(node: Node | null): string {
  if (!node) return '';
  const t = node.text;
  return t.startsWith('$') ? t.slice(1) : t;
}

function stripLeadingBackslash(s: string): string {
  return s.startsWith('\\') ? s.slice(1) : s;
}

/** Whether a declared type admits null: `?T`, `T|null`, `null`. */
function isNullable(t: Node): boolean {
  if (t.type === 'optional_type') return true;
  if (t.type === 'union_type') return t.namedChildren.some((c) => c.text === 'null');
  return false;
}

/** The attribute texts of an `attributes` (attribute_list) node: `#[A, B(1)]` → `A`, `B(1)`. */
function attributeTexts(list: Node | null): string[] {
  const out: string[] = [];
  if (!list) return out;
  for (const group of list.namedChildren) for (const a of group.namedChildren) if (a.type === 'attribute') out.push(oneLine(a.text));
  return out;
}

class PhpWalker extends ChildWalker implements ScopeTracking {
  readonly out: ExtractedFacts = emptyFacts();
  private namespace: string | undefined;
  private type: TypeFact | undefined;
  private fn: FunctionFact | undefined;
  private scope: ScopeFact | undefined;
  readonly moduleBindings: BindingFact[] = [];
  private readonly seenGlobals = new Set<string>();
  readonly typeOfScope = new Map<ScopeFact, TypeFact>();
  /** Methods in declaration order; their signatures go into TypeFact.methods once bodies are read. */
  readonly methodOwners: { type: TypeFact; fn: FunctionFact }[] = [];

  visit(node: Node): void {
    switch (node.type) {
      case 'namespace_definition': return this.namespaceDef(node);
      case 'namespace_use_declaration': return this.useDecl(node);
      case 'class_declaration': case 'interface_declaration': case 'trait_declaration': case 'enum_declaration':
        return this.typeDecl(node);
      case 'function_definition': case 'method_declaration': return this.func(node);
      case 'property_declaration': return this.property(node);
      case 'const_declaration': this.constDecl(node); return;
      case 'use_declaration':
        // `use SomeTrait;` inside a class body
        if (this.type) for (const c of node.namedChildren) if (c.type === 'name' || c.type === 'qualified_name') this.type.bases.push(c.text);
        return;
      case 'assignment_expression': this.assignment(node); break;
      case 'static_variable_declaration': this.local(varName(node.childForFieldName('name')), node); break;
      case 'function_call_expression': this.callExpr(node); break;
      case 'try_statement': bump(this.out.signals, SIGNAL.TRY); break;
      case 'foreach_statement': this.foreachVars(node); break;
      case 'catch_clause': {
        // `catch (E $e)`: the exception variable is a local, typed by the caught class.
        const v = node.childForFieldName('name');
        const t = node.childForFieldName('type');
        if (v) this.local(varName(v), v, t ? oneLine(t.text) : undefined);
        break;
      }
      case 'throw_expression': this.throwExpr(node); break;
      case 'yield_expression': if (this.fn) this.fn.generator = true; break;
      // Leaves, literals and types hold nothing to extract; returning early saves the child lookup.
      case 'comment': case 'string': case 'encapsed_string': case 'integer': case 'text': case 'name':
      case 'variable_name': case 'boolean': case 'null': case 'float': case 'primitive_type': case 'named_type':
      case 'optional_type': case 'union_type': case 'qualified_name': return;
      default:
        if (INCLUDES.has(node.type)) this.include(node);
        break;
    }
    this.visitChildren(node);
  }

  private namespaceDef(node: Node): void {
    const name = node.childForFieldName('name')?.text;
    const body = node.childForFieldName('body');
    if (!body) {
      // `namespace Foo;` applies to the rest of the file.
      this.namespace = name;
      return;
    }
    const saved = this.namespace;
    this.namespace = name;
    this.visitChildren(body);
    this.namespace = saved;
  }

  /**
   * `use A\B\C as D;` → module `A\B`, names [C as D]; a group `use A\{B, C as D}` gives one fact for
   * module `A` with both names. A name without a namespace (`use Foo;`) is its own module.
   */
  private useDecl(node: Node): void {
    let prefix = '';
    let group: Node | null = null;
    for (const c of node.namedChildren) {
      if (c.type === 'namespace_name') prefix = `${c.text}\\`;
      else if (c.type === 'namespace_use_group') group = c;
    }
    const clauses = group ? group.namedChildren : node.namedChildren;
    let last: ImportFact | undefined;
    for (const clause of clauses) {
      if (clause.type !== 'namespace_use_clause') continue;
      let full = '';
      for (const c of clause.namedChildren) {
        if (c.type === 'qualified_name' || c.type === 'name' || c.type === 'namespace_name') { full = c.text; break; }
      }
      if (full.length === 0) continue;
      full = stripLeadingBackslash(prefix + full);
      const alias = clause.childForFieldName('alias')?.text;
      const cut = full.lastIndexOf('\\');
      if (cut < 0) {
        this.out.imports.push(alias ? { module: full, names: [], alias, wildcard: false, line: lineOf(clause) } : { module: full, names: [], wildcard: false, line: lineOf(clause) });
        last = undefined;
        continue;
      }
      const module = full.slice(0, cut);
      const name = full.slice(cut + 1);
      const entry = alias ? { name, alias } : { name };
      this.moduleBindings.push({ name: alias ?? name, kind: 'import' });
      if (last && last.module === module) last.names.push(entry);
      else {
        last = { module, names: [entry], wildcard: false, line: lineOf(clause) };
        this.out.imports.push(last);
      }
    }
  }

  private include(node: Node): void {
    const arg = node.namedChildren[0];
    if (!arg) return;
    const module = arg.type === 'string' || arg.type === 'encapsed_string' ? unquote(arg.text) : oneLine(arg.text);
    this.out.imports.push({ module, names: [], wildcard: true, line: lineOf(node) });
  }

  private typeDecl(node: Node): void {
    const nameNode = node.childForFieldName('name');
    if (!nameNode || nameNode.text.length === 0) return;
    const name = nameNode.text;
    const kind = TYPE_KINDS[node.type]!;
    const bases: string[] = [];
    for (const c of node.namedChildren) {
      if (c.type === 'base_clause' || c.type === 'class_interface_clause') {
        for (const b of c.namedChildren) bases.push(b.text);
      }
    }
    const fact: TypeFact = {
      name, kind, fields: [], methods: [], typeParams: [], bases, exported: true, ...spanOf(node),
    };
    if (this.namespace) fact.container = this.namespace;
    const doc = docBefore(node, true);
    if (doc !== undefined) fact.doc = doc;
    this.out.types.push(fact);
    if (!this.fn) this.out.exports.push({ name, kind: 'type', line: fact.line });

    const body = node.childForFieldName('body');
    if (!body) return;
    const saved = [this.type, this.fn, this.scope] as const;
    this.type = fact;
    this.fn = undefined;
    this.scope = undefined;
    for (const c of body.namedChildren) {
      if (c.type === 'enum_case') {
        const m = c.childForFieldName('name')?.text;
        if (m) (fact.members ??= []).push(m);
      } else this.visit(c);
    }
    [this.type, this.fn, this.scope] = saved;
  }

  private func(node: Node): void {
    const nameNode = node.childForFieldName('name');
    if (!nameNode || nameNode.text.length === 0) return;
    const name = nameNode.text;
    const isMethod = node.type === 'method_declaration' && this.type !== undefined;
    let visibility: Visibility | undefined;
    let isStatic = false;
    for (const c of node.namedChildren) {
      if (c.type === 'visibility_modifier') visibility = c.text.toLowerCase() as Visibility;
      else if (c.type === 'static_modifier') isStatic = true;
    }
    if (isMethod && !visibility) visibility = 'public';
    const params = this.params(node.childForFieldName('parameters'));
    const ret = node.childForFieldName('return_type');
    const isCtor = isMethod && name.toLowerCase() === '__construct';
    const fact: FunctionFact = {
      name,
      kind: isCtor ? 'constructor' : isMethod ? 'method' : 'function',
      params,
      async: false,
      generator: false,
      exported: visibility === undefined || visibility === 'public',
      decorators: attributeTexts(node.childForFieldName('attributes')),
      ...spanOf(node),
    };
    if (ret) fact.returnType = oneLine(ret.text);
    if (visibility) fact.visibility = visibility;
    if (isStatic) fact.static = true;
    const container = isMethod ? this.type!.name : this.namespace;
    if (container) fact.container = container;
    const doc = docBefore(node, true);
    if (doc !== undefined) fact.doc = doc;
    this.out.functions.push(fact);
    if (isMethod) this.methodOwners.push({ type: this.type!, fn: fact });
    else if (!this.fn) this.out.exports.push({ name, kind: 'function', line: fact.line });

    const s = this.out.signals;
    for (const p of params) {
      bump(s, p.type !== undefined ? SIGNAL.PARAM_ANNOTATED : SIGNAL.PARAM_UNANNOTATED);
      if (p.type === 'mixed') bump(s, SIGNAL.ANY);
    }
    if (!isCtor) bump(s, ret ? SIGNAL.RETURN_ANNOTATED : SIGNAL.RETURN_UNANNOTATED);
    if (ret && isNullable(ret)) bump(s, SIGNAL.OPTION_RETURN);
    if (ret && ret.text === 'mixed') bump(s, SIGNAL.ANY);

    const bindings: BindingFact[] = params.map((p) => (p.type !== undefined
      ? { name: p.name, type: p.type, kind: 'parameter' as const } : { name: p.name, kind: 'parameter' as const }));
    const scope: ScopeFact = { function: qualifiedName(fact), line: fact.line, bindings };
    this.out.scopes.push(scope);
    if (isMethod) this.typeOfScope.set(scope, this.type!);

    const saved = [this.fn, this.scope] as const;
    this.fn = fact;
    this.scope = scope;
    // Promoted constructor parameters are fields too; walk parameters for their identifiers.
    const plist = node.childForFieldName('parameters');
    if (plist) {
      for (const p of plist.namedChildren) {
        const pn = varName(p.childForFieldName('name'));
        if (pn.length === 0) continue;
        addIdentifier(this.out.identifiers, pn, 'parameter', p);
        if (p.type === 'property_promotion_parameter' && this.type) {
          const t = p.childForFieldName('type');
          this.type.fields.push(t ? { name: pn, type: oneLine(t.text), line: lineOf(p) } : { name: pn, line: lineOf(p) });
          addIdentifier(this.out.identifiers, pn, 'field', p);
        }
      }
    }
    const body = node.childForFieldName('body');
    if (body) this.visit(body); // abstract and interface methods have none
    [this.fn, this.scope] = saved;
  }

  private params(list: Node | null): ParamFact[] {
    const out: ParamFact[] = [];
    if (!list) return out;
    for (const p of list.namedChildren) {
      if (p.type !== 'simple_parameter' && p.type !== 'variadic_parameter' && p.type !== 'property_promotion_parameter') continue;
      const name = varName(p.childForFieldName('name'));
      if (name.length === 0) continue;
      const param: ParamFact = { name };
      const t = p.childForFieldName('type');
      if (t) param.type = oneLine(t.text);
      const d = p.childForFieldName('default_value');
      if (d) { param.default = oneLine(d.text); param.optional = true; }
      if (p.type === 'variadic_parameter') param.variadic = true;
      out.push(param);
    }
    return out;
  }

  private property(node: Node): void {
    const t = node.childForFieldName('type');
    const type = t ? oneLine(t.text) : undefined;
    for (const el of node.namedChildren) {
      if (el.type !== 'property_element') continue;
      const name = varName(el.childForFieldName('name'));
      if (name.length === 0) continue;
      if (this.type) this.type.fields.push(type !== undefined ? { name, type, line: lineOf(el) } : { name, line: lineOf(el) });
      addIdentifier(this.out.identifiers, name, 'field', el);
    }
  }

  private constDecl(node: Node): void {
    for (const el of node.namedChildren) {
      if (el.type !== 'const_element') continue;
      const nameNode = el.namedChildren[0];
      if (!nameNode || nameNode.type !== 'name') continue;
      addIdentifier(this.out.identifiers, nameNode.text, 'constant', el);
      if (!this.type && !this.fn) {
        this.out.exports.push({ name: nameNode.text, kind: 'variable', line: lineOf(el) });
        this.moduleBindings.push({ name: nameNode.text, kind: 'module' });
      }
    }
  }

  private callExpr(node: Node): void {
    // `define('MAX_SIZE', 10)` declares a global constant.
    if (node.childForFieldName('function')?.text !== 'define') return;
    const first = node.childForFieldName('arguments')?.namedChildren[0]?.namedChildren[0];
    if (!first || (first.type !== 'string' && first.type !== 'encapsed_string')) return;
    const name = unquote(first.text);
    addIdentifier(this.out.identifiers, name, 'constant', node);
    if (!this.fn) {
      this.out.exports.push({ name, kind: 'variable', line: lineOf(node) });
      this.moduleBindings.push({ name, kind: 'module' });
    }
  }

  private assignment(node: Node): void {
    const left = node.childForFieldName('left');
    if (!left) return;
    if (left.type === 'variable_name') this.local(varName(left), left);
    else if (left.type === 'list_literal') {
      for (const v of left.namedChildren) if (v.type === 'variable_name') this.local(varName(v), v);
    }
  }

  /** `foreach ($rows as $key => $row)`: the key and value variables are locals. */
  private foreachVars(node: Node): void {
    const n = node.namedChildCount;
    for (let i = 1; i < n; i++) {
      const c = node.namedChild(i);
      if (!c) continue;
      if (c.type === 'variable_name') this.local(varName(c), c);
      else if (c.type === 'pair') {
        for (const v of c.namedChildren) if (v.type === 'variable_name') this.local(varName(v), v);
      } else if (c.type === 'by_ref') {
        const v = c.namedChild(0);
        if (v) this.local(varName(v), v);
      }
    }
  }

  private local(name: string, node: Node, type?: string): void {
    if (name.length === 0 || name === 'this') return;
    // File-level `$vars` are not visible inside PHP functions (only constants are), so they bind nothing.
    if (this.scope) {
      if (this.scope.bindings.some((b) => b.name === name)) return;
      this.scope.bindings.push(type !== undefined ? { name, type, kind: 'local' } : { name, kind: 'local' });
    } else if (this.seenGlobals.has(name)) return;
    else this.seenGlobals.add(name);
    addIdentifier(this.out.identifiers, name, 'variable', node);
  }

  /**
   * `throw new \Exception('Not implemented')`, `throw new NotImplementedException()`,
   * `throw new \BadMethodCallException()` (no message, or a not-implemented one) are holes.
   */
  private throwExpr(node: Node): void {
    bump(this.out.signals, SIGNAL.THROW);
    const created = node.namedChildren[0];
    if (!created || created.type !== 'object_creation_expression') return;
    let cls = '';
    let message: string | undefined;
    for (const c of created.namedChildren) {
      if (c.type === 'name' || c.type === 'qualified_name') cls = c.text;
      else if (c.type === 'arguments') {
        const first = c.namedChildren[0]?.namedChildren[0];
        if (first) message = first.type === 'string' || first.type === 'encapsed_string' ? unquote(first.text) : first.text;
      }
    }
    const short = cls.slice(cls.lastIndexOf('\\') + 1);
    const msgSays = message !== undefined && NOT_IMPLEMENTED_RE.test(message);
    const isHole = /NotImplemented/i.test(short)
      || (msgSays && /(Exception|Error)$/.test(short))
      || (short === 'BadMethodCallException' && (message === undefined || msgSays));
    if (!isHole) return;
    const kind: HoleKind = message !== undefined && /\btodo\b/i.test(message) ? 'todo' : 'not_implemented';
    this.out.holes.push(makeHole(kind, node, node.text, this.fn));
  }

  finish(): ExtractedFacts {
    // Fields are reached through `$this->`; names are written without the `$`.
    return finishScopes(this.out, this, () => (f) => `this->${f}`);
  }
}

export function extractPhp(root: Node, _source: string): ExtractedFacts {
  const w = new PhpWalker();
  w.visit(root);
  return w.finish();
}
