import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeRule, type Rule, type RuleType } from '../../src/core/index.ts';
import { RULE_CODECS, RULE_FIELDS } from '../../src/ariadne/index.ts';
import { brief, clean, compile } from './helpers.ts';

/** The single rule a one-field block compiles to. */
function ruleOf(field: string): Rule {
  const cs = clean(`constraint c {\n  ${field}\n}\n`);
  assert.equal(cs.length, 1);
  return cs[0]!.rule;
}

const CASES: [RuleType, string[], Rule][] = [
  ['signature', [
    'signature: { name: "parse", params: ["text: string", "opts?: Options", "...rest: unknown[]", { name: "n", type: "number", optional: false }], returns: "Ast", async: true }',
  ], { type: 'signature', name: 'parse', params: [{ name: 'text', type: 'string' }, { name: 'opts', type: 'Options', optional: true }, { name: 'rest', type: 'unknown[]', variadic: true }, { name: 'n', type: 'number', optional: false }], returnType: 'Ast', async: true }],
  ['signature', ['signature: async fn parse(text: string, opts?: Options, ...rest: unknown[], n) -> Ast', 'signature: { name: "parse", params: ["text: string", "opts?: Options", "...rest: unknown[]", "n"], returns: "Ast", async: true }'],
    { type: 'signature', name: 'parse', params: [{ name: 'text', type: 'string' }, { name: 'opts', type: 'Options', optional: true }, { name: 'rest', type: 'unknown[]', variadic: true }, { name: 'n' }], returnType: 'Ast', async: true }],
  ['signature', ['signature: fn now() -> Date'], { type: 'signature', name: 'now', params: [], returnType: 'Date' }],
  ['naming', ['naming: { kind: .Function, style: .CamelCase, visibility: .Exported, language: .Go }', 'naming: { kind: .function, style: "camelCase", visibility: .exported, language: "go" }'],
    { type: 'naming', identifierKind: 'function', style: 'camelCase', visibility: 'exported', language: 'go' }],
  ['forbidden_identifiers', ['forbidden_identifiers: ["any", "var"]', 'forbidden_identifiers: { names: [any, var] }'], { type: 'forbidden_identifiers', names: ['any', 'var'] }],
  ['forbidden_calls', ['forbidden_calls: { calls: ["eval", os.system], finding: .Eval }'], { type: 'forbidden_calls', calls: ['eval', 'os.system'], finding: 'eval' }],
  ['forbidden_calls', ['forbid: eval, exec', 'forbidden_calls: [eval, "exec"]'], { type: 'forbidden_calls', calls: ['eval', 'exec'] }],
  ['forbidden_pattern', [`forbidden_pattern: {
    finding: .ShellInjection
    patterns: [
      { languages: [.Python], match: .Call, callee: "os\\\\.system", argument: { index: 0, shape: .NotConstant }, keyword: "shell=True", unless: "safe" },
      { languages: [.TypeScript, .Tsx], match: .PropertyAssignment, property: "innerHTML" },
      { languages: [.Go], match: .BuiltString, text: "select" },
      { languages: [.Ruby], match: .StringAssignment, name: "password" },
      { languages: [.Php], match: .Identifier, name: "dangerous" },
      { languages: [.Zig], match: .Text, regex: """\\bAKIA""", what: "AWS key" },
    ]
  }`], { type: 'forbidden_pattern', finding: 'shell_injection', patterns: [
    { languages: ['python'], pattern: { match: 'call', callee: 'os\\.system', argument: { index: 0, shape: 'not_constant' }, keyword: 'shell=True', unless: 'safe' } },
    { languages: ['typescript', 'tsx'], pattern: { match: 'property_assignment', property: 'innerHTML' } },
    { languages: ['go'], pattern: { match: 'built_string', text: 'select' } },
    { languages: ['ruby'], pattern: { match: 'string_assignment', name: 'password' } },
    { languages: ['php'], pattern: { match: 'identifier', name: 'dangerous' } },
    { languages: ['zig'], pattern: { match: 'text', regex: '\\bAKIA', what: 'AWS key' } },
  ] }],
  ['allowed_imports', ['allowed_imports: { modules: ["os", "json"], language: .Python }'], { type: 'allowed_imports', modules: ['os', 'json'], language: 'python' }],
  ['allowed_imports', ['allowed_imports: []'], { type: 'allowed_imports', modules: [] }],
  ['forbidden_imports', ['forbidden_imports: ["lodash", "moment"]'], { type: 'forbidden_imports', modules: ['lodash', 'moment'] }],
  ['module_boundary', ['module_boundary: { from: "src/api", may_import: ["src/core"] }'], { type: 'module_boundary', from: 'src/api', mayImport: ['src/core'] }],
  ['expected_type', ['expected_type: { type: "Promise<User>", bindings: ["id: string", "db", { name: "n", type: "number" }] }'],
    { type: 'expected_type', expected: 'Promise<User>', bindings: [{ name: 'id', type: 'string' }, { name: 'db' }, { name: 'n', type: 'number' }] }],
  ['expected_type', ['expected_type: "number"'], { type: 'expected_type', expected: 'number', bindings: [] }],
  ['type_discipline', ['type_discipline: { practice: .NoAny, language: .TypeScript }'], { type: 'type_discipline', practice: 'no_any', language: 'typescript' }],
  ['json_schema', ['json_schema: { type: "object", properties: { id: { type: "integer", minimum: 0 } }, required: ["id"], "$comment": null }', 'json_schema: """{"type": "object", "properties": {"id": {"type": "integer", "minimum": 0}}, "required": ["id"], "$comment": null}"""'],
    { type: 'json_schema', schema: { type: 'object', properties: { id: { type: 'integer', minimum: 0 } }, required: ['id'], $comment: null } }],
  ['regex', ['regex: """\\d{4}-\\d{2}"""', 'regex: "\\\\d{4}-\\\\d{2}"', 'regex: { pattern: """\\d{4}-\\d{2}""" }'], { type: 'regex', pattern: '\\d{4}-\\d{2}' }],
  ['grammar', ['grammar: """\n    start: "yes" | "no"\n    """', 'grammar: { text: "start: \\"yes\\" | \\"no\\"", format: .Lark }'], { type: 'grammar', grammar: 'start: "yes" | "no"', format: 'lark' }],
  ['grammar', ['grammar: { text: """root ::= "a"+""", format: .Gbnf }'], { type: 'grammar', grammar: 'root ::= "a"+', format: 'gbnf' }],
  ['length', ['length: { min_chars: 1, max_chars: 2000, max_lines: 40 }'], { type: 'length', minChars: 1, maxChars: 2000, maxLines: 40 }],
  ['error_handling', ['error_handling: { style: .ResultType, language: .Rust }'], { type: 'error_handling', style: 'result_type', language: 'rust' }],
  ['async_style', ['async_style: { style: .AsyncAwait, language: .TypeScript }'], { type: 'async_style', style: 'async_await', language: 'typescript' }],
  ['test_expectation', ['test_expectation: { subject: slugify, framework: "vitest", assertion: "expect(slugify(\\"A B\\")).toBe(\\"a-b\\")" }'],
    { type: 'test_expectation', subject: 'slugify', framework: 'vitest', assertion: 'expect(slugify("A B")).toBe("a-b")' }],
  ['precondition', ['requires: "amount > 0"', 'precondition: "amount > 0"', 'require: { expression: "amount > 0" }'], { type: 'precondition', expression: 'amount > 0' }],
  ['precondition', ['requires: authentication, input_validation;'], { type: 'precondition', expression: 'authentication && input_validation' }],
  ['postcondition', ['ensures: "result >= 0"', 'postcondition: "result >= 0"'], { type: 'postcondition', expression: 'result >= 0' }],
];

