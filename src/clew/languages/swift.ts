/**
 * Swift facts from a tree-sitter-swift tree (the wasm build shipped by @repomix/tree-sitter-wasms),
 * in one recursive pass.
 *
 * Parameters are named by their internal name (`from url: URL` → `url`); the grammar puts a
 * parameter's default value beside it in the function, so parameters are read from the function's
 * children in order. `class`/`struct`/`enum`/`actor`/`extension` share one node type told apart by
 * `declaration_kind`; an extension is recorded as kind `impl` named for the extended type.
 * Default visibility is `internal`; `public`/`open` declarations are exported.
 */
import type { Node } from 'web-tree-sitter';
import type {
  BindingFact, FieldFact, FunctionFact, HoleKind, ParamFact, ScopeFact, TypeFact, TypeKind, Visibility,
} from '../../core/index.ts';
import { SIGNAL, bump } from '../signals.ts';
import {
  NOT_IMPLEMENTED_RE, addIdentifier, cleanComment, docBefore, emptyFacts, lineOf, makeHole, oneLine, spanOf, unquote,
} from './common.ts';
import { ChildWalker } from './child-walker.ts';
import { finishScopes, functionScope, type ScopeTracking } from './scope-bindings.ts';
import type { ExtractedFacts } from './types.ts';

const DECL_KINDS: Record<string, TypeKind> = {
  class: 'class', struct: 'struct', enum: 'enum', actor: 'class', extension: 'impl', protocol: 'protocol',
};
/** Calls that stop the program and, with a "not implemented"/"TODO" message, mark a hole. */
const FATAL_CALLS = new Set(['fatalError', 'preconditionFailure']);

interface Modifiers {
  visibility?: Visibility;
  exported: boolean;
  isStatic: boolean;
  attributes: string[];
}

function readModifiers(node: Node | undefined): Modifiers {
  const m: Modifiers = { exported: false, isStatic: false, attributes: [] };
  if (!node) return m;
  for (const c of node.namedChildren) {
    if (c.type === 'attribute') m.attributes.push(oneLine(c.text.replace(/^@/, '')));
    else if (c.type === 'visibility_modifier') {
      const v = c.text;
      if (v.includes('(')) continue; // `private(set)` governs the setter only
      m.visibility = v === 'open' ? 'public' : v === 'fileprivate' ? 'private' : (v as Visibility);
      m.exported = v === 'public' || v === 'open';
    } else if (c.type === 'property_modifier' && (c.text === 'static' || c.text === 'class')) m.isStatic = true;
  }
  return m;
}

/** `///` runs are handled by docBefore; a `/** … *\/` block is a `multiline_comment` here. */
function swiftDoc(node: Node): string | undefined {
  const doc = docBefore(node, true);
  if (doc !== undefined) return doc;
  const prev = node.previousSibling;
  if (prev && prev.type === 'multiline_comment' && prev.text.startsWith('/**') && prev.endPosition.row >= node.startPosition.row - 1) {
    const t = cleanComment(prev.text);
    return t.length > 0 ? t : undefined;
  }
  return undefined;
}

function typeParamsOf(node: Node): string[] {
  const out: string[] = [];
  for (const c of node.namedChildren) if (c.type === 'type_parameter') out.push(oneLine(c.text));
  return out;
}

const RESULT_RE = /^(Swift\.)?Result\s*</;

class SwiftWalker extends ChildWalker implements ScopeTracking {
  readonly out: ExtractedFacts = emptyFacts();
  private container: string | undefined;
  private type: TypeFact | undefined;
  private fn: FunctionFact | undefined;
  private scope: ScopeFact | undefined;
  readonly moduleBindings: BindingFact[] = [];
  readonly typeOfScope = new Map<ScopeFact, TypeFact>();
  /** Methods in declaration order; their signatures go into TypeFact.methods once bodies are read. */
  readonly methodOwners: { type: TypeFact; fn: FunctionFact }[] = [];

