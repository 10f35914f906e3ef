/**
 * Typed expression positions (src/clew/typed-position.ts) found in real files, end to end with the
 * types domain (src/braid/types/): each marked range `@@…@@` of a file that type-checks is an
 * initializer, an argument or a returned expression; its expected type and the bindings visible
 * there are read from the file; the original text is accepted by the emitted grammar; and every
 * expression sampled from that grammar, put back into the file, leaves it without a diagnostic
 * from the TypeScript compiler (strict). Python has no type checker here: the Python file with
 * each sample put back must still compile (Python's own parser, when python3 is installed), and
 * the original texts must be accepted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import ts from 'typescript';
import { typedPositionAt, type TypedPosition } from '../../src/clew/index.ts';
import { typedExpressionGrammar } from '../../src/braid/types/index.ts';
import { byteTokenizer, compile, parseLark, sampleGrammarTexts } from '../../src/engine/index.ts';

const OPTIONS: ts.CompilerOptions = {
  strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext,
  lib: ['lib.es2022.d.ts'], types: [], skipLibCheck: true,
};

function typeCheck(files: Record<string, string>): Map<string, string[]> {
  const host = ts.createCompilerHost(OPTIONS);
  const base = host.getSourceFile.bind(host);
  host.getSourceFile = (name, lv, onError) => (name in files ? ts.createSourceFile(name, files[name]!, ts.ScriptTarget.ES2022, true) : base(name, lv, onError));
  host.fileExists = (name) => name in files || ts.sys.fileExists(name);
  host.readFile = (name) => files[name] ?? ts.sys.readFile(name);
  host.writeFile = () => {};
  const program = ts.createProgram(Object.keys(files), OPTIONS, host);
  const out = new Map<string, string[]>();
  for (const f of Object.keys(files)) {
    const sf = program.getSourceFile(f)!;
    out.set(f, [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)].map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' ')));
  }
  return out;
}

interface Hole { start: number; end: number; original: string }

/** The file without its `@@` marks, and the marked ranges. */
function holes(marked: string): { source: string; holes: Hole[] } {
  const parts = marked.split('@@');
  assert.equal(parts.length % 2, 1, 'unbalanced @@ marks');
  let source = '';
  const out: Hole[] = [];
  parts.forEach((p, i) => {
    if (i % 2 === 1) out.push({ start: source.length, end: source.length + p.length, original: p });
    source += p;
  });
  return { source, holes: out };
}

const TS_FILE = `
export interface User { name: string; age: number; nickname?: string; readonly tags: string[] }
export type Role = 'admin' | 'member';
export enum Level { Low, High }
interface Page<T> { items: T[]; total: number }
export class Account {
  private secret = 'x';
  static count = 0;
  constructor(readonly id: string, public balance: number, private owner?: User) {}
  deposit(amount: number): number { this.balance += amount; return this.balance; }
  label(prefix: string): string {
    const sep = ':';
    return @@prefix + sep + this.id@@;
  }
  static open(id: string): Account { return new Account(id, 0); }
}
const LIMIT = 10;
let counter = 0;
function greet(who: string, loud?: boolean): string { return loud ? who.toUpperCase() : who; }
function sum(...xs: number[]): number { return xs.reduce((a, b) => a + b, 0); }
function page(users: User[]): Page<User> { return { items: users, total: users.length }; }
async function fetchUser(id: number): Promise<User | undefined> { return id > 0 ? undefined : undefined; }
export async function describe(user: User, role: Role, extra: number | undefined, level: Level): Promise<string> {
  const base: number = @@user.age + LIMIT@@;
  let pending: string | undefined = undefined;
  const found = await fetchUser(base);
  const title: string = @@greet(user.name, true)@@;
  const ok: boolean = @@base > 3 && role === 'admin'@@;
  const p: Page<User> = @@page([user])@@;
  const tags: readonly string[] = @@user.tags@@;
  const account: Account = @@Account.open(title)@@;
  const later = 1;
  void [found, pending, ok, p, tags, account, later, extra, level];
  return @@\`\${title} (\${base})\`@@;
}
greet(@@'x'@@);
sum(1, 2, @@counter@@);
export const arrow = (n: number): string => @@n.toFixed(2)@@;
const lvl: Level = @@Level.High@@;
export const exported = [lvl, arrow];
`;

