/**
 * Fact extraction for C, and the C-family base that the C++ extractor (cpp.ts) extends.
 *
 * One `descendantsOfType` call collects every node of interest in document order; a stack of open
 * frames (structs, functions; namespaces and classes in C++) ordered by end offset gives each node
 * its context.
 *
 * Types in C are split between a specifier and a declarator (`const char *s`, `int (*cb)(int)`),
 * so a declared type is rebuilt as the specifier text plus the declarator text with the name cut
 * out: `const char*`, `int (*)(int)`, `char[10]`. A function declared and defined in the same file
 * is listed once (the definition); a prototype alone is listed as a function without a scope.
 * `static` functions and globals are not exported (visibility `private`); the rest are `public`.
 * `#include` is an import (`<stdio.h>` → module `stdio.h`); `#define NAME value` is a constant.
 */
import type { Node } from 'web-tree-sitter';
import type {
  BindingFact, FunctionFact, ParamFact, ScopeFact, TypeFact, Visibility,
} from '../../core/index.ts';
import { SIGNAL, bump } from '../signals.ts';
import { FrameWalker } from './frame-walker.ts';
import { addIdentifier, emptyFacts, oneLine, qualifiedName, signatureText } from './common.ts';
import { completeScope, FieldBindingCache } from './scope-bindings.ts';
import { docAbove, treeSource } from './doc-above.ts';
import type { ExtractedFacts, LanguageExtractor } from './types.ts';

export const C_INTERESTING = [
  'preproc_include', 'preproc_def', 'function_definition', 'declaration', 'type_definition',
  'struct_specifier', 'union_specifier', 'enum_specifier', 'field_declaration',
];

export interface CFrame {
  end: number;
  /** Contributes to `container` (C++ namespaces and classes). */
  name?: string;
  type?: TypeFact;
  fn?: FunctionFact;
  scope?: ScopeFact;
  /** C++: the access level of members declared next in this class body. */
  access?: Visibility;
  /** C++: an anonymous namespace (internal linkage). */
  internal?: boolean;
}

const NAME_TYPES = new Set([
  'identifier', 'field_identifier', 'type_identifier', 'qualified_identifier', 'destructor_name',
  'operator_name', 'template_function', 'namespace_identifier', 'primitive_type',
]);

/** The node naming what a declarator declares (`*argv[]` → `argv`), or null for abstract ones. */
export function declaratorName(d: Node | null): Node | null {
  for (let n = d, depth = 0; n && depth < 32; depth++) {
    if (NAME_TYPES.has(n.type)) return n;
    const inner: Node | null = n.childForFieldName('declarator');
    if (inner) {
      n = inner;
      continue;
    }
    // reference_declarator, parenthesized_declarator, variadic_declarator: the name is a plain child.
    let next: Node | null = null;
    for (const c of n.namedChildren) {
      if (c && c.type !== 'type_qualifier' && c.type !== 'attribute_declaration' && c.type !== 'ms_pointer_modifier') {
        next = c;
        break;
      }
    }
    n = next;
  }
  return null;
}

/** The innermost function_declarator of a declarator chain, or null when it declares no function. */
export function functionDeclarator(d: Node | null): Node | null {
  for (let n = d, depth = 0; n && depth < 32; depth++) {
    if (n.type === 'function_declarator') {
      // `int (*cb)(int)` is a pointer to a function: the inner declarator is parenthesized.
      const inner = n.childForFieldName('declarator');
      return inner?.type === 'parenthesized_declarator' ? null : n;
    }
    if (NAME_TYPES.has(n.type)) return null;
    n = n.childForFieldName('declarator') ?? (n.type === 'reference_declarator' ? n.namedChild(0) : null);
  }
  return null;
}

/** `outer`'s text with `inner` cut out: what the declarator adds to the base type (`*`, `[10]`). */
export function derivedText(outer: Node, inner: Node | null): string {
  // The common case, a plain name (`int i`), adds nothing.
  if (inner && inner.startIndex === outer.startIndex && inner.endIndex === outer.endIndex) return '';
  const t = outer.text;
  if (!inner) return tidyDeclarator(t);
  const a = inner.startIndex - outer.startIndex;
  const b = inner.endIndex - outer.startIndex;
  return tidyDeclarator(t.slice(0, a) + t.slice(b));
}

