/**
 * The rule fields: for every Rule type of src/core/constraint.ts, the field that writes it (and its
 * aliases), how its value is read into the rule, and how the printer writes the rule back. Reading
 * and writing sit side by side so that the two cannot drift: print(rule) reads back as the same rule.
 */
import type { CodePattern, LanguagePattern, ParamSpec, Rule, RuleType } from '../core/index.ts';
import type { Value } from './ast.ts';
import type { Span } from './diagnostics.ts';
import {
  ASYNC_STYLES, ERROR_STYLES, FINDINGS, GRAMMAR_FORMATS, IDENTIFIER_KINDS, LANGUAGE_TABLE, NAMING_STYLES, PATTERN_MATCHES,
  PRACTICES, SHAPES, VISIBILITIES, variantOf, type PatternMatch,
} from './enums.ts';
import { bool, fromJson, list, num, obj, str, variant, type Reader } from './values.ts';

/** What reading a rule may need besides the value: JSON Schema files, relative to the .ariadne file. */
export interface RuleContext {
  reader: Reader;
  loadJson(path: string, at: Span): unknown;
}

type RuleOf<T extends RuleType> = Extract<Rule, { type: T }>;

export interface RuleCodec<T extends RuleType = RuleType> {
  type: T;
  /** The field that writes this rule in a constraint block. */
  field: string;
  aliases: readonly string[];
  /** One line for the docs and for "has no rule" messages. */
  example: string;
  read(v: Value, ctx: RuleContext): RuleOf<T> | undefined;
  write(rule: RuleOf<T>): Value;
}

const IDENT = /^[A-Za-z_$][\w$]*$/;

// ---- parameters and bindings: "name: type" strings or objects ----

const PARAM_TEXT = /^(\.\.\.)?([^\s:?]+)(\?)?(?:\s*:\s*([\s\S]*))?$/;

function readParam(v: Value, r: Reader): ParamSpec | undefined {
  if (v.kind === 'string') {
    const m = PARAM_TEXT.exec(v.value.trim());
    if (!m) {
      r.error(v.span, `a parameter is written "name: type" (or "name?: type", "...rest: type"), not ${JSON.stringify(v.value)}`);
      return undefined;
    }
    const p: ParamSpec = { name: m[2]! };
    if (m[4] !== undefined) p.type = m[4].trim();
    if (m[3]) p.optional = true;
    if (m[1]) p.variadic = true;
    return p;
  }
  const f = r.object(v, 'a parameter', { name: true, type: false, optional: false, variadic: false });
  if (!f?.ok) return undefined;
  const name = r.string(f.get('name')!, 'name');
  if (name === undefined) return undefined;
  const p: ParamSpec = { name };
  const t = f.get('type');
  const o = f.get('optional');
  const va = f.get('variadic');
  if (t) { const x = r.string(t, 'type'); if (x === undefined) return undefined; p.type = x; }
  if (o) { const x = r.bool(o, 'optional'); if (x === undefined) return undefined; p.optional = x; }
  if (va) { const x = r.bool(va, 'variadic'); if (x === undefined) return undefined; p.variadic = x; }
  return p;
}

/** Types that read back unchanged from "name: type" text. */
const plainType = (t: string | undefined): boolean => t === undefined || (t !== '' && t === t.trim() && !/[\r\n]/.test(t));

function writeParam(p: ParamSpec): Value {
  if (IDENT.test(p.name) && p.optional !== false && p.variadic !== false && plainType(p.type)) {
    return str(`${p.variadic ? '...' : ''}${p.name}${p.optional ? '?' : ''}${p.type !== undefined ? `: ${p.type}` : ''}`);
  }
  return obj([
    ['name', str(p.name)], ['type', p.type !== undefined ? str(p.type) : undefined],
    ['optional', p.optional !== undefined ? bool(p.optional) : undefined], ['variadic', p.variadic !== undefined ? bool(p.variadic) : undefined],
  ]);
}

type Binding = { name: string; type?: string };

