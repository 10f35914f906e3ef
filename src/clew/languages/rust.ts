/**
 * Fact extraction for Rust.
 *
 * One `descendantsOfType` call collects every node of interest in document order (one pass inside
 * the WASM tree, far cheaper than walking node by node from JavaScript); a stack of open frames
 * (modules, impls, traits, functions) ordered by end offset gives each node its context.
 *
 * Containers: `mod a { mod b { … } }` → `a.b`; an `impl Foo`/`impl Tr for Foo` block → `Foo`; a
 * trait → the trait's name. Methods of `impl Tr for Foo` add `Tr` to Foo's bases and their
 * signatures to Foo's methods; an impl of a type not declared in the file becomes a TypeFact of
 * kind `impl`. `self` is listed as a parameter with type `Self`, `&Self` or `&mut Self`.
 */
import type { Node } from 'web-tree-sitter';
import type {
  BindingFact, FieldFact, FunctionFact, ImportFact, ParamFact, ScopeFact, TypeFact, Visibility,
} from '../../core/index.ts';
import { SIGNAL, bump } from '../signals.ts';
import { attributeAbove, docAbove, treeSource } from './doc-above.ts';
import {
  NOT_IMPLEMENTED_RE, addIdentifier, emptyFacts, makeHole, oneLine, qualifiedName, signatureText,
} from './common.ts';
import { FrameWalker } from './frame-walker.ts';
import { completeScope } from './scope-bindings.ts';
import type { ExtractedFacts, LanguageExtractor } from './types.ts';

const INTERESTING = [
  'use_declaration', 'extern_crate_declaration', 'function_item', 'function_signature_item',
  'struct_item', 'enum_item', 'union_item', 'trait_item', 'impl_item', 'type_item', 'const_item',
  'static_item', 'mod_item', 'let_declaration', 'let_condition', 'for_expression', 'try_expression', 'call_expression', 'macro_invocation',
  'await_expression',
];

interface Frame {
  end: number;
  /** Contributes to `container` (modules, impls, traits). */
  name?: string;
  fn?: FunctionFact;
  scope?: ScopeFact;
  /** The trait or struct whose `methods` get the signatures of functions declared inside. */
  type?: TypeFact;
  /** For impl blocks: the implementing type's name and the trait, if any. */
  implOf?: string;
  traitImpl?: boolean;
  trait?: boolean;
}

/**
 * Rust visibility from an item's source text (read as text: cheaper than asking the tree):
 * `pub` is public; `pub(crate)`, `pub(super)`, `pub(in …)` are crate-internal; none is private.
 */
function visibilityOf(node: Node, source: string): Visibility {
  const i = node.startIndex;
  if (!source.startsWith('pub', i)) return 'private';
  const next = source.charCodeAt(i + 3);
  // `pub(crate)` / `pub (crate)`
  let j = i + 3;
  while (source.charCodeAt(j) === 32 || source.charCodeAt(j) === 9 || source.charCodeAt(j) === 10) j++;
  if (source.charCodeAt(j) === 40) return 'internal';
  return next === 32 || next === 9 || next === 10 || next === 13 ? 'public' : 'private';
}

/** The attributes (`#[...]`, without the brackets) written directly before an item. */
function attributesBefore(node: Node): string[] {
  const attrs: string[] = [];
  let prev = node.previousNamedSibling;
  while (prev && (prev.type === 'attribute_item' || prev.type === 'line_comment' || prev.type === 'block_comment')) {
    if (prev.type === 'attribute_item') {
      const a = prev.namedChild(0);
      if (a) attrs.push(oneLine(a.text));
    } else if (!isDocComment(prev)) {
      break;
    }
    prev = prev.previousNamedSibling;
  }
  return attrs.reverse();
}

function isDocComment(c: Node): boolean {
  const t = c.text;
  return t.startsWith('///') || t.startsWith('/**');
}

const ATTRIBUTE_LINE = /^#!?\[.*\]$/;

/** The doc comment of an item, looking past the attribute lines between it and the item. */
function docOf(node: Node, source: string): string | undefined {
  return docAbove(source, node.startIndex, ATTRIBUTE_LINE);
}

