/**
 * Fact extraction for Python. One `descendantsOfType` walk (inside WASM) finds the nodes of
 * interest (SCAN_TYPES); a recursive visitor reads them in document order.
 *
 * Every `def` is a function (module-level, methods, nested); lambdas are not. `container` is the
 * dotted chain of enclosing classes and functions (Python's `__qualname__` without `<locals>`).
 * Parameters are listed as written, `self`/`cls` included; `*args`/`**kwargs` are variadic with
 * the name without stars; the bare `*` and `/` separators are not parameters.
 */
import type { Node } from 'web-tree-sitter';
import type { BindingFact, FieldFact, FunctionFact, ImportFact, ParamFact, TypeFact } from '../../core/index.ts';
import { SIGNAL, bump } from '../signals.ts';
import { indentSignal, indentSteps } from '../indent-steps.ts';
import {
  addIdentifier, emptyFacts, hasChildOfType, makeHole, nameText, oneLine, OrderedScan, qualifiedName,
  signatureText,
} from './common.ts';
import { buildScopes, type ScopeFrame } from './scope-bindings.ts';
import type { ExtractedFacts, LanguageExtractor } from './types.ts';

/** The bindings a function introduces; `parent` is the enclosing function's frame (closures). */
type Frame = ScopeFrame;

interface Ctx {
  container: string | undefined;
  frame: Frame | undefined;
  /** The class whose body is being read (directly: methods and class attributes). */
  cls: { fact: TypeFact; fields: BindingFact[] } | undefined;
  /** The class of the method being read (for `self.x = …` fields). */
  methodOf: { fact: TypeFact; fields: BindingFact[] } | undefined;
}

const ENUM_BASES = /^(enum\.)?(Enum|IntEnum|StrEnum|Flag|IntFlag)$/;
const PROTOCOL_BASES = /^(typing\.|typing_extensions\.)?Protocol(\[.*\])?$/s;
const STUB_DECORATORS = /^(abc\.)?(abstractmethod|abstractproperty|abstractclassmethod|abstractstaticmethod)$|^(typing\.)?overload$/;

function join(container: string | undefined, name: string): string {
  return container ? `${container}.${name}` : name;
}

/**
 * The content of a Python string literal's text without prefix and quotes (no escape processing),
 * or undefined when the text is not one literal (f-strings included: their text is kept as written).
 */