test('every rule type of the Constraint union has a field, and each is covered here', () => {
  const covered = new Set(CASES.map(([t]) => t));
  for (const t of Object.keys(RULE_CODECS)) assert.ok(covered.has(t as RuleType), `no test case for ${t}`);
  for (const [f, codec] of RULE_FIELDS) assert.ok(codec.field === f || codec.aliases.includes(f));
});

for (const [type, sources, expected] of CASES) {
  test(`rule ${type}: ${sources.length} spelling${sources.length > 1 ? 's' : ''} → ${describeRule(expected)}`, () => {
    for (const src of sources) assert.deepEqual(ruleOf(src), expected, src);
  });
}

test('defaults: id from module and name, kind by rule, hard → error and soft → warning, priority 50, confidence 1, user_defined, provenance at the block', () => {
  const cs = clean('module app.rules\n\nconstraint no_eval { forbid: ["eval"] }\n  constraint style {\n    error_handling: { style: .Exceptions, language: .Python }\n  }\n');
  assert.deepEqual(cs, [
    {
      id: 'app.rules.no_eval', kind: 'security', severity: 'error', priority: 50, confidence: 1, source: 'user_defined',
      rule: { type: 'forbidden_calls', calls: ['eval'] }, description: 'do not call eval', provenance: { file: 'main.ariadne', line: 3, column: 1 },
    },
    {
      id: 'app.rules.style', kind: 'semantic', severity: 'warning', priority: 50, confidence: 1, source: 'user_defined',
      rule: { type: 'error_handling', style: 'exceptions', language: 'python' }, description: 'python errors are handled with exceptions',
      provenance: { file: 'main.ariadne', line: 4, column: 3 },
    },
  ]);
});

