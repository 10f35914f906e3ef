/**
 * Fact extraction for C#.
 *
 * One `descendantsOfType` call collects every node of interest in document order; a stack of open
 * frames (namespaces, types, methods) ordered by end offset gives each node its context.
 *
 * Containers are the dotted namespaces and types (`Acme.Core.Foo`); a file-scoped namespace
 * (`namespace Acme.Core;`) contains the rest of the file. Visibility comes from the modifiers;
 * without one it is `internal` for top-level types, `public` for interface members and `private`
 * for other members. Attributes are the decorators (`Obsolete("x")`). Properties are fields of
 * their type. `ref`/`out`/`in`/`this` parameter modifiers are kept in front of the type, `params`
 * makes a parameter variadic. A method's scope holds its parameters, its locals (`var` ones
 * without a type) and the fields and properties of the enclosing types.
 */
import type { Node } from 'web-tree-sitter';
import type {
  BindingFact, FunctionFact, ImportFact, ParamFact, ScopeFact, TypeFact, Visibility,
} from '../../core/index.ts';
import { SIGNAL, bump } from '../signals.ts';
import { addIdentifier, emptyFacts, makeHole, oneLine, qualifiedName, signatureText } from './common.ts';
import { completeScope, FieldBindingCache } from './scope-bindings.ts';
import { docAbove, treeSource } from './doc-above.ts';
import { FrameWalker, type TypeFrame as Frame } from './frame-walker.ts';
import type { ExtractedFacts, LanguageExtractor } from './types.ts';

const INTERESTING = [
  'using_directive', 'namespace_declaration', 'file_scoped_namespace_declaration', 'class_declaration',
  'struct_declaration', 'interface_declaration', 'enum_declaration', 'record_declaration', 'delegate_declaration',
  'method_declaration', 'constructor_declaration', 'destructor_declaration', 'operator_declaration',
  'local_function_statement', 'field_declaration', 'property_declaration', 'local_declaration_statement',
  'foreach_statement', 'catch_declaration', 'throw_statement', 'throw_expression', 'try_statement', 'await_expression',
  'yield_statement',
];

interface Modifiers {
  visibility?: Visibility;
  static: boolean;
  async: boolean;
  constant: boolean;
  readonly: boolean;
  attributes: string[];
}

/** `kids` is the declaration's `namedChildren`, read once by the caller and shared. */
function modifiersOf(kids: (Node | null)[]): Modifiers {
  const m: Modifiers = { static: false, async: false, constant: false, readonly: false, attributes: [] };
  let sawPrivate = false;
  let sawProtected = false;
  let sawInternal = false;
  for (const c of kids) {
    if (!c) continue;
    if (c.type === 'modifier') {
      switch (c.text) {
        case 'public': m.visibility = 'public'; break;
        case 'private': sawPrivate = true; break;
        case 'protected': sawProtected = true; break;
        case 'internal': sawInternal = true; break;
        case 'static': m.static = true; break;
        case 'async': m.async = true; break;
        case 'const': m.constant = true; break;
        case 'readonly': m.readonly = true; break;
        default:
      }
    } else if (c.type === 'attribute_list') {
      for (const a of c.namedChildren) if (a?.type === 'attribute') m.attributes.push(oneLine(a.text));
    }
  }
  // `protected internal` and `private protected` read as the wider of the two for generation.
  if (m.visibility === undefined) {
    if (sawProtected) m.visibility = 'protected';
    else if (sawInternal) m.visibility = 'internal';
    else if (sawPrivate) m.visibility = 'private';
  }
  return m;
}

function typeParamsOf(kids: (Node | null)[]): string[] {
  const tp = kids.find((c) => c?.type === 'type_parameter_list') ?? null;
  if (!tp) return [];
  const out: string[] = [];
  for (const c of tp.namedChildren) if (c?.type === 'type_parameter') out.push(oneLine(c.text));
  return out;
}

/**
 * Parameters of a parameter_list. The grammar flattens a `params T[] xs` parameter into the list
 * itself (`params`, then a `type`, then a `name`), so the list is read child by child.
 */