const PY_FILE = `
from dataclasses import dataclass
from typing import Optional


@dataclass
class User:
    name: str
    age: int
    email: Optional[str] = None


class Repo:
    def __init__(self, root: str) -> None:
        self.root = root
        self.users: list[User] = []

    def find(self, uid: int, *, strict: bool = False) -> Optional[User]:
        return None

    def count(self) -> int:
        return @@len(self.users)@@


LIMIT = 3


def greet(who: str, times: int = 1, *, sep: str = " ") -> str:
    return sep.join([who] * times)


async def load(repo: Repo, uid: int) -> str:
    base: int = @@uid + LIMIT@@
    user = User("a", 1)
    label: str = @@greet(user.name, sep="-")@@
    flag: bool = @@base > 2 and repo.root != ""@@
    assert flag
    return @@f"{label}:{base}"@@


greet(@@"x"@@)
`;

const SAMPLES_PER_HOLE = 14;

async function positions(lang: 'typescript' | 'python', marked: string): Promise<Array<{ hole: Hole; pos: TypedPosition; source: string }>> {
  const { source, holes: hs } = holes(marked);
  const out = [];
  for (const hole of hs) {
    const pos = await typedPositionAt(lang, source, hole.start, hole.end);
    assert.ok(pos, `no typed position at ${JSON.stringify(hole.original)}`);
    out.push({ hole, pos, source });
  }
  return out;
}

function grammarFor(pos: TypedPosition): { lark: string } {
  const r = typedExpressionGrammar({ language: pos.language, expected: pos.expected, bindings: pos.bindings, functions: pos.functions, types: pos.types, async: pos.async });
  assert.ok(r.supported, r.supported ? '' : r.reason);
  return r;
}

test('TypeScript: expected types, where, and the bindings visible at each position', async () => {
  const ps = await positions('typescript', TS_FILE);
  const at = (text: string): TypedPosition => ps.find((p) => p.hole.original === text)!.pos;
  const names = (p: TypedPosition): string[] => p.bindings.map((b) => b.name);
  const typeOf = (p: TypedPosition, n: string): string | undefined => p.bindings.find((b) => b.name === n)?.type;

  const label = at('prefix + sep + this.id');
  assert.deepEqual([label.expected, label.where, label.async], ['string', 'return', false]);
  assert.equal(typeOf(label, 'this'), 'Account');
  assert.equal(typeOf(label, 'sep'), "':'", 'a const initialized with a literal has the literal type');
  assert.equal(typeOf(label, 'prefix'), 'string');

  const base = at('user.age + LIMIT');
  assert.deepEqual([base.expected, base.where, base.async], ['number', 'initializer', true]);
  assert.ok(!names(base).includes('title') && !names(base).includes('later'), 'locals declared after the position are not visible');
  assert.ok(!names(base).includes('this'), 'no this in a plain function');
  assert.equal(typeOf(base, 'LIMIT'), '10');
  assert.equal(typeOf(base, 'counter'), 'number', 'let widens');
  assert.equal(typeOf(base, 'extra'), 'number | undefined');

  const ret = at('`${title} (${base})`');
  assert.deepEqual([ret.expected, ret.where], ['string', 'return'], 'async: the type inside Promise<…>');
  assert.ok(names(ret).includes('later') && names(ret).includes('title'));
  assert.ok(!names(ret).includes('pending'), 'a variable initialized to undefined is narrowed: left out');
  assert.equal(typeOf(ret, 'found'), 'User | undefined', 'awaited call of a function of the file: its declared return type');
  assert.equal(typeOf(ret, 'p'), 'Page<User>');

  const arg = at("'x'");
  assert.deepEqual([arg.expected, arg.where], ['string', 'argument']);
  assert.deepEqual([at('counter').expected, at('counter').where], ['number', 'argument'], 'a rest parameter: its element type');
  assert.deepEqual([at('n.toFixed(2)').expected, at('n.toFixed(2)').where], ['string', 'return'], 'an arrow function with an expression body');
  assert.ok(!names(at('Level.High')).includes('exported'), 'module level: only what is declared before');

  const account = label.types.find((t) => t.name === 'Account')!;
  assert.deepEqual(account.fields.map((f) => `${f.name}${f.optional ? '?' : ''}:${f.visibility ?? ''}`), ['secret:private', 'count:', 'id:', 'balance:public', 'owner?:private']);
  const user = label.types.find((t) => t.name === 'User')!;
  assert.deepEqual(user.fields.map((f) => `${f.readonly ? 'readonly ' : ''}${f.name}${f.optional ? '?' : ''}: ${f.type}`), ['name: string', 'age: number', 'nickname?: string', 'readonly tags: string[]']);
  assert.deepEqual(label.functions.map((f) => f.name).sort(), ['arrow', 'describe', 'fetchUser', 'greet', 'page', 'sum']);

  // Not typed positions: an unannotated initializer, a statement, a call of an unknown function.
  const { source } = holes(TS_FILE);
  const found = source.indexOf('await fetchUser(base)');
  assert.equal(await typedPositionAt('typescript', source, found, found + 'await fetchUser(base)'.length), undefined);
  const stmt = source.indexOf('this.balance += amount');
  assert.equal(await typedPositionAt('typescript', source, stmt, stmt + 'this.balance'.length), undefined);
  assert.equal(await typedPositionAt('go', 'package main', 0, 0), undefined);
});