function readBinding(v: Value, r: Reader): Binding | undefined {
  if (v.kind === 'string') {
    const i = v.value.indexOf(':');
    const name = (i < 0 ? v.value : v.value.slice(0, i)).trim();
    if (name === '') {
      r.error(v.span, 'a binding is written "name" or "name: type"');
      return undefined;
    }
    return i < 0 ? { name } : { name, type: v.value.slice(i + 1).trim() };
  }
  const f = r.object(v, 'a binding', { name: true, type: false });
  if (!f?.ok) return undefined;
  const name = r.string(f.get('name')!, 'name');
  if (name === undefined) return undefined;
  const t = f.get('type');
  if (!t) return { name };
  const type = r.string(t, 'type');
  return type === undefined ? undefined : { name, type };
}

function writeBinding(b: Binding): Value {
  if (IDENT.test(b.name) && plainType(b.type)) return str(b.type === undefined ? b.name : `${b.name}: ${b.type}`);
  return obj([['name', str(b.name)], ['type', b.type !== undefined ? str(b.type) : undefined]]);
}

// ---- security patterns ----

const PATTERN_KEYS: Record<PatternMatch, readonly string[]> = {
  call: ['callee', 'argument', 'keyword', 'unless'],
  built_string: ['text'],
  string_assignment: ['name'],
  property_assignment: ['property'],
  identifier: ['name'],
  text: ['regex', 'what'],
};
const PATTERN_REQUIRED: Record<PatternMatch, readonly string[]> = {
  call: ['callee'], built_string: ['text'], string_assignment: ['name'], property_assignment: ['property'], identifier: ['name'], text: ['regex', 'what'],
};

function readLanguagePattern(v: Value, r: Reader): LanguagePattern | undefined {
  const f = r.object(v, 'a pattern', {
    languages: true, match: true, callee: false, argument: false, keyword: false, unless: false,
    text: false, name: false, property: false, regex: false, what: false,
  });
  if (!f?.ok) return undefined;
  const languages = r.list(f.get('languages')!, 'languages', (x) => r.enumOf(x, LANGUAGE_TABLE, 'each language'));
  const match = r.enumOf(f.get('match')!, PATTERN_MATCHES, 'match');
  if (!languages || !match) return undefined;
  let ok = true;
  for (const k of ['callee', 'argument', 'keyword', 'unless', 'text', 'name', 'property', 'regex', 'what']) {
    const x = f.get(k);
    if (x && !PATTERN_KEYS[match].includes(k)) {
      r.error(x.span, `'${k}' does not apply to .${variantOf(PATTERN_MATCHES, match)} patterns (they take ${PATTERN_KEYS[match].join(', ')})`);
      ok = false;
    }
  }
  for (const k of PATTERN_REQUIRED[match]) {
    if (!f.get(k)) {
      r.error(f.span, `a .${variantOf(PATTERN_MATCHES, match)} pattern needs '${k}'`);
      ok = false;
    }
  }
  if (!ok) return undefined;
  const s = (k: string): string | undefined => r.string(f.get(k)!, k);
  let pattern: CodePattern | undefined;
  switch (match) {
    case 'call': {
      const callee = s('callee');
      if (callee === undefined) return undefined;
      const p: CodePattern = { match: 'call', callee };
      const a = f.get('argument');
      if (a) {
        const af = r.object(a, 'argument', { index: false, shape: true });
        if (!af?.ok) return undefined;
        const shape = r.enumOf(af.get('shape')!, SHAPES, 'shape');
        if (shape === undefined) return undefined;
        const iv = af.get('index');
        const index = iv ? r.int(iv, 'index') : undefined;
        if (iv && index === undefined) return undefined;
        p.argument = index === undefined ? { shape } : { index, shape };
      }
      for (const k of ['keyword', 'unless'] as const) {
        if (!f.get(k)) continue;
        const x = s(k);
        if (x === undefined) return undefined;
        p[k] = x;
      }
      pattern = p;
      break;
    }
    case 'built_string': { const text = s('text'); if (text !== undefined) pattern = { match, text }; break; }
    case 'string_assignment': { const name = s('name'); if (name !== undefined) pattern = { match, name }; break; }
    case 'property_assignment': { const property = s('property'); if (property !== undefined) pattern = { match, property }; break; }
    case 'identifier': { const name = s('name'); if (name !== undefined) pattern = { match, name }; break; }
    case 'text': {
      const regex = s('regex');
      const what = s('what');
      if (regex !== undefined && what !== undefined) pattern = { match, regex, what };
      break;
    }
  }
  return pattern ? { languages, pattern } : undefined;
}