/** The type a `impl` block is for, without generic arguments: `impl<T> Foo<T>` → `Foo`. */
function implTypeName(t: Node): string {
  switch (t.type) {
    case 'generic_type': {
      const inner = t.childForFieldName('type');
      return inner ? implTypeName(inner) : oneLine(t.text);
    }
    case 'scoped_type_identifier': {
      const name = t.childForFieldName('name');
      return name ? name.text : oneLine(t.text);
    }
    case 'reference_type': {
      const inner = t.childForFieldName('type');
      return inner ? implTypeName(inner) : oneLine(t.text);
    }
    default:
      return oneLine(t.text);
  }
}

function typeParamsOf(node: Node): string[] {
  const tp = node.childForFieldName('type_parameters');
  if (!tp) return [];
  const out: string[] = [];
  for (const c of tp.namedChildren) if (c && c.type !== 'line_comment' && c.type !== 'block_comment') out.push(oneLine(c.text));
  return out;
}

/** Names bound by a pattern (`x`, `mut x`, `(a, b)`, `Point { x, y }`, `ref r`). */
function patternNames(p: Node, out: Node[]): void {
  switch (p.type) {
    case 'identifier':
      out.push(p);
      return;
    case 'mut_pattern':
    case 'ref_pattern':
    case 'tuple_pattern':
    case 'tuple_struct_pattern':
    case 'struct_pattern':
    case 'field_pattern':
    case 'slice_pattern':
    case 'reference_pattern':
    case 'captured_pattern':
    {
      // `Some(x)`: the path of a tuple-struct pattern names a type, not a binding.
      const typePath = p.type === 'tuple_struct_pattern' || p.type === 'struct_pattern' ? p.childForFieldName('type') : null;
      for (const c of p.namedChildren) {
        if (!c || (typePath && c.startIndex === typePath.startIndex && c.endIndex === typePath.endIndex)) continue;
        if (c.type === 'shorthand_field_identifier') out.push(c);
        else patternNames(c, out);
      }
      return;
    }
    default:
  }
}

/** The string argument of a macro like `panic!("…")`, from its token tree. */
function firstStringIn(tt: Node | null): string | undefined {
  if (!tt) return undefined;
  for (const c of tt.namedChildren) if (c && (c.type === 'string_literal' || c.type === 'raw_string_literal')) return c.text;
  return undefined;
}

function lastSegment(path: string): string {
  const i = path.lastIndexOf('::');
  return i < 0 ? path : path.slice(i + 2);
}

class RustExtractor extends FrameWalker<Frame> {
  readonly facts: ExtractedFacts = emptyFacts();
  constructor(private readonly source: string) {
    super();
  }
  private readonly moduleBindings: BindingFact[] = [];
  private readonly typesByName = new Map<string, TypeFact>();
  /** Impl blocks of types this file does not declare, by type name. */
  private readonly foreignImpls = new Map<string, TypeFact>();
  private readonly implBases = new Map<string, string[]>();
  private readonly implMethods = new Map<string, string[]>();

  run(root: Node): ExtractedFacts {
    this.walk(root, INTERESTING);
    return this.facts;
  }

  protected visit(node: Node): void {
    switch (node.type) {
      case 'use_declaration': return this.use(node);
      case 'extern_crate_declaration': return this.externCrate(node);
      case 'function_item':
      case 'function_signature_item': return this.fn(node);
      case 'struct_item':
      case 'union_item': return this.struct(node);
      case 'enum_item': return this.enum(node);
      case 'trait_item': return this.trait(node);
      case 'impl_item': return this.impl(node);
      case 'type_item': return this.typeAlias(node);
      case 'const_item':
      case 'static_item': return this.constant(node);
      case 'mod_item': return this.mod(node);
      case 'let_declaration':
      case 'let_condition':
      case 'for_expression': return this.let(node);
      case 'try_expression': bump(this.facts.signals, SIGNAL.QUESTION_OP); return;
      case 'await_expression': bump(this.facts.signals, SIGNAL.AWAIT); return;
      case 'call_expression': return this.call(node);
      case 'macro_invocation': return this.macro(node);
      default:
    }
  }

