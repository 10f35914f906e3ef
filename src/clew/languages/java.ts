/**
 * Fact extraction for Java.
 *
 * One `descendantsOfType` call collects every node of interest in document order; a stack of open
 * frames (types, anonymous class bodies, methods) ordered by end offset gives each node its context.
 *
 * Containers are the dotted chain of enclosing types (`Outer.Inner`); the package is not part of
 * it. Methods of anonymous classes keep the enclosing type as container and are not listed in any
 * type's `methods`. Visibility comes from the modifiers; without one it is `package` (`public` for
 * interface members). Annotations are the decorators, written without `@`. A method's scope holds
 * its parameters, its locals (`var` ones without a type) and the fields of the enclosing types.
 */
import type { Node } from 'web-tree-sitter';
import type {
  BindingFact, FunctionFact, ImportFact, ParamFact, ScopeFact, TypeFact, Visibility,
} from '../../core/index.ts';
import { SIGNAL, bump } from '../signals.ts';
import { NOT_IMPLEMENTED_RE, addIdentifier, emptyFacts, makeHole, oneLine, qualifiedName, signatureText } from './common.ts';
import { completeScope, FieldBindingCache } from './scope-bindings.ts';
import { docAbove, treeSource } from './doc-above.ts';
import { FrameWalker, type TypeFrame as Frame } from './frame-walker.ts';
import type { ExtractedFacts, LanguageExtractor } from './types.ts';

const INTERESTING = [
  'import_declaration', 'class_declaration', 'interface_declaration', 'enum_declaration', 'record_declaration',
  'annotation_type_declaration', 'class_body', 'method_declaration', 'constructor_declaration',
  'compact_constructor_declaration', 'field_declaration', 'constant_declaration', 'local_variable_declaration',
  'enhanced_for_statement', 'catch_formal_parameter', 'resource', 'throw_statement', 'try_statement',
  'try_with_resources_statement',
];

interface Modifiers {
  visibility?: Visibility;
  static: boolean;
  final: boolean;
  abstract: boolean;
  annotations: string[];
}

function modifiersOf(node: Node): Modifiers {
  const m: Modifiers = { static: false, final: false, abstract: false, annotations: [] };
  const mods = node.namedChildren.find((c) => c?.type === 'modifiers');
  if (!mods) return m;
  for (let i = 0; i < mods.childCount; i++) {
    const c = mods.child(i);
    if (!c) continue;
    switch (c.type) {
      case 'public': m.visibility = 'public'; break;
      case 'protected': m.visibility = 'protected'; break;
      case 'private': m.visibility = 'private'; break;
      case 'static': m.static = true; break;
      case 'final': m.final = true; break;
      case 'abstract': m.abstract = true; break;
      case 'marker_annotation':
      case 'annotation': m.annotations.push(oneLine(c.text.replace(/^@\s*/, ''))); break;
      default:
    }
  }
  return m;
}

function typeParamsOf(node: Node): string[] {
  const tp = node.childForFieldName('type_parameters');
  if (!tp) return [];
  const out: string[] = [];
  for (const c of tp.namedChildren) if (c?.type === 'type_parameter') out.push(oneLine(c.text));
  return out;
}

/** `int x[]` declares an `int[]`: extra dimensions on the declarator belong to the type. */
function declaredType(type: string, declarator: Node): string {
  const dims = declarator.childForFieldName('dimensions');
  return dims ? type + oneLine(dims.text).replace(/\s+/g, '') : type;
}