test('common fields: id, kind, severity, priority, confidence, source, provenance, evidence', () => {
  const [c] = clean(`constraint x {
    id: "team.no-eval"
    forbidden_calls: ["eval"]
    kind: .Operational, severity: .Hint, priority: -3.5, confidence: 0.25, source: .Documentation
    provenance: { file: "SECURITY.md", line: 12, column: 0 }
    evidence: { matching: 3, total: 4, examples: [{ file: "a.ts", line: 1, column: 2 }] }
  }`);
  assert.deepEqual(c, {
    id: 'team.no-eval', kind: 'operational', severity: 'hint', priority: -3.5, confidence: 0.25, source: 'documentation',
    rule: { type: 'forbidden_calls', calls: ['eval'] }, description: 'do not call eval',
    provenance: { file: 'SECURITY.md', line: 12, column: 0 }, evidence: { matching: 3, total: 4, examples: [{ file: 'a.ts', line: 1, column: 2 }] },
  });
  const [none] = clean('constraint y { regex: "a", provenance: null }');
  assert.equal(none!.provenance, undefined);
});

test('soft preferences take a weight (their confidence); hard rules refuse it', () => {
  const [c] = clean('constraint p { async_style: { style: .Promises, language: .JavaScript }, weight: 0.7 }');
  assert.equal(c!.confidence, 0.7);
  const r = compile('constraint h { regex: "a", weight: 0.5 }\nconstraint both { ensures: "x", weight: 0.5, confidence: 0.5 }\n');
  assert.deepEqual(brief(r.diagnostics).map((d) => d.split(';')[0]!.split('(')[0]!.trim()), [
    '1:28 error: weight applies to soft preferences', '2:33 error: give weight or confidence, not both',
  ]);
  assert.equal(r.constraints.length, 0);
});

test('a block with several rules gives one constraint per rule, ids suffixed with the rule field', () => {
  const cs = clean('constraint secure_api {\n  requires: authentication, input_validation;\n  forbid: eval, exec;\n  severity: .Error\n}\n');
  assert.deepEqual(cs.map((c) => [c.id, c.rule.type, c.severity]), [
    ['secure_api.precondition', 'precondition', 'error'], ['secure_api.forbidden_calls', 'forbidden_calls', 'error'],
  ]);
});

test('descriptions are derived: a description field is a warning and changes nothing', () => {
  const r = compile('constraint c { forbid: [eval], description: "whatever" }');
  assert.deepEqual(brief(r.diagnostics), ['1:32 warning: field description has no effect: a constraint\'s description is derived from its rule ("do not call eval")']);
  assert.equal(r.constraints[0]!.description, 'do not call eval');
});