  visit(node: Node): void {
    switch (node.type) {
      case 'import_declaration': return this.importDecl(node);
      case 'class_declaration': case 'protocol_declaration': return this.typeDecl(node);
      case 'typealias_declaration': return this.typeAlias(node);
      case 'function_declaration': case 'protocol_function_declaration': case 'init_declaration': case 'subscript_declaration':
        return this.func(node);
      case 'property_declaration': case 'protocol_property_declaration': this.property(node); break;
      case 'call_expression': this.call(node); break;
      case 'do_statement':
        if (node.namedChildren.some((c) => c.type === 'catch_block')) bump(this.out.signals, SIGNAL.TRY);
        break;
      case 'control_transfer_statement':
        if (node.namedChild(0)?.type === 'throw_keyword') bump(this.out.signals, SIGNAL.THROW);
        break;
      case 'try_operator': {
        // `try` propagates, `try!` force-unwraps; `try?` turns the error into nil (no signal of its own).
        const t = node.text;
        if (t === 'try') bump(this.out.signals, SIGNAL.QUESTION_OP);
        else if (t === 'try!') bump(this.out.signals, SIGNAL.UNWRAP);
        return;
      }
      case 'if_statement': case 'guard_statement': case 'while_statement': this.conditionBindings(node); break;
      case 'for_statement': {
        // `for item in items`, `for (k, v) in dict`: the loop variables are locals.
        const item = node.childForFieldName('item');
        if (item && this.scope) {
          const id = item.childForFieldName('bound_identifier');
          const ids = id ? [id] : item.namedChildren.map((p) => p.namedChild(0)).filter((x): x is Node => x?.type === 'simple_identifier');
          for (const x of ids) {
            this.scope.bindings.push({ name: x.text, kind: 'local' });
            addIdentifier(this.out.identifiers, x.text, 'variable', x);
          }
        }
        break;
      }
      case 'await_expression': bump(this.out.signals, SIGNAL.AWAIT); break;
      case 'bang': bump(this.out.signals, SIGNAL.UNWRAP); return; // force unwrap `x!`
      // Leaves, literals and types hold nothing to extract; returning early saves the child lookup.
      case 'comment': case 'multiline_comment': case 'line_string_literal': case 'integer_literal':
      case 'simple_identifier': case 'type_identifier': case 'user_type': case 'array_type': case 'optional_type':
      case 'dictionary_type': case 'function_type': case 'boolean_literal': case 'real_literal': return;
      default: break;
    }
    this.visitChildren(node);
  }

  private importDecl(node: Node): void {
    const id = node.namedChildren.find((c) => c.type === 'identifier');
    if (!id) return;
    const path = id.text;
    // `import struct Swift.Array` imports one declaration; `import Foundation` the whole module.
    const kindWord = node.children.some((c) => !c.isNamed && ['struct', 'class', 'enum', 'protocol', 'func', 'var', 'let', 'typealias'].includes(c.type));
    const cut = path.lastIndexOf('.');
    if (kindWord && cut > 0) {
      this.out.imports.push({ module: path.slice(0, cut), names: [{ name: path.slice(cut + 1) }], wildcard: false, line: lineOf(node) });
      this.moduleBindings.push({ name: path.slice(cut + 1), kind: 'import' });
    } else this.out.imports.push({ module: path, names: [], wildcard: true, line: lineOf(node) });
  }

