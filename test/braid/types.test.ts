/**
 * The types domain (src/braid/types/, docs/braid-types.md): for expected types over bindings,
 * functions and declared types, expressions sampled from the emitted grammar must type-check with
 * the TypeScript compiler (one in-memory program, `strict`, lib ES2022: zero diagnostics), and
 * hand-written texts are accepted or rejected as the assignability rules say. Python has no type
 * checker here: its cases are accept/reject only.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import ts from 'typescript';
import { typedExpressionGrammar, parseTsType, parsePythonType, showType, type TypedExpressionRequest, type TypedDeclaration } from '../../src/braid/types/index.ts';
import { byteTokenizer, compile, parseLark, sampleGrammarTexts } from '../../src/engine/index.ts';

// ---- the TypeScript compiler, in memory ----

const OPTIONS: ts.CompilerOptions = {
  strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext,
  lib: ['lib.es2022.d.ts'], types: [], skipLibCheck: true,
};
const libCache = new Map<string, ts.SourceFile | undefined>();

/** Diagnostics (syntactic and semantic) of each virtual file. */
function typeCheck(files: Record<string, string>): Map<string, ts.Diagnostic[]> {
  const host = ts.createCompilerHost(OPTIONS);
  const base = host.getSourceFile.bind(host);
  host.getSourceFile = (name, lv, onError) => {
    if (name in files) return ts.createSourceFile(name, files[name]!, ts.ScriptTarget.ES2022, true);
    if (!libCache.has(name)) libCache.set(name, base(name, lv, onError));
    return libCache.get(name);
  };
  host.fileExists = (name) => name in files || ts.sys.fileExists(name);
  host.readFile = (name) => files[name] ?? ts.sys.readFile(name);
  host.writeFile = () => {};
  const program = ts.createProgram(Object.keys(files), OPTIONS, host);
  const out = new Map<string, ts.Diagnostic[]>();
  for (const f of Object.keys(files)) {
    const sf = program.getSourceFile(f)!;
    out.set(f, [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]);
  }
  return out;
}

function message(d: ts.Diagnostic): string {
  return ts.flattenDiagnosticMessageText(d.messageText, '\n');
}

// ---- TypeScript declarations written from a request (so the checker sees what the grammar saw) ----

function paramsText(ps: ReadonlyArray<{ name: string; type?: string; optional?: boolean; variadic?: boolean }>): string {
  return ps.map((p) => `${p.variadic ? '...' : ''}${p.name}${p.optional && !p.variadic ? '?' : ''}: ${p.type ?? 'any'}`).join(', ');
}

function declText(t: TypedDeclaration): string {
  const tp = t.typeParams?.length ? `<${t.typeParams.join(', ')}>` : '';
  const kind = t.kind ?? 'interface';
  if (kind === 'type_alias' || kind === 'union') return `type ${t.name}${tp} = ${t.aliasOf};`;
  if (kind === 'enum') return `enum ${t.name} { ${(t.members ?? []).join(', ')} }`;
  const methods = (t.methods ?? []).map((m) => {
    if (typeof m === 'string') return `${m};`;
    if (m.name === 'constructor') return `constructor(${paramsText(m.params)});`;
    return `${m.visibility ? `${m.visibility} ` : ''}${m.static ? 'static ' : ''}${m.name}(${paramsText(m.params)}): ${m.returnType};`;
  });
  const fields = t.fields.map((f) => `${f.visibility ? `${f.visibility} ` : ''}${f.readonly ? 'readonly ' : ''}${f.name}${f.optional ? '?' : ''}: ${f.type};`);
  const ext = t.bases?.length ? ` ${kind === 'class' ? 'extends' : 'extends'} ${t.bases.join(', ')}` : '';
  if (kind === 'class') return `declare ${t.abstract ? 'abstract ' : ''}class ${t.name}${tp}${ext} { ${[...fields, ...methods].join(' ')} }`;
  return `interface ${t.name}${tp}${ext} { ${[...fields, ...methods].join(' ')} }`;
}