function readParams(list: Node | null): ParamFact[] {
  const out: ParamFact[] = [];
  if (!list) return out;
  if (!list.text.includes('params')) {
    // The common case, without the flattened `params` form: one `parameter` node per parameter.
    for (const c of list.namedChildren) if (c?.type === 'parameter') out.push(readParam(c));
    return out;
  }
  let params = false;
  let pendingType: string | undefined;
  for (let i = 0; i < list.childCount; i++) {
    const c = list.child(i);
    if (!c) continue;
    if (c.type === 'params') {
      params = true;
      continue;
    }
    if (c.type === 'parameter') {
      out.push(readParam(c));
      continue;
    }
    if (params && c.isNamed) {
      const f = list.fieldNameForChild(i);
      if (f === 'type') pendingType = oneLine(c.text);
      else if (f === 'name') {
        const p: ParamFact = { name: c.text, variadic: true };
        if (pendingType !== undefined) p.type = pendingType;
        out.push(p);
        params = false;
        pendingType = undefined;
      }
    }
  }
  return out;
}

function readParam(p: Node): ParamFact {
  const n = p.childForFieldName('name');
  const t = p.childForFieldName('type');
  let mods = '';
  let afterEq = false;
  let def: string | undefined;
  let variadic = false;
  // Modifiers, `params` and defaults need a look at every child; a plain `T name` does not.
  const plain = t !== null && n !== null && t.startIndex === p.startIndex && n.endIndex === p.endIndex;
  for (let i = 0; !plain && i < p.childCount; i++) {
    const c = p.child(i);
    if (!c) continue;
    if (c.type === 'modifier') mods += `${c.text} `;
    else if (c.type === 'params') variadic = true;
    else if (c.type === '=') afterEq = true;
    else if (afterEq && c.isNamed && def === undefined) def = oneLine(c.text);
  }
  const param: ParamFact = { name: n ? n.text : '_' };
  if (t) param.type = mods + oneLine(t.text);
  if (def !== undefined) {
    param.default = def;
    param.optional = true;
  }
  if (variadic) param.variadic = true;
  return param;
}

/** XML doc comments: the text of `<summary>` without the tags; other tags are kept. */
function docOf(node: Node, source: string): string | undefined {
  const d = docAbove(source, node.startIndex);
  if (d === undefined) return undefined;
  const t = d.replace(/<\/?summary>/g, '').trim();
  return t.length > 0 ? t : undefined;
}

function lastSegment(name: string): string {
  const i = name.lastIndexOf('.');
  return i < 0 ? name : name.slice(i + 1);
}

class CsharpExtractor extends FrameWalker<Frame> {
  readonly facts: ExtractedFacts = emptyFacts();
  constructor(private readonly source: string) {
    super();
  }
  private readonly scopeTypes: { scope: ScopeFact; types: TypeFact[] }[] = [];

  run(root: Node): ExtractedFacts {
    this.walk(root, INTERESTING);
    return this.facts;
  }

  protected visit(node: Node): void {
    switch (node.type) {
      case 'using_directive': return this.using(node);
      case 'namespace_declaration':
      case 'file_scoped_namespace_declaration': return this.namespace(node);
      case 'class_declaration': return this.typeDecl(node, 'class');
      case 'struct_declaration': return this.typeDecl(node, 'struct');
      case 'interface_declaration': return this.typeDecl(node, 'interface');
      case 'enum_declaration': return this.typeDecl(node, 'enum');
      case 'record_declaration': return this.typeDecl(node, 'record');
      case 'delegate_declaration': return this.delegate(node);
      case 'method_declaration':
      case 'constructor_declaration':
      case 'destructor_declaration':
      case 'operator_declaration':
      case 'local_function_statement': return this.method(node);
      case 'field_declaration': return this.field(node);
      case 'property_declaration': return this.property(node);
      case 'local_declaration_statement': return this.local(node);
      case 'foreach_statement': return this.single(node, node.childForFieldName('type'), node.childForFieldName('left'));
      case 'catch_declaration': return this.single(node, node.childForFieldName('type'), node.childForFieldName('name'));
      case 'throw_statement':
      case 'throw_expression': return this.throwNode(node);
      case 'try_statement': bump(this.facts.signals, SIGNAL.TRY); return;
      case 'await_expression': bump(this.facts.signals, SIGNAL.AWAIT); return;
      case 'yield_statement': {
        // `yield return` makes the enclosing method an iterator.
        const f = this.innerFn()?.fn;
        if (f) f.generator = true;
        return;
      }
      default:
    }
  }

