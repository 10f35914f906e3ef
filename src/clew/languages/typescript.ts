/**
 * Fact extraction for TypeScript, TSX and JavaScript (the three tree-sitter grammars share their
 * node types for everything read here). One `descendantsOfType` walk (inside WASM) finds the nodes
 * of interest (SCAN_TYPES); a recursive visitor reads them in document order, carrying the
 * enclosing container, function frame and class.
 *
 * What counts as a function: function declarations (incl. `declare` signatures), class methods,
 * constructors, accessors, abstract method signatures, interface method signatures, class fields
 * initialised with an arrow/function expression, variables initialised with an arrow/function
 * expression, and object-literal methods, accessors and properties whose value is an arrow/function
 * expression (named by the key; their container adds the variable or keys the object is reached
 * by). Overload signatures are not functions of their own: they become the `overloads` of their
 * implementation (mergeOverloads). Anonymous callbacks are not functions here (their bodies are
 * still read for holes and signals).
 * `container` is the dotted chain of enclosing classes, interfaces, namespaces/modules and
 * functions.
 */
import type { Node } from 'web-tree-sitter';
import type {
  BindingFact, ExportFact, FieldFact, FunctionFact, ImportFact, OverloadFact, ParamFact, TypeFact, Visibility,
} from '../../core/index.ts';
import { SIGNAL, bump } from '../signals.ts';
import {
  addIdentifier, Children, docBefore, emptyFacts, makeHole, nameText, NOT_IMPLEMENTED_RE, oneLine,
  OrderedScan, qualifiedName, signatureText, unquote,
} from './common.ts';
import { buildScopes, type ScopeFrame } from './scope-bindings.ts';
import type { ExtractedFacts, LanguageExtractor } from './types.ts';

/** The bindings a function introduces; `parent` is the enclosing function's frame (closures). */
type Frame = ScopeFrame;

/** Keywords written before a function's name or parameters. */
interface Mods {
  async: boolean;
  generator: boolean;
  /** A `set` accessor (has no return type to annotate). */
  setter: boolean;
  /** An arrow function (its parameter may be a bare name, its body an expression). */
  arrow: boolean;
}

/** The parts of a function-like node. */
interface FnParts {
  typeParams: Node | null;
  params: Node | null;
  /** `x => …` */
  single: Node | null;
  returnType: Node | null;
  body: Node | null;
}

interface Ctx {
  container: string | undefined;
  frame: Frame | undefined;
  /** The enclosing class's fields (for methods' scopes). */
  classFields: BindingFact[] | undefined;
  exported: boolean;
}

/** The node types the extractor stops at; everything else is read only through them. */
const SCAN_TYPES = [
  'import_statement', 'export_statement', 'function_declaration', 'generator_function_declaration',
  'function_signature', 'class_declaration', 'abstract_class_declaration', 'class', 'interface_declaration',
  'type_alias_declaration', 'enum_declaration', 'internal_module', 'module', 'lexical_declaration',
  'variable_declaration', 'arrow_function', 'function_expression', 'function', 'generator_function',
  'method_definition', 'throw_statement', 'try_statement', 'await_expression', 'for_in_statement',
];

/** A plain identifier (the text of a name that is not a destructuring pattern). */
const IDENTIFIER_RE = /^[\p{L}_$][\p{L}\p{N}_$]*$/u;

/** `async` as a whole word at `lastIndex`. */
const ASYNC_AT = /async(?![\w$])/y;

const FUNCTION_VALUES = new Set(['arrow_function', 'function_expression', 'function', 'generator_function']);
const LITERAL_VALUES = new Set(['number', 'string', 'true', 'false', 'null', 'regex', 'template_string']);
/** Expressions that wrap an object literal without changing which name it is reached by. */
const TRANSPARENT_WRAPPERS = new Set(['parenthesized_expression', 'as_expression', 'satisfies_expression', 'type_assertion']);

/** The type written in an annotation node (`: T`, `: x is T`) or a bare type node, as one line. */
function typeOfAnnotation(n: Node | null): string | undefined {
  if (!n) return undefined;
  return oneLine(n.text.replace(/^:\s*/, '')); // from the text: reading `.type` costs a call into WASM
}

/** `public` / `private` / `protected` written in a member's head, or `#name` (private). */
function memberVisibility(head: string, name: string): Visibility | undefined {
  const m = /\b(public|private|protected)\b/.exec(head);
  if (m) return m[1] as Visibility;
  return name.startsWith('#') ? 'private' : undefined;
}

function join(container: string | undefined, name: string): string {
  return container ? `${container}.${name}` : name;
}

/** Names bound by a destructuring pattern (or a plain identifier). */
function patternNames(n: Node, out: string[]): void {
  switch (n.type) {
    case 'identifier':
    case 'shorthand_property_identifier_pattern':
      out.push(n.text);
      return;
    case 'pair_pattern': {
      const v = n.childForFieldName('value');
      if (v) patternNames(v, out);
      return;
    }
    case 'assignment_pattern': {
      const l = n.childForFieldName('left');
      if (l) patternNames(l, out);
      return;
    }
    case 'object_assignment_pattern': {
      const l = n.childForFieldName('left');
      if (l) patternNames(l, out);
      return;
    }
    default:
      for (const c of n.namedChildren) if (c) patternNames(c, out);
  }
}


class TsExtractor {
  readonly out: ExtractedFacts = emptyFacts();
  private readonly frames: Frame[] = [];
  private readonly moduleBindings: BindingFact[] = [];
  private readonly exportedNames = new Set<string>();

  private scanner: OrderedScan | undefined;
  /** Functions without a body (signatures): candidates for overload groups. */
  private readonly bodyless = new Set<FunctionFact>();
  /** `get` / `set` accessors: a getter and a setter of one name are two functions, not overloads. */
  private readonly accessors = new Map<FunctionFact, 'get' | 'set'>();
  /** Functions found in object literals: never module names, never marked exported by `export { … }`. */
  private readonly objectFunctions = new Set<FunctionFact>();
  /** The export entry recorded for an `export function …`, dropped when the function is an overload. */
  private readonly exportOf = new Map<FunctionFact, ExportFact>();

  constructor(private readonly source: string) {}