function writeLanguagePattern(lp: LanguagePattern): Value {
  const p = lp.pattern;
  const pairs: [string, Value | undefined][] = [
    ['languages', list(lp.languages.map((l) => variant(variantOf(LANGUAGE_TABLE, l))))],
    ['match', variant(variantOf(PATTERN_MATCHES, p.match))],
  ];
  switch (p.match) {
    case 'call':
      pairs.push(['callee', str(p.callee)]);
      if (p.argument) pairs.push(['argument', obj([['index', p.argument.index !== undefined ? num(p.argument.index) : undefined], ['shape', variant(variantOf(SHAPES, p.argument.shape))]])]);
      if (p.keyword !== undefined) pairs.push(['keyword', str(p.keyword)]);
      if (p.unless !== undefined) pairs.push(['unless', str(p.unless)]);
      break;
    case 'built_string': pairs.push(['text', str(p.text)]); break;
    case 'string_assignment': pairs.push(['name', str(p.name)]); break;
    case 'property_assignment': pairs.push(['property', str(p.property)]); break;
    case 'identifier': pairs.push(['name', str(p.name)]); break;
    case 'text': pairs.push(['regex', str(p.regex)], ['what', str(p.what)]); break;
  }
  return obj(pairs);
}

// ---- helpers for the common shapes ----

/** A rule that is a list of names, or an object with that list and more keys. */
function namesOrObject(v: Value, r: Reader, what: string, listKey: string, nonEmpty: boolean, extra: Record<string, boolean>):
  { names: string[]; get(k: string): Value | undefined } | undefined {
  if (v.kind !== 'object') {
    const names = r.names(v, what, nonEmpty);
    return names ? { names, get: () => undefined } : undefined;
  }
  const f = r.object(v, what, { [listKey]: true, ...extra });
  if (!f?.ok) return undefined;
  const names = r.names(f.get(listKey)!, listKey, nonEmpty);
  return names ? { names, get: (k) => f.get(k) } : undefined;
}

/** Reads an optional enum key into `target[key]`; false when it was there but wrong. */
function optionalEnum<T extends string>(r: Reader, v: Value | undefined, read: (x: Value) => T | undefined, set: (x: T) => void): boolean {
  if (!v) return true;
  const x = read(v);
  if (x === undefined) return false;
  set(x);
  return true;
}

/** An expression: a string, or a list of them (their conjunction, joined with &&). */
function readExpression(v: Value, r: Reader, what: string): string | undefined {
  if (v.kind === 'object') {
    const f = r.object(v, what, { expression: true });
    return f?.ok ? r.string(f.get('expression')!, 'expression') : undefined;
  }
  if (v.kind === 'list' || v.kind === 'path') {
    const parts = r.names(v, what, true);
    return parts?.join(' && ');
  }
  return r.string(v, what);
}

function langStyle<T extends string>(v: Value, r: Reader, what: string, table: Parameters<typeof r.enumOf<T>>[1]):
  { style: T; language: RuleOf<'error_handling'>['language'] } | undefined {
  const f = r.object(v, what, { style: true, language: true });
  if (!f?.ok) return undefined;
  const style = r.enumOf(f.get('style')!, table, 'style');
  const language = r.enumOf(f.get('language')!, LANGUAGE_TABLE, 'language');
  return style && language ? { style, language } : undefined;
}

// ---- the codecs ----

const signature: RuleCodec<'signature'> = {
  type: 'signature', field: 'signature', aliases: [],
  example: 'signature: { name: "parse", params: ["text: string"], returns: "Ast" }',
  read(v, { reader: r }) {
    if (v.kind === 'fn') {
      if (v.name === undefined) {
        r.error(v.span, 'a signature names its function: fn parse(text: string) -> Ast');
        return undefined;
      }
      const params: ParamSpec[] = [];
      for (const text of v.params) {
        const p = readParam({ kind: 'string', value: text, triple: false, span: v.span }, r);
        if (!p) return undefined;
        params.push(p);
      }
      const rule: RuleOf<'signature'> = { type: 'signature', name: v.name, params };
      if (v.returns !== undefined) rule.returnType = v.returns;
      if (v.async) rule.async = true;
      return rule;
    }
    const f = r.object(v, 'signature', { name: true, params: false, returns: false, async: false });
    if (!f?.ok) return undefined;
    const name = r.string(f.get('name')!, 'name');
    const pv = f.get('params');
    const params = pv ? r.list(pv, 'params', (x) => readParam(x, r)) : [];
    if (name === undefined || !params) return undefined;
    const rule: RuleOf<'signature'> = { type: 'signature', name, params };
    const rv = f.get('returns');
    if (rv) { const t = r.string(rv, 'returns'); if (t === undefined) return undefined; rule.returnType = t; }
    const av = f.get('async');
    if (av) { const a = r.bool(av, 'async'); if (a === undefined) return undefined; rule.async = a; }
    return rule;
  },
  write: (x) => obj([
    ['name', str(x.name)], ['params', x.params.length ? list(x.params.map(writeParam)) : undefined],
    ['returns', x.returnType !== undefined ? str(x.returnType) : undefined], ['async', x.async !== undefined ? bool(x.async) : undefined],
  ]),
};