  private using(node: Node): void {
    let target: Node | null = null;
    for (let i = 0; i < node.childCount; i++) {
      const c = node.child(i);
      if (c && c.isNamed && node.fieldNameForChild(i) !== 'name') target = c;
    }
    if (!target) return;
    const alias = node.childForFieldName('name')?.text;
    const line = node.startPosition.row + 1;
    const module = target.text.replace(/\s+/g, '');
    // `using System;` brings in every type of the namespace; `using static` every static member.
    const imp: ImportFact = alias !== undefined
      ? { module, names: [], alias, wildcard: false, line }
      : { module, names: [], wildcard: true, line };
    imp.typeOnly = false;
    this.facts.imports.push(imp);
  }

  private namespace(node: Node): void {
    const n = node.childForFieldName('name');
    if (!n) return;
    const name = n.text.replace(/\s+/g, '');
    // A file-scoped namespace covers the rest of the file.
    const end = node.type === 'file_scoped_namespace_declaration' ? Number.MAX_SAFE_INTEGER : node.endIndex;
    this.stack.push({ end, name });
  }

  private atNamespaceLevel(): boolean {
    for (const f of this.stack) if (f.type || f.fn) return false;
    return true;
  }

  private defaultVisibility(): Visibility {
    const t = this.top();
    if (t?.interface) return 'public';
    return t?.type || t?.fn ? 'private' : 'internal';
  }

  private typeDecl(node: Node, kind: TypeFact['kind']): void {
    const nameNode = node.childForFieldName('name');
    if (!nameNode || nameNode.isMissing) return;
    const kids = node.namedChildren;
    const mods = modifiersOf(kids);
    const visibility = mods.visibility ?? this.defaultVisibility();
    const fact: TypeFact = {
      name: nameNode.text, kind, fields: [], methods: [], typeParams: typeParamsOf(kids), bases: [],
      exported: visibility === 'public',
      line: node.startPosition.row + 1, column: node.startPosition.column + 1, endLine: node.endPosition.row + 1,
    };
    const container = this.container();
    if (container !== undefined) fact.container = container;
    const doc = docOf(node, this.source);
    if (doc !== undefined) fact.doc = doc;
    for (const c of kids) {
      if (c?.type !== 'base_list') continue;
      for (const b of c.namedChildren) if (b && b.type !== 'argument_list') fact.bases.push(oneLine(b.text));
    }
    if (kind === 'enum') {
      fact.members = [];
      const body = node.childForFieldName('body');
      if (body) for (const m of body.namedChildren) if (m?.type === 'enum_member_declaration') {
        const n = m.childForFieldName('name');
        if (!n) continue;
        fact.members.push(n.text);
        addIdentifier(this.facts.identifiers, n.text, 'constant', n);
      }
    } else if (kind === 'record') {
      // Positional record parameters are its properties.
      const list = kids.find((c) => c?.type === 'parameter_list') ?? null;
      for (const p of readParams(list)) {
        fact.fields.push(p.type !== undefined ? { name: p.name, type: p.type, line: fact.line } : { name: p.name, line: fact.line });
        addIdentifier(this.facts.identifiers, p.name, 'field', nameNode);
      }
    }
    this.facts.types.push(fact);
    if (fact.exported && this.atNamespaceLevel()) this.facts.exports.push({ name: fact.name, kind: 'type', line: fact.line });
    this.stack.push({ end: node.endIndex, name: fact.name, type: fact, interface: kind === 'interface' });
  }