function stringValue(text: string): string | undefined {
  const m = /^[rRbBuUfF]{0,2}('''|"""|'|")/.exec(text);
  if (!m) return undefined;
  const q = m[1]!;
  if (text.length < m[0].length + q.length || !text.endsWith(q)) return undefined;
  return text.slice(m[0].length, text.length - q.length);
}

/** A name at `lastIndex`, and the spaces after it. */
const NAME_AT = /([\p{L}_][\p{L}\p{N}_]*)[ \t]*/uy;


/** `async` as a whole word at `lastIndex`. */
const ASYNC_AT = /async(?![\w])/y;

function dedentDoc(s: string): string {
  const lines = s.split('\n');
  let indent = Infinity;
  for (let i = 1; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.trim().length === 0) continue;
    indent = Math.min(indent, l.length - l.trimStart().length);
  }
  const out = lines.map((l, i) => (i === 0 || indent === Infinity ? l.trim() : l.slice(indent).trimEnd()));
  return out.join('\n').trim();
}

/** Names bound by an assignment target. */
function targetNames(n: Node, out: string[], source: string): void {
  // Read a plain name from the text when that is unambiguous (no call into WASM for the node's end).
  NAME_AT.lastIndex = n.startIndex;
  const m = NAME_AT.exec(source);
  if (m) {
    const next = source.charAt(n.startIndex + m[0].length);
    if (next !== ',' && next !== '.' && next !== '[' && next !== '(') {
      out.push(m[1]!);
      return;
    }
    // `a, b = …`, `a.b = …`, `a.b, c = …`, `a[i] = …`: ask the tree below
  }
  switch (n.type) {
    case 'identifier':
      out.push(n.text);
      return;
    case 'pattern_list':
    case 'tuple_pattern':
    case 'list_pattern':
    case 'expression_list':
    case 'tuple':
    case 'list':
    case 'parenthesized_expression':
      for (const c of n.namedChildren) if (c) targetNames(c, out, source);
      return;
    case 'list_splat_pattern':
    case 'list_splat': {
      const c = n.namedChild(0);
      if (c) targetNames(c, out, source);
      return;
    }
    default:
      return;
  }
}

/** The node types the extractor stops at; everything else is read only through them. */
const SCAN_TYPES = [
  'import_statement', 'import_from_statement', 'future_import_statement', 'function_definition',
  'class_definition', 'decorated_definition', 'assignment', 'type_alias_statement', 'for_statement',
  'try_statement', 'raise_statement', 'await', 'yield', 'lambda', 'as_pattern_target', 'named_expression',
];

class PyExtractor {
  readonly out: ExtractedFacts = emptyFacts();
  private scanner: OrderedScan | undefined;

  constructor(private readonly source: string) {}

  private readonly frames: Frame[] = [];
  private readonly moduleBindings: BindingFact[] = [];
  private all: string[] | undefined;
  private allLine = 0;
  /** Names bound by module-level imports, and the module each came from (for `__all__` re-exports). */
  private readonly importedFrom = new Map<string, string>();
  private readonly topLevel: { name: string; kind: 'function' | 'type' | 'variable'; line: number }[] = [];

  run(root: Node): ExtractedFacts {
    const ctx: Ctx = { container: undefined, frame: undefined, cls: undefined, methodOf: undefined };
    this.scanner = new OrderedScan(root, SCAN_TYPES);
    this.countAny(root);
    this.scan(root, ctx);
    this.finishExports();
    this.out.scopes = buildScopes(this.frames, this.moduleBindings);
    // How its blocks are indented (a server's grammar for a module target takes the codebase's step).
    for (const [step, n] of indentSteps(this.source)) this.out.signals[indentSignal(step)] = n;
    return this.out;
  }

  private finishExports(): void {
    const all = this.all;
    const exports = this.out.exports;
    if (all) {
      const kinds = new Map(this.topLevel.map((t) => [t.name, t]));
      for (const name of all) {
        const t = kinds.get(name);
        const from = t ? undefined : this.importedFrom.get(name);
        if (from !== undefined) exports.push({ name, kind: 'reexport', from, line: this.allLine });
        else exports.push({ name, kind: t?.kind ?? 'variable', line: t?.line ?? this.allLine });
      }
      const set = new Set(all);
      // With `__all__`, it alone decides what a module exports (members follow their class).
      for (const f of this.out.functions) f.exported = f.container ? f.exported && set.has(f.container.split('.')[0]!) : set.has(f.name);
      for (const t of this.out.types) t.exported = t.container ? t.exported && set.has(t.container.split('.')[0]!) : set.has(t.name);
    } else {
      for (const t of this.topLevel) if (!t.name.startsWith('_')) exports.push({ name: t.name, kind: t.kind, line: t.line });
    }
  }

  /** Visits the interesting descendants of `n` (see SCAN_TYPES) in document order. */
  private scan(n: Node, ctx: Ctx): void {
    this.scanner!.scan(n, (e, type) => this.visit(e, ctx, type));
  }

  private visit(n: Node, ctx: Ctx, type: string = n.type): void {
    const signals = this.out.signals;
    switch (type) {
      case 'comment':
        return;
      case 'import_statement':
      case 'import_from_statement':
      case 'future_import_statement':
        this.importStatement(n, ctx);
        return;
      case 'function_definition':
        this.functionDef(n, n, [], ctx);
        return;
      case 'class_definition':
        this.classDef(n, n, [], ctx);
        return;
      case 'decorated_definition': {
        const decorators: string[] = [];
        for (const c of n.namedChildren) if (c?.type === 'decorator') decorators.push(oneLine(c.text.replace(/^@\s*/, '')));
        const def = n.childForFieldName('definition');
        if (def?.type === 'function_definition') this.functionDef(def, n, decorators, ctx);
        else if (def?.type === 'class_definition') this.classDef(def, n, decorators, ctx);
        else if (def) this.visit(def, ctx);
        return;
      }
      case 'assignment':
        this.assignment(n, ctx);
        return;
      case 'type_alias_statement':
        this.typeAliasStatement(n, ctx);
        return;
      case 'for_statement':
        if (ctx.frame) {
          const left = n.childForFieldName('left');
          const names: string[] = [];
          if (left) targetNames(left, names, this.source);
          for (const name of names) ctx.frame.bindings.push({ name, kind: 'local' });
        }
        break;
      case 'try_statement':
        bump(signals, SIGNAL.TRY);
        break;
      case 'as_pattern_target': // `with … as x`, `except E as x`
      case 'named_expression': { // `(x := …)`
        if (ctx.frame) {
          const target = type === 'named_expression' ? n.childForFieldName('name') : n.namedChild(0);
          const names: string[] = [];
          if (target) targetNames(target, names, this.source);
          for (const name of names) ctx.frame.bindings.push({ name, kind: 'local' });
        }
        break;
      }
      case 'raise_statement':
        bump(signals, SIGNAL.THROW);
        this.raiseHole(n, ctx);
        break;
      case 'await':
        bump(signals, SIGNAL.AWAIT);
        break;
      case 'yield':
        if (ctx.frame) ctx.frame.fn.generator = true;
        break;
      case 'lambda':
        // A lambda's `yield` (rare) must not make the enclosing def a generator.
        this.scan(n, { ...ctx, frame: ctx.frame ? { ...ctx.frame, fn: { ...ctx.frame.fn } } : undefined });
        return;
      default:
        break;
    }
    this.scan(n, ctx);
  }

  /** `Any` used as a name in code (annotations, `cast(Any, …)`), not in strings or comments. */
  private countAny(root: Node): void {
    for (const m of this.source.matchAll(/\bAny\b/g)) {
      const d = root.descendantForIndex(m.index, m.index + 3);
      if (d && d.type === 'identifier') {
        const parent = d.parent?.type;
        if (parent !== 'dotted_name' && parent !== 'aliased_import') bump(this.out.signals, SIGNAL.ANY); // not the import itself
      }
    }
  }

  // ---- imports ----

  private importStatement(n: Node, ctx: Ctx): void {
    const line = n.startPosition.row + 1;
    const bind = (name: string, from: string): void => {
      const b: BindingFact = { name, kind: 'import' };
      if (ctx.frame) ctx.frame.bindings.push(b);
      else {
        this.moduleBindings.push(b);
        if (!ctx.cls) this.importedFrom.set(name, from);
      }
    };
    if (n.type === 'import_statement') {
      for (const c of n.childrenForFieldName('name')) {
        if (!c) continue;
        if (c.type === 'aliased_import') {
          const mod = c.childForFieldName('name')?.text ?? '';
          const alias = c.childForFieldName('alias')?.text;
          const fact: ImportFact = { module: mod, names: [], wildcard: false, line };
          if (alias) {
            fact.alias = alias;
            bind(alias, mod);
          }
          this.out.imports.push(fact);
        } else {
          this.out.imports.push({ module: c.text, names: [], wildcard: false, line });
          bind(c.text.split('.')[0]!, c.text);
        }
      }
      return;
    }
    const moduleNode = n.type === 'future_import_statement' ? null : n.childForFieldName('module_name');
    const fact: ImportFact = { module: moduleNode ? oneLine(moduleNode.text) : '__future__', names: [], wildcard: false, line };
    for (const c of n.childrenForFieldName('name')) {
      if (!c) continue;
      if (c.type === 'aliased_import') {
        const name = c.childForFieldName('name')?.text ?? '';
        const alias = c.childForFieldName('alias')?.text;
        fact.names.push(alias ? { name, alias } : { name });
        bind(alias ?? name, fact.module);
      } else {
        fact.names.push({ name: c.text });
        bind(c.text, fact.module);
      }
    }
    if (fact.names.length === 0 && hasChildOfType(n, 'wildcard_import')) fact.wildcard = true;
    this.out.imports.push(fact);
  }

  // ---- functions ----

  /** `receiverType`: the type `self` (or `cls`) has inside a method, when it is not annotated. */
  private params(
    list: Node | null, fn: FunctionFact, bindings: BindingFact[], isMethod: boolean, receiverType: string | undefined, defaults: Node[],
  ): void {
    if (!list) return;
    const signals = this.out.signals;
    let index = 0;
    for (const p of list.namedChildren) {
      if (!p) continue;
      let nameNode: Node | null = null;
      let typeNode: Node | null = null;
      let valueNode: Node | null = null;
      switch (p.type) {
        case 'identifier':
          nameNode = p;
          break;
        case 'typed_parameter':
          nameNode = p.namedChild(0); // the name (or `*args` / `**kwargs`) comes first
          typeNode = p.childForFieldName('type');
          break;
        case 'default_parameter':
          nameNode = p.childForFieldName('name');
          valueNode = p.childForFieldName('value');
          break;
        case 'typed_default_parameter':
          nameNode = p.childForFieldName('name');
          typeNode = p.childForFieldName('type');
          valueNode = p.childForFieldName('value');
          break;
        case 'list_splat_pattern':
        case 'dictionary_splat_pattern':
          nameNode = p;
          break;
        default:
          continue; // `*`, `/` separators, comments
      }
      if (!nameNode) continue;
      const written = nameText(nameNode, this.source);
      const variadic = written.startsWith('*');
      const isKwargs = written.startsWith('**');
      const name = variadic ? written.replace(/^\*+\s*/, '') : written;
      const pf: ParamFact = { name };
      const type = typeNode ? oneLine(typeNode.text) : undefined;
      if (type !== undefined) pf.type = type;
      if (valueNode) {
        pf.optional = true;
        pf.default = oneLine(valueNode.text);
        defaults.push(valueNode);
      }
      if (variadic) pf.variadic = true;
      fn.params.push(pf);
      const receiver = isMethod && index === 0 && !fn.static;
      if (!receiver) {
        bump(signals, type !== undefined ? SIGNAL.PARAM_ANNOTATED : SIGNAL.PARAM_UNANNOTATED);
        addIdentifier(this.out.identifiers, name, 'parameter', nameNode);
      }
      // Inside the body `*args: T` is a tuple and `**kwargs: T` a dict.
      const bound = type === undefined ? (receiver ? receiverType : undefined)
        : !variadic ? type : isKwargs ? `dict[str, ${type}]` : `tuple[${type}, ...]`;
      bindings.push(bound !== undefined ? { name, type: bound, kind: 'parameter' } : { name, kind: 'parameter' });
      index++;
    }
  }

  /**
   * The docstring of a body, and whether the body is only a placeholder (`pass` / `...`, after an
   * optional docstring). Reads at most the first few statements: bodies are often long.
   */
  private docstring(body: Node | null): { doc?: string; stub: boolean } {
    if (!body) return { stub: false };
    let doc: string | undefined;
    let stub = true;
    let i = 0;
    const count = body.namedChildCount;
    for (let k = 0; k < count; k++) {
      const s = body.namedChild(k);
      if (!s) continue;
      const type = s.type;
      if (type === 'comment') continue;
      if (i === 0 && type === 'expression_statement') {
        const str = s.namedChild(0);
        if (str && str.type === 'string') {
          const v = stringValue(str.text);
          if (v !== undefined) doc = dedentDoc(v);
          i++;
          continue;
        }
      }
      i++;
      const inner = type === 'expression_statement' ? s.namedChild(0) : null;
      if (!(type === 'pass_statement' || inner?.type === 'ellipsis')) {
        stub = false;
        break; // not a placeholder: the rest does not matter
      }
    }
    if (i === 0 || (i === 1 && doc !== undefined)) stub = false; // empty or docstring-only body: not a placeholder
    return doc !== undefined ? { doc, stub } : { stub };
  }

  private functionDef(n: Node, anchor: Node, decorators: string[], ctx: Ctx): void {
    const signals = this.out.signals;
    const nameNode = n.childForFieldName('name');
    const name = nameNode?.text ?? '';
    const isMethod = ctx.cls !== undefined;
    const kind: FunctionFact['kind'] = isMethod ? (name === '__init__' ? 'constructor' : 'method') : 'function';
    ASYNC_AT.lastIndex = n.startIndex;
    const isAsync = ASYNC_AT.test(this.source);
    const fn: FunctionFact = {
      name, kind, params: [], async: isAsync, generator: false,
      exported: ctx.frame === undefined && !name.startsWith('_') && (ctx.cls === undefined || ctx.cls.fact.exported),
      decorators,
      line: anchor.startPosition.row + 1, column: anchor.startPosition.column + 1, endLine: n.endPosition.row + 1,
    };
    if (isMethod && (name === '__init__' || !name.startsWith('_'))) fn.exported = ctx.cls!.fact.exported;
    if (ctx.container) fn.container = ctx.container;
    if (name.startsWith('__') && !name.endsWith('__')) fn.visibility = 'private';
    else if (name.startsWith('_') && !name.endsWith('__')) fn.visibility = 'protected';
    if (isMethod && decorators.some((d) => d === 'staticmethod')) fn.static = true;
    const tps = n.childForFieldName('type_parameters');
    if (tps) fn.typeParams = tps.namedChildren.filter((c) => c !== null).map((c) => oneLine(c!.text));
    const bindings: BindingFact[] = [];
    const clsName = ctx.cls ? qualifiedName(ctx.cls.fact) : undefined;
    const receiverType = clsName && decorators.includes('classmethod') ? `type[${clsName}]` : clsName;
    const defaults: Node[] = [];
    this.params(n.childForFieldName('parameters'), fn, bindings, isMethod, receiverType, defaults);
    const rt = n.childForFieldName('return_type');
    if (rt) {
      fn.returnType = oneLine(rt.text);
      if (kind !== 'constructor') bump(signals, SIGNAL.RETURN_ANNOTATED);
      if (/^Optional\[|\|\s*None\b|\bNone\s*\|/.test(fn.returnType)) bump(signals, SIGNAL.OPTION_RETURN);
    } else if (kind !== 'constructor') {
      bump(signals, SIGNAL.RETURN_UNANNOTATED);
    }
    if (isAsync) bump(signals, SIGNAL.ASYNC_FN);
    const body = n.childForFieldName('body');
    const { doc, stub } = this.docstring(body);
    if (doc) fn.doc = doc;
    this.out.functions.push(fn);
    addIdentifier(this.out.identifiers, name, isMethod ? 'method' : 'function', nameNode ?? n);
    if (!ctx.frame && !ctx.cls) {
      this.topLevel.push({ name, kind: 'function', line: fn.line });
      this.moduleBindings.push({ name, kind: 'module' });
    } else if (ctx.frame) {
      ctx.frame.bindings.push({ name, kind: 'local' });
    }
    if (ctx.cls) ctx.cls.fact.methods.push(signatureText({ ...fn, container: undefined }));
    const frame: Frame = { fn, bindings, parent: ctx.frame, classFields: ctx.cls?.fields ?? ctx.methodOf?.fields };
    this.frames.push(frame);
    // Defaults are evaluated in the enclosing scope: read them (and annotations) there.
    for (const v of defaults) this.visit(v, ctx);
    const inner: Ctx = { container: join(ctx.container, name), frame, cls: undefined, methodOf: ctx.cls ?? (ctx.frame ? undefined : ctx.methodOf) };
    if (body) this.scan(body, inner);
    if (stub && !decorators.some((d) => STUB_DECORATORS.test(d)) && ctx.cls?.fact.kind !== 'protocol') {
      this.out.holes.push(makeHole('placeholder', n, `${name}: body is only \`${body?.text.trim().split('\n').pop()?.trim() ?? '...'}\``, fn));
    }
  }

  // ---- classes ----

  private classDef(n: Node, anchor: Node, decorators: string[], ctx: Ctx): void {
    const nameNode = n.childForFieldName('name');
    const name = nameNode?.text ?? '';
    const bases: string[] = [];
    const supers = n.childForFieldName('superclasses');
    if (supers) for (const b of supers.namedChildren) if (b && b.type !== 'keyword_argument' && b.type !== 'comment') bases.push(oneLine(b.text));
    let kind: TypeFact['kind'] = 'class';
    if (bases.some((b) => ENUM_BASES.test(b))) kind = 'enum';
    else if (bases.some((b) => PROTOCOL_BASES.test(b))) kind = 'protocol';
    else if (decorators.some((d) => /^(dataclasses\.)?dataclass\b/.test(d)) || bases.some((b) => /^(typing\.)?(NamedTuple|TypedDict)$/.test(b))) kind = 'record';
    const tps = n.childForFieldName('type_parameters');
    const t: TypeFact = {
      name, kind, fields: [], methods: [],
      typeParams: tps ? tps.namedChildren.filter((c) => c !== null).map((c) => oneLine(c!.text)) : [],
      bases,
      exported: ctx.frame === undefined && ctx.cls === undefined && !name.startsWith('_'),
      line: anchor.startPosition.row + 1, column: anchor.startPosition.column + 1, endLine: n.endPosition.row + 1,
    };
    if (ctx.container) t.container = ctx.container;
    const body = n.childForFieldName('body');
    const { doc } = this.docstring(body);
    if (doc) t.doc = doc;
    this.out.types.push(t);
    addIdentifier(this.out.identifiers, name, 'type', nameNode ?? n);
    if (!ctx.frame && !ctx.cls) {
      this.topLevel.push({ name, kind: 'type', line: t.line });
      this.moduleBindings.push({ name, kind: 'module' });
    } else if (ctx.frame) {
      ctx.frame.bindings.push({ name, kind: 'local' });
    }
    if (supers) this.scan(supers, ctx);
    if (kind === 'enum') t.members = [];
    const cls = { fact: t, fields: [] as BindingFact[] };
    const inner: Ctx = { container: join(ctx.container, name), frame: undefined, cls, methodOf: undefined };
    // Class bodies see module names but not the enclosing function's locals in methods; keep it simple:
    // nested-in-function classes still resolve through the module bindings.
    if (body) this.scan(body, inner);
  }

  private addField(cls: { fact: TypeFact; fields: BindingFact[] }, name: string, type: string | undefined, node: Node, prefix: string): void {
    if (cls.fact.fields.some((f) => f.name === name)) return;
    const f: FieldFact = type !== undefined ? { name, type, line: node.startPosition.row + 1 } : { name, line: node.startPosition.row + 1 };
    cls.fact.fields.push(f);
    cls.fields.push(type !== undefined ? { name: `${prefix}${name}`, type, kind: 'field' } : { name: `${prefix}${name}`, kind: 'field' });
    addIdentifier(this.out.identifiers, name, 'field', node);
  }

  // ---- assignments ----

  private assignment(a: Node, ctx: Ctx): void {
    const left = a.childForFieldName('left');
    const typeNode = a.childForFieldName('type');
    const right = a.childForFieldName('right');
    const type = typeNode ? oneLine(typeNode.text) : undefined;
    if (left) {
      if (left.type === 'attribute' && ctx.methodOf && ctx.frame) {
        const obj = left.childForFieldName('object');
        const attr = left.childForFieldName('attribute');
        const receiver = ctx.frame.fn.params[0]?.name;
        if (obj && attr && obj.type === 'identifier' && receiver !== undefined && obj.text === receiver && ctx.frame.fn.kind !== 'function') {
          // `self.x = x` where the parameter `x` is annotated: the field has that type.
          let fieldType = type;
          if (fieldType === undefined && right && right.type === 'identifier') {
            const rn = right.text;
            fieldType = ctx.frame.fn.params.find((p) => p.name === rn && !p.variadic)?.type;
          }
          this.addField(ctx.methodOf, attr.text, fieldType, left, 'self.');
        }
      } else {
        const names: string[] = [];
        targetNames(left, names, this.source);
        const single = names.length === 1;
        if (type !== undefined && single && /^(typing\.)?TypeAlias$/.test(type) && right) {
          this.aliasFact(names[0]!, oneLine(right.text), a, ctx);
        }
        for (const name of names) {
          if (ctx.cls) {
            if (ctx.cls.fact.kind === 'enum') ctx.cls.fact.members!.push(name);
            else this.addField(ctx.cls, name, single ? type : undefined, left, 'self.');
          } else if (ctx.frame) {
            ctx.frame.bindings.push(single && type !== undefined ? { name, type, kind: 'local' } : { name, kind: 'local' });
            addIdentifier(this.out.identifiers, name, 'variable', left);
          } else {
            if (name === '__all__' && right) {
              this.readAll(right);
              this.allLine = a.startPosition.row + 1;
            }
            this.moduleBindings.push(single && type !== undefined ? { name, type, kind: 'module' } : { name, kind: 'module' });
            this.topLevel.push({ name, kind: 'variable', line: a.startPosition.row + 1 });
            addIdentifier(this.out.identifiers, name, /^[A-Z][A-Z0-9_]*$/.test(name) && /[A-Z]/.test(name) ? 'constant' : 'variable', left);
          }
        }
      }
    }
    if (right) this.visit(right, ctx);
  }

  private readAll(n: Node): void {
    if (n.type !== 'list' && n.type !== 'tuple') return;
    const names: string[] = [];
    for (const c of n.namedChildren) {
      const v = c ? stringValue(c.text) : undefined;
      if (v !== undefined) names.push(v);
    }
    this.all = (this.all ?? []).concat(names);
  }

  private typeAliasStatement(n: Node, ctx: Ctx): void {
    // `type Name[T] = value` (3.12): the first `type` child is the left side, the second the value.
    const parts = n.namedChildren.filter((c) => c?.type === 'type');
    const left = parts[0];
    const value = parts[1];
    if (!left) return;
    const name = left.text.replace(/\[.*$/s, '');
    this.aliasFact(name, value ? oneLine(value.text) : '', n, ctx);
  }

  private aliasFact(name: string, aliasOf: string, n: Node, ctx: Ctx): void {
    const t: TypeFact = {
      name, kind: 'type_alias', fields: [], methods: [], typeParams: [], bases: [], aliasOf,
      exported: ctx.frame === undefined && ctx.cls === undefined && !name.startsWith('_'),
      line: n.startPosition.row + 1, column: n.startPosition.column + 1, endLine: n.endPosition.row + 1,
    };
    if (ctx.container) t.container = ctx.container;
    this.out.types.push(t);
    if (!ctx.frame && !ctx.cls) this.topLevel.push({ name, kind: 'type', line: t.line });
  }

  // ---- holes ----

  private raiseHole(n: Node, ctx: Ctx): void {
    const e = n.namedChild(0);
    if (!e) return;
    const callee = e.type === 'call' ? e.childForFieldName('function') : e;
    if (callee && /^(builtins\.)?NotImplemented(Error)?$/.test(callee.text)) {
      this.out.holes.push(makeHole('not_implemented', n, n.text, ctx.frame?.fn));
    }
  }
}

export const extractPython: LanguageExtractor = (root, source) => new PyExtractor(source).run(root);