function prelude(req: TypedExpressionRequest): string {
  const lines: string[] = ['export {};'];
  for (const t of req.types ?? []) lines.push(declText(t));
  for (const b of req.bindings) if (b.type !== undefined && !b.name.includes('.')) lines.push(`declare const ${b.name}: ${b.type};`);
  for (const f of req.functions ?? []) {
    const tp = f.typeParams?.length ? `<${f.typeParams.join(', ')}>` : '';
    lines.push(`declare function ${f.name}${tp}(${paramsText(f.params)}): ${f.returnType ?? 'void'};`);
  }
  return lines.join('\n');
}

// ---- cases ----

const USER: TypedDeclaration = {
  name: 'User', kind: 'interface',
  fields: [{ name: 'name', type: 'string' }, { name: 'age', type: 'number' }, { name: 'nickname', type: 'string', optional: true }, { name: 'tags', type: 'string[]' }],
};
const ADDRESS: TypedDeclaration = { name: 'Address', kind: 'interface', fields: [{ name: 'city', type: 'string' }, { name: 'zip', type: 'string | null' }] };
const PERSON: TypedDeclaration = { name: 'Person', kind: 'interface', fields: [{ name: 'user', type: 'User' }, { name: 'address', type: 'Address | undefined' }] };
const ACCOUNT: TypedDeclaration = {
  name: 'Account', kind: 'class',
  fields: [{ name: 'id', type: 'string', readonly: true }, { name: 'balance', type: 'number' }, { name: 'secret', type: 'string', visibility: 'private' }],
  methods: [
    { name: 'constructor', params: [{ name: 'id', type: 'string' }, { name: 'balance', type: 'number', optional: true }] },
    { name: 'deposit', params: [{ name: 'amount', type: 'number' }], returnType: 'number' },
    { name: 'owner', params: [], returnType: 'User | undefined' },
    { name: 'open', params: [{ name: 'id', type: 'string' }], returnType: 'Account', static: true },
  ],
};
const BOX: TypedDeclaration = { name: 'Box', kind: 'interface', typeParams: ['T'], fields: [{ name: 'value', type: 'T' }, { name: 'label', type: 'string' }] };
const STATUS: TypedDeclaration = { name: 'Status', kind: 'union', aliasOf: "'active' | 'disabled' | 'pending'", fields: [] };
const COLOR: TypedDeclaration = { name: 'Color', kind: 'enum', fields: [], members: ['Red', 'Green', 'Blue'] };
const POINT: TypedDeclaration = { name: 'Point', kind: 'type_alias', aliasOf: '{ x: number; y: number; label?: string }', fields: [] };
const ADMIN: TypedDeclaration = { name: 'Admin', kind: 'interface', bases: ['User'], fields: [{ name: 'level', type: 'number' }] };

const COMMON_BINDINGS = [
  { name: 'n', type: 'number', kind: 'local' },
  { name: 's', type: 'string', kind: 'local' },
  { name: 'flag', type: 'boolean', kind: 'parameter' },
  { name: 'u', type: 'User', kind: 'parameter' },
  { name: 'maybe', type: 'string | undefined', kind: 'parameter' },
  { name: 'xs', type: 'number[]', kind: 'local' },
  { name: 'names', type: 'readonly string[]', kind: 'local' },
  { name: 'loose', kind: 'local' },
  { name: 'anything', type: 'any', kind: 'local' },
];
const COMMON_TYPES = [USER, ADDRESS, PERSON, ACCOUNT, BOX, STATUS, COLOR, POINT, ADMIN];
const COMMON_FUNCTIONS = [
  { name: 'greet', params: [{ name: 'who', type: 'string' }, { name: 'loud', type: 'boolean', optional: true }], returnType: 'string' },
  { name: 'total', params: [{ name: 'values', type: 'number[]', variadic: true }], returnType: 'number' },
  { name: 'findUser', params: [{ name: 'id', type: 'number' }], returnType: 'User | undefined' },
  { name: 'load', params: [{ name: 'key', type: 'string' }], returnType: 'Promise<number>' },
  { name: 'identity', params: [{ name: 'x', type: 'T' }], returnType: 'T', typeParams: ['T'] },
];

interface Case { name: string; req: TypedExpressionRequest; n: number }