  private use(node: Node): void {
    const arg = node.childForFieldName('argument');
    if (!arg) return;
    const leaves: { module: string; name?: string; alias?: string; wildcard?: boolean }[] = [];
    collectUse(arg, '', leaves);
    const byModule = new Map<string, ImportFact>();
    const line = node.startPosition.row + 1;
    const pub = visibilityOf(node, this.source) !== 'private';
    const fnFrame = this.innerFn();
    for (const l of leaves) {
      let imp = byModule.get(l.module);
      if (!imp) {
        imp = { module: l.module, names: [], wildcard: false, typeOnly: false, line };
        byModule.set(l.module, imp);
        this.facts.imports.push(imp);
      }
      if (l.wildcard) imp.wildcard = true;
      if (l.name === undefined && !l.wildcard) {
        // `use serde;` / `use serde as s;`: the crate or module itself.
        if (l.alias !== undefined) imp.alias = l.alias;
        const b: BindingFact = { name: l.alias ?? l.module, kind: 'import' };
        if (fnFrame?.scope) fnFrame.scope.bindings.push(b);
        else this.moduleBindings.push(b);
      } else if (l.name !== undefined) {
        imp.names.push(l.alias !== undefined ? { name: l.name, alias: l.alias } : { name: l.name });
        const local = l.alias ?? l.name;
        if (local !== '_') {
          const b: BindingFact = { name: local, kind: 'import' };
          if (fnFrame?.scope) fnFrame.scope.bindings.push(b);
          else this.moduleBindings.push(b);
          if (pub) this.facts.exports.push({ name: local, kind: 'reexport', from: l.module, line });
        }
      } else if (pub && l.wildcard) {
        this.facts.exports.push({ name: '*', kind: 'reexport', from: l.module, line });
      }
    }
  }

  private externCrate(node: Node): void {
    const name = node.childForFieldName('name');
    if (!name) return;
    const alias = node.childForFieldName('alias')?.text;
    const imp: ImportFact = { module: name.text, names: [], wildcard: false, typeOnly: false, line: node.startPosition.row + 1 };
    if (alias) imp.alias = alias;
    this.facts.imports.push(imp);
    this.moduleBindings.push({ name: alias ?? name.text, kind: 'import' });
  }

