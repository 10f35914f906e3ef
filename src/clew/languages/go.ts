/**
 * Fact extraction for Go.
 *
 * One `descendantsOfType` call collects every node of interest in document order; a stack of open
 * functions (by end offset) gives each node its enclosing function. Go has no nesting of
 * declarations beyond functions, so containers are only method receivers: `func (s *Server[T]) Run()`
 * → container `Server`. The receiver is a binding of the method's scope, not a parameter.
 *
 * Exported = capitalized name (visibility `public`, otherwise `package`). `type T struct{…}` is a
 * struct, `type I interface{…}` an interface (its methods are also listed as functions with the
 * interface as container), `type A = B` and `type D B` are type aliases (`aliasOf` = `B`).
 * Embedded fields and embedded interfaces are bases.
 */
import type { Node } from 'web-tree-sitter';
import type { BindingFact, FieldFact, FunctionFact, ImportFact, ParamFact, ScopeFact, TypeFact } from '../../core/index.ts';
import { SIGNAL, bump } from '../signals.ts';
import { FrameWalker } from './frame-walker.ts';
import {
  NOT_IMPLEMENTED_RE, addIdentifier, emptyFacts, makeHole, oneLine, qualifiedName, signatureText, unquote,
} from './common.ts';
import { docAbove, treeSource } from './doc-above.ts';
import { completeScope } from './scope-bindings.ts';
import type { ExtractedFacts, LanguageExtractor } from './types.ts';

const INTERESTING = [
  'import_spec', 'function_declaration', 'method_declaration', 'type_spec', 'type_alias',
  'const_spec', 'var_spec', 'short_var_declaration', 'range_clause', 'call_expression', 'go_statement', 'if_statement',
];

const ANY_RE = /\bany\b|interface\s*\{\s*\}/;

interface Frame {
  end: number;
  fn: FunctionFact;
  scope: ScopeFact;
}

/** `childrenForFieldName` also returns the anonymous `,` between names; keep the named ones. */
function isNamedNode(n: Node | null): n is Node {
  return n !== null && n.isNamed;
}

function isExported(name: string): boolean {
  const c = name.charCodeAt(0);
  return c >= 65 && c <= 90;
}

/** `*Foo[T]` → `Foo`, `pkg.Foo` → `pkg.Foo`. */
function baseTypeName(t: Node): string {
  switch (t.type) {
    case 'pointer_type': {
      const inner = t.namedChild(0);
      return inner ? baseTypeName(inner) : oneLine(t.text);
    }
    case 'generic_type': {
      const inner = t.childForFieldName('type');
      return inner ? baseTypeName(inner) : oneLine(t.text);
    }
    default:
      return oneLine(t.text);
  }
}

function typeParamsOf(node: Node): string[] {
  const tp = node.childForFieldName('type_parameters');
  if (!tp) return [];
  const out: string[] = [];
  for (const d of tp.namedChildren) {
    if (d?.type !== 'type_parameter_declaration') continue;
    const t = d.childForFieldName('type');
    for (const n of d.childrenForFieldName('name').filter(isNamedNode)) if (n) out.push(t ? `${n.text} ${oneLine(t.text)}` : n.text);
  }
  return out;
}

/** Parameters of a `parameter_list`: `a, b int` gives two; an unnamed `int` gives `_`. */
function readParams(list: Node | null, out: ParamFact[]): void {
  if (!list) return;
  for (const d of list.namedChildren) {
    if (!d) continue;
    if (d.type !== 'parameter_declaration' && d.type !== 'variadic_parameter_declaration') continue;
    const t = d.childForFieldName('type');
    const type = t ? oneLine(t.text) : undefined;
    const names = d.childrenForFieldName('name').filter(isNamedNode);
    const variadic = d.type === 'variadic_parameter_declaration';
    if (names.length === 0) {
      const p: ParamFact = { name: '_' };
      if (type !== undefined) p.type = type;
      if (variadic) p.variadic = true;
      out.push(p);
    }
    for (const n of names) {
      if (!n) continue;
      const p: ParamFact = { name: n.text };
      if (type !== undefined) p.type = type;
      if (variadic) p.variadic = true;
      out.push(p);
    }
  }
}