const naming: RuleCodec<'naming'> = {
  type: 'naming', field: 'naming', aliases: [],
  example: 'naming: { kind: .Function, style: .CamelCase, language: .TypeScript }',
  read(v, { reader: r }) {
    const f = r.object(v, 'naming', { kind: true, style: true, visibility: false, language: false });
    if (!f?.ok) return undefined;
    const identifierKind = r.enumOf(f.get('kind')!, IDENTIFIER_KINDS, 'kind');
    const style = r.enumOf(f.get('style')!, NAMING_STYLES, 'style');
    const rule = identifierKind && style ? { type: 'naming' as const, identifierKind, style } as RuleOf<'naming'> : undefined;
    const ok1 = optionalEnum(r, f.get('visibility'), (x) => r.enumOf(x, VISIBILITIES, 'visibility'), (x) => { if (rule) rule.visibility = x; });
    const ok2 = optionalEnum(r, f.get('language'), (x) => r.enumOf(x, LANGUAGE_TABLE, 'language'), (x) => { if (rule) rule.language = x; });
    return ok1 && ok2 ? rule : undefined;
  },
  write: (x) => obj([
    ['kind', variant(variantOf(IDENTIFIER_KINDS, x.identifierKind))], ['style', variant(variantOf(NAMING_STYLES, x.style))],
    ['visibility', x.visibility ? variant(variantOf(VISIBILITIES, x.visibility)) : undefined],
    ['language', x.language ? variant(variantOf(LANGUAGE_TABLE, x.language)) : undefined],
  ]),
};

const forbiddenIdentifiers: RuleCodec<'forbidden_identifiers'> = {
  type: 'forbidden_identifiers', field: 'forbidden_identifiers', aliases: [],
  example: 'forbidden_identifiers: ["any", "var"]',
  read(v, { reader: r }) {
    const x = namesOrObject(v, r, 'forbidden_identifiers', 'names', true, {});
    return x ? { type: 'forbidden_identifiers', names: x.names } : undefined;
  },
  write: (x) => list(x.names.map(str)),
};

const forbiddenCalls: RuleCodec<'forbidden_calls'> = {
  type: 'forbidden_calls', field: 'forbidden_calls', aliases: ['forbid'],
  example: 'forbidden_calls: ["eval", "exec"]',
  read(v, { reader: r }) {
    const x = namesOrObject(v, r, 'forbidden_calls', 'calls', true, { finding: false });
    if (!x) return undefined;
    const rule: RuleOf<'forbidden_calls'> = { type: 'forbidden_calls', calls: x.names };
    return optionalEnum(r, x.get('finding'), (y) => r.enumOf(y, FINDINGS, 'finding'), (y) => { rule.finding = y; }) ? rule : undefined;
  },
  write: (x) => (x.finding ? obj([['calls', list(x.calls.map(str))], ['finding', variant(variantOf(FINDINGS, x.finding))]]) : list(x.calls.map(str))),
};