function readParams(list: Node | null): ParamFact[] {
  const out: ParamFact[] = [];
  if (!list) return out;
  for (const p of list.namedChildren) {
    if (!p) continue;
    if (p.type === 'formal_parameter') {
      const n = p.childForFieldName('name');
      const t = p.childForFieldName('type');
      if (!n) continue;
      const param: ParamFact = { name: n.text };
      if (t) param.type = declaredType(oneLine(t.text), p);
      out.push(param);
    } else if (p.type === 'spread_parameter') {
      // `String... rest`: the element type is the first type child, the name is in the declarator.
      let type: string | undefined;
      let name: string | undefined;
      for (const c of p.namedChildren) {
        if (!c) continue;
        if (c.type === 'variable_declarator') name = c.childForFieldName('name')?.text;
        else if (c.type !== 'modifiers' && type === undefined) type = oneLine(c.text);
      }
      if (name === undefined) continue;
      const param: ParamFact = { name, variadic: true };
      if (type !== undefined) param.type = type;
      out.push(param);
    }
  }
  return out;
}

function lastSegment(name: string): string {
  const i = name.lastIndexOf('.');
  return i < 0 ? name : name.slice(i + 1);
}

class JavaExtractor extends FrameWalker<Frame> {
  readonly facts: ExtractedFacts = emptyFacts();
  constructor(private readonly source: string) {
    super();
  }
  /** For each scope, the types whose fields are visible in it (filled in at the end). */
  private readonly scopeTypes: { scope: ScopeFact; types: TypeFact[] }[] = [];
  private readonly importedNames: BindingFact[] = [];

  run(root: Node): ExtractedFacts {
    this.walk(root, INTERESTING);
    return this.facts;
  }

  protected visit(node: Node): void {
    switch (node.type) {
      case 'import_declaration': return this.importDecl(node);
      case 'class_declaration': return this.typeDecl(node, 'class');
      case 'interface_declaration':
      case 'annotation_type_declaration': return this.typeDecl(node, 'interface');
      case 'enum_declaration': return this.typeDecl(node, 'enum');
      case 'record_declaration': return this.typeDecl(node, 'record');
      case 'class_body':
        // An anonymous class: its methods are not members of the enclosing type.
        if (node.parent?.type === 'object_creation_expression') this.stack.push({ end: node.endIndex });
        return;
      case 'method_declaration':
      case 'constructor_declaration':
      case 'compact_constructor_declaration': return this.method(node);
      case 'field_declaration':
      case 'constant_declaration': return this.field(node);
      case 'local_variable_declaration': return this.local(node);
      case 'enhanced_for_statement':
      case 'catch_formal_parameter':
      case 'resource': return this.singleLocal(node);
      case 'throw_statement': return this.throwStmt(node);
      case 'try_statement':
      case 'try_with_resources_statement': bump(this.facts.signals, SIGNAL.TRY); return;
      default:
    }
  }

  private importDecl(node: Node): void {
    let path: string | undefined;
    let wildcard = false;
    let isStatic = false;
    for (let i = 0; i < node.childCount; i++) {
      const c = node.child(i);
      if (!c) continue;
      if (c.type === 'scoped_identifier' || c.type === 'identifier') path = c.text.replace(/\s+/g, '');
      else if (c.type === 'asterisk') wildcard = true;
      else if (c.type === 'static') isStatic = true;
    }
    if (path === undefined) return;
    const line = node.startPosition.row + 1;
    const imp: ImportFact = wildcard
      ? { module: path, names: [], wildcard: true, line }
      : { module: path.includes('.') ? path.slice(0, path.lastIndexOf('.')) : path, names: [{ name: lastSegment(path) }], wildcard: false, line };
    // `typeOnly` means "erased at run time" (TypeScript's `import type`); no Java import is.
    imp.typeOnly = false;
    this.facts.imports.push(imp);
    // A static import brings a member into every method's scope (`max(a, b)`).
    if (isStatic && !wildcard) this.importedNames.push({ name: lastSegment(path), kind: 'import' });
  }