function tsCase(name: string, expected: string, extra: Partial<TypedExpressionRequest> = {}, n = 40): Case {
  return {
    name, n,
    req: { language: 'typescript', expected, bindings: COMMON_BINDINGS, types: COMMON_TYPES, functions: COMMON_FUNCTIONS, ...extra },
  };
}

const TS_CASES: Case[] = [
  tsCase('string', 'string'),
  tsCase('number', 'number'),
  tsCase('boolean', 'boolean'),
  tsCase('string | undefined', 'string | undefined'),
  tsCase('number | null', 'number | null'),
  tsCase('number[]', 'number[]'),
  tsCase('readonly string[]', 'readonly string[]'),
  tsCase('Array<string | number>', 'Array<string | number>'),
  tsCase('User', 'User'),
  tsCase('User | undefined', 'User | undefined'),
  tsCase('Person', 'Person', {}, 30),
  tsCase('Account', 'Account'),
  tsCase('Box<number>', 'Box<number>'),
  tsCase('Status', 'Status'),
  tsCase('Color', 'Color'),
  tsCase('Point', 'Point'),
  tsCase('object literal type', '{ title: string; count?: number }'),
  tsCase('Record<string, number>', 'Record<string, number>'),
  tsCase('tuple', '[string, number]'),
  tsCase('literal union', "'a' | 'b' | 1"),
  tsCase('Promise<number>', 'Promise<number>'),
  tsCase('number in async', 'number', { async: true }),
  tsCase('User[]', 'User[]', {}, 30),
  tsCase('boolean, shallow', 'boolean', { limits: { maxDepth: 1 } }),
  tsCase('string, deep', 'string', { limits: { maxDepth: 4 } }, 30),
];

test('TypeScript: every sampled expression type-checks (tsc --strict, one program)', () => {
  const files: Record<string, string> = {};
  const samples = new Map<string, { c: Case; texts: string[] }>();
  let total = 0;
  TS_CASES.forEach((c, i) => {
    const r = typedExpressionGrammar(c.req);
    assert.ok(r.supported, `${c.name}: ${r.supported ? '' : r.reason}`);
    const g = parseLark(r.lark);
    const texts = [...sampleGrammarTexts(g, { seed: 1000 * i + 1, n: c.n, ignoreRate: 0.2, maxDepth: 18, maxBytes: 300 })];
    const file = `case${i}.ts`;
    const head = prelude(c.req);
    const body = texts.map((t, k) => `const __v${k}: ${c.req.expected} = ${t};`).join('\n');
    files[file] = c.req.async ? `${head}\nasync function __case() {\n${body}\n}\n` : `${head}\n${body}\n`;
    samples.set(file, { c, texts });
    total += texts.length;
  });
  const diags = typeCheck(files);
  const failures: string[] = [];
  for (const [file, ds] of diags) {
    const { c } = samples.get(file)!;
    for (const d of ds) {
      const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line : -1;
      failures.push(`${c.name}: ${message(d)}\n    ${files[file]!.split('\n')[line] ?? ''}`);
    }
  }
  assert.deepEqual(failures.slice(0, 20), [], `${failures.length} diagnostics over ${total} samples`);
  assert.ok(total >= 700, `${total} samples`);
});

// ---- hand-written accept / reject ----

function checker(req: TypedExpressionRequest): (text: string) => boolean {
  const r = typedExpressionGrammar(req);
  assert.ok(r.supported, r.supported ? '' : r.reason);
  const c = compile(parseLark(r.lark), byteTokenizer());
  return (text) => c.check(text).accepted;
}

function expectTexts(req: TypedExpressionRequest, accept: string[], reject: string[]): void {
  const ok = checker(req);
  const wrong = [...accept.filter((t) => !ok(t)).map((t) => `rejected: ${t}`), ...reject.filter((t) => ok(t)).map((t) => `accepted: ${t}`)];
  assert.deepEqual(wrong, [], `${req.language} ${req.expected}`);
}

const tsReq = (expected: string, extra: Partial<TypedExpressionRequest> = {}): TypedExpressionRequest =>
  ({ language: 'typescript', expected, bindings: COMMON_BINDINGS, types: COMMON_TYPES, functions: COMMON_FUNCTIONS, ...extra });