/** The result types: `error` → [error]; `(n int, err error)` → [int, error]. */
function resultTypes(result: Node): string[] {
  if (result.type !== 'parameter_list') return [oneLine(result.text)];
  const out: string[] = [];
  for (const d of result.namedChildren) {
    if (d?.type !== 'parameter_declaration') continue;
    const t = d.childForFieldName('type');
    const k = Math.max(1, d.childrenForFieldName('name').filter(isNamedNode).length);
    if (t) for (let i = 0; i < k; i++) out.push(oneLine(t.text));
  }
  return out;
}

/** The text of a Go string literal without quotes. */
function stringValue(n: Node): string | undefined {
  if (n.type !== 'interpreted_string_literal' && n.type !== 'raw_string_literal') return undefined;
  return unquote(n.text);
}

class GoExtractor extends FrameWalker<Frame> {
  readonly facts: ExtractedFacts = emptyFacts();
  constructor(private readonly source: string) {
    super();
  }
  private readonly moduleBindings: BindingFact[] = [];
  private readonly typesByName = new Map<string, TypeFact>();
  private readonly methodsByReceiver = new Map<string, string[]>();

  run(root: Node): ExtractedFacts {
    this.walk(root, INTERESTING);
    return this.facts;
  }

  protected visit(node: Node): void {
    switch (node.type) {
      case 'import_spec': return this.importSpec(node);
      case 'function_declaration':
      case 'method_declaration': return this.fn(node);
      case 'type_spec':
      case 'type_alias': return this.typeSpec(node);
      case 'const_spec':
      case 'var_spec': return this.valueSpec(node);
      case 'short_var_declaration': return this.shortVar(node.childForFieldName('left'));
      case 'range_clause': return this.shortVar(node.childForFieldName('left'));
      case 'call_expression': return this.call(node);
      case 'go_statement': bump(this.facts.signals, SIGNAL.GOROUTINE); return;
      case 'if_statement': return this.ifStatement(node);
      default:
    }
  }

  private importSpec(node: Node): void {
    const path = node.childForFieldName('path');
    if (!path) return;
    const module = unquote(path.text);
    const name = node.childForFieldName('name');
    const imp: ImportFact = { module, names: [], wildcard: false, line: node.startPosition.row + 1 };
    if (name?.type === 'dot') imp.wildcard = true;
    else if (name) imp.alias = name.text;
    this.facts.imports.push(imp);
    if (!imp.wildcard && imp.alias !== '_') {
      const local = imp.alias ?? module.slice(module.lastIndexOf('/') + 1);
      this.moduleBindings.push({ name: local, kind: 'import' });
    }
  }

  private fn(node: Node): void {
    const nameNode = node.childForFieldName('name');
    if (!nameNode || nameNode.isMissing) return;
    const name = nameNode.text;
    const params: ParamFact[] = [];
    readParams(node.childForFieldName('parameters'), params);
    const receivers: ParamFact[] = [];
    let container: string | undefined;
    if (node.type === 'method_declaration') {
      readParams(node.childForFieldName('receiver'), receivers);
      const rd = node.childForFieldName('receiver')?.namedChildren.find((c) => c?.type === 'parameter_declaration');
      const rt = rd?.childForFieldName('type');
      if (rt) container = baseTypeName(rt);
    }
    const exported = isExported(name);
    const fact: FunctionFact = {
      name,
      kind: container !== undefined ? 'method' : 'function',
      params,
      async: false,
      generator: false,
      exported,
      visibility: exported ? 'public' : 'package',
      decorators: [],
      line: node.startPosition.row + 1,
      column: node.startPosition.column + 1,
      endLine: node.endPosition.row + 1,
    };
    const result = node.childForFieldName('result');
    if (result) fact.returnType = oneLine(result.text);
    const tps = typeParamsOf(node);
    if (tps.length > 0) fact.typeParams = tps;
    if (container !== undefined) fact.container = container;
    const doc = docAbove(this.source, node.startIndex);
    if (doc !== undefined) fact.doc = doc;
    this.facts.functions.push(fact);
    if (exported && container === undefined) this.facts.exports.push({ name, kind: 'function', line: fact.line });
    this.signatureSignals(params, result);
    if (container !== undefined) {
      let list = this.methodsByReceiver.get(container);
      if (!list) this.methodsByReceiver.set(container, (list = []));
      list.push(signatureText({ ...fact, container: undefined }));
    }

    const bindings: BindingFact[] = [];
    for (const r of receivers) if (r.name !== '_') bindings.push(r.type !== undefined ? { name: r.name, type: r.type, kind: 'parameter' } : { name: r.name, kind: 'parameter' });
    for (const p of params) {
      if (p.name === '_') continue;
      addIdentifier(this.facts.identifiers, p.name, 'parameter', node);
      const type = p.variadic && p.type !== undefined ? `[]${p.type}` : p.type;
      bindings.push(type !== undefined ? { name: p.name, type, kind: 'parameter' } : { name: p.name, kind: 'parameter' });
    }
    // Named results are variables of the function body.
    if (result?.type === 'parameter_list') {
      const named: ParamFact[] = [];
      readParams(result, named);
      for (const r of named) if (r.name !== '_') bindings.push(r.type !== undefined ? { name: r.name, type: r.type, kind: 'local' } : { name: r.name, kind: 'local' });
    }
    const scope: ScopeFact = { function: qualifiedName(fact), line: fact.line, bindings };
    this.facts.scopes.push(scope);
    this.stack.push({ end: node.endIndex, fn: fact, scope });
  }