  private typeDecl(node: Node, kind: TypeFact['kind']): void {
    const nameNode = node.childForFieldName('name');
    if (!nameNode || nameNode.isMissing) return;
    const mods = modifiersOf(node);
    const parent = this.top();
    const visibility = mods.visibility ?? (parent?.interface ? 'public' : 'package');
    const fact: TypeFact = {
      name: nameNode.text, kind, fields: [], methods: [], typeParams: typeParamsOf(node), bases: [],
      exported: visibility === 'public',
      line: node.startPosition.row + 1, column: node.startPosition.column + 1, endLine: node.endPosition.row + 1,
    };
    const container = this.container();
    if (container !== undefined) fact.container = container;
    const doc = docAbove(this.source, node.startIndex);
    if (doc !== undefined) fact.doc = doc;
    for (const c of node.namedChildren) {
      if (!c) continue;
      if (c.type === 'superclass') {
        const t = c.namedChild(0);
        if (t) fact.bases.push(oneLine(t.text));
      } else if (c.type === 'super_interfaces' || c.type === 'extends_interfaces') {
        const list = c.namedChild(0);
        if (list) for (const t of list.namedChildren) if (t) fact.bases.push(oneLine(t.text));
      }
    }
    if (kind === 'enum') {
      fact.members = [];
      const body = node.childForFieldName('body');
      if (body) for (const c of body.namedChildren) if (c?.type === 'enum_constant') {
        const n = c.childForFieldName('name');
        if (!n) continue;
        fact.members.push(n.text);
        addIdentifier(this.facts.identifiers, n.text, 'constant', n);
      }
    } else if (kind === 'record') {
      for (const p of readParams(node.childForFieldName('parameters'))) {
        fact.fields.push(p.type !== undefined ? { name: p.name, type: p.type, line: fact.line } : { name: p.name, line: fact.line });
        addIdentifier(this.facts.identifiers, p.name, 'field', node);
      }
    }
    this.facts.types.push(fact);
    if (fact.exported && container === undefined) this.facts.exports.push({ name: fact.name, kind: 'type', line: fact.line });
    this.stack.push({ end: node.endIndex, name: fact.name, type: fact, interface: kind === 'interface' });
  }

  private method(node: Node): void {
    const nameNode = node.childForFieldName('name');
    if (!nameNode || nameNode.isMissing) return;
    const parent = this.top();
    const mods = modifiersOf(node);
    const isCtor = node.type !== 'method_declaration';
    let params = readParams(node.childForFieldName('parameters'));
    if (node.type === 'compact_constructor_declaration' && parent?.type) {
      params = parent.type.fields.map((f) => (f.type !== undefined ? { name: f.name, type: f.type } : { name: f.name }));
    }
    const visibility = mods.visibility ?? (parent?.interface ? 'public' : 'package');
    const fact: FunctionFact = {
      name: nameNode.text,
      kind: isCtor ? 'constructor' : 'method',
      params,
      async: false,
      generator: false,
      exported: visibility === 'public',
      visibility,
      static: mods.static,
      decorators: mods.annotations,
      line: node.startPosition.row + 1,
      column: node.startPosition.column + 1,
      endLine: node.endPosition.row + 1,
    };
    const t = node.childForFieldName('type');
    if (t) fact.returnType = declaredType(oneLine(t.text), node);
    const tps = typeParamsOf(node);
    if (tps.length > 0) fact.typeParams = tps;
    const container = this.container();
    if (container !== undefined) fact.container = container;
    const doc = docAbove(this.source, node.startIndex);
    if (doc !== undefined) fact.doc = doc;
    this.facts.functions.push(fact);
    if (parent?.type) parent.type.methods.push(signatureText({ ...fact, container: undefined }));

    const s = this.facts.signals;
    for (const p of params) {
      bump(s, SIGNAL.PARAM_ANNOTATED);
      addIdentifier(this.facts.identifiers, p.name, 'parameter', node);
    }
    if (!isCtor) bump(s, SIGNAL.RETURN_ANNOTATED);
    if (fact.returnType !== undefined && /^(java\.util\.)?Optional(Int|Long|Double)?\b/.test(fact.returnType)) bump(s, SIGNAL.OPTION_RETURN);

    const body = node.childForFieldName('body');
    if (!body) return;
    const bindings: BindingFact[] = params.map((p) => {
      const type = p.variadic && p.type !== undefined ? `${p.type}[]` : p.type;
      return type !== undefined ? { name: p.name, type, kind: 'parameter' } : { name: p.name, kind: 'parameter' };
    });
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
    const parent = this.top();
    const owner = parent?.type;
    const t = node.childForFieldName('type');
    const type = t ? oneLine(t.text) : undefined;
    const mods = modifiersOf(node);
    const constant = node.type === 'constant_declaration' || parent?.interface === true || (mods.static && mods.final);
    for (const d of node.childrenForFieldName('declarator')) {
      if (!d?.isNamed) continue;
      const n = d.childForFieldName('name');
      if (!n) continue;
      const ft = type !== undefined ? declaredType(type, d) : undefined;
      addIdentifier(this.facts.identifiers, n.text, constant ? 'constant' : 'field', n);
      if (owner) owner.fields.push(ft !== undefined ? { name: n.text, type: ft, line: n.startPosition.row + 1 } : { name: n.text, line: n.startPosition.row + 1 });
    }
  }