test('TypeScript: string', () => {
  expectTexts(tsReq('string'),
    ['s', 's + n', 'n + s', 'n - 1 + s', '`${n} and ${s}`', '`plain`', 'n.toFixed(2)', 'String(n)', 's.trim().toUpperCase()', 'u.name', 'greet(s)', 'greet(s, true)',
      'names.join(", ")', "maybe ?? 'none'", 'maybe ?? s', 'flag ? s : "x"', 'u.nickname ?? u.name', 'Account.open(s).id', 'new Account(s).id', '"a".repeat(3)', '(s + n).trim()'],
    [
      'n', // a number is not a string
      's + n - 1', // (s + n) - 1 is string - number
      'loose', 'anything', // untyped and `any` bindings are never used
      'maybe', 'u.nickname', // string | undefined
      'maybe ?? maybe?.trim()', // after `??`, TypeScript narrows `maybe` to undefined
      'identity(s)', // generic functions are not called
      'greet()', 'greet(n)', // arguments are typed
      's === "a" ? s : "b"', // a narrowing comparison in a condition (see logic() in inhabit.ts)
      'a - -b', 'xs[0]', // not modelled
    ]);
});

test('TypeScript: number, boolean, unions, literals', () => {
  expectTexts(tsReq('number'),
    ['n', 'xs.length', 'n * 2 + 1', '-n', '-n * 2', 'Math.max(n, 1)', 'total()', 'total(1, 2, n)', 'findUser(1)?.age ?? 0', 'u.tags.length', '(n + 1) * 2', 'n % 3', '1e3', '0.5'],
    ['s', 'n - -1', '"1"', 'findUser(1)?.age', '01', 'n +', 'Math.max']);
  expectTexts(tsReq('boolean'),
    ['flag', '!flag', '!!s', '!maybe', 'flag && n > 0', 'n > 0 && flag', 'n >= 1', 'n > 1 || flag', 's.startsWith("a")', 'xs.includes(n)',
      'maybe === undefined', 'flag || maybe === undefined', 'u.nickname !== undefined', 's === "a"', 'flag && s === "a"', 'maybe?.length === 3', 's.trim() === "" && flag', 'flag ? n > 1 : s.length > 0'],
    [
      'n', // not a boolean
      '!""', '!0.5', // literals under `!`: "always truthy/falsy" in TypeScript 5.6
      'flag === true', // booleans are not compared (their narrowing could make it an error)
      's === "a" && flag', 'maybe === undefined || flag', // narrowing comparisons only last in a chain
      '!u', // an object is never falsy: `!u` would narrow `u` to never
      'n > (1)', // `a < b, c > (d)` reads as type arguments
    ]);
  expectTexts(tsReq('string | undefined'), ['maybe', 's', 'undefined', 'u.nickname', 'findUser(n)?.name'], ['null', 'n']);
  expectTexts(tsReq('number | null'), ['n', 'null'], ['undefined', 'findUser(1)?.age']);
  expectTexts(tsReq('Status'), ["'active'", '"pending"', "flag ? 'active' : 'disabled'"], ["'other'", 's', 'maybe']);
  expectTexts(tsReq("'a' | 'b' | 1"), ['"a"', "'b'", '1'], ['2', '"c"', 's']);
  expectTexts(tsReq('Color'), ['Color.Red', 'flag ? Color.Red : Color.Blue'], ['0', 'Color.Purple', 'Color']);
});