  private signatureSignals(params: ParamFact[], result: Node | null): void {
    const s = this.facts.signals;
    for (const p of params) {
      bump(s, p.type !== undefined ? SIGNAL.PARAM_ANNOTATED : SIGNAL.PARAM_UNANNOTATED);
      if (p.type !== undefined && ANY_RE.test(p.type)) bump(s, SIGNAL.ANY);
    }
    if (result) {
      bump(s, SIGNAL.RETURN_ANNOTATED);
      const types = resultTypes(result);
      if (types[types.length - 1] === 'error') bump(s, SIGNAL.ERR_RETURN);
      for (const t of types) if (ANY_RE.test(t)) bump(s, SIGNAL.ANY);
    }
  }

  private typeSpec(node: Node): void {
    const nameNode = node.childForFieldName('name');
    if (!nameNode || nameNode.isMissing) return;
    const name = nameNode.text;
    const t = node.childForFieldName('type');
    const exported = isExported(name);
    const fact: TypeFact = {
      name, kind: 'type_alias', fields: [], methods: [], typeParams: typeParamsOf(node), bases: [], exported,
      line: node.startPosition.row + 1, column: node.startPosition.column + 1, endLine: node.endPosition.row + 1,
    };
    if (t?.type === 'struct_type') {
      fact.kind = 'struct';
      this.structFields(t, fact);
    } else if (t?.type === 'interface_type') {
      fact.kind = 'interface';
      this.interfaceBody(t, fact);
    } else if (t) {
      fact.aliasOf = oneLine(t.text);
    }
    const frame = this.top();
    if (frame) fact.container = qualifiedName(frame.fn);
    // The doc comment sits above `type (` / `type X`, i.e. above the declaration for a lone spec.
    const parent = node.parent;
    const doc = docAbove(this.source, (parent && parent.type === 'type_declaration' && parent.namedChildCount === 1 ? parent : node).startIndex);
    if (doc !== undefined) fact.doc = doc;
    this.facts.types.push(fact);
    if (!frame) {
      this.typesByName.set(name, fact);
      if (exported) this.facts.exports.push({ name, kind: 'type', line: fact.line });
    }
  }

  private structFields(st: Node, fact: TypeFact): void {
    const list = st.namedChildren.find((c) => c?.type === 'field_declaration_list');
    if (!list) return;
    for (const f of list.namedChildren) {
      if (f?.type !== 'field_declaration') continue;
      const t = f.childForFieldName('type');
      const type = t ? oneLine(t.text) : undefined;
      const names = f.childrenForFieldName('name').filter(isNamedNode);
      if (names.length === 0) {
        // Embedded field: `Base`, `*Base`, `pkg.Base`.
        if (t) fact.bases.push(baseTypeName(t));
        continue;
      }
      for (const n of names) {
        if (!n) continue;
        const ff: FieldFact = { name: n.text, line: f.startPosition.row + 1 };
        if (type !== undefined) ff.type = type;
        fact.fields.push(ff);
        addIdentifier(this.facts.identifiers, n.text, 'field', n);
        if (type !== undefined && ANY_RE.test(type)) bump(this.facts.signals, SIGNAL.ANY);
      }
    }
  }