const forbiddenPattern: RuleCodec<'forbidden_pattern'> = {
  type: 'forbidden_pattern', field: 'forbidden_pattern', aliases: [],
  example: 'forbidden_pattern: { finding: .Eval, patterns: [{ languages: [.Python], match: .Call, callee: "exec" }] }',
  read(v, { reader: r }) {
    const f = r.object(v, 'forbidden_pattern', { finding: true, patterns: true });
    if (!f?.ok) return undefined;
    const finding = r.enumOf(f.get('finding')!, FINDINGS, 'finding');
    const patterns = r.list(f.get('patterns')!, 'patterns', (x) => readLanguagePattern(x, r));
    if (patterns && patterns.length === 0) r.error(f.get('patterns')!.span, 'patterns is empty: give at least one');
    return finding && patterns && patterns.length > 0 ? { type: 'forbidden_pattern', finding, patterns } : undefined;
  },
  write: (x) => obj([['finding', variant(variantOf(FINDINGS, x.finding))], ['patterns', list(x.patterns.map(writeLanguagePattern))]]),
};

const allowedImports: RuleCodec<'allowed_imports'> = {
  type: 'allowed_imports', field: 'allowed_imports', aliases: [],
  example: 'allowed_imports: { modules: ["os", "json"], language: .Python }',
  read(v, { reader: r }) {
    const x = namesOrObject(v, r, 'allowed_imports', 'modules', false, { language: false });
    if (!x) return undefined;
    const rule: RuleOf<'allowed_imports'> = { type: 'allowed_imports', modules: x.names };
    return optionalEnum(r, x.get('language'), (y) => r.enumOf(y, LANGUAGE_TABLE, 'language'), (y) => { rule.language = y; }) ? rule : undefined;
  },
  write: (x) => (x.language ? obj([['modules', list(x.modules.map(str))], ['language', variant(variantOf(LANGUAGE_TABLE, x.language))]]) : list(x.modules.map(str))),
};

const forbiddenImports: RuleCodec<'forbidden_imports'> = {
  type: 'forbidden_imports', field: 'forbidden_imports', aliases: [],
  example: 'forbidden_imports: ["lodash", "moment"]',
  read(v, { reader: r }) {
    const x = namesOrObject(v, r, 'forbidden_imports', 'modules', true, {});
    return x ? { type: 'forbidden_imports', modules: x.names } : undefined;
  },
  write: (x) => list(x.modules.map(str)),
};

const moduleBoundary: RuleCodec<'module_boundary'> = {
  type: 'module_boundary', field: 'module_boundary', aliases: [],
  example: 'module_boundary: { from: "src/api", may_import: ["src/core"] }',
  read(v, { reader: r }) {
    const f = r.object(v, 'module_boundary', { from: true, may_import: true });
    if (!f?.ok) return undefined;
    const from = r.name(f.get('from')!, 'from');
    const mayImport = r.names(f.get('may_import')!, 'may_import', false);
    return from !== undefined && mayImport ? { type: 'module_boundary', from, mayImport } : undefined;
  },
  write: (x) => obj([['from', str(x.from)], ['may_import', list(x.mayImport.map(str))]]),
};

const expectedType: RuleCodec<'expected_type'> = {
  type: 'expected_type', field: 'expected_type', aliases: [],
  example: 'expected_type: { type: "Promise<User>", bindings: ["id: string"] }',
  read(v, { reader: r }) {
    if (v.kind === 'string') return { type: 'expected_type', expected: v.value, bindings: [] };
    const f = r.object(v, 'expected_type', { type: true, bindings: false });
    if (!f?.ok) return undefined;
    const expected = r.string(f.get('type')!, 'type');
    const bv = f.get('bindings');
    const bindings = bv ? r.list(bv, 'bindings', (x) => readBinding(x, r)) : [];
    return expected !== undefined && bindings ? { type: 'expected_type', expected, bindings } : undefined;
  },
  write: (x) => (x.bindings.length === 0 ? str(x.expected) : obj([['type', str(x.expected)], ['bindings', list(x.bindings.map(writeBinding))]])),
};

const typeDiscipline: RuleCodec<'type_discipline'> = {
  type: 'type_discipline', field: 'type_discipline', aliases: [],
  example: 'type_discipline: { practice: .NoAny, language: .TypeScript }',
  read(v, { reader: r }) {
    const f = r.object(v, 'type_discipline', { practice: true, language: true });
    if (!f?.ok) return undefined;
    const practice = r.enumOf(f.get('practice')!, PRACTICES, 'practice');
    const language = r.enumOf(f.get('language')!, LANGUAGE_TABLE, 'language');
    return practice && language ? { type: 'type_discipline', practice, language } : undefined;
  },
  write: (x) => obj([['practice', variant(variantOf(PRACTICES, x.practice))], ['language', variant(variantOf(LANGUAGE_TABLE, x.language))]]),
};