test('TypeScript: arrays, objects, classes, generics, records, tuples, promises', () => {
  expectTexts(tsReq('number[]'), ['xs', '[]', '[1, n]', '[n, xs.length,]', 'xs.slice(1)'], ['names', '[s]', 'u.tags']);
  expectTexts(tsReq('readonly string[]'), ['names', 'u.tags', '["a", s]', '[]'], ['xs']);
  expectTexts(tsReq('User'),
    ['u', '{ name: s, age: n, tags: [] }', '{ name: s, age: n, nickname: s, tags: [s] }', '{ "name": s, age: 1, tags: u.tags, }', 'flag ? u : u'],
    [
      '{ name: s }', // required fields missing
      '{ name: s, age: n, tags: [], extra: 1 }', // excess property
      '{ name: s, age: n, tags: names }', // readonly string[] is not string[]
      'findUser(1)', // User | undefined
      '{ age: n, name: s, tags: [] }', // fields are written in declared order
    ]);
  expectTexts(tsReq('User | undefined'), ['findUser(n)', 'u', 'undefined'], ['null']);
  expectTexts(tsReq('Person'), ['{ user: u, address: undefined }', '{ user: u, address: { city: s, zip: null } }'], ['{ user: u }']);
  expectTexts(tsReq('Account'), ['new Account(s)', 'new Account(s, n)', 'Account.open(s)', 'Account.open(s)'], ['new Account()', '{ id: s, balance: n }', 'new Account(n)']);
  expectTexts(tsReq('Box<number>'), ['{ value: n, label: s }'], ['{ value: s, label: s }']);
  expectTexts(tsReq('Point'), ['{ x: n, y: 1 }', '{ x: n, y: n, label: s }'], ['{ x: n }']);
  expectTexts(tsReq('Admin'), ['{ name: s, age: n, tags: [], level: 1 }'], ['{ level: 1 }', 'u']);
  expectTexts(tsReq('Record<string, number>'), ['{}', '{ a: 1 }', '{ "b c": n }'], ['{ a: s }', '{ a: 1, b: 2 }']);
  expectTexts(tsReq('[string, number]'), ['[s, n]', '["a", 1,]'], ['[n, s]', '[s]', '[s, n, n]']);
  expectTexts(tsReq('Promise<number>'), ['load(s)'], ['await load(s)', 'n']);
  expectTexts(tsReq('number', { async: true }), ['await load(s)', 'await load(s) + 1'], ['load(s)']);
  expectTexts(tsReq('number'), ['n'], ['await load(s)']);
});

test('TypeScript: parameters of functions from a request; this-paths; shadowing', () => {
  const req: TypedExpressionRequest = {
    language: 'typescript', expected: 'string',
    bindings: [{ name: 'this', type: 'Account', kind: 'parameter' }, { name: 'greet', type: 'number', kind: 'local' }],
    types: [ACCOUNT, USER],
    functions: COMMON_FUNCTIONS,
  };
  expectTexts(req, ['this.id', 'this.owner()?.name ?? this.id', 'String(greet)'], ['greet(this.id)', 'this.secret']);
});

// ---- parsers ----

test('type annotations parse into the domain, opaque where not modelled', () => {
  const ts1 = (t: string): string => showType(parseTsType(t), 'typescript');
  assert.equal(ts1('string'), 'string');
  assert.equal(ts1('Array<number | string>'), '(number | string)[]');
  assert.equal(ts1('readonly User[]'), 'readonly User[]');
  assert.equal(ts1('{ a: string; b?: number, readonly c: boolean }'), '{ a: string; b?: number; readonly c: boolean }');
  assert.equal(ts1('Record<string, User>'), 'Record<string, User>');
  assert.equal(ts1("Record<'x' | 'y', number>"), '{ x: number; y: number }');
  assert.equal(ts1('{ [k: string]: number }'), 'Record<string, number>');
  assert.equal(ts1('"a" | \'b\' | -1 | true'), '"a" | "b" | -1 | true');
  assert.equal(ts1('true | false'), 'boolean');
  assert.equal(ts1('string | "a"'), 'string');
  assert.equal(ts1('Promise<Map<string, number[]>>'), 'Promise<Map<string, number[]>>');
  assert.equal(ts1('[string, number]'), '[string, number]');
  assert.equal(ts1('x is string'), 'boolean');
  assert.equal(parseTsType('(a: number) => string').kind, 'opaque');
  assert.equal(parseTsType('A & B').kind, 'opaque');
  assert.equal(parseTsType('keyof T').kind, 'opaque');
  assert.equal(parseTsType('T extends U ? X : Y').kind, 'opaque');
  assert.equal(parseTsType('Partial<User>').kind, 'opaque');
  assert.equal(parseTsType('{ a: string; (x: number): void }').kind, 'opaque');
  assert.equal(parseTsType('string[').kind, 'opaque');
  const py = (t: string): string => showType(parsePythonType(t), 'python');
  assert.equal(py('int'), 'int');
  assert.equal(py('Optional[str]'), 'str | None');
  assert.equal(py('typing.List[int]'), 'list[int]');
  assert.equal(py('dict[str, list[int]]'), 'dict[str, list[int]]');
  assert.equal(py('Union[int, str, None]'), 'int | str | None');
  assert.equal(py('X | None'), 'X | None');
  assert.equal(py('"User"'), 'User');
  assert.equal(py('Sequence[str]'), 'Sequence[str]');
  assert.equal(py('Literal["a", 1, True]'), 'Literal["a"] | Literal[1] | Literal[True]');
  assert.equal(py('tuple[int, str]'), 'tuple[int, str]');
  assert.equal(py('Final[int]'), 'int');
  assert.equal(parsePythonType('Callable[[int], str]').kind, 'opaque');
  assert.equal(parsePythonType('tuple[int, ...]').kind, 'opaque');
  assert.equal(parsePythonType('list[').kind, 'opaque');
});