/** Declarator text in one canonical spacing: `( * )( const void *a )` → `(*)(const void* a)`. */
function tidyDeclarator(t: string): string {
  if (/^[\s*&]*$/.test(t)) return t.replace(/\s+/g, '');
  return t.replace(/\s+/g, ' ').trim()
    .replace(/\s+([*&\[\]()])/g, '$1')
    .replace(/([(\[])\s+/g, '$1')
    .replace(/\s*,\s*/g, ', ')
    .replace(/([*&])(?=[A-Za-z_])/g, '$1 ');
}

export function joinType(base: string, derived: string): string {
  if (derived === '') return base;
  return derived.startsWith('(') ? `${base} ${derived}` : base + derived;
}

/** The specifier part of a declaration: qualifiers and the type (`const unsigned long`). */
export function baseType(node: Node): string | undefined {
  const t = node.childForFieldName('type');
  if (!t) return undefined;
  let quals = '';
  for (const c of node.namedChildren) {
    // `mutable` says how a member may change, not what type it holds.
    if (c?.type === 'type_qualifier' && c.startIndex < t.startIndex && c.text !== 'mutable') quals += `${c.text} `;
  }
  return quals + oneLine(t.text);
}

/** Parameters of a parameter_list (C and C++ forms). `(void)` has none. */
export function readParams(list: Node | null): ParamFact[] {
  const out: ParamFact[] = [];
  if (!list) return out;
  for (const p of list.namedChildren) {
    if (!p) continue;
    switch (p.type) {
      case 'parameter_declaration':
      case 'optional_parameter_declaration':
      case 'variadic_parameter_declaration': {
        const base = baseType(p);
        const d = p.childForFieldName('declarator');
        const nameNode = declaratorName(d);
        if (!d && base === 'void' && list.namedChildCount === 1) return out;
        const param: ParamFact = { name: nameNode ? nameNode.text : '_' };
        if (base !== undefined) param.type = d ? joinType(base, derivedText(d, nameNode)).replace(/\.\.\.$/, '') : base;
        const def = p.childForFieldName('default_value');
        if (def) {
          param.default = oneLine(def.text);
          param.optional = true;
        }
        if (p.type === 'variadic_parameter_declaration') param.variadic = true;
        out.push(param);
        break;
      }
      case 'variadic_parameter':
        out.push({ name: '...', variadic: true });
        break;
      default:
    }
  }
  return out;
}

/** What a declaration's specifiers say, read in one pass over its children. */
export interface DeclSpecifiers {
  base?: string;
  storage: string[];
  qualifiers: string[];
  attributes: string[];
}

export function declSpecifiers(node: Node): DeclSpecifiers {
  const out: DeclSpecifiers = { storage: [], qualifiers: [], attributes: [] };
  const t = node.childForFieldName('type');
  let quals = '';
  for (const c of node.namedChildren) {
    if (!c) continue;
    switch (c.type) {
      case 'storage_class_specifier': out.storage.push(c.text); break;
      case 'type_qualifier':
        out.qualifiers.push(c.text);
        // `mutable` says how a member may change, not what type it holds.
        if (t && c.startIndex < t.startIndex && c.text !== 'mutable') quals += `${c.text} `;
        break;
      case 'attribute_declaration':
        for (const a of c.namedChildren) if (a) out.attributes.push(oneLine(a.text));
        break;
      case 'attribute_specifier': out.attributes.push(oneLine(c.text)); break;
      default:
    }
  }
  if (t) out.base = quals + oneLine(t.text);
  return out;
}

export class CFamilyExtractor extends FrameWalker<CFrame> {
  readonly facts: ExtractedFacts = emptyFacts();
  protected readonly moduleBindings: BindingFact[] = [];
  /** Specifier nodes already turned into a TypeFact by their typedef (by start offset). */
  protected readonly handledSpecifiers = new Set<number>();
  /** Functions with a body, to merge the prototypes of functions defined in the same file. */
  private readonly definitions = new Set<FunctionFact>();
  /** The types whose fields a member function's scope sees, innermost first. */
  protected readonly scopeTypes = new Map<ScopeFact, TypeFact[]>();
  protected readonly typesByQName = new Map<string, TypeFact>();

  constructor(protected readonly source: string, protected readonly interesting: string[] = C_INTERESTING) {
    super();
  }

  run(root: Node): ExtractedFacts {
    this.walk(root, this.interesting);
    return this.facts;
  }

  /** Outside any type and function: file or namespace level. */
  protected atNamespaceLevel(): boolean {
    for (const f of this.stack) if (f.type || f.fn) return false;
    return true;
  }

  /** The class/struct whose body directly holds `node` (not one reached through a function). */
  protected memberOf(): CFrame | undefined {
    const t = this.top();
    return t?.type ? t : undefined;
  }

  protected visit(node: Node): void {
    switch (node.type) {
      case 'preproc_include': return this.include(node);
      case 'preproc_def': return this.define(node);
      case 'function_definition': return this.functionDefinition(node);
      case 'declaration': return this.declaration(node);
      case 'field_declaration': return this.fieldDeclaration(node);
      case 'type_definition': return this.typedef(node);
      case 'struct_specifier':
      case 'union_specifier':
      case 'enum_specifier':
      case 'class_specifier':
        this.specifier(node, undefined);
        return;
      default:
    }
  }

  private include(node: Node): void {
    const p = node.childForFieldName('path');
    if (!p) return;
    const module = p.text.replace(/^[<"]|[>"]$/g, '');
    this.facts.imports.push({ module, names: [], wildcard: false, line: node.startPosition.row + 1 });
  }

  private define(node: Node): void {
    const n = node.childForFieldName('name');
    if (!n) return;
    addIdentifier(this.facts.identifiers, n.text, 'constant', n);
    if (!this.innerFn()) this.moduleBindings.push({ name: n.text, kind: 'module' });
  }

  /** Type parameters from an enclosing `template <…>` (C++). */
  protected templateParams(_node: Node): string[] {
    return [];
  }

  /** The node whose preceding comment is the doc (C++: the template declaration around it). */
  protected outerNode(node: Node): Node {
    return node;
  }

  /** Splits a declared name into container and name (C++ `Box<T>::get` → `Box`, `get`). */
  protected splitName(nameNode: Node): { name: string; container?: string } {
    return { name: nameNode.text };
  }

  /**
   * A function from a definition (`body` present) or a prototype. `declNode` holds the type and
   * specifiers, `fd` is its function_declarator.
   */
  protected func(declNode: Node, fd: Node, body: Node | null): FunctionFact | undefined {
    const nameNode = fd.childForFieldName('declarator');
    if (!nameNode || nameNode.isMissing) return undefined;
    const split = this.splitName(nameNode);
    const member = this.memberOf();
    const params = readParams(fd.childForFieldName('parameters'));
    const spec = declSpecifiers(declNode);
    const base = spec.base;
    let returnType: string | undefined;
    if (base !== undefined) {
      const outer = declNode.childForFieldName('declarator');
      returnType = joinType(base, outer ? derivedText(outer, fd) : '');
    }
    const trailing = fd.namedChildren.find((c) => c?.type === 'trailing_return_type');
    if (trailing) returnType = oneLine(trailing.text.replace(/^->\s*/, ''));
    const isStatic = spec.storage.includes('static');
    const ownerName = member?.type?.name;
    const isCtor = split.container === undefined ? ownerName !== undefined && split.name === ownerName && base === undefined
      : base === undefined && split.name === split.container.slice(split.container.lastIndexOf('.') + 1);
    let visibility: Visibility;
    if (member) visibility = member.access ?? 'public';
    else if (isStatic || this.stack.some((f) => f.internal)) visibility = 'private';
    else visibility = 'public';
    const container = this.container();
    const full = split.container === undefined ? container : container === undefined ? split.container : `${container}.${split.container}`;
    // `void ns::f() {…}` defines a namespace function; `void Box::f() {…}` a member.
    const inClass = member !== undefined || (full !== undefined && split.container !== undefined && this.typesByQName.has(full));
    const fact: FunctionFact = {
      name: split.name,
      kind: isCtor ? 'constructor' : inClass ? 'method' : 'function',
      params,
      async: false,
      generator: false,
      exported: visibility === 'public' && !this.innerFn(),
      visibility,
      decorators: spec.attributes,
      line: declNode.startPosition.row + 1,
      column: declNode.startPosition.column + 1,
      endLine: declNode.endPosition.row + 1,
    };
    if (returnType !== undefined && !isCtor) fact.returnType = returnType;
    if (inClass) fact.static = isStatic;
    const tps = this.templateParams(declNode);
    if (tps.length > 0) fact.typeParams = tps;
    if (full !== undefined) fact.container = full;
    const doc = docAbove(this.source, this.outerNode(declNode).startIndex);
    if (doc !== undefined) fact.doc = doc;

    this.facts.functions.push(fact);
    if (body) this.definitions.add(fact);
    if (member?.type) member.type.methods.push(signatureText({ ...fact, container: undefined }));

    const s = this.facts.signals;
    for (const p of params) {
      if (p.variadic && p.name === '...') continue;
      bump(s, p.type !== undefined && p.type !== 'auto' ? SIGNAL.PARAM_ANNOTATED : SIGNAL.PARAM_UNANNOTATED);
      addIdentifier(this.facts.identifiers, p.name, 'parameter', fd);
    }
    if (!isCtor && !split.name.startsWith('~')) {
      bump(s, fact.returnType !== undefined && fact.returnType !== 'auto' ? SIGNAL.RETURN_ANNOTATED : SIGNAL.RETURN_UNANNOTATED);
      this.returnSignals(fact.returnType);
    }
    return fact;
  }

  protected returnSignals(_returnType: string | undefined): void {}

  private functionDefinition(node: Node): void {
    const fd = functionDeclarator(node.childForFieldName('declarator'));
    if (!fd) return;
    const fact = this.func(node, fd, node.childForFieldName('body'));
    if (!fact) return;
    if (fact.exported && fact.kind === 'function' && this.atNamespaceLevel()) this.facts.exports.push({ name: fact.name, kind: 'function', line: fact.line });
    const body = node.childForFieldName('body');
    if (!body) return;
    const bindings: BindingFact[] = [];
    for (const p of fact.params) {
      if (p.name === '_' || p.name === '...') continue;
      bindings.push(p.type !== undefined ? { name: p.name, type: p.type, kind: 'parameter' } : { name: p.name, kind: 'parameter' });
    }
    const scope: ScopeFact = { function: qualifiedName(fact), line: fact.line, bindings };
    this.facts.scopes.push(scope);
    const types: TypeFact[] = [];
    for (let i = this.stack.length - 1; i >= 0; i--) {
      const ty = this.stack[i]!.type;
      if (ty) types.push(ty);
    }
    // An out-of-line member definition (`int Box::size() {…}`) sees the fields of its class.
    if (types.length === 0 && fact.container !== undefined) {
      const owner = this.typesByQName.get(fact.container);
      if (owner) types.push(owner);
    }
    if (types.length > 0) this.scopeTypes.set(scope, types);
    this.stack.push({ end: node.endIndex, fn: fact, scope });
  }

  /** A declaration: a prototype, a global, or a local; possibly several declarators. */
  protected declaration(node: Node): void {
    const fnFrame = this.innerFn();
    const spec = declSpecifiers(node);
    const base = spec.base;
    const isConst = spec.qualifiers.includes('const') || spec.qualifiers.includes('constexpr');
    const isStatic = spec.storage.includes('static');
    for (const d of node.childrenForFieldName('declarator')) {
      if (!d?.isNamed) continue;
      const fd = functionDeclarator(d);
      if (fd) {
        if (fnFrame) continue;
        const fact = this.func(node, fd, null);
        if (fact && fact.exported && fact.kind === 'function' && this.atNamespaceLevel()) {
          this.facts.exports.push({ name: fact.name, kind: 'function', line: fact.line });
        }
        continue;
      }
      const target = d.type === 'init_declarator' ? d.childForFieldName('declarator') : d;
      const nameNode = declaratorName(target);
      if (!nameNode || !target) continue;
      const name = nameNode.text;
      const type = base !== undefined && base !== 'auto' ? joinType(base, derivedText(target, nameNode)) : undefined;
      addIdentifier(this.facts.identifiers, name, isConst ? 'constant' : 'variable', nameNode);
      if (fnFrame?.scope) {
        fnFrame.scope.bindings.push(type !== undefined ? { name, type, kind: 'local' } : { name, kind: 'local' });
      } else if (!this.memberOf()) {
        this.moduleBindings.push(type !== undefined ? { name, type, kind: 'module' } : { name, kind: 'module' });
        if (!isStatic && !spec.storage.includes('extern') && !this.stack.some((f) => f.internal)) {
          this.facts.exports.push({ name, kind: 'variable', line: node.startPosition.row + 1 });
        }
      }
    }
  }

  /** A member of a struct/union/class body: a field, or (C++) a method declaration. */
  protected fieldDeclaration(node: Node): void {
    const member = this.memberOf();
    if (!member?.type) return;
    const spec = declSpecifiers(node);
    const base = spec.base;
    const isStatic = spec.storage.includes('static');
    const isConst = spec.qualifiers.includes('const') || spec.qualifiers.includes('constexpr');
    for (const d of node.childrenForFieldName('declarator')) {
      if (!d?.isNamed) continue;
      const fd = functionDeclarator(d);
      if (fd) {
        this.func(node, fd, null);
        continue;
      }
      const nameNode = declaratorName(d);
      if (!nameNode) continue;
      const type = base !== undefined ? joinType(base, derivedText(d, nameNode)) : undefined;
      member.type.fields.push(type !== undefined ? { name: nameNode.text, type, line: nameNode.startPosition.row + 1 } : { name: nameNode.text, line: nameNode.startPosition.row + 1 });
      addIdentifier(this.facts.identifiers, nameNode.text, isStatic && isConst ? 'constant' : 'field', nameNode);
    }
  }

  private typedef(node: Node): void {
    const t = node.childForFieldName('type');
    const decls = node.childrenForFieldName('declarator').filter((d): d is Node => d !== null && d.isNamed);
    if (decls.length === 0) return;
    const firstName = declaratorName(decls[0]!);
    let specifierName: string | undefined;
    if (t && (t.type === 'struct_specifier' || t.type === 'union_specifier' || t.type === 'enum_specifier' || t.type === 'class_specifier') && t.childForFieldName('body')) {
      // `typedef struct [tag] {…} Name;` is one type, named by the typedef when it has no tag.
      const tag = t.childForFieldName('name');
      specifierName = tag ? tag.text : firstName?.text;
    }
    const base = baseType(node);
    for (const d of decls) {
      const nameNode = declaratorName(d);
      if (!nameNode || nameNode.text === specifierName) continue;
      const aliasOf = base !== undefined ? joinType(t && specifierName !== undefined ? `${t.type.replace('_specifier', '')} ${specifierName}` : base, derivedText(d, nameNode)) : undefined;
      const fact = this.newType(node, nameNode.text, 'type_alias');
      if (aliasOf !== undefined) fact.aliasOf = aliasOf;
    }
    // The specifier opens a frame for its fields, so it comes after the typedef's own names.
    const body = specifierName !== undefined && t ? t : null;
    if (body) {
      this.handledSpecifiers.add(body.startIndex);
      this.specifier(body, specifierName, node);
    }
  }

  protected newType(node: Node, name: string, kind: TypeFact['kind']): TypeFact {
    const fact: TypeFact = {
      name, kind, fields: [], methods: [], typeParams: this.templateParams(node), bases: [],
      exported: !this.stack.some((f) => f.internal) && !this.innerFn(),
      line: node.startPosition.row + 1, column: node.startPosition.column + 1, endLine: node.endPosition.row + 1,
    };
    const member = this.memberOf();
    if (member?.access !== undefined && member.access !== 'public') fact.exported = false;
    const container = this.container();
    if (container !== undefined) fact.container = container;
    const doc = docAbove(this.source, this.outerNode(node).startIndex);
    if (doc !== undefined) fact.doc = doc;
    this.facts.types.push(fact);
    this.typesByQName.set(container === undefined ? name : `${container}.${name}`, fact);
    if (fact.exported && this.atNamespaceLevel()) this.facts.exports.push({ name, kind: 'type', line: fact.line });
    return fact;
  }

  /** A struct/union/enum (C++: class) with a body. `typedefNode` is set when a typedef names it. */
  protected specifier(node: Node, name: string | undefined, typedefNode?: Node): TypeFact | undefined {
    if (!typedefNode && this.handledSpecifiers.has(node.startIndex)) return undefined;
    const body = node.childForFieldName('body');
    if (!body) return undefined;
    const nameNode = node.childForFieldName('name');
    const n = name ?? (nameNode ? nameNode.text : undefined);
    if (n === undefined) {
      // An anonymous struct nested in another (`struct { int flags; } meta;`): its fields are its own.
      const hidden: TypeFact = { name: '', kind: 'struct', fields: [], methods: [], typeParams: [], bases: [], exported: false, line: 0, column: 0 };
      this.stack.push({ end: node.endIndex, type: hidden });
      return undefined;
    }
    const kind: TypeFact['kind'] = node.type === 'enum_specifier' ? 'enum' : node.type === 'union_specifier' ? 'union' : node.type === 'class_specifier' ? 'class' : 'struct';
    const fact = this.newType(typedefNode ?? node, n, kind);
    fact.endLine = node.endPosition.row + 1;
    if (kind === 'enum') {
      fact.members = [];
      // C++ `enum class` members are reached through the enum's name, not bound in the scope.
      let scoped = false;
      for (let i = 0; i < node.childCount; i++) {
        const t = node.child(i)?.type;
        if (t === 'class' || t === 'struct') scoped = true;
      }
      for (const e of body.namedChildren) {
        if (e?.type !== 'enumerator') continue;
        const en = e.childForFieldName('name');
        if (!en) continue;
        fact.members.push(en.text);
        addIdentifier(this.facts.identifiers, en.text, 'constant', en);
        if (!scoped && !this.innerFn()) this.moduleBindings.push({ name: en.text, type: n, kind: 'module' });
      }
      return fact;
    }
    this.specifierFrame(node, fact);
    return fact;
  }

  /** Opens the frame whose field declarations fill `fact`. */
  protected specifierFrame(node: Node, fact: TypeFact): void {
    this.stack.push({ end: node.endIndex, type: fact });
  }

  protected finish(): void {
    this.mergePrototypes();
    const fields = new FieldBindingCache();
    for (const scope of this.facts.scopes) completeScope(scope, [...fields.of(this.scopeTypes.get(scope) ?? []), this.moduleBindings]);
  }

  /**
   * A prototype (or in-class declaration) and the definition of the same function are one
   * function: the definition stays, taking what only the declaration says (defaults, `static`,
   * visibility, attributes, doc). Overloads are told apart by their parameter count.
   */
  private mergePrototypes(): void {
    if (this.definitions.size === 0) return;
    const defs = new Map<string, FunctionFact>();
    for (const f of this.definitions) defs.set(`${qualifiedName(f)}/${f.params.length}`, f);
    this.facts.functions = this.facts.functions.filter((f) => {
      if (this.definitions.has(f)) return true;
      const def = defs.get(`${qualifiedName(f)}/${f.params.length}`);
      if (!def) return true;
      f.params.forEach((p, i) => {
        const dp = def.params[i];
        if (dp && p.default !== undefined && dp.default === undefined) {
          dp.default = p.default;
          dp.optional = true;
        }
      });
      if (f.static !== undefined) def.static = f.static;
      if (f.visibility !== undefined && f.kind !== 'function') {
        def.visibility = f.visibility;
        def.exported = f.visibility === 'public';
      }
      if (f.visibility === 'private' && f.kind === 'function') {
        def.visibility = 'private';
        def.exported = false;
      }
      if (def.decorators.length === 0) def.decorators = f.decorators;
      if (def.doc === undefined && f.doc !== undefined) def.doc = f.doc;
      return false;
    });
    const seen = new Set<string>();
    const exported = new Set(this.facts.functions.filter((f) => f.exported).map((f) => f.name));
    this.facts.exports = this.facts.exports.filter((e) => {
      const k = `${e.kind}:${e.name}`;
      if (seen.has(k) || (e.kind === 'function' && !exported.has(e.name))) return false;
      seen.add(k);
      return true;
    });
  }
}

export const extractC: LanguageExtractor = (root: Node, source: string): ExtractedFacts => new CFamilyExtractor(treeSource(root, source)).run(root);