  run(root: Node): ExtractedFacts {
    const ctx: Ctx = { container: undefined, frame: undefined, classFields: undefined, exported: false };
    this.scanner = new OrderedScan(root, SCAN_TYPES);
    this.countTokens(root);
    this.scan(root, ctx);
    if (/\bexports(\.[\w$]+)?\s*=[^=]/.test(this.source)) {
      for (const c of root.namedChildren) if (c && c.type === 'expression_statement') this.commonJsExport(c);
    }
    this.mergeOverloads();
    // `export { a, b }` after the declarations: mark those facts exported.
    if (this.exportedNames.size > 0) {
      const kinds = new Map<string, 'function' | 'type'>();
      for (const f of this.out.functions) {
        if (f.container || !this.exportedNames.has(f.name) || this.objectFunctions.has(f)) continue;
        f.exported = true;
        kinds.set(f.name, 'function');
      }
      for (const t of this.out.types) {
        if (t.container || !this.exportedNames.has(t.name)) continue;
        t.exported = true;
        kinds.set(t.name, 'type');
      }
      for (const e of this.out.exports) if (e.kind === 'variable') e.kind = kinds.get(e.name) ?? 'variable';
    }
    this.out.scopes = buildScopes(this.frames, this.moduleBindings);
    return this.out;
  }

  /** `.then(` chains and `any` types, found in the text and confirmed in the tree (not in strings or comments). */
  private countTokens(root: Node): void {
    const src = this.source;
    const signals = this.out.signals;
    for (const m of src.matchAll(/\.\s*then\b/g)) {
      const at = m.index + m[0].length - 4;
      if (root.descendantForIndex(at, at + 4)?.type === 'property_identifier') bump(signals, SIGNAL.THEN);
    }
    for (const m of src.matchAll(/\bany\b/g)) {
      const d = root.descendantForIndex(m.index, m.index + 3);
      if (d && (d.type === 'predefined_type' || d.parent?.type === 'predefined_type')) bump(signals, SIGNAL.ANY);
    }
  }

  /** Whether a node is a comment, judged from its first characters (`//`, `/*`; a regex cannot start so). */
  private isComment(n: Node): boolean {
    const src = this.source;
    const i = n.startIndex;
    return src.charCodeAt(i) === 0x2f && (src.charCodeAt(i + 1) === 0x2f || src.charCodeAt(i + 1) === 0x2a);
  }

  /** The name of a declaration (`default` for `export default function () {}`). */
  private declName(n: Node): string {
    const name = n.childForFieldName('name');
    return name ? nameText(name, this.source) : 'default';
  }

  /** A member or import/export name: identifiers as written, string literal names without quotes. */
  private memberName(n: Node | null): string {
    return n ? unquote(nameText(n, this.source)) : '';
  }

  /** Names bound by a declaration's name node: an identifier, or a destructuring pattern. */
  private bindingNames(n: Node, out: string[]): void {
    const c = this.source.charCodeAt(n.startIndex);
    if (c === 0x7b || c === 0x5b) patternNames(n, out); // `{` or `[`
    else out.push(nameText(n, this.source));
  }

  /** Visits the interesting descendants of `n` (see SCAN_TYPES) in document order. */
  private scan(n: Node, ctx: Ctx): void {
    this.scanner!.scan(n, (e, type) => this.visit(e, ctx, type));
  }

  private visit(n: Node, ctx: Ctx, type: string = n.type): void {
    switch (type) {
      case 'comment':
        return;
      case 'import_statement':
        this.importStatement(n);
        return;
      case 'export_statement':
        this.exportStatement(n, ctx);
        return;
      case 'function_declaration':
      case 'generator_function_declaration':
      case 'function_signature':
        this.functionDecl(n, n, ctx, this.declName(n), 'function', [], n, this.fnMods(type, n));
        return;
      case 'class_declaration':
      case 'abstract_class_declaration':
      case 'class':
        this.classDecl(n, ctx);
        return;
      case 'interface_declaration':
        this.interfaceDecl(n, ctx);
        return;
      case 'type_alias_declaration':
        this.typeAlias(n, ctx);
        return;
      case 'enum_declaration':
        this.enumDecl(n, ctx);
        return;
      case 'internal_module':
      case 'module':
        this.moduleDecl(n, ctx);
        return;
      case 'lexical_declaration':
      case 'variable_declaration':
        this.variableDecl(n, ctx);
        return;
      case 'arrow_function':
      case 'function_expression':
      case 'function':
      case 'generator_function':
        this.anonymousFunction(n, ctx, type);
        return;
      case 'method_definition':
        // Class bodies are read member by member (classMember); this is an object literal's method,
        // or one of an unnamed class expression's (read for holes and signals only).
        if (n.parent?.type === 'object') {
          this.objectMethod(n, ctx);
          return;
        }
        break;
      case 'try_statement':
        bump(this.out.signals, SIGNAL.TRY);
        break;
      case 'for_in_statement': {
        // `for (const x of xs)`: the loop variable is a local of the enclosing function.
        const left = ctx.frame ? n.childForFieldName('left') : null;
        if (left) {
          const names: string[] = [];
          this.bindingNames(left, names);
          for (const name of names) ctx.frame!.bindings.push({ name, kind: 'local' });
        }
        break;
      }
      case 'throw_statement':
        bump(this.out.signals, SIGNAL.THROW);
        this.throwHole(n, ctx);
        break;
      case 'await_expression':
        bump(this.out.signals, SIGNAL.AWAIT);
        break;
      default:
        break;
    }
    this.scan(n, ctx);
  }

  // ---- imports and exports ----