  private typeDecl(node: Node): void {
    const nameNode = node.childForFieldName('name');
    const kindNode = node.childForFieldName('declaration_kind');
    if (!nameNode || nameNode.text.length === 0) {
      this.visitChildren(node);
      return;
    }
    const name = oneLine(nameNode.text);
    const kind: TypeKind = DECL_KINDS[kindNode?.text ?? 'class'] ?? 'class';
    let mods = readModifiers(undefined);
    let typeParams: string[] = [];
    const bases: string[] = [];
    for (const c of node.namedChildren) {
      if (c.type === 'modifiers') mods = readModifiers(c);
      else if (c.type === 'type_parameters') typeParams = typeParamsOf(c);
      else if (c.type === 'inheritance_specifier') bases.push(oneLine(c.text));
    }
    const fact: TypeFact = {
      name, kind, fields: [], methods: [], typeParams, bases, exported: mods.exported, ...spanOf(node),
    };
    if (this.container) fact.container = this.container;
    const doc = swiftDoc(node);
    if (doc !== undefined) fact.doc = doc;
    this.out.types.push(fact);
    if (!this.container && !this.fn && mods.exported) this.out.exports.push({ name, kind: 'type', line: fact.line });

    const body = node.childForFieldName('body');
    const saved = [this.container, this.type, this.fn, this.scope] as const;
    // Members of an extension belong to the extended type.
    this.container = kind === 'impl' || !this.container ? name : `${this.container}.${name}`;
    this.type = fact;
    this.fn = undefined;
    this.scope = undefined;
    if (body) {
      for (const c of body.namedChildren) {
        if (c.type === 'enum_entry') {
          for (let i = 0; i < c.childCount; i++) {
            const x = c.child(i);
            if (x && x.type === 'simple_identifier' && c.fieldNameForChild(i) === 'name') (fact.members ??= []).push(x.text);
          }
        } else if (c.type === 'associatedtype_declaration') {
          const n = c.childForFieldName('name');
          if (n) fact.typeParams.push(n.text);
        } else this.visit(c);
      }
    }
    [this.container, this.type, this.fn, this.scope] = saved;
  }

  private typeAlias(node: Node): void {
    const nameNode = node.childForFieldName('name');
    if (!nameNode) return;
    let mods = readModifiers(undefined);
    let typeParams: string[] = [];
    let aliasOf: string | undefined;
    let afterEq = false;
    for (const c of node.children) {
      if (c.type === 'modifiers') mods = readModifiers(c);
      else if (c.type === 'type_parameters') typeParams = typeParamsOf(c);
      else if (c.type === '=') afterEq = true;
      else if (afterEq && c.isNamed && aliasOf === undefined) aliasOf = oneLine(c.text);
    }
    const fact: TypeFact = {
      name: nameNode.text, kind: 'type_alias', fields: [], methods: [], typeParams, bases: [], exported: mods.exported, ...spanOf(node),
    };
    if (aliasOf !== undefined) fact.aliasOf = aliasOf;
    if (this.container) fact.container = this.container;
    const doc = swiftDoc(node);
    if (doc !== undefined) fact.doc = doc;
    this.out.types.push(fact);
    if (!this.container && mods.exported) this.out.exports.push({ name: fact.name, kind: 'type', line: fact.line });
  }