  private fn(node: Node): void {
    const nameNode = node.childForFieldName('name');
    if (!nameNode || nameNode.isMissing) return;
    const parent = this.top();
    const inImpl = parent?.implOf !== undefined;
    const inTrait = parent?.trait === true;
    const container = this.container();
    const paramsNode = node.childForFieldName('parameters');
    const params: ParamFact[] = [];
    let hasSelf = false;
    if (paramsNode) {
      for (const p of paramsNode.namedChildren) {
        if (!p) continue;
        if (p.type === 'self_parameter') {
          hasSelf = true;
          const t = p.text.replace(/\s+/g, ' ');
          params.push({ name: 'self', type: t.startsWith('&mut') ? '&mut Self' : t.startsWith('&') ? '&Self' : 'Self' });
        } else if (p.type === 'parameter') {
          const pat = p.childForFieldName('pattern');
          const type = p.childForFieldName('type');
          if (!pat) continue;
          if (pat.type === 'self') hasSelf = true;
          const param: ParamFact = { name: pat.text };
          if (type) param.type = oneLine(type.text);
          params.push(param);
          bump(this.facts.signals, type ? SIGNAL.PARAM_ANNOTATED : SIGNAL.PARAM_UNANNOTATED);
        } else if (p.type === 'variadic_parameter') {
          const pat = p.childForFieldName('pattern');
          params.push({ name: pat ? pat.text : '...', variadic: true });
        }
      }
    }
    // Modifiers sit between the start of the item and its name: `pub(crate) async unsafe fn`.
    const isAsync = /\basync\b/.test(this.source.slice(node.startIndex, nameNode.startIndex));
    const ret = node.childForFieldName('return_type');
    const attrs = attributeAbove(this.source, node.startIndex) ? attributesBefore(node) : [];
    // Trait items and the items of `impl Trait for T` are as visible as the trait; they take no `pub`.
    const visibility: Visibility = inTrait || parent?.traitImpl === true ? 'public' : visibilityOf(node, this.source);
    const fact: FunctionFact = {
      name: nameNode.text,
      kind: inImpl || inTrait ? 'method' : 'function',
      params,
      async: isAsync,
      generator: false,
      exported: visibility === 'public',
      visibility,
      decorators: attrs,
      line: node.startPosition.row + 1,
      column: node.startPosition.column + 1,
      endLine: node.endPosition.row + 1,
    };
    if (ret) fact.returnType = oneLine(ret.text);
    if (inImpl || inTrait) fact.static = !hasSelf;
    const tps = typeParamsOf(node);
    if (tps.length > 0) fact.typeParams = tps;
    if (container !== undefined) fact.container = container;
    const doc = docOf(node, this.source);
    if (doc !== undefined) fact.doc = doc;
    this.facts.functions.push(fact);
    if (fact.kind === 'function' && visibility === 'public' && !this.innerFn()) {
      this.facts.exports.push({ name: fact.name, kind: 'function', line: fact.line });
    }

    const s = this.facts.signals;
    if (ret) {
      bump(s, SIGNAL.RETURN_ANNOTATED);
      const rt = fact.returnType!;
      if (/^(\w+::)*Result\b/.test(rt)) bump(s, SIGNAL.RESULT_RETURN);
      else if (/^(\w+::)*Option\b/.test(rt)) bump(s, SIGNAL.OPTION_RETURN);
    }
    if (isAsync) bump(s, SIGNAL.ASYNC_FN);

    const sig = signatureText({ ...fact, container: undefined });
    if (parent?.type) parent.type.methods.push(sig);
    else if (parent?.implOf !== undefined) {
      let list = this.implMethods.get(parent.implOf);
      if (!list) this.implMethods.set(parent.implOf, (list = []));
      list.push(sig);
    }

    for (const p of params) if (p.name !== 'self' && !p.variadic) addIdentifier(this.facts.identifiers, p.name, 'parameter', node);

    if (node.type === 'function_item') {
      const bindings: BindingFact[] = params.map((p) => (p.type !== undefined ? { name: p.name, type: p.type, kind: 'parameter' } : { name: p.name, kind: 'parameter' }));
      const scope: ScopeFact = { function: qualifiedName(fact), line: fact.line, bindings };
      this.facts.scopes.push(scope);
      this.stack.push({ end: node.endIndex, fn: fact, scope });
    }
  }

  private struct(node: Node): void {
    const nameNode = node.childForFieldName('name');
    if (!nameNode || nameNode.isMissing) return;
    const fields: FieldFact[] = [];
    const body = node.childForFieldName('body');
    if (body) readFields(body, fields, this.facts.identifiers);
    const fact = this.typeFact(node, nameNode.text, node.type === 'union_item' ? 'union' : 'struct', fields);
    this.typesByName.set(fact.name, fact);
  }

  private enum(node: Node): void {
    const nameNode = node.childForFieldName('name');
    if (!nameNode || nameNode.isMissing) return;
    const members: string[] = [];
    const body = node.childForFieldName('body');
    if (body) for (const v of body.namedChildren) if (v?.type === 'enum_variant') {
      const n = v.childForFieldName('name');
      if (n) members.push(n.text);
    }
    const fact = this.typeFact(node, nameNode.text, 'enum', []);
    fact.members = members;
    this.typesByName.set(fact.name, fact);
  }

  private trait(node: Node): void {
    const nameNode = node.childForFieldName('name');
    if (!nameNode || nameNode.isMissing) return;
    const fact = this.typeFact(node, nameNode.text, 'trait', []);
    const bounds = node.childForFieldName('bounds');
    if (bounds) for (const b of bounds.namedChildren) if (b) fact.bases.push(oneLine(b.text));
    this.stack.push({ end: node.endIndex, name: fact.name, type: fact, trait: true });
  }