test('json_schema: a path is read relative to the .ariadne file; a bad file or JSON is an error at the value', () => {
  const schema = { type: 'object', required: ['a'] };
  const r = compile('constraint s { json_schema: "schemas/thing.json" }', { 'schemas/thing.json': JSON.stringify(schema) });
  assert.deepEqual(r.diagnostics, []);
  assert.deepEqual(r.constraints[0]!.rule, { type: 'json_schema', schema });
  const bad = compile('constraint a { json_schema: "missing.json" }\nconstraint b { json_schema: "bad.json" }\nconstraint c { json_schema: [1] }\nconstraint d { json_schema: { x: .Nope } }\n', { 'bad.json': '{ nope' });
  const got = brief(bad.diagnostics);
  const want = [
    '1:29 error: cannot find missing.json',
    '2:29 error: bad.json is not JSON: ',
    '3:29 error: json_schema must be a schema object { … }, true/false, or the path of a .json file, not a list',
    '4:34 error: json_schema (JSON) must be JSON: a string, number, true/false, null, list or object, not .Nope',
  ];
  assert.equal(got.length, want.length, got.join('\n'));
  want.forEach((w, i) => assert.ok(got[i]!.startsWith(w), `${got[i]} should start with ${w}`));
});

test('a near miss of a variant is named', () => {
  const r = compile('constraint a { naming: { kind: .Funktion, style: .SnakeCase } }');
  assert.deepEqual(brief(r.diagnostics), ['1:32 error: kind: unknown identifier kind .Funktion (did you mean .Function?); known: .Function .Method .Variable .Constant .Type .File .Parameter .Field']);
});

test('type errors name the field, what it needs and what it got', () => {
  const r = compile(`constraint a { naming: { kind: .Function } }
constraint b { naming: { kind: .Function, style: .Camel, colour: 1 } }
constraint c { length: { min_chars: 10, max_chars: 5 } }
constraint d { forbidden_calls: [] }
constraint e { priority: "high", regex: "x" }
constraint f { confidence: 2, regex: "x" }
constraint g { forbidden_pattern: { finding: .Eval, patterns: [{ languages: [.Python], match: .Call, text: "x" }] } }
constraint h { signature: fn (x: T) }
constraint i { length: { max_lines: 1.5 } }
`);
  assert.deepEqual(brief(r.diagnostics), [
    '1:24 error: naming needs \'style\'',
    '2:50 error: style: unknown naming style .Camel; known: .CamelCase .PascalCase .SnakeCase .ScreamingSnakeCase .KebabCase .Lowercase',
    '2:58 error: naming has no field \'colour\'; its fields: kind, style, visibility, language',
    '3:37 error: min_chars (10) is more than max_chars (5): nothing can satisfy this',
    '4:33 error: forbidden_calls is empty: name at least one',
    '5:26 error: priority must be a number, not a string',
    '6:28 error: confidence must be from 0 to 1, not 2',
    '7:64 error: a .Call pattern needs \'callee\'',
    '7:108 error: \'text\' does not apply to .Call patterns (they take callee, argument, keyword, unless)',
    '8:27 error: a signature names its function: fn parse(text: string) -> Ast',
    '9:37 error: max_lines must be a whole number, not 1.5',
  ]);
  assert.equal(r.constraints.length, 0);
});

test('unknown fields: a near miss of a known field is an error, anything else a warning that it has no effect', () => {
  const r = compile('constraint a { forbid: [eval], sevrity: .Error }\nconstraint b { forbid: [eval], max_complexity: 10 }\n');
  assert.deepEqual(brief(r.diagnostics).map((d) => d.split(' (')[0]), [
    '1:32 error: unknown field sevrity', '2:32 warning: field max_complexity has no effect: Ariadne has no such field',
  ]);
  assert.deepEqual(r.constraints.map((c) => c.id), ['b']);
});

test('a block without a rule, a field given twice, two rules of one type, a name declared twice', () => {
  const r = compile('constraint a { severity: .Error }\nconstraint b { regex: "a", regex: "b" }\nconstraint c { forbid: [x], forbidden_calls: [y] }\nconstraint c { regex: "z" }\n');
  assert.deepEqual(brief(r.diagnostics).map((d) => d.split(':').slice(0, 3).join(':')), [
    '1:12 error: constraint a has no rule',
    '2:28 error: field regex is given twice (first at line 2)',
    '3:29 error: constraint c has two forbidden_calls rules (\'forbid\' at line 3 and \'forbidden_calls\')',
    '4:12 error: constraint c is declared twice in this file (first at line 3)',
  ]);
});