const jsonSchema: RuleCodec<'json_schema'> = {
  type: 'json_schema', field: 'json_schema', aliases: ['schema'],
  example: 'json_schema: "schemas/user.json"   or   json_schema: { type: "object", required: ["id"] }',
  read(v, { reader: r, loadJson }) {
    if (v.kind === 'string') {
      const text = v.value.trim();
      if (text.startsWith('{') || text.startsWith('[')) {
        try {
          return { type: 'json_schema', schema: JSON.parse(text) as unknown };
        } catch (e) {
          r.error(v.span, `json_schema: this string starts like JSON but does not parse: ${(e as Error).message}`);
          return undefined;
        }
      }
      const schema = loadJson(v.value, v.span);
      return schema === undefined ? undefined : { type: 'json_schema', schema };
    }
    if (v.kind !== 'object' && v.kind !== 'bool') {
      r.error(v.span, `json_schema must be a schema object { … }, true/false, or the path of a .json file, not ${v.kind === 'list' ? 'a list' : 'this'}`);
      return undefined;
    }
    const schema = r.json(v, 'json_schema');
    return schema === undefined ? undefined : { type: 'json_schema', schema };
  },
  // A schema that is neither an object nor a boolean is not a schema; it is written as JSON text.
  write: (x) => (typeof x.schema === 'object' && x.schema !== null && !Array.isArray(x.schema)) || typeof x.schema === 'boolean'
    ? fromJson(x.schema) : str(JSON.stringify(x.schema) ?? 'null'),
};

const regex: RuleCodec<'regex'> = {
  type: 'regex', field: 'regex', aliases: [],
  example: 'regex: """\\d{4}-\\d{2}-\\d{2}"""',
  read(v, { reader: r }) {
    if (v.kind === 'object') {
      const f = r.object(v, 'regex', { pattern: true });
      const p = f?.ok ? r.string(f.get('pattern')!, 'pattern') : undefined;
      return p === undefined ? undefined : { type: 'regex', pattern: p };
    }
    const p = r.string(v, 'regex');
    return p === undefined ? undefined : { type: 'regex', pattern: p };
  },
  write: (x) => str(x.pattern),
};

const grammar: RuleCodec<'grammar'> = {
  type: 'grammar', field: 'grammar', aliases: [],
  example: 'grammar: { text: """ start: "yes" | "no" """, format: .Lark }',
  read(v, { reader: r }) {
    if (v.kind === 'string') return { type: 'grammar', grammar: v.value, format: 'lark' };
    const f = r.object(v, 'grammar', { text: true, format: false });
    if (!f?.ok) return undefined;
    const text = r.string(f.get('text')!, 'text');
    const fv = f.get('format');
    const format = fv ? r.enumOf(fv, GRAMMAR_FORMATS, 'format') : 'lark';
    return text !== undefined && format ? { type: 'grammar', grammar: text, format } : undefined;
  },
  write: (x) => (x.format === 'lark' ? str(x.grammar) : obj([['text', str(x.grammar)], ['format', variant(variantOf(GRAMMAR_FORMATS, x.format))]])),
};

const length: RuleCodec<'length'> = {
  type: 'length', field: 'length', aliases: [],
  example: 'length: { max_lines: 40, max_chars: 2000 }',
  read(v, { reader: r }) {
    const f = r.object(v, 'length', { min_chars: false, max_chars: false, max_lines: false });
    if (!f) return undefined;
    const rule: RuleOf<'length'> = { type: 'length' };
    let ok = true;
    for (const [key, prop] of [['min_chars', 'minChars'], ['max_chars', 'maxChars'], ['max_lines', 'maxLines']] as const) {
      const x = f.get(key);
      if (!x) continue;
      const n = r.int(x, key);
      if (n === undefined) ok = false;
      else rule[prop] = n;
    }
    if (ok && rule.minChars !== undefined && rule.maxChars !== undefined && rule.minChars > rule.maxChars) {
      r.error(f.get('min_chars')!.span, `min_chars (${rule.minChars}) is more than max_chars (${rule.maxChars}): nothing can satisfy this`);
      ok = false;
    }
    return ok ? rule : undefined;
  },
  write: (x) => obj([
    ['min_chars', x.minChars !== undefined ? num(x.minChars) : undefined], ['max_chars', x.maxChars !== undefined ? num(x.maxChars) : undefined],
    ['max_lines', x.maxLines !== undefined ? num(x.maxLines) : undefined],
  ]),
};

