import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DiagnosticSink, parseAriadne, tokenize, type Value } from '../../src/ariadne/index.ts';

function parse(text: string): { file: ReturnType<typeof parseAriadne>['ast']; errors: string[] } {
  const { ast, diagnostics } = parseAriadne(text, { file: 't.ariadne' });
  return { file: ast, errors: diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`) };
}

/** The value of field `key` of the first constraint, without spans, for comparisons. */
function field(text: string, key = 'v'): unknown {
  const { file, errors } = parse(`constraint c {\n  ${key}: ${text}\n}\n`);
  assert.deepEqual(errors, []);
  return strip(file.constraints[0]!.fields.find((f) => f.key === key)!.value);
}

function strip(v: Value): unknown {
  switch (v.kind) {
    case 'list': return v.items.map(strip);
    case 'object': return Object.fromEntries(v.entries.map((e) => [e.key, strip(e.value)]));
    case 'enum': return v.arg ? { enum: v.name, arg: strip(v.arg) } : { enum: v.name };
    case 'path': return { path: v.parts.join('.') };
    case 'string': case 'number': case 'bool': return v.value;
    case 'null': return null;
    case 'query': return { query: v.language, text: v.text };
    case 'fn': return { fn: v.name, params: v.params, returns: v.returns, async: v.async };
    case 'error': return { error: true };
  }
}

test('module, imports (whole and selective) and constraint blocks, with positions', () => {
  const { file, errors } = parse('-- header\nmodule api.security\n\nimport shared.naming\nimport shared.sec.{no_eval, secrets,}\n\nconstraint a { regex: "x" }\n  constraint b {\n  }\n');
  assert.deepEqual(errors, []);
  assert.deepEqual(file.module?.path, ['api', 'security']);
  assert.deepEqual(file.module?.span.line, 2);
  assert.deepEqual(file.imports.map((i) => [i.path.join('.'), i.names?.map((n) => n.name), i.span.line]), [
    ['shared.naming', undefined, 4], ['shared.sec', ['no_eval', 'secrets'], 5],
  ]);
  assert.deepEqual(file.constraints.map((c) => [c.name, c.span.line, c.span.column, c.fields.length]), [['a', 7, 1, 1], ['b', 8, 3, 0]]);
});

test('comments: --, // and # to the end of the line, never inside strings', () => {
  const { file, errors } = parse('// a\n# b\nconstraint c { -- c\n  v: "-- not a comment // nor # this" // d\n}\n');
  assert.deepEqual(errors, []);
  assert.equal(strip(file.constraints[0]!.fields[0]!.value), '-- not a comment // nor # this');
});

test('values: strings with escapes, numbers, booleans, null, lists, objects, variants, names', () => {
  assert.equal(field('"a\\n\\t\\"q\\" \\\\ \\u{1F600} \\u00e9"'), 'a\n\t"q" \\ 😀 é');
  assert.deepEqual(field('[1, -2.5, 3e2, 1.5E-3, true, false, null]'), [1, -2.5, 300, 0.0015, true, false, null]);
  assert.deepEqual(field('{ a: 1, "b c": [x, os.system], d: { e: .Error } }'), { a: 1, 'b c': [{ path: 'x' }, { path: 'os.system' }], d: { e: { enum: 'Error' } } });
  assert.deepEqual(field('.Structural({ action: .Forbid })'), { enum: 'Structural', arg: { action: { enum: 'Forbid' } } });
  assert.deepEqual(field('.Parallel(4)'), { enum: 'Parallel', arg: 4 });
  assert.deepEqual(field('[]'), []);
  assert.deepEqual(field('{}'), {});
  assert.deepEqual(field('[1, 2,]'), [1, 2]);
});

test('objects and blocks take commas, semicolons or line breaks between fields', () => {
  const { file, errors } = parse('constraint c {\n  a: 1, b: 2; c: 3\n  d: { x: 1\n       y: 2; z: 3 }\n}\n');
  assert.deepEqual(errors, []);
  assert.deepEqual(file.constraints[0]!.fields.map((f) => f.key), ['a', 'b', 'c', 'd']);
  assert.deepEqual(strip(file.constraints[0]!.fields[3]!.value), { x: 1, y: 2, z: 3 });
});

test('"""raw strings""": no escapes; a block drops the first line break and the closing indentation', () => {
  assert.equal(field('"""\\d+\\.\\d+"""'), '\\d+\\.\\d+');
  assert.equal(field('"""\n    start: a\n      | b\n\n    a: "x"\n    """'), 'start: a\n  | b\n\na: "x"');
  assert.equal(field('"""\n    keeps the last line break\n\n    """'), 'keeps the last line break\n');
  assert.equal(field('"""\n  no closing line of its own"""'), '  no closing line of its own');
  assert.equal(field('"""one "quoted" word"""'), 'one "quoted" word');
});

test('a """ block line indented less than its closing """ is an error on that line', () => {
  const { errors } = parse('constraint c {\n  v: """\n      ok\n    bad\n      """\n}\n');
  assert.equal(errors.length, 1);
  assert.match(errors[0]!, /^4:1 this line of a """ block is indented less than its closing """/);
});

test('the tutorial form: a bare comma list ended by ; or a line break reads as a list', () => {
  const { file, errors } = parse('constraint t {\n  requires: authentication, input_validation;\n  forbid: eval, exec, os.system\n  severity: .Error, priority: 3\n}\n');
  assert.deepEqual(errors, []);
  const f = file.constraints[0]!.fields;
  assert.deepEqual(f.map((x) => x.key), ['requires', 'forbid', 'severity', 'priority']);
  assert.deepEqual(strip(f[0]!.value), [{ path: 'authentication' }, { path: 'input_validation' }]);
  assert.deepEqual(strip(f[1]!.value), [{ path: 'eval' }, { path: 'exec' }, { path: 'os.system' }]);
});

test('query(lang) { … } keeps the query text raw; fn(…) -> T keeps parameters and return type as text', () => {
  assert.deepEqual(field('query(javascript) {\n  (call_expression function: (identifier) @fn (#eq? @fn "}"))\n}'),
    { query: 'javascript', text: '\n  (call_expression function: (identifier) @fn (#eq? @fn "}"))\n' });
  assert.deepEqual(field('fn handle(req: Request<Map<K, V>>, res?: Reply, ...rest: string[]) -> Promise<Result<T, E>>'), {
    fn: 'handle', params: ['req: Request<Map<K, V>>', 'res?: Reply', '...rest: string[]'], returns: 'Promise<Result<T, E>>', async: false,
  });
  assert.deepEqual(field('async fn f() -> void'), { fn: 'f', params: [], returns: 'void', async: true });
  assert.deepEqual(field('{ "*": fn(...) -> R, next: 1 }'), { '*': { fn: undefined, params: ['...'], returns: 'R', async: false }, next: 1 });
});

test('pub const and pub fn: the function body is read raw and skipped', () => {
  const { file, errors } = parse('pub const all = [a, b]\npub fn compile() -> IR {\n  let g = braid.graph.new() + 1 * 2\n  for c in all { g.add(c) }\n}\nconstraint a { regex: "x" }\n');
  assert.deepEqual(errors, []);
  assert.deepEqual(file.consts.map((c) => [c.name, strip(c.value)]), [['all', [{ path: 'a' }, { path: 'b' }]]]);
  assert.deepEqual(file.fns.map((f) => f.name), ['compile']);
  assert.deepEqual(file.constraints.map((c) => c.name), ['a']);
});

test('the lexer reports bad strings, escapes and numbers, and keeps going', () => {
  const sink = new DiagnosticSink(100);
  const toks = tokenize('"open\n"bad \\q" 30s "\\u{110000}" ok', 't.ariadne', sink);
  assert.deepEqual(sink.list.map((d) => `${d.line}:${d.column} ${d.message.split(' (')[0]!.split(':')[0]}`), [
    '1:1 unterminated string', '2:6 unknown escape \\q', '2:12 unexpected \'s\' after the number 30', '2:15 bad \\u escape',
  ]);
  assert.equal(toks.at(-2)!.text, 'ok');
});

test('lines and columns count from 1; tabs are one column; a token spans its text', () => {
  const toks = tokenize('a\n\tbb  "cc"\n', 't', new DiagnosticSink(10));
  assert.deepEqual(toks.map((t) => [t.text, t.span.line, t.span.column, t.span.length, t.firstOnLine]), [
    ['a', 1, 1, 1, true], ['bb', 2, 2, 2, true], ['"cc"', 2, 6, 4, false], ['', 3, 1, 1, true],
  ]);
});