  private delegate(node: Node): void {
    const nameNode = node.childForFieldName('name');
    if (!nameNode) return;
    const kids = node.namedChildren;
    const mods = modifiersOf(kids);
    const visibility = mods.visibility ?? this.defaultVisibility();
    const params = readParams(node.childForFieldName('parameters'));
    const t = node.childForFieldName('type');
    const fact: TypeFact = {
      name: nameNode.text, kind: 'type_alias', fields: [], methods: [], typeParams: typeParamsOf(kids), bases: [],
      exported: visibility === 'public',
      aliasOf: `delegate ${t ? oneLine(t.text) : 'void'}(${params.map((p) => `${p.type ?? ''} ${p.name}`.trim()).join(', ')})`,
      line: node.startPosition.row + 1, column: node.startPosition.column + 1, endLine: node.endPosition.row + 1,
    };
    const container = this.container();
    if (container !== undefined) fact.container = container;
    this.facts.types.push(fact);
    if (fact.exported && this.atNamespaceLevel()) this.facts.exports.push({ name: fact.name, kind: 'type', line: fact.line });
  }

  private method(node: Node): void {
    const isOperator = node.type === 'operator_declaration';
    const nameNode = node.childForFieldName('name');
    if (!isOperator && (!nameNode || nameNode.isMissing)) return;
    const parent = this.top();
    const kids = node.namedChildren;
    const mods = modifiersOf(kids);
    const isLocal = node.type === 'local_function_statement';
    const params = readParams(node.childForFieldName('parameters'));
    let name = nameNode ? nameNode.text : 'operator';
    if (isOperator) {
      const op = node.childForFieldName('operator');
      name = `operator${op ? op.text : ''}`;
    }
    if (node.type === 'destructor_declaration') name = `~${name}`;
    const visibility = isLocal ? 'private' : mods.visibility ?? this.defaultVisibility();
    const fact: FunctionFact = {
      name,
      kind: node.type === 'constructor_declaration' ? 'constructor' : isLocal ? 'function' : 'method',
      params,
      async: mods.async,
      generator: false,
      exported: visibility === 'public',
      visibility,
      static: mods.static,
      decorators: mods.attributes,
      line: node.startPosition.row + 1,
      column: node.startPosition.column + 1,
      endLine: node.endPosition.row + 1,
    };
    const ret = node.childForFieldName('returns') ?? node.childForFieldName('type');
    if (ret && node.type !== 'constructor_declaration') fact.returnType = oneLine(ret.text);
    const tps = typeParamsOf(kids);
    if (tps.length > 0) fact.typeParams = tps;
    const fnFrame = this.innerFn();
    const container = isLocal && fnFrame ? qualifiedName(fnFrame.fn!) : this.container();
    if (container !== undefined) fact.container = container;
    const doc = docOf(node, this.source);
    if (doc !== undefined) fact.doc = doc;
    this.facts.functions.push(fact);
    if (parent?.type && !isLocal) parent.type.methods.push(signatureText({ ...fact, container: undefined }));

    const s = this.facts.signals;
    for (const p of params) {
      bump(s, SIGNAL.PARAM_ANNOTATED);
      if (p.type === 'dynamic') bump(s, SIGNAL.ANY);
      addIdentifier(this.facts.identifiers, p.name, 'parameter', node);
    }
    if (fact.returnType !== undefined) {
      bump(s, SIGNAL.RETURN_ANNOTATED);
      const rt = fact.returnType.replace(/^(Task|ValueTask)<(.*)>$/, '$2');
      if (rt === 'dynamic') bump(s, SIGNAL.ANY);
      if (/\?$/.test(rt)) bump(s, SIGNAL.OPTION_RETURN);
      else if (/^(\w+\.)*Result\b/.test(rt)) bump(s, SIGNAL.RESULT_RETURN);
    }
    if (mods.async) bump(s, SIGNAL.ASYNC_FN);

    const body = node.childForFieldName('body');
    if (!body) return;
    const bindings: BindingFact[] = params.map((p) => (p.type !== undefined ? { name: p.name, type: p.type.replace(/^(ref|out|in|this|scoped) /, ''), kind: 'parameter' } : { name: p.name, kind: 'parameter' }));
    const scope: ScopeFact = { function: qualifiedName(fact), line: fact.line, bindings };
    this.facts.scopes.push(scope);
    const types: TypeFact[] = [];
    for (let i = this.stack.length - 1; i >= 0; i--) {
      const ty = this.stack[i]!.type;
      if (ty) types.push(ty);
    }
    this.scopeTypes.push({ scope, types });
    this.stack.push({ end: node.endIndex, fn: fact, scope });
  }