// ---- what is refused, and limits ----

test('refusals: any/unknown/void, unmodelled types without bindings; opaque types match exactly', () => {
  for (const [language, expected] of [['typescript', 'any'], ['typescript', 'unknown'], ['typescript', 'void'], ['python', 'Any'], ['python', 'object']] as const) {
    const r = typedExpressionGrammar({ language, expected, bindings: [] });
    assert.equal(r.supported, false, `${language} ${expected}`);
  }
  const none = typedExpressionGrammar({ language: 'typescript', expected: '(x: number) => string', bindings: [{ name: 's', type: 'string' }] });
  assert.ok(!none.supported && /not modelled/.test(none.reason), none.supported ? '' : none.reason);
  expectTexts({ language: 'typescript', expected: '(x: number) => string', bindings: [{ name: 'fmt', type: '(x: number)  =>  string' }, { name: 'g', type: '(x: string) => string' }] }, ['fmt', '(fmt)'], ['g']);
  const empty = typedExpressionGrammar({ language: 'typescript', expected: 'Widget', bindings: [{ name: 's', type: 'string' }] });
  assert.equal(empty.supported, false, 'a named type with nothing of that type in scope');
  const unknownLang = typedExpressionGrammar({ language: 'go' as 'python', expected: 'int', bindings: [] });
  assert.equal(unknownLang.supported, false);
});

test('limits: the depth bounds nesting; a small rule budget lowers the depth; large scopes stay bounded', () => {
  const shallow = checker(tsReq('number', { limits: { maxDepth: 0 } }));
  assert.ok(shallow('n') && shallow('n + 1') && shallow('xs.length'));
  assert.ok(!shallow('(n)') && !shallow('Math.max(n, 1)'), 'depth 0: no sub-expression');
  const deep = checker(tsReq('number', { limits: { maxDepth: 2 } }));
  assert.ok(deep('Math.max(Math.abs(n), 1)'));
  assert.ok(!deep('Math.max(Math.abs(Math.abs(n)), 1)'), 'three levels of arguments at depth 2');

  const small = typedExpressionGrammar(tsReq('string', { limits: { maxRules: 120 } }));
  assert.ok(small.supported && small.notes.some((x) => /depth lowered/.test(x)), JSON.stringify(small.supported ? small.notes : small.reason));
  const tiny = typedExpressionGrammar(tsReq('string', { limits: { maxRules: 16 } }));
  assert.ok(!tiny.supported && /rules/.test(tiny.reason));

  // 400 bindings of 400 distinct interfaces, each with fields of the next: the universe is capped.
  const types: TypedDeclaration[] = [];
  const bindings = [];
  for (let i = 0; i < 400; i++) {
    types.push({ name: `T${i}`, kind: 'interface', fields: [{ name: 'next', type: `T${(i + 1) % 400}` }, { name: 'label', type: 'string' }, { name: 'items', type: `T${i}[]` }] });
    bindings.push({ name: `v${i}`, type: `T${i}` });
  }
  const big = typedExpressionGrammar({ language: 'typescript', expected: 'string', bindings, types, limits: { maxDepth: 2 } });
  assert.ok(big.supported && big.notes.some((x) => /not followed/.test(x)), 'the universe is capped, and says so');
  assert.ok(checker({ language: 'typescript', expected: 'string', bindings, types, limits: { maxDepth: 1 } })('v0.next.label'));
});