  private local(node: Node): void {
    const scope = this.innerFn()?.scope;
    const t = node.childForFieldName('type');
    const type = t && t.text !== 'var' ? oneLine(t.text) : undefined;
    const mods = modifiersOf(node);
    for (const d of node.childrenForFieldName('declarator')) {
      if (!d?.isNamed) continue;
      const n = d.childForFieldName('name');
      if (!n) continue;
      addIdentifier(this.facts.identifiers, n.text, mods.final && /^[A-Z][A-Z0-9_]*$/.test(n.text) ? 'constant' : 'variable', n);
      const dt = type !== undefined ? declaredType(type, d) : undefined;
      if (scope) scope.bindings.push(dt !== undefined ? { name: n.text, type: dt, kind: 'local' } : { name: n.text, kind: 'local' });
    }
  }

  /** `for (T x : xs)`, `catch (E e)`, `try (var r = …)`: one name with an optional type. */
  private singleLocal(node: Node): void {
    const n = node.childForFieldName('name');
    if (!n) return;
    let t = node.childForFieldName('type');
    if (!t && node.type === 'catch_formal_parameter') t = node.namedChildren.find((c) => c?.type === 'catch_type') ?? null;
    const type = t && t.text !== 'var' ? oneLine(t.text) : undefined;
    addIdentifier(this.facts.identifiers, n.text, 'variable', n);
    const scope = this.innerFn()?.scope;
    if (scope) scope.bindings.push(type !== undefined ? { name: n.text, type, kind: 'local' } : { name: n.text, kind: 'local' });
  }

  private throwStmt(node: Node): void {
    bump(this.facts.signals, SIGNAL.THROW);
    const e = node.namedChild(0);
    if (e?.type !== 'object_creation_expression') return;
    const t = e.childForFieldName('type');
    if (!t) return;
    const name = lastSegment(t.text);
    let hole = name === 'UnsupportedOperationException';
    if (!hole) {
      const arg = e.childForFieldName('arguments')?.namedChild(0);
      hole = arg?.type === 'string_literal' && NOT_IMPLEMENTED_RE.test(arg.text);
    }
    if (hole) this.facts.holes.push(makeHole('not_implemented', node, node.text.replace(/;\s*$/, ''), this.innerFn()?.fn));
  }

  protected finish(): void {
    const fields = new FieldBindingCache();
    for (const { scope, types } of this.scopeTypes) completeScope(scope, [...fields.of(types), this.importedNames]);
  }
}

export const extractJava: LanguageExtractor = (root: Node, source: string): ExtractedFacts => new JavaExtractor(treeSource(root, source)).run(root);