  private field(node: Node): void {
    const owner = this.top()?.type;
    const kids = node.namedChildren;
    const mods = modifiersOf(kids);
    const decl = kids.find((c) => c?.type === 'variable_declaration');
    if (!decl) return;
    const t = decl.childForFieldName('type');
    const type = t ? oneLine(t.text) : undefined;
    const constant = mods.constant || (mods.static && mods.readonly);
    for (const d of decl.namedChildren) {
      if (d?.type !== 'variable_declarator') continue;
      const n = d.childForFieldName('name');
      if (!n) continue;
      addIdentifier(this.facts.identifiers, n.text, constant ? 'constant' : 'field', n);
      if (owner) owner.fields.push(type !== undefined ? { name: n.text, type, line: n.startPosition.row + 1 } : { name: n.text, line: n.startPosition.row + 1 });
      if (type === 'dynamic') bump(this.facts.signals, SIGNAL.ANY);
    }
  }

  private property(node: Node): void {
    const owner = this.top()?.type;
    const n = node.childForFieldName('name');
    const t = node.childForFieldName('type');
    if (!n) return;
    addIdentifier(this.facts.identifiers, n.text, 'field', n);
    if (owner) owner.fields.push(t ? { name: n.text, type: oneLine(t.text), line: n.startPosition.row + 1 } : { name: n.text, line: n.startPosition.row + 1 });
  }

  private local(node: Node): void {
    const scope = this.innerFn()?.scope;
    const kids = node.namedChildren;
    const mods = modifiersOf(kids);
    const decl = kids.find((c) => c?.type === 'variable_declaration');
    if (!decl) return;
    const t = decl.childForFieldName('type');
    const type = t && t.type !== 'implicit_type' ? oneLine(t.text) : undefined;
    if (type === 'dynamic') bump(this.facts.signals, SIGNAL.ANY);
    for (const d of decl.namedChildren) {
      if (d?.type !== 'variable_declarator') continue;
      const n = d.childForFieldName('name');
      if (!n) continue;
      addIdentifier(this.facts.identifiers, n.text, mods.constant ? 'constant' : 'variable', n);
      if (scope) scope.bindings.push(type !== undefined ? { name: n.text, type, kind: 'local' } : { name: n.text, kind: 'local' });
    }
  }

  /** `foreach (T x in xs)`, `catch (E e)`: one name with an optional type. */
  private single(_node: Node, t: Node | null, n: Node | null): void {
    if (!n || n.type !== 'identifier') return;
    const type = t && t.type !== 'implicit_type' ? oneLine(t.text) : undefined;
    addIdentifier(this.facts.identifiers, n.text, 'variable', n);
    const scope = this.innerFn()?.scope;
    if (scope) scope.bindings.push(type !== undefined ? { name: n.text, type, kind: 'local' } : { name: n.text, kind: 'local' });
  }

  private throwNode(node: Node): void {
    bump(this.facts.signals, SIGNAL.THROW);
    const e = node.namedChild(0);
    if (e?.type !== 'object_creation_expression') return;
    const t = e.childForFieldName('type');
    if (!t || lastSegment(t.text) !== 'NotImplementedException') return;
    this.facts.holes.push(makeHole('not_implemented', node, node.text.replace(/;\s*$/, ''), this.innerFn()?.fn));
  }

  protected finish(): void {
    const fields = new FieldBindingCache();
    for (const { scope, types } of this.scopeTypes) completeScope(scope, fields.of(types));
  }
}

export const extractCsharp: LanguageExtractor = (root: Node, source: string): ExtractedFacts => new CsharpExtractor(treeSource(root, source)).run(root);