  private importStatement(n: Node): void {
    const source = n.childForFieldName('source');
    const typeOnly = /^import\s+type\s+(?!from\s*['"])/.test(this.source.slice(n.startIndex, n.startIndex + 30));
    const line = n.startPosition.row + 1;
    let module = source ? unquote(source.text) : '';
    const fact: ImportFact = { module, names: [], wildcard: false, line };
    if (typeOnly) fact.typeOnly = true;
    for (const c of n.namedChildren) {
      if (!c) continue;
      if (c.type === 'import_clause') {
        for (const k of c.namedChildren) {
          if (!k) continue;
          if (k.type === 'identifier') {
            fact.names.push({ name: 'default', alias: k.text });
            this.moduleBindings.push({ name: k.text, kind: 'import' });
          } else if (k.type === 'namespace_import') {
            const id = k.namedChildren.find((x) => x?.type === 'identifier');
            if (id) {
              fact.alias = id.text;
              this.moduleBindings.push({ name: id.text, kind: 'import' });
            }
            fact.wildcard = true;
          } else if (k.type === 'named_imports') {
            for (const s of k.namedChildren) {
              if (!s || s.type !== 'import_specifier') continue;
              const name = this.memberName(s.childForFieldName('name'));
              const alias = s.childForFieldName('alias')?.text;
              fact.names.push(alias ? { name, alias } : { name });
              this.moduleBindings.push({ name: alias ?? name, kind: 'import' });
            }
          }
        }
      } else if (c.type === 'import_require_clause') {
        const id = c.namedChildren.find((x) => x?.type === 'identifier');
        const src = c.childForFieldName('source');
        if (src) module = unquote(src.text);
        fact.module = module;
        if (id) {
          fact.alias = id.text;
          this.moduleBindings.push({ name: id.text, kind: 'import' });
        }
      }
    }
    this.out.imports.push(fact);
  }

  private exportStatement(n: Node, ctx: Ctx): void {
    const line = n.startPosition.row + 1;
    const source = n.childForFieldName('source');
    const from = source ? unquote(source.text) : undefined;
    const decl = n.childForFieldName('declaration');
    const exports = this.out.exports;
    const isDefault = /^export\s+default\b/.test(this.source.slice(n.startIndex, n.startIndex + 24));
    if (decl) {
      const before = this.out.functions.length;
      const typesBefore = this.out.types.length;
      const inner: Ctx = { ...ctx, exported: true };
      this.visitDeclaration(decl, n, inner);
      // Only module-level declarations are the file's exports (not `export` inside a namespace).
      const atModule = ctx.container === undefined;
      for (let i = before; i < this.out.functions.length; i++) {
        const f = this.out.functions[i]!;
        if (!atModule || f.container !== undefined || this.objectFunctions.has(f)) continue;
        const e: ExportFact = { name: isDefault ? 'default' : f.name, kind: isDefault ? 'default' : 'function', line };
        exports.push(e);
        this.exportOf.set(f, e);
      }
      for (let i = typesBefore; i < this.out.types.length; i++) {
        const t = this.out.types[i]!;
        if (atModule && t.container === undefined) exports.push({ name: isDefault ? 'default' : t.name, kind: isDefault ? 'default' : 'type', line });
      }
      // `export const x`, `export declare const x: T`
      const varDecl = decl.type === 'ambient_declaration' ? decl.namedChild(0) : decl;
      if (atModule && varDecl && (varDecl.type === 'lexical_declaration' || varDecl.type === 'variable_declaration')) {
        for (const d of varDecl.namedChildren) {
          if (!d || d.type !== 'variable_declarator') continue;
          const v = d.childForFieldName('value');
          if (v && FUNCTION_VALUES.has(v.type)) continue;
          const names: string[] = [];
          const nm = d.childForFieldName('name');
          if (nm) this.bindingNames(nm, names);
          for (const name of names) exports.push({ name, kind: 'variable', line });
        }
      }
      return;
    }
    const value = n.childForFieldName('value');
    if (value) {
      if (FUNCTION_VALUES.has(value.type) || value.type === 'class') {
        const inner: Ctx = { ...ctx, exported: true };
        if (value.type === 'class') this.classDecl(value, inner, n);
        else this.functionDecl(value, n, inner, this.declName(value), 'function', [], value, this.fnMods(value.type, value));
      } else {
        this.visit(value, ctx);
      }
      exports.push({ name: 'default', kind: 'default', line });
      return;
    }
    let sawClause = false;
    for (const c of n.namedChildren) {
      if (!c) continue;
      if (c.type === 'export_clause') {
        sawClause = true;
        for (const s of c.namedChildren) {
          if (!s || s.type !== 'export_specifier') continue;
          const name = this.memberName(s.childForFieldName('name'));
          const alias = s.childForFieldName('alias');
          const exported = alias ? this.memberName(alias) : name;
          if (from !== undefined) exports.push({ name: exported, kind: 'reexport', from, line });
          else {
            this.exportedNames.add(name);
            exports.push({ name: exported, kind: exported === 'default' ? 'default' : 'variable', line });
          }
        }
      } else if (c.type === 'namespace_export') {
        sawClause = true;
        const id = c.namedChildren.find((x) => x?.type === 'identifier' || x?.type === 'string');
        exports.push({ name: id ? this.memberName(id) : '*', kind: 'reexport', ...(from !== undefined ? { from } : {}), line });
      } else if (c.type === 'identifier' && !isDefault) {
        // `export = Foo;`
        sawClause = true;
        exports.push({ name: c.text, kind: 'default', line });
      }
    }
    if (!sawClause && from !== undefined) exports.push({ name: '*', kind: 'reexport', from, line });
  }

  /** `module.exports = …`, `exports.x = …`, `module.exports.x = …` at module level (CommonJS). */
  private commonJsExport(n: Node): void {
    const a = n.namedChild(0);
    if (!a || a.type !== 'assignment_expression') return;
    const left = a.childForFieldName('left');
    if (!left || left.type !== 'member_expression') return;
    const text = left.text;
    const line = n.startPosition.row + 1;
    if (text === 'module.exports') {
      const right = a.childForFieldName('right');
      if (right && right.type === 'object') {
        // `module.exports = { a, b: c }`: the keys are the exported names.
        for (const p of right.namedChildren) {
          if (!p) continue;
          const key = p.type === 'shorthand_property_identifier' ? p.text
            : p.type === 'pair' || p.type === 'method_definition' ? this.memberName(p.childForFieldName('key') ?? p.childForFieldName('name')) : undefined;
          if (key) {
            this.out.exports.push({ name: key, kind: 'variable', line });
            this.exportedNames.add(key);
          }
        }
      } else {
        this.out.exports.push({ name: 'default', kind: 'default', line });
      }
    } else {
      const m = /^(?:module\.)?exports\.([A-Za-z_$][\w$]*)$/.exec(text);
      if (m) {
        this.out.exports.push({ name: m[1]!, kind: 'variable', line });
        this.exportedNames.add(m[1]!);
      }
    }
  }

  /** A declaration under `export`: routed like a statement, with the export node as doc anchor. */
  private visitDeclaration(decl: Node, anchor: Node, ctx: Ctx): void {
    switch (decl.type) {
      case 'function_declaration':
      case 'generator_function_declaration':
      case 'function_signature':
        this.functionDecl(decl, anchor, ctx, this.declName(decl), 'function', [], decl, this.fnMods(decl.type, decl));
        return;
      case 'class_declaration':
      case 'abstract_class_declaration':
        this.classDecl(decl, ctx, anchor);
        return;
      case 'interface_declaration':
        this.interfaceDecl(decl, ctx, anchor);
        return;
      case 'type_alias_declaration':
        this.typeAlias(decl, ctx, anchor);
        return;
      case 'enum_declaration':
        this.enumDecl(decl, ctx, anchor);
        return;
      case 'lexical_declaration':
      case 'variable_declaration':
        this.variableDecl(decl, ctx, anchor);
        return;
      case 'ambient_declaration':
        for (const c of decl.namedChildren) if (c) this.visitDeclaration(c, anchor, ctx);
        return;
      default:
        this.visit(decl, ctx);
    }
  }

  // ---- functions ----

  private params(list: Node | null, fn: FunctionFact, bindings: BindingFact[]): void {
    if (!list) return;
    const signals = this.out.signals;
    for (const p of list.namedChildren) {
      if (!p) continue;
      let patternNode: Node | null = p;
      let type: string | undefined;
      let def: string | undefined;
      let optional = false;
      let isField = false;
      const ptype = p.type;
      switch (ptype) {
        case 'required_parameter':
        case 'optional_parameter': {
          patternNode = p.childForFieldName('pattern');
          type = typeOfAnnotation(p.childForFieldName('type'));
          const v = p.childForFieldName('value');
          if (v) def = oneLine(v.text);
          optional = ptype === 'optional_parameter' || v !== null;
          // `constructor(private readonly x: T)`: modifiers sit between the start and the pattern.
          if (patternNode && patternNode.startIndex > p.startIndex) {
            isField = /\b(public|private|protected|readonly|override)\b/.test(this.source.slice(p.startIndex, patternNode.startIndex).replace(/@[\w$.]+(\([^)]*\))?/g, ''));
          }
          break;
        }
        case 'assignment_pattern': {
          patternNode = p.childForFieldName('left');
          const v = p.childForFieldName('right');
          if (v) def = oneLine(v.text);
          optional = true;
          break;
        }
        case 'identifier':
        case 'rest_pattern':
        case 'object_pattern':
        case 'array_pattern':
          break;
        case 'comment':
          continue;
        default:
          patternNode = p;
      }
      if (!patternNode) continue;
      const patternText = nameText(patternNode, this.source);
      if (patternText === 'this') continue; // the receiver's type, not a parameter
      let variadic = false;
      let nameNode = patternNode;
      let written = patternText;
      if (patternText.startsWith('...')) {
        variadic = true;
        nameNode = patternNode.namedChild(0) ?? patternNode;
        written = nameText(nameNode, this.source);
      }
      const isIdentifier = IDENTIFIER_RE.test(written);
      const name = isIdentifier ? written : oneLine(written);
      const pf: ParamFact = { name };
      if (type !== undefined) pf.type = type;
      if (optional) pf.optional = true;
      if (def !== undefined) pf.default = def;
      if (variadic) pf.variadic = true;
      fn.params.push(pf);
      bump(signals, type !== undefined ? SIGNAL.PARAM_ANNOTATED : SIGNAL.PARAM_UNANNOTATED);
      const names: string[] = [];
      if (isIdentifier) names.push(name);
      else this.bindingNames(nameNode, names);
      for (const bn of names) {
        bindings.push(type !== undefined && isIdentifier ? { name: bn, type, kind: 'parameter' } : { name: bn, kind: 'parameter' });
        addIdentifier(this.out.identifiers, bn, 'parameter', nameNode);
      }
      if (isField) {
        // Constructor parameter properties are fields too; the class visitor reads them from `fields`.
        this.paramFields.push(type !== undefined ? { name, type, line: p.startPosition.row + 1 } : { name, line: p.startPosition.row + 1 });
      }
    }
  }

  /**
   * Modifiers of a function declaration or expression of the given node type, read from the text
   * (each `.type` of a keyword child would be a call into WASM).
   */
  private fnMods(type: string, n: Node): Mods {
    ASYNC_AT.lastIndex = n.startIndex;
    return { async: ASYNC_AT.test(this.source), generator: type.startsWith('generator'), setter: false, arrow: type === 'arrow_function' };
  }

  /** Modifiers of a class member: the text between its start and its name (decorators are siblings). */
  private memberHead(m: Node, nameNode: Node | null): string {
    return nameNode ? this.source.slice(m.startIndex, nameNode.startIndex) : '';
  }

  /** Filled by `params` while reading a constructor, drained by the class visitor. */
  private paramFields: FieldFact[] = [];

  /**
   * Records a function fact for `n` (a function-like node) and visits its parts.
   * `anchor` is the outermost node of the declaration (for the doc comment and location).
   */
  private functionDecl(
    n: Node, anchor: Node, ctx: Ctx, name: string, kind: FunctionFact['kind'], decorators: string[],
    locNode: Node, mods: Mods, bindsName = true,
  ): FunctionFact {
    const signals = this.out.signals;
    const isAsync = mods.async;
    const generator = mods.generator;
    const fn: FunctionFact = {
      name, kind, params: [],
      async: isAsync, generator,
      exported: ctx.exported,
      decorators,
      line: locNode.startPosition.row + 1, column: locNode.startPosition.column + 1, endLine: n.endPosition.row + 1,
    };
    if (ctx.container) fn.container = ctx.container;
    const parts = this.fnParts(n, mods.arrow);
    const tps = parts.typeParams;
    if (tps) fn.typeParams = tps.namedChildren.filter((c) => c?.type === 'type_parameter').map((c) => oneLine(c!.text));
    const bindings: BindingFact[] = [];
    const paramsNode = parts.params;
    if (paramsNode) this.params(paramsNode, fn, bindings);
    else {
      const single = parts.single; // `x => …`
      if (single) {
        const pname = nameText(single, this.source);
        fn.params.push({ name: pname });
        bindings.push({ name: pname, kind: 'parameter' });
        bump(signals, SIGNAL.PARAM_UNANNOTATED);
      }
    }
    const rt = parts.returnType;
    if (rt) {
      fn.returnType = typeOfAnnotation(rt);
      if (kind !== 'constructor') bump(signals, SIGNAL.RETURN_ANNOTATED);
      if (/\|\s*(null|undefined)\b/.test(fn.returnType ?? '')) bump(signals, SIGNAL.OPTION_RETURN);
    } else if (kind !== 'constructor' && !mods.setter) {
      bump(signals, SIGNAL.RETURN_UNANNOTATED);
    }
    if (isAsync) bump(signals, SIGNAL.ASYNC_FN);
    const doc = docBefore(anchor, true, this.source);
    if (doc) fn.doc = doc;
    this.out.functions.push(fn);
    // An object literal's member is reached through the object, not by its own name (bindsName false).
    if (bindsName) {
      if (ctx.container === undefined) this.moduleBindings.push({ name, kind: 'module' });
      else if (ctx.frame && kind === 'function' && ctx.container === qualifiedName(ctx.frame.fn)) ctx.frame.bindings.push({ name, kind: 'local' });
    }
    const frame: Frame = { fn, bindings, parent: ctx.frame, classFields: ctx.classFields };
    this.frames.push(frame);
    const inner: Ctx = { container: join(ctx.container, name), frame, classFields: ctx.classFields, exported: false };
    // Parameter types/defaults (for `any` and nested functions), the return type, then the body.
    if (paramsNode) this.scan(paramsNode, inner);
    if (rt) this.visit(rt, inner);
    const body = parts.body;
    if (body) this.visitBody(body, inner);
    else this.bodyless.add(fn);
    return fn;
  }

  /**
   * Overload signatures become the `overloads` of one function. A run of bodyless declarations of
   * the same function (same name, container, kind, `static`, accessor) followed by one with a body
   * is an implementation and its overloads; a run with no body after it (`declare function`,
   * `.d.ts` classes, interfaces) is its first declaration and the rest as overloads. The overloads'
   * scopes and export entries go with them.
   */
  private mergeOverloads(): void {
    if (this.bodyless.size === 0) return;
    const fns = this.out.functions;
    const slot = (f: FunctionFact): string => `${f.kind}|${f.static === true}|${this.accessors.get(f) ?? ''}|${qualifiedName(f)}`;
    const merged = new Set<FunctionFact>();
    for (let i = 0; i < fns.length;) {
      const first = fns[i]!;
      if (!this.bodyless.has(first)) {
        i++;
        continue;
      }
      const key = slot(first);
      let j = i + 1;
      while (j < fns.length && this.bodyless.has(fns[j]!) && slot(fns[j]!) === key) j++;
      const implemented = j < fns.length && slot(fns[j]!) === key;
      const owner = implemented ? fns[j]! : first;
      const signatures = implemented ? fns.slice(i, j) : fns.slice(i + 1, j);
      if (signatures.length > 0) {
        owner.overloads = signatures.map((f) => {
          const o: OverloadFact = { params: f.params, line: f.line };
          if (f.returnType !== undefined) o.returnType = f.returnType;
          if (f.typeParams !== undefined) o.typeParams = f.typeParams;
          return o;
        });
        if (owner.doc === undefined) owner.doc = signatures.find((f) => f.doc !== undefined)?.doc;
        if (owner.doc === undefined) delete owner.doc;
        for (const f of signatures) merged.add(f);
      }
      i = implemented ? j + 1 : j;
    }
    if (merged.size === 0) return;
    this.out.functions = fns.filter((f) => !merged.has(f));
    for (let k = this.frames.length - 1; k >= 0; k--) if (merged.has(this.frames[k]!.fn)) this.frames.splice(k, 1);
    const dropped = new Set<ExportFact>();
    for (const f of merged) {
      const e = this.exportOf.get(f);
      if (e) dropped.add(e);
    }
    if (dropped.size > 0) this.out.exports = this.out.exports.filter((e) => !dropped.has(e));
  }

  /**
   * Type parameters, parameters, return type and body of a function-like node, told apart by their
   * first character (`<`, `(`, `:`, the rest) from one `namedChildren` call rather than one call
   * into WASM per field. Names and modifiers before the parameters are skipped; comments too.
   */
  private fnParts(n: Node, arrow: boolean): FnParts {
    const src = this.source;
    const parts: FnParts = { typeParams: null, params: null, single: null, returnType: null, body: null };
    for (const c of n.namedChildren) {
      if (!c || this.isComment(c)) continue;
      const ch = src.charCodeAt(c.startIndex);
      if (parts.params === null && parts.single === null) {
        if (ch === 0x3c) parts.typeParams = c; // `<`
        else if (ch === 0x28) parts.params = c; // `(`
        else if (arrow) parts.single = c; // `x => …`
        // otherwise a name or a modifier (`public`, `static`, `[Symbol.iterator]`): not a part
      } else if (ch === 0x3a && parts.returnType === null && parts.body === null) {
        parts.returnType = c; // `: T`, `: x is T`
      } else {
        parts.body = c;
      }
    }
    return parts;
  }

  private visitBody(body: Node, ctx: Ctx): void {
    if (body.type === 'statement_block') this.scan(body, ctx);
    else this.visit(body, ctx);
  }

  /** Callbacks and other unnamed functions: read for holes and signals, no fact of their own. */
  private anonymousFunction(n: Node, ctx: Ctx, type: string): void {
    const signals = this.out.signals;
    const parent = n.parent;
    const parentType = parent ? parent.type : '';
    if (parent && parentType === 'pair') {
      // `{ key: (…) => … }`, `{ key: function () {…} }` (a key cannot be a function: this is the value)
      this.objectFunction(n, parent, parent.childForFieldName('key'), ctx, this.fnMods(type, n), type === 'arrow_function');
      return;
    }
    if (parent && parentType === 'assignment_expression' && ctx.frame === undefined && ctx.container === undefined &&
      this.assignedFunction(n, parent, type, ctx)) return;
    ASYNC_AT.lastIndex = n.startIndex;
    if (ASYNC_AT.test(this.source)) bump(signals, SIGNAL.ASYNC_FN);
    const params = n.childForFieldName('parameters');
    if (params && parentType === 'arguments') {
      const first = params.namedChild(0);
      const firstName = first ? (first.childForFieldName('pattern') ?? first).text : '';
      if (firstName === 'err' || firstName === 'error') bump(signals, SIGNAL.CALLBACK);
    }
    this.scan(n, ctx);
  }

  /**
   * A function assigned to a member path outside any function or class: `exports.f = function …`,
   * `module.exports = (…) => …`, `Foo.prototype.m = function …`, `Foo.helper = …` (CommonJS and
   * ES5-style classes). `Foo.prototype.m` is method `m` of `Foo`; `exports.f` is exported function `f`.
   */
  private assignedFunction(n: Node, assignment: Node, type: string, ctx: Ctx): boolean {
    const left = assignment.childForFieldName('left');
    if (!left || left.startIndex >= n.startIndex) return false; // the function must be the right-hand side
    const path = left.text.replace(/\s+/g, '');
    if (!/^[\w$]+(\.[\w$]+)+$/.test(path)) return false;
    let name: string;
    let container: string | undefined;
    let kind: FunctionFact['kind'] = 'function';
    let exported = false;
    if (path === 'module.exports') {
      name = 'default';
      exported = true;
    } else {
      const parts = path.split('.');
      name = parts.pop()!;
      const owner = parts.join('.');
      if (owner === 'exports' || owner === 'module.exports') exported = true;
      else if (parts[parts.length - 1] === 'prototype') {
        container = parts.slice(0, -1).join('.');
        kind = 'method';
      } else container = owner;
    }
    const anchor = assignment.parent?.type === 'expression_statement' ? assignment.parent : assignment;
    this.functionDecl(n, anchor, { ...ctx, container, exported }, name, kind, [], left, this.fnMods(type, n));
    return true;
  }

  /** `{ get(target, key) {…} }`, `{ async *items() {…} }`, `{ get size() {…} }` */
  private objectMethod(n: Node, ctx: Ctx): void {
    const nameNode = n.childForFieldName('name');
    const head = this.memberHead(n, nameNode);
    const setter = /\bset\s*$/.test(head);
    const mods: Mods = { async: /\basync\b/.test(head), generator: head.includes('*'), setter, arrow: false };
    const fn = this.objectFunction(n, n, nameNode, ctx, mods, false);
    if (setter) this.accessors.set(fn, 'set');
    else if (/\bget\s*$/.test(head)) this.accessors.set(fn, 'get');
  }

  /**
   * A function that is a member of an object literal (`member` is the method or the `key: value`
   * pair), a method named by its key. Its container adds the names the object is reached by
   * (objectPath); the members of `module.exports = { … }` are exported.
   */
  private objectFunction(fnNode: Node, member: Node, keyNode: Node | null, ctx: Ctx, mods: Mods, arrow: boolean): FunctionFact {
    const obj = member.parent!;
    const path = this.objectPath(obj);
    let container = ctx.container;
    for (const p of path) container = join(container, p);
    const exported = path.length === 0 && ctx.frame === undefined && ctx.container === undefined && this.isModuleExports(obj);
    // An arrow function's `this` is the enclosing class's; a method's is the object.
    const inner: Ctx = { container, frame: ctx.frame, classFields: arrow ? ctx.classFields : undefined, exported };
    const fn = this.functionDecl(fnNode, member, inner, this.memberName(keyNode), 'method', [], member, mods, false);
    this.objectFunctions.add(fn);
    return fn;
  }

  /**
   * The names an object literal is reached by, outermost first: `const api = {…}` → [api]; the
   * value of a key of such an object adds the key (`{ a: { … } }` → [api, a]); otherwise none (an
   * argument, a return value, an assignment). Parentheses, `as` and `satisfies` are looked through.
   */
  private objectPath(obj: Node): string[] {
    let child = obj;
    let p = obj.parent;
    while (p && TRANSPARENT_WRAPPERS.has(p.type)) {
      child = p;
      p = p.parent;
    }
    if (!p) return [];
    if (p.type === 'variable_declarator') {
      const name = p.childForFieldName('name');
      return name && name.type === 'identifier' ? [name.text] : [];
    }
    if (p.type === 'pair' && p.parent?.type === 'object' && p.childForFieldName('value')?.startIndex === child.startIndex) {
      return [...this.objectPath(p.parent), this.memberName(p.childForFieldName('key'))];
    }
    return [];
  }

  /** Whether an object literal is the value of `module.exports = …` (CommonJS). */
  private isModuleExports(obj: Node): boolean {
    const p = obj.parent;
    if (!p || p.type !== 'assignment_expression') return false;
    return p.childForFieldName('left')?.text.replace(/\s+/g, '') === 'module.exports';
  }

  // ---- types ----

  private typeParamsOf(n: Node): string[] {
    const tps = n.childForFieldName('type_parameters');
    return tps ? tps.namedChildren.filter((c) => c?.type === 'type_parameter').map((c) => oneLine(c!.text)) : [];
  }

  private newType(n: Node, anchor: Node, ctx: Ctx, name: string, kind: TypeFact['kind']): TypeFact {
    const t: TypeFact = {
      name, kind, fields: [], methods: [], typeParams: this.typeParamsOf(n), bases: [], exported: ctx.exported,
      line: anchor.startPosition.row + 1, column: anchor.startPosition.column + 1, endLine: n.endPosition.row + 1,
    };
    if (ctx.container) t.container = ctx.container;
    const doc = docBefore(anchor, true, this.source);
    if (doc) t.doc = doc;
    this.out.types.push(t);
    if (ctx.container === undefined) this.moduleBindings.push({ name, kind: 'module' });
    return t;
  }

  private classDecl(n: Node, ctx: Ctx, anchor: Node = n): void {
    const nameNode = n.childForFieldName('name');
    if (!nameNode && n.type === 'class' && anchor === n) {
      // A class expression without a name: read its body for holes and signals only.
      this.scan(n, ctx);
      return;
    }
    const name = nameNode?.text ?? 'default';
    const t = this.newType(n, anchor, ctx, name, 'class');
    for (const c of n.namedChildren) {
      if (!c) continue;
      if (c.type === 'class_heritage') {
        for (const h of c.namedChildren) {
          if (!h) continue;
          if (h.type === 'extends_clause') {
            const v = h.childForFieldName('value');
            const ta = h.childForFieldName('type_arguments');
            if (v) t.bases.push(oneLine(v.text + (ta ? ta.text : '')));
          } else if (h.type === 'implements_clause') {
            for (const x of h.namedChildren) if (x) t.bases.push(oneLine(x.text));
          } else {
            // JavaScript: `class A extends B` has the expression directly in class_heritage.
            t.bases.push(oneLine(h.text));
          }
        }
      }
    }
    addIdentifier(this.out.identifiers, name, 'type', nameNode ?? n);
    const body = n.childForFieldName('body');
    if (!body) return;
    const classFields: BindingFact[] = [];
    const inner: Ctx = { container: join(ctx.container, name), frame: ctx.frame, classFields, exported: ctx.exported };
    let pending: string[] = [];
    let pendingAnchor: Node | undefined;
    for (const m of body.namedChildren) {
      if (!m) continue;
      if (m.type === 'decorator') {
        pending.push(oneLine(m.text.replace(/^@/, '')));
        pendingAnchor ??= m;
        continue;
      }
      const decorators = pending;
      const anchorNode = pendingAnchor ?? m;
      pending = [];
      pendingAnchor = undefined;
      this.classMember(m, anchorNode, inner, t, decorators, classFields);
    }
  }

  private classMember(m: Node, anchor: Node, ctx: Ctx, t: TypeFact, decorators: string[], classFields: BindingFact[]): void {
    switch (m.type) {
      case 'method_definition':
      case 'method_signature':
      case 'abstract_method_signature': {
        const nameNode = m.childForFieldName('name');
        const name = this.memberName(nameNode);
        const isCtor = name === 'constructor';
        const head = this.memberHead(m, nameNode);
        const vis = memberVisibility(head, name);
        const memberCtx: Ctx = { ...ctx, exported: ctx.exported && vis !== 'private' };
        const before = this.paramFields.length;
        const mods: Mods = { async: /\basync\b/.test(head), generator: head.includes('*'), setter: /\bset\s*$/.test(head), arrow: false };
        const fn = this.functionDecl(m, anchor, memberCtx, name, isCtor ? 'constructor' : 'method', decorators, m, mods);
        if (mods.setter) this.accessors.set(fn, 'set');
        else if (/\bget\s*$/.test(head)) this.accessors.set(fn, 'get');
        if (vis) fn.visibility = vis;
        if (/\bstatic\b/.test(head)) fn.static = true;
        if (isCtor && this.paramFields.length > before) {
          for (const f of this.paramFields.splice(before)) {
            t.fields.push(f);
            classFields.push(f.type !== undefined ? { name: `this.${f.name}`, type: f.type, kind: 'field' } : { name: `this.${f.name}`, kind: 'field' });
            addIdentifier(this.out.identifiers, f.name, 'field', m);
          }
        }
        t.methods.push(signatureText({ ...fn, container: undefined }));
        if (!isCtor) addIdentifier(this.out.identifiers, name, 'method', nameNode ?? m);
        return;
      }
      case 'public_field_definition':
      case 'field_definition':
      case 'property_signature': {
        const nameNode = m.childForFieldName('name') ?? m.childForFieldName('property');
        const name = this.memberName(nameNode);
        let head = this.memberHead(m, nameNode);
        if (head.includes('@')) {
          // Decorators of a field are its children: read them from the tree, the rest from the text.
          for (const c of new Children(m).all('decorator')) decorators.push(oneLine(c.text.replace(/^@/, '')));
          head = head.replace(/@[\w$.]+(\((?:[^()]|\([^()]*\))*\))?/g, ' ');
        }
        const value = m.childForFieldName('value');
        const typeNode = m.childForFieldName('type');
        const type = typeOfAnnotation(typeNode);
        const isStatic = /\bstatic\b/.test(head);
        const valueType = value ? value.type : '';
        if (value && FUNCTION_VALUES.has(valueType)) {
          const vis = memberVisibility(head, name);
          const fn = this.functionDecl(value, anchor, { ...ctx, exported: ctx.exported && vis !== 'private' }, name, 'method', decorators, m, this.fnMods(valueType, value));
          if (vis) fn.visibility = vis;
          if (isStatic) fn.static = true;
          t.methods.push(signatureText({ ...fn, container: undefined }));
          addIdentifier(this.out.identifiers, name, 'method', nameNode ?? m);
          return;
        }
        const f: FieldFact = type !== undefined ? { name, type, line: m.startPosition.row + 1 } : { name, line: m.startPosition.row + 1 };
        t.fields.push(f);
        const owner = isStatic ? t.name : 'this';
        classFields.push(type !== undefined ? { name: `${owner}.${name}`, type, kind: 'field' } : { name: `${owner}.${name}`, kind: 'field' });
        addIdentifier(this.out.identifiers, name.replace(/^#/, ''), 'field', nameNode ?? m);
        if (value) this.visit(value, ctx);
        return;
      }
      case 'comment':
        return;
      default:
        // index signatures, static blocks, call/construct signatures: read for signals and holes.
        this.visit(m, ctx);
    }
  }

  private interfaceDecl(n: Node, ctx: Ctx, anchor: Node = n): void {
    const nameNode = n.childForFieldName('name');
    const name = nameNode?.text ?? '';
    const t = this.newType(n, anchor, ctx, name, 'interface');
    addIdentifier(this.out.identifiers, name, 'type', nameNode ?? n);
    for (const c of n.namedChildren) {
      if (c?.type === 'extends_type_clause') for (const x of c.namedChildren) if (x) t.bases.push(oneLine(x.text));
    }
    const body = n.childForFieldName('body');
    if (!body) return;
    const inner: Ctx = { container: join(ctx.container, name), frame: ctx.frame, classFields: undefined, exported: ctx.exported };
    for (const m of body.namedChildren) if (m) this.classMember(m, m, inner, t, [], []);
  }

  private typeAlias(n: Node, ctx: Ctx, anchor: Node = n): void {
    const nameNode = n.childForFieldName('name');
    const name = nameNode?.text ?? '';
    const t = this.newType(n, anchor, ctx, name, 'type_alias');
    const v = n.childForFieldName('value');
    if (v) {
      t.aliasOf = oneLine(v.text);
      if (v.type === 'union_type') t.kind = 'union';
      if (v.type === 'object_type') {
        for (const m of v.namedChildren) {
          if (m?.type === 'property_signature') {
            const ty = typeOfAnnotation(m.childForFieldName('type'));
            const fname = this.memberName(m.childForFieldName('name'));
            t.fields.push(ty !== undefined ? { name: fname, type: ty, line: m.startPosition.row + 1 } : { name: fname, line: m.startPosition.row + 1 });
          }
        }
      }
      this.visit(v, ctx);
    }
    addIdentifier(this.out.identifiers, name, 'type', nameNode ?? n);
  }

  private enumDecl(n: Node, ctx: Ctx, anchor: Node = n): void {
    const nameNode = n.childForFieldName('name');
    const name = nameNode?.text ?? '';
    const t = this.newType(n, anchor, ctx, name, 'enum');
    const members: string[] = [];
    const body = n.childForFieldName('body');
    if (body) {
      for (const m of body.namedChildren) {
        if (!m) continue;
        if (m.type === 'enum_assignment') members.push(this.memberName(m.childForFieldName('name')));
        else if (m.type === 'property_identifier' || m.type === 'string') members.push(this.memberName(m));
      }
    }
    t.members = members;
    addIdentifier(this.out.identifiers, name, 'type', nameNode ?? n);
  }

  private moduleDecl(n: Node, ctx: Ctx): void {
    const nameNode = n.childForFieldName('name');
    const name = nameNode ? this.memberName(nameNode) : '';
    this.newType(n, n.parent?.type === 'expression_statement' ? n.parent : n, ctx, name, 'module');
    const body = n.childForFieldName('body');
    if (!body) return;
    const inner: Ctx = { container: join(ctx.container, name), frame: ctx.frame, classFields: undefined, exported: false };
    this.scan(body, inner);
  }

  // ---- variables ----

  private variableDecl(n: Node, ctx: Ctx, anchor: Node = n): void {
    const isConst = this.source.startsWith('const', n.startIndex); // the declaration starts with its keyword
    const line = n.startPosition.row + 1;
    for (const d of n.namedChildren) {
      if (!d) continue;
      // A declarator's named children are its name, then `: type` and/or the value (or comments).
      const parts = d.namedChildren;
      const nameNode = parts[0];
      if (!nameNode || parts.length === 0 || this.isComment(nameNode)) continue;
      let value: Node | null = null;
      let typeNode: Node | null = null;
      for (let i = 1; i < parts.length; i++) {
        const part = parts[i];
        if (!part || this.isComment(part)) continue;
        if (this.source.charCodeAt(part.startIndex) === 0x3a && typeNode === null && value === null) typeNode = part; // `:`
        else value = part;
      }
      const valueType = value ? value.type : '';
      const first = this.source.charCodeAt(nameNode.startIndex);
      const isIdentifier = first !== 0x7b && first !== 0x5b; // not `{` or `[`: a plain name
      if (isIdentifier && value && FUNCTION_VALUES.has(valueType)) {
        const fname = nameText(nameNode, this.source);
        this.functionDecl(value, anchor, ctx, fname, 'function', [], d, this.fnMods(valueType, value));
        addIdentifier(this.out.identifiers, fname, 'function', nameNode);
        continue;
      }
      const type = typeOfAnnotation(typeNode);
      const names: string[] = [];
      this.bindingNames(nameNode, names);
      const atModule = ctx.frame === undefined;
      for (const name of names) {
        const b: BindingFact = type !== undefined && isIdentifier
          ? { name, type, kind: atModule ? 'module' : 'local' } : { name, kind: atModule ? 'module' : 'local' };
        if (atModule) this.moduleBindings.push(b);
        else ctx.frame!.bindings.push(b);
        const constant = atModule && isConst && value !== null && (LITERAL_VALUES.has(valueType) || /^-?\d/.test(value.text));
        addIdentifier(this.out.identifiers, name, constant ? 'constant' : 'variable', nameNode);
      }
      // CommonJS `const x = require('m')` / `const { a } = require('m')` at module level.
      if (atModule && value && valueType === 'call_expression' && value.childForFieldName('function')?.text === 'require') {
        const arg = value.childForFieldName('arguments')?.namedChild(0);
        if (arg && arg.type === 'string') {
          const fact: ImportFact = { module: unquote(arg.text), names: [], wildcard: false, line };
          if (isIdentifier) fact.alias = names[0];
          else for (const nm of names) fact.names.push({ name: nm });
          this.out.imports.push(fact);
        }
      }
      if (typeNode) this.scan(typeNode, ctx);
      if (value) this.visit(value, ctx, valueType);
    }
  }

  // ---- holes ----

  private throwHole(n: Node, ctx: Ctx): void {
    const e = n.namedChild(0);
    if (!e || e.type !== 'new_expression') return;
    const ctor = e.childForFieldName('constructor')?.text ?? '';
    const arg = e.childForFieldName('arguments')?.namedChild(0);
    const msg = arg && (arg.type === 'string' || arg.type === 'template_string') ? arg.text : '';
    if (/NotImplemented/i.test(ctor) || NOT_IMPLEMENTED_RE.test(msg)) {
      this.out.holes.push(makeHole('not_implemented', n, n.text, ctx.frame?.fn));
    }
  }
}

/** TypeScript, TSX and JavaScript. */
export const extractTypescript: LanguageExtractor = (root, source) => new TsExtractor(source).run(root);
export const extractJavascript: LanguageExtractor = extractTypescript;