  private impl(node: Node): void {
    const t = node.childForFieldName('type');
    if (!t) return;
    const typeName = implTypeName(t);
    const trait = node.childForFieldName('trait');
    if (trait) {
      let list = this.implBases.get(typeName);
      if (!list) this.implBases.set(typeName, (list = []));
      const tn = oneLine(trait.text);
      if (!list.includes(tn)) list.push(tn);
    }
    if (!this.implMethods.has(typeName)) this.implMethods.set(typeName, []);
    if (!this.foreignImpls.has(typeName)) {
      this.foreignImpls.set(typeName, {
        name: typeName, kind: 'impl', fields: [], methods: [], typeParams: typeParamsOf(node), bases: [],
        exported: false, line: node.startPosition.row + 1, column: node.startPosition.column + 1, endLine: node.endPosition.row + 1,
      });
    }
    this.stack.push({ end: node.endIndex, name: typeName, implOf: typeName, traitImpl: trait !== null });
  }

  private typeAlias(node: Node): void {
    const nameNode = node.childForFieldName('name');
    if (!nameNode || nameNode.isMissing) return;
    const fact = this.typeFact(node, nameNode.text, 'type_alias', []);
    const t = node.childForFieldName('type');
    if (t) fact.aliasOf = oneLine(t.text);
  }

  private typeFact(node: Node, name: string, kind: TypeFact['kind'], fields: FieldFact[]): TypeFact {
    const visibility = visibilityOf(node, this.source);
    const fact: TypeFact = {
      name, kind, fields, methods: [], typeParams: typeParamsOf(node), bases: [],
      exported: visibility === 'public',
      line: node.startPosition.row + 1, column: node.startPosition.column + 1, endLine: node.endPosition.row + 1,
    };
    const container = this.container();
    if (container !== undefined) fact.container = container;
    const doc = docOf(node, this.source);
    if (doc !== undefined) fact.doc = doc;
    this.facts.types.push(fact);
    if (fact.exported && !this.innerFn()) this.facts.exports.push({ name, kind: 'type', line: fact.line });
    return fact;
  }

  private constant(node: Node): void {
    const nameNode = node.childForFieldName('name');
    if (!nameNode || nameNode.isMissing) return;
    const name = nameNode.text;
    const t = node.childForFieldName('type');
    addIdentifier(this.facts.identifiers, name, 'constant', nameNode);
    const b: BindingFact = t ? { name, type: oneLine(t.text), kind: 'module' } : { name, kind: 'module' };
    const fnFrame = this.innerFn();
    if (fnFrame?.scope) fnFrame.scope.bindings.push({ ...b, kind: 'local' });
    else this.moduleBindings.push(b);
    const parent = this.top();
    if (!fnFrame && parent?.implOf === undefined && parent?.trait !== true && visibilityOf(node, this.source) === 'public') {
      this.facts.exports.push({ name, kind: 'variable', line: node.startPosition.row + 1 });
    }
  }

  private mod(node: Node): void {
    const nameNode = node.childForFieldName('name');
    if (!nameNode) return;
    if (visibilityOf(node, this.source) === 'public' && !this.innerFn()) {
      this.facts.exports.push({ name: nameNode.text, kind: 'module', line: node.startPosition.row + 1 });
    }
    if (node.childForFieldName('body')) this.stack.push({ end: node.endIndex, name: nameNode.text });
  }

  private let(node: Node): void {
    const pat = node.childForFieldName('pattern');
    if (!pat) return;
    const t = node.childForFieldName('type');
    const names: Node[] = [];
    patternNames(pat, names);
    const scope = this.innerFn()?.scope;
    // A type annotation belongs to the whole pattern; it is the binding's type only for `let x: T`.
    const single = names.length === 1 && (pat.type === 'identifier' || pat.type === 'mut_pattern');
    for (const n of names) {
      addIdentifier(this.facts.identifiers, n.text, 'variable', n);
      if (scope) scope.bindings.push(single && t ? { name: n.text, type: oneLine(t.text), kind: 'local' } : { name: n.text, kind: 'local' });
    }
  }

  private call(node: Node): void {
    const f = node.childForFieldName('function');
    if (f?.type !== 'field_expression') return;
    const field = f.childForFieldName('field');
    if (field && (field.text === 'unwrap' || field.text === 'expect')) bump(this.facts.signals, SIGNAL.UNWRAP);
  }