// ---- Python ----

const PY_PRELUDE = `
import asyncio
from dataclasses import dataclass
from typing import Optional, Literal

@dataclass
class User:
    name: str
    age: int
    email: Optional[str] = None

class Service:
    def __init__(self, name: str) -> None:
        self.name = name
        self.users: list[User] = [User("a", 1), User("b", 2, "b@x")]
    def find(self, uid: int) -> Optional[User]:
        return self.users[0] if uid == 0 else None
    def count(self) -> int:
        return len(self.users)
    async def fetch(self, uid: int) -> User:
        return self.users[0]
    @staticmethod
    def make(name: str) -> "Service":
        return Service(name)

def greet(who: str, loud: bool = False, *, sep: str = " ") -> str:
    return who + sep

async def load() -> int:
    return 1

n = 3
s = "ab"
x = 1.5
flag = True
u = User("c", 3, None)
maybe = None
names = ["p", "q"]
ages = {"p": 1}
svc = Service("s")
pair = ("k", 2)
`;

const PY_REQ = (expected: string, extra: Partial<TypedExpressionRequest> = {}): TypedExpressionRequest => ({
  language: 'python', expected, async: true,
  bindings: [
    { name: 'n', type: 'int' }, { name: 's', type: 'str' }, { name: 'x', type: 'float' }, { name: 'flag', type: 'bool' },
    { name: 'u', type: 'User' }, { name: 'maybe', type: 'Optional[str]' }, { name: 'names', type: 'list[str]' },
    { name: 'ages', type: 'dict[str, int]' }, { name: 'svc', type: 'Service' }, { name: 'pair', type: 'tuple[str, int]' }, { name: 'loose' },
  ],
  types: [
    { name: 'User', kind: 'record', fields: [{ name: 'name', type: 'str' }, { name: 'age', type: 'int' }, { name: 'email', type: 'Optional[str]' }] },
    {
      name: 'Service', kind: 'class', fields: [{ name: 'name', type: 'str' }, { name: 'users', type: 'list[User]' }],
      methods: ['__init__(self, name: str) -> None', 'find(self, uid: int) -> Optional[User]', 'count(self) -> int', 'async fetch(self, uid: int) -> User', { name: 'make', params: [{ name: 'name', type: 'str' }], returnType: '"Service"', static: true }],
    },
  ],
  functions: [
    { name: 'greet', params: [{ name: 'who', type: 'str' }, { name: 'loud', type: 'bool', optional: true }, { name: '*' }, { name: 'sep', type: 'str', optional: true }], returnType: 'str' },
    { name: 'load', params: [], returnType: 'int', async: true },
  ],
  ...extra,
});

test('Python: accept / reject (no type checker is available here: the rules are mypy\'s defaults)', () => {
  expectTexts(PY_REQ('str'),
    ['s', 's + "x"', 'str(n)', 'f"{n} {u.name}"', "f'{s}'", 'greet(s)', 'greet(s, True, sep="-")', 'greet(s, sep="-")', 's.upper()', '", ".join(names)', 'u.name', 's if flag else "x"', 'names[0]', 'pair[0]', 'Service.make(s).name'],
    ['s + n', 'n', 'greet(sep="-")', 'maybe', 'u.email', 'f"{greet(s)}"', 'loose', 'nots', 'greet(s, sep=1)']);
  expectTexts(PY_REQ('int'),
    ['n', 'len(names)', 'n // 2', 'ages["p"]', 'svc.count()', 'await load()', 'True', '-n', 'pair[1]', '1_000', 'len(svc.users)'],
    ['n / 2', 'x', 'load()', 's', 'pair[2]', '01']);
  expectTexts(PY_REQ('float'), ['x', 'n', 'n / 2', 'x * n', '1.5', '2'], ['s']);
  expectTexts(PY_REQ('Optional[str]'), ['None', 'maybe', 'u.email', 's'], ['n']);
  expectTexts(PY_REQ('bool'), ['flag', 'n > 0 and flag', 'not maybe', 'maybe is None', 'maybe is not None', 's in names', '"a" in s', 'not flag or n == 1'], ['n', 'flag == 1 == 1', 'notflag']);
  expectTexts(PY_REQ('list[int]'), ['[n, 1]', '[]', '[len(s)]'], ['names', '[s]']);
  expectTexts(PY_REQ('Sequence[str]'), ['names', '["a"]'], ['[n]']);
  expectTexts(PY_REQ('dict[str, int]'), ['ages', '{}', '{"a": 1, s: n}'], ['{"a": s}']);
  expectTexts(PY_REQ('User'), ['u', 'User(s, n, None)', 'User(s, n, s)', 'svc.users[0]', 'await svc.fetch(n)'], ['User(s)', 'svc.find(n)', 'svc.fetch(n)']);
  expectTexts(PY_REQ('tuple[str, int]'), ['pair', '(s, n)', '(s, n,)'], ['(n, s)', '[s, n]']);
  expectTexts(PY_REQ('Literal["a", "b"]'), ['"a"', "'b'"], ['"c"', 's']);
});