const errorHandling: RuleCodec<'error_handling'> = {
  type: 'error_handling', field: 'error_handling', aliases: [],
  example: 'error_handling: { style: .ResultType, language: .Rust }',
  read(v, { reader: r }) {
    const x = langStyle(v, r, 'error_handling', ERROR_STYLES);
    return x ? { type: 'error_handling', style: x.style, language: x.language } : undefined;
  },
  write: (x) => obj([['style', variant(variantOf(ERROR_STYLES, x.style))], ['language', variant(variantOf(LANGUAGE_TABLE, x.language))]]),
};

const asyncStyle: RuleCodec<'async_style'> = {
  type: 'async_style', field: 'async_style', aliases: [],
  example: 'async_style: { style: .AsyncAwait, language: .TypeScript }',
  read(v, { reader: r }) {
    const x = langStyle(v, r, 'async_style', ASYNC_STYLES);
    return x ? { type: 'async_style', style: x.style, language: x.language } : undefined;
  },
  write: (x) => obj([['style', variant(variantOf(ASYNC_STYLES, x.style))], ['language', variant(variantOf(LANGUAGE_TABLE, x.language))]]),
};

const testExpectation: RuleCodec<'test_expectation'> = {
  type: 'test_expectation', field: 'test_expectation', aliases: [],
  example: 'test_expectation: { subject: "slugify", framework: "vitest", assertion: "expect(slugify(\\"A B\\")).toBe(\\"a-b\\")" }',
  read(v, { reader: r }) {
    const f = r.object(v, 'test_expectation', { subject: true, framework: true, assertion: true });
    if (!f?.ok) return undefined;
    const subject = r.name(f.get('subject')!, 'subject');
    const framework = r.name(f.get('framework')!, 'framework');
    const assertion = r.string(f.get('assertion')!, 'assertion');
    return subject !== undefined && framework !== undefined && assertion !== undefined
      ? { type: 'test_expectation', subject, framework, assertion } : undefined;
  },
  write: (x) => obj([['subject', str(x.subject)], ['framework', str(x.framework)], ['assertion', str(x.assertion)]]),
};

const precondition: RuleCodec<'precondition'> = {
  type: 'precondition', field: 'precondition', aliases: ['requires', 'require'],
  example: 'requires: "amount > 0"',
  read(v, { reader: r }) {
    const e = readExpression(v, r, 'precondition');
    return e === undefined ? undefined : { type: 'precondition', expression: e };
  },
  write: (x) => str(x.expression),
};

const postcondition: RuleCodec<'postcondition'> = {
  type: 'postcondition', field: 'postcondition', aliases: ['ensures'],
  example: 'ensures: "result.length <= items.length"',
  read(v, { reader: r }) {
    const e = readExpression(v, r, 'postcondition');
    return e === undefined ? undefined : { type: 'postcondition', expression: e };
  },
  write: (x) => str(x.expression),
};

/** Every rule codec, by rule type (the compiler checks that the table covers the union). */
export const RULE_CODECS: { readonly [T in RuleType]: RuleCodec<T> } = {
  signature, naming, forbidden_identifiers: forbiddenIdentifiers, forbidden_calls: forbiddenCalls,
  forbidden_pattern: forbiddenPattern, allowed_imports: allowedImports, forbidden_imports: forbiddenImports,
  module_boundary: moduleBoundary, expected_type: expectedType, type_discipline: typeDiscipline, json_schema: jsonSchema,
  regex, grammar, length, error_handling: errorHandling, async_style: asyncStyle, test_expectation: testExpectation,
  precondition, postcondition,
};

/** Field name (canonical or alias) → codec. */
export const RULE_FIELDS: ReadonlyMap<string, RuleCodec> = new Map(
  (Object.values(RULE_CODECS) as unknown as RuleCodec[]).flatMap((c) => [c.field, ...c.aliases].map((f) => [f, c] as const)),
);

/** Writes a rule as its field's value. */
export function writeRule(rule: Rule): { field: string; value: Value } {
  const codec = RULE_CODECS[rule.type] as unknown as RuleCodec;
  return { field: codec.field, value: codec.write(rule) };
}