  private macro(node: Node): void {
    const m = node.childForFieldName('macro');
    if (!m) return;
    const name = lastSegment(m.text);
    let kind: 'todo' | 'unimplemented' | 'not_implemented' | undefined;
    if (name === 'todo') kind = 'todo';
    else if (name === 'unimplemented') kind = 'unimplemented';
    else if (name === 'panic') {
      const msg = firstStringIn(node.namedChild(1));
      if (msg !== undefined && NOT_IMPLEMENTED_RE.test(msg)) kind = 'not_implemented';
    }
    if (kind) this.facts.holes.push(makeHole(kind, node, node.text, this.innerFn()?.fn));
  }

  protected finish(): void {
    for (const [typeName, bases] of this.implBases) {
      const t = this.typesByName.get(typeName) ?? this.foreignImpls.get(typeName);
      if (t) for (const b of bases) if (!t.bases.includes(b)) t.bases.push(b);
    }
    for (const [typeName, methods] of this.implMethods) {
      const own = this.typesByName.get(typeName);
      if (own) own.methods.push(...methods);
      else {
        const f = this.foreignImpls.get(typeName);
        if (f) {
          f.methods.push(...methods);
          this.facts.types.push(f);
        }
      }
    }
    for (const s of this.facts.scopes) completeScope(s, [this.moduleBindings]);
  }
}

/** Fields of a struct body (named or tuple), recorded as identifiers too. */
function readFields(body: Node, fields: FieldFact[], ids: ExtractedFacts['identifiers']): void {
  if (body.type === 'field_declaration_list') {
    for (const f of body.namedChildren) {
      if (f?.type !== 'field_declaration') continue;
      const n = f.childForFieldName('name');
      const t = f.childForFieldName('type');
      if (!n) continue;
      fields.push(t ? { name: n.text, type: oneLine(t.text), line: f.startPosition.row + 1 } : { name: n.text, line: f.startPosition.row + 1 });
      addIdentifier(ids, n.text, 'field', n);
    }
  } else if (body.type === 'ordered_field_declaration_list') {
    let i = 0;
    for (const t of body.childrenForFieldName('type')) {
      if (!t?.isNamed) continue;
      fields.push({ name: String(i), type: oneLine(t.text), line: t.startPosition.row + 1 });
      i++;
    }
  }
}

/** Flattens a `use` tree into leaves: `a::{b, c::d as e, f::*}`. */
function collectUse(
  n: Node, prefix: string, out: { module: string; name?: string; alias?: string; wildcard?: boolean }[],
): void {
  const join = (a: string, b: string): string => (a === '' ? b : b === '' ? a : `${a}::${b}`);
  switch (n.type) {
    case 'identifier':
    case 'scoped_identifier':
    case 'crate':
    case 'super':
    case 'self':
    case 'metavariable': {
      leaf(join(prefix, n.text), undefined, out);
      return;
    }
    case 'use_as_clause': {
      const path = n.childForFieldName('path');
      const alias = n.childForFieldName('alias');
      if (path) leaf(join(prefix, path.text), alias?.text, out);
      return;
    }
    case 'use_wildcard': {
      const path = n.namedChild(0);
      out.push({ module: join(prefix, path ? path.text : ''), wildcard: true });
      return;
    }
    case 'scoped_use_list': {
      const path = n.childForFieldName('path');
      const list = n.childForFieldName('list');
      const p = join(prefix, path ? path.text : '');
      if (list) collectUse(list, p, out);
      return;
    }
    case 'use_list':
      for (const c of n.namedChildren) if (c) collectUse(c, prefix, out);
      return;
    default:
  }
}

function leaf(full: string, alias: string | undefined, out: { module: string; name?: string; alias?: string }[]): void {
  let path = full.replace(/\s+/g, '');
  // `use a::b::{self}` imports `b` itself.
  if (path.endsWith('::self')) path = path.slice(0, -6);
  const i = path.lastIndexOf('::');
  const entry: { module: string; name?: string; alias?: string } = i < 0 ? { module: path } : { module: path.slice(0, i), name: path.slice(i + 2) };
  if (alias !== undefined) entry.alias = alias;
  out.push(entry);
}

export const extractRust: LanguageExtractor = (root: Node, source: string): ExtractedFacts => new RustExtractor(treeSource(root, source)).run(root);