  private func(node: Node): void {
    const isInit = node.type === 'init_declaration';
    const isSubscript = node.type === 'subscript_declaration';
    let name = isInit ? 'init' : isSubscript ? 'subscript' : '';
    let mods = readModifiers(undefined);
    let typeParams: string[] = [];
    const params: ParamFact[] = [];
    let returnNode: Node | undefined;
    let isAsync = false;
    let isThrows = false;
    let afterArrow = false;
    let body: Node | undefined;
    for (let i = 0; i < node.childCount; i++) {
      const c = node.child(i);
      if (!c) continue;
      const fieldName = node.fieldNameForChild(i);
      switch (c.type) {
        case 'modifiers': mods = readModifiers(c); break;
        case 'type_parameters': typeParams = typeParamsOf(c); break;
        case 'parameter': { const p = this.param(c); if (p) params.push(p); break; }
        case 'async': isAsync = true; break;
        case 'throws': isThrows = c.text === 'throws'; break;
        case '->': afterArrow = true; break;
        case 'function_body': case 'computed_property': body = c; break;
        default:
          if (fieldName === 'default_value') {
            const last = params[params.length - 1];
            if (last) { last.default = oneLine(c.text); last.optional = true; }
          } else if (afterArrow && c.isNamed && !returnNode && c.type !== 'type_constraints') returnNode = c;
          else if (!isInit && !isSubscript && fieldName === 'name' && name.length === 0) name = c.text;
          break;
      }
    }
    if (name.length === 0) return;
    const inType = this.type !== undefined;
    const fact: FunctionFact = {
      name,
      kind: isInit ? 'constructor' : inType ? 'method' : 'function',
      params,
      async: isAsync,
      generator: false,
      exported: mods.exported || (this.type?.kind === 'protocol' && this.type.exported),
      decorators: mods.attributes,
      ...spanOf(node),
    };
    fact.visibility = mods.visibility ?? 'internal';
    if (returnNode) fact.returnType = oneLine(returnNode.text);
    if (typeParams.length > 0) fact.typeParams = typeParams;
    if (mods.isStatic) fact.static = true;
    if (this.container) fact.container = this.container;
    const doc = swiftDoc(node);
    if (doc !== undefined) fact.doc = doc;
    this.out.functions.push(fact);
    if (this.type) this.methodOwners.push({ type: this.type, fn: fact });
    if (!this.container && !this.fn && mods.exported) this.out.exports.push({ name, kind: 'function', line: fact.line });

    const s = this.out.signals;
    if (isAsync) bump(s, SIGNAL.ASYNC_FN);
    // `throws` declares failure in the signature, as Zig's `!T` does: counted as an error return.
    if (isThrows) bump(s, SIGNAL.ERR_RETURN);
    for (const p of params) {
      bump(s, p.type !== undefined ? SIGNAL.PARAM_ANNOTATED : SIGNAL.PARAM_UNANNOTATED);
      if (p.type === 'Any' || p.type === 'Any?') bump(s, SIGNAL.ANY);
    }
    if (!isInit) {
      bump(s, returnNode ? SIGNAL.RETURN_ANNOTATED : SIGNAL.RETURN_UNANNOTATED);
      if (returnNode?.type === 'optional_type') bump(s, SIGNAL.OPTION_RETURN);
      if (fact.returnType !== undefined && RESULT_RE.test(fact.returnType)) bump(s, SIGNAL.RESULT_RETURN);
    }

    const scope = functionScope(this.out, this, fact, params, node, this.type);

    if (!body) return;
    const saved = [this.fn, this.scope] as const;
    this.fn = fact;
    this.scope = scope;
    this.visit(body);
    [this.fn, this.scope] = saved;
  }

  /** `from url: URL`, `_ id: inout Int`, `tags: String...` → internal name, type, variadic. */
  private param(p: Node): ParamFact | undefined {
    let label: string | undefined;
    let name = '';
    let type: string | undefined;
    let modifiers = '';
    let variadic = false;
    for (let i = 0; i < p.childCount; i++) {
      const c = p.child(i);
      if (!c) continue;
      const f = p.fieldNameForChild(i);
      if (f === 'external_name') label = c.text;
      else if (c.type === 'simple_identifier' && f === 'name' && name.length === 0) name = c.text;
      else if (c.type === 'parameter_modifiers') modifiers = `${c.text} `;
      else if (c.type === '...') variadic = true;
      else if (c.isNamed && f === 'name' && type === undefined) type = modifiers + oneLine(c.text);
    }
    if (name.length === 0) {
      if (!label) return undefined;
      name = label; // closure-style parameter with a single name
    }
    const out: ParamFact = { name };
    if (type !== undefined) out.type = type;
    if (variadic) out.variadic = true;
    return out;
  }