  private interfaceBody(it: Node, fact: TypeFact): void {
    for (const m of it.namedChildren) {
      if (!m) continue;
      if (m.type === 'type_elem') {
        fact.bases.push(oneLine(m.text));
        continue;
      }
      if (m.type !== 'method_elem') continue;
      const n = m.childForFieldName('name');
      if (!n) continue;
      const params: ParamFact[] = [];
      readParams(m.childForFieldName('parameters'), params);
      const exported = isExported(n.text);
      const fn: FunctionFact = {
        name: n.text, kind: 'method', params, async: false, generator: false, exported,
        visibility: exported ? 'public' : 'package', decorators: [], container: fact.name,
        line: m.startPosition.row + 1, column: m.startPosition.column + 1, endLine: m.endPosition.row + 1,
      };
      const result = m.childForFieldName('result');
      if (result) fn.returnType = oneLine(result.text);
      const doc = docAbove(this.source, m.startIndex);
      if (doc !== undefined) fn.doc = doc;
      this.facts.functions.push(fn);
      fact.methods.push(signatureText({ ...fn, container: undefined }));
      this.signatureSignals(params, result);
    }
  }

  private valueSpec(node: Node): void {
    const isConst = node.type === 'const_spec';
    const t = node.childForFieldName('type');
    const type = t ? oneLine(t.text) : undefined;
    const frame = this.top();
    for (const n of node.childrenForFieldName('name').filter(isNamedNode)) {
      if (!n || n.text === '_') continue;
      addIdentifier(this.facts.identifiers, n.text, isConst ? 'constant' : 'variable', n);
      const kind = frame ? 'local' : 'module';
      const b: BindingFact = type !== undefined ? { name: n.text, type, kind } : { name: n.text, kind };
      if (frame) frame.scope.bindings.push(b);
      else {
        this.moduleBindings.push(b);
        if (isExported(n.text)) this.facts.exports.push({ name: n.text, kind: 'variable', line: n.startPosition.row + 1 });
      }
    }
  }

  private shortVar(left: Node | null): void {
    if (!left) return;
    const frame = this.top();
    const ids = left.type === 'expression_list' ? left.namedChildren : [left];
    for (const n of ids) {
      if (n?.type !== 'identifier' || n.text === '_') continue;
      addIdentifier(this.facts.identifiers, n.text, 'variable', n);
      if (frame && !frame.scope.bindings.some((b) => b.name === n.text)) frame.scope.bindings.push({ name: n.text, kind: 'local' });
    }
  }

  private call(node: Node): void {
    const f = node.childForFieldName('function');
    if (f?.type !== 'identifier' || f.text !== 'panic') return;
    const arg = node.childForFieldName('arguments')?.namedChild(0);
    const msg = arg ? stringValue(arg) : undefined;
    if (msg === undefined || !NOT_IMPLEMENTED_RE.test(msg)) return;
    const kind = /\btodo\b/i.test(msg) ? 'todo' : 'not_implemented';
    this.facts.holes.push(makeHole(kind, node, node.text, this.top()?.fn));
  }

  private ifStatement(node: Node): void {
    const c = node.childForFieldName('condition');
    if (c?.type !== 'binary_expression') return;
    const op = c.childForFieldName('operator');
    const l = c.childForFieldName('left');
    const r = c.childForFieldName('right');
    if (op?.text === '!=' && r?.type === 'nil' && l?.type === 'identifier' && /^err/i.test(l.text)) bump(this.facts.signals, SIGNAL.ERR_CHECK);
  }

  protected finish(): void {
    for (const [recv, sigs] of this.methodsByReceiver) this.typesByName.get(recv)?.methods.push(...sigs);
    for (const s of this.facts.scopes) completeScope(s, [this.moduleBindings]);
  }
}

export const extractGo: LanguageExtractor = (root: Node, source: string): ExtractedFacts => new GoExtractor(treeSource(root, source)).run(root);