const PYTHON = (() => {
  try { execFileSync('python3', ['-c', 'pass'], { stdio: 'ignore' }); return true; } catch { return false; }
})();

/**
 * Python has no type checker here, so samples are run instead: with values of the declared types
 * bound, an expression that raises TypeError/AttributeError/NameError, or whose value is not of
 * the expected type, is unsound. (Other exceptions, such as ZeroDivisionError or IndexError, say
 * nothing about types and are ignored.)
 */
test('Python: sampled expressions compile and, run with values of the declared types, give values of the expected type', (t) => {
  const cases: Array<{ expected: string; check: string }> = [
    { expected: 'str', check: 'isinstance(v, str)' },
    { expected: 'int', check: 'isinstance(v, int)' },
    { expected: 'float', check: 'isinstance(v, (int, float))' },
    { expected: 'bool', check: 'isinstance(v, bool)' },
    { expected: 'Optional[str]', check: 'v is None or isinstance(v, str)' },
    { expected: 'list[int]', check: 'isinstance(v, list) and all(isinstance(e, int) for e in v)' },
    { expected: 'dict[str, int]', check: 'isinstance(v, dict) and all(isinstance(k, str) and isinstance(w, int) for k, w in v.items())' },
    { expected: 'User', check: 'isinstance(v, User)' },
    { expected: 'tuple[str, int]', check: 'isinstance(v, tuple) and len(v) == 2 and isinstance(v[0], str) and isinstance(v[1], int)' },
  ];
  const jobs: Array<{ expected: string; check: string; text: string }> = [];
  cases.forEach((c, i) => {
    const r = typedExpressionGrammar(PY_REQ(c.expected, { limits: { maxDepth: 2 } }));
    assert.ok(r.supported);
    for (const text of sampleGrammarTexts(parseLark(r.lark), { seed: 500 + 97 * i, n: 30, ignoreRate: 0.2, maxDepth: 14, maxBytes: 160 })) jobs.push({ ...c, text });
  });
  if (!PYTHON) { t.diagnostic('python3 not found: the run check is skipped'); return; }
  const script = `${PY_PRELUDE}
import json, sys
bad = []
ran = 0
for job in json.load(sys.stdin):
    src = "async def __f():\\n    return (" + job["text"] + ")\\n"
    try:
        code = compile(src, "sample", "exec")
    except SyntaxError as e:
        bad.append(["syntax", job["text"], str(e)]); continue
    ns = dict(globals())
    exec(code, ns)
    try:
        v = asyncio.run(ns["__f"]())
    except (TypeError, AttributeError, NameError) as e:
        bad.append(["raised", job["text"], repr(e)]); continue
    except Exception:
        continue
    ran += 1
    if not eval(job["check"], {**ns, "v": v}):
        bad.append(["type", job["expected"], job["text"], repr(v)])
print(json.dumps({"bad": bad, "ran": ran}))
`;
  const out = JSON.parse(execFileSync('python3', ['-c', script], { input: JSON.stringify(jobs), encoding: 'utf8' })) as { bad: unknown[]; ran: number };
  assert.deepEqual(out.bad.slice(0, 10), [], `${out.bad.length} of ${jobs.length}`);
  assert.ok(out.ran >= jobs.length * 0.6, `${out.ran} of ${jobs.length} ran to a value`);
});