  private property(node: Node): void {
    let mods = readModifiers(undefined);
    let isLet = false;
    const decls: { name: string; type?: string; node: Node }[] = [];
    for (const c of node.namedChildren) {
      if (c.type === 'modifiers') mods = readModifiers(c);
      else if (c.type === 'value_binding_pattern') isLet = c.text === 'let';
      else if (c.type === 'pattern') {
        // In a protocol the `var` keyword sits inside the pattern.
        const vb = c.namedChildren.find((x) => x.type === 'value_binding_pattern');
        if (vb) isLet = vb.text === 'let';
        const id = c.childForFieldName('bound_identifier') ?? c.namedChildren.find((x) => x.type === 'simple_identifier');
        if (id) decls.push({ name: id.text, node: c });
        else {
          // `let (data, _) = …`: a tuple pattern binds each named element.
          for (const el of c.namedChildren) {
            const n = el.type === 'pattern' ? el.namedChildren.find((x) => x.type === 'simple_identifier') : undefined;
            if (n) decls.push({ name: n.text, node: el });
          }
        }
      } else if (c.type === 'type_annotation') {
        const last = decls[decls.length - 1];
        const t = c.namedChildren[0];
        if (last && t && last.type === undefined) last.type = oneLine(t.text);
      }
    }
    const parent = node.parent?.type;
    const isMember = this.type !== undefined && (parent === 'class_body' || parent === 'protocol_body' || parent === 'enum_class_body');
    const isTop = parent === 'source_file';
    for (const d of decls) {
      if (isMember && this.type) {
        const f: FieldFact = d.type !== undefined ? { name: d.name, type: d.type, line: lineOf(d.node) } : { name: d.name, line: lineOf(d.node) };
        this.type.fields.push(f);
        addIdentifier(this.out.identifiers, d.name, 'field', d.node);
      } else if (isTop) {
        this.moduleBindings.push(d.type !== undefined ? { name: d.name, type: d.type, kind: 'module' } : { name: d.name, kind: 'module' });
        addIdentifier(this.out.identifiers, d.name, isLet ? 'constant' : 'variable', d.node);
        if (mods.exported) this.out.exports.push({ name: d.name, kind: 'variable', line: lineOf(d.node) });
      } else {
        if (this.scope) this.scope.bindings.push(d.type !== undefined ? { name: d.name, type: d.type, kind: 'local' } : { name: d.name, kind: 'local' });
        addIdentifier(this.out.identifiers, d.name, 'variable', d.node);
      }
    }
  }

  /** `if let x = …`, `guard let q: Int = … else { … }`: optional bindings are locals of the function. */
  private conditionBindings(node: Node): void {
    if (!this.scope) return;
    let last: BindingFact | undefined;
    for (let i = 0; i < node.childCount; i++) {
      const c = node.child(i);
      if (!c) continue;
      if (node.fieldNameForChild(i) === 'bound_identifier') {
        last = { name: c.text, kind: 'local' };
        this.scope.bindings.push(last);
        addIdentifier(this.out.identifiers, c.text, 'variable', c);
      } else if (c.type === 'type_annotation' && last && last.type === undefined) {
        const t = c.namedChildren[0];
        if (t) last.type = oneLine(t.text);
      } else if (c.type === '=' || c.type === ',') last = undefined;
    }
  }

  /** `fatalError("not implemented")`, `fatalError("TODO: …")`, `preconditionFailure("unimplemented")`. */
  private call(node: Node): void {
    const callee = node.namedChild(0);
    if (!callee || callee.type !== 'simple_identifier' || !FATAL_CALLS.has(callee.text)) return;
    const arg = node.descendantsOfType('line_string_literal')[0];
    const message = arg ? unquote(arg.text) : '';
    if (!NOT_IMPLEMENTED_RE.test(message)) return;
    const kind: HoleKind = /\btodo\b/i.test(message) ? 'todo' : 'not_implemented';
    this.out.holes.push(makeHole(kind, node, node.text, this.fn));
  }

  finish(): ExtractedFacts {
    return finishScopes(this.out, this);
  }
}

export function extractSwift(root: Node, _source: string): ExtractedFacts {
  const w = new SwiftWalker();
  w.visit(root);
  return w.finish();
}