test('TypeScript: original texts accepted; every sample put back into the file type-checks', async () => {
  const ps = await positions('typescript', TS_FILE);
  const files: Record<string, string> = { 'base.ts': ps[0]!.source };
  const where = new Map<string, string>();
  let n = 0;
  for (const [i, { hole, pos, source }] of ps.entries()) {
    const r = grammarFor(pos);
    const g = parseLark(r.lark);
    assert.ok(compile(g, byteTokenizer()).check(hole.original).accepted, `original ${JSON.stringify(hole.original)} rejected`);
    for (const [k, text] of [...sampleGrammarTexts(g, { seed: 31 * i + 7, n: SAMPLES_PER_HOLE, ignoreRate: 0.2, maxDepth: 16, maxBytes: 240 })].entries()) {
      const name = `h${i}_${k}.ts`;
      files[name] = source.slice(0, hole.start) + text + source.slice(hole.end);
      where.set(name, text);
      n++;
    }
  }
  const diags = typeCheck(files);
  assert.deepEqual(diags.get('base.ts'), [], 'the file itself type-checks');
  const bad = [...diags].filter(([, ds]) => ds.length > 0).map(([f, ds]) => `${where.get(f)} → ${ds.join('; ')}`);
  assert.deepEqual(bad.slice(0, 10), [], `${bad.length} of ${n} samples`);
  assert.ok(n >= 120, `${n} samples`);
});

const PYTHON = (() => {
  try { execFileSync('python3', ['-c', 'pass'], { stdio: 'ignore' }); return true; } catch { return false; }
})();

test('Python: positions, bindings (self typed by Clew), original texts accepted, samples compile', async (t) => {
  const ps = await positions('python', PY_FILE);
  const at = (text: string): TypedPosition => ps.find((p) => p.hole.original === text)!.pos;
  const count = at('len(self.users)');
  assert.deepEqual([count.expected, count.where], ['int', 'return']);
  assert.equal(count.bindings.find((b) => b.name === 'self')?.type, 'Repo');
  const base = at('uid + LIMIT');
  assert.deepEqual([base.expected, base.where, base.async], ['int', 'initializer', true]);
  assert.equal(base.bindings.find((b) => b.name === 'LIMIT')?.type, 'int');
  assert.ok(!base.bindings.some((b) => b.name === 'user' || b.name === 'label'), 'assigned after the position');
  assert.equal(at('greet(user.name, sep="-")').bindings.find((b) => b.name === 'user')?.type, 'User', 'a construction of a class of the file');
  assert.deepEqual([at('f"{label}:{base}"').expected, at('"x"').where], ['str', 'argument']);
  const greet = base.functions.find((f) => f.name === 'greet')!;
  assert.deepEqual(greet.params.map((p) => `${p.name}${p.keywordOnly ? '=' : ''}`), ['who', 'times', '*', 'sep='], 'keyword-only parameters, read from the tree');

  const variants: string[] = [];
  for (const [i, { hole, pos, source }] of ps.entries()) {
    const g = parseLark(grammarFor(pos).lark);
    assert.ok(compile(g, byteTokenizer()).check(hole.original).accepted, `original ${JSON.stringify(hole.original)} rejected`);
    for (const text of sampleGrammarTexts(g, { seed: 17 * i + 3, n: 8, ignoreRate: 0.2, maxDepth: 16, maxBytes: 200 })) variants.push(source.slice(0, hole.start) + text + source.slice(hole.end));
  }
  if (!PYTHON) { t.diagnostic('python3 not found: compile check skipped'); return; }
  const script = 'import json,sys\nbad=[]\nfor s in json.load(sys.stdin):\n    try: compile(s, "f.py", "exec")\n    except SyntaxError as e: bad.append(str(e))\nprint(json.dumps(bad))';
  const bad = JSON.parse(execFileSync('python3', ['-c', script], { input: JSON.stringify(variants), encoding: 'utf8' })) as string[];
  assert.deepEqual(bad, [], `${bad.length} of ${variants.length} variants do not compile`);
});
